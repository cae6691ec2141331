#!/usr/bin/env bash
# Refresh the translation sources from the code and compile them (Spanish is the source language).
# Then translate new strings in Qt Linguist (pyside6-linguist mostrador_en.ts) and run this again.
set -euo pipefail
cd "$(dirname "$0")/../.."
pyside6-lupdate pos_app/ui/*.py pos_app/cli.py -no-obsolete \
  -ts resources/translations/mostrador_en.ts -source-language es_ES -target-language en_GB
pyside6-lrelease resources/translations/mostrador_en.ts -qm resources/translations/mostrador_en.qm
