"""Plain computations over measurements: units and the trailing average (no database).

Masses are stored in kg, lengths in cm (1 in = 2.54 cm exactly, 1 lb = 0.45359237 kg exactly),
both with two decimals; the pages show one decimal in the lifter's units.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from training.domain.units import KG, LB, from_kg, to_kg

CM = "cm"
INCH = "in"
PERCENT = "%"
CM_PER_INCH = Decimal("2.54")
STORAGE_STEP = Decimal("0.01")
DISPLAY_STEP = Decimal("0.1")
AVERAGE_DAYS = 7

MASS_UNITS = (KG, LB)
LENGTH_UNITS = (CM, INCH)


def length_unit_for(weight_unit: str) -> str:
    """Girths in inches for a lifter who weighs in pounds, centimetres otherwise."""
    return INCH if weight_unit == LB else CM


def to_canonical(value: Decimal, unit: str) -> Decimal:
    """A value entered in ``unit`` as stored: kg, cm, or as it is (%, a plain number)."""
    amount = Decimal(value)
    if unit in MASS_UNITS:
        return to_kg(amount, unit)
    if unit == INCH:
        amount = amount * CM_PER_INCH
    elif unit not in (CM, PERCENT, ""):
        raise ValueError(f"unknown unit {unit!r}")
    return amount.quantize(STORAGE_STEP, rounding=ROUND_HALF_UP)


def from_canonical(value: Decimal, unit: str) -> Decimal:
    """A stored value in ``unit``, to one decimal."""
    amount = Decimal(value)
    if unit in MASS_UNITS:
        amount = from_kg(amount, unit)
    elif unit == INCH:
        amount = amount / CM_PER_INCH
    return amount.quantize(DISPLAY_STEP, rounding=ROUND_HALF_UP)


def trailing_average(
    points: Sequence[tuple[dt.date, Decimal]], days: int = AVERAGE_DAYS
) -> list[tuple[dt.date, Decimal]]:
    """For each point (dates ascending, one per day), the mean of the values dated within the
    ``days`` days ending on its date (that day and the ``days - 1`` before it), to two decimals.

    A calendar window, not the last ``days`` entries: a gap of a week leaves the average with the
    one value after it, instead of mixing in values from weeks ago.
    """
    window: deque[tuple[dt.date, Decimal]] = deque()
    total = Decimal(0)
    out = []
    for day, value in points:
        window.append((day, Decimal(value)))
        total += Decimal(value)
        while window[0][0] <= day - dt.timedelta(days=days):
            total -= window.popleft()[1]
        out.append((day, (total / len(window)).quantize(STORAGE_STEP, rounding=ROUND_HALF_UP)))
    return out
