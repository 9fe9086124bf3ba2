"""accounts.permissions.can_coach: whose programs an owner or coach may see (issue 12's decision)."""

from __future__ import annotations

import pytest

from accounts.models import OrganizationTier, Role
from accounts.permissions import can_coach
from accounts.tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    org = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    return {
        "owner": UserFactory(organization=org, role=Role.OWNER),
        "other owner": UserFactory(organization=org, role=Role.OWNER),
        "coach": UserFactory(organization=org, role=Role.COACH),
        "other coach": UserFactory(organization=org, role=Role.COACH),
        "member": UserFactory(organization=org, role=Role.MEMBER),
        "outsider member": UserFactory(role=Role.MEMBER),
    }


# viewer -> the people whose programs they see; everyone else is refused.
DECISION = {
    "owner": {"other owner", "coach", "other coach", "member"},
    "coach": {"member"},
    "member": set(),
}


@pytest.mark.parametrize("viewer", sorted(DECISION))
def test_owners_see_everyone_else_coaches_see_members_members_see_nobody(people, viewer):
    seen = {name for name, person in people.items() if can_coach(people[viewer], person)}
    assert seen == DECISION[viewer]


def test_a_deleted_user_or_a_deleted_organization_opens_nothing(people):
    member = people["member"]
    member.is_deleted = True
    assert not can_coach(people["owner"], member)
    owner = people["owner"]
    owner.organization.is_deleted = True
    assert not can_coach(owner, people["coach"])
