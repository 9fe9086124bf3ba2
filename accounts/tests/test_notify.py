"""What accounts tells people: invitations accepted, members joining and leaving, plan changes."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    organization = OrganizationFactory(name="Iron Team", subscription_tier=OrganizationTier.PRO)
    return {
        "organization": organization,
        "owner": UserFactory(organization=organization, role=Role.OWNER, full_name="Olga Owner"),
        "second_owner": UserFactory(organization=organization, role=Role.OWNER, full_name="Otto Owner"),
        "member": UserFactory(organization=organization, role=Role.MEMBER, full_name="Mia Member"),
    }


def _kinds(user):
    return list(Notification.objects.filter(user=user).values_list("kind", "title"))


def test_an_accepted_invitation_tells_the_inviter_and_the_other_owners(
    team, django_capture_on_commit_callbacks
):
    invitation = services.invitation_create(actor=team["owner"], email="nina@example.com", role=Role.MEMBER)
    nina = UserFactory(email="nina@example.com", full_name="Nina Newbie")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_accept(invitation=invitation, user=nina)
    assert _kinds(team["owner"]) == [
        (NotificationKind.INVITATION_ACCEPTED, "Nina Newbie accepted your invitation")
    ]
    assert _kinds(team["second_owner"]) == [
        (NotificationKind.MEMBER_JOINED, "Nina Newbie joined your organization")
    ]
    assert _kinds(team["member"]) == []
    # "Invitation accepted" is emailed by default, "member joined" is not.
    assert [m.subject for m in mail.outbox if m.to == [team["owner"].email]] == [
        "Nina Newbie accepted your invitation"
    ]
    assert not [m for m in mail.outbox if m.to == [team["second_owner"].email]]


def test_a_removed_member_is_told_to_the_other_owners_not_to_the_one_who_removed(team):
    services.member_remove(actor=team["owner"], member=team["member"])
    assert _kinds(team["second_owner"]) == [
        (NotificationKind.MEMBER_LEFT, "Mia Member was removed from your organization")
    ]
    assert _kinds(team["owner"]) == []


def test_a_member_deleting_their_account_is_told_to_the_owners(team):
    services.account_delete_request(user=team["member"])
    assert {kind for kind, _ in _kinds(team["owner"])} == {NotificationKind.MEMBER_LEFT}
    assert _kinds(team["second_owner"]) == [
        (NotificationKind.MEMBER_LEFT, "Mia Member left your organization")
    ]


def test_a_staff_plan_change_tells_the_user(staff_client, django_capture_on_commit_callbacks):
    lifter = UserFactory(full_name="Pat Lifter")
    url = reverse("admin:accounts_user_change", args=[lifter.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "organization": str(lifter.organization_id),
            "subscription_tier": "pro",
            "subscription_status": "active",
            "groups": [],
            "user_permissions": [],
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _kinds(lifter) == [(NotificationKind.PLAN_CHANGED, "Your plan is now Pro (active)")]
    assert [m.subject for m in mail.outbox] == ["Your plan is now Pro (active)"]


def test_an_approved_upgrade_tells_the_user(staff_user):
    from accounts.models import Plan

    lifter = UserFactory()
    services.upgrade_apply(user=lifter, plan=Plan.PRO, actor=staff_user)
    assert [kind for kind, _ in _kinds(lifter)] == [NotificationKind.PLAN_CHANGED]
