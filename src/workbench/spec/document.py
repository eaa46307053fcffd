"""The extract specification as Markdown, printed from the spec objects themselves."""

from __future__ import annotations

from workbench.spec import CLD_TABLES, CLD_VALUE_SETS, REFERENCE_VALUE_SETS, TABLES, VALUE_SETS
from workbench.spec.model import Table
from workbench.spec.value_sets import ValueSet


def _table_markdown(table: Table, item: str = "CSDS item") -> list[str]:
    lines = [
        f"## `{table.name}` ({table.csds})",
        "",
        table.description + ".",
        "",
        f"Key: {', '.join(f'`{k}`' for k in table.key)}. One row counts as one of the "
        f"{table.population}.",
    ]
    if table.parent:
        lines.append(
            f"Parent: `{table.parent.table}` on "
            f"{', '.join(f'`{c}`' for c in table.parent.columns)}."
        )
    lines += [
        "",
        f"| column | type | requirement | valid values | {item} |",
        "|---|---|---|---|---|",
    ]
    for col in table.columns:
        rule = col.value_set or (f"`{col.pattern}`" if col.pattern else "")
        if col.minimum is not None:
            rule = f"{col.minimum:g} to {col.maximum:g}"
        rule = rule.replace("|", "\\|")  # a pattern's alternation must not end the cell
        lines.append(f"| `{col.name}` | {col.dtype} | {col.requirement} | {rule} | {col.csds} |")
    return lines + [""]


def specification_markdown() -> str:
    """Every table and value set of the extract specification, as a Markdown document."""
    lines = [
        "# Extract specification",
        "",
        "Printed by `workbench spec` from `src/workbench/spec/`; do not edit by hand.",
        "Submission files are named `<table>_<provider code>_<YYYYMMDD>.csv` (or `.csv.gz`, "
        "`.parquet`), UTF-8, comma-separated, with a header row of exactly these columns. "
        "Dates are `YYYY-MM-DD`, times `HH:MM:SS` in the provider's local clock time "
        "(Europe/London); an empty field is missing.",
        "",
    ]
    for table in TABLES.values():
        lines += _table_markdown(table)
    lines += [
        "# Value sets",
        "",
        f"`{'`, `'.join(REFERENCE_VALUE_SETS)}`: valid when the code is in the shipped "
        "ONS lookup of that census year (see `workbench.reference`).",
        "",
    ]
    for vs in VALUE_SETS.values():
        lines += _value_set_markdown(vs)
    return "\n".join(lines + _cld_markdown())


def _value_set_markdown(vs: ValueSet) -> list[str]:
    origin = "national" if vs.national else "project's own"
    lines = [
        f"## `{vs.name}` ({origin})",
        "",
        vs.source + ".",
        "",
        "| code | meaning | not known |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{code}` | {label} | {'yes' if code in vs.defaults else ''} |"
        for code, label in vs.codes.items()
    ]
    return lines + [""]


def _cld_markdown() -> list[str]:
    """The adult social care Client Level Data extract: its table and code lists."""
    lines = [
        "# Adult Social Care Client Level Data (CLD)",
        "",
        "A second extract, from councils with adult social services responsibilities: files "
        "named `cld_<LA code>_<YYYYMMDD>` (the council's ONS code), each covering a rolling 12 "
        "months, so an event arrives in several files and the latest version wins. Code lists "
        "hold the specification's text values. Sources: the Department of Health and Social "
        "Care's public code for the national CLD (DataS-DHSC/ASC-CLD-LA-Dashboard) and NHS "
        "England's CLD guidance; the item column names each CLD field.",
        "",
    ]
    for table in CLD_TABLES.values():
        lines += _table_markdown(table, item="CLD item")
    lines += ["## CLD value sets", ""]
    for vs in CLD_VALUE_SETS.values():
        section = _value_set_markdown(vs)
        lines += ["#" + line if line.startswith("## ") else line for line in section]
    return lines
