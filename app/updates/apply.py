"""From a verified archive to a version folder, and the plan the helper carries out.

Applying has two halves in two processes. This half runs in Ferry while it still works:
unpack the verified archive into ``versions/<new>/`` (under a temporary name first, so a
half-unpacked folder never looks like a version), write a :class:`Plan`, and start the
helper (:mod:`app.updates.helper`) as a process of its own. The other half, in the helper,
waits for this Ferry to stop, switches the pointer, starts the new version, and rolls back
by itself when the new one does not come up healthy. The plan is a JSON file because it
crosses that process boundary (and on Windows, the service's).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tarfile
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from app.atomic_files import write_text_atomic
from app.updates.client import Downloaded
from app.updates.failures import UpdateFailureCode, fail
from app.updates.layout import InstallLayout, valid_version

log = logging.getLogger(__name__)

PLAN_FILE = "update-plan.json"


class LaunchKind(StrEnum):
    PROGRAM = "program"  # start a program from the version folder (the tray app, the tests)
    SERVICE = "service"  # point the Windows service at the version folder and start it


class Health(StrEnum):
    """How the helper knows the new version came up."""

    #: the new version writes its health mark once it works (the engine reached "up to date")
    MARK = "mark"
    #: the new version's own self-check passes and it still runs ``settle_seconds`` later:
    #: for a version (or a host) that does not write the mark
    RUNS = "runs"


class Plan(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    root: Path
    version: str
    previous: str
    launch: LaunchKind = LaunchKind.PROGRAM
    #: PROGRAM: the command, its first item relative to the version folder
    argv: tuple[str, ...] = ()
    #: SERVICE: the service's name, and its arguments after the program
    service: str = "Ferry"
    #: the process to wait for before switching (the Ferry that asked), None for none
    wait_pid: int | None = None
    stop_seconds: float = Field(default=60.0, gt=0)
    health: Health = Health.MARK
    #: MARK: how long the new version has to write its health mark
    health_seconds: float = Field(default=120.0, gt=0)
    #: RUNS: the self-check's command (first item relative to the version folder), and how
    #: long the new version must keep running
    self_check: tuple[str, ...] = ()
    settle_seconds: float = Field(default=30.0, gt=0)


def stage(layout: InstallLayout, downloaded: Downloaded) -> Path:
    """Unpack the verified archive into ``versions/<version>/`` and return that folder.

    tarfile's ``data`` filter refuses absolute names, ``..``, links leaving the folder and
    device files: the archive's signature is checked already, this is the second wall."""
    if not valid_version(downloaded.version):
        raise ValueError(f"not a version: {downloaded.version!r}")
    final = layout.folder(downloaded.version)
    if final.is_dir():
        return final  # unpacked by an earlier attempt: a folder appears only when complete
    partial = final.with_name(final.name + ".partial")
    try:
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        with tarfile.open(downloaded.archive, mode="r:gz") as archive:
            archive.extractall(partial, filter="data")
        partial.rename(final)
    except (OSError, tarfile.TarError) as error:
        shutil.rmtree(partial, ignore_errors=True)
        said = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise fail(UpdateFailureCode.DISK, said=said, path=final) from error
    log.info("updates: %s unpacked into %s", downloaded.version, final)
    return final


def write_plan(plan: Plan) -> Path:
    path = plan.root / PLAN_FILE
    write_text_atomic(path, plan.model_dump_json(indent=2))
    return path


def read_plan(path: Path) -> Plan:
    return Plan.model_validate_json(path.read_text(encoding="utf-8"))


def helper_command(plan_file: Path, home: str | None = None) -> list[str]:
    """How this program starts the helper: the frozen program runs its own
    ``update helper`` command (in the same Ferry home); from source, the module."""
    if getattr(sys, "frozen", False):
        options = ["--home", home] if home else []
        return [sys.executable, *options, "update", "helper", "--plan", str(plan_file)]
    return [sys.executable, "-m", "app.updates.helper", "--plan", str(plan_file)]


def start_detached(argv: list[str], cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """Start a process that outlives this one: the helper must survive the Ferry (or the
    service) it stops, and a version it starts must survive the helper."""
    options: dict[str, object] = {}
    if sys.platform == "win32":  # pragma: no cover - Windows only
        options["creationflags"] = (
            subprocess.DETACHED_PROCESS  # type: ignore[attr-defined]
            | subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
            | 0x01000000  # CREATE_BREAKAWAY_FROM_JOB: out of the service's job, if any
        )
    else:
        options["start_new_session"] = True
    process: subprocess.Popen[bytes] = subprocess.Popen(  # noqa: S603 - our own program
        argv,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        env=dict(os.environ),
        **options,  # type: ignore[call-overload]
    )
    return process


def start_helper(plan: Plan, home: str | None = None) -> subprocess.Popen[bytes]:
    """Write the plan and start the helper. The caller then stops itself (the tray app
    quits; the service is stopped by the helper)."""
    plan_file = write_plan(plan)
    return start_detached(helper_command(plan_file, home), cwd=plan.root)
