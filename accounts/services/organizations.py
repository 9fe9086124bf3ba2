"""Organizations: staff soft delete and restore, invitations (create, revoke, accept), members."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts import notify, tiers, tokens
from accounts.models import INVITATION_VALID_DAYS, Invitation, Organization, Role, User
from accounts.services.common import (
    absolute_url,
    organization_lock,
    owner_count,
    personal_organization_create,
    require_owner,
    send_on_commit,
)
from hypertroq.audit import AuditAction, audit_log

# --- organizations (staff, from admin) ------------------------------------------------------------------


@transaction.atomic
def organization_soft_delete(*, organization: Organization, actor: User | None = None) -> Organization:
    """Hide an organization (staff). Its users keep their accounts and programs; with the
    organization deleted, nobody sees its member list or coaches through it."""
    organization = organization_lock(organization.pk)
    if not organization.is_deleted:
        organization.mark_deleted()
        organization.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        audit_log(
            action=AuditAction.OBJECT_DELETED, actor=actor, target=organization, organization=organization
        )
    return organization


@transaction.atomic
def organization_restore(*, organization: Organization, actor: User | None = None) -> Organization:
    organization = organization_lock(organization.pk)
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


def check_room_for_member(organization: Organization, *, counting_invitations: bool = False) -> None:
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
def invitation_create(*, actor: User, email: str, role: str) -> Invitation:
    """Invite ``email`` into the actor's organization with ``role``; the link is mailed."""
    organization = organization_lock(actor.organization_id)
    require_owner(actor, organization)
    email = User.objects.normalize_email(email.strip())
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, coach or member."})
    if User.objects.by_email(email).filter(organization=organization).exists():
        raise ValidationError({"email": "This person is already a member of your organization."})
    now = timezone.now()
    earlier = (
        Invitation.objects.alias(email_lower=Lower("email"))
        .select_for_update()
        .filter(
            organization=organization,
            email_lower=email.lower(),
            used_at__isnull=True,
            revoked_at__isnull=True,
        )
        .first()
    )
    resent = earlier is not None and earlier.expires_at > now
    invitation: Invitation
    if earlier is not None and resent:
        # Still pending: send the same invitation again (with the role asked now and a fresh
        # expiry) instead of making a second one; it already holds its seat.
        invitation = earlier
        invitation.role = role
        invitation.invited_by = actor
        invitation.expires_at = now + dt.timedelta(days=INVITATION_VALID_DAYS)
        invitation.full_clean()
        invitation.save(update_fields=["role", "invited_by", "expires_at", "updated_at"])
    else:
        if earlier is not None:  # expired: replaced by a new one
            earlier.revoked_at = now
            earlier.save(update_fields=["revoked_at", "updated_at"])
        check_room_for_member(organization, counting_invitations=True)
        invitation = Invitation(
            organization=organization,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS),
        )
        invitation.full_clean()
        invitation.save()
    invitation.resent = resent  # type: ignore[attr-defined]  # read by the view's message
    audit_log(
        action=AuditAction.MEMBER_INVITED,
        actor=actor,
        target=invitation,
        organization=organization,
        data={"role": role, "resent": resent},
    )
    token = tokens.invitation_token(invitation)
    send_on_commit(
        to=email,
        subject=f"{actor.full_name} invited you to {organization.name} on HypertroQ",
        template="accounts/email/invitation.txt",
        context={
            "invitation": invitation,
            "inviter": actor,
            "organization": organization,
            "accept_url": absolute_url(reverse("accounts:invitation_accept", kwargs={"token": token})),
            "valid_days": INVITATION_VALID_DAYS,
        },
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    organization = organization_lock(invitation.organization_id)
    require_owner(actor, organization)
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


def _inviter_may_still_invite(invitation: Invitation) -> bool:
    """Whether the person who sent ``invitation`` could send it today: an active, not deleted
    owner of the inviting organization (only owners invite). Read fresh from the database."""
    if invitation.invited_by_id is None:
        return False
    return User.objects.filter(
        pk=invitation.invited_by_id,
        organization_id=invitation.organization_id,
        role=Role.OWNER,
        is_active=True,
    ).exists()


INVITER_LOST_POWER = "This invitation was withdrawn: the person who sent it can no longer invite people."


def invitations_revoke_sent_by(
    *, inviter: User, organization_id: Any, actor: User | None, reason: str
) -> int:
    """Revoke the open invitations ``inviter`` sent for ``organization_id`` (they were demoted,
    removed or left): an invitation must never carry more power than its sender has. Audited,
    one entry per invitation. The caller holds the organization's lock."""
    now = timezone.now()
    open_ones = list(
        Invitation.objects.select_for_update()
        .filter(
            organization_id=organization_id,
            invited_by=inviter,
            used_at__isnull=True,
            revoked_at__isnull=True,
        )
        .order_by("created_at")
    )
    for invitation in open_ones:
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit_log(
            action=AuditAction.INVITATION_REVOKED,
            actor=actor,
            target=invitation,
            organization=organization_id,
            data={"reason": reason, "invited_by": str(inviter.pk)},
        )
    return len(open_ones)


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
    if not _inviter_may_still_invite(invitation):
        raise ValidationError(INVITER_LOST_POWER, code="revoked")
    return invitation


def invitation_mark_used(*, invitation: Invitation, user: User) -> None:
    """Use the invitation, re-checking under the organization's lock (held by the caller, as
    role changes and removals take it too) that its sender is still an owner there."""
    if not _inviter_may_still_invite(invitation):
        raise ValidationError(INVITER_LOST_POWER, code="revoked")
    updated = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).update(used_at=timezone.now(), used_by=user, updated_at=timezone.now())
    if updated != 1:
        raise ValidationError("This invitation has already been used.", code="used")


def _leave_organization(*, user: User) -> None:
    """Checks and tidy-up before ``user`` moves to another organization."""
    old = organization_lock(user.organization_id)
    others = User.all_objects.filter(organization=old).exclude(pk=user.pk)
    if (
        user.role == Role.OWNER
        and others.filter(is_deleted=False).exists()
        and owner_count(old, excluding=user) == 0
    ):
        raise ValidationError(
            f"You are the only owner of {old.name}, which has other members: make another member an "
            "owner first."
        )
    invitations_revoke_sent_by(inviter=user, organization_id=old.pk, actor=user, reason="inviter_left")
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
        organization_lock(org_id)
    _leave_organization(user=user)
    organization = Organization.all_objects.get(pk=invitation.organization_id)
    check_room_for_member(organization)
    invitation_mark_used(invitation=invitation, user=user)
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
    notify.invitation_accepted(invitation=invitation, member=user)
    return user


# --- organizations: members ---------------------------------------------------------------------------


@transaction.atomic
def member_remove(*, actor: User, member: User) -> User:
    """Remove ``member`` from the actor's organization. They keep their account and programs
    (programs belong to users) in a new personal organization where they are the owner."""
    organization = organization_lock(actor.organization_id)
    require_owner(actor, organization)
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.organization_id != organization.pk:
        raise ValidationError("This person is not a member of your organization.")
    if member.pk == actor.pk:
        raise ValidationError(
            "You can't remove yourself. Make someone else owner and ask them to remove you."
        )
    if member.role == Role.OWNER and owner_count(organization, excluding=member) == 0:
        raise ValidationError("An organization always needs an owner.")
    old_role = member.role
    invitations_revoke_sent_by(
        inviter=member, organization_id=organization.pk, actor=actor, reason="inviter_removed"
    )
    member.organization = personal_organization_create(member.full_name)
    member.role = Role.OWNER
    member.save(update_fields=["organization", "role", "updated_at"])
    audit_log(
        action=AuditAction.MEMBER_REMOVED,
        actor=actor,
        target=member,
        organization=organization,
        data={"role": old_role},
    )
    notify.member_left(
        member=member,
        organization_id=organization.pk,
        removed_by=actor,
        event=f"removed:{timezone.now():%Y%m%d%H%M%S%f}",
    )
    return member


@transaction.atomic
def member_role_change(*, actor: User, member: User, role: str) -> User:
    organization = organization_lock(actor.organization_id)
    require_owner(actor, organization)
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, coach or member."})
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.organization_id != organization.pk:
        raise ValidationError("This person is not a member of your organization.")
    if member.role == role:
        return member
    if member.role == Role.OWNER and owner_count(organization, excluding=member) == 0:
        raise ValidationError(
            "An organization always needs an owner: make someone else an owner before changing this role."
        )
    old_role = member.role
    if old_role == Role.OWNER:
        invitations_revoke_sent_by(
            inviter=member, organization_id=organization.pk, actor=actor, reason="inviter_demoted"
        )
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
