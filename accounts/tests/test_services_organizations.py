"""accounts.services.organizations, called directly: what the pages cannot reach."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Invitation, OrganizationTier, Role, User
from accounts.services import invitation_accept, invitation_create
from accounts.tests.factories import OrganizationFactory, UserFactory
from hypertroq.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db


def test_an_invitation_accepted_twice_from_copies_read_before_either_commits_joins_once():
    """Two requests (two tabs, a double click) each read the invitation and the user before
    either accepts. Only the conditional UPDATE that marks the invitation used can tell the
    second one that the invitation is spent: every other check passes on its stale copies."""
    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    owner = UserFactory(organization=organization, role=Role.OWNER)
    joiner = UserFactory(email="joiner@example.com", role=Role.OWNER)
    created = invitation_create(actor=owner, email=joiner.email, role=Role.COACH)
    first_invitation, second_invitation = (Invitation.objects.get(pk=created.pk) for _ in range(2))
    first_user, second_user = (
        User.objects.select_related("organization").get(pk=joiner.pk) for _ in range(2)
    )

    invitation_accept(invitation=first_invitation, user=first_user)
    used_at = Invitation.objects.get(pk=created.pk).used_at
    with pytest.raises(ValidationError, match="already been used"):
        invitation_accept(invitation=second_invitation, user=second_user)

    joiner.refresh_from_db()
    assert (joiner.organization_id, joiner.role) == (organization.pk, Role.COACH)
    assert Invitation.objects.get(pk=created.pk).used_at == used_at
    assert AuditLog.objects.filter(action=AuditAction.MEMBER_JOINED, target_id=str(joiner.pk)).count() == 1
