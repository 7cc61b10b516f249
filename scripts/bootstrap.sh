#!/usr/bin/env bash
# Set up Tawsim on a fresh Debian/Ubuntu machine that has only python3:
# the Debian packages it needs, a virtual environment in .venv, and the project in it.
# Usage: scripts/bootstrap.sh [EXTRAS]   e.g. scripts/bootstrap.sh test
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
venv="${TAWSIM_VENV:-.venv}"

missing=()
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if command -v dpkg-query >/dev/null 2>&1; then
  lists=(packaging/debian-packages.txt)
  case ",$extras," in *,test,*) lists+=(packaging/debian-packages-test.txt) ;; esac
  for pkg in $(cat "${lists[@]}" 2>/dev/null | sed 's/#.*//'); do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "Installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  else
    echo "Please install these system packages first: ${missing[*]}" >&2
    exit 1
  fi
fi

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
pip_install() {
  # Quiet on success (setuptools' build warnings are noise here); everything on failure.
  local log
  if ! log=$("$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" 2>&1); then
    echo "$log" >&2
    exit 1
  fi
}
spec="."
[ -n "$extras" ] && spec=".[$extras]"
# The install is editable: code changes need nothing. Reinstall only when what pip reads
# (pyproject.toml, the extras, the Python) changed since the last install that succeeded.
stamp_file="$venv/.tawsim-install-stamp"
stamp="$(cat pyproject.toml; echo "$spec"; "$venv/bin/python" -VV)"
stamp="$(printf '%s' "$stamp" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp_file" ] && grep -qx "$stamp" "$stamp_file"; then
  exit 0
fi
echo "Installing Tawsim into $venv ..."
pip_install --upgrade pip
pip_install -e "$spec"
echo "$stamp" >> "$stamp_file"
