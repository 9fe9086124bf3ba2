# HypertroQ: `make run` to use it, `make test` to check it.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := hypertroq.settings

.PHONY: run install migrate seed embed test lint format pytest superuser serve db-stop clean-db bench

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

run: embed
	DJANGO_DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

serve: install
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/gunicorn hypertroq.wsgi -c hypertroq/gunicorn.conf.py

superuser: migrate
	DJANGO_DEBUG=true $(PY) manage.py createsuperuser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	HYPERTROQ_TESTING=1 $(VENV)/bin/mypy .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint pytest

bench: install
	for script in bench/bench_*.py bench/load.py; do DJANGO_DEBUG=true $(PY) $$script || exit 1; done

db-stop: install
	$(PY) -c "from pathlib import Path; from hypertroq.embedded_db import stop_embedded_server; print('stopped' if stop_embedded_server(Path('.').resolve()) else 'not running')"

clean-db: db-stop
	rm -rf var/pgdata
