"""Fixtures that run the sandbox platform on a free port for the duration of the test session.

Other suites (the engine's, the login's) can use the same helpers: ``app.sandbox.testkit``
holds ``login_with_password`` (a browser-free login through the real form) and ``SandboxAdmin``;
the fixtures below only start the server and hand them out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin, TokenSet, login_with_password

#: Small seed: enough documents of every kind for paging, quick to generate.
SEED_DOCUMENTS = 12


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox for the session, on 127.0.0.1 and a free port, over a fresh data folder."""
    server = SandboxServer(
        tmp_path_factory.mktemp("sandbox-data"), port=0, seed_documents=SEED_DOCUMENTS
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sandbox_url(sandbox_server: SandboxServer) -> str:
    return sandbox_server.url


@pytest.fixture(scope="session")
def sandbox_admin(sandbox_url: str) -> Iterator[SandboxAdmin]:
    with SandboxAdmin(sandbox_url) as admin:
        yield admin


@pytest.fixture(autouse=True)
def _no_faults_left_behind(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that switches faults on never leaks them into the next test."""
    url = (
        request.getfixturevalue("sandbox_url") if "sandbox_server" in request.fixturenames else None
    )
    yield
    if url is not None:
        with SandboxAdmin(url) as admin:
            admin.clear_faults()


@pytest.fixture
def sandbox_login(sandbox_url: str) -> Callable[..., TokenSet]:
    """``sandbox_login("nl")`` → fresh tokens of that realm's demo user (a real login)."""

    def login(realm: str = "be", **kwargs: str) -> TokenSet:
        return login_with_password(sandbox_url, realm, **kwargs)

    return login


@pytest.fixture
def sandbox_api(sandbox_server: SandboxServer) -> Iterator[Callable[..., httpx.Client]]:
    """``sandbox_api("be")`` → an httpx client on ``/api/v1`` logged in to that realm."""
    clients: list[httpx.Client] = []

    def make(realm: str = "be", tokens: TokenSet | None = None) -> httpx.Client:
        tokens = tokens or login_with_password(sandbox_server.url, realm)
        client = httpx.Client(base_url=sandbox_server.api_url, headers=tokens.headers, timeout=70)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def fresh_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    """A private sandbox (for tests that restart or stop it)."""
    server = SandboxServer(tmp_path / "data", port=0, seed_documents=3)
    server.start()
    try:
        yield server
    finally:
        server.stop()
