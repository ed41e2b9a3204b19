#!/usr/bin/env python3
"""Write Ferry's icon as a Windows .ico for the build (the programs and the installer), and
the installer's side panel as a .bmp beside it.

    .venv/bin/python scripts/app_icon.py OUT.ico   (also writes OUT's folder/installer-panel.bmp)

The icon is drawn in code (app/gui/icons.py), like the tray's, so there is no image file to
keep in step with it; the build paints it into an .ico with Qt's offscreen platform.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication, QImage

from app.gui.icons import app_icon_ico, render_installer_panel


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    _app = QGuiApplication([])
    target = Path(argv[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(app_icon_ico())
    panel = target.parent / "installer-panel.bmp"
    if (
        not render_installer_panel()
        .toImage()
        .convertToFormat(QImage.Format.Format_RGB888)
        .save(str(panel), "BMP")
    ):
        print(f"app_icon: Qt could not write {panel}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
