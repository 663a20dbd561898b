"""ISO weeks in the configured time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from reports.weeks import IsoWeek

ALMATY = ZoneInfo("Asia/Almaty")


def test_parse_and_format_round_trip():
    w = IsoWeek.parse("2025-W24")
    assert (w.year, w.week, str(w)) == (2025, 24, "2025-W24")
    assert w.monday == date(2025, 6, 9) and w.sunday == date(2025, 6, 15)


@pytest.mark.parametrize("bad", ["2025-24", "2025-W54", "2025-W00", "W24", "2021-W53"])
def test_bad_weeks_are_refused(bad):
    with pytest.raises(ValueError):
        IsoWeek.parse(bad)


def test_bounds_are_local_midnights():
    start, end = IsoWeek.parse("2025-W24").bounds(ALMATY)
    # Asia/Almaty is UTC+5 since March 2024: local Monday 00:00 is Sunday 19:00 UTC.
    assert start == datetime(2025, 6, 8, 19, tzinfo=UTC)
    assert end == datetime(2025, 6, 15, 19, tzinfo=UTC)


def test_year_boundary_and_baseline():
    w = IsoWeek.parse("2026-W01")
    assert w.monday == date(2025, 12, 29)
    assert [str(b) for b in w.baseline(3)] == ["2025-W50", "2025-W51", "2025-W52"]
    assert str(IsoWeek.parse("2021-W01").shift(-1)) == "2020-W53"


def test_last_completed_uses_local_time():
    # Monday 2025-06-16 02:00 in Almaty is still Sunday 21:00 UTC: W24 has just ended there.
    now = datetime(2025, 6, 15, 21, tzinfo=UTC)
    assert str(IsoWeek.last_completed(ALMATY, now)) == "2025-W24"
    assert str(IsoWeek.last_completed(ZoneInfo("UTC"), now)) == "2025-W23"
