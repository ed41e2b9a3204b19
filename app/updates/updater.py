"""One update cycle as the faces use it: check, download, verify, unpack; and what to show.

The engine's host (the service, or the tray app's child when there is no service) calls
:func:`prepare` on a worker thread when :mod:`app.updates.schedule` says a check is due or a
person asked, then, at a quiet moment (nothing being delivered), :func:`app.updates.apply.
start_helper` with a plan for the staged version. :func:`status` is what the tray and
``ferry update status`` show: which version runs, whether one is waiting, what the last
update did.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.updates.apply import stage
from app.updates.client import (
    Progress,
    UpdatePaths,
    UpdateSession,
    UpToDate,
    archive_series,
    prune_downloads,
)
from app.updates.failures import UpdateFailureCode, fail
from app.updates.helper import Result, read_result
from app.updates.layout import InstallLayout
from app.updates.policy import UpdatePolicy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Staged:
    """A verified version unpacked beside the running one, waiting to be switched to."""

    version: str
    folder: Path


def prepare(
    policy: UpdatePolicy,
    paths: UpdatePaths,
    layout: InstallLayout,
    running: str,
    trusted_root: Path,
    platform: str | None = None,
    progress: Progress | None = None,
) -> Staged | UpToDate:
    """Check and, when a newer version is offered, download, verify and unpack it.

    Raises :class:`~app.updates.failures.UpdateError` for every refusal; the running
    version's folder and the pointer are never touched here."""
    session = UpdateSession(policy, paths, running, trusted_root, platform)
    offer = session.offer(skip=layout.failed_versions())
    if isinstance(offer, UpToDate):
        log.info("updates: %s is up to date (newest offered: %s)", running, offer.newest_offered)
        return offer
    log.info("updates: %s offered (%s bytes)", offer.version, offer.size)
    if not can_write(layout.versions):
        # nothing to gain from a download this account cannot unpack: said, not retried
        raise fail(UpdateFailureCode.NEEDS_ADMIN, version=offer.version, path=layout.root)
    downloaded = session.download(offer, progress)
    folder = stage(layout, downloaded)
    series = archive_series(platform)
    # the running version's archive and the new one's stay: the next update patches from them
    prune_downloads(paths, keep={downloaded.archive.name, f"{series}-{running}.tar.gz"})
    return Staged(offer.version, folder)


def can_write(folder: Path) -> bool:
    """Whether this account can add a version beside the running one: a file made and
    removed there, since on Windows only trying shows what the folder's access list allows
    (``os.access`` reads the read-only flag alone)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".write-probe-", dir=folder)
    except OSError:
        return False
    os.close(handle)
    Path(probe).unlink(missing_ok=True)
    return True


@dataclass(frozen=True)
class UpdateStatus:
    running: str
    #: the version the pointer names (differs from ``running`` until a restart)
    current: str | None
    #: a staged version newer than the current one, waiting for a quiet moment
    waiting: str | None
    last: Result | None


def status(layout: InstallLayout, running: str) -> UpdateStatus:
    from packaging.version import InvalidVersion, Version

    current = layout.current()
    failed = layout.failed_versions()
    waiting = None
    try:
        base = Version(current or running)
        newer = [
            version
            for version in layout.installed()
            if version not in failed and Version(version) > base
        ]
        waiting = max(newer, key=Version, default=None)
    except InvalidVersion:
        pass
    return UpdateStatus(running, current, waiting, read_result(layout))
