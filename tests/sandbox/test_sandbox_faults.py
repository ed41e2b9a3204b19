"""Fault switches: server errors, throttling with Retry-After, dropped connections, latency and
a short token lifetime — on ``/api/v1`` only, switchable at run time."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from app.sandbox.testkit import SandboxAdmin, TokenSet

Api = Callable[..., httpx.Client]


def _a_file_url(api: httpx.Client) -> str:
    document = api.get("/documents", params={"limit": 1}).json()["items"][0]
    return f"/documents/{document['id']}/files/{document['files'][0]['id']}"


def test_error_rate_answers_500_or_503_problems(
    sandbox_api: Api, sandbox_admin: SandboxAdmin
) -> None:
    api = sandbox_api("be")
    sandbox_admin.set_faults(error_rate=1.0, retry_after_s=7)
    statuses = set()
    for _ in range(30):
        answer = api.get("/office")
        assert answer.status_code in (500, 503)
        assert answer.headers["content-type"] == "application/problem+json"
        if answer.status_code == 503:
            assert answer.headers["retry-after"] == "7"
        statuses.add(answer.status_code)
    assert statuses == {500, 503}
    sandbox_admin.clear_faults()
    assert api.get("/office").status_code == 200


def test_throttle_answers_429_with_retry_after(
    sandbox_api: Api, sandbox_admin: SandboxAdmin
) -> None:
    api = sandbox_api("be")
    sandbox_admin.set_faults(throttle_rate=1.0, retry_after_s=3)
    answer = api.get("/documents")
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "3"
    assert answer.json()["status"] == 429


def test_partial_rates_fail_some_requests_only(
    sandbox_api: Api, sandbox_admin: SandboxAdmin
) -> None:
    api = sandbox_api("be")
    sandbox_admin.set_faults(error_rate=0.5)
    statuses = [api.get("/office").status_code for _ in range(60)]
    assert 0 < statuses.count(200) < 60


def test_drop_cuts_the_body_half_way(sandbox_api: Api, sandbox_admin: SandboxAdmin) -> None:
    api = sandbox_api("be")
    url = _a_file_url(api)
    size = len(api.get(url).content)
    sandbox_admin.set_faults(drop_rate=1.0)
    for _ in range(3):
        with pytest.raises(httpx.RemoteProtocolError):
            api.get(url)
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/documents")
    sandbox_admin.clear_faults()
    assert len(api.get(url).content) == size


def test_latency_delays_api_calls_only(
    sandbox_api: Api, sandbox_admin: SandboxAdmin, sandbox_url: str
) -> None:
    api = sandbox_api("be")
    sandbox_admin.set_faults(latency_ms=400)
    started = time.monotonic()
    assert api.get("/office").status_code == 200
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    httpx.get(f"{sandbox_url}/realms/be/.well-known/openid-configuration")
    httpx.get(f"{sandbox_url}/sandbox/faults")
    assert time.monotonic() - started < 0.4


def test_faults_leave_login_and_admin_alone(
    sandbox_admin: SandboxAdmin, sandbox_login: Callable[..., TokenSet]
) -> None:
    sandbox_admin.set_faults(error_rate=1.0, drop_rate=1.0, throttle_rate=1.0)
    tokens = sandbox_login("be")
    assert tokens.access_token
    assert sandbox_admin.clients("be")


def test_short_token_lifetime(
    sandbox_api: Api, sandbox_admin: SandboxAdmin, sandbox_login: Callable[..., TokenSet]
) -> None:
    # long enough that a loaded machine still makes the first call in time
    sandbox_admin.set_faults(access_token_ttl_s=4)
    issued = time.monotonic()
    tokens = sandbox_login("nl")
    assert tokens.expires_in == 4
    api = sandbox_api("nl", tokens)
    assert api.get("/office").status_code == 200
    time.sleep(max(0.0, issued + 5.1 - time.monotonic()))
    expired = api.get("/office")
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["www-authenticate"]
