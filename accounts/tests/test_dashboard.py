"""The dashboard tells a new lifter what to do next and shows a lifter's program; members page
offers an invitation only when the plan has room."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from programs import services


@pytest.mark.django_db
def test_a_new_lifter_is_told_the_three_ways_to_start(client):
    client.force_login(UserFactory())
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Start with a program" in body
    assert reverse("programs:template_list") in body
    assert reverse("programs:create") in body
    assert reverse("coach:coach_generate") in body
    # The first step comes first: above the Train card, which has nothing to train from yet.
    assert body.index('aria-labelledby="start-heading"') < body.index('aria-labelledby="today-card-heading"')


@pytest.mark.django_db
def test_a_lifter_with_a_program_sees_it_first(client):
    lifter = UserFactory()
    program = services.program_create(user=lifter, name="Upper Lower", structure_type="WEEKLY")
    client.force_login(lifter)
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Start with a program" not in body
    assert "Open Upper Lower" in body
    assert reverse("programs:detail", kwargs={"program_id": program.pk}) in body
    # Training comes first once there is a program.
    assert body.index('aria-labelledby="today-card-heading"') < body.index(
        'aria-labelledby="current-heading"'
    )


@pytest.mark.django_db
def test_a_free_owner_gets_no_invite_form_that_would_be_refused(client):
    owner = UserFactory()
    client.force_login(owner)
    body = client.get(reverse("accounts:members")).content.decode()
    assert "Send invitation" not in body
    assert "no room to invite" in body


@pytest.mark.django_db
def test_a_full_pro_organization_gets_no_invite_form_either(client, monkeypatch):
    from accounts import tiers

    monkeypatch.setitem(tiers.ORGANIZATION_MEMBER_LIMITS, OrganizationTier.PRO, 2)
    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    owner = UserFactory(organization=organization, role=Role.OWNER)
    client.force_login(owner)
    assert "Send invitation" in client.get(reverse("accounts:members")).content.decode()
    UserFactory(organization=organization, role=Role.MEMBER)
    body = client.get(reverse("accounts:members")).content.decode()
    assert "Send invitation" not in body and "all of it is taken" in body


@pytest.mark.django_db
def test_the_members_table_says_what_each_members_dashboard_says(client):
    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    owner = UserFactory(organization=organization, role=Role.OWNER)
    member = UserFactory(organization=organization, role=Role.MEMBER, full_name="Mia Member")
    client.force_login(member)
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Unlimited AI queries" in dashboard and "Pro" in dashboard
    client.force_login(owner)
    body = client.get(reverse("accounts:members")).content.decode()
    row = body[body.index("Mia Member") :]
    row = row[: row.index("</tr>")]
    assert 'data-label="Plan"><span>Pro' in row and "unlimited" in row
    assert "of 10" not in row


@pytest.mark.django_db
def test_inviting_a_pending_address_again_resends_instead_of_a_second_invitation(client):
    from accounts.models import Invitation

    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    owner = UserFactory(organization=organization, role=Role.OWNER)
    client.force_login(owner)
    url = reverse("accounts:invitation_create")
    client.post(url, {"email": "nina@example.com", "role": Role.MEMBER})
    first = Invitation.objects.get(email="nina@example.com")
    response = client.post(url, {"email": "Nina@example.com", "role": Role.COACH}, follow=True)
    assert "already had a pending invitation: we sent it again" in response.content.decode()
    assert Invitation.objects.filter(organization=organization).count() == 1
    first.refresh_from_db()
    assert first.revoked_at is None and first.role == Role.COACH


@pytest.mark.django_db
def test_sign_up_and_join_logs_the_new_member_in(client):
    from accounts import tokens
    from accounts.models import Invitation

    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO, name="Iron Team")
    owner = UserFactory(organization=organization, role=Role.OWNER)
    invitation = Invitation.objects.create(
        organization=organization,
        email="nina@example.com",
        role=Role.MEMBER,
        invited_by=owner,
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
    link = reverse("accounts:invitation_accept", kwargs={"token": tokens.invitation_token(invitation)})
    response = client.post(
        link,
        {
            "email": "nina@example.com",
            "full_name": "Nina Newbie",
            "password": "a-long-and-strong-passphrase-42",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:dashboard")
    dashboard = client.get(reverse("accounts:dashboard"))
    assert dashboard.status_code == 200 and "Hello, Nina" in dashboard.content.decode()
