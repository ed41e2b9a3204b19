"""The engine picks its adapter from the stored login (issue 19): a Billit login with its
API key in the real keyring syncs from Billit's fake over real HTTP with no factory given;
a Ferry login (and one of an earlier release) still gets Ferry's client over a token session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.auth.account import StoredLogin, save_login
from app.auth.secret_store import SecretStore
from app.auth.session import TokenSession
from app.core.language import Language
from app.engine.engine import Engine
from app.engine.messages import EngineState, StateChanged
from app.home import FerryHome
from app.platform.client import PlatformClient
from app.platforms.billit.adapter import BillitPlatform
from app.platforms.billit.client import ApiKey, BillitClient
from app.platforms.billit.fake import BillitFake
from app.platforms.choose import FEED_META, new_feed_name
from app.platforms.key_login import KeyLogin
from app.settings import ClientLink, Destination, Settings, save_settings


@pytest.fixture
def fake() -> Iterator[BillitFake]:
    with BillitFake(feed_interval_s=0.5) as running:
        yield running


@pytest.fixture
def store(secret_service: dict[str, str], keyring_service: str) -> SecretStore:
    return SecretStore(service=keyring_service)


def _billit_home(root: Path, fake: BillitFake, store: SecretStore, key: str) -> FerryHome:
    """What the wizard leaves after an office pasted its key: the key in the keyring only."""
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
    store.save(login.secret_name, key)
    save_login(home.settings_dir, login)
    return home


def _link(home: FerryHome, folder: Path, clients: list[int]) -> None:
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    save_settings(
        home.settings_dir,
        Settings(
            destinations=[Destination(name="Books", general_path=str(folder))],
            links=[
                ClientLink(client_id=str(c), destinations=["Books"], since=since) for c in clients
            ],
        ),
    )


async def test_a_billit_login_syncs_through_billits_adapter(
    fake: BillitFake, store: SecretStore, tmp_path: Path
) -> None:
    client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    home = _billit_home(tmp_path / "home", fake, store, fake.api_key)
    _link(home, tmp_path / "books", [client])
    engine = Engine(home, store=store)
    await engine.open()
    try:
        assert isinstance(engine.client, BillitPlatform)
        feed = engine.store.get_meta(FEED_META)
        assert feed is not None and engine.client.feed_name == feed
    finally:
        await engine.close()
    # The feed registered (as the engine's first read does; Billit's minute spared here),
    # then an export reaching it.
    async with httpx.AsyncClient() as http:
        billit = BillitClient(
            fake.url, ApiKey(fake.api_key), http, office_party_id=fake.office_party_id
        )
        await billit.register_feed(feed)
    fake.add_order(
        client, direction="Cost", number="INV-1", file_name="inv-1.pdf", content=b"%PDF-1.7 one"
    )

    # The next start of this installation reads the same feed, and delivers from it.
    again = Engine(home, store=store)
    await again.open()
    try:
        assert isinstance(again.client, BillitPlatform) and again.client.feed_name == feed
        summary = await again.sync_once()
    finally:
        await again.close()
    assert not summary.errors
    delivered = [p for p in (tmp_path / "books").rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in delivered] == [b"%PDF-1.7 one"]
    assert len([c for c in fake.confirmations if c.changed]) == 1
    assert fake.feed_names() == [feed]
    # the key went out in its header, and into none of the files Ferry writes
    for path in (home.settings_dir, home.state_dir, home.log_dir):
        for file in path.rglob("*"):
            if file.is_file():
                assert fake.api_key.encode() not in file.read_bytes(), file


async def test_a_refused_key_is_login_needed_saying_to_paste_a_new_one(
    fake: BillitFake, store: SecretStore, tmp_path: Path
) -> None:
    client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    fake.add_order(client, direction="Cost", number="INV-1", file_name="a.pdf", content=b"%PDF")
    home = _billit_home(tmp_path / "home", fake, store, "a-key-billit-no-longer-accepts")
    _link(home, tmp_path / "books", [client])
    events: list[object] = []
    engine = Engine(home, store=store, on_event=events.append)
    await engine.open()
    try:
        assert isinstance(engine._session, KeyLogin)
        summary = await engine.sync_once()
        requests_then = len(fake.requests)
        await engine.sync_once()  # fails fast: a dead key is not sent again and again
        assert len(fake.requests) == requests_then
    finally:
        await engine.close()
    assert [f.code.value for f in summary.errors] == ["login_needed"]
    needed = [
        e for e in events if isinstance(e, StateChanged) and e.state is EngineState.LOGIN_NEEDED
    ]
    assert needed and needed[0].failure is not None
    failure = needed[0].failure.failure()
    words = {language: failure.message(language) for language in Language}
    assert "paste a new key from Billit" in words[Language.EN]
    assert "collez-y une nouvelle clé de Billit" in words[Language.FR]
    assert "plak er een nieuwe sleutel van Billit in" in words[Language.NL]
    assert "a-key-billit-no-longer-accepts" not in " ".join(words.values())
    assert not list((tmp_path / "books").rglob("*.pdf"))


async def test_no_key_in_the_keyring_is_login_needed(
    fake: BillitFake, store: SecretStore, tmp_path: Path
) -> None:
    home = _billit_home(tmp_path / "home", fake, store, "key")
    store.delete(f"api-key:be-billit:{fake.office_party_id}")
    engine = Engine(home, store=store)
    await engine.open()
    try:
        summary = await engine.sync_once()
    finally:
        await engine.close()
    assert [f.code.value for f in summary.errors] == ["login_needed"]
    assert fake.requests == []


async def test_a_login_of_an_earlier_release_gets_ferrys_client(
    store: SecretStore, tmp_path: Path
) -> None:
    """No platform in login.json: Ferry's own API over a token session, as before."""
    home = FerryHome.under(tmp_path).ensure()
    (home.settings_dir / "login.json").write_text(
        '{"region": "be", "issuer": "https://login.example.be/realms/be",'
        ' "api_url": "https://api.example.be/api/v1", "client_id": "ferry-desktop",'
        ' "subject": "alice", "logged_in_at": "2026-01-01T00:00:00Z"}'
    )
    engine = Engine(home, store=store)
    await engine.open()
    try:
        assert isinstance(engine.client, PlatformClient)
        assert isinstance(engine._session, TokenSession)
        assert engine.store.get_meta(FEED_META) is None  # no feed for a platform without one
    finally:
        await engine.close()


def test_feed_names_say_the_computer_and_differ() -> None:
    first, second = new_feed_name("OFFICE-PC 2"), new_feed_name("OFFICE-PC 2")
    assert first.startswith("ferry-office-pc-2-") and first != second
    assert new_feed_name("???").startswith("ferry-pc-")
