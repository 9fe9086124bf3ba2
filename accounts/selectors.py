"""Reads for accounts and organizations, scoped to the requesting user."""

from __future__ import annotations

import uuid

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import Http404

from accounts.models import Invitation, Role, UpgradeRequest, UpgradeStatus, User, Viewer
from accounts.permissions import can_coach, is_coach_or_owner, is_owner
from accounts.preferences import UserPreferences
from accounts.quota import current_month
from accounts.tiers import signed_in


def organization_members(*, viewer: User) -> QuerySet[User]:
    """Users of the viewer's organization, for owners and coaches (empty for anyone else).

    Each row carries ``ai_used_this_month`` (0 when the counter belongs to an earlier month).
    """
    if not is_coach_or_owner(viewer) or viewer.organization.is_deleted:
        return User.objects.none()
    role_order = Case(
        When(role=Role.OWNER, then=Value(0)),
        When(role=Role.COACH, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        User.objects.filter(organization_id=viewer.organization_id)
        .select_related("organization")
        .annotate(
            role_order=role_order,
            ai_used_this_month=Case(
                When(ai_queries_month=current_month(), then=F("ai_queries_used")),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("role_order", "full_name", "email")
    )


def member_get_for_coach(*, viewer: User, member_id: uuid.UUID | str) -> User:
    """A user whose programs the viewer may see (``accounts.permissions.can_coach``), else 404."""
    member = organization_members(viewer=viewer).filter(pk=member_id).first()
    if member is None or not can_coach(viewer, member):
        raise Http404("No such member in your organization.")
    return member


def member_get_for_owner(*, viewer: User, member_id: uuid.UUID | str) -> User:
    """A user of the viewer's organization, for owner actions; 404 for any other id.

    Coaches get the user too (they can see the list); the services refuse their changes.
    """
    member = organization_members(viewer=viewer).filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member in your organization.")
    return member


def organization_invitations(*, viewer: User) -> QuerySet[Invitation]:
    """Invitations of the viewer's organization, for its owners (empty for anyone else)."""
    if not is_owner(viewer):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(organization_id=viewer.organization_id)
        .select_related("invited_by", "used_by")
        .order_by("-created_at")
    )


def invitation_get_for_owner(*, viewer: User, invitation_id: uuid.UUID | str) -> Invitation:
    invitation = organization_invitations(viewer=viewer).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation in your organization.")
    return invitation


def upgrade_requests_pending(*, user: User) -> QuerySet[UpgradeRequest]:
    """The user's own upgrade requests still waiting for staff."""
    return UpgradeRequest.objects.filter(user=user, status=UpgradeStatus.PENDING)


def user_preferences_for(*, user: Viewer | None) -> UserPreferences:
    """The lifter's preferences; an unsaved row with the defaults when they never saved any (or
    for an anonymous visitor). No query when they came with the user
    (``select_related("user__preferences")``) or were read before."""
    if not signed_in(user):
        return UserPreferences()
    try:
        return user.preferences
    except UserPreferences.DoesNotExist:
        return UserPreferences(user=user)
