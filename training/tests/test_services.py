"""The workout services: starting from a plan, logging sets once, changing exercises for one
workout only, deleting with undo, finishing, records, preferences."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import OrganizationStatus
from accounts.preferences import UserPreferences
from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs.models import SessionExercise
from programs.tests.factories import TrainingProgramFactory
from training import services
from training.models import ExerciseOrigin, SetLog, TrainingPreferences, WorkoutExercise, WorkoutLog

pytestmark = pytest.mark.django_db


def log(user, workout, exercise, weight="80", reps=10, rir="2", set_type="WORKING", client_id=None, **extra):
    return services.set_log(
        user=user,
        workout=workout,
        exercise_id=exercise.pk,
        weight_kg=Decimal(weight),
        reps=reps,
        rir=Decimal(rir) if rir is not None else None,
        set_type=set_type,
        client_id=client_id or uuid.uuid4(),
        **extra,
    )


# --- starting ---------------------------------------------------------------------------------------


def test_starting_a_session_copies_its_plan_and_names(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    assert (workout.program_id, workout.session_id) == (gym.program.pk, gym.push.pk)
    assert (workout.program_name, workout.session_name) == ("PPL", "Push A")
    entries = list(workout.exercises.order_by("order_index"))
    assert [(e.exercise_id, e.planned_sets, e.planned_reps, e.rest_seconds) for e in entries] == [
        (gym.bench.pk, 3, "8-12", 120),
        (gym.raise_.pk, 3, "12-15", 60),
    ]
    assert entries[0].planned_notes == "Pause on the chest"
    assert all(e.origin == ExerciseOrigin.PLANNED for e in entries)


def test_an_empty_workout_has_no_exercises(gym):
    workout = services.workout_start(user=gym.user)
    assert workout.session_id is None and workout.title == "Workout"
    assert not workout.exercises.exists()


def test_nobody_starts_another_lifters_session(gym):
    with pytest.raises(ValidationError):
        services.workout_start(user=UserFactory(), session=gym.push)
    assert not WorkoutLog.objects.exists()


def test_a_suspended_organization_cannot_log(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    gym.user.organization.subscription_status = OrganizationStatus.SUSPENDED
    gym.user.organization.save()
    with pytest.raises(ValidationError):
        log(gym.user, workout, gym.bench)
    assert not SetLog.objects.exists()


# --- logging sets -----------------------------------------------------------------------------------


def test_the_same_client_id_sent_again_changes_nothing(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    client_id = uuid.uuid4()
    first = log(gym.user, workout, gym.bench, client_id=client_id)
    again = log(gym.user, workout, gym.bench, weight="100", reps=3, client_id=client_id)
    assert first.created and not again.created
    assert again.set_log.pk == first.set_log.pk
    stored = SetLog.objects.get()
    assert (stored.weight_kg, stored.reps, stored.rir) == (Decimal("80.00"), 10, Decimal("2.0"))


def test_a_deleted_set_stays_deleted_when_resent(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    client_id = uuid.uuid4()
    logged = log(gym.user, workout, gym.bench, client_id=client_id)
    services.set_delete(user=gym.user, set_log=logged.set_log)
    log(gym.user, workout, gym.bench, client_id=client_id)
    assert not SetLog.objects.exists()
    assert SetLog.all_objects.count() == 1


def test_another_lifters_client_id_is_refused_without_touching_their_set(gym):
    mine = services.workout_start(user=gym.user, session=gym.push)
    client_id = uuid.uuid4()
    log(gym.user, mine, gym.bench, client_id=client_id)
    other = UserFactory()
    theirs = services.workout_start(user=other)
    with pytest.raises(ValidationError):
        log(other, theirs, gym.bench, weight="5", client_id=client_id)
    assert SetLog.objects.get().workout_log_id == mine.pk


def test_sets_are_numbered_in_the_order_they_arrive(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    for reps in (12, 10, 8):
        log(gym.user, workout, gym.bench, reps=reps)
    assert list(SetLog.objects.order_by("order_index").values_list("order_index", "reps")) == [
        (0, 12),
        (1, 10),
        (2, 8),
    ]


def test_logging_an_exercise_not_in_the_workout_adds_it_there_not_to_the_program(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    logged = log(gym.user, workout, gym.row)
    entry = logged.set_log.workout_exercise
    assert entry.origin == ExerciseOrigin.ADDED and entry.exercise_id == gym.row.pk and entry.order_index == 2
    assert not SessionExercise.objects.filter(session=gym.push, exercise=gym.row).exists()


def test_another_lifters_custom_exercise_cannot_be_logged(gym):
    workout = services.workout_start(user=gym.user)
    custom = ExerciseFactory(is_global=False, created_by=UserFactory(), name="Secret press")
    with pytest.raises(ValidationError):
        log(gym.user, workout, custom)
    assert not SetLog.objects.exists() and not workout.exercises.exists()


def test_an_offline_set_keeps_the_time_it_was_logged_within_reason(gym):
    workout = services.workout_start(user=gym.user, started_at=timezone.now() - dt.timedelta(minutes=30))
    earlier = timezone.now() - dt.timedelta(minutes=10)
    assert log(gym.user, workout, gym.bench, logged_at=earlier).set_log.logged_at == earlier
    far_future = timezone.now() + dt.timedelta(days=2)
    assert log(gym.user, workout, gym.bench, logged_at=far_future).set_log.logged_at < far_future


def test_impossible_sets_are_refused_before_the_database(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    with pytest.raises(ValidationError) as caught:
        log(gym.user, workout, gym.bench, reps=101, rir="1.3")
    assert set(caught.value.message_dict) == {"reps", "rir"}


# --- records ----------------------------------------------------------------------------------------


def test_the_first_workout_sets_no_records_and_a_later_better_set_does(gym):
    first = services.workout_start(user=gym.user, started_at=timezone.now() - dt.timedelta(days=3))
    assert log(gym.user, first, gym.bench, weight="80", reps=8).records == []  # e1RM 106.7 (r = 10)
    assert log(gym.user, first, gym.bench, weight="85", reps=8).records == []  # still the baseline
    services.workout_finish(user=gym.user, workout=first)
    second = services.workout_start(user=gym.user)
    assert log(gym.user, second, gym.bench, weight="100", reps=10, set_type="WARMUP").records == []
    assert log(gym.user, second, gym.bench, weight="80", reps=7).records == []
    # 87.5 x 8 @ RIR 2: e1RM 116.7 > 113.3, 8 reps at 87.5 kg or more (none before), volume 700 > 680.
    assert set(log(gym.user, second, gym.bench, weight="87.5", reps=8).records) == {"e1rm", "reps", "volume"}
    # 70 kg x 14: no estimate (over 10 reps), but the most reps at 70 kg or more and the best volume.
    assert set(log(gym.user, second, gym.bench, weight="70", reps=14, rir=None).records) == {"reps", "volume"}


# --- exercises of a workout -------------------------------------------------------------------------


def test_swapping_changes_this_workout_only_and_can_be_undone(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    entry = workout.exercises.get(exercise=gym.bench)
    services.workout_exercise_swap(user=gym.user, entry=entry, exercise=gym.dumbbell_press)
    entry.refresh_from_db()
    assert (entry.exercise_id, entry.swapped_from_id) == (gym.dumbbell_press.pk, gym.bench.pk)
    assert SessionExercise.objects.filter(session=gym.push, exercise=gym.bench).exists()
    services.workout_exercise_swap(user=gym.user, entry=entry, exercise=gym.bench)
    entry.refresh_from_db()
    assert (entry.exercise_id, entry.swapped_from_id) == (gym.bench.pk, None)


def test_an_exercise_with_logged_sets_cannot_be_swapped(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    log(gym.user, workout, gym.bench)
    entry = workout.exercises.get(exercise=gym.bench)
    with pytest.raises(ValidationError):
        services.workout_exercise_swap(user=gym.user, entry=entry, exercise=gym.dumbbell_press)


def test_skipping_and_taking_it_back(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    entry = workout.exercises.get(exercise=gym.raise_)
    services.workout_exercise_skip(user=gym.user, entry=entry, skipped=True)
    assert WorkoutExercise.objects.get(pk=entry.pk).skipped
    services.workout_exercise_skip(user=gym.user, entry=entry, skipped=False)
    assert not WorkoutExercise.objects.get(pk=entry.pk).skipped
    assert SessionExercise.objects.filter(session=gym.push).count() == 2


# --- edit, delete, undo, finish ---------------------------------------------------------------------


def test_edit_delete_and_undo_a_set(gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    row = log(gym.user, workout, gym.bench).set_log
    services.set_update(
        user=gym.user,
        set_log=row,
        weight_kg=Decimal("82.5"),
        reps=8,
        rir=None,
        set_type="FAILURE",
        note=" grindy ",
    )
    row.refresh_from_db()
    assert (row.weight_kg, row.reps, row.rir, row.set_type, row.note) == (
        Decimal("82.50"),
        8,
        None,
        "FAILURE",
        "grindy",
    )
    services.set_delete(user=gym.user, set_log=row)
    assert not SetLog.objects.exists()
    services.set_restore(user=gym.user, set_log=row)
    assert SetLog.objects.get().order_index == row.order_index


def test_finishing_twice_keeps_the_first_time_and_never_before_the_start(gym):
    started = timezone.now() + dt.timedelta(minutes=1)  # a phone clock a little ahead
    workout = services.workout_start(user=gym.user, started_at=started)
    services.workout_finish(user=gym.user, workout=workout)
    finished = WorkoutLog.objects.get().finished_at
    assert finished >= started
    services.workout_finish(user=gym.user, workout=workout, finished_at=started + dt.timedelta(hours=2))
    assert WorkoutLog.objects.get().finished_at == finished


def test_a_workout_left_open_ends_at_its_last_set_not_at_the_late_tap(gym, django_assert_num_queries):
    now = timezone.now()
    # Trained last evening for 50 minutes, tapped Finish this morning.
    workout = services.workout_start(user=gym.user, started_at=now - dt.timedelta(hours=14))
    for minutes in (10, 30, 50):
        row = log(gym.user, workout, gym.bench).set_log
        SetLog.objects.filter(pk=row.pk).update(logged_at=workout.started_at + dt.timedelta(minutes=minutes))
    deleted = log(gym.user, workout, gym.bench).set_log  # logged and deleted this morning: not a set
    services.set_delete(user=gym.user, set_log=deleted)
    with django_assert_num_queries(4):  # its last set's time; SAVEPOINT, UPDATE, RELEASE
        services.workout_finish(user=gym.user, workout=workout)
    assert WorkoutLog.objects.get(pk=workout.pk).finished_at == workout.started_at + dt.timedelta(minutes=50)


def test_a_long_workout_still_going_ends_at_the_tap(gym):
    now = timezone.now()
    workout = services.workout_start(user=gym.user, started_at=now - dt.timedelta(hours=4))
    row = log(gym.user, workout, gym.bench).set_log
    SetLog.objects.filter(pk=row.pk).update(logged_at=now - dt.timedelta(minutes=20))
    services.workout_finish(user=gym.user, workout=workout)
    assert WorkoutLog.objects.get(pk=workout.pk).finished_at >= now


def test_an_empty_workout_left_open_ends_where_it_started_and_a_given_end_is_kept(gym):
    started = timezone.now() - dt.timedelta(hours=5)
    empty = services.workout_start(user=gym.user, started_at=started)
    services.workout_finish(user=gym.user, workout=empty)
    assert WorkoutLog.objects.get(pk=empty.pk).finished_at == started
    # An end the caller gives (an import, a test) is taken as it is.
    given = services.workout_start(user=gym.user, started_at=started)
    services.workout_finish(user=gym.user, workout=given, finished_at=started + dt.timedelta(hours=4))
    assert WorkoutLog.objects.get(pk=given.pk).finished_at == started + dt.timedelta(hours=4)


def test_notes_and_body_weight(gym):
    workout = services.workout_start(user=gym.user)
    services.workout_update(
        user=gym.user, workout=workout, notes=" Felt strong ", body_weight_kg=Decimal("81.4")
    )
    workout.refresh_from_db()
    assert (workout.notes, workout.body_weight_kg) == ("Felt strong", Decimal("81.40"))


# --- preferences ------------------------------------------------------------------------------------


def test_switching_to_pounds_takes_the_pound_defaults(gym):
    services.preferences_update(user=gym.user, unit="kg")
    prefs = services.preferences_update(
        user=gym.user, unit="lb", display_increment=Decimal("0.5"), bar_weight=Decimal("20"), plates=None
    )
    prefs.refresh_from_db()
    assert (prefs.unit, prefs.display_increment, prefs.bar_weight) == (
        "lb",
        Decimal("1.00"),
        Decimal("45.00"),
    )
    assert prefs.plates == [Decimal(p) for p in ("45", "35", "25", "10", "5", "2.5")]


def test_the_counting_rule_is_the_one_of_the_program_pages(gym):
    services.preferences_update(user=gym.user, unit="kg", counting="direct", current_program=gym.program)
    assert UserPreferences.objects.get(user=gym.user).counting == "direct"
    assert TrainingPreferences.objects.get(user=gym.user).current_program_id == gym.program.pk


def test_the_current_program_must_be_ones_own(gym):
    with pytest.raises(ValidationError) as caught:
        services.preferences_update(user=gym.user, unit="kg", current_program=TrainingProgramFactory())
    assert "current_program" in caught.value.message_dict


def test_the_browsers_time_zone_is_remembered_only_when_none_was_chosen(gym):
    services.preferences_time_zone_default(user=gym.user, time_zone="Europe/Berlin")
    services.preferences_time_zone_default(user=gym.user, time_zone="America/New_York")
    services.preferences_time_zone_default(user=gym.user, time_zone="Not/AZone")
    assert UserPreferences.objects.get(user=gym.user).time_zone == "Europe/Berlin"
