"""Plans: a page comparing Free, Pro and organizations; an upgrade request reaches staff, who
approve it in admin (audited), until a payment provider is configured."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import OrganizationTier, Plan, UpgradeRequest, UpgradeStatus, UserTier
from accounts.tests.factories import UserFactory
from hypertroq.models import AuditAction, AuditLog


@pytest.mark.django_db
def test_the_plans_page_compares_free_and_pro_for_visitors(client):
    body = client.get(reverse("accounts:plans")).content.decode()
    assert "Free" in body and "Pro" in body and "Organizations" in body
    assert "Unlimited programs" in body and "Up to 3 programs" in body


@pytest.mark.django_db
def test_places_that_say_a_limit_was_reached_link_to_the_plans(client):
    owner = UserFactory()  # free and solo
    client.force_login(owner)
    plans = reverse("accounts:plans")
    assert plans in client.get(reverse("accounts:members")).content.decode()
    assert plans in client.get(reverse("exercises:list")).content.decode()
    assert plans in client.get(reverse("accounts:dashboard")).content.decode()


@pytest.mark.django_db
def test_an_upgrade_request_reaches_staff_and_approval_applies_it_audited(client, admin_client):
    lifter = UserFactory()
    client.force_login(lifter)
    response = client.post(reverse("accounts:upgrade_request"), {"plan": Plan.PRO, "note": "Pay by invoice"})
    assert response.status_code == 302
    request = UpgradeRequest.objects.get(user=lifter)
    assert request.status == UpgradeStatus.PENDING
    assert "waiting for staff" in client.get(reverse("accounts:plans")).content.decode()
    # Asking twice is refused with a message, not a second row.
    again = client.post(reverse("accounts:upgrade_request"), {"plan": Plan.PRO})
    assert again.status_code == 400 and "already asked" in again.content.decode()
    assert UpgradeRequest.objects.filter(user=lifter).count() == 1

    changelist = reverse("admin:accounts_upgraderequest_changelist")
    response = admin_client.post(changelist, {"action": "approve", "_selected_action": [str(request.pk)]})
    assert response.status_code == 302
    lifter.refresh_from_db()
    request.refresh_from_db()
    assert lifter.subscription_tier == UserTier.PRO and lifter.ai_queries_limit is None
    assert request.status == UpgradeStatus.APPROVED and request.decided_at is not None
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {AuditAction.UPGRADE_REQUESTED, AuditAction.UPGRADE_APPROVED, AuditAction.TIER_CHANGED} <= actions


@pytest.mark.django_db
def test_an_organization_plan_is_for_its_owner_and_a_declined_request_changes_nothing(client, admin_client):
    owner = UserFactory()
    client.force_login(owner)
    client.post(reverse("accounts:upgrade_request"), {"plan": Plan.ORGANIZATION_PRO})
    request = UpgradeRequest.objects.get(user=owner)
    changelist = reverse("admin:accounts_upgraderequest_changelist")
    admin_client.post(changelist, {"action": "decline", "_selected_action": [str(request.pk)]})
    owner.organization.refresh_from_db()
    assert owner.organization.subscription_tier == OrganizationTier.FREE
    assert UpgradeRequest.objects.get(pk=request.pk).status == UpgradeStatus.DECLINED

    member = UserFactory(organization=owner.organization, role="member")
    client.force_login(member)
    response = client.post(reverse("accounts:upgrade_request"), {"plan": Plan.ORGANIZATION_PRO})
    assert response.status_code == 403
