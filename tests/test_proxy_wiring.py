"""The proxy the person chose is the one Ferry's HTTP clients use, through a real proxy.

A real forward proxy (tests/forward_proxy.py) runs on this computer. Hosts under
``example.test`` do not exist, so a request for them only succeeds when it went through the
proxy; the proxy answers those itself, or forwards them to the sandbox, which then answers
as if it lived at that name.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from app.auth.account import StoredLogin, load_login, save_login
from app.auth.login import LoginTarget, oauth_client
from app.auth.secret_store import SecretStore
from app.home import FerryHome
from app.platform.client import make_http_client
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import login_with_password
from app.settings import ProxyMode, ProxySettings, Settings, save_settings, settings_path
from tests.conftest import PROXY_ENV, REPO
from tests.forward_proxy import ForwardProxy

FAKE = "platform.example.test"


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with ForwardProxy() as running:
        yield running


class _Direct(BaseHTTPRequestHandler):
    """A server on this computer that says it was reached directly."""

    def do_GET(self) -> None:
        body = json.dumps({"direct": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def direct() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Direct)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def manual(proxy: ForwardProxy) -> ProxySettings:
    return ProxySettings(mode=ProxyMode.MANUAL, url=proxy.url)


async def test_manual_proxy_carries_requests_for_the_platform(
    proxy: ForwardProxy, clean_env: pytest.MonkeyPatch
) -> None:
    async with make_http_client(proxy=manual(proxy)) as http:
        got = await http.get(f"http://{FAKE}/api/v1/office", params={"x": "1"})
        sent = await http.post(f"http://{FAKE}/api/v1/reports", json={"ok": True})
    assert got.status_code == 200
    assert got.json() == {"proxied": f"http://{FAKE}/api/v1/office?x=1", "method": "GET"}
    assert sent.json()["method"] == "POST"
    seen = proxy.requests(FAKE)
    assert [(s.method, s.target) for s in seen] == [
        ("GET", f"http://{FAKE}/api/v1/office?x=1"),
        ("POST", f"http://{FAKE}/api/v1/reports"),
    ]
    assert json.loads(seen[1].body) == {"ok": True}
    assert seen[0].headers["user-agent"] == "Ferry"
    assert seen[0].headers["host"] == FAKE


async def test_manual_proxy_is_asked_for_a_tunnel_to_an_https_platform(
    proxy: ForwardProxy, clean_env: pytest.MonkeyPatch
) -> None:
    async with make_http_client(proxy=manual(proxy)) as http:
        with pytest.raises(httpx.ProxyError):  # this test proxy refuses every tunnel
            await http.get(f"https://{FAKE}/api/v1/office")
    assert [(s.method, s.target) for s in proxy.requests()] == [("CONNECT", f"{FAKE}:443")]


async def test_the_login_client_goes_through_the_same_proxy(
    proxy: ForwardProxy, clean_env: pytest.MonkeyPatch
) -> None:
    target = LoginTarget("be", f"http://id.{FAKE}/realms/be", None, proxy=manual(proxy))
    async with oauth_client(target) as oauth:
        response = await oauth.request(
            "GET", f"{target.issuer}/.well-known/openid-configuration", withhold_token=True
        )
    assert response.status_code == 200
    assert [s.host for s in proxy.requests()] == [f"id.{FAKE}"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_this_computer_is_reached_directly_even_with_a_manual_proxy(
    proxy: ForwardProxy, clean_env: pytest.MonkeyPatch, direct: int, host: str
) -> None:
    async with make_http_client(proxy=manual(proxy)) as http:
        response = await http.get(f"http://{host}:{direct}/api/v1/office")
    assert response.json() == {"direct": "/api/v1/office"}
    assert proxy.requests() == []


async def test_no_proxy_ignores_the_environment(
    proxy: ForwardProxy, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    clean_env.setenv("ALL_PROXY", proxy.url)
    async with make_http_client(proxy=ProxySettings(mode=ProxyMode.NONE)) as http:
        with pytest.raises(httpx.ConnectError):  # straight to a host that does not exist
            await http.get(f"http://{FAKE}/api/v1/office")
    assert proxy.requests() == []


@pytest.mark.parametrize("chosen", [ProxySettings(mode=ProxyMode.SYSTEM), None])
async def test_the_system_proxy_comes_from_the_environment(
    proxy: ForwardProxy, clean_env: pytest.MonkeyPatch, chosen: ProxySettings | None
) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    async with make_http_client(proxy=chosen) as http:
        response = await http.get(f"http://{FAKE}/api/v1/office")
    assert response.json()["proxied"] == f"http://{FAKE}/api/v1/office"
    assert len(proxy.requests(FAKE)) == 1


async def test_a_manual_proxy_wins_over_the_environment(
    proxy: ForwardProxy, clean_env: pytest.MonkeyPatch
) -> None:
    with ForwardProxy() as other:
        clean_env.setenv("HTTP_PROXY", other.url)
        async with make_http_client(proxy=manual(proxy)) as http:
            await http.get(f"http://{FAKE}/")
        assert other.requests() == []
    assert len(proxy.requests(FAKE)) == 1


# -- the account commands, in their own process, through the proxy to the sandbox ---------------


def _ferry(home: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in env.items() if k.upper() not in PROXY_ENV}
    return subprocess.run(
        [sys.executable, "-m", "app", "--home", str(home), *args],
        env={**environment, "LANG": "C.UTF-8"},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_whoami_and_logout_reach_the_platform_through_the_chosen_proxy(
    sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path
) -> None:
    # Logged in to a platform that only exists behind the proxy.
    tokens = login_with_password(sandbox.url, "be")
    home_dir = tmp_path / "home"
    home = FerryHome.under(home_dir).ensure()
    stored = StoredLogin(
        region="custom",
        issuer=f"http://{FAKE}/realms/be",
        api_url=f"http://{FAKE}/api/v1",
        client_id="ferry-desktop",
        subject="demo-behind-the-proxy",
        logged_in_at=dt.datetime.now(dt.UTC),
    )
    env = {**os.environ, **secret_service}  # this process uses that Secret Service too
    with ForwardProxy({FAKE: ("127.0.0.1", sandbox.port)}) as proxy:
        save_settings(home.settings_dir, Settings(proxy=manual(proxy)))
        assert tokens.refresh_token
        SecretStore().save(stored.secret_name, tokens.refresh_token)
        save_login(home.settings_dir, stored)

        whoami = _ferry(home_dir, env, "-v", "whoami")
        assert whoami.returncode == 0, whoami.stderr
        assert "Fiduciaire Dupont & Fils" in whoami.stdout
        seen = [(s.method, s.target.split("?")[0]) for s in proxy.requests(FAKE)]
        assert ("GET", f"http://{FAKE}/realms/be/.well-known/openid-configuration") in seen
        assert ("POST", f"http://{FAKE}/realms/be/protocol/openid-connect/token") in seen
        assert ("GET", f"http://{FAKE}/api/v1/office") in seen
        refreshed = load_login(home.settings_dir)
        assert refreshed is not None and refreshed.office_name == "Fiduciaire Dupont & Fils"

        # The same with no proxy: the platform cannot be found.
        save_settings(home.settings_dir, Settings(proxy=ProxySettings(mode=ProxyMode.NONE)))
        before = len(proxy.requests())
        lost = _ferry(home_dir, {**env, "HTTP_PROXY": proxy.url}, "whoami")
        assert lost.returncode == 1 and FAKE in lost.stderr, lost.stderr
        assert len(proxy.requests()) == before

        # Logging out revokes through the proxy too.
        save_settings(home.settings_dir, Settings(proxy=manual(proxy)))
        logout = _ferry(home_dir, env, "logout")
        assert logout.returncode == 0, logout.stderr
        assert any(
            s.method == "POST" and s.target.endswith("/openid-connect/revoke")
            for s in proxy.requests(FAKE)
        ), [s.target for s in proxy.requests(FAKE)]


def test_the_wizard_logs_in_through_the_proxy_already_chosen(tmp_path: Path) -> None:
    from app.gui.wizard import _stored_proxy

    home = FerryHome.under(tmp_path / "home").ensure()
    assert _stored_proxy(home) == ProxySettings()  # nothing chosen yet: the system's
    chosen = ProxySettings(mode=ProxyMode.MANUAL, url="http://proxy.kantoor.be:3128")
    save_settings(home.settings_dir, Settings(proxy=chosen))
    assert _stored_proxy(home) == chosen
    settings_path(home.settings_dir).write_text("{damaged")
    assert _stored_proxy(home) == ProxySettings()  # a damaged file must not stop a login
