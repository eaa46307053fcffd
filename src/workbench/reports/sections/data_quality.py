"""The data quality report (measures.md section 2): per-item completeness and validity,
ethnicity and deprivation in detail, Core20PLUS5 readiness, the DQMI-style score, rejects from
ingest, the monthly trend and the organisation among its peers."""

from __future__ import annotations

import pandas as pd

from workbench import charts
from workbench.measures.dq.items import add_percentages
from workbench.measures.dq.labels import OPTIONAL_NOT_RATED, is_rated, item_label, table_label
from workbench.reports import narrative as say
from workbench.reports.data import ReportData
from workbench.reports.sections.common import (
    SEEN,
    by_organisation,
    charted,
    funnel_peers,
    numeric,
    rate_table,
    whose,
)
from workbench.reports.tables import controlled, show

ITEM_COUNTS = ["records", "complete", "valid", "default", "known"]
#: Labels of the columns this section adds to the registry's (a rating is presentation).
RATING_LABEL = {"rating": "Rating (% known)"}


def submitted(
    data: ReportData, name: str, counts: list[str], keys: list[str] | None = None
) -> pd.DataFrame:
    """A data quality table for the organisation's submitters: a provider or England as
    computed; an ICB or region as the sum of the providers whose home it is. (By residence, every
    person placed in an ICB has a valid LSOA, so residence-based completeness would flatter.)"""
    if data.level in ("provider", "england"):
        return data.table(name)
    if keys:
        return data.provider_rollup(name, keys, counts)
    rows = data.provider_rows(name)
    if rows.empty:
        return rows
    return rows[counts].sum().to_frame().T


def _named_items(frame: pd.DataFrame, item: str = "item") -> pd.DataFrame:
    """``frame`` with its extract table and data item names in words (measures.md section 7:
    no internal name reaches a reader)."""
    return frame.assign(
        table=frame["table"].map(table_label), **{item: frame[item].map(item_label)}
    )


def items(data: ReportData) -> list:
    """Every data item: records, complete, valid, not-known codes and known; rated only where
    the item is expected of every record in scope (mandatory or required), optional items shown
    without a rating (:mod:`workbench.measures.dq.labels`)."""
    frame = submitted(data, "item_quality", ITEM_COUNTS, ["table", "item"])
    if data.level not in ("provider", "england"):
        frame = add_percentages(frame)
    if frame.empty:
        return ["No records in the period."]
    table = controlled(
        frame,
        "item_quality",
        ["records", "pct_complete", "pct_valid", "pct_known"],
        labels=["table", "item"],
        enabled=data.disclosure_control,
    )
    # rated from the exact percentage (a rating is a complex calculation, measures.md section
    # 7), where the page shows one; the percentage shown stays at its controlled precision
    shown_known = table["pct_known"].to_numpy()
    exact = numeric(frame["pct_known"]).to_numpy() if "pct_known" in frame else shown_known
    exact = pd.Series(exact, index=table.index).where(numeric(table["pct_known"]).notna())
    table = charts.rating_table(table.assign(pct_known=exact), "pct_known")
    table["pct_known"] = shown_known
    rated = [is_rated(t, i) for t, i in zip(table["table"], table["item"], strict=True)]
    table["rating"] = table["rating"].where(rated, OPTIONAL_NOT_RATED)
    table = _named_items(table)
    keep = ["table", "item", "records", "pct_complete", "pct_valid", "pct_known", "rating"]
    return [show(table[[c for c in keep if c in table]], "item_quality", RATING_LABEL)]


def _coded(data: ReportData, name: str, counts: list[str], subject: str) -> list:
    frame = submitted(data, name, counts)
    if frame.empty:
        return []
    table = controlled(frame, name, [*counts, "pct_known"], enabled=data.disclosure_control)
    row = table.iloc[0]
    records, known = float(frame["records"].iloc[0]), float(frame["known"].iloc[0])
    shown = numeric(table["pct_known"]).iloc[0]  # rated from the exact share, where shown
    rating = charts.rating_label(known / records * 100 if records and pd.notna(shown) else shown)
    return [
        say.share_sentence(
            subject,
            row["pct_known"],
            row["pct_known_lower"],
            row["pct_known_upper"],
            "people with activity " + whose(data, SEEN).replace("of people seen", "seen"),
            row["records"],
        )
        + f" Rating: {rating}.",
        show(table, name),
    ]


def ethnicity(data: ReportData) -> list:
    """Ethnicity coding of persons with activity: known, Z, 99, missing, invalid."""
    counts = ["records", "known", "not_stated", "not_known", "missing", "invalid"]
    return _coded(data, "ethnicity_quality", counts, "Ethnicity known")


def deprivation(data: ReportData) -> list:
    """Deprivation coding: a valid 2011 LSOA (an IMD decile), missing, invalid."""
    counts = ["records", "known", "missing", "invalid", "lsoa_2021_only"]
    return _coded(data, "deprivation_quality", counts, "A valid 2011 LSOA (and so an IMD decile)")


def core20plus5(data: ReportData) -> list:
    """Readiness for Core20PLUS5 work: both known, Core20 share beside the catchment's, and
    coding of the clinical areas."""
    counts = [
        "records",
        "ethnicity_known",
        "deprivation_known",
        "both_known",
        "core20",
        "referrals",
        "with_primary_diagnosis",
    ]
    frame = submitted(data, "core20plus5_readiness", counts)
    residence = data.table("core20plus5_readiness")
    items = []
    if not frame.empty:
        frame = frame.assign(
            catchment_pct_core20=residence["catchment_pct_core20"].iloc[0]
            if len(residence)
            else float("nan"),
            national_pct_core20=20.0,
        )
        table = controlled(
            frame,
            "core20plus5_readiness",
            [
                "records",
                "pct_ethnicity_known",
                "pct_deprivation_known",
                "pct_both_known",
                "pct_core20",
            ],
            enabled=data.disclosure_control,
        )
        table["catchment_pct_core20"] = frame["catchment_pct_core20"].to_numpy()
        table["national_pct_core20"] = frame["national_pct_core20"].to_numpy()
        row = table.iloc[0]
        items.append(
            f"Of people with a known IMD decile, {say.pct_text(row['pct_core20'])} live in the "
            "most deprived 20% of England (Core20), beside "
            + (
                f"{row['catchment_pct_core20']:.1f}% of the catchment's neighbourhoods and "
                if pd.notna(row["catchment_pct_core20"])
                else ""
            )
            + "20% nationally."
        )
        keep = [
            "records",
            "pct_ethnicity_known",
            "pct_deprivation_known",
            "pct_both_known",
            "pct_core20",
            "catchment_pct_core20",
            "national_pct_core20",
        ]
        items.append(show(table[keep], "core20plus5_readiness"))
    areas = data.table("clinical_area_coding")
    if not areas.empty:
        shown = controlled(
            areas,
            "clinical_area_coding",
            ["referrals"],
            labels=["population", "area"],
            enabled=data.disclosure_control,
        )
        items.append(show(shown, "clinical_area_coding"))
    return items


def coverage(data: ReportData) -> list:
    """The months each of the organisation's providers did not submit (every core table)."""
    frame = data.provider_rows("submission_coverage")
    if frame.empty:
        return ["No provider of this organisation submitted a core table."]
    short = frame[frame["months_not_submitted"] > 0]
    said = (
        "Every provider submitted every core table for every month of the period."
        if short.empty
        else f"{len(short)} of {len(frame)} providers missed at least one month: their "
        "figures for those months are missing, not zero."
    )
    keep = ["org_code", "months_expected", "months_submitted", "months_not_submitted"]
    shown = frame.sort_values(["months_not_submitted", "org_code"], ascending=[False, True])
    table = shown[[*keep, "months_missing"]]
    return [said, show(table, "submission_coverage", {"org_code": "Provider"})]


def dqmi(data: ReportData) -> list:
    """The DQMI-style score of each provider in the organisation."""
    frame = data.provider_rows("dqmi")[["org_code", "mean_item_score", "coverage", "dqmi"]]
    if frame.empty:
        return []
    # a share of expected submissions reads as a percentage, never "1.0"
    frame = frame.assign(coverage=(frame["coverage"] * 100).round(1))
    return [show(frame.sort_values("dqmi"), "dqmi", {"coverage": "Expected submissions made (%)"})]


def rejects(data: ReportData) -> list:
    """Rows rejected at ingest, by table, column and reason."""
    frame = data.provider_rollup("rejects", ["table", "column", "reason"], ["rows"])
    if frame.empty:
        return ["No rows were rejected at ingest."]
    shown = controlled(
        frame.sort_values("rows", ascending=False),
        "rejects",
        ["rows"],
        labels=["table", "column", "reason"],
        enabled=data.disclosure_control,
    )
    return [show(_named_items(shown, "column"), "rejects")]


def trend(data: ReportData) -> list:
    """Ethnicity known % by month as an SPC chart against the 95% 'good' threshold."""
    frame = submitted(data, "ethnicity_quality_monthly", ["records", "known"], ["month"])
    if frame.empty:
        return []
    table = rate_table(
        frame, "ethnicity_quality_monthly", "month", "pct_known", data.disclosure_control
    )
    return [
        charts.spc_chart(
            (drawn := charted(table, "pct_known", "records"))["values"],
            table["month"].tolist(),
            not_charted=drawn["not_charted"],
            title="Ethnicity known, by month",
            y_label="% of people with activity",
            target=95.0,
        )
    ]


def peers(data: ReportData) -> list:
    """Ethnicity known % of every provider (the submitters) on a funnel plot, with this
    organisation's providers (a provider, or those based in the ICB or region) highlighted."""
    frame, own = funnel_peers(data, "ethnicity_quality")
    if frame.empty:
        return []
    table = controlled(
        frame,
        "ethnicity_quality",
        ["records", "known"],
        labels=["org_code"],
        enabled=data.disclosure_control,
    )
    x, n = numeric(table["known"]), numeric(table["records"])
    keep = x.notna() & n.notna()
    return [
        charts.funnel_plot(
            x[keep].to_numpy(),
            n[keep].to_numpy(),
            table.loc[keep, "org_code"].tolist(),
            exact=(frame.loc[keep, "known"].to_numpy(), frame.loc[keep, "records"].to_numpy()),
            highlight=own,
            title=(
                "Ethnicity known: regions compared"
                if data.level == "england"
                else "Ethnicity known: providers compared"
            ),
            y_label="% of people with ethnicity known",
            target=95.0,
        )
    ]


def by_organisation_coding(data: ReportData) -> list:
    """Ethnicity and deprivation known for each organisation inside this one (providers based
    in a region or ICB, ICBs of residence of a region, regions of England)."""
    items: list = []
    for name, what, levels in (
        ("ethnicity_quality", "Ethnicity known", None),
        # everyone placed in an ICB or region of residence has a valid LSOA: by submitter only
        ("deprivation_quality", "A valid 2011 LSOA", ("provider",)),
    ):
        items += by_organisation(
            data,
            name,
            ["records", "pct_known"],
            ["records", "known"],
            "records",
            what,
            levels,
            total=SEEN,  # a region's or ICB's data quality counts its providers' people
        )
    return items
