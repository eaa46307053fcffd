"""Tables as a report shows them: disclosure-controlled, with readable column names."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from workbench.disclosure import Rate, suppress_counts
from workbench.stats import percentage_with_interval, wilson_interval


def _wilson_pct(x, n):
    lower, upper = wilson_interval(x, n)
    return lower, upper


def with_interval(frame: pd.DataFrame, rate: str, numerator: str, denominator: str) -> pd.DataFrame:
    """``frame`` with ``rate`` (%) and its Wilson ``_lower``/``_upper`` from the two counts."""
    out = frame.copy()
    out[rate], out[f"{rate}_lower"], out[f"{rate}_upper"] = percentage_with_interval(
        out[numerator], out[denominator]
    )
    return out


def controlled(
    frame: pd.DataFrame,
    counts: list[str],
    rates: Mapping[str, tuple[str, str]] | None = None,
    averages: Mapping[str, str] | None = None,
    labels: list[str] | None = None,
    enabled: bool = True,
) -> pd.DataFrame:
    """``frame`` reduced to its label, count, rate and average columns, with disclosure control
    (MEASURES.md section 7) applied: rates (as %, from ``(numerator, denominator)``) and their
    ``_lower``/``_upper`` Wilson intervals computed from the counts, then recomputed from the
    rounded counts by the disclosure rules."""
    rates = dict(rates or {})
    averages = dict(averages or {})
    for rate, (num, den) in rates.items():
        frame = with_interval(frame, rate, num, den)
    keep = [*(labels or []), *counts]
    for rate, (num, den) in rates.items():
        keep += [num, den, rate, f"{rate}_lower", f"{rate}_upper"]
    keep += list(averages)
    keep = list(dict.fromkeys(c for c in keep if c in frame))
    specs = {
        name: Rate(
            num,
            den,
            100,
            lower=f"{name}_lower" if f"{name}_lower" in frame else None,
            upper=f"{name}_upper" if f"{name}_upper" in frame else None,
            interval=_wilson_pct,
        )
        for name, (num, den) in rates.items()
    }
    return suppress_counts(
        frame[keep],
        count_columns=counts,
        rate_columns=specs,
        average_columns=averages,
        enabled=enabled,
        uncontrolled=[c for c in labels or [] if c in frame],
    )


def show(frame: pd.DataFrame, names: Mapping[str, str] | None = None, decimals: int = 1):
    """A pandas Styler of ``frame`` with readable headers, numbers formatted, no index."""
    names = dict(names or {})
    out = frame.rename(columns=names)
    treated = frame.attrs.get("disclosure_columns")
    if treated:  # keep saying which columns were controlled, under their new names
        out.attrs["disclosure_columns"] = {
            kind: [names.get(c, c) for c in columns] for kind, columns in treated.items()
        }

    def fmt(v):
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
