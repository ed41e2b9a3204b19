"""Faults from the platform and from the disk, against the real engine and the real sandbox.

Each test switches a fault on (the sandbox's fault switches over real HTTP, or a real file
system that refuses), checks the status and the message a person would see, removes the
fault, and checks full recovery: every document Forwarded with its locations, every file once
and byte-identical, no temporary file left behind.

Transient faults (5xx, 429, dropped connections, latency, short-lived tokens, a file held open)
must never show *Error*; permanent ones (a read-only folder, a full disk, a path too long)
must show *Error* with a message saying which folder, what the system said and what to do,
must not hold up other documents of the same run, and are delivered on *Retry* once the cause
is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import logging
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import os_specific
from app.core.failures import FailureCode
from app.engine import deliverer, delivery
from app.engine.engine import RunSummary
from app.engine.messages import Connectivity, Event, LoginNeededEvent
from app.settings import Destination
from tests.engine.conftest import Office
from tests.engine.helpers import (
    assert_forwarded_exactly,
    files_under,
    one_destination,
    running,
    settle,
    temporaries,
    through_a_fault,
)

# --- the platform's fault switches ---------------------------------------------------------------


async def test_a_platform_down_leaves_documents_to_fetch_then_everything_arrives(
    office: Office,
) -> None:
    documents = one_destination(office, 3)
    office.admin.set_faults(error_rate=1.0, retry_after_s=1)
    async with running(office) as engine:
        summary = await engine.sync_once()
        assert (summary.delivered, summary.failed) == (0, 0)
        assert len(summary.errors) == 1
        failure = summary.errors[0]
        assert failure.code in (FailureCode.PLATFORM_UNAVAILABLE, FailureCode.PLATFORM_ERROR)
        assert failure.transient
        assert engine.store.runs(1)[0].message == failure.message()
        for document in documents:
            assert office.on_platform(document.id).status.value == "to_fetch"
        assert files_under(office.root) == set()
        office.admin.clear_faults()
        summaries = await settle(engine)
    assert sum(s.delivered for s in summaries) == 3
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})


async def test_server_errors_on_every_call_are_retried_until_delivered(office: Office) -> None:
    documents = one_destination(office, 6)
    async with running(office) as engine:
        summaries = await through_a_fault(office, engine, 3.0, error_rate=0.5, retry_after_s=1)
    assert sum(s.delivered for s in summaries) == 6
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})


async def test_dropped_connections_go_offline_then_recover_without_half_files(
    office: Office,
) -> None:
    documents = one_destination(office, 6)
    events: list[Event] = []
    async with running(office, on_event=events.append) as engine:
        office.admin.set_faults(drop_rate=1.0)
        summary = await engine.sync_once()
        assert summary.errors and summary.errors[0].code is FailureCode.OFFLINE
        assert summary.errors[0].param("reason") == "cut"
        offline = [e for e in events if isinstance(e, Connectivity)]
        assert offline and offline[-1].online is False
        summaries = await through_a_fault(office, engine, 3.0, drop_rate=0.5)
    assert sum(s.delivered for s in summaries) == 6
    connectivity = [e.online for e in events if isinstance(e, Connectivity)]
    assert connectivity[-1] is True, "back online once the platform answers again"
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})


async def test_throttling_honours_retry_after_and_recovers(office: Office) -> None:
    documents = one_destination(office, 4)
    async with running(office) as engine:
        # the feed itself throttled: the run says so in plain words
        office.admin.set_faults(throttle_rate=1.0, retry_after_s=5)
        summary = await engine.sync_once()
        assert summary.errors and summary.errors[0].code is FailureCode.PLATFORM_BUSY
        office.admin.clear_faults()
        # the documents queued, then every call throttled with Retry-After: 5 s
        assert await engine.pull_changes(0) >= 4  # the realm's other documents come too
        office.admin.set_faults(throttle_rate=1.0, retry_after_s=5)
        held = RunSummary("incremental")
        before = time.time()
        await engine.drain(held)
        assert (held.delivered, held.failed) == (0, 0)
        ours = {d.id for d in documents}
        # our own backoff would say at most 2.4 s; the platform asked for 5 s
        soon = {i.document_id for i in engine.store.due(10_000, now=before + 4.5)}
        later = {i.document_id for i in engine.store.due(10_000, now=time.time() + 60)}
        assert not ours & soon and ours <= later
        assert engine.store.documents("error") == []
        # mixed throttling, then lifted: all arrive
        summaries = await through_a_fault(office, engine, 2.0, throttle_rate=0.5, retry_after_s=1)
    assert sum(s.delivered for s in summaries) == 4
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})


async def test_a_slow_platform_is_only_slow(office: Office) -> None:
    documents = one_destination(office, 10)
    office.admin.set_faults(latency_ms=300)
    async with running(office) as engine:
        started = time.monotonic()
        summary = await engine.sync_once()
        took = time.monotonic() - started
    assert (summary.delivered, summary.failed, summary.errors) == (10, 0, [])
    assert took > 0.9  # the latency was really there (three calls in a row at least)
    office.admin.clear_faults()
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})


async def test_a_short_token_lifetime_is_handled_by_refreshing(office: Office) -> None:
    client = office.new_client("Short Lived BV")
    office.configure(
        [Destination(name="Books", general_path=f"{office.root}/books")], {client.id: ["Books"]}
    )
    office.admin.set_faults(access_token_ttl_s=2)
    events: list[Event] = []
    placed: dict[str, Path] = {}
    async with running(office, on_event=events.append) as engine:
        for wait in (2.5, 0):
            batch = [office.add(client, "sales") for _ in range(3)]
            summary = await engine.sync_once()
            assert (summary.delivered, summary.failed, summary.errors) == (3, 0, [])
            placed |= {d.id: office.root / "books" for d in batch}
            await asyncio.sleep(wait)  # every token handed out so far expires
    # a new engine starts from the rotated refresh token kept in the keyring
    async with running(office, on_event=events.append) as engine:
        batch = [office.add(client, "sales") for _ in range(2)]
        summary = await engine.sync_once()
        assert (summary.delivered, summary.failed, summary.errors) == (2, 0, [])
        placed |= {d.id: office.root / "books" for d in batch}
    assert not [e for e in events if isinstance(e, LoginNeededEvent)]
    office.admin.clear_faults()
    assert_forwarded_exactly(office, placed)


async def test_throttling_while_loading_clients_honours_retry_after(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first document of a run makes the engine load the client list; throttle just that."""
    (document,) = one_destination(office, 1)
    async with running(office) as engine:
        real = engine.client.all_clients
        calls: list[float] = []

        async def throttled_the_first_time() -> Any:
            calls.append(time.monotonic())
            if len(calls) > 1:
                return await real()
            await asyncio.to_thread(office.admin.set_faults, throttle_rate=1.0, retry_after_s=3)
            try:
                return await real()  # a real 429 with Retry-After: 3 from the sandbox
            finally:
                await asyncio.to_thread(office.admin.clear_faults)

        monkeypatch.setattr(engine.client, "all_clients", throttled_the_first_time)
        summary = await asyncio.wait_for(engine.sync_once(), 60)
    assert summary.delivered == 1
    assert_forwarded_exactly(office, {document.id: office.root / "books"})
    assert calls[1] - calls[0] > 2.5, "asked again before the platform's Retry-After"


# --- a file held open (Windows' sharing violation, simulated) ------------------------------------


def busy_rename(
    monkeypatch: pytest.MonkeyPatch, folder: Path, is_held: Callable[[], bool]
) -> list[Path]:
    """Renames into ``folder`` fail with EBUSY while ``is_held()``; returns the refused targets."""
    real = os_specific.rename_no_replace
    refused: list[Path] = []

    def rename(source: Path, target: Path) -> None:
        if target.parent == folder and is_held():
            refused.append(target)
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(target))
        real(source, target)

    monkeypatch.setattr(delivery, "rename_no_replace", rename)
    return refused


async def test_a_file_held_open_for_a_moment_is_delivered_in_the_same_run(
    office: Office, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (document,) = one_destination(office, 1)
    folder = office.root / "books"
    refusals = iter(range(3))
    refused = busy_rename(monkeypatch, folder, lambda: next(refusals, None) is not None)
    caplog.set_level(logging.INFO, logger="app.engine")
    async with running(office) as engine:
        summary = await engine.sync_once()
    assert (summary.delivered, summary.failed) == (1, 0)
    assert len(refused) == 3
    assert "is held by another program; retrying the rename" in caplog.text
    assert_forwarded_exactly(office, {document.id: folder})


async def test_a_file_held_open_too_long_is_retried_later_not_lost(
    office: Office, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    held_client = office.new_client("Importing Now BV")
    well_client = office.new_client("Quiet BV")
    held_doc = office.add(held_client, "purchase")
    well_doc = office.add(well_client, "purchase")
    root = office.root
    office.configure(
        [
            Destination(name="Held", general_path=f"{root}/held"),
            Destination(name="Well", general_path=f"{root}/well"),
        ],
        {held_client.id: ["Held"], well_client.id: ["Well"]},
    )
    holding = True
    refused = busy_rename(monkeypatch, root / "held", lambda: holding)
    monkeypatch.setattr(
        deliverer, "StagedFile", functools.partial(delivery.StagedFile, lock_retry_s=0.6)
    )
    caplog.set_level(logging.INFO, logger="app.engine")
    async with running(office) as engine:
        assert await engine.pull_changes(0) >= 2
        summary = RunSummary("incremental")
        await engine.drain(summary)
        # the other document went through; the held one waits, not in Error, not lost
        assert (summary.delivered, summary.failed) == (1, 0)
        assert refused
        assert office.on_platform(held_doc.id).status.value == "to_fetch"
        assert engine.store.documents("error") == []
        queued = engine.store.due(10_000, now=time.time() + 60)
        assert [i.document_id for i in queued] == [held_doc.id]
        assert files_under(root / "held") == set(), "no file, and no temporary one"
        assert "is held open by another program" in caplog.text
        assert "Ferry will try again" in caplog.text
        holding = False
        summary = await engine.sync_once()  # waits for the retry to come due
        assert (summary.delivered, summary.failed) == (1, 0)
    assert_forwarded_exactly(office, {held_doc.id: root / "held", well_doc.id: root / "well"})


async def test_a_file_held_open_does_not_freeze_the_engine(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    (document,) = one_destination(office, 1)
    folder = office.root / "books"
    until = time.monotonic() + 2.5
    busy_rename(monkeypatch, folder, lambda: time.monotonic() < until)
    longest = 0.0
    ticking = True

    async def ticker() -> None:
        nonlocal longest
        last = time.monotonic()
        while ticking:
            await asyncio.sleep(0.02)
            now = time.monotonic()
            longest = max(longest, now - last)
            last = now

    async with running(office) as engine:
        ticks = asyncio.create_task(ticker())
        summary = await engine.sync_once()
        ticking = False
        await ticks
    assert summary.delivered == 1
    assert_forwarded_exactly(office, {document.id: folder})
    assert longest < 0.5, f"the engine's loop stood still for {longest:.1f} s"


# --- the disk ------------------------------------------------------------------------------------


async def a_folder_fault(
    office: Office,
    sick_template: str,
    *,
    says: list[str],
    fix: Callable[[], str | None],
) -> None:
    """One client's destination is broken, another's is fine, in the same run.

    The broken one must show *Error* with a message that ``says`` each given text, the other
    must be delivered anyway; after ``fix()`` (which may return a new template) a *Retry*
    delivers it.
    """
    sick_client = office.new_client("Broken Folder BV")
    well_client = office.new_client("Working Folder BV")
    sick = office.add(sick_client, "purchase")
    well = office.add(well_client, "sales")
    well_folder = office.root / "well"

    def configure(template: str) -> None:
        office.configure(
            [
                Destination(name="Sick", general_path=template),
                Destination(name="Well", general_path=str(well_folder)),
            ],
            {sick_client.id: ["Sick"], well_client.id: ["Well"]},
        )

    configure(sick_template)
    async with running(office) as engine:
        summary = await engine.sync_once()
        assert (summary.delivered, summary.failed) == (1, 1)
        assert_forwarded_exactly(office, {well.id: well_folder}, within=well_folder)
        in_error = engine.store.documents("error")
        assert [d["id"] for d in in_error] == [sick.id]
        for text in says:
            assert text in in_error[0]["message"], f"{text!r} not in {in_error[0]['message']!r}"
        on_platform = office.on_platform(sick.id)
        assert on_platform.status.value == "error"
        message = on_platform.status_message or ""
        assert message.startswith("Sick: ")
        for text in says:
            assert text in message, f"{text!r} not on the platform: {message[-300:]!r}"
        # the next run neither hammers the broken folder nor waits for it
        started = time.monotonic()
        again = await engine.sync_once()
        assert (again.delivered, again.failed) == (0, 0)
        assert time.monotonic() - started < 5
        # the cause removed, Retry delivers it
        template = fix()
        if template is not None:
            configure(template)
        engine.store.enqueue([(sick.id, "retry")])
        summary = await engine.sync_once()
        assert (summary.delivered, summary.failed) == (1, 0)
        assert engine.store.documents("error") == []
        sick_folder = Path(template or sick_template)
    assert_forwarded_exactly(
        office, {sick.id: sick_folder}, within=sick_folder, never_in_error=False
    )
    assert_forwarded_exactly(office, {well.id: well_folder}, within=well_folder)


async def test_a_read_only_folder_is_an_error_until_writable(
    office: Office, read_only_folder: Path
) -> None:
    folder = read_only_folder / "ledger"

    def make_writable() -> None:
        if os.geteuid() == 0:
            subprocess.run(["mount", "-o", "remount,rw", str(read_only_folder)], check=True)
        else:
            read_only_folder.chmod(0o700)

    said = "Read-only file system" if os.geteuid() == 0 else "Permission denied"
    await a_folder_fault(
        office,
        str(folder),
        says=[f"Ferry may not write in {folder}", said, "give the account that runs Ferry"],
        fix=lambda: make_writable(),
    )
    assert temporaries(read_only_folder) == []


async def test_a_full_disk_is_an_error_until_space_is_freed(
    office: Office, small_filesystem: Path
) -> None:
    ballast = small_filesystem / "ballast.bin"
    with contextlib.suppress(OSError), ballast.open("wb", buffering=0) as stream:
        while True:
            stream.write(b"\0" * 4096)
    folder = small_filesystem / "books"
    await a_folder_fault(
        office,
        str(folder),
        says=[f"disk holding {folder} is full", "No space left on device", "free some space"],
        fix=lambda: ballast.unlink(),
    )
    assert temporaries(small_filesystem) == []


def deep_folder(base: Path, length: int) -> Path:
    """A fixed folder path of exactly ``length`` bytes, in names of at most 200 characters."""
    path = str(base)
    while len(path) + 201 < length:
        path += "/" + "d" * 200
    return Path(path + "/" + "e" * (length - len(path) - 1))


async def test_a_folder_path_beyond_the_system_limit_is_an_error_until_shortened(
    office: Office,
) -> None:
    too_deep = deep_folder(office.root / "deep", 4300)
    short = office.root / "short"
    await a_folder_fault(
        office,
        str(too_deep),
        says=["Broken Folder BV", "4300 bytes long", "at most 4095", "Choose a shorter"],
        fix=lambda: str(short),
    )
    assert not (office.root / "deep").exists()


async def test_a_file_path_beyond_the_system_limit_says_so_on_the_platform(
    office: Office,
) -> None:
    # the folder itself fits (4,080 bytes), the file in it does not
    almost = deep_folder(office.root / "deep", 4080)
    short = office.root / "short"
    await a_folder_fault(
        office,
        str(almost),
        says=["is too long for the system", "choose a shorter destination folder"],
        fix=lambda: str(short),
    )
    assert temporaries(office.root / "deep") == []
