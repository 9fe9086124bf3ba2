"""A coach giving a member a program tells the member (in the app and by email)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from notifications.models import Notification, NotificationKind
from programs import services
from programs.tests.factories import TrainingProgramFactory

pytestmark = pytest.mark.django_db


def test_the_member_hears_that_the_coach_gave_them_a_program(django_capture_on_commit_callbacks):
    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    coach = UserFactory(organization=organization, role=Role.COACH, full_name="Kim Coach")
    member = UserFactory(organization=organization, role=Role.MEMBER)
    program = TrainingProgramFactory(user=coach, name="Upper Lower")
    with django_capture_on_commit_callbacks(execute=True):
        copy = services.program_give_to_member(coach=coach, program=program, member=member)
    (notification,) = Notification.objects.filter(user=member)
    assert notification.kind == NotificationKind.PROGRAM_GIVEN
    assert notification.title == "Kim Coach gave you a program: Upper Lower"
    assert notification.url == reverse("programs:detail", kwargs={"program_id": copy.pk})
    (email,) = mail.outbox
    assert email.to == [member.email] and email.subject == notification.title
    assert "List-Unsubscribe" in email.extra_headers
