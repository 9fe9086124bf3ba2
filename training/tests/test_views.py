"""The workout flow over HTTP: the interface of issue 14, what the lifter sees, query budgets."""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.preferences import UserPreferences
from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs.models import StructureType
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory
from training import services
from training.models import SetLog, TrainingPreferences, WorkoutExercise, WorkoutLog

pytestmark = pytest.mark.django_db


def workout_url(workout, name="workout"):
    return reverse(f"training:{name}", kwargs={"workout_id": workout.pk})


def set_data(exercise, weight="80", reps="10", rir="2", set_type="WORKING", client_id=None):
    return {
        "exercise": str(exercise.pk),
        "weight": weight,
        "reps": reps,
        "rir": rir,
        "set_type": set_type,
        "client_id": str(client_id or uuid.uuid4()),
    }


def past_workout(user, exercise, days_ago, sets, session=None):
    """A finished workout ``days_ago`` with ``sets`` = [(kg, reps, rir), ...] of ``exercise``."""
    started = timezone.now() - dt.timedelta(days=days_ago)
    workout = services.workout_start(user=user, session=session, started_at=started)
    for weight, reps, rir in sets:
        services.set_log(
            user=user,
            workout=workout,
            exercise_id=exercise.pk,
            weight_kg=Decimal(weight),
            reps=reps,
            rir=Decimal(rir) if rir is not None else None,
            set_type="WORKING",
            client_id=uuid.uuid4(),
            logged_at=started + dt.timedelta(minutes=5),
        )
    services.workout_finish(user=user, workout=workout, finished_at=started + dt.timedelta(hours=1))
    return workout


# --- start ------------------------------------------------------------------------------------------


def test_start_from_a_session_redirects_to_the_workout_page(client, gym):
    client.force_login(gym.user)
    response = client.post(reverse("training:start"), {"session": str(gym.push.pk), "tz": "Europe/Berlin"})
    workout = WorkoutLog.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/training/{workout.pk}/"
    assert workout.session_id == gym.push.pk
    assert UserPreferences.objects.get(user=gym.user).time_zone == "Europe/Berlin"


def test_start_with_an_empty_session_starts_an_empty_workout(client, gym):
    client.force_login(gym.user)
    response = client.post(reverse("training:start"), {"session": ""})
    workout = WorkoutLog.objects.get()
    assert response["Location"] == f"/training/{workout.pk}/" and workout.session_id is None


def test_start_with_another_lifters_session_is_a_404(client, gym):
    client.force_login(UserFactory())
    assert client.post(reverse("training:start"), {"session": str(gym.push.pk)}).status_code == 404
    assert not WorkoutLog.objects.exists()


def test_the_start_page_lists_the_programs_sessions(client, gym):
    client.force_login(gym.user)
    page = client.get(reverse("training:start")).content.decode()
    assert "Push A" in page and "Pull A" in page and "Start an empty workout" in page


# --- log a set ----------------------------------------------------------------------------------------


def test_log_a_set_then_resend_it_changes_nothing(client, gym):
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user, session=gym.push)
    data = set_data(gym.bench)
    first = client.post(workout_url(workout, "set_create"), data, headers={"HX-Request": "true"})
    assert first.status_code == 201
    assert "80 kg × 10 @ RIR 2" in first.content.decode()
    again = client.post(
        workout_url(workout, "set_create"), {**data, "weight": "120"}, headers={"HX-Request": "true"}
    )
    assert again.status_code == 200
    plain = client.post(workout_url(workout, "set_create"), data)
    assert plain.status_code == 302
    stored = SetLog.objects.get()
    assert (stored.weight_kg, stored.reps, stored.rir, str(stored.client_id)) == (
        Decimal("80.00"),
        10,
        Decimal("2.0"),
        data["client_id"],
    )


def test_a_plain_form_post_redirects_back_to_the_exercise(client, gym):
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user, session=gym.push)
    entry = workout.exercises.get(exercise=gym.bench)
    response = client.post(workout_url(workout, "set_create"), set_data(gym.bench, rir=""))
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entry.pk}")
    assert SetLog.objects.get().rir is None


def test_weights_are_entered_in_pounds_and_stored_in_kilograms(client, gym):
    UserPreferences.objects.create(user=gym.user, unit="lb", display_increment=Decimal("1"))
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user, session=gym.push)
    response = client.post(
        workout_url(workout, "set_create"),
        set_data(gym.bench, weight="225.4"),
        headers={"HX-Request": "true"},
    )
    assert SetLog.objects.get().weight_kg == Decimal("102.06")  # 225 lb (rounded to 1 lb)
    assert "225 lb × 10" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reps", "101"),
        ("reps", "-1"),
        ("rir", "1.3"),
        ("rir", "6"),
        ("weight", "1000.5"),
        ("set_type", "CLUSTER"),
        ("client_id", "not-a-uuid"),
        ("exercise", ""),
    ],
)
def test_an_impossible_set_is_refused_and_nothing_is_stored(client, gym, field, value):
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user, session=gym.push)
    data = {**set_data(gym.bench), field: value}
    assert (
        client.post(workout_url(workout, "set_create"), data, headers={"HX-Request": "true"}).status_code
        == 422
    )
    response = client.post(workout_url(workout, "set_create"), data, follow=True)
    assert response.status_code == 200  # back on the workout page, with the error said
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not SetLog.objects.exists()


def test_a_weight_above_1000_kg_in_pounds_is_refused(client, gym):
    UserPreferences.objects.create(user=gym.user, unit="lb", display_increment=Decimal("1"))
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user)
    data = set_data(gym.bench, weight="2210")
    assert (
        client.post(workout_url(workout, "set_create"), data, headers={"HX-Request": "true"}).status_code
        == 422
    )


def test_someone_elses_workout_is_a_404_for_every_step(client, gym):
    workout = services.workout_start(user=gym.user, session=gym.push)
    client.force_login(UserFactory())
    assert client.get(workout_url(workout)).status_code == 404
    assert client.post(workout_url(workout, "set_create"), set_data(gym.bench)).status_code == 404
    assert client.post(workout_url(workout, "finish")).status_code == 404
    assert not SetLog.objects.exists() and WorkoutLog.objects.get().finished_at is None


# --- the workout page ---------------------------------------------------------------------------------


def test_the_page_shows_the_plan_last_time_and_the_suggestion(client, gym):
    past_workout(
        gym.user, gym.bench, 7, [("80", 12, "2"), ("80", 12, "1"), ("80", 12, "2")], session=gym.push
    )
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user, session=gym.push)
    page = client.get(workout_url(workout)).content.decode()
    assert "3 × 8-12 · rest 2:00" in page and "Pause on the chest" in page
    assert "3 × 12-15 · rest 1:00" in page
    assert re.search(r"Last time \([^)]*\): 80 kg × 12 @ RIR 2", page)
    assert "Suggestion: 82.5 kg × 8." in page
    assert "All 3 sets reached 12 at RIR 1–2" in page
    # Prefilled from last time; the suggestion fills the form when accepted.
    assert (
        'name="weight" type="number" inputmode="decimal" min="0" step="0.5" required\n                     value="80"'
        in page
    )
    accepted = client.get(workout_url(workout) + f"?accept={workout.exercises.get(exercise=gym.bench).pk}")
    assert (
        'value="82.5"' in accepted.content.decode()
        and "Filled in from the suggestion." in accepted.content.decode()
    )
    # Barbell: plates for the prefilled load with the default 20 kg bar.
    assert "Per side: 25 + 5 on the 20 kg bar." in page


def test_after_a_set_the_next_one_is_prefilled_from_it_and_the_rest_end_is_shown(client, gym):
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user, session=gym.push)
    client.post(workout_url(workout, "set_create"), set_data(gym.bench, weight="72.5", reps="9", rir="1"))
    page = client.get(workout_url(workout)).content.decode()
    assert "72.5 kg × 9 @ RIR 1" in page
    assert 'value="72.5"' in page and "Filled in from your last set." in page
    assert re.search(r"Rest</span>\s*<span class=\"rest-remaining\">until \d\d:\d\d:\d\d", page)
    assert "(120 s after your last set of Barbell bench press)" in page


def test_skip_swap_and_add_from_the_page(client, gym):
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user, session=gym.push)
    bench = workout.exercises.get(exercise=gym.bench)
    swap_page = client.get(
        reverse("training:exercise_swap", kwargs={"workout_id": workout.pk, "entry_id": bench.pk})
    )
    assert "Dumbbell bench press" in swap_page.content.decode()
    client.post(
        reverse("training:exercise_swap", kwargs={"workout_id": workout.pk, "entry_id": bench.pk}),
        {"exercise": str(gym.dumbbell_press.pk)},
    )
    raise_ = workout.exercises.get(exercise=gym.raise_)
    client.post(reverse("training:exercise_skip", kwargs={"workout_id": workout.pk, "entry_id": raise_.pk}))
    client.post(workout_url(workout, "exercise_add"), {"exercise": str(gym.row.pk)})
    page = client.get(workout_url(workout)).content.decode()
    assert (
        "instead of Barbell bench press" in page
        and "<strong>skipped</strong>" in page
        and "Barbell row" in page
    )
    assert [
        e.exercise_id for e in WorkoutExercise.objects.filter(workout_log=workout).order_by("order_index")
    ] == [
        gym.dumbbell_press.pk,
        gym.raise_.pk,
        gym.row.pk,
    ]


def test_delete_a_set_and_undo(client, gym):
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user, session=gym.push)
    client.post(workout_url(workout, "set_create"), set_data(gym.bench))
    row = SetLog.objects.get()
    kwargs = {"workout_id": workout.pk, "set_id": row.pk}
    response = client.post(reverse("training:set_delete", kwargs=kwargs), follow=True)
    assert "Set deleted." in response.content.decode() and not SetLog.objects.exists()
    client.post(reverse("training:set_restore", kwargs=kwargs))
    assert SetLog.objects.get().pk == row.pk


def test_edit_a_set(client, gym):
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user, session=gym.push)
    client.post(workout_url(workout, "set_create"), set_data(gym.bench))
    row = SetLog.objects.get()
    url = reverse("training:set_edit", kwargs={"workout_id": workout.pk, "set_id": row.pk})
    assert 'value="80"' in client.get(url).content.decode()
    client.post(
        url, {"weight": "77.5", "reps": "11", "rir": "", "set_type": "DROP", "side": "LEFT", "note": "slow"}
    )
    row.refresh_from_db()
    assert (row.weight_kg, row.reps, row.rir, row.set_type, row.side, row.note) == (
        Decimal("77.50"),
        11,
        None,
        "DROP",
        "LEFT",
        "slow",
    )


def test_notes_and_body_weight_in_the_lifters_unit(client, gym):
    UserPreferences.objects.create(user=gym.user, unit="lb", display_increment=Decimal("1"))
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user)
    client.post(workout_url(workout, "notes"), {"notes": "Gym was packed", "body_weight": "180"})
    workout.refresh_from_db()
    assert workout.notes == "Gym was packed" and workout.body_weight_kg == Decimal("81.65")
    assert 'value="180"' in client.get(workout_url(workout)).content.decode()


# --- finish and summary -----------------------------------------------------------------------------


def test_finish_shows_the_summary(client, gym):
    past_workout(gym.user, gym.bench, 7, [("80", 8, "2")])
    client.force_login(gym.user)
    workout = services.workout_start(
        user=gym.user, session=gym.push, started_at=timezone.now() - dt.timedelta(minutes=62)
    )
    for data in (
        set_data(gym.bench, weight="60", reps="10", rir="", set_type="WARMUP"),
        set_data(gym.bench, weight="85", reps="8", rir="2"),
        set_data(gym.bench, weight="85", reps="8", rir=""),
        set_data(gym.bench, weight="85", reps="6", rir="5"),
        set_data(gym.raise_, weight="10", reps="15", rir="1", set_type="FAILURE"),
    ):
        client.post(workout_url(workout, "set_create"), data)
    response = client.post(workout_url(workout, "finish"), follow=True)
    page = response.content.decode()
    assert "Workout summary" in page
    assert re.search(r"<dt>Duration</dt><dd>1 h 0[23] min</dd>", page)
    assert "1 warm-up, 3 working, 1 to failure" in page
    assert "2020 kg" in page  # 85x8 + 85x8 + 85x6 + 10x15, warm-up left out
    assert '<dt>Hard sets</dt><dd>3 <span class="muted">(1 without RIR, counted as hard)</span>' in page
    # Fractional by default: 2 hard bench sets -> chest 2, triceps 1, front delts 1; raise -> side delts 1.
    assert re.search(r"<td>Chest</td><td>2</td>", page)
    assert re.search(r"<td>Triceps</td><td>1</td>", page)
    assert re.search(r"<td>Side delts</td><td>1</td>", page)
    assert "Barbell bench press</strong>: 85 kg × 8 @ RIR 2 — Best estimated 1RM" in page
    assert WorkoutLog.objects.get(pk=workout.pk).finished_at is not None


def test_finishing_a_workout_left_open_says_it_ends_at_the_last_set(client, gym):
    services.preferences_update(user=gym.user, unit="kg", time_zone="Europe/Berlin")
    client.force_login(gym.user)
    started = timezone.now() - dt.timedelta(hours=15)
    workout = services.workout_start(user=gym.user, session=gym.push, started_at=started)
    client.post(workout_url(workout, "set_create"), set_data(gym.bench, weight="85", reps="8", rir="2"))
    last = started + dt.timedelta(minutes=47)
    SetLog.objects.filter(workout_log=workout).update(logged_at=last)
    page = client.post(workout_url(workout, "finish"), follow=True).content.decode()
    local = last.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    assert (
        f"This workout was left open, so it ends at its last set: {local:%a} {local.day} {local:%b, %H:%M}."
        in page
    )
    assert re.search(r"<dt>Duration</dt><dd>47 min</dd>", page)
    # Finish sent again (a resend, the back button): it was finished already, nothing is said.
    page = client.post(workout_url(workout, "finish"), follow=True).content.decode()
    assert "left open" not in page
    # Finished on time: no such word.
    fresh = services.workout_start(user=gym.user, started_at=timezone.now() - dt.timedelta(minutes=40))
    page = client.post(workout_url(fresh, "finish"), follow=True).content.decode()
    assert "left open" not in page


def test_a_finished_workout_can_be_resumed(client, gym):
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user)
    client.post(workout_url(workout, "finish"))
    client.post(workout_url(workout, "resume"))
    assert WorkoutLog.objects.get().finished_at is None


# --- query budgets (two sizes each) -----------------------------------------------------------------


def big_history(user, exercises, workouts=40, sets_per_exercise=4):
    """``workouts`` finished workouts of the given exercises, written in bulk."""
    now = timezone.now()
    logs = WorkoutLog.objects.bulk_create(
        WorkoutLog(
            user=user,
            session_name=f"Old {i}",
            started_at=now - dt.timedelta(days=2 + i),
            finished_at=now - dt.timedelta(days=2 + i) + dt.timedelta(hours=1),
        )
        for i in range(workouts)
    )
    SetLog.objects.bulk_create(
        SetLog(
            workout_log=w,
            exercise=e,
            weight_kg=Decimal("60") + i % 7,
            reps=8 + i % 4,
            rir=Decimal("2"),
            set_type="WORKING",
            client_id=uuid.uuid4(),
            order_index=n,
            logged_at=w.started_at,
        )
        for i, w in enumerate(logs)
        for n, e in enumerate([e for e in exercises for _ in range(sets_per_exercise)])
    )


def bigger_session(gym, count=8):
    session = WorkoutSessionFactory(program=gym.program, name="Everything", day_of_week=5)
    exercises = [gym.bench, gym.raise_, gym.row, gym.dumbbell_press] + [
        ExerciseFactory(name=f"Extra {i}") for i in range(count - 4)
    ]
    for i, exercise in enumerate(exercises):
        SessionExerciseFactory(session=session, exercise=exercise, order_index=i, sets=4, reps="8-12")
    return session, exercises


@pytest.mark.parametrize("size", ["small", "large"])
def test_logging_a_set_takes_six_queries_at_any_size(client, gym, django_assert_num_queries, size):
    client.force_login(gym.user)
    if size == "small":
        workout = services.workout_start(user=gym.user, session=gym.push)
    else:
        session, exercises = bigger_session(gym)
        big_history(gym.user, exercises)
        workout = services.workout_start(user=gym.user, session=session)
        for i in range(30):
            client.post(workout_url(workout, "set_create"), set_data(exercises[i % 8]))
    data = set_data(gym.bench)
    with django_assert_num_queries(6):
        response = client.post(workout_url(workout, "set_create"), data, headers={"HX-Request": "true"})
    assert response.status_code == 201
    with django_assert_num_queries(6):  # a resend costs the same
        assert (
            client.post(workout_url(workout, "set_create"), data, headers={"HX-Request": "true"}).status_code
            == 200
        )


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_workout_page_takes_seven_queries_at_any_size(client, gym, django_assert_num_queries, size):
    client.force_login(gym.user)
    if size == "small":
        workout = services.workout_start(user=gym.user, session=gym.push)
    else:
        session, exercises = bigger_session(gym)
        big_history(gym.user, exercises)
        workout = services.workout_start(user=gym.user, session=session)
        for i in range(30):
            client.post(workout_url(workout, "set_create"), set_data(exercises[i % 8]))
    # Session, user, workout with preferences, its exercises, its sets, the last two workouts of
    # each exercise, and the notification bell's unread count (base.html): 7 of the budget's 8.
    with django_assert_num_queries(7):
        response = client.get(workout_url(workout))
    assert response.status_code == 200
    if size == "large":
        assert response.content.decode().count('class="set-row') == 30
        assert response.content.decode().count("Last time (") == 8
    client.post(workout_url(workout, "set_create"), set_data(gym.bench))
    client.post(workout_url(workout, "finish"))
    with django_assert_num_queries(7):  # the finished page: summary and records instead of history
        assert client.get(workout_url(workout)).status_code == 200


# --- dashboard "Today" card ---------------------------------------------------------------------------


def _dashboard(client):
    return client.get(reverse("accounts:dashboard")).content.decode()


def test_today_card_shows_the_weekday_session_of_the_current_program(client, gym, monkeypatch):
    TrainingPreferences.objects.create(user=gym.user, current_program=gym.program)
    UserPreferences.objects.create(user=gym.user, time_zone="UTC")
    monday = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("training.templatetags.training_tags.timezone.now", lambda: monday)
    client.force_login(gym.user)
    page = _dashboard(client)
    assert "Today: Push A" in page and "Start Push A" in page
    tuesday = monday + dt.timedelta(days=1)
    monkeypatch.setattr("training.templatetags.training_tags.timezone.now", lambda: tuesday)
    assert "Next: Pull A" in _dashboard(client) and "next is Thursday" in _dashboard(client)


def test_today_card_uses_the_lifters_time_zone(client, gym, monkeypatch):
    TrainingPreferences.objects.create(user=gym.user, current_program=gym.program)
    UserPreferences.objects.create(user=gym.user, time_zone="Pacific/Auckland")
    # Sunday 20:00 UTC is already Monday in Auckland.
    sunday_evening = dt.datetime(2026, 12, 6, 20, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("training.templatetags.training_tags.timezone.now", lambda: sunday_evening)
    client.force_login(gym.user)
    assert "Today: Push A" in _dashboard(client)


def test_today_card_of_a_rotation_is_the_session_after_the_last_one_done(client, gym):
    program = TrainingProgramFactory(
        user=gym.user, name="Rotation", structure_type=StructureType.CYCLIC, frequency=3
    )
    upper = WorkoutSessionFactory(program=program, name="Upper", order_index=0)
    lower = WorkoutSessionFactory(program=program, name="Lower", order_index=1)
    TrainingPreferences.objects.create(user=gym.user, current_program=program)
    client.force_login(gym.user)
    assert "Today: Upper" in _dashboard(client)
    past_workout(gym.user, gym.bench, 2, [], session=upper)
    assert "Today: Lower" in _dashboard(client)
    past_workout(gym.user, gym.bench, 1, [], session=lower)
    assert "Today: Upper" in _dashboard(client)


def test_today_card_offers_to_resume_an_open_workout_and_asks_for_a_program(client, gym):
    client.force_login(gym.user)
    assert "Follow PPL" in _dashboard(client)
    workout = services.workout_start(user=gym.user, session=gym.pull)
    page = _dashboard(client)
    assert "In progress: Pull A" in page and workout_url(workout) in page


# --- preferences and plates -------------------------------------------------------------------------


def test_preferences_page_saves(client, gym):
    client.force_login(gym.user)
    assert client.get(reverse("training:preferences"))["Location"] == "/preferences/#training"  # one page
    response = client.post(
        reverse("preferences:page"),
        {
            "section": "training",
            "week_start": "6",
            "default_rest_seconds": "90",
            "unit": "lb",
            "display_increment": "",
            "bar_weight": "",
            "plates": "45, 25, 10, 5, 2.5",
            "rir_threshold": "3",
            "time_zone": "Europe/Berlin",
            "current_program": str(gym.program.pk),
        },
    )
    assert response.status_code == 302
    prefs = UserPreferences.objects.get(user=gym.user)
    assert (prefs.week_start, prefs.default_rest_seconds) == (6, 90)
    assert TrainingPreferences.objects.get(user=gym.user).current_program_id == gym.program.pk
    assert (prefs.unit, prefs.bar_weight, prefs.rir_threshold, prefs.time_zone) == (
        "lb",
        Decimal("45.00"),
        Decimal("3.0"),
        "Europe/Berlin",
    )
    assert prefs.plates == [Decimal(p) for p in ("45", "25", "10", "5", "2.5")]
    page = client.get(reverse("preferences:page")).content.decode()
    assert 'value="45, 25, 10, 5, 2.5"' in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("plates", "25, heavy"),
        ("plates", "0, 5"),
        ("time_zone", "Mars/Base"),
        ("rir_threshold", "4.2"),
        ("week_start", "7"),
        ("default_rest_seconds", "901"),
    ],
)
def test_preferences_page_refuses_nonsense(client, gym, field, value):
    client.force_login(gym.user)
    data = {
        "section": "training",
        "unit": "kg",
        "rir_threshold": "4",
        "week_start": "0",
        "default_rest_seconds": "120",
        field: value,
    }
    assert client.post(reverse("preferences:page"), data).status_code == 400
    assert not TrainingPreferences.objects.filter(user=gym.user).exists()
    assert not UserPreferences.objects.filter(user=gym.user).exists()


def test_plate_calculator_uses_the_lifters_bar_and_plates(client, gym):
    client.force_login(gym.user)
    page = client.get(reverse("training:plates") + "?weight=102.5").content.decode()
    assert "Per side: 25 + 15 + 1.25 kg" in page
    services.preferences_update(
        user=gym.user, unit="kg", bar_weight=Decimal("15"), plates=[Decimal("20"), Decimal("5")]
    )
    page = client.get(reverse("training:plates") + "?weight=102.5").content.decode()
    assert "nearest lower load is 95 kg" in page


def test_the_rest_timer_of_an_exercise_without_a_planned_rest_is_the_lifters_default(client, gym):
    UserPreferences.objects.create(user=gym.user, default_rest_seconds=45)
    client.force_login(gym.user)
    workout = services.workout_start(user=gym.user)  # no session: nothing planned, no rest given
    client.post(workout_url(workout, "set_create"), set_data(gym.bench), headers={"HX-Request": "true"})
    page = client.get(workout_url(workout)).content.decode()
    assert 'data-rest="45"' in page and 'data-rest="120"' not in page


def test_a_program_is_followed_from_the_today_card(client, gym, monkeypatch):
    """A lifter who copied a template is asked, on the card, to follow it (one tap); then the
    card shows its session of the day."""
    from training.models import TrainingPreferences as Prefs

    UserPreferences.objects.create(user=gym.user, time_zone="UTC")
    monday = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("training.templatetags.training_tags.timezone.now", lambda: monday)
    client.force_login(gym.user)
    page = _dashboard(client)
    assert "Follow PPL" in page and f'name="program" value="{gym.program.pk}"' in page
    assert "Start a workout" in page and "Start another workout" not in page
    response = client.post(reverse("training:follow"), {"program": str(gym.program.pk)}, follow=True)
    assert response.redirect_chain == [(reverse("accounts:dashboard"), 302)]
    page = response.content.decode()
    assert "You follow “PPL” now" in page and "Today: Push A" in page and "Start Push A" in page
    assert Prefs.objects.get(user=gym.user).current_program_id == gym.program.pk


def test_with_several_programs_the_card_asks_which_and_refuses_anothers(client, gym):
    from programs.tests.factories import TrainingProgramFactory
    from training.models import TrainingPreferences as Prefs

    TrainingProgramFactory(user=gym.user, name="Upper/Lower")
    theirs = TrainingProgramFactory(name="Someone else's")
    client.force_login(gym.user)
    page = _dashboard(client)
    assert 'select id="follow-program" name="program"' in page
    assert ">PPL</option>" in page and ">Upper/Lower</option>" in page and "Someone else" not in page
    assert client.post(reverse("training:follow"), {"program": str(theirs.pk)}).status_code == 404
    response = client.post(reverse("training:follow"), {"program": "not-an-id"}, follow=True)
    assert "Choose one of your programs to follow." in response.content.decode()
    assert client.get(reverse("training:follow")).status_code == 405
    assert not Prefs.objects.filter(user=gym.user, current_program__isnull=False).exists()


def test_with_no_program_the_card_says_how_to_get_one(client):
    from accounts.tests.factories import UserFactory as Users

    client.force_login(Users())
    page = _dashboard(client)
    assert "Build or copy a program, then follow it" in page and "training:follow" not in page
    assert 'action="/training/follow/"' not in page
