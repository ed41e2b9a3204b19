"""Ferry as a Windows service: registered with the service manager, hosted by Ferry's own exe.

An office server runs Ferry with nobody logged on: the service manager starts it at boot
(delayed, so the network and the disks are up), restarts it when it crashes, and stops it at
shutdown or for an upgrade. The service runs one engine for the computer's own home
(``%ProgramData%\\Ferry``, :meth:`app.home.FerryHome.machine`) through
:func:`app.engine.host.run_host`, the same host ``ferry run`` uses.

Its command line is the installed program itself (``Ferry.exe --home ... service run``): when
the service manager starts it, ``service run`` hands the process to pywin32's dispatcher
(:func:`host`). From a checkout (tests, developers) it is the Windows Python with this checkout
put on its path, since the embeddable Python ignores the current folder and PYTHONPATH.

What Windows says with numbers is said here in words: the state (:func:`state_word`), a refusal
(:func:`explain`). Those parts are pure and tested on Linux; everything that talks to the
service manager imports pywin32 inside its function, so this module imports anywhere.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path, PureWindowsPath
from typing import Any

import keyring.errors

from app.auth.secret_store import SecretStore, SecretStoreError
from app.autostart import split_windows_command_line, windows_command_line
from app.home import FerryHome

log = logging.getLogger(__name__)

SERVICE_NAME = "Ferry"
DISPLAY_NAME = "Ferry document sync"
DESCRIPTION = (
    "Delivers every client's documents from the document platform into the folders the "
    "accounting software imports from, with nobody logged on."
)
#: What the service manager starts after the program and its ``--home``.
RUN_ARGS = ("service", "run")
#: The windowed program: a service has no console, and the windowed build never needs one.
SERVICE_EXE = "Ferry.exe"

#: After a crash: start again after one minute, again after one, then every five; the count
#: starts over after a day without one.
RESTART_DELAYS_MS = (60_000, 60_000, 300_000)
RESET_PERIOD_S = 24 * 3600
#: How long start and stop wait for the service manager to see the service running or stopped.
WAIT_S = 120.0
#: How long the service manager is told a start may take (the engine's modules load and its
#: database opens before the service says it runs).
START_HINT_MS = 120_000

# winerror numbers (winerror.h) this module answers in words
ERROR_ACCESS_DENIED = 5
ERROR_INVALID_LEVEL = 124
ERROR_CALL_NOT_IMPLEMENTED = 120
ERROR_SERVICE_REQUEST_TIMEOUT = 1053
ERROR_SERVICE_ALREADY_RUNNING = 1056
ERROR_INVALID_SERVICE_ACCOUNT = 1057
ERROR_SERVICE_DISABLED = 1058
ERROR_SERVICE_DOES_NOT_EXIST = 1060
ERROR_SERVICE_CANNOT_ACCEPT_CTRL = 1061
ERROR_SERVICE_NOT_ACTIVE = 1062
ERROR_FAILED_SERVICE_CONTROLLER_CONNECT = 1063
ERROR_SERVICE_MARKED_FOR_DELETE = 1072
ERROR_SERVICE_EXISTS = 1073
ERROR_SERVICE_LOGON_FAILED = 1069


class State(IntEnum):
    """``SERVICE_STATUS.dwCurrentState`` (winsvc.h), so its words are testable anywhere."""

    STOPPED = 1
    START_PENDING = 2
    STOP_PENDING = 3
    RUNNING = 4
    CONTINUE_PENDING = 5
    PAUSE_PENDING = 6
    PAUSED = 7


NOT_INSTALLED = "not installed"
_WORDS = {
    State.STOPPED: "stopped",
    State.START_PENDING: "starting",
    State.STOP_PENDING: "stopping",
    State.RUNNING: "running",
    State.CONTINUE_PENDING: "starting",
    State.PAUSE_PENDING: "stopping",
    State.PAUSED: "paused",
}

#: ``ferry service status`` exit codes, as scripts and monitoring tools read them (the LSB's
#: ``status`` numbers where they fit: 0 running, 3 stopped, 4 unknown to the system).
STATUS_RUNNING = 0
STATUS_ERROR = 1
STATUS_STOPPED = 3
STATUS_NOT_INSTALLED = 4
STATUS_IN_BETWEEN = 5  # starting, stopping or paused: ask again in a moment


def state_word(state: int | None) -> str:
    """The state in the words ``service status`` prints; None is a service not installed."""
    if state is None:
        return NOT_INSTALLED
    try:
        return _WORDS[State(state)]
    except ValueError:
        return f"in an unknown state ({state})"


def status_exit_code(state: int | None) -> int:
    if state is None:
        return STATUS_NOT_INSTALLED
    if state == State.RUNNING:
        return STATUS_RUNNING
    if state == State.STOPPED:
        return STATUS_STOPPED
    return STATUS_IN_BETWEEN


class ServiceError(Exception):
    """The service manager refused or failed; the message says so in plain words."""

    def __init__(self, message: str, winerror: int | None = None) -> None:
        super().__init__(message)
        self.winerror = winerror


def explain(winerror: int, action: str, name: str = SERVICE_NAME, detail: str = "") -> str:
    """What a refusal of the service manager means for the person who typed ``action``."""
    if winerror == ERROR_ACCESS_DENIED:
        return (
            f"cannot {action} the {name} service: this needs administrator rights. Open the "
            "command prompt with 'Run as administrator' and type the command again."
        )
    words = {
        ERROR_SERVICE_DOES_NOT_EXIST: f"the {name} service is not installed",
        ERROR_SERVICE_EXISTS: f"the {name} service is already installed",
        ERROR_SERVICE_MARKED_FOR_DELETE: (
            f"the {name} service is being removed; Windows finishes when every program "
            "that shows it (Services, Task Manager) is closed"
        ),
        ERROR_SERVICE_ALREADY_RUNNING: f"the {name} service is already running",
        ERROR_SERVICE_NOT_ACTIVE: f"the {name} service is not running",
        ERROR_SERVICE_DISABLED: f"the {name} service is disabled (Services: Startup type)",
        ERROR_INVALID_SERVICE_ACCOUNT: (
            "no such account: give it as DOMAIN\\name, or .\\name for an account of this computer"
        ),
        ERROR_SERVICE_LOGON_FAILED: (
            f"the {name} service could not log on with its account: check the account's "
            "name and password and its right to log on as a service"
        ),
        ERROR_SERVICE_REQUEST_TIMEOUT: f"the {name} service did not answer in time",
        ERROR_SERVICE_CANNOT_ACCEPT_CTRL: (
            f"the {name} service cannot take that now (it is starting or stopping); "
            "try again in a moment"
        ),
    }
    said = words.get(winerror)
    if said:
        return said
    return f"cannot {action} the {name} service: {detail or 'Windows error'} (error {winerror})"


# -- the command line the service manager starts ---------------------------------------------

#: From a checkout: put it on the path (the embeddable Python ignores the current folder and
#: PYTHONPATH) and run Ferry's command line with the arguments that follow ``-c CODE``.
_SOURCE_BOOT = (
    "import sys; sys.path.insert(0, r'{checkout}'); from app.cli import main; "
    "raise SystemExit(main(sys.argv[1:]))"
)


def service_argv(
    executable: str, *, frozen: bool, home_root: str, checkout: str | None = None
) -> list[str]:
    """The service's command line as a list: the program, ``--home``, ``service run``.

    Frozen: ``Ferry.exe`` beside ``executable`` (``ferry-cli.exe service install`` registers
    the windowed program, which needs no console). From a checkout: ``pythonw.exe`` beside
    ``python.exe`` (no console either), running this checkout. Pure: Windows paths are
    handled as text, so the same function is tested on Linux.
    """
    program = PureWindowsPath(executable)
    if frozen:
        program = program.with_name(SERVICE_EXE)
        return [str(program), "--home", home_root, *RUN_ARGS]
    if checkout is None:
        raise ValueError("a service run from source needs the checkout's folder")
    if program.name.lower() == "python.exe":
        program = program.with_name("pythonw.exe")
    boot = _SOURCE_BOOT.format(checkout=checkout)
    return [str(program), "-c", boot, "--home", home_root, *RUN_ARGS]


def command_line(argv: Sequence[str]) -> str:
    """``argv`` quoted as Windows reads a command line (what the service manager stores);
    :func:`app.autostart.split_windows_command_line` reads it back."""
    return windows_command_line(list(argv))


def home_in(argv: Sequence[str]) -> str | None:
    """The ``--home`` a service command line gives, None when it gives none."""
    for index, arg in enumerate(argv):
        if arg == "--home" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--home="):
            return arg.removeprefix("--home=")
    return None


def this_program_argv(home_root: str) -> list[str]:
    """The service's command line for the program running now (frozen or this checkout)."""
    frozen = bool(getattr(sys, "frozen", False))
    checkout = None if frozen else str(Path(__file__).resolve().parents[2])
    return service_argv(sys.executable, frozen=frozen, home_root=home_root, checkout=checkout)


# -- talking to the service manager (Windows only) -------------------------------------------


def _winerror(error: BaseException) -> int | None:
    return getattr(error, "winerror", None)


def _refused(error: BaseException, action: str, name: str) -> ServiceError:
    code = _winerror(error)
    if code is None:
        return ServiceError(f"cannot {action} the {name} service: {error}")
    detail = getattr(error, "strerror", "") or ""
    return ServiceError(explain(code, action, name, detail), code)


class _Handles:
    """The service manager and one service, opened with the rights an action needs."""

    def __init__(self, name: str, manager_access: int, service_access: int, action: str) -> None:
        import pywintypes
        import win32service

        self.name = name
        self.action = action
        self.manager: Any = None
        self.service: Any = None
        try:
            self.manager = win32service.OpenSCManager(None, None, manager_access)
            self.service = win32service.OpenService(self.manager, name, service_access)
        except pywintypes.error as error:
            self.close()
            raise _refused(error, action, name) from error

    def close(self) -> None:
        import win32service

        for handle in (self.service, self.manager):
            if handle is not None:
                win32service.CloseServiceHandle(handle)
        self.service = self.manager = None

    def __enter__(self) -> _Handles:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def query(name: str = SERVICE_NAME) -> int | None:
    """The service's state (:class:`State`), None when it is not installed."""
    import win32service

    try:
        handles = _Handles(
            name,
            win32service.SC_MANAGER_CONNECT,
            win32service.SERVICE_QUERY_STATUS,
            "ask about",
        )
    except ServiceError as error:
        if error.winerror == ERROR_SERVICE_DOES_NOT_EXIST:
            return None
        raise
    with handles:
        return int(win32service.QueryServiceStatusEx(handles.service)["CurrentState"])


def _config(name: str) -> tuple[Any, ...] | None:
    """The service's configuration as the service manager keeps it (``QueryServiceConfig``:
    the command line at 3, the account at 7); None: not installed."""
    import win32service

    try:
        handles = _Handles(
            name, win32service.SC_MANAGER_CONNECT, win32service.SERVICE_QUERY_CONFIG, "ask about"
        )
    except ServiceError as error:
        if error.winerror == ERROR_SERVICE_DOES_NOT_EXIST:
            return None
        raise
    with handles:
        return tuple(win32service.QueryServiceConfig(handles.service))


def configured_argv(name: str = SERVICE_NAME) -> list[str] | None:
    """The command line the service manager starts for the service; None: not installed."""
    config = _config(name)
    return None if config is None else split_windows_command_line(str(config[3]))


def point_at(program: str, name: str = SERVICE_NAME) -> list[str]:
    """Make the installed service run ``program`` (a ``Ferry.exe``), its arguments
    (``--home``, ``service run``) and its account kept: what an update's helper and an
    installer's upgrade do, since the service manager starts what it is told and a new
    version lives in a folder of its own. Returns the new command line as a list."""
    import pywintypes
    import win32service

    argv = configured_argv(name)
    if argv is None:
        raise ServiceError(
            explain(ERROR_SERVICE_DOES_NOT_EXIST, "change", name), ERROR_SERVICE_DOES_NOT_EXIST
        )
    argv = [program, *argv[1:]]
    with _Handles(
        name, win32service.SC_MANAGER_CONNECT, win32service.SERVICE_CHANGE_CONFIG, "change"
    ) as handles:
        try:
            win32service.ChangeServiceConfig(
                handles.service,
                win32service.SERVICE_NO_CHANGE,
                win32service.SERVICE_NO_CHANGE,
                win32service.SERVICE_NO_CHANGE,
                command_line(argv),
                None,
                0,
                None,
                None,
                None,
                None,
            )
        except pywintypes.error as error:
            raise _refused(error, "change", name) from error
    log.info("service %s now runs %s", name, command_line(argv))
    return argv


#: How the service manager names LocalSystem as a service's account (compared without case).
LOCAL_SYSTEM_NAMES = frozenset({"", "localsystem", ".\\localsystem", "nt authority\\system"})


def is_local_system(account: str | None) -> bool:
    """Whether a service's configured account (``lpServiceStartName``) is LocalSystem."""
    return account is None or account.strip().lower() in LOCAL_SYSTEM_NAMES


def service_account(name: str = SERVICE_NAME) -> str | None:
    """The named account the service runs as; None for LocalSystem or no such service."""
    config = _config(name)
    account = None if config is None else str(config[7] or "")
    return None if is_local_system(account) else account


def account_sid(account: str) -> str:
    """The SID of ``account`` (``DOMAIN\\name`` or ``.\\name``) as text."""
    import pywintypes
    import win32security

    local = account[2:] if account.startswith(".\\") else account
    try:
        sid = win32security.LookupAccountName(None, local)[0]
    except pywintypes.error as error:
        raise ServiceError(
            f"Windows does not know the account {account} the service runs as: {error.strerror}",
            _winerror(error),
        ) from error
    return str(win32security.ConvertSidToStringSid(sid))


def install(
    argv: Sequence[str],
    *,
    name: str = SERVICE_NAME,
    account: str | None = None,
    password: str | None = None,
) -> list[str]:
    """Register the service: automatic delayed start, restart after a crash, LocalSystem
    unless ``account`` is given. Returns notes on what this Windows could not set (Wine
    lacks some settings), each already in the log."""
    import pywintypes
    import win32service

    try:
        manager = win32service.OpenSCManager(None, None, win32service.SC_MANAGER_CREATE_SERVICE)
    except pywintypes.error as error:
        raise _refused(error, "install", name) from error
    try:
        try:
            service = win32service.CreateService(
                manager,
                name,
                DISPLAY_NAME,
                win32service.SERVICE_ALL_ACCESS,
                win32service.SERVICE_WIN32_OWN_PROCESS,
                win32service.SERVICE_AUTO_START,
                win32service.SERVICE_ERROR_NORMAL,
                command_line(argv),
                None,  # no load-order group
                0,
                None,  # no dependencies
                account,  # None: LocalSystem
                password,
            )
        except pywintypes.error as error:
            raise _refused(error, "install", name) from error
        try:
            notes = _configure(service, name)
        finally:
            win32service.CloseServiceHandle(service)
    finally:
        win32service.CloseServiceHandle(manager)
    if account:
        note = _grant_service_logon(account)
        if note:
            notes.append(note)
    log.info("service %s installed: %s", name, command_line(argv))
    return notes


def _configure(service: Any, name: str) -> list[str]:
    """Description, delayed start and restart after a crash; what cannot be set is a note,
    never a failed install. Wine 8 refuses the delayed start (ERROR_INVALID_LEVEL) and
    accepts the failure actions without keeping them; Windows 10 keeps both."""
    import pywintypes
    import win32service

    settings: list[tuple[str, int, object]] = [
        ("the description", win32service.SERVICE_CONFIG_DESCRIPTION, DESCRIPTION),
        ("the delayed start", win32service.SERVICE_CONFIG_DELAYED_AUTO_START_INFO, True),
        (
            "the restart after a crash",
            win32service.SERVICE_CONFIG_FAILURE_ACTIONS,
            {
                "ResetPeriod": RESET_PERIOD_S,
                "RebootMsg": None,
                "Command": None,
                "Actions": [(win32service.SC_ACTION_RESTART, ms) for ms in RESTART_DELAYS_MS],
            },
        ),
    ]
    notes = []
    for what, level, value in settings:
        try:
            win32service.ChangeServiceConfig2(service, level, value)
        except (pywintypes.error, NotImplementedError, TypeError) as error:
            note = f"{what} of the {name} service could not be set: {error}"
            log.warning("%s", note)
            notes.append(note)
    return notes


def _grant_service_logon(account: str) -> str | None:
    """A named account needs the right to log on as a service (Services grants it when an
    administrator types the account there; CreateService does not)."""
    import pywintypes
    import win32security

    try:
        sid = win32security.LookupAccountName(None, account)[0]
        policy = win32security.LsaOpenPolicy(None, win32security.POLICY_ALL_ACCESS)
        try:
            win32security.LsaAddAccountRights(policy, sid, ["SeServiceLogonRight"])
        finally:
            win32security.LsaClose(policy)
    except (pywintypes.error, NotImplementedError) as error:
        note = f"{account} could not be given the right to log on as a service: {error}"
        log.warning("%s", note)
        return note
    return None


def uninstall(name: str = SERVICE_NAME, timeout: float = WAIT_S) -> None:
    """Stop the service if it runs, then remove it."""
    import pywintypes
    import win32con
    import win32service

    state = query(name)
    if state is None:
        raise ServiceError(explain(ERROR_SERVICE_DOES_NOT_EXIST, "remove", name))
    if state != State.STOPPED:
        stop(name, timeout)
    with _Handles(name, win32service.SC_MANAGER_CONNECT, win32con.DELETE, "remove") as handles:
        try:
            win32service.DeleteService(handles.service)
        except pywintypes.error as error:
            raise _refused(error, "remove", name) from error
    # Windows removes a service marked for deletion once its process has ended and every
    # handle to it is closed: wait for that, so that "uninstalled" means gone.
    deadline = time.monotonic() + timeout
    while query(name) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    log.info("service %s removed", name)


#: After the service says it runs, how long ``start`` watches for an engine that cannot start
#: (nobody logged in), which stops it again at once.
SETTLE_S = 5.0


def start(name: str = SERVICE_NAME, timeout: float = WAIT_S, settle: float = SETTLE_S) -> int:
    """Start the service and wait until it runs (or stops again: then it could not start).

    The service reports running before its engine opens (the service manager gives up on a
    slow start), so a running service is watched ``settle`` seconds more: an engine that
    cannot start stops it within that time, and the caller hears "stopped", not "running".
    """
    import pywintypes
    import win32service

    with _Handles(
        name,
        win32service.SC_MANAGER_CONNECT,
        win32service.SERVICE_START | win32service.SERVICE_QUERY_STATUS,
        "start",
    ) as handles:
        try:
            win32service.StartService(handles.service, None)
        except pywintypes.error as error:
            raise _refused(error, "start", name) from error
        state = _wait(handles.service, (State.RUNNING, State.STOPPED), timeout)
        if state == State.RUNNING:
            state = _wait(handles.service, (State.STOPPED, State.STOP_PENDING), settle)
        return state


def stop(name: str = SERVICE_NAME, timeout: float = WAIT_S) -> int:
    """Ask the service to stop and wait until it has (the engine finishes what it writes)."""
    import pywintypes
    import win32service

    with _Handles(
        name,
        win32service.SC_MANAGER_CONNECT,
        win32service.SERVICE_STOP | win32service.SERVICE_QUERY_STATUS,
        "stop",
    ) as handles:
        try:
            win32service.ControlService(handles.service, win32service.SERVICE_CONTROL_STOP)
        except pywintypes.error as error:
            if _winerror(error) != ERROR_SERVICE_NOT_ACTIVE:
                raise _refused(error, "stop", name) from error
        return _wait(handles.service, (State.STOPPED,), timeout)


def _wait(service: Any, wanted: Sequence[State], timeout: float) -> int:
    import win32service

    deadline = time.monotonic() + timeout
    while True:
        state = int(win32service.QueryServiceStatusEx(service)["CurrentState"])
        if state in wanted or time.monotonic() > deadline:
            return state
        time.sleep(0.25)


# -- the service itself ----------------------------------------------------------------------


def run_engine(
    home: FerryHome,
    stop_event: threading.Event,
    report: Callable[[str, bool], None],
    ready: Callable[[], None] | None = None,
    name: str = SERVICE_NAME,
) -> int:
    """Run ``home``'s engine until ``stop_event`` is set; 0 when it stopped as asked.

    1 when it could not start (:class:`EngineError`: nobody logged in, another engine on this
    home) or ended by itself; ``report(message, is_error)`` takes what the Event Log should
    say: why it could not start from the failure's code, in Ferry's language (the log's line
    is English, as the whole log). ``name``: the service's, to read which account it runs as.
    """
    from app.alerts.keeper import ferry_language
    from app.core.start_failures import cannot_sync
    from app.engine.engine import EngineError
    from app.engine.host import HostKind, run_host
    from app.service.pipe_security import protect_service_home

    try:
        home.ensure()
        protect_service_home(
            {
                "settings": home.settings_dir,
                "logs": home.log_dir,
                "state": home.state_dir,
                "data": home.data_dir,
            }
        )
    except Exception as error:  # pywintypes.error: said, and the service syncs on
        log.warning("the service's home keeps the permissions it had: %s", error)
    try:
        # elsewhere (tests of the words on Linux) the OS keyring, as for any engine
        secrets = service_secrets(home, name) if sys.platform == "win32" else None
    except (keyring.errors.KeyringError, SecretStoreError, ServiceError) as error:
        log.error("the service cannot read its login: %s", error)
        report(f"Ferry cannot sync: {error}", True)
        return 1
    try:
        run_host(home, host=HostKind.SERVICE, stop=stop_event, secrets=secrets, ready=ready)
    except EngineError as error:
        log.error("the service cannot sync [%s]: %s", error.failure.code.value, error)
        report(cannot_sync(error.failure, ferry_language(home)), True)
        return 1
    except Exception as error:  # anything else: said in both logs, then a crash restart
        log.exception("the service's engine failed")
        report(f"Ferry's engine failed: {type(error).__name__}: {error}", True)
        return 1
    if not stop_event.is_set():
        log.error("the service's engine ended by itself")
        report("Ferry's engine ended by itself", True)
        return 1
    log.info("the service's engine stopped")
    return 0


def service_secrets(home: FerryHome, name: str) -> SecretStore:
    """Where the service's engine keeps its login. As LocalSystem: the computer's own store
    (refused in plain words when others can read it). As a named account: that account's
    Credential Manager, after taking the login an administrator left in the computer's store
    (:mod:`app.service.login_handoff`)."""
    from app.application.account import revoke_login
    from app.auth.secret_store import MACHINE_SECRETS_FOLDER, machine_store
    from app.service.login_handoff import take_over

    try:
        account = service_account(name)
    except ServiceError as error:  # the service manager does not answer: as installed
        log.warning("the service's account is not known (%s); taken as LocalSystem", error)
        account = None
    if account is None:
        return machine_store(home)
    own = SecretStore()
    own.check()
    folder = home.settings_dir.parent / MACHINE_SECRETS_FOLDER
    inbox = machine_store(home) if folder.is_dir() else None
    done = take_over(
        home, own, inbox, lambda login, store: _ended(revoke_login(home, login, store))
    )
    log.info(
        "the service runs as %s and keeps its login in that account's Credential Manager%s",
        account,
        " (taken over now)" if done.taken else "",
    )
    return own


def _ended(outcome: object) -> None:
    log.info("the platform was told of the earlier login's end: %s", outcome)


#: The home the hosted service runs; :func:`host` sets it before the dispatcher starts.
_hosted_home: FerryHome | None = None


def service_class() -> Any:
    """The pywin32 service class (made on demand: pywin32 exists on Windows only)."""
    import servicemanager
    import win32service
    import win32serviceutil

    class FerryService(win32serviceutil.ServiceFramework):  # type: ignore[misc]
        """Report running at once and run the engine on a thread: the service manager gives
        up on a service that takes long to start, and opening the engine may take a while."""

        _svc_name_ = SERVICE_NAME
        _svc_display_name_ = DISPLAY_NAME
        _svc_description_ = DESCRIPTION

        def __init__(self, args: Sequence[str]) -> None:
            super().__init__(args)
            self.stop_event = threading.Event()
            # the name the service manager started it under (tests install other names)
            self.name = str(args[0]) if args else SERVICE_NAME

        def SvcRun(self) -> None:  # noqa: N802 - pywin32's name
            """Starting until the engine is open (its modules load, its database opens),
            then running: ``service start`` then says "running" only of an engine that
            runs. pywin32's own reports running before anything is loaded."""
            self.ReportServiceStatus(win32service.SERVICE_START_PENDING, waitHint=START_HINT_MS)
            self.SvcDoRun()
            self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING)

        def SvcStop(self) -> None:  # noqa: N802 - pywin32's name
            log.info("the service manager asks the service to stop")
            self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING, waitHint=30_000)
            self.stop_event.set()

        def SvcDoRun(self) -> None:  # noqa: N802 - pywin32's name
            home = _hosted_home or FerryHome.machine()
            root = home.state_dir.parent
            log.info("service started (home %s)", root)
            servicemanager.LogInfoMsg(f"Ferry service started (home {root})")

            def report(message: str, is_error: bool) -> None:
                (servicemanager.LogErrorMsg if is_error else servicemanager.LogInfoMsg)(message)

            outcome: list[int] = []

            def ready() -> None:
                self.ReportServiceStatus(win32service.SERVICE_RUNNING)

            worker = threading.Thread(
                target=lambda: outcome.append(
                    run_engine(home, self.stop_event, report, ready, self.name)
                ),
                name="ferry-service-engine",
            )
            worker.start()
            worker.join()
            # An engine that could not start or ended stops the service with its reason in
            # both logs: starting it again would say the same until someone acts (logs in).
            # A crash of the process itself is what the service manager restarts.
            why = " (see the error before)" if (not outcome or outcome[0]) else ""
            log.info("service stopped%s", why)
            servicemanager.LogInfoMsg(f"Ferry service stopped{why}")
            for handler in logging.getLogger().handlers:  # the process may end right after
                handler.flush()

    return FerryService


def host(home: FerryHome) -> None:
    """Hand this process to the service manager: what ``service run`` does when it starts us.

    Raises :class:`ServiceError` when nobody started it as a service (a person typed it).
    """
    import pywintypes
    import servicemanager

    global _hosted_home
    _hosted_home = home
    cls = service_class()
    servicemanager.Initialize(cls._svc_name_, str(Path(servicemanager.__file__).resolve()))
    servicemanager.PrepareToHostSingle(cls)
    try:
        servicemanager.StartServiceCtrlDispatcher()
    except pywintypes.error as error:
        if _winerror(error) == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT:
            raise ServiceError(
                "`service run` is what Windows' service manager starts; to start the service "
                "type `ferry service start`, to sync in this window type `ferry run`"
            ) from error
        raise _refused(error, "run", SERVICE_NAME) from error
