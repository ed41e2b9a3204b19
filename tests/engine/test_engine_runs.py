"""The engine's runs, as the Activity tab shows them: the real engine against the sandbox, the
real state file. Continuous syncing is one run per period whose counts grow, never one run per
wake-up; every run started is finished (with its times) in the store and in the events; each
kind is named right; the documents that failed are kept with their failures as data; a run a
crash left open is ended as interrupted at the next start."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from app.core.failures import FailureCode
from app.engine.engine import STATE_FILE, Engine
from app.engine.messages import (
    Event,
    Resend,
    Retry,
    RunFinished,
    RunKind,
    RunProgress,
    RunStarted,
    Stop,
    SyncNow,
)
from app.engine.state import StateStore
from app.settings import Destination
from tests.engine.conftest import Office
from tests.engine.helpers import running


async def _until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    give_up = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < give_up, "timed out"
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def _syncing(office: Office, events: list[Event], **options: object) -> AsyncIterator[Engine]:
    """The engine syncing continuously (as in the app) until the block ends, then stopped."""
    engine = office.engine(on_event=events.append, long_poll_s=1, **options)
    await engine.open()
    task = asyncio.create_task(engine.run(), name="test-engine-run")
    try:
        yield engine
    finally:
        engine.command_queue().put_nowait(Stop())
        await asyncio.wait_for(task, 60)
        await engine.close()


def _finished(events: list[Event], kind: str) -> list[RunFinished]:
    return [e for e in events if isinstance(e, RunFinished) and e.kind == kind]


def _every_run_finished(events: list[Event], office: Office) -> None:
    """Every run told started is told finished, with its times; none is open in the store."""
    finished = {e.run_id: e for e in events if isinstance(e, RunFinished)}
    for started in (e for e in events if isinstance(e, RunStarted)):
        end = finished[started.run_id]
        assert end.started == started.started
        assert end.finished is not None and started.started is not None
        assert end.finished >= started.started
    store = StateStore(office.home.state_dir / STATE_FILE)
    try:
        runs = store.runs()
    finally:
        store.close()
    assert runs and all(run.finished is not None for run in runs), runs
    assert {run.id for run in runs} == set(finished)


async def test_continuous_syncing_is_one_run_per_period_with_growing_counts(
    office: Office,
) -> None:
    client = office.new_client("Continuous BV")
    office.configure([Destination(name="W", general_path=f"{office.root}/w")], {client.id: ["W"]})
    events: list[Event] = []
    async with _syncing(office, events) as engine:
        await _until(lambda: bool(_finished(events, RunKind.INCREMENTAL)))
        # three documents, each brought by its own wake-up of the long-poll
        for count in (1, 2, 3):
            await asyncio.to_thread(office.add, client, "purchase")
            await _until(
                lambda count=count: any(
                    isinstance(e, RunProgress) and e.delivered == count for e in events
                )
            )
        progress = [e for e in events if isinstance(e, RunProgress)]
        assert len({e.run_id for e in progress}) == 1  # one run, not one per wake-up
        assert [e.delivered for e in progress] == [1, 2, 3]
        assert all(e.kind == RunKind.CONTINUOUS and e.started for e in progress)
        assert not _finished(events, RunKind.CONTINUOUS)  # still open: its period goes on
        (open_run,) = [run for run in engine.store.runs() if run.finished is None]
        assert (open_run.kind, open_run.documents, open_run.delivered) == ("continuous", 3, 3)
        # no RunStarted for it: it is not a pass anybody waits on
        assert not [e for e in events if isinstance(e, RunStarted) and e.kind == "continuous"]
    # the engine stopped: the period's run is finished with its duration and counts
    (ended,) = _finished(events, RunKind.CONTINUOUS)
    assert ended.run_id == progress[0].run_id
    assert (ended.documents, ended.delivered, ended.failed) == (3, 3, 0)
    assert ended.started == progress[0].started
    assert ended.finished is not None and ended.started is not None
    assert ended.finished > ended.started and not ended.interrupted
    _every_run_finished(events, office)


async def test_a_new_period_begins_when_the_last_one_is_up(office: Office) -> None:
    client = office.new_client("Periods BV")
    office.configure([Destination(name="W", general_path=f"{office.root}/w")], {client.id: ["W"]})
    events: list[Event] = []
    async with _syncing(office, events, continuous_period_s=1.5):
        await _until(lambda: bool(_finished(events, RunKind.INCREMENTAL)))
        await asyncio.to_thread(office.add, client, "purchase")
        await _until(lambda: any(isinstance(e, RunProgress) for e in events))
        # the period ends by itself (the feed loop looks at each wake-up), told finished
        await _until(lambda: bool(_finished(events, RunKind.CONTINUOUS)), timeout=20)
        await asyncio.to_thread(office.add, client, "sales")
        await _until(lambda: len({e.run_id for e in events if isinstance(e, RunProgress)}) == 2)
    periods = _finished(events, RunKind.CONTINUOUS)
    assert [(p.documents, p.delivered) for p in periods] == [(1, 1), (1, 1)]
    assert periods[0].run_id != periods[1].run_id
    _every_run_finished(events, office)


async def test_each_kind_is_named_and_a_platform_task_names_its_client(office: Office) -> None:
    client = office.new_client("Taken Care Of BV")
    root = office.root
    office.configure([Destination(name="T", general_path=f"{root}/t")], {client.id: ["T"]})
    first = office.add(client, "purchase")
    events: list[Event] = []
    async with running(office, on_event=events.append) as engine:
        await engine.sync_once()
        (root / "t" / first.files[0].name).unlink()
        office.admin.add_task(office.realm, "full_sync", client_id=client.id)
        office.admin.add_task(office.realm, "resend", document_ids=[first.id])
        await engine.handle_tasks()
    (task_full,) = _finished(events, RunKind.TASK_FULL)
    assert (task_full.client_id, task_full.client_name) == (client.id, "Taken Care Of BV")
    (started,) = [e for e in events if isinstance(e, RunStarted) and e.kind == "task-full"]
    assert started.client_name == "Taken Care Of BV"
    (task_resend,) = _finished(events, RunKind.TASK_RESEND)
    assert task_resend.documents == 1 and task_resend.delivered == 1
    assert not _finished(events, RunKind.FULL)  # a platform task is not a plain full sync
    store = StateStore(office.home.state_dir / STATE_FILE)
    try:
        kinds = [(run.kind, run.client_name) for run in reversed(store.runs())]
    finally:
        store.close()
    assert kinds == [
        ("incremental", None),
        ("task-full", "Taken Care Of BV"),
        ("task-resend", None),
    ]
    _every_run_finished(events, office)


async def test_a_resend_and_a_retry_asked_from_a_face_are_runs_of_their_kind(
    office: Office, read_only_folder: Path
) -> None:
    client = office.new_client("Asked BV")
    writable = office.root / "ok"
    destinations = [
        Destination(name="RO", general_path=f"{read_only_folder}/[year]"),
        Destination(name="OK", general_path=f"{writable}"),
    ]
    office.configure(destinations, {client.id: ["OK"]})
    delivered = office.add(client, "purchase")
    events: list[Event] = []
    async with _syncing(office, events) as engine:
        await _until(lambda: bool(_finished(events, RunKind.INCREMENTAL)))
        (writable / delivered.files[0].name).unlink()
        engine.command_queue().put_nowait(Resend(document_ids=[delivered.id]))
        await _until(lambda: bool(_finished(events, RunKind.RESEND)))
        (resend,) = _finished(events, RunKind.RESEND)
        assert (resend.documents, resend.delivered) == (1, 1)
        assert (writable / delivered.files[0].name).is_file()
        # a document fails (a folder Ferry may not write), then is retried once fixed
        office.configure(destinations, {client.id: ["RO"]})
        sick = await asyncio.to_thread(office.add, client, "sales")
        await _until(lambda: any(isinstance(e, RunProgress) and e.failed for e in events))
        office.configure(destinations, {client.id: ["OK"]})
        engine.command_queue().put_nowait(Retry(document_ids=[sick.id]))
        await _until(lambda: bool(_finished(events, RunKind.RETRY)))
    (retry,) = _finished(events, RunKind.RETRY)
    assert (retry.documents, retry.delivered, retry.failed) == (1, 1, 0)
    # the continuous run of the failure ended when the retry began: the history is in order
    (continuous,) = _finished(events, RunKind.CONTINUOUS)
    assert continuous.run_id < retry.run_id and continuous.failed == 1
    assert not _finished(events, RunKind.INCREMENTAL)[1:]  # no "Incremental" for either
    _every_run_finished(events, office)


async def test_what_failed_lists_the_documents_with_their_failures_as_data(
    office: Office, read_only_folder: Path
) -> None:
    client = office.new_client("Refused BV")
    office.configure(
        [Destination(name="RO", general_path=f"{read_only_folder}/[year]")], {client.id: ["RO"]}
    )
    sick = office.add(client, "purchase", number="INV-77")
    events: list[Event] = []
    async with running(office, on_event=events.append) as engine:
        summary = await engine.sync_once()
        runs = engine.store.runs()
    assert summary.failed == 1
    (finished,) = _finished(events, RunKind.INCREMENTAL)
    (failed,) = finished.failed_documents
    assert (failed.document_id, failed.number, failed.client_id) == (sick.id, "INV-77", client.id)
    assert [f.code for f in failed.failures] == [FailureCode.PERMISSION.value]
    assert failed.failures[0].params["destination"] == "RO"
    assert "retry_at" not in failed.failures[0].params  # the history says why, not when
    (kept,) = runs[0].failed_documents
    assert kept["document_id"] == sick.id and kept["failures"][0]["code"] == "permission"


async def test_a_run_left_open_by_a_crash_is_ended_as_interrupted_at_the_next_start(
    office: Office,
) -> None:
    client = office.new_client("Crash BV")
    office.configure([Destination(name="W", general_path=f"{office.root}/w")], {client.id: ["W"]})
    store = StateStore(office.home.state_dir / STATE_FILE)
    try:  # what a kill leaves: a run started, another grown, neither finished
        cut = store.start_run("full", started=1_000.0)
        grown = store.start_run("continuous", started=2_000.0)
        store.update_run(grown, documents=4, delivered=3, failed=1)
    finally:
        store.close()
    # a face reading beside the engine (not holding the lock) ends nothing
    reader = office.engine()
    await reader.open(exclusive=False)
    try:
        assert [run.finished for run in reader.store.runs()] == [None, None]
    finally:
        await reader.close()
    async with running(office) as engine:
        runs = {run.id: run for run in engine.store.runs()}
    assert runs[cut].interrupted and runs[cut].finished == 1_000.0
    assert runs[grown].interrupted and runs[grown].documents == 4
    assert runs[grown].finished is not None and runs[grown].finished > 2_000.0


async def test_a_run_cut_short_by_a_stop_is_finished_as_interrupted(office: Office) -> None:
    client = office.new_client("Stopped BV")
    office.configure([Destination(name="W", general_path=f"{office.root}/w")], {client.id: ["W"]})
    for _ in range(3):
        office.add(client, "purchase")
    events: list[Event] = []
    async with running(office, on_event=events.append) as engine:
        office.admin.set_faults(latency_ms=3_000)
        try:
            task = asyncio.create_task(engine.sync_once())
            await _until(lambda: any(isinstance(e, RunStarted) for e in events))
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        finally:
            office.admin.clear_faults()
        runs = engine.store.runs()
    (finished,) = [e for e in events if isinstance(e, RunFinished)]
    assert finished.interrupted and finished.finished is not None
    assert runs[0].interrupted and runs[0].finished is not None


async def test_sync_now_is_an_incremental_run_that_ends_the_period(office: Office) -> None:
    client = office.new_client("Now BV")
    office.configure([Destination(name="W", general_path=f"{office.root}/w")], {client.id: ["W"]})
    events: list[Event] = []
    async with _syncing(office, events) as engine:
        await _until(lambda: bool(_finished(events, RunKind.INCREMENTAL)))
        await asyncio.to_thread(office.add, client, "receipt")
        await _until(lambda: any(isinstance(e, RunProgress) for e in events))
        engine.command_queue().put_nowait(SyncNow())
        await _until(lambda: len(_finished(events, RunKind.INCREMENTAL)) == 2)
        # the period ended before the run a person asked for began
        (continuous,) = _finished(events, RunKind.CONTINUOUS)
        now = _finished(events, RunKind.INCREMENTAL)[1]
        assert continuous.run_id < now.run_id and continuous.delivered == 1
        assert continuous.finished is not None and now.started is not None
        assert continuous.finished <= now.started
    _every_run_finished(events, office)
