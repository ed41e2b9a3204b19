"""An installation of Ferry as versioned folders, a pointer to the one that runs, health marks.

    <root>/versions/1.0.0/    a one-folder build, never changed once there
    <root>/versions/1.1.0/
    <root>/current            "1.1.0": the version that starts
    <root>/previous           "1.0.0": the version a failed update goes back to
    <root>/health/1.1.0       written by 1.1.0 itself once it is up (the helper waits for it)
    <root>/update-result.json what the last update did (the tray and ``ferry update status``)
    <root>/failed-versions    versions that did not come up here: never offered again

Why folders side by side instead of files copied over the running ones (tufup's default):
a running program's files cannot be replaced on Windows, a copy that stops half-way leaves
neither version, and going back needs the old files whole. Switching is one small file
replaced atomically; the old version's folder stays for the rollback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from app.atomic_files import write_text_atomic

_VERSION = re.compile(r"[0-9]+(\.[0-9]+)*((a|b|rc)[0-9]+)?")


def valid_version(text: str) -> bool:
    """A release version (1.2.0, 1.2.0b1: what scripts/release-update accepts). It names a
    folder, so nothing else may pass: no separator, no "..", no ".partial"."""
    return bool(_VERSION.fullmatch(text))


@dataclass(frozen=True)
class InstallLayout:
    root: Path

    @classmethod
    def of_program(cls, executable: Path | None = None) -> InstallLayout | None:
        """The layout the running (frozen) program belongs to, when it runs from
        ``<root>/versions/<version>/``; None for an installation of the older, flat kind
        and for a run from source."""
        if executable is None:
            if not getattr(sys, "frozen", False):
                return None
            executable = Path(sys.executable)
        folder = executable.resolve().parent
        if folder.parent.name != "versions" or not valid_version(folder.name):
            return None
        return cls(folder.parent.parent)

    @property
    def versions(self) -> Path:
        return self.root / "versions"

    def folder(self, version: str) -> Path:
        if not valid_version(version):
            raise ValueError(f"not a version: {version!r}")
        return self.versions / version

    def _read(self, name: str) -> str | None:
        try:
            text = (self.root / name).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return text if valid_version(text) else None

    def current(self) -> str | None:
        return self._read("current")

    def previous(self) -> str | None:
        return self._read("previous")

    def installed(self) -> list[str]:
        if not self.versions.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.versions.iterdir()
            if entry.is_dir() and valid_version(entry.name)
        )

    def switch(self, version: str, previous: str | None) -> None:
        """Make ``version`` the one that starts. ``current`` is written last: a crash between
        the two writes leaves the old version current (and a harmless ``previous``)."""
        if not self.folder(version).is_dir():
            raise FileNotFoundError(f"no folder for version {version}: {self.folder(version)}")
        if previous is not None:
            write_text_atomic(self.root / "previous", previous + "\n")
        write_text_atomic(self.root / "current", version + "\n")

    # health: written by the new version, read by the helper

    def health_mark(self, version: str) -> Path:
        return self.root / "health" / self.folder(version).name

    def mark_healthy(self, version: str, detail: str = "") -> None:
        mark = self.health_mark(version)
        mark.parent.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        write_text_atomic(mark, json.dumps({"at": stamp, "pid": os.getpid(), "detail": detail}))

    def is_healthy(self, version: str) -> bool:
        return self.health_mark(version).exists()

    def clear_health(self, version: str) -> None:
        self.health_mark(version).unlink(missing_ok=True)

    # what happened: read by the tray and `ferry update status`

    @property
    def result_file(self) -> Path:
        return self.root / "update-result.json"

    def failed_versions(self) -> set[str]:
        try:
            text = (self.root / "failed-versions").read_text(encoding="utf-8")
        except FileNotFoundError:
            return set()
        return {line.strip() for line in text.splitlines() if valid_version(line.strip())}

    def add_failed_version(self, version: str) -> None:
        versions = self.failed_versions() | {version}
        write_text_atomic(
            self.root / "failed-versions", "".join(f"{v}\n" for v in sorted(versions))
        )

    def prune(self, keep: set[str]) -> list[str]:
        """Remove version folders not in ``keep``; a folder still in use stays (Windows
        refuses) and goes at the next update. Returns the versions removed."""
        removed = []
        for version in self.installed():
            if version in keep:
                continue
            shutil.rmtree(self.folder(version), ignore_errors=True)
            if not self.folder(version).exists():
                removed.append(version)
        return removed


def mark_this_version_healthy(detail: str = "", executable: Path | None = None) -> bool:
    """Tell the update helper that the version running now works: the one call the engine's
    host makes once the engine reached its first "up to date" (the service, or the tray
    app's child). Does nothing (False) for a run from source or a flat installation."""
    layout = InstallLayout.of_program(executable)
    if layout is None:
        return False
    folder = (executable or Path(sys.executable)).resolve().parent
    layout.mark_healthy(folder.name, detail)
    return True
