"""Rows rejected at ingest, counted by table, provider, column and reason (measures.md 1-2).

A rejected row can have several reasons; each reason is counted once for the row. The counts
come from the store's rejects tables, so they break down by the provider code each row carried
("Not known" where it had none). Every rejected row the store holds is counted, whatever the
period: a rejected row's dates are what could not be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import ibis
import pandas as pd

from workbench.ingest.validate import split_reasons
from workbench.measures.declare import AggregateTable, Measure, columns, count, label
from workbench.measures.grouping_sets import SET_COLUMN, aggregate_by_sets, unique_sets
from workbench.period import Period
from workbench.spec import TABLES

if TYPE_CHECKING:
    from workbench.store import Store


def rejects_by_sets(
    store: Store, period: Period | None, sets: Sequence[Sequence[str]]
) -> pd.DataFrame:
    """Rejected rows by table, reason and every grouping set (``provider`` or none), in one
    query over the rejects of every table."""
    sets = unique_sets(sets)
    reasons = []
    for name in TABLES:
        rejects = store.rejects(name)
        reasons.append(
            rejects.select(
                table=ibis.literal(name),
                provider=rejects.provider_code.fill_null("Not known"),
                reason=rejects.reasons.unnest(),
            )
        )
    records = ibis.union(*reasons)
    frame = aggregate_by_sets(
        records, [("table", *s, "reason") for s in sets], {"rows": records.count()}
    )
    frame["rows"] = frame["rows"].fillna(0).astype("int64")
    split = split_reasons(frame["reason"])
    frame["column"], frame["reason"] = split["column"], split["problem"]
    keys = [k for k in ("provider",) if k in frame.columns]
    frame = frame[["table", *keys, "column", "reason", "rows", SET_COLUMN]]
    order = ["table", "rows", *keys, "column", "reason"]
    frame = frame.sort_values(order, ascending=[True, False, *[True] * (len(order) - 2)])
    return frame.reset_index(drop=True)


def rejects_by_reason(store: Store, by_provider: bool = True) -> pd.DataFrame:
    """``table, [provider], column, reason, rows``: rejected rows by reason, largest first
    (ties in provider, column and reason order)."""
    by = ["provider"] if by_provider else []
    frame = rejects_by_sets(store, None, [tuple(by)]).drop(columns=[SET_COLUMN])
    return frame.reset_index(drop=True)


REJECTS = Measure(
    family="dq",
    name="rejects",
    title="Rows rejected at ingest, by reason",
    section="2",
    function=rejects_by_reason,
    grouped=rejects_by_sets,
    facts=(),
    breakdowns=("provider",),
    columns=columns(
        label("table", "Table"),
        label("column", "Column"),
        label("reason", "Reason for rejection"),
        count("rows", "Rows rejected", "rows"),
    ),
    tables=(AggregateTable("rejects", levels=("provider",)),),
    notes="Counts every rejected row the store holds, whatever the period.",
)

MEASURES = (REJECTS,)
