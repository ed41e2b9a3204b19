"""Fixtures shared by every test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def ferry_home(tmp_path: Path) -> Path:
    """A Ferry home of the test's own, so no test touches a user's real folders."""
    home = tmp_path / "ferry-home"
    home.mkdir()
    return home


RunFerry = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_ferry(ferry_home: Path) -> RunFerry:
    """Run ``python -m app`` as a person would, in its own process, with the test's home."""

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "FERRY_HOME": str(ferry_home), "LANG": "C.UTF-8"}
        environment.pop("LC_ALL", None)
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            cwd=REPO,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


def _mount_tmpfs(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write in: a read-only mount as root (root ignores modes), else 0o500."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() == 0:
        _mount_tmpfs(folder, "size=1m,ro")
        try:
            yield folder
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
    else:
        folder.chmod(0o500)
        try:
            yield folder
        finally:
            folder.chmod(0o700)


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB file system, to fill up for real."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    folder = tmp_path / "small"
    folder.mkdir()
    _mount_tmpfs(folder, "size=256k")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
