"""Builds a lifter's "Download my data" ZIP from every app's own selectors (this app sits above
them all). Written to a file one member at a time: the training log (CSV and JSON) streams from
the database one workout at a time and photos are read one at a time, so memory stays flat
however long the history is. The layout and formats are in ``FORMAT.md``, which goes into the archive as
its ``README.md``."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from accounts.selectors import user_preferences_for
from body.photo_selectors import photo_files_for_export
from body.selectors import measurements_for_export
from notifications.selectors import preference_rows, reminder_settings_for
from programs.selectors import program_list_for_user, volume_preference_for
from programs.transfer import program_export_data
from training.analysis.export import log_csv_rows, log_json_chunks
from training.selectors import current_program_id_for

FORMAT_FILE = Path(__file__).with_name("FORMAT.md")
ARCHIVE_FORMAT = "hypertroq-data-export"
ARCHIVE_VERSION = 1
MEASUREMENT_COLUMNS = ["date", "kind", "category", "dimension", "value", "unit"]


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _write_csv(archive: zipfile.ZipFile, name: str, rows: Iterable[list[Any]]) -> None:
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        writer = csv.writer(text)
        for row in rows:
            writer.writerow(row)


def profile_data(user: Any) -> dict[str, Any]:
    organization = user.organization
    return {
        "email": user.email,
        "full_name": user.full_name,
        "joined_at": user.created_at.isoformat(),
        "role": user.role,
        "tier": user.subscription_tier,
        "organization": {"name": organization.name, "tier": organization.subscription_tier},
    }


def preferences_data(user: Any) -> dict[str, Any]:
    prefs = user_preferences_for(user=user)
    volume = volume_preference_for(user=user)
    reminder = reminder_settings_for(user=user)
    program_id = current_program_id_for(user=user)
    return {
        "unit": prefs.unit,
        "display_increment": str(prefs.display_increment),
        "bar_weight": str(prefs.bar_weight),
        "plates": [str(p) for p in prefs.plates],
        "rir_threshold": str(prefs.rir_threshold),
        "time_zone": prefs.time_zone,
        "week_start": prefs.week_start,
        "default_rest_seconds": prefs.default_rest_seconds,
        "counting": prefs.counting,
        "landmark_overrides": volume.landmark_overrides if volume is not None else {},
        "current_program_id": str(program_id) if program_id else None,
        "notifications": {
            row.kind: {"in_app": row.in_app, "email": row.email} for row in preference_rows(user=user)
        },
        "reminders": {
            "time_zone": reminder.time_zone,
            "remind_at": reminder.remind_at.strftime("%H:%M"),
            "weekdays": list(reminder.weekdays),
        },
    }


def build_archive(*, user: Any, path: Path) -> dict[str, int]:
    """Write the archive to ``path``; returns the counts listed in its manifest."""
    counts = {"programs": 0, "workouts": 0, "sets": 0, "measurements": 0, "photos": 0}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", FORMAT_FILE.read_bytes())
        archive.writestr("profile.json", _json(profile_data(user)))
        archive.writestr("preferences.json", _json(preferences_data(user)))
        for program in program_list_for_user(user=user).order_by("created_at"):
            name = f"programs/{slugify(program.name)[:60] or 'program'}-{str(program.pk)[:8]}.json"
            archive.writestr(name, _json(program_export_data(program=program)))
            counts["programs"] += 1
        _write_csv(archive, "training/log.csv", log_csv_rows(user=user))
        log_counts: dict[str, int] = {}
        with archive.open("training/log.json", "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as text:
            for chunk in log_json_chunks(user=user, counts=log_counts):
                text.write(chunk)
        counts.update(log_counts)
        measurements = measurements_for_export(user=user)
        counts["measurements"] = len(measurements)
        _write_csv(
            archive,
            "body/measurements.csv",
            [MEASUREMENT_COLUMNS, *([row[c] for c in MEASUREMENT_COLUMNS] for row in measurements)],
        )
        photos = []
        for photo in photo_files_for_export(user=user):
            archive.writestr(f"body/photos/{photo.filename}", photo.read(), compress_type=zipfile.ZIP_STORED)
            photos.append(
                {
                    "file": f"photos/{photo.filename}",
                    "taken_on": photo.taken_on.isoformat(),
                    "pose": photo.pose,
                    "note": photo.note,
                }
            )
        counts["photos"] = len(photos)
        archive.writestr("body/photos.json", _json(photos))
        archive.writestr(
            "manifest.json",
            _json(
                {
                    "format": ARCHIVE_FORMAT,
                    "version": ARCHIVE_VERSION,
                    "exported_at": timezone.now().isoformat(timespec="seconds"),
                    "counts": counts,
                }
            ),
        )
    return counts
