"""What accounts tells people through the notifications app (members, invitations, plans).

Called by the services (and the admin for plan changes) inside their transactions, so a rolled
back change notifies no one; each event carries a dedupe key so it is told once.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts.models import Invitation, Organization, Role, User
from notifications.models import NotificationKind
from notifications.services import notification_create


def _owners(organization_id: Any, *, excluding: list[Any]) -> list[User]:
    return list(
        User.objects.filter(organization_id=organization_id, role=Role.OWNER).exclude(pk__in=excluding)
    )


def _name(user: User) -> str:
    return user.full_name or user.email


def invitation_accepted(*, invitation: Invitation, member: User) -> None:
    members_url = reverse("accounts:members")
    inviter = invitation.invited_by
    if inviter is not None and inviter.organization_id == invitation.organization_id:
        notification_create(
            user=inviter,
            kind=NotificationKind.INVITATION_ACCEPTED,
            title=f"{_name(member)} accepted your invitation",
            body=f"They joined as {member.get_role_display().lower()}.",
            url=members_url,
            dedupe_key=f"invitation_accepted:{invitation.pk}",
        )
    for owner in _owners(invitation.organization_id, excluding=[member.pk, getattr(inviter, "pk", None)]):
        notification_create(
            user=owner,
            kind=NotificationKind.MEMBER_JOINED,
            title=f"{_name(member)} joined your organization",
            url=members_url,
            dedupe_key=f"member_joined:{invitation.pk}",
        )


def member_left(*, member: User, organization_id: Any, removed_by: User | None, event: str) -> None:
    """``event`` names this leaving (removal, account deletion) for the dedupe key."""
    verb = "was removed from" if removed_by is not None else "left"
    for owner in _owners(organization_id, excluding=[member.pk, getattr(removed_by, "pk", None)]):
        notification_create(
            user=owner,
            kind=NotificationKind.MEMBER_LEFT,
            title=f"{_name(member)} {verb} your organization",
            url=reverse("accounts:members"),
            dedupe_key=f"member_left:{member.pk}:{event}",
        )


def user_plan_changed(*, user: User, event: str) -> None:
    notification_create(
        user=user,
        kind=NotificationKind.PLAN_CHANGED,
        title=f"Your plan is now {user.get_subscription_tier_display()} ({user.get_subscription_status_display().lower()})",
        url=reverse("accounts:profile"),
        dedupe_key=f"plan_changed:user:{user.pk}:{event}",
    )


def organization_plan_changed(*, organization: Organization, event: str) -> None:
    title = (
        f"{organization.name} is now on the {organization.get_subscription_tier_display()} plan "
        f"({organization.get_subscription_status_display().lower()})"
    )
    for member in User.objects.filter(organization=organization):
        notification_create(
            user=member,
            kind=NotificationKind.PLAN_CHANGED,
            title=title,
            url=reverse("accounts:dashboard"),
            dedupe_key=f"plan_changed:organization:{organization.pk}:{event}",
        )
