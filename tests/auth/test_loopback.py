"""The redirect listener: only 127.0.0.1, only the right state ends it, the page says the truth."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from app.auth.loopback import LoginCancelled, LoginTimedOut, LoopbackListener, Verdict
from app.core.language import Language


async def _get(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.get(url)


async def test_stray_requests_do_not_end_the_login() -> None:
    listener = LoopbackListener("the-state")
    redirect = await listener.start()
    base = redirect.rsplit("/", 1)[0]
    assert (await _get(f"{base}/favicon.ico")).status_code == 404
    wrong = await _get(f"{redirect}?code=abc&state=forged")
    assert wrong.status_code == 400 and "does not belong to the login" in wrong.text
    missing = await _get(f"{redirect}?code=abc")
    assert missing.status_code == 400
    right = asyncio.create_task(_get(f"{redirect}?code=the-code&state=the-state"))
    callback = await listener.wait(5)
    assert callback.code == "the-code"
    listener.settle(Verdict(True, " as Alice"))
    page = await right
    assert page.status_code == 200
    assert "You are logged in to Ferry as Alice; you can close this tab." in page.text
    await listener.close()
    with pytest.raises(httpx.ConnectError):
        await _get(redirect)


async def test_the_page_tells_a_failure_in_the_users_language() -> None:
    listener = LoopbackListener("s", language=Language.FR)
    redirect = await listener.start()
    answer = asyncio.create_task(_get(f"{redirect}?error=access_denied&state=s"))
    callback = await listener.wait(5)
    assert callback.error == "access_denied"
    listener.settle(Verdict(False, "la connexion a été refusée"))
    page = await answer
    assert page.status_code == 400
    assert "Ferry n'a pas pu vous connecter : la connexion a été refusée" in page.text
    await listener.close()


async def test_listens_on_loopback_only() -> None:
    listener = LoopbackListener("s")
    redirect = await listener.start()
    assert redirect.startswith("http://127.0.0.1:")
    port = int(redirect.split(":")[2].split("/")[0])
    assert listener._server is not None
    hosts = {sock.getsockname()[0] for sock in listener._server.sockets}
    assert hosts == {"127.0.0.1"}
    other = _non_loopback_address()
    if other:
        with pytest.raises(OSError), socket.create_connection((other, port), timeout=2):
            pass
    await listener.close()


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent for a UDP connect
            address: str = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


async def test_timeout_and_cancel() -> None:
    listener = LoopbackListener("s")
    await listener.start()
    with pytest.raises(LoginTimedOut):
        await listener.wait(0.2)
    listener.cancel()
    with pytest.raises(LoginCancelled):
        await listener.wait(1)
    await listener.close()


async def test_garbage_on_the_socket_is_answered_and_ignored() -> None:
    listener = LoopbackListener("s")
    redirect = await listener.start()
    port = int(redirect.split(":")[2].split("/")[0])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"BREW /coffee HTCPCP/1.0\r\n\r\n")
    await writer.drain()
    reply = await reader.read()
    assert reply.startswith(b"HTTP/1.1 405")
    writer.close()
    with pytest.raises(LoginTimedOut):
        await listener.wait(0.1)
    await listener.close()
