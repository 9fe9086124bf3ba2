"""python manage.py restore PATH [--force]: bring the database back from a ``backup`` dump.

Never leaves the database worse than it found it. The dump is restored into a scratch database on
the same server (``<name>__restore_<time>``), in one transaction (``pg_restore --single-transaction
--exit-on-error``), and the copy is verified before anything else is touched:

- every table the dump lists exists, with the row counts ``backup`` recorded in the manifest
  beside the dump (``PATH.manifest.json``; without one, only the structure is checked, and said);
- every extension the dump creates (pgvector, pg_trgm) is there;
- the append-only trigger of the audit log is there, and ``django_migrations`` has rows.

Only then are the databases swapped, by two renames in one transaction (the original becomes
``<name>__before_restore_<time>``, dropped afterwards unless ``--keep-old``). A truncated or
corrupted dump, a failed check or a failed rename drops the scratch copy and leaves the original
exactly as it was. A database that already has tables is replaced only with ``--force``.

The database role needs CREATEDB (and, for the extensions in the dump, the right to create them).
Stop the app (or take it out of rotation) first: a rename needs the database to itself, so with
``--force`` the other sessions of the target database are ended just before the swap.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import psycopg
import psycopg.sql
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from hypertroq import pgtools
from hypertroq.management.commands.backup import manifest_path_for

AUDIT_TRIGGER = "trg_audit_logs_append_only"
# The server's maintenance database: renames and drops are issued from a session outside both.
MAINTENANCE_DB = "postgres"
_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE public (\S+) ")
_TOC_EXTENSION = re.compile(r"^\d+; \d+ \d+ EXTENSION - (\S+) ")


def _connect(dbname: str) -> psycopg.Connection[Any]:
    return pgtools.connect(dbname)


def table_count(dbname: str) -> int:
    with _connect(dbname) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
    return int(row[0]) if row else 0


def _ident(name: str) -> psycopg.sql.Composable:
    return psycopg.sql.Identifier(name)


def _drop_database(dbname: str) -> None:
    with _connect(MAINTENANCE_DB) as conn:
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(_ident(dbname)))


def dump_contents(listing: str) -> tuple[set[str], set[str]]:
    """(tables, extensions) a dump creates, from ``pg_restore --list``."""
    tables = {m.group(1) for line in listing.splitlines() if (m := _TOC_TABLE.match(line))}
    extensions = {m.group(1) for line in listing.splitlines() if (m := _TOC_EXTENSION.match(line))}
    return tables, extensions


def verify_copy(
    dbname: str, *, tables: set[str], extensions: set[str], manifest: dict[str, Any] | None
) -> list[str]:
    """What is wrong with the restored copy (empty when it is complete)."""
    problems: list[str] = []
    with _connect(dbname) as conn:
        counts = pgtools.public_table_counts(conn)
        present_extensions = set(pgtools.extensions(conn))
        trigger = conn.execute(
            "SELECT 1 FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal", [AUDIT_TRIGGER]
        ).fetchone()
    missing = sorted(tables - set(counts))
    if missing:
        problems.append(f"tables missing after the restore: {', '.join(missing)}")
    if not counts.get("django_migrations"):
        problems.append("django_migrations is missing or empty")
    missing_ext = sorted(extensions - present_extensions)
    if missing_ext:
        problems.append(f"extensions missing: {', '.join(missing_ext)}")
    if "audit_logs" in counts and trigger is None:
        problems.append(f"the audit log's append-only trigger ({AUDIT_TRIGGER}) is missing")
    if manifest is not None:
        expected: dict[str, int] = manifest.get("tables", {})
        for table, count in sorted(expected.items()):
            if counts.get(table) != count:
                problems.append(f"{table}: {counts.get(table, 'no table')} rows, the backup had {count}")
        missing_ext = sorted(set(manifest.get("extensions", [])) - present_extensions)
        if missing_ext:
            problems.append(f"extensions of the backup missing: {', '.join(missing_ext)}")
    return problems


class Command(BaseCommand):
    help = (
        "Restore the database from a dump made by `backup`: into a scratch copy, verified, then "
        "swapped in (refuses a non-empty database without --force)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="Dump file written by `manage.py backup`")
        parser.add_argument("--force", action="store_true", help="Replace a database that has tables")
        parser.add_argument("--dbname", help="Another database on the same server (default: the app's)")
        parser.add_argument(
            "--keep-old",
            action="store_true",
            help="Keep the replaced database as <name>__before_restore_<time>",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        dbname = options.get("dbname") or str(settings.DATABASES["default"]["NAME"])
        pg_restore = pgtools.find_tool("pg_restore")
        # A first look at the file before touching anything (a truncated dump can still pass it).
        try:
            listing = pgtools.run(
                [pg_restore, "--list", str(path)], pgtools.connection_args(dbname)[1]
            ).stdout
        except CommandError as exc:
            raise CommandError(f"{exc} Database {dbname!r} was not changed.") from exc
        tables, extensions = dump_contents(listing)
        manifest = self._manifest(path)
        connections.close_all()  # our own sessions must not hold the target database
        existing = table_count(dbname)
        if existing and not options["force"]:
            raise CommandError(
                f"Database {dbname!r} is not empty ({existing} tables). Nothing was changed; "
                "run again with --force to replace its contents with the backup."
            )
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        scratch = f"{dbname[:30]}__restore_{stamp}"
        old = f"{dbname[:30]}__before_restore_{stamp}"
        with _connect(MAINTENANCE_DB) as conn:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(_ident(scratch)))
        try:
            self.stdout.write(f"Restoring {path} into a scratch database {scratch!r} ...")
            conn_args, env = pgtools.connection_args(scratch)
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
            problems = verify_copy(scratch, tables=tables, extensions=extensions, manifest=manifest)
            if problems:
                raise CommandError("The restored copy is incomplete: " + "; ".join(problems) + ".")
            self._swap(dbname, scratch, old)
        except BaseException as exc:
            _drop_database(scratch)
            if isinstance(exc, CommandError):
                raise CommandError(f"{exc} Database {dbname!r} was not changed.") from exc
            raise
        if not options["keep_old"]:
            _drop_database(old)
            kept = ""
        else:
            kept = f" The replaced database is kept as {old!r}."
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {dbname!r} from {path} ({table_count(dbname)} tables, verified"
                f"{' against the manifest' if manifest else ''}).{kept}"
            )
        )

    def _manifest(self, path: Path) -> dict[str, Any] | None:
        manifest_path = manifest_path_for(path)
        if not manifest_path.is_file():
            self.stderr.write(
                f"No manifest beside the dump ({manifest_path.name}): row counts can't be checked, "
                "only the structure."
            )
            return None
        try:
            manifest = json.loads(manifest_path.read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(
                f"The manifest {manifest_path} is unreadable: {exc}. Nothing was changed."
            ) from exc
        if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
            raise CommandError(
                f"The manifest {manifest_path} is not one `backup` wrote. Nothing was changed."
            )
        return manifest

    def _swap(self, dbname: str, scratch: str, old: str) -> None:
        """Two renames in one transaction: either both happen or neither."""
        with _connect(MAINTENANCE_DB) as conn:
            # A rename needs the database to itself: end the other sessions (the app should be
            # stopped; idle pooled connections would otherwise block the swap).
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [dbname],
            )
            try:
                with conn.transaction():
                    conn.execute(
                        psycopg.sql.SQL("ALTER DATABASE {} RENAME TO {}").format(_ident(dbname), _ident(old))
                    )
                    conn.execute(
                        psycopg.sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                            _ident(scratch), _ident(dbname)
                        )
                    )
            except psycopg.Error as exc:
                raise CommandError(f"Could not swap the restored copy in: {exc}.") from exc
