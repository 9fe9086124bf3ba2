"""Writes for accounts and organizations: sign-up, verification, profile, deletion, membership.

Every function is keyword-only and atomic; emails go out in ``transaction.on_commit`` so a rolled
back change never mails anyone. Role checks (owner-only actions) live here too and raise
``PermissionDenied``; rule violations raise ``ValidationError`` with a message for the page.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import tiers, tokens
from accounts.models import (
    INVITATION_VALID_DAYS,
    Invitation,
    Organization,
    Role,
    User,
    unique_organization_slug,
)
from hypertroq.audit import AuditAction, audit_log

logger = logging.getLogger(__name__)

ACCOUNT_DELETION_GRACE = dt.timedelta(days=30)


# --- helpers ----------------------------------------------------------------------------------------


def user_any_by_email(email: str) -> User | None:
    """The user with this email in any letter case, deleted accounts included."""
    return (
        User.all_objects.alias(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower())
        .select_related("organization")
        .first()
    )


def _send(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    """Send a plain-text email after the surrounding transaction commits."""
    body = render_to_string(template, context)

    def _deliver() -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)

    transaction.on_commit(_deliver)


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def _personal_organization(full_name: str) -> Organization:
    name = f"{full_name}'s organization"
    organization = Organization(name=name[:255], slug=unique_organization_slug(full_name))
    organization.full_clean()
    organization.save()
    return organization


def _lock_organization(organization_id: Any) -> Organization:
    """Serialise membership changes of one organization (member counts, owner counts)."""
    return Organization.all_objects.select_for_update().get(pk=organization_id)


def _owner_count(organization: Organization, *, excluding: User | None = None) -> int:
    owners = User.objects.filter(organization=organization, role=Role.OWNER)
    if excluding is not None:
        owners = owners.exclude(pk=excluding.pk)
    return owners.count()


def _require_owner(actor: User, organization: Organization) -> None:
    if actor.organization_id != organization.pk or actor.role != Role.OWNER:
        raise PermissionDenied("Only the organization's owners can manage members and invitations.")


# --- sign-up and email verification -----------------------------------------------------------------


@transaction.atomic
def user_sign_up(
    *,
    email: str,
    full_name: str,
    password: str,
    base_url: str,
    invitation: Invitation | None = None,
) -> User | None:
    """Create an account with a personal organization (or join ``invitation``'s organization).

    Returns ``None`` when the email is already registered (any letter case): the page then says
    exactly what it says on success, and the address's owner gets an email instead, so the form
    never tells a stranger who has an account here.
    """
    email = User.objects.normalize_email(email.strip())
    full_name = full_name.strip()
    existing = user_any_by_email(email)
    if existing is not None:
        _send(
            to=existing.email,
            subject="Someone tried to sign up to HypertroQ with your email",
            template="accounts/email/account_exists.txt",
            context={
                "user": existing,
                "login_url": _absolute(base_url, reverse("accounts:login")),
                "reset_url": _absolute(base_url, reverse("accounts:password_reset")),
            },
        )
        return None
    password_validation.validate_password(password, User(email=email, full_name=full_name))
    if invitation is not None and invitation.email.lower() != email.lower():
        raise ValidationError("This invitation is for a different email address.")
    try:
        with transaction.atomic():
            if invitation is None:
                user = User.objects.create_user(email, password, full_name=full_name)
            else:
                organization = _lock_organization(invitation.organization_id)
                _check_room_for_member(organization)
                user = User.objects.create_user(
                    email,
                    password,
                    full_name=full_name,
                    organization=organization,
                    role=invitation.role,
                    # The invitation link reached this address: that verifies it.
                    email_verified=True,
                )
                _invitation_mark_used(invitation=invitation, user=user)
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
        email_verification_send(user=user, base_url=base_url)
    return user


def email_verification_send(*, user: User, base_url: str) -> None:
    token = tokens.email_verification_token(user)
    _send(
        to=user.email,
        subject="Confirm your email for HypertroQ",
        template="accounts/email/verify_email.txt",
        context={
            "user": user,
            "verify_url": _absolute(base_url, reverse("accounts:verify_email", kwargs={"token": token})),
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
        user_id, email = tokens.email_verification_read(token)
    except tokens.BadToken:
        raise invalid from None
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or user.email.lower() != email:
        raise invalid
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified", "updated_at"])
        audit_log(action=AuditAction.EMAIL_VERIFIED, actor=user, target=user)
    return user


# --- profile and password -----------------------------------------------------------------------------


@transaction.atomic
def user_profile_update(*, user: User, full_name: str, email: str, base_url: str) -> User:
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
        _send(
            to=old_email,
            subject="Your HypertroQ email was changed",
            template="accounts/email/email_changed.txt",
            context={"user": user},
        )
        email_verification_send(user=user, base_url=base_url)
    return user


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """Set a new password (the form has checked the old one and the validators)."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    audit_log(action=AuditAction.PASSWORD_CHANGED, actor=user, target=user)
    return user


# --- account deletion -------------------------------------------------------------------------------


@transaction.atomic
def account_delete_request(*, user: User) -> User:
    """Soft-delete the account; it is purged after 30 days unless its owner logs in again."""
    user = User.all_objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        return user
    _lock_organization(user.organization_id)
    others = User.objects.filter(organization_id=user.organization_id).exclude(pk=user.pk)
    if user.role == Role.OWNER and others.exists() and not others.filter(role=Role.OWNER).exists():
        raise ValidationError(
            "You are the only owner of your organization and it has other members: make another "
            "member an owner first (Organization → Members), then delete your account."
        )
    user.mark_deleted()
    user.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    audit_log(action=AuditAction.ACCOUNT_DELETED, actor=user, target=user, data={"grace_days": 30})
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


# --- organizations (staff, from admin) ------------------------------------------------------------------


@transaction.atomic
def organization_soft_delete(*, organization: Organization, actor: User | None = None) -> Organization:
    """Hide an organization (staff). Its users keep their accounts and programs; with the
    organization deleted, nobody sees its member list or coaches through it."""
    organization = _lock_organization(organization.pk)
    if not organization.is_deleted:
        organization.mark_deleted()
        organization.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        audit_log(
            action=AuditAction.OBJECT_DELETED, actor=actor, target=organization, organization=organization
        )
    return organization


@transaction.atomic
def organization_restore(*, organization: Organization, actor: User | None = None) -> Organization:
    organization = _lock_organization(organization.pk)
    if organization.is_deleted:
        organization.mark_restored()
        organization.full_clean()
        organization.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        audit_log(
            action=AuditAction.OBJECT_RESTORED, actor=actor, target=organization, organization=organization
        )
    return organization


# --- organizations: invitations ---------------------------------------------------------------------


def _open_invitations(organization: Organization) -> Any:
    return Invitation.objects.filter(
        organization=organization,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def _check_room_for_member(organization: Organization, *, counting_invitations: bool = False) -> None:
    limit = tiers.member_limit(organization)
    if limit is None:
        return
    taken = User.objects.filter(organization=organization).count()
    if counting_invitations:
        taken += _open_invitations(organization).count()
    if taken >= limit:
        tier = organization.get_subscription_tier_display()
        raise ValidationError(
            f"The {tier} plan allows {limit} member{'s' if limit != 1 else ''} (open invitations "
            "included) and this organization is full. Revoke an invitation, remove a member or "
            "upgrade the plan."
        )


@transaction.atomic
def invitation_create(*, actor: User, email: str, role: str, base_url: str) -> Invitation:
    """Invite ``email`` into the actor's organization with ``role``; the link is mailed."""
    organization = _lock_organization(actor.organization_id)
    _require_owner(actor, organization)
    email = User.objects.normalize_email(email.strip())
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, coach or member."})
    if User.objects.by_email(email).filter(organization=organization).exists():
        raise ValidationError({"email": "This person is already a member of your organization."})
    # A new invitation replaces any earlier one for the same address.
    now = timezone.now()
    Invitation.objects.alias(email_lower=Lower("email")).filter(
        organization=organization,
        email_lower=email.lower(),
        used_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now, updated_at=now)
    _check_room_for_member(organization, counting_invitations=True)
    invitation = Invitation(
        organization=organization,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_log(
        action=AuditAction.MEMBER_INVITED,
        actor=actor,
        target=invitation,
        organization=organization,
        data={"role": role},
    )
    token = tokens.invitation_token(invitation)
    _send(
        to=email,
        subject=f"{actor.full_name} invited you to {organization.name} on HypertroQ",
        template="accounts/email/invitation.txt",
        context={
            "invitation": invitation,
            "inviter": actor,
            "organization": organization,
            "accept_url": _absolute(base_url, reverse("accounts:invitation_accept", kwargs={"token": token})),
            "valid_days": INVITATION_VALID_DAYS,
        },
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    organization = _lock_organization(invitation.organization_id)
    _require_owner(actor, organization)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise ValidationError("This invitation was already accepted: remove the member instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit_log(
            action=AuditAction.INVITATION_REVOKED, actor=actor, target=invitation, organization=organization
        )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link points to, or ``ValidationError`` saying why it can't be used."""
    try:
        invitation_id = tokens.invitation_read(token)
    except tokens.BadToken:
        raise ValidationError(
            "This invitation link is invalid or has expired. Ask the organization's owner for a new one.",
            code="bad_token",
        ) from None
    invitation = (
        Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise ValidationError("This invitation no longer exists.", code="bad_token")
    if invitation.used_at is not None:
        raise ValidationError("This invitation has already been used.", code="used")
    if invitation.revoked_at is not None:
        raise ValidationError("This invitation was withdrawn by the organization.", code="revoked")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            "This invitation has expired. Ask the organization's owner for a new one.", code="expired"
        )
    return invitation


def _invitation_mark_used(*, invitation: Invitation, user: User) -> None:
    updated = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).update(used_at=timezone.now(), used_by=user, updated_at=timezone.now())
    if updated != 1:
        raise ValidationError("This invitation has already been used.", code="used")


def _leave_organization(*, user: User) -> None:
    """Checks and tidy-up before ``user`` moves to another organization."""
    old = _lock_organization(user.organization_id)
    others = User.all_objects.filter(organization=old).exclude(pk=user.pk)
    if (
        user.role == Role.OWNER
        and others.filter(is_deleted=False).exists()
        and _owner_count(old, excluding=user) == 0
    ):
        raise ValidationError(
            f"You are the only owner of {old.name}, which has other members: make another member an "
            "owner first."
        )
    if not others.exists():
        # Nobody is left in the old (personal) organization: retire it.
        old.mark_deleted()
        old.save(update_fields=["is_deleted", "deleted_at", "updated_at"])


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> User:
    """``user`` (logged in, email matching the invitation) joins the inviting organization."""
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            "This invitation was sent to another email address. Log in with that address to accept it."
        )
    if user.organization_id == invitation.organization_id:
        raise ValidationError("You are already a member of this organization.")
    user = User.objects.select_for_update().get(pk=user.pk)
    # Lock both organizations in a stable order (by id) so two moves can't deadlock.
    for org_id in sorted([user.organization_id, invitation.organization_id], key=str):
        _lock_organization(org_id)
    _leave_organization(user=user)
    organization = Organization.all_objects.get(pk=invitation.organization_id)
    _check_room_for_member(organization)
    _invitation_mark_used(invitation=invitation, user=user)
    user.organization = organization
    user.role = invitation.role
    user.email_verified = True  # the invitation link reached this address
    user.save(update_fields=["organization", "role", "email_verified", "updated_at"])
    audit_log(
        action=AuditAction.MEMBER_JOINED,
        actor=user,
        target=user,
        organization=organization,
        data={"role": user.role},
    )
    return user


# --- organizations: members ---------------------------------------------------------------------------


@transaction.atomic
def member_remove(*, actor: User, member: User) -> User:
    """Remove ``member`` from the actor's organization. They keep their account and programs
    (programs belong to users) in a new personal organization where they are the owner."""
    organization = _lock_organization(actor.organization_id)
    _require_owner(actor, organization)
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.organization_id != organization.pk:
        raise ValidationError("This person is not a member of your organization.")
    if member.pk == actor.pk:
        raise ValidationError(
            "You can't remove yourself. Make someone else owner and ask them to remove you."
        )
    if member.role == Role.OWNER and _owner_count(organization, excluding=member) == 0:
        raise ValidationError("An organization always needs an owner.")
    old_role = member.role
    member.organization = _personal_organization(member.full_name)
    member.role = Role.OWNER
    member.save(update_fields=["organization", "role", "updated_at"])
    audit_log(
        action=AuditAction.MEMBER_REMOVED,
        actor=actor,
        target=member,
        organization=organization,
        data={"role": old_role},
    )
    return member


@transaction.atomic
def member_role_change(*, actor: User, member: User, role: str) -> User:
    organization = _lock_organization(actor.organization_id)
    _require_owner(actor, organization)
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, coach or member."})
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.organization_id != organization.pk:
        raise ValidationError("This person is not a member of your organization.")
    if member.role == role:
        return member
    if member.role == Role.OWNER and _owner_count(organization, excluding=member) == 0:
        raise ValidationError(
            "An organization always needs an owner: make someone else an owner before changing this role."
        )
    old_role = member.role
    member.role = role
    member.full_clean(exclude=["password"])
    member.save(update_fields=["role", "updated_at"])
    audit_log(
        action=AuditAction.ROLE_CHANGED,
        actor=actor,
        target=member,
        organization=organization,
        data={"from": old_role, "to": role},
    )
    return member
