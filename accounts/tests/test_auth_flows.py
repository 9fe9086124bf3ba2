"""Account flows through the test client: sign-up, verification, login, reset, profile, deletion."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from accounts.models import Organization, Role, User
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.tests.factories import ExerciseFactory
from hypertroq.models import AuditLog
from programs.models import SessionExercise, TrainingProgram, WorkoutSession
from programs.tests.factories import SessionExerciseFactory

PASSWORD = "correct-horse-battery"
STRONG = "plates-and-chalk-2026"


def _link(message, pattern: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + pattern + r"[^\s]*)", message.body)
    assert match, message.body
    return match.group(1)


def _signup(client, email="Ana.Lift@Example.com", full_name="Ana Lift", password=STRONG):
    return client.post(
        reverse("accounts:signup"), {"email": email, "full_name": full_name, "password": password}
    )


# --- sign-up ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signup_creates_user_with_personal_organization_and_sends_verification(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.by_email("ana.lift@example.com").get()
    assert user.full_name == "Ana Lift"
    assert user.role == Role.OWNER
    assert not user.email_verified
    assert user.organization.slug == "ana-lift"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Ana.Lift@example.com"]
    assert "/accounts/verify/" in mail.outbox[0].body


@pytest.mark.django_db
def test_second_signup_with_same_name_gets_a_unique_slug(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, email="one@example.com")
        _signup(client, email="two@example.com")
    slugs = set(Organization.objects.values_list("slug", flat=True))
    assert {"ana-lift", "ana-lift-2"} <= slugs


@pytest.mark.django_db
def test_signup_with_taken_email_in_any_case_looks_the_same_and_mails_the_owner(
    client, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="taken@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, email="TAKEN@Example.COM")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    assert User.all_objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [existing.email]
    assert "already has an" in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not-an-email", "full_name": "Ana", "password": STRONG}, "email", "valid email"),
        ({"email": "a@example.com", "full_name": "Ana", "password": "short1"}, "password", "too short"),
        ({"email": "a@example.com", "full_name": "Ana", "password": "password123"}, "password", "too common"),
        (
            {"email": "ana.lifter@example.com", "full_name": "Ana Lifter", "password": "ana.lifter1"},
            "password",
            "too similar",
        ),
        ({"email": "a@example.com", "full_name": "   ", "password": STRONG}, "full_name", "required"),
    ],
)
def test_signup_bad_input_shows_the_problem_and_creates_nothing(client, data, field, message):
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field]).lower()
    assert message in response.content.decode().lower()
    assert User.all_objects.count() == 0
    assert len(mail.outbox) == 0


# --- email verification -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verification_link_confirms_the_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client)
    link = _link(mail.outbox[0], "/accounts/verify/")
    response = client.get(link)
    assert response.status_code == 302
    assert User.objects.by_email("ana.lift@example.com").get().email_verified


@pytest.mark.django_db
def test_tampered_or_expired_verification_link_is_refused(client, user):
    user.email_verified = False
    user.save()
    token = tokens.email_verification_token(user)
    response = client.get(reverse("accounts:verify_email", kwargs={"token": token[:-2] + "xx"}))
    assert response.status_code == 400
    assert "invalid or has expired" in response.content.decode()
    later = timezone.now() + dt.timedelta(days=4)
    from unittest import mock

    with mock.patch("time.time", return_value=later.timestamp()):
        response = client.get(reverse("accounts:verify_email", kwargs={"token": token}))
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


@pytest.mark.django_db
def test_unverified_user_sees_banner_and_can_resend(client, django_capture_on_commit_callbacks):
    user = UserFactory(email_verified=False)
    client.force_login(user)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Please confirm your email address" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:resend_verification"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    client.get(_link(mail.outbox[0], "/accounts/verify/"))
    assert (
        "Please confirm your email address" not in client.get(reverse("accounts:dashboard")).content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["abc", "-5", "accounts:dashboard", "%00"])
def test_resend_with_a_next_that_is_not_a_path_redirects_without_error(client, next_url):
    # redirect() took "abc" for a view name and raised NoReverseMatch: a 500.
    client.force_login(UserFactory(email_verified=True))
    response = client.post(reverse("accounts:resend_verification"), {"next": next_url})
    assert response.status_code == 302


# --- login / logout ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_by_email_in_any_case_lands_on_dashboard(client):
    UserFactory(email="mixed.case@example.com")
    response = client.post(
        reverse("accounts:login"), {"username": "MIXED.Case@EXAMPLE.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "10 of 10 AI queries left this month" in page


@pytest.mark.django_db
def test_login_failure_does_not_say_whether_the_email_exists(client):
    UserFactory(email="known@example.com")
    wrong_password = client.post(
        reverse("accounts:login"), {"username": "known@example.com", "password": "nope-nope-nope"}
    )
    unknown_email = client.post(
        reverse("accounts:login"), {"username": "ghost@example.com", "password": "nope-nope-nope"}
    )
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert (
        wrong_password.context["form"].non_field_errors() == unknown_email.context["form"].non_field_errors()
    )
    assert "do not match an account" in wrong_password.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 302  # back to login


@pytest.mark.django_db
def test_five_failures_lock_that_email_from_that_address_for_fifteen_minutes(client):
    UserFactory(email="lifter@example.com")
    for _ in range(5):
        client.post(
            reverse("accounts:login"), {"username": "Lifter@example.com", "password": "wrong-password-x"}
        )
    locked = client.post(reverse("accounts:login"), {"username": "lifter@example.com", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    # Another email from the same address is not locked ...
    UserFactory(email="other@example.com")
    other = client.post(reverse("accounts:login"), {"username": "other@example.com", "password": PASSWORD})
    assert other.status_code == 302
    # ... and after 15 minutes the locked pair may try again.
    from unittest import mock

    later = timezone.now() + dt.timedelta(minutes=16)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.post(
            reverse("accounts:login"), {"username": "lifter@example.com", "password": PASSWORD}
        )
    assert response.status_code == 302


# --- password reset and change -----------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_by_email_and_no_enumeration(client, django_capture_on_commit_callbacks):
    UserFactory(email="forgetful@example.com")
    with django_capture_on_commit_callbacks(execute=True):  # the mail job runs when the request commits
        known = client.post(reverse("accounts:password_reset"), {"email": "FORGETFUL@example.com"})
        unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0], "/accounts/password/reset/")
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="password_reset").count() == 1
    response = client.post(
        reverse("accounts:login"), {"username": "forgetful@example.com", "password": STRONG}
    )
    assert response.status_code == 302
    # The link is single-use.
    client.post(reverse("accounts:logout"))
    reused = client.get(link, follow=True)
    assert "invalid, already used or expired" in reused.content.decode()


@pytest.mark.django_db
def test_change_password_keeps_the_session_and_checks_the_old_one(client, user):
    client.force_login(user)
    bad = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert bad.status_code == 200
    assert "old password was entered incorrectly" in bad.content.decode()
    ok = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert client.get(reverse("accounts:dashboard")).status_code == 200


# --- profile -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_edit_profile_email_change_needs_new_confirmation(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    old_email = user.email
    profile = reverse("accounts:profile")
    # Without the current password (a stolen session) the address stays.
    for password in ("", "not-the-password"):
        refused = client.post(
            profile, {"full_name": "New Name", "email": "new@example.com", "current_password": password}
        )
        assert refused.status_code == 200
        assert "current password" in refused.content.decode()
        user.refresh_from_db()
        assert user.email == old_email and user.full_name != "New Name"
    assert mail.outbox == []
    # A name change alone needs no password.
    assert client.post(profile, {"full_name": "Only Name", "email": old_email}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            profile, {"full_name": "New Name", "email": "new@example.com", "current_password": PASSWORD}
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.email, user.email_verified) == ("New Name", "new@example.com", False)
    assert {m.to[0] for m in mail.outbox} == {old_email, "new@example.com"}


@pytest.mark.django_db
def test_edit_profile_rejects_an_email_in_use_and_changes_nothing(client, user):
    UserFactory(email="someone@example.com")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "X Y", "email": "SOMEONE@example.com", "current_password": PASSWORD},
    )
    assert response.status_code == 200
    assert "already uses this email" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name != "X Y"


# --- deletion with grace --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_delete_account_logs_out_and_logging_in_during_grace_restores(client, user):
    client.force_login(user)
    wrong = client.post(reverse("accounts:account_delete"), {"password": "nope"})
    assert "not your current password" in wrong.content.decode()
    assert not User.all_objects.get(pk=user.pk).is_deleted
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD}, follow=True)
    assert "scheduled for deletion" in response.content.decode()
    deleted = User.all_objects.get(pk=user.pk)
    assert deleted.is_deleted and deleted.deleted_at is not None
    assert not User.objects.filter(pk=user.pk).exists()
    assert client.get(reverse("accounts:dashboard")).status_code == 302

    response = client.post(
        reverse("accounts:login"), {"username": user.email.upper(), "password": PASSWORD}, follow=True
    )
    assert "no longer scheduled for deletion" in response.content.decode()
    assert not User.all_objects.get(pk=user.pk).is_deleted


@pytest.mark.django_db
def test_login_after_grace_fails_like_an_unknown_account(client, user):
    user.mark_deleted()
    user.deleted_at = timezone.now() - dt.timedelta(days=31)
    user.save()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


@pytest.mark.django_db
def test_sole_owner_with_members_must_hand_over_before_deleting(client):
    organization = OrganizationFactory()
    owner = UserFactory(organization=organization, role=Role.OWNER)
    UserFactory(organization=organization, role=Role.MEMBER)
    client.force_login(owner)
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "only owner" in response.content.decode()
    assert not User.all_objects.get(pk=owner.pk).is_deleted


@pytest.mark.django_db
def test_purge_deleted_accounts_removes_expired_ones_with_cascades():
    expired_item = SessionExerciseFactory(session__program__user__email="old@example.com")
    expired = expired_item.session.program.user
    custom = ExerciseFactory(is_global=False, created_by=expired)
    kept_item = SessionExerciseFactory(session__program__user__email="recent@example.com")
    recent = kept_item.session.program.user
    for account, days in ((expired, 31), (recent, 5)):
        account.mark_deleted()
        account.deleted_at = timezone.now() - dt.timedelta(days=days)
        account.save()
    organization_id = expired.organization_id

    call_command("purge_deleted_accounts")

    assert not User.all_objects.filter(pk=expired.pk).exists()
    assert not Organization.all_objects.filter(pk=organization_id).exists()
    assert not TrainingProgram.all_objects.filter(pk=expired_item.session.program_id).exists()
    assert not WorkoutSession.all_objects.filter(pk=expired_item.session_id).exists()
    assert not SessionExercise.all_objects.filter(pk=expired_item.pk).exists()
    custom.refresh_from_db()
    assert custom.created_by_id is None  # SET NULL
    assert User.all_objects.filter(pk=recent.pk).exists()
    assert SessionExercise.all_objects.filter(pk=kept_item.pk).exists()


@pytest.mark.django_db
def test_account_changes_are_audited_without_emails_or_passwords(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, email="audited@example.com", full_name="Audie Ted")
    user = User.objects.by_email("audited@example.com").get()
    client.force_login(user)
    client.post(
        reverse("accounts:profile"),
        {"full_name": "Audie Ted", "email": "audited2@example.com", "current_password": STRONG},
    )
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": STRONG,
            "new_password1": "another-long-phrase-9",
            "new_password2": "another-long-phrase-9",
        },
    )
    client.post(reverse("accounts:account_delete"), {"password": "another-long-phrase-9"})
    actions = list(
        AuditLog.objects.filter(target_id=str(user.pk))
        .order_by("created_at")
        .values_list("action", flat=True)
    )
    for action in ("sign_up", "email_changed", "password_changed", "account_deleted"):
        assert action in actions
    dumped = str(list(AuditLog.objects.values("data", "target_repr")))
    assert "audited" not in dumped and STRONG not in dumped
