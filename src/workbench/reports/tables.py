"""Tables as a report shows them: disclosure-controlled by the measure registry's column roles,
with the registry's labels as headers (measures.md section 7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from workbench.measures.breakdowns import BREAKDOWN_LABELS
from workbench.measures.controlled import apply_disclosure_control
from workbench.measures.registry import OutputColumn, measure_of_table
from workbench.stats import percentage_with_interval

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

#: Labels of the columns every aggregate row can carry besides the measure's own.
ORGANISATION_LABELS = {"org_code": "Organisation", "org_name": "Organisation"}


def _declared(table: str) -> dict[str, OutputColumn]:
    return {c.name: c for c in measure_of_table(table).columns}


def with_interval(frame: pd.DataFrame, rate: str, numerator: str, denominator: str) -> pd.DataFrame:
    """``frame`` with ``rate`` (%) and its Wilson ``_lower``/``_upper`` from the two counts."""
    out = frame.copy()
    out[rate], out[f"{rate}_lower"], out[f"{rate}_upper"] = percentage_with_interval(
        out[numerator], out[denominator]
    )
    return out


def controlled(
    frame: pd.DataFrame,
    table: str,
    columns: Sequence[str],
    labels: Sequence[str] = (),
    enabled: bool = True,
) -> pd.DataFrame:
    """``frame`` (rows of aggregate ``table``) reduced to ``labels`` and ``columns``, with
    disclosure control applied by the registry's roles (measures.md section 7).

    Every percentage among ``columns`` is recomputed from its numerator and denominator (which
    are kept beside it), with its 95% Wilson interval, then recomputed again from the rounded
    counts by the disclosure rules.
    """
    declared = _declared(table)
    keep = list(labels)
    for name in columns:
        column = declared.get(name)
        if column is None:
            raise KeyError(f"aggregate table {table} declares no column {name!r}")
        numerator, denominator = column.numerator, column.denominator
        if column.role == "rate" and column.multiplier == 100 and numerator and denominator:
            frame = with_interval(frame, name, numerator, denominator)
            keep += [numerator, denominator, name, f"{name}_lower", f"{name}_upper"]
        else:
            keep.append(name)
    keep = list(dict.fromkeys(c for c in keep if c in frame))
    return apply_disclosure_control(frame[keep], declared.values(), enabled=enabled)


def column_label(table: str, name: str, extra: Mapping[str, str] | None = None) -> str:
    """What a reader calls column ``name`` of aggregate ``table``: its registry label, a
    breakdown's label, or a label given for a column the section added (``extra``)."""
    if extra and name in extra:
        return extra[name]
    declared = _declared(table)
    if name in declared:
        return declared[name].label
    for side, words in (("_lower", "lower 95% limit"), ("_upper", "upper 95% limit")):
        if name.endswith(side) and name[: -len(side)] in declared:
            return f"{declared[name[: -len(side)]].label}: {words}"
    if name in BREAKDOWN_LABELS:
        return BREAKDOWN_LABELS[name]
    if name in ORGANISATION_LABELS:
        return ORGANISATION_LABELS[name]
    raise KeyError(f"no label for column {name!r} of aggregate table {table}")


def show(
    frame: pd.DataFrame,
    table: str,
    extra: Mapping[str, str] | None = None,
    decimals: int = 1,
) -> Styler:
    """A pandas Styler of ``frame`` (rows of aggregate ``table``) with the registry's labels as
    headers, numbers formatted, no index."""
    names = {c: column_label(table, c, extra) for c in frame.columns}
    out = frame.rename(columns=names)
    # what the report's spreadsheet needs to say the same (workbench.reports.shown_tables)
    out.attrs.update(aggregate_table=table, column_names=list(frame.columns), decimals=decimals)
    treated = frame.attrs.get("disclosure_columns")
    if treated:  # keep saying which columns were controlled, under their new names
        out.attrs["disclosure_columns"] = {
            kind: [names.get(c, c) for c in columns] for kind, columns in treated.items()
        }

    def fmt(v: object) -> str:
        if isinstance(v, str):
            return v
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return "-"
        if isinstance(v, int) or (isinstance(v, float) and float(v).is_integer() and abs(v) > 99):
            return f"{int(v):,}"
        return f"{v:,.{decimals}f}"

    styler = out.style.format(fmt).hide(axis="index")
    counts = [c for c in (out.attrs.get("disclosure_columns") or {}).get("counts", []) if c in out]
    if counts:  # mark controlled counts, so a rendered report can be checked cell by cell
        classes = pd.DataFrame("", index=out.index, columns=out.columns)
        classes[counts] = "count"
        styler = styler.set_td_classes(classes)
    return styler
