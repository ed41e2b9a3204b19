"""The engine against the running sandbox over real HTTP, into real folders."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

import app.engine.engine as engine_module
from app.api.models import ChangePage, DocumentPage
from app.core.kinds import DocumentKind
from app.engine.messages import EngineState
from app.sandbox.server import SandboxServer
from app.settings import DeliveryFormat, Destination
from tests.engine.conftest import Office, logged_in_home
from tests.engine.helpers import assert_forwarded_exactly, one_destination, running


async def _sync(office: Office) -> tuple[int, int]:
    async with running(office) as engine:
        summary = await engine.sync_once()
    return summary.delivered, summary.failed


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


async def test_a_client_synced_into_per_kind_folders_with_variables(office: Office) -> None:
    client = office.new_client("Bakkerij Peeters BV", file_id="D00042")
    documents = {kind: office.add(client, kind.value) for kind in DocumentKind}
    root = office.root
    office.configure(
        [
            Destination(
                name="Winbooks",
                paths={
                    DocumentKind.PURCHASE: f"{root}/Winbooks/[identifiant_entreprise]/inbound",
                    DocumentKind.SALES: f"{root}/Winbooks/[identifiant_entreprise]/outbound",
                    DocumentKind.STATEMENT: f"{root}/coda/[accounting_file_id]/[year]",
                    DocumentKind.RECEIPT: f"{root}/receipts/[enterprise_name]/[year]-[month]",
                    DocumentKind.OTHER: f"{root}/other/[document_type]",
                },
            )
        ],
        {client.id: ["Winbooks"]},
    )
    delivered, failed = await _sync(office)
    assert (delivered, failed) == (5, 0)
    vat = client.vat_number
    expected_folders = {
        DocumentKind.PURCHASE: root / "Winbooks" / vat / "inbound",
        DocumentKind.SALES: root / "Winbooks" / vat / "outbound",
        DocumentKind.STATEMENT: root
        / "coda"
        / "D00042"
        / str(documents[DocumentKind.STATEMENT].issue_date.year),
        DocumentKind.RECEIPT: root
        / "receipts"
        / "Bakkerij Peeters BV"
        / documents[DocumentKind.RECEIPT].issue_date.strftime("%Y-%m"),
        DocumentKind.OTHER: root / "other" / "other",
    }
    for kind, document in documents.items():
        folder = expected_folders[kind]
        on_platform = office.on_platform(document.id)
        assert on_platform.status.value == "forwarded", on_platform.status_message
        for file in document.files:
            written = folder / file.name
            assert written.read_bytes() == office.uploaded[document.id][file.id]
            assert str(written) in on_platform.locations
    # nothing else anywhere: no temporary file, no extra copy
    assert len(_files(root)) == sum(len(d.files) for d in documents.values())
    # a second run writes nothing more
    assert await _sync(office) == (0, 0)
    assert len(_files(root)) == sum(len(d.files) for d in documents.values())


async def test_three_formats_and_several_destinations(office: Office) -> None:
    client = office.new_client("Dupont & Fils: Conseil", file_id="77")
    invoice = office.add(client, "purchase")
    root = office.root
    office.configure(
        [
            Destination(name="UBL", general_path=f"{root}/ubl/[accounting_file_id]"),
            Destination(name="Both", general_path=f"{root}/both", format=DeliveryFormat.UBL_PDF),
            Destination(name="PDF", general_path=f"{root}/pdf", format=DeliveryFormat.PDF),
        ],
        {client.id: ["UBL", "Both", "PDF"]},
    )
    assert await _sync(office) == (1, 0)
    xml_name = invoice.files[0].name
    stem = xml_name.rsplit(".", 1)[0]
    xml = office.uploaded[invoice.id][invoice.files[0].id]
    assert (root / "ubl" / "77" / xml_name).read_bytes() == xml
    assert (root / "both" / xml_name).read_bytes() == xml
    pdf = (root / "both" / f"{stem}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and (root / "pdf" / f"{stem}.pdf").read_bytes() == pdf
    assert sorted(os.listdir(root / "pdf")) == [f"{stem}.pdf"]
    locations = office.on_platform(invoice.id).locations
    assert len(locations) == 4


async def test_unlinked_clients_and_older_documents_are_left_alone(office: Office) -> None:
    linked = office.new_client("Linked BV")
    other = office.new_client("Not Linked NV")
    before = office.add(linked, "receipt")
    foreign = office.add(other, "receipt")
    root = office.root
    office.configure(
        [Destination(name="All", general_path=f"{root}/[enterprise_name]")],
        {linked.id: ["All"]},
        since=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1),
    )
    import asyncio

    await asyncio.sleep(1.2)
    after = office.add(linked, "receipt")
    assert await _sync(office) == (1, 0)
    assert office.on_platform(after.id).status.value == "forwarded"
    assert office.on_platform(before.id).status.value == "to_fetch"
    assert office.on_platform(foreign.id).status.value == "to_fetch"
    assert not (root / "Not Linked NV").exists()


async def test_resend_delivers_again_after_the_file_was_taken(office: Office) -> None:
    client = office.new_client("Resend BV")
    document = office.add(client, "sales")
    root = office.root
    office.configure([Destination(name="W", general_path=f"{root}/w")], {client.id: ["W"]})
    assert await _sync(office) == (1, 0)
    written = root / "w" / document.files[0].name
    written.unlink()  # the accounting software imported and moved it
    engine = office.engine()
    await engine.open()
    try:
        await engine.client.resend([document.id])
        summary = await engine.sync_once()
    finally:
        await engine.close()
    assert summary.delivered == 1
    assert written.read_bytes() == office.uploaded[document.id][document.files[0].id]
    assert office.on_platform(document.id).status.value == "forwarded"


async def test_platform_tasks_are_picked_up_and_reported(office: Office) -> None:
    client = office.new_client("Tasks BV")
    first = office.add(client, "purchase")
    root = office.root
    office.configure([Destination(name="T", general_path=f"{root}/t")], {client.id: ["T"]})
    assert await _sync(office) == (1, 0)
    (root / "t" / first.files[0].name).unlink()  # lost on disk: a full sync must notice
    second = office.add(client, "sales")
    full = office.admin.add_task(office.realm, "full_sync", client_id=client.id)
    resend = office.admin.add_task(office.realm, "resend", document_ids=[first.id])
    engine = office.engine()
    await engine.open()
    try:
        await engine.handle_tasks()
    finally:
        await engine.close()
    for task_id in (full.id, resend.id):
        done = office.admin.http.get(f"/realms/{office.realm}/tasks/{task_id}").json()
        assert done["status"] == "succeeded", done
        assert done["result"]["outcome"] == "succeeded"
    assert (root / "t" / first.files[0].name).is_file()
    assert (root / "t" / second.files[0].name).is_file()
    assert office.on_platform(second.id).status.value == "forwarded"


async def test_schedule_of_full_sync_and_nightly_catch_up(office: Office) -> None:
    from app.engine.engine import LAST_CATCH_UP, LAST_FULL_SYNC

    engine = office.engine()
    await engine.open()
    try:
        start = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
        assert not engine.full_sync_due(start)  # a new installation starts the clock
        assert engine.store.get_meta(LAST_FULL_SYNC) == start.isoformat()
        assert not engine.full_sync_due(start + dt.timedelta(days=29))
        assert engine.full_sync_due(start + dt.timedelta(days=31))
        night = dt.datetime(2026, 11, 2, 2, 15).astimezone()
        assert engine.catch_up_due(night)
        assert not engine.catch_up_due(night.replace(hour=14))
        engine.store.set_meta(LAST_CATCH_UP, night.isoformat())
        assert not engine.catch_up_due(night + dt.timedelta(minutes=30))  # once a night
        assert engine.catch_up_due(night + dt.timedelta(days=1))
    finally:
        await engine.close()


async def test_the_feed_and_the_listing_are_read_to_their_last_page(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first full sync reads the feed and the client's documents page by page (small pages
    here, the contract's maxima in use) and delivers every document once."""
    monkeypatch.setattr(engine_module, "CHANGES_PAGE", 7)
    monkeypatch.setattr(engine_module, "LISTING_PAGE", 5)
    documents = one_destination(office, 23, kind="other")
    pages: dict[str, int] = {"changes": 0, "documents": 0}
    async with running(office) as engine:
        client = engine.client
        real_changes, real_listing = client.changes, client.documents_page

        async def changes(*args: Any, **kwargs: Any) -> ChangePage:
            pages["changes"] += 1
            assert kwargs["limit"] == 7
            return await real_changes(*args, **kwargs)

        async def listing(*args: Any, **kwargs: Any) -> DocumentPage:
            pages["documents"] += 1
            assert kwargs["limit"] == 5
            return await real_listing(*args, **kwargs)

        monkeypatch.setattr(client, "changes", changes)
        monkeypatch.setattr(client, "documents_page", listing)
        summary = await engine.full_sync()
    assert (summary.delivered, summary.failed, summary.errors) == (23, 0, [])
    assert pages["changes"] >= 4 and pages["documents"] >= 5, pages
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})


async def test_errors_another_installation_reported_are_not_this_ferry_s(
    office: Office, sandbox: SandboxServer, tmp_path: Path, read_only_folder: Path
) -> None:
    """An office installs a second Ferry (a new server) while the first one reported some
    documents in Error: the new one, whose links do not cover them, must not say *Errors*
    for documents it never handles (its table showed none of them)."""
    client = office.new_client("Elders BV")
    failing = office.add(client, "receipt")
    office.configure(
        [Destination(name="Locked", general_path=f"{read_only_folder}/[enterprise_name]")],
        {client.id: ["Locked"]},
    )
    assert await _sync(office) == (0, 1)
    assert office.on_platform(failing.id).status.value == "error"

    second = Office(
        sandbox, office.admin, "be", logged_in_home(sandbox, "be", tmp_path / "new"), tmp_path / "o"
    )
    mine = second.new_client("Mine BV")
    second.configure(
        [Destination(name="Books", general_path=f"{second.root}/[enterprise_name]")],
        {mine.id: ["Books"]},
    )
    async with running(second) as engine:
        await engine.sync_once()
        assert engine.store.documents("error") == []
        # Not this Ferry's: passed over on what the feed says, neither read nor recorded.
        assert engine.store.document(failing.id) is None
        engine._settle_state()
        assert engine._state is EngineState.UP_TO_DATE


async def test_a_clients_full_sync_task_is_not_failed_by_another_clients_document(
    office: Office, read_only_folder: Path
) -> None:
    """The office asked for one client: a document of another client retried in the same pass
    (due by then, and still failing) is that client's story, not the task's."""
    blocked = office.new_client("Blocked Bakery BV")
    fine = office.new_client("Fine Figures NV")
    office.configure(
        [
            Destination(name="Locked", general_path=f"{read_only_folder}/[year]"),
            Destination(name="Books", general_path=f"{office.root}/books"),
        ],
        {blocked.id: ["Locked"], fine.id: ["Books"]},
    )
    office.add(blocked, "purchase")
    wanted = office.add(fine, "sales")
    assert await _sync(office) == (1, 1)
    engine = office.engine()
    await engine.open()
    try:
        for task, delivered in (
            (office.admin.add_task(office.realm, "full_sync", client_id=fine.id), 0),
            (office.admin.add_task(office.realm, "resend", document_ids=[wanted.id]), 1),
        ):
            # the blocked document's next try has come when the task is done (a slow day)
            with engine.store._write() as db:
                db.execute("UPDATE queue SET not_before = 0")
            await engine.handle_tasks()
            done = office.admin.http.get(f"/realms/{office.realm}/tasks/{task.id}").json()
            assert done["status"] == "succeeded", done
            assert done["result"]["documents_failed"] == 0, done
            assert done["result"]["documents_delivered"] == delivered, done
    finally:
        await engine.close()
    assert office.on_platform(wanted.id).status.value == "forwarded"
