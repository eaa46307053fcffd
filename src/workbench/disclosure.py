"""Statistical disclosure control for aggregate tables (measures.md section 7).

The rules, from the NHS Digital standard ``suppress_value`` and the HES/ECDS method of
September 2018 (sources.md section 3), applied below national level and on by default:

- **Counts**: 0 stays 0; 1 to 7 are shown as ``*``; every other count is rounded to the nearest
  5 (halves round up; for whole numbers no half can occur: 8 -> 10, 12 -> 10, 13 -> 15).
- **Percentages and rates** are recomputed from the rounded numerator and denominator, and are
  not shown where either was suppressed. A percentage is shown only at the precision its
  rounded denominator supports: a whole number (a Python ``int``), with one decimal only where
  the rounded denominator is at least :data:`ONE_DECIMAL_FROM` (4,000).
- **Intervals** are complex calculations and come from the *unrounded* counts (the HES/ECDS
  method names them as needing no disclosure control): by a callback you supply, or else the
  interval columns the frame already holds are kept. They are hidden only where the rate is,
  and shown at the rate's precision.
- **Means, medians and percentiles** are shown only where based on 8 or more records.
- **No record-level value** (a person, referral, contact, spell or assessment identifier, a
  direct identifier, or the exact date or time of an individual's event) ever appears:
  :func:`workbench.identifiers.assert_no_record_level` refuses such a frame, whether or not
  control is on.
- **National figures** are not suppressed or rounded (``national=True``).
- **Internal use** may turn control off, only by the explicit ``enabled=False``; the frame then
  comes back unchanged and marked ``frame.attrs["disclosure_control"] = False`` so a report can
  say so on its first page.

Output representation (what a report renders directly): every treated column becomes an
``object`` column holding Python ``int`` (counts) or ``float`` (rates, intervals, averages)
values, the marker ``"*"`` where disclosure control hides a value, and ``NaN`` where the value
is not available (a missing count, a rate with a zero denominator). Pass ``marker=np.nan`` for
numeric ``float64`` columns instead (for charts and further arithmetic), where hidden and not
available are both ``NaN``.

An example of :func:`suppress_counts`: 13 met of 47 in scope become 15 and 45, and the
percentage 15/45 is shown as 33% (a whole number: 45 is under 4,000); 5 of 20 is suppressed, so
its percentage is not shown; the median of 7 records is hidden.

>>> table = pd.DataFrame({
...     "provider_code": ["RXA", "RXB"],
...     "met": [13, 5], "in_scope": [47, 20],
...     "performance": [27.66, 25.0],
...     "median_minutes": [95.0, 80.0], "standard": [70.0, 70.0],
... })
>>> out = suppress_counts(
...     table,
...     rate_columns={"performance": Rate("met", "in_scope", 100)},
...     average_columns={"median_minutes": "in_scope"},
...     uncontrolled=["standard"],
... )
>>> out[["met", "in_scope", "median_minutes"]].to_dict("list")
{'met': [15, '*'], 'in_scope': [45, 20], 'median_minutes': [95.0, 80.0]}
>>> out.loc[0, "performance"], out.loc[1, "performance"]
(33, '*')
>>> out.attrs["disclosure_control"], out.attrs["disclosure_columns"]["counts"]
(True, ['met', 'in_scope'])
>>> suppress_counts(pd.DataFrame({"records": [7], "median_days": [12.0]}),
...                 "records", average_columns={"median_days": "records"}).iloc[0].tolist()
['*', '*']
>>> off = suppress_counts(table, enabled=False)
>>> off["met"].tolist(), off.attrs["disclosure_control"]
([13, 5], False)
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import DisclosureError
from workbench.identifiers import assert_no_record_level

#: What a value hidden by disclosure control is shown as.
SUPPRESSED = "*"
#: Counts from 1 to this are suppressed.
LARGEST_SUPPRESSED = 7
#: Means, medians and percentiles need at least this many records.
MINIMUM_RECORDS = 8
#: Counts are rounded to the nearest multiple of this.
ROUND_TO = 5
#: A percentage below England shows one decimal only where its rounded denominator is at least
#: this; below it, a whole number (measures.md section 7, presentation rules).
ONE_DECIMAL_FROM = 4000
#: The ``DataFrame.attrs`` key saying which level a frame's figures are for, and its value for
#: England: national figures are neither rounded nor suppressed (measures.md section 7).
LEVEL_ATTR = "disclosure_level"
NATIONAL = "national"

IntervalFunction = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Rate:
    """How a rate or percentage column is made, so it can be recomputed from rounded counts.

    Parameters
    ----------
    numerator, denominator : str
        The count columns the rate is computed from.
    multiplier : float
        100 for a percentage, 1000 for a rate per 1,000, 1 for a proportion.
    lower, upper : str, optional
        Columns holding the rate's confidence interval, on the same scale as the rate. When
        not given, ``<rate>_lower`` and ``<rate>_upper`` are used if the frame has them.
    interval : callable, optional
        ``interval(numerator, denominator) -> (lower, upper)``, taking float arrays of the
        *unrounded* counts and returning the interval as proportions (events per one unit of
        denominator), e.g. a Wilson score interval; they are multiplied by ``multiplier``. Without
        it the interval columns the frame holds (computed from the exact counts) are kept.

    Examples
    --------
    >>> Rate("met", "in_scope", 100)
    Rate(numerator='met', denominator='in_scope', multiplier=100, lower=None, upper=None, \
interval=None)
    """

    numerator: str
    denominator: str
    multiplier: float = 100
    lower: str | None = None
    upper: str | None = None
    interval: IntervalFunction | None = None


RateSpec = Rate | tuple


# --------------------------------------------------------------------------------------------
# Scalar and vectorised helpers
# --------------------------------------------------------------------------------------------


def _counts_array(values: Any, name: str) -> np.ndarray:
    """``values`` as a float array of counts (NaN = not available); DisclosureError otherwise."""
    series = pd.Series(values, dtype="object") if np.ndim(values) else pd.Series([values])
    numbers = pd.to_numeric(series, errors="coerce")
    if (numbers.isna() & series.notna()).any():
        raise DisclosureError(
            f"{name} holds values that are not numbers, so it cannot be treated as a count "
            "(has disclosure control already been applied to it?)"
        )
    arr = numbers.to_numpy(dtype="float64", na_value=np.nan)
    known = arr[~np.isnan(arr)]
    if (known < 0).any() or (known != np.floor(known)).any():
        raise DisclosureError(
            f"{name} holds negative or non-whole values; counts must be whole numbers, 0 or more"
        )
    return arr


def _rounded(arr: np.ndarray) -> np.ndarray:
    return np.floor(arr / ROUND_TO + 0.5) * ROUND_TO


def _is_suppressed(arr: np.ndarray) -> np.ndarray:
    return (arr >= 1) & (arr <= LARGEST_SUPPRESSED)


def _like_input(values: Any, out: np.ndarray) -> Any:
    if isinstance(values, pd.Series):
        return pd.Series(out, index=values.index, name=values.name)
    return out


def _scalar(v: float, marker: Any = None, hidden: bool = False) -> Any:
    if np.isnan(v):
        return np.nan
    return marker if hidden else int(v)


def round_count(x: Any) -> Any:
    """Round a count to the nearest 5, halves up (measures.md section 7), without suppression.

    Parameters
    ----------
    x : int, float, array-like or pandas.Series
        Whole numbers, 0 or more; NaN or None means not available and stays NaN.

    Returns
    -------
    int, float or the same kind of container as ``x``
        A scalar gives an ``int`` (NaN for not available); a Series gives a float64 Series
        with the same index; anything else a float64 array.

    Raises
    ------
    DisclosureError
        If a value is negative, not whole, or not a number.

    Examples
    --------
    >>> [round_count(v) for v in (0, 3, 8, 12, 13, 17, 18, 1002)]
    [0, 5, 10, 10, 15, 15, 20, 1000]
    >>> round_count([22.0, np.nan])
    array([20., nan])
    """
    arr = _counts_array(x, "the count")
    out = _rounded(arr)
    if np.ndim(x) == 0:
        return _scalar(out[0])
    return _like_input(x, out)


def suppress_count(x: Any, marker: Any = SUPPRESSED) -> Any:
    """Apply the count rule of measures.md section 7 to one count or many.

    0 stays 0; 1 to 7 become ``marker`` (``"*"``); every other count is rounded to the nearest
    5 (halves up); NaN (not available) stays NaN.

    Parameters
    ----------
    x : int, float, array-like or pandas.Series
        Whole numbers, 0 or more, or NaN/None.
    marker : str or float, default ``"*"``
        What a suppressed count is shown as; ``np.nan`` gives numeric output.

    Returns
    -------
    int, str, float or the same kind of container as ``x``
        A scalar gives an ``int``, the marker or NaN; a Series gives a Series with the same
        index (object dtype, or float64 when ``marker`` is NaN); anything else an array.

    Examples
    --------
    >>> [suppress_count(v) for v in (0, 1, 7, 8, 12, 13, 1002)]
    [0, '*', '*', 10, 10, 15, 1000]
    >>> suppress_count(pd.Series([0, 5, 47, None])).tolist()
    [0, '*', 45, nan]
    >>> suppress_count([0, 5, 47], marker=np.nan)
    array([ 0., nan, 45.])
    """
    arr = _counts_array(x, "the count")
    hide = _is_suppressed(arr)
    if np.ndim(x) == 0:
        return _scalar(_rounded(arr)[0], marker, bool(hide[0]))
    return _like_input(x, _display(_rounded(arr), hide, marker, whole=True))


def _display(values: np.ndarray, hide: np.ndarray, marker: Any, whole: bool) -> np.ndarray:
    """Values with hidden cells set to ``marker``: object (str marker) or float64 (NaN)."""
    if not isinstance(marker, str):
        out = values.astype("float64", copy=True)
        out[hide] = np.nan
        return out
    out = np.empty(len(values), dtype=object)
    for i, (v, h) in enumerate(zip(values, hide, strict=True)):
        if np.isnan(v):
            out[i] = np.nan
        elif h:
            out[i] = marker
        else:
            out[i] = int(v) if whole else float(v)
    return out


def mark_national(frame: pd.DataFrame) -> pd.DataFrame:
    """Mark ``frame`` (in place, and return it) as holding figures for England as a whole, which
    :func:`is_national` reads: national figures are not rounded or suppressed (measures.md
    section 7). pandas carries the mark through filtering, ``assign`` and copies; a frame made
    by combining it with others loses it, and is then controlled (the safe side).

    Examples
    --------
    >>> is_national(mark_national(pd.DataFrame({"met": [1]}))[lambda f: f["met"] > 0])
    True
    >>> is_national(pd.DataFrame({"met": [1]}))
    False
    """
    frame.attrs[LEVEL_ATTR] = NATIONAL
    return frame


def is_national(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` is marked as national figures (:func:`mark_national`)."""
    return frame.attrs.get(LEVEL_ATTR) == NATIONAL


# --------------------------------------------------------------------------------------------
# The frame-level entry point
# --------------------------------------------------------------------------------------------


def _as_rate(name: str, spec: RateSpec) -> Rate:
    if isinstance(spec, Rate):
        return spec
    if isinstance(spec, tuple) and 2 <= len(spec) <= 6:
        return Rate(*spec)
    raise DisclosureError(
        f"rate column {name!r}: give a Rate(numerator, denominator, multiplier, lower, upper) "
        "or a tuple (numerator, denominator, multiplier)"
    )


def _names(columns: str | Iterable[str] | None) -> list[str]:
    if columns is None:
        return []
    return [columns] if isinstance(columns, str) else list(columns)


@dataclass(frozen=True)
class _Plan:
    counts: list[str]
    rates: dict[str, Rate]
    intervals: dict[str, tuple[str, bool]]  # interval column -> (rate column, is lower)
    averages: dict[str, str]  # average column -> count column it rests on


def _plan(
    frame: pd.DataFrame,
    count_columns: str | Iterable[str] | None,
    rate_columns: Mapping[str, RateSpec] | None,
    average_columns: Mapping[str, str] | None,
) -> _Plan:
    """Resolve and check the declared columns; infer only ``<rate>_lower``/``<rate>_upper``."""
    rates = {name: _as_rate(name, spec) for name, spec in (rate_columns or {}).items()}
    averages = dict(average_columns or {})
    counts: list[str] = []
    for name in [
        *_names(count_columns),
        *(c for r in rates.values() for c in (r.numerator, r.denominator)),
        *averages.values(),
    ]:
        if name not in counts:
            counts.append(name)
    intervals: dict[str, tuple[str, bool]] = {}
    for name, rate in rates.items():
        for given, suffix in ((rate.lower, "_lower"), (rate.upper, "_upper")):
            column = given or f"{name}{suffix}"
            if given or column in frame.columns:
                intervals[column] = (name, suffix == "_lower")
    roles: dict[str, str] = {}
    for role, names in (
        ("a count", counts),
        ("a rate", list(rates)),
        ("an interval", list(intervals)),
        ("an average", list(averages)),
    ):
        for name in names:
            if name in roles:
                raise DisclosureError(
                    f"column {name!r} is declared as both {roles[name]} and {role}"
                )
            roles[name] = role
            if name not in frame.columns:
                raise DisclosureError(
                    f"column {name!r} is declared as {role} but the frame has no such column"
                )
    dupes = [c for c in roles if (frame.columns == c).sum() > 1]
    if dupes:
        raise DisclosureError(f"column {dupes[0]!r} appears more than once in the frame")
    return _Plan(counts, rates, intervals, averages)


def _check_all_declared(frame: pd.DataFrame, plan: _Plan, uncontrolled: list[str]) -> None:
    treated = {*plan.counts, *plan.rates, *plan.intervals, *plan.averages}
    for name in uncontrolled:
        if name not in frame.columns:
            raise DisclosureError(f"uncontrolled column {name!r} is not in the frame")
        if name in treated:
            raise DisclosureError(f"column {name!r} is declared both controlled and uncontrolled")
    for column in frame.columns:
        if column in treated or column in uncontrolled:
            continue
        dtype = frame[column].dtype
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            raise DisclosureError(
                f"numeric column {column!r} is not declared as a count, rate or average; "
                "declare it, or list it in uncontrolled= if it is not about individuals (a "
                "target, a standard, a code, a count of providers) (measures.md section 7)"
            )


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    numbers = pd.to_numeric(frame[column], errors="coerce")
    if (numbers.isna() & frame[column].notna()).any():
        raise DisclosureError(
            f"column {column!r} holds values that are not numbers "
            "(has disclosure control already been applied to it?)"
        )
    return numbers.to_numpy(dtype="float64", na_value=np.nan)


def _mark(
    out: pd.DataFrame,
    enabled: bool,
    national: bool,
    plan: _Plan | None = None,
    marker: Any = SUPPRESSED,
) -> pd.DataFrame:
    out.attrs["disclosure_control"] = enabled
    out.attrs[LEVEL_ATTR] = NATIONAL if national else "subnational"
    out.attrs["disclosure_marker"] = marker if plan is not None else None
    out.attrs["disclosure_columns"] = {
        "counts": list(plan.counts) if plan is not None else [],
        "rates": list(plan.rates) if plan is not None else [],
        "intervals": list(plan.intervals) if plan is not None else [],
        "averages": list(plan.averages) if plan is not None else [],
    }
    return out


def suppress_counts(
    frame: pd.DataFrame,
    count_columns: str | Iterable[str] | None = None,
    rate_columns: Mapping[str, RateSpec] | None = None,
    average_columns: Mapping[str, str] | None = None,
    enabled: bool = True,
    *,
    national: bool = False,
    uncontrolled: str | Iterable[str] | None = None,
    marker: str | float = SUPPRESSED,
) -> pd.DataFrame:
    """Apply disclosure control (measures.md section 7) to an aggregate table, in one call.

    The rules, below national level:

    - counts: 0 stays 0; 1 to 7 become ``*``; others are rounded to the nearest 5 (halves up);
      NaN (not available) stays NaN;
    - rates and percentages are recomputed from the rounded numerator and denominator, and are
      ``*`` where either was suppressed (NaN where the rounded denominator is 0 or missing),
      a percentage at the precision :func:`percentage_decimals` allows; intervals come from
      the unrounded counts (``Rate.interval``, else as the frame holds them);
    - means, medians and percentiles are ``*`` where the count they rest on (before rounding)
      is under 8 or missing;
    - the frame must hold no record-level column (:func:`assert_no_record_level`); this is
      checked even when control is off or national.

    Parameters
    ----------
    frame : pandas.DataFrame
        An aggregate table: one row per group. Never modified.
    count_columns : str or iterable of str, optional
        Count columns. The numerators and denominators of ``rate_columns`` and the counts
        ``average_columns`` rest on are counts too, and are treated whether listed or not.
    rate_columns : mapping of str to Rate or tuple, optional
        ``{"performance": Rate("met", "in_scope", 100)}``; a tuple ``(numerator, denominator,
        multiplier[, lower, upper, interval])`` is read as a :class:`Rate`. Interval columns
        named ``<rate>_lower`` and ``<rate>_upper`` are found without being named (the one
        inference made).
    average_columns : mapping of str to str, optional
        ``{"median_days": "completed"}``: each mean, median or percentile column and the count
        of records it is based on.
    enabled : bool, default True
        ``False`` (internal use only) returns an unchanged copy marked
        ``attrs["disclosure_control"] = False``.
    national : bool, default False
        ``True`` for a table of national (England) figures, which are not suppressed or
        rounded: an unchanged copy marked ``attrs["disclosure_level"] = "national"``.
    uncontrolled : str or iterable of str, optional
        Numeric columns that are not about individuals and are left alone (a standard, a target,
        a code such as IMD quintile, a count of providers). Below national level every numeric
        column must be declared as a count, rate, interval or average, or listed here: an
        undeclared one is an error rather than a silent release.
    marker : str or float, default ``"*"``
        What a hidden value is shown as. A string gives ``object`` columns for a report table
        (``int`` counts, ``float`` rates and averages, the marker, NaN for not available);
        ``np.nan`` gives ``float64`` columns, for charts.

    Returns
    -------
    pandas.DataFrame
        A new frame with the same columns, index and order. ``attrs`` records
        ``disclosure_control`` (bool), ``disclosure_level`` (``"subnational"`` or
        ``"national"``), ``disclosure_marker`` and ``disclosure_columns`` (a dict of the
        ``counts``, ``rates``, ``intervals`` and ``averages`` treated; empty lists when nothing
        was changed).

    Raises
    ------
    DisclosureError
        A record-level column; a declared column missing or declared twice; an undeclared
        numeric column; a count that is negative, not whole or not a number.

    Examples
    --------
    See the module's docstring.
    """
    assert_no_record_level(frame)
    plan = _plan(frame, count_columns, rate_columns, average_columns)
    if not isinstance(marker, str) and not pd.isna(marker):
        raise DisclosureError("marker must be a string (such as '*') or NaN")
    out = frame.copy(deep=True)
    out.attrs = copy.deepcopy(frame.attrs)
    if not enabled or national:
        return _mark(out, enabled, national)
    _check_all_declared(frame, plan, _names(uncontrolled))

    raw = {c: _counts_array(frame[c], f"column {c!r}") for c in plan.counts}
    hidden = {c: _is_suppressed(v) for c, v in raw.items()}
    rounded = {c: _rounded(v) for c, v in raw.items()}
    for c in plan.counts:
        out[c] = _column(out, _display(rounded[c], hidden[c], marker, whole=True))

    for name, rate in plan.rates.items():
        _control_rate(out, name, rate, plan, (raw, rounded), hidden, marker)
    for name, base in plan.averages.items():
        with np.errstate(invalid="ignore"):
            too_few = ~(raw[base] >= MINIMUM_RECORDS)
        out[name] = _column(out, _display(_numbers(frame, name), too_few, marker, whole=False))

    return _mark(out, True, False, plan, marker)


def _column(out: pd.DataFrame, values: np.ndarray) -> pd.Series:
    return pd.Series(values, index=out.index, dtype=values.dtype)


def percentage_decimals(denominator: Any) -> Any:
    """How many decimals a percentage below England may show, from its rounded denominator
    (measures.md section 7, presentation rules): 1 where it is at least 4,000, else 0.

    Examples
    --------
    >>> percentage_decimals(3995), percentage_decimals(4000)
    (0, 1)
    >>> percentage_decimals(np.array([45.0, 12000.0])).tolist()
    [0, 1]
    """
    if np.ndim(denominator) == 0:
        return 1 if float(denominator) >= ONE_DECIMAL_FROM else 0
    with np.errstate(invalid="ignore"):
        return np.where(np.asarray(denominator, dtype="float64") >= ONE_DECIMAL_FROM, 1, 0)


def _at_precision(values: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    """``values`` rounded half up to ``decimals`` (0 or 1) places."""
    scale = np.power(10.0, decimals)
    return np.floor(values * scale + 0.5) / scale


def _display_percentage(
    values: np.ndarray, hide: np.ndarray, decimals: np.ndarray, marker: Any
) -> np.ndarray:
    """Like :func:`_display`, with a whole percentage as an ``int`` (so it is shown whole)."""
    shown = _at_precision(values, decimals)
    out = _display(shown, hide, marker, whole=False)
    if out.dtype == object:
        for i, (v, d) in enumerate(zip(out, decimals, strict=True)):
            if isinstance(v, float) and not np.isnan(v) and d == 0:
                out[i] = int(v)
    return out


def _control_rate(
    out: pd.DataFrame,
    name: str,
    rate: Rate,
    plan: _Plan,
    counts: tuple[dict[str, np.ndarray], dict[str, np.ndarray]],
    hidden: dict[str, np.ndarray],
    marker: str | float,
) -> None:
    """Rate ``name`` recomputed in ``out`` from its rounded counts (a percentage at the
    precision its rounded denominator supports), with its interval columns from the unrounded
    counts (by ``rate.interval``, or as ``out`` holds them), hidden where the rate is."""
    raw, rounded = counts
    num, den = rounded[rate.numerator], rounded[rate.denominator]
    hide = hidden[rate.numerator] | hidden[rate.denominator]
    usable = den > 0  # False for NaN too
    safe_den = np.where(usable, den, 1.0)
    value = np.where(usable, num / safe_den * rate.multiplier, np.nan)
    # a suppressed count hides its rate, even where the rounded denominator is 0 (1 or 2
    # rounds to 0): the reader sees the one suppression mark, not "not available"
    value = np.where(hide, 0.0, value)
    percentage = rate.multiplier == 100
    decimals = percentage_decimals(den)

    def shown(values: np.ndarray, hidden_here: np.ndarray) -> pd.Series:
        if percentage:
            return _column(out, _display_percentage(values, hidden_here, decimals, marker))
        return _column(out, _display(values, hidden_here, marker, whole=False))

    out[name] = shown(value, hide)
    bounds: tuple[np.ndarray, ...] | None = None
    if rate.interval is not None:
        exact_num, exact_den = raw[rate.numerator], raw[rate.denominator]
        exact_usable = exact_den > 0
        lo, hi = rate.interval(
            np.where(exact_usable, exact_num, 0.0), np.where(exact_usable, exact_den, 1.0)
        )
        bounds = tuple(np.asarray(b, dtype="float64") * rate.multiplier for b in (lo, hi))
    for column, (rate_name, is_lower) in plan.intervals.items():
        if rate_name != name:
            continue
        limit = _numbers(out, column) if bounds is None else bounds[0 if is_lower else 1]
        limit = np.where(np.isnan(value) | hide, np.where(hide, 0.0, np.nan), limit)
        out[column] = shown(limit, hide)
