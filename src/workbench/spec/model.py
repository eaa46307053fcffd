"""The building blocks of the extract specification: a column and a table.

Every other part of the workbench (generator, validator, data quality measures, docs) reads
these objects rather than keeping its own idea of what an extract looks like.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DType = Literal["string", "code", "date", "time", "int", "float"]
Requirement = Literal["mandatory", "required", "optional"]


@dataclass(frozen=True)
class Column:
    """One column of an extract table.

    name: snake_case column name as it appears in a submission file.
    dtype: how the text is parsed: string, code (string from a value set), date (YYYY-MM-DD),
        time (HH:MM or HH:MM:SS), int, float.
    requirement: ``mandatory`` (row is rejected when missing: keys), ``required`` (expected,
        counted as incomplete in data quality when missing), ``optional``.
    value_set: name of a value set in :mod:`workbench.spec.value_sets` (or ``lsoa11`` /
        ``lsoa21`` for the shipped geography lookups) that defines validity.
    pattern: regular expression a valid value matches (format check), when no value set applies.
    minimum, maximum: the plausible range of an int or float; outside it the row is rejected as an
        impossible value.
    csds: the CSDS data item this column stands for.
    """

    name: str
    dtype: DType
    requirement: Requirement = "required"
    value_set: str | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    csds: str = ""
    description: str = ""

    @property
    def is_mandatory(self) -> bool:
        return self.requirement == "mandatory"


@dataclass(frozen=True)
class Parent:
    """A child table's link to its parent: the child's columns that must match the parent's key."""

    table: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One extract table: its columns, its key, its parent and the population it describes.

    key: the columns that identify a record; the latest submission of a key wins.
    parent: the table a row must have a loaded parent in (measures.md section 1, orphans).
    population: what one row counts as in data quality reports (persons, referrals, ...).
    event_date: the date column that places a record in a period (None for the MPI, whose
        persons are placed by their activity).
    """

    name: str
    csds: str
    description: str
    population: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    parent: Parent | None = None
    event_date: str | None = None

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(col.name for col in self.columns)

    @property
    def mandatory(self) -> tuple[str, ...]:
        return tuple(col.name for col in self.columns if col.is_mandatory)
