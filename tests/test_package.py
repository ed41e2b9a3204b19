"""What ships: Ferry built as a wheel and installed outside the checkout finds everything it
reads at run time (the regions file, the translations) inside its own package, and its demo
delivers documents.

The wheel is installed without its dependencies into a folder of its own and run with the
project's environment for those (installing PySide6 and the rest again would only time pip);
the run starts outside the checkout, and the test checks that ``app`` was imported from the
installed wheel, not from the checkout or its editable install.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("package")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = work.glob("ferry-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "app/resources/regions.json",
        "app/resources/translations/ferry_fr.ts",
        "app/resources/translations/ferry_nl.ts",
        "app/api/openapi.json",
    ):
        assert shipped in names, f"{shipped} is not in {wheel.name}"
    target = work / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return target


def _run(
    site: Path, cwd: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(site), "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_installed_package_reads_its_own_resources(installed: Path, tmp_path: Path) -> None:
    probe = _run(
        installed,
        tmp_path,
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
        installed, tmp_path, "-m", "app", "--home", str(home), "demo", "--for", "20", timeout=180
    )
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert "forwarded" in demo.stdout and ", 0 in error." in demo.stdout
    assert any(home.rglob("*.xml")), "no invoice was written under the demo's home"
