"""Disclosure control driven by the measure registry (measures.md section 7).

The registry says which output columns are counts, rates (with their numerator, denominator and
interval) and averages (with the count they rest on); this module turns that into the arguments
of :func:`workbench.disclosure.suppress_counts`, so that no other place declares a column's role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from workbench.breakdowns import BREAKDOWNS
from workbench.disclosure import SUPPRESSED, Rate, suppress_counts
from workbench.identifiers import record_level_reason
from workbench.measures.declare import OutputColumn
from workbench.stats import wilson_interval

#: Columns every aggregate row carries that are not about individuals.
ORGANISATION_COLUMNS = ("level", "org_code", "breakdown", "org_name")


def _wilson(numerator: np.ndarray, denominator: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return wilson_interval(numerator, denominator)


def disclosure_arguments(
    declared: Iterable[OutputColumn], frame: pd.DataFrame
) -> dict[str, object]:
    """``count_columns``, ``rate_columns``, ``average_columns`` and ``uncontrolled`` for the
    columns of ``frame``, from their declarations. Breakdowns, organisation columns, text and
    columns declared as labels or values are left alone; a numeric column that is declared
    nowhere is not listed at all, so :func:`suppress_counts` refuses to release it."""
    present = set(frame.columns)
    by_name = {c.name: c for c in declared if c.name in present}
    counts = [n for n, c in by_name.items() if c.role == "count"]
    rates = {}
    for name, c in by_name.items():
        numerator, denominator = c.numerator, c.denominator
        if c.role != "rate" or numerator is None or denominator is None:
            continue
        if numerator not in present or denominator not in present:
            continue
        lower, upper = f"{name}_lower", f"{name}_upper"
        rates[name] = Rate(
            numerator,
            denominator,
            c.multiplier,
            lower=lower if lower in present else None,
            upper=upper if upper in present else None,
            interval=_wilson if c.multiplier == 100 else None,
        )
    averages = {
        n: c.based_on for n, c in by_name.items() if c.role == "average" and c.based_on in present
    }
    treated = {*counts, *rates, *averages}
    treated |= {f"{r}_{side}" for r in rates for side in ("lower", "upper")}
    for rate in rates.values():
        treated |= {rate.numerator, rate.denominator}
    uncontrolled = [
        col
        for col in frame.columns
        if col not in treated
        and (
            (col in by_name and by_name[col].role in ("label", "value", "breakdown"))
            or col in BREAKDOWNS
            or col in ORGANISATION_COLUMNS
            or not pd.api.types.is_numeric_dtype(frame[col])
            or pd.api.types.is_bool_dtype(frame[col])
        )
    ]  # any other numeric column is undeclared: suppress_counts refuses to release it
    return {
        "count_columns": counts,
        "rate_columns": rates,
        "average_columns": averages,
        "uncontrolled": uncontrolled,
    }


def apply_disclosure_control(
    frame: pd.DataFrame,
    declared: Iterable[OutputColumn],
    enabled: bool = True,
    national: bool = False,
    marker: str | float = SUPPRESSED,
) -> pd.DataFrame:
    """``frame`` with disclosure control applied by the registry's roles of its columns."""
    declared = list(declared)
    # A declared count is an aggregate whatever its name (``spells_with_ready_date`` counts
    # spells): hide such names from the record-level check by name, and restore them after.
    counts = {c.name for c in declared if c.role == "count"}
    aliases = {
        name: f"count_{i}"
        for i, name in enumerate(frame.columns)
        if name in counts and record_level_reason(str(name)) is not None
    }
    renamed = frame.rename(columns=aliases)

    def alias(name: str | None) -> str | None:
        return aliases.get(name, name) if name else name

    declared = [
        replace(
            c,
            name=aliases.get(c.name, c.name),
            numerator=alias(c.numerator),
            denominator=alias(c.denominator),
            based_on=alias(c.based_on),
        )
        for c in declared
    ]
    arguments: dict[str, Any] = disclosure_arguments(declared, renamed)
    out = suppress_counts(renamed, **arguments, enabled=enabled, national=national, marker=marker)
    back = {a: n for n, a in aliases.items()}
    treated = out.attrs.get("disclosure_columns")
    if treated:
        out.attrs["disclosure_columns"] = {
            kind: [back.get(c, c) for c in names] for kind, names in treated.items()
        }
    return out.rename(columns=back)


def controlled_by_level(
    frame: pd.DataFrame, declared: Iterable[OutputColumn], enabled: bool = True
) -> pd.DataFrame:
    """A stacked aggregate frame (with a ``level`` column) controlled row by row by level:
    England rows as they are (national figures are not rounded), every other level controlled."""
    declared = list(declared)
    if "level" not in frame or frame.empty:
        return apply_disclosure_control(frame, declared, enabled)
    parts = [
        apply_disclosure_control(part, declared, enabled, national=(level == "england"))
        for level, part in frame.groupby("level", sort=False)
    ]
    out = pd.concat(parts).loc[frame.index]
    out.attrs = parts[0].attrs
    return out
