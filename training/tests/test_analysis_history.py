"""History, a workout read-only, exercise history with PRs, export, and the coach's views."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from accounts.models import Role
from accounts.tests.factories import OrganizationFactory, UserFactory, UserPreferencesFactory
from exercises.tests.factories import ExerciseFactory
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory
from training.models import SetType
from training.tests.factories import SetLogFactory, TrainingPreferencesFactory, WorkoutLogFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def workout(user, exercise, started, sets, **extra):
    w = WorkoutLogFactory(
        user=user, started_at=started, finished_at=started + dt.timedelta(minutes=55), **extra
    )
    for i, (weight, reps, rir, set_type) in enumerate(sets):
        SetLogFactory(
            workout_log=w,
            exercise=exercise,
            weight_kg=Decimal(weight),
            reps=reps,
            rir=None if rir is None else Decimal(rir),
            set_type=set_type,
            order_index=i,
        )
    return w


def three_bench_workouts(user):
    bench = ExerciseFactory(name="Bench press")
    start = dt.datetime(2026, 11, 2, 18, tzinfo=UTC)
    w1 = workout(user, bench, start, [(60, 10, None, SetType.WARMUP), (80, 8, "2", SetType.WORKING)])
    w2 = workout(user, bench, start + dt.timedelta(days=3), [(80, 9, "2", SetType.WORKING)])
    w3 = workout(
        user,
        bench,
        start + dt.timedelta(days=7),
        [(200, 1, None, SetType.WARMUP), (90, 6, "2", SetType.WORKING), (90, 6, "2", SetType.WORKING)],
    )
    return bench, (w1, w2, w3)


def test_history_lists_workouts_with_sets_and_tonnage(user, user_client):
    _bench, _ = three_bench_workouts(user)
    response = user_client.get("/training/history/?month=2026-11")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="card"') == 3
    assert "2 sets · 1 exercise · 1080 kg lifted · 55 min" in body  # 90 × 6 × 2, warm-up left out
    assert 'aria-label="2 November: 1 workout"' in body


@pytest.mark.parametrize(
    ("week_start", "first_row", "last_row", "headings"),
    [
        # November 2026 begins on a Sunday and ends on a Monday.
        (
            0,
            (dt.date(2026, 10, 26), dt.date(2026, 11, 1)),
            (dt.date(2026, 11, 30), dt.date(2026, 12, 6)),
            "MTWTFSS",
        ),
        (
            6,
            (dt.date(2026, 11, 1), dt.date(2026, 11, 7)),
            (dt.date(2026, 11, 29), dt.date(2026, 12, 5)),
            "SMTWTFS",
        ),
        (
            5,
            (dt.date(2026, 10, 31), dt.date(2026, 11, 6)),
            (dt.date(2026, 11, 28), dt.date(2026, 12, 4)),
            "SSMTWTF",
        ),
    ],
)
def test_the_calendar_starts_its_weeks_on_the_lifters_first_day(
    user, user_client, week_start, first_row, last_row, headings
):
    UserPreferencesFactory(user=user, week_start=week_start)
    three_bench_workouts(user)  # Mon 2, Thu 5 and Mon 9 November
    response = user_client.get("/training/history/?month=2026-11")
    rows = response.context["calendar"]
    assert all(len(row) == 7 for row in rows)
    assert (rows[0][0].day, rows[0][-1].day) == first_row
    assert (rows[-1][0].day, rows[-1][-1].day) == last_row
    trained = [c.day.day for row in rows for c in row if c.workouts]
    assert trained == [2, 5, 9]
    body = response.content.decode()
    assert "".join(name[0] for name in response.context["weekdays"]) == headings
    first_heading = response.context["weekdays"][0]
    assert f'<th scope="col"><abbr title="{first_heading}">{first_heading[0]}</abbr></th>' in body


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "abc", "-5", "2026-1-1"])
def test_history_month_out_of_range_shows_this_month(user_client, month):
    response = user_client.get(f"/training/history/?month={month}")
    assert response.status_code == 200


def test_an_unfinished_workout_links_to_the_workout_page(user, user_client):
    open_one = WorkoutLogFactory(user=user, finished_at=None)
    body = user_client.get("/training/history/").content.decode()
    assert f'href="/training/{open_one.pk}/"' in body and "not finished" in body


def test_history_htmx_returns_the_list_only(user, user_client):
    three_bench_workouts(user)
    response = user_client.get("/training/history/?page=1", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="history-list"' in body and "<html" not in body


@pytest.mark.parametrize("count", [3, 25])
def test_history_query_count_does_not_grow(user, user_client, django_assert_num_queries, count):
    bench = ExerciseFactory()
    start = dt.datetime(2026, 10, 1, 18, tzinfo=UTC)
    for i in range(count):
        workout(user, bench, start + dt.timedelta(days=i), [(80, 8, "2", SetType.WORKING)] * 2)
    # session, user, settings, calendar days, page count, page rows, their sets' numbers; the bell
    with django_assert_num_queries(8):
        assert user_client.get("/training/history/").status_code == 200


def test_workout_detail_marks_prs_and_never_in_the_first_workout(user, user_client):
    _bench, (w1, w2, w3) = three_bench_workouts(user)
    first = user_client.get(f"/training/history/{w1.pk}/").content.decode()
    assert "PR:" not in first
    second = user_client.get(f"/training/history/{w2.pk}/").content.decode()
    assert "PR: Most reps at this load or more" in second
    assert "PR: Best set volume" in second  # 720 > 640
    third = user_client.get(f"/training/history/{w3.pk}/").content.decode()
    assert third.count("PR: Best estimated 1RM") == 1  # the second 90 × 6 only ties
    assert "est. 1RM 114 kg" in third


@pytest.mark.parametrize("sets", [2, 12])
def test_workout_detail_query_count_does_not_grow(user, user_client, django_assert_num_queries, sets):
    exercises = [ExerciseFactory() for _ in range(3)]
    w = WorkoutLogFactory(user=user)
    for i in range(sets):
        SetLogFactory(workout_log=w, exercise=exercises[i % 3], order_index=i)
    # session, user, workout, settings, sets, earlier records; the bell's unread count
    with django_assert_num_queries(7):
        assert user_client.get(f"/training/history/{w.pk}/").status_code == 200


def test_exercise_history_with_chart_table_and_records(user, user_client):
    bench, _ = three_bench_workouts(user)
    response = user_client.get(f"/training/exercises/{bench.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and 'id="exercise-table"' in body
    assert body.count("<polyline") == 2  # e1RM and top set
    assert "114 kg" in body  # best e1RM
    assert "90 kg × 6" in body
    assert "PR: Best estimated 1RM" in body
    assert "200 kg" not in body  # the heavy warm-up is not a top set


@pytest.mark.parametrize("count", [2, 20])
def test_exercise_history_query_count_does_not_grow(user, user_client, django_assert_num_queries, count):
    bench = ExerciseFactory()
    start = dt.datetime(2026, 6, 1, 18, tzinfo=UTC)
    for i in range(count):
        workout(user, bench, start + dt.timedelta(days=2 * i), [(80 + i, 8, "2", SetType.WORKING)] * 3)
    # session, user, exercise, settings, sets; the bell's unread count
    with django_assert_num_queries(6):
        assert user_client.get(f"/training/exercises/{bench.pk}/").status_code == 200


def test_exercise_history_shows_the_last_26_workouts_unless_asked_for_all(user, user_client):
    bench = ExerciseFactory()
    start = dt.datetime(2026, 1, 5, 18, tzinfo=UTC)
    for i in range(30):
        workout(user, bench, start + dt.timedelta(days=7 * i), [(60 + i, 8, "2", SetType.WORKING)])
    recent = user_client.get(f"/training/exercises/{bench.pk}/").content.decode()
    assert "The last 26 workouts" in recent and "Show all 30 workouts" in recent
    assert "89 kg × 8" in recent and "63 kg × 8" not in recent
    everything = user_client.get(f"/training/exercises/{bench.pk}/?all=1").content.decode()
    assert "63 kg × 8" in everything and "Show all" not in everything
    assert 'href="/training/history/' in everything


def test_exercise_index_lists_done_exercises(user, user_client):
    _bench, _ = three_bench_workouts(user)
    body = user_client.get("/training/exercises/").content.decode()
    assert "Bench press" in body and "4 sets" in body


def test_pounds_are_shown_in_pounds(user, user_client):
    _bench, (w1, *_) = three_bench_workouts(user)
    UserPreferencesFactory(user=user, unit="lb", display_increment=Decimal(1))
    body = user_client.get(f"/training/history/{w1.pk}/").content.decode()
    assert "176 lb × 8" in body  # 80 kg


def test_export_csv_one_row_per_set(user, user_client):
    bench, _ = three_bench_workouts(user)
    other = UserFactory()
    workout(other, bench, dt.datetime(2026, 11, 3, tzinfo=UTC), [(50, 5, None, SetType.WORKING)])
    response = user_client.get("/training/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 6  # warm-ups included, one row per set; nobody else's
    assert rows[0]["set_type"] == "WARMUP" and rows[0]["hard_set"] == "no"
    assert rows[1]["weight_kg"] == "80.00" and rows[1]["e1rm_kg"] == "106.7" and rows[1]["hard_set"] == "yes"


def test_export_csv_defuses_formulas(user, user_client):
    bench = ExerciseFactory()
    workout(
        user,
        bench,
        dt.datetime(2026, 11, 3, tzinfo=UTC),
        [(50, 5, None, SetType.WORKING)],
        notes="=HYPERLINK(1)",
    )
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(user_client.get("/training/export.csv").streaming_content).decode())
        )
    )
    assert rows[0]["workout_notes"] == "'=HYPERLINK(1)"


def test_export_json(user, user_client):
    three_bench_workouts(user)
    doc = user_client.get("/training/export.json").json()
    assert [len(w["sets"]) for w in doc["workouts"]] == [2, 1, 3]
    assert doc["workouts"][0]["sets"][1] | {"client_id": None, "exercise_id": None, "logged_at": None} == {
        "client_id": None,
        "exercise": "Bench press",
        "exercise_id": None,
        "order_index": 1,
        "set_type": "WORKING",
        "weight_kg": 80.0,
        "reps": 8,
        "rir": 2.0,
        "side": None,
        "note": "",
        "logged_at": None,
    }


# --- Coaches ---------------------------------------------------------------------------------------


@pytest.fixture
def team():
    organization = OrganizationFactory()
    coach = UserFactory(organization=organization, role=Role.COACH)
    member = UserFactory(organization=organization, role=Role.MEMBER, full_name="Mia Member")
    lazy = UserFactory(organization=organization, role=Role.MEMBER, full_name="Lee Lazy")
    outsider = UserFactory(full_name="Olga Outsider")
    return coach, member, lazy, outsider


def weekly_plan(user):
    bench = ExerciseFactory(name=f"Bench press {user.pk}")
    squat = ExerciseFactory(name=f"Squat {user.pk}", muscle_contributions={"QUADRICEPS": 1.0, "GLUTES": 0.5})
    program = TrainingProgramFactory(user=user, name=f"Plan of {user.full_name}")
    monday = WorkoutSessionFactory(program=program, name="Push Monday", day_of_week=0)
    thursday = WorkoutSessionFactory(program=program, name="Legs Thursday", day_of_week=3)
    SessionExerciseFactory(session=monday, exercise=bench, sets=8)
    SessionExerciseFactory(session=thursday, exercise=squat, sets=10)
    TrainingPreferencesFactory(user=user, current_program=program)
    return bench, squat, monday, thursday


def test_coach_adherence_table(client, team):
    coach, member, lazy, _outsider = team
    bench, _squat, monday, _ = weekly_plan(member)
    workout(
        member,
        bench,
        dt.datetime(2026, 11, 30, 18, tzinfo=UTC),
        [(80, 8, "2", SetType.WORKING)] * 8,
        session=monday,
    )
    weekly_plan(lazy)
    client.force_login(coach)
    response = client.get("/training/members/?week=2026-W49")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mia Member" in body and "Lee Lazy" in body and "Olga Outsider" not in body
    rows = {name: next(r for r in body.split("<tr>") if name in r) for name in ("Mia Member", "Lee Lazy")}
    mia = rows["Mia Member"]
    assert "1 of 2" in mia and "Skipped: Legs Thursday" in mia
    assert "Quadriceps (0 of 8)" in mia and "Chest" not in mia
    lee = rows["Lee Lazy"]
    assert "0 of 2" in lee and "Skipped: Push Monday, Legs Thursday" in lee
    assert "Chest (0 of 6)" in lee


@pytest.mark.parametrize("size", [1, 4])
def test_coach_adherence_query_count_does_not_grow(client, django_assert_num_queries, size):
    organization = OrganizationFactory()
    coach = UserFactory(organization=organization, role=Role.COACH)
    for _ in range(size):
        member = UserFactory(organization=organization, role=Role.MEMBER)
        bench, _, monday, _ = weekly_plan(member)
        workout(
            member,
            bench,
            dt.datetime(2026, 11, 30, 18, tzinfo=UTC),
            [(80, 8, "2", SetType.WORKING)] * 3,
            session=monday,
        )
    client.force_login(coach)
    # session, user, viewer settings, members, member settings, performed, planned, sessions done;
    # the bell's unread count
    with django_assert_num_queries(9):
        assert client.get("/training/members/?week=2026-W49").status_code == 200


def test_members_and_strangers_cannot_see_the_coach_pages(client, team):
    _coach, member, lazy, outsider = team
    w = workout(
        member, ExerciseFactory(), dt.datetime(2026, 11, 30, tzinfo=UTC), [(80, 8, "2", SetType.WORKING)]
    )
    client.force_login(lazy)  # a plain member
    assert client.get("/training/members/").status_code == 404
    assert client.get(f"/training/members/{member.pk}/").status_code == 404
    assert client.get(f"/training/members/{member.pk}/workouts/{w.pk}/").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/training/members/{member.pk}/volume/").status_code == 404


def test_coach_reads_a_members_workouts_read_only(client, team):
    coach, member, lazy, _ = team
    bench = ExerciseFactory(name="Bench press")
    w = workout(member, bench, dt.datetime(2026, 11, 30, tzinfo=UTC), [(80, 8, "2", SetType.WORKING)])
    other = workout(lazy, bench, dt.datetime(2026, 11, 30, tzinfo=UTC), [(80, 8, "2", SetType.WORKING)])
    client.force_login(coach)
    listing = client.get(f"/training/members/{member.pk}/").content.decode()
    assert f"/training/members/{member.pk}/workouts/{w.pk}/" in listing
    detail = client.get(f"/training/members/{member.pk}/workouts/{w.pk}/")
    assert detail.status_code == 200 and "read-only" in detail.content.decode()
    assert '<form method="post"' not in detail.content.decode().split("<main")[1]
    # Another member's workout through this member's URL: 404.
    assert client.get(f"/training/members/{member.pk}/workouts/{other.pk}/").status_code == 404
    assert client.get(f"/training/members/{member.pk}/exercises/{bench.pk}/").status_code == 200
    assert client.get(f"/training/members/{member.pk}/volume/?week=2026-W49").status_code == 200
    # Their own log pages don't show the member's workouts.
    assert client.get(f"/training/history/{w.pk}/").status_code == 404


def test_an_exercise_of_someone_else_is_a_404(user_client):
    custom = ExerciseFactory(is_global=False, created_by=UserFactory())
    assert user_client.get(f"/training/exercises/{custom.pk}/").status_code == 404


def test_the_streamed_json_is_the_json_document(user):
    import json

    from training.analysis.export import log_json_chunks, log_json_document

    three_bench_workouts(user)
    counts: dict[str, int] = {}
    streamed = json.loads("".join(log_json_chunks(user=user, counts=counts)))
    assert streamed == log_json_document(user=user)
    assert counts == {"workouts": 3, "sets": sum(len(w["sets"]) for w in streamed["workouts"])}
    assert json.loads("".join(log_json_chunks(user=UserFactory())))["workouts"] == []
