"""A service that runs as a named account takes its login into its own store
(app/service/login_handoff.py).

Here both stores are the real Secret Service (gnome-keyring in a private D-Bus session), under
two keyring names of the test's own: the one the administrator's ``service login`` writes (on
Windows the computer's DPAPI folder, :mod:`app.service.machine_secrets`) and the service
account's own (on Windows its Credential Manager). A login that the home no longer names is
revoked at a real sandbox platform. The Windows service itself taking the login is
tests/test_service_windows.py's, under Wine.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.application.account import revoke_login
from app.auth.account import StoredLogin, forget_login, load_login, save_login
from app.auth.secret_store import SecretStore
from app.cli import build_parser
from app.commands import key_login as key_command
from app.commands.account import run_login
from app.core.language import Language
from app.engine.engine import Engine
from app.home import FerryHome
from app.platforms.billit.adapter import BillitPlatform
from app.platforms.billit.fake import BillitFake
from app.regions import RegionsFile, regions
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import login_with_password
from app.service.login_handoff import TAKEN_FILE, Handoff, take_over, taken_login


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path_factory.mktemp("sandbox"), port=0, seed_documents=1)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def stores(keyring_service: str) -> Iterator[tuple[SecretStore, SecretStore]]:
    """(the service account's own store, the administrator's inbox)."""
    own = SecretStore(service=keyring_service)
    inbox = SecretStore(service=f"{keyring_service}-inbox")
    own.check()
    yield own, inbox


def _login(sandbox: SandboxServer, subject: str) -> StoredLogin:
    return StoredLogin(
        region="sandbox",
        issuer=sandbox.issuer("be"),
        api_url=sandbox.api_url,
        client_id="ferry-desktop",
        subject=subject,
        user_name="Demo",
        logged_in_at=dt.datetime.now(dt.UTC),
    )


class Ends:
    """Records the logins the service ends, and ends them for real at the sandbox."""

    def __init__(self, home: FerryHome) -> None:
        self.home = home
        self.ended: list[str] = []

    def __call__(self, login: StoredLogin, store: SecretStore) -> None:
        self.ended.append(login.secret_name)
        revoke_login(self.home, login, store)


def _still_valid(sandbox: SandboxServer, refresh_token: str) -> bool:
    """Whether the platform still gives access for ``refresh_token``."""
    issuer = sandbox.issuer("be")
    with httpx.Client() as http:
        config = http.get(f"{issuer}/.well-known/openid-configuration").json()
        answer = http.post(
            config["token_endpoint"],
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": "ferry-desktop",
            },
        )
    return answer.status_code == 200


def test_the_service_takes_the_login_then_holds_it_alone(
    tmp_path: Path, sandbox: SandboxServer, stores: tuple[SecretStore, SecretStore]
) -> None:
    own, inbox = stores
    home = FerryHome.under(tmp_path).ensure()
    login = _login(sandbox, "demo-1")
    save_login(home.settings_dir, login)
    inbox.save(login.secret_name, "rt-the-token")
    ends = Ends(home)

    assert take_over(home, own, inbox, ends) == Handoff(taken=login.secret_name)
    assert own.load(login.secret_name) == "rt-the-token"
    assert inbox.load(login.secret_name) is None  # the folder holds it no longer
    record = (home.state_dir / TAKEN_FILE).read_text(encoding="utf-8")
    assert "rt-the-token" not in record and taken_login(home) == login

    # every later start: nothing to take, nothing to end
    assert take_over(home, own, inbox, ends) == Handoff()
    assert take_over(home, own, None, ends) == Handoff()
    assert own.load(login.secret_name) == "rt-the-token" and ends.ended == []


def test_a_crash_before_the_folder_is_emptied_takes_it_again(
    tmp_path: Path, sandbox: SandboxServer, stores: tuple[SecretStore, SecretStore]
) -> None:
    """The token is in both stores (the service stopped between writing its own and deleting
    the folder's): the next start takes it again and empties the folder."""
    own, inbox = stores
    home = FerryHome.under(tmp_path).ensure()
    login = _login(sandbox, "demo-2")
    save_login(home.settings_dir, login)
    inbox.save(login.secret_name, "rt-token")
    own.save(login.secret_name, "rt-token")
    assert take_over(home, own, inbox, Ends(home)) == Handoff(taken=login.secret_name)
    assert inbox.load(login.secret_name) is None and own.load(login.secret_name) == "rt-token"


def test_a_logout_is_ended_at_the_platform_by_the_service(
    tmp_path: Path, sandbox: SandboxServer, stores: tuple[SecretStore, SecretStore]
) -> None:
    """The administrator's ``service logout`` forgets ``login.json`` but cannot reach the
    token in the service's own store: the service revokes it and deletes it at its start."""
    own, inbox = stores
    home = FerryHome.under(tmp_path).ensure()
    tokens = login_with_password(sandbox.url, "be")
    login = _login(sandbox, "demo-3")
    save_login(home.settings_dir, login)
    inbox.save(login.secret_name, tokens.refresh_token)
    ends = Ends(home)
    take_over(home, own, inbox, ends)
    assert _still_valid(sandbox, tokens.refresh_token)

    forget_login(home.settings_dir)
    assert take_over(home, own, inbox, ends) == Handoff(ended=login.secret_name)
    assert ends.ended == [login.secret_name]
    assert own.load(login.secret_name) is None
    assert taken_login(home) is None
    assert not _still_valid(sandbox, tokens.refresh_token)
    assert take_over(home, own, inbox, ends) == Handoff()  # said once


def test_a_login_as_someone_else_replaces_the_one_held(
    tmp_path: Path, sandbox: SandboxServer, stores: tuple[SecretStore, SecretStore]
) -> None:
    own, inbox = stores
    home = FerryHome.under(tmp_path).ensure()
    first, second = _login(sandbox, "demo-4a"), _login(sandbox, "demo-4b")
    save_login(home.settings_dir, first)
    inbox.save(first.secret_name, "rt-first")
    take_over(home, own, inbox, Ends(home))

    save_login(home.settings_dir, second)
    inbox.save(second.secret_name, "rt-second")
    ends = Ends(home)
    assert take_over(home, own, inbox, ends) == Handoff(
        taken=second.secret_name, ended=first.secret_name
    )
    assert own.load(first.secret_name) is None and own.load(second.secret_name) == "rt-second"
    assert ends.ended == [first.secret_name] and taken_login(home) == second


def test_an_unreadable_record_is_taken_as_none(
    tmp_path: Path,
    sandbox: SandboxServer,
    stores: tuple[SecretStore, SecretStore],
    caplog: pytest.LogCaptureFixture,
) -> None:
    own, inbox = stores
    home = FerryHome.under(tmp_path).ensure()
    (home.state_dir / TAKEN_FILE).write_text("{not json", encoding="utf-8")
    assert take_over(home, own, inbox, Ends(home)) == Handoff()
    assert "ignoring an unreadable" in caplog.text


def test_a_billit_key_reaches_the_service_as_a_refresh_token_does(
    tmp_path: Path,
    stores: tuple[SecretStore, SecretStore],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``ferry service login --region be-billit --party-id N`` (the key on standard input)
    checks the key at Billit and leaves it in the inbox; the service takes it into its own
    store, and its engine syncs with it from there; a logout later deletes it from the
    service's store without asking Billit (nothing there ends a key)."""

    own, inbox = stores
    with BillitFake(feed_interval_s=0.5) as fake:
        data = regions().model_dump(mode="json")
        next(r for r in data["regions"] if r["code"] == "be-billit")["api_url"] = fake.url
        monkeypatch.setattr(key_command, "regions", lambda: RegionsFile.model_validate(data))
        args: argparse.Namespace = build_parser().parse_args(
            ["login", "--region", "be-billit", "--party-id", str(fake.office_party_id)]
        )
        args.ferry_home, args.language = FerryHome.under(tmp_path).ensure(), Language.EN
        monkeypatch.setattr("sys.stdin", io.StringIO(fake.api_key))
        assert run_login(args, store=inbox) == 0  # what ``service login`` does
        home: FerryHome = args.ferry_home
        login = load_login(home.settings_dir)
        assert login is not None and login.secret_name.startswith("api-key:")
        assert inbox.load(login.secret_name) == fake.api_key

        ends = Ends(home)
        assert take_over(home, own, inbox, ends) == Handoff(taken=login.secret_name)
        assert own.load(login.secret_name) == fake.api_key
        assert inbox.load(login.secret_name) is None
        taken = (home.state_dir / TAKEN_FILE).read_text(encoding="utf-8")
        assert fake.api_key not in taken

        async def service_engine() -> None:
            engine = Engine(home, store=own)
            await engine.open()
            try:
                assert isinstance(engine.client, BillitPlatform)
                assert (await engine.client.office()).name == fake.office_name
            finally:
                await engine.close()

        asyncio.run(service_engine())
        requests = len(fake.requests)

        forget_login(home.settings_dir)
        assert take_over(home, own, inbox, ends) == Handoff(ended=login.secret_name)
        assert own.load(login.secret_name) is None
        assert len(fake.requests) == requests  # Billit was not asked


def test_an_oauth2_login_reaches_the_service_with_its_client_secret(
    tmp_path: Path,
    stores: tuple[SecretStore, SecretStore],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``ferry service login --region R --client-id ID`` (the secret on standard input) logs
    in through the browser and leaves the refresh token and the client secret in the inbox;
    the service takes both, refreshes with them (writing each rotated token to its own store)
    and, when the home is logged out, deletes both."""
    from tests.test_oauth2_login import Browser

    own, inbox = stores
    with BillitFake(feed_interval_s=0.5) as fake:
        data = regions().model_dump(mode="json")
        data["regions"].append(
            {
                **next(r for r in data["regions"] if r["code"] == "be-billit"),
                "code": "be-billit-oauth",
                "login": "oauth2",
                "api_url": fake.url,
                "authorize_url": fake.url + "/Account/Logon",
            }
        )
        shipped = RegionsFile.model_validate(data)
        monkeypatch.setattr("app.commands.oauth2_login.regions", lambda: shipped)
        monkeypatch.setattr("app.commands.key_login.regions", lambda: shipped)
        browser = Browser(fake)
        monkeypatch.setattr(
            "app.commands.oauth2_login.webbrowser.open", lambda url: browser.open(url) or True
        )
        args: argparse.Namespace = build_parser().parse_args(
            ["login", "--region", "be-billit-oauth", "--client-id", fake.client_id]
        )
        args.ferry_home, args.language = FerryHome.under(tmp_path).ensure(), Language.EN
        monkeypatch.setattr("sys.stdin", io.StringIO(fake.client_secret + "\n"))
        assert run_login(args, store=inbox) == 0
        home: FerryHome = args.ferry_home
        login = load_login(home.settings_dir)
        assert login is not None and login.party_id == fake.office_party_id
        first = inbox.load(login.secret_name)
        assert first and inbox.load(login.client_secret_name) == fake.client_secret

        ends = Ends(home)
        assert take_over(home, own, inbox, ends) == Handoff(taken=login.secret_name)
        assert own.load(login.secret_name) == first
        assert own.load(login.client_secret_name) == fake.client_secret
        assert inbox.load(login.secret_name) is None
        assert inbox.load(login.client_secret_name) is None

        async def service_engine() -> str:
            engine = Engine(home, store=own)
            await engine.open()
            try:
                return (await engine.client.office()).name
            finally:
                await engine.close()

        assert asyncio.run(service_engine()) == fake.office_name
        assert own.load(login.secret_name) not in (None, first)  # rotated, kept

        forget_login(home.settings_dir)
        assert take_over(home, own, inbox, ends) == Handoff(ended=login.secret_name)
        assert own.load(login.secret_name) is None
        assert own.load(login.client_secret_name) is None
