"""Per data item quality: records, complete, valid, default, known (MEASURES.md section 2).

- complete: value present (not null, not blank).
- valid: complete and inside the item's value set (the spec's code list, or the shipped LSOA
  lookup of its census year) or format (the spec's pattern); a number or date that survived
  ingest is valid (ingest rejects what cannot be parsed or is impossible); an assessment score is
  valid inside its tool's range.
- default: valid but a "not known / not stated" code of the value set.
- known: valid and not default.
Each is a count and a percentage of records with a 95% Wilson interval.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from workbench.measures.dq.population import active_persons, in_period
from workbench.measures.grouping import breakdowns
from workbench.measures.reference_tables import geography, lsoa21_codes
from workbench.spec import ASSESSMENT_TOOLS, TABLES, VALUE_SETS, Column
from workbench.stats import percentage_with_interval

MEASURE_COLUMNS = ("complete", "valid", "default", "known")


def _flags(table: ir.Table, column: Column, lookups: dict[str, ir.Column]) -> dict[str, ir.Value]:
    value = table[column.name]
    if column.dtype in ("string", "code"):
        complete = value.notnull() & (value.strip() != "")
    else:
        complete = value.notnull()
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
        valid = complete
    default = valid & (value.isin(defaults) if defaults else ibis.literal(False))
    return {"complete": complete, "valid": valid, "default": default, "known": valid & ~default}


def table_in_scope(store, name: str, period_start=None, period_end=None) -> ir.Table:
    """The records of one table that a data quality measure counts for the period."""
    if name == "mpi":
        return active_persons(store, period_start, period_end)
    return in_period(store[name], name, period_start, period_end)


def add_percentages(frame: pd.DataFrame, columns=MEASURE_COLUMNS, total="records") -> pd.DataFrame:
    """Add ``pct_<c>``, ``pct_<c>_lower`` and ``pct_<c>_upper`` (Wilson 95%) for each count."""
    for col in columns:
        frame[f"pct_{col}"], frame[f"pct_{col}_lower"], frame[f"pct_{col}_upper"] = (
            percentage_with_interval(frame[col], frame[total])
        )
    return frame


def item_quality(store, period_start=None, period_end=None, by=None, tables=None) -> pd.DataFrame:
    """Completeness, validity, defaults and known values of every data item of every table.

    ``by`` may name ``provider`` (every table carries the provider); other breakdowns belong
    to the ethnicity, deprivation and readiness measures, which are person-based.
    Returns one row per table, item and group: ``table, item, [provider], records, complete,
    valid, default, known`` and ``pct_*`` with Wilson intervals.
    """
    by = breakdowns(by)
    if set(by) - {"provider"}:
        raise ValueError("item_quality breaks down by provider only")
    lookups = {"lsoa11": geography(store).lsoa, "lsoa21": lsoa21_codes(store).lsoa}
    frames = []
    for name in tables or TABLES:
        spec = TABLES[name]
        records = table_in_scope(store, name, period_start, period_end)
        if by:
            records = records.mutate(provider=records.provider_code)
        aggregates = {"records": records.count()}
        for column in spec.columns:
            flags = _flags(records, column, lookups)
            for measure, flag in flags.items():
                aggregates[f"{column.name}__{measure}"] = flag.cast("int64").sum()
        expr = (
            records.group_by(by).aggregate(**aggregates) if by else records.aggregate(**aggregates)
        )
        wide = expr.to_pandas()
        if by:
            wide = wide.sort_values(by, kind="stable").reset_index(drop=True)
        for column in spec.columns:
            part = wide[[*by, "records"]].copy()
            part.insert(0, "item", column.name)
            part.insert(0, "table", name)
            for measure in MEASURE_COLUMNS:
                part[measure] = wide[f"{column.name}__{measure}"].fillna(0).astype("int64")
            frames.append(part)
    frame = pd.concat(frames, ignore_index=True)
    frame["records"] = frame["records"].fillna(0).astype("int64")
    return add_percentages(frame)
