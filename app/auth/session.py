"""A login kept alive: the access token in memory, refreshed before it expires and once on a
401, rotated refresh tokens written back to the keyring at once.

When the refresh token is refused (expired, revoked, reused), the session moves to *Login
needed* and stays there: every later call fails fast with :class:`LoginNeeded` instead of
hammering the login server, and the listeners are told once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, Callable
from enum import StrEnum
from typing import Any

import httpx

from app.auth.authlib_httpx import OAuthError
from app.auth.login import LoginTarget, Tokens, describe_oauth_error, oauth_client
from app.auth.oidc import LoginError, ProviderMetadata, discover, find_revocation_endpoint
from app.auth.secret_store import SecretStore

log = logging.getLogger(__name__)

# Tokens are refreshed a minute before expiry (half their lifetime when that is shorter), so
# a request never leaves with a token about to lapse: see Tokens.refresh_margin.


class LoginNeeded(Exception):
    """The platform no longer accepts this login; a person must log in again."""


class LogoutOutcome(StrEnum):
    """What the platform was told when a login was ended here.

    Data, not words: the command line and the app each say it in their own language, and a
    login is forgotten here whatever the outcome (the person asked for it to end).
    """

    REVOKED = "revoked"
    """The platform accepted the revocation (RFC 7009): the refresh token is dead there too."""
    NOT_SUPPORTED = "not_supported"
    """The platform publishes no revocation endpoint: it was not told, the token lives on
    there until it expires."""
    FAILED = "failed"
    """The platform could not be reached or refused the revocation: it was not told."""
    NO_TOKEN = "no_token"
    """Ferry held no refresh token for this login any more: there was nothing to revoke."""
    KEY_FORGOTTEN = "key_forgotten"
    """The login was an API key: forgotten here; it stays valid at the platform until
    someone deletes it there (no API ends a key)."""


class TokenSession:
    """Hands out valid access tokens for one stored login."""

    def __init__(
        self,
        target: LoginTarget,
        *,
        store: SecretStore,
        secret_name: str,
        http: httpx.AsyncClient,
        tokens: Tokens | None = None,
        on_login_needed: Callable[[str], None] | None = None,
    ) -> None:
        self.target = target
        self._store = store
        self._secret_name = secret_name
        self._http = http
        self._tokens = tokens
        self._metadata: ProviderMetadata | None = None
        self._lock = asyncio.Lock()
        self._login_needed: str | None = None
        self._on_login_needed = on_login_needed
        self.refreshes = 0

    @property
    def login_needed(self) -> str | None:
        """Why a new login is needed, or None while the login holds."""
        return self._login_needed

    async def metadata(self) -> ProviderMetadata:
        if self._metadata is None:
            self._metadata = await discover(self._http, self.target.issuer)
        return self._metadata

    async def access_token(self) -> str:
        """A token valid for at least the refresh margin (refreshing if needed)."""
        if self._login_needed:
            raise LoginNeeded(self._login_needed)
        tokens = self._tokens
        if tokens is not None and tokens.expires_at - tokens.refresh_margin > time.time():
            return tokens.access_token
        return await self.refresh(stale=tokens.access_token if tokens else None)

    async def refresh(self, *, stale: str | None = None) -> str:
        """Refresh now, unless another caller already did since ``stale`` was handed out."""
        async with self._lock:
            if self._login_needed:
                raise LoginNeeded(self._login_needed)
            current = self._tokens
            fresh_enough = (
                current is not None and current.expires_at - current.refresh_margin > time.time()
            )
            if current is not None and current.access_token != stale and fresh_enough:
                return current.access_token
            refresh_token = (current.refresh_token if current else None) or self._store.load(
                self._secret_name
            )
            if not refresh_token:
                self._needs_login("Ferry has no stored login")
            metadata = await self.metadata()
            async with oauth_client(self.target, with_scope=False) as oauth:
                try:
                    token = await oauth.refresh_token(
                        metadata.token_endpoint, refresh_token=refresh_token
                    )
                except OAuthError as error:
                    if getattr(error, "error", None) in ("invalid_grant", "invalid_client"):
                        self._needs_login(describe_oauth_error(error))
                    raise LoginError(describe_oauth_error(error)) from None
            fresh = Tokens.from_response(dict(token))
            if fresh.refresh_token and fresh.refresh_token != refresh_token:
                # Rotation: the old refresh token is now dead; keep the new one before anything
                # else can fail, or the next start would present a revoked token.
                self._store.save(self._secret_name, fresh.refresh_token)
            elif not fresh.refresh_token:
                fresh.refresh_token = refresh_token
            self._tokens = fresh
            self.refreshes += 1
            log.info("access token refreshed; valid for %.0f s", fresh.expires_at - time.time())
            return fresh.access_token

    async def revoke(self) -> LogoutOutcome:
        """Revoke the refresh token at the server (best effort) and forget it here.

        The token is forgotten whatever the server says: the person asked for the login to
        end, and a server that cannot be told must not keep the login alive on this computer.
        What the server was told is returned so the caller can say it plainly.
        """
        token = (self._tokens.refresh_token if self._tokens else None) or self._store.load(
            self._secret_name
        )
        outcome = LogoutOutcome.NO_TOKEN
        try:
            if token:
                metadata = await self.metadata()
                endpoint = await find_revocation_endpoint(self._http, metadata)
                if endpoint is None:
                    outcome = LogoutOutcome.NOT_SUPPORTED
                    log.warning(
                        "%s publishes no token revocation endpoint; the login is forgotten "
                        "here only",
                        metadata.issuer,
                    )
                else:
                    async with oauth_client(self.target, with_scope=False) as oauth:
                        response = await oauth.revoke_token(
                            endpoint, token=token, token_type_hint="refresh_token"
                        )
                    # RFC 7009 2.2: 200 whether or not the token was still valid; anything
                    # else (503, 400 unsupported_token_type) means it was not revoked.
                    if response.status_code == 200:
                        outcome = LogoutOutcome.REVOKED
                    else:
                        outcome = LogoutOutcome.FAILED
                        log.warning(
                            "the login server refused the revocation (HTTP %s)",
                            response.status_code,
                        )
        except (httpx.HTTPError, LoginError, OAuthError) as error:
            outcome = LogoutOutcome.FAILED
            log.warning("could not revoke the login at the server: %s", error)
        finally:
            self._store.delete(self._secret_name)
            self._tokens = None
        return outcome

    def _needs_login(self, reason: str) -> None:
        first = self._login_needed is None
        self._login_needed = reason
        if first:
            log.warning("login needed: %s", reason)
            if self._on_login_needed is not None:
                self._on_login_needed(reason)
        raise LoginNeeded(reason)


class BearerAuth(httpx.Auth):
    """httpx authentication with a :class:`TokenSession`: one retry after a refresh on 401."""

    def __init__(self, session: TokenSession) -> None:
        self._session = session

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._session.access_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            await response.aread()
            token = await self._session.refresh(stale=token)
            request.headers["Authorization"] = f"Bearer {token}"
            yield request

    def sync_auth_flow(self, request: httpx.Request) -> Any:  # pragma: no cover - async only
        raise RuntimeError("Ferry's platform client is asynchronous")
