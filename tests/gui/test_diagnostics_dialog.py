"""*Export diagnostics* from the desktop app (issue 17): reached from the tray and Settings,
saved on a worker thread, and said in words: where the zip went, or why none was written."""

from __future__ import annotations

import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.gui.diagnostics_dialog import DiagnosticsDialog
from app.gui.settings_dialog import SettingsDialog
from app.gui.tray import TrayController
from app.home import FerryHome
from app.settings import Settings

SECRET = "r3fr3sh-0f-th3-0ff1c3"


@dataclass(frozen=True)
class _Client:
    id: str
    name: str
    vat_number: str


def _home(tmp_path: Path) -> FerryHome:
    home = FerryHome.under(tmp_path / "home").ensure()
    (home.log_dir / "ferry.log").write_text(
        "2099-01-01 10:00:00,000 INFO    app.engine.engine [ferry-engine] run 1 (incremental) "
        "finished after 1 s: 1 document(s), 1 delivered, 0 in error\n"
        "2099-01-01 10:00:01,000 WARNING app.engine.engine [ferry-engine] client "
        f"Bakkerij Peeters BV refused refresh_token={SECRET}\n",
        encoding="utf-8",
    )
    return home


def _zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )


def test_the_zip_is_saved_off_the_gui_thread_and_said_where(qtbot: QtBot, tmp_path: Path) -> None:
    threads: list[str] = []
    clients = [_Client("cli_1", "Bakkerij Peeters BV", "BE0403019261")]

    def listed() -> list[_Client]:
        threads.append(threading.current_thread().name)
        return clients

    dialog = DiagnosticsDialog(_home(tmp_path), listed)
    qtbot.addWidget(dialog)
    dialog.open()
    out = tmp_path / "support" / "ferry.zip"
    out.parent.mkdir()
    dialog.hash_names.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as saved:
        dialog.export_to(out)
        assert not dialog.save.isEnabled()  # once at a time
        assert dialog.outcome.text() == "Saving the diagnostics…"
    assert saved.args[0].path == out and out.is_file()
    assert dialog.save.isEnabled() and dialog.show_file.isVisible()
    assert dialog.outcome.text().startswith(f"Diagnostics saved to {out} (")
    text = _zip_text(out)
    assert "run 1 (incremental) finished" in text
    assert SECRET not in text
    assert "Bakkerij Peeters" not in text  # hidden, as asked
    assert threads == ["MainThread"]  # the list is taken on the GUI thread; the work is not


def test_a_zip_that_cannot_be_written_is_said_in_words_and_leaves_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = DiagnosticsDialog(_home(tmp_path))
    qtbot.addWidget(dialog)
    dialog.open()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    dialog.export_to(blocker / "ferry.zip")
    qtbot.waitUntil(lambda: dialog.save.isEnabled(), timeout=20_000)
    words = dialog.outcome.text()
    assert words.startswith("The diagnostics cannot be saved as "), words
    assert "color" in dialog.outcome.styleSheet()
    assert not dialog.show_file.isVisible()
    assert list(tmp_path.glob("**/*.zip")) == []


def test_the_tray_and_settings_both_lead_to_it(qtbot: QtBot, tmp_path: Path) -> None:
    tray = TrayController()
    try:
        with qtbot.waitSignal(tray.diagnostics_requested, timeout=1000):
            tray.diagnostics_action.trigger()
        assert tray.diagnostics_action.text() == "Export diagnostics…"
    finally:
        tray.hide()
        tray.deleteLater()
    settings = SettingsDialog(_home(tmp_path), Settings())
    qtbot.addWidget(settings)
    with qtbot.waitSignal(settings.diagnostics_requested, timeout=1000):
        settings.diagnostics.click()
    assert settings.diagnostics.text() == "Export diagnostics…"
