"""The explained program review: pure rules over a program snapshot and its weekly volume.

:func:`review_program` returns findings, most important first. Each finding carries the numbers
behind it, one line of evidence (DOMAIN.md's sources) and, where a change makes sense, a
:class:`~coach.plan.Fix`: plain steps (add exercise X to session S with N sets, take sets
from Y, move k sets of Y from S1 to S2, change rest to 120 s) that ``coach.services``
applies through the builder's services.

Rules (each has a program that triggers it and one that does not in ``tests/test_review.py``):

- ``above_mrv``: a muscle above its MRV → which exercises to take sets from.
- ``below_mev``: a major muscle (or one with the lifter's own landmarks) below its MEV → 1–2 exercises that train it as prime mover (preferring
  equipment the program already uses, not already in the program), placed where they fit best
  (same category of muscles, fewest sets), with the sets that bring it to MEV within the caps.
- ``session_muscle_over_10``: more than 10 fractional sets for one muscle in one session → move
  part to another session.
- ``session_over_30_sets`` / ``session_over_8_exercises``: move exercises to lighter sessions.
- ``once_a_week``: 10+ weekly sets trained in one session a week → split over two sessions.
- ``balance_*``: push vs pull, chest vs back, quadriceps vs hamstrings outside 2:3–3:2, front vs
  rear delts outside 1:2–2:1 → add sets for the weaker side.
- ``duplicate_exercise``: the same exercise twice in one session → merge.
- ``short_rest``: rest under 60 s on a compound lift → 120 s.
- ``reps_out_of_range``: reps outside 5–30 (AMRAP is fine) → the nearest range inside.

When nothing triggers, one ``all_clear`` finding says so with the figures that show it.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.plan import MAJOR_MUSCLES, ExerciseInfo, ProgramSnapshot
from coach.review.balance import BALANCE_PAIRS, ratio_text, rule_balance, side_sets
from coach.review.context import ReviewContext
from coach.review.distribution import rule_once_a_week, rule_session_muscle_over_10, rule_session_size
from coach.review.findings import EVIDENCE, INFO, SEVERITY_ORDER, Finding, muscle_lower, sets_text
from coach.review.landmarks import rule_above_mrv, rule_below_mev, rule_no_sessions
from coach.review.prescription import rule_duplicates, rule_reps, rule_short_rest
from programs.volume import SESSION_MUSCLE_WARNING_SETS, ProgramVolume

__all__ = ["Finding", "review_program"]


def _all_clear(ctx: ReviewContext) -> Finding:
    figures = ", ".join(f"{muscle_lower(m)} {sets_text(ctx.value(m))}" for m in MAJOR_MUSCLES)
    ratios = "; ".join(
        f"{pair.title.lower()} {ratio_text(side_sets(ctx, pair.left), side_sets(ctx, pair.right))}"
        for pair in BALANCE_PAIRS
    )
    biggest = max((s.total_sets for s in ctx.week), default=0)
    return Finding(
        code="all_clear",
        severity=INFO,
        title="Nothing to fix",
        explanation=(
            f"All {len(MAJOR_MUSCLES)} major muscles between MEV and MRV ({ctx.volume.counting} weekly "
            f"sets): {figures}. No muscle above its MRV, none over {SESSION_MUSCLE_WARNING_SETS:g} sets in one "
            f"session, the longest "
            f"session has {biggest} sets; {ratios}; rest and reps within the evidence."
        ),
        evidence=EVIDENCE["all_clear"],
    )


def review_program(
    snapshot: ProgramSnapshot,
    volume: ProgramVolume,
    candidates: Sequence[ExerciseInfo] = (),
) -> list[Finding]:
    """Findings for the program, most important first (an ``all_clear`` one when none).

    ``volume`` is the program's weekly volume (the user's counting rule and landmarks);
    ``candidates`` are the exercises the lifter may add (their visible library).
    """
    ctx = ReviewContext(snapshot, volume, candidates)
    over_10 = rule_session_muscle_over_10(ctx)
    groups: list[list[Finding]] = [
        rule_no_sessions(ctx),
        rule_above_mrv(ctx),
        rule_below_mev(ctx),
        over_10,
        rule_session_size(ctx),
        rule_once_a_week(ctx, skip={f.muscle for f in over_10 if f.muscle}),
        rule_balance(ctx),
        rule_duplicates(ctx),
        rule_short_rest(ctx),
        rule_reps(ctx),
    ]
    findings = [f for group in groups for f in group]
    findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])  # stable: rule order within a severity
    return findings or [_all_clear(ctx)]
