"""ISO weeks in the configured time zone: the unit of the digest.

A week runs from Monday 00:00 to the next Monday 00:00 local time, so that it is exactly the
union of seven local days of ``daily_aggregates`` (which use the same zone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


MIN_YEAR, MAX_YEAR = 1900, 2999  # news dates; far from datetime's limits in any time zone


@dataclass(frozen=True, kw_only=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:  # beyond, a week's bounds overflow
            raise ValueError(f"year {self.year} is outside {MIN_YEAR} .. {MAX_YEAR}")
        # date.fromisocalendar validates the week number (W53 exists only in some years).
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError as exc:
            raise ValueError(f"no ISO week {self.year}-W{self.week:02d}: {exc}") from exc

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        m = _WEEK.match(text.strip())
        if not m:
            raise ValueError(f"not an ISO week: {text!r} (expected e.g. 2025-W24)")
        return cls(year=int(m.group(1)), week=int(m.group(2)))

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        y, w, _ = day.isocalendar()
        return cls(year=y, week=w)

    @classmethod
    def last_completed(cls, tz: ZoneInfo, now: datetime | None = None) -> IsoWeek:
        """The ISO week that ended most recently in ``tz`` (on a Monday: last week)."""
        now = now or datetime.now(UTC)
        return cls.of(now.astimezone(tz).date()).shift(-1)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def baseline(self, n: int) -> list[IsoWeek]:
        """The ``n`` weeks before this one, oldest first."""
        return [self.shift(-i) for i in range(n, 0, -1)]

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """UTC instants [start, end) of the week in ``tz``."""
        return span_bounds(self.monday, self.sunday, tz)


def span_bounds(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC instants [start, end) covering local days ``first`` .. ``last`` inclusive."""
    start = datetime.combine(first, time.min, tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tz).astimezone(UTC)
    return start, end
