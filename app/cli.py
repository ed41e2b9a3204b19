"""Ferry's command line: global options, then one subcommand per headless or scripted use."""

from __future__ import annotations

import argparse
import locale
import logging
import os
import sys
from collections.abc import Sequence

from app import __version__
from app.core.language import Language, parse_language
from app.home import HOME_ENV, FerryHome, HomeFolderError
from app.logs import setup_logging

log = logging.getLogger(__name__)


def system_language() -> Language:
    """The language the person's OS is set to, English when it says nothing we speak."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return parse_language(value)
    return parse_language(locale.getlocale()[0])


def _desktop_app(args: argparse.Namespace) -> int:
    """No command: the desktop app (imported only then: Qt is large)."""
    from app import autostart
    from app.gui.app import run_gui

    try:  # a few registry reads, before any window: never a reason not to start
        if autostart.drop_duplicate():
            log.info("start at login: this user's entry removed, the installer's starts Ferry")
    except autostart.AutostartError as error:
        log.warning("start at login: this user's duplicate entry cannot be removed: %s", error)
    return run_gui(args)


def handler_is_demo(args: argparse.Namespace) -> bool:
    """The demo keeps its own home unless told otherwise, so it never touches a real setup."""
    from app.commands import demo

    return getattr(args, "handler", None) is demo.run


def build_parser() -> argparse.ArgumentParser:
    # The commands' modules bring the engine, the platform client and the sandbox: imported
    # here, not when this module is, so that ``service run`` starts light (see main).
    from app.commands import (
        account,
        demo,
        diagnostics,
        preview_path,
        self_check,
        service,
        sync,
        update,
    )
    from app.sandbox import cli as sandbox_cli

    parser = argparse.ArgumentParser(
        prog="ferry",
        description="Ferry delivers every client's documents from the document platform into "
        "the folders the accounting software imports from.",
    )
    parser.add_argument("--version", action="version", version=f"Ferry {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help=f"keep all settings, state and logs under DIR (also: the {HOME_ENV} variable) "
        "instead of the OS's standard folders",
    )
    parser.add_argument(
        "--language",
        type=parse_language,
        default=None,
        help="language of messages: en, fr or nl (default: the system's)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the desktop app on the in-process sandbox platform, with a demo office",
    )
    parser.add_argument("--demo-seconds", type=float, default=None, help=argparse.SUPPRESS)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    preview_path.add_parser(subparsers)
    account.add_parsers(subparsers)
    sync.add_parsers(subparsers)
    demo.add_parser(subparsers)
    sandbox_cli.add_parser(subparsers)
    self_check.add_parser(subparsers)
    service.add_parser(subparsers)
    update.add_parser(subparsers)
    diagnostics.add_parser(subparsers)
    return parser


def _service_run(argv: Sequence[str]) -> int | None:
    """``[--home DIR] service run``, as Windows' service manager starts Ferry: handled before
    anything heavy is imported, since the service manager gives a starting service about
    30 seconds to answer (the engine's modules load after it has). None for anything else."""
    light = argparse.ArgumentParser(add_help=False)
    light.add_argument("--home")
    light.add_argument("-v", "--verbose", action="store_true")
    light.add_argument("command", nargs="*")
    light.add_argument("--name")
    try:
        known, rest = light.parse_known_args(list(argv))
    except SystemExit:
        return None
    if rest or known.command != ["service", "run"]:
        return None
    from app.commands import service

    known.ferry_home = FerryHome.resolve(known.home)
    return service.run_hosted(known)


def main(argv: Sequence[str] | None = None) -> int:
    hosted = _service_run(sys.argv[1:] if argv is None else argv)
    if hosted is not None:
        return hosted
    from app.demo_setup import demo_home_default

    parser = build_parser()
    args = parser.parse_args(argv)
    args.language_given = args.language is not None  # --language beats Settings in the app
    if args.language is None:
        args.language = system_language()
    home = FerryHome.resolve(args.home)
    if (handler_is_demo(args) or args.demo) and not (args.home or os.environ.get(HOME_ENV)):
        home = FerryHome.under(demo_home_default())
    args.ferry_home = home
    args.ferry_data_dir = home.data_dir
    handler = getattr(args, "handler", None) or getattr(args, "command_run", None)
    if handler is None:
        handler = _desktop_app
    try:
        home.ensure()
        setup_logging(home.log_dir, level=logging.DEBUG if args.verbose else logging.INFO)
    except OSError as error:
        # The folder Ferry wanted, not the error's first file name (on Windows a refused
        # rename names its source there, not its target).
        folder = error.folder if isinstance(error, HomeFolderError) else home.log_dir
        print(
            f"ferry: cannot use the folder {folder} for Ferry's files: {error.strerror or error}",
            file=sys.stderr,
        )
        return 2
    log.debug("ferry %s: %s", __version__, sys.argv[1:] if argv is None else list(argv))
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        return 130
