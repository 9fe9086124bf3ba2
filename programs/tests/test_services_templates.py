"""programs.services.templates: "Use this template"."""

from __future__ import annotations

import pytest

from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise, TrainingProgram, WorkoutSession

pytestmark = pytest.mark.django_db


def test_template_use_deep_copies(user):
    template = TrainingProgram.objects.create(
        name="PPL", structure_type="WEEKLY", frequency=2, is_template=True
    )
    s1 = WorkoutSession.objects.create(program=template, name="Push", day_of_week=0, order_index=0)
    WorkoutSession.objects.create(program=template, name="Pull", day_of_week=3, order_index=1)
    SessionExercise.objects.create(session=s1, exercise=ExerciseFactory(), sets=4, reps="8-12", order_index=0)
    copy = services.template_use(user=user, template=template)
    assert (copy.user, copy.is_template, copy.source_id, copy.name) == (user, False, template.pk, "PPL")
    assert list(copy.sessions.values_list("name", "day_of_week")) == [("Push", 0), ("Pull", 3)]
    copied = SessionExercise.objects.get(session__program=copy)
    assert (copied.sets, copied.reps) == (4, "8-12")
    # The template itself is untouched and separate.
    services.session_exercise_update(user=user, session_exercise=copied, sets=2)
    assert SessionExercise.objects.get(session=s1).sets == 4
