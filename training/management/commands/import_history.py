"""Import a lifter's training history from a file, for staff moving lifters in bulk.

    python manage.py import_history --user EMAIL FILE [--unit kg|lb] [--min-confidence 0.8]

The format is detected as on the Imports page. Exercise names matched with at least
``--min-confidence`` are accepted, the rest reported and skipped (their choices are not remembered:
they were not the lifter's). The import runs here, in one transaction, and is listed on the
lifter's Imports page, where they can undo it.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from hypertroq.forms import error_text
from training.imports.mapping import ACCEPT_THRESHOLD
from training.imports.reading import MAX_IMPORT_BYTES, ImportFileError
from training.imports.runner import import_run
from training.imports.services import MAP, SKIP, Decision, import_confirm, import_prepare


class Command(BaseCommand):
    help = "Import a training history file (Strong, Hevy, FitNotes, HypertroQ) into a lifter's log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the exported CSV or JSON file")
        parser.add_argument("--user", required=True, help="the lifter's email")
        parser.add_argument("--unit", choices=["kg", "lb"], help="weights' unit when the file does not say")
        parser.add_argument(
            "--min-confidence",
            type=float,
            default=ACCEPT_THRESHOLD,
            help=f"accept exercise matches at least this sure (0-1, default {ACCEPT_THRESHOLD})",
        )
        parser.add_argument(
            "--no-semantic", action="store_true", help="match by name only (no embedding model)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"No user with the email {options['user']}.")
        try:
            size = os.path.getsize(path)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        if size > MAX_IMPORT_BYTES:
            raise CommandError(
                f"{path} is {size / 1024 / 1024:.1f} MB; the limit is {MAX_IMPORT_BYTES // 1024 // 1024} MB."
            )
        with open(path, "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
        started = time.monotonic()
        try:
            history_import = import_prepare(
                user=user,
                data=data,
                file_name=os.path.basename(path),
                unit=options["unit"],
                semantic=not options["no_semantic"],
            )
        except ImportFileError as exc:
            lines = [f"  {p}" for p in exc.problems]
            if exc.total > len(exc.problems):
                lines.append(f"  … and {exc.total - len(exc.problems)} more")
            raise CommandError(
                "The file cannot be imported; nothing was changed:\n" + "\n".join(lines)
            ) from None
        except ValidationError as exc:
            raise CommandError(error_text(exc)) from None
        threshold = options["min_confidence"]
        decisions: dict[str, Decision] = {}
        unmapped = []
        for entry in history_import.names:
            if entry["exercise_id"] and not entry["remembered_skip"] and entry["confidence"] >= threshold:
                decisions[entry["name"]] = Decision(MAP, entry["exercise_id"])
            else:
                decisions[entry["name"]] = Decision(SKIP)
                unmapped.append(entry)
        self.stdout.write(f"Format: {history_import.source_format}; unit: {history_import.unit}")
        import_confirm(
            user=user,
            history_import=history_import,
            decisions=decisions,
            remember_choices=False,
            enqueue=False,
        )
        done = import_run(import_id=history_import.pk)
        if done is None:  # pragma: no cover - the row was just created
            raise CommandError("The import disappeared.")
        if done.error:
            raise CommandError(f"The import failed; nothing was added: {done.error}")
        seconds = time.monotonic() - started
        self.stdout.write(f"Rows read: {done.rows_read}")
        self.stdout.write(f"Rows left out (timed or cardio, no reps): {done.rows_skipped}")
        self.stdout.write(f"Workouts added: {done.workouts_added}")
        self.stdout.write(f"Sets added: {done.sets_added}")
        plural = "" if done.duplicate_workouts == 1 else "s"
        self.stdout.write(
            f"Duplicates skipped: {done.duplicate_workouts} workout{plural} ({done.duplicate_sets} sets)"
        )
        self.stdout.write(f"Names unmapped: {len(unmapped)} ({done.unmapped_sets} sets skipped)")
        for entry in unmapped:
            guess = (
                f"best guess {entry['exercise_name']} at {entry['confidence']:.2f}"
                if entry["exercise_id"]
                else "no match"
            )
            self.stdout.write(f"  {entry['name']} ({entry['sets']} sets): {guess}")
        self.stdout.write(f"Import {done.pk} finished in {seconds:.1f} s.")
