"""OAuth 2.0 authorization code with a client secret and no ID token (Billit's login): the
browser login through Ferry's loopback listener, and the login kept alive for the engine.

Billit publishes no discovery document: its login page (``authorize_url``, e.g.
``https://my.sandbox.billit.be/Account/Logon``) takes the client id, the redirect URI and the
state; the code comes back to the loopback listener, which waits for the right ``state`` as it
does for an OpenID Connect login; the code is exchanged at ``{api}/OAuth2/token`` with the
client secret. Redirect URIs are registered and matched exactly: the region names the fixed
loopback ports registered with the client. There is no ID token: who logged in comes from the
platform's account call (the caller's).

:class:`OAuthKeeper` is what the engine holds: the refresh token and the client secret read
from the keyring when first needed, each rotated refresh token written back at once (Billit's
are single-use), and a refused refresh is *Login needed*, told once, as a refresh token
refused by an OpenID provider is.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from app.auth.loopback import LoopbackListener, Verdict
from app.auth.oidc import LoginError
from app.auth.secret_store import SecretStore
from app.auth.session import LogoutOutcome
from app.core.failures import FailureCode
from app.core.language import FALLBACK, Language
from app.platform.errors import PlatformError
from app.platforms.billit.client import OAuthLogin, OAuthTokens, request_token, revoke_token
from app.platforms.billit.wire import RevokeRequest, TokenRequest
from app.platforms.login_latch import LoginLatch

log = logging.getLogger(__name__)

#: Why, in the log and the engine's event (the person's words come from the failure's code).
REFUSED = "the platform refused the refresh token"
MISSING = "Ferry has no refresh token or client secret in the keyring"

LOGIN_TIMEOUT_S = 600.0


def token_url(api_url: str, given: str | None = None) -> str:
    """The token endpoint: ``given`` where the region or the custom server names one, else
    Billit's, beside its API (``https://api.billit.be/OAuth2/token``)."""
    return given or api_url.rstrip("/") + "/OAuth2/token"


def revoke_url(tokens_at: str) -> str | None:
    """The revocation endpoint beside the token endpoint (Billit's ``/OAuth2/revoke`` beside
    its ``/OAuth2/token``); None when the token endpoint is not named ``.../token``, so no
    sibling can be guessed (a custom server's elsewhere): then the platform is not told."""
    head, slash, last = tokens_at.rstrip("/").rpartition("/")
    return f"{head}{slash}revoke" if slash and last.lower() == "token" else None


async def revoke_refresh_token(
    http: httpx.AsyncClient,
    *,
    tokens_at: str,
    client_id: str,
    client_secret: str | None,
    refresh_token: str,
) -> LogoutOutcome:
    """Tell the platform a refresh token is no longer wanted (best effort, RFC 7009): what
    it was told, as data, for each face to word. Never raises for the platform's answer."""
    endpoint = revoke_url(tokens_at)
    if endpoint is None:
        log.warning("no revocation endpoint beside %s; the login is forgotten here only", tokens_at)
        return LogoutOutcome.NOT_SUPPORTED
    if not client_secret:  # the platform takes a revocation only from the client
        log.warning("no client secret in the keyring: the platform cannot be told of the logout")
        return LogoutOutcome.FAILED
    body = RevokeRequest(
        token=refresh_token,
        token_type_hint="refresh_token",
        client_id=client_id,
        client_secret=client_secret,
    )
    try:
        await revoke_token(http, endpoint, body)
    except PlatformError as error:
        log.warning("the platform did not revoke the login: %s", error)
        return LogoutOutcome.FAILED
    log.info("the refresh token was revoked at %s", endpoint)
    return LogoutOutcome.REVOKED


@dataclass(frozen=True)
class OAuthClient:
    """The office's registered client at the platform, and where it logs in."""

    authorize_url: str
    token_url: str
    client_id: str
    client_secret: str
    redirect_ports: tuple[int, ...] = ()


class OAuth2BrowserLogin:
    """One browser login: ``begin`` gives the address to open, ``finish`` the tokens."""

    def __init__(
        self, client: OAuthClient, *, http: httpx.AsyncClient, language: Language = FALLBACK
    ) -> None:
        self._client = client
        self._http = http
        self._language = language
        self._state = secrets.token_urlsafe(32)
        self._listener = LoopbackListener(
            self._state, ports=client.redirect_ports, language=language
        )

    async def begin(self) -> str:
        redirect_uri = await self._listener.start()
        query = urlencode(
            {
                "client_id": self._client.client_id,
                "redirect_uri": redirect_uri,
                "state": self._state,
                "response_type": "code",  # RFC 6749 4.1.1; Billit's own example leaves it out
            }
        )
        separator = "&" if "?" in self._client.authorize_url else "?"
        log.info("OAuth 2.0 login started at %s", self._client.authorize_url)
        return f"{self._client.authorize_url}{separator}{query}"

    def cancel(self) -> None:
        self._listener.cancel()

    async def finish(self, timeout: float = LOGIN_TIMEOUT_S) -> OAuthTokens:
        """Wait for the browser, exchange the code; the browser is told how it ended."""
        try:
            callback = await self._listener.wait(timeout)
            if callback.error:
                raise LoginError(f"the platform refused the login ({callback.error})")
            if not callback.code:
                raise LoginError("the platform sent no authorization code")
            body = TokenRequest(
                grant_type="authorization_code",
                client_id=self._client.client_id,
                client_secret=self._client.client_secret,
                code=callback.code,
                redirect_uri=self._listener.redirect_uri,
            )
            try:
                answer = await request_token(self._http, self._client.token_url, body)
            except PlatformError as error:
                raise LoginError(f"the platform did not accept the login ({error})") from None
            if not answer.refresh_token:
                raise LoginError("the platform gave no refresh token")
        except LoginError as error:
            self._listener.settle(Verdict(False, str(error)))
            await self._listener.close()
            raise
        except BaseException:
            await self._listener.close()
            raise
        self._listener.settle(Verdict(True))
        await self._listener.close()
        expires = None if answer.expires_in is None else time.time() + answer.expires_in
        return OAuthTokens(answer.access_token, answer.refresh_token, expires)


class OAuthKeeper(LoginLatch):
    """Billit credentials (:class:`app.platforms.billit.client.Credentials`) for a stored OAuth
    2.0 login, with the login state of a :class:`~app.auth.session.TokenSession`."""

    def __init__(
        self,
        store: SecretStore,
        *,
        token_url: str,
        client_id: str,
        secret_name: str | None,
        client_secret_name: str,
        on_login_needed: Callable[[str], None] | None = None,
        tokens: OAuthTokens | None = None,
        client_secret: str | None = None,
    ) -> None:
        self._store = store
        self._token_url = token_url
        self._client_id = client_id
        self._secret_name = secret_name
        self._client_secret_name = client_secret_name
        super().__init__(on_login_needed)
        self._oauth: OAuthLogin | None = None
        if tokens is not None and client_secret is not None:
            self._oauth = self._make(client_secret, tokens)

    @property
    def tokens(self) -> OAuthTokens | None:
        return self._oauth.tokens if self._oauth is not None else None

    def _make(self, client_secret: str, tokens: OAuthTokens) -> OAuthLogin:
        return OAuthLogin(
            self._token_url, self._client_id, client_secret, tokens, on_rotate=self._rotated
        )

    async def _login(self) -> OAuthLogin:
        self._check_login()
        if self._oauth is None:
            refresh, client_secret = await asyncio.to_thread(self._read)
            if not refresh or not client_secret:
                self._needs_login(MISSING)
            # no access token yet: the first request refreshes
            self._oauth = self._make(client_secret, OAuthTokens("", refresh, 0.0))
        return self._oauth

    def _read(self) -> tuple[str | None, str | None]:
        if not self._secret_name:
            return None, None
        return self._store.load(self._secret_name), self._store.load(self._client_secret_name)

    async def _rotated(self, tokens: OAuthTokens) -> None:
        """Billit's refresh tokens are single-use: the new one is kept before anything uses
        the new access token, or the next start would present a spent one."""
        if tokens.refresh_token and self._secret_name:  # None: a login not stored yet
            await asyncio.to_thread(self._store.save, self._secret_name, tokens.refresh_token)

    async def headers(self, http: httpx.AsyncClient) -> dict[str, str]:
        oauth = await self._login()
        try:
            return await oauth.headers(http)
        except PlatformError as error:
            self._refused(error)
            raise

    async def after_refused(self, http: httpx.AsyncClient, sent: Mapping[str, str]) -> bool:
        oauth = await self._login()
        try:
            return await oauth.after_refused(http, sent)
        except PlatformError as error:
            self._refused(error)
            raise

    def _refused(self, error: PlatformError) -> None:
        if error.failure.code in (FailureCode.LOGIN_REFUSED, FailureCode.LOGIN_NEEDED):
            self._needs_login(REFUSED)
