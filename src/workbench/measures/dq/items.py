"""Per data item quality: records, complete, valid, default, known (measures.md section 2).

- complete: value present (not null, not blank).
- valid: complete and inside the item's value set (the spec's code list, or the shipped LSOA
  lookup of its census year) or format (the spec's pattern); a number or date that survived
  ingest is valid (ingest rejects what cannot be parsed or is impossible); an assessment score is
  valid inside its tool's range.
- default: valid but a "not known / not stated" code of the value set.
- known: valid and not default.
Each is a count and a percentage of records with a 95% Wilson interval.

Item quality is about every item of every table, so it reads the store's tables (the records
in scope: :mod:`workbench.measures.dq.population`); each table's items are counted for every
grouping set (provider, England) in one query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from workbench.breakdowns import check_breakdowns, month_of
from workbench.geography import geography, lsoa21_codes
from workbench.measures.declare import AggregateTable, Measure, columns, count, label, percentage
from workbench.measures.dq.population import (
    PERSON_KEY,
    active_months,
    active_persons,
    in_period,
    period_of,
)
from workbench.measures.grouping_sets import SET_COLUMN, by_month_or_period, unique_sets
from workbench.period import Period
from workbench.spec import ASSESSMENT_TOOLS, TABLES, VALUE_SETS, Column
from workbench.stats import percentage_with_interval

if TYPE_CHECKING:
    from workbench.store import Store


MEASURE_COLUMNS = ("complete", "valid", "default", "known")
#: The breakdowns of item quality: every table carries the provider; month is the month of the
#: event date (:func:`table_by_month`).
ITEM_BREAKDOWNS = ("provider", "month")


def _flags(table: ir.Table, column: Column, lookups: dict[str, ir.Column]) -> dict[str, ir.Value]:
    """The item's ``complete`` flag, and its ``valid`` and ``default`` flags where they can
    differ from complete and from false (known = valid and not default, worked out from the
    counts: a default is always valid)."""
    value = table[column.name]
    if column.dtype in ("string", "code"):
        complete = value.notnull() & (value.strip() != "")
    else:
        complete = value.notnull()
    flags: dict[str, ir.Value] = {"complete": complete}
    defaults: list[str] = []
    if column.value_set in lookups:
        valid = complete & value.isin(lookups[column.value_set])
    elif column.value_set:
        value_set = VALUE_SETS[column.value_set]
        valid = complete & value.isin(list(value_set.codes))
        defaults = list(value_set.defaults)
    elif column.pattern:
        valid = complete & value.re_search(column.pattern)
    elif column.name == "score":
        in_range = ibis.or_(
            *[
                (table.assessment_tool == t.code) & value.between(t.minimum, t.maximum)
                for t in ASSESSMENT_TOOLS
            ]
        )
        valid = complete & in_range
    else:
        return flags
    flags["valid"] = valid
    if defaults:
        flags["default"] = valid & value.isin(defaults)
    return flags


def table_in_scope(
    store: Store,
    name: str,
    period_start: dt.date | str | None = None,
    period_end: dt.date | str | None = None,
) -> ir.Table:
    """The records of one table that a data quality measure counts for the period."""
    if name == "mpi":
        return active_persons(store, period_start, period_end)
    return in_period(store[name], name, period_start, period_end)


def table_by_month(
    store: Store,
    name: str,
    period_start: dt.date | str | None = None,
    period_end: dt.date | str | None = None,
) -> ir.Table:
    """The records of one table in scope with ``month``: the month of the event date (of the
    submission date where the event date is missing); MPI rows once per month in which the
    person had activity."""
    if name == "mpi":
        months = active_months(store, period_start, period_end)
        return store["mpi"].join(months, list(PERSON_KEY))
    records = in_period(store[name], name, period_start, period_end)
    event = records[TABLES[name].event_date]
    return records.mutate(month=month_of(ibis.coalesce(event, records.submission_date)))


def add_percentages(
    frame: pd.DataFrame, columns: Sequence[str] = MEASURE_COLUMNS, total: str = "records"
) -> pd.DataFrame:
    """Add ``pct_<c>``, ``pct_<c>_lower`` and ``pct_<c>_upper`` (Wilson 95%) for each count."""
    for col in columns:
        frame[f"pct_{col}"], frame[f"pct_{col}_lower"], frame[f"pct_{col}_upper"] = (
            percentage_with_interval(frame[col], frame[total])
        )
    return frame


def _sums_by_sets(
    finest: pd.DataFrame, sets: list[tuple[str, ...]], names: list[str]
) -> pd.DataFrame:
    """Counts (sums) for every grouping set, as
    :func:`workbench.measures.grouping_sets.aggregate_by_sets` returns them, from ``finest``:
    the counts of one query grouped by every breakdown of the sets. A count of a wider set is
    the sum of the counts of its groups, so the wider sets are added up in pandas (a handful
    of rows) rather than by the engine. Only for counts: a median or percentile cannot be
    added up."""
    keys = list(dict.fromkeys(k for s in sets for k in s))
    parts = []
    for i, s in enumerate(sets):
        if set(s) == set(keys):
            part = finest.copy()
        elif s:
            part = finest.groupby(list(s), as_index=False, dropna=False)[names].sum()
        else:
            part = finest[names].sum().to_frame().T
        part[names] = part[names].fillna(0).astype("int64")  # a sum over no records is 0
        part[SET_COLUMN] = i
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _table_items(
    store: Store,
    name: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    sets: list[tuple[str, ...]],
    lookups: dict[str, ir.Column],
) -> pd.DataFrame:
    """One table's items for every grouping set, from one query, in long form."""
    spec = TABLES[name]

    def run(chosen: list[tuple[str, ...]], monthly: bool) -> pd.DataFrame:
        if monthly:
            records = table_by_month(store, name, period_start, period_end)
        else:
            records = table_in_scope(store, name, period_start, period_end)
        records = records.mutate(provider=records.provider_code)
        aggregates: dict[str, ir.Value] = {"records": records.count()}
        for column in spec.columns:
            for measure, flag in _flags(records, column, lookups).items():
                aggregates[f"{column.name}__{measure}"] = flag.cast("int64").sum()
        keys = list(dict.fromkeys(k for s in chosen for k in s))

        def finest() -> pd.DataFrame:  # item quality and the DQMI share it (Store.kept)
            grouped = records.group_by(keys) if keys else records
            return grouped.aggregate(**aggregates).to_pandas()

        counts = store.kept(("item counts", name, period_start, period_end, monthly, *keys), finest)
        return _sums_by_sets(counts, chosen, list(aggregates))

    wide = by_month_or_period(sets, run)
    keys = [k for k in ITEM_BREAKDOWNS if k in wide.columns]
    wide = wide.sort_values([SET_COLUMN, *keys], kind="stable").reset_index(drop=True)
    if "month" in keys:  # every set with a month has one; a set without has none
        wide["month"] = wide["month"].astype(object)

    items = [c.name for c in spec.columns]
    n = len(wide)

    def stacked(measure: str, fallback: np.ndarray | None = None) -> np.ndarray:
        out = []
        for item in items:
            col = f"{item}__{measure}"
            if col in wide.columns:
                out.append(wide[col].fillna(0).to_numpy(dtype="int64"))
            elif fallback is not None:
                out.append(fallback[len(out) * n : (len(out) + 1) * n])
            else:
                out.append(np.zeros(n, dtype="int64"))
        return np.concatenate(out) if out else np.zeros(0, dtype="int64")

    long = {
        "table": np.full(n * len(items), name, dtype=object),
        "item": np.repeat(np.array(items, dtype=object), n),
        **{k: np.tile(wide[k].to_numpy(dtype=object), len(items)) for k in keys},
        SET_COLUMN: np.tile(wide[SET_COLUMN].to_numpy(dtype="int64"), len(items)),
        "records": np.tile(wide["records"].fillna(0).to_numpy(dtype="int64"), len(items)),
    }
    long["complete"] = stacked("complete")
    long["valid"] = stacked("valid", fallback=long["complete"])
    long["default"] = stacked("default")
    long["known"] = long["valid"] - long["default"]
    return pd.DataFrame(long)


def item_quality_by_sets(
    store: Store,
    period: Period | None,
    sets: Sequence[Sequence[str]],
    tables: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Item quality for every grouping set (``provider`` or none), one query per table (the
    counts are grouped by provider and added up for England: :func:`_sums_by_sets`)."""
    sets = unique_sets(sets)
    start, end = (None, None) if period is None else (period.start, period.end)
    lookups = {"lsoa11": geography(store).lsoa, "lsoa21": lsoa21_codes(store).lsoa}
    frames = [_table_items(store, name, start, end, sets, lookups) for name in (tables or TABLES)]
    frame = pd.concat(frames, ignore_index=True)
    frame["records"] = frame["records"].fillna(0).astype("int64")
    return add_percentages(frame)


def item_quality(
    store: Store,
    period_start: dt.date | str | None = None,
    period_end: dt.date | str | None = None,
    by: str | Sequence[str] | None = None,
    tables: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Completeness, validity, defaults and known values of every data item of every table.

    ``by`` may name ``provider`` (every table carries the provider) and ``month`` (of the event
    date; for MPI items, the persons with activity in each month); other breakdowns belong to
    the ethnicity, deprivation and readiness measures, which are person-based.
    Returns one row per table, item and group: ``table, item, [provider], records, complete,
    valid, default, known`` and ``pct_*`` with Wilson intervals.
    """
    by = ITEMS.check_breakdowns(check_breakdowns(by))
    frame = item_quality_by_sets(store, period_of(period_start, period_end), [tuple(by)], tables)
    return frame.drop(columns=[SET_COLUMN])


def _item_quality_by_sets(
    store: Store, period: Period, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    return item_quality_by_sets(store, period, sets)


def _item_columns() -> tuple:
    labels = {
        "complete": "complete (present)",
        "valid": "valid",
        "default": "a default (not known / not stated) code",
        "known": "known (valid, not a default)",
    }
    return columns(
        label("table", "Table"),
        label("item", "Data item"),
        count("records", "Records in scope", "records"),
        *(count(m, f"Records with the item {labels[m]}", "records") for m in MEASURE_COLUMNS),
        *(percentage(f"pct_{m}", f"% {m}", m, "records") for m in MEASURE_COLUMNS),
    )


ITEMS = Measure(
    family="dq",
    name="items",
    title="Completeness and validity of every data item",
    section="2",
    function=item_quality,
    grouped=_item_quality_by_sets,
    facts=("person_months",),
    breakdowns=ITEM_BREAKDOWNS,
    columns=_item_columns(),
    tables=(AggregateTable("item_quality", levels=("provider", "england")),),
    notes="Reads every table of the store (every item of every record in scope).",
)

MEASURES = (ITEMS,)
