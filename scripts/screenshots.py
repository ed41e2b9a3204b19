"""Take the README's screenshots from the running desktop app on its demo sandbox.

Run: .venv/bin/python scripts/screenshots.py [--only NAME...] [--out DIR]
(writes docs/screenshots/*.png). The app runs as ``python -m app --demo`` runs it, on a private
virtual X screen (Xvfb, with the trayer tray host, so the tray and its menu are the real ones)
when Xvfb is installed; otherwise on Qt's offscreen platform, without the tray shot.
``QT_QPA_PLATFORM`` set by the caller is used as it is.

Nothing is painted for the pictures: the errors are real deliveries refused by a read-only
folder, the preview is the editor's own. Each screenshot is one function taking the
:class:`Shots` context, listed in ``SHOTS`` in the order they are taken (later ones may change
the app's state, e.g. the errors); adding a screen is adding a function and a line there.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_gui_sync import virtual_screen  # noqa: E402 - a screen before Qt loads

OUT = ROOT / "docs" / "screenshots"
LOCKED_DESTINATION = "Winbooks"


@dataclass
class Shots:
    """What every screenshot function gets: the running app and where pictures go."""

    app: object  # QApplication
    ferry: object  # app.gui.app.FerryApp
    out: Path
    work: Path  # scratch folder of this run (the Ferry home is under it)

    def wait(self, test: Callable[[], object], seconds: float, what: str = "") -> None:
        """Run the event loop until ``test()`` holds; fail with ``what`` after ``seconds``."""
        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + seconds
        while not test():
            if time.monotonic() > deadline:
                if what:
                    raise RuntimeError(f"gave up waiting for {what} after {seconds:g} s")
                return
            QCoreApplication.processEvents()
            time.sleep(0.02)

    def settle(self, seconds: float = 0.4) -> None:
        """Let layouts, repaints and the tray catch up."""
        self.wait(lambda: False, seconds)

    def save(self, widget: object, name: str) -> Path:
        """One widget as it paints itself (no window frame: the screen has no window manager)."""
        return self._write(widget.grab(), name)  # type: ignore[attr-defined]

    def save_screen(self, area: object, name: str, fallback: object) -> Path:
        """What the screen shows in ``area`` (a QRect): several windows at once, e.g. a dialog
        over the table or a menu under the tray icon. Without a screen, ``fallback`` alone."""
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QApplication

        assert isinstance(area, QRect)
        for widget in QApplication.topLevelWidgets():
            if widget.metaObject().className() == "QBalloonTip":
                widget.hide()  # Qt's own notification balloon (no notification service here)
        self.settle(0.2)
        screen = QGuiApplication.primaryScreen()
        picture = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())
        if picture.isNull() or QGuiApplication.platformName() == "offscreen":
            picture = fallback.grab()  # type: ignore[attr-defined]
        return self._write(picture, name)

    def _write(self, picture: object, name: str) -> Path:
        path = self.out / f"{name}.png"
        if not picture.save(str(path)):  # type: ignore[attr-defined]
            raise RuntimeError(f"could not write {path}")
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        return path


# -- the screenshots, in the order they are taken ------------------------------------------------


def status_table(shots: Shots) -> None:
    """The documents as they arrive: every one Forwarded, newest first."""
    window = shots.ferry.window  # type: ignore[attr-defined]
    window.resize(1280, 640)
    window.show()
    window.tabs.setCurrentWidget(window.status_view)
    shots.settle(0.5)
    shots.save(window, "status-table")


def activity(shots: Shots) -> None:
    window = shots.ferry.window  # type: ignore[attr-defined]
    window.tabs.setCurrentWidget(window.activity_view)
    shots.settle(0.3)
    shots.save(window, "activity")


def destination_editor(shots: Shots) -> None:
    """A destination per kind on a network share, with one mistake: the live preview for the
    linked clients and the problem shown next to the field that causes it."""
    from app.core.names import TargetOS

    ferry = shots.ferry
    ferry._add_destination()  # type: ignore[attr-defined]  # the Destinations tab's Add…
    editor = ferry._editor  # type: ignore[attr-defined]
    assert editor is not None
    editor.name.setText("Winbooks")
    editor.split.setChecked(True)
    kinds = list(editor.per_kind)
    editor.per_kind[kinds[0]].set_text(r"\\server\winbooks\Data\[identifiant_entreprise]\inbound")
    editor.per_kind[kinds[1]].set_text(r"\\server\winbooks\Data\[identifiant_entreprise]\outbound")
    editor.per_kind[kinds[2]].set_text(r"\\server\coda\[accounting_file_id]\[year")
    editor.target = TargetOS.WINDOWS
    editor.check_now()
    editor.resize(1000, 760)
    shots.settle(0.3)
    shots.save(editor, "destination-editor")
    editor.close()


def status_errors(shots: Shots) -> None:
    """Documents in Error with their messages: two clients get a second destination under a
    read-only folder, and their documents are sent to the integrations again from the table
    (toolbar's Send to integrations); the engine's deliveries there are refused."""
    from PySide6.QtCore import QItemSelectionModel, Qt

    from app.gui.documents_model import Column
    from app.settings import Destination, load_settings, save_settings

    ferry = shots.ferry
    window = ferry.window  # type: ignore[attr-defined]
    view = window.status_view
    model = view.model
    home = ferry.home  # type: ignore[attr-defined]
    locked = shots.work / LOCKED_DESTINATION
    shots.wait(lambda: len({r.client_id for r in all_rows(model)}) >= 2, 30, "two clients")
    most = Counter(r.client_id for r in all_rows(model)).most_common(2)  # type: ignore[attr-defined]
    chosen = [client_id for client_id, _ in most]

    settings = load_settings(home.settings_dir)
    links = [
        link.model_copy(update={"destinations": [*link.destinations, LOCKED_DESTINATION]})
        if link.client_id in chosen
        else link
        for link in settings.links
    ]
    destination = Destination(
        name=LOCKED_DESTINATION, general_path=str(locked / "[enterprise_name]" / "[year]")
    )
    save_settings(
        home.settings_dir,
        settings.model_copy(
            update={"destinations": [*settings.destinations, destination], "links": links}
        ),
    )
    window.tabs.setCurrentWidget(view)
    selection = view.table.selectionModel()
    selection.clearSelection()
    wanted = [r for r in range(model.rowCount()) if model.row_at(r).client_id in chosen]
    for r in wanted:
        selection.select(
            model.index(r, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    view.send_action.trigger()  # what the toolbar button does
    shots.wait(lambda: model.count("error") >= len(wanted), 90, f"{len(wanted)} errors")

    window.resize(1280, 860)
    window.move(0, 40)  # below the tray host's panel
    window.show()
    view.table.sortByColumn(Column.STATUS, Qt.SortOrder.AscendingOrder)  # errors first
    view.table.setColumnWidth(Column.DESTINATION, 200)
    view.table.setColumnWidth(Column.MESSAGE, 520)
    view.table.clearSelection()
    view.table.selectRow(0)
    shots.settle(0.3)
    details = view.show_details(0)  # what a double-click opens: the whole message
    details.resize(760, details.sizeHint().height())
    frame = window.frameGeometry()
    details.move(frame.right() - 800, frame.y() + 330)  # the error rows stay in sight
    shots.settle(0.6)
    shots.save_screen(frame, "status-errors", window)
    details.close()


def tray_menu(shots: Shots) -> None:
    """The tray icon's menu, as a right-click on the icon opens it (state words on top)."""
    from PySide6.QtCore import QPoint, QRect

    tray = shots.ferry.tray  # type: ignore[attr-defined]
    if tray.menu is None:
        print("  tray-menu skipped: no system tray on this screen (install Xvfb and trayer)")
        return
    shots.ferry.window.hide()  # type: ignore[attr-defined]  # Ferry lives in the tray
    icon = tray.icon.geometry()
    where = icon.bottomLeft() + QPoint(0, 2) if icon.isValid() else QPoint(40, 40)
    tray.menu.popup(where)
    shots.wait(lambda: tray.menu.isVisible(), 5, "the tray menu")
    shots.settle(0.5)
    menu = tray.menu.geometry()
    area = (icon.united(menu) if icon.isValid() else menu).adjusted(-6, -4, 6, 6)
    shots.save_screen(area.intersected(QRect(0, 0, 10_000, 10_000)), "tray-menu", tray.menu)
    tray.menu.hide()


SHOTS: list[tuple[str, Callable[[Shots], None]]] = [
    ("status-table", status_table),
    ("activity", activity),
    ("destination-editor", destination_editor),
    ("status-errors", status_errors),
    ("tray-menu", tray_menu),
]


# -- running the app -----------------------------------------------------------------------------


def all_rows(model: object) -> list[object]:
    return [model.row_at(r) for r in range(model.rowCount())]  # type: ignore[attr-defined]


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """A folder nobody may write in: a read-only mount as root (root ignores modes), else 0o500;
    as tests/conftest.py makes it."""
    folder.mkdir(parents=True, exist_ok=True)
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if os.geteuid() == 0 and mount and umount:
        read_only = [mount, "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(folder)]
        if subprocess.run(read_only, check=False).returncode == 0:  # noqa: S603 - fixed words
            try:
                yield folder
            finally:
                subprocess.run([umount, "-l", str(folder)], check=False)  # noqa: S603
            return
    folder.chmod(0o500)
    try:
        yield folder
    finally:
        folder.chmod(0o700)


def main() -> int:
    names = [name for name, _ in SHOTS]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=names, help="take only these")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--screen", choices=("auto", "xvfb", "offscreen"), default="auto")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with (
        virtual_screen(args.screen) as screen,
        tempfile.TemporaryDirectory(prefix="ferry-") as scratch,
    ):
        work = Path(scratch)
        with read_only_folder(work / LOCKED_DESTINATION):
            return take(args, screen, work)


def take(args: argparse.Namespace, screen: str, work: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from app.core.language import Language
    from app.gui.app import FerryApp
    from app.home import FerryHome

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Ferry")
    app.setQuitOnLastWindowClosed(False)
    ferry = FerryApp(FerryHome.under(work / "home"), language=Language.EN, demo=True)
    if not ferry.start():
        raise RuntimeError("another Ferry runs for this home")
    shots = Shots(app, ferry, args.out, work)
    try:
        model = ferry.window.status_view.model
        shots.wait(
            lambda: model.count("forwarded") >= 12 and ferry.clients, 90, "the demo's first sync"
        )
        shots.settle(2)
        print(f"Qt platform {app.platformName()}: {screen}; {dt.datetime.now():%H:%M}")
        for name, shot in SHOTS:
            if args.only is None or name in args.only:
                shot(shots)
    finally:
        ferry.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
