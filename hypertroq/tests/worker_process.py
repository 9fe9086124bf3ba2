"""A job worker in its own process on a given database, for the killed-worker test.

python hypertroq/tests/worker_process.py DBNAME EMAIL_BACKEND [WORKER OPTIONS...]

It runs ``manage.py jobs_worker`` (the worker ``make worker`` runs); without options: the mail
queue, polling every 0.2 s, no LISTEN/NOTIFY.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["DJANGO_SETTINGS_MODULE"] = "hypertroq.settings.test"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.DATABASES["default"]["NAME"] = sys.argv[1]  # no connection is open yet
settings.EMAIL_BACKEND = sys.argv[2]
options = sys.argv[3:] or ["--queues=mail", "--no-listen-notify", "--fetch-job-polling-interval=0.2"]
call_command("jobs_worker", *options)
