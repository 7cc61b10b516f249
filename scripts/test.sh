#!/usr/bin/env bash
# Install Tawsim with its test tools and run every check CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test
venv="${TAWSIM_VENV:-.venv}"
"$venv/bin/ruff" check app tests benchmarks
"$venv/bin/mypy"
# The database tests run against SQLite and a throwaway PostgreSQL server (tests/postgres.py).
export TAWSIM_TEST_DATABASES="${TAWSIM_TEST_DATABASES:-sqlite,postgresql}"
"$venv/bin/python" -m pytest "$@"
