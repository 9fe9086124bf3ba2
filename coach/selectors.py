"""Coach reads: the program and the lifter's library as plain data for the pure review and
generator, and the rows a review's fix refers to (always within the program being changed)."""

from __future__ import annotations

import uuid
from typing import TypeGuard

from accounts.models import User
from coach.plan import ExerciseInfo, PlannedExercise, PlannedSession, ProgramSnapshot
from exercises.models import Exercise
from exercises.selectors import exercise_visible_queryset
from programs.models import SessionExercise, TrainingProgram, WorkoutSession
from programs.selectors import program_volume_with_sessions
from programs.volume import ProgramRows, ProgramVolume


def library_for(*, user: User) -> list[ExerciseInfo]:
    """The exercises ``user`` may add (global + their custom ones), as plain data: one query."""
    rows = exercise_visible_queryset(user=user).values_list(
        "id", "name", "equipment", "muscle_contributions", "needs"
    )
    return [
        ExerciseInfo(
            id=str(pk),
            name=name,
            equipment=equipment,
            contributions={m: float(v) for m, v in contributions.items()},
            needs=frozenset(needs or ()),
        )
        for pk, name, equipment, contributions, needs in rows
    ]


def snapshot_from_rows(program: TrainingProgram, rows: ProgramRows) -> ProgramSnapshot:
    """The program as plain data, from the builder's aggregate rows (no extra query)."""
    contributions: dict[str, dict[str, float]] = {}
    for muscle, contributors in rows.contributors.items():
        for c in contributors:
            contributions.setdefault(c.session_exercise_id, {})[muscle] = c.contribution
    sessions = []
    for s in rows.sessions:
        items = tuple(
            PlannedExercise(
                id=item.session_exercise_id,
                exercise=ExerciseInfo(
                    id=item.exercise_id,
                    name=item.exercise,
                    equipment=item.equipment,
                    contributions=contributions.get(item.session_exercise_id, {}),
                ),
                sets=item.sets,
                reps=item.reps,
                rest_seconds=item.rest_seconds,
                order_index=item.order_index,
            )
            for item in rows.items.get(s.session_id, [])
        )
        sessions.append(PlannedSession(s.session_id, s.name, s.order_index, s.day_of_week, items))
    return ProgramSnapshot(program.structure_type, program.frequency, tuple(sessions))


def program_snapshot(*, program: TrainingProgram, user: User) -> tuple[ProgramSnapshot, ProgramVolume]:
    """The program's snapshot and its volume by the owner's counting rule and landmarks."""
    volume, rows = program_volume_with_sessions(program=program, user=user)
    return snapshot_from_rows(program, rows), volume


def _is_uuid(value: str | None) -> TypeGuard[str]:
    if value is None:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def fix_session_get(*, program: TrainingProgram, session_id: str | None) -> WorkoutSession | None:
    """The session of ``program`` a fix adds to (None when it is gone or the id is not one)."""
    if not _is_uuid(session_id):
        return None
    session = WorkoutSession.objects.filter(pk=session_id, program=program).first()
    if session is not None:
        session.program = program  # the builder's services read session.program
    return session


def fix_session_exercise_get(
    *, program: TrainingProgram, session_exercise_id: str | None
) -> SessionExercise | None:
    """The live entry of ``program`` a fix changes, with its exercise and session (None when gone)."""
    if not _is_uuid(session_exercise_id):
        return None
    found = (
        SessionExercise.objects.filter(
            pk=session_exercise_id,
            session__program=program,
            session__is_deleted=False,
        )
        .select_related("exercise", "session")
        .defer("exercise__embedding")
        .first()
    )
    if found is not None:
        found.session.program = program  # the builder's services read session.program
    return found


def fix_exercise_get(*, user: User, exercise_id: str | None) -> Exercise | None:
    """An exercise of ``user``'s library a fix adds (None when it is no longer visible to them)."""
    if not _is_uuid(exercise_id):
        return None
    return exercise_visible_queryset(user=user).filter(pk=exercise_id).first()


def exercises_by_id(ids: set[str]) -> dict[str, Exercise]:
    """The generated plan's exercises (already drawn from the user's library), by id: one query."""
    return {str(e.pk): e for e in Exercise.objects.filter(pk__in=ids).defer("embedding")}


def session_has_exercise(*, session: WorkoutSession, exercise: Exercise) -> bool:
    """Whether ``exercise`` is already in ``session`` (a fix never adds it twice)."""
    return SessionExercise.objects.filter(session=session, exercise=exercise).exists()
