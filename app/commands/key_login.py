"""``ferry login`` (and ``ferry service login``) for a region that logs in with an API key.

The key is read from standard input, never from the command line: a process's arguments are
visible to every user of the computer and kept in shell histories. On a terminal it is asked
for without echo; otherwise the first line of standard input is the key
(``ferry login --region be-billit --party-id 123456 < key.txt``). It goes to the same store a
refresh token would (the computer's own for a service, from where the service takes it into
its own: :mod:`app.service.login_handoff`).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys

from app.application.key_login import (
    KeyLoggedIn,
    KeyLoginPlace,
    KeyProblem,
    PartyNotReached,
    clean_key,
    log_in_with_key,
    parse_party_id,
    without_key,
)
from app.auth.account import load_login, save_login
from app.auth.loopback import plain_http_elsewhere
from app.auth.secret_store import SecretStore
from app.auth.session import LoginNeeded
from app.core.platform_kinds import DISPLAY_NAMES, LoginStrategy, PlatformName
from app.home import FerryHome
from app.platform.client import make_http_client
from app.platform.errors import PlatformError
from app.regions import RegionsError, regions
from app.settings import ProxySettings

log = logging.getLogger(__name__)

#: The line to print after a login, or (what went wrong, the exit code).
StoredOrFailure = str | tuple[str, int]


def add_key_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--party-id",
        help="for a region that logs in with an API key (Billit), or with --api for a custom "
        "server that speaks Billit's API: the PartyID given with the key; the key itself is "
        "read from standard input",
    )


def key_place(args: argparse.Namespace) -> KeyLoginPlace | str | None:
    """Where ``args`` log in with a key; None when they name no such region (a browser
    login); a string when they are wrong for one."""
    party_id = getattr(args, "party_id", None)
    code = getattr(args, "region", None)
    try:
        known = regions()
        region = known.get(code) if code else None
    except (RegionsError, KeyError):
        region = None  # said by the browser login's own checks
    api = getattr(args, "api", None)
    if region is None and not code and api and party_id and not getattr(args, "issuer", None):
        # a custom server that speaks Billit's API: its address instead of a region
        if plain_http_elsewhere(api):
            return "--api: use https:// (plain http only to this computer)"
        return KeyLoginPlace("custom", PlatformName.BILLIT, api.strip().rstrip("/"))
    if region is None or region.login is not LoginStrategy.API_KEY:
        return (
            "--party-id goes with a region that logs in with an API key, or with --api"
            if party_id
            else None
        )
    if not party_id:
        return (
            f"{region.code} logs in to {DISPLAY_NAMES[region.platform]} with an API key: give "
            "--party-id, and the key on standard input"
        )
    assert region.api_url is not None, "the regions file refuses a platform without one"
    return KeyLoginPlace(
        region.code, region.platform, str(region.api_url).rstrip("/"), known.client_id
    )


def read_key() -> str:
    """The key from a prompt without echo on a terminal, else standard input's first line."""
    if sys.stdin.isatty():
        return getpass.getpass("API key (not shown): ")
    return sys.stdin.readline()


def run_key_login(
    args: argparse.Namespace,
    place: KeyLoginPlace,
    store: SecretStore,
    proxy: ProxySettings,
    key_text: str,
) -> StoredOrFailure:
    """Check the key at the platform, keep it in ``store``, write ``login.json``; returns
    the line to print, or (the message, exit code) on failure."""
    try:
        party_id = parse_party_id(str(args.party_id))
        key = clean_key(key_text)
    except KeyProblem as problem:
        if problem.field == "party_id":
            return ("--party-id is the number Billit gives with the key", 2)
        return ("no API key on standard input (paste it, or redirect a file holding it)", 2)
    home: FerryHome = args.ferry_home
    try:
        checked = asyncio.run(_log_in(place, key, party_id, store, proxy, home))
    except KeyboardInterrupt:
        return ("login cancelled", 1)
    except LoginNeeded:
        return (
            f"{DISPLAY_NAMES[place.platform]} did not accept this API key; check it, or make a "
            "new one there",
            1,
        )
    except PartyNotReached as error:
        return (
            f"{DISPLAY_NAMES[place.platform]} accepted the key, but it does not reach "
            f"PartyID {error.party_id}; check the PartyID given with the key",
            1,
        )
    except PlatformError as error:
        return (f"login failed: {without_key(str(error), key)}", 1)
    login = checked.login
    return f"Logged in as {login.who} for {login.office_name} (region {login.region}, key)"


async def _log_in(
    place: KeyLoginPlace,
    key: str,
    party_id: int,
    store: SecretStore,
    proxy: ProxySettings,
    home: FerryHome,
) -> KeyLoggedIn:
    async with make_http_client(proxy=proxy) as http:
        checked = await log_in_with_key(place, key, party_id, store=store, http=http)
    previous = load_login(home.settings_dir)
    if previous is not None and previous.secret_name != checked.login.secret_name:
        store.delete(previous.secret_name)
    save_login(home.settings_dir, checked.login)
    return checked
