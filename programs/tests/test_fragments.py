"""Cached fragments (programs/fragments.py): never stale (edit, then read), never another
lifter's (two lifters, same data), and cheaper on a second request."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise, TrainingProgram, WorkoutSession

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"programs:{name}", kwargs={k: str(v) for k, v in kwargs.items()})


def cards(page: str) -> str:
    return page[page.index('<ul class="cards">') : page.index("</ul>", page.index('<ul class="cards">'))]


@pytest.fixture
def template(db):
    bench = ExerciseFactory(name="Barbell Bench Press", muscle_contributions={"CHEST": 1.0, "TRICEPS": 0.5})
    program = TrainingProgram.objects.create(
        name="Bench Lovers", structure_type="WEEKLY", frequency=2, is_template=True
    )
    for name, day in (("Monday", 0), ("Thursday", 3)):
        session = WorkoutSession.objects.create(program=program, name=name, day_of_week=day, order_index=day)
        SessionExercise.objects.create(session=session, exercise=bench, sets=3, order_index=0)
    return program


def test_templates_list_second_request_skips_the_volume_work(client, template, django_assert_num_queries):
    first = client.get(url("template_list")).content.decode()
    assert "Chest 6 sets (productive)" in first
    with django_assert_num_queries(1):  # the list with its stamp: no volume query, no rendering
        second = client.get(url("template_list")).content.decode()
    assert cards(second) == cards(first)


def test_templates_list_follows_a_staff_edit_of_sets(client, template):
    assert "Chest 6 sets (productive)" in client.get(url("template_list")).content.decode()
    row = SessionExercise.objects.filter(session__program=template).first()
    row.sets = 1  # the admin saves the whole row
    row.save()
    assert "Chest 4 sets" in client.get(url("template_list")).content.decode()


def test_templates_list_follows_an_exercise_edit_and_a_soft_delete(client, template):
    client.get(url("template_list"))
    exercise = SessionExercise.objects.filter(session__program=template).first().exercise
    exercise.muscle_contributions = {"TRICEPS": 1.0}
    exercise.save()
    page = client.get(url("template_list")).content.decode()
    assert "Chest 6 sets" not in page and "Triceps 6 sets" in page
    session = WorkoutSession.objects.filter(program=template, name="Thursday").get()
    session.mark_deleted()
    session.save(update_fields=["is_deleted", "deleted_at"])  # a soft delete that leaves updated_at
    page = client.get(url("template_list")).content.decode()
    assert "Triceps 3 sets" in page and "Thursday" not in page


def test_templates_list_is_coloured_by_each_viewers_own_landmarks(client, template):
    strict = UserFactory()
    services.volume_preference_update(
        user=strict,
        counting="fractional",
        landmark_overrides={"CHEST": {"mv": 2, "mev": 8, "mav_low": 10, "mav_high": 14, "mrv": 20}},
    )
    relaxed = UserFactory()
    client.force_login(relaxed)
    assert "Chest 6 sets (productive)" in client.get(url("template_list")).content.decode()
    client.force_login(strict)
    page = client.get(url("template_list")).content.decode()
    assert "Chest 6 sets (productive)" not in page and "Chest 6 sets" in page
    client.force_login(relaxed)
    assert "Chest 6 sets (productive)" in client.get(url("template_list")).content.decode()
