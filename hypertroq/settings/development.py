"""A developer's machine: works with no configuration at all (``make run`` on a fresh clone).

No ``DATABASE_URL``: the embedded PostgreSQL under var/pgdata. No ``REDIS_URL``: local-memory
cache. No ``DJANGO_SECRET_KEY``: a fixed key that is never used in production (production.py
refuses to start without its own). ``DJANGO_DEBUG=false`` gives production's static files and
HTTPS-only settings on this machine's database.
"""

from __future__ import annotations

from hypertroq.settings.base import *  # noqa: F403
from hypertroq.settings.base import (
    MANIFEST_STATIC_FILES,
    PHOTO_STORAGE,
    SOURCE_STATIC_FILES,
    database_settings,
    env,
    https_only_settings,
)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or (
    "insecure-development-key-never-used-in-production-" + "x" * 20
)
DATABASES = {"default": database_settings(embedded_fallback=True)}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": SOURCE_STATIC_FILES if DEBUG else MANIFEST_STATIC_FILES},
    "photos": PHOTO_STORAGE,
}
if DEBUG:
    WHITENOISE_MAX_AGE = 0
else:
    globals().update(https_only_settings())
