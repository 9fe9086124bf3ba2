"""Django admin for every model: pages render, lists stay cheap, soft delete and restore work,
muscle contributions are one choice per muscle, and bad input gets a message on the field."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import Organization, User
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.domain import Muscle
from exercises.models import Exercise
from exercises.tests.factories import ExerciseFactory
from programs.models import SessionExercise, StructureType, TrainingProgram, WorkoutSession
from programs.tests.factories import (
    SessionExerciseFactory,
    TrainingProgramFactory,
    WorkoutSessionFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [Organization, User, Exercise, TrainingProgram, WorkoutSession, SessionExercise]
MUSCLES = list(Muscle.values)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def build_world(size: int) -> dict[str, object]:
    """``size`` users, each with a program of two sessions of two exercises; one of each deleted."""
    made: dict[str, object] = {}
    for i in range(size):
        user = UserFactory()
        custom = ExerciseFactory(is_global=False, created_by=user, name=f"Custom Curl {i}")
        program = TrainingProgramFactory(user=user, assigned_by=user if i % 2 else None)
        for day in (0, 3):
            session = WorkoutSessionFactory(program=program, day_of_week=day)
            SessionExerciseFactory(session=session)
            SessionExerciseFactory(session=session, exercise=custom)
        made.update(user=user, program=program, session=session, exercise=custom)
    made["session_exercise"] = SessionExercise.objects.first()
    made["organization"] = Organization.objects.first()
    deleted = TrainingProgramFactory(name="Deleted program")
    deleted.mark_deleted()
    deleted.save()
    return made


def instance_of(model, world):
    return {
        Organization: world["organization"],
        User: world["user"],
        Exercise: world["exercise"],
        TrainingProgram: world["program"],
        WorkoutSession: world["session"],
        SessionExercise: world["session_exercise"],
    }[model]


# --- every page renders -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_render_for_staff(staff_client, model):
    world = build_world(2)
    obj = instance_of(model, world)
    for url in (admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", obj.pk)):
        response = staff_client.get(url)
        assert response.status_code == 200, url
    search = staff_client.get(admin_url(model, "changelist"), {"q": "1"})
    assert search.status_code == 200


def test_admin_requires_staff(user_client):
    response = user_client.get(admin_url(Exercise, "changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(staff_client, django_assert_max_num_queries, model):
    build_world(2)
    url = admin_url(model, "changelist")
    staff_client.get(url)  # warm caches (content types, permissions)
    with django_assert_max_num_queries(8) as small:
        assert staff_client.get(url).status_code == 200
    build_world(12)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = staff_client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


# --- soft delete: visible to staff, filter, actions through services ------------------------------------


def test_deleted_rows_are_listed_and_filterable(staff_client):
    alive = TrainingProgramFactory(name="Alive program")
    gone = TrainingProgramFactory(name="Gone program")
    gone.mark_deleted()
    gone.save()
    url = admin_url(TrainingProgram, "changelist")
    body = staff_client.get(url).content.decode()
    assert "Alive program" in body and "Gone program" in body
    body = staff_client.get(url, {"deleted": "yes"}).content.decode()
    assert "Gone program" in body and "Alive program" not in body
    body = staff_client.get(url, {"deleted": "no"}).content.decode()
    assert "Alive program" in body and "Gone program" not in body
    # The change page of a deleted row opens too.
    assert staff_client.get(admin_url(TrainingProgram, "change", gone.pk)).status_code == 200
    assert alive.pk


def test_restore_action_brings_rows_back(staff_client):
    exercises = ExerciseFactory.create_batch(2)
    for exercise in exercises:
        exercise.mark_deleted()
        exercise.save()
    assert not Exercise.objects.filter(pk__in=[e.pk for e in exercises]).exists()
    response = staff_client.post(
        admin_url(Exercise, "changelist"),
        {"action": "restore_selected", "_selected_action": [str(e.pk) for e in exercises]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 exercises restored." in response.content.decode()
    assert Exercise.objects.filter(pk__in=[e.pk for e in exercises]).count() == 2
    assert all(e.deleted_at is None for e in Exercise.objects.filter(pk__in=[e.pk for e in exercises]))


def test_soft_delete_action_hides_rows_but_keeps_them(staff_client):
    session = WorkoutSessionFactory()
    response = staff_client.post(
        admin_url(WorkoutSession, "changelist"),
        {"action": "soft_delete_selected", "_selected_action": [str(session.pk)]},
        follow=True,
    )
    assert "1 workout session soft-deleted." in response.content.decode()
    assert not WorkoutSession.objects.filter(pk=session.pk).exists()
    kept = WorkoutSession.all_objects.get(pk=session.pk)
    assert kept.is_deleted and kept.deleted_at is not None


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_soft_delete_then_restore_round_trip_for_every_model(staff_client, model):
    world = build_world(1)
    obj = instance_of(model, world)
    if model is User:
        obj = UserFactory()  # an owner with no other members may delete their account
    url = admin_url(model, "changelist")
    staff_client.post(url, {"action": "soft_delete_selected", "_selected_action": [str(obj.pk)]})
    assert not model.objects.filter(pk=obj.pk).exists()
    staff_client.post(url, {"action": "restore_selected", "_selected_action": [str(obj.pk)]})
    assert model.objects.filter(pk=obj.pk).exists()


def test_restore_refused_with_a_message_when_the_name_is_taken_again(staff_client):
    old = ExerciseFactory(name="Cable Fly")
    old.mark_deleted()
    old.save()
    ExerciseFactory(name="Cable Fly")
    response = staff_client.post(
        admin_url(Exercise, "changelist"),
        {"action": "restore_selected", "_selected_action": [str(old.pk)]},
        follow=True,
    )
    assert "was not restored" in response.content.decode()
    assert "A library exercise with this name already exists." in response.content.decode()
    old.refresh_from_db()
    assert old.is_deleted


def test_autocomplete_never_offers_deleted_exercises(staff_client):
    ExerciseFactory(name="Zercher Squat")
    gone = ExerciseFactory(name="Zercher Carry")
    gone.mark_deleted()
    gone.save()
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Zercher",
            "app_label": "programs",
            "model_name": "sessionexercise",
            "field_name": "exercise",
        },
    )
    assert response.status_code == 200
    names = [r["text"] for r in response.json()["results"]]
    assert names == ["Zercher Squat"]


# --- muscle contributions: one choice per muscle -------------------------------------------------------


def exercise_post(**overrides):
    data = {
        "name": "Admin Press",
        "description": "Press it.",
        "equipment": "DUMBBELL",
        "difficulty": "BEGINNER",
        "is_global": "on",
        "created_by": "",
        "image_url": "",
        "video_url": "",
    }
    for i in range(len(MUSCLES)):
        data[f"muscle_contributions_{i}"] = ""
    data.update(overrides)
    return data


def muscle_key(muscle: str) -> str:
    return f"muscle_contributions_{MUSCLES.index(muscle)}"


def selected_level(body: str, muscle: str) -> str:
    start = body.index(f'<select name="{muscle_key(muscle)}"')
    select = body[start : body.index("</select>", start)]
    match = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return match.group(1) if match else ""


def test_change_page_shows_one_labelled_select_per_muscle(staff_client):
    exercise = ExerciseFactory(muscle_contributions={"CHEST": 1.0, "TRICEPS": 0.5})
    response = staff_client.get(admin_url(Exercise, "change", exercise.pk))
    body = response.content.decode()
    for i, muscle in enumerate(Muscle):
        assert f'<select name="muscle_contributions_{i}"' in body
        assert f'<label for="id_muscle_contributions_{i}"' in body
        assert muscle.label.replace("&", "&amp;") in body
    assert selected_level(body, "CHEST") == "1.0"
    assert selected_level(body, "TRICEPS") == "0.5"
    assert selected_level(body, "LATS") == ""
    assert 'name="muscle_contributions"' not in body  # no raw JSON box


def test_add_exercise_composes_the_json_from_the_choices(staff_client):
    data = exercise_post(**{muscle_key("SIDE_DELTS"): "1.0", muscle_key("TRAPS_RHOMBOIDS"): "0.25"})
    response = staff_client.post(admin_url(Exercise, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise = Exercise.objects.get(name="Admin Press")
    assert exercise.muscle_contributions == {"SIDE_DELTS": 1.0, "TRAPS_RHOMBOIDS": 0.25}


def test_add_exercise_without_prime_mover_names_the_field(staff_client):
    data = exercise_post(**{muscle_key("CHEST"): "0.5", muscle_key("TRICEPS"): "0.75"})
    response = staff_client.post(admin_url(Exercise, "add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["muscle_contributions"] == ["At least one muscle must be the prime mover (1.0)."]
    assert "At least one muscle must be the prime mover (1.0)." in response.content.decode()
    assert not Exercise.objects.filter(name="Admin Press").exists()
    # The choices made are kept on the re-rendered form.
    assert selected_level(response.content.decode(), "CHEST") == "0.5"
    assert selected_level(response.content.decode(), "TRICEPS") == "0.75"


def test_add_exercise_with_no_muscle_at_all_names_the_field(staff_client):
    response = staff_client.post(admin_url(Exercise, "add"), exercise_post())
    assert response.status_code == 200
    assert "muscle_contributions" in response.context["adminform"].form.errors
    assert not Exercise.objects.filter(name="Admin Press").exists()


def test_add_exercise_with_a_forged_level_names_the_field(staff_client):
    response = staff_client.post(admin_url(Exercise, "add"), exercise_post(**{muscle_key("CHEST"): "2.0"}))
    assert response.status_code == 200
    assert "muscle_contributions" in response.context["adminform"].form.errors


def test_global_exercise_with_an_owner_is_refused(staff_client, user):
    data = exercise_post(**{muscle_key("CHEST"): "1.0", "created_by": str(user.pk)})
    response = staff_client.post(admin_url(Exercise, "add"), data)
    assert response.status_code == 200
    assert "A global exercise has no owner." in response.content.decode()


# --- programs: templates by staff, sessions inline with links to their exercises ---------------------


def program_post(**overrides):
    data = {
        "name": "Staff Template",
        "description": "Made in admin.",
        "structure_type": StructureType.WEEKLY,
        "frequency": "2",
        "is_template": "on",
        "user": "",
        "assigned_by": "",
        "source": "",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-order_index": "0",
        "sessions-0-name": "Upper",
        "sessions-0-day_of_week": "0",
        "sessions-1-order_index": "1",
        "sessions-1-name": "Lower",
        "sessions-1-day_of_week": "3",
    }
    data.update(overrides)
    return data


def test_staff_author_a_template_with_its_sessions(staff_client):
    response = staff_client.post(admin_url(TrainingProgram, "add"), program_post())
    assert response.status_code == 302
    template = TrainingProgram.objects.get(name="Staff Template")
    assert template.is_template and template.user is None
    assert [s.name for s in template.sessions.all()] == ["Upper", "Lower"]


def test_a_program_that_is_not_a_template_needs_an_owner(staff_client):
    data = program_post()
    del data["is_template"]
    response = staff_client.post(admin_url(TrainingProgram, "add"), data)
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not TrainingProgram.all_objects.filter(name="Staff Template").exists()


def test_bad_frequency_and_weekday_are_named(staff_client):
    data = program_post(frequency="0", **{"sessions-1-day_of_week": "0"})
    response = staff_client.post(admin_url(TrainingProgram, "add"), data)
    assert response.status_code == 200
    assert "frequency" in response.context["adminform"].form.errors
    assert not TrainingProgram.all_objects.filter(name="Staff Template").exists()


def test_program_page_lists_sessions_with_links_to_their_exercises(staff_client):
    session = WorkoutSessionFactory(name="Push day")
    SessionExerciseFactory.create_batch(2, session=session)
    body = staff_client.get(admin_url(TrainingProgram, "change", session.program.pk)).content.decode()
    assert "Push day" in body
    assert admin_url(WorkoutSession, "change", session.pk) in body
    assert "2 exercises — edit" in body
    session_page = staff_client.get(admin_url(WorkoutSession, "change", session.pk))
    assert session_page.status_code == 200
    inline = session_page.context["inline_admin_formsets"][0]
    assert inline.formset.model is SessionExercise
    assert len(inline.formset.forms) == 2


def test_session_exercise_inline_rejects_a_clash_with_a_deleted_row(staff_client):
    row = SessionExerciseFactory(order_index=0)
    row.mark_deleted()
    row.save()
    session = row.session
    data = {
        "program": str(session.program.pk),
        "name": session.name,
        "day_of_week": "",
        "order_index": "0",
        "exercises-TOTAL_FORMS": "1",
        "exercises-INITIAL_FORMS": "0",
        "exercises-MIN_NUM_FORMS": "0",
        "exercises-MAX_NUM_FORMS": "1000",
        "exercises-0-order_index": "0",
        "exercises-0-exercise": str(row.exercise.pk),
        "exercises-0-sets": "3",
        "exercises-0-reps": "8-12",
        "exercises-0-rest_seconds": "90",
        "exercises-0-notes": "",
    }
    response = staff_client.post(admin_url(WorkoutSession, "change", session.pk), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "order_index" in formset.forms[0].errors
    assert SessionExercise.all_objects.filter(session=session).count() == 1


def test_a_row_whose_exercise_left_the_library_can_still_be_edited(staff_client):
    row = SessionExerciseFactory(sets=3)
    row.exercise.mark_deleted()
    row.exercise.save()
    data = {
        "session": str(row.session.pk),
        "exercise": str(row.exercise.pk),
        "order_index": "0",
        "sets": "4",
        "reps": "8-12",
        "rest_seconds": "90",
        "notes": "",
    }
    page = staff_client.get(admin_url(SessionExercise, "change", row.pk))
    assert row.exercise.name in page.content.decode()
    response = staff_client.post(admin_url(SessionExercise, "change", row.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert row.sets == 4


def test_session_exercise_bad_prescription_is_named(staff_client):
    row = SessionExerciseFactory()
    data = {
        "session": str(row.session.pk),
        "exercise": str(row.exercise.pk),
        "order_index": "0",
        "sets": "25",
        "reps": "lots",
        "rest_seconds": "1000",
        "notes": "",
    }
    response = staff_client.post(admin_url(SessionExercise, "change", row.pk), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"sets", "reps", "rest_seconds"} <= set(errors)
    row.refresh_from_db()
    assert row.sets == 3


# --- users: email login, personal organization, password change ----------------------------------------


def user_post(**overrides):
    data = {
        "email": "New.Lifter@Example.com",
        "full_name": "New Lifter",
        "organization_choice": "",
        "role": "member",
        "usable_password": "true",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
    }
    data.update(overrides)
    return data


def test_staff_add_a_user_by_email_with_a_personal_organization(staff_client):
    response = staff_client.post(admin_url(User, "add"), user_post())
    assert response.status_code == 302
    new = User.objects.by_email("new.lifter@example.com").get()
    assert new.check_password("a-long-unusual-passphrase")
    assert new.organization.name == "New Lifter's organization"
    assert new.role == "owner"


def test_staff_add_a_user_to_an_existing_organization(staff_client):
    org = OrganizationFactory()
    response = staff_client.post(admin_url(User, "add"), user_post(organization_choice=str(org.pk)))
    assert response.status_code == 302
    new = User.objects.by_email("new.lifter@example.com").get()
    assert new.organization == org and new.role == "member"


def test_duplicate_email_differing_in_case_is_named_even_for_a_deleted_account(staff_client):
    old = UserFactory(email="taken@example.com")
    old.mark_deleted()
    old.save()
    response = staff_client.post(admin_url(User, "add"), user_post(email="TAKEN@example.com"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == ["A user with this email already exists."]


def test_staff_edit_tier_role_and_ai_fields(staff_client):
    member = UserFactory(role="member")
    data = {
        "email": member.email,
        "full_name": member.full_name,
        "email_verified": "on",
        "organization": str(member.organization.pk),
        "role": "coach",
        "subscription_tier": "pro",
        "subscription_status": "past_due",
        "ai_queries_used": "3",
        "ai_queries_limit": "",
        "ai_queries_month": "",
        "is_active": "on",
    }
    response = staff_client.post(admin_url(User, "change", member.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert (member.role, member.subscription_tier, member.subscription_status) == ("coach", "pro", "past_due")
    assert member.ai_queries_limit is None and member.ai_queries_used == 3


def test_password_change_form_for_an_email_user(staff_client):
    member = UserFactory()
    url = reverse("admin:auth_user_password_change", args=[member.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {"usable_password": "true", "password1": "brand-new-secret-42", "password2": "brand-new-secret-42"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("brand-new-secret-42")
