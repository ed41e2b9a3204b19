"""Preparing a demo: the sandbox platform in-process, logged in, every client linked.

Shared by ``python -m app demo`` (headless) and ``python -m app --demo`` (the desktop app).
Everything here blocks (the sandbox seeds its data on first start): the desktop app calls it
on a worker thread.

The demo's tokens belong to a platform that lives and dies with this process, so they are kept
in memory only and never touch the OS keyring (which a bare server may not have).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import keyring.backend
from keyring.compat import properties

from app.application.settings_changes import change_settings, replace_setup
from app.auth.account import StoredLogin, save_login
from app.auth.secret_store import SecretStore
from app.home import FerryHome
from app.settings import ClientLink, DeliveryFormat, Destination

if TYPE_CHECKING:
    from app.sandbox.server import SandboxServer

DEMO_REALM = "be"
DEMO_DESTINATION = "Demo"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Secrets of the demo's throw-away platform: in this process's memory, nowhere else."""

    @properties.classproperty
    def priority(self) -> float:
        """Not viable for keyring's own choice: every imported backend class is a candidate,
        and with a priority of 0 this one tied with (and beat) the fail backend, so a machine
        with no password store would have kept a real login in memory instead of refusing."""
        raise RuntimeError("the demo's keyring is handed over explicitly, never chosen")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._entries.pop((service, username), None)


@dataclass
class Demo:
    sandbox: SandboxServer
    secrets: SecretStore
    output: Path
    url: str


def demo_home_default() -> Path:
    """Where the demo keeps its files when no --home is given: apart from a real setup."""
    return FerryHome.standard().data_dir / "demo"


def _subject(id_token: str | None) -> str:
    if not id_token:
        return "demo"
    payload = id_token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return str(claims.get("sub", "demo"))


def start_demo(home: FerryHome, *, seed_documents: int = 12, trickle_s: float = 5.0) -> Demo:
    """Start the sandbox, log in through its real login form, link every client."""
    from app.sandbox.server import SandboxServer
    from app.sandbox.testkit import SandboxAdmin, login_with_password

    home.ensure()
    output = home.data_dir.parent / "Accounting"
    sandbox = SandboxServer(
        home.data_dir / "sandbox", port=0, seed_documents=seed_documents, trickle_s=trickle_s
    )
    url = sandbox.start()
    try:
        tokens = login_with_password(url, DEMO_REALM)
        secrets = SecretStore(MemoryKeyring())
        login = StoredLogin(
            region="sandbox",
            issuer=sandbox.issuer(DEMO_REALM),
            api_url=sandbox.api_url,
            client_id="ferry-desktop",
            subject=_subject(tokens.id_token),
            user_name="Demo Dupont",
            email="demo@dupont.example.be",
            office_name="Fiduciaire Dupont & Fils",
            logged_in_at=dt.datetime.now(dt.UTC),
        )
        secrets.save(login.secret_name, tokens.refresh_token)
        save_login(home.settings_dir, login)
        clients = SandboxAdmin(url).clients(DEMO_REALM)
        template = str(output / "[enterprise_name]" / "[document_type]" / "[year]")
        destination = Destination(
            name=DEMO_DESTINATION, general_path=template, format=DeliveryFormat.UBL_PDF
        )
        links = [
            ClientLink(
                client_id=client.id,
                destinations=[DEMO_DESTINATION],
                since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
            )
            for client in clients
            if client.shares_documents
        ]
        change_settings(
            home.settings_dir,
            lambda current: replace_setup(current, [destination], links),
            replace_unreadable=True,
        )
    except BaseException:
        sandbox.stop()
        raise
    return Demo(sandbox, secrets, output, url)
