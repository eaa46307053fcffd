"""The data quality report (MEASURES.md section 2): per-item completeness and validity,
ethnicity and deprivation in detail, Core20PLUS5 readiness, the DQMI-style score, rejects from
ingest, the monthly trend and the organisation among its peers."""

from __future__ import annotations

import pandas as pd

from workbench import charts
from workbench.measures.dq.items import add_percentages
from workbench.reports import narrative as say
from workbench.reports.data import ReportData
from workbench.reports.sections.common import numeric, rate_table
from workbench.reports.tables import controlled, show

ITEM_COUNTS = ["records", "complete", "valid", "default", "known"]
NAMES = {
    "table": "Table",
    "item": "Data item",
    "records": "Records",
    "complete": "Complete",
    "valid": "Valid",
    "default": "Not known code",
    "known": "Known",
    "pct_complete": "% complete",
    "pct_valid": "% valid",
    "pct_known": "% known",
    "rating": "Rating (% known)",
    "month": "Month",
    "not_stated": "Not stated (Z)",
    "not_known": "Not known (99)",
    "missing": "Missing",
    "invalid": "Invalid",
    "pct_ethnicity_known": "% ethnicity known",
    "pct_deprivation_known": "% LSOA known",
    "pct_both_known": "% both known",
    "pct_core20": "% in Core20 (of known)",
    "catchment_pct_core20": "Catchment % Core20",
    "national_pct_core20": "England % Core20",
    "lsoa_2021_only": "Only a 2021 LSOA",
    "area": "Clinical area",
    "population": "Population",
    "referrals": "Referrals",
    "org_code": "Provider",
    "dqmi": "DQMI-style score",
    "mean_item_score": "Mean item score",
    "coverage": "Coverage",
    "column": "Column",
    "reason": "Reason",
    "rows": "Rows",
}


def submitted(data: ReportData, name: str, counts: list[str], keys: list[str] | None = None):
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


def items(data: ReportData, dc: bool = True) -> list:
    """Every data item: records, complete, valid, not-known codes and known, rated."""
    frame = submitted(data, "item_quality", ITEM_COUNTS, ["table", "item"])
    if data.level not in ("provider", "england"):
        frame = add_percentages(frame)
    if frame.empty:
        return ["No records in the period."]
    table = controlled(
        frame,
        ITEM_COUNTS,
        {f"pct_{c}": (c, "records") for c in ("complete", "valid", "known")},
        labels=["table", "item"],
        enabled=dc,
    )
    table = charts.rating_table(table.assign(pct_known=numeric(table["pct_known"])), "pct_known")
    keep = ["table", "item", "records", "pct_complete", "pct_valid", "pct_known", "rating"]
    return [show(table[[c for c in keep if c in table]], NAMES)]


def _coded(data: ReportData, dc: bool, name: str, counts: list[str], subject: str) -> list:
    frame = submitted(data, name, counts)
    if frame.empty:
        return []
    table = controlled(frame, counts, {"pct_known": ("known", "records")}, enabled=dc)
    row = table.iloc[0]
    rating = charts.rating_label(numeric(table["pct_known"]).iloc[0])
    return [
        say.share_sentence(
            subject,
            row["pct_known"],
            row["pct_known_lower"],
            row["pct_known_upper"],
            "people with activity",
            row["records"],
        )
        + f" Rating: {rating}.",
        show(table, NAMES),
    ]


def ethnicity(data: ReportData, dc: bool = True) -> list:
    """Ethnicity coding of persons with activity: known, Z, 99, missing, invalid."""
    counts = ["records", "known", "not_stated", "not_known", "missing", "invalid"]
    return _coded(data, dc, "ethnicity_quality", counts, "Ethnicity known")


def deprivation(data: ReportData, dc: bool = True) -> list:
    """Deprivation coding: a valid 2011 LSOA (an IMD decile), missing, invalid."""
    counts = ["records", "known", "missing", "invalid", "lsoa_2021_only"]
    return _coded(
        data, dc, "deprivation_quality", counts, "A valid 2011 LSOA (and so an IMD decile)"
    )


def core20plus5(data: ReportData, dc: bool = True) -> list:
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
            ["records", "ethnicity_known", "deprivation_known", "both_known", "core20"],
            {
                "pct_ethnicity_known": ("ethnicity_known", "records"),
                "pct_deprivation_known": ("deprivation_known", "records"),
                "pct_both_known": ("both_known", "records"),
                "pct_core20": ("core20", "deprivation_known"),
            },
            enabled=dc,
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
        items.append(show(table[keep], NAMES))
    areas = data.table("clinical_area_coding")
    if not areas.empty:
        items.append(
            show(controlled(areas, ["referrals"], labels=["population", "area"], enabled=dc), NAMES)
        )
    return items


def dqmi(data: ReportData, dc: bool = True) -> list:
    """The DQMI-style score of each provider in the organisation."""
    frame = data.provider_rows("dqmi")[["org_code", "mean_item_score", "coverage", "dqmi"]]
    if frame.empty:
        return []
    return [show(frame.sort_values("dqmi"), NAMES)]


def rejects(data: ReportData, dc: bool = True) -> list:
    """Rows rejected at ingest, by table, column and reason."""
    frame = data.provider_rollup("rejects", ["table", "column", "reason"], ["rows"])
    if frame.empty:
        return ["No rows were rejected at ingest."]
    return [
        show(
            controlled(
                frame.sort_values("rows", ascending=False),
                ["rows"],
                labels=["table", "column", "reason"],
                enabled=dc,
            ),
            NAMES,
        )
    ]


def trend(data: ReportData, dc: bool = True) -> list:
    """Ethnicity known % by month as an SPC chart against the 95% 'good' threshold."""
    frame = submitted(data, "ethnicity_quality_monthly", ["records", "known"], ["month"])
    if frame.empty:
        return []
    table = rate_table(frame, "month", "pct_known", "known", "records", dc)
    return [
        charts.spc_chart(
            numeric(table["pct_known"]).to_numpy(),
            table["month"].tolist(),
            title="Ethnicity known, by month",
            y_label="% of people with activity",
            target=95.0,
        )
    ]


def peers(data: ReportData, dc: bool = True) -> list:
    """Ethnicity known % of every provider (the submitters) on a funnel plot."""
    frame = data.peers("ethnicity_quality", level="provider")
    if frame.empty:
        return []
    table = controlled(frame, ["records", "known"], labels=["org_code"], enabled=dc)
    x, n = numeric(table["known"]), numeric(table["records"])
    keep = x.notna() & n.notna()
    return [
        charts.funnel_plot(
            x[keep].to_numpy(),
            n[keep].to_numpy(),
            table.loc[keep, "org_code"].tolist(),
            highlight=data.code if data.level == "provider" else None,
            title="Ethnicity known: providers compared",
            y_label="% of people with ethnicity known",
            target=95.0,
        )
    ]
