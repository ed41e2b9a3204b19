"""``ferry update check|status|apply``: signed updates from the command line.

``check`` does what the schedule does in the background: asks the update address the policy
names, verifies what it offers against the keys this build trusts, and when a newer version
is offered downloads and unpacks it beside the running one (it is not switched to yet).
``apply`` switches to a waiting version through the helper, which rolls back by itself when
the new version does not come up healthy. ``status`` says which version runs, whether one
waits, and what the last update did. ``helper`` is the helper itself (started by apply).

Exit status: 0 done (or nothing to do), 1 refused or failed (the reason on standard error,
its code with ``--json``), 2 not possible here (not a versioned installation).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from app import __version__
from app.updates.apply import Health, LaunchKind, Plan, start_helper
from app.updates.build_source import TRUSTED_ROOT
from app.updates.client import UpToDate
from app.updates.failures import UpdateError, describe
from app.updates.helper import Outcome
from app.updates.keeper import check_now
from app.updates.layout import InstallLayout
from app.updates.policy import current_policy
from app.updates.updater import Staged, status

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_NOT_HERE = 2

#: the trust anchor a release build carries (placed by the build, see scripts/release-update)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "update",
        help="signed updates: check, status, apply",
        description="Ferry's signed updates (TUF): check for a newer version and download it, "
        "show the update status, apply a downloaded version (rolled back by itself if it does "
        "not start). Turned off or held on a channel by the administrator's policy.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="check now; download and unpack a newer version")
    check.set_defaults(handler=run_check)
    show = actions.add_parser("status", help="the running version, a waiting one, the last update")
    show.set_defaults(handler=run_status)
    apply = actions.add_parser("apply", help="switch to the downloaded version now")
    apply.add_argument(
        "--service",
        action="store_true",
        help="Windows: stop the Ferry service, point it at the new version, start it",
    )
    apply.add_argument(
        "--health",
        choices=[h.value for h in Health],
        default=Health.RUNS.value,
        help="how the new version proves it works: its self-check passes and it keeps "
        "running (runs, the default), or it writes its health mark (mark)",
    )
    apply.add_argument("--settle-seconds", type=float, default=30.0, help=argparse.SUPPRESS)
    apply.set_defaults(handler=run_apply)
    helper = actions.add_parser("helper")  # started by apply; not listed (no help)
    helper.add_argument("--plan", type=Path, required=True)
    helper.set_defaults(handler=run_helper)
    for sub in (check, show, apply):
        sub.add_argument("--json", action="store_true", help="print the outcome as JSON")
        # for tests and development: a source checkout has no installation and no trust anchor
        sub.add_argument("--install-root", type=Path, help=argparse.SUPPRESS)
        sub.add_argument("--trusted-root", type=Path, help=argparse.SUPPRESS)


def _layout(args: argparse.Namespace) -> InstallLayout | None:
    if args.install_root is not None:
        return InstallLayout(args.install_root.resolve())
    return InstallLayout.of_program()


def _print(args: argparse.Namespace, data: dict[str, object], words: str) -> None:
    print(json.dumps(data, indent=2, default=str) if args.json else words)


def _failed(args: argparse.Namespace, error: UpdateError) -> int:
    failure = error.failure
    if args.json:
        print(json.dumps({"outcome": "failed", **failure.to_json()}, indent=2))
    else:
        print(f"ferry update: {describe(failure, args.language)}", file=sys.stderr)
    return EXIT_FAILED


def run_check(args: argparse.Namespace) -> int:
    layout = _layout(args)
    if layout is None:
        _print(
            args,
            {"outcome": "not_here"},
            "ferry update: this Ferry was not installed as versioned folders, so it cannot "
            "update itself; install it with a newer installer.",
        )
        return EXIT_NOT_HERE
    try:
        outcome = check_now(args.ferry_home, layout, args.trusted_root or TRUSTED_ROOT)
    except UpdateError as error:
        return _failed(args, error)
    if isinstance(outcome, UpToDate):
        _print(
            args,
            {"outcome": "up_to_date", **asdict(outcome)},
            f"Ferry {__version__} is up to date.",
        )
    else:
        assert isinstance(outcome, Staged)
        _print(
            args,
            {"outcome": "downloaded", "version": outcome.version, "folder": str(outcome.folder)},
            f"Ferry {outcome.version} is downloaded and verified; it is applied at a quiet "
            "moment, or now with `ferry update apply`.",
        )
    return EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    policy = current_policy(args.ferry_home.settings_dir)
    layout = _layout(args)
    shown = status(layout, __version__) if layout else None
    data: dict[str, object] = {
        "running": __version__,
        #: the program that answers (through the launcher: the current version's own)
        "program": sys.executable,
        "installation": str(layout.root) if layout else None,
        "current": shown.current if shown else None,
        "waiting": shown.waiting if shown else None,
        "last": json.loads(shown.last.to_json()) if shown and shown.last else None,
        "policy": {
            "enabled": policy.enabled,
            "channel": policy.channel.value,
            "url": policy.url,
            "check_hours": policy.check_hours,
            "set_by_administrator": sorted(policy.managed),
        },
    }
    lines = [f"Ferry {__version__} runs."]
    if not policy.enabled:
        lines.append("Updates are turned off by the administrator's policy.")
    elif not policy.url:
        lines.append("Updates are not configured (no update address).")
    else:
        lines.append(f"Updates: the {policy.channel.value} channel from {policy.url}.")
    if layout is None:
        lines.append("This installation cannot update itself (not versioned folders).")
    elif shown is not None:
        if shown.waiting:
            lines.append(f"Ferry {shown.waiting} is downloaded and waits to be applied.")
        last = shown.last
        if last is not None and last.outcome is Outcome.APPLIED:
            # words, not an arrow: a Windows console's code page (cp1252, cp850) has none
            lines.append(f"Last update: {last.previous} to {last.version}, applied {last.at}.")
        elif last is not None and last.failure is not None:
            lines.append(f"Last update ({last.at}): {describe(last.failure, args.language)}")
    _print(args, data, "\n".join(lines))
    return EXIT_OK


def run_apply(args: argparse.Namespace) -> int:
    layout = _layout(args)
    if layout is None:
        print("ferry update: this installation cannot update itself.", file=sys.stderr)
        return EXIT_NOT_HERE
    shown = status(layout, __version__)
    previous = shown.current or __version__
    if shown.waiting is None:
        _print(args, {"outcome": "nothing_waiting"}, "No downloaded update waits.")
        return EXIT_OK
    windows = sys.platform == "win32"
    home = ("--home", args.home) if args.home else ()
    plan = Plan(
        root=layout.root,
        version=shown.waiting,
        previous=previous,
        launch=LaunchKind.SERVICE if args.service else LaunchKind.PROGRAM,
        argv=("Ferry.exe" if windows else "Ferry", *home),
        health=Health(args.health),
        self_check=("ferry-cli.exe" if windows else "ferry-cli", *home, "self-check"),
        settle_seconds=args.settle_seconds,
    )
    helper = start_helper(plan, home=args.home)
    _print(
        args,
        {"outcome": "started", "version": shown.waiting, "helper_pid": helper.pid},
        f"Switching to Ferry {shown.waiting}: the helper (process {helper.pid}) starts it and "
        f"goes back to {previous} by itself if it does not come up; see `ferry update status`.",
    )
    return EXIT_OK


def run_helper(args: argparse.Namespace) -> int:
    from app.updates import helper

    return helper.main(["--plan", str(args.plan)])
