"""Library pages: browse, filters in the URL, htmx partials, bad input, exercise page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from exercises.domain import Equipment
from exercises.tests.factories import ExerciseFactory
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("exercises:list")
CHEST = {"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5}
ROW = {"TRAPS_RHOMBOIDS": 1.0, "LATS": 0.75, "ELBOW_FLEXORS": 0.5}


@pytest.fixture
def library(db):
    return [
        ExerciseFactory(name="Barbell Bench Press", equipment=Equipment.BARBELL, muscle_contributions=CHEST),
        ExerciseFactory(
            name="Dumbbell Bench Press", equipment=Equipment.DUMBBELL, muscle_contributions=CHEST
        ),
        ExerciseFactory(name="Seated Cable Row", equipment=Equipment.CABLE, muscle_contributions=ROW),
    ]


def test_anonymous_browses_global_library(client, library):
    other = UserFactory()
    ExerciseFactory(name="Private Press", is_global=False, created_by=other)
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Barbell Bench Press" in body
    assert "Private Press" not in body
    assert 'hx-push-url="true"' in body
    assert '<button type="submit">Search</button>' in body


def test_signed_in_user_sees_own_custom_exercises(client, library):
    owner = UserFactory()
    ExerciseFactory(name="Owner Landmine Press", is_global=False, created_by=owner)
    client.force_login(owner)
    body = client.get(LIST, {"scope": "mine"}).content.decode()
    assert "Owner Landmine Press" in body
    assert "Barbell Bench Press" not in body


def test_typo_search_and_filters_from_the_url(client, library):
    body = client.get(LIST, {"q": "benhc pres", "equipment": ["DUMBBELL"]}).content.decode()
    assert "Dumbbell Bench Press" in body
    assert "Barbell Bench Press" not in body
    assert "Seated Cable Row" not in body


def test_htmx_request_gets_only_the_results_partial(client, library):
    response = client.get(LIST, {"q": "row"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="exercise-results"')
    assert "Seated Cable Row" in body
    assert "<html" not in body
    assert "HX-Request" in response.headers.get("Vary", "")


def test_history_restore_gets_the_full_page(client, library):
    response = client.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_unknown_filter_values_are_ignored_with_a_message(client, library):
    response = client.get(
        LIST, {"equipment": ["ROCKET", "CABLE"], "difficulty": "GODLIKE", "muscle": "WINGS"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "ignored unknown value" in body
    assert "Seated Cable Row" in body
    assert "Barbell Bench Press" not in body  # CABLE still applies


def test_very_long_query_is_shortened_not_an_error(client, library):
    response = client.get(LIST, {"q": "press " * 200}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "limited to 200 characters" in response.content.decode()


@pytest.mark.parametrize("field", ["q", "ask"])
def test_nul_byte_in_a_search_is_dropped_with_a_message(client, library, fake_model, field):
    # PostgreSQL text can't hold NUL: the query used to reach the database and fail with a 500.
    client.force_login(UserFactory())
    response = client.get(LIST, {field: "bench\x00 press"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "ignored a character a search can" in body
    assert "Barbell Bench Press" in body


def test_empty_query_lists_everything(client, library):
    body = client.get(LIST, {"q": "   "}).content.decode()
    assert "3 exercises" in body


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0"])
def test_page_out_of_range_shows_a_real_page(client, page):
    ExerciseFactory.create_batch(25)
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert "There is no page" in response.content.decode()


def test_pagination_links_keep_the_filters(client):
    ExerciseFactory.create_batch(25, equipment=Equipment.CABLE)
    body = client.get(LIST, {"equipment": "CABLE"}).content.decode()
    assert "equipment=CABLE&amp;page=2" in body


def test_anonymous_description_search_asks_to_log_in(client, library):
    body = client.get(LIST, {"ask": "chest with dumbbells"}).content.decode()
    assert "Search by description is for signed-in lifters" in body
    assert "Barbell Bench Press" in body  # plain results still shown


def test_list_query_count_does_not_grow_with_library_size(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    ExerciseFactory.create_batch(5)
    with django_assert_max_num_queries(8) as small:
        client.get(LIST, {"q": "press", "equipment": ["BARBELL"]})
    ExerciseFactory.create_batch(60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(LIST, {"q": "press", "equipment": ["BARBELL"], "page": 2})


def test_exercise_page_shows_contributions_substitutes_and_use_count(client, library):
    user = UserFactory()
    bench = library[0]
    program = TrainingProgramFactory(user=user)
    SessionExerciseFactory(session=WorkoutSessionFactory(program=program), exercise=bench)
    client.force_login(user)
    response = client.get(reverse("exercises:detail", kwargs={"exercise_id": bench.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Used in 1 of your programs<" in body
    assert "prime mover" in body
    assert "1.0 (100%)" in body
    assert "Dumbbell Bench Press" in body  # substitute
    assert "Seated Cable Row" not in body.split("Substitutes")[1]


def test_exercise_page_exclude_equipment(client, library):
    url = reverse("exercises:detail", kwargs={"exercise_id": library[0].pk})
    response = client.get(url, {"exclude_equipment": "DUMBBELL"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="substitutes"')
    assert "Dumbbell Bench Press" not in body
    response = client.get(url, {"exclude_equipment": "JETPACK"})
    assert response.status_code == 200
    assert "Ignored unknown equipment" in response.content.decode()


def test_exercise_page_query_count_is_constant(client, library, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    url = reverse("exercises:detail", kwargs={"exercise_id": library[0].pk})
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    ExerciseFactory.create_batch(30, muscle_contributions=CHEST)
    program = TrainingProgramFactory(user=user)
    for _ in range(3):
        SessionExerciseFactory(session=WorkoutSessionFactory(program=program), exercise=library[0])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_other_users_custom_exercise_is_404(client):
    owner = UserFactory()
    custom = ExerciseFactory(name="Owner Press", is_global=False, created_by=owner)
    client.force_login(UserFactory())
    for name in ("detail", "edit", "delete"):
        assert client.get(reverse(f"exercises:{name}", kwargs={"exercise_id": custom.pk})).status_code == 404
    assert client.get(reverse("exercises:detail", kwargs={"exercise_id": custom.pk})).status_code == 404


def test_blank_multi_values_mean_no_filter_not_an_error(client, library):
    body = client.get(LIST, {"muscle": "", "equipment": ["", "CABLE"]}).content.decode()
    assert "ignored" not in body
    assert "Seated Cable Row" in body
    assert "Barbell Bench Press" not in body
