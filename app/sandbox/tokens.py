"""Tokens of the sandbox's OpenID provider: signing keys, JWTs, refresh-token rotation.

The JOSE work (RSA keys, JWK sets, signing and verifying JWTs) is joserfc's, the library Authlib
now builds on, and the OIDC hash helpers are Authlib's; this module only decides what goes in a
token and when a token is still good.

Access tokens are RS256 JWTs that the API verifies locally (signature, issuer, expiry) and then
checks against two in-memory sets: revoked logins (token families) and revoked token ids, so
revoking a login or reusing a rotated refresh token ends its access tokens at once too.
Refresh tokens are opaque random strings stored only as hashes, rotated on every use.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from authlib.oidc.core.util import create_half_hash
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey
from joserfc.jws import extract_compact

from app.sandbox.realms import REALMS
from app.sandbox.store import RefreshOutcome, Store, TokenFamily, User, utcnow

CLIENT_ID = "ferry-desktop"
SUPPORTED_SCOPES = ("openid", "profile", "email", "offline_access", "documents")
DEFAULT_ACCESS_TOKEN_TTL_S = 300
#: Long enough that an office stays logged in for months; every rotation renews it.
REFRESH_TOKEN_TTL = dt.timedelta(days=180)
_VERIFIED_CACHE_LIMIT = 10_000


class TokenError(Exception):
    """A presented token is not acceptable; the message says why, for the 401 body."""


@dataclass(frozen=True)
class Principal:
    """Who a valid access token speaks for."""

    realm: str
    username: str
    sub: str
    scopes: frozenset[str]
    family_id: str
    jti: str
    expires_at: int


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str
    id_token: str | None
    scope: str

    def as_response(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "refresh_token": self.refresh_token,
            "refresh_expires_in": int(REFRESH_TOKEN_TTL.total_seconds()),
            "scope": self.scope,
        }
        if self.id_token is not None:
            body["id_token"] = self.id_token
        return body


class TokenService:
    """Issues and verifies the tokens of every realm."""

    def __init__(self, store: Store, access_ttl: Callable[[], int | None]) -> None:
        """``access_ttl`` returns the fault switch's lifetime override, or None for the default."""
        self._store = store
        self._access_ttl = access_ttl
        self._keys: dict[str, RSAKey] = {}
        self._kid_realm: dict[str, str] = {}
        self._verified: dict[str, tuple[str, Principal]] = {}
        self._lock = threading.Lock()
        for realm in REALMS:
            self._keys[realm] = self._load_or_create_key(realm)
            self._kid_realm[self._keys[realm].kid or ""] = realm

    def _load_or_create_key(self, realm: str) -> RSAKey:
        stored = self._store.get_signing_key(realm)
        if stored is not None:
            return RSAKey.import_key(stored)
        key = RSAKey.generate_key(
            2048,
            parameters={"kid": f"{realm}-{secrets.token_hex(6)}", "use": "sig", "alg": "RS256"},
            private=True,
        )
        self._store.put_signing_key(realm, key.as_dict(private=True))
        return key

    def jwks(self, realm: str) -> dict[str, Any]:
        return dict(KeySet([self._keys[realm]]).as_dict(private=False))

    def access_ttl(self) -> int:
        return self._access_ttl() or DEFAULT_ACCESS_TOKEN_TTL_S

    # --- issuing ------------------------------------------------------------------------------

    def issue(
        self,
        issuer: str,
        user: User,
        family: TokenFamily,
        *,
        nonce: str | None,
        with_id_token: bool,
    ) -> IssuedTokens:
        """A fresh access token, refresh token (same family) and, for OIDC, an ID token."""
        now = int(time.time())
        ttl = self.access_ttl()
        key = self._keys[family.realm]
        header = {"alg": "RS256", "kid": key.kid, "typ": "at+jwt"}
        access_token = jwt.encode(
            header,
            {
                "iss": issuer,
                "sub": user.sub,
                "aud": "ferry-platform-api",
                "azp": family.client_id,
                "client_id": family.client_id,
                "iat": now,
                "nbf": now,
                "exp": now + ttl,
                "jti": secrets.token_urlsafe(16),
                "sid": family.id,
                "scope": family.scope,
                "preferred_username": user.username,
            },
            key,
        )
        refresh_token = secrets.token_urlsafe(48)
        self._store.add_refresh_token(family.id, refresh_token, utcnow() + REFRESH_TOKEN_TTL)
        id_token = None
        if with_id_token:
            claims: dict[str, Any] = {
                "iss": issuer,
                "sub": user.sub,
                "aud": family.client_id,
                "azp": family.client_id,
                "iat": now,
                "exp": now + max(ttl, 300),
                "auth_time": family.auth_time,
                "sid": family.id,
                "at_hash": create_half_hash(access_token, "RS256").decode(),
                "name": user.name,
                "email": user.email,
                "preferred_username": user.username,
            }
            if nonce is not None:
                claims["nonce"] = nonce
            id_token = jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)
        return IssuedTokens(access_token, ttl, refresh_token, id_token, family.scope)

    def refresh(
        self, realm: str, issuer: str, refresh_token: str, client_id: str, scope: str | None
    ) -> IssuedTokens:
        """Rotate a refresh token; raises TokenError with the OAuth reason when refused."""
        outcome, family = self._store.rotate_refresh_token(realm, refresh_token, client_id)
        if outcome is not RefreshOutcome.OK or family is None:
            raise TokenError(
                {
                    RefreshOutcome.UNKNOWN: "The refresh token is not known to this realm.",
                    RefreshOutcome.EXPIRED: "The refresh token has expired; log in again.",
                    RefreshOutcome.REVOKED: "The login was revoked; log in again.",
                    RefreshOutcome.REUSED: "The refresh token was already used; for safety this "
                    "login is now revoked. Log in again.",
                    RefreshOutcome.OK: "The refresh token is not usable.",
                }[outcome]
            )
        if scope is not None and not set(scope.split()) <= set(family.scope.split()):
            raise TokenError("The requested scope exceeds what was granted at login.")
        user = self._store.get_user(realm, family.username)
        if user is None:
            raise TokenError("The user of this login no longer exists.")
        return self.issue(
            issuer, user, family, nonce=None, with_id_token="openid" in family.scope.split()
        )

    # --- verifying ----------------------------------------------------------------------------

    def verify_access_token(self, token: str, issuer_of: Callable[[str], str]) -> Principal:
        """Check an access token's signature, issuer, expiry and revocation.

        ``issuer_of(realm)`` gives the issuer URL the token must carry. Verified tokens are
        remembered until they expire so the hot download path pays for RSA once per token.
        """
        now = int(time.time())
        cached = self._verified.get(token)
        if cached is not None:
            issuer, principal = cached
            if principal.expires_at <= now:
                raise TokenError("The access token has expired.")
        else:
            issuer, principal = self._decode(token, issuer_of)
            with self._lock:
                if len(self._verified) >= _VERIFIED_CACHE_LIMIT:
                    self._verified.clear()
                self._verified[token] = (issuer, principal)
        if issuer != issuer_of(principal.realm):
            raise TokenError("The access token was issued for another address of this platform.")
        if self._store.is_family_revoked(principal.family_id):
            raise TokenError("The login behind this access token was revoked.")
        if self._store.is_access_token_revoked(principal.jti):
            raise TokenError("The access token was revoked.")
        return principal

    def _decode(self, token: str, issuer_of: Callable[[str], str]) -> tuple[str, Principal]:
        try:
            header = extract_compact(token.encode()).headers()
        except (JoseError, ValueError, UnicodeError) as exc:
            raise TokenError("The access token is not a JWT.") from exc
        realm = self._kid_realm.get(str(header.get("kid", "")))
        if realm is None or header.get("alg") != "RS256":
            raise TokenError("The access token was not signed by this platform.")
        try:
            decoded = jwt.decode(token, self._keys[realm], algorithms=["RS256"])
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": issuer_of(realm)},
                exp={"essential": True},
                sub={"essential": True},
                jti={"essential": True},
                sid={"essential": True},
                leeway=0,
            ).validate(decoded.claims)
        except JoseError as exc:
            raise TokenError(f"The access token is not valid: {exc.description or exc}") from exc
        except ValueError as exc:
            raise TokenError("The access token is not valid.") from exc
        if decoded.header.get("typ") != "at+jwt":
            raise TokenError("This is not an access token.")
        claims = decoded.claims
        return claims["iss"], Principal(
            realm=realm,
            username=str(claims.get("preferred_username", "")),
            sub=str(claims["sub"]),
            scopes=frozenset(str(claims.get("scope", "")).split()),
            family_id=str(claims["sid"]),
            jti=str(claims["jti"]),
            expires_at=int(claims["exp"]),
        )

    def decode_for_revocation(self, realm: str, token: str) -> tuple[str, int] | None:
        """(jti, exp) of one of this realm's access tokens, for RFC 7009 revocation, or None."""
        try:
            decoded = jwt.decode(token, self._keys[realm], algorithms=["RS256"])
        except (JoseError, ValueError):
            return None
        jti, exp = decoded.claims.get("jti"), decoded.claims.get("exp")
        if not isinstance(jti, str) or not isinstance(exp, int):
            return None
        return jti, exp

    def session_of_id_token(self, realm: str, id_token: str) -> str | None:
        """The login (``sid``) an ID token of this realm names, even if it has expired."""
        try:
            decoded = jwt.decode(id_token, self._keys[realm], algorithms=["RS256"])
        except (JoseError, ValueError):
            return None
        sid = decoded.claims.get("sid")
        return sid if isinstance(sid, str) else None
