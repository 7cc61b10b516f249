#!/usr/bin/env bash
# Refresh the interface translations: pyside6-lupdate collects every tr()/translate()/
# QT_TRANSLATE_NOOP string of app/gui into resources/translations/*.ts (new strings come in
# unfinished, strings gone from the code are dropped), then pyside6-lrelease builds the .qm
# files Tawsim loads. Translate what is unfinished in tawsim_ar.ts (pyside6-linguist, or any
# editor), run this again and commit the .ts and .qm together; tests/gui/test_translations.py
# fails while a string is untranslated or a .qm is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TAWSIM_VENV:-.venv}"
dir=resources/translations
"$venv/bin/pyside6-lupdate" -silent -no-obsolete -locations none -source-language en \
    -target-language ar app/gui/*.py -ts "$dir/tawsim_ar.ts"
"$venv/bin/pyside6-lupdate" -silent -no-obsolete -locations none -source-language en \
    -target-language en app/gui/*.py -ts "$dir/tawsim_en.ts"
"$venv/bin/pyside6-lrelease" -silent "$dir/tawsim_ar.ts" "$dir/tawsim_en.ts"
