"""The engine on its own thread: commands in, events out; live sync, settings applied without
a restart, login lost and regained, offline and back."""

from __future__ import annotations

import datetime as dt
import queue
import time
from collections.abc import Callable
from pathlib import Path

from app.core.kinds import DocumentKind
from app.engine.messages import (
    ClientsLoaded,
    Connectivity,
    DocumentChanged,
    EngineState,
    Event,
    LoginNeededEvent,
    Pause,
    Resume,
    StateChanged,
    SyncNow,
)
from app.engine.thread import EngineThread
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin
from app.settings import ClientLink, Destination, Settings, save_settings
from tests.engine.conftest import Office, logged_in_home


def wait_for(
    events: queue.Queue[Event], test: Callable[[Event], bool], timeout: float = 20
) -> Event:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, "the expected event did not come"
        event = events.get(timeout=remaining)
        if test(event):
            return event


def test_live_sync_commands_and_settings_without_restart(office: Office) -> None:
    first = office.new_client("Thread One BV")
    second = office.new_client("Thread Two BV")
    root = office.root
    office.configure(
        [Destination(name="D", general_path=f"{root}/[enterprise_name]")], {first.id: ["D"]}
    )
    events: queue.Queue[Event] = queue.Queue()
    engine = EngineThread(office.home, events.put, long_poll_s=20)
    engine.start()
    assert engine.error is None and engine.running
    try:
        loaded = wait_for(events, lambda e: isinstance(e, ClientsLoaded))
        assert isinstance(loaded, ClientsLoaded)
        info = next(c for c in loaded.clients if c.id == first.id)
        # the Clients tab shows since when the platform has it linked to the office
        assert info.linked_since is not None and info.linked_since == first.linked_since
        wait_for(
            events, lambda e: isinstance(e, StateChanged) and e.state is EngineState.UP_TO_DATE
        )
        started = time.monotonic()
        document = office.add(first, "receipt")
        changed = wait_for(events, lambda e: isinstance(e, DocumentChanged))
        assert isinstance(changed, DocumentChanged) and changed.document_id == document.id
        assert changed.status == "forwarded" and time.monotonic() - started < 5
        assert Path(changed.locations[0]).is_file()

        # link a second client while running: applies without a restart
        office.configure(
            [Destination(name="D", general_path=f"{root}/[enterprise_name]")],
            {first.id: ["D"], second.id: ["D"]},
        )
        later = office.add(second, "other")
        changed = wait_for(
            events, lambda e: isinstance(e, DocumentChanged) and e.document_id == later.id
        )
        assert (root / "Thread Two BV" / later.files[0].name).is_file()

        engine.send(Pause())
        wait_for(events, lambda e: isinstance(e, StateChanged) and e.state is EngineState.PAUSED)
        paused_doc = office.add(first, "receipt")
        time.sleep(1.5)
        assert office.on_platform(paused_doc.id).status.value == "to_fetch"
        engine.send(Resume())
        engine.send(SyncNow())
        wait_for(
            events, lambda e: isinstance(e, DocumentChanged) and e.document_id == paused_doc.id
        )
    finally:
        engine.stop()
    assert not engine.running


def test_a_revoked_login_is_said_once_and_nothing_is_lost(office: Office) -> None:
    client = office.new_client("Revoked BV")
    office.configure(
        [Destination(name="D", paths={DocumentKind.SALES: f"{office.root}/s"})], {client.id: ["D"]}
    )
    events: queue.Queue[Event] = queue.Queue()
    engine = EngineThread(office.home, events.put, long_poll_s=2)
    engine.start()
    try:
        wait_for(
            events, lambda e: isinstance(e, StateChanged) and e.state is EngineState.UP_TO_DATE
        )
        office.admin.set_faults(access_token_ttl_s=1)
        office.admin.revoke_user(office.realm, "demo")
        document = office.add(client, "sales")
        wait_for(events, lambda e: isinstance(e, LoginNeededEvent))
        time.sleep(3)
        seen: list[Event] = []
        while not events.empty():
            seen.append(events.get())
        assert not [e for e in seen if isinstance(e, LoginNeededEvent)], "told more than once"
        assert office.on_platform(document.id).status.value == "to_fetch"
    finally:
        engine.stop()
    office.admin.clear_faults()
    # a new login (as the person would do), and a new start delivers what waited
    logged_in_home(office.sandbox, office.realm, office.home.settings_dir.parent)
    events = queue.Queue()
    engine = EngineThread(office.home, events.put, long_poll_s=2)
    engine.start()
    try:
        wait_for(events, lambda e: isinstance(e, DocumentChanged) and e.document_id == document.id)
    finally:
        engine.stop()
    assert office.on_platform(document.id).status.value == "forwarded"


def test_offline_is_a_state_and_comes_back(office: Office, tmp_path: Path) -> None:
    own = SandboxServer(tmp_path / "own-sandbox", port=0, seed_documents=0)
    own.start()
    port = own.port
    home = logged_in_home(own, "be", tmp_path / "own-home")
    admin = SandboxAdmin(own.url)
    client = admin.add_client("be", "Offline BV", "BE0403019261")

    save_settings(
        home.settings_dir,
        Settings(
            destinations=[Destination(name="D", general_path=f"{tmp_path}/out")],
            links=[
                ClientLink(
                    client_id=client.id,
                    destinations=["D"],
                    since=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
                )
            ],
        ),
    )
    events: queue.Queue[Event] = queue.Queue()
    engine = EngineThread(home, events.put, long_poll_s=2)
    engine.start()
    try:
        wait_for(
            events, lambda e: isinstance(e, StateChanged) and e.state is EngineState.UP_TO_DATE
        )
        own.stop()
        wait_for(events, lambda e: isinstance(e, Connectivity) and not e.online, timeout=30)
        wait_for(events, lambda e: isinstance(e, StateChanged) and e.state is EngineState.OFFLINE)
        again = SandboxServer(tmp_path / "own-sandbox", port=port, seed_documents=0)
        again.start()
        try:
            document = SandboxAdmin(again.url).add_document(
                "be", client.id, "other", [("back.pdf", b"%PDF-1.4 back online", "application/pdf")]
            )
            engine.send(SyncNow())
            wait_for(events, lambda e: isinstance(e, Connectivity) and e.online, timeout=60)
            wait_for(
                events,
                lambda e: isinstance(e, DocumentChanged) and e.document_id == document.id,
                timeout=60,
            )
            assert (tmp_path / "out" / "back.pdf").read_bytes() == b"%PDF-1.4 back online"
        finally:
            engine.stop()
            again.stop()
    finally:
        if engine.running:
            engine.stop()


def test_the_clients_tab_asks_new_destinations_to_be_filled() -> None:
    """The Clients tab's catch-up is a person's act: its FullSync says so, and the command
    survives the pipe between the window and the engine's process."""
    from app.engine.messages import COMMANDS, FullSync

    command = FullSync(client_id="c1", new_destinations=True)
    assert COMMANDS.validate_json(command.model_dump_json()) == command
    assert FullSync().new_destinations is False  # the scheduled one never fills
