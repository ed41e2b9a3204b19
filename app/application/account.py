"""The login's end, one way for every face: the app's *Log out* and ``ferry logout``."""

from __future__ import annotations

import asyncio
import logging

import httpx

from app.auth.account import StoredLogin, forget_login
from app.auth.login import LoginTarget
from app.auth.secret_store import SecretStore, store_for
from app.auth.session import LogoutOutcome, TokenSession
from app.core.platform_kinds import LoginStrategy
from app.home import FerryHome
from app.platform.client import make_http_client
from app.platforms.oauth2_login import revoke_refresh_token, token_url
from app.settings import ProxySettings, SettingsError, load_settings

log = logging.getLogger(__name__)


def stored_proxy(home: FerryHome) -> ProxySettings | SettingsError:
    """The proxy chosen in the home's settings, or why the settings cannot be read (as data:
    each face says it in its reader's language)."""
    try:
        return load_settings(home.settings_dir).proxy
    except SettingsError as error:
        return error


def session_for(
    stored: StoredLogin, store: SecretStore, http: httpx.AsyncClient, proxy: ProxySettings
) -> TokenSession:
    """The token session of a stored OpenID Connect login (``stored.oidc``)."""
    target = LoginTarget(
        stored.region,
        stored.issuer,
        stored.api_url,
        stored.client_id,
        proxy=proxy,
        redirect_ports=stored.redirect_ports,
    )
    return TokenSession(target, store=store, secret_name=stored.secret_name, http=http)


def end_login(
    home: FerryHome, stored: StoredLogin, store: SecretStore | None = None
) -> LogoutOutcome:
    """Log out (blocking): revoke the login at the platform (best effort: an unreachable
    platform or one that publishes no revocation endpoint only logs a warning), then forget
    its refresh token and ``login.json``. One way for ``ferry logout`` and the app's *Log
    out*; returns what the platform was told, for each to say in its own words. Raises
    SecretStoreError if the keyring is locked (then nothing is forgotten, so the person can
    unlock it and try again). The settings (destinations, links) are kept for the next login.
    """
    store = store or store_for(home)
    store.check()
    outcome = revoke_login(home, stored, store)
    forget_login(home.settings_dir)
    return outcome


def revoke_login(home: FerryHome, stored: StoredLogin, store: SecretStore) -> LogoutOutcome:
    """Revoke ``stored`` at the platform (best effort, blocking) and delete its refresh token
    from ``store``; ``login.json`` is left as it is. What :func:`end_login` does first, and
    what the service does with a login it no longer serves (:mod:`app.service.login_handoff`).
    """
    proxy = stored_proxy(home)
    if isinstance(proxy, SettingsError):  # forgotten anyway; only its revocation may miss
        log.warning("%s; revoking the login through the system's proxy settings", proxy)
        proxy = ProxySettings()
    return asyncio.run(_logout(stored, store, proxy))


async def _logout(stored: StoredLogin, store: SecretStore, proxy: ProxySettings) -> LogoutOutcome:
    if stored.strategy is LoginStrategy.OAUTH2:
        return await _revoke_oauth2(stored, store, proxy)
    if not stored.oidc:  # not told: no API ends a key
        held = await asyncio.to_thread(store.load, stored.secret_name)
        await asyncio.to_thread(store.delete, stored.secret_name)
        # NO_TOKEN as for a refresh token a service already took into its own store
        return LogoutOutcome.KEY_FORGOTTEN if held else LogoutOutcome.NO_TOKEN
    async with make_http_client(proxy=proxy) as http:
        return await session_for(stored, store, http, proxy).revoke()


async def _revoke_oauth2(
    stored: StoredLogin, store: SecretStore, proxy: ProxySettings
) -> LogoutOutcome:
    """An OAuth 2.0 login (Billit's): its refresh token revoked at the platform with the
    client's secret, then forgotten here whatever the platform said (the person asked for
    the login to end). The client secret stays: it is the office's client, for the next
    login, not this login's."""
    refresh = await asyncio.to_thread(store.load, stored.secret_name)
    try:
        if not refresh or not stored.api_url:
            return LogoutOutcome.NO_TOKEN
        secret = await asyncio.to_thread(store.load, stored.client_secret_name)
        async with make_http_client(proxy=proxy) as http:
            return await revoke_refresh_token(
                http,
                tokens_at=token_url(stored.api_url, stored.token_url),
                client_id=stored.client_id,
                client_secret=secret,
                refresh_token=refresh,
            )
    finally:
        await asyncio.to_thread(store.delete, stored.secret_name)
