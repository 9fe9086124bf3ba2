"""Production (the Docker image, ``wsgi.py``/``asgi.py``'s default): refuses unsafe values.

``DJANGO_SECRET_KEY`` and ``DATABASE_URL`` are required (never the embedded database), DEBUG
cannot be turned on, cookies are HTTPS-only, plain HTTP is redirected and HSTS is sent. It also
refuses to start with

- a weak secret key: shorter than 50 characters, fewer than 10 different characters, or one of the
  placeholders (``insecure``, ``changeme``, ``secret``...): it signs sessions and email links;
- no ``REDIS_URL``: rate limits, lockouts and the AI-query reuse window would then be per worker
  process (each worker its own budget). ``HYPERTROQ_SINGLE_PROCESS_CACHE=true`` accepts the local
  cache knowingly, for a one-process server (a smoke test, a benchmark), never for real traffic;
- ``HYPERTROQ_NUM_PROXIES`` unset or out of range (0-5). It is how many reverse proxies that
  append to ``X-Forwarded-For`` stand between clients and gunicorn: 0 when clients reach gunicorn
  directly (``X-Forwarded-For`` is then ignored: any client can write it), 1 behind one proxy
  (nginx, a load balancer) that gunicorn alone can be reached from. Too high, and a client chooses
  its own address for rate limits, lockouts and the audit log; too low, and everyone shares the
  proxy's address. There is no safe default, so it must be said.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from hypertroq.settings.base import *  # noqa: F403
from hypertroq.settings.base import (
    NUM_PROXIES_SETTING,
    REDIS_URL,
    SECRET_KEY,
    database_settings,
    env,
    https_only_settings,
)

WEAK_SECRET_WORDS = ("insecure", "changeme", "change-me", "secret", "password", "example", "django")

if env.bool("DJANGO_DEBUG", default=False):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG must be off in production; hypertroq.settings.development is for debugging."
    )
DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
DATABASES = {"default": database_settings(embedded_fallback=False)}
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 10
    or any(word in SECRET_KEY.lower() for word in WEAK_SECRET_WORDS)
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
        '`python -c "import secrets; print(secrets.token_urlsafe(50))"`.'
    )
if not REDIS_URL and not env.bool("HYPERTROQ_SINGLE_PROCESS_CACHE", default=False):
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: without a shared cache, rate limits and login lockouts "
        "count per worker process. (HYPERTROQ_SINGLE_PROCESS_CACHE=true accepts that for a "
        "one-process server.)"
    )
if not NUM_PROXIES_SETTING or not 0 <= int(NUM_PROXIES_SETTING) <= 5:
    raise ImproperlyConfigured(
        "HYPERTROQ_NUM_PROXIES must be set in production to how many reverse proxies append to "
        "X-Forwarded-For in front of gunicorn: 0 if clients reach gunicorn directly, 1 behind one "
        "proxy (the usual case), at most 5. See README, 'Deploying behind a proxy'."
    )

globals().update(https_only_settings())
