"""Plate calculator (TRAINING.md): the fewest plates per side that make a target load, or the
nearest lower load the bar and plates can make, saying so.

Plates are denominations available in pairs without limit (the lifter's plate list per side).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from math import gcd

from training.domain.units import DEFAULT_BAR, KG, LB, tidy

DEFAULT_PLATES: dict[str, tuple[Decimal, ...]] = {
    KG: tuple(Decimal(p) for p in ("25", "20", "15", "10", "5", "2.5", "1.25")),
    LB: tuple(Decimal(p) for p in ("45", "35", "25", "10", "5", "2.5")),
}
_CENTS = Decimal(100)


@dataclass(frozen=True)
class PlateLoading:
    target: Decimal
    loaded: Decimal  # what the bar and plates make (== target when exact)
    bar: Decimal
    per_side: tuple[Decimal, ...]  # heaviest first
    exact: bool
    note: str

    @property
    def plate_count(self) -> int:
        return len(self.per_side)


def _cents(value: Decimal) -> int:
    return int((value * _CENTS).to_integral_value())


def plate_loading(
    target: Decimal, *, unit: str = KG, bar: Decimal | None = None, plates: Sequence[Decimal] | None = None
) -> PlateLoading:
    """The fewest plates per side for ``target`` (same unit as ``bar`` and ``plates``)."""
    bar = DEFAULT_BAR[unit] if bar is None else Decimal(bar)
    denominations = sorted(
        {Decimal(p) for p in (plates or DEFAULT_PLATES[unit]) if Decimal(p) > 0}, reverse=True
    )
    target = Decimal(target)
    if target < bar:
        return PlateLoading(
            target=target,
            loaded=bar,
            bar=bar,
            per_side=(),
            exact=target == bar,
            note=f"{tidy(target)} {unit} is less than the bar alone ({tidy(bar)} {unit}).",
        )
    if not denominations:
        return PlateLoading(
            target, bar, bar, (), target == bar, f"No plates set: the bar alone is {tidy(bar)} {unit}."
        )
    # Work in whole steps of the plates' greatest common divisor (1.25 kg or 2.5 lb by default).
    cents = [_cents(p) for p in denominations]
    step = 0
    for c in cents:
        step = gcd(step, c)
    units = [c // step for c in cents]
    side = int(_cents((target - bar) / 2) // step)
    # fewest[n]: the fewest plates summing to n steps (None if impossible); last[n]: one plate used.
    fewest: list[int | None] = [0] + [None] * side
    last = [0] * (side + 1)
    for n in range(1, side + 1):
        best: int | None = None
        for i, u in enumerate(units):
            if u <= n and fewest[n - u] is not None:
                count = fewest[n - u] + 1  # type: ignore[operator]
                if best is None or count < best:
                    best, last[n] = count, i
        fewest[n] = best
    reach = next(n for n in range(side, -1, -1) if fewest[n] is not None)
    chosen: list[Decimal] = []
    n = reach
    while n > 0:
        chosen.append(denominations[last[n]])
        n -= units[last[n]]
    chosen.sort(reverse=True)
    loaded = bar + 2 * sum(chosen, Decimal(0))
    exact = loaded == target
    per_side = " + ".join(str(tidy(p)) for p in chosen) or "no plates"
    if exact:
        note = f"Per side: {per_side} on the {tidy(bar)} {unit} bar."
    else:
        note = (
            f"{tidy(target)} {unit} cannot be made with these plates; the nearest lower load is "
            f"{tidy(loaded)} {unit} (per side: {per_side})."
        )
    return PlateLoading(
        target=target,
        loaded=tidy(loaded),
        bar=bar,
        per_side=tuple(tidy(p) for p in chosen),
        exact=exact,
        note=note,
    )
