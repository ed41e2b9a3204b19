"""What ships: Ferry built as a wheel and installed with pip into a fresh virtual environment
outside the checkout finds everything it reads at run time (the regions file, the
translations) inside its own package, says the version it was built as, and its demo delivers
documents.

pip installs the dependencies too, from its cache when set-up has filled it (about 25 s); the
runs start outside the checkout, and the test checks that ``app`` was imported from the
installed wheel, not from the checkout or its editable install.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app import __version__
from tests.conftest import REPO


def _pip(python: Path | str, *args: str) -> None:
    done = subprocess.run(
        [str(python), "-m", "pip", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fresh environment's folder, with Ferry's wheel and its dependencies installed."""
    work = tmp_path_factory.mktemp("package")
    _pip(sys.executable, "wheel", "--no-deps", "-q", "-w", str(work), str(REPO))
    (wheel,) = work.glob("ferry-*.whl")
    assert wheel.name.startswith(f"ferry-{__version__}-"), wheel.name
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "app/resources/regions.json",
        "app/resources/translations/ferry_fr.ts",
        "app/resources/translations/ferry_nl.ts",
        "app/api/openapi.json",
    ):
        assert shipped in names, f"{shipped} is not in {wheel.name}"
    environment = work / "env"
    made = subprocess.run(
        [sys.executable, "-m", "venv", str(environment)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    _pip(environment / "bin" / "python", "install", "-q", str(wheel))
    return environment


def _run(
    environment: Path, cwd: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """A program of the fresh environment, run outside the checkout without its variables."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(environment / "bin" / args[0]), *args[1:]],
        cwd=cwd,
        env={**env, "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_installed_ferry_says_its_version(installed: Path, tmp_path: Path) -> None:
    done = _run(installed, tmp_path, "ferry", "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Ferry {__version__}"


def test_the_installed_package_reads_its_own_resources(installed: Path, tmp_path: Path) -> None:
    probe = _run(
        installed,
        tmp_path,
        "python",
        "-c",
        "import app, app.regions as r, app.gui.i18n as t; "
        "print(app.__file__); print(r.REGIONS_FILE); print(t.TRANSLATIONS); "
        "print(len(r.regions().regions))",
    )
    assert probe.returncode == 0, probe.stderr
    module, regions, translations, count = probe.stdout.split("\n")[:4]
    for path in (module, regions, translations):
        assert Path(path).is_relative_to(installed), (path, installed)
    assert int(count) >= 4


def test_the_installed_package_runs_the_demo(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    demo = _run(
        installed, tmp_path, "ferry", "--home", str(home), "demo", "--for", "20", timeout=180
    )
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert "forwarded" in demo.stdout and ", 0 in error." in demo.stdout
    assert any(home.rglob("*.xml")), "no invoice was written under the demo's home"
