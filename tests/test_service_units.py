"""`ferry run` under the OS's own service manager: the systemd unit and the launchd agent in
build_spec/.

Checked here: systemd's own verifier accepts the unit; the command both files start is one
that Ferry's parser accepts (``ferry --home DIR run``); and the unit's command line, run as
systemd would run it (its environment, its private D-Bus session and keyring, SIGTERM to the
main process alone as KillMode=mixed does), logs in from that keyring, delivers a document
and stops with exit status 0.

Not checked here, because these machines run no systemd as PID 1 and no macOS: the
sandboxing options in effect (ProtectSystem=, SystemCallFilter=, ...), the User=/StateDirectory=
set-up, and launchd itself (the plist is only parsed).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import plistlib
import queue
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.auth.account import StoredLogin, save_login
from app.cli import build_parser
from app.commands.sync import run_continuously
from app.core.kinds import DocumentKind
from app.home import FerryHome
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin, login_with_password
from app.settings import Destination
from tests.conftest import REPO, WINDOWS
from tests.engine.conftest import Office

UNIT = REPO / "build_spec" / "ferry.service"
PLIST = REPO / "build_spec" / "be.ferry.agent.plist"
UNIT_HOME = "/var/lib/ferry"
#: systemd's PATH for system services (systemd.exec(5), "Environment variables in spawned
#: processes").
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

pytestmark = pytest.mark.skipif(WINDOWS, reason="systemd and launchd: Linux and macOS")


def unit_entries(text: str) -> dict[str, list[str]]:
    """``Section.Key`` → its values in order, as systemd reads a unit file (comments, blank
    lines and sections; this unit uses no line continuations)."""
    entries: dict[str, list[str]] = {}
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        assert not line.endswith("\\"), f"line continuations are not handled: {line}"
        key, _, value = line.partition("=")
        entries.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return entries


def unescape(value: str) -> str:
    """What systemd hands the program for a command-line value: ``$$`` is a literal ``$``,
    ``%%`` a literal ``%``; any other specifier or variable would need systemd itself."""
    assert "%" not in value.replace("%%", ""), f"a specifier needs systemd: {value}"
    assert "$" not in value.replace("$$", ""), f"a variable needs systemd: {value}"
    return value.replace("$$", "$").replace("%%", "%")


UNIT_TEXT = UNIT.read_text(encoding="utf-8")
ENTRIES = unit_entries(UNIT_TEXT)


def exec_start() -> list[str]:
    """The unit's one ExecStart, split into arguments as systemd splits it."""
    (line,) = ENTRIES["Service.ExecStart"]
    return [unescape(word) for word in shlex.split(line)]


def script_words(script: str) -> list[str]:
    """A ``sh -c`` script's words, with ``&&``, ``|`` and ``;`` as words of their own."""
    lexer = shlex.shlex(script, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return list(lexer)


def ferry_argv() -> list[str]:
    """The ``ferry ...`` command the unit's shell ends in (``exec`` makes it the main process)."""
    argv = exec_start()
    assert argv[:2] == ["/bin/sh", "-c"] and len(argv) == 3, argv
    words = script_words(argv[2])
    assert words.count("exec") == 1, words
    command = words[words.index("exec") + 1 :]
    assert not any(word in ("&&", "||", ";", "|", "&") for word in command), command
    return command


def parse(argv: list[str]) -> object:
    assert Path(argv[0]).name == "ferry", argv
    return build_parser().parse_args(argv[1:])


# -- the unit as systemd reads it -------------------------------------------------------------


def test_the_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is missing (Debian package 'systemd'): run scripts/setup")
    verified = subprocess.run(
        [tool, "verify", "--man=no", str(UNIT)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # A misspelt key or a value systemd cannot parse is only a warning ("..., ignoring") with
    # exit status 0: the unit must not cause one.
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.strip() == "", verified.stderr
    assert verified.stdout.strip() == "", verified.stdout

    review = subprocess.run(
        [tool, "--offline=true", "security", str(UNIT)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    last = review.stdout.strip().splitlines()[-1]
    assert "Overall exposure level for ferry.service" in last, review.stdout + review.stderr
    exposure = float(last.split(":")[1].split()[0])
    assert exposure <= 2.5, f"the unit lost some of its hardening: {last}"


def test_the_unit_starts_ferry_run_on_its_state_directory() -> None:
    args = parse(ferry_argv())
    assert getattr(args, "handler", None) is run_continuously
    assert getattr(args, "home", None) == UNIT_HOME
    assert ENTRIES["Service.StateDirectory"] == [Path(UNIT_HOME).name]
    assert ENTRIES["Service.StateDirectoryMode"] == ["0700"]
    assert ENTRIES["Service.WorkingDirectory"] == [UNIT_HOME]
    environment = dict(value.split("=", 1) for value in ENTRIES["Service.Environment"])
    assert environment["XDG_DATA_HOME"].startswith(UNIT_HOME + "/")  # the keyring: in the home
    assert environment["XDG_RUNTIME_DIR"] == "/run/" + ENTRIES["Service.RuntimeDirectory"][0]
    assert ENTRIES["Service.User"] == ["ferry"]


def test_the_unit_stops_with_sigterm_and_restarts_only_on_failure() -> None:
    assert ENTRIES["Service.KillSignal"] == ["SIGTERM"]
    assert ENTRIES["Service.KillMode"] == ["mixed"]  # Ferry first; its keyring after it
    assert int(ENTRIES["Service.TimeoutStopSec"][0]) >= 30
    assert ENTRIES["Service.Restart"] == ["on-failure"]
    assert set(ENTRIES["Service.RestartPreventExitStatus"][0].split()) == {"2", "3"}
    assert ENTRIES["Service.NoNewPrivileges"] == ["yes"]
    assert ENTRIES["Service.ProtectSystem"] == ["strict"]
    assert ENTRIES["Service.ReadWritePaths"] == ["-/srv/ferry"]  # '-': no error when missing
    assert "/srv/ferry" in UNIT_TEXT.split("[Unit]")[0]  # ...and said in the comments


# -- the launchd agent ------------------------------------------------------------------------


def test_the_launchd_agent_runs_the_same_command() -> None:
    with PLIST.open("rb") as stream:
        agent = plistlib.load(stream)
    assert agent["Label"] == PLIST.stem
    program = agent["ProgramArguments"]
    args = parse(program)
    assert getattr(args, "handler", None) is run_continuously
    home = getattr(args, "home", None)
    assert home and Path(home).is_absolute()
    unit = ferry_argv()
    assert [w if w != home else "HOME" for w in program] == [
        w if w != UNIT_HOME else "HOME" for w in unit
    ]
    assert agent["RunAtLoad"] is True
    assert agent["KeepAlive"] == {"SuccessfulExit": False}  # again after a failure only
    assert agent["ExitTimeOut"] >= 30
    for key in ("StandardOutPath", "StandardErrorPath"):
        assert Path(agent[key]).parent == Path(home)  # a folder the install makes
    assert agent["WorkingDirectory"] == home


# -- the unit's command line, run -------------------------------------------------------------


def _subject(id_token: str | None) -> str:
    assert id_token
    payload = id_token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"])


def _environment(home: Path, runtime: Path) -> dict[str, str]:
    """The environment systemd gives the unit's process, with the test's folders."""
    environment = {
        "PATH": SYSTEMD_PATH,
        "HOME": str(home),  # User='s home directory
        "USER": os.environ.get("USER", "root"),
    }
    for value in ENTRIES["Service.Environment"]:
        key, _, setting = value.partition("=")
        environment[key] = setting.replace(UNIT_HOME, str(home)).replace(
            "/run/" + ENTRIES["Service.RuntimeDirectory"][0], str(runtime)
        )
    return environment


def _unit_command(home: Path, last: str | None = None) -> list[str]:
    """The unit's ExecStart for the test's home, with this checkout's Ferry; ``last``
    replaces the final ``exec ferry ...`` with a command of the test's."""
    argv = exec_start()
    ferry = ferry_argv()
    script = argv[2]
    original = " ".join(ferry)
    assert original in script
    ours = [sys.executable, "-m", "app", *ferry[1:]]
    replacement = last or shlex.join(ours).replace(shlex.quote(UNIT_HOME), shlex.quote(str(home)))
    return [*argv[:2], script.replace(original, replacement)]


def _processes_with(marker: str) -> list[int]:
    """The processes whose environment holds ``marker``: what systemd's control group would
    hold (the bus and the keyring fork off and leave the process group)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture
def unit_folders(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """The unit's home and runtime folders, and afterwards what systemd does at the end of a
    stop: SIGKILL to whatever is left in the unit's control group."""
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool, path=SYSTEMD_PATH) is None:
            pytest.skip(f"{tool} is missing: run scripts/setup")
    home = tmp_path / "var-lib-ferry"
    runtime = tmp_path / "run-ferry"
    home.mkdir(mode=0o700)
    runtime.mkdir(mode=0o700)
    try:
        yield home, runtime
    finally:
        for pid in _processes_with(f"XDG_RUNTIME_DIR={runtime}\0"):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _lines(stream: object) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue[str], words: str, seen: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not any(words in line for line in seen):
        try:
            seen.append(lines.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            pytest.fail(f"no {words!r} within {timeout} s; printed: {''.join(seen)}")


def test_the_units_command_delivers_and_stops_cleanly_on_sigterm(
    sandbox: SandboxServer, unit_folders: tuple[Path, Path], tmp_path: Path
) -> None:
    home, runtime = unit_folders
    environment = _environment(home, runtime)

    # `ferry login`, as the unit's comments say: in the same kind of private session, so the
    # refresh token lands in the keyring under the home that the service will unlock.
    admin = SandboxAdmin(sandbox.url)
    tokens = login_with_password(sandbox.url, "be")
    ferry_home = FerryHome.under(home).ensure()
    stored = StoredLogin(
        region="custom",
        issuer=sandbox.issuer("be"),
        api_url=sandbox.api_url,
        client_id="ferry-desktop",
        subject=_subject(tokens.id_token),
        logged_in_at=dt.datetime.now(dt.UTC),
    )
    save_login(ferry_home.settings_dir, stored)
    save = shlex.join(
        [
            sys.executable,
            "-c",
            "import sys; from app.auth.secret_store import SecretStore; "
            "SecretStore().save(sys.argv[1], sys.stdin.read())",
            stored.secret_name,
        ]
    )
    saved = subprocess.run(
        _unit_command(home, last=save),
        cwd=REPO,
        env=environment,
        input=tokens.refresh_token,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert saved.returncode == 0, saved.stderr
    assert (Path(environment["XDG_DATA_HOME"]) / "keyrings" / "login.keyring").is_file()
    for pid in _processes_with(f"XDG_RUNTIME_DIR={runtime}\0"):  # that session's bus and keyring
        os.kill(pid, signal.SIGKILL)

    office = Office(sandbox, admin, "be", ferry_home, tmp_path / "srv-ferry")
    client = office.new_client("Service BV")
    office.configure(
        [Destination(name="Share", paths={DocumentKind.OTHER: f"{office.root}/share"})],
        {client.id: ["Share"]},
    )

    started = time.monotonic()
    process = subprocess.Popen(
        _unit_command(home),
        cwd=REPO,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        lines = _lines(process.stdout)
        seen: list[str] = []
        _wait_for(lines, "Ferry is syncing", seen)
        document = office.add(client, "other")
        _wait_for(lines, "forwarded", seen)
        assert (office.root / "share" / document.files[0].name).is_file()
        assert any(ferry_home.log_dir.iterdir())
        # KillMode=mixed: SIGTERM to the main process (the shell became `ferry run`) alone.
        os.kill(process.pid, signal.SIGTERM)
        code = process.wait(timeout=float(ENTRIES["Service.TimeoutStopSec"][0]))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    assert process.stderr is not None
    errors = process.stderr.read()
    assert code == 0, errors
    while not lines.empty():
        seen.append(lines.get())
    assert "Ferry stopped." in "".join(seen)
    assert time.monotonic() - started < 120
