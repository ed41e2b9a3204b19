"""The engine through the platform port: it adapts to what a platform can do (issue 19).

Ferry's own API, served by the sandbox, does everything; a platform like Billit's feed has no
long-poll (read at most once a minute), no tasks and no resend. The engine must read such a
feed at the pace it allows, never hold its request open, never ask it for tasks, and deliver
again itself what a person sends to the integrations again. Here the adapter is Ferry's own
client over real HTTP to the sandbox, declaring fewer capabilities, and counting what the
engine asked of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from app.api.models import ChangePage
from app.auth.account import StoredLogin
from app.auth.session import TokenSession
from app.engine.engine import Engine
from app.engine.messages import Stop
from app.platform.client import PlatformClient
from app.platforms.port import FULL, Capabilities, Platform, unsupported
from app.settings import Destination
from tests.engine.conftest import Office
from tests.engine.helpers import assert_forwarded_exactly

#: A feed read at most once a second (Billit's is once a minute), with no tasks and no resend.
PACED = Capabilities(long_poll=False, min_poll_interval_s=1.0, tasks=False, resend=False)


class CountingClient(PlatformClient):
    """Ferry's own client declaring ``capabilities``, with what the engine asked of it."""

    def __init__(self, capabilities: Capabilities, *args: Any) -> None:
        super().__init__(*args)
        self.capabilities = capabilities
        self.reads: list[tuple[float, float]] = []  # (monotonic, wait) of each feed read
        self.asked: list[str] = []

    async def changes(
        self, cursor: str | None = None, *, wait: float = 0, limit: int = 200
    ) -> ChangePage:
        self.reads.append((time.monotonic(), wait))
        return await super().changes(cursor, wait=wait, limit=limit)

    async def tasks(self, cursor: str | None = None, *, wait: float = 0) -> Any:
        self.asked.append("tasks")
        return await super().tasks(cursor, wait=wait)

    async def resend(self, document_ids: list[str]) -> Any:
        self.asked.append("resend")
        return await super().resend(document_ids)


def _factory(
    capabilities: Capabilities, made: list[CountingClient]
) -> Callable[[StoredLogin, TokenSession, httpx.AsyncClient], Platform]:
    def make(login: StoredLogin, session: TokenSession, http: httpx.AsyncClient) -> Platform:
        assert login.api_url
        client = CountingClient(capabilities, login.api_url, session, http)
        made.append(client)
        return client

    return make


@contextlib.asynccontextmanager
async def _syncing(office: Office, capabilities: Capabilities) -> AsyncIterator[CountingClient]:
    made: list[CountingClient] = []
    engine = Engine(office.home, long_poll_s=5, platform=_factory(capabilities, made))
    await engine.open()
    task = asyncio.create_task(engine.run(), name="test-engine-run")
    try:
        yield made[0]
    finally:
        engine.command_queue().put_nowait(Stop())
        await asyncio.wait_for(task, 60)
        await engine.close()


async def _until(condition: Callable[[], bool], timeout: float = 30) -> None:
    give_up = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < give_up, "timed out"
        await asyncio.sleep(0.05)


async def test_a_feed_without_long_poll_is_read_at_its_pace_and_never_asked_for_tasks(
    office: Office,
) -> None:
    client_ = office.new_client("Paced Bakery BV")
    first = office.add(client_, "purchase")
    office.configure(
        [Destination(name="Books", general_path=f"{office.root}/books")], {client_.id: ["Books"]}
    )
    task = office.admin.add_task(office.realm, "full_sync", client_id=client_.id)
    async with _syncing(office, PACED) as platform:
        await _until(lambda: office.on_platform(first.id).status.value == "forwarded")
        later = office.add(client_, "sales")  # found by a later read, not a held request
        await _until(lambda: office.on_platform(later.id).status.value == "forwarded")
        await asyncio.sleep(2.5)  # idle: the feed is read on its schedule, no faster
    assert_forwarded_exactly(
        office, {first.id: office.root / "books", later.id: office.root / "books"}
    )
    assert len(platform.reads) >= 3
    assert all(wait == 0 for _, wait in platform.reads), platform.reads
    gaps = [b - a for (a, _), (b, _) in zip(platform.reads, platform.reads[1:], strict=False)]
    assert min(gaps) >= PACED.min_poll_interval_s - 0.05, gaps
    assert "tasks" not in platform.asked
    # the platform's task is left for an agent that can do it
    assert office.admin.task(office.realm, task.id).status.value == "queued"


async def test_send_to_integrations_without_resend_delivers_again_here(office: Office) -> None:
    client_ = office.new_client("No Resend NV")
    document = office.add(client_, "purchase")
    office.configure(
        [Destination(name="Books", general_path=f"{office.root}/books")], {client_.id: ["Books"]}
    )
    made: list[CountingClient] = []
    engine = Engine(office.home, platform=_factory(PACED, made))
    await engine.open()
    try:
        assert (await engine.sync_once()).delivered == 1
        written = office.root / "books" / document.files[0].name
        written.unlink()  # the accounting software took it; the office wants it again
        await engine.resend([document.id])
        summary = await engine.sync_once("resend")
    finally:
        await engine.close()
    assert summary.delivered == 1
    assert written.read_bytes() == office.uploaded[document.id][document.files[0].id]
    assert made[0].asked == []  # the platform was not asked to resend


def test_ferry_s_own_api_does_everything() -> None:
    assert PlatformClient.capabilities == FULL
    assert unsupported(FULL) == []
    assert unsupported(PACED) == ["long_poll", "resend", "tasks"]
    assert PACED.poll_wait(30) == 0 and FULL.poll_wait(30) == 30


class ReportCountingClient(CountingClient):
    """Also counts the statuses the engine reported."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.reported: list[str] = []

    async def report_delivery(self, document_id: str, report: Any) -> Any:
        self.reported.append(report.status)
        return await super().report_delivery(document_id, report)

    async def report_deliveries(self, reports: list[tuple[str, Any]]) -> Any:
        self.reported += [report.status for _, report in reports]
        return await super().report_deliveries(reports)


async def test_an_error_the_platform_cannot_take_is_kept_here_and_tried_again(
    office: Office,
) -> None:
    """No Error report (Billit's feed): the document is in Error in Ferry, with why, while the
    platform still has it To fetch; once the folder can be written, it is delivered and
    reported Forwarded, once."""
    client_ = office.new_client("Kept Here BV")
    document = office.add(client_, "purchase")
    office.root.mkdir(parents=True, exist_ok=True)
    blocked = office.root / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    office.configure(
        [Destination(name="Books", general_path=f"{blocked}/books")], {client_.id: ["Books"]}
    )
    no_errors = Capabilities(error_reports=False, name="Billit")
    made: list[ReportCountingClient] = []

    def make(login: StoredLogin, session: TokenSession, http: httpx.AsyncClient) -> Platform:
        assert login.api_url
        made.append(ReportCountingClient(no_errors, login.api_url, session, http))
        return made[0]

    engine = Engine(office.home, platform=make)
    await engine.open()
    try:
        first = await engine.sync_once()
        assert first.failed == 1, first
        kept = engine.store.document(document.id)
        assert kept is not None and kept["status"] == "error"
        codes = [failure["code"] for failure in kept["failures"]]
        assert codes == ["not_a_folder", "not_reported"]
        assert "Not reported to Billit, which takes no error reports" in kept["message"]
        assert office.on_platform(document.id).status.value == "to_fetch"
        assert made[0].reported == []
        blocked.unlink()  # the folder can be made now
        await engine.retry([document.id])
        assert (await engine.sync_once("retry")).delivered == 1
    finally:
        await engine.close()
    assert made[0].reported == ["forwarded"]
    assert_forwarded_exactly(office, {document.id: blocked / "books"})


async def test_a_platform_without_batch_reports_is_sent_each_report_alone(
    office: Office,
) -> None:
    client_ = office.new_client("One By One BV")
    documents = [office.add(client_, "other") for _ in range(12)]
    office.configure(
        [Destination(name="Books", general_path=f"{office.root}/books")], {client_.id: ["Books"]}
    )
    single = Capabilities(batch_reports=False)
    made: list[ReportCountingClient] = []
    batches: list[int] = []

    class NoBatches(ReportCountingClient):
        async def report_deliveries(self, reports: list[tuple[str, Any]]) -> Any:
            batches.append(len(reports))
            return await super().report_deliveries(reports)

    def make(login: StoredLogin, session: TokenSession, http: httpx.AsyncClient) -> Platform:
        assert login.api_url
        made.append(NoBatches(single, login.api_url, session, http))
        return made[0]

    engine = Engine(office.home, concurrency=4, platform=make)
    await engine.open()
    try:
        assert (await engine.sync_once()).delivered == 12
    finally:
        await engine.close()
    assert batches == []
    assert made[0].reported == ["forwarded"] * 12
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})
