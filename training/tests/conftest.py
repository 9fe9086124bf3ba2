"""A lifter with a program to train from: PPL (WEEKLY) with Push A on Monday (bench press 3 × 8-12,
rest 2 min; lateral raise 3 × 12-15) and Pull A on Thursday."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from accounts.tests.factories import UserFactory
from exercises.domain import Equipment
from exercises.tests.factories import ExerciseFactory
from programs.models import StructureType
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory
from training.tests.factories import JOINED


@dataclass
class Gym:
    user: Any
    program: Any
    push: Any
    pull: Any
    bench: Any
    raise_: Any
    row: Any
    dumbbell_press: Any


@pytest.fixture
def gym(db) -> Gym:
    user = UserFactory(created_at=JOINED)
    program = TrainingProgramFactory(user=user, name="PPL", structure_type=StructureType.WEEKLY, frequency=2)
    push = WorkoutSessionFactory(program=program, name="Push A", day_of_week=0, order_index=0)
    pull = WorkoutSessionFactory(program=program, name="Pull A", day_of_week=3, order_index=3)
    bench = ExerciseFactory(name="Barbell bench press")
    dumbbell_press = ExerciseFactory(name="Dumbbell bench press", equipment=Equipment.DUMBBELL)
    raise_ = ExerciseFactory(
        name="Lateral raise", equipment=Equipment.DUMBBELL, muscle_contributions={"SIDE_DELTS": 1.0}
    )
    row = ExerciseFactory(
        name="Barbell row", muscle_contributions={"LATS": 1.0, "TRAPS_RHOMBOIDS": 1.0, "ELBOW_FLEXORS": 0.5}
    )
    SessionExerciseFactory(
        session=push,
        exercise=bench,
        order_index=0,
        sets=3,
        reps="8-12",
        rest_seconds=120,
        notes="Pause on the chest",
    )
    SessionExerciseFactory(
        session=push, exercise=raise_, order_index=1, sets=3, reps="12-15", rest_seconds=60
    )
    SessionExerciseFactory(session=pull, exercise=row, order_index=0, sets=4, reps="8-10", rest_seconds=150)
    return Gym(user, program, push, pull, bench, raise_, row, dumbbell_press)
