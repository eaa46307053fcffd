"""The measure registry: every measure of every family (data quality, waits, urgent response
and its demand, outcomes, waiting-list dynamics, linked pathways), each declared once in its
family's module (:mod:`workbench.measures.declare`), and the aggregate tables compute writes
from them."""

from __future__ import annotations

from workbench.errors import WorkbenchError
from workbench.measures import dq, dynamics, linked, outcomes, ucr, ucr_demand, waits
from workbench.measures.declare import AggregateTable, Measure, OutputColumn

FAMILIES = (dq, waits, ucr, ucr_demand, outcomes, dynamics, linked)


def registry() -> dict[tuple[str, str], Measure]:
    """Every measure as ``{(family, name): Measure}``."""
    out: dict[tuple[str, str], Measure] = {}
    for module in FAMILIES:
        for measure in getattr(module, "MEASURES", ()):
            key = (measure.family, measure.name)
            if key in out:
                raise RuntimeError(f"measure {key} is declared twice")
            out[key] = measure
    return out


def measure(family: str, name: str) -> Measure:
    """The measure ``family`` ``name``; a clear error listing the family's measures."""
    table = registry()
    if (family, name) in table:
        return table[(family, name)]
    names = [n for f, n in table if f == family]
    if not names:
        families = sorted({f for f, _ in table})
        raise WorkbenchError(f"no measure family {family!r}; choose from: {', '.join(families)}")
    raise WorkbenchError(f"no {family} measure {name!r}; choose from: {', '.join(names)}")


def aggregate_tables() -> list[tuple[Measure, AggregateTable]]:
    """Every table compute writes, with the measure it comes from, in registry order."""
    out = []
    seen: set[str] = set()
    for m in registry().values():
        for table in m.tables:
            if table.name in seen:
                raise RuntimeError(f"aggregate table {table.name} is declared twice")
            seen.add(table.name)
            out.append((m, table))
    return out


def column_for(table: str, name: str) -> OutputColumn:
    """The declaration of column ``name`` of aggregate table ``table``."""
    for m, t in aggregate_tables():
        if t.name == table:
            return m.column(name)
    raise KeyError(f"no aggregate table {table!r}")


def measure_of_table(table: str) -> Measure:
    """The measure an aggregate table is computed from."""
    for m, t in aggregate_tables():
        if t.name == table:
            return m
    raise KeyError(f"no aggregate table {table!r}")
