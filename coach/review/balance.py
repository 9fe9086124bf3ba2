"""Rules on balance between opposing muscles (push vs pull, chest vs back, quadriceps vs
hamstrings, front vs rear delts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.plan import Fix
from coach.review.context import EPS, ReviewContext
from coach.review.findings import EVIDENCE, MEDIUM, Finding, muscle_lower, sets_text
from coach.review.fixes import add_sets_for
from exercises.domain import Muscle
from programs.volume import ProgramVolume


@dataclass(frozen=True)
class BalancePair:
    code: str
    title: str
    left_label: str
    left: tuple[str, ...]
    right_label: str
    right: tuple[str, ...]
    low: float  # allowed ratio left/right, inclusive
    high: float
    band: str


BALANCE_PAIRS: tuple[BalancePair, ...] = (
    BalancePair(
        "balance_push_pull",
        "Pushing vs pulling",
        "upper-body pushing",
        ("CHEST", "FRONT_DELTS", "SIDE_DELTS", "TRICEPS"),
        "pulling",
        ("LATS", "TRAPS_RHOMBOIDS", "REAR_DELTS", "ELBOW_FLEXORS"),
        2 / 3,
        3 / 2,
        "2:3 to 3:2",
    ),
    # Back is two muscles that rows train together: compared per muscle (the mean of the two).
    BalancePair(
        "balance_chest_back",
        "Chest vs back",
        "chest",
        ("CHEST",),
        "back (lats, traps & rhomboids)",
        ("LATS", "TRAPS_RHOMBOIDS"),
        2 / 3,
        3 / 2,
        "2:3 to 3:2 per muscle",
    ),
    BalancePair(
        "balance_quads_hamstrings",
        "Quadriceps vs hamstrings",
        "quadriceps",
        ("QUADRICEPS",),
        "hamstrings",
        ("HAMSTRINGS",),
        2 / 3,
        3 / 2,
        "2:3 to 3:2",
    ),
    # Pressing feeds the front delts indirectly (RP's front-delt MEV is 0): only front delts far
    # ahead of rear delts is flagged, more rear-delt work is never a problem.
    BalancePair(
        "balance_front_rear_delts",
        "Front vs rear delts",
        "front delts",
        ("FRONT_DELTS",),
        "rear delts",
        ("REAR_DELTS",),
        0.0,
        2,
        "at most 2:1",
    ),
)


def side_sets(ctx: ReviewContext, muscles: Sequence[str], volume: ProgramVolume | None = None) -> float:
    """Fractional weekly sets per muscle of one side (the mean, so sides of 1 and 2 muscles compare)."""
    vol = volume or ctx.volume
    return sum(vol.muscle(m).fractional_sets for m in muscles) / len(muscles)


def ratio_text(left: float, right: float) -> str:
    if right <= 0:
        return "no sets on the other side"
    return f"{left / right:.2f}:1"


def _in_band(pair: BalancePair, left: float, right: float) -> bool:
    if left < 1 and right < 1:
        return True
    if right <= 0:
        return False
    return pair.low - EPS <= left / right <= pair.high + EPS


def rule_balance(ctx: ReviewContext) -> list[Finding]:
    if not ctx.week:
        return []
    findings = []
    for pair in BALANCE_PAIRS:
        left, right = side_sets(ctx, pair.left), side_sets(ctx, pair.right)
        if _in_band(pair, left, right):
            continue
        weak_muscles = pair.right if left > right else pair.left
        weak_label = pair.right_label if left > right else pair.left_label
        strong_label = pair.left_label if left > right else pair.right_label
        # Strengthen the weaker side's muscle that is furthest below the middle of its MAV.
        weak = min(
            weak_muscles,
            key=lambda m: (
                ctx.value(m) / max((ctx.landmarks[m].mav_low + ctx.landmarks[m].mav_high) / 2, 1),
                Muscle.values.index(m),
            ),
        )

        def satisfied(volume: ProgramVolume, pair: BalancePair = pair) -> bool:
            return _in_band(pair, side_sets(ctx, pair.left, volume), side_sets(ctx, pair.right, volume))

        planned = add_sets_for(ctx, weak, satisfied)
        per = " per muscle" if len(pair.left) != len(pair.right) or len(pair.left) > 1 else ""
        explanation = (
            f"{pair.title}: {sets_text(left)} weekly fractional sets{per} of {pair.left_label} vs {sets_text(right)} of "
            f"{pair.right_label}, a ratio of {ratio_text(left, right)}; the band is {pair.band}. "
            f"{strong_label.capitalize()} gets far more than {weak_label}."
        )
        fix = None
        if planned is not None:
            changes, after = planned
            new_left, new_right = side_sets(ctx, pair.left, after), side_sets(ctx, pair.right, after)
            explanation += (
                f" More {muscle_lower(weak)} work makes it {sets_text(new_left)} vs {sets_text(new_right)} "
                f"({ratio_text(new_left, new_right)})."
            )
            fix = Fix(
                description=f"Add {muscle_lower(weak)} work to even out {pair.title.lower()}.",
                changes=tuple(changes),
            )
        else:
            explanation += f" No session has room for more {muscle_lower(weak)} work within the caps."
        findings.append(
            Finding(
                code=pair.code,
                severity=MEDIUM,
                title=f"{pair.title} out of balance",
                explanation=explanation,
                evidence=EVIDENCE["balance"],
                fix=fix,
                muscle=weak,
            )
        )
    return findings
