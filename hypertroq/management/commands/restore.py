"""python manage.py restore PATH [--force]: bring the database back from a ``backup`` dump.

Refuses a database that already has tables unless ``--force``; with ``--force`` it first drops the
``public`` schema (every table, with its data) and recreates it empty, then restores. The restore
runs in one transaction (``pg_restore --single-transaction --exit-on-error``): it either completes
or leaves the (cleaned) database unchanged. Stop the app (or take it out of rotation) first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from hypertroq import pgtools


def _connect(dbname: str) -> psycopg.Connection[Any]:
    db: dict[str, Any] = settings.DATABASES["default"]
    return psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname=dbname,
        autocommit=True,
        connect_timeout=10,
    )


def table_count(dbname: str) -> int:
    with _connect(dbname) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
    return int(row[0]) if row else 0


def clean_database(dbname: str) -> None:
    """Drop every table, view, function and extension in ``public`` by recreating the schema."""
    with _connect(dbname) as conn, conn.transaction():
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
        conn.execute("GRANT ALL ON SCHEMA public TO public")


class Command(BaseCommand):
    help = "Restore the database from a dump made by `backup` (refuses a non-empty database without --force)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="Dump file written by `manage.py backup`")
        parser.add_argument("--force", action="store_true", help="Replace a database that has tables")
        parser.add_argument("--dbname", help="Another database on the same server (default: the app's)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        dbname = options.get("dbname") or str(settings.DATABASES["default"]["NAME"])
        pg_restore = pgtools.find_tool("pg_restore")
        conn_args, env = pgtools.connection_args(dbname)
        # Check the file is a readable dump before touching the database.
        pgtools.run([pg_restore, "--list", str(path)], env)
        connections.close_all()  # our own session must not hold locks on what gets dropped
        tables = table_count(dbname)
        if tables and not options["force"]:
            raise CommandError(
                f"Database {dbname!r} is not empty ({tables} tables). Nothing was changed; "
                "run again with --force to replace its contents with the backup."
            )
        if tables:
            self.stdout.write(f"Cleaning {dbname!r} ({tables} tables) ...")
            clean_database(dbname)
        pgtools.run(
            [
                pg_restore,
                *conn_args,
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
            env,
        )
        self.stdout.write(
            self.style.SUCCESS(f"Restored {dbname!r} from {path} ({table_count(dbname)} tables).")
        )
