"""Coach reads: the library and program as plain data, and the rows a review's fix may touch, which
must belong to the program being changed (ids come back from the session-kept review)."""

from __future__ import annotations

import uuid

import pytest

from accounts.tests.factories import UserFactory
from coach.selectors import (
    fix_exercise_get,
    fix_session_exercise_get,
    fix_session_get,
    library_for,
    program_snapshot,
    session_has_exercise,
)
from exercises.tests.factories import ExerciseFactory
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(user):
    """One entry (3 sets of a chest press) in a session of ``user``'s program."""
    program = TrainingProgramFactory(user=user)
    session = WorkoutSessionFactory(program=program, name="Push", day_of_week=0)
    return SessionExerciseFactory(session=session, sets=3, reps="8-12", rest_seconds=120)


def test_the_library_is_the_global_exercises_and_the_users_own_in_one_query(user, django_assert_num_queries):
    ExerciseFactory(name="Global Press")
    ExerciseFactory(name="My Press", is_global=False, created_by=user)
    ExerciseFactory(name="Their Press", is_global=False, created_by=UserFactory())

    with django_assert_num_queries(1):
        library = library_for(user=user)

    assert sorted(e.name for e in library) == ["Global Press", "My Press"]
    mine = next(e for e in library if e.name == "My Press")
    assert mine.contributions == {"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5}


def test_the_snapshot_holds_the_programs_sessions_entries_and_contributions(user, entry):
    snapshot, volume = program_snapshot(program=entry.session.program, user=user)

    (session,) = snapshot.sessions
    (item,) = session.exercises
    assert (session.id, session.name, session.day_of_week) == (str(entry.session_id), "Push", 0)
    assert (item.id, item.sets, item.reps, item.rest_seconds) == (str(entry.pk), 3, "8-12", 120)
    assert item.exercise.contribution("TRICEPS") == 0.5
    assert volume.muscle("CHEST").fractional_sets == 3


def test_a_fix_finds_the_entry_and_session_of_its_own_program(user, entry):
    program = entry.session.program

    found = fix_session_exercise_get(program=program, session_exercise_id=str(entry.pk))
    session = fix_session_get(program=program, session_id=str(entry.session_id))

    assert found == entry and session == entry.session
    assert found is not None and found.session.program is program  # no query for the program later
    assert session_has_exercise(session=entry.session, exercise=entry.exercise)


def test_a_fix_never_reaches_into_another_program(user, entry):
    other = TrainingProgramFactory(user=user)

    assert fix_session_exercise_get(program=other, session_exercise_id=str(entry.pk)) is None
    assert fix_session_get(program=other, session_id=str(entry.session_id)) is None


@pytest.mark.parametrize("bad_id", [None, "", "not-a-uuid", str(uuid.uuid4())])
def test_a_fix_with_a_missing_or_malformed_id_finds_nothing(user, entry, bad_id):
    program = entry.session.program

    assert fix_session_exercise_get(program=program, session_exercise_id=bad_id) is None
    assert fix_session_get(program=program, session_id=bad_id) is None
    assert fix_exercise_get(user=user, exercise_id=bad_id) is None


def test_a_fix_adds_only_exercises_the_user_may_see(user):
    mine = ExerciseFactory(is_global=False, created_by=user)
    theirs = ExerciseFactory(is_global=False, created_by=UserFactory())

    assert fix_exercise_get(user=user, exercise_id=str(mine.pk)) == mine
    assert fix_exercise_get(user=user, exercise_id=str(theirs.pk)) is None
