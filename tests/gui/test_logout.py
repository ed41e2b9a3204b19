"""Log out from Settings: asked first, the login ended at the platform and here, the engine
stopped, and the wizard back in the window starting from the destinations and links kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.auth.account import LOGIN_FILE, load_login
from app.auth.secret_store import SecretStore
from app.auth.session import LogoutOutcome
from app.core.language import Language
from app.gui.app import FerryApp
from app.gui.i18n import install_translator
from app.home import FerryHome
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin
from app.settings import ClientLink, Destination, Settings, load_settings, save_settings
from tests.engine.conftest import logged_in_home

SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_log_out_from_settings_ends_the_login_and_brings_the_wizard_back_with_the_setup(
    qtbot: QtBot, sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path
) -> None:
    home = logged_in_home(sandbox, "be", tmp_path / "home", region="custom")
    stored = load_login(home.settings_dir)
    assert stored is not None
    token = SecretStore().load(stored.secret_name)
    assert token
    client = next(c for c in SandboxAdmin(sandbox.url).clients("be") if c.shares_documents)
    setup = Settings(
        destinations=[Destination(name="Books", general_path=str(tmp_path / "out"))],
        links=[ClientLink(client_id=client.id, destinations=["Books"], since=SINCE)],
    )
    save_settings(home.settings_dir, setup)
    app = FerryApp(home, language=Language.EN)
    assert app.start()
    qtbot.addWidget(app.window)
    try:
        qtbot.waitUntil(lambda: app.engine is not None and app.engine.running, timeout=30_000)
        app.open_settings()
        qtbot.waitUntil(lambda: app._settings_dialog is not None, timeout=10_000)
        dialog = app._settings_dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible)
        assert dialog.log_out.isVisible() and stored.who in dialog.who.text()

        # asked first: Cancel changes nothing
        qtbot.mouseClick(dialog.log_out, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: app._confirm_log_out is not None)
        box = app._confirm_log_out
        assert box is not None
        qtbot.waitUntil(box.isVisible)
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
        assert app.engine is not None and (home.settings_dir / LOGIN_FILE).exists()

        qtbot.mouseClick(dialog.log_out, Qt.MouseButton.LeftButton)
        box = app._confirm_log_out
        assert box is not None
        qtbot.waitUntil(box.isVisible)
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: app.wizard is not None, timeout=30_000)

        # ended here and at the platform
        assert app.engine is None and app._settings_dialog is None
        assert not (home.settings_dir / LOGIN_FILE).exists()
        assert SecretStore().load(stored.secret_name) is None
        refused = httpx.post(
            f"{sandbox.issuer('be')}/protocol/openid-connect/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": token,
                "client_id": "ferry-desktop",
            },
        )
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"

        # the wizard starts from what was set up; the settings on file are untouched
        wizard = app.wizard
        assert wizard is not None and app.window.centralWidget() is wizard
        assert [d.name for d in wizard.destinations] == ["Books"]
        assert [
            (link.client_id, link.destinations) for link in wizard.links_page.links.links()
        ] == [(client.id, ["Books"])]
        assert load_settings(home.settings_dir).links == setup.links
    finally:
        app.shutdown()


def test_a_platform_that_was_not_told_is_said_after_the_logout(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The logout's outcome is data; the app words it, in the person's language, and only
    when the platform was not told (a revoked login needs no word)."""
    app = FerryApp(FerryHome.under(tmp_path / "home"), language=Language.EN)
    qtbot.addWidget(app.window)
    try:
        app._logged_out((LogoutOutcome.REVOKED, None))
        assert app.wizard is not None and app.logout_notice is None
        app._logged_out((LogoutOutcome.NOT_SUPPORTED, None))
        box = app.logout_notice
        assert box is not None
        qtbot.waitUntil(box.isVisible)
        assert box.text() == "Logged out on this computer only"
        assert box.informativeText().startswith(
            "The platform was not told: its login server offers no way to end a login"
        )
        box.close()
        qapp = QApplication.instance()
        assert isinstance(qapp, QApplication)
        install_translator(qapp, Language.FR)
        try:
            assert app._logout_words(LogoutOutcome.FAILED) == (
                "La plateforme n'a pas été prévenue : son serveur de connexion était "
                "injoignable ou a refusé. Ferry a oublié la connexion sur cet ordinateur ; elle "
                "reste valable sur la plateforme jusqu'à son expiration."
            )
            install_translator(qapp, Language.NL)
            assert str(app._logout_words(LogoutOutcome.NO_TOKEN)).startswith(
                "Het platform is niet op de hoogte gebracht"
            )
        finally:
            install_translator(qapp, Language.EN)
    finally:
        app.shutdown()
