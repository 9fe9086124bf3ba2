"""Audit log: entries for each action, no secrets stored, and nobody can edit them."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.tests.factories import OrganizationFactory, UserFactory
from hypertroq.audit import AuditAction, AuditLog, audit_log, sanitise_data

pytestmark = pytest.mark.django_db


def test_audit_log_records_actor_target_org_and_request_metadata(rf):
    coach = UserFactory()
    member = UserFactory(organization=coach.organization)
    request = rf.post("/x", HTTP_USER_AGENT="pytest-agent/1.0", REMOTE_ADDR="203.0.113.9")
    entry = audit_log(
        action=AuditAction.ROLE_CHANGED,
        actor=coach,
        target=member,
        data={"from": "member", "to": "coach"},
        request=request,
    )
    entry.refresh_from_db()
    assert entry.actor_id == coach.pk
    assert entry.organization_id == coach.organization_id
    assert entry.target_content_type == ContentType.objects.get_for_model(member)
    assert entry.target_id == str(member.pk)
    assert entry.target_repr == f"user {member.pk}"  # never the email
    assert entry.ip == "203.0.113.9"
    assert entry.user_agent == "pytest-agent/1.0"
    assert entry.data == {"from": "member", "to": "coach"}


@pytest.mark.parametrize("action", [choice.value for choice in AuditAction])
def test_every_action_can_be_recorded(action):
    user = UserFactory()
    entry = audit_log(action=action, actor=user, target=user.organization)
    assert AuditLog.objects.filter(pk=entry.pk, action=action).exists()


def test_required_actions_exist():
    required = {
        "sign_in",
        "sign_in_failed",
        "sign_out",
        "sign_up",
        "password_changed",
        "password_reset",
        "email_changed",
        "role_changed",
        "tier_changed",
        "member_removed",
        "member_invited",
        "account_deleted",
        "account_restored",
        "object_deleted",
        "object_restored",
        "program_imported",
        "admin_change",
    }
    assert required <= set(AuditAction.values)


def test_unknown_action_is_refused():
    with pytest.raises(ValueError):
        audit_log(action="sign_inn")


def test_data_never_keeps_passwords_tokens_or_emails():
    cleaned = sanitise_data(
        {
            "password": "hunter2hunter2",
            "new_password1": "x",
            "token": "abc",
            "reset_token": "abc",
            "api_key": "k",
            "email": "a@b.example",
            "note": "sent to someone@example.org today",
            "nested": {"access_token": "t", "fields": ["email", "full_name"]},
            "count": 3,
        }
    )
    assert cleaned == {
        "note": "sent to [email] today",
        "nested": {"fields": ["email", "full_name"]},
        "count": 3,
    }


def test_sign_in_sign_out_and_failed_sign_in_are_recorded(client):
    user = UserFactory(email="Lifter.Audit@example.com")
    login_url = reverse("accounts:login")
    response = client.post(
        login_url,
        {"username": "lifter.audit@example.com", "password": "wrong-password-1"},
        HTTP_USER_AGENT="agent-x",
    )
    assert response.status_code == 200  # form re-rendered with an error
    failed = AuditLog.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert failed.actor_id is None
    assert failed.target_id == str(user.pk)
    assert failed.ip == "127.0.0.1"
    assert "lifter.audit" not in str(failed.data).lower()

    response = client.post(
        login_url, {"username": "lifter.audit@example.com", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    signed_in = AuditLog.objects.get(action=AuditAction.SIGN_IN)
    assert signed_in.actor_id == user.pk
    assert signed_in.organization_id == user.organization_id

    client.post(reverse("accounts:logout"))
    assert AuditLog.objects.filter(action=AuditAction.SIGN_OUT, actor=user).count() == 1


def test_failed_sign_in_for_unknown_email_stores_no_email(client):
    client.post(reverse("accounts:login"), {"username": "nobody@example.com", "password": "whatever-123"})
    entry = AuditLog.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert entry.target_id == ""
    assert entry.data == {"known_account": False}
    row = AuditLog.objects.filter(pk=entry.pk).values().get()
    assert "nobody@example.com" not in str(row)


def test_staff_edit_in_admin_records_changed_fields_and_tier(staff_client, staff_user):
    org = OrganizationFactory(subscription_tier="free")
    # The LogEntry admin writes when staff save a change (what the admin's change view does).
    org.subscription_tier = "pro"
    org.save()
    LogEntry.objects.log_actions(
        user_id=staff_user.pk,
        queryset=[org],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Subscription tier"]}}],
        single_object=True,
    )
    change = AuditLog.objects.get(action=AuditAction.ADMIN_CHANGE)
    assert change.actor_id == staff_user.pk
    assert change.target_id == str(org.pk)
    assert change.data["operation"] == "change"
    assert change.data["fields"] == ["subscription_tier"]
    tier = AuditLog.objects.get(action=AuditAction.TIER_CHANGED)
    assert tier.data == {"via": "admin", "field": "subscription_tier", "to": "pro"}
    assert tier.organization_id == org.pk


def test_admin_is_read_only_for_audit_entries(staff_client):
    entry = audit_log(action=AuditAction.SIGN_UP, actor=UserFactory())
    changelist = reverse("admin:hypertroq_auditlog_changelist")
    response = staff_client.get(changelist)
    assert response.status_code == 200
    assert "Signed up" in response.content.decode()
    response = staff_client.get(changelist, {"action": "sign_up"})
    assert response.status_code == 200
    assert str(entry.pk) in response.content.decode()
    assert str(entry.pk) not in staff_client.get(changelist, {"action": "sign_out"}).content.decode()
    # Staff find a user's entries by their email (joined from users, never stored in the log).
    assert str(entry.pk) in staff_client.get(changelist, {"q": entry.actor.email}).content.decode()
    assert staff_client.get(reverse("admin:hypertroq_auditlog_add")).status_code == 403
    change_url = reverse("admin:hypertroq_auditlog_change", args=[entry.pk])
    page = staff_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = staff_client.post(change_url, {"action": "sign_in"})
    assert response.status_code == 403
    assert staff_client.get(reverse("admin:hypertroq_auditlog_delete", args=[entry.pk])).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "sign_up"


def test_database_refuses_update_and_delete_of_entries():
    entry = audit_log(action=AuditAction.SIGN_UP, actor=UserFactory())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(pk=entry.pk).update(action="sign_in")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(pk=entry.pk).update(data={"forged": True})
    other = UserFactory()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(pk=entry.pk).update(actor=other)  # re-pointing, not nulling
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(pk=entry.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_logs")
    entry.refresh_from_db()
    assert entry.action == "sign_up"


def test_deleting_the_user_and_organization_keeps_their_history():
    user = UserFactory()
    org = user.organization
    user_id = user.pk
    entry = audit_log(action=AuditAction.ACCOUNT_DELETED, actor=user, target=user)
    # Django's emulated SET NULL ...
    user.delete()
    entry.refresh_from_db()
    assert entry.actor_id is None
    assert entry.organization_id == org.pk
    # ... and the database's own ON DELETE SET NULL (a DBA deleting in plain SQL).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM organizations WHERE id = %s", [org.pk])
    entry.refresh_from_db()
    assert entry.organization_id is None
    assert entry.action == "account_deleted"
    assert entry.target_id == str(user_id)


def test_real_admin_change_of_an_organization_tier_is_audited(staff_client, staff_user):
    org = OrganizationFactory(subscription_tier="free")
    url = reverse("admin:accounts_organization_change", args=[org.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        data[name] = "" if value is None else value
    data["subscription_tier"] = "pro"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = AuditLog.objects.get(action=AuditAction.ADMIN_CHANGE, target_id=str(org.pk))
    assert change.actor_id == staff_user.pk
    assert change.data["fields"] == ["subscription_tier"]
    tier = AuditLog.objects.get(action=AuditAction.TIER_CHANGED, target_id=str(org.pk))
    assert tier.data["to"] == "pro"
    assert tier.ip == "127.0.0.1"  # from the request being served


# --- wired into the other apps' services and admin ----------------------------------------------------


def test_program_delete_restore_import_and_assignment_are_audited():
    from programs import services
    from programs.tests.factories import TrainingProgramFactory
    from programs.transfer import program_export_data, program_import

    owner = UserFactory(subscription_tier="pro")
    program = TrainingProgramFactory(user=owner)
    services.program_delete(user=owner, program=program)
    services.program_restore_for_owner(user=owner, program=program)
    actions = list(
        AuditLog.objects.filter(target_id=str(program.pk))
        .order_by("created_at")
        .values_list("action", flat=True)
    )
    assert actions == ["object_deleted", "object_restored"]

    imported = program_import(user=owner, data=program_export_data(program=program))
    entry = AuditLog.objects.get(action=AuditAction.PROGRAM_IMPORTED)
    assert entry.target_id == str(imported.pk)
    assert entry.actor_id == owner.pk

    member = UserFactory(organization=owner.organization, role="member")
    copy = services.program_give_to_member(coach=owner, program=program, member=member)
    given = AuditLog.objects.get(action=AuditAction.PROGRAM_ASSIGNED)
    assert given.target_id == str(copy.pk)
    assert given.data["member"] == str(member.pk)


def test_admin_soft_delete_and_restore_actions_are_audited_once(staff_client, staff_user):
    from exercises.models import Exercise
    from exercises.tests.factories import ExerciseFactory

    exercise = ExerciseFactory()
    url = reverse("admin:exercises_exercise_changelist")
    for action in ("soft_delete_selected", "restore_selected"):
        response = staff_client.post(url, {"action": action, "_selected_action": [str(exercise.pk)]})
        assert response.status_code == 302
    assert not Exercise.all_objects.get(pk=exercise.pk).is_deleted
    entries = list(AuditLog.objects.filter(target_id=str(exercise.pk)).order_by("created_at"))
    assert [e.action for e in entries] == ["object_deleted", "object_restored"]
    assert all(e.actor_id == staff_user.pk and e.data == {"via": "admin"} for e in entries)

    # An organization's admin action goes through an accounts service that audits itself: one entry.
    org = OrganizationFactory()
    staff_client.post(
        reverse("admin:accounts_organization_changelist"),
        {"action": "soft_delete_selected", "_selected_action": [str(org.pk)]},
    )
    (org_entry,) = AuditLog.objects.filter(target_id=str(org.pk))
    assert org_entry.actor_id == staff_user.pk  # the service was not told; the request says who
