"""Rules on the weekly volume landmarks: no counted week at all, a muscle above its MRV, a muscle
below its MEV."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from coach.plan import MAJOR_MUSCLES, ExerciseInfo, Fix, PlannedExercise, PlannedSession, counted
from coach.review.context import EPS, ReviewContext, weekly_sets
from coach.review.findings import EVIDENCE, HIGH, Finding, muscle_lower, sets_text
from coach.review.fixes import add_sets_for, set_sets_change
from exercises.domain import Muscle, muscle_label
from programs.volume import (
    DEFAULT_LANDMARKS,
    MAX_EXERCISES_PER_SESSION,
    SESSION_MUSCLE_WARNING_SETS,
    SESSION_TOTAL_WARNING_SETS,
    Landmarks,
    ProgramVolume,
)


def rule_no_sessions(ctx: ReviewContext) -> list[Finding]:
    if ctx.week:
        return []
    if ctx.snapshot.structure_type == "WEEKLY" and ctx.snapshot.sessions:
        why = "none of its sessions is on a weekday, so none counts toward the week"
    else:
        why = "it has no sessions yet"
    return [
        Finding(
            code="no_sessions",
            severity=HIGH,
            title="No training week yet",
            explanation=(
                f"Every muscle gets 0.0 weekly sets because {why}. Give sessions a weekday "
                "(weekly programs) or add sessions to the rotation, then review again."
            ),
            evidence=EVIDENCE["no_sessions"],
        )
    ]


def _harmless_cut(
    ctx: ReviewContext,
    exercise: ExerciseInfo,
    muscle: str,
    weekly: Mapping[str, float],
    mevs: Mapping[str, float],
) -> bool:
    """True when one set less of ``exercise`` drops no other muscle from MEV to below it."""
    for m in exercise.contributions:
        if m != muscle and weekly[m] >= mevs[m] and weekly[m] - ctx.unit(exercise, m) < mevs[m]:
            return False
    return True


def _reaches(muscle: str, target: float) -> Callable[[ProgramVolume], bool]:
    def satisfied(volume: ProgramVolume) -> bool:
        return counted(volume, muscle) >= target - EPS

    return satisfied


def rule_above_mrv(ctx: ReviewContext) -> list[Finding]:
    findings = []
    for mv in ctx.volume.muscles:
        value, mrv = ctx.value(mv.muscle), mv.landmarks.mrv
        if value <= mrv + EPS:
            continue
        muscle = mv.muscle
        sets_now: dict[str, int] = {}
        where: dict[str, tuple[PlannedSession, PlannedExercise]] = {}
        for session in ctx.week:
            for item in session.exercises:
                if ctx.unit(item.exercise, muscle) > 0:
                    sets_now[item.id] = item.sets
                    where[item.id] = (session, item)
        weekly = weekly_sets(ctx)
        mevs = {m: ctx.landmarks[m].mev for m in weekly}
        current = value
        while current > mrv + EPS and any(s > 0 for s in sets_now.values()):
            options = [i for i, s in sets_now.items() if s > 0]

            options.sort(
                key=lambda i: (
                    not _harmless_cut(ctx, where[i][1].exercise, muscle, weekly, mevs),
                    -where[i][1].exercise.contribution(muscle),
                    -sets_now[i] * where[i][1].exercise.contribution(muscle),
                    where[i][0].order_index,
                )
            )
            chosen = options[0]
            info = where[chosen][1].exercise
            sets_now[chosen] -= 1
            for m in info.contributions:
                weekly[m] -= ctx.unit(info, m)
            current = weekly[muscle]
        changes = [
            set_sets_change(where[i][0], where[i][1], sets, "Lower")
            for i, sets in sets_now.items()
            if sets != where[i][1].sets
        ]
        after = ctx.value(muscle, ctx.simulate(changes))
        names = ", ".join(
            f"{item.exercise.name} in {session.name} ({item.sets} × {item.exercise.contribution(muscle):g})"
            for session, item in where.values()
        )
        findings.append(
            Finding(
                code="above_mrv",
                severity=HIGH,
                title=f"{muscle_label(muscle)} above MRV",
                explanation=(
                    f"{muscle_label(muscle)} gets {sets_text(value)} weekly sets, {sets_text(value - mrv)} above its MRV of "
                    f"{mrv:g} (MAV {mv.landmarks.mav_low:g}–{mv.landmarks.mav_high:g}). It comes from {names}. "
                    f"Taking sets from the exercises that load it most brings it to {sets_text(after)}."
                ),
                evidence=EVIDENCE["above_mrv"],
                fix=Fix(
                    description=f"Take sets from {muscle_lower(muscle)} work: {sets_text(value)} → {sets_text(after)} weekly sets.",
                    changes=tuple(changes),
                )
                if changes
                else None,
                muscle=muscle,
            )
        )
    return findings


def _watched(muscle: str, landmarks: Landmarks) -> bool:
    """MEV is checked for the 11 major muscles, and for any other the lifter set landmarks for
    (forearms' default MEV of 2 comes from pulling work; flagging it would be noise)."""
    return muscle in MAJOR_MUSCLES or landmarks != DEFAULT_LANDMARKS.get(muscle)


def rule_below_mev(ctx: ReviewContext) -> list[Finding]:
    if not ctx.week:
        return []
    findings = []
    rows = [
        (ctx.value(mv.muscle) / mv.landmarks.mev, mv)
        for mv in ctx.volume.muscles
        if _watched(mv.muscle, mv.landmarks)
        and mv.landmarks.mev > 0
        and ctx.value(mv.muscle) < mv.landmarks.mev - EPS
    ]
    for _, mv in sorted(rows, key=lambda r: (r[0], Muscle.values.index(r[1].muscle))):
        muscle, value, mev = mv.muscle, ctx.value(mv.muscle), mv.landmarks.mev
        planned = add_sets_for(ctx, muscle, _reaches(muscle, mev))
        explanation = (
            f"{muscle_label(muscle)} gets {sets_text(value)} weekly sets, below its MEV of {mev:g} "
            f"(MAV {mv.landmarks.mav_low:g}–{mv.landmarks.mav_high:g}): {sets_text(mev - value)} short."
        )
        fix = None
        if planned is None:
            explanation += (
                f" No exercise in your library that trains {muscle_lower(muscle)} as prime mover fits into "
                f"a session within the caps ({SESSION_TOTAL_WARNING_SETS} sets, {MAX_EXERCISES_PER_SESSION} "
                f"exercises, {SESSION_MUSCLE_WARNING_SETS:g} sets for one muscle, the other muscles' MRV); add a "
                "session or make room."
            )
        else:
            changes, after_volume = planned
            after = ctx.value(muscle, after_volume)
            explanation += f" The change below brings it to {sets_text(after)}."
            if after < mev - EPS:
                explanation += " That is as far as the sessions' caps allow; add a session for the rest."
            fix = Fix(
                description=f"Train {muscle_lower(muscle)} directly: {sets_text(value)} → {sets_text(after)} weekly sets.",
                changes=tuple(changes),
            )
        findings.append(
            Finding(
                code="below_mev",
                severity=HIGH,
                title=f"{muscle_label(muscle)} below MEV",
                explanation=explanation,
                evidence=EVIDENCE["below_mev"],
                fix=fix,
                muscle=muscle,
            )
        )
    return findings
