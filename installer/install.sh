#!/usr/bin/env bash
# Install this desktop_dl folder for the current user (or PREFIX=/usr/local as root):
# the app under $PREFIX/opt/desktop-dl, `desktop-dl` on the PATH, a menu entry and icons.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
mkdir -p "$PREFIX/opt" "$PREFIX/bin" "$PREFIX/share"
rm -rf "$PREFIX/opt/desktop-dl"
cp -a "$HERE" "$PREFIX/opt/desktop-dl"
ln -sf "$PREFIX/opt/desktop-dl/desktop-dl" "$PREFIX/bin/desktop-dl"
cp -a "$HERE/share/." "$PREFIX/share/"
sed -i "s|^Exec=desktop-dl|Exec=$PREFIX/bin/desktop-dl|" "$PREFIX/share/applications/desktop-dl.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$PREFIX/share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$PREFIX/share/icons/hicolor" || true
echo "desktop_dl installed in $PREFIX/opt/desktop-dl; run: desktop-dl (make sure $PREFIX/bin is on PATH)"
