# Jobmål: `make run` to use it, `make test` to test it, `make bench` to measure it.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: help run test bench backup restore lint format stop clean chromium poppler

help:
	@echo "make run    install everything, start database, broker, web, worker and beat; print the URL"
	@echo "make test   install what the tests need (incl. Debian's chromium) and run the whole suite"
	@echo "make bench  run the benchmarks in bench/"
	@echo "make backup dump the database to backups/ (pg_dump custom format, with its row counts)"
	@echo "make restore FILE=backups/….dump   restore a dump into a new database and check every table's rows"
	@echo "make stop   stop the embedded PostgreSQL and Redis (if running)"

# Development settings, read by config/settings.py: DEBUG on and a random SECRET_KEY, written once and then left
# alone. Git-ignored, and .dockerignore keeps it out of images; production gets its environment from elsewhere.
.env:
	@umask 077 && $(PYTHON) -c 'import secrets; print("# Development settings written by make (see DEVELOPERS.md); never deployed.\nDEBUG=true\nSECRET_KEY=" + secrets.token_urlsafe(50))' > $@.tmp && mv $@.tmp $@
	@echo "Jobmål: wrote .env for development (DEBUG=true, a random SECRET_KEY)"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed-run $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's chromium draws the reports' charts (plotly.js), prints the PDF reports and runs the browser tests
# (Playwright never downloads a browser of its own); poppler-utils reads PDFs in the tests.
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium (reports, browser tests)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

poppler:
	@command -v pdftotext >/dev/null || { \
	  echo "Installing poppler-utils (the tests read the PDF reports)…"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils >/dev/null; }

run: .env $(VENV)/.installed-run node_modules/.installed chromium
	$(PY) -m config.run

# Parallel test processes (pytest-xdist), each with a database and a Redis database of its own (tests/env.py). One
# more than the cores: tests wait on PostgreSQL, chromium or a worker, but these use the cores too. Measured on 2
# cores, the same 640 tests: 3 processes 6 min 56 s, 4 processes 7 min 43 s, 6 processes 8 min 30 s (docs/adr/0001).
TEST_PROCESSES ?= 3

test: .env $(VENV)/.installed-dev node_modules/.installed chromium poppler
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m config.services wrap $(PY) -m pytest -n $(TEST_PROCESSES) --dist loadgroup --no-loadscope-reorder --durations=15 $(PYTEST_ARGS)

bench: .env $(VENV)/.installed-dev node_modules/.installed chromium
	$(PY) -m config.services wrap $(PY) bench/run.py

backup: .env $(VENV)/.installed-run
	$(PY) -m config.backup dump

restore: .env $(VENV)/.installed-run
	@test -n "$(FILE)" || { echo "make restore FILE=backups/<name>.dump [INTO=<new database>]"; exit 2; }
	$(PY) -m config.backup restore "$(FILE)" $(if $(INTO),--into "$(INTO)")

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

stop:
	$(PY) -m config.services stop

clean: stop
	rm -rf var staticfiles test-artifacts
