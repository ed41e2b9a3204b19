"""The engine host's side of updates (app/updates/keeper.py): the version marked healthy once
the engine works, checks on the jittered schedule against a real signed repository on
127.0.0.1, refusals leaving the running version untouched, and the service's update applied
only at a quiet moment, once."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from app.engine.messages import EngineState, StateChanged
from app.home import FerryHome
from app.updates.apply import LaunchKind, Plan
from app.updates.keeper import UpdateKeeper
from app.updates.layout import InstallLayout, mark_this_version_healthy
from app.updates.policy import UpdatePolicy
from app.updates.schedule import AFTER_START, JITTER
from tests.updates.conftest import Released, UpdateServer, policy_for, untouched

START = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def _keeper(
    tmp_path: Path,
    installed: InstallLayout,
    released: Released,
    policy: UpdatePolicy,
    clock: Clock,
    *,
    service: bool = False,
) -> tuple[UpdateKeeper, list[Plan]]:
    applied: list[Plan] = []
    keeper = UpdateKeeper(
        FerryHome.under(tmp_path / "home").ensure(),
        service=service,
        layout=installed,
        trusted_root=released.trusted_root,
        now=clock,
        apply=applied.append,
        policy=lambda: policy,
        running="1.0.0",
    )
    return keeper, applied


def _state(keeper: UpdateKeeper, state: EngineState) -> None:
    keeper.on_event(StateChanged(state=state))


def test_the_first_settled_state_marks_the_running_version_healthy_once(
    installed: InstallLayout,
) -> None:
    program = installed.folder("1.0.0") / "Ferry"
    marks: list[str] = []

    def mark(detail: str) -> bool:
        marks.append(detail)
        return mark_this_version_healthy(detail, executable=program)

    keeper = UpdateKeeper(
        FerryHome.under(installed.root.parent / "home"),
        service=True,
        layout=installed,
        mark_healthy=mark,
    )
    for state in (EngineState.STARTING, EngineState.SYNCING):
        _state(keeper, state)
    assert marks == [] and not installed.is_healthy("1.0.0")  # not working yet
    _state(keeper, EngineState.OFFLINE)  # the platform down is no fault of this version
    _state(keeper, EngineState.UP_TO_DATE)
    assert marks == ["engine offline"]
    assert installed.is_healthy("1.0.0")  # the file the update helper waits for


def test_checked_on_schedule_downloaded_and_applied_by_the_service_at_a_quiet_moment(
    tmp_path: Path, installed: InstallLayout, released: Released, server: UpdateServer
) -> None:
    clock = Clock()
    keeper, applied = _keeper(
        tmp_path, installed, released, policy_for(server), clock, service=True
    )
    keeper.tick()
    assert server.requests == []  # not in the busy first minutes after a start
    clock.now = START + AFTER_START * (1 + JITTER) + dt.timedelta(seconds=1)
    _state(keeper, EngineState.SYNCING)
    keeper.tick()
    assert installed.folder("1.1.0").is_dir()  # downloaded, verified, unpacked beside
    assert installed.current() == "1.0.0"
    assert applied == []  # a delivery is under way: not now
    _state(keeper, EngineState.UP_TO_DATE)
    keeper.tick()
    assert [(p.version, p.previous, p.launch) for p in applied] == [
        ("1.1.0", "1.0.0", LaunchKind.SERVICE)
    ]
    assert applied[0].self_check[-1] == "self-check"
    asked = len(server.requests)
    keeper.tick()
    assert len(applied) == 1  # handed to the helper once
    assert len(server.requests) == asked  # and not checked again before its time


def test_the_desktop_app_s_engine_downloads_but_leaves_the_restart_to_the_person(
    tmp_path: Path, installed: InstallLayout, released: Released, server: UpdateServer
) -> None:
    clock = Clock()
    keeper, applied = _keeper(tmp_path, installed, released, policy_for(server), clock)
    clock.now = START + dt.timedelta(hours=1)
    _state(keeper, EngineState.UP_TO_DATE)
    keeper.tick()
    assert installed.folder("1.1.0").is_dir() and applied == []


def test_a_tampered_archive_is_refused_logged_and_not_tried_again_at_once(
    tmp_path: Path,
    installed: InstallLayout,
    released: Released,
    server: UpdateServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    archive = released.repo / "targets" / "Ferry-linux-1.1.0.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    clock = Clock()
    keeper, applied = _keeper(
        tmp_path, installed, released, policy_for(server), clock, service=True
    )
    clock.now = START + dt.timedelta(hours=1)
    _state(keeper, EngineState.UP_TO_DATE)
    with caplog.at_level(logging.WARNING, "app.updates.keeper"):
        keeper.tick()
    assert "updates: the check failed [tampered" in caplog.text
    assert untouched(installed) and applied == []
    asked = len(server.requests)
    clock.now += dt.timedelta(hours=1)  # a refusal waits for the normal interval (6 h)
    keeper.tick()
    assert len(server.requests) == asked


def test_updates_turned_off_ask_nothing(
    tmp_path: Path, installed: InstallLayout, released: Released, server: UpdateServer
) -> None:
    clock = Clock()
    off = UpdatePolicy(url=server.url, enabled=False)
    keeper, applied = _keeper(tmp_path, installed, released, off, clock, service=True)
    clock.now = START + dt.timedelta(days=2)
    _state(keeper, EngineState.UP_TO_DATE)
    keeper.tick()
    assert server.requests == [] and untouched(installed) and applied == []
