"""The wizard's *Custom server* for a Billit-compatible platform (issue 19), driven as a
person would, against Billit's fake over real HTTP, Ferry's loopback listener and
gnome-keyring's Secret Service.

A custom server names the API it speaks and how Ferry logs in there; the wizard then asks
only for what that login needs (checked while typing, as the OpenID addresses are) and goes
on to the same key page or OAuth 2.0 client page a listed Billit region uses. What Finish
stores, the engine opens with Billit's adapter and the secret from the keyring.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.auth.account import LOGIN_FILE, StoredLogin, load_login
from app.auth.secret_store import SecretStore
from app.core.language import Language
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.engine.engine import Engine
from app.gui import desktop
from app.gui.wizard import SetupWizard
from app.home import FerryHome
from app.platforms.billit.adapter import BillitPlatform
from app.platforms.billit.fake import BillitFake
from app.settings import Destination
from tests.gui.test_wizard_key import _choose, _click
from tests.test_oauth2_login import Browser

WAIT_MS = 20_000


@pytest.fixture
def fake() -> Iterator[BillitFake]:
    with BillitFake(feed_interval_s=0.5) as running:
        running.add_client("Bakkerij Peeters BV", "BE0123456749")
        yield running


@pytest.fixture
def store(secret_service: dict[str, str], keyring_service: str) -> SecretStore:
    return SecretStore(service=keyring_service)


def _speaks(wizard: SetupWizard, text: str) -> None:
    """Pick the platform and login in the custom server's list, by the words shown."""
    index = wizard.country.speaks.findText(text)
    assert index >= 0, text
    wizard.country.speaks.setCurrentIndex(index)


def _finish(qtbot: QtBot, wizard: SetupWizard, tmp_path: Path) -> None:
    """From the who page to Finish (the destinations and links are test_wizard.py's)."""
    _click(qtbot, wizard.next)
    wizard._set_destinations([Destination(name="Books", general_path=str(tmp_path / "out"))])
    _click(qtbot, wizard.next)
    done: list[object] = []
    wizard.completed.connect(done.append)
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)


def _office_through_the_engine(
    qloop: qasync.QEventLoop, home: FerryHome, store: SecretStore
) -> str:
    async def office() -> str:
        engine = Engine(home, store=store)
        await engine.open()
        try:
            assert isinstance(engine.client, BillitPlatform)
            return (await engine.client.office()).name
        finally:
            await engine.close()

    return qloop.run_until_complete(office())


def test_a_custom_billit_server_with_an_api_key(
    qtbot: QtBot, qloop: qasync.QEventLoop, fake: BillitFake, store: SecretStore, tmp_path: Path
) -> None:
    home = FerryHome.under(tmp_path / "home")
    wizard = SetupWizard(home, language=Language.EN, secrets=store)
    qtbot.addWidget(wizard)
    wizard.show()
    country = wizard.country

    _choose(qtbot, country.list, "Custom server")
    assert country.issuer.isVisible() and not country.authorize.isVisible()
    _speaks(wizard, "Billit's API, with an API key and PartyID")
    # a key needs no login server and no redirect port
    assert not country.issuer.isVisible() and not country.ports.isVisible()
    assert country.api.isVisible() and not country.authorize.isVisible()
    assert wizard.next.text() == "Next" and not wizard.next.isEnabled()

    qtbot.keyClicks(country.api, "http://billit.example.com")
    assert "Use https://" in country.api_problem.text() and not wizard.next.isEnabled()
    country.api.clear()
    qtbot.keyClicks(country.api, fake.url)  # plain http: this computer
    assert not country.api_problem.isVisible()
    _click(qtbot, wizard.next)

    page = wizard.key_page
    assert wizard.page() is page and page.title.text() == "Your Billit API key"
    qtbot.keyClicks(page.key, fake.api_key)
    qtbot.keyClicks(page.party, str(fake.office_party_id))
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: wizard.page() is wizard.who, timeout=WAIT_MS)
    assert fake.office_name in wizard.who.office.text()
    assert fake.url in wizard.who.where.text()
    _finish(qtbot, wizard, tmp_path)

    stored = load_login(home.settings_dir)
    assert stored is not None
    assert (stored.region, stored.platform, stored.strategy) == (
        "custom",
        PlatformName.BILLIT,
        LoginStrategy.API_KEY,
    )
    assert stored.api_url == fake.url and stored.party_id == fake.office_party_id
    assert fake.api_key not in (home.settings_dir / LOGIN_FILE).read_text()
    assert store.load(stored.secret_name) == fake.api_key
    assert _office_through_the_engine(qloop, home, store) == fake.office_name
    store.delete(stored.secret_name)


def test_a_custom_billit_server_with_oauth2_and_its_own_token_address(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    fake: BillitFake,
    store: SecretStore,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The login page and the token endpoint typed; the client id and secret on the client
    page; a token address that is wrong is where the login fails, so it is the one used."""
    browser = Browser(fake)
    monkeypatch.setattr(desktop, "open_url", lambda url: browser.open(url) or True)
    home = FerryHome.under(tmp_path / "home")
    wizard = SetupWizard(home, language=Language.EN, secrets=store)
    qtbot.addWidget(wizard)
    wizard.show()
    country = wizard.country

    _choose(qtbot, country.list, "Custom server")
    _speaks(wizard, "Billit's API, with OAuth 2.0 (client id and secret)")
    assert country.authorize.isVisible() and country.token.isVisible()
    assert country.ports.isVisible() and not country.issuer.isVisible()
    qtbot.keyClicks(country.api, fake.url)
    assert "Type the address of the login page" in country.authorize_problem.text()
    assert not wizard.next.isEnabled()
    qtbot.keyClicks(country.authorize, fake.url + "/Account/Logon")
    assert wizard.next.isEnabled()  # the token address is optional
    qtbot.keyClicks(country.token, "ftp://elsewhere")
    assert "not a web address" in country.token_problem.text() and not wizard.next.isEnabled()
    country.token.clear()
    qtbot.keyClicks(country.token, fake.url + "/elsewhere/token")
    _click(qtbot, wizard.next)

    page = wizard.client_page
    assert wizard.page() is page and page.title.text() == "Your office's Billit client"
    assert not page.client_id.isReadOnly()  # a custom server names no client id
    qtbot.keyClicks(page.client_id, fake.client_id)
    qtbot.keyClicks(page.secret, fake.client_secret)
    _click(qtbot, wizard.next)
    failure = wizard.login_page.failure
    qtbot.waitUntil(failure.isVisible, timeout=WAIT_MS)
    assert "did not accept the login" in failure.text()
    assert fake.client_secret not in failure.text()

    # Back to the client page, back to the server's addresses: the right token address
    _click(qtbot, wizard.back)
    assert wizard.page() is page
    _click(qtbot, wizard.back)
    assert wizard.page() is country
    country.token.clear()
    qtbot.keyClicks(country.token, fake.token_url)
    _click(qtbot, wizard.next)
    assert page.secret.text() == fake.client_secret  # typed once, still there
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: wizard.page() is wizard.who, timeout=WAIT_MS)
    assert fake.office_name in wizard.who.office.text()
    assert len(browser.asked) == 2
    _finish(qtbot, wizard, tmp_path)

    stored = load_login(home.settings_dir)
    assert stored is not None
    assert (stored.region, stored.platform, stored.strategy) == (
        "custom",
        PlatformName.BILLIT,
        LoginStrategy.OAUTH2,
    )
    assert stored.issuer == fake.url + "/Account/Logon" and stored.token_url == fake.token_url
    text = (home.settings_dir / LOGIN_FILE).read_text()
    assert fake.client_secret not in text
    first = store.load(stored.secret_name)
    assert first and store.load(stored.client_secret_name) == fake.client_secret
    # the engine refreshes at the token address stored (Billit's refresh tokens rotate)
    assert _office_through_the_engine(qloop, home, store) == fake.office_name
    assert store.load(stored.secret_name) not in (None, first)
    _forget(store, stored)


def _forget(store: SecretStore, stored: StoredLogin) -> None:
    store.delete(stored.secret_name)
    store.delete(stored.client_secret_name)
