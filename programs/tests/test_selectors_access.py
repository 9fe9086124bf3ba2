"""programs.selectors.access: reads scoped to the requesting user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs.selectors import program_count_using_exercise
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory

pytestmark = pytest.mark.django_db


def test_count_using_an_exercise_counts_the_users_live_programs_once_each():
    owner = UserFactory()
    bench = ExerciseFactory(name="Barbell Bench Press")
    program = TrainingProgramFactory(user=owner)
    SessionExerciseFactory(session=WorkoutSessionFactory(program=program), exercise=bench)
    SessionExerciseFactory(session=WorkoutSessionFactory(program=program), exercise=bench)
    deleted_program = TrainingProgramFactory(user=owner, is_deleted=True)
    SessionExerciseFactory(session=WorkoutSessionFactory(program=deleted_program), exercise=bench)
    other = TrainingProgramFactory(user=owner)
    SessionExerciseFactory(session=WorkoutSessionFactory(program=other, is_deleted=True), exercise=bench)
    removed_line = TrainingProgramFactory(user=owner)
    SessionExerciseFactory(
        session=WorkoutSessionFactory(program=removed_line), exercise=bench, is_deleted=True
    )
    SessionExerciseFactory(session=WorkoutSessionFactory(program=TrainingProgramFactory()), exercise=bench)
    assert program_count_using_exercise(user=owner, exercise=bench) == 1
    assert program_count_using_exercise(user=AnonymousUser(), exercise=bench) == 0
    assert program_count_using_exercise(user=None, exercise=bench) == 0
