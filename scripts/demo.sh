#!/usr/bin/env bash
# Install Tawsim and run its main job on the demo corpus (seeds/), with an embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
venv="${TAWSIM_VENV:-.venv}"
"$venv/bin/tawsim" import seeds/
"$venv/bin/tawsim" stats
