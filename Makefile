# NCT Monitor. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
UV_VERSION := 0.13.9
UV := .tools/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= nct-demo-2024

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test lint format clean browser-tools bench load

# uv installs exactly what uv.lock pins; it lives in .tools so that syncing .venv never
# removes it.
$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.installed

run: install
	DJANGO_DEBUG=1 $(VENV)/bin/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(VENV)/bin/python manage.py seed_demo --password $(DEMO_PASSWORD)
	@echo "Sign in at http://$(HOST):$(PORT)/ as officer, member, clerk or admin, password $(DEMO_PASSWORD)"
	NCT_DEMO=1 DJANGO_DEBUG=1 HOST=$(HOST) PORT=$(PORT) sh scripts/serve.sh

# axe-core (accessibility checks in the browser tests) comes from the npm registry.
FRONTEND_DEPS := frontend/node_modules/.package-lock.json
$(FRONTEND_DEPS): frontend/package-lock.json
	npm ci --prefix frontend --no-audit --no-fund --loglevel=error

test: install browser-tools $(FRONTEND_DEPS)
	$(VENV)/bin/pytest

# Benchmarks, each beside its baseline: writes bench/results.json (never part of `make test`).
bench: install
	$(VENV)/bin/python bench/run.py

# A load test: 50 users' journeys for 60 s against gunicorn (2 workers) on the local PostgreSQL,
# loopback only: writes bench/load-results.json (never part of `make test`).
load: install
	$(VENV)/bin/python -m bench.load

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_DEBUG=1 $(VENV)/bin/mypy
	$(VENV)/bin/python manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .tools staticfiles frontend/node_modules test-results

# Debian's Chromium (browser tests, screenshots) and poppler-utils (PDF pages to PNG), installed
# when missing. Needs root, as CI has.
browser-tools:
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }
