"""The Linux program as ``scripts/build --linux`` makes it (PyInstaller, natively): it carries
what it loads by name, says its version, checks a Dutch VAT number with python-stdnum's Dutch
rules, and its demo delivers documents. Run from outside the checkout, never with the
project's Python.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from app import __version__
from tests.build.ferry_build import ensure_built
from tests.build.wine import REPO

#: The first test waits for the build (about five minutes under Wine, one natively).
pytestmark = pytest.mark.timeout(1800)
FERRY = REPO / "dist" / "linux" / "Ferry" / "Ferry"


@pytest.fixture(scope="module")
def program() -> Path:
    ensure_built("--linux", REPO / "dist" / "linux" / ".sources", FERRY)
    return FERRY


def ferry(
    program: Path, home: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run(
        [str(program), "--home", str(home), *args],
        cwd=home.parent,
        env={**env, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_it_carries_everything_it_loads_by_name(program: Path, tmp_path: Path) -> None:
    done = ferry(program, tmp_path / "home", "self-check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Ferry {__version__} (built, linux)" in done.stdout


def test_it_says_its_version(program: Path, tmp_path: Path) -> None:
    done = ferry(program, tmp_path / "home", "--version")
    assert done.stdout.strip() == f"Ferry {__version__}"


def test_it_knows_the_dutch_rules(program: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    good = ferry(program, home, "preview-path", "/data/[enterprise_identifier]", "--name", "X",
                 "--vat", "NL004495445B01", "--target", "posix")  # fmt: skip
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip() == "/data/NL004495445B01"
    bad = ferry(program, home, "preview-path", "/data/[enterprise_identifier]", "--name", "X",
                "--vat", "NL004495446B01", "--target", "posix")  # fmt: skip
    assert bad.returncode == 2
    assert "NL004495446B01" in bad.stderr


def test_its_demo_delivers_documents(program: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = ferry(program, home, "demo", "--for", "20", "--trickle", "2", timeout=180)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert ", 0 in error." in done.stdout
    assert int(re.search(r"Stopped: (\d+) document\(s\) forwarded", done.stdout)[1]) > 0
