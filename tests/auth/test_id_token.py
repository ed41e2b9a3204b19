"""ID-token validation: each forgery is refused with a reason a person can read."""

from __future__ import annotations

import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from app.auth.oidc import LoginError, validate_id_token

ISSUER = "http://127.0.0.1:9/realms/be"
KEY = RSAKey.generate_key(2048, parameters={"kid": "good", "alg": "RS256"})
OTHER = RSAKey.generate_key(2048, parameters={"kid": "good", "alg": "RS256"})
PUBLISHED = KeySet.import_key_set(KeySet([KEY]).as_dict(private=False))


def _token(key: RSAKey = KEY, **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": "ferry-desktop",
        "sub": "u1",
        "nonce": "n1",
        "iat": now,
        "exp": now + 300,
    } | changes
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode({"alg": "RS256", "kid": "good"}, claims, key)


def _check(token: str) -> dict[str, Any]:
    return validate_id_token(token, PUBLISHED, issuer=ISSUER, client_id="ferry-desktop", nonce="n1")


def test_a_good_token_passes() -> None:
    assert _check(_token())["sub"] == "u1"
    assert _check(_token(aud=["ferry-desktop", "api"], azp="ferry-desktop"))["sub"] == "u1"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"aud": "another-app"}, "another application"),
        ({"aud": ["another-app", "ferry-desktop"]}, "another application"),
        ({"nonce": "replayed"}, "wrong nonce"),
        ({"nonce": None}, "wrong nonce"),
        ({"key": OTHER}, "not validly signed"),
        ({"iss": "http://evil.example/realms/be"}, "another server"),
        ({"exp": -3600}, "expired"),
        ({"iat": 3600}, "in the future"),
        ({"sub": None}, "names no user"),
        (None, "not validly signed"),  # not a token at all
    ],
    ids=lambda value: None if isinstance(value, str) else repr(value)[:40],
)
def test_forgeries_are_refused(changes: dict[str, Any] | None, words: str) -> None:
    """Each token is made when its test runs (made at collection, the good claims would have
    expired by the time a long suite reaches them)."""
    if changes is None:
        token = "not.a.token"
    else:
        now = int(time.time())
        relative = {k: now + v for k, v in changes.items() if k in ("exp", "iat")}
        token = _token(**(changes | relative))
    with pytest.raises(LoginError, match=words):
        _check(token)


def test_an_unsigned_token_is_refused() -> None:
    header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    body = jwt.encode({"alg": "RS256"}, {"iss": ISSUER}, KEY).split(".")[1]
    with pytest.raises(LoginError, match="not validly signed"):
        _check(f"{header}.{body}.")
