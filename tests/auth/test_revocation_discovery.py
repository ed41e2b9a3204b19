"""Where Ferry finds the revocation endpoint, and what logging out says when there is none.

A real HTTP server on 127.0.0.1 plays the login server: each test decides which documents it
serves (OpenID discovery, RFC 8414 metadata in either form, a revocation endpoint) and the
server records what Ferry asked, so the order and the refusals are seen on the wire.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from app.auth.account import LOGIN_FILE, StoredLogin, save_login
from app.auth.login import LoginTarget
from app.auth.oidc import ProviderMetadata, discover, find_revocation_endpoint
from app.auth.secret_store import SecretStore
from app.auth.session import LogoutOutcome, TokenSession
from app.home import FerryHome
from tests.conftest import RunFerry

pytestmark = pytest.mark.usefixtures("secret_service", "clean_env")

REALM = "/realms/office"
DISCOVERY = f"{REALM}/.well-known/openid-configuration"
STANDARD = f"/.well-known/oauth-authorization-server{REALM}"  # RFC 8414 3.1
BELOW = f"{REALM}/.well-known/oauth-authorization-server"  # below the issuer, as OIDC does
REVOKE = f"{REALM}/revoke"


@dataclass
class LoginServer:
    """What the server answers (path → status and JSON) and what it was asked."""

    base: str
    documents: dict[str, tuple[int, object]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    revoked: list[dict[str, list[str]]] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return self.base + REALM

    def discovery(self, **extra: object) -> None:
        self.documents[DISCOVERY] = (
            200,
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/auth",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                **extra,
            },
        )

    def metadata(self, path: str, issuer: str | None = None, revoke: str = REVOKE) -> None:
        self.documents[path] = (
            200,
            {"issuer": issuer or self.issuer, "revocation_endpoint": self.base + revoke},
        )


@pytest.fixture
def server() -> Iterator[LoginServer]:
    state = LoginServer("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.asked.append(self.path)
            status, document = state.documents.get(self.path, (404, {"error": "not_found"}))
            self._send(status, document)

        def do_POST(self) -> None:
            state.asked.append(f"POST {self.path}")
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            state.revoked.append(parse_qs(body))
            status, document = state.documents.get(f"POST {self.path}", (404, {}))
            self._send(status, document)

        def _send(self, status: int, document: object) -> None:
            payload = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass  # request bodies carry tokens; nothing goes to the test's output

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


async def _find(server: LoginServer) -> tuple[ProviderMetadata, str | None]:
    async with httpx.AsyncClient() as http:
        metadata = await discover(http, server.issuer)
        return metadata, await find_revocation_endpoint(http, metadata)


async def _revoke(server: LoginServer, name: str, token: str | None) -> LogoutOutcome:
    store = SecretStore()
    if token:
        store.save(name, token)
    target = LoginTarget("custom", server.issuer, None)
    async with httpx.AsyncClient() as http:
        outcome = await TokenSession(target, store=store, secret_name=name, http=http).revoke()
    assert store.load(name) is None  # forgotten here, whatever the outcome
    return outcome


async def test_the_discovery_document_names_it(server: LoginServer) -> None:
    server.discovery(revocation_endpoint=server.base + REVOKE)
    server.documents[f"POST {REVOKE}"] = (200, {})
    _, endpoint = await _find(server)
    assert endpoint == server.base + REVOKE
    assert server.asked == [DISCOVERY]  # no metadata asked for when discovery says it

    outcome = await _revoke(server, "refresh-token:custom:discovery", "the-refresh-token")
    assert outcome is LogoutOutcome.REVOKED
    assert server.revoked[-1]["token"] == ["the-refresh-token"]
    assert server.revoked[-1]["token_type_hint"] == ["refresh_token"]
    assert server.revoked[-1]["client_id"] == ["ferry-desktop"]


async def test_only_below_the_issuer(server: LoginServer) -> None:
    server.discovery()
    server.metadata(BELOW)
    _, endpoint = await _find(server)
    assert endpoint == server.base + REVOKE
    assert server.asked == [DISCOVERY, STANDARD, BELOW]  # RFC 8414's own place first


async def test_only_the_issuer_path_form(server: LoginServer) -> None:
    server.discovery()
    server.metadata(STANDARD)
    _, endpoint = await _find(server)
    assert endpoint == server.base + REVOKE
    assert server.asked == [DISCOVERY, STANDARD]


async def test_metadata_naming_another_issuer_is_refused(server: LoginServer) -> None:
    """RFC 8414 3.3: a document that speaks for another issuer could send the refresh token
    to somebody else; it is not used, and the other form is still read."""
    server.discovery()
    server.metadata(STANDARD, issuer=server.base + "/realms/elsewhere", revoke="/steal")
    _, endpoint = await _find(server)
    assert endpoint is None
    server.documents[f"POST {REVOKE}"] = (200, {})
    outcome = await _revoke(server, "refresh-token:custom:mismatch", "the-refresh-token")
    assert outcome is LogoutOutcome.NOT_SUPPORTED
    assert "POST /steal" not in server.asked and not server.revoked

    server.metadata(BELOW)
    _, endpoint = await _find(server)
    assert endpoint == server.base + REVOKE


async def test_a_refused_or_unreachable_revocation_is_reported_as_failed(
    server: LoginServer,
) -> None:
    server.discovery(revocation_endpoint=server.base + REVOKE)
    server.documents[f"POST {REVOKE}"] = (503, {"error": "temporarily_unavailable"})
    assert await _revoke(server, "refresh-token:custom:busy", "t") is LogoutOutcome.FAILED
    gone = LoginServer("http://127.0.0.1:9")  # the discard port: nothing listens
    assert await _revoke(gone, "refresh-token:custom:gone", "t") is LogoutOutcome.FAILED
    assert await _revoke(server, "refresh-token:custom:none", None) is LogoutOutcome.NO_TOKEN


def test_no_revocation_endpoint_at_all_logout_forgets_and_says_the_platform_was_not_told(
    server: LoginServer, run_ferry: RunFerry, ferry_home: Path
) -> None:
    server.discovery()
    home = FerryHome.under(ferry_home)
    stored = StoredLogin(
        region="custom",
        issuer=server.issuer,
        api_url=None,
        client_id="ferry-desktop",
        subject="alice",
        user_name="Alice",
        logged_in_at=dt.datetime.now(dt.UTC),
    )
    save_login(home.settings_dir, stored)
    SecretStore().save(stored.secret_name, "alices-refresh-token")

    done = run_ferry("logout")
    assert done.returncode == 0, done.stderr
    assert "Logged out Alice (region custom)." in done.stdout
    assert "The platform was not told: its login server offers no way" in done.stdout
    assert SecretStore().load(stored.secret_name) is None
    assert not (home.settings_dir / LOGIN_FILE).exists()
    assert server.asked == [DISCOVERY, STANDARD, BELOW] and not server.revoked
    assert "alices-refresh-token" not in done.stdout + done.stderr
