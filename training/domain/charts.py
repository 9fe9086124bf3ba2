"""Server-rendered SVG chart geometry: plain numbers in, coordinates out (no drawing library).

Charts are drawn in a fixed viewBox and scale with the page; every chart also has a text table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from math import ceil, floor, log10

WIDTH = 320
HEIGHT = 180
LEFT = 36  # room for the y-axis labels
RIGHT = 8
TOP = 10
BOTTOM = 24  # room for the x-axis labels

Value = float | int | Decimal | None


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True)
class Line:
    name: str
    css: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        """An SVG ``points`` attribute: ``x1,y1 x2,y2 …``."""
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    label: str


@dataclass(frozen=True)
class Band:
    y: float
    height: float
    css: str
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: tuple[Line, ...]
    bars: tuple[Bar, ...]
    bands: tuple[Band, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def empty(self) -> bool:
        return not any(line.points for line in self.lines) and not self.bars


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5, 5 × 10^n) giving about ``ticks`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10 ** floor(log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _label(value: float) -> str:
    return f"{value:g}"


def _scale(values: Sequence[float], floor_at_zero: bool) -> tuple[float, float, float]:
    low = min(values) if values else 0.0
    high = max(values) if values else 1.0
    if floor_at_zero:
        low = 0.0
    if high <= low:
        high = low + 1.0
    step = nice_step(high - low)
    low = floor(low / step) * step
    high = ceil(high / step) * step
    return low, high, step


def chart(
    *,
    labels: Sequence[str],
    lines: Sequence[tuple[str, str, Sequence[Value]]] = (),
    bars: Sequence[Value] = (),
    bands: Sequence[tuple[float, float, str, str]] = (),
    floor_at_zero: bool = False,
    max_x_labels: int = 6,
) -> Chart:
    """A chart over ``labels`` (x positions, evenly spaced): lines ``(name, css, values)``, bars
    (values), horizontal bands ``(low, high, css, label)``. ``None`` values are gaps."""
    numbers = [float(v) for _, _, vs in lines for v in vs if v is not None]
    numbers += [float(v) for v in bars if v is not None]
    numbers += [float(edge) for low, high, _, _ in bands for edge in (low, high)]
    low, high, step = _scale(numbers, floor_at_zero or bool(bars))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    n = len(labels)
    slot = plot_w / n if n else plot_w

    def x_at(i: int) -> float:
        return round(LEFT + slot * (i + 0.5), 1)

    def y_at(v: float) -> float:
        v = min(max(v, low), high)
        return round(TOP + plot_h * (1 - (v - low) / (high - low)), 1)

    out_lines = tuple(
        Line(
            name=name,
            css=css,
            points=tuple(
                Point(x_at(i), y_at(float(v)), float(v), labels[i])
                for i, v in enumerate(values)
                if v is not None
            ),
        )
        for name, css, values in lines
    )
    bar_w = round(slot * 0.6, 1)
    out_bars = tuple(
        Bar(
            x=round(x_at(i) - bar_w / 2, 1),
            y=y_at(float(v)),
            width=bar_w,
            height=round(y_at(low) - y_at(float(v)), 1),
            value=float(v),
            label=labels[i],
        )
        for i, v in enumerate(bars)
        if v is not None
    )
    out_bands = tuple(
        Band(y=y_at(hi), height=round(y_at(lo) - y_at(hi), 1), css=css, label=label)
        for lo, hi, css, label in bands
        if hi > lo
    )
    y_ticks = []
    value = low
    while value <= high + 1e-9:
        y_ticks.append(Tick(y_at(value), _label(round(value, 2))))
        value += step
    every = max(1, ceil(n / max_x_labels))
    x_ticks = tuple(Tick(x_at(i), labels[i]) for i in range(0, n, every))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        lines=out_lines,
        bars=out_bars,
        bands=out_bands,
        y_ticks=tuple(y_ticks),
        x_ticks=x_ticks,
    )
