"""The wizard's OAuth 2.0 client page (issue 19), driven as a person would, against Billit's
fake over real HTTP, Ferry's real loopback listener and gnome-keyring's Secret Service.

A region that logs in with the office's own OAuth 2.0 client asks for the client id and
secret, then sends the browser to the platform's login page; the who page names the person
and the office from Billit's account call; the refresh token and the client secret are in
the keyring only. The "browser" is tests/test_oauth2_login.py's stand-in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.application.oauth2_login import OAuth2Place, log_in_with_oauth2
from app.auth.account import LOGIN_FILE, StoredLogin, load_login, save_login
from app.auth.secret_store import SecretStore
from app.core.language import Language
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.gui import desktop
from app.gui.relogin import ReloginDialog
from app.gui.wizard import SetupWizard
from app.home import FerryHome
from app.platforms.billit.fake import BillitFake
from app.regions import RegionsFile, regions
from tests.gui.test_wizard_key import _choose, _click
from tests.test_oauth2_login import Browser

WAIT_MS = 20_000


@pytest.fixture
def fake() -> Iterator[BillitFake]:
    with BillitFake(feed_interval_s=0.5) as running:
        running.add_client("Bakkerij Peeters BV", "BE0123456749")
        yield running


def _regions_with_oauth(fake: BillitFake) -> RegionsFile:
    data = regions().model_dump(mode="json")
    data["regions"].insert(
        0,
        {
            **next(r for r in data["regions"] if r["code"] == "be-billit"),
            "code": "be-billit-oauth",
            "names": {
                "en": "Belgium: Billit (OAuth)",
                "fr": "Belgique : Billit (OAuth)",
                "nl": "België: Billit (OAuth)",
            },
            "login": "oauth2",
            "api_url": fake.url,
            "authorize_url": fake.url + "/Account/Logon",
        },
    )
    return RegionsFile.model_validate(data)


def test_an_office_logs_in_with_its_own_client(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    fake: BillitFake,
    secret_service: dict[str, str],
    keyring_service: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    store = SecretStore(service=keyring_service)
    browser = Browser(fake)
    monkeypatch.setattr(desktop, "open_url", lambda url: browser.open(url) or True)
    home = FerryHome.under(tmp_path / "home")
    wizard = SetupWizard(
        home, language=Language.EN, regions_file=_regions_with_oauth(fake), secrets=store
    )
    qtbot.addWidget(wizard)
    wizard.show()

    _choose(qtbot, wizard.country.list, "Belgium: Billit (OAuth)")
    assert wizard.next.text() == "Next"
    _click(qtbot, wizard.next)
    page = wizard.client_page
    assert wizard.page() is page and page.title.text() == "Your office's Billit client"
    assert page.secret.echoMode() == page.secret.EchoMode.Password
    assert not wizard.next.isEnabled()
    qtbot.keyClicks(page.client_id, fake.client_id)
    qtbot.keyClicks(page.secret, "not-the-secret")
    _click(qtbot, wizard.next)

    # A wrong secret: said on the login page, without the secret; back to the client page
    failure = wizard.login_page.failure
    qtbot.waitUntil(failure.isVisible, timeout=WAIT_MS)
    assert "did not accept the login" in failure.text()
    assert "not-the-secret" not in failure.text()
    _click(qtbot, wizard.back)
    assert wizard.page() is page

    page.secret.clear()
    qtbot.keyClicks(page.secret, fake.client_secret)
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: wizard.page() is wizard.who, timeout=WAIT_MS)
    assert len(browser.asked) == 2
    assert fake.office_name in wizard.who.office.text()
    logged_in = wizard.logged_in
    assert logged_in is not None and logged_in.login.strategy is LoginStrategy.OAUTH2
    assert store.load(logged_in.login.secret_name)
    assert store.load(logged_in.login.client_secret_name) == fake.client_secret
    assert not (home.settings_dir / LOGIN_FILE).exists()
    store.delete(logged_in.login.secret_name)
    store.delete(logged_in.login.client_secret_name)


def test_login_needed_for_an_oauth2_login_is_a_browser_login_again(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    fake: BillitFake,
    secret_service: dict[str, str],
    keyring_service: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The refresh token was refused: *Log in again* sends the same office's client (its
    secret from the keyring) to Billit's login page; the new token replaces the dead one."""
    store = SecretStore(service=keyring_service)
    browser = Browser(fake)
    monkeypatch.setattr(desktop, "open_url", lambda url: browser.open(url) or True)
    home = FerryHome.under(tmp_path / "home").ensure()

    async def first_login() -> StoredLogin:
        async with httpx.AsyncClient() as http:
            checked = await log_in_with_oauth2(
                OAuth2Place(
                    "be-billit-oauth",
                    PlatformName.BILLIT,
                    fake.url,
                    fake.url + "/Account/Logon",
                    fake.client_id,
                ),
                fake.client_secret,
                store=store,
                http=http,
                open_url=browser.open,
                timeout=30,
            )
        return checked.login

    # on a loop of its own: the test's qasync loop must stay the running one
    with ThreadPoolExecutor(1) as worker:
        stored = worker.submit(asyncio.run, first_login()).result(60)
    save_login(home.settings_dir, stored)
    store.save(stored.secret_name, "a-token-billit-refuses")

    dialog = ReloginDialog(home, stored, secrets=store)
    qtbot.addWidget(dialog)
    renewed: list[StoredLogin] = []
    dialog.logged_in.connect(renewed.append)
    dialog.open()
    dialog.start()
    qtbot.waitUntil(lambda: bool(renewed), timeout=WAIT_MS)
    assert renewed[0].party_id == stored.party_id
    token = store.load(stored.secret_name)
    assert token and token != "a-token-billit-refuses"
    again = load_login(home.settings_dir)
    assert again is not None and again.logged_in_at > stored.logged_in_at
    assert len(browser.asked) == 2
    store.delete(stored.secret_name)
    store.delete(stored.client_secret_name)
