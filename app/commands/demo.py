"""``demo``: Ferry syncing live from its embedded sandbox, for a newcomer, in one command.

It starts the sandbox platform in-process with a trickle of new documents, logs in through the
sandbox's real login form (no browser needed), creates one destination under the Ferry home,
links every client, and runs the engine: files appear in the folder as documents arrive.

The demo's tokens belong to a platform that lives and dies with this process, so they are
kept in memory only and never touch the OS keyring (which a bare server may not have).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import json
import signal
import sys
from pathlib import Path

import keyring.backend

from app.auth.account import StoredLogin, save_login
from app.auth.secret_store import SecretStore
from app.engine.engine import Engine, EngineError
from app.engine.messages import DocumentChanged, Event, Stop
from app.home import FerryHome
from app.settings import ClientLink, DeliveryFormat, Destination, Settings, save_settings

DEMO_REALM = "be"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Secrets of the demo's throw-away platform: in this process's memory, nowhere else."""

    priority = 0  # never chosen by keyring itself

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._entries.pop((service, username), None)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="see Ferry sync live from its embedded sandbox platform",
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


def _subject(id_token: str | None) -> str:
    if not id_token:
        return "demo"
    payload = id_token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return str(claims.get("sub", "demo"))


def run(args: argparse.Namespace) -> int:
    from app.sandbox.server import SandboxServer
    from app.sandbox.testkit import login_with_password

    home: FerryHome = args.ferry_home
    home.ensure()
    output = home.data_dir.parent / "Accounting"
    sandbox = SandboxServer(
        home.data_dir / "sandbox",
        port=0,
        seed_documents=args.seed_documents,
        trickle_s=args.trickle,
    )
    url = sandbox.start()
    try:
        tokens = login_with_password(url, DEMO_REALM)
        store = SecretStore(MemoryKeyring())
        login = StoredLogin(
            region="sandbox",
            issuer=sandbox.issuer(DEMO_REALM),
            api_url=sandbox.api_url,
            client_id="ferry-desktop",
            subject=_subject(tokens.id_token),
            user_name="Demo Dupont",
            logged_in_at=dt.datetime.now(dt.UTC),
        )
        store.save(login.secret_name, tokens.refresh_token)
        save_login(home.settings_dir, login)
        template = str(output / "[enterprise_name]" / "[document_type]" / "[year]")
        print(f"Sandbox platform on {url} (realm {DEMO_REALM}, login demo/demo)", flush=True)
        print(f"Delivering every client's documents into {output}", flush=True)
        return asyncio.run(_sync(home, store, template, args.duration))
    finally:
        sandbox.stop()


async def _sync(home: FerryHome, store: SecretStore, template: str, duration: float | None) -> int:
    delivered: list[str] = []
    errors: list[str] = []

    def show(event: Event) -> None:
        if isinstance(event, DocumentChanged):
            if event.status == "forwarded":
                delivered.append(event.document_id)
                print(
                    f"forwarded {event.kind:<9} {event.number:<18} {event.locations[0]}", flush=True
                )
            else:
                errors.append(event.document_id)
                print(
                    f"{event.status:<9} {event.kind:<9} {event.number}: {event.message}", flush=True
                )

    engine = Engine(home, on_event=show, store=store, long_poll_s=10)
    try:
        await engine.open()
    except EngineError as error:
        print(f"ferry: {error}", file=sys.stderr)
        return 1
    try:
        clients = await engine.client.all_clients()
        save_settings(
            home.settings_dir,
            Settings(
                destinations=[
                    Destination(name="Demo", general_path=template, format=DeliveryFormat.UBL_PDF)
                ],
                links=[
                    ClientLink(
                        client_id=client.id,
                        destinations=["Demo"],
                        since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                    )
                    for client in clients
                    if client.shares_documents
                ],
            ),
        )
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


def demo_home_default() -> Path:
    """Where the demo keeps its files when no --home is given: apart from a real setup."""
    return FerryHome.standard().data_dir / "demo"
