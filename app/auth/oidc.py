"""OpenID Connect mechanics: discovery, keys, and ID-token validation (with joserfc).

Kept apart from the login flow so that the same checks serve the first login, every
refresh, and the tests that forge bad tokens on purpose.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from pydantic import BaseModel, ConfigDict, ValidationError

log = logging.getLogger(__name__)

ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
CLOCK_LEEWAY_S = 60


class LoginError(Exception):
    """The login cannot go on; the message says why in plain words."""


class ProviderMetadata(BaseModel):
    """The parts of an OpenID provider's discovery document Ferry relies on."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    revocation_endpoint: str | None = None
    userinfo_endpoint: str | None = None
    end_session_endpoint: str | None = None
    code_challenge_methods_supported: list[str] | None = None


def _same_issuer(left: str, right: str) -> bool:
    return left.rstrip("/") == right.rstrip("/")


async def discover(http: httpx.AsyncClient, issuer: str) -> ProviderMetadata:
    """Read ``{issuer}/.well-known/openid-configuration`` and check it speaks for ``issuer``."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = await http.get(url)
    except httpx.HTTPError as error:
        raise LoginError(f"cannot reach the login server at {issuer} ({_why(error)})") from None
    if response.status_code != 200:
        raise LoginError(
            f"the login server at {issuer} answered {response.status_code} instead of its "
            "configuration; check the address"
        )
    try:
        metadata = ProviderMetadata.model_validate_json(response.content)
    except ValidationError:
        raise LoginError(f"{issuer} does not look like an OpenID Connect login server") from None
    if not _same_issuer(metadata.issuer, issuer):
        raise LoginError(
            f"the login server at {issuer} says it is {metadata.issuer}; refusing to log in "
            "to a server that names itself differently"
        )
    methods = metadata.code_challenge_methods_supported
    if methods is not None and "S256" not in methods:
        raise LoginError(f"the login server at {issuer} does not support PKCE with S256")
    return metadata


class AuthorizationServerMetadata(BaseModel):
    """The parts of an RFC 8414 authorization-server metadata document Ferry relies on."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    issuer: str
    revocation_endpoint: str | None = None


def oauth_metadata_urls(issuer: str) -> list[str]:
    """Where an issuer's RFC 8414 metadata may live, the standard place first.

    RFC 8414 section 3.1 puts the well-known part between the host and the issuer's path
    (``https://host/.well-known/oauth-authorization-server/realms/x``); many servers also
    answer below the issuer itself, as OpenID discovery does
    (``https://host/realms/x/.well-known/oauth-authorization-server``). For an issuer without
    a path both are one address, asked once.
    """
    parts = urlsplit(issuer.rstrip("/"))
    standard = urlunsplit(
        (parts.scheme, parts.netloc, "/.well-known/oauth-authorization-server" + parts.path, "", "")
    )
    below = issuer.rstrip("/") + "/.well-known/oauth-authorization-server"
    return [standard] if standard == below else [standard, below]


async def find_revocation_endpoint(
    http: httpx.AsyncClient, metadata: ProviderMetadata
) -> str | None:
    """The issuer's token revocation endpoint (RFC 7009), or None when it publishes none.

    OpenID discovery names it when the provider chose to (``revocation_endpoint`` is not an
    OpenID Connect Discovery field, so some providers, django-oauth-toolkit among them, only
    publish it in their RFC 8414 metadata); otherwise the RFC 8414 documents are read, in both
    forms. A document naming another issuer is refused (RFC 8414 section 3.3): it could send
    the refresh token to somebody else. An unreachable server raises :class:`httpx.HTTPError`,
    so the caller can tell "could not ask" from "has nothing to ask".
    """
    if metadata.revocation_endpoint:
        return metadata.revocation_endpoint
    for url in oauth_metadata_urls(metadata.issuer):
        response = await http.get(url)
        if response.status_code != 200:
            continue
        try:
            document = AuthorizationServerMetadata.model_validate_json(response.content)
        except ValidationError:
            log.warning("ignoring %s: not an OAuth authorization server metadata document", url)
            continue
        if not _same_issuer(document.issuer, metadata.issuer):
            log.warning(
                "refusing the metadata at %s: it names the issuer %s instead of %s",
                url,
                document.issuer,
                metadata.issuer,
            )
            continue
        if document.revocation_endpoint:
            return document.revocation_endpoint
    return None


async def fetch_keys(http: httpx.AsyncClient, metadata: ProviderMetadata) -> KeySet:
    try:
        response = await http.get(metadata.jwks_uri)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())
    except (httpx.HTTPError, ValueError, JoseError) as error:
        raise LoginError(f"cannot read the login server's signing keys ({_why(error)})") from None


def validate_id_token(
    id_token: str,
    keys: KeySet,
    *,
    issuer: str,
    client_id: str,
    nonce: str | None,
    now: float | None = None,
) -> dict[str, Any]:
    """The ID token's claims, after checking signature, issuer, audience, expiry and nonce."""
    try:
        token = jwt.decode(id_token, keys, algorithms=ID_TOKEN_ALGORITHMS)
    except (JoseError, ValueError) as error:
        raise LoginError(
            f"the login server's identity token is not validly signed ({error})"
        ) from None
    claims = dict(token.claims)
    moment = time.time() if now is None else now
    if not isinstance(claims.get("iss"), str) or not _same_issuer(claims["iss"], issuer):
        raise LoginError("the identity token was issued by another server")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        raise LoginError("the identity token was issued for another application")
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise LoginError("the identity token was issued for another application")
    expires = claims.get("exp")
    if not isinstance(expires, int | float) or expires + CLOCK_LEEWAY_S < moment:
        raise LoginError("the identity token has expired; check this computer's clock")
    issued = claims.get("iat")
    if isinstance(issued, int | float) and issued - CLOCK_LEEWAY_S > moment:
        raise LoginError("the identity token was issued in the future; check this computer's clock")
    if nonce is not None and claims.get("nonce") != nonce:
        raise LoginError("the identity token does not belong to this login (wrong nonce)")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise LoginError("the identity token names no user")
    return claims


def _why(error: BaseException) -> str:
    text = str(error).strip()
    return text or type(error).__name__
