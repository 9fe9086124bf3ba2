"""Download my data: the archive's contents (and that they re-import), one pending export at a
time, owner-only download, expiry and the deletion job, and the real job queue once."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_preferences_update
from accounts.tests.factories import UserFactory
from body import photo_services
from body.models import Kind
from body.tests.factories import MeasurementFactory
from body.tests.photos import jpeg_with_exif
from exercises.tests.factories import ExerciseFactory
from hypertroq.jobs import QUEUE_DEFAULT
from notifications.models import Notification, NotificationKind
from portability import services
from portability.models import DataExport, ExportStatus
from portability.runner import data_export_build, data_exports_delete_expired, export_path
from programs.models import TrainingProgram
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory
from programs.transfer import parse_import_text, program_import
from training.analysis.export import CSV_HEADER
from training.imports.formats import parse_file
from training.tests.factories import SetLogFactory, WorkoutLogFactory

PAGE = "/data/"


def _lifter():
    user = UserFactory(email="lee@example.com", full_name="Lee Lifter")
    user_preferences_update(user=user, unit="lb", week_start=6, counting="direct")
    program = TrainingProgramFactory(user=user, name="Upper Lower", frequency=2)
    session = WorkoutSessionFactory(program=program, name="Upper A", day_of_week=0)
    bench = ExerciseFactory(name="Barbell Bench Press")
    SessionExerciseFactory(session=session, exercise=bench, sets=4, reps="6-8", order_index=0)
    for day in range(3):
        workout = WorkoutLogFactory(
            user=user, session_name="Upper A", started_at=timezone.now() - dt.timedelta(days=7 * (3 - day))
        )
        for n in range(2):
            SetLogFactory(
                workout_log=workout, exercise=bench, weight_kg=Decimal("80") + day, reps=8, order_index=n
            )
    MeasurementFactory(user=user, kind=Kind.BODY_WEIGHT, value=Decimal("82.40"))
    MeasurementFactory(user=user, kind=Kind.WAIST, value=Decimal("84.00"))
    data = jpeg_with_exif(size=(600, 800), orientation=1)
    photo = photo_services.photo_upload(
        user=user,
        upload=io.BytesIO(data),
        size=len(data),
        taken_on=timezone.localdate(),
        pose="FRONT",
        today=timezone.localdate(),
    )
    return user, photo


def _built(user) -> DataExport:
    export = services.data_export_request(user=user)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


@pytest.mark.django_db
def test_the_archive_holds_everything_in_the_documented_layout():
    user, _ = _lifter()
    UserFactory()  # someone else's data stays out
    export = _built(user)
    assert export.status == ExportStatus.READY and export.size_bytes == export_path(export).stat().st_size
    with zipfile.ZipFile(export_path(export)) as archive:
        names = set(archive.namelist())
        photos = json.loads(archive.read("body/photos.json"))
        assert {
            "README.md",
            "manifest.json",
            "profile.json",
            "preferences.json",
            "training/log.csv",
            "training/log.json",
            "body/measurements.csv",
            "body/photos.json",
            f"body/{photos[0]['file']}",
        } <= names
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "hypertroq-data-export" and manifest["version"] == 1
        assert manifest["counts"] == {"programs": 1, "workouts": 3, "sets": 6, "measurements": 2, "photos": 1}
        assert "# Your HypertroQ data" in archive.read("README.md").decode()
        assert json.loads(archive.read("profile.json"))["email"] == "lee@example.com"
        prefs = json.loads(archive.read("preferences.json"))
        assert (prefs["unit"], prefs["week_start"], prefs["counting"]) == ("lb", 6, "direct")
        [program_file] = [n for n in names if n.startswith("programs/")]
        assert program_file.startswith("programs/upper-lower-")
        rows = list(csv.reader(io.StringIO(archive.read("training/log.csv").decode())))
        assert rows[0] == CSV_HEADER and len(rows) == 7
        log = json.loads(archive.read("training/log.json"))
        assert log["format"] == "hypertroq-training-log" and len(log["workouts"]) == 3
        measurements = list(csv.DictReader(io.StringIO(archive.read("body/measurements.csv").decode())))
        assert {(m["kind"], m["value"], m["unit"]) for m in measurements} == {
            ("BODY_WEIGHT", "82.40", "kg"),
            ("WAIST", "84.00", "cm"),
        }
        jpeg = archive.read(f"body/{photos[0]['file']}")
        assert jpeg[:3] == b"\xff\xd8\xff" and b"Exif" not in jpeg[:200]  # the stored photo, no EXIF


@pytest.mark.django_db
def test_what_is_exported_imports_again():
    user, _ = _lifter()
    export = _built(user)
    with zipfile.ZipFile(export_path(export)) as archive:
        program_text = next(archive.read(n) for n in archive.namelist() if n.startswith("programs/"))
        csv_bytes = archive.read("training/log.csv")
        json_bytes = archive.read("training/log.json")
    copy = program_import(user=UserFactory(), data=parse_import_text(program_text))
    assert TrainingProgram.objects.get(pk=copy.pk).name.startswith("Upper Lower")
    for data in (csv_bytes, json_bytes):
        parsed = parse_file(data)
        assert parsed.set_count == 6 and set(parsed.names()) == {"Barbell Bench Press"}


@pytest.mark.django_db
def test_asking_twice_while_one_is_prepared_gives_that_one(django_assert_num_queries):
    user = UserFactory()
    user.organization  # noqa: B018  (loaded with the user in a request)
    # savepoint, lock a pending one (none), savepoint, insert, release, release
    with django_assert_num_queries(6):
        first = services.data_export_request(user=user)
    # savepoint, lock the pending one, release
    with django_assert_num_queries(3):
        assert services.data_export_request(user=user) == first
    assert DataExport.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_a_pending_export_whose_job_gave_up_does_not_block_a_new_one():
    user = UserFactory()
    stale = services.data_export_request(user=user)
    DataExport.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(hours=3))
    fresh = services.data_export_request(user=user)
    assert fresh != stale
    assert DataExport.objects.get(pk=stale.pk).status == ExportStatus.FAILED


@pytest.mark.django_db
def test_only_the_owner_downloads(client):
    user, _ = _lifter()
    export = _built(user)
    url = reverse("portability:download", kwargs={"export_id": export.pk})
    assert client.get(url).status_code == 302  # anonymous: log in first
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).testzip() is None


@pytest.mark.django_db
def test_an_expired_download_is_gone_and_the_job_deletes_its_file(client):
    user = UserFactory()
    old, current = _built(user), _built(user)
    DataExport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(user)
    assert client.get(reverse("portability:download", kwargs={"export_id": old.pk})).status_code == 410
    assert data_exports_delete_expired(now=timezone.now()) == 1
    assert data_exports_delete_expired(now=timezone.now()) == 0  # idempotent
    assert not export_path(old).exists() and export_path(current).exists()
    assert DataExport.objects.get(pk=old.pk).status == ExportStatus.EXPIRED
    assert client.get(reverse("portability:download", kwargs={"export_id": current.pk})).status_code == 200


@pytest.mark.django_db
def test_the_page_asks_and_lists(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    assert "Prepare my download" in client.get(PAGE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the job runs in-process (eager)
        assert client.post(PAGE)["Location"] == PAGE
    export = DataExport.objects.get(user=user)
    assert export.status == ExportStatus.READY
    user_preferences_update(user=user, time_zone="Pacific/Auckland")  # times in the lifter's zone
    page = client.get(PAGE).content.decode()
    assert reverse("portability:download", kwargs={"export_id": export.pk}) in page
    local = timezone.localtime(export.created_at, dt.timezone(dt.timedelta(hours=13)))
    assert f"{local:%H:%M}" in page


def test_a_real_worker_builds_it_and_tells_the_lifter(client, job_worker):
    user, _ = _lifter()
    client.force_login(user)
    client.post(PAGE)
    export = DataExport.objects.get(user=user)
    assert export.status == ExportStatus.PENDING  # queued, not built in the request
    job_worker.run_until_idle(queues=[QUEUE_DEFAULT, "mail"])
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export_path(export).exists()
    note = Notification.objects.get(user=user, kind=NotificationKind.DATA_EXPORT_READY)
    assert note.url == reverse("portability:download", kwargs={"export_id": export.pk})
    assert any("Your data download is ready" in m.subject for m in mail.outbox)


@pytest.mark.django_db
def test_a_purged_accounts_archive_is_deleted_with_the_next_run():
    gone, kept = UserFactory(), UserFactory()
    orphan, current = _built(gone), _built(kept)
    gone.delete()  # the account purge: the export rows go with the user (CASCADE)
    assert export_path(orphan).exists()
    later = timezone.now() + dt.timedelta(hours=2)
    data_exports_delete_expired(now=later)
    assert not export_path(orphan).exists() and export_path(current).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("exports", [0, 3])
def test_the_page_reads_in_a_fixed_number_of_queries(client, exports, django_assert_num_queries):
    user = UserFactory()
    for _ in range(exports):
        DataExport.objects.create(user=user, status=ExportStatus.FAILED)
    client.force_login(user)
    client.get(PAGE)  # warm the session
    # session, user (with the lifter's preferences: the time zone), the exports, the bell's count
    with django_assert_num_queries(4):
        assert client.get(PAGE).status_code == 200
