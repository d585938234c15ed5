"""Render resources/icons/desktop_dl.svg to the PNG sizes desktops ask for (Qt's SVG renderer).

    QT_QPA_PLATFORM=offscreen python installer/render_icons.py
"""
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parent.parent / "desktop_dl" / "resources" / "icons"


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841 (fonts, renderer)
    renderer = QSvgRenderer(str(ICONS / "desktop_dl.svg"))
    if not renderer.isValid():
        sys.exit("the SVG icon does not parse")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = ICONS / f"desktop_dl_{size}.png"
        image.save(str(out))
        print(out)


if __name__ == "__main__":
    main()
