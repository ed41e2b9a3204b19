"""A Ferry home whose engine speaks Billit (the fake), for the engine's end-to-end tests.

The smallest equivalent of ``tests/engine/conftest.py``'s ``logged_in_home`` for Billit: the
engine needs a stored login to open, and hands its platform factory the login, a token
session and its httpx client. Billit's login here is the office's API key, so the factory
leaves the session alone and builds a :class:`BillitClient` on the engine's own httpx client
(the transport production uses) against the fake's address.

Run as a program (``python -m tests.platforms.billit.engine_home HOME KEY PARTY INTERVAL``)
it is the engine of the kill test: passes one after the other until killed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import httpx

from app.auth.account import StoredLogin, save_login
from app.auth.secret_store import SecretStore
from app.auth.session import TokenSession
from app.demo_setup import MemoryKeyring
from app.engine.engine import Engine
from app.home import FerryHome
from app.platforms.billit.adapter import BillitPlatform
from app.platforms.billit.client import ApiKey, BillitClient
from app.platforms.port import Platform
from app.settings import ClientLink, Destination, Settings, save_settings

#: This installation's feed on the fake.
FEED = "ferry-office-pc"
#: The computer ``confirm`` names as where the files went.
COMPUTER = "OFFICE-PC"

Factory = Callable[[StoredLogin, TokenSession, httpx.AsyncClient], Platform]


def billit_home(root: Path, url: str, office_party_id: int) -> FerryHome:
    """A Ferry home with a stored Billit login (no token: the key is the factory's)."""
    home = FerryHome.under(root).ensure()
    save_login(
        home.settings_dir,
        StoredLogin(
            region="billit",
            issuer=url,
            api_url=url,
            client_id="ferry-test",
            subject=str(office_party_id),
            logged_in_at=dt.datetime.now(dt.UTC),
        ),
    )
    return home


def link(home: FerryHome, folder: str, client_ids: list[int]) -> None:
    """One destination, ``folder``, for every client named, linked since an hour ago."""
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    save_settings(
        home.settings_dir,
        Settings(
            destinations=[Destination(name="Books", general_path=folder)],
            links=[
                ClientLink(client_id=str(c), destinations=["Books"], since=since)
                for c in client_ids
            ],
        ),
    )


def factory(
    api_key: str,
    office_party_id: int,
    interval_s: float,
    made: list[BillitPlatform] | None = None,
) -> Factory:
    """The engine's ``platform=``: Billit's adapter with the office's API key."""

    def make(login: StoredLogin, session: TokenSession, http: httpx.AsyncClient) -> Platform:
        assert login.api_url
        client = BillitClient(login.api_url, ApiKey(api_key), http, office_party_id=office_party_id)
        platform = BillitPlatform(client, FEED, feed_interval_s=interval_s, computer=COMPUTER)
        if made is not None:
            made.append(platform)
        return platform

    return make


def engine(home: FerryHome, make: Factory, **options: object) -> Engine:
    """An engine on ``home`` whose login needs no keyring (the API key is the factory's)."""
    return Engine(home, platform=make, store=SecretStore(MemoryKeyring()), **options)  # type: ignore[arg-type]


async def _passes(home: FerryHome, make: Factory) -> None:
    running = engine(home, make)
    await running.open()
    try:
        while True:
            await running.sync_once()
    finally:
        await running.close()


if __name__ == "__main__":
    home_dir, key, party, interval = sys.argv[1:5]
    asyncio.run(_passes(FerryHome.under(Path(home_dir)), factory(key, int(party), float(interval))))
