"""The training tables' rules hold in the database itself (rows written in plain SQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.preferences import UserPreferences
from accounts.tests.factories import UserPreferencesFactory
from exercises.models import Exercise
from hypertroq.tests.rawsql import assert_update_rejected, execute, scalar, violated_constraint
from programs.tests.factories import SessionExerciseFactory
from training.models import SetLog, TrainingPreferences, WorkoutExercise, WorkoutLog
from training.tests.factories import (
    SetLogFactory,
    TrainingPreferencesFactory,
    WorkoutExerciseFactory,
    WorkoutLogFactory,
)

pytestmark = pytest.mark.django_db


def check_deferred_constraints() -> None:
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.mark.parametrize(
    ("column", "value", "constraint"),
    [
        ("reps", -1, "chk_set_logs_reps_range"),
        ("reps", 101, "chk_set_logs_reps_range"),
        ("weight_kg", Decimal("-0.01"), "chk_set_logs_weight_range"),
        ("weight_kg", Decimal("1000.01"), "chk_set_logs_weight_range"),
        ("rir", Decimal("5.5"), "chk_set_logs_rir_steps"),
        ("rir", Decimal("1.3"), "chk_set_logs_rir_steps"),
        ("rir", Decimal("-0.5"), "chk_set_logs_rir_steps"),
        ("set_type", "CLUSTER", "chk_set_logs_set_type"),
        ("side", "BOTH", "chk_set_logs_side"),
    ],
)
def test_the_database_refuses_an_impossible_set(column, value, constraint):
    row = SetLogFactory()
    assert_update_rejected("set_logs", row.pk, constraint, **{column: value})


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("reps", 0),
        ("reps", 100),
        ("weight_kg", Decimal("0")),
        ("weight_kg", Decimal("1000")),
        ("rir", None),
        ("rir", Decimal("0")),
        ("rir", Decimal("4.5")),
        ("rir", Decimal("5")),
        ("set_type", "WARMUP"),
        ("set_type", "DROP"),
        ("set_type", "FAILURE"),
        ("side", "LEFT"),
    ],
)
def test_the_edges_of_each_range_are_allowed(column, value):
    row = SetLogFactory()
    execute(f"UPDATE set_logs SET {column} = %s WHERE id = %s", [value, row.pk])
    assert scalar(f"SELECT {column} FROM set_logs WHERE id = %s", [row.pk]) == value


def test_the_same_client_id_is_stored_once():
    row = SetLogFactory()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        SetLogFactory(client_id=row.client_id, workout_log=row.workout_log)
    assert "client_id" in (violated_constraint(caught.value) or "")


def test_a_workout_cannot_finish_before_it_starts():
    workout = WorkoutLogFactory()
    assert_update_rejected(
        "workout_logs",
        workout.pk,
        "chk_workout_finished_after_start",
        finished_at=workout.started_at - dt.timedelta(seconds=1),
    )
    execute("UPDATE workout_logs SET finished_at = started_at WHERE id = %s", [workout.pk])


def test_full_clean_reports_the_same_rules_as_the_database():
    row = SetLogFactory.build(reps=101, weight_kg=Decimal("1200"), rir=Decimal("0.3"))
    with pytest.raises(ValidationError) as caught:
        row.full_clean(
            exclude=["workout_log", "exercise", "workout_exercise"],
            validate_unique=False,
            validate_constraints=False,
        )
    assert set(caught.value.message_dict) == {"reps", "weight_kg", "rir"}


def test_deleting_a_program_or_session_keeps_the_workout_and_its_names():
    planned = SessionExerciseFactory(session__name="Push A", session__program__name="PPL")
    session = planned.session
    program = session.program
    workout = WorkoutLogFactory(
        user=program.user, program=program, session=session, program_name="PPL", session_name="Push A"
    )
    entry = WorkoutExerciseFactory(workout_log=workout, exercise=planned.exercise, session_exercise=planned)
    assert execute("DELETE FROM training_programs WHERE id = %s", [program.pk]) == 1
    check_deferred_constraints()
    workout.refresh_from_db()
    entry.refresh_from_db()
    assert (workout.program_id, workout.session_id) == (None, None)
    assert (workout.program_name, workout.session_name) == ("PPL", "Push A")
    assert entry.session_exercise_id is None


def test_an_exercise_used_in_a_log_cannot_be_deleted():
    row = SetLogFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        execute("DELETE FROM exercises WHERE id = %s", [row.exercise_id])
        check_deferred_constraints()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Exercise.all_objects.get(pk=row.exercise_id).delete()


def test_deleting_a_user_deletes_their_log_and_preferences():
    row = SetLogFactory()
    user = row.workout_log.user
    TrainingPreferencesFactory(user=user)
    UserPreferencesFactory(user=user)
    assert execute("DELETE FROM users WHERE id = %s", [user.pk]) == 1
    check_deferred_constraints()
    assert not WorkoutLog.all_objects.filter(pk=row.workout_log_id).exists()
    assert not SetLog.all_objects.filter(pk=row.pk).exists()
    assert not TrainingPreferences.objects.filter(user_id=user.pk).exists()
    assert not UserPreferences.objects.filter(user_id=user.pk).exists()
    assert not WorkoutExercise.objects.filter(workout_log_id=row.workout_log_id).exists()


def test_preferences_default_to_kilograms_a_20_kg_bar_and_rir_4():
    prefs = UserPreferencesFactory()
    prefs.refresh_from_db()
    assert prefs.unit == "kg"
    assert prefs.bar_weight == Decimal("20")
    assert prefs.rir_threshold == Decimal("4")
    assert prefs.plates == [Decimal(p) for p in ("25", "20", "15", "10", "5", "2.5", "1.25")]
    assert (prefs.week_start, prefs.default_rest_seconds, prefs.counting) == (0, 120, "fractional")
    assert_update_rejected(
        "user_preferences", prefs.pk, "chk_user_prefs_rir_threshold", rir_threshold=Decimal("4.2")
    )
    assert_update_rejected("user_preferences", prefs.pk, "chk_user_prefs_unit", unit="st")
    assert_update_rejected("user_preferences", prefs.pk, "chk_user_prefs_week_start", week_start=7)
    assert_update_rejected(
        "user_preferences", prefs.pk, "chk_user_prefs_default_rest", default_rest_seconds=901
    )
    assert_update_rejected("user_preferences", prefs.pk, "chk_user_prefs_counting", counting="half")


def test_a_time_zone_must_be_known():
    prefs = UserPreferencesFactory.build(time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as caught:
        prefs.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    assert "time_zone" in caught.value.message_dict


def test_week_start_records_are_one_per_person_and_week_and_go_with_the_person():
    from hypertroq.tests.rawsql import assert_rejected
    from training.models import WeekStartRun

    user = UserPreferencesFactory().user
    WeekStartRun.objects.create(user=user, week="2026-W50")
    assert_rejected("week_start_runs", "uq_week_start_run", user_id=user.pk, week="2026-W50")
    assert_rejected("week_start_runs", "chk_week_start_run_week", user_id=user.pk, week="2026-50")
    execute("DELETE FROM users WHERE id = %s", [user.pk])  # a DBA's delete: the rule is in SQL
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert scalar("SELECT count(*) FROM week_start_runs WHERE user_id = %s", [user.pk]) == 0
