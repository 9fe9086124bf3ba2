"""The test suite's settings (``pytest.ini``; mypy's django-stubs reads them too).

The development database (embedded PostgreSQL unless ``DATABASE_URL`` is set; pytest-django
creates ``test_hypertroq`` + ``HYPERTROQ_TEST_DB_SUFFIX`` on it), DEBUG off as pytest-django runs
it anyway, and what keeps tests fast and self-contained: MD5 password hashing, mail kept in
memory (``django.core.mail.outbox``), rate limits off unless a test turns them on, source static
files (no collectstatic), and jobs (mail, embeddings) run inline when the transaction commits
(``JOBS_EAGER``) unless a test starts a real worker (the ``job_worker`` fixture).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypertroq.settings.base import *  # noqa: F403
from hypertroq.settings.base import SOURCE_STATIC_FILES, database_settings, env, photo_storage_settings

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = "insecure-test-key-never-used-in-production-" + "x" * 20
DATABASES = {"default": database_settings(embedded_fallback=True)}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=False)
# Progress photos of the tests go to a temporary folder, one per test database.
PHOTO_STORAGE = photo_storage_settings(
    Path(tempfile.gettempdir()) / f"hypertroq-test-media{env.str('HYPERTROQ_TEST_DB_SUFFIX', default='')}"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": SOURCE_STATIC_FILES},
    "photos": PHOTO_STORAGE,
}
DATA_EXPORT_ROOT = Path(tempfile.gettempdir()) / (
    f"hypertroq-test-exports{env.str('HYPERTROQ_TEST_DB_SUFFIX', default='')}"
)
JOBS_EAGER = env.bool("HYPERTROQ_JOBS_EAGER", default=True)
