"""exercises.services: the custom-exercise rules hold for every caller, not only the form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from exercises.models import Exercise
from exercises.services import CustomExerciseData, exercise_create_custom, exercise_update_custom

pytestmark = pytest.mark.django_db


def data(**overrides):
    values = {
        "name": "Landmine Press",
        "equipment": "BARBELL",
        "difficulty": "INTERMEDIATE",
        "muscle_contributions": {"FRONT_DELTS": 1.0, "CHEST": 0.5},
    }
    values.update(overrides)
    return CustomExerciseData(**values)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ab", "Give a name of at least 3 characters."),
        ("  a   ", "Give a name of at least 3 characters."),  # spaces do not count
        ("x" * 101, "A name has at most 100 characters."),
    ],
)
def test_the_service_refuses_names_outside_three_to_a_hundred_characters(name, message):
    user = UserFactory(subscription_tier="pro")
    with pytest.raises(ValidationError) as exc:
        exercise_create_custom(user=user, data=data(name=name))
    assert exc.value.message_dict == {"name": [message]}
    assert not Exercise.all_objects.filter(created_by=user).exists()


def test_names_are_stored_with_spaces_collapsed_and_checked_on_update_too():
    user = UserFactory(subscription_tier="pro")
    exercise = exercise_create_custom(user=user, data=data(name="  Landmine   Press "))
    assert exercise.name == "Landmine Press"
    with pytest.raises(ValidationError) as exc:
        exercise_update_custom(
            user=user, exercise=exercise, data=data(name="x" * 101, description="y" * 2001)
        )
    assert set(exc.value.message_dict) == {"name", "description"}
    exercise.refresh_from_db()
    assert exercise.name == "Landmine Press"
