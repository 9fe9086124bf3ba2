"""Rules on how the week is spread over sessions: one muscle over 10 sets in a session, a session
over 30 sets or 8 exercises, 10+ weekly sets trained in one session a week."""

from __future__ import annotations

import math

from coach.plan import ADD, Change, Fix, PlannedExercise, PlannedSession
from coach.review.context import EPS, ReviewContext, session_raw
from coach.review.findings import EVIDENCE, MEDIUM, Finding, muscle_lower, sets_text
from coach.review.fixes import move_fix, set_sets_change
from exercises.domain import Muscle, muscle_label
from programs.volume import (
    MANY_WEEKLY_SETS,
    MAX_EXERCISES_PER_SESSION,
    SESSION_MUSCLE_WARNING_SETS,
    SESSION_TOTAL_WARNING_SETS,
)


def _top_contributor(session: PlannedSession, muscle: str) -> PlannedExercise | None:
    items = [e for e in session.exercises if e.exercise.contribution(muscle) > 0]
    if not items:
        return None
    return max(
        items, key=lambda e: (e.exercise.contribution(muscle), e.sets * e.exercise.contribution(muscle))
    )


def rule_session_muscle_over_10(ctx: ReviewContext) -> list[Finding]:
    findings = []
    for session in ctx.week:
        raw = session_raw(session)
        for muscle in Muscle.values:
            sets = round(raw.get(muscle, 0.0), 2)
            if sets <= SESSION_MUSCLE_WARNING_SETS + EPS:
                continue
            item = _top_contributor(session, muscle)
            assert item is not None  # noqa: S101
            c = item.exercise.contribution(muscle)
            k = min(item.sets, math.ceil((sets - SESSION_MUSCLE_WARNING_SETS) / c - EPS))
            moved = move_fix(ctx, session, item, k, muscle)
            explanation = (
                f"{session.name} gives {muscle_lower(muscle)} {sets_text(sets)} fractional sets, "
                f"{sets_text(sets - SESSION_MUSCLE_WARNING_SETS)} over the 10 that one session uses well."
            )
            fix = None
            if moved is None:
                explanation += " No other session has room for them; add a session."
            else:
                fix, target = moved
                explanation += (
                    f" Moving {k} set{'s' if k != 1 else ''} of {item.exercise.name} to {target.name} "
                    "keeps the weekly total and brings this session to "
                    f"{sets_text(sets - k * c)}."
                )
            findings.append(
                Finding(
                    code="session_muscle_over_10",
                    severity=MEDIUM,
                    title=f"Too much {muscle_lower(muscle)} in {session.name}",
                    explanation=explanation,
                    evidence=EVIDENCE["session_muscle_over_10"],
                    fix=fix,
                    muscle=muscle,
                    session_id=session.id,
                )
            )
    return findings


def rule_once_a_week(ctx: ReviewContext, skip: set[str]) -> list[Finding]:
    findings = []
    for mv in ctx.volume.muscles:
        muscle, value = mv.muscle, ctx.value(mv.muscle)
        if muscle in skip or value < MANY_WEEKLY_SETS - EPS or mv.frequency > 1.0 + EPS:
            continue
        sessions = [s for s in ctx.week if session_raw(s).get(muscle, 0.0) >= 1.0]
        if len(sessions) != 1:
            continue
        session = sessions[0]
        item = _top_contributor(session, muscle)
        if item is None:
            continue
        explanation = (
            f"{muscle_label(muscle)} gets {sets_text(value)} weekly sets, all in {session.name} "
            f"(trained {mv.frequency:g}× a week)."
        )
        k = item.sets // 2
        moved = move_fix(ctx, session, item, k, muscle) if k >= 1 else None
        fix = None
        if moved is None:
            explanation += " There is no other session with room to take half; add one."
        else:
            fix, target = moved
            explanation += (
                f" Moving {k} of the {item.sets} sets of {item.exercise.name} to {target.name} trains it "
                "twice a week with the same weekly volume."
            )
        findings.append(
            Finding(
                code="once_a_week",
                severity=MEDIUM,
                title=f"{muscle_label(muscle)} trained once a week",
                explanation=explanation,
                evidence=EVIDENCE["once_a_week"],
                fix=fix,
                muscle=muscle,
                session_id=session.id,
            )
        )
    return findings


def rule_session_size(ctx: ReviewContext) -> list[Finding]:
    findings = []
    for session in sorted(ctx.snapshot.sessions, key=lambda s: s.order_index):
        too_many_sets = session.total_sets > SESSION_TOTAL_WARNING_SETS
        too_many_exercises = len(session.exercises) > MAX_EXERCISES_PER_SESSION
        if not (too_many_sets or too_many_exercises):
            continue
        code = "session_over_30_sets" if too_many_sets else "session_over_8_exercises"
        parts = []
        if too_many_sets:
            parts.append(f"{session.total_sets} sets (more than {SESSION_TOTAL_WARNING_SETS})")
        if too_many_exercises:
            parts.append(f"{len(session.exercises)} exercises (more than {MAX_EXERCISES_PER_SESSION})")
        explanation = f"{session.name} has {' and '.join(parts)}."
        # Move whole exercises, last first, to the lightest sessions with room.
        changes: list[Change] = []
        total, count = session.total_sets, len(session.exercises)
        load = {s.id: (s.total_sets, len(s.exercises)) for s in ctx.week if s.id != session.id}
        targets = [s for s in ctx.week if s.id != session.id]
        for item in sorted(session.exercises, key=lambda e: -e.order_index):
            if total <= SESSION_TOTAL_WARNING_SETS and count <= MAX_EXERCISES_PER_SESSION:
                break
            for target in sorted(targets, key=lambda s: (load[s.id][0], s.order_index)):
                sets_there, n_there = load[target.id]
                raw = session_raw(target)
                fits = (
                    sets_there + item.sets <= SESSION_TOTAL_WARNING_SETS
                    and n_there < MAX_EXERCISES_PER_SESSION
                    and not any(e.exercise.id == item.exercise.id for e in target.exercises)
                    and all(
                        raw.get(m, 0.0) + item.sets * float(c) <= SESSION_MUSCLE_WARNING_SETS + EPS
                        for m, c in item.exercise.contributions.items()
                    )
                )
                if not fits:
                    continue
                changes.append(set_sets_change(session, item, 0, "Lower"))
                changes.append(
                    Change(
                        kind=ADD,
                        text=f"Add {item.exercise.name} to {target.name}: {item.sets} sets"
                        + (f" of {item.reps}" if item.reps else "")
                        + (f", rest {item.rest_seconds} s" if item.rest_seconds is not None else "")
                        + ".",
                        session_id=target.id,
                        exercise_id=item.exercise.id,
                        sets=item.sets,
                        reps=item.reps,
                        rest_seconds=item.rest_seconds,
                    )
                )
                load[target.id] = (sets_there + item.sets, n_there + 1)
                total -= item.sets
                count -= 1
                break
        fix = None
        if changes and total <= SESSION_TOTAL_WARNING_SETS and count <= MAX_EXERCISES_PER_SESSION:
            moved = [c for c in changes if c.kind == ADD]
            explanation += (
                f" Moving {len(moved)} exercise{'s' if len(moved) != 1 else ''} to lighter sessions "
                f"leaves it at {total} sets and {count} exercises with the same weekly volume."
            )
            fix = Fix(description=f"Spread {session.name} over lighter sessions.", changes=tuple(changes))
        else:
            explanation += " The other sessions have no room for its exercises; add a session."
        findings.append(
            Finding(
                code=code,
                severity=MEDIUM,
                title=f"{session.name} is too long",
                explanation=explanation,
                evidence=EVIDENCE["session_size"],
                fix=fix,
                session_id=session.id,
            )
        )
    return findings
