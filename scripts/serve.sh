#!/bin/sh
# The development server and one task worker, stopped together.
set -eu
cd "$(dirname "$0")/.."
.venv/bin/python manage.py db_worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
.venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
