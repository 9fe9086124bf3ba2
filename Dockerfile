# HypertroQ production image: Python 3.11 slim, gunicorn behind your reverse proxy.
#
#   docker build -t hypertroq .
#   docker run --rm -e DATABASE_URL=... -e DJANGO_SECRET_KEY=... hypertroq python manage.py migrate
#   docker run --rm -e DATABASE_URL=... -e DJANGO_SECRET_KEY=... hypertroq python manage.py seed
#   docker run -p 8000:8000 -e DATABASE_URL=... -e DJANGO_SECRET_KEY=... \
#              -e DJANGO_ALLOWED_HOSTS=app.example.org -e REDIS_URL=... hypertroq
#
# The same image is a job worker (mail, embeddings, digests, reminders) with another command:
#   docker run -e DATABASE_URL=... -e DJANGO_SECRET_KEY=... -e REDIS_URL=... hypertroq \
#              python manage.py jobs_worker
# docker-compose.yml states the whole production topology (web x N, workers x N, PostgreSQL with
# pgvector, Redis).
#
# DATABASE_URL is required (PostgreSQL with the vector and pg_trgm extensions); the image never
# starts the embedded development database. Every variable is described in README.md.
FROM python:3.11-slim

# torch is pinned in requirements.txt. On x86-64 the default package index serves the CUDA build
# of that version (several GB of GPU libraries this CPU-only app never uses). Point this at a
# package index that carries the CPU build of the same version to get the small one; the pin is
# satisfied either way.
ARG TORCH_INDEX_URL=""

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=hypertroq.settings.production \
    GUNICORN_BIND=0.0.0.0:8000 \
    HOME=/home/hypertroq

WORKDIR /app

RUN groupadd --system --gid 10001 hypertroq \
    && useradd --system --uid 10001 --gid hypertroq --home-dir /home/hypertroq --create-home \
       --shell /usr/sbin/nologin hypertroq

COPY requirements.txt ./
RUN if [ -n "$TORCH_INDEX_URL" ]; then \
        pip install --index-url "$TORCH_INDEX_URL" "$(grep -E '^torch==' requirements.txt)"; \
    fi \
    && pip install -r requirements.txt

COPY . .

# Static files are collected at build time (whitenoise serves them, hashed and compressed).
# Settings are imported without a real secret or database: these values exist only in this step.
RUN DJANGO_SECRET_KEY=build-time-only-not-a-secret \
    DATABASE_URL=postgres://build@127.0.0.1:5432/build \
    python manage.py collectstatic --noinput \
    && chmod 0755 docker/entrypoint.sh \
    && mkdir -p /app/var/media \
    && chown hypertroq:hypertroq /app/var/media \
    && chmod 0700 /app/var/media

USER hypertroq
EXPOSE 8000

# /healthz answers 200 when PostgreSQL answers and 503 when it does not (stdlib only, no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "hypertroq.wsgi", "-c", "hypertroq/gunicorn.conf.py"]
