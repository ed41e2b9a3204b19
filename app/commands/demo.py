"""``demo``: Ferry syncing live from its embedded sandbox, for a newcomer, in one command.

The sandbox platform starts in-process with a trickle of new documents, Ferry logs in through
its real login form (no browser needed), one destination under the Ferry home gets every
client, and the engine syncs: files appear in the folder as documents arrive.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from app.auth.secret_store import SecretStore
from app.core.failures import describe
from app.core.language import Language
from app.demo_setup import DEMO_REALM, start_demo
from app.engine.engine import Engine, EngineError
from app.engine.messages import DocumentChanged, Event, Stop
from app.home import FerryHome


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="see Ferry sync live from its embedded sandbox platform (no window)",
        description="Start the sandbox platform in-process, log in, deliver every client's "
        "documents into <home>/Accounting, and keep syncing new ones as they arrive.",
    )
    demo.add_argument(
        "--trickle",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="a new document every SECONDS (default 5)",
    )
    demo.add_argument("--seed-documents", type=int, default=12, metavar="N")
    demo.add_argument(
        "--for",
        dest="duration",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop after SECONDS (default: run until Ctrl-C)",
    )
    demo.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    home: FerryHome = args.ferry_home
    demo = start_demo(home, seed_documents=args.seed_documents, trickle_s=args.trickle)
    try:
        print(f"Sandbox platform on {demo.url} (realm {DEMO_REALM}, login demo/demo)", flush=True)
        print(f"Delivering every client's documents into {demo.output}", flush=True)
        return asyncio.run(_sync(home, demo.secrets, args.duration, args.language))
    finally:
        demo.sandbox.stop()


async def _sync(
    home: FerryHome, secrets: SecretStore, duration: float | None, language: Language
) -> int:
    delivered: list[str] = []
    errors: list[str] = []

    def show(event: Event) -> None:
        if not isinstance(event, DocumentChanged):
            return
        if event.status == "forwarded":
            delivered.append(event.document_id)
            print(f"forwarded {event.kind:<9} {event.number:<18} {event.locations[0]}", flush=True)
        else:
            if event.status == "error":  # To fetch with a failure: waits, and is tried again
                errors.append(event.document_id)
            why = describe([info.failure() for info in event.failures], language)
            print(f"{event.status:<9} {event.kind:<9} {event.number}: {why}", flush=True)

    engine = Engine(home, on_event=show, store=secrets, long_poll_s=10)
    try:
        await engine.open()
    except EngineError as error:
        print(f"ferry: {error.message(language)}", file=sys.stderr)
        return 1
    try:
        commands = engine.command_queue()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, commands.put_nowait, Stop())
        if duration is not None:
            loop.call_later(duration, commands.put_nowait, Stop())
        print("Syncing; new documents arrive every few seconds. Ctrl-C stops.", flush=True)
        await engine.run()
    finally:
        await engine.close()
    print(f"Stopped: {len(delivered)} document(s) forwarded, {len(errors)} in error.")
    return 0 if delivered and not errors else 1
