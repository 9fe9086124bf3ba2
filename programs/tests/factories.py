"""Factories for programs, sessions and session exercises."""

from __future__ import annotations

from typing import Any

import factory

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise, StructureType, TrainingProgram, WorkoutSession


class TrainingProgramFactory(factory.django.DjangoModelFactory[TrainingProgram]):
    class Meta:
        model = TrainingProgram

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    structure_type = StructureType.WEEKLY
    frequency = 3


class WorkoutSessionFactory(factory.django.DjangoModelFactory[WorkoutSession]):
    class Meta:
        model = WorkoutSession

    program = factory.SubFactory(TrainingProgramFactory)
    name = factory.Sequence(lambda n: f"Session {n}")
    order_index = factory.Sequence(lambda n: n)
    day_of_week = None


class SessionExerciseFactory(factory.django.DjangoModelFactory[SessionExercise]):
    class Meta:
        model = SessionExercise

    session = factory.SubFactory(WorkoutSessionFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    order_index = factory.Sequence(lambda n: n)
    sets = 3
    reps = "8-12"
    rest_seconds = 120


def make_program(
    user: Any,
    structure_type: str = StructureType.WEEKLY,
    frequency: int | None = None,
    name: str = "My program",
) -> TrainingProgram:
    """A program made through the service, as a user would (tier limit and all)."""
    return services.program_create(user=user, name=name, structure_type=structure_type, frequency=frequency)
