"""python manage.py jobs_worker [-q QUEUE ...] [--concurrency N] [--no-listen-notify]: a job worker
that restarts itself when the database goes away (``hypertroq.job_worker``); what ``make worker``,
the Procfile, the Dockerfile and docker-compose run. ``manage.py procrastinate worker`` still works
but exits at the first database error."""

from __future__ import annotations

import asyncio
from typing import Any

from django.core.management.base import BaseCommand
from procrastinate.contrib.django import app

from hypertroq.job_worker import supervise


class Command(BaseCommand):
    help = "Run a job worker that reconnects after database restarts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "-q",
            "--queues",
            action="append",
            default=[],
            help="Queue(s) to take jobs from (default: all); comma-separated or repeated",
        )
        parser.add_argument("--concurrency", type=int, default=1)
        parser.add_argument("--name", default=None)
        parser.add_argument("--no-listen-notify", dest="listen_notify", action="store_false")
        parser.add_argument("--fetch-job-polling-interval", type=float, default=5.0)
        parser.add_argument(
            "--shutdown-graceful-timeout",
            type=float,
            default=None,
            help="Seconds running jobs get to finish on SIGTERM before they are cancelled (default: wait)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        queues = [q.strip() for value in options["queues"] for q in value.split(",") if q.strip()]
        worker_options: dict[str, Any] = {
            "queues": queues or None,
            "concurrency": options["concurrency"],
            "name": options["name"],
            "listen_notify": options["listen_notify"],
            "fetch_job_polling_interval": options["fetch_job_polling_interval"],
            "shutdown_graceful_timeout": options["shutdown_graceful_timeout"],
        }
        connector: Any = app.connector
        with app.replace_connector(connector.get_worker_connector()):
            asyncio.run(supervise(app, **worker_options))
