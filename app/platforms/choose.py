"""Which adapter and which login the engine uses, from what the stored login says.

A ``login.json`` names its platform and its login strategy (absent: Ferry's own API over
OpenID Connect, as every login of an earlier release): Ferry's client over a
:class:`~app.auth.session.TokenSession`, or Billit's adapter with the office's API key, or its
OAuth 2.0 login (refresh token and client secret), from the keyring. The engine only asks
the login object whether a person must log in again (:class:`LoginState`), so it needs no
token session for a login that has none.
"""

from __future__ import annotations

import re
import secrets
import socket
from collections.abc import Callable
from typing import Protocol

import httpx

from app.auth.account import StoredLogin
from app.auth.login import LoginTarget
from app.auth.secret_store import SecretStore
from app.auth.session import TokenSession
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.platform.client import PlatformClient
from app.platforms.billit.adapter import BillitPlatform
from app.platforms.billit.client import BillitClient, Credentials
from app.platforms.key_login import KeyLogin
from app.platforms.oauth2_login import OAuthKeeper, token_url
from app.platforms.port import Platform
from app.settings import ProxySettings


class LoginState(Protocol):
    """What the engine asks of a login: whether a person must log in again, and why."""

    @property
    def login_needed(self) -> str | None: ...


#: Makes the platform's adapter for a login, over the engine's login and HTTP client.
PlatformFactory = Callable[[StoredLogin, LoginState, httpx.AsyncClient], Platform]


class UnsupportedLogin(Exception):
    """This Ferry cannot keep this kind of login yet (the message says which)."""


def open_login(
    login: StoredLogin,
    *,
    store: SecretStore,
    http: httpx.AsyncClient,
    proxy: ProxySettings | None = None,
    on_login_needed: Callable[[str], None] | None = None,
) -> LoginState:
    """The object that keeps ``login`` alive: a token session, or the pasted API key."""
    if login.strategy is LoginStrategy.OIDC:
        target = LoginTarget(
            login.region,
            login.issuer,
            login.api_url,
            login.client_id,
            proxy=proxy or ProxySettings(),
        )
        return TokenSession(
            target,
            store=store,
            secret_name=login.secret_name,
            http=http,
            on_login_needed=on_login_needed,
        )
    if login.strategy is LoginStrategy.API_KEY:
        return KeyLogin(store, login.secret_name, on_login_needed=on_login_needed)
    if login.strategy is LoginStrategy.OAUTH2 and login.api_url:
        return OAuthKeeper(
            store,
            token_url=token_url(login.api_url, login.token_url),
            client_id=login.client_id,
            secret_name=login.secret_name,
            client_secret_name=login.client_secret_name,
            on_login_needed=on_login_needed,
        )
    raise UnsupportedLogin(f"logging in with {login.strategy.value} is not supported yet")


def ferry_api(login: StoredLogin, session: LoginState, http: httpx.AsyncClient) -> Platform:
    """Ferry's own platform API (the sandbox's, or a server that implements it)."""
    assert login.api_url, "a login without an API address is refused at open()"
    assert isinstance(session, TokenSession), "Ferry's API logs in with OpenID Connect"
    return PlatformClient(login.api_url, session, http)


def billit(
    login: StoredLogin, session: LoginState, http: httpx.AsyncClient, *, feed_name: str
) -> Platform:
    """Billit's accountant feed, acting for the office's company (its ``PartyID``)."""
    assert login.api_url, "a login without an API address is refused at open()"
    assert isinstance(session, KeyLogin | OAuthKeeper), "Billit takes a key or OAuth 2.0"
    credentials: Credentials = session
    client = BillitClient(login.api_url, credentials, http, office_party_id=login.party_id)
    return BillitPlatform(client, feed_name)


def platform_factory(feed_name: Callable[[], str]) -> PlatformFactory:
    """The adapter the login's platform needs; ``feed_name`` gives this installation's feed
    (asked only for a platform that has one)."""

    def make(login: StoredLogin, session: LoginState, http: httpx.AsyncClient) -> Platform:
        if login.platform is PlatformName.BILLIT:
            return billit(login, session, http, feed_name=feed_name())
        return ferry_api(login, session, http)

    return make


# -- this installation's feed ------------------------------------------------------------------

#: Where the state database keeps the feed's name (``meta`` table).
FEED_META = "platform_feed_name"


def new_feed_name(computer: str | None = None) -> str:
    """A feed name the office recognises in Billit's list (the computer's name) and that no
    other installation shares (a random tail): two computers reading one feed would each
    take the other's items."""
    node = re.sub(r"[^a-z0-9]+", "-", (computer or socket.gethostname() or "").lower())
    node = node.strip("-")[:24] or "pc"
    return f"ferry-{node}-{secrets.token_hex(4)}"
