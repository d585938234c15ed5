#!/usr/bin/env bash
# Smoke test of the built bundle, run with no Python on the PATH: --version, a headless train of a
# tiny model, a predict, and the window opened offscreen. Prints timings and the bundle's size.
#   bash installer/smoke_test.sh [installer/dist/desktop-dl]
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=$(cd "${1:-installer/dist/desktop-dl}" && pwd)
APP="$DIST/desktop-dl"
SAMPLES=$PWD/desktop_dl/resources/samples
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# No Python: the bundle must carry its own interpreter and libraries.
export PATH=/usr/bin:/bin
export PYTHONPATH= PYTHONHOME=
unset VIRTUAL_ENV
export QT_QPA_PLATFORM=offscreen TF_CPP_MIN_LOG_LEVEL=2
export DESKTOP_DL_DATA="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
cd "$WORK"

step() { printf '\n== %s\n' "$*"; }
ms() { date +%s%3N; }

step "version"
t=$(ms); "$APP" --version; echo "cold --version: $(( $(ms) - t )) ms"
t=$(ms); "$APP" --version >/dev/null; echo "warm --version: $(( $(ms) - t )) ms"

step "templates and datasets"
"$APP" templates | head -3
"$APP" datasets | head -3

step "headless train of a tiny model (1 epoch)"
t=$(ms)
"$APP" train --template mnist-dense --dataset mnist-5k --epochs 1 --batch-size 128 --out run --quiet | tail -1
echo "train: $(( $(ms) - t )) ms"
for f in run/model.keras run/model.onnx run/history.json; do test -s "$f" || { echo "missing $f"; exit 1; }; done

step "predict"
"$APP" predict run/model.onnx "$SAMPLES"/digit_3_dark_ink.png "$SAMPLES"/digit_7_light_ink.png

step "window (offscreen)"
t=$(ms)
DESKTOP_DL_QUIT_AFTER_SHOW=1 timeout 120 "$APP" | grep "window shown"
echo "window: $(( $(ms) - t )) ms from launch to quit"

step "size"
du -sh "$DIST"
echo "smoke test passed"
