"""The pathways report (measures.md section 9): community health services linked with acute care
and adult social care on the pseudonymised person identifier. Where people go after an urgent
response, a community bed or an acute discharge; after an urgent response, admissions and
social care requests within 7 and 30 days; community bed discharges to a social care service,
with the time-to-service curve; reablement still at home after 84 and 91 days (ASCOF 2D) with its
coverage; people receiving both services, for whom (Core20PLUS5); and the quality of the linkage.

Presentation (measures.md section 7): England's figures unrounded, every other organisation's
controlled; every percentage beside its numerator and denominator, with its 95% interval from
the exact counts; a percentage drawn only where its denominator as the table shows it reaches
``min_chart``; the transitions picture drawn from controlled counts only, so no flow rests on a
suppressed count. Sentences are made from the same controlled values as the tables. Nothing
person-level (no one's sequence of events, no one's date) is read: only aggregates.
"""

from __future__ import annotations

import pandas as pd

from workbench import charts
from workbench.charts import palette
from workbench.facts.transitions import STARTS
from workbench.reports import narrative as say
from workbench.reports.chartable import (
    MIN_CHART_DENOMINATOR,
    NO_DATA,
    SUPPRESSED_POINT,
    TOO_FEW,
)
from workbench.reports.data import ReportData
from workbench.reports.sections.common import numeric, rate_by_breakdowns, whose
from workbench.reports.tables import controlled, largest_and_rest, show

#: The starting settings of a transition (measures.md section 9), as the measure names them.
FROM_SETTINGS = STARTS
#: What may follow a start (the measure's ``TO_OUTCOMES``), in the order every chart stacks them.
OUTCOMES = (
    "emergency admission",
    "reablement",
    "long-term care",
    "social care request",
    "died",
    "home",
)
#: One colour per outcome in every chart of the report (home and "neither" alike).
OUTCOME_COLOURS = {
    "emergency admission": palette.VERMILLION,
    "reablement": palette.GREEN,
    "long-term care": palette.PURPLE,
    "social care request": palette.ORANGE,
    "died": palette.BLACK,
    "home": palette.SKY_BLUE,
    "neither": palette.SKY_BLUE,
}
#: The discharges a reablement episode is linked to, the last being either.
DISCHARGE_SETTINGS = ("acute", "community bed", "any")
#: Headers of the columns a linked table carries beside its measure columns.
WITHIN_LABELS = {
    "from_setting": "From",
    "to_outcome": "Next, within 30 days",
    "discharge_setting": "Discharged from",
    "day": "Days after discharge",
    "window": "Within",
    "council": "Council",
    "provider": "Provider",
}
#: The days of the time-to-service curve its table shows (the chart draws every day).
CURVE_DAYS = (7, 14, 30, 60, 90)


def short_name(data: ReportData) -> str:
    """The organisation as a chart title names it, short enough to fit: "England", "London",
    "South East London ICB" (for "NHS South East London Integrated Care Board"), a provider's
    code."""
    name = data.code if data.level == "provider" else data.name
    if data.level == "icb":
        name = name.removeprefix("NHS ").replace(" Integrated Care Board", " ICB")
    return name


def _why_not_drawn(denominator: object, minimum: int) -> str | None:
    """Why a share of ``denominator`` (as the table shows it) is not drawn, or None."""
    if isinstance(denominator, str):
        return SUPPRESSED_POINT
    value = float(numeric(pd.Series([denominator])).iloc[0])
    if not value > 0:
        return NO_DATA
    return TOO_FEW if value < minimum else None


def transitions(data: ReportData, min_chart: int = MIN_CHART_DENOMINATOR) -> list:
    """What followed each urgent response, community bed discharge and acute discharge within 30
    days: a bar per starting setting split into its shares (from controlled counts; a bar whose
    starting events are under ``min_chart`` is not drawn), then the controlled table."""
    frame = data.table("linked_transitions")
    if frame.empty or frame["starts"].sum() == 0:
        return ["No linked urgent responses or discharges in the period."]
    frame = frame.assign(
        from_setting=pd.Categorical(frame["from_setting"], FROM_SETTINGS),
        to_outcome=pd.Categorical(frame["to_outcome"], OUTCOMES),
    ).sort_values(["from_setting", "to_outcome"])
    frame = frame.assign(
        from_setting=frame["from_setting"].astype(str), to_outcome=frame["to_outcome"].astype(str)
    ).reset_index(drop=True)
    table = controlled(
        frame,
        "linked_transitions",
        ["transitions", "starts", "pct_transitions"],
        labels=["from_setting", "to_outcome"],
        enabled=data.disclosure_control,
    )
    starts = table.drop_duplicates("from_setting").set_index("from_setting")["starts"]
    reasons = {
        s: _why_not_drawn(starts[s], min_chart) if s in starts.index else f"no {s} events"
        for s in FROM_SETTINGS
    }
    chart = charts.transition_bars(
        table,
        "from_setting",
        "to_outcome",
        "pct_transitions",
        OUTCOMES,
        title=f"What followed within 30 days: {short_name(data)}",
        categories=FROM_SETTINGS,
        not_shown={s: why for s, why in reasons.items() if why is not None},
        colours=OUTCOME_COLOURS,
    )
    return [
        "Each starting event is followed by the first of these within 30 days: an emergency "
        "admission (after a discharge, a readmission), reablement, long-term care, a social care "
        "request, death; "
        f"home when none of them follows. The figures are those {whose(data)}.",
        chart,
        show(table, "linked_transitions", WITHIN_LABELS),
    ]


#: What may first follow an urgent response (measures.md section 9, "After urgent response").
AFTER_UCR = (
    ("admission", "emergency admission"),
    ("request", "social care request"),
    ("neither", "neither"),
)
#: Headers of the after-urgent-response table, one row per window and what followed.
AFTER_UCR_LABELS = {
    "window": "Within",
    "next": "First followed by",
    "followed": "Clocks",
    "clocks": "In-scope UCR clocks",
    "pct": "% of in-scope clocks",
    "pct_lower": "% of in-scope clocks: lower 95% limit",
    "pct_upper": "% of in-scope clocks: upper 95% limit",
}


def after_ucr_rows(data: ReportData) -> pd.DataFrame:
    """The after-urgent-response table controlled as the report shows it, one row per window
    (7 and 30 days) and what first followed (emergency admission, social care request,
    neither): the clocks, the in-scope clocks they are a share of, the share and its 95%
    interval (from the exact counts)."""
    frame = data.table("linked_after_ucr")
    names = [f"pct_{key}_{n}_days" for n in (7, 30) for key, _ in AFTER_UCR]
    table = controlled(
        frame, "linked_after_ucr", ["clocks", *names], enabled=data.disclosure_control
    )
    rows = []
    for _, row in table.iterrows():
        for n in (7, 30):
            for key, words in AFTER_UCR:
                pct = f"pct_{key}_{n}_days"
                rows.append(
                    {
                        "window": f"{n} days",
                        "next": words,
                        "followed": row[f"{key}_{n}_days"],
                        "clocks": row["clocks"],
                        "pct": row[pct],
                        "pct_lower": row[f"{pct}_lower"],
                        "pct_upper": row[f"{pct}_upper"],
                    }
                )
    out = pd.DataFrame(rows, columns=list(AFTER_UCR_LABELS))
    return _long_like(out, table, ["followed", "clocks"])


def after_urgent_response(data: ReportData, min_chart: int = MIN_CHART_DENOMINATOR) -> list:
    """In-scope urgent response clocks followed first by an emergency admission, first by a
    social care request, or by neither, within 7 and within 30 days: a bar for each window
    (drawn where the clocks, as the table shows them, reach ``min_chart``), a sentence each,
    and the table."""
    frame = data.table("linked_after_ucr")
    if frame.empty or frame["clocks"].sum() == 0:
        return ["No in-scope urgent response clocks in the period."]
    table = after_ucr_rows(data)
    why = _why_not_drawn(table["clocks"].iloc[0], min_chart)
    windows = [f"{n} days" for n in (7, 30)]
    chart = charts.transition_bars(
        table.assign(window="Within " + table["window"]),
        "window",
        "next",
        "pct",
        [words for _, words in AFTER_UCR],
        title=f"What first followed an urgent response: {short_name(data)}",
        not_shown={f"Within {w}": why for w in windows} if why else None,
        x_label="% of in-scope clocks",
        bar_words="{}",
        colours=OUTCOME_COLOURS,
    )
    items: list = [chart]
    for window in windows:
        row = table[(table["window"] == window) & (table["next"] == "neither")].iloc[0]
        items.append(
            say.share_sentence(
                f"Within {window}, neither an emergency admission nor a social care request",
                row["pct"],
                row["pct_lower"],
                row["pct_upper"],
                f"in-scope clocks {whose(data)}",
                row["clocks"],
            )
        )
    return [*items, show(table, "linked_after_ucr", AFTER_UCR_LABELS)]


def discharge_to_service(data: ReportData, min_chart: int = MIN_CHART_DENOMINATOR) -> list:
    """Community bed discharges (alive) with a social care service starting from 7 days before
    to 90 days after, the median and 90th percentile days to it, and the time-to-service
    curve (drawn where the discharges, as the table shows them, reach ``min_chart``)."""
    frame = data.table("linked_discharge_to_service")
    if frame.empty or frame["discharges"].sum() == 0:
        return ["No community inpatients were discharged alive in the period."]
    table = controlled(
        frame,
        "linked_discharge_to_service",
        ["discharges", "pct_with_service", "median_days", "p90_days"],
        enabled=data.disclosure_control,
    )
    row = table.iloc[0]
    items: list = [
        say.share_sentence(
            "A social care service within 90 days of a community bed discharge",
            row["pct_with_service"],
            row["pct_with_service_lower"],
            row["pct_with_service_upper"],
            f"discharges alive {whose(data)}",
            row["discharges"],
        )
        + f" The median time to the service was {say.days_text(row['median_days'])}, the 90th "
        f"percentile {say.days_text(row['p90_days'])}.",
        show(table, "linked_discharge_to_service"),
    ]
    return items + service_curve(data, min_chart)


def service_curve(data: ReportData, min_chart: int = MIN_CHART_DENOMINATOR) -> list:
    """The cumulative share of community bed discharges with a social care service by each day
    0 to 90, from the controlled counts of each day, and its table at a few days."""
    frame = data.table("linked_service_curve")
    if frame.empty:
        return ["No community inpatients were discharged alive in the period: no curve to draw."]
    frame = frame.sort_values("day").assign(day=lambda f: f["day"].astype(int).astype(str))
    table = controlled(
        frame,
        "linked_service_curve",
        ["discharges", "pct_with_service_by_day"],
        labels=["day"],
        enabled=data.disclosure_control,
    )
    chart = charts.cumulative_curve(
        table,
        "day",
        "pct_with_service_by_day",
        "pct_with_service_by_day_lower",
        "pct_with_service_by_day_upper",
        title=f"Time to a social care service after a community bed stay: {short_name(data)}",
        y_label="% of discharges with a service",
        why_not=_curve_not_drawn(table["discharges"].iloc[0], min_chart),
    )
    shown = table[table["day"].isin([str(d) for d in CURVE_DAYS])].reset_index(drop=True)
    return [chart, show(shown, "linked_service_curve", WITHIN_LABELS)]


def _curve_not_drawn(discharges: object, minimum: int) -> str | None:
    """Why the time-to-service curve is not drawn, as a sentence, or None."""
    why = _why_not_drawn(discharges, minimum)
    if why is None:
        return None
    if why == TOO_FEW:
        return (
            f"Too few to chart: fewer than {minimum} discharges, the least a share is drawn from."
        )
    return f"Not drawn: the number of discharges is {why}."


#: Headers of the reablement table, one row per discharge setting and follow-up.
REABLEMENT_LABELS = {
    "discharge_setting": "Discharged from",
    "follow_up": "Still at home after",
    "episodes": "Linked reablement episodes (65 and over)",
    "at_home": "Still at home",
    "pct": "% still at home",
    "pct_lower": "% still at home: lower 95% limit",
    "pct_upper": "% still at home: upper 95% limit",
}


def reablement_rows(data: ReportData) -> pd.DataFrame:
    """The reablement table as the report shows it, one row per discharge setting (acute,
    community bed, either) and follow-up (84 days, ASCOF 2D; 91 days, the legacy measure):
    linked episodes, those still at home, the share and its 95% interval (exact counts)."""
    frame = data.table("linked_reablement_at_home")
    frame = frame.assign(
        discharge_setting=pd.Categorical(frame["discharge_setting"], DISCHARGE_SETTINGS)
    ).sort_values("discharge_setting")
    frame["discharge_setting"] = frame["discharge_setting"].astype(str)
    table = controlled(
        frame.reset_index(drop=True),
        "linked_reablement_at_home",
        ["episodes_84", "pct_at_home_84_days", "episodes_91", "pct_at_home_91_days"],
        labels=["discharge_setting"],
        enabled=data.disclosure_control,
    )
    rows = [
        {
            "discharge_setting": "either"
            if row["discharge_setting"] == "any"
            else row["discharge_setting"],
            "follow_up": f"{n} days",
            "episodes": row[f"episodes_{n}"],
            "at_home": row[f"at_home_{n}_days"],
            "pct": row[f"pct_at_home_{n}_days"],
            "pct_lower": row[f"pct_at_home_{n}_days_lower"],
            "pct_upper": row[f"pct_at_home_{n}_days_upper"],
        }
        for _, row in table.iterrows()
        for n in (84, 91)
    ]
    return _long_like(
        pd.DataFrame(rows, columns=list(REABLEMENT_LABELS)), table, ["at_home", "episodes"]
    )


def _long_like(out: pd.DataFrame, table: pd.DataFrame, counts: list[str]) -> pd.DataFrame:
    """``out`` (a controlled ``table`` laid out long, with one share ``pct`` and its limits)
    marked as ``table`` was: its disclosure control, level and which columns are counts."""
    out.attrs = dict(table.attrs)
    treated = dict(table.attrs.get("disclosure_columns") or {})
    if treated:  # the same cells, under the long table's names
        treated["counts"] = counts if treated.get("counts") else []
        treated["rates"] = ["pct"] if treated.get("rates") else []
        treated["intervals"] = ["pct_lower", "pct_upper"] if treated.get("intervals") else []
        out.attrs["disclosure_columns"] = treated
    return out


def reablement(data: ReportData) -> list:
    """Reablement episodes of people 65 and over linked to a discharge: the share still at home
    84 days (ASCOF 2D) and 91 days (the legacy measure) after it, by the discharge they follow;
    then the coverage (the share of all such episodes that link to a discharge)."""
    items: list = []
    if data.table("linked_reablement_at_home").empty:
        items.append("No reablement episodes of people aged 65 and over in the period.")
    else:
        table = reablement_rows(data)
        for n in (84, 91):
            found = table[
                (table["discharge_setting"] == "either") & (table["follow_up"] == f"{n} days")
            ]
            if len(found):
                row = found.iloc[0]
                items.append(
                    say.share_sentence(
                        f"Still at home {n} days after the discharge"
                        + (" (ASCOF 2D)" if n == 84 else " (the legacy measure)"),
                        row["pct"],
                        row["pct_lower"],
                        row["pct_upper"],
                        "reablement episodes linked to an acute or community bed discharge, "
                        + whose(data),
                        row["episodes"],
                    )
                )
        items.append(show(table, "linked_reablement_at_home", REABLEMENT_LABELS))
    return items + _coverage(data)


def _coverage(data: ReportData) -> list:
    """The share of reablement episodes (65 and over) that link to a discharge."""
    frame = data.table("linked_reablement_coverage")
    if frame.empty:
        return []
    table = controlled(
        frame, "linked_reablement_coverage", ["pct_linked"], enabled=data.disclosure_control
    )
    row = table.iloc[0]
    return [
        "**Coverage.** "
        + say.share_sentence(
            "Linked to an acute or community bed discharge",
            row["pct_linked"],
            row["pct_linked_lower"],
            row["pct_linked_upper"],
            "reablement episodes of people aged 65 and over; an episode with no pseudonym "
            "cannot link and counts here",
            row["episodes"],
        ),
        show(table, "linked_reablement_coverage"),
    ]


def both_services(data: ReportData, min_chart: int = MIN_CHART_DENOMINATOR) -> list:
    """People with community health activity who also had a social care service in the period,
    overall and by age group, deprivation (IMD quintile; quintile 1 is the most deprived 20%,
    Core20PLUS5's Core20) and ethnic group, each keeping its Not known row."""
    frame = data.table("linked_both_services")
    if frame.empty or frame["persons"].sum() == 0:
        return ["No people with community health activity in the period."]
    table = controlled(
        frame, "linked_both_services", ["pct_with_social_care"], enabled=data.disclosure_control
    )
    row = table.iloc[0]
    return [
        say.share_sentence(
            "Also receiving an adult social care service",
            row["pct_with_social_care"],
            row["pct_with_social_care_lower"],
            row["pct_with_social_care_upper"],
            f"people with community health activity {whose(data)}",
            row["persons"],
        ),
        show(table, "linked_both_services"),
        *rate_by_breakdowns(
            data,
            "linked_both_services",
            "pct_with_social_care",
            "% with a social care service",
            breakdowns=("age_group", "imd_quintile", "ethnic_group"),
            minimum=min_chart,
        ),
    ]


def _councils_inside(data: ReportData) -> set[str] | None:
    """The councils with residents in this organisation (any of their 2011 LSOAs in its ICB or
    region); None for England (every council)."""
    if data.level == "england":
        return None
    from workbench.reference import icb_regions, lsoa11_to_icb
    from workbench.reference.councils import lsoa11_councils

    icbs = {data.code}
    if data.level == "region":
        ref = icb_regions()
        icbs = set(ref.loc[ref["nhser_ods_code"] == data.code, "icb_ods_code"])
    geo = lsoa11_to_icb()
    lsoas = set(geo.loc[geo["icb_code"].isin(icbs), "lsoa11_code"])
    councils = lsoa11_councils()
    return set(councils.loc[councils["lsoa11_code"].isin(lsoas), "la_code"])


#: The two shares of the council linkage table, each shown with the counts it is made of.
COUNCIL_SHARES = (
    (
        "pct_with_pseudonym",
        "events",
        "The share of CLD events with a pseudonym",
        "CLD events starting in the period",
    ),
    (
        "pct_linked",
        "pseudonyms",
        "The share of their distinct pseudonyms found in the community extract",
        "distinct pseudonyms",
    ),
)
#: How many councils a table lists before the rest are summed into one row.
COUNCILS_SHOWN = 12


def linkage_quality(data: ReportData) -> list:
    """How well the data link (a data quality measure, measures.md section 9): per council, CLD
    events with a pseudonym and the distinct pseudonyms found in the community extract; per
    provider, people with community activity found in CLD. This organisation's own figures are
    said in sentences, then a table for each share lists the councils with residents in it
    (England: every council; the 12 with most events, then the rest summed) and the providers
    based in it."""
    own = data.table("linkage_quality_councils")
    items: list = [f"**Social care records (CLD)**, {whose(data)}."]
    if not own.empty:
        row = controlled(
            own,
            "linkage_quality_councils",
            [c for c, *_ in COUNCIL_SHARES],
            enabled=data.disclosure_control,
        ).iloc[0]
        for rate, base, subject, of in COUNCIL_SHARES:
            items.append(
                say.share_sentence(
                    subject, row[rate], row[f"{rate}_lower"], row[f"{rate}_upper"], of, row[base]
                )
            )
    rows = _council_rows(data)
    if not rows.empty:
        items.append(f"**By council** ({_councils_words(data)}).")
        for rate, *_ in COUNCIL_SHARES:
            table = controlled(
                rows,
                "linkage_quality_councils",
                [rate],
                labels=["council"],
                enabled=data.disclosure_control,
            )
            items.append(show(table, "linkage_quality_councils", WITHIN_LABELS))
    return items + _provider_linkage(data)


def _councils_words(data: ReportData) -> str:
    """Which councils the council tables list, in words."""
    inside = "every council" if data.level == "england" else "the councils with residents here"
    return f"{inside}: the {COUNCILS_SHOWN} with most CLD events, then the others added together"


def _council_rows(data: ReportData) -> pd.DataFrame:
    """The council rows of the linkage table for the councils inside this organisation, with
    their names, the largest by events first and the rest summed (before control)."""
    from workbench.reference.councils import council_names

    rows = data.peers("linkage_quality_councils", level="council")
    inside = _councils_inside(data)
    if inside is not None:
        rows = rows[rows["org_code"].isin(inside)]
    if rows.empty:
        return rows
    names = council_names()
    rows = rows.assign(council=rows["org_code"].map(lambda c: f"{names.get(c, c)} ({c})"))
    counts = ["events", "with_pseudonym", "pseudonyms", "linked"]
    keep = rows[["council", *counts]].reset_index(drop=True)
    return largest_and_rest(
        keep, "council", counts, "events", size=COUNCILS_SHOWN, rest="All other councils"
    )


def _provider_linkage(data: ReportData) -> list:
    """People with community activity found in CLD: this organisation, then its providers."""
    own = data.table("linkage_quality_providers")
    if own.empty:
        return []
    row = controlled(
        own, "linkage_quality_providers", ["pct_in_cld"], enabled=data.disclosure_control
    ).iloc[0]
    items: list = [
        f"**Community health records**, {whose(data)}. "
        + say.share_sentence(
            "The share found in CLD",
            row["pct_in_cld"],
            row["pct_in_cld_lower"],
            row["pct_in_cld_upper"],
            "people with community activity",
            row["persons"],
        )
    ]
    rows = data.provider_rows("linkage_quality_providers")
    if not rows.empty:
        rows = rows.rename(columns={"org_code": "provider"}).sort_values("provider")
        table = controlled(
            rows.reset_index(drop=True),
            "linkage_quality_providers",
            ["pct_in_cld"],
            labels=["provider"],
            enabled=data.disclosure_control,
        )
        items.append(
            f"**By provider** based in {'England' if data.level == 'england' else data.name}."
        )
        items.append(show(table, "linkage_quality_providers", WITHIN_LABELS))
    return items
