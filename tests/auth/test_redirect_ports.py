"""Fixed loopback redirect ports: tried in order, the first free one used, a plain error naming
them when all are taken; carried from the regions file and the command line into the login,
and kept in the login record so a later login again comes back to a port the server accepts."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.auth.account import LOGIN_FILE, StoredLogin, load_login
from app.auth.login import LoginTarget, Tokens
from app.auth.loopback import LoopbackListener, RedirectPortsBusy, Verdict
from app.auth.oidc import LoginError
from app.auth.secret_store import SecretStore
from app.login_record import record_login
from app.regions import REGIONS_FILE, RegionsError, load_regions
from tests.auth.conftest import free_fixed_port
from tests.conftest import RunFerry


@pytest.fixture
def taken() -> Iterator[int]:
    """A port another program listens on (on 127.0.0.1, as Ferry's listener would)."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


async def test_the_first_free_port_is_used_and_answers(taken: int) -> None:
    free = free_fixed_port()
    listener = LoopbackListener("s", ports=[taken, free])
    redirect = await listener.start()
    assert redirect == f"http://127.0.0.1:{free}/callback"
    async with httpx.AsyncClient() as http:
        answer = asyncio.create_task(http.get(f"{redirect}?code=c&state=s"))
        assert (await listener.wait(5)).code == "c"
        listener.settle(Verdict(True))
        assert (await answer).status_code == 200
    await listener.close()


async def test_the_order_is_kept() -> None:
    first, second = free_fixed_port(), free_fixed_port()
    listener = LoopbackListener("s", ports=[first, second])
    assert await listener.start() == f"http://127.0.0.1:{first}/callback"
    # a second login meanwhile gets the next port, not an error
    other = LoopbackListener("t", ports=[first, second])
    assert await other.start() == f"http://127.0.0.1:{second}/callback"
    await other.close()
    await listener.close()


async def test_all_taken_is_a_plain_error_naming_them(taken: int) -> None:
    with socket.socket() as another:
        another.bind(("127.0.0.1", 0))
        another.listen()
        second = another.getsockname()[1]
        listener = LoopbackListener("s", ports=[taken, second])
        with pytest.raises(RedirectPortsBusy) as busy:
            await listener.start()
    assert isinstance(busy.value, LoginError)  # shown as any login failure is
    assert busy.value.ports == (taken, second)
    assert f"ports {taken}, {second} on this computer, and all are in use" in str(busy.value)
    one = LoopbackListener("s", ports=[taken])
    with pytest.raises(RedirectPortsBusy, match=f"port {taken} on this computer, and it is in"):
        await one.start()


async def test_without_ports_the_os_picks_one() -> None:
    listener = LoopbackListener("s")
    redirect = await listener.start()
    assert redirect.startswith("http://127.0.0.1:") and redirect.endswith("/callback")
    await listener.close()


def _regions_with(tmp_path: Path, code: str, ports: object) -> Path:
    data = json.loads(REGIONS_FILE.read_text())
    next(r for r in data["regions"] if r["code"] == code)["redirect_ports"] = ports
    path = tmp_path / "regions.json"
    path.write_text(json.dumps(data))
    return path


def test_regions_may_list_fixed_ports(tmp_path: Path) -> None:
    loaded = load_regions(_regions_with(tmp_path, "sandbox", [53682, 53683]))
    assert loaded.get("sandbox").redirect_ports == (53682, 53683)
    assert loaded.get("custom").redirect_ports == ()  # without the list: a port the OS picks
    custom = load_regions(_regions_with(tmp_path, "custom", [53682]))
    assert custom.get("custom").redirect_ports == (53682,)


@pytest.mark.parametrize(
    ("ports", "words"),
    [
        ([53682, 53682], "redirect ports listed twice: 53682"),
        ([80], "regions.2.redirect_ports.0"),
        ([70000], "regions.2.redirect_ports.0"),
        (["a"], "regions.2.redirect_ports.0"),
    ],
)
def test_bad_ports_in_the_regions_file_fail_loudly(
    tmp_path: Path, ports: object, words: str
) -> None:
    with pytest.raises(RegionsError, match=words):
        load_regions(_regions_with(tmp_path, "sandbox", ports))


def test_a_login_record_from_before_the_ports_still_loads(tmp_path: Path) -> None:
    old = {
        "region": "be",
        "issuer": "https://login.ferry-platform.be/realms/be",
        "api_url": "https://api.ferry-platform.be/api/v1",
        "client_id": "ferry-desktop",
        "subject": "alice",
        "logged_in_at": "2026-01-01T00:00:00Z",
    }
    (tmp_path / LOGIN_FILE).write_text(json.dumps(old))
    stored = load_login(tmp_path)
    assert stored is not None and stored.redirect_ports == ()


async def test_the_login_record_keeps_the_ports(secret_service: dict[str, str]) -> None:
    target = LoginTarget("custom", "http://127.0.0.1:9/realms/x", None, redirect_ports=(53682,))
    tokens = Tokens("access", "refresh", 0.0, claims={"sub": "alice"})
    store = SecretStore()
    async with httpx.AsyncClient() as http:
        stored, _ = await record_login(target, tokens, store=store, http=http)
    store.delete(stored.secret_name)
    assert stored.redirect_ports == (53682,)
    again = StoredLogin.model_validate_json(stored.model_dump_json())
    assert again.redirect_ports == (53682,)
    assert again.logged_in_at <= dt.datetime.now(dt.UTC)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--redirect-port", "80"], "--redirect-port: redirect ports must be between 1024"),
        (["--redirect-port", "53682", "--redirect-port", "53682"], "listed twice: 53682"),
        (["--redirect-port", "port"], "invalid int value"),
    ],
)
def test_redirect_port_arguments_are_checked(
    run_ferry: RunFerry, args: list[str], words: str
) -> None:
    done = run_ferry(
        "login",
        "--no-browser",
        "--issuer",
        "http://127.0.0.1:9/realms/x",
        "--api",
        "http://127.0.0.1:9/api/v1",
        *args,
    )
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
