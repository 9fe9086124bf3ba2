"""Production (the Docker image, ``wsgi.py``/``asgi.py``'s default): refuses unsafe values.

``DJANGO_SECRET_KEY`` and ``DATABASE_URL`` are required (never the embedded database), DEBUG
cannot be turned on, cookies are HTTPS-only, plain HTTP is redirected and HSTS is sent.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from hypertroq.settings.base import *  # noqa: F403
from hypertroq.settings.base import SECRET_KEY, database_settings, env, https_only_settings

if env.bool("DJANGO_DEBUG", default=False):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG must be off in production; hypertroq.settings.development is for debugging."
    )
DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
DATABASES = {"default": database_settings(embedded_fallback=False)}

globals().update(https_only_settings())
