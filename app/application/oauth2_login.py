"""Logging in with OAuth 2.0 (authorization code, client secret, no ID token), one way for
every face: the browser login through the loopback listener, who and which office from the
platform's account call, then the refresh token and the client secret in the keyring.

The client id and secret are the office's (or its distributor's), registered with the
platform with Ferry's fixed loopback redirect URIs; Ferry has none of its own to ship. The
secret is typed once and kept in the keyring under the login's ``client_secret_name``, never
in a settings file: the engine needs it at every refresh.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from app.application.key_login import KeyLoggedIn
from app.auth.account import StoredLogin
from app.auth.secret_store import SecretStore
from app.core.language import FALLBACK, Language
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.platforms.billit.adapter import BillitPlatform
from app.platforms.billit.client import BillitClient
from app.platforms.oauth2_login import (
    LOGIN_TIMEOUT_S,
    OAuth2BrowserLogin,
    OAuthClient,
    OAuthKeeper,
    token_url,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OAuth2Place:
    """Where an OAuth 2.0 login goes: the region, its platform's API and login page, the
    registered client id and its fixed redirect ports."""

    region: str
    platform: PlatformName
    api_url: str
    authorize_url: str
    client_id: str
    redirect_ports: tuple[int, ...] = ()
    token_url: str | None = None
    """Where codes and refresh tokens are exchanged, when not beside the API (None)."""


async def log_in_with_oauth2(
    place: OAuth2Place,
    client_secret: str,
    *,
    store: SecretStore,
    http: httpx.AsyncClient,
    open_url: Callable[[str], None],
    language: Language = FALLBACK,
    timeout: float = LOGIN_TIMEOUT_S,
) -> KeyLoggedIn:
    """The browser login (``open_url`` gets the address), then the account call; keeps the
    refresh token and the client secret in ``store``. Nothing is written to the settings
    folder: the caller saves ``login.json`` when it is ready."""
    if place.platform is not PlatformName.BILLIT:
        raise ValueError(f"{place.platform.value} logs in with OpenID Connect")
    tokens_at = token_url(place.api_url, place.token_url)
    client = OAuthClient(
        place.authorize_url, tokens_at, place.client_id, client_secret, place.redirect_ports
    )
    browser = OAuth2BrowserLogin(client, http=http, language=language)
    open_url(await browser.begin())
    tokens = await browser.finish(timeout)
    # Held in memory until the login has a name: a rotation meanwhile stays in the keeper.
    keeper = OAuthKeeper(
        store,
        token_url=tokens_at,
        client_id=place.client_id,
        secret_name=None,
        client_secret_name="",
        tokens=tokens,
        client_secret=client_secret,
    )
    billit = BillitClient(place.api_url, keeper, http)
    platform = BillitPlatform(billit, feed_name="")  # the account call reads no feed
    office = await platform.office()
    clients = await platform.all_clients()
    party = billit.office_party_id
    login = StoredLogin(
        region=place.region,
        issuer=place.authorize_url,
        api_url=place.api_url,
        client_id=place.client_id,
        subject=str(party) if party is not None else office.user.email or office.id,
        user_name=office.user.name or None,
        email=office.user.email or None,
        office_id=office.id,
        office_name=office.name,
        logged_in_at=dt.datetime.now(dt.UTC),
        redirect_ports=place.redirect_ports,
        platform=place.platform,
        strategy=LoginStrategy.OAUTH2,
        party_id=party,
        token_url=place.token_url,
    )
    latest = keeper.tokens
    assert latest is not None and latest.refresh_token, "finish() refuses a login without one"
    refresh_token = latest.refresh_token

    def keep() -> None:
        store.save(login.secret_name, refresh_token)
        store.save(login.client_secret_name, client_secret)

    await asyncio.to_thread(keep)
    log.info("logged in with OAuth 2.0 for %s at %s", login.office_name, place.api_url)
    return KeyLoggedIn(login, office, clients)
