#!/usr/bin/env bash
# Build the wheel and the sdist, install the wheel into a fresh virtual environment outside the
# checkout, and use it from another folder as a user would: every bundled resource must come
# from the installed package, never from this checkout.
#   bash installer/wheel_smoke.sh [WORK_DIR]      (default: a new temporary folder)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/desktop_dl-wheel-smoke.XXXXXX)}"
PY="${PYTHON:-python3}"
mkdir -p "$WORK/dist" "$WORK/use"

echo "== build wheel and sdist ($WORK/dist)"
"$PY" -m pip install -q build
"$PY" -m build --sdist --wheel --outdir "$WORK/dist" "$ROOT" > "$WORK/build.log" 2>&1 \
    || { tail -40 "$WORK/build.log"; exit 1; }
WHEEL=$(ls "$WORK"/dist/desktop_dl-*.whl)
SDIST=$(ls "$WORK"/dist/desktop_dl-*.tar.gz)
"$PY" -m zipfile -l "$WHEEL" > "$WORK/wheel.txt"
tar -tzf "$SDIST" > "$WORK/sdist.txt"
for member in desktop_dl/resources/mnist_5k.npz desktop_dl/resources/templates/mnist-cnn.json \
              desktop_dl/resources/i18n/desktop_dl_zh_CN.qm desktop_dl/resources/samples/digit_7_light_ink.png; do
    grep -q "$member" "$WORK/wheel.txt" || { echo "wheel lacks $member"; exit 1; }
    grep -q "$member" "$WORK/sdist.txt" || { echo "sdist lacks $member"; exit 1; }
done
echo "wheel: $(basename "$WHEEL") ($(tail -n +2 "$WORK/wheel.txt" | wc -l) files); sdist: $(basename "$SDIST")"

echo "== fresh virtual environment"
"$PY" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q --upgrade pip
"$WORK/venv/bin/python" -m pip install -q "$WHEEL"

cd "$WORK/use"       # another folder: nothing of the checkout is importable from here
export QT_QPA_PLATFORM=offscreen TF_CPP_MIN_LOG_LEVEL=2 DESKTOP_DL_DATA="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config"
unset PYTHONPATH DESKTOP_DL_RESOURCES
BIN="$WORK/venv/bin"
where=$("$BIN/python" -c "import desktop_dl, sys; print(desktop_dl.__file__)")
case "$where" in "$WORK"/venv/*) ;; *) echo "desktop_dl imported from $where, not the venv"; exit 1;; esac

set -x
"$BIN/desktop-dl" --version
"$BIN/desktop-dl" templates > templates.txt
grep -q mnist-cnn templates.txt
"$BIN/desktop-dl" summary --template mnist-cnn | tail -3
"$BIN/desktop-dl" train --template mnist-dense --dataset mnist-5k --epochs 1 --out run --quiet
SAMPLE=$("$BIN/python" -c "from desktop_dl.paths import resource; print(resource('samples', 'digit_7_light_ink.png'))")
"$BIN/desktop-dl" predict run/model.onnx "$SAMPLE" | tee predict.txt
grep -q ": 7 " predict.txt    # the bundled sample is a 7
"$BIN/python" - <<'PY'
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from desktop_dl.ui.main_window import MainWindow
window = MainWindow()
window.show()
for _ in range(20):
    app.processEvents()
assert window.isVisible() and window.windowTitle(), "the window did not open"
print("window opened:", window.windowTitle())
window.close()
PY
set +x
echo "wheel smoke: OK"
