"""The first-run wizard, driven as a person would, against a running sandbox platform.

The login runs for real: the wizard's coroutine on a qasync loop, Ferry's loopback listener,
the sandbox's login form. The "browser" is the one thing replaced — :func:`desktop.open_url` —
by a thread that does what a browser does: fetch the page, submit the form, follow the
redirect back to Ferry. The refresh token goes to gnome-keyring's Secret Service.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import qasync
from keyring.backends import SecretService
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QListWidget, QPushButton
from pytestqt.qtbot import QtBot

from app.auth.account import LOGIN_FILE, load_login
from app.auth.secret_store import SecretStore
from app.core.language import Language
from app.engine.messages import EngineState
from app.gui.app import FerryApp
from app.gui.wizard import SetupWizard, WizardOptions
from app.home import FerryHome
from app.local_sandbox import LocalSandbox, stored_port
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin
from app.settings import ProxyMode, ProxySettings, Settings, load_settings, save_settings
from tests.gui.conftest import Browser

LOGIN_WAIT_MS = 60_000


# -- helpers ---------------------------------------------------------------------------------------


def _click(qtbot: QtBot, button: QPushButton) -> None:
    """Click as a person does: once the button is there and enabled (within a moment)."""
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _choose(qtbot: QtBot, listing: QListWidget, text: str) -> None:
    (item,) = listing.findItems(text, Qt.MatchFlag.MatchExactly)
    listing.scrollToItem(item)
    center = listing.visualItemRect(item).center()
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert listing.currentItem() is item


def _custom_server(qtbot: QtBot, wizard: SetupWizard, issuer: str, api: str) -> None:
    _choose(qtbot, wizard.country.list, "Custom server")
    assert wizard.country.issuer.isVisible()
    wizard.country.issuer.clear()
    qtbot.keyClicks(wizard.country.issuer, issuer)
    wizard.country.api.clear()
    qtbot.keyClicks(wizard.country.api, api)


def _wizard(qtbot: QtBot, tmp_path: Path, **options: object) -> SetupWizard:
    wizard = SetupWizard(
        FerryHome.under(tmp_path / "home"),
        language=Language.EN,
        options=WizardOptions(**options),  # type: ignore[arg-type]
    )
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _end(qtbot: QtBot, app: FerryApp) -> None:
    """What the end of the app's process does: stop everything, free the home, and let Qt
    delete the windows and the tray icon now rather than at the interpreter's exit."""
    app.shutdown()
    for thing in (app.instance, app.window, app):
        thing.deleteLater()
    qtbot.wait(20)


def _failure_shown(wizard: SetupWizard) -> str:
    label = wizard.login_page.failure
    return label.text() if label.isVisible() else ""


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _wait_for_page(qtbot: QtBot, wizard: SetupWizard, page: object, browser: Browser) -> None:
    def there() -> bool:
        assert not browser.errors, browser.errors
        failure = _failure_shown(wizard)
        assert not failure, failure
        return wizard.page() is page

    qtbot.waitUntil(there, timeout=LOGIN_WAIT_MS)


# -- from the country to the first synced document, and the next start -----------------------------


def test_wizard_from_country_to_first_synced_document_and_the_next_start(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    secret_service: dict[str, str],
    browser: Browser,
    tmp_path: Path,
) -> None:
    home = FerryHome.under(tmp_path / "home")
    output = tmp_path / "Accounting"
    # chosen before the set-up (say, before a logout): kept by it
    save_settings(
        home.settings_dir,
        Settings(proxy=ProxySettings(mode=ProxyMode.NONE), notifications=False),
    )
    app = FerryApp(
        home,
        language=Language.EN,
        wizard_options=WizardOptions(sandbox_port=0, sandbox_seed_documents=3),
    )
    assert app.start()
    try:
        wizard = app.wizard
        assert wizard is not None and app.window.centralWidget() is wizard
        qtbot.waitUntil(wizard.isVisible)

        # Where: every country in English, then this computer's sandbox
        names = [wizard.country.list.item(i).text() for i in range(wizard.country.list.count())]
        assert names[:2] == ["Belgium: Billit", "Belgium: Billit's sandbox (for tests)"]
        assert "Custom server" in names
        _choose(qtbot, wizard.country.list, "Sandbox (this computer)")
        assert not wizard.country.issuer.isVisible()
        assert wizard.next.text() == "Log in"
        _click(qtbot, wizard.next)

        # Log in: the browser is opened on the sandbox's login page; the wizard shows progress
        assert wizard.page() is wizard.login_page
        _wait_for_page(qtbot, wizard, wizard.who, browser)
        assert len(browser.urls) == 1 and "/protocol/openid-connect/auth?" in browser.urls[0]
        qtbot.waitUntil(lambda: bool(browser.pages), timeout=10_000)
        assert "You are logged in to Ferry" in browser.pages[0]

        # Who: the user and the office, from the platform
        assert "Demo Dupont" in wizard.who.who.text()
        assert "Fiduciaire Dupont & Fils" in wizard.who.office.text()
        logged_in = wizard.logged_in
        assert logged_in is not None and logged_in.clients
        # the refresh token is in gnome-keyring, and nothing is on disk before Finish
        vault = SecretStore(SecretService.Keyring())
        token = vault.load(logged_in.login.secret_name)
        assert token
        assert not (home.settings_dir / LOGIN_FILE).exists()

        # Destinations: at least one, through the destination editor
        _click(qtbot, wizard.next)
        assert wizard.page() is wizard.destinations_page
        assert not wizard.next.isEnabled()
        assert wizard.destinations_page.empty_note.isVisible()
        _click(qtbot, wizard.destinations_page.add)
        editor = wizard.editor
        assert editor is not None
        qtbot.waitUntil(editor.isVisible)
        qtbot.keyClicks(editor.name, "Archive")
        qtbot.keyClicks(editor.general.edit, str(output / "[enterprise_name]" / "[document_type]"))
        save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
        qtbot.waitUntil(save.isEnabled, timeout=10_000)
        previews = editor.preview_model.rows()
        assert previews and all(row.path and row.path.startswith(str(output)) for row in previews)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        assert [d.name for d in wizard.destinations] == ["Archive"]
        assert wizard.destinations_page.list.count() == 1
        assert not wizard.destinations_page.empty_note.isVisible()

        # Client links: every client, delivering from the start of 2020
        _click(qtbot, wizard.next)
        assert wizard.page() is wizard.links_page
        links = wizard.links_page.links
        assert links.model.destinations == ["Archive"]
        links.start.setDate(QDate(2020, 1, 1))
        _click(qtbot, links.link_shown)
        sharing = [c for c in logged_in.clients if c.shares_documents]
        assert len(links.links()) == len(sharing) > 0
        assert wizard.next.text() == "Finish"
        _click(qtbot, wizard.next)

        # Done: saved, the engine syncs, the window stays up
        qtbot.waitUntil(lambda: app.wizard is None, timeout=10_000)
        assert app.window.centralWidget() is app.window.tabs
        stored = load_login(home.settings_dir)
        assert stored is not None and stored.office_name == "Fiduciaire Dupont & Fils"
        assert json.loads((home.settings_dir / LOGIN_FILE).read_text())["region"] == "sandbox"
        assert token not in (home.settings_dir / LOGIN_FILE).read_text()
        settings = load_settings(home.settings_dir)
        assert [d.name for d in settings.destinations] == ["Archive"]
        assert len(settings.links) == len(sharing)
        assert settings.proxy.mode is ProxyMode.NONE and not settings.notifications
        assert app.sandbox is not None and app.sandbox.running
        assert app.window.isVisible()  # after Finish the window stays up, showing the sync
        model = app.window.status_view.model
        qtbot.waitUntil(
            lambda: bool(_files(output)) and model.count("forwarded") >= 1, timeout=60_000
        )
        row = next(model.row_at(i) for i in range(model.total_count()) if model.row_at(i).locations)
        assert Path(row.locations[0]).is_file()
        assert Path(row.locations[0]).is_relative_to(output)
        port = app.sandbox.port
        assert stored_port(stored) == port
    finally:
        _end(qtbot, app)  # this "process" has ended: the home is free again

    # The next start: no wizard; the sandbox comes back on the login's port, the stored login
    # (its refresh token in the keyring) still works, and a new document is delivered.
    again = FerryApp(home, language=Language.EN)
    assert again.start()
    try:
        assert again.wizard is None
        qtbot.waitUntil(
            lambda: again.sandbox is not None and again.engine is not None, timeout=30_000
        )
        assert again.sandbox is not None and again.sandbox.port == port
        qtbot.waitUntil(lambda: again.tray.state is EngineState.UP_TO_DATE, timeout=60_000)
        client = next(c for c in logged_in.clients if c.shares_documents)
        with SandboxAdmin(again.sandbox.url) as admin:
            document = admin.add_document(
                "be",
                client.id,
                "other",
                [("after-restart.pdf", b"%PDF-1.4 again", "application/pdf")],
            )
        model = again.window.status_view.model
        qtbot.waitUntil(
            lambda: (
                document.id in {model.row_at(i).id for i in range(model.total_count())}
                and model.document(document.id).status == "forwarded"
            ),
            timeout=60_000,
        )
        delivered = [p for p in _files(output) if p.name == "after-restart.pdf"]
        assert [p.read_bytes() for p in delivered] == [b"%PDF-1.4 again"]
    finally:
        _end(qtbot, again)


# -- cancelling, refusals, wrong servers -----------------------------------------------------------


def _listener_port(url: str) -> int:
    redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
    port = urlsplit(redirect).port
    assert port is not None
    return port


def _refused(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_cancel_while_waiting_for_the_browser_stops_listening_and_goes_back(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    secret_service: dict[str, str],
    browser: Browser,
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    browser.opens = False  # no browser here: the address is shown to copy
    wizard = _wizard(qtbot, tmp_path)
    _custom_server(qtbot, wizard, sandbox.issuer("be"), sandbox.api_url)
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: wizard.login_page.address.isVisible(), timeout=LOGIN_WAIT_MS)
    url = wizard.login_page.url.text()
    assert url == browser.urls[0] and url.startswith(sandbox.issuer("be"))
    assert "No browser could be opened" in wizard.login_page.status.text()
    wizard.login_page.copy.click()
    assert QApplication.clipboard().text() == url
    port = _listener_port(url)
    assert not _refused(port)  # Ferry's loopback listener is waiting
    assert not wizard.back.isEnabled()

    _click(qtbot, wizard.cancel)
    qtbot.waitUntil(lambda: bool(_failure_shown(wizard)))
    assert _failure_shown(wizard) == "The login was cancelled."
    qtbot.waitUntil(lambda: not wizard.cancel.isVisible())
    qtbot.waitUntil(lambda: _refused(port))
    _click(qtbot, wizard.back)
    assert wizard.page() is wizard.country
    assert wizard.next.isEnabled()  # ready to log in again


def test_a_login_declined_in_the_browser_is_said_and_the_person_can_go_back(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    secret_service: dict[str, str],
    browser: Browser,
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    browser.action = "cancel"  # the person pressed Cancel on the platform's login page
    wizard = _wizard(qtbot, tmp_path)
    _custom_server(qtbot, wizard, sandbox.issuer("be"), sandbox.api_url)
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: bool(_failure_shown(wizard)), timeout=LOGIN_WAIT_MS)
    assert _failure_shown(wizard).startswith(
        "The login did not work: the login was declined in the browser"
    )
    qtbot.waitUntil(lambda: bool(browser.pages), timeout=10_000)
    assert "declined" in browser.pages[0]
    assert wizard.logged_in is None
    qtbot.waitUntil(wizard.next.isEnabled)  # once the login's coroutine has ended
    assert wizard.next.text() == "Try again"
    _click(qtbot, wizard.back)
    assert wizard.page() is wizard.country


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("issuer", "api", "said"),
    [
        (
            "{url}/realms/nowhere",
            "{url}/api/v1",
            "The login did not work: the login server at {url}/realms/nowhere answered 404",
        ),
        (
            "{url}/realms/be",
            "{url}/elsewhere/v1",
            "There is no document platform at {url}/elsewhere/v1 (it answered 404)",
        ),
        (
            "{url}/realms/be",
            "http://127.0.0.1:{closed}/api/v1",
            "The platform cannot be reached at http://127.0.0.1:{closed}/api/v1",
        ),
    ],
    ids=["wrong-issuer", "wrong-api", "unreachable"],
)
def test_a_wrong_custom_server_is_said_in_plain_words(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    browser: Browser,
    sandbox: SandboxServer,
    tmp_path: Path,
    issuer: str,
    api: str,
    said: str,
) -> None:
    values = {"url": sandbox.url, "closed": _closed_port()}
    wizard = _wizard(qtbot, tmp_path)
    _custom_server(qtbot, wizard, issuer.format(**values), api.format(**values))
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: bool(_failure_shown(wizard)), timeout=LOGIN_WAIT_MS)
    assert _failure_shown(wizard).startswith(said.format(**values))
    assert browser.urls == []  # nobody was sent to a browser for nothing
    _click(qtbot, wizard.back)
    assert wizard.page() is wizard.country


def test_a_custom_server_address_is_checked_while_typing(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, tmp_path)
    assert wizard.next.isEnabled()  # Belgium, chosen first
    _choose(qtbot, wizard.country.list, "Custom server")
    assert not wizard.next.isEnabled()
    assert not wizard.country.issuer_problem.isVisible()  # nothing typed is no mistake yet

    cases: list[tuple[str, str, Callable[[str], bool]]] = [
        ("ftp://login.example.com", "https://api.example.com/v1", lambda t: "https://" in t),
        (
            "http://login.example.com/realms/x",
            "https://api.example.com",
            lambda t: "encrypted" in t,
        ),
        ("https://login.example.com/realms/x?a=1", "https://api.example.com", lambda t: "?" in t),
    ]
    for issuer, api, about in cases:
        wizard.country.issuer.clear()
        qtbot.keyClicks(wizard.country.issuer, issuer)
        wizard.country.api.clear()
        qtbot.keyClicks(wizard.country.api, api)
        assert wizard.country.issuer_problem.isVisible()
        assert about(wizard.country.issuer_problem.text()), wizard.country.issuer_problem.text()
        assert not wizard.country.api_problem.isVisible()
        assert not wizard.next.isEnabled()
    wizard.country.issuer.clear()
    qtbot.keyClicks(wizard.country.issuer, "https://login.example.com/realms/office")
    assert not wizard.country.issuer_problem.isVisible()
    assert wizard.next.isEnabled()
    wizard.country.issuer.clear()
    qtbot.keyClicks(wizard.country.issuer, "http://127.0.0.1:8765/realms/be")  # this computer
    assert wizard.next.isEnabled()


def test_nobody_logging_in_in_time_is_said(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    secret_service: dict[str, str],
    browser: Browser,
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    browser.opens = False
    wizard = _wizard(qtbot, tmp_path, login_timeout_s=1.0)
    _custom_server(qtbot, wizard, sandbox.issuer("be"), sandbox.api_url)
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: bool(_failure_shown(wizard)), timeout=LOGIN_WAIT_MS)
    assert _failure_shown(wizard).startswith("Nobody finished the login in the browser in time")
    _click(qtbot, wizard.next)  # Try again: a new login, a new address, the same outcome
    qtbot.waitUntil(lambda: len(browser.urls) == 2, timeout=LOGIN_WAIT_MS)
    assert browser.urls[0] != browser.urls[1]
    qtbot.waitUntil(lambda: bool(_failure_shown(wizard)), timeout=LOGIN_WAIT_MS)
    assert _failure_shown(wizard).startswith("Nobody finished the login in the browser in time")


# -- the sandbox of this computer ------------------------------------------------------------------


def test_the_local_sandbox_takes_a_free_port_only_for_a_first_login(tmp_path: Path) -> None:
    home = FerryHome.under(tmp_path / "home")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        busy = int(taken.getsockname()[1])
        first = LocalSandbox(home, port=busy, seed_documents=0)
        first.start()  # a first login: another port will do
        try:
            assert first.port != busy
            assert first.issuer("be") == f"http://127.0.0.1:{first.port}/realms/be"
            assert (home.data_dir / "sandbox").is_dir()
        finally:
            first.stop()
        with pytest.raises(OSError, match="cannot listen"):
            LocalSandbox(home, port=busy, seed_documents=0).start(fallback=False)
    assert not first.running
    first.stop()  # twice is fine


def test_going_back_from_who_forgets_that_login(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    secret_service: dict[str, str],
    browser: Browser,
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    wizard = _wizard(qtbot, tmp_path)
    _custom_server(qtbot, wizard, sandbox.issuer("nl"), sandbox.api_url)
    _click(qtbot, wizard.next)
    _wait_for_page(qtbot, wizard, wizard.who, browser)
    assert "Administratiekantoor De Vries & Zonen" in wizard.who.office.text()
    assert wizard.logged_in is not None
    name = wizard.logged_in.login.secret_name
    assert name.startswith("refresh-token:custom:")
    vault = SecretStore(SecretService.Keyring())
    assert vault.load(name)

    _click(qtbot, wizard.back)  # not the right office
    assert wizard.page() is wizard.country and wizard.logged_in is None

    def gone() -> bool:
        try:
            return vault.load(name) is None
        except Exception:  # read while gnome-keyring was deleting it: ask again
            return False

    qtbot.waitUntil(gone, timeout=10_000)


def test_the_countries_are_named_in_the_language_of_the_app(qtbot: QtBot, tmp_path: Path) -> None:
    wizard = SetupWizard(FerryHome.under(tmp_path / "home"), language=Language.FR)
    qtbot.addWidget(wizard)
    names = [wizard.country.list.item(i).text() for i in range(wizard.country.list.count())]
    assert names == [
        "Belgique : Billit",
        "Belgique : bac à sable de Billit (pour des tests)",
        "Bac à sable (cet ordinateur)",
        "Serveur personnalisé",
    ]


def test_quitting_during_the_login_stops_the_listener_and_this_computers_sandbox(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    secret_service: dict[str, str],
    browser: Browser,
    tmp_path: Path,
) -> None:
    browser.opens = False
    app = FerryApp(
        FerryHome.under(tmp_path / "home"),
        language=Language.EN,
        wizard_options=WizardOptions(sandbox_port=0, sandbox_seed_documents=0),
    )
    assert app.start()
    wizard = app.wizard
    assert wizard is not None
    try:
        _choose(qtbot, wizard.country.list, "Sandbox (this computer)")
        _click(qtbot, wizard.next)
        qtbot.waitUntil(lambda: bool(browser.urls), timeout=LOGIN_WAIT_MS)
        sandbox_port = urlsplit(browser.urls[0]).port
        listener_port = _listener_port(browser.urls[0])
        assert sandbox_port is not None and not _refused(sandbox_port)
    finally:
        _end(qtbot, app)
    assert _refused(sandbox_port)  # stopped at once
    qtbot.waitUntil(lambda: _refused(listener_port))
    assert not (app.home.settings_dir / LOGIN_FILE).exists()


def test_a_custom_server_with_fixed_redirect_ports(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    secret_service: dict[str, str],
    browser: Browser,
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    """Ports typed for a custom server are checked while typing, and the browser is sent back
    to the first free one of them."""
    browser.opens = False
    wizard = _wizard(qtbot, tmp_path)
    _custom_server(qtbot, wizard, sandbox.issuer("be"), sandbox.api_url)
    assert wizard.next.isEnabled()  # no ports typed: the OS picks one
    for wrong in ("80", "53682, 53682", "53682 x"):
        wizard.country.ports.clear()
        qtbot.keyClicks(wizard.country.ports, wrong)
        assert wizard.country.ports_problem.isVisible() and not wizard.next.isEnabled()
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        busy = other.getsockname()[1]
        free = _closed_port()
        wizard.country.ports.clear()
        qtbot.keyClicks(wizard.country.ports, f"{busy}, {free}")
        assert not wizard.country.ports_problem.isVisible() and wizard.next.isEnabled()
        assert wizard.country.redirect_ports() == (busy, free)
        _click(qtbot, wizard.next)
        qtbot.waitUntil(lambda: wizard.login_page.address.isVisible(), timeout=LOGIN_WAIT_MS)
    assert _listener_port(wizard.login_page.url.text()) == free
    _click(qtbot, wizard.cancel)
    qtbot.waitUntil(lambda: bool(_failure_shown(wizard)))
