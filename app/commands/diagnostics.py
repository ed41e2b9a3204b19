"""``ferry diagnostics``: one zip for support, written by :mod:`app.application.diagnostics`.

It works on whichever home the command line picks (``--home``, ``FERRY_HOME``, else the
service's on a computer where the service is set up, else this user's), so an administrator
exports the service's diagnostics with the same command. With ``--hash-names`` the office's
client list is read first (from the running engine, else from the platform with the stored
login) so that names only the logs hold are replaced too; when that list cannot be read
(offline, login ended) the names Ferry's own records hold are still replaced, and the
command says that others may remain.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

from app.application.diagnostics import DEFAULT_DAYS, DiagnosticsError, export_diagnostics
from app.core.language import Language
from app.home import FerryHome

log = logging.getLogger(__name__)

EXIT_FAILED = 1
#: How long the platform's client list is waited for before exporting without it: support
#: is often asked for exactly when the platform cannot be reached.
CLIENTS_TIMEOUT_S = 30.0


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days") from None
    if not 1 <= value <= 3650:
        raise argparse.ArgumentTypeError("give a number of days from 1 to 3650")
    return value


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "diagnostics",
        help="write one zip for support: logs, versions, settings, a summary of the state",
        description="Write one zip for Ferry's support: the logs of the last days, the "
        "versions of Ferry, Python, Qt and the system, the settings, a summary of the state "
        "(documents per status and destination, the last runs, the documents in Error with "
        "their codes) and the recent activity. It never holds a token, a password or a proxy "
        "credential.",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="the zip to write, or a folder to write it in (default: your Documents folder)",
    )
    parser.add_argument(
        "--days",
        type=_days,
        default=DEFAULT_DAYS,
        metavar="N",
        help=f"the logs and activity of the last N days (default: {DEFAULT_DAYS})",
    )
    parser.add_argument(
        "--hash-names",
        action="store_true",
        help="replace client names and file names with stable stand-ins (client-3f9a1c2b)",
    )
    parser.set_defaults(handler=run)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def office_clients(home: FerryHome, language: Language) -> tuple[list[Any], str | None]:
    """The office's clients (from the running engine, else the platform), and why not when
    they cannot be read: never a reason not to export."""
    from app.engine import attached
    from app.engine.channel import ChannelError, ClientsQuery

    try:
        running = attached.attach(home, face="cli")
    except ChannelError as error:
        return [], attached.describe(error, language)
    if running is not None:
        try:
            reply = running.request(ClientsQuery())
        except ChannelError as error:
            return [], attached.describe(error, language)
        finally:
            running.stop()
        if reply.failure is not None:
            return [], reply.failure.failure().message(language)
        if reply.error is not None:
            return [], reply.error
        from app.api.models import Client

        return [Client.model_validate(client) for client in reply.result or []], None
    return _from_platform(home, language)


def _from_platform(home: FerryHome, language: Language) -> tuple[list[Any], str | None]:
    from app.auth.account import load_login
    from app.auth.session import LoginNeeded
    from app.engine.engine import Engine, EngineError
    from app.platform.errors import PlatformError
    from app.settings import SettingsError

    try:
        if load_login(home.settings_dir) is None:  # before the engine makes a state file
            return [], "Ferry is not logged in"
    except (OSError, ValueError) as error:
        return [], str(error)

    async def listing() -> list[Any]:
        engine = Engine(home)
        await engine.open(exclusive=False)
        try:
            return list(await engine.client.all_clients())
        finally:
            await engine.close()

    async def within_time() -> list[Any]:
        return await asyncio.wait_for(listing(), CLIENTS_TIMEOUT_S)

    try:
        return asyncio.run(within_time()), None
    except TimeoutError:
        return [], f"the platform did not answer within {CLIENTS_TIMEOUT_S:.0f} s"
    except LoginNeeded as error:
        return [], f"login needed: {error}"
    except PlatformError as error:
        return [], error.failure.message(language)
    except (EngineError, SettingsError) as error:
        return [], error.message(language)
    except OSError as error:
        return [], str(error)
    except Exception as error:
        log.warning("diagnostics: the client list could not be read", exc_info=True)
        return [], f"{type(error).__name__}: {error}"


def run(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    language: Language = args.language
    clients: list[Any] = []
    unlisted: str | None = None
    if args.hash_names:
        clients, unlisted = office_clients(home, language)
    try:
        exported = export_diagnostics(
            home,
            None if args.out is None else Path(args.out).expanduser(),
            days=args.days,
            hash_names=args.hash_names,
            clients=clients,
        )
    except DiagnosticsError as error:
        print(f"ferry: {error.message(language)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Diagnostics written to {exported.path} ({_size(exported.size)}).")
    if args.hash_names:
        print(f"Names replaced by stand-ins: {exported.names_hidden}.")
        if unlisted is not None:
            print(
                "ferry: the office's client list could not be read "
                f"({unlisted}); names were replaced where Ferry's own records hold them, but "
                "a client name only the logs mention may remain.",
                file=sys.stderr,
            )
    for note in exported.notes:
        print(f"note: {note}")
    return 0
