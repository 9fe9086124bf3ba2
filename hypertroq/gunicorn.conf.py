"""Gunicorn settings for HypertroQ (``make serve`` and the Docker image).

Sized for a 2-core machine: one process per core, each with a few threads. Requests mostly wait on
PostgreSQL, so threads keep both cores busy, while the embedding model (about 500 MB, loaded on the
first semantic search) exists once per process rather than once per request slot. Every value can
be overridden from the environment (see README, "Environment variables").
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# The first semantic search in a process loads the embedding model (about 8 s on 2 cores).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so slow leaks cannot grow without bound; jitter avoids a stampede.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200

# Heartbeat files in memory, not on a possibly slow container filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - tmpfs, not a temp file

# Trust X-Forwarded-* only from the reverse proxy in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# No "Server: gunicorn" banner: gunicorn writes that header itself, below the app, from this
# module-level name (read each time a response starts), so it is replaced here, in the master,
# before the workers fork. The name says nothing about the software or its version.
SERVER_HEADER = "HypertroQ"


def _hide_server_banner() -> None:
    import gunicorn.http.wsgi

    gunicorn.http.wsgi.SERVER = SERVER_HEADER  # type: ignore[attr-defined]


_hide_server_banner()

accesslog = None  # the app writes one JSON line per request (hypertroq.middleware)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "hypertroq"


# --- Prometheus: several workers share their samples through files (multiprocess mode) ------------
# hypertroq/metrics.py serves /metrics from this directory when the variable is set. It must be set
# here, in the master, before any worker imports prometheus_client.
_OWN_PROMETHEUS_DIR = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _OWN_PROMETHEUS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="hypertroq-prometheus-")


def on_starting(server: Any) -> None:
    """Start from empty metric files (a previous run's would be summed in)."""
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A recycled worker's live gauges must not be reported any more."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    if _OWN_PROMETHEUS_DIR:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
