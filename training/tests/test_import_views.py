"""The Imports pages: upload, problems report, review table, progress, undo, size limit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from training.imports.models import HistoryImport, ImportStatus
from training.models import SetLog, WorkoutLog

FILES = Path(__file__).parent / "import_files"


@pytest.fixture
def lifter(db):
    ExerciseFactory(name="Barbell Bench Press")
    ExerciseFactory(name="Dumbbell Lateral Raise")
    ExerciseFactory(name="Barbell Back Squat")
    return UserFactory()


@pytest.fixture
def lifter_client(client, lifter):
    client.force_login(lifter)
    return client


def upload(client, name, **extra):
    data = {"file": SimpleUploadedFile(name, (FILES / name).read_bytes(), content_type="text/csv"), **extra}
    return client.post("/training/imports/", data)


def review_post(history_import, **overrides):
    data = {}
    for index, entry in enumerate(history_import.names):
        data[f"choice-{index}"] = f"map:{entry['exercise_id']}" if entry["exercise_id"] else "skip"
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_log_in(client, db):
    assert client.get("/training/imports/").status_code == 302


def test_the_page_is_linked_from_the_training_pages(lifter_client):
    assert b'href="/training/imports/"' in lifter_client.get("/training/history/").content


def test_upload_review_import_and_undo(lifter_client, lifter, django_capture_on_commit_callbacks):
    response = upload(lifter_client, "strong.csv")
    history_import = HistoryImport.objects.get(user=lifter)
    assert response.status_code == 302 and response["Location"] == f"/training/imports/{history_import.pk}/"
    page = lifter_client.get(response["Location"]).content.decode()
    assert "What unit are the weights in?" in page  # a Strong file without a unit column
    assert "Bench Press (Barbell)" in page and "Barbell Bench Press" in page
    # The unit is required for this file.
    refused = lifter_client.post(
        f"/training/imports/{history_import.pk}/confirm/", review_post(history_import)
    )
    assert refused.status_code == 400 and "kg or lb" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = lifter_client.post(
            f"/training/imports/{history_import.pk}/confirm/", review_post(history_import, unit="lb")
        )
    assert done.status_code == 302
    history_import.refresh_from_db()
    assert history_import.status == ImportStatus.DONE and history_import.sets_added == 7
    assert SetLog.objects.filter(workout_log__user=lifter, reps=8).values_list("weight_kg", flat=True)[
        0
    ] == Decimal("36.29")  # 80 lb
    page = lifter_client.get(f"/training/imports/{history_import.pk}/").content.decode()
    assert "Workouts added" in page and "Undo this import" in page
    listing = lifter_client.get("/training/imports/").content.decode()
    assert "strong.csv" in listing and "Imported" in listing
    undo = lifter_client.post(f"/training/imports/{history_import.pk}/undo/")
    assert undo.status_code == 302 and not WorkoutLog.objects.filter(user=lifter).exists()


def test_typing_another_exercise(lifter_client, lifter, django_capture_on_commit_callbacks):
    upload(lifter_client, "hevy_lbs.csv")
    history_import = HistoryImport.objects.get(user=lifter)
    bad = lifter_client.post(
        f"/training/imports/{history_import.pk}/confirm/",
        review_post(history_import, **{"choice-0": "other", "other-0": "Moon squat"}),
    )
    assert bad.status_code == 400 and "No exercise called “Moon squat”" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        lifter_client.post(
            f"/training/imports/{history_import.pk}/confirm/",
            review_post(history_import, **{"choice-0": "other", "other-0": "dumbbell lateral raise"}),
        )
    assert set(SetLog.objects.values_list("exercise__name", flat=True)) == {"Dumbbell Lateral Raise"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("not_csv.png", "This is not a CSV or JSON file"),
        ("wrong_columns.csv", "does not name the columns of a Strong, Hevy, FitNotes or HypertroQ export"),
        ("broken_dates.csv", "row 3, column “Date”: “yesterday evening” is not a date"),
        ("negative_weight.csv", "row 3, column “weight_kg”: the weight -20 is negative"),
    ],
)
def test_bad_files_get_a_report_and_change_nothing(lifter_client, lifter, name, expected):
    response = upload(lifter_client, name)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert "nothing was changed" in response.content.decode()
    assert not HistoryImport.objects.exists()


def test_a_file_over_the_limit_is_refused_before_the_body_is_read(lifter_client, lifter):
    response = lifter_client.post(
        "/training/imports/",
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "the limit is 20 MB" in response.content.decode()
    assert not HistoryImport.objects.exists()


def test_a_body_longer_than_it_said_stops_at_the_limit(lifter_client, lifter, monkeypatch):
    from training.imports import views

    monkeypatch.setattr(views, "MAX_IMPORT_BYTES", 1000)
    big = b"Date,Exercise\n" + b"2024-01-01,x\n" * 200
    response = lifter_client.post("/training/imports/", {"file": SimpleUploadedFile("big.csv", big)})
    assert response.status_code == 413 and not HistoryImport.objects.exists()


def test_progress_partial_while_running_and_refresh_when_done(lifter_client, lifter):
    upload(lifter_client, "hevy_kg.csv")
    history_import = HistoryImport.objects.get(user=lifter)
    HistoryImport.objects.filter(pk=history_import.pk).update(
        status=ImportStatus.RUNNING, progress=30, progress_label="Checking"
    )
    url = f"/training/imports/{history_import.pk}/"
    partial = lifter_client.get(url, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert '<progress id="import-bar" max="100" value="30">' in body and "<html" not in body
    full = lifter_client.get(url).content.decode()
    assert 'http-equiv="refresh"' in full  # without JavaScript the page reloads itself
    HistoryImport.objects.filter(pk=history_import.pk).update(status=ImportStatus.DONE, progress=100)
    assert lifter_client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_import_list_query_count_does_not_grow(lifter_client, lifter, django_assert_num_queries):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert lifter_client.get("/training/imports/").status_code == 200
        return len(ctx.captured_queries)

    upload(lifter_client, "hevy_kg.csv")
    one = count()
    for name in ("hevy_lbs.csv", "fitnotes_ios.csv", "fitnotes_android.csv"):
        upload(lifter_client, name)
    assert count() == one


def test_an_import_waiting_for_review_can_be_discarded(lifter_client, lifter):
    upload(lifter_client, "hevy_kg.csv")
    history_import = HistoryImport.objects.get(user=lifter)
    response = lifter_client.post(f"/training/imports/{history_import.pk}/discard/")
    assert response.status_code == 302 and not HistoryImport.objects.exists()
    assert not WorkoutLog.objects.exists()


def test_staff_see_imports_in_the_admin_without_the_file(admin_client, lifter):
    from training.imports.services import import_prepare

    import_prepare(
        user=lifter, data=(FILES / "hevy_kg.csv").read_bytes(), file_name="hevy.csv", semantic=False
    )
    listing = admin_client.get("/admin/training/historyimport/")
    assert listing.status_code == 200 and "hevy.csv" in listing.content.decode()
    page = admin_client.get(f"/admin/training/historyimport/{HistoryImport.objects.get().pk}/change/")
    assert page.status_code == 200 and "Bench Press (Barbell)" in page.content.decode()


def test_the_upload_still_checks_csrf(lifter):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(lifter)
    response = strict.post(
        "/training/imports/",
        {"file": SimpleUploadedFile("hevy.csv", (FILES / "hevy_kg.csv").read_bytes())},
    )
    assert response.status_code == 403 and not HistoryImport.objects.exists()
