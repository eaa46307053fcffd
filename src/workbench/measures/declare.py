"""How a measure is declared: once, beside its formula, in its family's module; the registry
(:mod:`workbench.measures.registry`) collects the declarations, and compute, the command line,
the report sections, disclosure control and the measure catalogue read them.

A :class:`Measure` names its family and name, the public function analysts call, the one-pass
function compute calls, the facts it reads, the breakdowns it accepts, the aggregate tables
compute writes from it (levels, extra breakdowns, monthly repeats) and every output column with
its role and human label. Compute, ``workbench measure``, the report sections, disclosure
control and the documentation read it; nothing declares a column's role or label anywhere else.

Roles (:data:`ROLES`):

- ``breakdown``: a group column (provider, month, ...);
- ``label``: descriptive text or a code that is not about individuals (an assessment tool);
- ``count``: a count of records (disclosure control rounds and suppresses it);
- ``rate``: a percentage or rate, with the ``numerator`` and ``denominator`` counts it is made
  of and its ``multiplier`` (100 for a percentage); ``lower``/``upper`` columns bound it;
- ``lower`` / ``upper``: a rate's confidence limits (``of`` names the rate);
- ``average``: a mean, median or percentile, with the count it rests on (``based_on``);
- ``value``: a number that is not about individuals (a standard, a p-value, a score).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from workbench.breakdowns import LEVELS, check_breakdowns
from workbench.errors import WorkbenchError
from workbench.measures.grouping_sets import one_set

if TYPE_CHECKING:
    from workbench.period import Period
    from workbench.store import Store


ROLES = ("breakdown", "label", "count", "rate", "lower", "upper", "average", "value")


@dataclass(frozen=True)
class OutputColumn:
    """One output column of a measure: its name, role and human label (see the module doc)."""

    name: str
    role: str
    label: str
    unit: str = ""
    numerator: str | None = None
    denominator: str | None = None
    multiplier: float = 100.0
    of: str | None = None
    based_on: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"{self.name}: role {self.role!r} is not one of {ROLES}")
        if self.role == "rate" and not (self.numerator and self.denominator):
            raise ValueError(f"{self.name}: a rate needs its numerator and denominator")
        if self.role == "average" and not self.based_on:
            raise ValueError(f"{self.name}: an average needs the count it is based on")


def count(name: str, label: str, unit: str = "") -> OutputColumn:
    """A count column."""
    return OutputColumn(name, "count", label, unit)


def average(name: str, label: str, based_on: str, unit: str = "days") -> OutputColumn:
    """A mean, median or percentile column resting on the count ``based_on``."""
    return OutputColumn(name, "average", label, unit, based_on=based_on)


def value(name: str, label: str, unit: str = "") -> OutputColumn:
    """A number that is not about individuals (a standard, a score, a p-value)."""
    return OutputColumn(name, "value", label, unit)


def label(name: str, text: str) -> OutputColumn:
    """A descriptive text or code column."""
    return OutputColumn(name, "label", text)


def percentage(
    name: str,
    text: str,
    numerator: str,
    denominator: str,
    interval: bool = True,
    multiplier: float = 100.0,
    unit: str = "%",
) -> tuple[OutputColumn, ...]:
    """A percentage (or rate) column and, with ``interval``, its ``_lower``/``_upper`` limits."""
    rate = OutputColumn(
        name,
        "rate",
        text,
        unit,
        numerator=numerator,
        denominator=denominator,
        multiplier=multiplier,
    )
    if not interval:
        return (rate,)
    return (
        rate,
        OutputColumn(f"{name}_lower", "lower", f"{text}: lower 95% limit", unit, of=name),
        OutputColumn(f"{name}_upper", "upper", f"{text}: upper 95% limit", unit, of=name),
    )


def columns(*items: OutputColumn | Iterable[OutputColumn]) -> tuple[OutputColumn, ...]:
    """Flatten single columns and groups (from :func:`percentage`) into one tuple."""
    out: list[OutputColumn] = []
    for item in items:
        if isinstance(item, OutputColumn):
            out.append(item)
        else:
            out.extend(item)
    return tuple(out)


@dataclass(frozen=True)
class AggregateTable:
    """A table compute writes from a measure: its file name, the levels it runs at, the extra
    breakdowns added to each level, and ``repeat``: ``"month"`` to run every set by month (the
    month is then a column of every row, not a breakdown)."""

    name: str
    levels: tuple[str, ...] = LEVELS
    extras: tuple[tuple[str, ...], ...] = ()
    repeat: str | None = None


#: ``grouped(store, period, sets) -> frame``: the measure for every grouping set in one pass,
#: with a ``_set`` column giving each row's set (:mod:`workbench.measures.grouping_sets`).
GroupedFunction = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Measure:
    """One measure, declared once (see the module docstring)."""

    family: str
    name: str
    title: str
    section: str
    function: Callable[..., pd.DataFrame]
    grouped: GroupedFunction
    facts: tuple[str, ...]
    breakdowns: tuple[str, ...]
    columns: tuple[OutputColumn, ...]
    tables: tuple[AggregateTable, ...] = ()
    period: str = "period"
    notes: str = ""
    #: Columns every row carries beside its breakdowns, sorted after them (an assessment tool,
    #: a discharge destination): one row per breakdown and each of these.
    within: tuple[str, ...] = ()

    def column(self, name: str) -> OutputColumn:
        """The declaration of output column ``name``."""
        try:
            return next(c for c in self.columns if c.name == name)
        except StopIteration:
            raise KeyError(f"measure {self.family} {self.name} has no column {name!r}") from None

    def names(self, role: str) -> list[str]:
        """The output columns with ``role``."""
        return [c.name for c in self.columns if c.role == role]

    def check_breakdowns(self, by: list[str]) -> list[str]:
        """``by`` if this measure takes every breakdown in it; a clear error otherwise."""
        wrong = [b for b in by if b not in self.breakdowns]
        if wrong:
            takes = ", ".join(self.breakdowns) if self.breakdowns else "none"
            raise WorkbenchError(
                f"{self.family} {self.name} cannot be broken down by {', '.join(wrong)}; "
                f"it takes: {takes}"
            )
        return by

    def run(
        self,
        store: Store,
        period: Period | None,
        by: str | Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """This measure for ``period`` (a :class:`workbench.period.Period`; None for every
        record where the measure allows it) broken down by ``by``, sorted by the breakdowns
        and then :attr:`within`: what every public measure function returns, and the calling
        convention of ``workbench measure`` and the engine parity test."""
        chosen = self.check_breakdowns(check_breakdowns(by))
        return one_set(self.grouped(store, period, [tuple(chosen)]), [*chosen, *self.within])

    def empty(self, by: list[str]) -> pd.DataFrame:
        """An empty frame with the breakdowns and every documented output column."""
        names = [*by, *[c.name for c in self.columns if c.name not in by]]
        return pd.DataFrame({n: pd.Series(dtype="object") for n in names})
