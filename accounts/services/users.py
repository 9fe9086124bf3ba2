"""A person's account: sign-up, email verification, profile, password, deletion and purge."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import notify, tokens
from accounts.models import Invitation, Organization, Role, User
from accounts.services.common import absolute_url, organization_lock, send_on_commit, user_any_by_email
from accounts.services.organizations import (
    check_room_for_member,
    invitation_mark_used,
    invitations_revoke_sent_by,
)
from hypertroq.audit import AuditAction, audit_log

ACCOUNT_DELETION_GRACE = dt.timedelta(days=30)


# --- sign-up and email verification -----------------------------------------------------------------


@transaction.atomic
def user_sign_up(
    *,
    email: str,
    full_name: str,
    password: str,
    invitation: Invitation | None = None,
) -> User | None:
    """Create an account with a personal organization (or join ``invitation``'s organization).

    Returns ``None`` when the email is already registered (any letter case): the page then says
    exactly what it says on success, and the address's owner gets an email instead, so the form
    never tells a stranger who has an account here.
    """
    email = User.objects.normalize_email(email.strip())
    full_name = full_name.strip()
    # Both answers do the same work (validate, hash, create the account and its organization,
    # audit, queue one email), so the time a request takes does not say whether the address has
    # an account: for a taken address the account is created under a throwaway address and
    # rolled back.
    password_validation.validate_password(password, User(email=email, full_name=full_name))
    existing = user_any_by_email(email)
    if existing is not None:
        _rehearse_sign_up(full_name=full_name, password=password)
        send_on_commit(
            to=existing.email,
            subject="Someone tried to sign up to HypertroQ with your email",
            template="accounts/email/account_exists.txt",
            context={
                "user": existing,
                "login_url": absolute_url(reverse("accounts:login")),
                "reset_url": absolute_url(reverse("accounts:password_reset")),
            },
        )
        return None
    if invitation is not None and invitation.email.lower() != email.lower():
        raise ValidationError("This invitation is for a different email address.")
    try:
        with transaction.atomic():
            if invitation is None:
                user = User.objects.create_user(email, password, full_name=full_name)
            else:
                organization = organization_lock(invitation.organization_id)
                check_room_for_member(organization)
                user = User.objects.create_user(
                    email,
                    password,
                    full_name=full_name,
                    organization=organization,
                    role=invitation.role,
                    # The invitation link reached this address: that verifies it.
                    email_verified=True,
                )
                invitation_mark_used(invitation=invitation, user=user)
    except IntegrityError:
        # Lost a race with another sign-up for the same address: behave as "taken".
        return None
    audit_log(action=AuditAction.SIGN_UP, actor=user, target=user, data={"invited": invitation is not None})
    if invitation is not None:
        audit_log(
            action=AuditAction.MEMBER_JOINED,
            actor=user,
            target=user,
            organization=user.organization,
            data={"role": user.role},
        )
    if not user.email_verified:
        email_verification_send(user=user)
    return user


class _Rehearsal(Exception):
    """Raised to roll back the stand-in account of a sign-up with a taken address."""


def _rehearse_sign_up(*, full_name: str, password: str) -> None:
    stand_in = f"sign-up-{uuid.uuid4().hex}@stand-in.invalid"
    try:
        with transaction.atomic():  # a savepoint: nothing of this survives
            user = User.objects.create_user(stand_in, password, full_name=full_name)
            audit_log(action=AuditAction.SIGN_UP, actor=user, target=user, data={"invited": False})
            render_to_string(
                "accounts/email/verify_email.txt",
                {
                    "user": user,
                    "verify_url": absolute_url("/"),
                    "valid_days": tokens.EMAIL_VERIFICATION_MAX_AGE.days,
                },
            )
            raise _Rehearsal
    except _Rehearsal:
        pass


def email_verification_send(*, user: User) -> None:
    token = tokens.email_verification_token(user)
    send_on_commit(
        to=user.email,
        subject="Confirm your email for HypertroQ",
        template="accounts/email/verify_email.txt",
        context={
            "user": user,
            "verify_url": absolute_url(reverse("accounts:verify_email", kwargs={"token": token})),
            "valid_days": tokens.EMAIL_VERIFICATION_MAX_AGE.days,
        },
    )


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address in ``token`` verified. Raises ``ValidationError`` for a bad/expired link."""
    invalid = ValidationError(
        "This confirmation link is invalid or has expired. Log in and ask for a new one.",
        code="bad_token",
    )
    try:
        user_id, digest = tokens.email_verification_read(token)
    except tokens.BadToken:
        raise invalid from None
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or not tokens.email_digest_matches(digest, user.email):
        raise invalid
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified", "updated_at"])
        audit_log(action=AuditAction.EMAIL_VERIFIED, actor=user, target=user)
    return user


RESET_EMAIL_TEMPLATE = "accounts/email/password_reset.txt"


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Mail a password-reset link to ``email`` if an active account with a usable password has it.

    Same work either way: the link is made and the email rendered for a stand-in account when
    there is none, so the answer's timing does not tell a stranger whether the address is known.
    The email goes out after commit (``send_on_commit``), like every other one; an unknown address gets
    none (mailing strangers on request would make this form a spam relay).
    """
    email = User.objects.normalize_email(email.strip())
    user = User.objects.by_email(email).filter(is_active=True).first()
    known = user is not None and user.has_usable_password()
    subject_user = user if known and user is not None else User(pk=uuid.uuid4(), email=email, full_name="")
    if not known:
        subject_user.set_unusable_password()
    uid = urlsafe_base64_encode(force_bytes(subject_user.pk))
    token = default_token_generator.make_token(subject_user)
    context = {
        "user": subject_user,
        "reset_url": absolute_url(
            reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        ),
    }
    subject = render_to_string("accounts/email/password_reset_subject.txt")
    if known:
        send_on_commit(to=subject_user.email, subject=subject, template=RESET_EMAIL_TEMPLATE, context=context)
        audit_log(action=AuditAction.PASSWORD_RESET_REQUESTED, actor=None, target=subject_user)
    else:
        render_to_string(RESET_EMAIL_TEMPLATE, context)  # the body a real email would need


# --- profile and password -----------------------------------------------------------------------------


@transaction.atomic
def user_profile_update(*, user: User, full_name: str, email: str) -> User:
    """Change name and email. A new email must be confirmed again (a link goes to it)."""
    email = User.objects.normalize_email(email.strip())
    full_name = full_name.strip()
    old_email = user.email
    email_changed = email.lower() != old_email.lower()
    if email_changed:
        other = user_any_by_email(email)
        if other is not None and other.pk != user.pk:
            raise ValidationError({"email": "Another account already uses this email."})
    user.full_name = full_name
    user.email = email
    fields = ["full_name", "email", "updated_at"]
    if email_changed:
        user.email_verified = False
        fields.append("email_verified")
    user.full_clean(exclude=["password"])
    user.save(update_fields=fields)
    if email_changed:
        audit_log(action=AuditAction.EMAIL_CHANGED, actor=user, target=user)
        send_on_commit(
            to=old_email,
            subject="Your HypertroQ email was changed",
            template="accounts/email/email_changed.txt",
            context={"user": user},
        )
        email_verification_send(user=user)
    return user


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """Set a new password (the form has checked the old one and the validators)."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    audit_log(action=AuditAction.PASSWORD_CHANGED, actor=user, target=user)
    return user


@transaction.atomic
def user_sessions_revoke(*, user: User) -> User:
    """ "Log out everywhere": every session of ``user`` that logged in before now ends on its next
    request (accounts.sessions), this one included."""
    user.sessions_revoked_at = timezone.now()
    user.save(update_fields=["sessions_revoked_at", "updated_at"])
    audit_log(action=AuditAction.SESSIONS_REVOKED, actor=user, target=user)
    return user


def user_sessions_revoke_left_open(*, user_id: Any) -> None:
    """A log-out could not delete the session's cached copy (the cache was unreachable): end every
    session of the person that started before now, that copy included (accounts.session_store)."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        user_sessions_revoke(user=user)


# --- account deletion -------------------------------------------------------------------------------


@transaction.atomic
def account_delete_request(*, user: User) -> User:
    """Soft-delete the account; it is purged after 30 days unless its owner logs in again."""
    user = User.all_objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        return user
    organization_lock(user.organization_id)
    others = User.objects.filter(organization_id=user.organization_id).exclude(pk=user.pk)
    if user.role == Role.OWNER and others.exists() and not others.filter(role=Role.OWNER).exists():
        raise ValidationError(
            "You are the only owner of your organization and it has other members: make another "
            "member an owner first (Organization → Members), then delete your account."
        )
    invitations_revoke_sent_by(
        inviter=user, organization_id=user.organization_id, actor=user, reason="inviter_deleted"
    )
    user.mark_deleted()
    user.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    audit_log(action=AuditAction.ACCOUNT_DELETED, actor=user, target=user, data={"grace_days": 30})
    notify.member_left(
        member=user,
        organization_id=user.organization_id,
        removed_by=None,
        event=f"deleted:{user.deleted_at:%Y%m%d%H%M%S%f}",
    )
    return user


def account_purge_date(user: User) -> dt.datetime | None:
    return None if user.deleted_at is None else user.deleted_at + ACCOUNT_DELETION_GRACE


@transaction.atomic
def account_restore(*, user: User) -> User:
    """Cancel a pending deletion (logging in during the grace period does this; staff can too)."""
    if not user.is_deleted:
        return user
    user.mark_restored()
    user.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    audit_log(action=AuditAction.ACCOUNT_RESTORED, actor=user, target=user)
    return user


def account_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Hard-delete accounts whose grace period is over; returns how many.

    The database cascades do the rest: programs → sessions → session exercises go with the user,
    custom exercises lose their creator (SET NULL). An organization left without any account is
    deleted with its invitations.
    """
    cutoff = (now or timezone.now()) - ACCOUNT_DELETION_GRACE
    purged = 0
    expired_ids = list(
        User.all_objects.filter(is_deleted=True, deleted_at__lte=cutoff).values_list("pk", flat=True)
    )
    for user_id in expired_ids:
        with transaction.atomic():
            user = User.all_objects.select_for_update().filter(pk=user_id, is_deleted=True).first()
            if user is None or user.deleted_at is None or user.deleted_at > cutoff:
                continue  # restored meanwhile
            organization_id = user.organization_id
            user.delete()
            if not User.all_objects.filter(organization_id=organization_id).exists():
                Organization.all_objects.filter(pk=organization_id).delete()
            purged += 1
    return purged
