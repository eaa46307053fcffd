"""The vectorised row bookkeeping of grouping-sets results gives what the per-row code gave:
a row's set from its GROUPING() flags, and rows in breakdown order from whole-column sort
codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.breakdowns import IMD_DECILE, NOT_KNOWN
from workbench.measures.grouping_sets import _set_of_rows, group_order, rows_in_group_order


def _set_of_rows_one_by_one(flags: pd.DataFrame, keys: list[str], sets: list) -> list[int]:
    lookup = {tuple(0 if k in s else 1 for k in keys): i for i, s in enumerate(sets)}
    return [lookup[tuple(row)] for row in flags.astype("int64").to_numpy()]


def test_set_of_rows_equals_the_per_row_lookup() -> None:
    keys = ["provider", "month", "service"]
    sets = [("provider", "month"), ("provider",), (), ("month", "service"), ("service",)]
    rng = np.random.default_rng(1)
    chosen = rng.integers(0, len(sets), 500)
    flags = pd.DataFrame(
        {f"_g_{k}": [0 if k in sets[i] else 1 for i in chosen] for k in keys}, dtype="int32"
    )
    got = _set_of_rows(flags, keys, sets)
    assert got.tolist() == chosen.tolist()
    assert got.tolist() == _set_of_rows_one_by_one(flags, keys, sets)
    assert _set_of_rows(flags.iloc[:0], keys, sets).tolist() == []


def test_a_row_of_a_set_not_asked_for_is_an_error() -> None:
    flags = pd.DataFrame({"_g_a": [1], "_g_b": [0]})
    with pytest.raises(KeyError):
        _set_of_rows(flags, ["a", "b"], [("a", "b")])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rows_in_group_order_equals_sorting_each_subset(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 400
    deciles = np.array([*[str(d) for d in range(1, 11)], NOT_KNOWN, None], dtype=object)
    frame = pd.DataFrame(
        {
            "provider": rng.choice(np.array(["SYN02", "SYN01", "SYN10", None], dtype=object), n),
            IMD_DECILE: rng.choice(deciles, n),
            "month": rng.integers(0, 6, n),
        }
    )
    codes: dict[str, np.ndarray] = {}
    for by in (["provider"], [IMD_DECILE, "month"], ["provider", IMD_DECILE], [], ["month"]):
        rows = np.sort(rng.choice(n, size=int(rng.integers(0, n)), replace=False))
        want = rows[group_order(frame.take(rows), by)]
        assert rows_in_group_order(frame, rows, by, codes).tolist() == want.tolist()
