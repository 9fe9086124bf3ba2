"""The weekly digest and training reminders (periodic jobs, run here as the scheduler would)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts.models import OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from notifications import services as notification_services
from notifications.models import Channel, Notification, NotificationKind, ReminderSettings
from programs.models import StructureType
from programs.tasks import training_reminders, weekly_digest
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory

pytestmark = pytest.mark.django_db

MONDAY_0700_UTC = int(dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC).timestamp())


def _ts(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())


def _digests(user):
    return list(Notification.objects.filter(user=user, kind=NotificationKind.WEEKLY_DIGEST))


def test_the_digest_covers_the_plan_and_for_an_owner_the_members_waiting(django_capture_on_commit_callbacks):
    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    owner = UserFactory(organization=organization, role=Role.OWNER)
    UserFactory(organization=organization, role=Role.MEMBER, full_name="Wanda Waiting")
    item = SessionExerciseFactory(session__program__user=owner, session__program__name="Upper Lower")
    with django_capture_on_commit_callbacks(execute=True):
        weekly_digest(timestamp=MONDAY_0700_UTC)
        weekly_digest(timestamp=MONDAY_0700_UTC + 60)  # a rerun in the same week
    (digest,) = _digests(owner)
    assert "“Upper Lower”" in digest.body
    assert "Below MEV" in digest.body  # one exercise leaves most muscles under their minimum
    assert "Members without a program (they may need you): Wanda Waiting." in digest.body
    owner_mail = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(owner_mail) == 1 and "List-Unsubscribe" in owner_mail[0].extra_headers
    assert item.session.program.user == owner


def test_the_digest_respects_opting_out_and_comes_again_next_week():
    keen, done = UserFactory(), UserFactory()
    for channel in Channel.values:
        notification_services.preference_set(
            user=done, kind=NotificationKind.WEEKLY_DIGEST, channel=channel, enabled=False
        )
    weekly_digest(timestamp=MONDAY_0700_UTC)
    weekly_digest(timestamp=MONDAY_0700_UTC + 7 * 86400)
    assert len(_digests(keen)) == 2
    assert _digests(done) == []
    assert "You have no program yet" in _digests(keen)[0].body


@pytest.fixture
def lifter():
    """Trains Monday and Thursday (weekly program); wants reminders at 18:00 New York time."""
    user = UserFactory()
    program = TrainingProgramFactory(
        user=user, name="Full Body", structure_type=StructureType.WEEKLY, frequency=2
    )
    WorkoutSessionFactory(program=program, day_of_week=0)
    WorkoutSessionFactory(program=program, day_of_week=3)
    notification_services.reminder_settings_update(
        user=user, time_zone="America/New_York", remind_at=dt.time(18, 0), weekdays=[]
    )
    return user


def _reminders(user):
    return list(Notification.objects.filter(user=user, kind=NotificationKind.TRAINING_REMINDER))


def test_a_reminder_comes_on_a_training_day_at_the_local_time(lifter):
    # Monday 7 Dec 2026, 18:00 in New York is 23:00 UTC (EST, UTC-5).
    training_reminders(timestamp=_ts(2026, 12, 7, 22, 45))
    assert _reminders(lifter) == []
    training_reminders(timestamp=_ts(2026, 12, 7, 23, 0))
    training_reminders(timestamp=_ts(2026, 12, 7, 23, 0))  # the same tick again: no second one
    (reminder,) = _reminders(lifter)
    assert reminder.title == "Training day: Monday"
    assert "Full Body" in reminder.body
    # Tuesday is not a training day.
    training_reminders(timestamp=_ts(2026, 12, 8, 23, 0))
    assert len(_reminders(lifter)) == 1


def test_chosen_days_replace_the_program_days_and_people_without_settings_get_none(lifter):
    UserFactory()  # no reminder settings: never reminded
    ReminderSettings.objects.filter(user=lifter).update(weekdays=[1])
    training_reminders(timestamp=_ts(2026, 12, 7, 23, 0))  # Monday: not chosen
    training_reminders(timestamp=_ts(2026, 12, 8, 23, 0))  # Tuesday: chosen
    assert [r.title for r in _reminders(lifter)] == ["Training day: Tuesday"]
    assert Notification.objects.filter(kind=NotificationKind.TRAINING_REMINDER).count() == 1


def test_a_rotation_without_chosen_days_gets_no_reminders():
    user = UserFactory()
    TrainingProgramFactory(user=user, structure_type=StructureType.CYCLIC, frequency=4)
    notification_services.reminder_settings_update(
        user=user, time_zone="UTC", remind_at=dt.time(9, 0), weekdays=[]
    )
    training_reminders(timestamp=_ts(2026, 12, 7, 9, 0))
    assert _reminders(user) == []
