"""Applying on Linux with real processes and real files: the running 1.0.0 stops, the helper
switches to 1.1.0, starts it and waits for its health mark; a 1.1.0 that crashes or never
becomes healthy is rolled back by itself and 1.0.0 runs again; a Ferry that does not stop
is never switched under."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.updates.apply import Health, LaunchKind, Plan, start_helper
from app.updates.client import UpdatePaths
from app.updates.failures import UpdateFailureCode
from app.updates.helper import Outcome, Result, _process_alive, read_result
from app.updates.layout import InstallLayout
from app.updates.updater import Staged, prepare, status
from tests.conftest import WINDOWS
from tests.updates.conftest import (
    CHECK_ARGV,
    CRASHES,
    HANGS,
    PLAN_ARGV,
    Released,
    UpdateServer,
    make_build,
    policy_for,
    program_argv,
    release,
    stop_pid,
)

# the helper's processes, files and pointer on Windows too (scripts/test-windows, under Wine)
pytestmark = pytest.mark.windows


@pytest.fixture
def running(installed: InstallLayout) -> Iterator[subprocess.Popen[bytes]]:
    """Ferry 1.0.0 running from its version folder (healthy), stopped at the end."""
    process = subprocess.Popen(program_argv(installed.folder("1.0.0")))
    wait_for(lambda: installed.is_healthy("1.0.0"), 20)
    installed.clear_health("1.0.0")
    yield process
    if process.poll() is None:
        process.terminate()
        process.wait()


@pytest.fixture
def started_pids(installed: InstallLayout) -> Iterator[list[int]]:
    """Processes the helper started (read from their health marks), stopped at the end."""
    pids: list[int] = []
    yield pids
    for mark in (installed.root / "health").glob("*"):
        pids.append(json.loads(mark.read_text())["pid"])
    for pid in pids:
        stop_pid(pid)


def wait_for(condition, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def quit_like_the_tray(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait()


def result_of(layout: InstallLayout, seconds: float = 30) -> Result:
    wait_for(lambda: read_result(layout) is not None, seconds)
    result = read_result(layout)
    assert result is not None
    return result


def plan(layout: InstallLayout, version: str, wait_pid: int | None, **extra: object) -> Plan:
    return Plan(
        root=layout.root,
        version=version,
        previous="1.0.0",
        launch=LaunchKind.PROGRAM,
        argv=PLAN_ARGV,
        wait_pid=wait_pid,
        **extra,  # type: ignore[arg-type]
    )


def stage_release(
    server: UpdateServer, paths: UpdatePaths, released: Released, layout: InstallLayout
) -> Staged:
    staged = prepare(policy_for(server), paths, layout, "1.0.0", released.trusted_root, "linux")
    assert isinstance(staged, Staged)
    return staged


def alive(pid: int) -> bool:
    return _process_alive(pid)  # the helper's own check (os.kill(pid, 0) ends it on Windows)


def test_1_0_to_1_1_applied_and_running(
    server: UpdateServer,
    paths: UpdatePaths,
    released: Released,
    installed: InstallLayout,
    running: subprocess.Popen[bytes],
    started_pids: list[int],
) -> None:
    staged = stage_release(server, paths, released, installed)
    assert status(installed, "1.0.0").waiting == "1.1.0"
    helper = start_helper(plan(installed, staged.version, running.pid, health_seconds=30))
    quit_like_the_tray(running)
    result = result_of(installed)
    assert helper.wait(timeout=30) == 0
    assert (result.outcome, result.version, result.previous) == (Outcome.APPLIED, "1.1.0", "1.0.0")
    assert (installed.current(), installed.previous()) == ("1.1.0", "1.0.0")
    mark = json.loads(installed.health_mark("1.1.0").read_text())
    assert alive(mark["pid"])  # 1.1.0 runs, started by the helper from its own folder
    assert installed.installed() == ["1.0.0", "1.1.0"]  # the previous kept for a rollback
    shown = status(installed, "1.1.0")
    assert (shown.current, shown.waiting, shown.last) == ("1.1.0", None, result)


def test_a_new_version_that_crashes_is_rolled_back_and_the_old_one_runs_again(
    server: UpdateServer,
    paths: UpdatePaths,
    released: Released,
    installed: InstallLayout,
    running: subprocess.Popen[bytes],
    started_pids: list[int],
    tmp_path: Path,
) -> None:
    make_build(tmp_path / "bad", "1.2.0", program=CRASHES)
    release(
        "add",
        "--repo",
        released.repo,
        "--keys",
        released.keys,
        "--build",
        tmp_path / "bad",
        "--version",
        "1.2.0",
        "--platform",
        "linux",
    )
    staged = stage_release(server, paths, released, installed)
    assert staged.version == "1.2.0"
    start_helper(plan(installed, "1.2.0", running.pid, health_seconds=30))
    quit_like_the_tray(running)
    result = result_of(installed)
    assert result.outcome is Outcome.ROLLED_BACK
    assert result.failure is not None
    assert result.failure.code is UpdateFailureCode.UNHEALTHY
    assert result.failure.params["version"] == "1.2.0"
    assert installed.current() == "1.0.0"
    wait_for(lambda: installed.is_healthy("1.0.0"), 20)  # the old version started again
    assert installed.failed_versions() == {"1.2.0"}
    # and it is not offered again here: 1.1.0, the newest that did not fail, is
    installed.result_file.unlink()
    again = prepare(policy_for(server), paths, installed, "1.0.0", released.trusted_root, "linux")
    assert isinstance(again, Staged) and again.version == "1.1.0"


def test_a_new_version_that_never_becomes_healthy_is_rolled_back_at_the_deadline(
    released: Released,
    installed: InstallLayout,
    running: subprocess.Popen[bytes],
    started_pids: list[int],
    tmp_path: Path,
) -> None:
    make_build(installed.folder("1.1.0"), "1.1.0", program=HANGS)
    started = time.monotonic()
    start_helper(plan(installed, "1.1.0", running.pid, health_seconds=2))
    quit_like_the_tray(running)
    result = result_of(installed)
    assert result.outcome is Outcome.ROLLED_BACK
    assert time.monotonic() - started >= 2
    assert installed.current() == "1.0.0"
    wait_for(lambda: installed.is_healthy("1.0.0"), 20)
    hanging = int((installed.folder("1.1.0") / "pid").read_text())
    assert not alive(hanging)  # the unhealthy version was stopped


def test_a_ferry_that_does_not_stop_is_not_switched_under(
    released: Released,
    installed: InstallLayout,
    running: subprocess.Popen[bytes],
) -> None:
    shutil.copytree(released.builds / "1.1.0", installed.folder("1.1.0"))
    helper = start_helper(plan(installed, "1.1.0", running.pid, stop_seconds=1))
    result = result_of(installed)
    assert helper.wait(timeout=10) == 1
    assert result.outcome is Outcome.NOT_APPLIED
    assert result.failure is not None and result.failure.code is UpdateFailureCode.BUSY
    assert installed.current() == "1.0.0"
    assert running.poll() is None  # still running, untouched
    assert not installed.is_healthy("1.1.0")


def test_without_a_health_mark_a_passing_self_check_and_a_steady_run_is_healthy(
    installed: InstallLayout, running: subprocess.Popen[bytes], started_pids: list[int]
) -> None:
    make_build(installed.folder("1.1.0"), "1.1.0", program=HANGS)  # writes no mark
    start_helper(
        plan(
            installed,
            "1.1.0",
            running.pid,
            health=Health.RUNS,
            self_check=CHECK_ARGV,
            settle_seconds=1.5,
        )
    )
    quit_like_the_tray(running)
    result = result_of(installed)
    assert result.outcome is Outcome.APPLIED
    assert installed.current() == "1.1.0"
    started_pids.append(int((installed.folder("1.1.0") / "pid").read_text()))
    assert alive(started_pids[-1])


def test_a_failing_self_check_is_rolled_back(
    installed: InstallLayout, running: subprocess.Popen[bytes], started_pids: list[int]
) -> None:
    make_build(installed.folder("1.1.0"), "1.1.0", program=HANGS, self_check_passes=False)
    start_helper(
        plan(
            installed,
            "1.1.0",
            running.pid,
            health=Health.RUNS,
            self_check=CHECK_ARGV,
            settle_seconds=1.5,
        )
    )
    quit_like_the_tray(running)
    result = result_of(installed)
    assert result.outcome is Outcome.ROLLED_BACK
    assert installed.current() == "1.0.0"
    wait_for(lambda: installed.is_healthy("1.0.0"), 20)
    assert_stopped(installed.folder("1.1.0") / "pid")


def assert_stopped(pid_file: Path, seconds: float = 5) -> None:
    """The hanging fake writes its pid when it runs: stopped before it wrote it (the check
    failed that fast), no file comes; left running, it comes and names a live process."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pid_file.exists():
            time.sleep(0.2)  # written whole
            assert not alive(int(pid_file.read_text()))
            return
        time.sleep(0.1)


def test_the_running_program_marks_its_own_version_healthy(tmp_path: Path) -> None:
    from app.updates.layout import mark_this_version_healthy

    layout = InstallLayout(tmp_path / "install")
    program = layout.folder("1.1.0") / "Ferry"
    program.parent.mkdir(parents=True)
    program.touch()
    assert mark_this_version_healthy("engine up to date", program)
    assert layout.is_healthy("1.1.0")
    assert json.loads(layout.health_mark("1.1.0").read_text())["detail"] == "engine up to date"
    flat = tmp_path / "Program Files" / "Ferry" / "Ferry"
    flat.parent.mkdir(parents=True)
    flat.touch()
    assert not mark_this_version_healthy("", flat)  # a flat installation: nothing to mark


def test_a_plan_for_a_missing_folder_stops_nothing(
    installed: InstallLayout, running: subprocess.Popen[bytes]
) -> None:
    from app.updates.helper import run

    result = run(plan(installed, "1.1.0", running.pid, stop_seconds=1))
    assert result.outcome is Outcome.NOT_APPLIED
    assert result.failure is not None and result.failure.code is UpdateFailureCode.DISK
    assert running.poll() is None and installed.current() == "1.0.0"


def test_a_program_that_cannot_be_started_is_rolled_back(
    released: Released,
    installed: InstallLayout,
    running: subprocess.Popen[bytes],
    started_pids: list[int],
) -> None:
    from app.updates.helper import run

    installed.folder("1.1.0").mkdir(parents=True)  # a folder without the program
    quit_like_the_tray(running)
    result = run(plan(installed, "1.1.0", running.pid, stop_seconds=5))
    assert result.outcome is Outcome.ROLLED_BACK
    assert result.failure is not None
    # on Windows the fake's program is the Python running the tests: it starts, then stops
    expected = UpdateFailureCode.UNHEALTHY if WINDOWS else UpdateFailureCode.START_FAILED
    assert result.failure.code is expected
    assert installed.current() == "1.0.0"
    wait_for(lambda: installed.is_healthy("1.0.0"), 20)
