"""One browser login: authorization code with PKCE through the system browser (RFC 8252).

The flow: discovery → a loopback listener on 127.0.0.1 → the authorization URL (state, nonce,
S256 challenge) opened in the browser → the redirect with the code → the code exchanged for
tokens → the ID token validated → the browser told the outcome. Authlib builds the request
and talks to the token endpoint; nothing here hand-rolls token handling.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from app.auth.authlib_httpx import AsyncOAuth2Client, OAuthError
from app.auth.loopback import Callback, LoopbackListener, Verdict
from app.auth.oidc import (
    LoginError,
    ProviderMetadata,
    discover,
    fetch_keys,
    validate_id_token,
)
from app.core.language import FALLBACK, Language
from app.settings import ProxySettings, httpx_proxy_options

log = logging.getLogger(__name__)

SCOPES = "openid profile email offline_access documents"
LOGIN_TIMEOUT_S = 600.0
HTTP_TIMEOUT = httpx.Timeout(20.0, connect=10.0)


@dataclass(frozen=True)
class LoginTarget:
    """Where to log in: the region's code, its OpenID issuer and its platform API, the proxy
    the person chose for reaching them (the token endpoint goes through it too), and the
    fixed loopback ports its login server registered (empty: a port the OS picks)."""

    region: str
    issuer: str
    api_url: str | None
    client_id: str = "ferry-desktop"
    scopes: str = SCOPES
    proxy: ProxySettings = field(default_factory=ProxySettings, hash=False)
    redirect_ports: tuple[int, ...] = ()


@dataclass
class Tokens:
    """Tokens of a login; the refresh token goes to the keyring, the rest stays in memory."""

    access_token: str
    refresh_token: str | None
    expires_at: float
    claims: dict[str, Any] = field(default_factory=dict)
    lifetime: float = 300.0

    @property
    def refresh_margin(self) -> float:
        """How long before expiry to refresh: a minute, or half of a short lifetime."""
        return min(60.0, self.lifetime / 2)

    @classmethod
    def from_response(cls, token: dict[str, Any], claims: dict[str, Any] | None = None) -> Tokens:
        expires_in = float(token.get("expires_in") or 300)
        expires_at = float(token.get("expires_at") or time.time() + expires_in)
        return cls(
            access_token=str(token["access_token"]),
            refresh_token=token.get("refresh_token"),
            expires_at=expires_at,
            claims=claims or {},
            lifetime=max(1.0, expires_at - time.time()),
        )


def oauth_client(
    target: LoginTarget, *, with_scope: bool = True, **options: Any
) -> AsyncOAuth2Client:
    """An Authlib client for a public native app: no secret, PKCE S256, timeouts everywhere.

    ``with_scope=False`` for refresh and revocation: a refresh that names no scope keeps what
    was granted (RFC 6749, 6), where naming one could ask for more than the login gave.
    """
    return AsyncOAuth2Client(
        client_id=target.client_id,
        token_endpoint_auth_method="none",
        code_challenge_method="S256",
        scope=target.scopes if with_scope else None,
        timeout=HTTP_TIMEOUT,
        **httpx_proxy_options(target.proxy),
        **options,
    )


def describe_oauth_error(error: OAuthError) -> str:
    """An OAuth error code turned into words a person can act on."""
    code = getattr(error, "error", None) or "error"
    description = getattr(error, "description", None)
    known = {
        "access_denied": "the login was declined in the browser",
        "invalid_grant": "the login server no longer accepts this login (it was used, revoked "
        "or has expired)",
        "invalid_client": "the login server does not know Ferry as an application; check the "
        "server address",
        "invalid_request": "the login server refused the request",
        "unauthorized_client": "the login server does not allow Ferry to log in this way",
        "temporarily_unavailable": "the login server is temporarily unavailable; try again in a "
        "few minutes",
        "server_error": "the login server had an internal error; try again later",
    }
    text = known.get(code, f"the login server answered '{code}'")
    return f"{text} ({description})" if description else text


class Login:
    """One attempt to log in through the browser; ``begin``, then ``finish`` (or ``cancel``)."""

    def __init__(
        self,
        target: LoginTarget,
        *,
        http: httpx.AsyncClient,
        language: Language = FALLBACK,
    ) -> None:
        self.target = target
        self._http = http
        self._language = language
        self._state = secrets.token_urlsafe(32)
        self._nonce = secrets.token_urlsafe(32)
        self._verifier = secrets.token_urlsafe(64)
        self._listener = LoopbackListener(
            self._state, ports=target.redirect_ports, language=language
        )
        self._metadata: ProviderMetadata | None = None
        self.authorization_url = ""

    async def begin(self) -> str:
        """Discover the provider, start the listener; returns the URL to open in the browser."""
        self._metadata = await discover(self._http, self.target.issuer)
        redirect_uri = await self._listener.start()
        async with oauth_client(self.target, redirect_uri=redirect_uri) as oauth:
            url, _ = oauth.create_authorization_url(
                self._metadata.authorization_endpoint,
                state=self._state,
                nonce=self._nonce,
                code_verifier=self._verifier,
                # OIDC Core 11: offline access (a refresh token) is granted with prompt=consent.
                prompt="consent",
            )
        self.authorization_url = str(url)
        log.info("login started at %s, waiting on %s", self.target.issuer, redirect_uri)
        return self.authorization_url

    def cancel(self) -> None:
        self._listener.cancel()

    async def finish(self, timeout: float = LOGIN_TIMEOUT_S) -> Tokens:
        """Wait for the browser, exchange the code, validate; the browser is told the outcome."""
        assert self._metadata is not None, "begin() first"
        try:
            callback = await self._listener.wait(timeout)
            tokens = await self._complete(callback, self._metadata)
        except LoginError as error:
            self._listener.settle(Verdict(False, str(error)))
            await self._listener.close()
            raise
        except BaseException:
            await self._listener.close()
            raise
        who = tokens.claims.get("name") or tokens.claims.get("email") or ""
        detail = {Language.EN: " as {}", Language.FR: " en tant que {}", Language.NL: " als {}"}
        self._listener.settle(Verdict(True, detail[self._language].format(who) if who else ""))
        await self._listener.close()
        return tokens

    async def _complete(self, callback: Callback, metadata: ProviderMetadata) -> Tokens:
        if callback.error:
            description = callback.params.get("error_description")
            raise LoginError(
                describe_oauth_error(OAuthError(error=callback.error, description=description))
            )
        returned_issuer = callback.params.get("iss")
        if returned_issuer is not None and returned_issuer.rstrip("/") != metadata.issuer.rstrip(
            "/"
        ):
            raise LoginError("the answer came from another login server than the one asked")
        if not callback.code:
            raise LoginError("the login server sent no authorization code")
        async with oauth_client(self.target, redirect_uri=self._listener.redirect_uri) as oauth:
            try:
                token = await oauth.fetch_token(
                    metadata.token_endpoint,
                    grant_type="authorization_code",
                    code=callback.code,
                    code_verifier=self._verifier,
                )
            except OAuthError as error:
                raise LoginError(describe_oauth_error(error)) from None
            except httpx.HTTPError as error:
                raise LoginError(f"cannot reach the login server ({error})") from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise LoginError("the login server sent no identity token")
        keys = await fetch_keys(self._http, metadata)
        claims = validate_id_token(
            id_token,
            keys,
            issuer=metadata.issuer,
            client_id=self.target.client_id,
            nonce=self._nonce,
        )
        if not token.get("refresh_token"):
            raise LoginError(
                "the login server gave no refresh token, so Ferry would have to ask you to log "
                "in again within minutes; ask the platform to allow offline access"
            )
        return Tokens.from_response(dict(token), claims)


async def run_login(
    target: LoginTarget,
    *,
    http: httpx.AsyncClient,
    open_url: Callable[[str], None],
    language: Language = FALLBACK,
    timeout: float = LOGIN_TIMEOUT_S,
) -> Tokens:
    """The whole login: ``open_url`` receives the URL the person must open."""
    login = Login(target, http=http, language=language)
    url = await login.begin()
    open_url(url)
    return await login.finish(timeout)
