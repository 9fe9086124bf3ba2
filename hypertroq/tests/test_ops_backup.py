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


# --- issue 13: a damaged dump never costs the database it was meant to replace ----------------------


def _databases() -> set[str]:
    with _connect(settings.DATABASES["default"]["NAME"]) as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database").fetchall()}


def _fill_and_dump(tmp_path: Path, scratch_db: str) -> tuple[Path, dict[str, list[str]]]:
    """A real backup of the test database, restored into ``scratch_db`` (the database at risk)."""
    for _ in range(40):
        item = SessionExerciseFactory(notes="Pause at the bottom — 2 s " + "x" * 200)
    audit_log(
        action=AuditAction.PROGRAM_IMPORTED, actor=item.session.program.user, target=item.session.program
    )
    dump = tmp_path / "nightly.dump"
    call_command("backup", str(dump))
    call_command("restore", str(dump), dbname=scratch_db)
    return dump, _snapshot(scratch_db)


def _damaged(dump: Path, tmp_path: Path, how: str) -> Path:
    data = bytearray(dump.read_bytes())
    if how == "truncated":
        data = data[: int(len(data) * 0.9)]
    else:  # corrupted: garbage in the compressed table data near the end
        start = int(len(data) * 0.7)
        data[start : start + 64] = b"\xff" * 64
    damaged = tmp_path / f"{how}.dump"
    damaged.write_bytes(bytes(data))
    (tmp_path / f"{how}.dump.manifest.json").write_bytes(
        (dump.with_name(dump.name + ".manifest.json")).read_bytes()
    )
    return damaged


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["truncated", "corrupted"])
def test_restore_force_with_a_damaged_dump_leaves_the_database_untouched(
    tmp_path: Path, scratch_db: str, how: str
):
    dump, before = _fill_and_dump(tmp_path, scratch_db)
    assert len(before["session_exercises"]) == 40
    damaged = _damaged(dump, tmp_path, how)
    databases = _databases()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(damaged), dbname=scratch_db, force=True)
    assert _snapshot(scratch_db) == before  # every row of every table, as it was
    assert "was not changed" in str(refused.value)
    assert _databases() == databases  # no scratch copy left behind
    with _connect(scratch_db) as conn, pytest.raises(psycopg.Error, match="append-only"):
        conn.execute("DELETE FROM audit_logs")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_copy_whose_row_counts_differ_from_the_manifest(tmp_path: Path, scratch_db: str):
    import json

    dump, _ = _fill_and_dump(tmp_path, scratch_db)
    manifest_path = dump.with_name(dump.name + ".manifest.json")
    manifest = json.loads(manifest_path.read_text())
    assert manifest["tables"]["session_exercises"] == 40
    assert "vector" in manifest["extensions"]
    manifest["tables"]["session_exercises"] = 41  # what a dump that lost rows would look like
    manifest_path.write_text(json.dumps(manifest))
    with _connect(scratch_db) as conn:
        conn.execute(
            "DELETE FROM session_exercises WHERE notes IS NOT NULL AND ctid IN (SELECT ctid FROM session_exercises LIMIT 1)"
        )
    changed = _snapshot(scratch_db)
    with pytest.raises(CommandError, match="session_exercises: 40 rows, the backup had 41"):
        call_command("restore", str(dump), dbname=scratch_db, force=True)
    assert _snapshot(scratch_db) == changed


@pytest.mark.django_db(transaction=True)
def test_restore_force_swaps_in_a_verified_copy(tmp_path: Path, scratch_db: str):
    dump, before = _fill_and_dump(tmp_path, scratch_db)
    with _connect(scratch_db) as conn:
        conn.execute("TRUNCATE session_exercises, audit_logs CASCADE")
    databases = _databases()
    call_command("restore", str(dump), dbname=scratch_db, force=True)
    assert _snapshot(scratch_db) == before
    assert _databases() == databases  # the replaced copy is dropped
