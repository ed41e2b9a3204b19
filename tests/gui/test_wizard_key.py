"""The wizard's API key page (issue 19), driven as a person would, against Billit's fake over
real HTTP and gnome-keyring's Secret Service.

Belgium's Billit region shows the key page instead of a browser login; the key and PartyID
are checked with Billit (a refused key, a PartyID the key does not reach: said in words that
never repeat the key); the who page names the person and the office from Billit's account
call; the key is kept in the keyring only; Finish writes a Billit login the engine opens
with Billit's adapter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidget, QPushButton
from pytestqt.qtbot import QtBot

from app.auth.account import LOGIN_FILE, StoredLogin, load_login, save_login
from app.auth.secret_store import SecretStore
from app.core.failures import Failure, FailureCode
from app.core.language import Language
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.engine.engine import Engine
from app.engine.messages import EngineState, FailureInfo, StateChanged
from app.gui.i18n import install_translator
from app.gui.key_relogin import KeyReloginDialog
from app.gui.main_window import MainWindow
from app.gui.wizard import SetupWizard
from app.home import FerryHome
from app.platforms.billit.adapter import BillitPlatform
from app.platforms.billit.fake import BillitFake
from app.regions import RegionsFile, regions
from app.settings import Destination

WAIT_MS = 20_000


@pytest.fixture
def fake() -> Iterator[BillitFake]:
    with BillitFake(feed_interval_s=0.5) as running:
        running.add_client("Bakkerij Peeters BV", "BE0123456749")
        running.add_client("Garage Willems", "BE0987654312")
        yield running


@pytest.fixture
def store(secret_service: dict[str, str], keyring_service: str) -> SecretStore:
    return SecretStore(service=keyring_service)


def _regions_at(fake: BillitFake) -> RegionsFile:
    """The shipped regions, Billit's production address pointing at the fake."""
    data = regions().model_dump(mode="json")
    next(r for r in data["regions"] if r["code"] == "be-billit")["api_url"] = fake.url
    return RegionsFile.model_validate(data)


def _click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _choose(qtbot: QtBot, listing: QListWidget, text: str) -> None:
    (item,) = listing.findItems(text, Qt.MatchFlag.MatchExactly)
    center = listing.visualItemRect(item).center()
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert listing.currentItem() is item


def _type(qtbot: QtBot, wizard: SetupWizard, key: str, party: str) -> None:
    page = wizard.key_page
    page.key.clear()
    qtbot.keyClicks(page.key, key)
    page.party.clear()
    qtbot.keyClicks(page.party, party)


def _gone(store: SecretStore, name: str) -> bool:
    """Whether the keyring holds ``name`` no longer (read while the wizard's thread deletes
    it, an item may vanish between Secret Service's search and its read)."""
    try:
        return store.load(name) is None
    except Exception:
        return False


def _failure(qtbot: QtBot, wizard: SetupWizard) -> str:
    label = wizard.key_page.failure
    qtbot.waitUntil(label.isVisible, timeout=WAIT_MS)
    return label.text()


def test_a_billit_office_pastes_its_key_and_sees_who_and_which_office(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    fake: BillitFake,
    store: SecretStore,
    tmp_path: Path,
) -> None:
    home = FerryHome.under(tmp_path / "home")
    wizard = SetupWizard(home, language=Language.EN, regions_file=_regions_at(fake), secrets=store)
    qtbot.addWidget(wizard)
    wizard.show()
    party = str(fake.office_party_id)

    # Where: Billit asks for a key, not for a browser login
    _choose(qtbot, wizard.country.list, "Belgium: Billit")
    assert wizard.next.text() == "Next"
    _click(qtbot, wizard.next)
    page = wizard.key_page
    assert wizard.page() is page and page.title.text() == "Your Billit API key"
    assert page.key.echoMode() == page.key.EchoMode.Password  # not on screen
    assert not wizard.next.isEnabled()  # nothing typed yet
    assert wizard.next.text() == "Log in"

    # A key Billit refuses: said, nothing kept, the key nowhere in the words
    _type(qtbot, wizard, "not-billits-key", party)
    _click(qtbot, wizard.next)
    said = _failure(qtbot, wizard)
    assert "Billit did not accept this API key" in said and "not-billits-key" not in said
    assert wizard.page() is page and page.key.isEnabled()

    # The right key, a PartyID it does not reach
    _type(qtbot, wizard, fake.api_key, "999")
    _click(qtbot, wizard.next)
    said = _failure(qtbot, wizard)
    assert "does not reach PartyID 999" in said and fake.api_key not in said

    # Both right: who and which office, from Billit
    _type(qtbot, wizard, "  " + fake.api_key + " ", party)  # a paste brings spaces along
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: wizard.page() is wizard.who, timeout=WAIT_MS)
    assert fake.email in wizard.who.who.text()
    assert fake.office_name in wizard.who.office.text()
    assert "2 clients" in wizard.who.clients.text()
    logged_in = wizard.logged_in
    assert logged_in is not None
    assert store.load(logged_in.login.secret_name) == fake.api_key
    assert not (home.settings_dir / LOGIN_FILE).exists()  # nothing on disk before Finish

    # Back: that key is not wanted; it leaves the keyring
    _click(qtbot, wizard.back)
    assert wizard.page() is page
    qtbot.waitUntil(lambda: _gone(store, logged_in.login.secret_name), timeout=WAIT_MS)
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: wizard.page() is wizard.who, timeout=WAIT_MS)

    # Finish (the destinations and links screens are test_wizard.py's)
    _click(qtbot, wizard.next)
    wizard._set_destinations([Destination(name="Books", general_path=str(tmp_path / "out"))])
    _click(qtbot, wizard.next)
    done: list[object] = []
    wizard.completed.connect(done.append)
    _click(qtbot, wizard.next)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)

    stored = load_login(home.settings_dir)
    assert stored is not None
    assert (stored.platform, stored.strategy) == (PlatformName.BILLIT, LoginStrategy.API_KEY)
    assert stored.party_id == fake.office_party_id and stored.office_name == fake.office_name
    assert fake.api_key not in (home.settings_dir / LOGIN_FILE).read_text()
    assert store.load(stored.secret_name) == fake.api_key
    for folder in (home.settings_dir, home.state_dir, home.log_dir):
        for file in folder.rglob("*"):
            if file.is_file():
                assert fake.api_key.encode() not in file.read_bytes(), file

    # The engine opens that login with Billit's adapter and the key from the keyring
    async def office_name() -> str:
        engine = Engine(home, store=store)
        await engine.open()
        try:
            assert isinstance(engine.client, BillitPlatform)
            return (await engine.client.office()).name
        finally:
            await engine.close()

    assert qloop.run_until_complete(office_name()) == fake.office_name


def test_the_key_page_speaks_french_and_dutch(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    cache = tmp_path / "qm"
    try:
        for language, title, field in (
            (Language.FR, "Votre clé d'API Billit", "Clé d'API"),
            (Language.NL, "Uw API-sleutel van Billit", "API-sleutel"),
        ):
            assert install_translator(qapp, language, cache_dir=cache) is language
            wizard = SetupWizard(FerryHome.under(tmp_path / language.value), language=language)
            qtbot.addWidget(wizard)
            wizard.key_page.set_platform("Billit")
            assert wizard.key_page.title.text() == title
            assert wizard.key_page.key_label.text() == field
    finally:
        install_translator(qapp, Language.EN, cache_dir=cache)


def test_a_refused_key_is_replaced_by_pasting_a_new_one(
    qtbot: QtBot,
    qloop: qasync.QEventLoop,
    fake: BillitFake,
    store: SecretStore,
    tmp_path: Path,
) -> None:
    """*Login needed* for a key login: the same office's PartyID, a new key checked with
    Billit (a wrong one said, not kept), then login.json and the keyring hold the new one."""
    home = FerryHome.under(tmp_path / "home").ensure()
    stored = StoredLogin(
        region="be-billit",
        issuer=fake.url,
        api_url=fake.url,
        client_id="ferry-desktop",
        subject=str(fake.office_party_id),
        office_name=fake.office_name,
        logged_in_at=dt.datetime.now(dt.UTC),
        platform=PlatformName.BILLIT,
        strategy=LoginStrategy.API_KEY,
        party_id=fake.office_party_id,
    )
    store.save(stored.secret_name, "the-key-billit-refused")
    save_login(home.settings_dir, stored)
    dialog = KeyReloginDialog(home, stored, secrets=store)
    qtbot.addWidget(dialog)
    renewed: list[StoredLogin] = []
    dialog.logged_in.connect(renewed.append)
    dialog.open()
    dialog.start()
    page = dialog.page
    assert page.party.text() == str(fake.office_party_id) and page.party.isReadOnly()
    assert not dialog.log_in.isEnabled()

    qtbot.keyClicks(page.key, "still-not-the-key")
    _click(qtbot, dialog.log_in)
    qtbot.waitUntil(page.failure.isVisible, timeout=WAIT_MS)
    assert "Billit did not accept this API key" in page.failure.text()
    assert store.load(stored.secret_name) == "the-key-billit-refused"

    page.key.clear()
    qtbot.keyClicks(page.key, fake.api_key)
    _click(qtbot, dialog.log_in)
    qtbot.waitUntil(lambda: bool(renewed), timeout=WAIT_MS)
    assert not dialog.isVisible()
    assert store.load(stored.secret_name) == fake.api_key
    again = load_login(home.settings_dir)
    assert again is not None and again.party_id == fake.office_party_id
    assert again.logged_in_at > stored.logged_in_at
    assert fake.api_key not in (home.settings_dir / LOGIN_FILE).read_text()


def test_the_main_window_says_to_paste_a_new_key(qtbot: QtBot) -> None:
    """Login needed for a key login: the status line and its button say to paste a key, not
    to log in in a browser; a browser login's words stay as they were."""
    window = MainWindow()
    qtbot.addWidget(window)
    refused = Failure.of(FailureCode.LOGIN_NEEDED, login="api_key", platform="Billit")
    window.show_state(
        StateChanged(state=EngineState.LOGIN_NEEDED, failure=FailureInfo.of(refused), errors=0)
    )
    assert window.login_button.text() == "Paste a new key…"
    said = window.state_label.text()
    assert said.startswith("Login needed: paste a new API key to go on syncing")
    assert "paste a new key from Billit" in said
    window.show_state(
        StateChanged(
            state=EngineState.LOGIN_NEEDED,
            failure=FailureInfo.of(Failure.of(FailureCode.LOGIN_NEEDED)),
            errors=0,
        )
    )
    assert window.login_button.text() == "Log in again…"
    assert window.state_label.text().startswith("Login needed: log in again")
