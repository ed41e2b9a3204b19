"""Logging in with Billit's API key and PartyID (issue 19), against Billit's fake over real
HTTP and the real keyring: checked at Billit's account call before anything is kept, kept in
the keyring only (never in login.json, a log line or an error message), refused in words;
``ferry login --party-id`` reads the key from standard input, and ``ferry whoami`` and
``ferry logout`` treat a key as a key.
"""

from __future__ import annotations

import argparse
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.application.account import end_login
from app.application.key_login import (
    KeyLoginPlace,
    KeyProblem,
    PartyNotReached,
    clean_key,
    log_in_with_key,
    parse_party_id,
    without_key,
)
from app.auth.account import LOGIN_FILE, load_login
from app.auth.secret_store import SecretStore
from app.auth.session import LoginNeeded, LogoutOutcome
from app.cli import build_parser
from app.commands import key_login as key_command
from app.commands.account import run_login, run_whoami
from app.core.language import Language
from app.core.platform_kinds import PlatformName
from app.home import FerryHome
from app.platforms.billit.fake import BillitFake
from app.regions import RegionsFile, regions


@pytest.fixture
def fake() -> Iterator[BillitFake]:
    with BillitFake(feed_interval_s=0.5) as running:
        running.add_client("Bakkerij Peeters BV", "BE0123456749")
        running.add_client("Garage Willems", "BE0987654312")
        yield running


@pytest.fixture
def store(secret_service: dict[str, str], keyring_service: str) -> SecretStore:
    return SecretStore(service=keyring_service)


def _place(fake: BillitFake) -> KeyLoginPlace:
    return KeyLoginPlace("be-billit", PlatformName.BILLIT, fake.url)


async def test_a_good_key_names_the_office_and_is_kept_in_the_keyring_only(
    fake: BillitFake, store: SecretStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with httpx.AsyncClient() as http:
        checked = await log_in_with_key(
            _place(fake), fake.api_key, fake.office_party_id, store=store, http=http
        )
    login = checked.login
    assert (login.platform.value, login.strategy.value) == ("billit", "api_key")
    assert login.party_id == fake.office_party_id and login.office_name == fake.office_name
    assert fake.email in login.who
    assert sorted(c.name for c in checked.clients) == ["Bakkerij Peeters BV", "Garage Willems"]
    assert store.load(login.secret_name) == fake.api_key
    assert fake.api_key not in login.model_dump_json()
    assert fake.api_key not in caplog.text
    store.delete(login.secret_name)


async def test_a_refused_key_keeps_nothing(fake: BillitFake, store: SecretStore) -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(LoginNeeded):
            await log_in_with_key(
                _place(fake), "not-the-key", fake.office_party_id, store=store, http=http
            )
    assert store.load(f"api-key:be-billit:{fake.office_party_id}") is None


async def test_a_party_id_the_key_does_not_reach_keeps_nothing(
    fake: BillitFake, store: SecretStore
) -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(PartyNotReached) as raised:
            await log_in_with_key(_place(fake), fake.api_key, 999, store=store, http=http)
    assert raised.value.party_id == 999 and fake.api_key not in str(raised.value)
    assert store.load("api-key:be-billit:999") is None


def test_a_platforms_words_never_repeat_the_key() -> None:
    assert without_key("no such key: abc123 (abc123)", "abc123") == "no such key: [key] ([key])"


def test_what_is_typed_is_checked_before_billit_is_asked() -> None:
    assert parse_party_id(" 123456 ") == 123456
    assert clean_key("  abc-DEF_123\n") == "abc-DEF_123"
    for wrong in ("", "12a", "-4", "0", "1" * 19):
        with pytest.raises(KeyProblem, match="party_id"):
            parse_party_id(wrong)
    for wrong in ("", "   ", "two words", "tab\there"):
        with pytest.raises(KeyProblem, match="key"):
            clean_key(wrong)


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def at_the_fake(fake: BillitFake, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped regions, with Billit's production address pointing at the fake."""
    data = regions().model_dump(mode="json")
    for entry in data["regions"]:
        if entry["code"] == "be-billit":
            entry["api_url"] = fake.url
    monkeypatch.setattr(key_command, "regions", lambda: RegionsFile.model_validate(data))


def _args(home: Path, *argv: str) -> argparse.Namespace:
    args = build_parser().parse_args(list(argv))
    args.ferry_home = FerryHome.under(home).ensure()
    args.language = Language.EN
    return args


def test_ferry_login_reads_the_key_from_standard_input(
    fake: BillitFake,
    store: SecretStore,
    at_the_fake: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = _args(
        tmp_path, "login", "--region", "be-billit", "--party-id", str(fake.office_party_id)
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(fake.api_key + "\n"))
    assert run_login(args, store=store) == 0
    said = capsys.readouterr()
    assert f"for {fake.office_name} (region be-billit, key)" in said.out
    stored = load_login(args.ferry_home.settings_dir)
    assert stored is not None and stored.party_id == fake.office_party_id
    assert fake.api_key not in (args.ferry_home.settings_dir / LOGIN_FILE).read_text()
    assert store.load(stored.secret_name) == fake.api_key

    # whoami asks Billit with the key
    monkeypatch.setattr("app.commands.account.store_for", lambda home: store)
    assert run_whoami(_args(tmp_path, "whoami")) == 0
    assert fake.office_name in capsys.readouterr().out

    # logout: nothing at Billit ends a key; it leaves this computer, and the words say so
    assert end_login(args.ferry_home, stored, store) is LogoutOutcome.KEY_FORGOTTEN
    assert store.load(stored.secret_name) is None
    assert load_login(args.ferry_home.settings_dir) is None


def test_ferry_login_says_a_refused_key_without_it(
    fake: BillitFake,
    store: SecretStore,
    at_the_fake: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = _args(
        tmp_path, "login", "--region", "be-billit", "--party-id", str(fake.office_party_id)
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-key-123\n"))
    assert run_login(args, store=store) == 1
    err = capsys.readouterr().err
    assert "Billit did not accept this API key" in err and "wrong-key-123" not in err
    assert load_login(args.ferry_home.settings_dir) is None

    args = _args(tmp_path, "login", "--region", "be-billit", "--party-id", "12x")
    monkeypatch.setattr("sys.stdin", io.StringIO(fake.api_key))
    assert run_login(args, store=store) == 2
    assert "--party-id is the number" in capsys.readouterr().err


def test_ferry_login_with_a_key_at_a_custom_billit_server(
    fake: BillitFake,
    store: SecretStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--api`` with ``--party-id``: a platform that speaks Billit's API at its own address;
    the login is the region ``custom`` and the engine's adapter is Billit's."""
    party = str(fake.office_party_id)
    args = _args(tmp_path, "login", "--api", "http://billit.example.com", "--party-id", party)
    monkeypatch.setattr("sys.stdin", io.StringIO(fake.api_key + "\n"))
    assert run_login(args, store=store) == 2
    assert "--api: use https://" in capsys.readouterr().err

    args = _args(tmp_path, "login", "--api", fake.url + "/", "--party-id", party)
    monkeypatch.setattr("sys.stdin", io.StringIO(fake.api_key + "\n"))
    assert run_login(args, store=store) == 0
    assert f"for {fake.office_name} (region custom, key)" in capsys.readouterr().out
    stored = load_login(args.ferry_home.settings_dir)
    assert stored is not None and (stored.region, stored.platform) == ("custom", "billit")
    assert stored.api_url == fake.url and store.load(stored.secret_name) == fake.api_key
    monkeypatch.setattr("app.commands.account.store_for", lambda home: store)
    assert run_whoami(_args(tmp_path, "whoami")) == 0  # the engine's adapter, at that address
    assert fake.office_name in capsys.readouterr().out
    store.delete(stored.secret_name)
