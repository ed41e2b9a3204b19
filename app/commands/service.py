"""``ferry service install|uninstall|start|stop|status|run``: Ferry as a Windows service.

For an office server nobody logs on to: the service starts at boot and syncs the computer's
own home (``%ProgramData%\\Ferry``). The work is in :mod:`app.service.windows_service`; here
are the words and exit codes. On other systems these commands say where to look instead:
``ferry run`` under systemd (or launchd) does the same job there.
"""

from __future__ import annotations

import argparse
import ntpath
import os
import sys
from pathlib import Path

from app.home import HOME_ENV, FerryHome, machine_root
from app.logs import setup_logging
from app.service import windows_service as ws

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

NOT_WINDOWS = (
    "ferry service: the Windows service is for Windows. On Linux, run `ferry run` as a "
    "systemd service instead (Ferry's unit file starts it at boot and restarts it); on a "
    "Mac, under launchd."
)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "service",
        help="Ferry as a Windows service: install, uninstall, start, stop, status",
        description="Ferry as a Windows service that starts at boot with nobody logged on and "
        "syncs the computer's own Ferry home (%%ProgramData%%\\Ferry, or --home). "
        "install, uninstall, start and stop need an administrator's command prompt.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    install = actions.add_parser(
        "install",
        help="register the service (automatic start at boot, restarted after a crash)",
    )
    install.add_argument(
        "--account",
        metavar="NAME",
        help="run it as this Windows account (DOMAIN\\name or .\\name) instead of LocalSystem",
    )
    install.add_argument(
        "--password-from-stdin",
        action="store_true",
        help="with --account: read the account's password from the first line of input",
    )
    install.add_argument("--start", action="store_true", help="start it once installed")
    install.set_defaults(handler=run_install)
    uninstall = actions.add_parser("uninstall", help="stop the service and remove it")
    uninstall.set_defaults(handler=run_uninstall)
    start = actions.add_parser("start", help="start the service and wait until it runs")
    start.set_defaults(handler=run_start)
    stop = actions.add_parser("stop", help="stop the service and wait until it has")
    stop.set_defaults(handler=run_stop)
    status = actions.add_parser(
        "status",
        help="not installed, stopped, starting, running or stopping "
        "(exit 0 running, 3 stopped, 4 not installed, 5 in between)",
    )
    status.set_defaults(handler=run_status)
    login = actions.add_parser(
        "login",
        help="log the computer's Ferry (the service's home) in, through the browser; "
        "its login is kept where only the service and administrators can read it",
    )
    from app.commands import account  # the login's options (imported here: it is large)

    account.add_login_arguments(login)
    login.set_defaults(handler=run_service_login)
    logout = actions.add_parser("logout", help="log the computer's Ferry out")
    logout.set_defaults(handler=run_service_logout)
    run = actions.add_parser(
        "run", help="what Windows' service manager starts (not for typing: see `ferry run`)"
    )
    run.set_defaults(handler=run_hosted)
    for action in (install, uninstall, start, stop, status, login, logout, run):
        # another service name: tests install theirs beside a real one
        action.add_argument("--name", default=ws.SERVICE_NAME, help=argparse.SUPPRESS)


def _on_windows() -> bool:
    if sys.platform == "win32":
        return True
    print(NOT_WINDOWS, file=sys.stderr)
    return False


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"ferry service: {message}", file=sys.stderr)
    return code


def home_root(args: argparse.Namespace, environ: dict[str, str] | None = None) -> str:
    """The home the service will run: ``--home`` (or FERRY_HOME) when given, else the
    computer's own. Written into its command line, so the service never depends on the
    environment the service manager gives it."""
    env = dict(os.environ) if environ is None else environ
    chosen = getattr(args, "home", None) or env.get(HOME_ENV)
    if chosen:
        return str(args.ferry_home.state_dir.parent)
    return machine_root(env)


def _with_the_service_s_home(args: argparse.Namespace) -> argparse.Namespace:
    """``args`` for the home the service runs (``--home`` when given, else the computer's)."""
    return argparse.Namespace(
        **{**vars(args), "ferry_home": FerryHome.under(Path(home_root(args)))}
    )


def _service_s_account(name: str) -> tuple[str | None, str | None]:
    """The named account the service runs as and its SID; (None, None) for LocalSystem or a
    service not installed (its login is then for LocalSystem)."""
    account = ws.service_account(name)
    return (account, ws.account_sid(account)) if account else (None, None)


def run_service_login(args: argparse.Namespace) -> int:
    """``ferry login`` for the service's home: the same browser login, its refresh token in
    the computer's own store (:func:`app.auth.secret_store.machine_store`); a service that
    runs as a named account takes it from there into its account's Credential Manager when
    it starts (:mod:`app.service.login_handoff`). A running service starts again with it."""
    if not _on_windows():
        return EXIT_USAGE
    import keyring.errors

    from app.auth.secret_store import machine_store
    from app.commands import account as login_command

    service_args = _with_the_service_s_home(args)
    try:
        account, sid = _service_s_account(args.name)
        store = machine_store(service_args.ferry_home, sid)
    except (ws.ServiceError, keyring.errors.KeyringError) as error:
        return _fail(str(error))
    code = login_command.run_login(service_args, store=store)
    if code != EXIT_OK:
        return code
    if account:
        print(
            f"The {args.name} service runs as {account}: when it starts, it moves this login "
            "into that account's Credential Manager."
        )
    return _restart_with_the_new_login(args.name)


def _restart_with_the_new_login(name: str) -> int:
    """A running service read its login when it started: start it again to use the new one."""
    try:
        state = ws.query(name)
        if state != ws.State.RUNNING:
            if state is not None:
                print(f"The {name} service is {ws.state_word(state)}: `ferry service start`.")
            return EXIT_OK
        ws.stop(name)
        state = ws.start(name)
    except ws.ServiceError as error:
        return _fail(str(error))
    if state == ws.State.RUNNING:
        print(f"The {name} service started again with this login.")
        return EXIT_OK
    return _could_not_sync(name, state)


def run_service_logout(args: argparse.Namespace) -> int:
    """``ferry logout`` for the service's home. As a named account the service holds the
    refresh token in its own Credential Manager, which nobody else can reach: it ends that
    login at the platform and deletes it when it next starts; a running one is started again
    for that now (and stops, since nobody is logged in)."""
    if not _on_windows():
        return EXIT_USAGE
    import keyring.errors

    from app.application.account import end_login
    from app.auth.account import load_login
    from app.auth.secret_store import SecretStoreError, machine_store
    from app.auth.session import LogoutOutcome
    from app.commands import account as login_command

    service_args = _with_the_service_s_home(args)
    try:
        account, sid = _service_s_account(args.name)
    except ws.ServiceError as error:
        return _fail(str(error))
    if account is None:
        return login_command.run_logout(service_args)
    home: FerryHome = service_args.ferry_home
    stored = load_login(home.settings_dir)
    if stored is None:
        print("Ferry was not logged in.")
        return EXIT_OK
    try:  # the token may still wait for the service in the computer's store
        outcome = end_login(home, stored, machine_store(home, sid))
    except (SecretStoreError, keyring.errors.KeyringError) as error:
        return _fail(str(error))
    print(f"Logged out {stored.who} (region {stored.region}).")
    if outcome is not LogoutOutcome.NO_TOKEN:
        told = login_command.LOGOUT_WORDS[outcome]
        if told:
            print(told)
        return EXIT_OK
    try:
        restarted = ws.query(args.name) == ws.State.RUNNING
        if restarted:
            ws.stop(args.name)
            ws.start(args.name)  # ends the login, then stops: nobody is logged in
    except ws.ServiceError as error:
        return _fail(str(error))
    if restarted:
        print(
            f"The {args.name} service ended the login at the platform and deleted it from "
            f"{account}'s Credential Manager; it has stopped: nobody is logged in."
        )
    else:
        print(
            f"The {args.name} service holds this login in {account}'s Credential Manager: "
            "when it next starts, it ends the login at the platform and deletes it."
        )
    return EXIT_OK


def run_install(args: argparse.Namespace) -> int:
    if not _on_windows():
        return EXIT_USAGE
    password = None
    if args.password_from_stdin:
        if not args.account:
            return _fail("--password-from-stdin goes with --account NAME", EXIT_USAGE)
        if sys.stdin is None:  # the windowed Ferry.exe has no input to read
            return _fail("--password-from-stdin needs ferry-cli.exe (a console)", EXIT_USAGE)
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        state = ws.query(args.name)
        root = home_root(args)
        argv = ws.this_program_argv(root)
        if state is not None:
            return _point_here(args, argv[0], state)
        notes = ws.install(argv, name=args.name, account=args.account, password=password)
    except ws.ServiceError as error:
        return _fail(str(error))
    for note in notes:
        print(f"note: {note}")
    print(f"The {args.name} service is installed: it starts at boot, with its home in {root}.")
    print(f"  command line: {ws.command_line(argv)}")
    if args.start:
        return run_start(args)
    return EXIT_OK


def _point_here(args: argparse.Namespace, program: str, state: int) -> int:
    """``service install`` over an installed service: when it runs another program (the
    version before, in a folder of its own, which is what an upgrade by the installer
    leaves), it is pointed at this one, its account and home kept; when it already runs
    this one, there is nothing to install."""
    configured = ws.configured_argv(args.name) or []
    if configured and ntpath.normcase(configured[0]) == ntpath.normcase(program):
        return _fail(
            f"the {args.name} service is already installed ({ws.state_word(state)}); "
            "`ferry service uninstall` first to install it again"
        )
    if state != ws.State.STOPPED:
        return _fail(
            f"the {args.name} service runs another Ferry ({ws.state_word(state)}): "
            "`ferry service stop` first, then install it again to run this one"
        )
    argv = ws.point_at(program, args.name)
    print(f"The {args.name} service now runs this Ferry; its account and home are kept.")
    print(f"  command line: {ws.command_line(argv)}")
    if args.start:
        return run_start(args)
    return EXIT_OK


def run_uninstall(args: argparse.Namespace) -> int:
    if not _on_windows():
        return EXIT_USAGE
    try:
        ws.uninstall(args.name)
    except ws.ServiceError as error:
        return _fail(str(error))
    print(f"The {args.name} service is stopped and removed; its home and logs are kept.")
    return EXIT_OK


def run_start(args: argparse.Namespace) -> int:
    if not _on_windows():
        return EXIT_USAGE
    try:
        state = ws.start(args.name)
    except ws.ServiceError as error:
        return _fail(str(error))
    if state == ws.State.RUNNING:
        print(f"The {args.name} service is running.")
        return EXIT_OK
    return _could_not_sync(args.name, state)


def _could_not_sync(name: str, state: int | None) -> int:
    """A service that did not come up running: where it says why."""
    return _fail(
        f"the {name} service is {ws.state_word(state)}: it could not sync. The Event Log "
        f"(Application, source {name}) and Ferry's log in {_log_dir(name)} say why."
    )


def _log_dir(name: str) -> str:
    """The log folder of the home the installed service runs (its ``--home``)."""
    try:
        argv = ws.configured_argv(name)
    except ws.ServiceError:
        argv = None
    root = ws.home_in(argv or [])
    return str(FerryHome.machine().log_dir) if root is None else f"{root}\\logs"


def run_stop(args: argparse.Namespace) -> int:
    if not _on_windows():
        return EXIT_USAGE
    try:
        state = ws.stop(args.name)
    except ws.ServiceError as error:
        return _fail(str(error))
    if state == ws.State.STOPPED:
        print(f"The {args.name} service is stopped.")
        return EXIT_OK
    return _fail(f"the {args.name} service is still {ws.state_word(state)}")


def run_status(args: argparse.Namespace) -> int:
    if not _on_windows():
        return EXIT_USAGE
    try:
        state = ws.query(args.name)
    except ws.ServiceError as error:
        return _fail(str(error))
    print(f"The {args.name} service is {ws.state_word(state)}.")
    if state is not None:
        print(f"  its log: {_log_dir(args.name)}")
    return ws.status_exit_code(state)


def run_hosted(args: argparse.Namespace) -> int:
    """``service run``: the service manager started us. Its home is the one its command line
    names (or the computer's own); the log goes there, as ``ferry run``'s does."""
    if not _on_windows():
        return EXIT_USAGE
    home: FerryHome = args.ferry_home
    if not (getattr(args, "home", None) or os.environ.get(HOME_ENV)):
        home = FerryHome.machine()
    try:
        home.ensure()
        setup_logging(home.log_dir)
        ws.host(home)
    except ws.ServiceError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot use the folder for Ferry's files: {error}")
    return EXIT_OK
