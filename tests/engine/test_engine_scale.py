"""An office's whole history (issue 18): a new installation facing a long changes feed.

The feed is read page by page in a loop, with memory bounded by a page; documents from
before a client's link are passed over on what the feed says, without a request each. The
history is built with the sandbox's bulk route (one transaction), the engine is the real one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tracemalloc
from typing import Any

import pytest

import app.engine.engine as engine_module
from app.api.models import ChangePage, Document
from app.settings import Destination
from tests.engine.conftest import Office
from tests.engine.helpers import assert_forwarded_exactly, running

HISTORY = 50_000


async def test_a_first_sync_reads_a_long_history_page_by_page_in_bounded_memory(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """50,000 documents from before the link, in more pages than Python's recursion limit
    (small pages here): the first sync completes, asks for none of the old documents, holds
    about a page in memory, and delivers the three documents that came after the link."""
    page = 40
    monkeypatch.setattr(engine_module, "CHANGES_PAGE", page)
    assert HISTORY // page > sys.getrecursionlimit()
    client = office.new_client("Historie BV")
    assert office.admin.add_documents_bulk(office.realm, client.id, HISTORY)["added"] == HISTORY
    since = dt.datetime.now(dt.UTC)
    office.configure(
        [Destination(name="Books", general_path=f"{office.root}/books")],
        {client.id: ["Books"]},
        since=since,
    )
    await asyncio.sleep(0.01)
    new = [office.add(client, "purchase") for _ in range(3)]
    asked: list[str] = []
    pages = 0
    async with running(office) as engine:
        client_api = engine.client
        real_document, real_changes = client_api.document, client_api.changes

        async def document(document_id: str) -> Document:
            asked.append(document_id)
            return await real_document(document_id)

        async def changes(*args: Any, **kwargs: Any) -> ChangePage:
            nonlocal pages
            pages += 1
            return await real_changes(*args, **kwargs)

        monkeypatch.setattr(client_api, "document", document)
        monkeypatch.setattr(client_api, "changes", changes)
        tracemalloc.start()
        try:
            summary = await engine.sync_once()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert (summary.delivered, summary.failed, summary.errors) == (3, 0, [])
        assert pages > HISTORY // page
        assert sorted(asked) == sorted(d.id for d in new), "no request per old document"
        assert engine.store.queue_size() == 0
        assert {d["id"] for d in engine.store.documents()} == {d.id for d in new}
    # The feed's 50,000 changes held at once take tens of MiB; a page of them, little.
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in new})


async def test_a_full_sync_delivers_what_is_missing_in_bounded_chunks(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """60 documents never delivered, listed 7 at a time: the full sync queues each page's
    missing documents as it reads them and delivers them whenever 10 wait, so it never holds
    more than a chunk and a page of listed documents, and delivers each one once."""
    monkeypatch.setattr(engine_module, "LISTING_PAGE", 7)
    monkeypatch.setattr(engine_module, "FULL_SYNC_CHUNK", 10)
    client = office.new_client("Achterstand NV")
    office.admin.add_documents_bulk(office.realm, client.id, 60, prefix="GAP")
    office.configure(
        [Destination(name="Books", general_path=f"{office.root}/gap")],
        {client.id: ["Books"]},
        since=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
    )
    held: list[int] = []
    async with running(office) as engine:
        engine.store.set_meta(engine_module.CHANGES_CURSOR, "999999999")  # the feed read
        real = engine._reconcile

        async def reconcile(*args: Any, **kwargs: Any) -> list[tuple[str, str]]:
            wanted = await real(*args, **kwargs)
            held.append(len(engine._listed))
            return wanted

        monkeypatch.setattr(engine, "_reconcile", reconcile)
        summary = await engine.full_sync(client.id)
    assert (summary.delivered, summary.failed, summary.errors) == (60, 0, [])
    assert len(held) >= 60 // 7 and max(held) < 10 + 7, held
    assert len(list((office.root / "gap").iterdir())) == 60
