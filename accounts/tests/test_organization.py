"""Organizations through the test client: members, invitations, roles, removal, limits, read-only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from accounts.models import Invitation, OrganizationStatus, OrganizationTier, Role, User
from accounts.quota import ai_query_consume
from accounts.selectors import organization_members
from accounts.tests.factories import OrganizationFactory, UserFactory
from hypertroq.models import AuditLog
from programs.models import TrainingProgram
from programs.tests.factories import TrainingProgramFactory

PASSWORD = "correct-horse-battery"
STRONG = "plates-and-chalk-2026"


@pytest.fixture
def team(db):
    """A pro organization with an owner, a coach and a member."""
    organization = OrganizationFactory(name="Iron Team", subscription_tier=OrganizationTier.PRO)
    return {
        "organization": organization,
        "owner": UserFactory(organization=organization, role=Role.OWNER, full_name="Olga Owner"),
        "coach": UserFactory(organization=organization, role=Role.COACH, full_name="Carl Coach"),
        "member": UserFactory(organization=organization, role=Role.MEMBER, full_name="Mia Member"),
    }


def _accept_link() -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/invitations/[^\s]+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _invite(client, email="new@example.com", role=Role.MEMBER, **kwargs):
    return client.post(reverse("accounts:invitation_create"), {"email": email, "role": role}, **kwargs)


# --- members page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_owner_sees_members_with_role_tier_and_ai_usage(client, team):
    ai_query_consume(user=team["member"])
    ai_query_consume(user=team["member"])
    client.force_login(team["owner"])
    response = client.get(reverse("accounts:members"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Olga Owner", "Carl Coach", "Mia Member"):
        assert name in page
    rows = {m.full_name: m for m in response.context["members"]}
    assert rows["Mia Member"].ai_used_this_month == 2
    assert rows["Carl Coach"].ai_used_this_month == 0
    assert "Send invitation" in page
    assert reverse("programs:member_programs", kwargs={"member_id": team["member"].pk}) in page


@pytest.mark.django_db
def test_coach_sees_members_but_not_owner_controls(client, team):
    client.force_login(team["coach"])
    response = client.get(reverse("accounts:members"))
    assert response.status_code == 200
    assert "Mia Member" in response.content.decode()
    assert "Send invitation" not in response.content.decode()


@pytest.mark.django_db
def test_plain_member_cannot_see_members(client, team):
    client.force_login(team["member"])
    response = client.get(reverse("accounts:members"))
    assert response.status_code == 403
    assert "Only the organization&#x27;s owners and coaches" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 12])
def test_members_page_query_count_does_not_grow_with_members(client, django_assert_max_num_queries, size):
    organization = OrganizationFactory(subscription_tier=OrganizationTier.ENTERPRISE)
    owner = UserFactory(organization=organization, role=Role.OWNER)
    UserFactory.create_batch(size, organization=organization, role=Role.MEMBER)
    for i in range(size):
        Invitation.objects.create(
            organization=organization,
            email=f"inv{i}@example.com",
            invited_by=owner,
            expires_at=timezone.now() + dt.timedelta(days=7),
        )
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:members"))
    assert len(response.context["members"]) == size + 1


# --- invitations ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invite_new_person_who_signs_up_and_joins(client, team, django_capture_on_commit_callbacks):
    client.force_login(team["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, email="Newbie@Example.com", role=Role.COACH)
    assert response.status_code == 302
    link = _accept_link()
    client.logout()

    page = client.get(link)
    assert page.status_code == 200
    assert "Join Iron Team" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link, {"email": "newbie@example.com", "full_name": "Nina Newbie", "password": STRONG}
        )
    assert response.status_code == 302
    newbie = User.objects.by_email("newbie@example.com").get()
    assert newbie.organization == team["organization"]
    assert newbie.role == Role.COACH
    assert newbie.email_verified  # the link reached that inbox
    invitation = Invitation.objects.get()
    assert invitation.used_by == newbie and invitation.used_at is not None
    assert AuditLog.objects.filter(action="member_joined").exists()

    # Single use: the same link now explains itself and changes nothing.
    again = client.get(link)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()


@pytest.mark.django_db
def test_existing_user_logs_in_and_joins_keeping_programs(client, team, django_capture_on_commit_callbacks):
    joiner = UserFactory(email="joiner@example.com", role=Role.OWNER)
    old_organization = joiner.organization
    program = TrainingProgramFactory(user=joiner)
    client.force_login(team["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, email="JOINER@example.com")
    link = _accept_link()

    client.force_login(joiner)
    assert "Join Iron Team" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 302
    joiner.refresh_from_db()
    old_organization.refresh_from_db()
    assert joiner.organization == team["organization"]
    assert joiner.role == Role.MEMBER
    assert old_organization.is_deleted  # nobody left in the personal organization
    assert TrainingProgram.objects.get(pk=program.pk).user == joiner


@pytest.mark.django_db
def test_invitation_for_someone_else_is_refused(client, team, django_capture_on_commit_callbacks):
    client.force_login(team["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, email="intended@example.com")
    link = _accept_link()
    stranger = UserFactory(email="stranger@example.com")
    client.force_login(stranger)
    response = client.post(link)
    assert response.status_code == 400
    assert "sent to another email address" in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.organization != team["organization"]


@pytest.mark.django_db
def test_expired_revoked_and_tampered_invitations(client, team, django_capture_on_commit_callbacks):
    client.force_login(team["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, email="late@example.com")
    link = _accept_link()
    invitation = Invitation.objects.get()

    tampered = link.rstrip("/")[:-3] + "abc/"
    assert "invalid or has expired" in client.get(tampered).content.decode()

    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(link)
    assert response.status_code == 400
    assert "has expired" in response.content.decode()

    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    response = client.post(reverse("accounts:invitation_revoke", kwargs={"invitation_id": invitation.pk}))
    assert response.status_code == 302
    client.logout()
    response = client.post(link, {"email": "late@example.com", "full_name": "Late Larry", "password": STRONG})
    assert response.status_code == 400
    assert "withdrawn" in response.content.decode()
    assert not User.objects.by_email("late@example.com").exists()


@pytest.mark.django_db
def test_signed_token_older_than_seven_days_is_refused(team):
    invitation = Invitation.objects.create(
        organization=team["organization"],
        email="x@example.com",
        invited_by=team["owner"],
        expires_at=timezone.now() + dt.timedelta(days=30),  # even if the row said otherwise
    )
    token = tokens.invitation_token(invitation)
    from unittest import mock

    later = timezone.now() + dt.timedelta(days=7, minutes=1)
    with mock.patch("time.time", return_value=later.timestamp()), pytest.raises(tokens.BadToken):
        tokens.invitation_read(token)


@pytest.mark.django_db
def test_free_organization_is_full_with_its_owner(client):
    owner = UserFactory(role=Role.OWNER)  # free organization: one member
    client.force_login(owner)
    response = _invite(client, email="friend@example.com")
    assert response.status_code == 200
    assert "allows 1 member" in response.content.decode()
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_pro_limit_counts_members_and_open_invitations(client, team, django_capture_on_commit_callbacks):
    UserFactory.create_batch(21, organization=team["organization"], role=Role.MEMBER)  # 24 members
    client.force_login(team["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client, email="25th@example.com").status_code == 302
    response = _invite(client, email="26th@example.com", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "allows 25 members" in response.content.decode()
    assert "<html" not in response.content.decode()  # the htmx partial only
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_member_and_coach_cannot_invite(client, team):
    for who in ("member", "coach"):
        client.force_login(team[who])
        response = _invite(client)
        assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_malformed_invite_email_is_refused(client, team):
    client.force_login(team["owner"])
    response = _invite(client, email="not an email")
    assert response.status_code == 200
    assert "valid email" in response.content.decode()
    assert not Invitation.objects.exists()


# --- removing members and changing roles ---------------------------------------------------------------


@pytest.mark.django_db
def test_removed_member_keeps_programs_in_a_new_personal_organization(client, team):
    program = TrainingProgramFactory(user=team["member"])
    client.force_login(team["owner"])
    response = client.post(reverse("accounts:member_remove", kwargs={"member_id": team["member"].pk}))
    assert response.status_code == 302
    member = User.objects.get(pk=team["member"].pk)
    assert member.organization != team["organization"]
    assert member.role == Role.OWNER
    assert member.organization.slug == "mia-member"
    assert TrainingProgram.objects.get(pk=program.pk).user == member
    assert AuditLog.objects.filter(action="member_removed").exists()


@pytest.mark.django_db
def test_change_roles_but_never_zero_owners(client, team):
    client.force_login(team["owner"])
    url = reverse("accounts:member_role", kwargs={"member_id": team["coach"].pk})
    assert client.post(url, {"role": Role.OWNER}).status_code == 302
    assert User.objects.get(pk=team["coach"].pk).role == Role.OWNER
    # The original owner can now be demoted by the new one ...
    client.force_login(User.objects.get(pk=team["coach"].pk))
    url = reverse("accounts:member_role", kwargs={"member_id": team["owner"].pk})
    client.post(url, {"role": Role.MEMBER})
    assert User.objects.get(pk=team["owner"].pk).role == Role.MEMBER
    # ... but the last owner can't be demoted or removed.
    last_owner = User.objects.get(pk=team["coach"].pk)
    assert User.objects.filter(organization=team["organization"], role=Role.OWNER).count() == 1
    from accounts import services

    with pytest.raises(Exception, match="always needs an owner"):
        services.member_role_change(actor=last_owner, member=last_owner, role=Role.MEMBER)
    assert User.objects.get(pk=last_owner.pk).role == Role.OWNER


@pytest.mark.django_db
def test_bad_role_value_changes_nothing(client, team):
    client.force_login(team["owner"])
    url = reverse("accounts:member_role", kwargs={"member_id": team["member"].pk})
    response = client.post(url, {"role": "emperor"}, follow=True)
    assert "Choose owner, coach or member" in response.content.decode()
    assert User.objects.get(pk=team["member"].pk).role == Role.MEMBER


@pytest.mark.django_db
def test_coach_trying_owner_actions_gets_403_and_nothing_changes(client, team):
    client.force_login(team["coach"])
    remove = client.post(reverse("accounts:member_remove", kwargs={"member_id": team["member"].pk}))
    role = client.post(
        reverse("accounts:member_role", kwargs={"member_id": team["member"].pk}), {"role": Role.OWNER}
    )
    assert remove.status_code == role.status_code == 403
    member = User.objects.get(pk=team["member"].pk)
    assert (member.organization_id, member.role) == (team["organization"].pk, Role.MEMBER)


@pytest.mark.django_db
def test_plain_member_gets_404_for_member_urls(client, team):
    client.force_login(team["member"])
    response = client.post(reverse("accounts:member_remove", kwargs={"member_id": team["coach"].pk}))
    assert response.status_code == 404


# --- suspended organization: read-only -------------------------------------------------------------------


@pytest.mark.django_db
def test_suspended_organization_is_read_only_with_a_banner(client, team):
    team["organization"].subscription_status = OrganizationStatus.SUSPENDED
    team["organization"].save()
    client.force_login(team["owner"])
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "read-only" in page

    # A page form: redirected back with the message, nothing changed.
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Changed", "email": "x@example.com"}, follow=True
    )
    assert "read-only" in response.content.decode()
    assert User.objects.get(pk=team["owner"].pk).full_name == "Olga Owner"
    # htmx / API-like: a plain 403 with the reason.
    response = _invite(client, headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert "suspended" in response.content.decode()
    assert not Invitation.objects.exists()
    # Exempt: changing one's password, logging out.
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=team["owner"].pk).check_password(STRONG)
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.django_db
def test_read_only_refusal_with_a_referer_that_is_not_a_path_redirects(client, team):
    # redirect() took a bare Referer such as "abc" for a view name (NoReverseMatch: a 500).
    team["organization"].subscription_status = OrganizationStatus.SUSPENDED
    team["organization"].save()
    client.force_login(team["owner"])
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Changed", "email": "x@example.com"},
        headers={"Referer": "abc"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=team["owner"].pk).full_name == "Olga Owner"


@pytest.mark.django_db
def test_tiers_follow_the_organization(team):
    from accounts import services, tiers

    member = team["member"]
    assert tiers.effective_tier(member) == "pro"
    assert tiers.max_active_programs(member) is None
    team["organization"].subscription_status = OrganizationStatus.CANCELLED
    team["organization"].save()
    member = User.objects.select_related("organization").get(pk=member.pk)
    assert tiers.effective_tier(member) == "free"
    assert tiers.max_active_programs(member) == 3
    assert not tiers.can_create_custom_exercises(member)
    team["organization"].subscription_status = OrganizationStatus.ACTIVE
    team["organization"].save()
    services.organization_soft_delete(organization=team["organization"])
    member = User.objects.select_related("organization").get(pk=member.pk)
    assert tiers.effective_tier(member) == "free"
    coach = User.objects.select_related("organization").get(pk=team["coach"].pk)
    assert list(organization_members(viewer=coach)) == []


@pytest.mark.django_db
def test_write_allowed_decorator_blocks_changes_only_for_read_only_users(rf, team):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.http import HttpResponse

    from accounts.permissions import write_allowed

    @write_allowed
    def view(request):
        return HttpResponse("changed")

    def request_for(user, method="post", **headers):
        request = getattr(rf, method)("/somewhere/", headers=headers)
        request.user = user
        request.session = {}
        request._messages = FallbackStorage(request)
        return request

    owner = User.objects.select_related("organization").get(pk=team["owner"].pk)
    assert view(request_for(owner)).content == b"changed"
    team["organization"].subscription_status = OrganizationStatus.SUSPENDED
    team["organization"].save()
    owner = User.objects.select_related("organization").get(pk=team["owner"].pk)
    assert view(request_for(owner, "get")).content == b"changed"
    assert view(request_for(owner, HX_Request="true")).status_code == 403
    assert view(request_for(owner)).status_code == 302
