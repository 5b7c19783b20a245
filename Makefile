SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PORT ?= 8000
# Links in emails and in the demo sign-in table follow the port `make run` serves on.
export ADUAN_PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
PYTEST_ARGS ?=
ONLY ?=

.PHONY: help venv install install-dev run test bench lint fmt messages services clean

help:
	@echo "make run    - install, migrate, seed demo data, start web + worker + beat on :$(PORT)"
	@echo "make test   - install, ensure PostgreSQL/Redis/Chromium, ruff, pytest"
	@echo "make bench  - run benchmarks (ONLY=<name> for one); results in bench/RESULTS.md"
	@echo "make lint | fmt | messages"

$(PY):
	$(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel

# Reinstall only when pyproject.toml changed, so repeated runs are fast. `make run` installs
# what running needs; test, lint and bench add the dev extra (pytest, Playwright, ruff ...).
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(DEV_STAMP)

venv: $(STAMP)
install: $(STAMP)
install-dev: $(DEV_STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py sla_sweep
	$(PY) manage.py focal_refresh
	$(PY) manage.py reporting_rebuild
	DEBUG=$${DEBUG:-false} PORT=$(PORT) PY=$(PY) scripts/run_all.sh

services:
	scripts/ensure_services.sh

test: install-dev services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# Exit code 5 ("no tests collected") is a failure too: make stops on any non-zero code.
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-dev services
	$(PY) -m bench.run $(if $(ONLY),--only $(ONLY))

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install-dev
	$(PY) scripts/build_locale.py

clean:
	rm -rf $(VENV) staticfiles var/celery
