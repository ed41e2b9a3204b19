"""Helpers the engine tests share: an engine opened and closed around a test, sync passes
until all is done, and the check that every document arrived exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from app.api.models import Document
from app.engine.engine import Engine, RunSummary
from app.settings import Destination
from tests.conftest import REPO
from tests.engine.conftest import Office

TEMPORARY = ".~ferry-*.partial"


@contextlib.asynccontextmanager
async def running(office: Office, **options: Any) -> AsyncIterator[Engine]:
    engine = office.engine(**options)
    await engine.open()
    try:
        yield engine
    finally:
        await engine.close()


async def settle(engine: Engine, passes: int = 4) -> list[RunSummary]:
    """Sync passes until nothing is left to do (each pass already waits for transient retries)."""
    summaries: list[RunSummary] = []
    for _ in range(passes):
        summary = await engine.sync_once()
        summaries.append(summary)
        if not summary.errors and engine.store.queue_size() == 0:
            return summaries
    raise AssertionError(f"the engine did not settle in {passes} passes: {summaries}")


async def through_a_fault(
    office: Office, engine: Engine, seconds: float, **faults: float | int
) -> list[RunSummary]:
    """Sync while the fault is on for ``seconds``, then after it is lifted until all is done.

    While the fault is on, no document may ever be reported in *Error*: a person has nothing
    to do about a busy or flaky platform.
    """
    await asyncio.to_thread(office.admin.set_faults, **faults)

    async def lift() -> None:
        await asyncio.sleep(seconds)
        await asyncio.to_thread(office.admin.clear_faults)

    lifting = asyncio.create_task(lift())
    summaries: list[RunSummary] = []
    try:
        while not lifting.done():
            summary = await engine.sync_once()
            summaries.append(summary)
            assert summary.failed == 0, summary
            assert engine.store.documents("error") == []
            if summary.errors:  # the feed itself failed: the pass ended at once
                await asyncio.sleep(0.2)
    finally:
        await lifting
    return summaries + await settle(engine)


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(TEMPORARY)) if folder.exists() else []


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


def assert_forwarded_exactly(
    office: Office,
    placed: dict[str, Path],
    *,
    within: Path | None = None,
    never_in_error: bool = True,
) -> None:
    """Every document Forwarded, each file once in its folder with the platform's bytes, and
    (under ``within``, default the office's root) no other file at all."""
    expected: set[Path] = set()
    for document_id, folder in placed.items():
        on_platform = office.on_platform(document_id)
        assert on_platform.status.value == "forwarded", on_platform.status_message
        if never_in_error:
            reported = [record.status.value for record in on_platform.deliveries]
            assert "error" not in reported, on_platform.deliveries
        for file in on_platform.files:
            written = folder / file.name
            assert written.read_bytes() == office.uploaded[document_id][file.id]
            assert str(written) in on_platform.locations
            expected.add(written)
    root = within or office.root
    assert files_under(root) == {p for p in expected if p.is_relative_to(root)}
    assert temporaries(root) == []


def one_destination(office: Office, documents: int, kind: str = "purchase") -> list[Document]:
    client = office.new_client("Faulty Weather BV")
    added = [office.add(client, kind) for _ in range(documents)]
    office.configure(
        [Destination(name="Books", general_path=f"{office.root}/books")], {client.id: ["Books"]}
    )
    return added


def ferry(office: Office, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``ferry ARGS`` on the office's home, in a process of its own as a server runs it."""
    return ferry_in(office.home.settings_dir.parent, *args, timeout=timeout)


def ferry_in(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``ferry --home HOME ARGS`` in a process of its own, as a person types it."""
    return subprocess.run(
        [sys.executable, "-m", "app", "--home", str(home), *args],
        cwd=REPO,
        env={**os.environ, "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
