#!/usr/bin/env bash
# Build the self-contained Linux bundle: installer/dist/desktop-dl/ (runs with no Python) and
# installer/dist/desktop-dl-<version>-linux-<arch>.tar.gz (the folder + install.sh + icons).
#   bash installer/build_linux.sh            # from a checkout; installs PyInstaller if missing
#   DESKTOP_DL_CPU_ONLY=1 bash installer/build_linux.sh   # leave ONNX Runtime's CUDA provider out
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}

"$PY" -c "import desktop_dl" 2>/dev/null || "$PY" -m pip install -e .
"$PY" -c "import PyInstaller" 2>/dev/null || "$PY" -m pip install "pyinstaller>=6.10"
QT_QPA_PLATFORM=offscreen "$PY" installer/render_icons.py >/dev/null

VERSION=$("$PY" -c "import desktop_dl; print(desktop_dl.__version__)")
ARCH=$(uname -m)
OUT=${DESKTOP_DL_DIST:-installer/dist}   # another folder for comparison builds
rm -rf "$OUT" "$OUT.work"
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$OUT" --workpath "$OUT.work" installer/desktop_dl.spec
echo "PyInstaller took $(( $(date +%s) - start )) s"

DIST=$OUT/desktop-dl
if [ "${DESKTOP_DL_NO_TRIM:-0}" != "1" ] && command -v strip >/dev/null; then
    # TensorFlow's libraries carry a 260 MB static symbol table that nothing reads at run time.
    for lib in "$DIST"/_internal/tensorflow/libtensorflow_cc.so.* "$DIST"/_internal/tensorflow/libtensorflow_framework.so.*; do
        [ -f "$lib" ] && strip --strip-unneeded "$lib"
    done
fi
# Desktop integration travels inside the folder, so install.sh can place it.
mkdir -p "$DIST/share/applications" "$DIST/share/icons/hicolor/scalable/apps"
cp installer/desktop-dl.desktop "$DIST/share/applications/"
cp desktop_dl/resources/icons/desktop_dl.svg "$DIST/share/icons/hicolor/scalable/apps/desktop-dl.svg"
for png in desktop_dl/resources/icons/desktop_dl_*.png; do
    size=$(basename "$png" .png); size=${size##*_}
    mkdir -p "$DIST/share/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$DIST/share/icons/hicolor/${size}x${size}/apps/desktop-dl.png"
done
cp installer/install.sh "$DIST/install.sh"
chmod +x "$DIST/install.sh"

ARCHIVE="$OUT/desktop-dl-${VERSION}-linux-${ARCH}.tar.gz"
tar -C "$OUT" -czf "$ARCHIVE" desktop-dl
echo "bundle:  $DIST ($(du -sh "$DIST" | cut -f1))"
echo "archive: $ARCHIVE ($(du -sh "$ARCHIVE" | cut -f1))"
