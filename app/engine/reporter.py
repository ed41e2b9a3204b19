"""Delivery reports to the platform, many per request, each recorded once it was sent.

A full sync delivers hundreds of documents a second; one ``POST`` and one SQLite commit each
cost more than the download itself (on the agent and on the platform). So reports go out in
batches (``POST /documents/delivery``) and the state of a whole batch is written in one
commit. A report is sent at once when nothing else is being delivered, so a lone document is
reported as fast as before; while other documents are on their way, it waits for them a
little (at most ``LINGER_S``, or until ``FILL_TO`` reports are ready), so a busy sync sends
dozens per request.

The order that makes a kill at any instant safe is kept for every document: files in place,
then the report, then the state that says so. A batch lost to a kill or a refused commit is
reported again by the next pass (reports are idempotent) and its files are recognised.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.api.models import DeliveryReport, DeliveryReportOutcome
from app.core.failures import Failure, FailureCode
from app.engine.delivery import run_io, sync_folders
from app.platform.errors import PlatformError
from app.platforms.port import Platform

log = logging.getLogger(__name__)

MAX_BATCH = 100
FILL_TO = 50
LINGER_S = 0.1


@dataclass
class PendingReport:
    """One document's report, and what to record once it reached the platform."""

    document_id: str
    report: DeliveryReport
    record: Any  # handed back to the ``commit`` callback as is
    folders: frozenset[str] = frozenset()  # fsynced before the report says files are there
    done: asyncio.Future[None] = field(init=False)

    def __post_init__(self) -> None:
        self.done = asyncio.get_running_loop().create_future()


class Reporter:
    """Sends reports in batches and records each batch with one call to ``commit``.

    ``commit`` gets the pending reports the platform took (or refused for good, which is
    recorded too, as a single report always was); it raises to leave them all unrecorded.
    """

    def __init__(
        self,
        client: Platform,
        commit: Callable[[Sequence[PendingReport]], None],
        *,
        more_coming: Callable[[], bool] = lambda: False,
        max_batch: int = MAX_BATCH,
        fill_to: int = FILL_TO,
        linger_s: float = LINGER_S,
    ) -> None:
        self._client = client
        self._commit = commit
        self._more_coming = more_coming
        self._max_batch = max_batch
        self._fill_to = min(fill_to, max_batch)
        self.linger_s = linger_s
        self._arrived = asyncio.Event()
        self._waiting: list[PendingReport] = []
        self._sender: asyncio.Task[None] | None = None
        # A platform that declares no batch reports is never sent one.
        self._batches_supported = client.capabilities.batch_reports

    async def submit(self, pending: PendingReport) -> None:
        """Report and record one document; raises what stopped it (a transient platform
        error: try again later; anything else: the document stays queued)."""
        self._waiting.append(pending)
        self._arrived.set()
        if self._sender is None or self._sender.done():
            self._sender = asyncio.create_task(self._send_all(), name="ferry-reports")
        await pending.done

    async def aclose(self) -> None:
        """The engine closes: a batch being sent is cut short (the next pass reports it again,
        reports being idempotent) and no task outlives the engine's loop."""
        sender, self._sender = self._sender, None
        if sender is not None and not sender.done():
            sender.cancel()
            await asyncio.wait([sender])

    def nudge(self) -> None:
        """Something changed what ``more_coming`` says (a delivery ended without a report):
        look again now rather than at the end of the wait."""
        self._arrived.set()

    async def _send_all(self) -> None:
        batch: list[PendingReport] = []
        try:
            while self._waiting:
                await self._fill()
                batch = self._waiting[: self._max_batch]
                del self._waiting[: self._max_batch]
                try:
                    folders = set().union(*(pending.folders for pending in batch))
                    if folders:  # the renames are durable before the platform hears of them
                        await run_io(sync_folders, sorted(folders))
                    recorded = await self._send(batch)
                    self._commit(recorded)
                except Exception as error:  # each document's caller decides what it means
                    for pending in batch:
                        if not pending.done.done():
                            pending.done.set_exception(error)
                    continue
                for pending in batch:
                    if not pending.done.done():
                        pending.done.set_result(None)
        except BaseException:  # cancelled (the engine stops): nobody waits for ever
            for pending in [*batch, *self._waiting]:
                pending.done.cancel()
            self._waiting.clear()
            raise

    async def _fill(self) -> None:
        """Wait a little for the reports of documents still being delivered."""
        loop = asyncio.get_running_loop()
        until = loop.time() + self.linger_s
        while len(self._waiting) < self._fill_to and self._more_coming():
            remaining = until - loop.time()
            if remaining <= 0:
                return
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    async def _send(self, batch: list[PendingReport]) -> list[PendingReport]:
        """The reports of ``batch`` that are to be recorded; the others' futures are failed."""
        if self._batches_supported and len(batch) > 1:
            try:
                results = await self._client.report_deliveries(
                    [(p.document_id, p.report) for p in batch]
                )
            except PlatformError as error:
                if error.transient:
                    raise
                if error.status in (404, 405):
                    log.info("the platform takes no batch of reports; reporting one by one")
                    self._batches_supported = False
                else:
                    log.warning("the platform refused a batch of reports (%s); one by one", error)
                return await self._send_one_by_one(batch)
            if len(results) != len(batch):  # not what the contract says: be safe, retry
                raise PlatformError(
                    Failure.of(
                        FailureCode.PLATFORM_INCONSISTENT, sent=len(batch), answered=len(results)
                    )
                )
            for pending, result in zip(batch, results, strict=True):
                if result.outcome is not DeliveryReportOutcome.RECORDED:
                    log.warning(
                        "the platform refused the report of %s: %s",
                        pending.document_id,
                        result.detail or result.outcome.value,
                    )
            return batch
        return await self._send_one_by_one(batch)

    async def _send_one_by_one(self, batch: list[PendingReport]) -> list[PendingReport]:
        recorded: list[PendingReport] = []
        for index, pending in enumerate(batch):
            try:
                await self._client.report_delivery(pending.document_id, pending.report)
            except PlatformError as error:
                if error.transient:  # the platform is busy or away: the rest waits too
                    for later in batch[index:]:
                        if not later.done.done():
                            later.done.set_exception(error)
                    break
                log.warning("the platform refused the report of %s: %s", pending.document_id, error)
            recorded.append(pending)
        return recorded
