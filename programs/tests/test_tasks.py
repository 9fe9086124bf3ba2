"""Training reminders (a periodic job, run here as the scheduler would). The weekly digest reads the
training log: training/tests/test_tasks.py."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.tests.factories import UserFactory
from notifications import services as notification_services
from notifications.models import Notification, NotificationKind, ReminderSettings
from programs.models import StructureType
from programs.tasks import training_reminders
from programs.tests.factories import TrainingProgramFactory, WorkoutSessionFactory

pytestmark = pytest.mark.django_db

MONDAY_0700_UTC = int(dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC).timestamp())


def _ts(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())


def _digests(user):
    return list(Notification.objects.filter(user=user, kind=NotificationKind.WEEKLY_DIGEST))


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
