"""Tiers, statuses and the features they unlock, computed in one place (DOMAIN.md).

- free user: up to 3 active programs, clones templates, no custom exercises, 10 AI queries a month.
- pro user: unlimited programs, custom exercises, unlimited AI queries.
- A member of an active pro or enterprise organization has pro features.
- Organization member limits: free 1, pro 25, enterprise unlimited.
- A suspended organization's members can read but not change anything.
"""

from __future__ import annotations

from typing import TypeGuard

from accounts.models import (
    Organization,
    OrganizationStatus,
    OrganizationTier,
    User,
    UserStatus,
    UserTier,
    Viewer,
)

FREE_PROGRAM_LIMIT = 3
ORGANIZATION_MEMBER_LIMITS: dict[str, int | None] = {
    OrganizationTier.FREE: 1,
    OrganizationTier.PRO: 25,
    OrganizationTier.ENTERPRISE: None,
}


def signed_in(user: Viewer | None) -> TypeGuard[User]:
    """A signed-in user (not an anonymous visitor, not nobody)."""
    return user is not None and user.is_authenticated


def effective_tier(user: Viewer | None) -> str:
    """``"pro"`` when the user pays for pro or belongs to an active pro/enterprise organization."""
    if not signed_in(user):
        return UserTier.FREE
    if user.subscription_tier == UserTier.PRO and user.subscription_status != UserStatus.CANCELLED:
        return UserTier.PRO
    org = user.organization
    if org.is_deleted:
        return UserTier.FREE
    if org.subscription_status == OrganizationStatus.ACTIVE and org.subscription_tier in (
        OrganizationTier.PRO,
        OrganizationTier.ENTERPRISE,
    ):
        return UserTier.PRO
    return UserTier.FREE


def has_pro_features(user: Viewer | None) -> bool:
    return effective_tier(user) == UserTier.PRO


def can_create_custom_exercises(user: Viewer | None) -> bool:
    return has_pro_features(user)


def max_active_programs(user: Viewer | None) -> int | None:
    """How many (non-deleted, non-template) programs the user may own; None = unlimited."""
    return None if has_pro_features(user) else FREE_PROGRAM_LIMIT


def member_limit(organization: Organization) -> int | None:
    return ORGANIZATION_MEMBER_LIMITS.get(organization.subscription_tier, 1)


def is_solo(user: Viewer | None) -> bool:
    """A lifter on their own: the owner of an organization whose plan has room for one member
    (free). They see no organization, member or invitation controls, which they could not use."""
    if not signed_in(user):
        return True
    return user.role == "owner" and member_limit(user.organization) == 1


def is_read_only(user: Viewer | None) -> bool:
    """Members of a suspended organization can read but not change anything."""
    if not signed_in(user):
        return False
    return bool(user.organization.subscription_status == OrganizationStatus.SUSPENDED)


READ_ONLY_MESSAGE = (
    "Your organization is suspended, so HypertroQ is read-only for you: you can look at everything "
    "but not change it. The organization's owner can resolve this with HypertroQ support."
)
