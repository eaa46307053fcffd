"""Rows rejected at ingest, counted by table, provider, column and reason (MEASURES.md 1-2).

A rejected row can have several reasons; each reason is counted once for the row. The counts
come from the store's rejects tables, so they break down by the provider code each row carried.
"""

from __future__ import annotations

import pandas as pd

from workbench.spec import TABLES


def rejects_by_reason(store, by_provider: bool = True) -> pd.DataFrame:
    """``table, [provider], column, reason, rows``: rejected rows by reason, largest first."""
    frames = []
    for name in TABLES:
        rejects = store.rejects(name)
        reasons = rejects.select(
            provider=rejects.provider_code.fill_null("Not known"), reason=rejects.reasons.unnest()
        )
        keys = ["provider", "reason"] if by_provider else ["reason"]
        counted = reasons.group_by(keys).aggregate(rows=reasons.count()).to_pandas()
        counted.insert(0, "table", name)
        frames.append(counted)
    frame = pd.concat(frames, ignore_index=True)
    split = frame["reason"].str.split(": ", n=1, expand=True)
    frame["column"] = split[0] if len(frame) else pd.Series(dtype=str)
    frame["reason"] = split[1] if len(frame) else pd.Series(dtype=str)
    order = ["table", *(["provider"] if by_provider else []), "column", "reason", "rows"]
    frame = frame[order].sort_values(["table", "rows"], ascending=[True, False], kind="stable")
    return frame.reset_index(drop=True)
