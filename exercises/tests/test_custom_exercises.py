"""Custom exercises: the tier rule, validation with per-field messages, edit, soft delete."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import OrganizationStatus, OrganizationTier
from accounts.tests.factories import OrganizationFactory, UserFactory
from accounts.tiers import READ_ONLY_MESSAGE
from exercises.models import Exercise
from exercises.tests.factories import ExerciseFactory
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory

pytestmark = pytest.mark.django_db

NEW = reverse("exercises:create")


def valid_post(**overrides):
    data = {
        "name": "Landmine Press",
        "equipment": "BARBELL",
        "difficulty": "INTERMEDIATE",
        "description": "Press the end of a barbell anchored in a corner.",
        "image_url": "",
        "video_url": "",
        "contrib_FRONT_DELTS": "1.0",
        "contrib_CHEST": "0.5",
        "contrib_TRICEPS": "0.5",
    }
    data.update(overrides)
    return data


@pytest.fixture
def pro_user(db):
    return UserFactory(subscription_tier="pro")


@pytest.fixture
def pro_client(client, pro_user):
    client.force_login(pro_user)
    return client


def test_pro_user_creates_a_custom_exercise(pro_client, pro_user):
    response = pro_client.post(NEW, valid_post())
    exercise = Exercise.objects.get(name="Landmine Press")
    assert response.status_code == 302
    assert response.url == reverse("exercises:detail", kwargs={"exercise_id": exercise.pk})
    assert exercise.created_by == pro_user
    assert exercise.is_global is False
    assert exercise.muscle_contributions == {"FRONT_DELTS": 1.0, "CHEST": 0.5, "TRICEPS": 0.5}


def test_member_of_pro_organization_may_create(client):
    org = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    member = UserFactory(organization=org)
    client.force_login(member)
    assert client.post(NEW, valid_post()).status_code == 302
    assert Exercise.objects.filter(created_by=member).count() == 1


def test_free_user_sees_why_and_cannot_post(client):
    free = UserFactory()
    client.force_login(free)
    page = client.get(NEW)
    assert page.status_code == 200
    assert "Upgrade to pro" in page.content.decode()
    assert "pro or enterprise plan" in page.content.decode()
    response = client.post(NEW, valid_post())
    assert response.status_code == 403
    assert not Exercise.objects.filter(name="Landmine Press").exists()


def test_suspended_organization_is_read_only(client):
    org = OrganizationFactory(
        subscription_tier=OrganizationTier.PRO, subscription_status=OrganizationStatus.SUSPENDED
    )
    member = UserFactory(organization=org, subscription_tier="pro")
    mine = ExerciseFactory(name="Old Press", is_global=False, created_by=member)
    client.force_login(member)
    # The site-wide read-only middleware (accounts) answers first: an ordinary form post goes back
    # (here, with no Referer, to the dashboard) with the read-only message; nothing changes.
    edit = reverse("exercises:edit", kwargs={"exercise_id": mine.pk})
    delete = reverse("exercises:delete", kwargs={"exercise_id": mine.pk})
    for address in (NEW, edit, delete):
        response = client.post(address, valid_post(), follow=True)
        assert response.redirect_chain == [(reverse("accounts:dashboard"), 302)], address
        assert READ_ONLY_MESSAGE in [str(m) for m in response.context["messages"]], address
    mine.refresh_from_db()
    assert mine.name == "Old Press"
    assert mine.is_deleted is False
    assert not Exercise.objects.filter(name="Landmine Press").exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.post(NEW, valid_post())
    assert response.status_code == 302
    assert "/login" in response.url
    assert not Exercise.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "ab"}, "name", "at least 3 characters"),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
        ({"equipment": "JETPACK"}, "equipment", "Select a valid choice"),
        ({"contrib_CHEST": "0.3"}, "contrib_CHEST", "Select a valid choice"),
        ({"contrib_CHEST": "lots"}, "contrib_CHEST", "Select a valid choice"),
        ({"image_url": "not a url at all"}, "image_url", "Enter a valid URL"),
    ],
)
def test_field_errors_are_shown_next_to_the_field(pro_client, overrides, field, message):
    response = pro_client.post(NEW, valid_post(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors[field])
    assert message in response.content.decode()
    assert not Exercise.objects.exists()


def test_htmx_post_with_errors_gets_the_form_partial(pro_client):
    response = pro_client.post(NEW, valid_post(name="ab"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 400
    assert body.lstrip().startswith('<form id="exercise-form"')
    assert "at least 3 characters" in body


def test_no_prime_mover_is_refused(pro_client):
    response = pro_client.post(NEW, valid_post(contrib_FRONT_DELTS="0.75"))
    assert response.status_code == 400
    assert "At least one muscle must be the prime mover" in response.content.decode()
    assert not Exercise.objects.exists()


def test_no_muscle_at_all_is_refused(pro_client):
    data = {k: v for k, v in valid_post().items() if not k.startswith("contrib_")}
    response = pro_client.post(NEW, data)
    assert response.status_code == 400
    assert "at least one muscle" in response.content.decode()


def test_malformed_post_never_500s(pro_client):
    response = pro_client.post(
        NEW, {"contrib_NOPE": "1.0", "muscle_contributions": "{bad json", "name": ["a", "b"]}
    )
    assert response.status_code == 400
    assert not Exercise.objects.exists()


def test_duplicate_name_is_a_field_error(pro_client, pro_user):
    ExerciseFactory(name="landmine press", is_global=False, created_by=pro_user)
    response = pro_client.post(NEW, valid_post())
    assert response.status_code == 400
    assert "You already have an exercise with this name." in response.context["form"].errors["name"]


def test_same_name_as_a_library_exercise_is_allowed(pro_client):
    ExerciseFactory(name="Landmine Press")
    assert pro_client.post(NEW, valid_post()).status_code == 302


def test_edit_changes_and_marks_embedding_stale(pro_client, pro_user):
    mine = ExerciseFactory(name="Landmine Press", is_global=False, created_by=pro_user, embedding_hash="old")
    url = reverse("exercises:edit", kwargs={"exercise_id": mine.pk})
    assert pro_client.get(url).status_code == 200
    response = pro_client.post(url, valid_post(name="Half-Kneeling Landmine Press", contrib_CHEST=""))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.name == "Half-Kneeling Landmine Press"
    assert "CHEST" not in mine.muscle_contributions


def test_library_exercises_cannot_be_edited_or_deleted_by_users(pro_client):
    bench = ExerciseFactory(name="Barbell Bench Press")
    assert pro_client.get(reverse("exercises:edit", kwargs={"exercise_id": bench.pk})).status_code == 404
    assert pro_client.post(reverse("exercises:delete", kwargs={"exercise_id": bench.pk})).status_code == 404
    bench.refresh_from_db()
    assert bench.is_deleted is False


def test_soft_delete_leaves_library_but_programs_keep_it(pro_client, pro_user):
    mine = ExerciseFactory(name="Landmine Press", is_global=False, created_by=pro_user)
    program = TrainingProgramFactory(user=pro_user)
    slot = SessionExerciseFactory(session=WorkoutSessionFactory(program=program), exercise=mine)
    confirm = pro_client.get(reverse("exercises:delete", kwargs={"exercise_id": mine.pk}))
    assert "1 of your programs uses it" in confirm.content.decode()
    response = pro_client.post(reverse("exercises:delete", kwargs={"exercise_id": mine.pk}))
    assert response.status_code == 302
    assert Exercise.all_objects.get(pk=mine.pk).is_deleted is True
    assert ">Landmine Press</a>" not in pro_client.get(reverse("exercises:list")).content.decode()
    assert pro_client.get(reverse("exercises:detail", kwargs={"exercise_id": mine.pk})).status_code == 404
    slot.refresh_from_db()
    assert slot.exercise.name == "Landmine Press"  # FK access uses the base manager


def test_free_user_may_still_delete_their_own_exercise(client):
    free = UserFactory()
    mine = ExerciseFactory(name="From My Pro Days", is_global=False, created_by=free)
    client.force_login(free)
    assert client.post(reverse("exercises:delete", kwargs={"exercise_id": mine.pk})).status_code == 302
    assert Exercise.all_objects.get(pk=mine.pk).is_deleted is True


def test_htmx_create_redirects_with_hx_redirect(pro_client):
    response = pro_client.post(NEW, valid_post(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/exercises/")


def test_created_exercise_is_embedded_after_commit(
    pro_client, django_capture_on_commit_callbacks, monkeypatch
):
    embedded: list = []
    monkeypatch.setattr("exercises.embeddings.embed_exercise_ids", lambda ids: embedded.extend(ids))
    with django_capture_on_commit_callbacks(execute=True):
        pro_client.post(NEW, valid_post())
    assert embedded == [Exercise.objects.get(name="Landmine Press").pk]


def test_model_failure_leaves_the_exercise_saved_and_stale(
    pro_client, django_capture_on_commit_callbacks, broken_model
):
    from exercises import embeddings

    with django_capture_on_commit_callbacks(execute=True):
        response = pro_client.post(NEW, valid_post())
    assert response.status_code == 302
    exercise = Exercise.objects.get(name="Landmine Press")
    assert embeddings.is_stale(exercise)


def test_delete_is_audited(pro_client, pro_user):
    from hypertroq.models import AuditAction, AuditLog

    mine = ExerciseFactory(name="Landmine Press", is_global=False, created_by=pro_user)
    pro_client.post(reverse("exercises:delete", kwargs={"exercise_id": mine.pk}))
    entry = AuditLog.objects.get(action=AuditAction.OBJECT_DELETED, target_id=str(mine.pk))
    assert entry.actor == pro_user


def test_custom_exercise_writes_are_rate_limited(pro_client, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "exercise_write": "2/m"}
    for i in range(2):
        assert pro_client.post(NEW, valid_post(name=f"Landmine Press {i}")).status_code == 302
    response = pro_client.post(NEW, valid_post(name="Landmine Press 3"))
    assert response.status_code == 429
    assert not Exercise.objects.filter(name="Landmine Press 3").exists()
