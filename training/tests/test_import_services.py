"""History import: mapping to the library, memory of choices, the batch job, duplicates, undo,
and the round trip export → import."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accounts.models import OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.domain import Equipment
from exercises.tests.factories import ExerciseFactory
from training.imports.mapping import spellings, suggest
from training.imports.models import HistoryImport, ImportNameChoice, ImportStatus
from training.imports.reading import ImportFileError
from training.imports.runner import import_run
from training.imports.services import CREATE, MAP, SKIP, Decision, import_confirm, import_prepare, import_undo
from training.models import SetLog, WorkoutExercise, WorkoutLog
from training.services import set_log, workout_finish, workout_start

FILES = Path(__file__).parent / "import_files"


@pytest.fixture
def library(db) -> dict[str, Any]:
    return {
        "bench": ExerciseFactory(name="Barbell Bench Press"),
        "raise": ExerciseFactory(
            name="Dumbbell Lateral Raise",
            equipment=Equipment.DUMBBELL,
            muscle_contributions={"SIDE_DELTS": 1.0},
        ),
        "squat": ExerciseFactory(name="Barbell Back Squat", muscle_contributions={"QUADRICEPS": 1.0}),
        "row": ExerciseFactory(name="Barbell Row", muscle_contributions={"LATS": 1.0}),
    }


@pytest.fixture
def lifter(db):
    return UserFactory()


def run(import_id) -> HistoryImport:
    done = import_run(import_id=import_id)
    assert done is not None
    return done


def accept_all(user, history_import, **kwargs):
    decisions = {e["name"]: Decision(MAP, e["exercise_id"]) for e in history_import.names if e["exercise_id"]}
    with_run = import_confirm(user=user, history_import=history_import, decisions=decisions, **kwargs)
    return run(with_run.pk)


def prepare(user, name, **kwargs):
    return import_prepare(
        user=user, data=(FILES / name).read_bytes(), file_name=name, semantic=False, **kwargs
    )


def test_other_apps_spellings():
    assert spellings("Bench Press (Barbell)") == [
        "bench press (barbell)",
        "barbell bench press",
        "bench press",
    ]
    assert "barbell back squat" in spellings("Squat (Barbell)")


def test_names_are_matched_with_a_confidence(library, lifter):
    found = {
        s.name: s
        for s in suggest(
            user=lifter,
            names={
                "Bench Press (Barbell)": 3,
                "Barbell Back Squat": 2,
                "Lateral Raise (Dumbbell)": 2,
                "Zercher Jump": 1,
            },
            semantic=False,
        )
    }
    assert (found["Barbell Back Squat"].exercise_name, found["Barbell Back Squat"].confidence) == (
        "Barbell Back Squat",
        1.0,
    )
    assert (found["Bench Press (Barbell)"].exercise_name, found["Bench Press (Barbell)"].source) == (
        "Barbell Bench Press",
        "alias",
    )
    assert found["Lateral Raise (Dumbbell)"].exercise_id == str(library["raise"].pk)
    assert found["Zercher Jump"].exercise_id == "" and found["Zercher Jump"].source == "none"


def test_a_misspelt_name_is_found_by_name_search_with_lower_confidence(library, lifter):
    (s,) = suggest(user=lifter, names={"Barbel Bench Pres": 1}, semantic=False)
    assert s.exercise_name == "Barbell Bench Press" and s.source == "name search"
    assert 0.3 < s.confidence < 0.9


def test_strong_file_imports_in_one_batch(library, lifter):
    history_import = prepare(lifter, "strong.csv", unit="kg")
    assert history_import.status == ImportStatus.REVIEW and history_import.source_format == "strong"
    done = accept_all(lifter, history_import)
    assert done.status == ImportStatus.DONE and done.progress == 100
    assert (done.workouts_added, done.sets_added, done.duplicate_workouts, done.unmapped_sets) == (2, 7, 0, 0)
    assert done.content == b""  # the stored file is dropped once imported
    push = WorkoutLog.objects.get(user=lifter, session_name="Push Day")
    assert push.finished_at - push.started_at == __import__("datetime").timedelta(hours=1, minutes=5)
    sets = list(
        push.sets.order_by("order_index").values_list(
            "exercise__name", "set_type", "weight_kg", "reps", "rir"
        )
    )
    assert sets[:2] == [
        ("Barbell Bench Press", "WARMUP", Decimal("40.00"), 10, None),
        ("Barbell Bench Press", "WORKING", Decimal("80.00"), 8, Decimal("2.0")),
    ]
    assert list(push.exercises.values_list("exercise__name", flat=True)) == [
        "Barbell Bench Press",
        "Dumbbell Lateral Raise",
    ]


def test_importing_the_same_file_twice_adds_nothing(library, lifter):
    accept_all(lifter, prepare(lifter, "hevy_kg.csv"))
    count = SetLog.objects.count()
    second = accept_all(lifter, prepare(lifter, "hevy_kg.csv"))
    assert (second.workouts_added, second.sets_added, second.duplicate_workouts) == (0, 0, 2)
    assert SetLog.objects.count() == count


def test_a_workout_within_60_seconds_of_a_logged_one_is_a_duplicate(library, lifter):
    import datetime as dt
    from zoneinfo import ZoneInfo

    logged = workout_start(user=lifter, session=None)
    WorkoutLog.objects.filter(pk=logged.pk).update(
        started_at=dt.datetime(2026, 3, 13, 15, 22, 45, tzinfo=ZoneInfo("UTC"))
    )
    done = accept_all(lifter, prepare(lifter, "hevy_kg.csv"))
    assert (done.workouts_added, done.duplicate_workouts) == (1, 1)


def test_skipped_names_are_counted_and_remembered(library, lifter):
    history_import = prepare(lifter, "hevy_kg.csv")
    decisions = {
        e["name"]: Decision(MAP, e["exercise_id"]) if e["name"].startswith("Bench") else Decision(SKIP)
        for e in history_import.names
    }
    import_confirm(user=lifter, history_import=history_import, decisions=decisions)
    done = run(history_import.pk)
    assert (done.sets_added, done.unmapped_sets) == (3, 3)
    # Next time the choices come back: the bench mapping and the skips.
    again = {e["name"]: e for e in prepare(lifter, "hevy_kg.csv").names}
    assert again["Bench Press (Barbell)"]["source"] == "remembered"
    assert again["Lateral Raise (Dumbbell)"]["remembered_skip"] is True
    assert ImportNameChoice.objects.filter(user=lifter).count() == 3


def test_a_remembered_pick_overrides_the_library_match(library, lifter):
    history_import = prepare(lifter, "hevy_kg.csv")
    decisions = {e["name"]: Decision(MAP, str(library["row"].pk)) for e in history_import.names}
    import_confirm(user=lifter, history_import=history_import, decisions=decisions)
    again = {e["name"]: e for e in prepare(lifter, "hevy_kg.csv").names}
    assert again["Bench Press (Barbell)"]["exercise_name"] == "Barbell Row"
    other = UserFactory()
    theirs = {e["name"]: e for e in prepare(other, "hevy_kg.csv").names}
    assert theirs["Bench Press (Barbell)"]["exercise_name"] == "Barbell Bench Press"  # memory is per lifter


def test_another_lifters_custom_exercise_cannot_be_chosen(library, lifter):
    foreign: Any = ExerciseFactory(is_global=False, created_by=UserFactory(), name="Secret press")
    history_import = prepare(lifter, "hevy_lbs.csv")
    with pytest.raises(Exception, match="choose an exercise from the list"):
        import_confirm(
            user=lifter,
            history_import=history_import,
            decisions={"Squat (Barbell)": Decision(MAP, str(foreign.pk))},
        )


def test_pro_lifter_creates_a_custom_exercise_for_a_name(library):
    org = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    pro = UserFactory(organization=org, role=Role.OWNER)
    history_import = prepare(pro, "hevy_lbs.csv")
    import_confirm(
        user=pro,
        history_import=history_import,
        decisions={"Squat (Barbell)": Decision(CREATE, str(library["squat"].pk))},
    )
    done = run(history_import.pk)
    made = (
        SetLog.objects.filter(workout_log__user=pro)
        .values_list("exercise__name", "exercise__is_global")
        .first()
    )
    assert made == ("Squat (Barbell)", False) and done.sets_added == 2


def test_undo_removes_exactly_what_the_import_added(library, lifter):
    own = workout_start(user=lifter, session=None)
    set_log(
        user=lifter,
        workout=own,
        exercise_id=library["bench"].pk,
        weight_kg=Decimal("60"),
        reps=10,
        rir=None,
        set_type="WORKING",
        client_id=__import__("uuid").uuid4(),
    )
    workout_finish(user=lifter, workout=own)
    done = accept_all(lifter, prepare(lifter, "strong.csv"))
    assert WorkoutLog.objects.filter(user=lifter).count() == 3
    undone = import_undo(user=lifter, history_import=done)
    assert undone.status == ImportStatus.UNDONE
    assert list(WorkoutLog.objects.filter(user=lifter)) == [own]
    assert SetLog.objects.filter(workout_log__user=lifter).count() == 1
    assert not WorkoutExercise.objects.exclude(workout_log=own).filter(workout_log__user=lifter).exists()
    with pytest.raises(Exception, match="Only a finished import"):
        import_undo(user=lifter, history_import=undone)


def test_undo_query_count(library, lifter, django_assert_num_queries):
    done = accept_all(lifter, prepare(lifter, "strong.csv"))
    # savepoint, lock; the delete: workouts, their entries, sets, links, entry ids cleared on sets,
    # entries, workouts (one statement each, whatever the size); the status; release
    with django_assert_num_queries(11):
        import_undo(user=lifter, history_import=done)


def test_a_bad_file_stores_nothing(lifter):
    with pytest.raises(ImportFileError):
        prepare(lifter, "negative_weight.csv")
    assert not HistoryImport.objects.exists()


def test_a_failure_inside_the_batch_adds_nothing(library, lifter, monkeypatch):
    from training.imports import runner

    history_import = prepare(lifter, "strong.csv")
    decisions = {e["name"]: Decision(MAP, e["exercise_id"]) for e in history_import.names}
    import_confirm(user=lifter, history_import=history_import, decisions=decisions)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runner.ImportedWorkout.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        import_run(import_id=history_import.pk)
    assert not WorkoutLog.objects.filter(user=lifter).exists()
    assert not SetLog.objects.exists()


def _log_of(user):
    return [
        (
            w.started_at,
            w.finished_at,
            w.title,
            w.notes,
            [
                (s.exercise.name, s.order_index, s.set_type, s.weight_kg, s.reps, s.rir, s.side, s.note)
                for s in w.sets.select_related("exercise").order_by("order_index")
            ],
        )
        for w in WorkoutLog.objects.filter(user=user).order_by("started_at")
    ]


@pytest.mark.parametrize("export", ["export.csv", "export.json"])
def test_round_trip_export_then_import_gives_the_same_log(library, client, export):
    source = UserFactory()
    accept_all(source, prepare(source, "strong.csv"))
    accept_all(source, prepare(source, "hevy_kg.csv"))
    SetLog.objects.filter(workout_log__user=source, reps=15).update(side="LEFT", note="=1+1 not a formula")
    client.force_login(source)
    response = client.get(f"/training/{export}")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if export.endswith("csv"):
        assert (
            len(list(csv.reader(io.StringIO(data.decode()))))
            == 1 + SetLog.objects.filter(workout_log__user=source).count()
        )
    target = UserFactory()
    history_import = import_prepare(user=target, data=data, file_name=export, semantic=False)
    assert history_import.source_format == ("hypertroq_csv" if export.endswith("csv") else "hypertroq_json")
    assert all(e["confidence"] == 1.0 for e in history_import.names)
    accept_all(target, history_import)
    assert _log_of(target) == _log_of(source)
    # and back into the same account: all duplicates
    again = accept_all(source, import_prepare(user=source, data=data, file_name=export, semantic=False))
    assert again.sets_added == 0 and again.duplicate_workouts == 4


def test_the_import_runs_as_a_queued_job(job_worker):
    ExerciseFactory(name="Barbell Bench Press")
    ExerciseFactory(name="Dumbbell Lateral Raise")
    lifter = UserFactory()
    history_import = prepare(lifter, "hevy_kg.csv")
    decisions = {e["name"]: Decision(MAP, e["exercise_id"]) for e in history_import.names if e["exercise_id"]}
    queued = import_confirm(user=lifter, history_import=history_import, decisions=decisions)
    assert queued.status == ImportStatus.QUEUED and not SetLog.objects.exists()
    job_worker.run_until_idle()
    history_import.refresh_from_db()
    assert (
        history_import.status == ImportStatus.DONE and history_import.sets_added == SetLog.objects.count() > 0
    )
    job_worker.run_until_idle()  # nothing left to do, nothing added twice
    assert SetLog.objects.count() == history_import.sets_added


def test_a_name_found_only_by_meaning(db, monkeypatch):
    from exercises import embeddings
    from exercises.tests.fakes import FakeModel, install_runtime

    install_runtime(monkeypatch, FakeModel)
    pec: Any = ExerciseFactory(
        name="Pec Deck", equipment=Equipment.MACHINE, description="A machine butterfly fly for the chest."
    )
    curl: Any = ExerciseFactory(name="Barbell Curl", muscle_contributions={"ELBOW_FLEXORS": 1.0})
    embeddings.embed_exercise_ids([pec.pk, curl.pk])
    lifter = UserFactory()
    (by_name,) = suggest(user=lifter, names={"Butterfly (Machine)": 4}, semantic=False)
    assert by_name.exercise_id == ""
    (s,) = suggest(user=lifter, names={"Butterfly (Machine)": 4}, semantic=True)
    assert (s.exercise_name, s.source) == ("Pec Deck", "meaning")
    assert 0 < s.confidence < 0.8  # found by meaning: the lifter is asked to check it


def test_confirm_query_count(library, lifter, django_assert_num_queries, django_capture_on_commit_callbacks):
    history_import = prepare(lifter, "strong.csv")
    decisions = {e["name"]: Decision(MAP, e["exercise_id"]) for e in history_import.names}
    # savepoint, lock the import, the chosen exercises (one query), remember (one upsert), save,
    # release; the job is deferred after the commit
    with django_capture_on_commit_callbacks(execute=False), django_assert_num_queries(6):
        import_confirm(user=lifter, history_import=history_import, decisions=decisions)


def test_a_value_the_database_refuses_fails_the_import_and_adds_nothing(library, lifter, monkeypatch):
    from django.db import IntegrityError

    from training.imports import runner

    history_import = prepare(lifter, "strong.csv")
    decisions = {e["name"]: Decision(MAP, e["exercise_id"]) for e in history_import.names}
    import_confirm(user=lifter, history_import=history_import, decisions=decisions)

    def refused(rows):
        raise IntegrityError('new row for relation "set_logs" violates check constraint')

    monkeypatch.setattr(runner, "_copy_sets", refused)
    done = run(history_import.pk)
    history_import.refresh_from_db()
    assert history_import.status == ImportStatus.FAILED and "check constraint" in history_import.error
    assert done.status == ImportStatus.FAILED and not WorkoutLog.objects.filter(user=lifter).exists()


def test_a_job_that_gives_up_marks_the_import_failed(library, lifter, monkeypatch):
    from types import SimpleNamespace

    from training import tasks
    from training.imports import runner

    history_import = prepare(lifter, "strong.csv")
    decisions = {e["name"]: Decision(MAP, e["exercise_id"]) for e in history_import.names}
    import_confirm(user=lifter, history_import=history_import, decisions=decisions, enqueue=False)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(runner, "_add_all", broken)
    first_try = SimpleNamespace(job=SimpleNamespace(attempts=0))
    with pytest.raises(RuntimeError):
        tasks.run_history_import(first_try, import_id=str(history_import.pk))
    history_import.refresh_from_db()
    assert history_import.status == ImportStatus.RUNNING  # it will be retried
    last_try = SimpleNamespace(job=SimpleNamespace(attempts=tasks.IMPORT_RETRIES))
    with pytest.raises(RuntimeError):
        tasks.run_history_import(last_try, import_id=str(history_import.pk))
    history_import.refresh_from_db()
    assert history_import.status == ImportStatus.FAILED and "nothing was added" in history_import.error


def test_json_body_weight_out_of_range_is_a_problem(lifter):
    data = (
        b'{"format": "hypertroq-training-log", "version": 1, "workouts": [{"started_at": '
        b'"2026-03-01T10:00:00+00:00", "body_weight_kg": 900, "sets": []}]}'
    )
    with pytest.raises(ImportFileError, match="body_weight_kg 900 is not above 0"):
        import_prepare(user=lifter, data=data, semantic=False)
