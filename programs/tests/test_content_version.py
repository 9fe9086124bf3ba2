"""training_programs.content_version (migration 0005): the database raises it on every write of what a
program shows, whichever code writes, so the builder's cached fragments keyed by it are never stale."""

from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise, TrainingProgram, WorkoutSession

pytestmark = pytest.mark.django_db


def version(program: TrainingProgram) -> int:
    return TrainingProgram.all_objects.values_list("content_version", flat=True).get(pk=program.pk)


@pytest.fixture
def lifter():
    return UserFactory(subscription_tier="pro")


@pytest.fixture
def bench():
    return ExerciseFactory(name="Barbell Bench Press", muscle_contributions={"CHEST": 1.0, "TRICEPS": 0.5})


@pytest.fixture
def program(lifter, bench):
    program = services.program_create(user=lifter, name="Push days", structure_type="WEEKLY")
    for name, day in (("Push", 0), ("Pull", 3)):
        session = services.session_create(user=lifter, program=program, name=name, day_of_week=day)
        services.session_exercise_add(user=lifter, session=session, exercise=bench, sets=3)
        services.session_exercise_add(user=lifter, session=session, exercise=ExerciseFactory(), sets=2)
    return program


def first_session(program: TrainingProgram) -> WorkoutSession:
    return WorkoutSession.objects.filter(program=program).order_by("day_of_week").first()


def last_row(session: WorkoutSession) -> SessionExercise:
    return SessionExercise.objects.filter(session=session).order_by("order_index").last()


def test_a_new_program_starts_at_one(lifter):
    program = services.program_create(user=lifter, name="Empty", structure_type="CYCLIC", frequency=3)
    assert program.content_version == 1 and version(program) == 1


# --- Sessions ---------------------------------------------------------------------------------------


def test_session_add_raises_the_version(lifter, program):
    before = version(program)
    services.session_create(user=lifter, program=program, name="Legs", day_of_week=5)
    assert version(program) > before


def test_session_rename_raises_the_version(lifter, program):
    before = version(program)
    services.session_update(user=lifter, session=first_session(program), name="Chest day", day_of_week=0)
    assert version(program) > before


def test_session_move_raises_the_version(lifter, program):
    session = WorkoutSession.objects.filter(program=program).order_by("day_of_week").last()
    before = version(program)
    services.session_move(user=lifter, session=session, direction="up")
    assert version(program) > before


def test_session_delete_and_restore_raise_the_version(lifter, program):
    session = first_session(program)
    before = version(program)
    services.session_delete(user=lifter, session=session)
    deleted = version(program)
    assert deleted > before
    session = WorkoutSession.all_objects.get(pk=session.pk)
    services.session_restore_for_owner(user=lifter, session=session)
    assert version(program) > deleted


def test_moving_a_session_to_another_program_raises_both(lifter, program):
    other = services.program_create(user=lifter, name="Other", structure_type="CYCLIC", frequency=2)
    before, other_before = version(program), version(other)
    WorkoutSession.objects.filter(pk=first_session(program).pk).update(program=other, day_of_week=None)
    assert version(program) > before and version(other) > other_before


def test_a_hard_delete_of_the_program_goes_through(lifter, program):
    """Django deletes the rows, then the sessions, then the program: the triggers' bumps of a
    program being deleted do not get in the way."""
    TrainingProgram.all_objects.filter(pk=program.pk).delete()
    assert not TrainingProgram.all_objects.filter(pk=program.pk).exists()


# --- Session exercises ------------------------------------------------------------------------------


def test_exercise_add_raises_the_version(lifter, program):
    before = version(program)
    services.session_exercise_add(
        user=lifter, session=first_session(program), exercise=ExerciseFactory(), sets=3
    )
    assert version(program) > before


def test_exercise_edit_raises_the_version(lifter, program):
    before = version(program)
    services.session_exercise_update(user=lifter, session_exercise=last_row(first_session(program)), sets=5)
    assert version(program) > before


def test_exercise_move_raises_the_version(lifter, program):
    before = version(program)
    services.session_exercise_move(
        user=lifter, session_exercise=last_row(first_session(program)), direction="up"
    )
    assert version(program) > before


def test_exercise_remove_raises_the_version(lifter, program):
    before = version(program)
    services.session_exercise_remove(user=lifter, session_exercise=last_row(first_session(program)))
    assert version(program) > before


def test_exercise_swap_raises_the_version(lifter, program):
    before = version(program)
    services.session_exercise_swap(
        user=lifter, session_exercise=last_row(first_session(program)), exercise=ExerciseFactory()
    )
    assert version(program) > before


def test_moving_a_row_to_another_programs_session_raises_both(lifter, program):
    other = services.program_create(user=lifter, name="Other", structure_type="CYCLIC", frequency=2)
    target = services.session_create(user=lifter, program=other, name="Day one")
    before, other_before = version(program), version(other)
    SessionExercise.objects.filter(pk=last_row(first_session(program)).pk).update(session=target)
    assert version(program) > before and version(other) > other_before


def test_a_bulk_create_raises_the_version_once(lifter, bench):
    program = TrainingProgram.objects.create(user=lifter, name="Big", structure_type="CYCLIC", frequency=6)
    sessions = WorkoutSession.objects.bulk_create(
        [WorkoutSession(program=program, name=f"Day {i + 1}", order_index=i) for i in range(6)]
    )
    assert version(program) == 2  # six sessions, one statement: one bump
    SessionExercise.objects.bulk_create(
        [
            SessionExercise(session=session, exercise=bench, sets=3, order_index=j)
            for session in sessions
            for j in range(6)
        ]
    )
    assert version(program) == 3  # 36 rows, one statement: one bump


# --- Exercises (staff edits through the ORM) --------------------------------------------------------


def test_an_exercise_rename_raises_every_program_using_it(lifter, program, bench):
    unrelated = services.program_create(user=lifter, name="Unrelated", structure_type="CYCLIC", frequency=2)
    other_owner = UserFactory(subscription_tier="pro")
    theirs = services.program_create(user=other_owner, name="Theirs", structure_type="CYCLIC", frequency=2)
    session = services.session_create(user=other_owner, program=theirs, name="Day one")
    services.session_exercise_add(user=other_owner, session=session, exercise=bench, sets=4)
    before = (version(program), version(theirs), version(unrelated))
    bench.name = "Flat Bench Press"
    bench.save()
    assert version(program) > before[0] and version(theirs) > before[1]
    assert version(unrelated) == before[2]


def test_an_exercise_muscles_change_raises_the_version(program, bench):
    before = version(program)
    bench.muscle_contributions = {"TRICEPS": 1.0}
    bench.save(update_fields=["muscle_contributions"])
    assert version(program) > before


def test_an_exercise_soft_delete_raises_the_version(program, bench):
    before = version(program)
    bench.mark_deleted()
    bench.save(update_fields=["is_deleted", "deleted_at"])
    assert version(program) > before


def test_an_embedding_refresh_raises_nothing(program, bench):
    """The embedding job rewrites the vector of many exercises; the builder never shows it."""
    from exercises.models import Exercise

    before = version(program)
    Exercise.objects.filter(pk=bench.pk).update(embedding_hash="f" * 64)
    assert version(program) == before


# --- The version only grows ---------------------------------------------------------------------------


def test_a_full_save_with_a_stale_version_does_not_lower_it(lifter, program):
    stale = TrainingProgram.objects.get(pk=program.pk)
    services.session_create(user=lifter, program=program, name="Legs", day_of_week=5)
    raised = version(program)
    assert stale.content_version < raised
    stale.description = "A full save carries every column, content_version included"
    stale.save()
    assert version(program) == raised


def test_a_program_edit_keeps_its_query_count(lifter, program, django_assert_num_queries):
    """The triggers run inside the writing statements: Django counts the same queries."""
    row = last_row(first_session(program))
    with django_assert_num_queries(1):
        SessionExercise.objects.filter(pk=row.pk).update(sets=4)
