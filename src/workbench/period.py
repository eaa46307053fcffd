"""Reporting periods and moments: parsing dates, the default period of a store, and a time
stamp as a person reads it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbench.errors import WorkbenchError


def parse_date(value: dt.date | str, what: str = "date") -> dt.date:
    """A date from a ``datetime.date`` or ISO text; WorkbenchError saying which date is wrong."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise WorkbenchError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every month from ``start``'s month to ``end``'s, capped at ``end``."""
    out, month = [], start.replace(day=1)
    while month <= end:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        out.append(min(following - dt.timedelta(days=1), end))
        month = following
    return out


@dataclass(frozen=True)
class Period:
    """A reporting period [start, end] and the census date of its waiting list (default: end)."""

    start: dt.date
    end: dt.date
    census: dt.date

    @classmethod
    def of(
        cls, start: dt.date | str, end: dt.date | str, census: dt.date | str | None = None
    ) -> Period:
        """The period [start, end] (dates or ISO text) with its census date (default: end)."""
        s, e = parse_date(start, "period start"), parse_date(end, "period end")
        if e < s:
            raise WorkbenchError(f"period end {e} is before period start {s}")
        return cls(s, e, parse_date(census, "census date") if census else e)

    @classmethod
    def default_for(cls, report: dict) -> Period:
        """The last 12 whole months a store covers: up to the end of the month before the
        month of its last submission (a submission covers the period before its date)."""
        last = report.get("last_submission_date")
        if not last:
            raise WorkbenchError("the store holds no submissions; give --period-start/--period-end")
        end = dt.date.fromisoformat(last).replace(day=1) - dt.timedelta(days=1)
        start = (
            dt.date(end.year, 1, 1) if end.month == 12 else dt.date(end.year - 1, end.month + 1, 1)
        )
        return cls(start, end, end)

    def history(self, report: dict, months: int = 24) -> Period:
        """The period a time chart covers: up to ``months`` whole months ending with this
        period's last month, starting no earlier than the first month the store holds (the
        month before its first submission, which covers the period before its date); the
        census date stays this period's. This period itself where the store holds no more.

        Examples
        --------
        >>> p = Period.of("2025-04-01", "2026-03-31")
        >>> p.history({"first_submission_date": "2024-05-10"}).start
        datetime.date(2024, 4, 1)
        >>> p.history({"first_submission_date": "2023-01-05"}).start
        datetime.date(2024, 4, 1)
        >>> p.history({"first_submission_date": "2025-09-01"}).start
        datetime.date(2025, 4, 1)
        """
        index = self.end.year * 12 + self.end.month - 1 - (months - 1)  # months since year 0
        first = dt.date(index // 12, index % 12 + 1, 1)
        held = report.get("first_submission_date")
        if held:
            covered = (dt.date.fromisoformat(held).replace(day=1) - dt.timedelta(days=1)).replace(
                day=1
            )
            first = max(first, covered)
        return Period(min(first, self.start), self.end, self.census)

    def to_dict(self) -> dict:
        return {
            "period_start": self.start.isoformat(),
            "period_end": self.end.isoformat(),
            "census_date": self.census.isoformat(),
        }


def moment_text(moment: object) -> str:
    """A time stamp (ISO 8601, as loads and runs record it) as a person reads it, in UTC:
    ``2026-12-02 06:14 UTC``; "unknown" when missing, and the text as it is when unreadable."""
    if moment is None or moment == "":
        return "unknown"
    try:
        parsed = dt.datetime.fromisoformat(str(moment))
    except ValueError:
        return str(moment)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
