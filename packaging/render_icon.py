"""Render the icon's PNG from its SVG: ``python packaging/render_icon.py [SIZE]``.

Writes packaging/linux/tawsim.png (256 px unless SIZE says otherwise) with Qt's SVG renderer;
run it after editing packaging/linux/tawsim.svg and commit both.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

LINUX = Path(__file__).resolve().parent / "linux"


def render(svg: Path, png: Path, size: int) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"not a valid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(png)):
        raise SystemExit(f"could not write {png}")


def main(argv: list[str]) -> int:
    size = int(argv[0]) if argv else 256
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    png = LINUX / "tawsim.png"
    render(LINUX / "tawsim.svg", png, size)
    print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
