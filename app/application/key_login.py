"""Logging in with a platform's API key and party id, one way for every face: the wizard's
key page, ``ferry login --api-key-stdin`` and ``ferry service login``.

The key is checked before anything is kept: the platform's account call must accept it and
name the office (Billit's ``accountInformation``), so a mistyped key or party id is said at
once, not after Finish. Then the key goes to the keyring (the store the caller names: the
person's, or the computer's for a service) under the login's own name, and never into
``login.json``, a log line or an error message: a platform that echoed it back is not
repeated (:func:`without_key`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

import httpx

from app.api.models import Client, Office
from app.auth.account import StoredLogin
from app.auth.secret_store import SecretStore
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.platforms.billit.adapter import BillitPlatform
from app.platforms.billit.client import BillitClient
from app.platforms.key_login import KeyLogin

log = logging.getLogger(__name__)


class KeyProblem(Exception):
    """What was typed cannot be a key or a party id; ``field`` is ``key`` or ``party_id``."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class PartyNotReached(Exception):
    """The platform accepted the key, but it does not reach the party id typed with it."""

    def __init__(self, party_id: int) -> None:
        super().__init__(f"the key does not reach party {party_id}")
        self.party_id = party_id


@dataclass(frozen=True)
class KeyLoginPlace:
    """Where the key logs in: a region's code, its platform and its API address."""

    region: str
    platform: PlatformName
    api_url: str
    client_id: str = "ferry-desktop"


@dataclass(frozen=True)
class KeyLoggedIn:
    """A checked key: the login to store (without the key), the office, its clients."""

    login: StoredLogin
    office: Office
    clients: list[Client]


def parse_party_id(text: str) -> int:
    """The party id as typed (spaces around it forgiven); KeyProblem unless a positive number."""
    text = text.strip()
    if not text.isdigit() or int(text) <= 0 or len(text) > 18:
        raise KeyProblem("party_id")
    return int(text)


def clean_key(text: str) -> str:
    """The key as pasted, without the spaces and line ends a copy brings along."""
    key = text.strip()
    if not key or any(c.isspace() for c in key) or not key.isprintable():
        raise KeyProblem("key")
    return key


def without_key(text: str, key: str) -> str:
    """``text`` with the key blanked out: an error a platform words may quote what it got."""
    return text.replace(key, "[key]") if key else text


async def check_key(
    place: KeyLoginPlace, key: str, party_id: int, *, http: httpx.AsyncClient
) -> KeyLoggedIn:
    """Ask the platform who the key belongs to, for which office and which clients.

    Raises :class:`~app.auth.session.LoginNeeded` when the platform refuses the key,
    :class:`PartyNotReached` when the party id is none of the companies the key reaches (a
    typo there would otherwise show as an office without a name), and
    :class:`~app.platform.errors.PlatformError` for anything else it answers.
    """
    if place.platform is not PlatformName.BILLIT:
        raise ValueError(f"{place.platform.value} takes no API key")
    # In memory only: nothing is kept before the platform said yes.
    credentials = KeyLogin(None, key=key)
    client = BillitClient(place.api_url, credentials, http, office_party_id=party_id)
    account = await client.account_information()
    if not any(company.party_id == party_id for company in account.companies or []):
        raise PartyNotReached(party_id)
    platform = BillitPlatform(client, feed_name="")  # the account call reads no feed
    office = await platform.office()
    clients = await platform.all_clients()
    login = StoredLogin(
        region=place.region,
        issuer=place.api_url,
        api_url=place.api_url,
        client_id=place.client_id,
        subject=str(party_id),
        user_name=office.user.name or None,
        email=office.user.email or None,
        office_id=office.id,
        office_name=office.name,
        logged_in_at=dt.datetime.now(dt.UTC),
        platform=place.platform,
        strategy=LoginStrategy.API_KEY,
        party_id=party_id,
    )
    return KeyLoggedIn(login, office, clients)


async def log_in_with_key(
    place: KeyLoginPlace, key: str, party_id: int, *, store: SecretStore, http: httpx.AsyncClient
) -> KeyLoggedIn:
    """Check the key (:func:`check_key`), then keep it in ``store`` under the login's name
    (on a worker thread: a keyring may talk to D-Bus or the Credential Manager). Nothing is
    written to the settings folder: the caller saves ``login.json`` when it is ready."""
    checked = await check_key(place, key, party_id, http=http)
    await asyncio.to_thread(store.save, checked.login.secret_name, key)
    log.info(
        "an API key for %s was checked at %s and kept in the keyring",
        checked.login.office_name,
        place.api_url,
    )
    return checked
