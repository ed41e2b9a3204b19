"""A Ferry home after a real sync with a failed delivery, its log written by the real log
handler, and secrets of the kinds that must never reach a diagnostics zip planted around it."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.api.models import Client, Document
from app.auth.account import load_login
from app.auth.secret_store import SecretStore
from app.logs import FORMAT, LOG_FILE_NAME, MAX_BYTES, RotatingLogHandler, ScrubbingFormatter
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin, login_with_password
from app.settings import SETTINGS_FILE, Destination
from tests.engine.conftest import Office, logged_in_home


@dataclass
class Story:
    office: Office
    blocked: Client
    fine: Client
    failing: Document
    delivered: Document
    #: Every secret the run and the planted lines hold, by what it is.
    secrets: dict[str, str]
    #: Client names, VAT numbers and file names that hashing must hide.
    names: list[str]
    #: The settings file as Ferry wrote it, and as edited by hand (with a proxy's password).
    valid_settings: str
    edited_settings: str


def _stamp(moment: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(moment)) + ",000"


def _sync_logged(office: Office) -> None:
    """One sync pass, its log written as Ferry writes it (the real handler and formatter)."""
    handler = RotatingLogHandler(
        office.home.log_dir / LOG_FILE_NAME, max_bytes=MAX_BYTES, backup_count=10
    )
    handler.setFormatter(ScrubbingFormatter(FORMAT))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    async def sync() -> None:
        engine = office.engine()
        await engine.open()
        try:
            summary = await engine.sync_once()
            assert (summary.delivered, summary.failed) == (1, 1), summary
        finally:
            await engine.close()

    try:
        asyncio.run(sync())
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


@pytest.fixture
def story(
    sandbox: SandboxServer,
    secret_service: dict[str, str],
    tmp_path: Path,
    read_only_folder: Path,
) -> Iterator[Story]:
    admin = SandboxAdmin(sandbox.url)
    admin.clear_faults()
    home = logged_in_home(sandbox, "be", tmp_path / "home")
    office = Office(sandbox, admin, "be", home, tmp_path / "out")
    blocked = office.new_client("Blocked Bakery BV", "D00011")
    fine = office.new_client("Fine Figures NV", "D00022")
    office.configure(
        [
            Destination(name="Locked", general_path=f"{read_only_folder}/[enterprise_name]"),
            Destination(name="Books", general_path=f"{office.root}/books/[enterprise_name]/[year]"),
        ],
        {blocked.id: ["Locked"], fine.id: ["Books"]},
    )
    failing = office.add(
        blocked,
        "purchase",
        files=[("Blocked Bakery invoice 17.pdf", b"%PDF-1.4 x", "application/pdf")],
    )
    delivered = office.add(fine, "sales")
    _sync_logged(office)

    login = load_login(home.settings_dir)
    assert login is not None
    refresh = SecretStore().load(login.secret_name)
    assert refresh
    tokens = login_with_password(sandbox.url, "be")
    secrets = {
        "refresh token in the keyring": refresh,
        "access token": tokens.access_token,
        "refresh token": tokens.refresh_token,
        "authorization code": "SplxlOBeZQQYbYS6WxSbIA",
        "password": "Hunter2-Correct-Horse",
        "proxy password": "Pr0xy-Pa55word",
        "smtp password": "Smtp-Pa55word",
        "smtp user": "mailer-account-7",
    }
    now = time.time()
    written = [path for path in (office.root / "books").rglob("*") if path.is_file()]
    assert written
    with (home.log_dir / LOG_FILE_NAME).open("a", encoding="utf-8") as log:
        # where a delivered file went, as the engine tells it
        log.write(
            f"{_stamp(now)} INFO    app.engine.engine [MainThread] document {delivered.id} "
            f"delivered into destination 'Books': {written[0]}\n"
        )
        # lines an older Ferry (or another program) could have left unscrubbed
        log.write(f"{_stamp(now - 14 * 86400)} INFO    old [MainThread] OLD-LINE-MARKER\n")
        log.write(
            f"{_stamp(now)} INFO    httpx [MainThread] token answer: "
            f'{{"access_token": "{tokens.access_token}", '
            f'"refresh_token": "{tokens.refresh_token}"}}\n'
        )
        log.write(
            f"{_stamp(now)} DEBUG   auth [MainThread] GET /api/office Authorization: Bearer "
            f"{tokens.access_token}\n"
            f"{_stamp(now)} DEBUG   auth [MainThread] callback "
            f"?code={secrets['authorization code']}&state=xyz\n"
            f"{_stamp(now)} DEBUG   smtp [MainThread] login password={secrets['password']}\n"
            f"{_stamp(now)} WARNING smtp [MainThread] cannot reach smtp://{secrets['smtp user']}:"
            f"{secrets['smtp password']}@mail.example:587\n"
            "Traceback (most recent call last):\n"
            f"  proxy http://ann:{secrets['proxy password']}@proxy.example:3128\n"
        )
    old_backup = home.log_dir / f"{LOG_FILE_NAME}.3"
    old_backup.write_text(f"{_stamp(now - 20 * 86400)} INFO    old [M] OLD-FILE-MARKER\n")
    os.utime(old_backup, (now - 20 * 86400, now - 20 * 86400))

    # a hand-edited settings file: a proxy with its password, a mail server's login
    settings_file = home.settings_dir / SETTINGS_FILE
    valid_settings = settings_file.read_text()
    settings = json.loads(valid_settings)
    settings["proxy"] = {
        "mode": "manual",
        "url": f"http://ann:{secrets['proxy password']}@proxy.example:3128",
    }
    settings["alerts"] = {
        "smtp": {
            "host": "mail.example",
            "user": secrets["smtp user"],
            "password": secrets["smtp password"],
        }
    }
    edited_settings = json.dumps(settings)
    settings_file.write_text(edited_settings)

    files = [path.name for path in written]
    names = [
        blocked.name,
        fine.name,
        blocked.vat_number,
        fine.vat_number,
        "Blocked Bakery invoice 17.pdf",
        *files,
    ]
    try:
        yield Story(
            office,
            blocked,
            fine,
            failing,
            delivered,
            secrets,
            names,
            valid_settings,
            edited_settings,
        )
    finally:
        admin.clear_faults()
