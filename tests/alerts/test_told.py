"""What the keeper told, kept in the state folder across restarts (issue 17): the file itself
(written whole or not at all, read back as written, a damaged one set aside), and two keepers
one after the other over the same home, fed the engine's events as a hosted engine feeds them.
The real engine's restarts with a real SMTP server are in test_alerts_restart.py."""

from __future__ import annotations

import concurrent.futures
import json
import logging
import time
from pathlib import Path

import pytest

from app.alerts.keeper import AlertKeeper
from app.alerts.told import TOLD_FILE, Told, load_told, save_told
from app.alerts.watchdog import Alert, AlertKind, iso
from app.engine.messages import AlertChanged, EngineState, Event, StateChanged
from app.home import FerryHome

T0 = 1_780_000_000.0


def test_what_was_told_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / TOLD_FILE
    share = Alert.of(AlertKind.DESTINATION_UNREACHABLE, destination="Share", since=iso(T0))
    login = Alert.of(AlertKind.LOGIN_NEEDED, since=iso(T0 + 5))
    told = [Told(share, T0 + 3600, True, ("doc-2", "doc-1")), Told(login, T0 + 6)]
    save_told(path, told)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [item["key"] for item in data["told"]] == [
        "destination_unreachable|Share",
        "login_needed",
    ]
    assert data["told"][0]["told_at"] == iso(T0 + 3600)
    assert load_told(path) == [Told(share, T0 + 3600, True, ("doc-1", "doc-2")), told[1]]
    assert [p.name for p in tmp_path.iterdir()] == [TOLD_FILE]  # no temporary left
    save_told(path, [])
    assert not path.exists()
    assert load_told(path) == []


def test_a_damaged_file_is_set_aside_never_a_reason_not_to_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / TOLD_FILE
    path.write_text('{"told": [{"kind": "login_need', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="app.alerts.told"):
        assert load_told(path) == []
    assert "cannot be read" in caplog.text
    path.write_text(
        json.dumps({"told": [{"kind": "a_later_kind"}, {"kind": "login_needed", "params": {}}]}),
        encoding="utf-8",
    )
    assert [entry.key for entry in load_told(path)] == ["login_needed"]


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def keeper(home: FerryHome, clock: Clock, said: list[tuple[str, bool]]) -> AlertKeeper:
    def publish(event: Event) -> None:
        if isinstance(event, AlertChanged):
            said.append((event.kind, event.raised))

    def waiting() -> concurrent.futures.Future[int]:
        done: concurrent.futures.Future[int] = concurrent.futures.Future()
        done.set_result(0)
        return done

    return AlertKeeper(home, publish=publish, waiting=waiting, clock=clock)


def wait_for(said: list[tuple[str, bool]], count: int) -> None:
    for _ in range(200):
        if len(said) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"said {said}, expected {count}")


def test_a_second_keeper_over_the_same_home_does_not_say_it_again(tmp_path: Path) -> None:
    home = FerryHome.under(tmp_path / "home").ensure()
    clock = Clock()
    said: list[tuple[str, bool]] = []
    first = keeper(home, clock, said)
    first.start()
    try:
        first.on_event(StateChanged(state=EngineState.LOGIN_NEEDED))
        wait_for(said, 1)
    finally:
        first.stop()
    assert said == [("login_needed", True)]
    assert [entry.key for entry in load_told(home.state_dir / TOLD_FILE)] == ["login_needed"]

    clock.now += 3600  # an hour later, the next engine: still refused
    second = keeper(home, clock, said)
    second.start()
    try:
        second.on_event(StateChanged(state=EngineState.STARTING))
        second.on_event(StateChanged(state=EngineState.LOGIN_NEEDED))
        time.sleep(0.5)
        assert said == [("login_needed", True)]
        second.on_event(StateChanged(state=EngineState.UP_TO_DATE))  # it works again
        wait_for(said, 2)
    finally:
        second.stop()
    assert said == [("login_needed", True), ("login_needed", False)]
    assert not (home.state_dir / TOLD_FILE).exists()

    third = keeper(home, clock, said)  # over: a new episode is told again
    third.start()
    try:
        third.on_event(StateChanged(state=EngineState.LOGIN_NEEDED))
        wait_for(said, 3)
    finally:
        third.stop()
    assert said[2] == ("login_needed", True)
