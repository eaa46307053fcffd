"""The validation rules of measures.md section 1, as SQL over the staged text.

A row is rejected, with a reason per field, when a mandatory key is missing, a value cannot be
parsed into its type, a date is impossible (before 1900-01-01 or after the submission date), a
number is outside its plausible range, or the provider code differs from the one in the file
name. Orphans (a child row with no loaded parent) are found later, once parents are loaded.
Invalid codes are not rejected: they load, and the data quality measures count them.

Reasons are ``"<column>: <what is wrong>"`` and never quote the value.
"""

from __future__ import annotations

from workbench.spec import Column, Table

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


def reason_expressions(column: Column) -> list[str]:
    """SQL expressions each giving a reason text when the rule fails, NULL when it holds."""
    c = quote(column.name)
    name = column.name
    typed = typed_expression(column)
    reasons = []
    if column.is_mandatory:
        reasons.append(
            f"CASE WHEN NOT {_present(c)} THEN {_literal(name + ': mandatory value missing')} END"
        )
    kind = {
        "date": "a date (YYYY-MM-DD)",
        "time": "a time (HH:MM:SS)",
        "int": "a whole number",
        "float": "a number",
    }.get(column.dtype)
    if kind:
        reasons.append(
            f"CASE WHEN {_present(c)} AND ({typed}) IS NULL "
            f"THEN {_literal(f'{name}: not {kind}')} END"
        )
    if column.dtype == "date":
        reasons.append(
            f"CASE WHEN ({typed}) < DATE '{EARLIEST_DATE}' "
            f"THEN {_literal(name + ': impossible date, before 1900-01-01')} END"
        )
        reasons.append(
            f"CASE WHEN ({typed}) > _submission_date "
            f"THEN {_literal(name + ': impossible date, after the submission date')} END"
        )
    if column.dtype in ("int", "float") and column.minimum is not None:
        lo, hi = column.minimum, column.maximum
        text = f"{name}: impossible value, outside {lo:g} to {hi:g}"
        reasons.append(f"CASE WHEN ({typed}) < {lo} OR ({typed}) > {hi} THEN {_literal(text)} END")
    if name == "provider_code":
        reasons.append(
            f"CASE WHEN {_present(c)} AND {c} <> _file_provider "
            f"THEN {_literal('provider_code: differs from the provider in the file name')} END"
        )
    return reasons


def parse_select(table: Table, staged: str, files: str) -> str:
    """SQL that reads the staged text of ``table`` and returns, for each row: the raw text
    columns, a typed ``<column>__typed`` for each, the file metadata and the list ``_reasons``."""
    typed = ",\n  ".join(
        f"{typed_expression(col)} AS {quote(col.name + '__typed')}" for col in table.columns
    )
    reasons = ",\n    ".join(r for col in table.columns for r in reason_expressions(col))
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
