"""The tray under a real X screen with a real tray host (Xvfb + trayer, see tests/conftest.py):
the icon shows, says the state, its menu asks for what the person wants, and errors arrive as
one notification — fed through the EngineBridge exactly as the engine posts its events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from app.core.failures import Failure, FailureCode
from app.engine.messages import (
    DocumentChanged,
    EngineState,
    Event,
    FailureInfo,
    LoginNeededEvent,
    RunFinished,
    RunStarted,
    StateChanged,
)
from app.gui.bridge import EngineBridge
from app.gui.icons import SIZES, render_state_pixmap
from app.gui.notifications import ErrorNotifier
from app.gui.tray import TOOLTIP_LIMIT, TrayController


def permission(client: str) -> FailureInfo:
    return FailureInfo.of(
        Failure.of(
            FailureCode.PERMISSION,
            destination="Winbooks",
            folder=f"D:\\Compta\\{client}\\2026",
            root="D:\\Compta",
            said="Permission denied",
        )
    )


DISK_FULL = FailureInfo.of(
    Failure.of(FailureCode.DISK_FULL, destination="Archive", folder="/srv/a", root="/srv")
)


@pytest.fixture
def tray(qtbot: QtBot) -> Iterator[TrayController]:
    controller = TrayController()
    yield controller
    controller.hide()
    controller.deleteLater()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every notification the tray icon was asked to show (title, text)."""
    messages: list[tuple[str, str]] = []

    def show_message(self: QSystemTrayIcon, title: str, text: str, *args: Any) -> None:
        messages.append((title, text))

    monkeypatch.setattr(QSystemTrayIcon, "showMessage", show_message)
    return messages


def image(pixmap: Any) -> bytes:
    return bytes(pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32).constBits())


# --- the icon ------------------------------------------------------------------------------------


def test_the_icon_is_shown_in_the_tray_host(qtbot: QtBot, tray: TrayController) -> None:
    assert QSystemTrayIcon.isSystemTrayAvailable()
    assert tray.available
    assert tray.icon is not None and tray.icon.isVisible()
    # trayer embedded it: it has a place on the screen.
    qtbot.waitUntil(
        lambda: tray.icon is not None and tray.icon.geometry().width() > 0, timeout=5000
    )
    assert tray.icon.contextMenu() is tray.menu


@pytest.mark.parametrize("size", SIZES)
def test_every_state_has_its_own_icon_at_every_size(size: int) -> None:
    drawn = {state: image(render_state_pixmap(state, size)) for state in EngineState}
    assert len(set(drawn.values())) == len(EngineState)
    pixmap = render_state_pixmap(EngineState.ERRORS, size)
    assert (pixmap.width(), pixmap.height()) == (size, size)
    assert pixmap.toImage().hasAlphaChannel()  # round, not a square on the tray's colour


def test_the_tray_icon_follows_the_state(tray: TrayController) -> None:
    assert tray.icon is not None
    seen = []
    for state in EngineState:
        tray.show_state(StateChanged(state=state))
        assert tray.state is state
        seen.append(image(tray.icon.icon().pixmap(22, 22)))
    assert len(set(seen)) == len(EngineState)


# --- the tooltip ---------------------------------------------------------------------------------


def at_local(hour: int, minute: int, days_ago: int = 0) -> dt.datetime:
    today = dt.datetime.now().astimezone()
    moment = today.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return (moment - dt.timedelta(days=days_ago)).astimezone(dt.UTC)


def test_the_tooltip_says_the_state_the_last_sync_and_today_s_count(
    tray: TrayController,
) -> None:
    assert tray.icon is not None
    assert tray.icon.toolTip() == "Ferry — Starting… · no documents today"
    tray.show_state(StateChanged(state=EngineState.UP_TO_DATE, last_sync=at_local(14, 2)))
    tray.show_counts(errors=0, today=23, last_delivery=at_local(13, 0))
    assert tray.icon.toolTip() == "Ferry — Up to date · last sync 14:02 · 23 documents today"
    tray.show_counts(errors=3, today=1, last_delivery=at_local(13, 0))
    tray.show_state(StateChanged(state=EngineState.ERRORS, errors=1))  # keeps the last sync
    # the table's count, not the engine's older one
    assert (
        tray.icon.toolTip() == "Ferry — 3 documents in error · last sync 14:02 · 1 document today"
    )
    tray.show_counts(errors=1, today=1, last_delivery=at_local(14, 9))  # a later delivery
    assert tray.tooltip().startswith("Ferry — 1 document in error · last sync 14:09 ·")
    yesterday = at_local(9, 30, days_ago=1)
    tray.show_counts(errors=0, today=0, last_delivery=None)  # a new day, nothing delivered yet
    tray._last_sync = None  # a fresh start
    tray.show_state(StateChanged(state=EngineState.OFFLINE, last_sync=yesterday))
    assert f"last sync {yesterday.astimezone().day} " in tray.tooltip()
    assert tray.tooltip().startswith("Ferry — Offline ·")
    assert tray.status_action.text() == "Offline"


class Verbose(QTranslator):
    """A language whose words are very long, like some translations are."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if context == "TrayController":
            return source + " — " + "sehr lange Übersetzung " * 5
        return source


def test_the_tooltip_is_cut_to_windows_127_characters(tray: TrayController) -> None:
    translator = Verbose()
    QApplication.installTranslator(translator)
    try:
        tray.show_state(StateChanged(state=EngineState.UP_TO_DATE, last_sync=at_local(8, 0)))
        tray.show_counts(errors=0, today=123_456, last_delivery=None)
    finally:
        QApplication.removeTranslator(translator)
    assert tray.icon is not None
    tip = tray.icon.toolTip()
    assert len(tip) == TOOLTIP_LIMIT
    assert tip.startswith("Ferry — Up to date — sehr lange") and tip.endswith("…")


# --- the menu ------------------------------------------------------------------------------------


def test_the_menu_offers_what_a_person_does_from_the_tray(tray: TrayController) -> None:
    assert tray.menu is not None
    texts = [action.text() for action in tray.menu.actions() if not action.isSeparator()]
    assert texts == [
        "Starting…",
        "Open Ferry",
        "Sync now",
        "Full sync…",
        "Pause",
        "Settings…",
        "Open logs folder",
        "Export diagnostics…",
        "Quit Ferry",
    ]
    assert not tray.status_action.isEnabled()


@pytest.mark.parametrize(
    ("action", "signal"),
    [
        ("open_action", "open_requested"),
        ("sync_now_action", "sync_now_requested"),
        ("pause_action", "pause_requested"),
        ("settings_action", "settings_requested"),
        ("open_logs_action", "open_logs_requested"),
        ("quit_action", "quit_requested"),
    ],
)
def test_every_menu_entry_emits_its_request(
    qtbot: QtBot, tray: TrayController, action: str, signal: str
) -> None:
    tray.show_state(StateChanged(state=EngineState.UP_TO_DATE))
    with qtbot.waitSignal(getattr(tray, signal), timeout=1000):
        getattr(tray, action).trigger()


def test_pause_and_resume_are_one_entry_that_follows_the_state(
    qtbot: QtBot, tray: TrayController
) -> None:
    tray.show_state(StateChanged(state=EngineState.SYNCING))
    assert tray.pause_action.text() == "Pause"
    tray.show_state(StateChanged(state=EngineState.PAUSED))
    assert tray.pause_action.text() == "Resume"
    assert not tray.sync_now_action.isEnabled() and not tray.full_sync_action.isEnabled()
    with qtbot.assertNotEmitted(tray.pause_requested), qtbot.waitSignal(tray.resume_requested):
        tray.pause_action.trigger()
    tray.show_state(StateChanged(state=EngineState.UP_TO_DATE))
    assert tray.pause_action.text() == "Pause"
    assert tray.sync_now_action.isEnabled() and tray.full_sync_action.isEnabled()


def test_clicking_the_icon_opens_ferry(qtbot: QtBot, tray: TrayController) -> None:
    assert tray.icon is not None
    with qtbot.waitSignal(tray.open_requested):
        tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    with qtbot.assertNotEmitted(tray.open_requested):
        tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Context)


def confirmation(qtbot: QtBot) -> QMessageBox:
    found: list[QMessageBox] = []

    def visible() -> bool:
        found[:] = [
            widget
            for widget in QApplication.topLevelWidgets()
            if isinstance(widget, QMessageBox)
            and widget.objectName() == "full-sync-confirmation"
            and widget.isVisible()
        ]
        return len(found) == 1

    qtbot.waitUntil(visible, timeout=3000)
    return found[0]


def test_full_sync_asks_first_and_only_yes_starts_it(qtbot: QtBot, tray: TrayController) -> None:
    requested: list[bool] = []
    tray.full_sync_requested.connect(lambda: requested.append(True))
    tray.full_sync_action.trigger()  # returns at once: open(), not a nested exec() loop
    box = confirmation(qtbot)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.button(QMessageBox.StandardButton.Yes).text() == "Start full sync"
    assert "heavily" in box.informativeText()
    tray.full_sync_action.trigger()  # asked again while open: the same question, not two
    assert confirmation(qtbot) is box
    box.button(QMessageBox.StandardButton.No).click()
    qtbot.waitUntil(lambda: not box.isVisible())
    qtbot.wait(50)
    assert requested == []

    tray.full_sync_action.trigger()
    box = confirmation(qtbot)
    with qtbot.waitSignal(tray.full_sync_requested, timeout=2000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert requested == [True]


def test_closing_the_full_sync_question_with_escape_is_a_no(
    qtbot: QtBot, tray: TrayController
) -> None:
    tray.ask_full_sync()
    box = confirmation(qtbot)
    with qtbot.assertNotEmitted(tray.full_sync_requested, wait=100):
        box.reject()
        qtbot.waitUntil(lambda: not box.isVisible())


# --- notifications end to end --------------------------------------------------------------------


def error_document(n: int, client: str = "Client") -> DocumentChanged:
    return DocumentChanged(
        document_id=f"d{n}",
        client_id="c1",
        kind="purchase",
        number=f"INV-2026-{n:03}",
        issue_date="2026-03-09",
        status="error",
        message="English, for the log only",
        failures=[permission(f"{client} {n} BV")],
    )


def post_run(bridge: EngineBridge, run_id: int, documents: list[DocumentChanged]) -> None:
    """A run as the engine reports it: started, syncing, documents, finished, settled."""
    events: list[Event] = [
        RunStarted(run_id=run_id, kind="incremental"),
        StateChanged(state=EngineState.SYNCING),
        *documents,
        RunFinished(
            run_id=run_id,
            kind="incremental",
            documents=len(documents),
            delivered=0,
            failed=len(documents),
        ),
        StateChanged(state=EngineState.ERRORS, errors=len(documents)),
    ]
    for event in events:
        bridge.post(event)


@pytest.fixture
def bridge(qtbot: QtBot) -> EngineBridge:
    return EngineBridge(batch_ms=20)


def test_a_burst_of_errors_is_one_notification_and_never_repeated(
    qtbot: QtBot, tray: TrayController, bridge: EngineBridge, shown: list[tuple[str, str]]
) -> None:
    tray.attach(bridge)
    tray.attach(bridge)  # attaching twice does not double anything
    finished: list[RunFinished] = []
    bridge.run_finished.connect(finished.append)
    # The first import: 40 documents fail, nothing is notified.
    post_run(bridge, 1, [error_document(n) for n in range(100, 140)])
    qtbot.waitUntil(lambda: len(finished) == 1)
    qtbot.wait(100)
    assert shown == []
    assert tray.state is EngineState.ERRORS
    assert tray.tooltip().startswith("Ferry — 40 documents in error · last sync ")
    # A new fault after it: five documents in one run, one notification.
    for n in range(14, 19):
        bridge.post(error_document(n).model_copy(update={"failures": [DISK_FULL]}))
    post_run(bridge, 2, [])
    qtbot.waitUntil(lambda: len(shown) == 1)
    qtbot.wait(200)
    assert shown == [
        (
            "5 documents could not be delivered",
            "Invoice INV-2026-014 and 4 other documents could not be delivered: "
            "Archive: The disk holding /srv/a is full; free some space on it.",
        )
    ]
    # The same faults again, in other folders: not again.
    post_run(bridge, 3, [error_document(n, "Other") for n in range(200, 230)])
    qtbot.waitUntil(lambda: len(finished) == 3)
    qtbot.wait(200)
    assert len(shown) == 1


def test_a_burst_outside_a_run_is_told_after_a_calm(
    qtbot: QtBot, bridge: EngineBridge, shown: list[tuple[str, str]]
) -> None:
    tray = TrayController(notifier=ErrorNotifier(quiet_first_run=False, settle_s=0.3))
    try:
        tray.attach(bridge)
        notified: list[tuple[str, str]] = []
        tray.notified.connect(lambda title, text: notified.append((title, text)))
        for n in range(3):
            bridge.post(error_document(n))
        qtbot.waitUntil(lambda: len(shown) == 1, timeout=3000)
        assert shown[0][0] == "3 documents could not be delivered"
        assert notified == shown
    finally:
        tray.hide()


def test_clicking_a_notification_shows_the_errors_or_the_login(
    qtbot: QtBot, tray: TrayController, bridge: EngineBridge, shown: list[tuple[str, str]]
) -> None:
    assert tray.icon is not None
    tray.notify("2 documents could not be delivered", "Invoice 1 and 1 other …")
    with qtbot.waitSignal(tray.errors_requested), qtbot.assertNotEmitted(tray.open_requested):
        tray.icon.messageClicked.emit()
    tray.attach(bridge)
    bridge.post(LoginNeededEvent(reason="the login was revoked"))
    bridge.post(StateChanged(state=EngineState.LOGIN_NEEDED, detail="the login was revoked"))
    qtbot.waitUntil(lambda: tray.state is EngineState.LOGIN_NEEDED)
    assert [title for title, _ in shown] == ["2 documents could not be delivered", "Login needed"]
    assert tray.icon.toolTip().startswith("Ferry — Login needed")
    with qtbot.waitSignal(tray.login_requested), qtbot.assertNotEmitted(tray.errors_requested):
        tray.icon.messageClicked.emit()


def test_notify_cuts_to_windows_limits_and_can_be_switched_off(
    qtbot: QtBot, tray: TrayController, shown: list[tuple[str, str]]
) -> None:
    tray.notify("t" * 100, "x" * 400)
    assert len(shown[0][0]) == 63 and len(shown[0][1]) == 255
    tray.set_notifications_enabled(False)
    with qtbot.waitSignal(tray.notified):
        tray.notify("quiet", "please")
    assert len(shown) == 1


# --- no tray -------------------------------------------------------------------------------------


def test_without_a_tray_nothing_is_shown_and_nothing_breaks(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, bridge: EngineBridge
) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    tray = TrayController()
    assert not tray.available
    assert tray.icon is None and tray.menu is None
    tray.attach(bridge)
    tray.show_state(StateChanged(state=EngineState.PAUSED))
    tray.show_counts(errors=0, today=5, last_delivery=None)
    assert tray.tooltip() == "Ferry — Paused · 5 documents today"
    assert tray.pause_action.text() == "Resume"
    notified: list[str] = []
    tray.notified.connect(lambda title, text: notified.append(title))
    tray.notify("Login needed", "Open Ferry to log in again.")
    post_run(bridge, 1, [])
    bridge.post(LoginNeededEvent(reason="expired"))
    qtbot.waitUntil(lambda: len(notified) == 2)  # the window can show them instead
    with qtbot.waitSignal(tray.quit_requested):
        tray.quit_action.trigger()
    tray.hide()


def test_an_older_sync_is_dated_in_ferry_s_language(
    qapp: QApplication, tray: TrayController, tmp_path: Path
) -> None:
    """A French tooltip names a French month, whatever language the system speaks."""
    from app.core.language import Language
    from app.gui.i18n import install_translator

    moment = at_local(9, 30, days_ago=40)
    install_translator(qapp, Language.FR, cache_dir=tmp_path / "qm")
    try:
        tray.show_state(StateChanged(state=EngineState.OFFLINE, last_sync=moment))
        french = QLocale(QLocale.Language.French).monthName(
            moment.astimezone().month, QLocale.FormatType.ShortFormat
        )
        assert french in tray.tooltip()
        english = QLocale(QLocale.Language.English).monthName(
            moment.astimezone().month, QLocale.FormatType.ShortFormat
        )
        if english != french:
            assert english not in tray.tooltip()
    finally:
        install_translator(qapp, Language.EN, cache_dir=tmp_path / "qm")
