"""The engine reaches the platform through the proxy of its settings, and stops cleanly.

The proxy is a real one (tests/forward_proxy.py). For the first test the office's login names
a platform that only exists behind it: the sandbox, seen as ``platform.example.test``.
"""

from __future__ import annotations

import asyncio
import time

from app.auth.account import load_login, save_login
from app.engine.messages import Stop, SyncNow
from app.settings import Destination, ProxyMode, ProxySettings, load_settings, save_settings
from tests.engine.conftest import Office
from tests.engine.helpers import running
from tests.forward_proxy import ForwardProxy

FAKE = "platform.example.test"


def _use_proxy(office: Office, proxy: ProxySettings) -> None:
    settings = load_settings(office.home.settings_dir)
    save_settings(office.home.settings_dir, settings.model_copy(update={"proxy": proxy}))


def _link_one_client(office: Office) -> str:
    client = office.new_client("Proxy Partners BV")
    document = office.add(client, "receipt")
    office.configure(
        [Destination(name="D", general_path=f"{office.root}/[enterprise_name]")],
        {client.id: ["D"]},
    )
    return document.id


async def test_the_engine_logs_in_and_syncs_through_the_proxy_of_its_settings(
    office: Office,
) -> None:
    document_id = _link_one_client(office)
    stored = load_login(office.home.settings_dir)
    assert stored is not None
    save_login(
        office.home.settings_dir,
        stored.model_copy(
            update={"issuer": f"http://{FAKE}/realms/be", "api_url": f"http://{FAKE}/api/v1"}
        ),
    )
    with ForwardProxy({FAKE: ("127.0.0.1", office.sandbox.port)}) as proxy:
        _use_proxy(office, ProxySettings(mode=ProxyMode.MANUAL, url=proxy.url))
        async with running(office) as engine:
            summary = await engine.sync_once()
        seen = [(s.method, s.target.split("?")[0]) for s in proxy.requests(FAKE)]
    assert (summary.delivered, summary.failed, summary.errors) == (1, 0, [])
    assert office.on_platform(document_id).status.value == "forwarded"
    # The login (the token endpoint: LoginTarget.proxy) and the API (the shared client).
    assert ("POST", f"http://{FAKE}/realms/be/protocol/openid-connect/token") in seen
    assert ("GET", f"http://{FAKE}/api/v1/changes") in seen
    assert any(target.startswith(f"http://{FAKE}/api/v1/documents/") for _, target in seen)
    assert all(s.host == FAKE for s in proxy.requests())


async def test_the_sandbox_on_this_computer_is_reached_directly(office: Office) -> None:
    document_id = _link_one_client(office)
    with ForwardProxy() as proxy:
        chosen = ProxySettings(mode=ProxyMode.MANUAL, url=proxy.url)
        _use_proxy(office, chosen)
        async with running(office) as engine:
            assert engine._session is not None and engine._session.target.proxy == chosen
            summary = await engine.sync_once()
        assert proxy.requests() == []
    assert (summary.delivered, summary.failed) == (1, 0)
    assert office.on_platform(document_id).status.value == "forwarded"


def _others() -> set[asyncio.Task[object]]:
    return {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}


async def _long_poll(
    not_this: asyncio.Task[object] | None = None, timeout: float = 20
) -> asyncio.Task[object]:
    """The engine's long-poll (another one than ``not_this``), once it is under way."""
    deadline = time.monotonic() + timeout
    while True:
        polls = [
            t
            for t in _others()
            if t.get_name() == "ferry-long-poll" and not t.done() and t is not not_this
        ]
        if polls:
            assert len(polls) == 1, polls
            return polls[0]
        assert time.monotonic() < deadline, "the engine never started its long-poll"
        await asyncio.sleep(0.05)


async def test_stopping_during_a_long_poll_leaves_no_task_behind(office: Office) -> None:
    office.configure([Destination(name="D", general_path=f"{office.root}/x")], {})
    engine = office.engine(long_poll_s=60)
    await engine.open()
    try:
        run = asyncio.create_task(engine.run(), name="test-engine-run")
        first = await _long_poll()
        # A command cuts the wait short: that long-poll ends, another one begins.
        engine.command_queue().put_nowait(SyncNow())
        second = await _long_poll(not_this=first)
        assert first.cancelled()
        assert [t.get_name() for t in _others() if t.get_name() == "ferry-wake"] == ["ferry-wake"]
        # Stopped in the middle of the second one: run() returns with nothing left running.
        engine.command_queue().put_nowait(Stop())
        await asyncio.wait_for(run, 10)
        assert second.cancelled()
        assert _others() == set(), sorted(t.get_name() for t in _others())
    finally:
        await engine.close()
    assert _others() == set()
