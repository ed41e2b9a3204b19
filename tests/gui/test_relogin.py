"""Logging in again keeps the fixed redirect ports of the first login: a login server that
registered Ferry with fixed ports would refuse a port the OS picks."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import qasync
from pytestqt.qtbot import QtBot

from app.auth.account import StoredLogin, load_login, save_login
from app.gui.relogin import ReloginDialog
from app.sandbox.server import SandboxServer
from tests.auth.conftest import free_fixed_port
from tests.engine.conftest import logged_in_home
from tests.gui.conftest import Browser


def test_logging_in_again_comes_back_on_the_stored_ports(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    browser: Browser,
    sandbox: SandboxServer,
    secret_service: dict[str, str],
    tmp_path: Path,
) -> None:
    home = logged_in_home(sandbox, "be", tmp_path / "home", region="custom")
    first = load_login(home.settings_dir)
    assert first is not None
    port = free_fixed_port()
    save_login(home.settings_dir, first.model_copy(update={"redirect_ports": (port,)}))
    stored = load_login(home.settings_dir)
    assert stored is not None and stored.redirect_ports == (port,)

    dialog = ReloginDialog(home, stored, parent=None)
    qtbot.addWidget(dialog)
    renewed: list[StoredLogin] = []
    dialog.logged_in.connect(renewed.append)
    dialog.open()
    dialog.start()
    qtbot.waitUntil(lambda: bool(renewed), timeout=60_000)
    assert not browser.errors
    redirect = parse_qs(urlsplit(browser.urls[0]).query)["redirect_uri"][0]
    assert redirect == f"http://127.0.0.1:{port}/callback"
    assert renewed[0].redirect_ports == (port,)
    again = load_login(home.settings_dir)
    assert again is not None and again.redirect_ports == (port,)
