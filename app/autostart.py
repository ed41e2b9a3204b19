"""Starting Ferry when the person logs in, the way each OS expects it.

- **Windows**: the value ``Ferry`` under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``
  (a command line of at most 260 characters, quoted as Windows' C runtime splits it). Task
  Manager's *Startup* tab can switch an entry off without removing it (``StartupApproved``);
  that counts as off, and enabling again switches it back on. The installer can set the same
  value under ``HKLM`` for every user of the computer (``/AUTOSTART=1``); Windows runs both
  hives' entries, shared name or not, so Ferry reads both: it is on when either is (and not
  switched off, each in its own hive's ``StartupApproved``), it writes no per-user entry that
  would start the same program a second time, and it cannot switch the machine's entry off
  (only an administrator can: :func:`machine_wide` tells the settings so).
- **Linux and other XDG desktops**: ``ferry.desktop`` in ``$XDG_CONFIG_HOME/autostart``, with
  its ``Exec`` line quoted per the Desktop Entry specification. A copy installed system-wide
  (``/etc/xdg/autostart``) is switched off with a user entry that says ``Hidden=true``.
- **macOS**: a LaunchAgent ``~/Library/LaunchAgents/com.ferry.Ferry.plist`` with
  ``RunAtLoad``: launchd starts it at the next login (nothing is loaded now: Ferry already runs).

The state lives in the OS, never in settings.json: the person can change it there too (Task
Manager, the desktop's startup settings), and Ferry shows what the OS will really do. Every
function takes the platform as a parameter (the running OS by default), so each OS's logic runs
in the tests on any OS; the Windows registry sits behind :class:`Registry`, whose real
implementation is a few lines of winreg.
"""

from __future__ import annotations

import importlib
import ntpath
import os
import plistlib
import re
import subprocess
import sys
from enum import StrEnum
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any, NamedTuple, Protocol
from xml.parsers.expat import ExpatError

from app.atomic_files import write_text_atomic
from app.home import FerryHome
from app.updates.layout import valid_version

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
VALUE_NAME = "Ferry"
RUN_COMMAND_LIMIT = 260  # Windows ignores longer Run entries
DESKTOP_FILE = "ferry.desktop"
LAUNCH_AGENT_LABEL = "com.ferry.Ferry"


class Platform(StrEnum):
    WINDOWS = "windows"
    MACOS = "macos"
    LINUX = "linux"  # and every other desktop that follows XDG's autostart


def running_platform() -> Platform:
    if sys.platform == "win32":
        return Platform.WINDOWS
    if sys.platform == "darwin":
        return Platform.MACOS
    return Platform.LINUX


class AutostartError(Exception):
    """Start at login cannot be changed; the message says why in plain words."""


# -- the command that starts this Ferry ------------------------------------------------------------


def command_for_this_app(
    home: FerryHome | None = None,
    *,
    platform: Platform | None = None,
    executable: str | None = None,
    frozen: bool | None = None,
) -> list[str]:
    """How to start this Ferry at login: the frozen executable, or ``python -m app``.

    A home other than the OS's standard folders (``--home`` or ``FERRY_HOME`` now) is passed
    with ``--home``: nothing of today's environment is there at login. On Windows an installed
    Python starts through ``pythonw.exe`` so that no console window opens at login.
    """
    platform = platform or running_platform()
    executable = executable or sys.executable
    if frozen is None:
        frozen = bool(getattr(sys, "frozen", False))
    if frozen:
        command = [launcher_of(executable, platform) or executable]
    else:
        if platform is Platform.WINDOWS and ntpath.basename(executable).lower() == "python.exe":
            windowless = executable[: -len("python.exe")] + "pythonw.exe"
            if Path(windowless).exists():
                executable = windowless
        command = [executable, "-m", "app"]
    if home is not None and home != FerryHome.standard():
        root = home.settings_dir.parent
        if FerryHome.under(root) != home:
            raise AutostartError(
                "this Ferry home cannot be named with one --home folder, so Ferry cannot "
                "start with it at login"
            )
        command += ["--home", str(root)]
    return command


def launcher_of(executable: str, platform: Platform) -> str | None:
    """The launcher at the top of a versioned installation (``<root>\\Ferry.exe`` beside
    ``versions\\`` and ``current``, see installer/launcher.c) when ``executable`` is a
    version's program inside one and the launcher is there: start at login must name the
    path that starts whichever version is current, not the one running today, which the next
    update removes. None otherwise (a flat installation, a run from source, Linux)."""
    path: PurePath = (
        PureWindowsPath(executable) if platform is Platform.WINDOWS else PurePosixPath(executable)
    )
    folder = path.parent
    if folder.parent.name != "versions" or not valid_version(folder.name):
        return None
    launcher = str(folder.parent.parent / path.name)
    return launcher if Path(launcher).is_file() else None


# -- Windows: the Run key --------------------------------------------------------------------------


class Registry(Protocol):
    """The few operations on the registry that start at login needs: HKEY_CURRENT_USER, and
    HKEY_LOCAL_MACHINE for reading only (writing it is the installer's job, as an
    administrator)."""

    def read(self, key: str, name: str) -> str | bytes | None:
        """The value's data (HKCU), or None when the key or the value does not exist."""

    def read_machine(self, key: str, name: str) -> str | bytes | None:
        """The value's data in HKLM (its 64-bit view, where the installer writes), or None."""

    def write_string(self, key: str, name: str, value: str) -> None:
        """Set a REG_SZ value, creating the key when needed."""

    def delete(self, key: str, name: str) -> None:
        """Remove the value; nothing when it is not there."""


class WindowsRegistry:
    """The real registry (Windows only)."""

    def __init__(self) -> None:
        self._winreg: Any = importlib.import_module("winreg")

    def read(self, key: str, name: str) -> str | bytes | None:
        return self._read(self._winreg.HKEY_CURRENT_USER, key, name, 0)

    def read_machine(self, key: str, name: str) -> str | bytes | None:
        return self._read(self._winreg.HKEY_LOCAL_MACHINE, key, name, self._winreg.KEY_WOW64_64KEY)

    def _read(self, hive: int, key: str, name: str, view: int) -> str | bytes | None:
        winreg = self._winreg
        try:
            with winreg.OpenKey(hive, key, 0, winreg.KEY_READ | view) as handle:
                value, _kind = winreg.QueryValueEx(handle, name)
        except FileNotFoundError:
            return None
        return value if isinstance(value, str | bytes) else None

    def write_string(self, key: str, name: str, value: str) -> None:
        winreg = self._winreg
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

    def delete(self, key: str, name: str) -> None:
        winreg = self._winreg
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
                winreg.DeleteValue(handle, name)
        except FileNotFoundError:
            pass


def windows_command_line(command: list[str]) -> str:
    """One command line as Windows' C runtime splits it again (quotes, backslashes)."""
    return subprocess.list2cmdline(command)


def split_windows_command_line(line: str) -> list[str]:
    """The arguments of a command line, split as Windows' C runtime does (reading back)."""
    arguments: list[str] = []
    current: list[str] = []
    quoted = started = False
    index = 0
    while index < len(line):
        character = line[index]
        if character == "\\":
            end = index
            while end < len(line) and line[end] == "\\":
                end += 1
            count = end - index
            if end < len(line) and line[end] == '"':
                current.append("\\" * (count // 2))
                if count % 2:  # an escaped quote
                    current.append('"')
                    end += 1
            else:
                current.append("\\" * count)
            started = True
            index = end
            continue
        if character == '"':
            if quoted and line[index + 1 : index + 2] == '"':  # "" inside quotes is one quote
                current.append('"')
                index += 2
                continue
            quoted = not quoted
            started = True
        elif character in " \t" and not quoted:
            if started:
                arguments.append("".join(current))
                current, started = [], False
        else:
            current.append(character)
            started = True
        index += 1
    if started:
        arguments.append("".join(current))
    return arguments


def _switched_off(approved: str | bytes | None) -> bool:
    """Whether Task Manager's Startup tab switched an entry off (odd first byte)."""
    return isinstance(approved, bytes) and bool(approved) and bool(approved[0] & 1)


class _WindowsEntry(NamedTuple):
    """One hive's Run entry for Ferry."""

    command: list[str] | None  # None: no entry
    on: bool  # there, and not switched off in Task Manager


def _windows_entries(registry: Registry) -> tuple[_WindowsEntry, _WindowsEntry]:
    """This user's entry (HKCU) and the one for every user (HKLM), each with its own switch
    in its own hive's ``StartupApproved``."""
    entries = []
    for read in (registry.read, registry.read_machine):
        line = read(RUN_KEY, VALUE_NAME)
        command = split_windows_command_line(line) if isinstance(line, str) else None
        on = command is not None and not _switched_off(read(APPROVED_KEY, VALUE_NAME))
        entries.append(_WindowsEntry(command, on))
    return entries[0], entries[1]


def _same_windows_command(first: list[str] | None, second: list[str] | None) -> bool:
    """Whether two command lines start the same program with the same arguments (Windows
    paths are case-insensitive, and ``C:\\Ferry\\.\\Ferry.exe`` is ``C:\\Ferry\\Ferry.exe``)."""
    if not first or not second or len(first) != len(second):
        return False

    def program(path: str) -> str:
        return ntpath.normcase(ntpath.normpath(path))

    return program(first[0]) == program(second[0]) and first[1:] == second[1:]


MACHINE_WIDE_WORDS = (
    "Ferry starts at login for every user of this computer, as set when it was installed; "
    "only an administrator can turn that off (by installing again with /AUTOSTART=0, or in "
    "Task Manager's Startup tab)"
)


# -- XDG: a desktop entry in the autostart folder ----------------------------------------------

_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPED_IN_QUOTES = set('"`$\\')


def _config_dirs() -> tuple[Path, list[Path]]:
    """The user's config folder and the system ones, as the XDG Base Directory spec says."""
    home_config = os.environ.get("XDG_CONFIG_HOME", "")
    user = Path(home_config) if Path(home_config).is_absolute() else Path.home() / ".config"
    system = [
        Path(folder)
        for folder in (os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":")
        if folder and Path(folder).is_absolute()
    ]
    return user, system


def desktop_entry_path() -> Path:
    """Where Ferry's own autostart entry goes: ``$XDG_CONFIG_HOME/autostart/ferry.desktop``."""
    return _config_dirs()[0] / "autostart" / DESKTOP_FILE


def _quote_exec_argument(argument: str) -> str:
    argument = argument.replace("%", "%%")  # a lone % would start a field code
    if argument and not any(character in _RESERVED for character in argument):
        return argument
    inner = "".join("\\" + c if c in _ESCAPED_IN_QUOTES else c for c in argument)
    return f'"{inner}"'


def _escape_string(value: str) -> str:
    """The escapes of a desktop entry's string values, applied after the Exec quoting."""
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    )


def _unescape_string(value: str) -> str:
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m[1], m[0]), value, flags=re.DOTALL)


def desktop_exec(command: list[str]) -> str:
    """The ``Exec`` value (as written in the file) that runs exactly ``command``."""
    if any("\x00" in argument for argument in command):
        raise AutostartError("a command with a NUL character cannot start at login")
    return _escape_string(" ".join(_quote_exec_argument(argument) for argument in command))


def split_desktop_exec(value: str) -> list[str]:
    """The arguments of an ``Exec`` value as written in the file (reading back)."""
    line = _unescape_string(value)
    arguments: list[str] = []
    index = 0
    while index < len(line):
        if line[index] in " \t\n":
            index += 1
            continue
        current: list[str] = []
        if line[index] == '"':
            index += 1
            while index < len(line) and line[index] != '"':
                if line[index] == "\\" and line[index + 1 : index + 2] in _ESCAPED_IN_QUOTES:
                    index += 1
                current.append(line[index])
                index += 1
            index += 1  # the closing quote
        else:
            while index < len(line) and line[index] not in " \t\n":
                current.append(line[index])
                index += 1
        argument = re.sub(r"%(.)", lambda m: "%" if m[1] == "%" else m[0], "".join(current))
        arguments.append(argument)
    return arguments


_ENV = ["/usr/bin/env", "--"]


def desktop_entry_text(command: list[str]) -> str:
    """Ferry's autostart entry. A program path with ``%`` in it is started through ``env``:
    GLib looks for the program before it reads the ``%%`` escape, and would not find it."""
    if "%" in command[0]:
        command = [*_ENV, *command]
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Ferry\n"
        "Comment=Delivers your clients' documents into the accounting software's folders\n"
        f"Exec={desktop_exec(command)}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def _read_desktop_entry(path: Path) -> dict[str, str] | None:
    """The keys of the ``[Desktop Entry]`` group (values still escaped), or None if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    keys: dict[str, str] = {}
    group = None
    for raw in text.split("\n"):  # only LF ends a line; other breaks are part of a value
        line = raw.removesuffix("\r")
        if not line.strip(" \t") or line.lstrip(" \t").startswith("#"):
            continue
        if line.startswith("[") and line.rstrip(" \t").endswith("]"):
            group = line.rstrip(" \t")[1:-1]
        elif group == "Desktop Entry" and "=" in line:
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(" \t"), value.lstrip(" \t"))
    return keys


def _desktop_entry_on(keys: dict[str, str]) -> bool:
    """Whether a desktop entry is switched on (not hidden, not switched off by GNOME)."""
    return (
        keys.get("Hidden", "false").lower() != "true"
        and keys.get("X-GNOME-Autostart-enabled", "true").lower() != "false"
    )


def _effective_desktop_entry() -> dict[str, str] | None:
    """The entry the session starts from: the user's when there is one, else a system one."""
    user, system = _config_dirs()
    for folder in [user, *system]:
        path = folder / "autostart" / DESKTOP_FILE
        if path.exists():
            return _read_desktop_entry(path)
    return None


# -- macOS: a LaunchAgent ------------------------------------------------------------------------


def launch_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"


def _read_launch_agent() -> dict[str, Any] | None:
    """Ferry's LaunchAgent, or None when there is none or launchd could not read it either."""
    try:
        data = plistlib.loads(launch_agent_path().read_bytes())
    except (OSError, plistlib.InvalidFileException, ValueError, ExpatError):
        return None
    return data if isinstance(data, dict) else None


# -- the API -------------------------------------------------------------------------------------


def registered_command(
    platform: Platform | None = None, *, registry: Registry | None = None
) -> list[str] | None:
    """The command the OS is set to start at login for Ferry (on or off), or None."""
    platform = platform or running_platform()
    if platform is Platform.WINDOWS:
        # an entry that starts Ferry before one switched off; this user's before the machine's
        entries = sorted(_windows_entries(registry or WindowsRegistry()), key=lambda e: not e.on)
        return next((entry.command for entry in entries if entry.command is not None), None)
    if platform is Platform.MACOS:
        agent = _read_launch_agent()
        arguments = agent.get("ProgramArguments") if agent is not None else None
        if isinstance(arguments, list) and all(isinstance(a, str) for a in arguments):
            return list(arguments)
        program = agent.get("Program") if agent is not None else None
        return [program] if isinstance(program, str) else None
    keys = _effective_desktop_entry()
    if keys is None:
        return None
    arguments = split_desktop_exec(keys.get("Exec", ""))
    if arguments[: len(_ENV)] == _ENV and len(arguments) > len(_ENV):
        return arguments[len(_ENV) :]
    return arguments


def is_enabled(platform: Platform | None = None, *, registry: Registry | None = None) -> bool:
    """Whether the OS will start Ferry at the next login (on Windows: for this user, or for
    every user of the computer)."""
    platform = platform or running_platform()
    if platform is Platform.WINDOWS:
        user, machine = _windows_entries(registry or WindowsRegistry())
        return user.on or machine.on
    if platform is Platform.MACOS:
        agent = _read_launch_agent()
        return agent is not None and agent.get("Disabled") is not True
    keys = _effective_desktop_entry()
    return keys is not None and _desktop_entry_on(keys)


def machine_wide(platform: Platform | None = None, *, registry: Registry | None = None) -> bool:
    """Whether Ferry starts at login for every user of this computer, set by its installer
    (Windows: the ``HKLM`` Run entry, not switched off), which this user cannot turn off.

    Elsewhere always False: a system-wide XDG entry is switched off per user, and a
    LaunchAgent is the user's own.
    """
    platform = platform or running_platform()
    if platform is not Platform.WINDOWS:
        return False
    return _windows_entries(registry or WindowsRegistry())[1].on


def drop_duplicate(platform: Platform | None = None, *, registry: Registry | None = None) -> bool:
    """Remove this user's own entry when the machine's (the installer's) starts the same
    program: Windows runs both, so Ferry would start twice at every login and the second
    start would pop the first one's window up. True when one was removed.

    For a person who ticked *Start Ferry when I log in* before an IT partner installed Ferry
    for everyone (``/AUTOSTART=1``); the desktop app calls it as it starts. Nothing elsewhere.
    """
    platform = platform or running_platform()
    if platform is not Platform.WINDOWS:
        return False
    registry = registry or WindowsRegistry()
    user, machine = _windows_entries(registry)
    if not (machine.on and user.command and _same_windows_command(machine.command, user.command)):
        return False
    try:
        registry.delete(RUN_KEY, VALUE_NAME)
        registry.delete(APPROVED_KEY, VALUE_NAME)
    except OSError as error:
        raise AutostartError(_os_words(error)) from None
    return True


def enable(
    command: list[str], platform: Platform | None = None, *, registry: Registry | None = None
) -> None:
    """Start ``command`` at every login from now on (replacing an older Ferry entry).

    On Windows nothing is written for this user when the machine's entry (the installer's)
    already starts the same command, and this user's duplicate of it is removed: Windows
    would start Ferry twice."""
    if not command or not command[0]:
        raise AutostartError("there is no program to start at login")
    platform = platform or running_platform()
    try:
        if platform is Platform.WINDOWS:
            line = windows_command_line(command)
            if len(line) > RUN_COMMAND_LIMIT:
                raise AutostartError(
                    f"Windows starts programs at login only from a command line of at most "
                    f"{RUN_COMMAND_LIMIT} characters, and Ferry's is {len(line)}; install "
                    "Ferry (or keep its home) in a folder with a shorter path"
                )
            registry = registry or WindowsRegistry()
            machine = _windows_entries(registry)[1]
            if machine.on and _same_windows_command(machine.command, command):
                registry.delete(RUN_KEY, VALUE_NAME)
            else:
                registry.write_string(RUN_KEY, VALUE_NAME, line)
            registry.delete(APPROVED_KEY, VALUE_NAME)  # switched on again in Task Manager too
        elif platform is Platform.MACOS:
            agent = {
                "Label": LAUNCH_AGENT_LABEL,
                "ProgramArguments": list(command),
                "RunAtLoad": True,
                "ProcessType": "Interactive",
                "LimitLoadToSessionType": "Aqua",  # the desktop session, not an SSH login
            }
            write_text_atomic(launch_agent_path(), plistlib.dumps(agent).decode("utf-8"))
        else:
            write_text_atomic(desktop_entry_path(), desktop_entry_text(command))
    except OSError as error:
        raise AutostartError(_os_words(error)) from None


def disable(platform: Platform | None = None, *, registry: Registry | None = None) -> None:
    """Do not start Ferry at login any more; nothing when it was not set.

    On Windows this user's entry is removed; when the machine's entry (the installer's) still
    starts Ferry for every user, :class:`AutostartError` says so and who can turn it off.
    """
    platform = platform or running_platform()
    try:
        if platform is Platform.WINDOWS:
            registry = registry or WindowsRegistry()
            registry.delete(RUN_KEY, VALUE_NAME)
            registry.delete(APPROVED_KEY, VALUE_NAME)
            if _windows_entries(registry)[1].on:
                raise AutostartError(MACHINE_WIDE_WORDS)
        elif platform is Platform.MACOS:
            launch_agent_path().unlink(missing_ok=True)
        else:
            desktop_entry_path().unlink(missing_ok=True)
            keys = _effective_desktop_entry()
            if keys is not None and _desktop_entry_on(keys):  # installed for every user
                write_text_atomic(
                    desktop_entry_path(),
                    "[Desktop Entry]\nType=Application\nName=Ferry\nHidden=true\n",
                )
    except OSError as error:
        raise AutostartError(_os_words(error)) from None


def _os_words(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    return f"the system refused to change it{where}: {error.strerror or error}"
