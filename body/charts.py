"""A series' chart and its table rows: values in the lifter's unit, with the 7-day average line for
body weight. The geometry is ``training.domain.charts``' (same viewBox, same drawing), with x
placed by date rather than one slot per value: measurements come irregularly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from math import ceil, floor

from body.domain import AVERAGE_DAYS, DISPLAY_STEP, trailing_average
from body.models import Kind, Measurement
from body.selectors import Series, display_value
from training.domain.charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    Chart,
    Line,
    Point,
    Tick,
    nice_step,
)

RANGES = {"30": 30, "90": 90, "365": 365, "all": None}
DEFAULT_RANGE = "90"


@dataclass(frozen=True)
class Row:
    measurement: Measurement
    day: dt.date
    value: Decimal
    average: Decimal | None


def since_for(range_key: str, today: dt.date) -> dt.date | None:
    days = RANGES.get(range_key, RANGES[DEFAULT_RANGE])
    return None if days is None else today - dt.timedelta(days=days - 1)


def rows_for(series: Series, measurements: list[Measurement], since: dt.date | None) -> list[Row]:
    """Oldest first. The average runs over every value given (pass a week before ``since`` too, so
    the first days of the range average what came before them); rows start at ``since``."""
    values = [(m.measured_on, display_value(m.value, series)) for m in measurements]
    averages = (
        {day: avg.quantize(DISPLAY_STEP) for day, avg in trailing_average(values, AVERAGE_DAYS)}
        if series.kind == Kind.BODY_WEIGHT
        else {}
    )
    return [
        Row(m, day, value, averages.get(day))
        for m, (day, value) in zip(measurements, values, strict=True)
        if since is None or day >= since
    ]


def _label(day: dt.date, span_days: int) -> str:
    return f"{day:%b %y}" if span_days > 200 else f"{day.day} {day:%b}"


def chart_for(series: Series, rows: list[Row]) -> Chart:
    """Values placed by date (a week without weigh-ins is a week wide), in a fixed viewBox."""
    if not rows:
        return Chart(width=WIDTH, height=HEIGHT, lines=(), bars=(), bands=(), y_ticks=(), x_ticks=())
    first, last = rows[0].day, rows[-1].day
    span = max((last - first).days, 1)
    numbers = [float(r.value) for r in rows] + [float(r.average) for r in rows if r.average is not None]
    step = nice_step((max(numbers) - min(numbers)) or 1.0)
    low, high = floor(min(numbers) / step) * step, ceil(max(numbers) / step) * step
    if high <= low:
        high = low + step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_at(day: dt.date) -> float:
        if first == last:
            return round(LEFT + plot_w / 2, 1)
        return round(LEFT + plot_w * (day - first).days / span, 1)

    def y_at(value: float) -> float:
        return round(TOP + plot_h * (1 - (value - low) / (high - low)), 1)

    def line(name: str, css: str, values: list[tuple[dt.date, Decimal | None]]) -> Line:
        points = tuple(
            Point(x_at(day), y_at(float(v)), float(v), f"{day.day} {day:%b %Y}")
            for day, v in values
            if v is not None
        )
        return Line(name=name, css=css, points=points)

    lines = [line(series.label, "line-body", [(r.day, r.value) for r in rows])]
    if series.kind == Kind.BODY_WEIGHT:
        lines.append(line(f"{AVERAGE_DAYS}-day average", "line-avg", [(r.day, r.average) for r in rows]))
    y_ticks = []
    value = low
    while value <= high + 1e-9:
        y_ticks.append(Tick(y_at(value), f"{round(value, 2):g}"))
        value += step
    count = 1 if first == last else min(5, span + 1)
    x_days = [first + dt.timedelta(days=round(i * span / max(count - 1, 1))) for i in range(count)]
    x_ticks = tuple(Tick(x_at(day), _label(day, span)) for day in x_days)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        lines=tuple(lines),
        bars=(),
        bands=(),
        y_ticks=tuple(y_ticks),
        x_ticks=x_ticks,
    )
