"""Platform errors carry a Failure: a real HTTP server on this computer answers each status,
and each answer (or the lack of one) becomes the right code with the right parameters."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from app.core.failures import Action, FailureCode, OfflineReason
from app.core.language import Language
from app.platform.errors import (
    PlatformError,
    PlatformUnreachable,
    error_from_exception,
    error_from_response,
    not_understood,
)


class _Answers(BaseHTTPRequestHandler):
    """``/problem/<status>``: problem+json; ``/plain/<status>``: text; ``/cut``: a body that
    stops half-way; ``/slow``: an answer that takes seconds."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        kind, _, status_text = self.path.strip("/").partition("/")
        if kind == "cut":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"x" * 1000)
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if kind == "slow":
            time.sleep(3)
            self.send_response(204)
            self.end_headers()
            return
        status = int(status_text)
        if kind == "problem":
            body = json.dumps(
                {"title": "Refused", "status": status, "detail": f"detail of {status}"}
            ).encode()
            content_type = "application/problem+json"
        else:
            body = b"<html>not json</html>"
            content_type = "text/html"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status == 429:
            self.send_header("Retry-After", "120")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    running = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    running.daemon_threads = True
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{running.server_address[1]}"
    finally:
        running.shutdown()
        running.server_close()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(5.0)) as client:
        yield client


@pytest.mark.parametrize(
    ("status", "code", "transient"),
    [
        (401, FailureCode.LOGIN_REFUSED, False),
        (403, FailureCode.FORBIDDEN, False),
        (404, FailureCode.PLATFORM_NOT_FOUND, False),
        (409, FailureCode.PLATFORM_REFUSED, False),
        (422, FailureCode.PLATFORM_REFUSED, False),
        (408, FailureCode.PLATFORM_UNAVAILABLE, True),
        (429, FailureCode.PLATFORM_BUSY, True),
        (500, FailureCode.PLATFORM_ERROR, True),
        (502, FailureCode.PLATFORM_UNAVAILABLE, True),
        (503, FailureCode.PLATFORM_UNAVAILABLE, True),
        (504, FailureCode.PLATFORM_UNAVAILABLE, True),
    ],
)
async def test_each_status_gives_its_code(
    server: str, http: httpx.AsyncClient, status: int, code: FailureCode, transient: bool
) -> None:
    response = await http.get(f"{server}/problem/{status}")
    error = error_from_response(response, Action.DOWNLOAD, document="doc_42")
    failure = error.failure
    assert failure.code is code
    assert error.transient is failure.transient is transient
    assert error.status == status
    assert dict(failure.params) | {"retry_at": "-"} == {
        "action": "download",
        "document": "doc_42",
        "status": str(status),
        "detail": f"detail of {status}",
        "retry_at": "-",
    }
    assert str(error) == failure.message(Language.EN)
    for language in Language:
        text = failure.message(language)
        assert "doc_42" in text and f"detail of {status}" in text


async def test_retry_after_becomes_the_retry_time(server: str, http: httpx.AsyncClient) -> None:
    before = time.time()
    response = await http.get(f"{server}/problem/429")
    error = error_from_response(response, Action.LIST_DOCUMENTS)
    assert error.retry_after == 120.0
    retry_at = error.failure.param("retry_at")
    assert retry_at is not None and retry_at.endswith("Z")
    moment = dt.datetime.fromisoformat(retry_at).timestamp()
    assert before + 119 <= moment <= time.time() + 121
    local = dt.datetime.fromtimestamp(moment).strftime("%H:%M")
    assert f"Ferry will try again at {local}." in error.failure.message(Language.EN) or (
        "Ferry will try again on" in error.failure.message(Language.EN)  # just before midnight
    )
    assert local in error.failure.message(Language.FR)
    assert error.failure.key() == "platform_busy"


async def test_an_answer_that_is_not_a_problem_keeps_the_reason_phrase(
    server: str, http: httpx.AsyncClient
) -> None:
    response = await http.get(f"{server}/plain/503")
    error = error_from_response(response, Action.WAIT_CHANGES)
    assert error.failure.code is FailureCode.PLATFORM_UNAVAILABLE
    assert error.failure.param("detail") == "Service Unavailable"
    assert error.failure.param("action") == "wait_changes"
    assert "(503) while waiting for new documents" in str(error)


async def test_a_refusal_names_its_status_and_action_in_the_key(
    server: str, http: httpx.AsyncClient
) -> None:
    keys = set()
    for status, document in [(409, "a"), (409, "b"), (422, "a")]:
        response = await http.get(f"{server}/problem/{status}")
        keys.add(error_from_response(response, Action.REPORT, document=document).failure.key())
    assert keys == {
        "platform_refused|action=report|status=409",
        "platform_refused|action=report|status=422",
    }


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_refused_connection_is_offline(http: httpx.AsyncClient) -> None:
    with pytest.raises(httpx.ConnectError) as raised:
        await http.get(f"http://127.0.0.1:{_closed_port()}/office")
    error = error_from_exception(raised.value, Action.READ_OFFICE)
    assert isinstance(error, PlatformUnreachable) and error.transient
    assert error.failure.code is FailureCode.OFFLINE
    assert error.failure.param("reason") == OfflineReason.REFUSED
    assert error.failure.param("action") == "read_office"
    assert "cannot reach the platform while reading the office's details" in str(error)
    assert "la connexion a été refusée" in error.failure.message(Language.FR)


async def test_a_timeout_is_offline(server: str) -> None:
    async with httpx.AsyncClient(timeout=httpx.Timeout(0.3)) as http:
        with pytest.raises(httpx.TimeoutException) as raised:
            await http.get(f"{server}/slow")
    error = error_from_exception(raised.value, Action.WAIT_TASKS)
    assert error.failure.param("reason") == OfflineReason.TIMEOUT
    assert "het antwoordde niet op tijd" in error.failure.message(Language.NL)


async def test_a_body_cut_half_way_is_offline(server: str, http: httpx.AsyncClient) -> None:
    with pytest.raises(httpx.HTTPError) as raised:
        await http.get(f"{server}/cut")
    error = error_from_exception(raised.value, Action.DOWNLOAD, document="doc_9")
    assert error.failure.param("reason") == OfflineReason.CUT
    assert error.failure.param("document") == "doc_9"
    assert "the connection was cut" in str(error)


async def test_an_answer_not_understood(server: str, http: httpx.AsyncClient) -> None:
    response = await http.get(f"{server}/plain/200")
    error = not_understood(response, Action.LIST_CLIENTS)
    assert isinstance(error, PlatformError) and not error.transient
    assert error.failure.code is FailureCode.PLATFORM_NOT_UNDERSTOOD
    assert error.status == 200
    assert "while listing the clients was not understood" in str(error)
