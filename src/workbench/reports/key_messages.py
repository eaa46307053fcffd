"""The key messages at the top of a report: the few numbers (2 to 5) that matter for it, each
percentage with its 95% interval and a rating in words, computed from the same
disclosure-controlled values as the report's tables (measures.md section 7), never typed into a
notebook.

A percentage is rated against the standard where one exists (urgent response: the 70% standard,
measures.md section 4; data items: the 95% and 90% thresholds, measures.md section 2), otherwise
against England's value: "higher than England" or "lower than England" only when England's value
lies outside the organisation's 95% interval, "similar to England" when inside it. England's own
report rates against the standards only. The batch index (:mod:`workbench.publish.index`) shows
the same messages.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from workbench import charts
from workbench.aggregates_folder import NO_BREAKDOWN
from workbench.breakdowns import CYP_SERVICE
from workbench.measures.registry import column_for
from workbench.measures.ucr import STANDARD_PERFORMANCE
from workbench.reports import narrative as say
from workbench.reports.data import ReportData
from workbench.reports.sections.data_quality import submitted
from workbench.reports.services import service_long_waits
from workbench.reports.tables import controlled, exact_rate


@dataclass(frozen=True)
class KeyMessage:
    """One headline number: ``label`` (what it is), ``value`` (as shown, e.g. ``75.9%`` or
    ``1,235``; ``*`` or a note when suppressed), ``interval`` (``95% CI 68.3% to 82.1%`` or
    empty), ``rating`` (words, empty when the number is not rated) and, for a percentage,
    ``counts``: its numerator and denominator as the page shows them (``"15 of 45"``), so a
    rate never stands without them (measures.md section 7)."""

    label: str
    value: str
    interval: str = ""
    rating: str = ""
    counts: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _missing(value: object) -> bool:
    return (
        value is None or isinstance(value, str) or (isinstance(value, float) and math.isnan(value))
    )


def _number(value: Any) -> float | None:
    """A controlled cell as a number (a whole percentage stays an ``int``, so it is said
    whole); None when suppressed (``*``) or missing."""
    if _missing(value):
        return None
    return int(value) if isinstance(value, int) else float(value)


def _pct(value: float | None) -> str:
    return "not shown (too few records)" if value is None else say.percent(value)


def _interval(lower: float | None, upper: float | None) -> str:
    if lower is None or upper is None:
        return ""
    return f"95% CI {say.percent(lower)} to {say.percent(upper)}"


def against_standard(
    value: float | None, lower: float | None, upper: float | None, standard: float, what: str
) -> str:
    """A percentage rated in words against a standard, by its 95% interval."""
    if value is None:
        return "Not rated (too few records)"
    if lower is None or upper is None:
        return f"{'At or above' if value >= standard else 'Below'} the {standard:g}% {what}"
    if lower >= standard:
        return f"Above the {standard:g}% {what}"
    if upper < standard:
        return f"Below the {standard:g}% {what}"
    return f"Not clearly different from the {standard:g}% {what}"


def against_england(
    value: float | None, lower: float | None, upper: float | None, england: float | None
) -> str:
    """A percentage rated in words against England's: outside or inside its 95% interval."""
    if england is None or value is None:
        return ""
    england_text = f"England {say.percent(england)}"
    if lower is None or upper is None:
        return england_text
    if england < lower:
        return f"Higher than England ({england_text})"
    if england > upper:
        return f"Lower than England ({england_text})"
    return f"Similar to England ({england_text})"


#: How a table's rows for one organisation are read (default: :meth:`ReportData.table`).
Rows = Callable[[ReportData], pd.DataFrame]


def _row(
    data: ReportData, table: str, columns: list[str], rows: Rows | None = None
) -> pd.Series | None:
    """The organisation's one row of ``table``, disclosure-controlled as the report shows it."""
    frame = rows(data) if rows else data.table(table)
    if frame.empty:
        return None
    return controlled(frame, table, columns, enabled=data.disclosure_control).iloc[0]


def _counts_text(row: pd.Series, table: str, rate: str) -> str:
    """The numerator and denominator of ``rate`` as the row shows them: ``"15 of 45"``."""
    column = column_for(table, rate)
    if not column.numerator or not column.denominator:
        return ""
    if column.numerator not in row or column.denominator not in row:
        return ""
    return f"{say.count_text(row[column.numerator])} of {say.count_text(row[column.denominator])}"


def _rate(
    data: ReportData,
    table: str,
    rate: str,
    label: str,
    rows: Rows | None = None,
    rate_words: Callable[[float | None, float | None, float | None], str] | None = None,
    absent: str | None = None,
) -> KeyMessage | None:
    """One controlled percentage of ``table`` with its interval and the counts it is made of,
    rated by ``rate_words`` or, without it, against England's controlled value. Where the
    organisation has no rows, ``absent`` says so in words (None: no message)."""
    row = _row(data, table, [rate], rows)
    if row is None:
        return None if absent is None else KeyMessage(label, absent)
    value, lower, upper = (_number(row[c]) for c in (rate, f"{rate}_lower", f"{rate}_upper"))
    # rated from the unrounded percentage and interval, where the page shows a value
    exact = exact_rate(rows(data) if rows else data.table(table), table, rate)
    shown = value is not None
    at, low, high = (_number(v) if shown else None for v in exact)
    if rate_words is not None:
        rating = rate_words(at, low, high)
    elif data.level == "england":
        rating = ""
    else:
        england = _row(data.seen_from("england"), table, [rate], rows)
        rating = against_england(at, low, high, None if england is None else _number(england[rate]))

    counts = _counts_text(row, table, rate)
    return KeyMessage(label, _pct(value), _interval(lower, upper), rating, counts)


def _count(
    data: ReportData,
    table: str,
    column: str,
    label: str,
) -> KeyMessage | None:
    """One controlled count (``*`` shown as "fewer than 8")."""
    frame = data.table(table, NO_BREAKDOWN)
    if frame.empty:
        return None
    value = controlled(frame, table, [column], enabled=data.disclosure_control).iloc[0][column]
    return KeyMessage(label, say.count_text(value))


def _minutes(data: ReportData, table: str, column: str, label: str) -> KeyMessage | None:
    """One controlled number of minutes (not shown from fewer than 8 records), controlled with
    the counts the urgent response summary shows it with."""
    row = _row(data, table, ["clocks", "performance", column])
    if row is None:
        return None
    return KeyMessage(label, say.duration_text(_number(row[column]), "minutes"))


def urgent_response(data: ReportData) -> list[KeyMessage | None]:
    """2-hour performance against the 70% standard (measures.md section 4), the in-scope clocks
    it rests on, and the median response time."""
    return [
        _rate(
            data,
            "ucr_performance",
            "performance",
            "2-hour urgent response: in-scope clocks met within 2 hours",
            rate_words=lambda v, lo, up: against_standard(
                v, lo, up, STANDARD_PERFORMANCE, "standard"
            ),
        ),
        _count(data, "ucr_performance", "in_scope", "In-scope 2-hour clocks"),
        _minutes(data, "ucr_performance", "median_minutes", "Median response time"),
    ]


def waits(data: ReportData) -> list[KeyMessage | None]:
    """The waiting list at the census date (measures.md section 3): its size, the share over 18
    weeks, those over 52 weeks, and children and young people over 52 weeks."""
    return [
        _count(data, "waiting_list", "waiting", "Waiting at the census date"),
        _rate(data, "waiting_list", "pct_over_18_weeks", "Waiting over 18 weeks"),
        _count(data, "waiting_list", "over_52_weeks", "Waiting over 52 weeks"),
        _children_over_52_weeks(data),
    ]


def _children_over_52_weeks(data: ReportData) -> KeyMessage | None:
    """Children and young people's services' waits over 52 weeks: the number the report's
    children's services table shows (its service lines added, then controlled)."""
    services = service_long_waits(data)
    cyp = services[services["service"] == CYP_SERVICE] if len(services) else services
    if cyp.empty:
        return None
    return KeyMessage(
        "Children and young people's services: waiting over 52 weeks",
        say.count_text(cyp.iloc[0]["over_52_weeks"]),
    )


#: The coded items of the data quality key messages: table, counts, label.
CODED_ITEMS = (
    (
        "ethnicity_quality",
        ["records", "known", "not_stated", "not_known", "missing", "invalid"],
        "Ethnicity known",
    ),
    (
        "deprivation_quality",
        ["records", "known", "missing", "invalid", "lsoa_2021_only"],
        "Deprivation known (a valid 2011 LSOA)",
    ),
)


def _submitted(table: str, counts: list[str]) -> Rows:
    """How the data quality report reads ``table`` for an organisation's submitters."""

    def rows(org: ReportData) -> pd.DataFrame:
        return submitted(org, table, counts)

    return rows


def _item_rating(value: float | None, lower: float | None, upper: float | None) -> str:
    """A data item's rating (Good, Needs attention, Poor: measures.md section 2)."""
    return charts.rating_label(value)


def data_quality(data: ReportData) -> list[KeyMessage | None]:
    """Ethnicity and deprivation known (measures.md section 2), for the organisation's
    submitters as the report's tables count them, rated Good, Needs attention or Poor."""
    return [
        _rate(
            data,
            table,
            "pct_known",
            label,
            rows=_submitted(table, counts),
            rate_words=_item_rating,
        )
        for table, counts, label in CODED_ITEMS
    ]


def outcomes(data: ReportData) -> list[KeyMessage | None]:
    """The did-not-attend rate, readmission within 30 days and emergency admission within 2 days
    of an urgent response (measures.md section 5), each rated against England's."""
    return [
        _rate(data, "contact_outcomes", "dna_rate", "Did-not-attend rate"),
        _rate(
            data,
            "inpatient_stays",
            "readmission_rate",
            "Community inpatients readmitted within 30 days",
            absent="no community inpatient stays ended in the period",
        ),
        _rate(
            data,
            "ucr_follow_on",
            "pct_admitted_2_days",
            "Emergency admission within 2 days of an urgent response",
        ),
    ]


def _reablement_any(data: ReportData) -> pd.DataFrame:
    """The reablement row of episodes linked to either kind of discharge."""
    frame = data.table("linked_reablement_at_home")
    return frame[frame["discharge_setting"] == "any"].reset_index(drop=True)


def pathways(data: ReportData) -> list[KeyMessage | None]:
    """Linked pathways (measures.md section 9): urgent responses followed by neither an
    admission nor a social care request within 30 days, community bed discharges with a social
    care service within 90 days, and reablement still at home after 84 days (ASCOF 2D), each
    rated against England's."""
    return [
        _rate(
            data,
            "linked_after_ucr",
            "pct_neither_30_days",
            "Urgent response: no emergency admission or social care request within 30 days",
        ),
        _rate(
            data,
            "linked_discharge_to_service",
            "pct_with_service",
            "Community bed discharges: a social care service within 90 days",
            absent="no community inpatients were discharged alive in the period",
        ),
        _rate(
            data,
            "linked_reablement_at_home",
            "pct_at_home_84_days",
            "Reablement, 65 and over: at home 84 days after discharge (ASCOF 2D)",
            rows=_reablement_any,
            absent="no reablement episode of a person aged 65 or over linked to a discharge",
        ),
    ]


#: The key messages of each report, by notebook name.
REPORTS: dict[str, Callable[[ReportData], list[KeyMessage | None]]] = {
    "urgent_response": urgent_response,
    "waits": waits,
    "data_quality": data_quality,
    "outcomes": outcomes,
    "pathways": pathways,
}


def key_messages(data: ReportData, report: str) -> list[KeyMessage]:
    """The key messages of ``report`` (a notebook name in :data:`REPORTS`) for ``data``,
    disclosure-controlled as ``data.disclosure_control`` says."""
    if report not in REPORTS:
        raise KeyError(f"no key messages for report {report!r}; known: {', '.join(REPORTS)}")
    return [m for m in REPORTS[report](data) if m is not None]


def key_messages_html(messages: list[KeyMessage]) -> str:
    """The key-messages box: one line per number, its interval and its rating in words."""
    if not messages:
        return ""
    items = []
    for m in messages:
        interval = (
            f' <span class="interval">({html.escape(m.interval)})</span>' if m.interval else ""
        )
        rating = f' <span class="rating">{html.escape(m.rating)}</span>' if m.rating else ""
        counts = f', <span class="counts">{html.escape(m.counts)}</span>' if m.counts else ""
        items.append(
            f'<li><span class="label">{html.escape(m.label)}:</span> '
            f'<strong class="value">{html.escape(m.value)}</strong>{counts}{interval}{rating}</li>'
        )
    return (
        '<section class="key-messages" aria-labelledby="key-messages"><h2 id="key-messages">'
        f"Key messages</h2><ul>{''.join(items)}</ul></section>"
    )
