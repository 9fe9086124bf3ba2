# HypertroQ: `make run` to use it, `make test` to check it.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Settings module (hypertroq/settings/): development unless the environment names another.
export DJANGO_SETTINGS_MODULE ?= hypertroq.settings.development
# `make serve` is gunicorn: production settings when a real database is named, else development.
SERVE_SETTINGS ?= $(if $(DATABASE_URL),hypertroq.settings.production,$(DJANGO_SETTINGS_MODULE))

.PHONY: run web worker install migrate seed embed test lint format pytest superuser serve db-stop clean-db bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput

seed: migrate
	DJANGO_DEBUG=true $(PY) manage.py seed

embed: seed
	DJANGO_DEBUG=true $(PY) manage.py embed_exercises

# The web server and a job worker together (Procfile, honcho): Ctrl-C stops both, and if one exits
# the other is stopped too. The embedded database is started once, by `migrate`, before either.
run: embed
	DJANGO_DEBUG=true HOST=$(HOST) PORT=$(PORT) PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile

# The web server alone (no jobs run: mail waits in the queue until a worker starts).
web: embed
	DJANGO_DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# A job worker alone (mail, embeddings, periodic jobs); run several for more throughput.
worker: migrate
	DJANGO_DEBUG=true $(PY) manage.py jobs_worker

serve: install
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(PY) manage.py collectstatic --noinput
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(VENV)/bin/gunicorn hypertroq.wsgi -c hypertroq/gunicorn.conf.py

superuser: migrate
	DJANGO_DEBUG=true $(PY) manage.py createsuperuser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .  # django-stubs reads hypertroq.settings.test (pyproject.toml)

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The suite always runs on the test settings (the exported development default would override pytest.ini).
pytest: install
	DJANGO_SETTINGS_MODULE=hypertroq.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint pytest

bench: install
	for script in bench/bench_*.py bench/load.py; do DJANGO_DEBUG=true $(PY) $$script || exit 1; done

db-stop: install
	$(PY) -c "from pathlib import Path; from hypertroq.embedded_db import stop_embedded_server; print('stopped' if stop_embedded_server(Path('.').resolve()) else 'not running')"

clean-db: db-stop
	rm -rf var/pgdata
