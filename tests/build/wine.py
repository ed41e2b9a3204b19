"""Windows programs under real Wine, each test in a throw-away prefix of its own.

Reusable by any test that runs a Windows program (the installer here, the frozen Ferry.exe
next): the fixtures in ``tests/build/conftest.py`` hand out :class:`WinePrefix` objects and
:func:`run_windows` runs a program in one.

A prefix is never the toolchain's (``~/.cache/ferry-windows/prefix``): a session makes one
template with ``wineboot -i`` (about 10 s on a 2-core machine) and each test gets a copy of
it. The copy shares the template's Windows binaries (``C:\\windows\\...\\*.dll``, ``*.exe``,
about 650 MB) through hard links and copies everything else (registry, ``win.ini``, user
folders), so a copy takes a few hundredths of a second instead of two seconds and 700 MB.
Nothing in these tests writes a Windows system binary in place; a test that adds one to
``system32`` (the stand-in DLLs) writes a new file, see :func:`add_standins`.

The template reports Windows 10 (``winecfg /v win10``): Wine 8.0's default is Windows 7,
which Ferry does not support (Python 3.11 and Qt 6 need Windows 10) and its installer refuses.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import IO

REPO = Path(__file__).resolve().parents[2]
SETUP_HINT = "run `python3 scripts/windows.py setup` to install them (scripts/test does)"

#: What the Windows build tests need on this Linux machine, and the Debian package of each.
TOOLS = {
    "wine": "wine",
    "wineboot": "wine",
    "wineserver": "wine",
    "makensis": "nsis",
    "osslsigncode": "osslsigncode",
    "x86_64-w64-mingw32-gcc": "gcc-mingw-w64-x86-64-win32",
    "openssl": "openssl",
}

#: The Wine 8.0 gaps that Ferry's own DLLs need filled (see scripts/windows.py, WINDOWS.md).
STANDIN_DLLS = ("bcryptprimitives.dll", "icuuc.dll")

#: Files a prefix copy shares with its template (by hard link): Windows binaries and data that
#: Wine only reads. Everything else (registry, *.ini, logs, user folders) is copied.
_SHARED_SUFFIXES = {
    ".dll", ".exe", ".sys", ".drv", ".nls", ".tlb", ".ocx", ".cpl", ".acm", ".ax", ".ttf",
    ".ttc", ".fon", ".com", ".scr", ".mui", ".msstyles", ".ds", ".vxd", ".sys16", ".exe16",
    ".dll16", ".drv16", ".mod16",
}  # fmt: skip


class WineError(Exception):
    """Wine could not do what a test needs; the message says what and how to fix it."""


def missing_tools(names: Sequence[str] = tuple(TOOLS)) -> list[str]:
    """The tools of ``names`` that are not on PATH, each with its Debian package."""
    return [f"{name} (Debian package {TOOLS[name]})" for name in names if not shutil.which(name)]


def toolchain_system32() -> Path:
    """The toolchain prefix's system32, where ``scripts/windows.py setup`` builds the stand-ins."""
    configured = os.environ.get("FERRY_WINDOWS_CACHE")
    if configured:
        cache = Path(configured).resolve()
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ferry-windows"
    return cache / "prefix" / "drive_c" / "windows" / "system32"


def wine_environment(prefix: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The host's environment for a Windows program in ``prefix``, less what must not leak.

    The host's ``PIP_*`` and ``PYTHON*`` settings name Linux paths that mean nothing to a
    Windows program (the same rule as scripts/windows.py).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env.update(
        WINEPREFIX=str(prefix),
        WINEDEBUG="-all",
        WINEDLLOVERRIDES="mscoree,mshtml=",  # no Mono or Gecko prompts
        WINEARCH="win64",
    )
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class WinePrefix:
    """One Wine prefix: a Windows computer with its C: drive and registry."""

    path: Path

    @property
    def drive_c(self) -> Path:
        return self.path / "drive_c"

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return wine_environment(self.path, extra)

    def host_path(self, windows_path: str) -> Path:
        """Where ``C:\\...`` is on this Linux machine (C: only)."""
        pure = PureWindowsPath(windows_path)
        if pure.drive.upper() != "C:":
            raise ValueError(f"only C: paths live in the prefix: {windows_path}")
        return self.drive_c.joinpath(*pure.parts[1:])

    @property
    def user_name(self) -> str:
        """The Windows account Wine made for this Linux user (``C:\\users\\<name>``)."""
        names = [p.name for p in (self.drive_c / "users").iterdir() if p.name != "Public"]
        if len(names) != 1:
            raise WineError(f"expected one user in {self.drive_c / 'users'}, found {names}")
        return names[0]

    @property
    def appdata(self) -> Path:
        """``%APPDATA%`` of the prefix's user (Roaming)."""
        return self.drive_c / "users" / self.user_name / "AppData" / "Roaming"

    @property
    def local_appdata(self) -> Path:
        """``%LOCALAPPDATA%`` of the prefix's user."""
        return self.drive_c / "users" / self.user_name / "AppData" / "Local"

    @property
    def program_data(self) -> Path:
        """``%ProgramData%``."""
        return self.drive_c / "ProgramData"

    @property
    def program_files(self) -> Path:
        """``%ProgramFiles%`` (64-bit)."""
        return self.drive_c / "Program Files"

    @property
    def common_programs(self) -> Path:
        """The Start menu's programs for every user (``%ProgramData%\\...\\Programs``)."""
        return self.program_data / "Microsoft" / "Windows" / "Start Menu" / "Programs"


def windows_path(path: Path) -> str:
    """A Linux path as a Windows program under Wine names it (Wine maps / to Z:)."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


# -- making prefixes ----------------------------------------------------------------------------


def _wine_tool(argv: list[str], prefix: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        argv,
        env=wine_environment(prefix),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise WineError(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return result


def make_prefix(path: Path, *, windows_version: str = "win10", timeout: float = 180) -> WinePrefix:
    """A new prefix at ``path`` (``wineboot -i``), reporting ``windows_version``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _wine_tool(["wineboot", "-i"], path, timeout)
    _wine_tool(["wine", "winecfg", "/v", windows_version], path, timeout)
    _wine_tool(["wineserver", "-w"], path, timeout)  # everything written, the server gone
    if not (path / "system.reg").is_file():
        raise WineError(f"wineboot made no registry in {path}")
    return WinePrefix(path)


def _shared(relative: Path) -> bool:
    parts = [part.lower() for part in relative.parts]
    return parts[:2] == ["drive_c", "windows"] and relative.suffix.lower() in _SHARED_SUFFIXES


def copy_prefix(template: WinePrefix, path: Path) -> WinePrefix:
    """A prefix of its own at ``path``, the same computer as ``template`` (stopped) was.

    Windows binaries are hard links to the template's (see the module's docstring); the
    rest is copied, symbolic links (``dosdevices``) stay links.
    """

    def link_or_copy(source: str, target: str) -> None:
        if _shared(Path(source).relative_to(template.path)):
            os.link(source, target)
        else:
            shutil.copy2(source, target)

    shutil.copytree(template.path, path, symlinks=True, copy_function=link_or_copy)
    return WinePrefix(path)


def add_standins(prefix: WinePrefix, source: Path | None = None) -> None:
    """Put the stand-in DLLs that Wine 8.0 lacks into the prefix's system32.

    They come from the toolchain's prefix, where ``scripts/windows.py setup`` builds them. Each
    is written as a new file: the name may be a hard link shared with the template.
    """
    source = source or toolchain_system32()
    missing = [name for name in STANDIN_DLLS if not (source / name).is_file()]
    if missing:
        raise WineError(f"the stand-in DLLs {', '.join(missing)} are not in {source}: {SETUP_HINT}")
    system32 = prefix.drive_c / "windows" / "system32"
    for name in STANDIN_DLLS:
        target = system32 / name
        target.unlink(missing_ok=True)
        shutil.copyfile(source / name, target)


def stop_prefix(prefix: WinePrefix) -> None:
    """End every Windows process of the prefix and its wineserver (nothing when none runs)."""
    subprocess.run(
        ["wineserver", "-k"],
        env=prefix.environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


def wait_for_prefix(prefix: WinePrefix, timeout: float = 60) -> None:
    """Wait until every Windows process of the prefix has ended and the registry is on disk."""
    subprocess.run(
        ["wineserver", "-w"],
        env=prefix.environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


# -- running programs ---------------------------------------------------------------------------


def run_windows(
    prefix: WinePrefix,
    argv: Sequence[str],
    timeout: float = 60,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a Windows program (``argv[0]``: a Windows path, or a name on Wine's PATH) and wait.

    - Standard input is an empty pipe, standard output and error are pipes: a Windows Python
      under Wine dies in ``init_sys_streams`` ("Invalid handle") when one of them is a
      regular file or missing.
    - The call returns when the program has ended and every process holding its standard
      output has too, so a program that hands over to a copy of itself (an NSIS uninstaller
      runs from ``%TEMP%``) is waited for.
    - Standard error is read on the side and not waited for to its end: Wine's helper
      processes hold it open for about three seconds after the program ends, which would
      make every call that much slower. What the program wrote is there; Wine's own notes
      (``it looks like wine32 is missing``) too.

    The exit code is the program's. On timeout the ``wine`` process is killed (the
    prefix's Windows processes end with :func:`stop_prefix`) and TimeoutExpired is raised.
    """
    process = subprocess.Popen(
        ["wine", *argv],
        env=prefix.environment(env),
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    assert process.stderr is not None
    process.stdin.close()
    output: list[bytes] = []
    errors: list[bytes] = []
    stdout, stderr = process.stdout, process.stderr
    reader = threading.Thread(target=lambda: output.append(stdout.read()), daemon=True)
    drain = threading.Thread(target=_drain, args=(stderr, errors), daemon=True)
    reader.start()
    drain.start()
    deadline = time.monotonic() + timeout
    reader.join(timeout)
    try:
        if reader.is_alive():
            raise subprocess.TimeoutExpired(process.args, timeout)
        code = process.wait(max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
    drain.join(0.2)  # what the program wrote before it ended is in the pipe already
    return subprocess.CompletedProcess(
        process.args,
        code,
        b"".join(output).decode("utf-8", "replace"),
        b"".join(list(errors)).decode("utf-8", "replace"),
    )


def _drain(stream: IO[bytes], into: list[bytes]) -> None:
    """Read ``stream`` to its end into ``into`` (on a thread of its own), then close it."""
    with stream:
        while chunk := os.read(stream.fileno(), 65536):
            into.append(chunk)


def start_windows(
    prefix: WinePrefix, argv: Sequence[str], *, env: Mapping[str, str] | None = None
) -> subprocess.Popen[str]:
    """Start a Windows program in the background; ``stop_prefix`` ends it if the test does not."""
    return subprocess.Popen(
        ["wine", *argv],
        env=prefix.environment(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        errors="replace",
    )


def wait_for_output(process: subprocess.Popen[str], text: str, timeout: float = 30) -> str:
    """Read ``process``'s output until a line holds ``text`` (it has started); that line."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        if text in line:
            return line
    raise WineError(f"the program did not print {text!r} within {timeout} s")


# -- the registry -------------------------------------------------------------------------------

_VALUE_LINE = re.compile(r"^    (.*?)    (REG_[A-Z_]+)(?:    (.*))?$")


def reg_query(prefix: WinePrefix, key: str) -> dict[str, str | int] | None:
    """The values of ``key`` (``HKLM\\...``, ``HKCU\\...``) as Wine's ``reg query`` reads the
    live registry (64-bit view), or None when the key does not exist.

    REG_DWORD values are ints, the others their text as ``reg`` prints it.
    """
    result = run_windows(prefix, ["reg", "query", key])
    if result.returncode != 0:
        if "Unable to find" in result.stderr + result.stdout:
            return None
        raise WineError(f"reg query {key} failed:\n{result.stdout}{result.stderr}")
    values: dict[str, str | int] = {}
    for line in result.stdout.splitlines():
        match = _VALUE_LINE.match(line.rstrip("\r"))
        if match is None:
            continue
        name, kind, data = match.group(1), match.group(2), match.group(3) or ""
        values[name] = int(data, 16) if kind == "REG_DWORD" else data
    return values


def reg_value(prefix: WinePrefix, key: str, name: str) -> str | int | None:
    """One value of ``key``, or None when the key or the value does not exist."""
    values = reg_query(prefix, key)
    return None if values is None else values.get(name)


def reg_set_string(prefix: WinePrefix, key: str, name: str, data: str) -> None:
    """Set a REG_SZ value, as a program (Ferry's autostart setting) would."""
    result = run_windows(prefix, ["reg", "add", key, "/v", name, "/t", "REG_SZ", "/d", data, "/f"])
    if result.returncode != 0:
        raise WineError(f"reg add {key} /v {name} failed:\n{result.stdout}{result.stderr}")
