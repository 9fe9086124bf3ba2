"""python manage.py backup [PATH]: a consistent dump of the database (pg_dump custom format).

pg_dump reads one snapshot, so the dump is consistent while the site keeps serving. Without PATH
it writes ``var/backups/hypertroq-<UTC time>.dump``. The file is written beside its final name and
renamed when complete, so a failed run never leaves a truncated backup under that name.

Beside the dump, ``PATH.manifest.json`` lists the row count of every table and the extensions,
counted in the very snapshot pg_dump reads (``pg_export_snapshot`` + ``pg_dump --snapshot``), so
``restore`` can prove a restored copy holds exactly what was dumped before it replaces anything.
Restore with ``python manage.py restore PATH``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hypertroq import pgtools


def manifest_path_for(dump: Path) -> Path:
    return dump.with_name(dump.name + ".manifest.json")


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
        manifest_path = manifest_path_for(path)
        manifest_partial = manifest_path.with_name(manifest_path.name + ".partial")
        dbname = options.get("dbname") or str(settings.DATABASES["default"]["NAME"])
        conn_args, env = pgtools.connection_args(dbname)
        try:
            # One snapshot for the counts and the dump: the transaction stays open while pg_dump
            # reads the snapshot it exported.
            with pgtools.connect(dbname, autocommit=False) as conn:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                row = conn.execute("SELECT pg_export_snapshot()").fetchone()
                snapshot = str(row[0]) if row else ""
                manifest = {
                    "format": 1,
                    "database": dbname,
                    "created_at": timezone.now().isoformat(),
                    "tables": pgtools.public_table_counts(conn),
                    "extensions": pgtools.extensions(conn),
                }
                command = [
                    pgtools.find_tool("pg_dump"),
                    *conn_args,
                    f"--snapshot={snapshot}",
                    "--format=custom",
                    "--compress=6",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(partial),
                ]
                pgtools.run(command, env)
                conn.rollback()
            manifest_partial.write_text(json.dumps(manifest, indent=1, sort_keys=True))
            os.replace(partial, path)
            os.replace(manifest_partial, manifest_path)
        finally:
            partial.unlink(missing_ok=True)
            manifest_partial.unlink(missing_ok=True)
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path} ({size:,} bytes)."))

    def _default_path(self) -> Path:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return Path(settings.BASE_DIR) / "var" / "backups" / f"hypertroq-{stamp}.dump"
