"""The update helper: switch to the new version, start it, and go back by itself if it fails.

Started by :func:`app.updates.apply.start_helper` as a process of its own (``ferry update
helper --plan FILE`` in a build, ``python -m app.updates.helper --plan FILE`` from source),
it outlives the Ferry that asked, which is what lets that Ferry's files stop being in use:

1. wait for the asking Ferry to exit (the tray app quits) or stop the service;
2. switch ``current`` to the new version (``previous`` keeps the old one);
3. start the new version and wait for its health mark (:meth:`InstallLayout.mark_healthy`),
   or, for a version or host that writes none (:attr:`Health.RUNS`), run its self-check and
   watch that it keeps running for a while;
4. healthy: record "applied", remove versions older than the previous one;
   not healthy in time, or exited: stop it, switch back, start the old version again,
   record "rolled back" and never offer that version here again.

Every outcome is written to ``update-result.json`` for the tray and ``ferry update status``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.atomic_files import write_text_atomic
from app.updates.apply import Health, LaunchKind, Plan, read_plan, start_detached
from app.updates.failures import UpdateFailure, UpdateFailureCode
from app.updates.layout import InstallLayout

log = logging.getLogger(__name__)

POLL_S = 0.2


class Outcome(StrEnum):
    APPLIED = "applied"
    ROLLED_BACK = "rolled_back"
    NOT_APPLIED = "not_applied"  # nothing was switched (the running Ferry did not stop)


@dataclass(frozen=True)
class Result:
    version: str
    previous: str
    outcome: Outcome
    failure: UpdateFailure | None = None
    at: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "previous": self.previous,
                "outcome": self.outcome.value,
                "failure": self.failure.to_json() if self.failure else None,
                "at": self.at,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Result:
        data = json.loads(text)
        failure = data.get("failure")
        return cls(
            str(data["version"]),
            str(data["previous"]),
            Outcome(data["outcome"]),
            UpdateFailure.from_json(failure) if isinstance(failure, dict) else None,
            str(data.get("at", "")),
        )


def read_result(layout: InstallLayout) -> Result | None:
    try:
        return Result.from_json(layout.result_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as error:
        log.warning("updates: %s cannot be read: %s", layout.result_file, error)
        return None


class Started:
    """A started version: a process the helper can watch, or the Windows service."""

    def __init__(self, plan: Plan, version: str, process: subprocess.Popen[bytes] | None) -> None:
        self.plan = plan
        self.version = version
        self.process = process

    def exited(self) -> bool:
        if self.process is not None:
            return self.process.poll() is not None
        return _service_stopped(self.plan.service)

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=self.plan.stop_seconds)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        else:
            _stop_service(self.plan.service, self.plan.stop_seconds)


def launch(plan: Plan, layout: InstallLayout, version: str) -> Started:
    folder = layout.folder(version)
    if plan.launch is LaunchKind.SERVICE:
        _point_service(plan.service, folder)
        _start_service(plan.service)
        return Started(plan, version, None)
    if not plan.argv:
        raise ValueError("a program launch needs argv")
    program = folder / plan.argv[0]
    process = start_detached([str(program), *plan.argv[1:]], cwd=folder)
    return Started(plan, version, process)


def wait_healthy(layout: InstallLayout, started: Started, seconds: float) -> bool:
    """Until the health mark appears (healthy), the version exits, or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if layout.is_healthy(started.version):
            return True
        if started.exited():
            return layout.is_healthy(started.version)
        time.sleep(POLL_S)
    return layout.is_healthy(started.version)


def runs_and_checks(plan: Plan, layout: InstallLayout, started: Started) -> bool:
    """:attr:`Health.RUNS`: the new version's self-check passes (it carries everything it
    loads by name) and it has not stopped ``settle_seconds`` later."""
    if plan.self_check:
        folder = layout.folder(started.version)
        command = [str(folder / plan.self_check[0]), *plan.self_check[1:]]
        try:
            checked = subprocess.run(  # noqa: S603 - the new version's own program
                command,
                cwd=folder,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=plan.health_seconds,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            log.warning("updates: the self-check of %s did not run: %s", started.version, error)
            return False
        if checked.returncode != 0:
            log.warning(
                "updates: the self-check of %s failed (%s): %s",
                started.version,
                checked.returncode,
                checked.stdout.decode(errors="replace")[-2000:],
            )
            return False
    deadline = time.monotonic() + plan.settle_seconds
    while time.monotonic() < deadline:
        if started.exited():
            return False
        time.sleep(POLL_S)
    return not started.exited()


def healthy(plan: Plan, layout: InstallLayout, started: Started) -> bool:
    if plan.health is Health.RUNS:
        return runs_and_checks(plan, layout, started)
    return wait_healthy(layout, started, plan.health_seconds)


def run(plan: Plan, now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> Result:
    layout = InstallLayout(plan.root)

    def record(outcome: Outcome, failure: UpdateFailure | None = None) -> Result:
        result = Result(
            plan.version, plan.previous, outcome, failure, now().isoformat(timespec="seconds")
        )
        write_text_atomic(layout.result_file, result.to_json())
        log.info("updates: %s -> %s: %s %s", plan.previous, plan.version, outcome, failure or "")
        return result

    for version in (plan.version, plan.previous):
        if not layout.folder(version).is_dir():  # checked before anything is stopped
            return record(
                Outcome.NOT_APPLIED,
                UpdateFailure(
                    UpdateFailureCode.DISK,
                    {"said": "no such version folder", "path": str(layout.folder(version))},
                ),
            )
    if not _wait_stopped(plan):
        return record(
            Outcome.NOT_APPLIED,
            UpdateFailure(UpdateFailureCode.BUSY, {"seconds": str(plan.stop_seconds)}),
        )
    # From here Ferry is stopped: whatever fails, the previous version must run again.
    failure: UpdateFailure
    try:
        layout.clear_health(plan.version)
        layout.switch(plan.version, previous=plan.previous)
        started = launch(plan, layout, plan.version)
    except Exception as error:  # any fault here ends in the rollback below
        failure = UpdateFailure(
            UpdateFailureCode.START_FAILED, {"version": plan.version, "said": str(error)}
        )
    else:
        if healthy(plan, layout, started):
            layout.prune(keep={plan.version, plan.previous})
            return record(Outcome.APPLIED)
        started.stop()
        failure = UpdateFailure(
            UpdateFailureCode.UNHEALTHY,
            {
                "version": plan.version,
                "running": plan.previous,
                "seconds": str(
                    plan.settle_seconds if plan.health is Health.RUNS else plan.health_seconds
                ),
            },
        )
    # back to the version that worked: the pointer first, so even a failed start of the old
    # version leaves the right one to start at the next boot
    layout.switch(plan.previous, previous=None)
    layout.add_failed_version(plan.version)
    try:
        launch(plan, layout, plan.previous)
    except (OSError, ValueError) as error:
        log.error("updates: the previous version %s did not start again: %s", plan.previous, error)
    return record(Outcome.ROLLED_BACK, failure)


def _wait_stopped(plan: Plan) -> bool:
    if plan.launch is LaunchKind.SERVICE:
        return _stop_service(plan.service, plan.stop_seconds)
    if plan.wait_pid is None:
        return True
    deadline = time.monotonic() + plan.stop_seconds
    while time.monotonic() < deadline:
        if not _process_alive(plan.wait_pid):
            return True
        time.sleep(POLL_S)
    return not _process_alive(plan.wait_pid)


# -- the OS-specific part ------------------------------------------------------------------


def _process_alive(pid: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        synchronize, wait_timeout = 0x00100000, 0x102
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(synchronize, False, pid)
        if not handle:
            return False  # gone (or never ours to see)
        try:
            return bool(kernel32.WaitForSingleObject(handle, 0) == wait_timeout)
        finally:
            kernel32.CloseHandle(handle)
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_service(name: str, timeout: float) -> bool:  # pragma: no cover - Windows only
    from app.service import windows_service

    try:
        state = windows_service.stop(name, timeout=timeout)
    except windows_service.ServiceError as error:
        if error.winerror == windows_service.ERROR_SERVICE_NOT_ACTIVE:
            return True
        log.warning("updates: the service %s did not stop: %s", name, error)
        return False
    return state == windows_service.State.STOPPED


def _service_stopped(name: str) -> bool:  # pragma: no cover - Windows only
    from app.service import windows_service

    return windows_service.query(name) in (None, windows_service.State.STOPPED)


def _start_service(name: str) -> None:  # pragma: no cover - Windows only
    from app.service import windows_service

    try:
        state = windows_service.start(name)
    except windows_service.ServiceError as error:
        raise OSError(str(error)) from error
    if state != windows_service.State.RUNNING:  # it started, then stopped by itself
        raise OSError(f"the service {name} stopped again: {windows_service.state_word(state)}")


def _point_service(name: str, folder: Path) -> None:  # pragma: no cover - Windows only
    from app.service import windows_service

    try:
        windows_service.point_at(str(folder / windows_service.SERVICE_EXE), name)
    except windows_service.ServiceError as error:
        raise OSError(f"the service {name} cannot be pointed at {folder}: {error}") from error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ferry update helper")
    parser.add_argument("--plan", type=Path, required=True)
    args = parser.parse_args(argv)
    plan = read_plan(args.plan)
    logging.basicConfig(
        filename=str(plan.root / "update-helper.log"),
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    result = run(plan)
    return 0 if result.outcome is Outcome.APPLIED else 1


if __name__ == "__main__":
    sys.exit(main())
