"""HypertroQ settings package; ``DJANGO_SETTINGS_MODULE`` picks one module of it.

- ``hypertroq.settings.development``: ``manage.py``'s default. Nothing to configure: without
  ``DATABASE_URL`` an embedded PostgreSQL, without ``REDIS_URL`` a local-memory cache, DEBUG on.
- ``hypertroq.settings.production``: the Docker image, ``wsgi.py`` and ``asgi.py``'s default.
  Refuses to start without ``DJANGO_SECRET_KEY`` and ``DATABASE_URL``, or with ``DJANGO_DEBUG`` on.
- ``hypertroq.settings.test``: selected by ``pytest.ini`` (and mypy): fast hashing, mail kept in
  memory, rate limits off, embeddings computed inline.

``base`` holds what all three share; it is not a settings module on its own.
"""
