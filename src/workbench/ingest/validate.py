"""The validation rules of measures.md section 1, as SQL over the staged text.

A row is rejected, with a reason per field, when a mandatory key is missing, a value cannot be
parsed into its type, a date is impossible (before 1900-01-01 or after the submission date), a
number is outside its plausible range, or the submitting organisation's code (the table's
``organisation`` column: a provider's ``provider_code``, a council's ``la_code``) differs from
the one in the file name. Orphans (a child row with no loaded parent) are found later, once
parents are loaded.
Invalid codes are not rejected: they load, and the data quality measures count them.

A reason is stored as ``"<column>: <what is wrong>"`` and never quotes the value; each kind of
problem has a code (:data:`REASONS`), :func:`reason_text` writes a reason and
:func:`split_reasons` reads one back into its column and problem: the one owner of the form.
"""

from __future__ import annotations

import pandas as pd

from workbench.spec import Column, Table

#: Every kind of reject reason, by code, with the text a provider reads.
REASONS = {
    "missing": "mandatory value missing",
    "not_date": "not a date (YYYY-MM-DD)",
    "not_time": "not a time (HH:MM:SS)",
    "not_int": "not a whole number",
    "not_float": "not a number",
    "before_1900": "impossible date, before 1900-01-01",
    "after_submission": "impossible date, after the submission date",
    "out_of_range": "impossible value, outside {minimum:g} to {maximum:g}",
    "other_provider": "differs from the provider in the file name",
    "other_council": "differs from the council in the file name",
    "orphan": "no matching record in {parent} (orphan)",
}
_SEPARATOR = ": "


def reason_text(column: str, code: str, **values: object) -> str:
    """The stored reason for problem ``code`` of :data:`REASONS` in ``column`` (``values`` fill
    the text's blanks: a range's ends, a parent table; never a submitted value)."""
    return f"{column}{_SEPARATOR}{REASONS[code].format(**values)}"


def split_reasons(reasons: pd.Series) -> pd.DataFrame:
    """Stored reasons as ``column`` and ``problem`` columns; a reason that names no column
    (one a file-level check wrote) has an empty ``column`` and its whole text as ``problem``."""
    text = reasons.astype("object")
    if text.empty:
        return pd.DataFrame({"column": text, "problem": text})
    column, sep, problem = (text.str.partition(_SEPARATOR)[i] for i in range(3))
    named = (sep != "") & ~column.str.contains(" ", regex=False)
    return pd.DataFrame(
        {"column": column.where(named, ""), "problem": problem.where(named, text)},
        index=reasons.index,
    )


EARLIEST_DATE = "1900-01-01"
_DATE_TEXT = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TIME_TEXT = r"[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
_INT_TEXT = r"[+-]?[0-9]+"


def quote(name: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def typed_expression(column: Column) -> str:
    """SQL giving the column's value in its type, NULL where missing or unparseable.

    Times are kept as ``HH:MM:SS`` text, the one form every engine reads the same way."""
    c = quote(column.name)
    if column.dtype == "date":
        return f"CASE WHEN regexp_full_match({c}, '{_DATE_TEXT}') THEN TRY_CAST({c} AS DATE) END"
    if column.dtype == "time":
        # stored as HH:MM:SS text: Spark has no time type
        parsed = f"substr(CAST(TRY_CAST({c} AS TIME) AS VARCHAR), 1, 8)"
        return f"CASE WHEN regexp_full_match({c}, '{_TIME_TEXT}') THEN {parsed} END"
    if column.dtype == "int":
        matches = f"regexp_full_match(trim({c}), '{_INT_TEXT}')"
        return f"CASE WHEN {matches} THEN TRY_CAST({c} AS BIGINT) END"
    if column.dtype == "float":
        return f"CASE WHEN isfinite(TRY_CAST({c} AS DOUBLE)) THEN TRY_CAST({c} AS DOUBLE) END"
    return c


def _present(c: str) -> str:
    return f"({c} IS NOT NULL AND trim({c}) <> '')"


def reason_expressions(column: Column, table: Table | None = None) -> list[str]:
    """SQL expressions each giving a reason text when the rule fails, NULL when it holds.
    ``table``: the column's table, whose ``organisation`` column must hold the code in the
    file's name (a CSDS table when not given)."""
    c = quote(column.name)
    name = column.name
    typed = typed_expression(column)
    reasons = []
    if column.is_mandatory:
        reasons.append(
            f"CASE WHEN NOT {_present(c)} THEN {_literal(reason_text(name, 'missing'))} END"
        )
    if column.dtype in ("date", "time", "int", "float"):
        reasons.append(
            f"CASE WHEN {_present(c)} AND ({typed}) IS NULL "
            f"THEN {_literal(reason_text(name, f'not_{column.dtype}'))} END"
        )
    if column.dtype == "date":
        reasons.append(
            f"CASE WHEN ({typed}) < DATE '{EARLIEST_DATE}' "
            f"THEN {_literal(reason_text(name, 'before_1900'))} END"
        )
        reasons.append(
            f"CASE WHEN ({typed}) > _submission_date "
            f"THEN {_literal(reason_text(name, 'after_submission'))} END"
        )
    if column.dtype in ("int", "float") and column.minimum is not None:
        lo, hi = column.minimum, column.maximum
        text = reason_text(name, "out_of_range", minimum=lo, maximum=hi)
        reasons.append(f"CASE WHEN ({typed}) < {lo} OR ({typed}) > {hi} THEN {_literal(text)} END")
    organisation, submitter = (
        (table.organisation, table.submitter) if table else ("provider_code", "provider")
    )
    if name == organisation:
        reasons.append(
            f"CASE WHEN {_present(c)} AND {c} <> _file_provider "
            f"THEN {_literal(reason_text(name, f'other_{submitter}'))} END"
        )
    return reasons


def parse_select(table: Table, staged: str, files: str) -> str:
    """SQL that reads the staged text of ``table`` and returns, for each row: the raw text
    columns, a typed ``<column>__typed`` for each, the file metadata and the list ``_reasons``."""
    typed = ",\n  ".join(
        f"{typed_expression(col)} AS {quote(col.name + '__typed')}" for col in table.columns
    )
    reasons = ",\n    ".join(r for col in table.columns for r in reason_expressions(col, table))
    return f"""
SELECT *,
  {typed},
  list_filter([
    {reasons}
  ], r -> r IS NOT NULL) AS _reasons
FROM (
  SELECT s.*, f.submission_date AS _submission_date, f.provider_code AS _file_provider
  FROM {staged} AS s JOIN {files} AS f USING (_file_id)
)"""
