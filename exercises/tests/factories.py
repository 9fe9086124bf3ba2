"""Factories for exercises."""

from __future__ import annotations

import factory

from exercises.domain import Difficulty, Equipment
from exercises.models import Exercise


class ExerciseFactory(factory.django.DjangoModelFactory[Exercise]):
    class Meta:
        model = Exercise

    name = factory.Sequence(lambda n: f"Test Press {n}")
    description = "Press the weight up and lower it under control."
    equipment = Equipment.BARBELL
    difficulty = Difficulty.INTERMEDIATE
    is_global = True
    muscle_contributions = factory.LazyFunction(lambda: {"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5})
