"""Searches that mention pain or an injury (issue 15, item 15): the app says pain is for a
professional and offers gentle, low-load exercises only, in description and in name search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from exercises import embeddings
from exercises.domain import Equipment
from exercises.search_terms import PAIN_NOTICE, mentions_pain
from exercises.selectors import exercise_search, exercise_semantic_search
from exercises.tests.factories import ExerciseFactory

LIST = reverse("exercises:list")


@pytest.fixture
def library(fake_model):
    items = [
        ExerciseFactory(
            name="Barbell Back Squat",
            equipment=Equipment.BARBELL,
            description="Squat deep with the bar on the back; works the lower back hard to stay upright.",
            muscle_contributions={"QUADRICEPS": 1.0, "GLUTES": 0.5, "SPINAL_ERECTORS": 0.5},
        ),
        ExerciseFactory(
            name="Conventional Deadlift",
            equipment=Equipment.BARBELL,
            description="Pull the bar from the floor; the lower back holds it.",
            muscle_contributions={"GLUTES": 1.0, "HAMSTRINGS": 0.5, "SPINAL_ERECTORS": 1.0},
        ),
        ExerciseFactory(
            name="Bird Dog",
            equipment=Equipment.BODYWEIGHT,
            difficulty="BEGINNER",
            description="On hands and knees, reach one arm and the opposite leg out, keeping the back still.",
            muscle_contributions={"SPINAL_ERECTORS": 1.0, "GLUTES": 0.5},
            is_gentle=True,
        ),
        ExerciseFactory(
            name="Dead Bug",
            equipment=Equipment.BODYWEIGHT,
            difficulty="BEGINNER",
            description="On your back, lower the opposite arm and leg while the lower back stays down.",
            muscle_contributions={"ABS": 1.0},
            is_gentle=True,
        ),
    ]
    embeddings.embed_exercises(items)
    return items


@pytest.mark.parametrize(
    "text",
    [
        "exercise for lower back pain",
        "my knee hurts",
        "shoulder injury rehab",
        "sore elbow",
        "sciatica friendly legs",
        "after a herniated disc",
    ],
)
def test_pain_and_injury_phrasing_is_recognised(text):
    assert mentions_pain(text)


@pytest.mark.parametrize(
    "text", ["rear delts with cables", "painter's stretch", "hurdle step", "bench press"]
)
def test_training_phrasing_is_not_pain(text):
    assert not mentions_pain(text)


@pytest.mark.django_db
def test_a_description_mentioning_pain_gets_gentle_exercises_only(library):
    results = exercise_semantic_search(user=None, text="exercise for lower back pain", limit=3)
    assert results
    assert {e.name for e in results} <= {"Bird Dog", "Dead Bug"}
    # Without pain in it, the same muscles bring the loaded lifts back.
    loaded = exercise_semantic_search(user=None, text="exercise for the lower back", limit=4)
    assert "Conventional Deadlift" in {e.name for e in loaded}


@pytest.mark.django_db
def test_a_name_search_mentioning_pain_lists_gentle_exercises(library):
    assert [e.name for e in exercise_search(user=None, query="knee pain")] == ["Bird Dog", "Dead Bug"]


@pytest.mark.django_db
def test_the_library_page_says_pain_is_for_a_professional(client, library):
    client.force_login(UserFactory())
    page = client.post(LIST, {"ask": "exercise for lower back pain"}).content.decode()
    assert "doctor or a physiotherapist" in page
    assert "Barbell Back Squat" not in page
    assert "Bird Dog" in page
    name_page = client.get(LIST, {"q": "back pain"}).content.decode()
    assert PAIN_NOTICE.split(":")[0] in name_page
    assert "Conventional Deadlift" not in name_page
    plain = client.get(LIST, {"q": "squat"}).content.decode()
    assert "physiotherapist" not in plain
