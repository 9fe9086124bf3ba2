"""training_programs, workout_sessions, session_exercises: constraints in the database itself (rows
written with plain SQL), clear model messages, and soft delete through every manager."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from hypertroq.tests.rawsql import assert_rejected, assert_update_rejected, insert
from programs.models import SessionExercise, TrainingProgram, WorkoutSession
from programs.tests.factories import (
    SessionExerciseFactory,
    TrainingProgramFactory,
    WorkoutSessionFactory,
)

pytestmark = pytest.mark.django_db


def program_row(**extra):
    row = {"name": "Raw Program", "structure_type": "WEEKLY", "frequency": 3}
    if "user_id" not in extra and not extra.get("is_template"):
        row["user_id"] = UserFactory().pk
    row.update(extra)
    return row


def session_row(program=None, **extra):
    row = {"program_id": (program or TrainingProgramFactory()).pk, "name": "Raw Session", "order_index": 0}
    row.update(extra)
    return row


def session_exercise_row(session=None, exercise=None, **extra):
    row = {
        "session_id": (session or WorkoutSessionFactory()).pk,
        "exercise_id": (exercise or ExerciseFactory()).pk,
        "order_index": 0,
        "sets": 3,
    }
    row.update(extra)
    return row


# --- training_programs ------------------------------------------------------------------------------


@pytest.mark.parametrize("frequency", [0, -1])
def test_chk_frequency_positive(frequency):
    assert_rejected("training_programs", "chk_frequency_positive", **program_row(frequency=frequency))


def test_chk_frequency_positive_guards_updates():
    program = TrainingProgramFactory()
    assert_update_rejected("training_programs", program.pk, "chk_frequency_positive", frequency=0)


def test_frequency_is_at_most_seven():
    assert_rejected("training_programs", "chk_frequency_max_7", **program_row(frequency=8))
    assert insert("training_programs", **program_row(frequency=7))


def test_structure_type_is_checked():
    assert_rejected(
        "training_programs", "chk_programs_structure_valid", **program_row(structure_type="DAILY")
    )


def test_only_templates_may_have_no_owner():
    assert_rejected("training_programs", "chk_programs_owner_unless_template", **program_row(user_id=None))
    template_id = insert("training_programs", **program_row(is_template=True))
    assert TrainingProgram.objects.get(pk=template_id).user is None


def test_live_template_names_are_unique():
    TrainingProgramFactory(name="Full Body 3-day", user=None, is_template=True)
    assert_rejected(
        "training_programs",
        "ux_programs_template_name",
        **program_row(name="Full Body 3-day", is_template=True),
    )
    # A user's own program may share a template's name.
    assert insert("training_programs", **program_row(name="Full Body 3-day"))


def test_program_full_clean_names_the_field():
    program = TrainingProgramFactory.build(user=UserFactory(), frequency=0)
    with pytest.raises(ValidationError) as caught:
        program.full_clean()
    assert "frequency" in caught.value.message_dict


# --- workout_sessions --------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [7, -1, 42])
def test_chk_day_of_week_valid(day):
    assert_rejected("workout_sessions", "chk_day_of_week_valid", **session_row(day_of_week=day))


def test_day_of_week_null_and_zero_to_six_are_accepted():
    program = TrainingProgramFactory()
    for day in range(7):
        assert insert("workout_sessions", **session_row(program, day_of_week=day, order_index=day))
    assert insert("workout_sessions", **session_row(program, day_of_week=None, order_index=7))


def test_one_live_session_per_weekday_in_a_program():
    session = WorkoutSessionFactory(day_of_week=2)
    assert_rejected(
        "workout_sessions", "ux_sessions_program_weekday", **session_row(session.program, day_of_week=2)
    )
    session.mark_deleted()
    session.save()
    assert insert("workout_sessions", **session_row(session.program, day_of_week=2))


def test_session_full_clean_names_the_weekday_clash():
    session = WorkoutSessionFactory(day_of_week=4)
    twin = WorkoutSessionFactory.build(program=session.program, day_of_week=4)
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert "This program already has a session on that day." in str(caught.value)


# --- session_exercises --------------------------------------------------------------------------------


@pytest.mark.parametrize("sets", [0, -3])
def test_chk_sets_positive(sets):
    assert_rejected("session_exercises", "chk_sets_positive", **session_exercise_row(sets=sets))


def test_sets_are_at_most_twenty():
    assert_rejected("session_exercises", "chk_sets_max_20", **session_exercise_row(sets=21))


@pytest.mark.parametrize("rest", [-1, 901])
def test_rest_is_zero_to_nine_hundred_seconds(rest):
    assert_rejected("session_exercises", "chk_rest_seconds_range", **session_exercise_row(rest_seconds=rest))


@pytest.mark.parametrize("reps", ["ten", "8-", "-12", "8 - 12", "amrap", "1234"])
def test_reps_format_is_checked(reps):
    assert_rejected("session_exercises", "chk_reps_format", **session_exercise_row(reps=reps))


@pytest.mark.parametrize("reps", ["8", "8-12", "AMRAP", None])
def test_good_reps_are_accepted(reps):
    assert insert("session_exercises", **session_exercise_row(reps=reps))


def test_ix_session_exercise_unique():
    row = SessionExerciseFactory(order_index=1)
    assert_rejected(
        "session_exercises",
        "ix_session_exercise_unique",
        **session_exercise_row(row.session, row.exercise, order_index=1),
    )
    # The same exercise at another position is fine (e.g. a back-off block).
    assert insert("session_exercises", **session_exercise_row(row.session, row.exercise, order_index=2))


def test_ix_session_exercise_unique_includes_soft_deleted_rows():
    row = SessionExerciseFactory(order_index=0)
    row.mark_deleted()
    row.save()
    assert_rejected(
        "session_exercises",
        "ix_session_exercise_unique",
        **session_exercise_row(row.session, row.exercise, order_index=0),
    )


def test_session_exercise_full_clean_names_each_field():
    row = SessionExerciseFactory.build(
        session=WorkoutSessionFactory(), exercise=ExerciseFactory(), sets=0, reps="lots", rest_seconds=901
    )
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert {"sets", "reps", "rest_seconds"} <= set(caught.value.message_dict)


# --- soft delete through every manager ------------------------------------------------------------------


def test_soft_deleted_rows_vanish_from_default_and_related_managers():
    program = TrainingProgramFactory()
    kept_session, gone_session = WorkoutSessionFactory.create_batch(2, program=program)
    kept_row, gone_row = SessionExerciseFactory.create_batch(2, session=kept_session)
    for obj in (gone_session, gone_row):
        obj.mark_deleted()
        obj.save()

    assert list(program.sessions.all()) == [kept_session]
    assert list(kept_session.exercises.all()) == [kept_row]
    assert list(WorkoutSession.objects.filter(program=program)) == [kept_session]
    assert set(WorkoutSession.all_objects.filter(program=program)) == {kept_session, gone_session}
    assert SessionExercise.all_objects.filter(session=kept_session).count() == 2
    assert SessionExercise.objects.filter(session__program=program).count() == 1


def test_soft_deleted_program_is_hidden_from_its_owner():
    program = TrainingProgramFactory()
    owner = program.user
    program.mark_deleted()
    program.save()
    assert list(owner.programs.all()) == []
    assert not TrainingProgram.objects.filter(pk=program.pk).exists()
    restored = TrainingProgram.all_objects.get(pk=program.pk)
    restored.mark_restored()
    restored.save()
    assert list(owner.programs.all()) == [program]
