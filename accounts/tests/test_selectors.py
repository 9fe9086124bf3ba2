"""accounts.selectors: members and invitations scoped to the requesting user's organization."""

from __future__ import annotations

import pytest
from django.http import Http404

from accounts.models import OrganizationTier, Role
from accounts.selectors import member_get_for_coach, member_get_for_owner, organization_members
from accounts.tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    return {
        "owner": UserFactory(organization=organization, role=Role.OWNER),
        "coach": UserFactory(organization=organization, role=Role.COACH),
        "member": UserFactory(organization=organization, role=Role.MEMBER),
    }


def test_members_are_listed_for_owners_and_coaches_only(team):
    everyone = {team["owner"].pk, team["coach"].pk, team["member"].pk}
    assert {m.pk for m in organization_members(viewer=team["owner"])} == everyone
    assert {m.pk for m in organization_members(viewer=team["coach"])} == everyone
    assert list(organization_members(viewer=team["member"])) == []


def test_member_get_for_coach_follows_who_may_see_whose_programs(team):
    outsider = UserFactory(role=Role.MEMBER)
    assert member_get_for_coach(viewer=team["coach"], member_id=team["member"].pk) == team["member"]
    assert member_get_for_coach(viewer=team["owner"], member_id=team["coach"].pk) == team["coach"]
    for viewer, target in (
        (team["coach"], team["owner"]),  # a coach sees members only
        (team["coach"], outsider),  # another organization
        (team["member"], team["coach"]),  # members see nobody's
        (team["coach"], team["coach"]),  # not oneself
    ):
        with pytest.raises(Http404):
            member_get_for_coach(viewer=viewer, member_id=target.pk)


def test_member_get_for_owner_finds_anyone_in_the_organization_and_nobody_outside(team):
    """Owner actions (role, removal) look people up here; the services refuse a coach's change."""
    assert member_get_for_owner(viewer=team["owner"], member_id=team["coach"].pk) == team["coach"]
    assert member_get_for_owner(viewer=team["coach"], member_id=team["owner"].pk) == team["owner"]
    with pytest.raises(Http404):
        member_get_for_owner(viewer=team["owner"], member_id=UserFactory().pk)
    with pytest.raises(Http404):
        member_get_for_owner(viewer=team["member"], member_id=team["owner"].pk)
