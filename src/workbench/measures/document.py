"""The measure catalogue as Markdown, printed from the measure registry itself.

`workbench measures` prints it and ``docs/measure_catalogue.md`` is a copy that a test keeps
current: each measure's definition (its section of the measure specification), the facts it
reads, the breakdowns it takes, the aggregate tables compute writes from it, and every output
column with its role and label.
"""

from __future__ import annotations

from workbench.breakdowns import BREAKDOWN_LABELS
from workbench.measures.declare import Measure, OutputColumn
from workbench.measures.registry import registry


def _role(column: OutputColumn) -> str:
    if column.role == "rate":
        return f"{column.numerator} / {column.denominator} x {column.multiplier:g}"
    if column.role == "average":
        return f"average of {column.based_on} records"
    if column.role in ("lower", "upper"):
        return f"{column.role} 95% limit of {column.of}"
    return column.role


def _measure_markdown(measure: Measure) -> list[str]:
    first = (measure.function.__doc__ or "").strip().split("\n\n")[0]
    lines = [
        f"## {measure.title} (`{measure.family} {measure.name}`)",
        "",
        " ".join(line.strip() for line in first.splitlines()),
        "",
        f"- Defined in: measures.md section {measure.section}",
        f"- Python: `{measure.function.__module__}.{measure.function.__name__}`",
        f"- Reads the facts: {', '.join(measure.facts) or 'the store tables'}",
        "- Breakdowns: "
        + (", ".join(f"{b} ({BREAKDOWN_LABELS[b]})" for b in measure.breakdowns) or "none"),
    ]
    for table in measure.tables:
        extras = ", ".join("+".join(e) for e in table.extras) or "none"
        repeat = "; every row by month" if table.repeat == "month" else ""
        lines.append(
            f"- Aggregate table `{table.name}`: levels {', '.join(table.levels)}; "
            f"extra breakdowns {extras}{repeat}"
        )
    if measure.notes:
        lines.append(f"- Note: {measure.notes}")
    lines += ["", "| column | label | role | unit |", "|---|---|---|---|"]
    for column in measure.columns:
        lines.append(f"| `{column.name}` | {column.label} | {_role(column)} | {column.unit} |")
    return lines + [""]


def catalogue_markdown() -> str:
    """Every measure of the registry as a Markdown document."""
    lines = [
        "# Measure catalogue",
        "",
        "Printed by `workbench measures` from the measure registry "
        "(`src/workbench/measures/registry.py` and the `MEASURES` of each family); do not edit "
        "by hand. The definitions are in src/workbench/docs/measures.md; "
        "disclosure control treats each column "
        "by its role here (counts rounded, rates recomputed from rounded counts, averages shown "
        "only where based on 8 or more records; England is not rounded).",
        "",
    ]
    for measure in registry().values():
        lines += _measure_markdown(measure)
    return "\n".join(lines)
