"""Delivered stays delivered: what the accounting software took away is never written again by
itself, and a person can ask for it again, exactly once.

Accounting software imports a file from its folder and then moves it (into a "processed"
folder) or deletes it. A second copy would be booked twice, so a full sync, a nightly catch-up
and a restart deliver nothing again; they report the files as picked up or moved. *Deliver
again here* (local) and *Resend to integrations* (platform) each deliver exactly once; only a
destination marked as an archive gets its missing files back by itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from app.api.models import Document
from app.core.language import Language
from app.engine.engine import Engine
from app.engine.messages import DocumentChanged, Event, RunFinished
from app.settings import Destination
from tests.engine.conftest import Office
from tests.engine.helpers import ferry, files_under, running, temporaries


def _written(office: Office, folder: Path, document: Document) -> Path:
    (file,) = document.files
    return folder / file.name


def _importer_takes(path: Path, processed: Path | None) -> None:
    """What accounting software does after importing: move the file away, or delete it."""
    if processed is None:
        path.unlink()
    else:
        processed.mkdir(parents=True, exist_ok=True)
        shutil.move(path, processed / path.name)


async def _first_pass(engine: Engine) -> None:
    """What the running engine does at start and each night: documents in error are queued
    again, then an incremental pass (see Engine._feed_loop)."""
    engine.store.enqueue([(i, "retry") for i in engine._error_ids()])
    await engine.sync_once("catch-up")


async def test_files_taken_by_the_importer_are_reported_not_delivered_again(
    office: Office,
) -> None:
    client = office.new_client("Importer BV")
    moved, deleted, kept = (office.add(client, "receipt") for _ in range(3))
    inbox = office.root / "inbox"
    processed = office.root / "processed"
    office.configure(
        [Destination(name="Winbooks", general_path=str(inbox))], {client.id: ["Winbooks"]}
    )
    async with running(office) as engine:
        assert (await engine.sync_once()).delivered == 3
    _importer_takes(_written(office, inbox, moved), processed)
    _importer_takes(_written(office, inbox, deleted), None)
    before = files_under(office.root)

    events: list[Event] = []
    async with running(office, on_event=events.append) as engine:
        full = await engine.full_sync()
        assert (full.delivered, full.failed, full.errors) == (0, 0, [])
        assert full.moved == {"Winbooks": 2}
        assert "2 forwarded document(s) picked up or moved from Winbooks" in full.line()
        assert "2 document(s) transmis pris en charge" in full.line(Language.FR)
        gone = {(m.document_id, m.destination) for m in engine.store.moved()}
        assert gone == {(moved.id, "Winbooks"), (deleted.id, "Winbooks")}
        assert engine.store.document(moved.id)["moved"] == ["Winbooks"]
        assert engine.store.document(kept.id)["moved"] == []
        # the table hears of it, and so does the activity tab
        changed = {e.document_id: e for e in events if isinstance(e, DocumentChanged)}
        assert set(changed) == {moved.id, deleted.id}
        assert changed[moved.id].moved == ["Winbooks"]
        assert changed[moved.id].status == "forwarded"
        (finished,) = [e for e in events if isinstance(e, RunFinished)]
        assert finished.moved == {"Winbooks": 2}
        # a second full sync: still nothing written, still reported
        again = await engine.full_sync()
        assert (again.delivered, again.moved) == (0, {"Winbooks": 2})
        # the nightly catch-up
        await _first_pass(engine)
    # a restart: a new engine's first pass
    async with running(office) as engine:
        await _first_pass(engine)
        assert (await engine.full_sync()).delivered == 0
    assert files_under(office.root) == before
    for document in (moved, deleted, kept):
        assert office.on_platform(document.id).status.value == "forwarded"
        reports = office.on_platform(document.id).deliveries
        assert len(reports) == 1, reports  # reported once, never again


async def test_deliver_again_here_and_resend_each_deliver_exactly_once(office: Office) -> None:
    client = office.new_client("Twice Not BV")
    local, platform = office.add(client, "receipt"), office.add(client, "receipt")
    inbox = office.root / "inbox"
    office.configure([Destination(name="W", general_path=str(inbox))], {client.id: ["W"]})
    async with running(office) as engine:
        await engine.sync_once()
    for document in (local, platform):
        _importer_takes(_written(office, inbox, document), None)
    async with running(office) as engine:
        assert (await engine.full_sync()).moved == {"W": 2}
        # Deliver again here: a local act, on one document, to the destination it left
        await engine.deliver_again([local.id], "W")
        summary = await engine.sync_once()
        assert summary.delivered == 1
        # Resend to integrations: the platform puts it back to To fetch, the feed brings it
        await engine.client.resend([platform.id])
        assert (await engine.sync_once()).delivered == 1
        # and neither is written a second time by anything that follows
        assert (await engine.full_sync()).delivered == 0
        assert (await engine.sync_once()).delivered == 0
        assert engine.store.moved() == []
    for document in (local, platform):
        path = _written(office, inbox, document)
        assert path.read_bytes() == office.uploaded[document.id][document.files[0].id]
    assert files_under(office.root) == {_written(office, inbox, d) for d in (local, platform)}
    assert temporaries(office.root) == []


async def test_deliver_again_is_a_no_op_when_the_same_file_is_still_there(office: Office) -> None:
    client = office.new_client("Still There BV")
    document = office.add(client, "receipt")
    inbox = office.root / "inbox"
    office.configure([Destination(name="W", general_path=str(inbox))], {client.id: ["W"]})
    async with running(office) as engine:
        await engine.sync_once()
        await engine.deliver_again([document.id], None)
        await engine.sync_once()
    assert files_under(office.root) == {_written(office, inbox, document)}


async def test_an_archive_destination_gets_its_deleted_files_back(office: Office) -> None:
    client = office.new_client("Archive BV")
    first, second = office.add(client, "receipt"), office.add(client, "receipt")
    inbox, archive = office.root / "inbox", office.root / "archive"
    office.configure(
        [
            Destination(name="Winbooks", general_path=str(inbox)),
            Destination(name="Archive", general_path=str(archive), archive=True),
        ],
        {client.id: ["Winbooks", "Archive"]},
    )
    async with running(office) as engine:
        await engine.sync_once()
    for document in (first, second):  # the importer empties its folder; someone cleans the archive
        _written(office, inbox, document).unlink()
        _written(office, archive, document).unlink()
    async with running(office) as engine:
        summary = await engine.full_sync()
        assert summary.moved == {"Winbooks": 2}  # the import folder: reported only
        assert summary.delivered == 2  # the archive: made complete again
        assert {m.destination for m in engine.store.moved()} == {"Winbooks"}
        assert (await engine.full_sync()).delivered == 0
    assert files_under(office.root) == {_written(office, archive, d) for d in (first, second)}
    for document in (first, second):
        on_platform = office.on_platform(document.id)
        assert on_platform.status.value == "forwarded"
        assert str(_written(office, archive, document)) in on_platform.locations


async def test_a_file_put_back_by_a_person_is_no_longer_reported(office: Office) -> None:
    client = office.new_client("Put Back BV")
    document = office.add(client, "receipt")
    inbox = office.root / "inbox"
    office.configure([Destination(name="W", general_path=str(inbox))], {client.id: ["W"]})
    async with running(office) as engine:
        await engine.sync_once()
        path = _written(office, inbox, document)
        content = path.read_bytes()
        path.unlink()
        assert (await engine.full_sync()).moved == {"W": 1}
        path.write_bytes(content)
        assert (await engine.full_sync()).moved == {}
        assert engine.store.moved() == []


def test_the_command_line_reports_moved_files_and_delivers_them_again(office: Office) -> None:

    client = office.new_client("Command Line BV")
    document = office.add(client, "receipt")
    inbox = office.root / "inbox"
    office.configure([Destination(name="W", general_path=str(inbox))], {client.id: ["W"]})
    assert ferry(office, "sync", "--once").returncode == 0
    path = _written(office, inbox, document)
    path.unlink()
    full = ferry(office, "sync", "--full")
    assert full.returncode == 0, full.stdout + full.stderr
    assert "0 delivered" in full.stdout
    assert "1 forwarded document(s) picked up or moved from W" in full.stdout
    assert not path.exists()
    dutch = ferry(office, "--language", "nl", "status", "--moved")
    (line,) = [line for line in dutch.stdout.splitlines() if line.startswith(document.id)]
    assert "Opgehaald of verplaatst uit W" in line and "Doorgestuurd" in line
    listed = ferry(office, "status", "--moved", "--json")
    assert [json.loads(line)["moved"] for line in listed.stdout.splitlines()] == [["W"]]
    unknown = ferry(office, "deliver-again", "--moved", "--destination", "Nope")
    assert unknown.returncode == 2 and "no destination named 'Nope'" in unknown.stderr
    again = ferry(office, "deliver-again", "--moved")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "1 delivered" in again.stdout
    assert path.read_bytes() == office.uploaded[document.id][document.files[0].id]
    assert ferry(office, "status", "--moved").stdout.count(document.id) == 0
    nothing = ferry(office, "deliver-again", "--moved")
    assert nothing.returncode == 0 and "No document to deliver again" in nothing.stdout
    assert files_under(office.root) == {path}


def test_a_changed_path_applies_to_new_documents_and_old_ones_on_request(office: Office) -> None:
    client = office.new_client("New Path BV")
    old_document = office.add(client, "receipt")
    old_folder, new_folder = office.root / "old", office.root / "new"
    office.configure([Destination(name="W", general_path=str(old_folder))], {client.id: ["W"]})
    assert ferry(office, "sync", "--once").returncode == 0
    changed = ferry(office, "destination", "add", "W", "--path", str(new_folder), "--replace")
    assert changed.returncode == 0, changed.stderr
    assert "ferry deliver-again --destination 'W' --all" in changed.stdout
    new_document = office.add(client, "receipt")
    assert ferry(office, "sync", "--full").returncode == 0
    assert files_under(office.root) == {
        _written(office, old_folder, old_document),
        _written(office, new_folder, new_document),
    }
    needs = ferry(office, "deliver-again", "--all")
    assert needs.returncode == 2 and "--all needs --destination" in needs.stderr
    again = ferry(office, "deliver-again", "--all", "--destination", "W")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "2 delivered" in again.stdout  # the new one was there already: recognised, not copied
    assert files_under(office.root) == {
        _written(office, old_folder, old_document),
        _written(office, new_folder, old_document),
        _written(office, new_folder, new_document),
    }


async def test_a_destination_added_to_a_link_gets_old_documents_only_when_asked(
    office: Office,
) -> None:
    client = office.new_client("Second Package BV")
    document = office.add(client, "receipt")
    first, second = office.root / "first", office.root / "second"
    destinations = [
        Destination(name="First", general_path=str(first)),
        Destination(name="Second", general_path=str(second)),
    ]
    office.configure(destinations, {client.id: ["First"]})
    async with running(office) as engine:
        await engine.sync_once()
    _importer_takes(_written(office, first, document), None)  # First imported it
    office.configure(destinations, {client.id: ["First", "Second"]})
    async with running(office) as engine:
        assert (await engine.full_sync()).delivered == 0  # the monthly one: nothing new
        assert files_under(office.root) == set()
        # a person ticked Second for this client (the Clients tab sends this full sync)
        summary = await engine.full_sync(client.id, new_destinations=True)
        assert summary.delivered == 1 and summary.moved == {"First": 1}
    assert files_under(office.root) == {_written(office, second, document)}  # First: not again
    assert str(_written(office, second, document)) in office.on_platform(document.id).locations
