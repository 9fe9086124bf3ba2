"""backup -> restore round trip: every row of every table comes back equal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.tests.factories import UserFactory
from hypertroq.audit import AuditAction, audit_log
from programs.tests.factories import SessionExerciseFactory

SCRATCH_DB = "test_hypertroq_ops_restore_scratch"


def _connect(dbname: str) -> psycopg.Connection[Any]:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


def _snapshot(dbname: str) -> dict[str, list[str]]:
    """Every row of every table, as sorted text, per table."""
    with _connect(dbname) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {
            table: sorted(row[0] for row in conn.execute(f'SELECT t::text FROM "{table}" t').fetchall())
            for table in tables
        }


@pytest.fixture
def scratch_db():
    admin_db = settings.DATABASES["default"]["NAME"]
    with _connect(admin_db) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    yield SCRATCH_DB
    with _connect(admin_db) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_brings_back_every_row(tmp_path: Path, scratch_db: str):
    # Data across the schema: organizations, users, exercises, programs, sessions, audit entries.
    for _ in range(3):
        item = SessionExerciseFactory(notes="Pause at the bottom — 2 s")
        audit_log(
            action=AuditAction.PROGRAM_IMPORTED, actor=item.session.program.user, target=item.session.program
        )
    UserFactory(full_name="Zoë Ünicode")
    source = _snapshot(connection.settings_dict["NAME"])
    assert len(source["session_exercises"]) == 3
    assert len(source["audit_logs"]) >= 3
    assert len(source["django_migrations"]) > 10

    dump = tmp_path / "nightly.dump"
    call_command("backup", str(dump))
    assert dump.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))

    # Restore into an empty database: every row equal.
    call_command("restore", str(dump), dbname=scratch_db)
    assert _snapshot(scratch_db) == source

    # A database with tables is refused without --force, and left as it was.
    with _connect(scratch_db) as conn:
        conn.execute("TRUNCATE session_exercises, audit_logs CASCADE")  # the "wipe"
        conn.execute("CREATE TABLE leftover (id int)")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(dump), dbname=scratch_db)
    with _connect(scratch_db) as conn:
        assert conn.execute("SELECT count(*) FROM session_exercises").fetchone() == (0,)

    # --force cleans first (the leftover table goes too) and restores every row.
    call_command("restore", str(dump), dbname=scratch_db, force=True)
    assert _snapshot(scratch_db) == source

    # The restored database keeps its rules: pgvector, and the append-only audit trigger.
    with _connect(scratch_db) as conn:
        assert conn.execute("SELECT extname FROM pg_extension WHERE extname = 'vector'").fetchone() == (
            "vector",
        )
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("DELETE FROM audit_logs")


def test_restore_refuses_a_missing_or_broken_file(tmp_path: Path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), dbname=SCRATCH_DB)
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"not a dump")
    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command("restore", str(broken), dbname=SCRATCH_DB)
