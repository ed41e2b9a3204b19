"""Take the README's screenshots from the running desktop app on its demo sandbox.

Run: .venv/bin/python scripts/screenshots.py  (writes docs/screenshots/*.png). Uses Qt's
offscreen platform unless QT_QPA_PLATFORM says otherwise, so it needs no screen.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from app.core.language import Language
from app.gui.app import FerryApp
from app.home import FerryHome

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def wait(app: QApplication, test: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not test() and time.monotonic() < deadline:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.02)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    home = FerryHome.under(Path(tempfile.mkdtemp(prefix="ferry-shots-")))
    ferry = FerryApp(home, language=Language.EN, demo=True)
    ferry.start()
    model = ferry.window.status_view.model
    wait(app, lambda: model.count("forwarded") >= 12 and ferry.clients, 60)
    wait(app, lambda: False, 2)
    window = ferry.window
    window.resize(1280, 640)
    window.show()
    window.tabs.setCurrentIndex(0)
    wait(app, lambda: False, 0.5)
    window.grab().save(str(OUT / "status-table.png"))
    window.tabs.setCurrentIndex(1)
    wait(app, lambda: False, 0.3)
    window.grab().save(str(OUT / "activity.png"))
    ferry._add_destination()
    editor = ferry._editor
    assert editor is not None
    editor.name.setText("Winbooks")
    editor.split.setChecked(True)
    editor.per_kind[next(iter(editor.per_kind))].set_text(
        r"\\server\winbooks\Data\[identifiant_entreprise]\inbound"
    )
    kinds = list(editor.per_kind)
    editor.per_kind[kinds[1]].set_text(r"\\server\winbooks\Data\[identifiant_entreprise]\outbound")
    editor.per_kind[kinds[2]].set_text(r"\\server\coda\[accounting_file_id]\[year")
    from app.core.names import TargetOS

    editor.target = TargetOS.WINDOWS
    editor.check_now()
    editor.resize(1000, 760)
    wait(app, lambda: False, 0.3)
    editor.grab().save(str(OUT / "destination-editor.png"))
    ferry.shutdown()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
