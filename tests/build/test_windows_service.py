"""The built Ferry as a Windows service, as an IT partner sets it up on an office server.

A fresh Windows (a Wine prefix of its own) gets Ferry from its installer with ``/SERVICE=1``;
the service is registered with Wine's real service manager and started from the installed
``Ferry.exe``. The sandbox platform runs on this Linux machine (127.0.0.1 is the same for
Wine); the login is made with the installed program's own ``login`` into the computer's home
(``C:\\ProgramData\\Ferry``), its refresh token going to the Credential Manager, which the
service shares with the person under Wine (on a real server LocalSystem cannot read it: see
``app/service/machine_secrets.py``). Then the service delivers onto a Windows path, is
upgraded in place, stops cleanly, and is removed by ``service uninstall`` and by the
uninstaller.

Wine keeps no Event Log: its ``ReportEvent`` prints each event on its ``eventlog`` debug
channel. A Windows program that starts a prefix's Wine session hands its standard error and
``WINEDEBUG`` to the service manager and so to every service, so a session-keeping program
started first (:func:`session`) collects what the service sends to the Event Log.

The tests run in order and share one installed Windows; the build is made once (see
tests/build/test_windows_program.py).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from app import __version__
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import read_login_form
from tests.build.ferry_build import ensure_built
from tests.build.ferry_setup import DEFAULT_FOLDER, install, uninstall
from tests.build.wine import (
    REPO,
    WinePrefix,
    add_standins,
    make_prefix,
    missing_tools,
    reg_query,
    run_windows,
    stop_prefix,
    wait_for_prefix,
)

SETUP_EXE = REPO / "dist" / f"Ferry-Setup-{__version__}.exe"
pytestmark = pytest.mark.timeout(1800)  # the first test may wait for the build
CLI = DEFAULT_FOLDER + r"\ferry-cli.exe"
MACHINE_HOME = r"C:\ProgramData\Ferry"
SERVICE_KEY = r"HKLM\SYSTEM\CurrentControlSet\Services\Ferry"
OUTPUT = r"C:\Compta"


@pytest.fixture(scope="module")
def setup_exe() -> Path:
    missing = missing_tools()
    assert not missing, f"missing {', '.join(missing)}: run `python3 scripts/windows.py setup`"
    ensure_built("--windows", REPO / "dist" / "windows" / ".sources", SETUP_EXE)
    return SETUP_EXE


@pytest.fixture(scope="module")
def windows(setup_exe: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WinePrefix]:
    """A fresh Windows where Ferry was installed with its service (``/SERVICE=1``)."""
    prefix = make_prefix(tmp_path_factory.mktemp("ferry-service") / "prefix")
    add_standins(prefix)
    try:
        done = install(prefix, setup_exe, "/SERVICE=1", timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        wait_for_prefix(prefix)  # the session ends: Windows is "shut down"
        yield prefix
    finally:
        stop_prefix(prefix)


class Session:
    """One Wine session of the prefix (a computer that is up), kept by a ``cmd`` waiting on
    its input; its standard error collects what every service sends to the Event Log."""

    def __init__(self, prefix: WinePrefix, events: Path) -> None:
        self.events = events
        self._events = events.open("wb")
        self.process = subprocess.Popen(
            ["wine", "cmd"],
            env=prefix.environment({"WINEDEBUG": "-all,+eventlog"}),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self._events,
        )

    def event_log(self) -> str:
        return self.events.read_text(encoding="utf-8", errors="replace")

    def wait_for_event(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in (said := self.event_log()):
                return said
            time.sleep(0.5)
        raise AssertionError(f"no event {text!r} within {timeout} s:\n{self.event_log()[-3000:]}")

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(30)
        self._events.close()


@pytest.fixture(scope="module")
def session(windows: WinePrefix, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """The computer booted: the first program of a new session, so the service manager and
    the services it starts (Ferry's, automatically) write their events where we read them."""
    stop_prefix(windows)
    kept = Session(windows, tmp_path_factory.mktemp("events") / "wine-eventlog.txt")
    try:
        yield kept
    finally:
        kept.close()


def ferry(prefix: WinePrefix, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The installed console program with the computer's home, as an administrator types it."""
    return run_windows(prefix, [CLI, "--home", MACHINE_HOME, *args], timeout)


def sc_query(prefix: WinePrefix) -> subprocess.CompletedProcess[str]:
    return run_windows(prefix, ["sc", "query", "Ferry"])


def ferry_log(prefix: WinePrefix) -> str:
    return prefix.host_path(MACHINE_HOME + r"\logs\ferry.log").read_text("utf-8", "replace")


def test_the_installer_registers_the_service(windows: WinePrefix) -> None:
    values = reg_query(windows, SERVICE_KEY)
    assert values is not None, "the installer registered no Ferry service"
    image = str(values["ImagePath"])
    # the version's own program: an update points the service at the next one
    program = rf"{DEFAULT_FOLDER}\versions\{__version__}\Ferry.exe"
    assert image == rf'"{program}" --home {MACHINE_HOME} service run'
    assert values["Start"] == 2  # SERVICE_AUTO_START
    assert values["DisplayName"] == "Ferry document sync"
    assert "ObjectName" not in values or values["ObjectName"] == "LocalSystem"


def test_the_built_program_carries_the_service_modules(windows: WinePrefix) -> None:
    """pywin32's service modules and win32timezone, which pywin32 loads by name."""
    done = ferry(windows, "self-check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(
        r"^ok\s+windows-service: \d+ pywin32 modules; service 'Ferry'\r?$", done.stdout, re.M
    )


def test_at_boot_it_starts_and_says_in_the_event_log_that_nobody_logged_in(
    windows: WinePrefix, session: Session
) -> None:
    """Nobody logged in on this computer yet: the service starts by itself when Windows does,
    its engine cannot start, and the Event Log and Ferry's log say so in plain words."""
    said = session.wait_for_event("Ferry cannot sync: Ferry is not logged in")
    assert re.search(r"err:eventlog:ReportEventW L\"Ferry cannot sync: Ferry is not logged", said)
    assert "Ferry service started (home C:\\\\ProgramData\\\\Ferry)" in said
    log = ferry_log(windows)
    assert "the service cannot sync [not_logged_in]: Ferry is not logged in" in log
    status = ferry(windows, "service", "status")
    assert status.returncode == 3, status.stdout + status.stderr
    assert "The Ferry service is stopped." in status.stdout
    again = ferry(windows, "service", "install")
    assert again.returncode == 1
    assert "already installed (stopped)" in again.stderr


def _browse_login(url: str) -> None:
    """The person's browser: the login form of the sandbox, then back to Ferry's loopback."""
    with httpx.Client(timeout=30) as http:
        page = http.get(url, follow_redirects=True)
        assert page.status_code == 200, page.text[:500]
        action, inputs = read_login_form(page.text)
        inputs.update(username="demo", password="demo", action="login")
        answer = http.post(urljoin(str(page.url), action), data=inputs)
        assert answer.status_code in (302, 303), answer.text[:500]
        back = http.get(answer.headers["location"])  # Ferry, listening inside Wine
        assert back.status_code == 200, back.text[:500]


def test_an_administrator_logs_the_computer_in_and_links_clients(
    windows: WinePrefix, session: Session, sandbox: SandboxServer
) -> None:
    process = subprocess.Popen(
        [
            "wine",
            CLI,
            "service",  # the computer's home, its login in the computer's own store
            "login",
            "--no-browser",
            "--issuer",
            sandbox.issuer("be"),
            "--api",
            sandbox.api_url,
        ],
        env=windows.environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,  # pipes: a Windows Python under Wine dies on a file here
        text=True,
    )
    assert process.stderr is not None
    stderr = process.stderr
    errors: list[str] = []
    drain = threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True)
    drain.start()
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()  # a valid, empty standard input (see tests/build/wine.py)
    assert process.stdout.readline().startswith("Open this address in a browser")
    url = process.stdout.readline().strip()
    assert url.startswith(sandbox.issuer("be") + "/"), url
    _browse_login(url)
    out = process.stdout.read()
    code = process.wait(120)
    drain.join(5)
    assert code == 0, out + "".join(errors)
    assert "Logged in as" in out
    assert "The Ferry service is stopped: `ferry service start`." in out  # not started for us

    added = ferry(windows, "destination", "add", "D", "--path", OUTPUT + r"\[enterprise_name]")
    assert added.returncode == 0, added.stdout + added.stderr
    linked = ferry(windows, "link", "--all", "--to", "D", "--since", "2000-01-01")
    assert linked.returncode == 0, linked.stdout + linked.stderr


def _delivered(windows: WinePrefix) -> list[Path]:
    folder = windows.host_path(OUTPUT)
    return sorted(folder.rglob("*.xml")) if folder.is_dir() else []


def test_the_service_delivers_documents(windows: WinePrefix, session: Session) -> None:
    started = ferry(windows, "service", "start")
    assert started.returncode == 0, started.stdout + started.stderr + ferry_log(windows)[-3000:]
    assert "The Ferry service is running." in started.stdout
    query = sc_query(windows)
    assert re.search(r"STATE\s*:\s*4\s+RUNNING", query.stdout), query.stdout
    status = ferry(windows, "service", "status")
    assert status.returncode == 0 and "The Ferry service is running." in status.stdout
    assert rf"its log: {MACHINE_HOME}\logs" in status.stdout
    deadline = time.monotonic() + 120
    while not _delivered(windows) and time.monotonic() < deadline:
        time.sleep(1)
    assert _delivered(windows), ferry_log(windows)[-4000:]
    assert "engine hosted by service" in ferry_log(windows)


def test_ferry_status_reads_the_running_service(windows: WinePrefix, session: Session) -> None:
    """A face on the service's engine: ``ferry-cli status`` with no ``--home`` finds the
    computer's home (its service is set up), attaches over the named pipe and reads the
    documents from the engine, not from its database."""
    done = run_windows(windows, [CLI, "status", "--json"], 120)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    delivered = [row for row in rows if row["status"] == "forwarded"]
    assert delivered and all(row["locations"] for row in delivered), done.stdout[-2000:]
    assert "a face attached (cli)" in ferry_log(windows)
    assert rf"{OUTPUT}" in delivered[0]["locations"][0]


def test_the_service_s_login_is_in_the_computer_s_own_store(windows: WinePrefix) -> None:
    """Not in a person's Credential Manager (LocalSystem cannot read those on a real
    server): DPAPI with machine scope, in a folder of the service's home."""
    secrets = windows.host_path(MACHINE_HOME + r"\secrets")
    files = list(secrets.glob("*.secret")) if secrets.is_dir() else []
    assert files, f"no login in {secrets}"
    assert all(f.read_text().startswith("ferry-dpapi-machine:1:") for f in files)


def test_an_upgrade_stops_the_service_and_starts_it_again(
    windows: WinePrefix, session: Session, setup_exe: Path
) -> None:
    before = ferry_log(windows).count("service started")
    done = install(windows, setup_exe, timeout=300)  # no /SERVICE=: keep it as it is
    assert done.returncode == 0, done.stdout + done.stderr
    log = ferry_log(windows)
    assert "the service's engine stopped" in log  # stopped before its files were replaced
    assert log.count("service started") == before + 1
    query = sc_query(windows)
    assert re.search(r"STATE\s*:\s*4\s+RUNNING", query.stdout), query.stdout + log[-3000:]


def test_the_service_stops_cleanly(windows: WinePrefix, session: Session) -> None:
    stops = ferry_log(windows).count("the service's engine stopped")
    stopped = ferry(windows, "service", "stop")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert "The Ferry service is stopped." in stopped.stdout
    assert re.search(r"STATE\s*:\s*1\s+STOPPED", sc_query(windows).stdout)
    log = ferry_log(windows)
    assert log.count("the service's engine stopped") == stops + 1
    assert "Traceback" not in log
    session.wait_for_event("Ferry service stopped")


def test_install_from_another_version_points_the_stopped_service_at_it(
    windows: WinePrefix, session: Session
) -> None:
    """What Setup does when it upgrades: the new version's ``service install`` over the
    installed service points it at its own folder, the account and home kept; a running
    service is left alone, with the words that say what to do."""
    folder = windows.host_path(DEFAULT_FOLDER + r"\versions")
    shutil.copytree(folder / __version__, folder / "9.9.9")
    other = rf"{DEFAULT_FOLDER}\versions\9.9.9"
    try:
        pointed = run_windows(
            windows, [other + r"\ferry-cli.exe", "--home", MACHINE_HOME, "service", "install"]
        )
        assert pointed.returncode == 0, pointed.stdout + pointed.stderr
        assert "now runs this Ferry" in pointed.stdout
        values = reg_query(windows, SERVICE_KEY)
        assert values is not None
        assert values["ImagePath"] == rf'"{other}\Ferry.exe" --home {MACHINE_HOME} service run'
        started = ferry(windows, "service", "start")
        assert started.returncode == 0, started.stdout + started.stderr
        refused = ferry(windows, "service", "install")  # the installed version, 9.9.9 runs
        assert refused.returncode == 1
        assert "runs another Ferry (running)" in refused.stderr
        assert ferry(windows, "service", "stop").returncode == 0
        back = ferry(windows, "service", "install")
        assert back.returncode == 0, back.stdout + back.stderr
        values = reg_query(windows, SERVICE_KEY)
        assert values is not None and rf"versions\{__version__}\Ferry.exe" in str(
            values["ImagePath"]
        )
    finally:
        shutil.rmtree(folder / "9.9.9", ignore_errors=True)


def test_service_uninstall_removes_it(windows: WinePrefix, session: Session) -> None:
    removed = ferry(windows, "service", "uninstall")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    query = sc_query(windows)  # Wine's sc says nothing of a service that does not exist
    assert query.returncode != 0 and "STATE" not in query.stdout, query.stdout
    assert reg_query(windows, SERVICE_KEY) is None
    status = ferry(windows, "service", "status")
    assert status.returncode == 4 and "The Ferry service is not installed." in status.stdout


def test_the_uninstaller_stops_and_removes_the_service(
    windows: WinePrefix, session: Session
) -> None:
    """Last: the service runs again, and the uninstaller takes it away with the program."""
    installed = ferry(windows, "service", "install", "--start")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert re.search(r"STATE\s*:\s*4\s+RUNNING", sc_query(windows).stdout)
    done = uninstall(windows)
    assert done.returncode == 0, done.stdout + done.stderr
    assert reg_query(windows, SERVICE_KEY) is None
    assert "STATE" not in sc_query(windows).stdout
    assert not windows.host_path(DEFAULT_FOLDER + r"\Ferry.exe").exists()
    assert windows.host_path(MACHINE_HOME + r"\settings\login.json").is_file()  # data kept
