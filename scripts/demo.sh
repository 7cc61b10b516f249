#!/usr/bin/env bash
# Install Tawsim and open it on the demo corpus (seeds/), with an embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
venv="${TAWSIM_VENV:-.venv}"
"$venv/bin/tawsim" import seeds/
"$venv/bin/tawsim" stats
exec "$venv/bin/tawsim" "$@"   # no command: the desktop app
