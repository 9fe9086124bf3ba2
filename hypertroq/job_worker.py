"""A job worker that outlives its database: ``manage.py jobs_worker`` (``make worker``).

Procrastinate's worker stops at the first database error outside a job: a query in flight when
PostgreSQL restarts (fetching the next job, the heartbeat, the periodic deferrer) ends the
process, and then nothing runs jobs until someone restarts it. Its pool already replaces dead idle
connections and its listener reconnects; what is missing is the restart. :func:`supervise` runs
the worker and, after a database error (or a worker that stopped without being asked), opens a
fresh connection pool and starts it again, waiting 0.5 s, 1 s, 2 s … up to 30 s between attempts
while the database is away. Jobs that were running are finished or handed back by the normal
rules (graceful stop; ``retry_stalled_jobs``). SIGINT/SIGTERM stop it for good, gracefully.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from typing import Any

import psycopg
import psycopg_pool
from procrastinate import exceptions as procrastinate_exceptions

logger = logging.getLogger(__name__)

# What a database going away raises, wherever it surfaces (procrastinate wraps psycopg's errors).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    procrastinate_exceptions.ConnectorException,
    psycopg.Error,
    psycopg_pool.PoolTimeout,
    OSError,
)
FIRST_DELAY = 0.5
MAX_DELAY = 30.0
HEALTHY_AFTER = 60.0  # a run this long resets the delay


class Supervisor:
    def __init__(self, app: Any, worker_options: dict[str, Any]) -> None:
        self.app = app
        self.options = {**worker_options, "install_signal_handlers": False}
        self.stopping = False
        self.restarts = 0
        self._current: asyncio.Task[Any] | None = None

    def stop(self) -> None:
        """Stop for good (a signal): the running worker finishes its jobs and returns."""
        self.stopping = True
        if self._current is not None:
            self._current.cancel()

    async def _run_once(self) -> None:
        async with self.app.open_async():
            await self.app.run_worker_async(**self.options)

    async def run(self) -> None:
        delay = FIRST_DELAY
        while not self.stopping:
            started = time.monotonic()
            self._current = asyncio.create_task(self._run_once(), name="jobs worker")
            try:
                await self._current
            except asyncio.CancelledError:
                if self.stopping:
                    return
                raise
            except DATABASE_ERRORS as exc:
                reason = f"{exc.__class__.__name__}: {exc}"
            else:
                if self.stopping or not self.options.get("wait", True):
                    return
                reason = "the worker stopped by itself"
            finally:
                self._current = None
            if time.monotonic() - started > HEALTHY_AFTER:
                delay = FIRST_DELAY
            self.restarts += 1
            logger.warning("jobs worker lost the database (%s); restarting in %.1f s", reason, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY)


async def supervise(app: Any, **worker_options: Any) -> Supervisor:
    supervisor = Supervisor(app, worker_options)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, supervisor.stop)
    await supervisor.run()
    return supervisor
