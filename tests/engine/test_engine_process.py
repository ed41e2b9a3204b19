"""The engine in a child process (issue 7): commands down and events up a pipe, a clean stop,
one engine per home, and neither side left hanging when the other dies."""

from __future__ import annotations

import logging
import os
import queue
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.auth.account import load_login
from app.auth.secret_store import SecretStore
from app.demo_setup import MemoryKeyring
from app.engine.messages import (
    DocumentChanged,
    EngineState,
    Event,
    Pause,
    Resume,
    RunFinished,
    StateChanged,
    SyncNow,
)
from app.engine.process import UNEXPECTED_EXIT, EngineProcess
from app.os_specific import BACKGROUND_NICE
from app.settings import Destination
from tests.engine.conftest import Office
from tests.engine.test_engine_thread import wait_for

ROOT = Path(__file__).resolve().parents[2]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead too
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def state_is(state: EngineState) -> Callable[[Event], bool]:
    return lambda e: isinstance(e, StateChanged) and e.state is state


def test_sync_commands_and_clean_stop(office: Office, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # the child logs at the app's level
    client = office.new_client("Process One BV")
    office.configure(
        [Destination(name="D", general_path=f"{office.root}/[enterprise_name]")], {client.id: ["D"]}
    )
    first = office.add(client, "receipt")
    events: queue.Queue[Event] = queue.Queue()
    engine = EngineProcess(office.home, events.put, long_poll_s=20)
    engine.start(wait=False)
    pid = engine.pid
    assert pid is not None and pid != os.getpid()
    try:
        changed = wait_for(
            events, lambda e: isinstance(e, DocumentChanged) and e.document_id == first.id, 60
        )
        assert isinstance(changed, DocumentChanged) and changed.status == "forwarded"
        assert Path(changed.locations[0]).is_file()
        wait_for(events, lambda e: isinstance(e, RunFinished))
        # every thread of the engine runs below the app's priority (the window stays smooth)
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        expected = min(19, ours + BACKGROUND_NICE)
        threads = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
        assert len(threads) > 2
        assert {os.getpriority(os.PRIO_PROCESS, t) for t in threads} == {expected}

        engine.send(Pause())
        wait_for(events, state_is(EngineState.PAUSED))
        paused = office.add(client, "other")
        time.sleep(1.5)
        assert office.on_platform(paused.id).status.value == "to_fetch"
        engine.send(Resume())
        engine.send(SyncNow())
        wait_for(events, lambda e: isinstance(e, DocumentChanged) and e.document_id == paused.id)
        wait_for(events, lambda e: isinstance(e, RunFinished))
    finally:
        engine.stop(timeout=30)
    assert not alive(pid) and not engine.running
    assert engine.error is None
    assert (office.home.log_dir / "engine.log").is_file()


def test_demo_token_goes_to_the_childs_own_keyring(
    office: Office, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    login = load_login(office.home.settings_dir)
    assert login is not None
    token = SecretStore().load(login.secret_name)
    assert token
    SecretStore().delete(login.secret_name)  # only the in-memory store has it now
    memory = SecretStore(MemoryKeyring())
    memory.save(login.secret_name, token)
    events: queue.Queue[Event] = queue.Queue()
    engine = EngineProcess(office.home, events.put, secrets=memory, long_poll_s=20)
    engine.start(wait=True)
    try:
        wait_for(events, state_is(EngineState.UP_TO_DATE), 60)
    finally:
        engine.stop()
    log_text = (office.home.log_dir / "engine.log").read_text()
    assert token not in log_text
    # the child's login rotated the refresh token; the parent's copy followed it, so a second
    # engine (a restart after a proxy change) logs in with the live token, not a revoked one
    rotated = memory.load(login.secret_name)
    assert rotated and rotated != token
    again = EngineProcess(office.home, events.put, secrets=memory, long_poll_s=20)
    again.start(wait=True)
    try:
        wait_for(events, state_is(EngineState.UP_TO_DATE), 60)
        assert again.error is None
    finally:
        again.stop()


def test_second_engine_on_the_same_home_is_refused(office: Office) -> None:
    events: queue.Queue[Event] = queue.Queue()
    first = EngineProcess(office.home, events.put, long_poll_s=20)
    first.start(wait=True)
    try:
        wait_for(events, state_is(EngineState.UP_TO_DATE), 60)
        refused: queue.Queue[Event] = queue.Queue()
        second = EngineProcess(office.home, refused.put)
        second.start(wait=True)
        stopped = wait_for(refused, state_is(EngineState.STOPPED), 30)
        assert isinstance(stopped, StateChanged) and stopped.detail
        assert stopped.detail != UNEXPECTED_EXIT
        assert second.error == stopped.detail
        second.stop(timeout=10)
        assert not second.running
    finally:
        first.stop()


def test_killed_child_reported_as_stopped(office: Office) -> None:
    events: queue.Queue[Event] = queue.Queue()
    engine = EngineProcess(office.home, events.put, long_poll_s=20)
    engine.start(wait=True)
    try:
        wait_for(events, state_is(EngineState.UP_TO_DATE), 60)
        assert engine.pid is not None
        os.kill(engine.pid, signal.SIGKILL)
        stopped = wait_for(events, state_is(EngineState.STOPPED), 10)
        assert isinstance(stopped, StateChanged) and stopped.detail == UNEXPECTED_EXIT
        engine.send(SyncNow())  # ignored, no hang
    finally:
        started = time.monotonic()
        engine.stop(timeout=5)
        assert time.monotonic() - started < 5


PARENT = textwrap.dedent(
    """
    import logging, sys, time
    from pathlib import Path
    from app.engine.messages import EngineState, StateChanged
    from app.engine.process import EngineProcess
    from app.home import FerryHome

    if __name__ == "__main__":
        logging.getLogger().setLevel(logging.INFO)

        def on_event(event):
            if isinstance(event, StateChanged) and event.state is EngineState.UP_TO_DATE:
                print("up", flush=True)
        engine = EngineProcess(FerryHome.under(Path(sys.argv[1])), on_event, long_poll_s=20)
        engine.start(wait=False)
        print(engine.pid, flush=True)
        time.sleep(600)
    """
)


def test_child_stops_when_the_parent_is_killed(office: Office, tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    root = office.home.settings_dir.parent
    parent = subprocess.Popen(
        [sys.executable, str(script), str(root)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert parent.stdout.readline().strip() == "up"
        assert alive(child)
        parent.kill()
        parent.wait(10)
        deadline = time.monotonic() + 10
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(child), "the engine process outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
    log_text = (office.home.log_dir / "engine.log").read_text()
    assert "the app is gone" in log_text
