"""Helpers the report sections share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbench import charts, reference
from workbench.breakdowns import BREAKDOWN_LABELS, NOT_KNOWN
from workbench.measures.registry import column_for
from workbench.reports.chartable import MIN_CHART_DENOMINATOR, not_charted_reasons
from workbench.reports.tables import column_label, controlled, largest_and_rest, show
from workbench.spec.service_lines import service_line_label

if TYPE_CHECKING:
    from workbench.reports.data import ReportData


def numeric(values: pd.Series) -> pd.Series:
    """A controlled column as numbers: suppressed ``"*"`` becomes NaN."""
    return pd.to_numeric(values.replace("*", np.nan), errors="coerce")


def team_type_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Replace service line codes with what a reader calls them: the name and whose service it
    is, "(adult)" or "(children and young people)" (measures.md section 7, "Service lines"), so
    no two lines share a label; "Not known" for a missing or invalid code."""
    if "team_type" not in frame:
        return frame
    out = frame.copy()
    out["team_type"] = out["team_type"].map(lambda c: service_line_label(str(c)) or NOT_KNOWN)
    return out


def _in_sentence(label: str) -> str:
    """A label inside a sentence: first letter lower case unless it starts an acronym (IMD)."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def charted(
    table: pd.DataFrame, rate: str, denominator: str, minimum: int = MIN_CHART_DENOMINATOR
) -> dict:
    """The values and ``not_charted`` words of a time chart of ``rate`` drawn from a
    controlled ``table``: NaN, with the reason, wherever its denominator as the table shows it
    is under ``minimum`` or the value is hidden (measures.md section 7), for
    :func:`workbench.charts.spc_chart`."""
    reasons = not_charted_reasons(table, rate, denominator, minimum)
    values = np.array(numeric(table[rate]), dtype="float64")  # a copy, to mark
    values[[r is not None for r in reasons]] = np.nan
    return {"values": values, "not_charted": reasons}


def rate_table(
    frame: pd.DataFrame,
    table: str,
    label: str,
    rate: str,
    enabled: bool,
    extra: list[str] | None = None,
) -> pd.DataFrame:
    """A controlled table of one rate of aggregate ``table`` by ``label``, with the counts it
    is made of, its interval and any ``extra`` columns."""
    return controlled(frame, table, [*(extra or []), rate], labels=[label], enabled=enabled)


def rate_by_breakdowns(
    data: ReportData,
    name: str,
    rate: str,
    x_label: str,
    breakdowns: Sequence[str] = ("age_group", "ethnic_group", "imd_quintile"),
    reference: float | None = None,
    reference_label: str | None = None,
    minimum: int = MIN_CHART_DENOMINATOR,
) -> list:
    """For each breakdown: interval bars of ``rate`` and its controlled table; a group whose
    denominator (as the table shows it) is under ``minimum`` gets no bar but "too few to chart"
    (measures.md section 7)."""
    what = column_label(name, rate)
    denominator = column_for(name, rate).denominator or ""
    items = []
    for breakdown in breakdowns:
        frame = data.table(name, breakdown)
        if frame.empty:
            continue
        table = rate_table(frame, name, breakdown, rate, data.disclosure_control)
        items.append(
            charts.proportion_bars(
                table.assign(**{rate: numeric(table[rate])}),
                breakdown,
                rate,
                f"{rate}_lower",
                f"{rate}_upper",
                title=f"{what} by {_in_sentence(BREAKDOWN_LABELS[breakdown])}",
                x_label=x_label,
                reference=reference,
                reference_label=reference_label,
                not_shown=not_charted_reasons(table, rate, denominator, minimum),
            )
        )
        items.append(show(table, name))
    return items


#: The column of a table of the organisations inside a region, ICB or England.
ORGANISATION = "organisation"
#: What a reader calls the organisations inside one, by their level.
INSIDE_LABELS = {"region": "Region", "icb": "ICB", "provider": "Provider"}


def organisation_names(level: str) -> dict[str, str]:
    """Reader's names of the organisations at ``level``: ICB and region names (from the shipped
    ODS lookup, with the code), providers by code."""
    icbs = reference.icb_regions()
    if level == "icb":
        return {
            c: f"{n} ({c})" for c, n in zip(icbs["icb_ods_code"], icbs["icb_name"], strict=True)
        }
    if level == "region":
        regions = icbs.drop_duplicates("nhser_ods_code")
        return {
            c: f"{n} ({c})"
            for c, n in zip(regions["nhser_ods_code"], regions["nhser_name"], strict=True)
        }
    return {}


def inside_levels(data: ReportData) -> list[str]:
    """The levels of the organisations a report breaks its figures down by (measures.md
    section 7, item 4 of the presentation rules): England by region, a region by its ICBs and
    the providers based in it, an ICB by the providers based in it; a provider by none."""
    return {
        "england": ["region"],
        "region": ["icb", "provider"],
        "icb": ["provider"],
    }.get(data.level, [])


#: What the row of the people with no known region of residence is called in England's tables.
NO_REGION = f"{NOT_KNOWN} (no region of residence)"


def organisations_inside(data: ReportData, name: str, level: str) -> pd.DataFrame:
    """Rows of aggregate ``name`` (no breakdown) for the organisations at ``level`` inside this
    one, with their names in :data:`ORGANISATION`. ICBs and regions are of residence (the
    ICBs whose region this is); providers are those based in the region or ICB (their whole
    activity). England's regions keep the row of people with no known region of residence
    (:data:`NO_REGION`), so the regions add up to England (measures.md section 7); a region's
    ICBs are those of its residents, so no unknown ICB belongs to it."""
    if level == "provider":
        rows = data.provider_rows(name)
    else:
        rows = data.peers(name, level=level)
        if data.level == "region" and level == "icb":
            icbs = reference.icb_regions()
            inside = set(icbs.loc[icbs["nhser_ods_code"] == data.code, "icb_ods_code"])
            rows = rows[rows["org_code"].isin(inside)]
        if not (data.level == "england" and level == "region"):
            rows = rows[rows["org_code"] != NOT_KNOWN]
    names = {**organisation_names(level), NOT_KNOWN: NO_REGION}
    rows = rows.assign(**{ORGANISATION: rows["org_code"].map(lambda c: names.get(c, c))})
    return rows.drop(columns=["org_code"]).reset_index(drop=True)


#: What an organisation's own total counts: its residents, or the people its providers saw.
RESIDENTS, SEEN = "residence", "provider"


def whose(data: ReportData, total: str = RESIDENTS) -> str:
    """In words, whose figures an organisation's own total counts (measures.md section 7):
    "in England"; "of people resident in London" (``total`` :data:`RESIDENTS`) or "of people
    seen by London's providers" (:data:`SEEN`); a provider's "of people seen by" it."""
    if data.level == "england":
        return "in England"
    if data.level == "provider" or total == SEEN:
        seen = data.name if data.level == "provider" else f"{data.name}'s providers"
        return f"of people seen by {seen}"
    return f"of people resident in {data.name}"


def basis(data: ReportData, level: str, total: str = RESIDENTS) -> str:
    """In words, what a table of the organisations at ``level`` inside this one counts, and
    how it relates to the organisation's own total above it, which counts ``total``
    (:data:`RESIDENTS` or :data:`SEEN`) (measures.md section 7: a total says what it counts,
    and a page that shows both says why they differ)."""
    name = data.name
    if data.level == "england":
        return (
            "Regions are of residence; the last row counts people with no known region of "
            "residence, so the rows add up to England's total."
        )
    own = (
        f"people resident in {name}" if total == RESIDENTS else f"people seen by {name}'s providers"
    )
    if level == "provider":
        rows = "people seen by the providers based in " + name + ", wherever they live"
    else:
        rows = f"people resident in each of {name}'s ICBs, whichever provider saw them"
    if (level == "provider") == (total == SEEN):
        return f"These rows count {rows}; together they make up {name}'s total above ({own})."
    return (
        f"These rows count {rows}, while {name}'s total above counts {own}: the two differ by "
        "the people who crossed the boundary either way."
    )


def by_organisation(
    data: ReportData,
    name: str,
    columns: Sequence[str],
    counts: Sequence[str],
    by: str,
    what: str,
    levels: Sequence[str] | None = None,
    total: str = RESIDENTS,
) -> list:
    """For each level inside this organisation (:func:`inside_levels`): a heading sentence, a
    sentence of what the rows count beside the organisation's own total, which counts ``total``
    (:func:`basis`), and a controlled table of ``columns`` of
    aggregate ``name`` by organisation, largest ``by`` first, long lists cut to the largest and
    "all other" (summed from ``counts``), any Not known row last; ``levels`` keeps only some
    of those levels."""
    items: list = []
    for level in inside_levels(data):
        if levels is not None and level not in levels:
            continue
        rows = organisations_inside(data, name, level)
        if rows.empty:
            continue
        rows = largest_and_rest(rows, ORGANISATION, counts, by, rest="All other organisations")
        table = controlled(
            rows, name, columns, labels=[ORGANISATION], enabled=data.disclosure_control
        )
        plural = "ICBs" if level == "icb" else f"{INSIDE_LABELS[level].lower()}s"
        where = (
            "of residence"
            if level in ("icb", "region")
            else f"based in {'this ICB' if data.level == 'icb' else 'this region'}"
        )
        items.append(f"**{what} by {plural} {where}.** {basis(data, level, total)}")
        items.append(show(table, name, {ORGANISATION: INSIDE_LABELS[level]}))
    if not items and data.level == "provider":
        return ["A provider report has no organisations inside it to break its figures down by."]
    return items


def funnel_peers(data: ReportData, name: str) -> tuple[pd.DataFrame, list[str] | None]:
    """The rows of aggregate ``name`` a funnel plot compares, and the organisations it rings.

    England compares its regions (none ringed); a provider, ICB or region report compares
    every provider and rings its own (the provider, or the providers based in the ICB or
    region), so a region sees its organisations among all of them. England's regions keep the
    people with no known region of residence as a point of their own, so the funnel's centre is
    England's figure (measures.md section 7)."""
    level = "region" if data.level == "england" else "provider"
    rows = data.peers(name, level=level).reset_index(drop=True)
    return rows, (None if data.level == "england" else data.providers)
