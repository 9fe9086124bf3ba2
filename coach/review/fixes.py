"""Fix builders shared by the rules: single changes (add an exercise, change its sets), adding
prime-mover work for a muscle until a goal is met, and moving sets of an exercise to another session."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from coach.plan import (
    ADD,
    REMOVE,
    SET_SETS,
    Change,
    ExerciseInfo,
    Fix,
    PlannedExercise,
    PlannedSession,
    apply_changes,
)
from coach.review.context import (
    MAX_SETS_PER_ADDED_EXERCISE,
    ReviewContext,
    prescription_for,
    room_for,
    session_raw,
    weekly_sets,
)
from exercises.domain import MUSCLE_CATEGORY, PRIME_MOVER
from programs.rules import MAX_SETS
from programs.volume import ProgramVolume


def add_change(session: PlannedSession, exercise: ExerciseInfo, sets: int) -> Change:
    reps, rest = prescription_for(exercise)
    return Change(
        kind=ADD,
        text=f"Add {exercise.name} to {session.name}: {sets} set{'s' if sets != 1 else ''} of {reps}, rest {rest} s.",
        session_id=session.id,
        exercise_id=exercise.id,
        sets=sets,
        reps=reps,
        rest_seconds=rest,
    )


def set_sets_change(session: PlannedSession, item: PlannedExercise, sets: int, verb: str) -> Change:
    if sets <= 0:
        return Change(
            kind=REMOVE,
            text=f"Remove {item.exercise.name} from {session.name} ({item.sets} sets).",
            session_exercise_id=item.id,
            expected=item.sets,
        )
    return Change(
        kind=SET_SETS,
        text=f"{verb} {item.exercise.name} in {session.name} from {item.sets} to {sets} sets.",
        session_exercise_id=item.id,
        sets=sets,
        expected=item.sets,
    )


def _fewest_sets(
    ctx: ReviewContext,
    changes: Sequence[Change],
    session: PlannedSession,
    exercise: ExerciseInfo,
    room: int,
    satisfied: Callable[[ProgramVolume], bool],
) -> int | None:
    """The fewest sets (1..room) of ``exercise`` in ``session`` that satisfy, or None."""
    for sets in range(1, room + 1):
        if satisfied(ctx.simulate([*changes, add_change(session, exercise, sets)])):
            return sets
    return None


def add_sets_for(
    ctx: ReviewContext,
    muscle: str,
    satisfied: Callable[[ProgramVolume], bool],
    *,
    max_exercises: int = 2,
) -> tuple[list[Change], ProgramVolume] | None:
    """Changes adding 1–2 prime-mover exercises for ``muscle`` until ``satisfied`` (or the caps).

    Exercise choice: one not in the program yet (else one in it, for another session), on
    equipment the program already uses,
    then exercises that put fewer sets on other muscles. Session choice: counted sessions that
    already train the muscle's category, then the one with the fewest sets.
    """
    if not ctx.week:
        return None
    in_program = ctx.snapshot.exercise_ids()
    equipment = ctx.snapshot.equipment_used()
    category = MUSCLE_CATEGORY[muscle]
    pool = [c for c in ctx.candidates if c.contribution(muscle) == PRIME_MOVER and ctx.unit(c, muscle) > 0]
    pool.sort(
        key=lambda c: (
            c.id in in_program,  # an exercise already in the program only in another session
            c.equipment not in equipment,
            sum(1 for m, v in c.contributions.items() if m != muscle and float(v) >= 0.5),
            c.name.lower(),
        )
    )
    changes: list[Change] = []
    used_sessions: set[str] = set()
    used_exercises: set[str] = set()
    volume = ctx.volume
    for _ in range(max_exercises):
        if satisfied(volume):
            break
        snapshot = apply_changes(ctx.snapshot, changes, ctx.exercises)
        weekly = weekly_sets(ctx, volume)

        def session_key(s: PlannedSession) -> tuple[bool, bool, int, int]:
            raw = session_raw(s)
            same_category = any(MUSCLE_CATEGORY.get(m) == category and v > 0 for m, v in raw.items())
            return (s.id in used_sessions, not same_category, s.total_sets, s.order_index)

        sessions = sorted(snapshot.counted_sessions(), key=session_key)
        # The first exercise (in preference order) that fits anywhere; within it, the first session
        # (in preference order) where it satisfies the goal, else the session with the most room.
        choice: tuple[PlannedSession, ExerciseInfo, int] | None = None
        for exercise in pool:
            if exercise.id in used_exercises:
                continue
            roomiest: tuple[PlannedSession, int] | None = None
            for session in sessions:
                if any(e.exercise.id == exercise.id for e in session.exercises):
                    continue
                room = min(
                    room_for(ctx, session, exercise, new=True, weekly=weekly),
                    MAX_SETS_PER_ADDED_EXERCISE,
                )
                if room < 1:
                    continue
                fewest = _fewest_sets(ctx, changes, session, exercise, room, satisfied)
                if fewest is not None:
                    choice = (session, exercise, fewest)
                    break
                if roomiest is None or room > roomiest[1]:
                    roomiest = (session, room)
            if choice is None and roomiest is not None:
                choice = (roomiest[0], exercise, roomiest[1])
            if choice:
                break
        if choice is None:
            break
        session, exercise, picked = choice
        changes.append(add_change(session, exercise, picked))
        volume = ctx.simulate(changes)
        used_sessions.add(session.id)
        used_exercises.add(exercise.id)
    if not changes:
        return None
    return changes, volume


def _move_sets(
    ctx: ReviewContext,
    source: PlannedSession,
    item: PlannedExercise,
    sets_to_move: int,
    muscle: str,
) -> tuple[list[Change], PlannedSession] | None:
    """Move ``sets_to_move`` sets of ``item`` from ``source`` to the counted session with the least
    ``muscle`` that has room. Returns the changes and the target session."""
    weekly = weekly_sets(ctx)
    # Moving within the week does not change weekly totals, so MRV headroom is not a concern:
    # pretend the moved sets are already counted.
    moved_weekly = dict(weekly)
    for m in item.exercise.contributions:
        moved_weekly[m] = weekly[m] - ctx.unit(item.exercise, m) * sets_to_move
    targets = sorted(
        (s for s in ctx.week if s.id != source.id),
        key=lambda s: (session_raw(s).get(muscle, 0.0), s.total_sets, s.order_index),
    )
    for target in targets:
        existing = next((e for e in target.exercises if e.exercise.id == item.exercise.id), None)
        room = room_for(ctx, target, item.exercise, new=existing is None, weekly=moved_weekly)
        if existing is not None:
            room = min(room, MAX_SETS - existing.sets)
        if room < sets_to_move:
            continue
        remaining = item.sets - sets_to_move
        changes = [set_sets_change(source, item, remaining, "Lower")]
        if existing is not None:
            changes.append(
                Change(
                    kind=SET_SETS,
                    text=(
                        f"Raise {item.exercise.name} in {target.name} from {existing.sets} to "
                        f"{existing.sets + sets_to_move} sets."
                    ),
                    session_exercise_id=existing.id,
                    sets=existing.sets + sets_to_move,
                    expected=existing.sets,
                )
            )
        else:
            changes.append(
                Change(
                    kind=ADD,
                    text=(
                        f"Add {item.exercise.name} to {target.name}: {sets_to_move} "
                        f"set{'s' if sets_to_move != 1 else ''}"
                        + (f" of {item.reps}" if item.reps else "")
                        + (f", rest {item.rest_seconds} s" if item.rest_seconds is not None else "")
                        + "."
                    ),
                    session_id=target.id,
                    exercise_id=item.exercise.id,
                    sets=sets_to_move,
                    reps=item.reps,
                    rest_seconds=item.rest_seconds,
                )
            )
        return changes, target
    return None


def move_fix(
    ctx: ReviewContext, session: PlannedSession, item: PlannedExercise, k: int, muscle: str
) -> tuple[Fix, PlannedSession] | None:
    """:func:`_move_sets` as a one-click fix ("Move k sets of X from A to B"), with the target."""
    moved = _move_sets(ctx, session, item, k, muscle)
    if moved is None:
        return None
    changes, target = moved
    fix = Fix(
        description=f"Move {k} set{'s' if k != 1 else ''} of {item.exercise.name} from {session.name} to {target.name}.",
        changes=tuple(changes),
    )
    return fix, target
