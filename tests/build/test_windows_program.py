"""The real Windows program, as an IT partner gets it: ``scripts/build`` makes Ferry.exe with
PyInstaller under Wine and wraps it in the installer; here it is installed silently into a
fresh Windows (a Wine prefix of its own), asked for what it carries, made to sync, and
uninstalled.

The build takes about five minutes, so it is made once and reused while nothing it is made of
has changed (:mod:`tests.build.ferry_build`); a developer who changed none of it pays only for
the checks. Everything
here runs the frozen program itself, never Python from the checkout.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import __version__
from tests.build.ferry_build import ensure_built
from tests.build.ferry_setup import DEFAULT_FOLDER, install, uninstall
from tests.build.wine import (
    REPO,
    WinePrefix,
    add_standins,
    make_prefix,
    missing_tools,
    run_windows,
    stop_prefix,
    windows_path,
)

SETUP_EXE = REPO / "dist" / f"Ferry-Setup-{__version__}.exe"
#: The first test waits for the build (about five minutes under Wine, one natively).
pytestmark = pytest.mark.timeout(1800)
FERRY = DEFAULT_FOLDER + r"\Ferry.exe"


@pytest.fixture(scope="module")
def setup_exe() -> Path:
    """The installer of this checkout's Ferry, built now unless the last build still is."""
    missing = missing_tools()
    assert not missing, f"missing {', '.join(missing)}: run `python3 scripts/windows.py setup`"
    ensure_built("--windows", REPO / "dist" / "windows" / ".sources", SETUP_EXE)
    return SETUP_EXE


@pytest.fixture(scope="module")
def windows(setup_exe: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WinePrefix]:
    """A fresh Windows with Ferry installed silently, as an IT partner's script would."""
    prefix = make_prefix(tmp_path_factory.mktemp("ferry-windows") / "prefix")
    add_standins(prefix)  # what Wine 8.0 lacks and Windows 10 has (never shipped)
    try:
        done = install(prefix, setup_exe, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        yield prefix
    finally:
        stop_prefix(prefix)


def ferry(
    prefix: WinePrefix, *args: str, home: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The installed Ferry.exe with its own home (the windowed program prints when its
    output is redirected, as a script's is)."""
    return run_windows(prefix, [FERRY, "--home", windows_path(home), *args], timeout)


def test_installed_where_an_it_partner_expects_it(windows: WinePrefix) -> None:
    folder = windows.host_path(DEFAULT_FOLDER)
    for name in ("Ferry.exe", "ferry-cli.exe", "Uninstall.exe"):  # the launchers
        assert (folder / name).is_file(), f"{name} is not in {DEFAULT_FOLDER}"
    # the program in its version's folder, which the launchers start (updates add the next)
    assert (folder / "current").read_text(encoding="utf-8").strip() == __version__
    program = folder / "versions" / __version__
    assert (program / "Ferry.exe").is_file() and (program / "ferry-cli.exe").is_file()
    assert (program / "_internal" / "app" / "resources" / "regions.json").is_file()


def test_it_says_its_version(windows: WinePrefix, tmp_path: Path) -> None:
    done = ferry(windows, "--version", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Ferry {__version__}"


def test_it_carries_everything_it_loads_by_name(windows: WinePrefix, tmp_path: Path) -> None:
    """VAT rules per country, the Credential Manager keyring, Qt's windows plugin and
    translations, the regions file: asked of the installed program itself."""
    done = ferry(windows, "self-check", home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(built, win32)" in done.stdout
    assert "in use: keyring.backends.Windows.WinVaultKeyring" in done.stdout
    assert "qwindows" in done.stdout
    assert "FAIL" not in done.stdout


@pytest.mark.parametrize(
    "vat",
    ["BE 0403.019.261", "NL004495445B01", "FR40303265045", "LU26375245", "DE136695976"],
)
def test_it_accepts_valid_vat_numbers_of_every_country_it_serves(
    windows: WinePrefix, tmp_path: Path, vat: str
) -> None:
    done = ferry(
        windows,
        "preview-path",
        r"C:\Compta\[enterprise_identifier]\inbound",
        "--name",
        "Client SA",
        "--vat",
        vat,
        home=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    compact = re.sub(r"[ .]", "", vat)
    assert done.stdout.strip() == rf"C:\Compta\{compact}\inbound"


def test_it_refuses_a_wrong_check_digit(windows: WinePrefix, tmp_path: Path) -> None:
    done = ferry(
        windows,
        "preview-path",
        r"C:\Compta\[enterprise_identifier]",
        "--name",
        "Client SA",
        "--vat",
        "BE0403019262",
        home=tmp_path,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "BE0403019262" in done.stderr
    assert done.stdout == ""


def test_its_demo_delivers_documents(windows: WinePrefix, tmp_path: Path) -> None:
    """The sandbox, the login through its form, the engine in its own process (a frozen
    multiprocessing child), delivery onto a Windows file system: 25 seconds of real work."""
    home = tmp_path / "home"
    done = ferry(windows, "demo", "--for", "25", "--trickle", "2", home=home, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert ", 0 in error." in done.stdout
    delivered = int(re.search(r"Stopped: (\d+) document\(s\) forwarded", done.stdout)[1])
    assert delivered > 0
    assert len(list((home / "Accounting").rglob("*.xml"))) > 0


def test_the_uninstaller_removes_the_program(windows: WinePrefix) -> None:
    """Last in this file: every other test uses the installed program."""
    done = uninstall(windows)
    assert done.returncode == 0, done.stdout + done.stderr
    folder = windows.host_path(DEFAULT_FOLDER)
    assert not (folder / "Ferry.exe").exists()
    assert not (folder / "_internal").exists()
