"""Start at login on each OS: real files for XDG autostart and the macOS LaunchAgent (under a
temporary HOME), an in-memory registry for Windows' Run key; the quoting of each checked by
reading back, by hypothesis, against Microsoft's documented examples, and (XDG) by GLib itself
launching the entry Ferry wrote."""

from __future__ import annotations

import json
import os
import plistlib
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import autostart
from app.autostart import (
    APPROVED_KEY,
    LAUNCH_AGENT_LABEL,
    MACHINE_WIDE_WORDS,
    RUN_KEY,
    VALUE_NAME,
    AutostartError,
    Platform,
    command_for_this_app,
    desktop_entry_path,
    desktop_exec,
    disable,
    drop_duplicate,
    enable,
    is_enabled,
    launch_agent_path,
    launcher_of,
    machine_wide,
    registered_command,
    split_desktop_exec,
    split_windows_command_line,
    windows_command_line,
)
from app.home import FerryHome
from tests.conftest import ONLY_ON_WINDOWS, WINDOWS

HOSTILE = [
    '/opt/My Apps/Ferry "beta"/bin/ferry',
    "--home",
    "/home/an'na/Ferry $HOME `id` 100% (office) & co; *?#~<>|\\ tab\there",
    "",
    "%f",
]

# Arguments as a person's paths may hold them: any character but NUL (and no lone surrogates).
ARGUMENT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


class MemoryRegistry:
    """HKEY_CURRENT_USER (``values``) and HKEY_LOCAL_MACHINE (``machine``, which Ferry only
    reads) as dicts: the only OS API these tests cannot run for real on Linux."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str | bytes] = {}
        self.machine: dict[tuple[str, str], str | bytes] = {}

    def read(self, key: str, name: str) -> str | bytes | None:
        return self.values.get((key.lower(), name.lower()))

    def read_machine(self, key: str, name: str) -> str | bytes | None:
        return self.machine.get((key.lower(), name.lower()))

    def write_string(self, key: str, name: str, value: str) -> None:
        self.values[(key.lower(), name.lower())] = value

    def delete(self, key: str, name: str) -> None:
        self.values.pop((key.lower(), name.lower()), None)


@pytest.fixture
def os_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A HOME and XDG folders of the test's own, with spaces and quotes in their names."""
    home = tmp_path / "home of 'Anna' \"A\""
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config dir"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc xdg"))
    return home


# -- Windows ---------------------------------------------------------------------------------------


@pytest.mark.windows
def test_windows_run_key_round_trip() -> None:
    registry = MemoryRegistry()
    command = [r"C:\Program Files\Ferry\Ferry.exe", "--home", 'D:\\Ferry data\\kantoor "A"\\']
    assert not is_enabled(Platform.WINDOWS, registry=registry)
    assert registered_command(Platform.WINDOWS, registry=registry) is None

    enable(command, Platform.WINDOWS, registry=registry)
    value = registry.read(RUN_KEY, VALUE_NAME)
    assert value == subprocess.list2cmdline(command)
    assert value == r'"C:\Program Files\Ferry\Ferry.exe" --home "D:\Ferry data\kantoor \"A\"\\"'
    assert is_enabled(Platform.WINDOWS, registry=registry)
    assert registered_command(Platform.WINDOWS, registry=registry) == command

    disable(Platform.WINDOWS, registry=registry)
    assert registry.values == {}
    assert not is_enabled(Platform.WINDOWS, registry=registry)
    disable(Platform.WINDOWS, registry=registry)  # twice is harmless


@pytest.mark.windows
def test_windows_task_manager_switch_counts_and_enabling_switches_it_back_on() -> None:
    registry = MemoryRegistry()
    enable([r"C:\Ferry\Ferry.exe"], Platform.WINDOWS, registry=registry)
    # Task Manager's Startup tab → Disable: the Run value stays, StartupApproved says off.
    registry.values[(APPROVED_KEY.lower(), VALUE_NAME.lower())] = b"\x03" + bytes(11)
    assert not is_enabled(Platform.WINDOWS, registry=registry)
    assert registered_command(Platform.WINDOWS, registry=registry) == [r"C:\Ferry\Ferry.exe"]
    registry.values[(APPROVED_KEY.lower(), VALUE_NAME.lower())] = b"\x02" + bytes(11)
    assert is_enabled(Platform.WINDOWS, registry=registry)
    registry.values[(APPROVED_KEY.lower(), VALUE_NAME.lower())] = b"\x03" + bytes(11)
    enable([r"C:\Ferry\Ferry.exe"], Platform.WINDOWS, registry=registry)
    assert is_enabled(Platform.WINDOWS, registry=registry)
    disable(Platform.WINDOWS, registry=registry)
    assert registry.values == {}


@pytest.mark.windows
def test_windows_refuses_a_command_line_over_260_characters() -> None:
    registry = MemoryRegistry()
    command = ["C:\\" + "Very long folder\\" * 15 + "Ferry.exe"]
    assert len(windows_command_line(command)) > 260
    with pytest.raises(AutostartError, match="at most 260 characters"):
        enable(command, Platform.WINDOWS, registry=registry)
    assert registry.values == {}


# -- Windows: the installer's entry for every user (HKLM) beside this user's own (HKCU) ------------

INSTALLED = [r"C:\Program Files\Ferry\Ferry.exe"]
SWITCHED_OFF = b"\x03" + bytes(11)  # Task Manager's Startup tab → Disable
SWITCHED_ON = b"\x02" + bytes(11)


def _installed_for_everyone(registry: MemoryRegistry, command: list[str] = INSTALLED) -> None:
    """What ``Ferry-Setup.exe /AUTOSTART=1`` writes (installer/ferry.nsi)."""
    registry.machine[(RUN_KEY.lower(), VALUE_NAME.lower())] = windows_command_line(command)


@pytest.mark.windows
def test_windows_the_installer_s_entry_for_every_user_counts_as_on() -> None:
    registry = MemoryRegistry()
    assert not machine_wide(Platform.WINDOWS, registry=registry)
    _installed_for_everyone(registry)
    assert is_enabled(Platform.WINDOWS, registry=registry)
    assert machine_wide(Platform.WINDOWS, registry=registry)
    assert registered_command(Platform.WINDOWS, registry=registry) == INSTALLED
    assert not machine_wide(Platform.LINUX, registry=registry)  # a Windows notion only


@pytest.mark.windows
def test_windows_enabling_what_the_installer_starts_writes_no_second_entry() -> None:
    """Windows runs both hives' Run values: a per-user copy would start Ferry twice."""
    registry = MemoryRegistry()
    _installed_for_everyone(registry)
    enable(INSTALLED, Platform.WINDOWS, registry=registry)
    assert registry.values == {}
    # a duplicate made before the installer set it for everyone (or by an older Ferry) goes,
    # paths compared as Windows does (case, "." and "..")
    registry.values[(RUN_KEY.lower(), VALUE_NAME.lower())] = windows_command_line(INSTALLED)
    registry.values[(APPROVED_KEY.lower(), VALUE_NAME.lower())] = SWITCHED_ON
    enable([r"c:\PROGRAM FILES\Ferry\.\bin\..\Ferry.exe"], Platform.WINDOWS, registry=registry)
    assert registry.values == {}
    assert is_enabled(Platform.WINDOWS, registry=registry)


@pytest.mark.windows
def test_windows_another_program_for_everyone_still_gets_this_user_s_own_entry() -> None:
    """Another command (this user's Ferry with its own home, a checkout) is not a duplicate."""
    registry = MemoryRegistry()
    _installed_for_everyone(registry)
    mine = [*INSTALLED, "--home", r"D:\Ferry kantoor"]
    enable(mine, Platform.WINDOWS, registry=registry)
    assert registry.read(RUN_KEY, VALUE_NAME) == windows_command_line(mine)
    assert registered_command(Platform.WINDOWS, registry=registry) == mine  # this user's first


@pytest.mark.windows
def test_windows_disabling_cannot_turn_off_the_installer_s_entry_and_says_who_can() -> None:
    registry = MemoryRegistry()
    _installed_for_everyone(registry)
    enable([*INSTALLED, "--home", r"D:\Ferry"], Platform.WINDOWS, registry=registry)
    with pytest.raises(AutostartError) as refused:
        disable(Platform.WINDOWS, registry=registry)
    assert str(refused.value) == MACHINE_WIDE_WORDS
    for words in ("every user of this computer", "installed", "administrator", "/AUTOSTART=0"):
        assert words in str(refused.value)
    assert registry.values == {}  # this user's own entry is gone all the same
    assert is_enabled(Platform.WINDOWS, registry=registry)  # what Windows will really do


@pytest.mark.windows
def test_windows_each_hive_s_entry_has_its_own_task_manager_switch() -> None:
    registry = MemoryRegistry()
    _installed_for_everyone(registry)
    # switched off for everyone (HKLM's StartupApproved): off, and this user may switch it on
    registry.machine[(APPROVED_KEY.lower(), VALUE_NAME.lower())] = SWITCHED_OFF
    assert not is_enabled(Platform.WINDOWS, registry=registry)
    assert not machine_wide(Platform.WINDOWS, registry=registry)
    assert registered_command(Platform.WINDOWS, registry=registry) == INSTALLED
    disable(Platform.WINDOWS, registry=registry)  # nothing to refuse: it is off
    enable(INSTALLED, Platform.WINDOWS, registry=registry)
    assert registry.read(RUN_KEY, VALUE_NAME) == windows_command_line(INSTALLED)
    assert is_enabled(Platform.WINDOWS, registry=registry)
    assert registry.machine[(APPROVED_KEY.lower(), VALUE_NAME.lower())] == SWITCHED_OFF
    # this user's switch (HKCU's StartupApproved) says nothing about the machine's entry
    registry.machine.pop((APPROVED_KEY.lower(), VALUE_NAME.lower()))
    registry.values[(APPROVED_KEY.lower(), VALUE_NAME.lower())] = SWITCHED_OFF
    assert is_enabled(Platform.WINDOWS, registry=registry)
    assert machine_wide(Platform.WINDOWS, registry=registry)


@pytest.mark.windows
@pytest.mark.parametrize(
    ("line", "arguments"),
    [  # Microsoft's examples in "Parsing C++ command-line arguments"
        ('"a b c" d e', ["a b c", "d", "e"]),
        (r'"ab\"c" "\\" d', ['ab"c', "\\", "d"]),
        (r'a\\\b d"e f"g h', [r"a\\\b", "de fg", "h"]),
        (r"a\\\"b c d", [r"a\"b", "c", "d"]),
        (r'a\\\\"b c" d e', [r"a\\b c", "d", "e"]),
        ('a"b"" c d', ['ab" c d']),
        ('  spaced \t "" out  ', ["spaced", "", "out"]),
    ],
)
def test_windows_command_lines_split_as_the_c_runtime_does(line: str, arguments: list[str]) -> None:
    assert split_windows_command_line(line) == arguments


@pytest.mark.windows
@given(st.lists(ARGUMENT, min_size=1, max_size=6))
def test_windows_quoting_reads_back_exactly(arguments: list[str]) -> None:
    assert split_windows_command_line(windows_command_line(arguments)) == arguments


# -- XDG autostart ---------------------------------------------------------------------------------


def test_xdg_desktop_entry_round_trip(os_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "config dir" / "autostart" / "ferry.desktop"
    assert desktop_entry_path() == path
    assert not is_enabled(Platform.LINUX)
    assert registered_command(Platform.LINUX) is None

    enable(HOSTILE, Platform.LINUX)
    text = path.read_text()
    assert text.startswith("[Desktop Entry]\nType=Application\nName=Ferry\n")
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line.startswith(r'Exec="/opt/My Apps/Ferry \\"beta\\"/bin/ferry" --home "')
    assert r"\\$HOME \\`id\\` 100%% (office)" in exec_line  # the spec's "\\$" and "%%"
    assert exec_line.endswith(r'\\\\ tab\there" "" %%f')
    assert is_enabled(Platform.LINUX)
    assert registered_command(Platform.LINUX) == HOSTILE

    disable(Platform.LINUX)
    assert not path.exists()
    assert not is_enabled(Platform.LINUX)


def test_xdg_without_xdg_config_home_uses_dot_config(
    os_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert desktop_entry_path() == os_home / ".config" / "autostart" / "ferry.desktop"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/config")  # the spec says: ignore it
    assert desktop_entry_path() == os_home / ".config" / "autostart" / "ferry.desktop"
    enable(["/usr/bin/ferry"], Platform.LINUX)
    assert (os_home / ".config" / "autostart" / "ferry.desktop").is_file()
    assert is_enabled(Platform.LINUX)


def test_xdg_switched_off_in_the_desktop_s_settings_counts(os_home: Path) -> None:
    enable(["/usr/bin/ferry", "--home", "/srv/ferry"], Platform.LINUX)
    path = desktop_entry_path()
    path.write_text(path.read_text().replace("Autostart-enabled=true", "Autostart-enabled=false"))
    assert not is_enabled(Platform.LINUX)
    assert registered_command(Platform.LINUX) == ["/usr/bin/ferry", "--home", "/srv/ferry"]
    enable(["/usr/bin/ferry"], Platform.LINUX)
    assert is_enabled(Platform.LINUX)


def test_xdg_a_system_wide_entry_is_hidden_not_deleted(os_home: Path, tmp_path: Path) -> None:
    system = tmp_path / "etc xdg" / "autostart" / "ferry.desktop"
    system.parent.mkdir(parents=True)
    system.write_text("[Desktop Entry]\nType=Application\nName=Ferry\nExec=/usr/bin/ferry\n")
    assert is_enabled(Platform.LINUX)
    assert registered_command(Platform.LINUX) == ["/usr/bin/ferry"]

    disable(Platform.LINUX)
    assert system.exists()  # the package's file is not Ferry's to delete
    assert "Hidden=true" in desktop_entry_path().read_text()
    assert not is_enabled(Platform.LINUX)

    enable(["/opt/ferry/ferry"], Platform.LINUX)
    assert is_enabled(Platform.LINUX)
    assert registered_command(Platform.LINUX) == ["/opt/ferry/ferry"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(st.lists(ARGUMENT, min_size=1, max_size=5).filter(lambda a: a[0] != ""))
def test_xdg_quoting_reads_back_exactly_from_the_file(os_home: Path, arguments: list[str]) -> None:
    assert split_desktop_exec(desktop_exec(arguments)) == arguments
    enable(arguments, Platform.LINUX)
    assert registered_command(Platform.LINUX) == arguments


@pytest.mark.skipif(shutil.which("gio") is None, reason="needs GLib's gio (libglib2.0-bin)")
def test_glib_launches_the_entry_with_exactly_ferry_s_arguments(
    os_home: Path, tmp_path: Path
) -> None:
    """GLib (what GNOME, Xfce, Cinnamon... start autostart entries with) reads our Exec line."""
    folder = tmp_path / 'Program $Files `x` "q" 50% (a)\\b'
    folder.mkdir()
    record = tmp_path / "arguments.bin"
    program = folder / "fake ferry.sh"
    program.write_text(
        f"#!/bin/sh\nprintf '%s\\0' \"$@\" > '{record}.part' && mv '{record}.part' '{record}'\n"
    )
    program.chmod(0o755)
    arguments = ["--home", "/srv/Ferry 'kantoor' \"A\" $USER 100% \\ ;&|", "", "%u"]
    enable([str(program), *arguments], Platform.LINUX)
    launched = subprocess.run(
        ["gio", "launch", str(desktop_entry_path())],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert launched.returncode == 0, launched.stderr
    deadline = time.monotonic() + 10
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert record.read_bytes().split(b"\0")[:-1] == [a.encode() for a in arguments]


# -- macOS LaunchAgent -----------------------------------------------------------------------------


def test_macos_launch_agent_round_trip(os_home: Path) -> None:
    path = os_home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
    assert launch_agent_path() == path
    assert not is_enabled(Platform.MACOS)
    command = ["/Applications/Ferry.app/Contents/MacOS/Ferry", "--home", HOSTILE[2]]

    enable(command, Platform.MACOS)
    agent = plistlib.loads(path.read_bytes())
    assert agent["Label"] == LAUNCH_AGENT_LABEL
    assert agent["ProgramArguments"] == command  # an array: nothing to quote
    assert agent["RunAtLoad"] is True
    assert is_enabled(Platform.MACOS)
    assert registered_command(Platform.MACOS) == command

    disable(Platform.MACOS)
    assert not path.exists()
    assert not is_enabled(Platform.MACOS)
    assert registered_command(Platform.MACOS) is None


def test_macos_a_disabled_or_damaged_agent_is_off_and_enabling_repairs_it(os_home: Path) -> None:
    enable(["/Applications/Ferry.app/Contents/MacOS/Ferry"], Platform.MACOS)
    path = launch_agent_path()
    agent = plistlib.loads(path.read_bytes())
    path.write_bytes(plistlib.dumps({**agent, "Disabled": True}))
    assert not is_enabled(Platform.MACOS)
    path.write_bytes(b"<plist>not really")
    assert not is_enabled(Platform.MACOS)
    assert registered_command(Platform.MACOS) is None
    enable(["/Applications/Ferry.app/Contents/MacOS/Ferry"], Platform.MACOS)
    assert is_enabled(Platform.MACOS)


def test_a_folder_that_cannot_be_written_is_said_in_words(os_home: Path) -> None:
    (os_home / "Library").write_text("a file where the folder should be")
    with pytest.raises(AutostartError, match="the system refused to change it"):
        enable(["/Applications/Ferry.app/Contents/MacOS/Ferry"], Platform.MACOS)


# -- the command -----------------------------------------------------------------------------------


def test_the_command_for_this_app(tmp_path: Path) -> None:
    assert command_for_this_app(None, frozen=False) == [sys.executable, "-m", "app"]
    assert command_for_this_app(FerryHome.standard(), frozen=False) == [
        sys.executable,
        "-m",
        "app",
    ]
    home = FerryHome.under(tmp_path / "Ferry 'office' home")
    assert command_for_this_app(home, frozen=False) == [
        sys.executable,
        "-m",
        "app",
        "--home",
        str(tmp_path / "Ferry 'office' home"),
    ]
    assert command_for_this_app(home, executable="/opt/Ferry/ferry", frozen=True) == [
        "/opt/Ferry/ferry",
        "--home",
        str(tmp_path / "Ferry 'office' home"),
    ]
    odd = FerryHome(tmp_path / "a", tmp_path / "b", tmp_path / "c", tmp_path / "d")
    with pytest.raises(AutostartError, match="one --home folder"):
        command_for_this_app(odd)


@pytest.mark.windows
def test_windows_starts_python_without_a_console(tmp_path: Path) -> None:
    python = tmp_path / "python.exe"
    python.write_text("")
    assert command_for_this_app(platform=Platform.WINDOWS, executable=str(python), frozen=False)[
        0
    ] == str(python)  # no pythonw.exe beside it: python.exe it is
    (tmp_path / "pythonw.exe").write_text("")
    assert command_for_this_app(
        platform=Platform.WINDOWS, executable=str(python), frozen=False
    ) == [str(tmp_path / "pythonw.exe"), "-m", "app"]
    assert command_for_this_app(platform=Platform.LINUX, executable=str(python), frozen=False)[
        0
    ] == str(python)


@pytest.mark.windows
def test_the_command_really_starts_this_ferry_with_its_home(tmp_path: Path) -> None:
    """Run at login from another folder, without FERRY_HOME: the command alone must suffice
    (on Windows through pythonw.exe, which has no console and prints nothing)."""
    home = FerryHome.under(tmp_path / "Ferry home")
    command = command_for_this_app(home, frozen=False)
    environment = {k: v for k, v in os.environ.items() if k != "FERRY_HOME"}
    installed = subprocess.run(
        [command[0], "-c", "import app"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    if installed.returncode != 0:
        pytest.skip(f"Ferry is not installed in {command[0]} (pip install -e .)")
    done = subprocess.run(
        [*command, "destination", "list"],
        cwd=tmp_path,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "Ferry home" / "logs").is_dir()  # it used the home it was given


@pytest.mark.windows
def test_the_command_for_this_checkout_and_for_a_frozen_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What this very process would register: ``python -m app`` from a checkout (pythonw.exe
    on Windows), the executable alone when frozen (``sys.frozen``, as PyInstaller sets it)."""
    root = tmp_path / "Ferry 'office' home"
    home = FerryHome.under(root)
    source = command_for_this_app(home)
    python = Path(source[0])
    if WINDOWS:
        assert python.name.lower() == "pythonw.exe"
        assert python.parent == Path(sys.executable).parent
    else:
        assert source[0] == sys.executable
    assert source[1:] == ["-m", "app", "--home", str(root)]
    program = tmp_path / "Program Files" / "Ferry" / ("Ferry.exe" if WINDOWS else "ferry")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    frozen = command_for_this_app(home)
    assert frozen == [str(program), "--home", str(root)]
    for command in (source, frozen):
        assert split_windows_command_line(windows_command_line(command)) == command


# -- Windows, for real: the Run key in this account's registry ------------------------------------


@pytest.fixture
def run_value(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A Run value of this test's own (never the account's real ``Ferry``), removed after."""
    if not WINDOWS:
        pytest.skip(f"the registry: {ONLY_ON_WINDOWS}")
    name = f"Ferry test {secrets.token_hex(4)}"
    monkeypatch.setattr(autostart, "VALUE_NAME", name)
    registry = autostart.WindowsRegistry()
    try:
        yield name
    finally:
        registry.delete(RUN_KEY, name)
        registry.delete(APPROVED_KEY, name)


def _raw_value(key: str, name: str) -> tuple[object, int] | None:
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
            value, kind = winreg.QueryValueEx(handle, name)
    except FileNotFoundError:
        return None
    return value, kind


@pytest.mark.windows
def test_windows_the_run_key_for_real(run_value: str) -> None:
    import winreg

    command = [r"C:\Program Files\Ferry\Ferry.exe", "--home", 'D:\\Ferry data\\kantoor "A"\\']
    assert not is_enabled() and registered_command() is None
    enable(command)
    assert _raw_value(RUN_KEY, run_value) == (
        r'"C:\Program Files\Ferry\Ferry.exe" --home "D:\Ferry data\kantoor \"A\"\\"',
        winreg.REG_SZ,
    )
    assert is_enabled() and registered_command() == command
    # Task Manager's Startup tab switches it off beside the Run key, and on again
    with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, APPROVED_KEY, 0, winreg.KEY_SET_VALUE) as key:
        winreg.SetValueEx(key, run_value, 0, winreg.REG_BINARY, b"\x03" + bytes(11))
    assert not is_enabled() and registered_command() == command
    enable(command)  # switched on again, in Task Manager too
    assert _raw_value(APPROVED_KEY, run_value) is None and is_enabled()
    disable()
    assert _raw_value(RUN_KEY, run_value) is None and not is_enabled()
    disable()  # twice is harmless


@pytest.fixture
def machine_run_value(run_value: str) -> Iterator[str]:
    """The same test-only value name in HKLM, as the installer writes it for every user
    (Wine's user is an administrator); removed after."""
    import winreg

    def remove() -> None:
        for key in (RUN_KEY, APPROVED_KEY):
            try:
                with winreg.OpenKey(
                    winreg.HKEY_LOCAL_MACHINE,
                    key,
                    0,
                    winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY,
                ) as handle:
                    winreg.DeleteValue(handle, run_value)
            except FileNotFoundError:
                pass

    try:
        yield run_value
    finally:
        remove()


def _write_machine(key: str, name: str, value: str | bytes) -> None:
    import winreg

    kind = winreg.REG_SZ if isinstance(value, str) else winreg.REG_BINARY
    try:
        with winreg.CreateKeyEx(
            winreg.HKEY_LOCAL_MACHINE, key, 0, winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY
        ) as handle:
            winreg.SetValueEx(handle, name, 0, kind, value)
    except PermissionError:
        pytest.skip("writing HKLM needs an administrator, as the installer is")


@pytest.mark.windows
def test_windows_the_installer_s_entry_in_hklm_for_real(machine_run_value: str) -> None:
    """HKLM's Run value read with winreg beside HKCU's: on when either starts Ferry, no
    second entry for the same program, and a refusal in words to switch the machine's off."""
    import winreg

    assert not machine_wide() and not is_enabled()
    _write_machine(RUN_KEY, machine_run_value, windows_command_line(INSTALLED))
    assert machine_wide() and is_enabled() and registered_command() == INSTALLED
    enable(INSTALLED)
    assert _raw_value(RUN_KEY, machine_run_value) is None  # nothing for this user
    with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        winreg.SetValueEx(key, machine_run_value, 0, winreg.REG_SZ, f'"{INSTALLED[0]}"')
    enable(INSTALLED)
    assert _raw_value(RUN_KEY, machine_run_value) is None  # this user's duplicate went
    with pytest.raises(AutostartError, match="every user of this computer"):
        disable()
    # Task Manager switched the machine's entry off (HKLM's StartupApproved)
    _write_machine(APPROVED_KEY, machine_run_value, SWITCHED_OFF)
    assert not is_enabled() and not machine_wide() and registered_command() == INSTALLED
    enable(INSTALLED)
    assert _raw_value(RUN_KEY, machine_run_value) == (
        windows_command_line(INSTALLED),
        winreg.REG_SZ,
    )
    assert is_enabled()
    disable()
    assert not is_enabled() and _raw_value(RUN_KEY, machine_run_value) is None


@pytest.mark.windows
def test_windows_the_registered_line_starts_a_program_with_exactly_its_arguments(
    run_value: str, tmp_path: Path
) -> None:
    """Windows starts a Run entry from its command line as stored: the program must get back
    each argument as Ferry wrote it, however it is quoted."""
    record = tmp_path / "arguments.json"
    script = tmp_path / "record.py"
    script.write_text(
        "import json, pathlib, sys\n"
        "pathlib.Path(sys.argv[0]).with_name('arguments.json').write_text(json.dumps(sys.argv[1:]))\n"
    )
    arguments = ["--home", 'D:\\Ferry "A"\\', "a\\\\b c", "", "%USERPROFILE%", "tab\there", "é ü"]
    enable([sys.executable, str(script), *arguments])
    line = _raw_value(RUN_KEY, run_value)
    assert line is not None and isinstance(line[0], str)
    started = subprocess.run(line[0], stdin=subprocess.DEVNULL, capture_output=True, check=False)
    assert started.returncode == 0, started.stdout + started.stderr
    assert json.loads(record.read_text()) == arguments


@pytest.mark.windows
def test_the_running_platform_is_one_of_the_three() -> None:
    expected = {"win32": Platform.WINDOWS, "darwin": Platform.MACOS}.get(
        sys.platform, Platform.LINUX
    )
    assert autostart.running_platform() is expected


@pytest.mark.windows
def test_a_users_own_entry_gives_way_to_the_installers() -> None:
    """Ticked before the IT partner installed Ferry for everyone: Windows would run both
    entries, so the desktop app removes this user's copy as it starts."""
    registry = MemoryRegistry()
    exe = r"C:\Program Files\Ferry\Ferry.exe"
    registry.values[(RUN_KEY.lower(), VALUE_NAME.lower())] = f'"{exe.lower()}"'
    registry.machine[(RUN_KEY.lower(), VALUE_NAME.lower())] = f'"{exe}"'
    assert drop_duplicate(Platform.WINDOWS, registry=registry) is True
    assert registry.read(RUN_KEY, VALUE_NAME) is None
    assert is_enabled(Platform.WINDOWS, registry=registry)  # the installer's still starts it
    assert drop_duplicate(Platform.WINDOWS, registry=registry) is False


@pytest.mark.windows
def test_a_users_entry_for_another_program_or_beside_a_switched_off_one_stays() -> None:
    registry = MemoryRegistry()
    registry.values[(RUN_KEY.lower(), VALUE_NAME.lower())] = r'"D:\Ferry\Ferry.exe" --home D:\x'
    registry.machine[(RUN_KEY.lower(), VALUE_NAME.lower())] = r'"C:\Program Files\Ferry\Ferry.exe"'
    assert drop_duplicate(Platform.WINDOWS, registry=registry) is False
    same = MemoryRegistry()
    line = r'"C:\Program Files\Ferry\Ferry.exe"'
    same.values[(RUN_KEY.lower(), VALUE_NAME.lower())] = line
    same.machine[(RUN_KEY.lower(), VALUE_NAME.lower())] = line
    same.machine[(APPROVED_KEY.lower(), VALUE_NAME.lower())] = b"\x03" + bytes(11)  # off
    assert drop_duplicate(Platform.WINDOWS, registry=same) is False
    assert same.read(RUN_KEY, VALUE_NAME) == line
    assert drop_duplicate(Platform.LINUX, registry=same) is False


def test_a_versioned_installation_starts_at_login_through_its_launcher(tmp_path: Path) -> None:
    """The Run value names the launcher at the top of the installation, which starts the
    version current at the next login, not the version folder running today (the next
    update removes it). Without a launcher there (a build run from its folder), the program."""
    root = tmp_path / "Ferry"
    program = root / "versions" / "1.4.0" / "Ferry.exe"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"program")
    windows, linux = Platform.WINDOWS, Platform.LINUX

    def command() -> list[str]:
        return command_for_this_app(platform=linux, executable=str(program), frozen=True)

    assert command() == [str(program)]
    (root / "Ferry.exe").write_bytes(b"launcher")
    assert command() == [str(root / "Ferry.exe")]
    assert launcher_of(str(program), linux) == str(root / "Ferry.exe")
    # Windows paths read as Windows reads them; a folder that is not a version is no layout
    assert launcher_of(r"C:\Program Files\Ferry\versions\1.4.0\Ferry.exe", windows) is None
    for odd in ("versions/../Ferry.exe", "versions/current/Ferry.exe", "other/1.4.0/Ferry.exe"):
        assert launcher_of(str(root / odd), linux) is None
    assert launcher_of(r"C:\Ferry\versions\1.4.0\Ferry.exe", linux) is None
