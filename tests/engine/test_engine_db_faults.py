"""Nextcloud's database fault loop: make the i-th write of the state store fail, for every i
over a sync of a few dozen documents; each time the next run must reach the same end state
(all delivered once, all Forwarded)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from app.engine.engine import Engine
from app.settings import ClientLink, Destination, load_settings, save_settings
from tests.engine.conftest import Office

DOCUMENTS = 24


class InjectedFault(sqlite3.OperationalError):
    pass


async def _run(office: Office, fail_at: int | None) -> int:
    """One engine run (as after a restart); with ``fail_at`` its n-th state write fails."""
    engine = Engine(office.home, concurrency=4)
    await engine.open()
    assert engine.state is not None
    engine.state.writes = 0

    def hook(count: int) -> None:
        if count == fail_at:
            raise InjectedFault("disk I/O error (injected)")

    engine.state.write_hook = hook if fail_at else None
    try:
        await engine.sync_once()
    except sqlite3.OperationalError:
        pass
    finally:
        writes = engine.state.writes
        engine.state.write_hook = None
        await engine.close()
    return writes


def _link(office: Office, client_id: str) -> None:
    settings = load_settings(office.home.settings_dir)
    link = ClientLink(
        client_id=client_id,
        destinations=["Disk"],
        since=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5),
    )
    save_settings(
        office.home.settings_dir, settings.model_copy(update={"links": [*settings.links, link]})
    )


def _check(office: Office, documents: list, folder: Path) -> None:  # type: ignore[type-arg]
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    assert not [p for p in files if p.name.startswith(".~ferry-") or " (2)" in p.name]
    assert len(files) == len(documents)
    for document in documents:
        on_platform = office.on_platform(document.id)
        assert on_platform.status.value == "forwarded"
        (location,) = on_platform.locations
        assert Path(location).read_bytes() == office.uploaded[document.id][document.files[0].id]


@pytest.mark.timeout(1200)
async def test_every_failing_state_write_is_recovered_by_the_next_run(office: Office) -> None:
    office.configure(
        [Destination(name="Disk", general_path=f"{office.root}/[accounting_file_id]")], {}
    )
    await _run(office, None)  # move the feed cursor past everything that came before

    def batch(label: str) -> tuple[list, Path]:  # type: ignore[type-arg]
        client = office.new_client(f"Fault {label} BV", file_id=f"F{label}")
        _link(office, client.id)
        documents = [
            office.add(
                client,
                "other",
                files=[(f"f{n}.pdf", f"%PDF-1.4 {label}-{n}".encode() * 50, "application/pdf")],
            )
            for n in range(DOCUMENTS)
        ]
        return documents, office.root / f"F{label}"

    documents, folder = batch("clean")
    total = await _run(office, None)
    _check(office, documents, folder)
    # the run's own (start, feed, finish) and at least one commit of delivered documents;
    # documents reported together are recorded together, so there may be fewer than documents
    assert total >= 4
    print(f"\nfailing each of the {total} state writes of a {DOCUMENTS}-document sync in turn")
    for fail_at in range(1, total + 1):
        documents, folder = batch(str(fail_at))
        await _run(office, fail_at)
        await _run(office, None)
        _check(office, documents, folder)
