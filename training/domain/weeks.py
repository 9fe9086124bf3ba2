"""ISO weeks (Monday to Sunday) in the lifter's time zone; ``2026-W49`` names one (TRAINING.md).

A workout belongs to the week of its start time, read in the lifter's time zone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{2})$")
# Weeks a person can name (parse): far enough from the calendar's ends that a page can step a
# year of weeks either way without leaving what dates can hold.
PARSE_YEARS = range(1901, 2200)
UTC = ZoneInfo("UTC")


def zone(name: str | None) -> ZoneInfo:
    """The named time zone, or UTC when the name is blank or unknown."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def weeks_in_year(year: int) -> int:
    """52 or 53: 28 December always lies in the year's last ISO week."""
    return dt.date(year, 12, 28).isocalendar().week


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9998:
            raise ValueError(f"year {self.year} is out of range")
        if not 1 <= self.week <= weeks_in_year(self.year):
            raise ValueError(f"{self.year} has no week {self.week}")

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """``2026-W49`` (also ``2026W49``, any case); ValueError for anything else."""
        match = _WEEK_RE.match((text or "").strip().upper())
        if not match:
            raise ValueError(f"{text!r} is not a week like 2026-W49")
        if int(match.group(1)) not in PARSE_YEARS:
            raise ValueError(f"{text!r} is too far in the past or future")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of_date(cls, day: dt.date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def of(cls, moment: dt.datetime, tz: ZoneInfo) -> IsoWeek:
        """The week a moment falls in, in ``tz`` (a workout: the week of its start)."""
        if moment.tzinfo is None:
            raise ValueError("an aware datetime is needed")
        return cls.of_date(moment.astimezone(tz).date())

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek.of_date(self.monday + dt.timedelta(weeks=weeks))

    def previous(self) -> IsoWeek:
        return self.shift(-1)

    def next(self) -> IsoWeek:
        return self.shift(1)

    def bounds(self, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """[start, end): local Monday 00:00 to the next Monday 00:00, as aware datetimes in UTC."""
        return local_midnight(self.monday, tz), local_midnight(self.monday + dt.timedelta(days=7), tz)

    @property
    def label(self) -> str:
        """``1–7 Dec 2026`` (or ``28 Dec 2026 – 3 Jan 2027`` across a year end)."""
        start, end = self.monday, self.sunday
        if start.year != end.year:
            return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
        if start.month != end.month:
            return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
        return f"{start.day}–{end.day} {end:%b %Y}"


def local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """00:00 of ``day`` in ``tz`` as an aware UTC datetime (the earlier one if midnight repeats)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(UTC)


def current_week(now: dt.datetime, tz: ZoneInfo) -> IsoWeek:
    return IsoWeek.of(now, tz)


def week_range(last: IsoWeek, count: int) -> list[IsoWeek]:
    """``count`` consecutive weeks ending with ``last``, oldest first."""
    if count < 1:
        return []
    return [last.shift(-offset) for offset in range(count - 1, -1, -1)]


def parse_week_or(text: str | None, default: IsoWeek) -> IsoWeek:
    """The week named in a query string, or ``default`` when none is given (ValueError if bad)."""
    if text is None or not text.strip():
        return default
    return IsoWeek.parse(text)
