#!/usr/bin/env bash
# Build the desktop bundle (one folder, dist/tawsim/) with PyInstaller and start it once:
# `tawsim --version`, a database created through the bundled migrations, the PostgreSQL driver
# loaded, and the GUI rendered offscreen (and under Xvfb when xvfb-run is there) to PNG.
# Usage: scripts/build-bundle.sh [--no-build]   (--no-build: only the smoke test)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TAWSIM_VENV:-.venv}"
bundle=dist/tawsim
smoke=build/bundle-smoke

if [ "${1:-}" != "--no-build" ]; then
  # The `bundle` extra (PyInstaller) on top of whatever the environment has (scripts/test.sh
  # installs `test`): the spec leaves the test and training packages out either way.
  bash scripts/bootstrap.sh bundle
  start=$(date +%s)
  "$venv/bin/pyinstaller" --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/tawsim.spec
  # The desktop entry, AppStream metadata and icon, laid out as under /usr/share or
  # ~/.local/share (README: "Build the desktop bundle").
  linux=packaging/linux share="$bundle/share"
  install -Dm644 "$linux/tawsim.desktop" "$share/applications/tawsim.desktop"
  install -Dm644 "$linux/io.github.tawsim.Tawsim.metainfo.xml" \
    "$share/metainfo/io.github.tawsim.Tawsim.metainfo.xml"
  install -Dm644 "$linux/tawsim.svg" "$share/icons/hicolor/scalable/apps/tawsim.svg"
  install -Dm644 "$linux/tawsim.png" "$share/icons/hicolor/256x256/apps/tawsim.png"
  echo "built $bundle in $(( $(date +%s) - start )) s: $(du -sh "$bundle" | cut -f1)"
fi

fail() { echo "bundle smoke test FAILED: $*" >&2; exit 1; }
[ -x "$bundle/tawsim" ] || fail "no $bundle/tawsim (build it first)"
rm -rf "$smoke" && mkdir -p "$smoke"
# Nothing of the user's own: a throw-away home for preferences, settings and the database.
export HOME="$PWD/$smoke/home" XDG_CONFIG_HOME="$PWD/$smoke/home/.config" \
  XDG_DATA_HOME="$PWD/$smoke/home/.local/share" TAWSIM_USER=smoke
unset TAWSIM_DB

version=$("$bundle/tawsim" --version)
expected="tawsim, version $("$venv/bin/python" -c 'import app; print(app.__version__)')"
[ "$version" = "$expected" ] || fail "--version said '$version', not '$expected'"
echo "ok: $version"

# The migrations are read from files at run time: a new database goes through all of them.
"$bundle/tawsim" --db "$smoke/smoke.db" import seeds/ >"$smoke/import.log" 2>&1 \
  || { cat "$smoke/import.log"; fail "import into a new database"; }
"$bundle/tawsim" --db "$smoke/smoke.db" search الاتحاد >"$smoke/search.log" 2>&1 \
  || { cat "$smoke/search.log"; fail "search"; }
echo "ok: a new database, the demo corpus imported and searched"
# A large file's import decides its offset unit in a second process, the bundle run again with
# a hidden command (app.io.unit_guess): forced here for a one-line file.
printf '%s\n' '{"text": "قال محمد", "spans": [{"start": 4, "end": 8, "label": "PER"}]}' \
  >"$smoke/spans.jsonl"
TAWSIM_SECOND_PROCESS_FROM_BYTES=0 "$bundle/tawsim" --db "$smoke/smoke.db" import \
  "$smoke/spans.jsonl" >"$smoke/spans.log" 2>&1 || { cat "$smoke/spans.log"; fail "import"; }
decision=$(printf '{"format": "jsonl", "path": "%s", "text_column": null}' \
  "$PWD/$smoke/spans.jsonl" | "$bundle/tawsim" _offsets-decision)
case "$decision" in
  *'"unit": "codepoints"'*) echo "ok: the second process of an import decides: $decision" ;;
  *) fail "the second process of an import said: $decision" ;;
esac
# The second process of a training export (spaCy's writers; spaCy is not in the bundle, so it
# is never started here) ends cleanly at the end of its input.
"$bundle/tawsim" _writers </dev/null || fail "the second process of a training export"
# The second process that makes the search index's words, one batch ahead.
"$bundle/tawsim" _index-words </dev/null || fail "the second process of indexing"

# The PostgreSQL driver (psycopg with its bundled libpq) loads: nothing listens on port 9, so
# the connection is refused, by libpq.
if "$bundle/tawsim" --db postgresql+psycopg://smoke@127.0.0.1:9/none stats \
  >"$smoke/pg.log" 2>&1 || ! grep -q "Connection refused\|connection failed" "$smoke/pg.log"; then
  cat "$smoke/pg.log"; fail "the PostgreSQL driver"
fi
echo "ok: the PostgreSQL driver loads"

# The interface's translations, and Qt's own for the same languages (standard buttons).
for qm in resources/translations/tawsim_*.qm; do
  [ -e "$qm" ] || continue
  code=${qm##*/tawsim_} && code=${code%.qm}
  for file in "$qm" "PySide6/Qt/translations/qtbase_$code.qm"; do
    [ -f "$bundle/_internal/$file" ] || fail "no $file in $bundle/_internal"
  done
done

# The GUI: every main view rendered with the bundled fonts, offscreen in Arabic (the bundled
# translations, the window mirrored) with the dark theme, and on X11 in English.
shots() {  # shots FOLDER SCREENSHOT-OPTIONS -- [COMMAND PREFIX...]
  local out=$1 options=(); shift
  while [ "$1" != "--" ]; do options+=("$1"); shift; done; shift
  "$@" "$bundle/tawsim" screenshots "$out" "${options[@]}" >"$out.log" 2>&1 \
    || { cat "$out.log"; fail "screenshots into $out"; }
  ! grep -q "Bundled fonts missing\|could not load the bundled font" "$out.log" \
    || { cat "$out.log"; fail "the bundled fonts"; }
  for view in annotation-view review-window; do
    [ -s "$out/$view.png" ] || fail "no $out/$view.png"
  done
}
shots "$smoke/offscreen" --lang ar --theme dark -- env QT_QPA_PLATFORM=offscreen
echo "ok: the GUI rendered offscreen, in Arabic: $smoke/offscreen/*.png"
if command -v xvfb-run >/dev/null 2>&1; then
  shots "$smoke/xcb" --lang en -- xvfb-run -a env QT_QPA_PLATFORM=xcb
  echo "ok: the GUI rendered on X11 (Xvfb): $smoke/xcb/*.png"
else
  echo "skipped: xvfb-run is not installed, the X11 (xcb) platform was not tried"
fi
echo "bundle smoke test passed: $bundle ($(du -sh "$bundle" | cut -f1))"
