"""Billit's description, its fake over real HTTP, and Prism: the peers the Billit tests need.

Every HTTP client handed out here checks each answer it receives against the description
(:class:`~tests.platforms.billit.description.AnswerChecker`) before the code under test sees
it, so no test of the fake can pass on an answer Billit would never give.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from app.platforms.billit.client import ApiKey, BillitClient
from app.platforms.billit.fake import BillitFake
from tests.platforms.billit import description as spec

PRISM = spec.REPO / "tests" / "npm" / "node_modules" / ".bin" / "prism"

#: Short enough that a test waits for it, long enough that two reads in a row are refused.
FEED_INTERVAL_S = 1.5


@pytest.fixture(scope="session")
def description() -> dict[str, Any]:
    return spec.load()


@pytest.fixture(scope="session")
def checker(description: dict[str, Any]) -> spec.AnswerChecker:
    return spec.AnswerChecker(description)


@pytest.fixture
def fake() -> Iterator[BillitFake]:
    """A fresh fake per test (its state is the test's), reading the feed every 1.5 s."""
    with BillitFake(feed_interval_s=FEED_INTERVAL_S) as running:
        yield running


@pytest.fixture
async def checked_http(checker: spec.AnswerChecker) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client that checks every answer against the description as it arrives."""

    async def check(response: httpx.Response) -> None:
        await response.aread()
        request = response.request
        checker.check(request.method, request.url.path, response.status_code, response.content)

    async with httpx.AsyncClient(event_hooks={"response": [check]}) as http:
        yield http


@pytest.fixture
def billit(fake: BillitFake, checked_http: httpx.AsyncClient) -> BillitClient:
    """Ferry's Billit client on the fake, logged in with the office's API key."""
    return BillitClient(
        fake.url, ApiKey(fake.api_key), checked_http, office_party_id=fake.office_party_id
    )


# --- Prism -------------------------------------------------------------------------------------


@dataclass
class Prism:
    """A running ``prism mock --errors`` on the corrected description, and every answer it gave."""

    url: str
    answers: list[httpx.Response] = field(default_factory=list)

    def violations(self) -> list[str]:
        """Every answer that says the request broke the description: a 4xx (Prism's answer to
        a request it refuses: 400, 401, 404, 415, 422...) or a violation located in the request
        in its ``sl-violations`` header.

        A 500 whose violations are all in the *response* is Prism's own example breaking the
        description (its static ``"string"`` is no base64 for a ``format: byte``), not a fault
        of the request: those are kept apart in :meth:`own_faults`.
        """
        found = []
        for answer in self.answers:
            in_request = [v for v in _said(answer) if v.get("location", [""])[0] != "response"]
            if 400 <= answer.status_code < 500 or in_request:
                request = answer.request
                found.append(
                    f"{request.method} {request.url.path} -> {answer.status_code} "
                    f"{in_request or answer.text[:2000]}"
                )
        return found

    def own_faults(self) -> list[str]:
        """Answers where Prism's generated example broke the description's response schema."""
        return [
            f"{a.request.method} {a.request.url.path}: {v.get('message')}"
            for a in self.answers
            for v in _said(a)
            if v.get("location", [""])[0] == "response"
        ]


def _said(answer: httpx.Response) -> list[dict[str, Any]]:
    """The violations Prism listed in ``sl-violations`` (a JSON list)."""
    text = answer.headers.get("sl-violations")
    if not text:
        return []
    value = json.loads(text)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def prism_server(
    description: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Prism mocking Billit's corrected description on 127.0.0.1, for the session."""
    assert PRISM.exists(), "run scripts/setup first (it installs Prism from tests/npm)"
    folder = tmp_path_factory.mktemp("prism")
    corrected = spec.write_corrected(description, folder)
    port = _free_port()
    log = (folder / "prism.log").open("w")
    process = subprocess.Popen(
        [str(PRISM), "mock", str(corrected), "-h", "127.0.0.1", "-p", str(port), "--errors"],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=folder,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"prism stopped: {(folder / 'prism.log').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError("prism did not listen within 60 s") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        log.close()


@pytest.fixture
async def prism(prism_server: str) -> AsyncIterator[tuple[Prism, httpx.AsyncClient]]:
    """Prism and an httpx client that records each of its answers."""
    found = Prism(prism_server)

    async def record(response: httpx.Response) -> None:
        await response.aread()
        found.answers.append(response)

    async with httpx.AsyncClient(event_hooks={"response": [record]}) as http:
        yield found, http
