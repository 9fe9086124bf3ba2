"""Upgrade requests: a lifter asks for a paid plan; staff approve (the plan is applied) or decline.

Both the staff decision and (later) a payment provider's webhook apply a plan through
``upgrade_apply``, so a tier changes in one place, audited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import notify
from accounts.models import (
    OrganizationStatus,
    OrganizationTier,
    Plan,
    Role,
    UpgradeRequest,
    UpgradeStatus,
    User,
    UserStatus,
    UserTier,
)
from hypertroq.audit import AuditAction, audit_log

ORGANIZATION_PLANS: dict[str, str] = {
    Plan.ORGANIZATION_PRO: OrganizationTier.PRO,
    Plan.ORGANIZATION_ENTERPRISE: OrganizationTier.ENTERPRISE,
}


@transaction.atomic
def upgrade_request_create(*, user: User, plan: str, note: str = "") -> UpgradeRequest:
    if plan not in Plan.values:
        raise ValidationError({"plan": "Choose a plan."})
    if plan in ORGANIZATION_PLANS and user.role != Role.OWNER:
        raise PermissionDenied("Only the organization's owner can change its plan.")
    if UpgradeRequest.objects.filter(user=user, plan=plan, status=UpgradeStatus.PENDING).exists():
        raise ValidationError("You already asked for this plan; staff will answer soon.")
    request = UpgradeRequest(user=user, organization_id=user.organization_id, plan=plan, note=note.strip())
    request.full_clean()
    request.save()
    audit_log(
        action=AuditAction.UPGRADE_REQUESTED,
        actor=user,
        target=request,
        organization=user.organization,
        data={"plan": plan},
    )
    return request


@transaction.atomic
def upgrade_apply(*, user: User, plan: str, actor: User | None) -> None:
    """Give ``user`` (or their organization) the plan, audited as a tier change."""
    if plan == Plan.PRO:
        before = user.subscription_tier
        user.subscription_tier = UserTier.PRO
        user.subscription_status = UserStatus.ACTIVE
        user.ai_queries_limit = None
        user.save(
            update_fields=["subscription_tier", "subscription_status", "ai_queries_limit", "updated_at"]
        )
        target: Any = user
        organization = user.organization
    else:
        organization = user.organization
        before = organization.subscription_tier
        organization.subscription_tier = ORGANIZATION_PLANS[plan]
        organization.subscription_status = OrganizationStatus.ACTIVE
        organization.save(update_fields=["subscription_tier", "subscription_status", "updated_at"])
        target = organization
    audit_log(
        action=AuditAction.TIER_CHANGED,
        actor=actor,
        target=target,
        organization=organization,
        data={"from": before, "to": plan},
    )
    event = f"upgrade:{timezone.now():%Y%m%d%H%M%S%f}"
    if target is user:
        notify.user_plan_changed(user=user, event=event)
    else:
        notify.organization_plan_changed(organization=organization, event=event)


@transaction.atomic
def upgrade_request_decide(*, upgrade_request: UpgradeRequest, staff: Any, approve: bool) -> UpgradeRequest:
    if not getattr(staff, "is_staff", False):
        raise PermissionDenied("Only staff decide upgrade requests.")
    locked = (
        UpgradeRequest.objects.select_for_update()
        .select_related("user__organization")
        .get(pk=upgrade_request.pk)
    )
    if locked.status != UpgradeStatus.PENDING:
        raise ValidationError("This request was already decided.")
    locked.status = UpgradeStatus.APPROVED if approve else UpgradeStatus.DECLINED
    locked.decided_at = timezone.now()
    locked.decided_by = staff
    locked.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    if approve:
        upgrade_apply(user=locked.user, plan=locked.plan, actor=staff)
    audit_log(
        action=AuditAction.UPGRADE_APPROVED if approve else AuditAction.UPGRADE_DECLINED,
        actor=staff,
        target=locked,
        organization=locked.organization,
        data={"plan": locked.plan},
    )
    return locked
