"""OAuth 2.0 logins to Billit (issue 19), against Billit's fake over real HTTP, Ferry's real
loopback listener and the real keyring: the browser login with the office's client id and
secret, who and which office from Billit's account call, the refresh token and the client
secret kept in the keyring only; the engine keeps the login alive with Billit's single-use
refresh tokens, each rotated one written back before it is used, so the next start works;
a spent or revoked token is *Login needed*.

The "browser" is the one stand-in: it takes the login page's address, gets a code from the
fake (which has no login form) and follows the redirect to Ferry's listener, as a browser
does once the person logged in.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from app.application.account import end_login
from app.application.oauth2_login import OAuth2Place, log_in_with_oauth2
from app.auth.account import LOGIN_FILE, StoredLogin, load_login, save_login
from app.auth.oidc import LoginError
from app.auth.secret_store import SecretStore
from app.auth.session import LoginNeeded, LogoutOutcome
from app.cli import build_parser
from app.commands.account import run_login, run_whoami
from app.core.language import Language
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.engine.engine import Engine
from app.engine.messages import EngineState, StateChanged
from app.home import FerryHome
from app.platforms.billit.adapter import BillitPlatform
from app.platforms.billit.client import OAuthTokens
from app.platforms.billit.fake import BillitFake
from app.platforms.oauth2_login import OAuthKeeper


@pytest.fixture
def fake() -> Iterator[BillitFake]:
    with BillitFake(feed_interval_s=0.5) as running:
        running.add_client("Bakkerij Peeters BV", "BE0123456749")
        yield running


@pytest.fixture
def store(secret_service: dict[str, str], keyring_service: str) -> SecretStore:
    return SecretStore(service=keyring_service)


class Browser:
    """Logs in at the fake: a code for the login page's redirect URI, with its state."""

    def __init__(self, fake: BillitFake) -> None:
        self.fake = fake
        self.asked: list[dict[str, list[str]]] = []
        self.pages: list[str] = []

    def open(self, url: str) -> None:
        query = parse_qs(urlsplit(url).query)
        self.asked.append(query)
        back = (
            query["redirect_uri"][0]
            + "?"
            + urlencode({"code": self.fake.issue_code(), "state": query["state"][0]})
        )
        threading.Thread(target=self._follow, args=(back,), daemon=True).start()

    def _follow(self, url: str) -> None:
        self.pages.append(httpx.get(url, timeout=30).text)


def _place(fake: BillitFake) -> OAuth2Place:
    return OAuth2Place(
        "be-billit-oauth",
        PlatformName.BILLIT,
        fake.url,
        fake.url + "/Account/Logon",
        fake.client_id,
    )


async def test_the_office_logs_in_in_the_browser_and_the_engine_keeps_it_alive(
    fake: BillitFake, store: SecretStore, tmp_path: Path
) -> None:
    browser = Browser(fake)
    async with httpx.AsyncClient() as http:
        checked = await log_in_with_oauth2(
            _place(fake),
            fake.client_secret,
            store=store,
            http=http,
            open_url=browser.open,
            timeout=30,
        )
    (asked,) = browser.asked
    assert asked["client_id"] == [fake.client_id] and asked["response_type"] == ["code"]
    assert asked["redirect_uri"][0].startswith("http://127.0.0.1:")
    login = checked.login
    assert (login.platform, login.strategy) == (PlatformName.BILLIT, LoginStrategy.OAUTH2)
    assert login.party_id == fake.office_party_id and login.office_name == fake.office_name
    assert fake.email in login.who
    first = store.load(login.secret_name)
    assert first and store.load(login.client_secret_name) == fake.client_secret
    assert fake.client_secret not in login.model_dump_json()

    home = FerryHome.under(tmp_path / "home").ensure()
    save_login(home.settings_dir, login)

    async def office_through_the_engine() -> str:
        engine = Engine(home, store=store)
        await engine.open()
        try:
            assert isinstance(engine.client, BillitPlatform)
            assert isinstance(engine._session, OAuthKeeper)
            return (await engine.client.office()).name
        finally:
            await engine.close()

    # Each start refreshes (the access token is not kept): the spent token is replaced in
    # the keyring at once, so the next start presents the new one.
    assert await office_through_the_engine() == fake.office_name
    second = store.load(login.secret_name)
    assert second and second != first
    assert await office_through_the_engine() == fake.office_name
    assert store.load(login.secret_name) not in (first, second)

    # A token Billit no longer takes (spent, revoked): Login needed, told once
    store.save(login.secret_name, first)
    events: list[object] = []
    engine = Engine(home, store=store, on_event=events.append)
    await engine.open()
    try:
        with pytest.raises(LoginNeeded):
            await engine.client.office()
        summary = await engine.sync_once()
    finally:
        await engine.close()
    assert [f.code.value for f in summary.errors] == ["login_needed"]
    assert any(isinstance(e, StateChanged) and e.state is EngineState.LOGIN_NEEDED for e in events)

    # Logging out revokes the token held at Billit (already dead there: RFC 7009 says 200)
    # and forgets it; the client secret stays for the next login of this office's client
    outcome = await asyncio.to_thread(end_login, home, login, store)  # blocking, as faces run it
    assert outcome is LogoutOutcome.REVOKED
    assert store.load(login.secret_name) is None
    assert store.load(login.client_secret_name) == fake.client_secret
    assert load_login(home.settings_dir) is None
    store.delete(login.client_secret_name)


async def test_a_wrong_client_secret_keeps_nothing(fake: BillitFake, store: SecretStore) -> None:
    browser = Browser(fake)
    async with httpx.AsyncClient() as http:
        with pytest.raises(LoginError, match="did not accept the login"):
            await log_in_with_oauth2(
                _place(fake),
                "not-the-secret",
                store=store,
                http=http,
                open_url=browser.open,
                timeout=30,
            )
    assert "not-the-secret" not in "".join(browser.pages)
    for name in (
        f"client-secret:be-billit-oauth:{fake.client_id}",
        f"refresh-token:be-billit-oauth:{fake.office_party_id}",
    ):
        assert store.load(name) is None


def test_a_stored_oauth_login_of_this_release_reads_back(tmp_path: Path) -> None:
    home = FerryHome.under(tmp_path).ensure()
    from app.auth.account import StoredLogin

    login = StoredLogin(
        region="be-billit-oauth",
        issuer="https://my.sandbox.billit.be/Account/Logon",
        api_url="https://api.sandbox.billit.be",
        client_id="office-client",
        subject="4242",
        logged_in_at=dt.datetime.now(dt.UTC),
        platform=PlatformName.BILLIT,
        strategy=LoginStrategy.OAUTH2,
        party_id=4242,
        redirect_ports=(53682,),
    )
    save_login(home.settings_dir, login)
    assert load_login(home.settings_dir) == login
    assert login.secret_name == "refresh-token:be-billit-oauth:4242"
    assert login.client_secret_name == "client-secret:be-billit-oauth:office-client"


def _cli_args(home: Path, *argv: str) -> argparse.Namespace:
    args = build_parser().parse_args(list(argv))
    args.ferry_home = FerryHome.under(home).ensure()
    args.language = Language.EN
    return args


def test_ferry_login_at_a_custom_billit_server_with_oauth2(
    fake: BillitFake,
    store: SecretStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--api``, ``--login-page``, ``--token-url`` and ``--client-id``, the secret on
    standard input: the login kept with its token address, which the engine refreshes at."""
    browser = Browser(fake)
    monkeypatch.setattr("webbrowser.open", lambda url: browser.open(url) or True)
    where = ["login", "--api", fake.url, "--client-id", fake.client_id]
    page = ["--login-page", fake.url + "/Account/Logon"]
    for argv, said in (
        (["login", "--token-url", fake.token_url], "--token-url goes with --login-page"),
        (["login", *page, "--client-id", "x"], "--login-page needs --api"),
        ([*where, "--login-page", "http://billit.example.com/Logon"], "--login-page: use https"),
    ):
        monkeypatch.setattr("sys.stdin", io.StringIO(fake.client_secret + "\n"))
        assert run_login(_cli_args(tmp_path, *argv), store=store) == 2
        assert said in capsys.readouterr().err

    args = _cli_args(tmp_path, *where, *page, "--token-url", fake.token_url, "--timeout", "30")
    monkeypatch.setattr("sys.stdin", io.StringIO(fake.client_secret + "\n"))
    assert run_login(args, store=store) == 0
    assert f"for {fake.office_name} (region custom, OAuth 2.0)" in capsys.readouterr().out
    stored = load_login(args.ferry_home.settings_dir)
    assert stored is not None and stored.token_url == fake.token_url
    assert (stored.region, stored.strategy) == ("custom", LoginStrategy.OAUTH2)
    assert fake.client_secret not in (args.ferry_home.settings_dir / LOGIN_FILE).read_text()
    first = store.load(stored.secret_name)
    monkeypatch.setattr("app.commands.account.store_for", lambda home: store)
    assert run_whoami(_cli_args(tmp_path, "whoami")) == 0  # refreshed at the token address
    assert store.load(stored.secret_name) not in (None, first)
    store.delete(stored.secret_name)
    store.delete(stored.client_secret_name)


async def _logged_in(fake: BillitFake, store: SecretStore, home: FerryHome) -> StoredLogin:
    async with httpx.AsyncClient() as http:
        checked = await log_in_with_oauth2(
            _place(fake),
            fake.client_secret,
            store=store,
            http=http,
            open_url=Browser(fake).open,
            timeout=30,
        )
    save_login(home.settings_dir, checked.login)
    return checked.login


async def test_logging_out_revokes_the_refresh_token_at_billit(
    fake: BillitFake, store: SecretStore, tmp_path: Path
) -> None:
    """``POST /OAuth2/revoke`` with the live refresh token and the client's credentials: the
    token no longer refreshes at Billit, and it is gone from this computer."""
    home = FerryHome.under(tmp_path / "home").ensure()
    login = await _logged_in(fake, store, home)
    token = store.load(login.secret_name)
    assert token

    outcome = await asyncio.to_thread(end_login, home, login, store)
    assert outcome is LogoutOutcome.REVOKED
    assert fake.revoked == [token]
    assert store.load(login.secret_name) is None and load_login(home.settings_dir) is None
    assert store.load(login.client_secret_name) == fake.client_secret
    keeper = OAuthKeeper(
        store,
        token_url=fake.token_url,
        client_id=fake.client_id,
        secret_name=None,
        client_secret_name="",
        tokens=OAuthTokens("", token, 0.0),
        client_secret=fake.client_secret,
    )
    async with httpx.AsyncClient() as http:
        with pytest.raises(LoginNeeded):
            await keeper.headers(http)  # the revoked token, presented to refresh
    (sent,) = [r for r in fake.requests if r[1] == "/OAuth2/revoke"]
    assert "client_secret" not in str(sent)  # the fake keeps no body; nothing leaked to headers
    store.delete(login.client_secret_name)


async def test_a_logout_billit_cannot_hear_is_said_and_forgets_anyway(
    fake: BillitFake, store: SecretStore, tmp_path: Path
) -> None:
    """Billit unreachable: FAILED (the person is told Billit was not told); a custom
    server's token address with no sibling to guess: NOT_SUPPORTED. Forgotten here both ways."""
    home = FerryHome.under(tmp_path / "home").ensure()
    login = await _logged_in(fake, store, home)
    elsewhere = login.model_copy(update={"token_url": fake.url + "/connect/access"})
    save_login(home.settings_dir, elsewhere)
    assert await asyncio.to_thread(end_login, home, elsewhere, store) is LogoutOutcome.NOT_SUPPORTED
    assert store.load(login.secret_name) is None

    login = await _logged_in(fake, store, home)
    fake.stop()
    assert await asyncio.to_thread(end_login, home, login, store) is LogoutOutcome.FAILED
    assert store.load(login.secret_name) is None and load_login(home.settings_dir) is None
    assert fake.revoked == []
    store.delete(login.client_secret_name)
