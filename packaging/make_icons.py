"""Render the app icon's SVG to the PNG sizes desktops ask for (run after changing the SVG)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "assets" / "icons" / "amie-desktop.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        target = SVG.with_name(f"amie-desktop-{size}.png")
        image.save(str(target))
        print(target.relative_to(ROOT))
    # Windows wants one .ico holding several sizes; Qt's ico writer takes the largest image.
    ico = ROOT / "packaging" / "windows" / "amie-desktop.ico"
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    if image.save(str(ico), "ICO"):
        print(ico.relative_to(ROOT))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
