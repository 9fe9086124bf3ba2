"""Semantic search: one AI query per search, login/quota/unavailable messages, filters, ranking."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.quota import AIQuotaExceeded
from accounts.tests.factories import UserFactory
from exercises import embeddings
from exercises.domain import Equipment
from exercises.selectors import exercise_semantic_search, parse_negated_equipment
from exercises.services import exercise_semantic_search_for_user
from exercises.tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

LIST = reverse("exercises:list")


@pytest.fixture
def library(fake_model):
    items = [
        ExerciseFactory(
            name="Face Pull",
            equipment=Equipment.CABLE,
            description="Pull a rope to the face for the rear delts.",
            muscle_contributions={"REAR_DELTS": 1.0, "TRAPS_RHOMBOIDS": 0.5},
        ),
        ExerciseFactory(
            name="Dumbbell Rear Delt Fly",
            equipment=Equipment.DUMBBELL,
            description="Bent over, raise the dumbbells out to the sides for the rear delts.",
            muscle_contributions={"REAR_DELTS": 1.0, "TRAPS_RHOMBOIDS": 0.5},
        ),
        ExerciseFactory(
            name="Barbell Back Squat",
            equipment=Equipment.BARBELL,
            description="Squat deep with the bar on the back for the quads.",
            muscle_contributions={"QUADRICEPS": 1.0, "GLUTES": 0.5},
        ),
        ExerciseFactory(
            name="Leg Press",
            equipment=Equipment.MACHINE,
            description="Press the platform away for the quads, knee-friendly and stable.",
            muscle_contributions={"QUADRICEPS": 1.0, "GLUTES": 0.5},
        ),
    ]
    embeddings.embed_exercises(items)
    return items


def used(user):
    user.refresh_from_db()
    return user.ai_queries_used


def test_one_ai_query_per_search_not_per_page_or_filter(client, library):
    user = UserFactory()
    client.force_login(user)
    response = client.post(LIST, {"ask": "rear delts with cables"})
    assert response.status_code == 200
    assert "Best matches for" in response.content.decode()
    assert used(user) == 1
    # Paging is a GET: it shows the search already paid for, without spending again.
    page_two = client.get(
        LIST, {"ask": "rear delts with cables", "page": "2"}, headers={"HX-Request": "true"}
    )
    assert "Best matches for" in page_two.content.decode()
    client.post(
        LIST, {"ask": "Rear delts  with cables", "equipment": "CABLE"}, headers={"HX-Request": "true"}
    )
    assert used(user) == 1
    client.post(LIST, {"ask": "quads on a machine"})
    assert used(user) == 2


def test_plain_name_search_costs_nothing(client, library):
    user = UserFactory()
    client.force_login(user)
    client.get(LIST, {"q": "face pull"})
    assert used(user) == 0


def test_semantic_results_are_ranked_and_filtered(client, library):
    user = UserFactory()
    client.force_login(user)
    body = client.get(
        LIST, {"ask": "rear delts", "equipment": "CABLE"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Face Pull" in body
    assert "Dumbbell Rear Delt Fly" not in body


def test_quota_spent_tells_the_user_and_name_search_still_works(client, library):
    user = UserFactory(ai_queries_limit=1)
    client.force_login(user)
    client.post(LIST, {"ask": "rear delts"})
    response = client.post(LIST, {"ask": "quads", "q": "squat"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "used all your AI queries" in body
    assert "Barbell Back Squat" in body  # the name search result
    assert used(user) == 1


def test_anonymous_cannot_spend_and_is_asked_to_log_in(client, library, fake_model):
    calls = fake_model.calls
    body = client.post(LIST, {"ask": "rear delts"}).content.decode()
    assert "log in" in body
    assert fake_model.calls == calls
    with pytest.raises(PermissionDenied):
        exercise_semantic_search_for_user(user=None, text="rear delts")


def test_model_unavailable_is_said_and_not_charged(client, db, broken_model):
    ExerciseFactory(name="Face Pull")
    user = UserFactory()
    client.force_login(user)
    body = client.post(LIST, {"ask": "rear delts"}).content.decode()
    assert "unavailable right now" in body
    assert "Face Pull" in body
    assert used(user) == 0


def test_service_counts_once_and_raises_when_spent(library):
    user = UserFactory(ai_queries_limit=2)
    exercise_semantic_search_for_user(user=user, text="rear delts", reuse_window=False)
    exercise_semantic_search_for_user(user=user, text="rear delts", reuse_window=False)
    with pytest.raises(AIQuotaExceeded):
        exercise_semantic_search_for_user(user=user, text="rear delts", reuse_window=False)
    assert used(user) == 2


def test_empty_description_is_not_a_search(client, library):
    user = UserFactory()
    client.force_login(user)
    body = client.post(LIST, {"ask": "   "}).content.decode()
    assert "Best matches" not in body
    assert used(user) == 0
    assert exercise_semantic_search_for_user(user=user, text="") == []


def test_long_description_is_shortened_and_still_works(client, library):
    user = UserFactory()
    client.force_login(user)
    response = client.post(LIST, {"ask": "rear delts " * 100})
    assert response.status_code == 200
    assert "limited to 200 characters" in response.content.decode()
    assert used(user) == 1


def test_exact_name_comes_first(library):
    got = exercise_semantic_search(user=None, text="leg press", limit=3)
    assert got[0].name == "Leg Press"


def test_negated_equipment_is_excluded(library):
    got = [e.name for e in exercise_semantic_search(user=None, text="quads without a barbell", limit=5)]
    assert "Barbell Back Squat" not in got
    assert "Leg Press" in got


@pytest.mark.parametrize(
    ("text", "cleaned", "excluded"),
    [
        ("knee-friendly quad exercise without a barbell", "knee-friendly quad exercise", ["BARBELL"]),
        ("rows, no machines", "rows,", ["MACHINE", "SMITH_MACHINE"]),
        (
            "chest with no equipment",
            "chest with no equipment",
            [e for e in Equipment.values if e != "BODYWEIGHT"],
        ),
        ("band pull-apart", "band pull-apart", []),
    ],
)
def test_parse_negated_equipment(text, cleaned, excluded):
    assert parse_negated_equipment(text) == (cleaned, excluded)


def test_others_custom_exercises_never_show_up(library):
    owner = UserFactory()
    secret = ExerciseFactory(
        name="Owner Rear Delt Thing",
        is_global=False,
        created_by=owner,
        muscle_contributions={"REAR_DELTS": 1.0},
    )
    embeddings.embed_exercises([secret])
    assert secret not in exercise_semantic_search(user=UserFactory(), text="rear delts")
    assert secret in exercise_semantic_search(user=owner, text="rear delts")


def test_description_search_is_rate_limited_but_name_search_is_not(client, library, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "ai_query": "2/m"}
    user = UserFactory()
    client.force_login(user)
    for text in ("rear delts", "quads"):
        assert client.post(LIST, {"ask": text}).status_code == 200
    assert client.post(LIST, {"ask": "calves"}).status_code == 429
    assert client.get(LIST, {"q": "press"}).status_code == 200
    assert used(user) == 2


def test_repeated_search_reuses_its_results_but_rechecks_visibility(
    library, fake_model, django_assert_max_num_queries
):
    user = UserFactory()
    first = exercise_semantic_search_for_user(user=user, text="rear delts", limit=10)
    calls = fake_model.calls
    gone = first[0]
    gone.mark_deleted()
    gone.save()
    with django_assert_max_num_queries(1):
        again = exercise_semantic_search_for_user(user=user, text="Rear  delts", limit=10)
    assert fake_model.calls == calls
    assert again == [e for e in first if e.pk != gone.pk]
    assert used(user) == 1


# --- issue 13: spending an AI query needs a POST from this site ------------------------------------


def test_a_get_link_with_ask_fills_the_form_and_spends_nothing(client, library, fake_model):
    """Another site could link (or <img src=...>) to /exercises/?ask=... and spend the signed-in
    visitor's quota: a GET never spends, it offers the search as a button instead."""
    user = UserFactory()
    client.force_login(user)
    calls = fake_model.calls
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(LIST, {"ask": "rear delts with cables"}, headers=headers)
        body = response.content.decode()
        assert response.status_code == 200
        assert "Best matches for" not in body
        assert "Search by description for “rear delts with cables”? It uses one AI query." in body
        assert 'name="ask" value="rear delts with cables"' in body  # the confirm form posts it
    assert used(user) == 0
    assert fake_model.calls == calls
    # The button posts it: one query, results shown.
    assert "Best matches for" in client.post(LIST, {"ask": "rear delts with cables"}).content.decode()
    assert used(user) == 1


def test_a_cross_site_post_without_the_csrf_token_spends_nothing(library):
    from django.test import Client

    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post(LIST, {"ask": "rear delts"}).status_code == 403
    assert browser.post(LIST, {"ask": "rear delts"}, headers={"HX-Request": "true"}).status_code == 403
    assert used(user) == 0
    # With the token (the page's form, or htmx's X-CSRFToken header from <body>) it is spent.
    page = browser.get(LIST, {"ask": "rear delts"})
    token = page.context["csrf_token"]
    assert browser.post(LIST, {"ask": "rear delts"}, headers={"X-CSRFToken": str(token)}).status_code == 200
    assert used(user) == 1


def test_a_suspended_organizations_members_spend_no_ai_queries(client, library):
    from accounts.models import OrganizationStatus
    from accounts.quota import ai_query_consume

    user = UserFactory()
    organization = user.organization
    organization.subscription_status = OrganizationStatus.SUSPENDED
    organization.save()
    client.force_login(user)
    response = client.post(LIST, {"ask": "rear delts"}, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert used(user) == 0
    # The quota service refuses too, for any AI feature that reaches it.
    with pytest.raises(AIQuotaExceeded, match="suspended"):
        ai_query_consume(user=user)
    organization.refresh_from_db()
    assert used(user) == 0 and organization.ai_queries_used == 0
