"""``ferry service``: Ferry as a Windows service.

The pure parts (the machine home's Windows paths, the state's words and exit codes, the
command line the service manager starts, the arguments) are tested on Linux. The tests marked
``windows`` run on the Windows CPython (scripts/test-windows, under Wine): they register a
real service with Wine's service manager, under a name of their own and with a home of their
own, start it, ask for it, stop it and remove it; no service manager is mocked.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.autostart import split_windows_command_line
from app.cli import build_parser, main
from app.home import FerryHome, machine_root
from app.service import windows_service as ws
from tests.conftest import ONLY_ON_WINDOWS, WINDOWS

# -- the machine home ----------------------------------------------------------------------------


def test_the_machine_home_is_under_program_data() -> None:
    home = FerryHome.machine({"ProgramData": r"C:\ProgramData"})
    assert str(home.settings_dir) == r"C:\ProgramData\Ferry\settings"
    assert str(home.state_dir) == r"C:\ProgramData\Ferry\state"
    assert str(home.log_dir) == r"C:\ProgramData\Ferry\logs"
    assert str(home.data_dir) == r"C:\ProgramData\Ferry\data"


@pytest.mark.parametrize(
    ("environ", "root"),
    [
        ({"PROGRAMDATA": r"D:\Data"}, r"D:\Data\Ferry"),  # names match whatever their case
        ({"ALLUSERSPROFILE": r"E:\All"}, r"E:\All\Ferry"),
        ({"SystemDrive": "F:"}, r"F:\ProgramData\Ferry"),
        ({}, r"C:\ProgramData\Ferry"),
        ({"ProgramData": ""}, r"C:\ProgramData\Ferry"),  # an empty variable says nothing
    ],
)
def test_the_machine_home_without_program_data(environ: dict[str, str], root: str) -> None:
    assert machine_root(environ) == root
    assert str(FerryHome.machine(environ).log_dir) == root + r"\logs"


# -- words and exit codes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "word", "code"),
    [
        (None, "not installed", 4),
        (ws.State.STOPPED, "stopped", 3),
        (ws.State.START_PENDING, "starting", 5),
        (ws.State.RUNNING, "running", 0),
        (ws.State.STOP_PENDING, "stopping", 5),
        (ws.State.PAUSED, "paused", 5),
    ],
)
def test_status_in_plain_words(state: int | None, word: str, code: int) -> None:
    assert ws.state_word(state) == word
    assert ws.status_exit_code(state) == code


def test_an_unknown_state_is_said_as_a_number() -> None:
    assert ws.state_word(42) == "in an unknown state (42)"


def test_refused_for_want_of_administrator_rights() -> None:
    said = ws.explain(ws.ERROR_ACCESS_DENIED, "install")
    assert said.startswith("cannot install the Ferry service: this needs administrator rights")
    assert "Run as administrator" in said


@pytest.mark.parametrize(
    ("winerror", "words"),
    [
        (ws.ERROR_SERVICE_EXISTS, "the Ferry service is already installed"),
        (ws.ERROR_SERVICE_DOES_NOT_EXIST, "the Ferry service is not installed"),
        (ws.ERROR_SERVICE_MARKED_FOR_DELETE, "is being removed"),
        (1234, "cannot start the Ferry service: Windows error (error 1234)"),
    ],
)
def test_other_refusals_in_plain_words(winerror: int, words: str) -> None:
    assert words in ws.explain(winerror, "start")


# -- the command line the service manager starts ------------------------------------------------


def test_a_built_ferry_registers_its_windowed_program() -> None:
    argv = ws.service_argv(
        r"C:\Program Files\Ferry\ferry-cli.exe", frozen=True, home_root=r"C:\ProgramData\Ferry"
    )
    assert argv == [
        r"C:\Program Files\Ferry\Ferry.exe",
        "--home",
        r"C:\ProgramData\Ferry",
        "service",
        "run",
    ]
    line = ws.command_line(argv)
    assert line == r'"C:\Program Files\Ferry\Ferry.exe" --home C:\ProgramData\Ferry service run'
    assert split_windows_command_line(line) == argv
    assert ws.home_in(split_windows_command_line(line)) == r"C:\ProgramData\Ferry"


def test_a_checkout_registers_pythonw_with_the_checkout_on_its_path() -> None:
    argv = ws.service_argv(
        r"C:\Python311\python.exe",
        frozen=False,
        home_root=r"D:\Ferry home",
        checkout=r"Z:\work\Ferry checkout",
    )
    assert argv[0] == r"C:\Python311\pythonw.exe"
    assert argv[1] == "-c" and r"sys.path.insert(0, r'Z:\work\Ferry checkout')" in argv[2]
    assert argv[3:] == ["--home", r"D:\Ferry home", "service", "run"]
    assert split_windows_command_line(ws.command_line(argv)) == argv
    assert ws.home_in(argv) == r"D:\Ferry home"


def test_a_command_line_without_home() -> None:
    assert ws.home_in([r"C:\Ferry\Ferry.exe", "service", "run"]) is None
    assert ws.home_in(["x", r"--home=C:\h", "service", "run"]) == r"C:\h"


@pytest.mark.parametrize(
    ("account", "local_system"),
    [
        (None, True),
        ("", True),
        ("LocalSystem", True),
        (".\\LocalSystem", True),
        ("NT AUTHORITY\\SYSTEM", True),
        ("nt authority\\system", True),
        (".\\ferry", False),
        ("OFFICE\\svc-ferry", False),
        ("NT AUTHORITY\\LocalService", False),  # an account with a profile of its own
    ],
)
def test_which_configured_account_is_local_system(account: str | None, local_system: bool) -> None:
    """What decides where the service keeps its login: LocalSystem the computer's store, any
    other account its own Credential Manager."""
    assert ws.is_local_system(account) is local_system


# -- arguments -----------------------------------------------------------------------------------


def test_the_service_commands_parse() -> None:
    parser = build_parser()
    args = parser.parse_args(["service", "install", "--account", r".\ferry", "--start"])
    assert args.account == r".\ferry" and args.start and not args.password_from_stdin
    assert args.name == "Ferry"
    for action in ("uninstall", "start", "stop", "status", "login", "logout", "run"):
        assert parser.parse_args(["service", action]).handler.__name__.startswith("run_")
    login = parser.parse_args(["service", "login", "--no-browser", "--region", "be"])
    assert login.no_browser and login.region == "be"  # the same options as ferry login
    with pytest.raises(SystemExit):
        parser.parse_args(["service"])  # an action is required
    with pytest.raises(SystemExit):
        parser.parse_args(["service", "pause"])


@pytest.mark.skipif(WINDOWS, reason="what Linux says")
@pytest.mark.parametrize(
    "action", ["install", "uninstall", "start", "stop", "status", "login", "logout", "run"]
)
def test_on_linux_it_points_to_ferry_run_under_systemd(
    action: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(tmp_path), "service", action]) == 2
    said = capsys.readouterr().err
    assert "the Windows service is for Windows" in said
    assert "`ferry run`" in said and "systemd" in said


# -- the engine the service runs --------------------------------------------------------------


@pytest.mark.windows
def test_the_service_engine_says_plainly_that_nobody_logged_in(tmp_path: Path) -> None:
    """What the Event Log gets when the engine cannot start: the EngineError's own words."""
    reported: list[tuple[str, bool]] = []
    home = FerryHome.under(tmp_path).ensure()
    code = ws.run_engine(
        home, threading.Event(), lambda text, error: reported.append((text, error))
    )
    assert code == 1
    assert len(reported) == 1
    text, is_error = reported[0]
    assert is_error and text.startswith("Ferry cannot sync: ") and "not logged in" in text


# -- a real service under Wine's service manager (Windows CPython) --------------------------------


@pytest.fixture
def service_name() -> Iterator[str]:
    """A service name of this test's own; whatever it leaves registered is removed."""
    name = f"FerryTest{secrets.token_hex(4)}"
    try:
        yield name
    finally:
        if WINDOWS and ws.query(name) is not None:
            ws.uninstall(name)


@pytest.mark.windows
@pytest.mark.skipif(not WINDOWS, reason=ONLY_ON_WINDOWS)
@pytest.mark.timeout(180)
def test_a_service_nobody_logged_in_to_stops_and_says_why(
    service_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = ["--home", str(tmp_path)]
    assert main([*home, "service", "status", "--name", service_name]) == 4
    assert f"The {service_name} service is not installed." in capsys.readouterr().out

    assert main([*home, "service", "install", "--name", service_name]) == 0
    out = capsys.readouterr().out
    assert f"with its home in {tmp_path}" in out
    argv = ws.configured_argv(service_name)
    assert argv is not None and argv[0].lower().endswith("pythonw.exe")
    assert argv[-4:] == ["--home", str(tmp_path), "service", "run"]
    assert main([*home, "service", "install", "--name", service_name]) == 1
    assert "already installed (stopped)" in capsys.readouterr().err

    # nobody logged in: the engine cannot start, the service stops again, the log says why
    assert main([*home, "service", "start", "--name", service_name]) == 1
    said = capsys.readouterr().err
    assert "stopped: it could not sync" in said and str(tmp_path / "logs") in said
    assert ws.query(service_name) == ws.State.STOPPED
    log = (tmp_path / "logs" / "ferry.log").read_text(encoding="utf-8")
    assert "service started" in log
    assert "the service cannot sync [not_logged_in]: Ferry is not logged in" in log

    assert main([*home, "service", "uninstall", "--name", service_name]) == 0
    assert ws.query(service_name) is None
    assert main([*home, "service", "uninstall", "--name", service_name]) == 1
    assert "is not installed" in capsys.readouterr().err


def _subject(id_token: str | None) -> str:
    payload = (id_token or "..").split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)) or b"{}")
    return str(claims.get("sub", "demo"))


@pytest.mark.windows
@pytest.mark.skipif(not WINDOWS, reason=ONLY_ON_WINDOWS)
@pytest.mark.timeout(300)
def test_a_logged_in_service_delivers_and_stops_cleanly(
    service_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sandbox platform in this process, a login seeded into the service's home with its
    refresh token in the computer's own store (DPAPI, machine scope), a destination on C:/Z:;
    the service delivers, then stops when asked."""
    from app.auth.account import StoredLogin, save_login
    from app.auth.secret_store import machine_store
    from app.sandbox.server import SandboxServer
    from app.sandbox.testkit import login_with_password

    sandbox = SandboxServer(tmp_path / "sandbox", port=0, seed_documents=3)
    url = sandbox.start()
    home_dir = tmp_path / "home"
    home = FerryHome.under(home_dir).ensure()
    store = machine_store(home)
    login = None
    try:
        tokens = login_with_password(url, "be")
        login = StoredLogin(
            region=f"sandbox-{service_name.lower()}",  # a keyring entry of this test's own
            issuer=sandbox.issuer("be"),
            api_url=sandbox.api_url,
            client_id="ferry-desktop",
            subject=_subject(tokens.id_token),
            logged_in_at=dt.datetime.now(dt.UTC),
        )
        store.save(login.secret_name, tokens.refresh_token)
        save_login(home.settings_dir, login)
        out = tmp_path / "Accounting"
        args = ["--home", str(home_dir)]
        assert main([*args, "destination", "add", "D", "--path", f"{out}\\[enterprise_name]"]) == 0
        assert main([*args, "link", "--all", "--to", "D", "--since", "2000-01-01"]) == 0
        capsys.readouterr()

        assert main([*args, "service", "install", "--name", service_name, "--start"]) == 0
        assert f"The {service_name} service is running." in capsys.readouterr().out
        assert main([*args, "service", "status", "--name", service_name]) == 0
        deadline = time.monotonic() + 90
        while not any(out.rglob("*.xml")) and time.monotonic() < deadline:
            time.sleep(1)
        assert any(out.rglob("*.xml")), (home_dir / "logs" / "ferry.log").read_text("utf-8")

        assert main([*args, "service", "stop", "--name", service_name]) == 0
        assert ws.query(service_name) == ws.State.STOPPED
        log = (home_dir / "logs" / "ferry.log").read_text(encoding="utf-8")
        assert "engine hosted by service" in log
        assert "the service's engine stopped" in log and "service stopped" in log
    finally:
        if login is not None:
            store.delete(login.secret_name)
        sandbox.stop()


@pytest.mark.windows
@pytest.mark.skipif(not WINDOWS, reason=ONLY_ON_WINDOWS)
@pytest.mark.timeout(400)
def test_a_service_run_as_a_named_account_takes_its_login_into_its_credential_manager(
    service_name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Installed with ``--account``: an administrator's login waits in the computer's store,
    the service takes it into its account's Credential Manager when it starts and syncs with
    it; ``service logout`` then makes the service end it at the platform and delete it.
    (Wine runs every service as its one user, which is also the account named here; that the
    account is a different one from the administrator is for a real Windows to show.)"""
    import io

    import win32api

    from app.auth.account import StoredLogin, load_login, save_login
    from app.auth.secret_store import SecretStore, machine_store
    from app.sandbox.server import SandboxServer
    from app.sandbox.testkit import login_with_password

    sandbox = SandboxServer(tmp_path / "sandbox", port=0, seed_documents=3)
    url = sandbox.start()
    home_dir = tmp_path / "home"
    home = FerryHome.under(home_dir).ensure()
    account = f"{win32api.GetComputerName()}\\{win32api.GetUserName()}"
    own = SecretStore()
    login = None
    try:
        args = ["--home", str(home_dir)]
        monkeypatch.setattr("sys.stdin", io.StringIO("not-checked-by-wine\n"))
        installed = main(
            [
                *args,
                "service",
                "install",
                "--name",
                service_name,
                "--account",
                account,
                "--password-from-stdin",
            ]
        )
        assert installed == 0, capsys.readouterr()
        assert ws.service_account(service_name) == account

        tokens = login_with_password(url, "be")
        login = StoredLogin(
            region=f"sandbox-{service_name.lower()}",  # a keyring entry of this test's own
            issuer=sandbox.issuer("be"),
            api_url=sandbox.api_url,
            client_id="ferry-desktop",
            subject=_subject(tokens.id_token),
            logged_in_at=dt.datetime.now(dt.UTC),
        )
        # what `service login` leaves: the token in the computer's store, the account let in
        inbox = machine_store(home, ws.account_sid(account))
        inbox.save(login.secret_name, tokens.refresh_token)
        save_login(home.settings_dir, login)
        out = tmp_path / "Accounting"
        assert main([*args, "destination", "add", "D", "--path", f"{out}\\[enterprise_name]"]) == 0
        assert main([*args, "link", "--all", "--to", "D", "--since", "2000-01-01"]) == 0
        capsys.readouterr()

        assert main([*args, "service", "start", "--name", service_name]) == 0
        deadline = time.monotonic() + 90
        while not any(out.rglob("*.xml")) and time.monotonic() < deadline:
            time.sleep(1)
        log_file = home_dir / "logs" / "ferry.log"
        assert any(out.rglob("*.xml")), log_file.read_text("utf-8")
        assert inbox.load(login.secret_name) is None  # taken from the computer's store
        assert own.load(login.secret_name)  # into the account's Credential Manager
        log = log_file.read_text(encoding="utf-8")
        assert "took its login" in log and f"runs as {account}" in log

        assert main([*args, "service", "logout", "--name", service_name]) == 0
        said = capsys.readouterr().out
        assert "ended the login at the platform" in said, said
        assert load_login(home.settings_dir) is None
        assert own.load(login.secret_name) is None
        assert ws.query(service_name) == ws.State.STOPPED
        log = log_file.read_text(encoding="utf-8")
        assert "is no longer the home's" in log and "revoked" in log
    finally:
        if login is not None:
            for store in (own, machine_store(home)):
                store.delete(login.secret_name)
        sandbox.stop()
