"""Sentences that state a report's main numbers, computed from disclosure-controlled values.

Every function takes values as a report table holds them (a count may be ``"*"``, a rate may be
NaN when suppressed) and says so in words rather than printing a suppressed number.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

#: A value as a report table holds it: a number, NaN, ``"*"`` (suppressed) or None.
Value = Any


def _missing(value: object) -> bool:
    return (
        value is None or isinstance(value, str) or (isinstance(value, float) and math.isnan(value))
    )


def count_text(value: Value) -> str:
    """A count as a reader sees it: ``1,235``, ``fewer than 8`` for ``"*"``, ``no`` for 0."""
    if isinstance(value, str):
        return "fewer than 8" if value.strip() == "*" else value
    if _missing(value):
        return "an unknown number of"
    return "no" if value == 0 else f"{int(value):,}"


def percent(value: Value) -> str:
    """A percentage at the precision the table holds it (measures.md section 7): a whole
    number (an ``int``, as disclosure control leaves a percentage whose rounded denominator is
    under 4,000) without decimals, any other number to one decimal.

    >>> percent(72), percent(72.44), percent(100.0)
    ('72%', '72.4%', '100.0%')
    """
    if isinstance(value, numbers.Integral):
        return f"{int(value)}%"
    return f"{float(value):.1f}%"


def pct_text(value: Value, lower: Value = None, upper: Value = None) -> str:
    """A percentage with its 95% interval: ``72.4% (95% CI 70.1% to 74.6%)``, each at the
    precision the table holds it (:func:`percent`)."""
    if _missing(value):
        return "not shown (too few records, or suppressed)"
    text = percent(value)
    if not (_missing(lower) or _missing(upper)):
        text += f" (95% CI {percent(lower)} to {percent(upper)})"
    return text


def p_value_text(value: Value) -> str:
    """A p value as a reader takes it: ``<0.001`` below 0.001, otherwise three decimals (so a
    tiny p value never reads as 0.0); empty when there is none."""
    if _missing(value):
        return ""
    return "<0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def duration_text(value: Value, unit: str) -> str:
    """A number of ``unit`` (days, minutes): whole numbers without a decimal, others to one
    decimal; or a note that it is not shown (measures.md section 7: fewer than 8 records)."""
    if _missing(value):
        return "not shown (fewer than 8 records)"
    return f"{value:,.0f} {unit}" if float(value).is_integer() else f"{value:,.1f} {unit}"


def days_text(value: Value) -> str:
    """A number of days, or a note that it is not shown."""
    return duration_text(value, "days")


def share_sentence(
    subject: str, pct: Value, lower: Value, upper: Value, of: str, denominator: Value
) -> str:
    """``"<subject> was 72.4% (95% CI ...) of 1,235 <of>."``"""
    if _missing(pct):
        return (
            f"{subject} cannot be shown (too few to publish safely); there were "
            f"{count_text(denominator)} {of}."
        )
    return f"{subject} was {pct_text(pct, lower, upper)} of {count_text(denominator)} {of}."


def against_standard(pct: Value, lower: Value, upper: Value, standard: float) -> str:
    """Whether a percentage meets a standard, taking its interval into account."""
    if _missing(pct):
        return "Performance against the standard cannot be shown."
    if not (_missing(lower) or _missing(upper)):
        if lower >= standard:
            return f"This is above the {standard:g}% standard, beyond chance variation."
        if upper < standard:
            return f"This is below the {standard:g}% standard, beyond chance variation."
        return (
            f"The interval includes the {standard:g}% standard: the difference from it "
            "could be chance."
        )
    return f"{'Meets' if pct >= standard else 'Below'} the {standard:g}% standard."
