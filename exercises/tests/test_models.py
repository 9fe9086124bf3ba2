"""exercises: the database refuses invalid rows written in plain SQL, the model names the problem."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, transaction

from accounts.tests.factories import UserFactory
from exercises.models import Exercise
from exercises.tests.factories import ExerciseFactory
from hypertroq.tests.rawsql import assert_rejected, assert_update_rejected, insert

pytestmark = pytest.mark.django_db

CHECK = "chk_exercises_muscle_contributions_valid"


def exercise_row(**extra):
    row = {
        "name": "Raw Press",
        "equipment": "BARBELL",
        "muscle_contributions": {"CHEST": 1.0, "TRICEPS": 0.5},
        "is_global": True,
    }
    row.update(extra)
    return row


def test_a_valid_plain_sql_row_is_accepted_with_defaults():
    exercise = Exercise.objects.get(pk=insert("exercises", **exercise_row()))
    assert exercise.difficulty == "INTERMEDIATE"
    assert exercise.embedding is None and exercise.embedding_hash == ""
    assert exercise.prime_movers == ["CHEST"]


@pytest.mark.parametrize(
    "contributions",
    [
        pytest.param({"CHEST": 1.0, "BICEPS": 0.5}, id="unknown-muscle"),
        pytest.param({"chest": 1.0}, id="lower-case-key"),
        pytest.param({"CHEST": 1.0, "TRICEPS": 0.3}, id="bad-level"),
        pytest.param({"CHEST": 1.0, "TRICEPS": 0}, id="zero-level"),
        pytest.param({"CHEST": 1.0, "TRICEPS": "0.5"}, id="string-level"),
        pytest.param({"CHEST": 1.0, "TRICEPS": True}, id="boolean-level"),
        pytest.param({"CHEST": 0.75, "TRICEPS": 0.5}, id="no-prime-mover"),
        pytest.param({}, id="empty-object"),
        pytest.param(["CHEST"], id="array"),
    ],
)
def test_muscle_contributions_check_rejects_invalid_json(contributions):
    assert_rejected("exercises", CHECK, **exercise_row(muscle_contributions=contributions))


@pytest.mark.parametrize("scalar", ["'\"CHEST\"'::jsonb", "'1'::jsonb", "'null'::jsonb"])
def test_muscle_contributions_check_rejects_non_objects(scalar):
    from django.db import IntegrityError, connection

    from hypertroq.tests.rawsql import violated_constraint

    with pytest.raises(IntegrityError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO exercises (name, equipment, muscle_contributions) "
            f"VALUES ('Raw', 'BARBELL', {scalar})"
        )
    assert violated_constraint(caught.value) == CHECK


def test_muscle_contributions_check_guards_updates_too():
    exercise = ExerciseFactory()
    assert_update_rejected("exercises", exercise.pk, CHECK, muscle_contributions={"CHEST": 0.5})


def test_all_four_levels_and_several_prime_movers_are_accepted():
    contributions = {"GLUTES": 1.0, "SPINAL_ERECTORS": 1, "HAMSTRINGS": 0.5, "QUADRICEPS": 0.75, "LATS": 0.25}
    assert insert("exercises", **exercise_row(muscle_contributions=contributions))


@pytest.mark.parametrize(
    ("column", "value", "constraint"),
    [
        ("equipment", "TRX", "chk_exercises_equipment_valid"),
        ("difficulty", "EXPERT", "chk_exercises_difficulty_valid"),
    ],
)
def test_enumerations_are_checked_in_the_database(column, value, constraint):
    assert_rejected("exercises", constraint, **exercise_row(**{column: value}))


def test_a_global_exercise_has_no_owner():
    owner = UserFactory()
    assert_rejected(
        "exercises", "chk_exercises_global_has_no_owner", **exercise_row(created_by_user_id=owner.pk)
    )


def test_global_names_are_unique_case_insensitively_among_live_rows():
    ExerciseFactory(name="Goblet Squat")
    assert_rejected("exercises", "ux_exercises_global_name", **exercise_row(name="goblet SQUAT"))


def test_a_deleted_global_exercise_frees_its_name():
    old = ExerciseFactory(name="Goblet Squat")
    old.mark_deleted()
    old.save()
    assert insert("exercises", **exercise_row(name="Goblet Squat"))


def test_custom_names_are_unique_per_owner():
    owner = UserFactory()
    ExerciseFactory(name="My Curl", is_global=False, created_by=owner)
    assert_rejected(
        "exercises",
        "ux_exercises_custom_name",
        **exercise_row(name="MY CURL", is_global=False, created_by_user_id=owner.pk),
    )
    # Another user may use the name, and so may the library.
    assert insert(
        "exercises", **exercise_row(name="My Curl", is_global=False, created_by_user_id=UserFactory().pk)
    )
    assert insert("exercises", **exercise_row(name="My Curl"))


def test_embedding_has_384_dimensions():
    with pytest.raises(DataError), transaction.atomic():
        insert("exercises", **exercise_row(embedding="[" + ",".join(["0.1"] * 383) + "]"))
    assert insert("exercises", **exercise_row(name="Vec", embedding="[" + ",".join(["0.1"] * 384) + "]"))


# --- the model's own validation: clear messages ----------------------------------------------------


def test_full_clean_names_muscle_problems():
    exercise = ExerciseFactory.build(muscle_contributions={"CHEST": 0.5, "WINGS": 1.0})
    with pytest.raises(ValidationError) as caught:
        exercise.full_clean()
    assert caught.value.message_dict["muscle_contributions"] == ["“WINGS” is not a known muscle."]
    exercise.muscle_contributions = {"CHEST": 0.5}
    with pytest.raises(ValidationError) as caught:
        exercise.full_clean()
    assert caught.value.message_dict["muscle_contributions"] == [
        "At least one muscle must be the prime mover (1.0)."
    ]
    exercise.muscle_contributions = {"CHEST": 1.0, "TRICEPS": 0.6}
    with pytest.raises(ValidationError) as caught:
        exercise.full_clean()
    assert caught.value.message_dict["muscle_contributions"] == [
        "Triceps: contribution must be one of 0.25, 0.5, 0.75 or 1.0."
    ]


def test_full_clean_names_a_duplicate_library_name():
    ExerciseFactory(name="Hack Squat")
    with pytest.raises(ValidationError) as caught:
        ExerciseFactory.build(name="hack squat").full_clean()
    assert "A library exercise with this name already exists." in str(caught.value)


def test_contribution_rows_sort_by_level():
    exercise = ExerciseFactory.build(muscle_contributions={"TRICEPS": 0.5, "CHEST": 1.0, "ABS": 0.25})
    assert [(r["muscle"], r["role"], r["percent"]) for r in exercise.contribution_rows()] == [
        ("CHEST", "prime mover", 100),
        ("TRICEPS", "synergist", 50),
        ("ABS", "minor", 25),
    ]


# --- soft delete ------------------------------------------------------------------------------------


def test_soft_deleted_exercise_leaves_the_library_but_stays_in_programs():
    from programs.tests.factories import SessionExerciseFactory

    row = SessionExerciseFactory()
    exercise = row.exercise
    exercise.mark_deleted()
    exercise.save()
    assert not Exercise.objects.filter(pk=exercise.pk).exists()
    assert Exercise.all_objects.filter(pk=exercise.pk).exists()
    assert list(exercise.session_exercises.all()) == [row]
    row.refresh_from_db()
    assert row.exercise.name == exercise.name  # a program still shows what it uses


def test_a_users_custom_exercises_hide_deleted_ones():
    owner = UserFactory()
    kept = ExerciseFactory(is_global=False, created_by=owner)
    gone = ExerciseFactory(is_global=False, created_by=owner)
    gone.mark_deleted()
    gone.save()
    assert list(owner.custom_exercises.all()) == [kept]
