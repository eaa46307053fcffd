"""The outcomes report (measures.md section 5): paired assessments, contacts and DNA rates,
community inpatient stays and delays, readmissions, follow-on acute admissions after urgent
response, and inequality across deprivation.

Presentation (measures.md section 7): England's figures unrounded, every other organisation's
controlled; percentages charted only where their denominator reaches ``min_chart`` (the
notebook's parameter); the slope and relative index of inequality shown only where every decile
reaches it and there are at least 50 events, and otherwise said why in words. A value is never
rounded before the table formats it, so one measure reads the same wherever it appears."""

from __future__ import annotations

import numpy as np

from workbench import charts
from workbench.measures.outcomes.inequality import why_index_withheld
from workbench.reports import narrative as say
from workbench.reports.chartable import (
    MIN_CHART_DENOMINATOR,
    chartable_rate,
    not_charted_reasons,
)
from workbench.reports.data import ReportData
from workbench.reports.sections.common import by_organisation, numeric, rate_table
from workbench.reports.sections.own_inequality import own_inequality
from workbench.reports.tables import controlled, show
from workbench.spec import ASSESSMENT_TOOL


def assessments(data: ReportData) -> list:
    """Paired first and last scored assessments by tool: improved, unchanged, worse."""
    frame = data.table("paired_assessments")
    frame = frame[frame["pairs"] > 0]
    if frame.empty:
        return ["No paired assessments in the period."]
    frame = frame.assign(
        assessment_tool=frame["assessment_tool"].map(lambda c: ASSESSMENT_TOOL.codes.get(c, c))
    )
    table = controlled(
        frame,
        "paired_assessments",
        ["pairs", "improved", "unchanged", "worse", "pct_improved", "median_change"],
        labels=["assessment_tool"],
        enabled=data.disclosure_control,
    )
    table["wilcoxon_p"] = (
        frame["wilcoxon_p"].where(numeric(table["pairs"]).notna()).map(say.p_value_text)
    )
    return [show(table, "paired_assessments")]


def contacts(data: ReportData, min_chart: int = MIN_CHART_DENOMINATOR) -> list:
    """Contact outcomes and the DNA rate, with its monthly SPC (or run) chart."""
    total = data.table("contact_outcomes")
    monthly = data.table("contact_outcomes", "month")
    if total.empty:
        return ["No contacts in the period."]
    row = controlled(
        total, "contact_outcomes", ["contacts", "dna_rate"], enabled=data.disclosure_control
    ).iloc[0]
    items: list = [
        say.share_sentence(
            "The did-not-attend rate",
            row["dna_rate"],
            row["dna_rate_lower"],
            row["dna_rate_upper"],
            "attended or missed contacts",
            row["attended_or_dna"],
        )
    ]
    if not monthly.empty:
        series = chartable_rate(
            monthly,
            "contact_outcomes",
            "dna_rate",
            enabled=data.disclosure_control,
            minimum=min_chart,
            extra=["contacts", "attended", "cancelled"],
        )
        bounds = numeric(row[["dna_rate_lower", "dna_rate_upper"]])
        items += [
            series.spc(
                title=f"Did-not-attend rate by {series.period}",
                y_label="% of attended or missed contacts",
                higher_is_better=False,
                interval=(float(bounds.iloc[0]), float(bounds.iloc[1])),
            ),
            series.shown(),
        ]
    return items


def inpatients(data: ReportData) -> list:
    """Community inpatient stays: length of stay, delays after ready, bed days, readmissions."""
    frame = data.table("inpatient_stays")
    if frame.empty or frame["spells"].sum() == 0:
        return ["No community inpatient spells ended in the period."]
    table = controlled(
        frame,
        "inpatient_stays",
        [
            "spells",
            "median_los_days",
            "delayed",
            "bed_days_lost",
            "pct_discharged_on_day_ready",
            "readmitted_30_days",
            "readmission_rate",
        ],
        enabled=data.disclosure_control,
    )
    keep = [
        "spells",
        "median_los_days",
        "delayed",
        "bed_days_lost",
        "pct_discharged_on_day_ready",
        "readmitted_30_days",
        "readmission_rate",
    ]
    destinations = data.table("discharge_destinations")
    row = table.iloc[0]
    items = [
        say.share_sentence(
            "Readmission within 30 days",
            row["readmission_rate"],
            row["readmission_rate_lower"],
            row["readmission_rate_upper"],
            "stays that ended in a discharge alive",
            row["discharged_alive"],
        ),
        show(table[keep], "inpatient_stays"),
    ]
    if not destinations.empty:
        shown = controlled(
            destinations,
            "discharge_destinations",
            ["spells", "pct_spells"],
            labels=["destination_label"],
            enabled=data.disclosure_control,
        ).drop(columns=["group_spells"], errors="ignore")
        items.append(show(shown, "discharge_destinations"))
    return items


def follow_on(data: ReportData) -> list:
    """Emergency acute admissions within 2 and 30 days of an urgent response."""
    frame = data.table("ucr_follow_on")
    if frame.empty or frame["clocks"].sum() == 0:
        return ["No in-scope urgent response clocks in the period."]
    table = controlled(
        frame,
        "ucr_follow_on",
        ["clocks", "pct_admitted_2_days", "pct_admitted_30_days"],
        enabled=data.disclosure_control,
    )
    row = table.iloc[0]
    return [
        say.share_sentence(
            "Emergency admission within 2 days of an urgent response",
            row["pct_admitted_2_days"],
            row["pct_admitted_2_days_lower"],
            row["pct_admitted_2_days_upper"],
            "in-scope clocks",
            row["clocks"],
        ),
        show(table, "ucr_follow_on"),
    ]


def inequality(data: ReportData, min_chart: int = MIN_CHART_DENOMINATOR) -> list:
    """Below England, the organisation's own inequality figures first (:func:`own_inequality`:
    across its IMD quintiles, or why its counts do not support them); then the slope and
    relative index of inequality across England's IMD deciles, shown only where every decile's
    denominator reaches ``min_chart`` and there are at least 50 events, and England's DNA rate
    by decile."""
    national = data.national("inequality")
    rates = data.national("inequality_rates")
    deciles = rates[rates["grouping"] == "imd_decile"]
    items: list = [] if data.level == "england" else own_inequality(data, min_chart)
    where = "England" if data.level == "england" else "England as a whole, for reference"
    items.append(
        f"**Inequality in England.** The indices below are computed for {where}, across the "
        "ten IMD deciles of the whole country."
    )
    if not national.empty:
        indices = ["sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper"]
        table = national[["measure", "description", "rate", *indices]].copy()
        table[indices] = table[indices].astype(object)
        withheld = []
        for i, measure in enumerate(table["measure"]):
            why = why_index_withheld(deciles[deciles["measure"] == measure], min_chart)
            if why is None and not np.isfinite(float(table.at[i, "sii"])):
                why = "fewer than 5 deciles have any records"
            if why is not None:
                table.loc[i, indices] = "not shown"
                withheld.append(f"{table.at[i, 'description']} ({why})")
        items.append(show(table.drop(columns=["measure"]), "inequality"))
        if withheld:
            items.append(
                "Indices not shown, because too few records support them: "
                + "; ".join(withheld)
                + "."
            )
    dna = rates[(rates["measure"] == "dna_rate") & (rates["grouping"] == "imd_decile")]
    if not dna.empty:
        table = rate_table(dna, "inequality_rates", "group", "rate", data.disclosure_control)
        items.append(
            charts.proportion_bars(
                table.assign(rate=numeric(table["rate"])),
                "group",
                "rate",
                "rate_lower",
                "rate_upper",
                title="Did-not-attend rate by IMD decile (England)",
                x_label="DNA rate",
                not_shown=not_charted_reasons(table, "rate", "denominator", min_chart),
            )
        )
    return items


def by_organisation_dna(data: ReportData) -> list:
    """The did-not-attend rate of each organisation inside this one (the regions of England;
    the ICBs of residence and the providers based in a region; the providers of an ICB), with
    the contacts it rests on, largest first."""
    return by_organisation(
        data,
        "contact_outcomes",
        ["contacts", "attended_or_dna", "dna", "dna_rate"],
        ["contacts", "attended_or_dna", "dna"],
        "attended_or_dna",
        "The did-not-attend rate",
    )
