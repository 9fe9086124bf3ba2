"""Planned vs performed from the database: the worked example of TRAINING.md through volume.json,
time zones, CYCLIC plans, the 12-week query and query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.preferences import CountingRule
from accounts.services import user_preferences_update
from exercises.tests.factories import ExerciseFactory
from programs.models import StructureType
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory
from training.analysis.settings import training_settings_for
from training.analysis.volume import PERFORMED_SQL, volume_history_for
from training.domain.weeks import IsoWeek
from training.models import SetType
from training.tests.factories import SetLogFactory, TrainingPreferencesFactory, WorkoutLogFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
W49 = IsoWeek(2026, 49)  # Monday 30 Nov – Sunday 6 Dec 2026


def at(day: int, hour: int = 18, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=UTC)


def bench_program(user, structure=StructureType.WEEKLY, frequency=2):
    bench = ExerciseFactory(name="Bench press")
    program = TrainingProgramFactory(user=user, structure_type=structure, frequency=frequency)
    monday = WorkoutSessionFactory(program=program, name="Monday", day_of_week=0, order_index=0)
    thursday = WorkoutSessionFactory(program=program, name="Thursday", day_of_week=3, order_index=1)
    for session in (monday, thursday):
        SessionExerciseFactory(session=session, exercise=bench, sets=3)
    TrainingPreferencesFactory(user=user, current_program=program)
    return bench, program, monday, thursday


def log(user, exercise, started, sets, session=None):
    workout = WorkoutLogFactory(
        user=user, started_at=started, finished_at=started + dt.timedelta(hours=1), session=session
    )
    for i, (set_type, reps, rir) in enumerate(sets):
        SetLogFactory(
            workout_log=workout,
            exercise=exercise,
            set_type=set_type,
            reps=reps,
            rir=None if rir is None else Decimal(rir),
            order_index=i,
            weight_kg=Decimal(60 if set_type == SetType.WARMUP else 100),
        )
    return workout


def worked_example(user):
    bench, program, monday, thursday = bench_program(user)
    log(
        user,
        bench,
        at(30, month=11),
        [(SetType.WARMUP, 10, None), (SetType.WARMUP, 5, None)]
        + [(SetType.WORKING, 8, r) for r in ("2", "2", "1")],
        session=monday,
    )
    log(
        user,
        bench,
        at(3),
        [(SetType.WORKING, 8, None)] * 3 + [(SetType.WORKING, 12, "5")],
        session=thursday,
    )
    return bench, program


def by_muscle(doc):
    return {m["muscle"]: m for m in doc["muscles"]}


def test_worked_example_through_volume_json(user, user_client):
    _, program = worked_example(user)
    response = user_client.get("/training/volume.json?week=2026-W49")
    assert response.status_code == 200
    doc = response.json()
    assert doc["week"] == "2026-W49"
    assert doc["program"] == str(program.pk)
    assert (doc["hard_sets"], doc["hard_sets_without_rir"]) == (6, 3)
    muscles = by_muscle(doc)
    assert len(doc["muscles"]) == 17
    assert set(doc["muscles"][0]) == {
        "muscle",
        "planned_sets",
        "performed_sets",
        "hard_sets_without_rir",
        "adherence",
        "status",
        "landmarks",
    }
    assert muscles["CHEST"] == {
        "muscle": "CHEST",
        "planned_sets": 6,
        "performed_sets": 6,
        "hard_sets_without_rir": 3,
        "adherence": 100,
        "status": "productive",
        "landmarks": {"mv": 4, "mev": 6, "mav": [12, 20], "mrv": 22},
    }
    assert (muscles["TRICEPS"]["planned_sets"], muscles["TRICEPS"]["performed_sets"]) == (3, 3)
    assert muscles["FRONT_DELTS"]["adherence"] == 100
    assert muscles["QUADRICEPS"]["adherence"] is None
    # The week before and after: nothing done.
    assert (
        by_muscle(user_client.get("/training/volume.json?week=2026-W48").json())["CHEST"]["performed_sets"]
        == 0
    )


def test_direct_counting_and_the_lifters_rir_threshold(user, user_client):
    worked_example(user)
    user_preferences_update(user=user, counting=CountingRule.DIRECT, rir_threshold=Decimal("1.5"))
    muscles = by_muscle(user_client.get("/training/volume.json?week=2026-W49").json())
    # RIR 2, 2 are no longer hard; RIR 1 and the three without RIR are.
    assert muscles["CHEST"]["performed_sets"] == 4
    assert muscles["CHEST"]["planned_sets"] == 6
    assert muscles["TRICEPS"]["performed_sets"] == 0  # direct: triceps is only a helper
    assert muscles["TRICEPS"]["planned_sets"] == 0
    assert muscles["CHEST"]["hard_sets_without_rir"] == 3


def test_a_workout_counts_in_the_week_of_its_start_in_the_lifters_zone(user, user_client):
    bench, *_ = bench_program(user)
    user_preferences_update(user=user, time_zone="America/New_York")
    # Sunday 6 Dec 23:30 in New York = Monday 7 Dec 04:30 UTC: week 49 for this lifter.
    log(user, bench, dt.datetime(2026, 12, 7, 4, 30, tzinfo=UTC), [(SetType.WORKING, 8, "2")])
    assert (
        by_muscle(user_client.get("/training/volume.json?week=2026-W49").json())["CHEST"]["performed_sets"]
        == 1
    )
    assert (
        by_muscle(user_client.get("/training/volume.json?week=2026-W50").json())["CHEST"]["performed_sets"]
        == 0
    )


def test_cyclic_plan_is_rotation_times_frequency_over_n(user, user_client):
    bench_program(user, structure=StructureType.CYCLIC, frequency=3)
    muscles = by_muscle(user_client.get("/training/volume.json?week=2026-W49").json())
    assert muscles["CHEST"]["planned_sets"] == 9
    assert muscles["TRICEPS"]["planned_sets"] == 4.5
    # The page writes set counts as the builder does: 9 and 4.5, not 9 and 4.50.
    page = user_client.get("/training/volume/?week=2026-W49").content.decode()
    assert "<td>4.5</td>" in page and "<td>9</td>" in page and "4.50" not in page


def test_no_current_program_plans_nothing(user, user_client):
    bench = ExerciseFactory()
    log(user, bench, at(1), [(SetType.WORKING, 8, "1")])
    doc = user_client.get("/training/volume.json?week=2026-W49").json()
    assert doc["program"] is None
    chest = by_muscle(doc)["CHEST"]
    assert (chest["planned_sets"], chest["performed_sets"], chest["adherence"]) == (0, 1, None)


def test_deleted_sets_and_workouts_and_other_lifters_count_nowhere(user, user_client):
    from accounts.tests.factories import UserFactory

    bench, *_ = bench_program(user)
    kept = log(user, bench, at(1), [(SetType.WORKING, 8, "1"), (SetType.WORKING, 8, "1")])
    gone = kept.sets.first()
    gone.mark_deleted()
    gone.save()
    deleted = log(user, bench, at(2), [(SetType.WORKING, 8, "1")])
    deleted.mark_deleted()
    deleted.save()
    log(UserFactory(), bench, at(2), [(SetType.WORKING, 8, "1")] * 5)
    doc = user_client.get("/training/volume.json?week=2026-W49").json()
    assert doc["hard_sets"] == 1


def test_bad_week_is_a_400(user_client):
    assert user_client.get("/training/volume.json?week=2026-W60").status_code == 400
    assert user_client.get("/training/volume.json?week=yesterday").status_code == 400
    assert user_client.get("/training/volume/?week=nope").status_code == 400


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/training/volume.json?week=2026-W49")
    assert response.status_code == 302


def test_twelve_weeks_come_from_one_aggregate_query(user):
    bench, *_ = bench_program(user)
    for week in range(12):
        day = IsoWeek(2026, 49).shift(-week).monday
        started = dt.datetime.combine(day, dt.time(18), tzinfo=UTC)
        log(user, bench, started, [(SetType.WORKING, 8, "1")] * (week + 1))
    settings = training_settings_for(user=user)
    with CaptureQueriesContext(connection) as queries:
        history = volume_history_for(user=user, settings=settings, last=W49, count=12)
    performed_queries = [
        q
        for q in queries.captured_queries
        if "jsonb_each(e.muscle_contributions)" in q["sql"] and "set_logs" in q["sql"]
    ]
    assert len(performed_queries) == 1
    assert len(queries.captured_queries) == 2  # performed + planned
    assert [w.hard_sets for w in history.weeks] == list(range(12, 0, -1))
    assert history.weeks[-1].muscle("CHEST").performed_sets == 1
    assert PERFORMED_SQL.count("FROM set_logs") == 0 and PERFORMED_SQL.count("JOIN set_logs") == 1


@pytest.mark.parametrize("workouts", [2, 8])
def test_volume_json_query_count_does_not_grow(user, user_client, django_assert_num_queries, workouts):
    bench, *_ = bench_program(user)
    for i in range(workouts):
        log(user, bench, at(1) - dt.timedelta(days=i % 6), [(SetType.WORKING, 8, "1")] * 4)
    # session, user, settings (prefs + volume prefs in one), performed, planned
    with django_assert_num_queries(5):
        assert user_client.get("/training/volume.json?week=2026-W49").status_code == 200


@pytest.mark.parametrize("weeks", [1, 6])
def test_volume_page_query_count_does_not_grow(user, user_client, django_assert_num_queries, weeks):
    bench, *_ = bench_program(user)
    for i in range(weeks):
        log(user, bench, at(1) - dt.timedelta(weeks=i), [(SetType.WORKING, 8, "1")] * 3)
    # session, user, settings, performed, planned; the bell's unread count
    with django_assert_num_queries(6):
        response = user_client.get("/training/volume/?week=2026-W49")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "series-table" in body
    assert "MEV (minimum effective volume)" in body


def test_volume_page_htmx_returns_the_body_only(user, user_client):
    bench_program(user)
    response = user_client.get(
        "/training/volume/?week=2026-W48&muscle=TRICEPS", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="volume-body">') and "<html" not in body
    assert "Last 12 weeks: Triceps" in body and "?week=2026-W47" in body
