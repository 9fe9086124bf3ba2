#!/bin/sh
# Refuse to start without the settings production needs, with a message that says what is missing.
# (Without DATABASE_URL the settings would start an embedded development database instead.)
set -eu

missing=""
[ -n "${DATABASE_URL:-}" ] || missing="$missing DATABASE_URL"
[ -n "${DJANGO_SECRET_KEY:-}" ] || missing="$missing DJANGO_SECRET_KEY"
if [ -n "$missing" ]; then
    echo "hypertroq: required environment variable(s) not set:$missing" >&2
    echo "  DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME (PostgreSQL with pgvector and pg_trgm)" >&2
    echo "  DJANGO_SECRET_KEY=<a long random string>" >&2
    exit 64
fi

exec "$@"
