"""Delivery reports in batches: many per request while a sync is busy, a lone document at
once, and one by one on a platform that has no batch endpoint."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from app.api.models import DeliveryReport, DeliveryReportResult
from app.core.failures import Action
from app.engine.engine import Engine
from tests.engine.conftest import Office
from tests.engine.helpers import (
    assert_forwarded_exactly,
    one_destination,
    running,
    settle,
)


def spy_on_reports(engine: Engine) -> tuple[list[int], list[str]]:
    """The sizes of the batches and the ids of the single reports the engine sends (the real
    calls still go to the sandbox)."""
    batches: list[int] = []
    singles: list[str] = []
    client = engine.client
    real_batch, real_single = client.report_deliveries, client.report_delivery

    async def batch(reports: list[tuple[str, DeliveryReport]]) -> list[DeliveryReportResult]:
        batches.append(len(reports))
        return await real_batch(reports)

    async def single(document_id: str, report: DeliveryReport) -> Any:
        singles.append(document_id)
        return await real_single(document_id, report)

    client.report_deliveries = batch  # type: ignore[method-assign]
    client.report_delivery = single  # type: ignore[method-assign]
    return batches, singles


async def test_a_busy_sync_reports_in_batches_and_records_every_document(
    office: Office,
) -> None:
    documents = one_destination(office, 40, kind="other")
    async with running(office, concurrency=4) as engine:
        batches, singles = spy_on_reports(engine)
        summary = await engine.sync_once()
        assert (summary.delivered, summary.failed, summary.errors) == (40, 0, [])
        assert engine.store.queue_size() == 0
        assert len(engine.store.documents("forwarded")) >= 40
    assert sum(batches) + len(singles) == 40, "each document reported once"
    assert max(batches, default=0) > 1
    assert len(batches) + len(singles) < 20, f"batches {batches}, singles {len(singles)}"
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})


async def test_a_lone_document_is_reported_without_waiting_for_a_batch(office: Office) -> None:
    (document,) = one_destination(office, 1)
    # documents of a client not linked, handled (and left alone) beside it: none is reported,
    # so the report must not wait for them
    stranger = office.new_client("Not Linked BV")
    for n in range(120):
        office.add(stranger, "other", files=[(f"x{n}.pdf", b"%PDF-1.4 x", "application/pdf")])
    async with running(office) as engine:
        engine.reporter.linger_s = 30.0  # a lingering report would show
        batches, singles = spy_on_reports(engine)
        started = time.monotonic()
        summary = await engine.sync_once()
        took = time.monotonic() - started
    assert summary.delivered == 1
    assert (batches, singles) == ([], [document.id])
    assert took < 10
    assert_forwarded_exactly(office, {document.id: office.root / "books"})


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/documents/delivery-nowhere"), ("POST", "/office")],
    ids=["404", "405"],
)
async def test_a_platform_without_batches_gets_the_reports_one_by_one(
    office: Office, method: str, path: str
) -> None:
    """An older platform answers the batch with 404 (no such route) or 405 (not for POST)."""
    documents = one_destination(office, 12, kind="other")
    async with running(office, concurrency=4) as engine:
        calls: list[int] = []
        client = engine.client

        async def older_platform(reports: list[tuple[str, DeliveryReport]]) -> Any:
            calls.append(len(reports))
            await client._request(method, path, Action.REPORT_BATCH, json={"items": []})
            raise AssertionError("the sandbox answered")

        client.report_deliveries = older_platform  # type: ignore[method-assign]
        summary = await engine.sync_once()
        assert (summary.delivered, summary.failed, summary.errors) == (12, 0, [])
        assert len(calls) == 1, "asked once, then never again"
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})


async def test_a_batch_refused_by_a_busy_platform_is_retried_not_lost(office: Office) -> None:
    documents = one_destination(office, 10, kind="other")
    async with running(office, concurrency=4) as engine:
        refused: list[int] = []
        real = engine.client.report_deliveries

        async def throttled_once(reports: list[tuple[str, DeliveryReport]]) -> Any:
            if refused:
                return await real(reports)
            refused.append(len(reports))
            await asyncio.to_thread(office.admin.set_faults, throttle_rate=1.0, retry_after_s=1)
            try:
                return await real(reports)  # a real 429 with Retry-After from the sandbox
            finally:
                await asyncio.to_thread(office.admin.clear_faults)

        engine.client.report_deliveries = throttled_once  # type: ignore[method-assign]
        summary = await engine.sync_once()  # waits for the postponed ones within the pass
        assert (summary.delivered, summary.failed) == (10, 0)
        assert refused and engine.store.queue_size() == 0
        assert engine.store.documents("error") == []
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})


async def test_stopping_while_a_batch_is_on_its_way_leaves_no_task_and_loses_nothing(
    office: Office,
) -> None:
    documents = one_destination(office, 12, kind="other")
    async with running(office, concurrency=4) as engine:
        sending = asyncio.Event()
        real = engine.client.report_deliveries

        async def slow_platform(reports: list[tuple[str, DeliveryReport]]) -> Any:
            sending.set()
            await asyncio.sleep(60)  # the platform takes its time: the engine stops meanwhile
            return await real(reports)

        engine.client.report_deliveries = slow_platform  # type: ignore[method-assign]
        sync = asyncio.create_task(engine.sync_once())
        await asyncio.wait_for(sending.wait(), 30)
        sync.cancel()
        await asyncio.wait([sync])
    # the engine closed: its reporter's sender did not outlive it
    left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert left == [], [t.get_name() for t in left]
    # nothing was recorded as reported, so the next engine reports (and finds the files)
    async with running(office, concurrency=4) as engine:
        await settle(engine)
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})
