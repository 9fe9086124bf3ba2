"""What the training log tells people: personal records after a workout, and at the start of each
lifter's week (07:00 Monday, their time zone) the weekly digest and the below-MEV notice."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core import mail

from accounts.models import OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from notifications import services as notification_services
from notifications.models import Channel, Notification, NotificationKind
from training import services
from training.tasks import notify_workout_records, week_start_notices
from training.tests.factories import JOINED

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"


def _ts(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())


def _log(user, workout, exercise, weight="80", reps=10, rir="2", set_type="WORKING"):
    return services.set_log(
        user=user,
        workout=workout,
        exercise_id=exercise.pk,
        weight_kg=Decimal(weight),
        reps=reps,
        rir=Decimal(rir) if rir is not None else None,
        set_type=set_type,
        client_id=uuid.uuid4(),
    )


def _of(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).order_by("created_at"))


def _workout(user, started_at, session=None, sets=()):
    workout = services.workout_start(user=user, session=session, started_at=started_at)
    for exercise, weight, reps in sets:
        _log(user, workout, exercise, weight=weight, reps=reps)
    return workout


# --- personal records ---------------------------------------------------------------------------------


def test_finishing_a_workout_that_set_records_notifies_once(gym, django_capture_on_commit_callbacks):
    now = dt.datetime.now(tz=dt.UTC)
    first = _workout(gym.user, now - dt.timedelta(days=3), sets=[(gym.bench, "80", 8), (gym.bench, "85", 8)])
    with django_capture_on_commit_callbacks(execute=True):
        services.workout_finish(user=gym.user, workout=first)
    assert _of(gym.user, NotificationKind.PERSONAL_RECORD) == []  # the first time sets no record
    second = _workout(
        gym.user, now - dt.timedelta(hours=1), sets=[(gym.bench, "87.5", 8), (gym.raise_, "10", 12)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.workout_finish(user=gym.user, workout=second)
    (record,) = _of(gym.user, NotificationKind.PERSONAL_RECORD)
    assert record.title == "New personal record: Barbell bench press"
    # 87.5 x 8 @ RIR 2 (r = 10): e1RM 116.7 > 113.3; 8 reps at 87.5 kg or more; volume 700 > 680.
    assert (
        "Barbell bench press, 87.5 kg × 8: best estimated 1RM (116.7 kg), most reps at this load or more, "
        "best set volume (load × reps)" in record.body
    )
    assert "Lateral raise" not in record.body  # first time done: no record
    assert record.url == f"/training/workouts/{second.pk}/" or str(second.pk) in record.url
    # Resumed and finished again, or the job run twice: still one notification.
    services.workout_resume(user=gym.user, workout=second)
    with django_capture_on_commit_callbacks(execute=True):
        services.workout_finish(user=gym.user, workout=second)
    notify_workout_records(workout_id=str(second.pk))
    assert len(_of(gym.user, NotificationKind.PERSONAL_RECORD)) == 1
    assert mail.outbox == []  # records come in the app only unless the lifter asks for email


def test_record_notifications_follow_the_preferences(gym, django_capture_on_commit_callbacks):
    now = dt.datetime.now(tz=dt.UTC)
    services.workout_finish(
        user=gym.user, workout=_workout(gym.user, now - dt.timedelta(days=2), sets=[(gym.bench, "80", 8)])
    )
    notification_services.preference_set(
        user=gym.user, kind=NotificationKind.PERSONAL_RECORD, channel=Channel.IN_APP, enabled=False
    )
    notification_services.preference_set(
        user=gym.user, kind=NotificationKind.PERSONAL_RECORD, channel=Channel.EMAIL, enabled=True
    )
    workout = _workout(gym.user, now - dt.timedelta(hours=1), sets=[(gym.bench, "90", 8)])
    with django_capture_on_commit_callbacks(execute=True):
        services.workout_finish(user=gym.user, workout=workout)
    with django_capture_on_commit_callbacks(execute=True):
        notify_workout_records(workout_id=str(workout.pk))  # a rerun: no second email
    assert _of(gym.user, NotificationKind.PERSONAL_RECORD) == []
    (email,) = mail.outbox
    assert email.subject == "New personal record: Barbell bench press"
    assert "90 kg × 8" in email.body


def test_finishing_writes_one_row_and_enqueues_after_commit(gym, django_assert_num_queries, settings):
    settings.JOBS_EAGER = False
    workout = _workout(gym.user, dt.datetime.now(tz=dt.UTC), sets=[(gym.bench, "80", 8)])
    # SAVEPOINT, UPDATE, RELEASE (the job is deferred on commit, outside the request's writes).
    with django_assert_num_queries(3):
        services.workout_finish(user=gym.user, workout=workout)


def test_a_malformed_or_stale_records_job_does_nothing(gym):
    from hypertroq.jobs import MalformedJob

    with pytest.raises(MalformedJob):
        notify_workout_records(workout_id="not-a-uuid")
    workout = _workout(gym.user, dt.datetime.now(tz=dt.UTC), sets=[(gym.bench, "80", 8)])
    assert notify_workout_records(workout_id=str(workout.pk)) == 0  # not finished (resumed since)


# --- the start of the lifter's week -----------------------------------------------------------------


@pytest.fixture
def lifter(gym):
    """The gym's lifter in New York, on PPL; week 2026-W49 (30 Nov - 6 Dec) they did Push A (bench
    3 x 87.5 kg x 8, a PR over week 48's 80 kg; lateral raise 3 x 12) and skipped Pull A."""
    services.preferences_update(user=gym.user, unit="kg", time_zone=NEW_YORK, current_program=gym.program)
    week48 = _workout(gym.user, dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC), session=gym.push)
    for _ in range(3):
        _log(gym.user, week48, gym.bench, weight="80", reps=8)
    services.workout_finish(user=gym.user, workout=week48)
    # Monday 30 Nov 18:00 New York (23:00 UTC).
    week49 = _workout(gym.user, dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC), session=gym.push)
    for _ in range(3):
        _log(gym.user, week49, gym.bench, weight="87.5", reps=8)
        _log(gym.user, week49, gym.raise_, weight="10", reps=12)
    services.workout_finish(user=gym.user, workout=week49)
    return gym.user


# Monday 7 Dec 2026, 07:00 in New York is 12:00 UTC; 07:00 UTC is 02:00 there.
NY_WEEK_START = _ts(2026, 12, 7, 12, 0)


def test_the_digest_comes_at_seven_on_the_lifters_monday_and_covers_last_weeks_training(lifter):
    week_start_notices(timestamp=_ts(2026, 12, 7, 7, 0))
    assert _of(lifter, NotificationKind.WEEKLY_DIGEST) == []
    week_start_notices(timestamp=NY_WEEK_START)
    week_start_notices(timestamp=NY_WEEK_START)  # the same hour again: nothing twice
    week_start_notices(timestamp=NY_WEEK_START + 3600)  # 08:00 there: not due
    (digest,) = _of(lifter, NotificationKind.WEEKLY_DIGEST)
    body = digest.body
    assert "Your week 2026-W49 (30 Nov – 6 Dec 2026):" in body
    assert "Program “PPL”: 1 of 2 planned sessions done." in body
    assert "Not done: Pull A." in body
    assert "Hard sets: 6." in body
    assert "- Chest: 3 of 3 (6–22): Below MEV" in body
    assert "- Lats: 0 of 4 (8–22): Below MEV" in body
    assert "Personal records:\n- Barbell bench press, 87.5 kg × 8: best estimated 1RM (116.7 kg)" in body
    assert "Members needing attention" not in body
    assert digest.url == "/training/volume/?week=2026-W49"


def test_an_hour_the_worker_missed_is_caught_up_within_a_day_and_not_after(lifter):
    """No worker ran at 07:00 New York (a deploy, an outage): the next hourly run sends the
    notices, once; a lifter whose whole catch-up day passed gets nothing late that week."""
    from training.models import WeekStartRun

    assert week_start_notices(timestamp=NY_WEEK_START - 3600) == 0  # 06:00 there: not yet
    assert week_start_notices(timestamp=NY_WEEK_START + 3 * 3600) == 1  # 10:00: caught up
    (digest,) = _of(lifter, NotificationKind.WEEKLY_DIGEST)
    assert "Your week 2026-W49" in digest.body
    assert len(_of(lifter, NotificationKind.MUSCLE_BELOW_MEV)) == 1
    assert list(WeekStartRun.objects.filter(user=lifter).values_list("week", flat=True)) == ["2026-W50"]
    for hours in (4, 12, 23):  # later the same day: done, so not even selected
        assert week_start_notices(timestamp=NY_WEEK_START + hours * 3600) == 0
    assert len(_of(lifter, NotificationKind.WEEKLY_DIGEST)) == 1
    # Week 51: no worker runs from before Monday 07:00 New York until Tuesday 07:00 there.
    assert week_start_notices(timestamp=NY_WEEK_START + 7 * 86400 + 24 * 3600) == 0
    assert [n.data["week"] for n in _of(lifter, NotificationKind.WEEKLY_DIGEST)] == ["2026-W49"]
    # Week 52: back at 06:00 on Tuesday, the last hour of the day it may come late.
    assert week_start_notices(timestamp=NY_WEEK_START + 14 * 86400 + 23 * 3600) == 1
    assert [n.data["week"] for n in _of(lifter, NotificationKind.WEEKLY_DIGEST)] == ["2026-W49", "2026-W51"]


def test_someone_who_signed_up_after_their_week_began_gets_the_first_digest_the_monday_after():
    """The digest is about the week before: a lifter who joined once their week had begun (Monday
    00:00 in their zone) hears nothing about it, even in the catch-up hours; the Monday after, they
    do. (A worker that starts defers the latest hour: a sign-up on a Monday must not be told.)"""
    on_sunday = UserFactory(created_at=dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC))
    on_monday = UserFactory(created_at=dt.datetime(2026, 12, 7, 0, 30, tzinfo=dt.UTC))
    # 03:00 UTC on Monday is still Sunday 22:00 in New York: their week had not begun.
    new_yorker = UserFactory(created_at=dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC))
    services.preferences_update(user=new_yorker, unit="kg", time_zone=NEW_YORK)
    late_new_yorker = UserFactory(created_at=dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC))
    services.preferences_update(user=late_new_yorker, unit="kg", time_zone=NEW_YORK)

    assert week_start_notices(timestamp=_ts(2026, 12, 7, 11, 0)) == 1  # 11:00 UTC, 06:00 in New York
    assert [len(_of(user, NotificationKind.WEEKLY_DIGEST)) for user in (on_sunday, on_monday)] == [1, 0]
    assert week_start_notices(timestamp=NY_WEEK_START) == 1
    assert len(_of(new_yorker, NotificationKind.WEEKLY_DIGEST)) == 1
    assert _of(late_new_yorker, NotificationKind.WEEKLY_DIGEST) == []

    assert week_start_notices(timestamp=_ts(2026, 12, 14, 7, 0)) == 2  # a week on, in UTC
    assert week_start_notices(timestamp=NY_WEEK_START + 7 * 86400) == 2  # and in New York
    for user in (on_sunday, on_monday, new_yorker, late_new_yorker):
        assert _of(user, NotificationKind.WEEKLY_DIGEST)[-1].data["week"] == "2026-W50"


def test_week_start_records_are_pruned_after_three_weeks(lifter):
    from training.models import WeekStartRun

    week_start_notices(timestamp=NY_WEEK_START)
    assert list(WeekStartRun.objects.filter(user=lifter).values_list("week", flat=True)) == ["2026-W50"]
    week_start_notices(timestamp=NY_WEEK_START + 21 * 86400 - 13 * 3600)  # Sunday of week 52
    assert WeekStartRun.objects.filter(week="2026-W50").exists()
    week_start_notices(timestamp=NY_WEEK_START + 21 * 86400)  # Monday of week 53: three weeks on
    assert not WeekStartRun.objects.filter(week="2026-W50").exists()
    assert WeekStartRun.objects.filter(user=lifter, week="2026-W53").exists()


def test_below_mev_is_told_once_per_week_and_only_after_a_week_of_training(lifter):
    week_start_notices(timestamp=NY_WEEK_START)
    week_start_notices(timestamp=NY_WEEK_START)
    (notice,) = _of(lifter, NotificationKind.MUSCLE_BELOW_MEV)
    assert notice.title == "6 muscles got less than their minimum effective volume last week"
    assert "- Chest: 3 of MEV 6 (planned 3)" in notice.body
    assert "- Side delts: 3 of MEV 8 (planned 3)" in notice.body or "3 of MEV 8" in notice.body
    assert notice.data["week"] == "2026-W49"
    # Week 50: nothing logged. The digest says so; no per-muscle alarm for a week off.
    week_start_notices(timestamp=NY_WEEK_START + 7 * 86400)
    assert len(_of(lifter, NotificationKind.WEEKLY_DIGEST)) == 2
    assert len(_of(lifter, NotificationKind.MUSCLE_BELOW_MEV)) == 1


def test_opting_out_of_one_kind_keeps_the_other(lifter, django_capture_on_commit_callbacks):
    for channel in Channel.values:
        notification_services.preference_set(
            user=lifter, kind=NotificationKind.WEEKLY_DIGEST, channel=channel, enabled=False
        )
    with django_capture_on_commit_callbacks(execute=True):
        week_start_notices(timestamp=NY_WEEK_START)
    assert _of(lifter, NotificationKind.WEEKLY_DIGEST) == []
    assert len(_of(lifter, NotificationKind.MUSCLE_BELOW_MEV)) == 1
    assert mail.outbox == []  # below-MEV notices are in-app unless chosen


def test_people_without_training_preferences_get_it_at_seven_utc_and_nobody_twice(
    django_capture_on_commit_callbacks,
):
    keen, done = UserFactory(created_at=JOINED), UserFactory(created_at=JOINED)
    for kind in (NotificationKind.WEEKLY_DIGEST, NotificationKind.MUSCLE_BELOW_MEV):
        for channel in Channel.values:
            notification_services.preference_set(user=done, kind=kind, channel=channel, enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        week_start_notices(timestamp=_ts(2026, 12, 7, 7, 0))
        week_start_notices(timestamp=_ts(2026, 12, 7, 7, 0))
    (digest,) = _of(keen, NotificationKind.WEEKLY_DIGEST)
    assert "0 workout(s) logged. You have no current program" in digest.body
    assert _of(done, NotificationKind.WEEKLY_DIGEST) == []
    (email,) = mail.outbox  # the digest is emailed by default, with a one-click unsubscribe
    assert email.to == [keen.email] and "List-Unsubscribe" in email.extra_headers
    week_start_notices(timestamp=_ts(2026, 12, 14, 7, 0))
    assert len(_of(keen, NotificationKind.WEEKLY_DIGEST)) == 2


def test_an_owners_digest_names_the_members_needing_attention(gym, lifter):
    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    owner = UserFactory(organization=organization, role=Role.OWNER, created_at=JOINED)
    UserFactory(organization=organization, role=Role.MEMBER, full_name="Wanda Waiting", created_at=JOINED)
    type(lifter).objects.filter(pk=lifter.pk).update(organization=organization, role=Role.MEMBER)
    lifter.refresh_from_db()
    week_start_notices(timestamp=_ts(2026, 12, 7, 7, 0))  # the owner's Monday 07:00 (UTC)
    (digest,) = _of(owner, NotificationKind.WEEKLY_DIGEST)
    assert "Members needing attention (they may need you):" in digest.body
    assert "- Wanda Waiting: no program yet" in digest.body
    # The lifter's week 49 is read in their own time zone: Pull A skipped, muscles below MEV.
    name = lifter.full_name or lifter.email
    assert f"- {name}: skipped Pull A; below MEV: Chest" in digest.body


def test_a_real_worker_sends_the_records_notification_after_the_finish_commits(job_worker, gym):
    from django.db import connection

    now = dt.datetime.now(tz=dt.UTC)
    services.workout_finish(
        user=gym.user, workout=_workout(gym.user, now - dt.timedelta(days=2), sets=[(gym.bench, "80", 8)])
    )
    workout = _workout(gym.user, now - dt.timedelta(hours=1), sets=[(gym.bench, "100", 5)])
    services.workout_finish(user=gym.user, workout=workout)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, args->>'workout_id' FROM procrastinate_jobs WHERE status = 'todo' ORDER BY id"
        )
        queued = cursor.fetchall()
    assert ("training.notify_workout_records", str(workout.pk)) in queued
    assert _of(gym.user, NotificationKind.PERSONAL_RECORD) == []  # the request did not wait for it
    job_worker.run_until_idle()
    (record,) = _of(gym.user, NotificationKind.PERSONAL_RECORD)
    assert "100 kg × 5" in record.body


def test_the_hourly_job_splits_the_lifters_into_batch_jobs_a_real_worker_runs(job_worker, monkeypatch):
    from django.db import connection

    from hypertroq.jobs import MalformedJob
    from training import tasks

    monkeypatch.setattr(tasks, "BATCH", 1)
    first, second = UserFactory(created_at=JOINED), UserFactory(created_at=JOINED)
    assert week_start_notices(timestamp=_ts(2026, 12, 7, 7, 0)) == 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'training.week_start_batch'"
        )
        assert cursor.fetchone()[0] == 2
    job_worker.run_until_idle(queues=["periodic"])
    assert len(_of(first, NotificationKind.WEEKLY_DIGEST)) == 1
    assert len(_of(second, NotificationKind.WEEKLY_DIGEST)) == 1
    with pytest.raises(MalformedJob):
        tasks.week_start_batch(timestamp=_ts(2026, 12, 7, 7, 0), user_ids=[str(first.pk), str(second.pk)])
    with pytest.raises(MalformedJob):
        tasks.week_start_batch(timestamp=_ts(2026, 12, 7, 7, 0), user_ids=["not-a-uuid"])
