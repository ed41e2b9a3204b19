"""Fixtures shared by every test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
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
