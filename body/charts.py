"""A series' chart and its table rows: values in the lifter's unit, with the 7-day average line for
body weight (``training.domain.charts`` draws the SVG geometry)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from body.domain import AVERAGE_DAYS, DISPLAY_STEP, trailing_average
from body.models import Kind, Measurement
from body.selectors import Series, display_value
from training.domain.charts import Chart, chart

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


def chart_for(series: Series, rows: list[Row]) -> Chart:
    labels = [f"{r.day.day} {r.day:%b}" if len(rows) < 60 else f"{r.day:%b %y}" for r in rows]
    lines: list[tuple[str, str, list[Decimal | None]]] = [
        (series.label, "line-body", [r.value for r in rows])
    ]
    if series.kind == Kind.BODY_WEIGHT:
        lines.append((f"{AVERAGE_DAYS}-day average", "line-avg", [r.average for r in rows]))
    return chart(labels=labels, lines=lines, max_x_labels=5)  # type: ignore[arg-type]
