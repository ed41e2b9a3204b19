"""The real engine through Billit's faults, as ``tests/engine/test_engine_faults.py`` puts it
through the sandbox's: the fake answers 5xx, 429 with ``Retry-After``, slowly, or drops the
connection half-way through an answer, at random on a seeded schedule, on every ``/v1`` call
(the feed, its files and confirms, the orders, documents and files of a full sync).

What must hold afterwards, as for the sandbox: every document delivered once with Billit's
bytes, every feed item confirmed once with where its file went (a confirm whose answer was
cut may be sent again, which changes nothing), nothing lost, no document in *Error* while
the faults last (a person has nothing to do about a flaky platform), the platform's view
equal to the disk, and the feed never read sooner than Billit allows.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import pytest

from app.core.failures import FailureCode
from app.engine.engine import Engine, RunSummary
from app.platform.errors import PlatformError
from app.platforms.billit.client import ApiKey, BillitClient
from app.platforms.billit.fake import BillitFake, FakeEntity, FakeFaults
from app.platforms.billit.mapping import document_id
from tests.engine.helpers import files_under, temporaries
from tests.platforms.billit.engine_home import COMPUTER, FEED, billit_home, engine, factory, link
from tests.platforms.billit.test_engine_on_fake import RecordingFake, _exported

#: Billit's minute, shortened.
INTERVAL_S = 0.3
#: How long the faults last before they are lifted.
FAULTY_S = 4.0
#: The schedule: about one call in three meets a fault (slow ones on top).
FAULTS = FakeFaults(
    error_rate=0.1,
    throttle_rate=0.1,
    drop_rate=0.1,
    slow_rate=0.1,
    slow_s=0.2,
    retry_after_s=1,
    seed=20261204,
)


def _check_pass(summary: RunSummary, running: Engine) -> None:
    """While the faults last: nothing failed for good, nothing in Error, and a pass that
    ended early says a transient cause, never a refusal."""
    assert summary.failed == 0, summary
    assert running.store.documents("error") == []
    for failure in summary.errors:
        assert failure.transient, failure


async def _settle(running: Engine, passes: int = 6) -> None:
    """Passes (incremental, then a full sync) until one of each has nothing left to do."""
    for _ in range(passes):
        incremental = await running.sync_once()
        full = await running.full_sync()
        done = not incremental.errors and not full.errors
        if done and running.store.queue_size() == 0:
            assert incremental.failed == full.failed == 0, (incremental, full)
            return
        await asyncio.sleep(INTERVAL_S)
    raise AssertionError("the engine did not settle")


async def test_through_faults_every_document_is_delivered_once_and_confirmed_once(
    tmp_path: Path,
) -> None:
    with RecordingFake(feed_interval_s=INTERVAL_S) as fake:
        home = billit_home(tmp_path / "home", fake.url, fake.office_party_id)
        clients = [fake.add_client(f"Fault Test {n} BV", f"BE0{n}23456749") for n in range(3)]
        books = tmp_path / "out" / "books"
        link(home, str(books), clients)
        # Exported before the feed: only a full sync finds them.
        listed = [_exported(fake, clients[n % 3], n) for n in range(60)]
        running = engine(home, factory(fake.api_key, fake.office_party_id, INTERVAL_S))
        await running.open()
        try:
            assert (await running.sync_once()).delivered == 0  # registers the feed
            fed = [_exported(fake, clients[n % 3], n) for n in range(60, 300)]
            fake.set_faults(FAULTS)

            async def lift() -> None:
                await asyncio.sleep(FAULTY_S)
                fake.clear_faults()

            lifting = asyncio.create_task(lift())
            try:
                while not lifting.done():
                    _check_pass(await running.sync_once(), running)
                    _check_pass(await running.full_sync(), running)
            finally:
                await lifting
            await _settle(running)
            stored = {_id(e): running.store.document(_id(e)) for e in listed + fed}
        finally:
            await running.close()
    served = fake.faults_served
    assert min(served.values()) > 0, served  # every kind of fault came

    # The disk: every document's file once, with Billit's bytes, nothing else.
    expected = {books / e.file_name for e in listed + fed}
    assert files_under(tmp_path / "out") == expected
    assert temporaries(tmp_path / "out") == []
    for entity in listed + fed:
        assert (books / entity.file_name).read_bytes() == entity.content
    # Ferry's state: every document Forwarded, where its file is.
    for entity in listed + fed:
        record = stored[_id(entity)]
        assert record is not None and record["status"] == "forwarded", record
        assert record["locations"] == [str(books / entity.file_name)]
    # Billit's view: each feed item confirmed for good once, naming this computer and the
    # path its file is at; the feed empty; nothing confirmed for what the listings gave.
    took = [c for c in fake.confirmations if c.changed]
    assert len(took) == len(fed)
    assert Counter(c.item_id for c in took).most_common(1)[0][1] == 1
    assert {c.remote_path for c in took} == {str(books / e.file_name) for e in fed}
    assert {c.remote_server_name for c in took} == {COMPUTER}
    assert fake.unconfirmed(FEED) == []
    # The feed never read sooner than allowed, whatever the faults did to the reads.
    assert fake.busy_answers() == 0, fake.reads
    assert min(fake.gaps()) >= INTERVAL_S - 0.05, fake.gaps()


def _id(entity: FakeEntity) -> str:
    return document_id(entity.entity_type, entity.entity_id)


# --- each fault as the client words it ------------------------------------------------------


@pytest.mark.parametrize(
    ("faults", "code"),
    [
        (
            FakeFaults(error_rate=1.0),
            {FailureCode.PLATFORM_UNAVAILABLE, FailureCode.PLATFORM_ERROR},
        ),
        (FakeFaults(throttle_rate=1.0, retry_after_s=7), {FailureCode.PLATFORM_BUSY}),
        (FakeFaults(drop_rate=1.0), {FailureCode.OFFLINE}),
    ],
)
async def test_each_fault_is_a_transient_failure_in_ferrys_codes(
    faults: FakeFaults, code: set[FailureCode]
) -> None:
    with BillitFake(feed_interval_s=INTERVAL_S) as fake:
        fake.add_order(fake.add_client("Bakkerij Peeters BV", "BE0123456749"))
        fake.set_faults(faults)
        async with httpx.AsyncClient() as http:
            billit = BillitClient(fake.url, ApiKey(fake.api_key), http, office_party_id=1000)
            with pytest.raises(PlatformError) as raised:
                await billit.account_information()
    assert raised.value.failure.code in code, raised.value.failure
    assert raised.value.transient
    if faults.throttle_rate:
        assert raised.value.retry_after == 7


def test_the_same_seed_brings_the_same_faults() -> None:
    """A failing run can be played again: the schedule is the seed's."""

    def schedule(seed: int) -> list[tuple[str | None, bool, int]]:
        fake = BillitFake()
        fake.set_faults(FakeFaults(error_rate=0.2, drop_rate=0.2, slow_rate=0.3, seed=seed))
        return [fake._roll() for _ in range(200)]

    assert schedule(1) == schedule(1)
    assert schedule(1) != schedule(2)
    kinds = Counter(kind for kind, _, _ in schedule(1))
    assert 20 < kinds["error"] < 60 and 20 < kinds["drop"] < 60, kinds


async def test_a_confirm_whose_answer_was_cut_is_not_confirmed_twice(tmp_path: Path) -> None:
    """Billit took the confirm, but its answer never came: Ferry cannot tell, tries the
    report again, finds the item gone from the feed, reads the document by its id, and
    records it Forwarded without a second confirm, never in Error, its file written once."""
    with RecordingFake(feed_interval_s=INTERVAL_S) as fake:
        home = billit_home(tmp_path / "home", fake.url, fake.office_party_id)
        client = fake.add_client("Cut Short BV", "BE0123456749")
        books = tmp_path / "out" / "books"
        link(home, str(books), [client])
        running = engine(home, factory(fake.api_key, fake.office_party_id, INTERVAL_S))
        await running.open()
        try:
            await running.sync_once()  # registers the feed
            invoice = _exported(fake, client, 0)
            fake.set_faults(FakeFaults(drop_rate=1.0, only=r"/confirm$"))

            async def lift_once_confirmed() -> None:
                while not fake.confirmations:
                    await asyncio.sleep(0.01)
                fake.clear_faults()

            lifting = asyncio.create_task(lift_once_confirmed())
            summary = await running.sync_once()
            await lifting
            # One pass: the report tried again in it finds its way (not refused for good,
            # not left for the next read of the feed).
            assert (summary.delivered, summary.failed, summary.errors) == (1, 0, []), summary
            assert running.store.queue_size() == 0
            record = running.store.document(_id(invoice))
        finally:
            await running.close()
    assert fake.faults_served["drop"] == 1
    assert record is not None and record["status"] == "forwarded", record
    assert [(c.item_id, c.changed) for c in fake.confirmations] == [
        (fake.confirmations[0].item_id, True)
    ]
    assert files_under(tmp_path / "out") == {books / invoice.file_name}
    assert (books / invoice.file_name).read_bytes() == invoice.content
