"""A key login Billit refuses (issue 19): the alert e-mail and the Windows Event Log say to
paste a new key from Billit, not to "log in again" (no browser login brings a key back).

The real engine on a Billit login whose key the fake refuses, over real HTTP; its events go to
the real alert keeper, which mails a real SMTP server on 127.0.0.1. The one stand-in is the
Event Log's OS call (Windows only: elsewhere it writes nothing), which records the text the
service would write. The words are decided from the failure's ``login`` and ``platform``
parameters, never from its English.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.alerts import event_log
from app.alerts import words as alert_words
from app.alerts.keeper import AlertKeeper
from app.alerts.observe import EventReader
from app.alerts.secret import save_smtp_password
from app.alerts.watchdog import Alert, AlertChange, AlertKind, LoginSeen, Watchdog, iso
from app.auth.account import StoredLogin, save_login
from app.auth.secret_store import SecretStore
from app.core.failures import Failure, FailureCode
from app.core.language import Language
from app.engine.engine import Engine
from app.engine.messages import EngineState, FailureInfo, LoginNeededEvent, StateChanged
from app.home import FerryHome
from app.platforms.billit.fake import BillitFake
from app.settings import ClientLink, Destination, Settings, save_settings
from tests.alerts.smtp_server import PASSWORD, USER, MailServer

REFUSED_KEY = "a-key-billit-no-longer-accepts"


@pytest.fixture
def fake() -> Iterator[BillitFake]:
    with BillitFake(feed_interval_s=0.5) as running:
        yield running


@pytest.fixture
def store(secret_service: dict[str, str], keyring_service: str) -> SecretStore:
    return SecretStore(service=keyring_service)


def _billit_home(root: Path, fake: BillitFake, store: SecretStore, server: MailServer) -> FerryHome:
    """An office on Billit by API key (a key Billit no longer takes), with alert e-mails on."""
    home = FerryHome.under(root).ensure()
    login = StoredLogin(
        region="be-billit",
        issuer=fake.url,
        api_url=fake.url,
        client_id="ferry-desktop",
        subject=str(fake.office_party_id),
        logged_in_at=dt.datetime.now(dt.UTC),
        platform="billit",
        strategy="api_key",
        party_id=fake.office_party_id,
    )
    store.save(login.secret_name, REFUSED_KEY)
    save_login(home.settings_dir, login)
    client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    save_settings(
        home.settings_dir,
        Settings(
            destinations=[Destination(name="Books", general_path=str(root / "books"))],
            links=[ClientLink(client_id=str(client), destinations=["Books"], since=since)],
        ),
    )
    path = home.settings_dir / "settings.json"
    data = json.loads(path.read_text())
    data["alerts"] = {
        "email": True,
        "smtp_host": server.host,
        "smtp_port": server.port,
        "starttls": False,
        "username": USER,
        "from_address": "ferry@bureau.be",
        "recipients": [
            {"address": "compta@bureau.be", "language": "fr"},
            {"address": "it@partner.be", "language": "nl"},
        ],
    }
    path.write_text(json.dumps(data))
    save_smtp_password(store, PASSWORD)
    return home


def test_a_refused_key_is_mailed_and_logged_as_a_new_key_to_paste(
    fake: BillitFake,
    store: SecretStore,
    smtp_server: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server: MailServer = smtp_server(tls=False, login=True)
    home = _billit_home(tmp_path / "home", fake, store, server)
    written: list[tuple[str, bool]] = []
    monkeypatch.setattr(
        event_log, "write", lambda text, *, warning: written.append((text, warning))
    )
    waiting: concurrent.futures.Future[int] = concurrent.futures.Future()
    waiting.set_result(1)
    keeper = AlertKeeper(
        home, publish=lambda event: None, waiting=lambda: waiting, service=True, secrets=store
    )
    keeper.start()
    try:

        async def sync() -> None:
            engine = Engine(home, store=store, on_event=keeper.on_event)
            await engine.open()
            try:
                await engine.sync_once()
            finally:
                await engine.close()

        asyncio.run(sync())
        received = server.wait_for(2, timeout=30)
    finally:
        keeper.stop()

    by_address = {item.recipients[0]: item for item in received}
    assert set(by_address) == {"compta@bureau.be", "it@partner.be"}
    fr = by_address["compta@bureau.be"].message
    assert fr["Subject"].endswith(": Ferry a besoin d'une nouvelle clé d'API")
    assert "Billit n'accepte plus la clé d'API" in fr.get_content()
    assert "« Coller une nouvelle clé… »" in fr.get_content()
    assert "reconnectez-vous" not in fr.get_content()
    nl = by_address["it@partner.be"].message
    assert nl["Subject"].endswith(": Ferry heeft een nieuwe API-sleutel nodig")
    assert "Maak een nieuwe API-sleutel in Billit" in nl.get_content()
    # the Event Log: the office's language (Billit's Belgian region: French), as a warning
    ((text, warning),) = written
    assert warning and text.startswith("Ferry a besoin d'une nouvelle clé d'API: Billit")
    for item in received:
        assert REFUSED_KEY not in item.message.as_string()
    assert REFUSED_KEY not in text


def _key_failure() -> FailureInfo:
    return FailureInfo.of(Failure.of(FailureCode.LOGIN_NEEDED, login="api_key", platform="Billit"))


def test_the_words_follow_the_failures_parameters_in_every_language() -> None:
    """From the engine's event to the alert's words: a key login says to paste a key from its
    platform; a browser login (no parameters) still says to log in again."""
    reader, dog = EventReader(), Watchdog()
    seen = reader.read(StateChanged(state=EngineState.LOGIN_NEEDED, failure=_key_failure()), 10.0)
    assert seen == [LoginSeen(10.0, True, (("login", "api_key"), ("platform", "Billit")))]
    (change,) = dog.observe(seen[0])
    assert change.alert.param("login") == "api_key" and change.alert.param("platform") == "Billit"
    said = {language: alert_words.text(change, language) for language in Language}
    assert "Make a new API key in Billit" in said[Language.EN]
    assert "Créez une nouvelle clé d'API dans Billit" in said[Language.FR]
    assert "Maak een nieuwe API-sleutel in Billit" in said[Language.NL]
    assert all("{" not in words for words in said.values())

    # a second word of the same episode without parameters keeps what was said of it
    assert dog.observe(LoginSeen(20.0, True)) == []
    assert dog.active[AlertKind.LOGIN_NEEDED.value].param("login") == "api_key"
    # its end is "logged in again" as for any login
    (ended,) = dog.observe(LoginSeen(30.0, False))
    assert not ended.raised and "logged in again" in alert_words.text(ended, Language.EN)

    browser = AlertChange(Alert.of(AlertKind.LOGIN_NEEDED, since=iso(10.0)), raised=True)
    assert alert_words.title(browser, Language.EN) == "Ferry needs a new login"
    assert "log in again" in alert_words.text(browser, Language.EN)
    plain = reader.read(LoginNeededEvent(reason="refused"), 40.0)
    assert plain == [LoginSeen(40.0, True)]


def test_an_alert_told_before_a_restart_keeps_how_the_login_is_made() -> None:
    told = Alert.of(AlertKind.LOGIN_NEEDED, since=iso(10.0), login="api_key", platform="Billit")
    dog = Watchdog()
    dog.restore([told], now=100.0)
    assert dog.observe(LoginSeen(110.0, True)) == []  # still the same episode, told once
    (ended,) = dog.observe(LoginSeen(120.0, False))
    assert ended.alert == told
