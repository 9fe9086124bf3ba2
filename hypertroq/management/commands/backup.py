"""python manage.py backup [PATH]: a consistent dump of the database (pg_dump custom format).

pg_dump reads one snapshot, so the dump is consistent while the site keeps serving. Without PATH
it writes ``var/backups/hypertroq-<UTC time>.dump``. The file is written beside its final name and
renamed when complete, so a failed run never leaves a truncated backup under that name.
Restore with ``python manage.py restore PATH``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hypertroq import pgtools


class Command(BaseCommand):
    help = "Write a consistent dump of the database (pg_dump custom format)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", help="Output file (default var/backups/hypertroq-<time>.dump)")
        parser.add_argument("--dbname", help="Another database on the same server (default: the app's)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"]) if options["path"] else self._default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise CommandError(f"{path} is a directory; give a file name.")
        partial = path.with_name(path.name + ".partial")
        conn_args, env = pgtools.connection_args(options.get("dbname"))
        command = [
            pgtools.find_tool("pg_dump"),
            *conn_args,
            "--format=custom",
            "--compress=6",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(partial),
        ]
        try:
            pgtools.run(command, env)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path} ({size:,} bytes)."))

    def _default_path(self) -> Path:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return Path(settings.BASE_DIR) / "var" / "backups" / f"hypertroq-{stamp}.dump"
