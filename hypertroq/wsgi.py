"""WSGI entry point (gunicorn hypertroq.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hypertroq.settings.production")
application = get_wsgi_application()
