# The one entry point. `make run` and `make test` do all the set-up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: serving needs only requirements.txt; the tests and linters add requirements-dev.txt.
RUN_STAMP := $(VENV)/.installed-run-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
TEST_STAMP := $(VENV)/.installed-test-$(shell cat requirements.txt requirements-dev.txt requirements-nodeps.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Tests run in parallel, one process per core (at most four).
PYTEST_PARALLEL ?= --numprocesses=auto --maxprocesses=4
# Production is the settings' default; the development targets ask for development explicitly
# (debug, a development secret key, SQLite under var/, e-mail printed to the console).
DEV := DJANGO_DEBUG=true

# Translations: the committed .po catalogues are compiled to .mo (pure Python, see bigscience_portal/translations.py).
.PHONY: install install-dev translations run test lint format migrate demo serve prod worker beat bench faults browsers ci clean

$(RUN_STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-run-* && touch $@

$(TEST_STAMP): $(RUN_STAMP) requirements-dev.txt requirements-nodeps.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-nodeps.txt
	rm -f $(VENV)/.installed-test-* && touch $@

## What serving needs (requirements.txt) and the compiled translations; `install-dev` adds the test tools.
install: $(RUN_STAMP) translations

install-dev: $(TEST_STAMP) translations

## Compile locale/*/LC_MESSAGES/*.po into the .mo files Django reads (rebuilds only what changed).
translations: $(RUN_STAMP)
	$(DEV) $(BIN)/python manage.py compile_translations

migrate: install
	@mkdir -p var
	$(DEV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV) $(BIN)/python manage.py load_demo

## Serve the portal on embedded defaults (SQLite, tasks and periodic jobs in-process, e-mail to the console) with demo data.
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops)."
	$(DEV) $(BIN)/python manage.py serve $(HOST):$(PORT)

## Run the test suite (tests/settings.py: development mode; tests that need PostgreSQL, Redis, a worker or Chromium skip with a reason when absent).
test: install-dev
	@mkdir -p var
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Production: stop on any deployment warning, then migrate, collect static files and start gunicorn,
## a Celery worker and beat (the production variables must be set; see the README).
prod: install
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/honcho start -f Procfile

worker: install
	$(BIN)/celery -A bigscience_portal worker --loglevel=INFO

beat: install
	$(BIN)/celery -A bigscience_portal beat --loglevel=INFO --schedule=var/celerybeat-schedule

## Measure the portal at workshop scale (gunicorn + wrk, a Celery worker, PostgreSQL and Redis on loopback); see docs/benchmarks.md.
BENCH_ARGS ?=
bench: install-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## Break it on purpose (worker killed, two beats, Redis and PostgreSQL down) and count what survives. FAULTS_ARGS=--small for CI.
FAULTS_ARGS ?=
faults: install-dev
	$(BIN)/python -m bench.faults $(FAULTS_ARGS)

## Install Debian's Chromium for the browser tests (needs root and network to Debian's mirrors).
browsers:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

ci:
	bash .ci/run

clean:
	rm -rf var/portal.sqlite3 var/static var/mail
