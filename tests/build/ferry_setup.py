"""Ferry's Windows installer in tests: build it with makensis, run it and its uninstaller
under Wine, and the places it writes.

Shared by the installer's own tests (a fake one-folder program) and the test of the real
frozen Ferry.exe installed by it.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.build.wine import REPO, WinePrefix, run_windows, windows_path

NSI = REPO / "installer" / "ferry.nsi"
SIGN = REPO / "scripts" / "sign"

DEFAULT_FOLDER = r"C:\Program Files\Ferry"
UNINSTALL_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Ferry"
MACHINE_RUN_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Run"
USER_RUN_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "Ferry"


def build_installer(
    source: Path,
    version: str,
    outfile: Path,
    *,
    env: Mapping[str, str] | None = None,
    defines: Sequence[str] = (),
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """makensis on installer/ferry.nsi, as scripts/build runs it (from the checkout, the script
    named by its relative path); the finished run (check it).

    ``env`` replaces the environment (a signing key, or none); ``defines`` are more ``-D``.
    """
    return subprocess.run(
        [
            "makensis",
            "-V2",
            f"-DVERSION={version}",
            f"-DSOURCE={source}",
            f"-DOUTFILE={outfile}",
            *(f"-D{define}" for define in defines),
            str(NSI.relative_to(REPO)),
        ],
        cwd=REPO,
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def install(
    prefix: WinePrefix, setup_exe: Path, *options: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the installer silently (``/S`` and ``options``), as an IT partner types it.

    NSIS reads ``/D=`` raw to the end of the command line, unquoted even with spaces in it
    (``/D=C:\\Program Files\\Ferry``), and only as the last option. Wine quotes an argument
    that holds a space when it makes the Windows command line, which NSIS would not read as
    ``/D=``; so the folder goes as its words, which Wine joins with single spaces.
    """
    ordered = sorted(options, key=lambda option: option.upper().startswith("/D="))
    words = [word for option in ordered for word in option.split(" ")]
    return run_windows(prefix, [windows_path(setup_exe), "/S", *words], timeout)


def uninstall(
    prefix: WinePrefix, folder: str = DEFAULT_FOLDER, *options: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the installed uninstaller silently and wait until its copy in %TEMP% has finished.

    An NSIS uninstaller copies itself to %TEMP%, starts the copy and exits at once (so that
    it can delete itself). The copy inherits the output pipes, which :func:`run_windows`
    waits on; the uninstaller's own file going away is checked as well.
    """
    result = run_windows(prefix, [folder + r"\Uninstall.exe", "/S", *options], timeout)
    uninstaller = prefix.host_path(folder + r"\Uninstall.exe")
    deadline = time.monotonic() + 30
    while uninstaller.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return result
