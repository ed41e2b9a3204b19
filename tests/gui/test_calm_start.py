"""A calm start: a Ferry that is set up starts in the tray without flashing its window; where
the window must show (the demo, the wizard), it stays up; the first time it goes to the tray,
one notification says where Ferry went, and never again on that installation.

The whole app on a real engine process against the sandbox platform; the tray is said to be
there (offscreen Qt has none of its own), as it is on every desktop Ferry runs on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from app.core.language import Language
from app.engine.messages import EngineState
from app.gui.app import TRAY_HINT_FILE, FerryApp
from app.home import FerryHome
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin
from app.settings import Destination
from tests.engine.conftest import Office, logged_in_home


@pytest.fixture
def tray_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))


@pytest.fixture
def office(
    sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path
) -> Iterator[Office]:
    admin = SandboxAdmin(sandbox.url)
    home = logged_in_home(sandbox, "be", tmp_path / "home", region="custom")
    yield Office(sandbox, admin, "be", home, tmp_path / "out")


class Shown(QObject):
    """Counts every time a widget is shown, however briefly."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.Show:
            self.count += 1
        return False


def _close(app: FerryApp, qtbot: QtBot) -> None:
    app.shutdown()
    for thing in (app.instance, app.window, app):
        thing.deleteLater()
    qtbot.wait(50)


def test_a_set_up_ferry_starts_in_the_tray_without_flashing_its_window(
    qtbot: QtBot, office: Office, tray_host: None
) -> None:
    client = office.new_client("Stil BV")
    office.configure(
        [Destination(name="Books", general_path=str(office.root / "[accounting_file_id]"))],
        {client.id: ["Books"]},
    )
    office.add(client, "purchase")
    app = FerryApp(office.home, language=Language.EN)
    shown = Shown()
    app.window.installEventFilter(shown)
    assert app.tray.available
    try:
        assert app.start()
        qtbot.waitUntil(
            lambda: app.window.status_view.model.count("forwarded") == 1, timeout=60_000
        )
        qtbot.waitUntil(lambda: app.tray.state is EngineState.UP_TO_DATE, timeout=30_000)
        assert shown.count == 0 and not app.window.isVisible()
        app.tray.open_requested.emit()  # the person opens it from the tray
        qtbot.waitUntil(app.window.isVisible)
    finally:
        _close(app, qtbot)


def test_the_first_time_the_window_goes_to_the_tray_ferry_says_where_it_went(
    qtbot: QtBot, office: Office, tray_host: None
) -> None:
    app = FerryApp(office.home, language=Language.EN)
    told: list[str] = []
    app.tray.notified.connect(lambda title, text: told.append(f"{title}: {text}"))
    try:
        assert app.start()
        qtbot.waitUntil(lambda: app._told_tray is not None)
        app.window.bring_forward()
        app.window.close()
        assert not app.window.isVisible()
        assert told == [
            "Ferry is still running: Ferry keeps delivering documents in the background. Open "
            "it again from its icon in the notification area, near the clock."
        ]
        qtbot.waitUntil((office.home.state_dir / TRAY_HINT_FILE).exists)
        app.window.bring_forward()
        app.window.close()
        assert len(told) == 1  # once
    finally:
        _close(app, qtbot)

    again = FerryApp(office.home, language=Language.EN)
    told.clear()
    again.tray.notified.connect(lambda title, text: told.append(title))
    try:
        assert again.start()
        qtbot.waitUntil(lambda: again._told_tray is not None)
        again.window.bring_forward()
        again.window.close()
        assert told == []  # never again on this installation
    finally:
        _close(again, qtbot)


def test_the_demo_window_stays_up_once_syncing_starts(
    qtbot: QtBot, tmp_path: Path, tray_host: None
) -> None:
    """A newcomer's first look: the window painted and vanished as the engine started."""
    app = FerryApp(FerryHome.under(tmp_path / "home"), language=Language.EN, demo=True)
    try:
        assert app.start()
        qtbot.waitUntil(app.window.isVisible)
        qtbot.waitUntil(
            lambda: app.window.status_view.model.count("forwarded") >= 1, timeout=60_000
        )
        assert app.window.isVisible()
    finally:
        _close(app, qtbot)
