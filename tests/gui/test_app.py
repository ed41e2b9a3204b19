"""The desktop app as a whole, on the in-process sandbox: documents appear live in the table,
the tray follows, Send to integrations brings rows back to Forwarded, one app per home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.language import Language
from app.demo_setup import DEMO_REALM
from app.engine.messages import EngineState, StateChanged
from app.gui.app import FerryApp
from app.gui.i18n import install_translator
from app.gui.single_instance import SingleInstance
from app.home import FerryHome
from app.sandbox.testkit import SandboxAdmin
from app.settings import ProxyMode, ProxySettings, load_settings, save_settings
from tests.conftest import RunFerry
from tests.gui.conftest import Browser


@pytest.fixture
def ferry(qtbot: QtBot, tmp_path: Path) -> Iterator[FerryApp]:
    app = FerryApp(FerryHome.under(tmp_path / "home"), language=Language.EN, demo=True)
    assert app.start()
    qtbot.addWidget(app.window)
    try:
        yield app
    finally:
        app.shutdown()


def _add_receipt(url: str, client_id: str, name: str) -> None:
    with SandboxAdmin(url) as admin:
        admin.add_document(
            DEMO_REALM,
            client_id,
            "receipt",
            [(name, b"%PDF-1.4\n% Ferry\n%%EOF\n", "application/pdf")],
        )


def _forwarded(app: FerryApp) -> int:
    return app.window.status_view.model.count("forwarded")


def test_demo_documents_arrive_live_and_resend_brings_them_back(
    qtbot: QtBot, ferry: FerryApp
) -> None:
    qtbot.waitUntil(lambda: _forwarded(ferry) >= 10, timeout=60_000)
    model = ferry.window.status_view.model
    assert model.total_count() >= 10
    row = model.row_at(0)
    assert row.client_name != row.client_id  # names came from the platform's client list
    assert Path(row.locations[0]).is_file()
    assert ferry.tray.state in (EngineState.UP_TO_DATE, EngineState.SYNCING)
    assert "Ferry" in ferry.tray.tooltip() and len(ferry.tray.tooltip()) <= 127
    assert ferry.window.destinations_view.count() == 1

    # the accountant takes a file away, then sends the document to the integrations again
    Path(row.locations[0]).unlink()
    table = ferry.window.status_view.table
    table.selectRow(0)
    ferry.window.status_view.send_action.trigger()
    qtbot.waitUntil(lambda: Path(row.locations[0]).is_file(), timeout=30_000)
    qtbot.waitUntil(lambda: model.document(row.id).status == "forwarded", timeout=30_000)


def test_a_second_launch_brings_the_first_forward(qtbot: QtBot, ferry: FerryApp) -> None:
    ferry.window.hide()
    second = SingleInstance(ferry.home.settings_dir.parent)
    assert second.ask_running_instance()
    qtbot.waitUntil(ferry.window.isVisible, timeout=5000)


def test_without_a_login_the_wizard_takes_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    app = FerryApp(FerryHome.under(tmp_path / "home"), language=Language.EN)
    assert app.start()
    try:  # the window is deleted below, with the app: not handed to qtbot to close again
        assert app.wizard is not None
        assert app.window.centralWidget() is app.wizard
        qtbot.waitUntil(app.wizard.isVisible)
        assert app.engine is None  # nothing syncs before the set-up is done
        assert app.window.state_label.text() == "Setting up Ferry"
        assert app.wizard.page() is app.wizard.country
    finally:
        app.shutdown()
        for thing in (app.instance, app.window, app):
            thing.deleteLater()
        qtbot.wait(20)


def test_the_desktop_app_opens_on_the_wizard_and_quits_cleanly(
    run_ferry: RunFerry, ferry_home: Path
) -> None:
    done = run_ferry("--demo-seconds", "3", "-v", env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-3000:]
    log = (ferry_home / "logs" / "ferry.log").read_text()
    assert "Traceback" not in log and "Traceback" not in done.stderr
    assert not (ferry_home / "settings" / "login.json").exists()


def test_settings_from_the_window_switch_the_language_live_and_keep_the_rest(
    qtbot: QtBot, ferry: FerryApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # start at login stays here
    qtbot.waitUntil(lambda: ferry.engine is not None, timeout=60_000)
    tabs = ferry.window.tabs
    assert tabs.tabText(1) == "Activity"
    ferry.window.settings_button.click()
    qtbot.waitUntil(lambda: ferry._settings_dialog is not None, timeout=5000)
    dialog = ferry._settings_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.notifications.setChecked(False)
    qtbot.waitUntil(lambda: dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled())
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    try:
        qtbot.waitUntil(lambda: tabs.tabText(1) == "Activité", timeout=10_000)
        assert ferry.language is Language.FR
        assert tabs.tabText(3) == "Clients"
        assert not ferry.tray.notifications_enabled
        settings = load_settings(ferry.home.settings_dir)
        assert settings.language is Language.FR and not settings.notifications
        assert settings.destinations and settings.links  # the demo's set-up is untouched
        assert ferry.engine is not None  # same proxy: the engine went on
    finally:
        install_translator(QApplication.instance(), Language.EN)  # type: ignore[arg-type]


def test_a_new_proxy_restarts_the_engine_process_which_syncs_on(
    qtbot: QtBot, ferry: FerryApp
) -> None:
    qtbot.waitUntil(lambda: ferry.engine is not None, timeout=60_000)
    qtbot.waitUntil(lambda: ferry.tray.state is EngineState.UP_TO_DATE, timeout=60_000)
    first = ferry.engine
    assert first is not None and first.pid is not None and first.pid != os.getpid()
    settings = load_settings(ferry.home.settings_dir)
    changed = settings.model_copy(update={"proxy": ProxySettings(mode=ProxyMode.NONE)})
    save_settings(ferry.home.settings_dir, changed)
    ferry._apply_settings(changed)
    # a new engine process, logged in with the demo's rotated token (not a revoked one)
    qtbot.waitUntil(lambda: ferry.engine is not None and ferry.engine is not first, timeout=60_000)
    assert ferry.engine is not None and ferry.engine.pid != first.pid
    demo = ferry.demo
    assert demo is not None
    before = _forwarded(ferry)
    client = load_settings(ferry.home.settings_dir).links[0]
    _add_receipt(demo.url, client.client_id, "after-restart.pdf")
    qtbot.waitUntil(lambda: _forwarded(ferry) > before, timeout=60_000)
    assert ferry.tray.state is not EngineState.LOGIN_NEEDED


def test_login_needed_is_acted_on_from_the_window_and_syncing_goes_on(
    qtbot: QtBot, qloop: qasync.QEventLoop, browser: Browser, ferry: FerryApp
) -> None:
    qtbot.waitUntil(lambda: ferry.tray.state is EngineState.UP_TO_DATE, timeout=60_000)
    demo = ferry.demo
    assert demo is not None and not ferry.window.login_button.isVisible()
    first = ferry.engine
    with SandboxAdmin(demo.url) as admin:
        assert admin.revoke_user(DEMO_REALM) >= 1  # the platform ends the login
    # the engine finds out at its next call; a document makes that call come now
    client = load_settings(ferry.home.settings_dir).links[0]
    _add_receipt(demo.url, client.client_id, "while-logged-out.pdf")
    qtbot.waitUntil(lambda: ferry.tray.state is EngineState.LOGIN_NEEDED, timeout=60_000)
    ferry.window.bring_forward()
    button = ferry.window.login_button
    qtbot.waitUntil(button.isVisible, timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = ferry._relogin
    assert dialog is not None
    assert "Demo Dupont" in dialog.intro.text()
    # the browser logs in (as the same person), the dialog closes, a new engine takes over
    qtbot.waitUntil(lambda: ferry._relogin is None, timeout=60_000)
    assert not browser.errors and len(browser.urls) == 1
    qtbot.waitUntil(lambda: ferry.engine is not None and ferry.engine is not first, timeout=60_000)
    qtbot.waitUntil(lambda: ferry.tray.state is not EngineState.LOGIN_NEEDED, timeout=60_000)
    assert not button.isVisible()
    # what came while logged out is delivered too: nothing was lost
    model = ferry.window.status_view.model

    def delivered(name: str) -> bool:
        rows = (model.row_at(i) for i in range(model.total_count()))
        return any(row.status == "forwarded" and name in " ".join(row.locations) for row in rows)

    qtbot.waitUntil(lambda: delivered("while-logged-out.pdf"), timeout=60_000)


def test_the_clients_tab_lists_the_platform_s_clients_with_their_links(
    qtbot: QtBot, ferry: FerryApp
) -> None:
    view = ferry.window.clients_view
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=60_000)
    linked = len(load_settings(ferry.home.settings_dir).links)
    assert linked > 0 and view.links() and len(view.links()) == linked


def test_runs_show_in_the_activity_tab_from_their_start(qtbot: QtBot, ferry: FerryApp) -> None:
    model = ferry.window.activity_view.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=60_000)
    qtbot.waitUntil(lambda: model.row_at(0).finished is not None, timeout=60_000)
    assert model.row_at(0).started is not None  # seen starting, so its duration is known


def test_a_quiet_moment_for_an_update_is_one_nobody_would_notice(
    qtbot: QtBot, ferry: FerryApp
) -> None:
    """When the app may restart into a waiting version by itself (app/gui/update_status.py):
    never while its window is in front of the person, nor while documents are delivered."""
    qtbot.waitUntil(lambda: ferry.window.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: ferry.tray.state is EngineState.UP_TO_DATE, timeout=60_000)
    assert not ferry._quiet_for_an_update()  # the window is up
    ferry.window.hide()
    assert ferry._quiet_for_an_update()
    ferry.tray.show_state(StateChanged(state=EngineState.SYNCING))  # as the engine says it
    assert not ferry._quiet_for_an_update()
