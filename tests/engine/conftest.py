"""A logged-in Ferry home against a running sandbox, and helpers to script the platform."""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.api.models import Client, Document, SandboxDocument
from app.auth.account import StoredLogin, save_login
from app.auth.secret_store import SecretStore
from app.engine.engine import Engine
from app.home import FerryHome
from app.sandbox.content import GeneratedClient, generate_document
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin, login_with_password
from app.settings import ClientLink, Destination, Settings, save_settings


def belgian_vat(rng: random.Random) -> str:
    """A random Belgian VAT number with valid check digits."""
    base = rng.randint(2_000_000, 19_999_999)
    return f"BE{base:08d}{97 - base % 97:02d}"


@dataclass
class Office:
    """One test's office: its own clients on the sandbox, its own Ferry home and folders."""

    sandbox: SandboxServer
    admin: SandboxAdmin
    realm: str
    home: FerryHome
    root: Path
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    uploaded: dict[str, dict[str, bytes]] = field(default_factory=dict)

    def new_client(self, name: str = "Bakkerij Peeters BV", file_id: str = "D00042") -> Client:
        return self.admin.add_client(
            self.realm, name, belgian_vat(self.rng), country="BE", accounting_file_id=file_id
        )

    def add(
        self,
        client: Client,
        kind: str,
        files: list[tuple[str, bytes, str]] | None = None,
        **fields: object,
    ) -> Document:
        """A document with the given files, or generated realistic content of its kind."""
        if files is None:
            generated = generate_document(
                GeneratedClient(
                    client.name,
                    client.vat_number,
                    "BE",
                    client.accounting_file_id,
                    "BE68539007547034",
                ),
                kind,
                self.rng,
            )
            files = [(f.name, f.content, f.media_type) for f in generated.files]
            fields.setdefault("number", generated.number)
            fields.setdefault("issue_date", generated.issue_date)
            fields.setdefault("amount", generated.amount)
        document = self.admin.add_document(self.realm, client.id, kind, files, **fields)  # type: ignore[arg-type]
        self.uploaded[document.id] = {f.id: files[i][1] for i, f in enumerate(document.files)}
        return document

    def configure(
        self,
        destinations: list[Destination],
        links: dict[str, list[str]],
        since: dt.datetime | None = None,
    ) -> None:
        start = since or dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        save_settings(
            self.home.settings_dir,
            Settings(
                destinations=destinations,
                links=[
                    ClientLink(client_id=c, destinations=d, since=start) for c, d in links.items()
                ],
            ),
        )

    def engine(self, **options: object) -> Engine:
        return Engine(self.home, **options)  # type: ignore[arg-type]

    def on_platform(self, document_id: str) -> SandboxDocument:
        return self.admin.document(self.realm, document_id)


def _subject(id_token: str | None) -> str:
    assert id_token
    payload = id_token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"])


def logged_in_home(
    sandbox: SandboxServer, realm: str, root: Path, *, region: str = "sandbox"
) -> FerryHome:
    """A Ferry home logged in to ``realm`` as demo, the refresh token in the real keyring
    (``region="custom"``: as a server of its own, which the app does not start itself)."""
    tokens = login_with_password(sandbox.url, realm)
    home = FerryHome.under(root).ensure()
    stored = StoredLogin(
        region=region,
        issuer=sandbox.issuer(realm),
        api_url=sandbox.api_url,
        client_id="ferry-desktop",
        subject=_subject(tokens.id_token),
        logged_in_at=dt.datetime.now(dt.UTC),
    )
    SecretStore().save(stored.secret_name, tokens.refresh_token)
    save_login(home.settings_dir, stored)
    return home


@pytest.fixture
def office(
    sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path
) -> Iterator[Office]:
    admin = SandboxAdmin(sandbox.url)
    admin.clear_faults()
    home = logged_in_home(sandbox, "be", tmp_path / "home")
    try:
        yield Office(sandbox, admin, "be", home, tmp_path / "out")
    finally:
        admin.clear_faults()
