"""Load units and rounding (TRAINING.md): stored in kg (numeric(6,2)), shown in kg or lb.

1 lb = 0.45359237 kg exactly. Everything is Decimal; floats never touch a load.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal

KG = "kg"
LB = "lb"
UNITS = (KG, LB)
KG_PER_LB = Decimal("0.45359237")
STORAGE_STEP = Decimal("0.01")  # numeric(6,2)

# Display rounding and the smallest load jump, per unit (defaults).
DEFAULT_INCREMENT = {KG: Decimal("0.5"), LB: Decimal("1")}
DEFAULT_JUMP = {KG: Decimal("2.5"), LB: Decimal("5")}
DEFAULT_BAR = {KG: Decimal("20"), LB: Decimal("45")}


def _unit(unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    return unit


def to_kg(value: Decimal | int | str, unit: str) -> Decimal:
    """A load entered in ``unit`` as kg for storage (2 decimal places, half up)."""
    amount = Decimal(str(value))
    if _unit(unit) == LB:
        amount = amount * KG_PER_LB
    return amount.quantize(STORAGE_STEP, rounding=ROUND_HALF_UP)


def from_kg(weight_kg: Decimal | int | str, unit: str) -> Decimal:
    """A stored kg load in ``unit``, unrounded (exact for kg)."""
    amount = Decimal(str(weight_kg))
    return amount / KG_PER_LB if _unit(unit) == LB else amount


def round_to(value: Decimal, increment: Decimal) -> Decimal:
    """To the nearest multiple of ``increment`` (halves up)."""
    if increment <= 0:
        raise ValueError("increment must be positive")
    steps = (value / increment).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return tidy(steps * increment)


def round_down_to(value: Decimal, increment: Decimal) -> Decimal:
    """To the multiple of ``increment`` at or below ``value``."""
    if increment <= 0:
        raise ValueError("increment must be positive")
    steps = (value / increment).to_integral_value(rounding=ROUND_FLOOR)
    return tidy(steps * increment)


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without scientific notation: 100.00 -> 100, 82.50 -> 82.5."""
    value = value.normalize()
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), rounding=ROUND_DOWN)
    return value


def display_load(weight_kg: Decimal | int | str, unit: str, increment: Decimal | None = None) -> Decimal:
    """A stored load in the lifter's unit, rounded to their increment (default 0.5 kg / 1 lb)."""
    return round_to(from_kg(weight_kg, unit), increment or DEFAULT_INCREMENT[_unit(unit)])


def format_load(weight_kg: Decimal | int | str, unit: str, increment: Decimal | None = None) -> str:
    """``82.5 kg`` / ``180 lb``."""
    return f"{display_load(weight_kg, unit, increment)} {unit}"
