"""training.domain.weeks: ISO weeks in the lifter's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from training.domain.weeks import UTC, IsoWeek, week_range, zone

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def test_parse_and_format():
    week = IsoWeek.parse("2026-W49")
    assert (week.year, week.week) == (2026, 49)
    assert str(week) == "2026-W49"
    assert IsoWeek.parse(" 2026w09 ") == IsoWeek(2026, 9)
    assert str(IsoWeek(2027, 1)) == "2027-W01"
    assert week.monday == dt.date(2026, 11, 30)
    assert week.sunday == dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    "text", ["", "2026-49", "2026-W54", "2026-W00", "2025-W53", "W49", "2026-W4a", "20260-W01"]
)
def test_parse_rejects_bad_weeks(text):
    with pytest.raises(ValueError):
        IsoWeek.parse(text)


def test_week_53_exists_only_in_long_years():
    assert IsoWeek.parse("2026-W53").monday == dt.date(2026, 12, 28)
    assert IsoWeek(2026, 53).next() == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).previous() == IsoWeek(2026, 53)


def test_a_workout_belongs_to_the_week_of_its_start_in_the_lifters_zone():
    # Sunday 23:30 in New York is Monday 04:30 UTC: still the earlier week for that lifter.
    start = dt.datetime(2026, 12, 7, 4, 30, tzinfo=UTC)
    assert IsoWeek.of(start, NEW_YORK) == IsoWeek(2026, 49)
    assert IsoWeek.of(start, UTC) == IsoWeek(2026, 50)
    # Sunday 20:00 UTC is already Monday in Tokyo.
    late = dt.datetime(2026, 12, 6, 20, 0, tzinfo=UTC)
    assert IsoWeek.of(late, TOKYO) == IsoWeek(2026, 50)
    with pytest.raises(ValueError):
        IsoWeek.of(dt.datetime(2026, 12, 6, 20, 0), UTC)  # noqa: DTZ001


def test_bounds_are_local_midnights_across_a_dst_change():
    start, end = IsoWeek(2026, 45).bounds(NEW_YORK)  # 2 Nov 2026; DST ended on 1 Nov
    assert start == dt.datetime(2026, 11, 2, 5, 0, tzinfo=UTC)
    assert end == dt.datetime(2026, 11, 9, 5, 0, tzinfo=UTC)
    start, end = IsoWeek(2026, 44).bounds(NEW_YORK)  # contains the change: 7 days + 1 hour
    assert start == dt.datetime(2026, 10, 26, 4, 0, tzinfo=UTC)
    assert end - start == dt.timedelta(days=7, hours=1)


def test_week_range_and_labels():
    weeks = week_range(IsoWeek(2027, 2), 4)
    assert [str(w) for w in weeks] == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert week_range(IsoWeek(2027, 2), 0) == []
    assert IsoWeek(2026, 49).label == "30 Nov – 6 Dec 2026"
    assert IsoWeek(2026, 50).label == "7–13 Dec 2026"
    assert IsoWeek(2026, 53).label == "28 Dec 2026 – 3 Jan 2027"


def test_unknown_zone_falls_back_to_utc():
    assert zone("Europe/Paris") == ZoneInfo("Europe/Paris")
    assert zone("") is UTC
    assert zone("Mars/Olympus") is UTC
