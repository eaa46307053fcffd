"""Every aggregate in one pass: one query groups record-level facts by many sets of breakdowns.

Compute asks for a measure at every level (provider, ICB, region, England) and with several
extra breakdowns. Instead of one query per combination, :func:`aggregate_by_sets` compiles the
measure's aggregation once (Ibis) and turns its ``GROUP BY`` into ``GROUPING SETS`` (sqlglot), so
that the engine reads the records once and reduces them for every set together. DuckDB and Spark
both run grouping sets; percentiles stay exact in every set because each set is reduced from the
records, never from another set's results.

``strategy="union"`` runs the same sets as a union of separate group-bys instead; the compute
benchmark measures both (the README records which is faster and why grouping sets are the default).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import sqlglot.expressions as sge

from workbench.breakdowns import IMD_DECILE, NOT_KNOWN

if TYPE_CHECKING:
    from ibis.backends import BaseBackend

SET_COLUMN = "_set"
STRATEGIES = ("grouping_sets", "union")
#: Environment variable choosing the strategy (the compute benchmark sets it to compare them).
STRATEGY_VARIABLE = "WORKBENCH_GROUPING"


def default_strategy() -> str:
    """``$WORKBENCH_GROUPING`` if set (``grouping_sets`` or ``union``), else grouping sets."""
    return os.environ.get(STRATEGY_VARIABLE) or "grouping_sets"


def unique_sets(sets: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """The grouping sets as tuples, duplicates (the same columns in any order) removed."""
    out: list[tuple[str, ...]] = []
    seen: set[frozenset[str]] = set()
    for s in sets:
        key = frozenset(s)
        if key not in seen:
            seen.add(key)
            out.append(tuple(s))
    return out


def _all_columns(sets: Sequence[tuple[str, ...]]) -> list[str]:
    out: list[str] = []
    for s in sets:
        out.extend(c for c in s if c not in out)
    return out


def _dialect(con: BaseBackend) -> str:
    return "spark" if con.name == "pyspark" else con.name


def _grouping_sets_sql(
    con: BaseBackend, expr: ir.Table, keys: list[str], sets: list[tuple[str, ...]]
) -> str:
    """The SQL of ``expr`` (an aggregation grouped by ``keys``) with its GROUP BY turned into
    GROUPING SETS, and one ``_g_<key>`` column per key (1 where the key is rolled up)."""
    dialect = _dialect(con)
    tree = con.compiler.to_sqlglot(expr)  # the query's syntax tree, not its text parsed again
    select = tree if isinstance(tree, sge.Select) else tree.find(sge.Select)
    assert select is not None and select.args.get("group") is not None
    projections = select.expressions
    key_exprs = {}
    for projection in projections[: len(keys)]:
        name = projection.alias_or_name
        inner = projection.this if isinstance(projection, sge.Alias) else projection
        key_exprs[name] = inner
    grouping = sge.GroupingSets(
        expressions=[
            sge.Tuple(expressions=[key_exprs[c].copy() for c in s]) if s else sge.Tuple()
            for s in sets
        ]
    )
    select.set("group", sge.Group(grouping_sets=[grouping]))
    for key in keys:
        flag = sge.Anonymous(this="GROUPING", expressions=[key_exprs[key].copy()])
        select.append("expressions", sge.alias_(flag, f"_g_{key}", quoted=True))
    return tree.sql(dialect=dialect)


def _fetch(con: BaseBackend, sql: str) -> pd.DataFrame:
    if con.name == "pyspark":
        return con._session.sql(sql).toPandas()
    return con.con.sql(sql).df()


def _set_of_rows(flags: pd.DataFrame, keys: list[str], sets: list[tuple[str, ...]]) -> np.ndarray:
    """The index in ``sets`` of each row's set, from its GROUPING() flags (1 where a key is
    rolled up), read as the bits of one integer per row."""
    bits = flags.astype("int64").to_numpy() << np.arange(len(keys), dtype=np.int64)
    codes, row_code = np.unique(bits.sum(axis=1), return_inverse=True)
    lookup = {sum(1 << j for j, k in enumerate(keys) if k not in s): i for i, s in enumerate(sets)}
    return np.array([lookup[int(c)] for c in codes], dtype=np.int64)[row_code.reshape(-1)]


def aggregate_by_sets(
    records: ir.Table,
    sets: Sequence[Sequence[str]],
    aggregates: Mapping[str, ir.Value],
    strategy: str | None = None,
) -> pd.DataFrame:
    """``aggregates`` of ``records`` for each grouping set in ``sets``, in one query.

    Returns a pandas frame with the union of the sets' columns (NaN where a column is not part
    of the row's set), the aggregates, and ``_set``: the index in ``sets`` (after duplicates are
    removed by :func:`unique_sets`) of the set each row belongs to. A set with no columns is the
    total, and always has one row, even over no records.
    """
    sets = unique_sets(sets)
    keys = _all_columns(sets)
    strategy = strategy or default_strategy()
    con = records._find_backend()
    if not keys:
        frame = records.aggregate(**aggregates).to_pandas()
        frame[SET_COLUMN] = 0
        return frame
    if strategy == "union":
        parts = []
        for i, s in enumerate(sets):
            part = (
                records.group_by(list(s)).aggregate(**aggregates)
                if s
                else records.aggregate(**aggregates)
            )
            part = part.mutate(
                **{k: ibis.null(records[k].type()) for k in keys if k not in s},  # keep one schema
                **{SET_COLUMN: ibis.literal(i)},
            ).select(*keys, *aggregates, SET_COLUMN)
            parts.append(part)
        frame = ibis.union(*parts).to_pandas()
    elif strategy == "grouping_sets":
        expr = records.group_by(keys).aggregate(**aggregates)
        frame = _fetch(con, _grouping_sets_sql(con, expr, keys, sets))
        frame[SET_COLUMN] = _set_of_rows(frame[[f"_g_{k}" for k in keys]], keys, sets)
        frame = frame.drop(columns=[f"_g_{k}" for k in keys])
    else:
        raise ValueError(f"strategy must be one of {STRATEGIES}")
    if () in sets and not (frame[SET_COLUMN] == sets.index(())).any():
        total = records.aggregate(**aggregates).to_pandas()
        total[SET_COLUMN] = sets.index(())
        frame = pd.concat([frame, total], ignore_index=True)
    # Spark gives an empty result's columns as floats, and concat keeps them so
    frame[SET_COLUMN] = frame[SET_COLUMN].astype("int64")
    return frame


def split_by_set(
    frame: pd.DataFrame, sets: Sequence[Sequence[str]]
) -> list[tuple[tuple[str, ...], pd.DataFrame]]:
    """The rows of :func:`aggregate_by_sets`' result for each set, with only that set's
    breakdown columns (and no ``_set`` column)."""
    sets = unique_sets(sets)
    keys = _all_columns(sets)
    out = []
    for i, s in enumerate(sets):
        part = frame[frame[SET_COLUMN] == i].drop(
            columns=[SET_COLUMN, *[k for k in keys if k not in s]]
        )
        out.append((s, part.reset_index(drop=True)))
    return out


def _sort_codes(values: pd.Series, name: str) -> np.ndarray:
    """Integers that sort as ``values`` do in a breakdown: IMD deciles in numeric order with
    "Not known" after them, anything else in its natural order; missing values last."""
    if name == IMD_DECILE:
        known = values.notna() & (values != NOT_KNOWN)
        codes = np.full(len(values), np.iinfo(np.int64).max, dtype=np.int64)
        codes[(values == NOT_KNOWN).to_numpy(dtype=bool, na_value=False)] = 1 << 40
        codes[known.to_numpy(dtype=bool)] = values[known].astype(int).to_numpy()
        return codes
    codes, uniques = pd.factorize(values, sort=True)
    return np.where(codes < 0, len(uniques), codes)


def group_order(frame: pd.DataFrame, by: Sequence[str]) -> np.ndarray:
    """The row positions of ``frame`` in breakdown order (:func:`sort_groups`): a stable sort by
    ``by``, first column first."""
    if not by or len(frame) < 2:
        return np.arange(len(frame))
    return np.lexsort([_sort_codes(frame[c], c) for c in reversed(by)])


def rows_in_group_order(
    frame: pd.DataFrame, rows: np.ndarray, by: Sequence[str], codes: dict[str, np.ndarray]
) -> np.ndarray:
    """``rows`` (positions in ``frame``) in breakdown order: what ``group_order`` gives for
    ``frame.take(rows)``, from sort codes of whole columns, made once per column and kept in
    ``codes``: codes that sort the whole column sort any of its rows the same way."""
    if not by or len(rows) < 2:
        return rows
    for c in by:
        if c not in codes:
            codes[c] = _sort_codes(frame[c], c)
    return rows[np.lexsort([codes[c][rows] for c in reversed(by)])]


def sort_groups(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``frame`` sorted by the breakdown columns, IMD deciles in numeric order, "Not known"
    last among deciles."""
    if not by or frame.empty:
        return frame.reset_index(drop=True)
    return frame.take(group_order(frame, by)).reset_index(drop=True)


def one_set(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """The rows of :func:`aggregate_by_sets`' result for the single set ``by``, sorted by the
    breakdowns, without the ``_set`` column: what a public measure function returns."""
    out = frame.drop(columns=[SET_COLUMN]) if SET_COLUMN in frame else frame
    order = list(by)
    if "month" in out and "month" not in order:  # a measure that is always by month
        order.insert(0, "month")
    return sort_groups(out.reset_index(drop=True), order)


def by_month_or_period(
    sets: Sequence[Sequence[str]], run: Callable[[list[tuple[str, ...]], bool], pd.DataFrame]
) -> pd.DataFrame:
    """Run a measure whose records differ when broken down by month (the list at each month
    end, persons active in each month) once for its monthly sets and once for the rest:
    ``run(sets, monthly)`` returns :func:`aggregate_by_sets`' result for ``sets``; the ``_set``
    numbers of the two results are mapped back to positions in ``sets``."""
    sets = unique_sets(sets)
    frames = []
    for monthly in (False, True):
        chosen = [i for i, s in enumerate(sets) if ("month" in s) == monthly]
        if not chosen:
            continue
        part = run([sets[i] for i in chosen], monthly)
        part[SET_COLUMN] = np.asarray(chosen, dtype=np.int64)[
            part[SET_COLUMN].to_numpy(dtype=np.int64)
        ]
        frames.append(part)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
