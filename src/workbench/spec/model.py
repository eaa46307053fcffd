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
    birth_part: ``"year"`` or ``"month"`` for the one column of a table that carries the year,
        or the month, of birth (CLD does; a full date of birth never). The ingest guard refuses
        any other column named with "birth" and any value of these two that is not a bare
        four-digit year or a month 1 to 12 (:mod:`workbench.ingest.guard`, measures.md
        section 1); None for every other column.
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
    birth_part: Literal["year", "month"] | None = None

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
    organisation: the column holding the code of the organisation that submits the table (a
        CSDS provider's ``provider_code``, a council's ``la_code``): part of every key, the
        code a file's name carries, whose feedback page a row's problems go to.
    submitter: what that organisation is called in messages and feedback (provider, council).
    file_prefix: how a submission file of the table is named, ``<file_prefix>_<organisation
        code>_<YYYYMMDD>`` (None: the table's name).
    record_ids: the columns a purge of one record matches (None: the ``*_id`` columns).
    """

    name: str
    csds: str
    description: str
    population: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    parent: Parent | None = None
    event_date: str | None = None
    organisation: str = "provider_code"
    submitter: str = "provider"
    file_prefix: str | None = None
    record_ids: tuple[str, ...] | None = None

    @property
    def file_name_prefix(self) -> str:
        """The start of a submission file's name: ``<prefix>_<organisation code>_<date>``."""
        return self.file_prefix or self.name

    @property
    def organisation_pattern(self) -> str | None:
        """The regular expression an organisation code of this table matches (its column's)."""
        return self.column(self.organisation).pattern

    @property
    def record_columns(self) -> tuple[str, ...]:
        """The columns that hold one record's identifier (:attr:`record_ids`)."""
        if self.record_ids is not None:
            return self.record_ids
        return tuple(c for c in self.column_names if c.endswith("_id"))

    @property
    def birth_columns(self) -> tuple[str, ...]:
        """The columns the specification declares as the year and month of birth."""
        return tuple(col.name for col in self.columns if col.birth_part)

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
