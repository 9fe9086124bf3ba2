"""Factories for workouts, workout exercises, set logs and training preferences.

Behaviour-rich state (a workout started from a session, sets logged) is set up through
``training.services``; these factories are for rows a test needs directly.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from training.models import SetLog, SetType, TrainingPreferences, WorkoutExercise, WorkoutLog

# When the tests' lifters signed up: before the weeks they train and get notices in (the week-start
# notices skip people who joined after their week began).
JOINED = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


class WorkoutLogFactory(factory.django.DjangoModelFactory[WorkoutLog]):
    class Meta:
        model = WorkoutLog

    user = factory.SubFactory(UserFactory)
    session_name = factory.Sequence(lambda n: f"Workout {n}")
    started_at = factory.LazyFunction(timezone.now)


class WorkoutExerciseFactory(factory.django.DjangoModelFactory[WorkoutExercise]):
    class Meta:
        model = WorkoutExercise

    workout_log = factory.SubFactory(WorkoutLogFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    order_index = factory.Sequence(lambda n: n)
    planned_sets = 3
    planned_reps = "8-12"
    rest_seconds = 120


class SetLogFactory(factory.django.DjangoModelFactory[SetLog]):
    class Meta:
        model = SetLog

    workout_log = factory.SubFactory(WorkoutLogFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    weight_kg = Decimal("80.00")
    reps = 10
    rir = Decimal("2.0")
    set_type = SetType.WORKING
    client_id = factory.LazyFunction(uuid.uuid4)
    order_index = factory.Sequence(lambda n: n)
    logged_at = factory.LazyFunction(timezone.now)


class TrainingPreferencesFactory(factory.django.DjangoModelFactory[TrainingPreferences]):
    class Meta:
        model = TrainingPreferences

    user = factory.SubFactory(UserFactory)
