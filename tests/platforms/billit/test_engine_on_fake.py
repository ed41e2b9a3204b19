"""The real engine on Billit's adapter, against the stateful fake over real HTTP (issue 19).

What the office must be able to count on whichever platform it uses: every item of the feed
delivered once into its folder with the bytes Billit holds and confirmed once with where it
went; an item Ferry could not deliver left unconfirmed (Billit takes no Error report) while
Ferry keeps the error and tries again on its own schedule; the feed read no more often than
Billit allows, whoever asks; and a kill at any moment losing nothing and writing nothing
twice. The fake answers a read within its interval with 429, and records every read and
every confirm, so each of these can fail.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.requests import Request
from starlette.responses import Response

from app.api.models import ErrorReport, TaskOutcome, TaskReport
from app.core.failures import FailureCode
from app.engine.engine import Engine
from app.engine.messages import Stop, SyncNow
from app.home import FerryHome
from app.platform.errors import PlatformError
from app.platforms.billit.adapter import BillitPlatform
from app.platforms.billit.client import BillitClient
from app.platforms.billit.fake import BillitFake, FakeEntity
from app.platforms.billit.mapping import document_id
from tests.conftest import REPO
from tests.engine.helpers import files_under, temporaries
from tests.platforms.billit.engine_home import (
    COMPUTER,
    FEED,
    billit_home,
    engine,
    factory,
    link,
)

#: Billit's minute, shortened so that a test waits for it.
INTERVAL_S = 1.0


class RecordingFake(BillitFake):
    """The fake, also keeping when each feed read came and what it was answered."""

    def __init__(self, feed_interval_s: float) -> None:
        super().__init__(feed_interval_s=feed_interval_s)
        self.reads: list[tuple[float, int]] = []  # (monotonic, status)

    async def _read_feed(self, request: Request) -> Response:
        answer = await super()._read_feed(request)
        self.reads.append((time.monotonic(), answer.status_code))
        return answer

    def busy_answers(self) -> int:
        return sum(1 for _, status in self.reads if status == 429)

    def gaps(self) -> list[float]:
        served = [at for at, status in self.reads if status == 200]
        return [b - a for a, b in itertools.pairwise(served)]


@pytest.fixture
def fake() -> Iterator[RecordingFake]:
    running = RecordingFake(feed_interval_s=INTERVAL_S)
    running.start()
    try:
        yield running
    finally:
        running.stop()


def _exported(fake: BillitFake, client: int, n: int) -> FakeEntity:
    """The n-th export of a test: invoices both ways, a CODA statement, another document."""
    content = b"%PDF-1.7\n" + random.Random(n).randbytes(2000 + 37 * n)
    match n % 4:
        case 0:
            return fake.add_order(client, number=f"P-{n}", file_name=f"p-{n}.pdf", content=content)
        case 1:
            return fake.add_order(
                client, direction="Income", number=f"S-{n}", file_name=f"s-{n}.pdf", content=content
            )
        case 2:
            return fake.add_document(client, file_name=f"stmt-{n}.cod", content=content)
        case _:
            return fake.add_document(client, file_name=f"contract-{n}.pdf", content=content)


def _ferry_id(entity: FakeEntity) -> str:
    return document_id(entity.entity_type, entity.entity_id)


def _assert_delivered_and_confirmed_once(
    fake: BillitFake, entities: list[FakeEntity], folder: Path, root: Path
) -> None:
    """Each entity's file once in ``folder`` with the fake's bytes, nothing else under
    ``root``; each item confirmed, for good, exactly once, naming this computer and the path;
    the feed empty."""
    expected = {folder / e.file_name for e in entities}
    assert files_under(root) == expected
    assert temporaries(root) == []
    for entity in entities:
        assert (folder / entity.file_name).read_bytes() == entity.content
    took = [c for c in fake.confirmations if c.changed]
    assert len(took) == len(entities), fake.confirmations
    assert Counter(c.item_id for c in took).most_common(1)[0][1] == 1
    assert {c.remote_path for c in took} == {str(p) for p in expected}
    assert {c.remote_server_name for c in took} == {COMPUTER}
    assert fake.unconfirmed(FEED) == []


async def _until(condition: Callable[[], bool], timeout: float = 20) -> None:
    give_up = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < give_up, "timed out"
        await asyncio.sleep(0.05)


async def test_the_engine_delivers_the_feed_once_and_confirms_each_item_once(
    fake: RecordingFake, tmp_path: Path
) -> None:
    home = billit_home(tmp_path / "home", fake.url, fake.office_party_id)
    bakery = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    garage = fake.add_client("Garage Willems", "BE0987654312")
    books = tmp_path / "out" / "books"
    link(home, str(books), [bakery, garage])
    made: list[BillitPlatform] = []
    running = engine(home, factory(fake.api_key, fake.office_party_id, INTERVAL_S, made))
    await running.open()
    try:
        assert (await running.sync_once()).delivered == 0  # registers the feed: empty
        assert fake.feed_names() == [FEED]
        first = [_exported(fake, (bakery, garage)[n % 2], n) for n in range(6)]
        summary = await running.sync_once()
        assert summary.delivered == len(first), summary
        assert not summary.errors, summary.errors
        _assert_delivered_and_confirmed_once(fake, first, books, tmp_path / "out")
        # The state says so too, each document of the kind its Billit entity is.
        kinds = {e.file_name: running.store.document(_ferry_id(e)) for e in first}
        assert {name: (d or {}).get("status") for name, d in kinds.items()} == {
            e.file_name: "forwarded" for e in first
        }
        assert [(kinds[e.file_name] or {}).get("kind") for e in first[:4]] == [
            "purchase",
            "sales",
            "statement",
            "other",
        ]

        # Continuous syncing: later exports arrive at the feed's pace, no faster.
        task = asyncio.create_task(running.run(), name="billit-engine-run")
        later = [_exported(fake, garage, n) for n in range(6, 9)]
        await _until(lambda: len([c for c in fake.confirmations if c.changed]) == 9)
        await asyncio.sleep(2.5 * INTERVAL_S)  # idle: read on its schedule
        running.command_queue().put_nowait(Stop())
        await asyncio.wait_for(task, 30)
    finally:
        await running.close()
    _assert_delivered_and_confirmed_once(fake, first + later, books, tmp_path / "out")
    assert fake.busy_answers() == 0, fake.reads
    assert len(fake.reads) >= 4
    assert min(fake.gaps()) >= INTERVAL_S - 0.05, fake.gaps()
    # Every file was fetched once: document() kept it for the download.
    fetched = [r for r in fake.requests if r[0] == "GET" and r[1].count("/") == 5]
    assert len(fetched) == len(first + later), fetched


async def test_an_undelivered_item_stays_in_the_feed_and_is_confirmed_once_delivered(
    fake: RecordingFake, tmp_path: Path
) -> None:
    home = billit_home(tmp_path / "home", fake.url, fake.office_party_id)
    client = fake.add_client("Kept Here BV", "BE0123456749")
    root = tmp_path / "out"
    root.mkdir()
    blocked = root / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    link(home, f"{blocked}/books", [client])
    running = engine(home, factory(fake.api_key, fake.office_party_id, INTERVAL_S))
    await running.open()
    try:
        await running.sync_once()  # registers the feed
        invoice = _exported(fake, client, 0)
        ferry_id = _ferry_id(invoice)
        failed = await running.sync_once()
        assert failed.failed == 1, failed
        kept = running.store.document(ferry_id)
        assert kept is not None and kept["status"] == "error"
        assert kept["failures"] and kept["failures"][0]["code"] == "not_a_folder"
        assert len(fake.unconfirmed(FEED)) == 1
        assert fake.confirmations == []  # nothing reported: Billit takes no Error

        # The item is still in the feed, but a read does not bring the Error back before its
        # time: Ferry retries on its own schedule, not at every read.
        again = await running.sync_once()
        assert (again.delivered, again.failed) == (0, 0), again
        assert fake.confirmations == []

        blocked.unlink()  # the folder can be made now
        assert (await running.retry([ferry_id])).queued == [ferry_id]
        assert (await running.sync_once("retry")).delivered == 1
        kept = running.store.document(ferry_id)
        assert kept is not None and kept["status"] == "forwarded"
    finally:
        await running.close()
    _assert_delivered_and_confirmed_once(fake, [invoice], blocked / "books", root)
    assert fake.busy_answers() == 0


async def test_deliver_again_of_a_confirmed_document_reads_it_from_billit(
    fake: RecordingFake, tmp_path: Path
) -> None:
    """Once confirmed, an item leaves Billit's feed; *Deliver again* reads the order or
    document by its id, as the accountant acting for its client, and its file by its
    ``FileID``: the files are back with Billit's bytes, and nothing is confirmed twice (the
    feed has no item for them any more). After a restart the adapter no longer remembers whose
    documents they are, and finds them in the clients' listings."""
    home = billit_home(tmp_path / "home", fake.url, fake.office_party_id)
    other = fake.add_client("Someone Else BV", "BE0987654312")
    client = fake.add_client("Let Go BV", "BE0123456749")
    books = tmp_path / "out" / "books"
    link(home, str(books), [other, client])
    make = factory(fake.api_key, fake.office_party_id, INTERVAL_S)
    running = engine(home, make)
    await running.open()
    try:
        await running.sync_once()  # registers the feed
        exported = [_exported(fake, client, n) for n in (0, 2)]  # an invoice, a statement
        ids = [_ferry_id(e) for e in exported]
        assert (await running.sync_once()).delivered == 2
        for entity in exported:  # the accounting software took them
            (books / entity.file_name).unlink()
        assert await running.deliver_again(ids, None) == ids
        summary = await running.sync_once("deliver-again")
        assert (summary.delivered, summary.failed) == (2, 0), summary
    finally:
        await running.close()
    _assert_delivered_and_confirmed_once(fake, exported, books, tmp_path / "out")
    read = {path for _, path, _ in fake.requests}
    assert {f"/v1/files/{e.file_id}" for e in exported} <= read

    for entity in exported:
        (books / entity.file_name).unlink()
    await asyncio.sleep(INTERVAL_S)
    restarted = engine(home, make)
    await restarted.open()
    try:
        await restarted.sync_once()  # reads the feed: empty
        assert await restarted.deliver_again(ids, None) == ids
        summary = await restarted.sync_once("deliver-again")
        assert (summary.delivered, summary.failed) == (2, 0), summary
    finally:
        await restarted.close()
    _assert_delivered_and_confirmed_once(fake, exported, books, tmp_path / "out")
    searched = [q.get("$filter") for path, q in fake.queries if path == "/v1/orders"]
    assert f"OrderID eq {exported[0].entity_id}" in searched, searched


async def test_deliver_again_of_a_document_billit_no_longer_has_is_said_not_lost(
    fake: RecordingFake, tmp_path: Path
) -> None:
    """A client deleted the order in Billit after Ferry delivered it: *Deliver again* cannot
    be done. The person is told (the run failed, with why), the document shows as it was
    (Forwarded), and its file stays where it was delivered."""
    home = billit_home(tmp_path / "home", fake.url, fake.office_party_id)
    client = fake.add_client("Let Go BV", "BE0123456749")
    books = tmp_path / "out" / "books"
    link(home, str(books), [client])
    events: list[object] = []
    running = engine(
        home, factory(fake.api_key, fake.office_party_id, INTERVAL_S), on_event=events.append
    )
    await running.open()
    try:
        await running.sync_once()  # registers the feed
        invoice = _exported(fake, client, 0)
        ferry_id = _ferry_id(invoice)
        assert (await running.sync_once()).delivered == 1
        fake.delete(invoice)
        assert await running.deliver_again([ferry_id], None) == [ferry_id]
        summary = await running.sync_once("deliver-again")
        kept = running.store.document(ferry_id)
    finally:
        await running.close()
    assert (summary.delivered, summary.failed) == (0, 1), summary
    said = [f.code for d in summary.failed_documents for f in d.failures]
    assert said == [FailureCode.PLATFORM_NOT_FOUND.value], summary.failed_documents
    assert kept is not None and kept["status"] == "forwarded"
    told = [e for e in events if getattr(e, "document_id", None) == ferry_id]
    assert getattr(told[-1], "status", None) == "forwarded", told
    assert (books / invoice.file_name).read_bytes() == invoice.content


async def test_a_full_sync_delivers_what_the_feed_never_handed_over_once(
    fake: RecordingFake, tmp_path: Path
) -> None:
    """What clients exported before this installation's feed was registered is never in the
    feed; a full sync reads the clients' order and document listings (page by page: one
    client has more than Billit's page of 120) and delivers each of those once. What the feed
    delivered stays delivered, including a file the accounting software took away (Billit
    keeps no delivered status outside its feed: Ferry's own state says it); nothing is
    confirmed but the feed's own items, once; a second full sync writes nothing."""
    home = billit_home(tmp_path / "home", fake.url, fake.office_party_id)
    bakery = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    garage = fake.add_client("Garage Willems", "BE0987654312")
    unlinked = fake.add_client("Not Linked NV", "BE0111111111")
    books = tmp_path / "out" / "books"
    link(home, str(books), [bakery, garage])
    before = [_exported(fake, bakery, n) for n in range(250)]  # 125 orders, 125 documents
    before += [_exported(fake, garage, n) for n in range(250, 255)]
    _exported(fake, unlinked, 255)
    running = engine(home, factory(fake.api_key, fake.office_party_id, INTERVAL_S))
    await running.open()
    try:
        assert (await running.sync_once()).delivered == 0  # registers the feed: empty
        after = [_exported(fake, garage, n) for n in range(256, 259)]
        assert (await running.sync_once()).delivered == 3
        taken = after[0]
        (books / taken.file_name).unlink()  # the accounting software took it
        confirmed = list(fake.confirmations)

        full = await running.full_sync()
        assert not full.errors, full.errors
        assert full.failed == 0, full
        assert fake.confirmations == confirmed  # nothing of the listings is confirmed
        on_disk = {books / e.file_name for e in before + after if e is not taken}
        assert files_under(tmp_path / "out") == on_disk
        for entity in before:
            assert (books / entity.file_name).read_bytes() == entity.content
            kept = running.store.document(_ferry_id(entity))
            assert kept is not None and kept["status"] == "forwarded"

        again = await running.full_sync()
        assert not again.errors and again.failed == 0, again
        assert files_under(tmp_path / "out") == on_disk
        assert fake.confirmations == confirmed
    finally:
        await running.close()
    assert temporaries(tmp_path / "out") == []
    assert fake.busy_answers() == 0, fake.reads
    for listing in ("/v1/orders", "/v1/documents"):  # a second page of the bakery's
        assert "120" in [q.get("$skip") for path, q in fake.queries if path == listing]
    parties = {h.get("partyid") for _, path, h in fake.requests if path == "/v1/orders"}
    assert str(unlinked) not in parties  # a client not linked is not listed


async def test_asking_again_and_again_never_reads_the_feed_sooner_than_allowed(
    fake: RecordingFake, tmp_path: Path
) -> None:
    """A person pressing *Sync now* over and over: each press is a pass, and every pass
    reads the feed, but never within Billit's interval (which it would answer 429)."""
    home = billit_home(tmp_path / "home", fake.url, fake.office_party_id)
    client = fake.add_client("Impatient NV", "BE0123456749")
    books = tmp_path / "out" / "books"
    link(home, str(books), [client])
    running: Engine = engine(home, factory(fake.api_key, fake.office_party_id, INTERVAL_S))
    await running.open()
    task = asyncio.create_task(running.run(), name="billit-engine-run")
    try:
        await _until(lambda: fake.feed_names() == [FEED])
        exported = [_exported(fake, client, n) for n in range(2)]
        give_up = time.monotonic() + 3.5 * INTERVAL_S
        while time.monotonic() < give_up:
            running.command_queue().put_nowait(SyncNow())
            await asyncio.sleep(0.1)
        await _until(lambda: fake.unconfirmed(FEED) == [])
    finally:
        running.command_queue().put_nowait(Stop())
        await asyncio.wait_for(task, 30)
        await running.close()
    assert fake.busy_answers() == 0, fake.reads
    assert len(fake.reads) >= 3
    assert min(fake.gaps()) >= INTERVAL_S - 0.05, fake.gaps()
    _assert_delivered_and_confirmed_once(fake, exported, books, tmp_path / "out")


def _at_work(
    fake: BillitFake, confirmed: int, process: subprocess.Popen[bytes]
) -> Callable[[], bool]:
    """Whether the engine in ``process`` confirmed something since ``confirmed``, or ended."""
    return lambda: len(fake.confirmations) > confirmed or process.poll() is not None


def _child(home: FerryHome, fake: BillitFake, interval: float) -> subprocess.Popen[bytes]:
    """The engine in a process of its own, passes one after the other until killed."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.platforms.billit.engine_home",
            str(home.settings_dir.parent),
            fake.api_key,
            str(fake.office_party_id),
            str(interval),
        ],
        cwd=REPO,
        env={**os.environ, "LANG": "C.UTF-8"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def test_killed_at_random_moments_the_engine_loses_nothing_and_writes_nothing_twice(
    tmp_path: Path,
) -> None:
    """SIGKILL while documents are being fetched, written and confirmed, again and again;
    then one engine to the end: every file on disk once with Billit's bytes, every item
    confirmed for good once (an item confirmed just before a kill may be confirmed again
    by the next start, which changes nothing), the feed empty."""
    interval = 0.3
    rng = random.Random(20260319)
    with RecordingFake(feed_interval_s=interval) as fake:
        home = billit_home(tmp_path / "home", fake.url, fake.office_party_id)
        clients = [fake.add_client(f"Kill Test {n} BV", f"BE0{n}23456749") for n in range(2)]
        books = tmp_path / "out" / "books"
        link(home, str(books), clients)
        registering = engine(home, factory(fake.api_key, fake.office_party_id, interval))
        await registering.open()
        try:
            await registering.sync_once()  # registers the feed
        finally:
            await registering.close()
        exported = [_exported(fake, clients[n % 2], n) for n in range(300)]
        kills = 0
        cut: list[int] = []  # after each kill: files on disk whose item was not confirmed
        while kills < 8 and fake.unconfirmed(FEED):
            confirmed = len(fake.confirmations)
            process = _child(home, fake, interval)
            # Killed once it is at work (it confirmed something), at a random moment after:
            # fetching, writing, renaming, confirming or recording.
            await _until(_at_work(fake, confirmed, process))
            await asyncio.sleep(rng.uniform(0.0, 0.3))
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
            on_disk = len(files_under(books)) if books.exists() else 0
            cut.append(on_disk - len({c.item_id for c in fake.confirmations}))
        assert kills >= 2, cut
        assert min(cut) >= 0, cut  # an item is confirmed only once its file is in place
        assert max(cut) > 0, cut  # a kill came between files written and their confirm
        await asyncio.sleep(interval)
        final = engine(home, factory(fake.api_key, fake.office_party_id, interval))
        await final.open()
        try:
            give_up = time.monotonic() + 30
            while fake.unconfirmed(FEED):
                assert time.monotonic() < give_up, fake.unconfirmed(FEED)
                await final.sync_once()
        finally:
            await final.close()
        _assert_delivered_and_confirmed_once(fake, exported, books, tmp_path / "out")


async def test_the_office_and_its_clients_come_from_the_account(
    fake: RecordingFake, billit: BillitClient
) -> None:
    """The office is the accountant's own company; its clients are the others, with the VAT
    numbers Billit gives; what Billit cannot do is refused in Ferry's words, never sent."""
    bakery = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    garage = fake.add_client("Garage Willems", "BE0987654312", country="NL")
    adapter = BillitPlatform(billit, FEED, feed_interval_s=INTERVAL_S, computer=COMPUTER)
    office = await adapter.office()
    assert (office.id, office.name, office.realm, office.country) == (
        str(fake.office_party_id),
        fake.office_name,
        "billit",
        "BE",
    )
    assert office.user.email == fake.email and office.user.name == "An Janssens"
    clients = await adapter.all_clients()
    assert [(c.id, c.name, c.vat_number, c.country) for c in clients] == [
        (str(bakery), "Bakkerij Peeters BV", "BE0123456749", "BE"),
        (str(garage), "Garage Willems", "BE0987654312", "NL"),
    ]
    sent = len(fake.requests)
    with pytest.raises(ValueError, match="no Error report"):
        await adapter.report_delivery("order-1", ErrorReport(status="error", message="x"))
    for refused in (adapter.resend(["order-1"]), adapter.report_task("t", _TASK_REPORT)):
        with pytest.raises(PlatformError) as raised:
            await refused
        assert raised.value.failure.code is FailureCode.PLATFORM_REFUSED
    assert (await adapter.tasks()).items == []
    assert len(fake.requests) == sent  # nothing of it reached Billit


_TASK_REPORT = TaskReport(outcome=TaskOutcome.SUCCEEDED)
