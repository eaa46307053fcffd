"""Tables as a report shows them: disclosure-controlled by the measure registry's column roles,
with the registry's labels as headers (measures.md section 7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbench.breakdowns import BREAKDOWN_LABELS, NOT_KNOWN
from workbench.disclosure import SUPPRESSED, is_national, suppress_count
from workbench.measures.controlled import apply_disclosure_control
from workbench.measures.declare import OutputColumn
from workbench.measures.registry import measure_of_table
from workbench.stats import percentage_with_interval

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

#: Labels of the columns every aggregate row can carry besides the measure's own.
ORGANISATION_LABELS = {"org_code": "Organisation", "org_name": "Organisation"}
#: How many lines a long table shows before the rest are summed into one row.
LARGEST_SHOWN = 12


def _declared(table: str) -> dict[str, OutputColumn]:
    return {c.name: c for c in measure_of_table(table).columns}


def with_interval(frame: pd.DataFrame, rate: str, numerator: str, denominator: str) -> pd.DataFrame:
    """``frame`` with ``rate`` (%) and its Wilson ``_lower``/``_upper`` from the two counts."""
    out = frame.copy()
    out[rate], out[f"{rate}_lower"], out[f"{rate}_upper"] = percentage_with_interval(
        out[numerator], out[denominator]
    )
    return out


def exact_rate(frame: pd.DataFrame, table: str, rate: str) -> tuple[float, float, float]:
    """The percentage ``rate`` of the first row of ``frame`` (aggregate ``table``, exact counts)
    with its 95% Wilson interval, unrounded: what a rating, an assurance or a comparison is
    judged on (measures.md section 7: complex calculations come from the unrounded counts).
    NaN where the row has no denominator."""
    column = _declared(table)[rate]
    if frame.empty or not column.numerator or not column.denominator:
        return (np.nan, np.nan, np.nan)
    pct, lower, upper = percentage_with_interval(
        frame[column.numerator].iloc[:1], frame[column.denominator].iloc[:1]
    )
    return (float(pct[0]), float(lower[0]), float(upper[0]))


def largest_and_rest(
    frame: pd.DataFrame,
    label: str,
    counts: Sequence[str],
    by: str | Sequence[str],
    size: int = LARGEST_SHOWN,
    rest: str = "All other lines",
) -> pd.DataFrame:
    """The ``size`` rows of ``frame`` with the largest ``by`` (one column, or several in order
    of precedence), then one row summing the others.

    So that a long list fits the page (measures.md section 7): the "all other lines" row adds
    the underlying ``counts`` of the rows it stands for, before disclosure control, and says how
    many lines it holds; every other column of it (averages, percentages) is left empty for
    :func:`controlled` to recompute where it can (a percentage from its counts). Rows are
    ordered by ``by`` as disclosure control shows it (rounded; a suppressed count between 0 and
    8), then by ``label``, so the order never ranks suppressed counts. A frame with at most
    ``size + 1`` rows is returned whole, sorted. A row whose label starts "Not known" is
    never ranked or summed into "all other": it comes last, so the parts still add up to the
    whole (measures.md section 7).
    """
    unknown = frame[label].astype(str).str.startswith(NOT_KNOWN)
    if unknown.any():  # a Not known row is kept, always last: never ranked mid-table
        rest_rows = largest_and_rest(frame[~unknown], label, counts, by, size, rest)
        out = pd.concat([rest_rows, frame[unknown]], ignore_index=True)
        out.attrs = dict(frame.attrs)
        return out
    keys = [by] if isinstance(by, str) else list(by)
    # order by the values a reader sees (rounded; a suppressed 1 to 7 between 0 and 8, ties by
    # name), so that the order of the rows never tells the sizes of suppressed counts apart
    shown = {
        f"_order_{i}": pd.Series(suppress_count(frame[k], marker=np.nan), index=frame.index)
        .astype("float64")
        .fillna(4.0)
        for i, k in enumerate(keys)
    }
    ordered = (
        frame.assign(**shown)
        .sort_values([*shown, label], ascending=[*[False] * len(shown), True], kind="stable")
        .drop(columns=list(shown))
        .reset_index(drop=True)
    )
    if len(ordered) <= size + 1:
        return ordered
    top, others = ordered.iloc[:size], ordered.iloc[size:]
    row = pd.DataFrame(
        {label: [f"{rest} ({len(others)})"], **{c: [others[c].sum()] for c in counts}}
    )
    out = pd.concat([top, row], ignore_index=True)
    out.attrs = dict(frame.attrs)  # national figures stay marked national
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
    counts by the disclosure rules. Rows for England (``frame`` marked national by
    :class:`~workbench.reports.data.ReportData`) are not rounded or suppressed.
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
    out = apply_disclosure_control(
        frame[keep], declared.values(), enabled=enabled, national=is_national(frame)
    )
    return _whole_days(_one_mark(out, [declared[c] for c in columns if c in declared]), declared)


def _whole_days(frame: pd.DataFrame, declared: Mapping[str, OutputColumn]) -> pd.DataFrame:
    """Averages in days as whole days (half up), as a reader counts a wait: never "449.8 days"
    beside whole days."""
    for name in frame.columns:
        column = declared.get(name)
        if column is None or column.role != "average" or column.unit != "days":
            continue
        values = [
            int(np.floor(float(v) + 0.5)) if isinstance(v, int | float) and np.isfinite(v) else v
            for v in frame[name]
        ]  # an object column, so a whole day stays an int beside a missing value
        frame[name] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def _one_mark(frame: pd.DataFrame, shown: Sequence[OutputColumn]) -> pd.DataFrame:
    """A percentage (and its limits) not shown because its numerator or denominator was
    suppressed carries the suppression mark too, so one table never mixes ``*`` with an
    empty cell for the same reason (measures.md section 7)."""
    for column in shown:
        if column.role != "rate" or column.name not in frame:
            continue
        parts = [p for p in (column.numerator, column.denominator) if p and p in frame]
        if not parts:
            continue
        hidden = pd.concat([frame[p].astype(object) == SUPPRESSED for p in parts], axis=1).any(
            axis=1
        )
        for name in (column.name, f"{column.name}_lower", f"{column.name}_upper"):
            if name in frame:
                missing = frame[name].isna() & hidden
                if missing.any():
                    frame[name] = frame[name].astype(object).where(~missing, SUPPRESSED)
    return frame


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
    headers, numbers formatted, no index.

    One mark for a controlled value: ``*`` (explained once, on the report's first page); a
    value that does not exist (a share of nothing, an average of a summed "all other lines"
    row) is an empty cell, never a second mark (measures.md section 7)."""
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
            return ""
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
