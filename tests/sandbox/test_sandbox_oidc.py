"""The sandbox's OpenID provider, end to end over real HTTP: discovery, the login form, PKCE,
codes, refresh-token rotation and reuse detection, revocation."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from app.sandbox.server import SandboxServer
from app.sandbox.testkit import (
    CLIENT_ID,
    DEFAULT_REDIRECT_URI,
    LoginFailed,
    SandboxAdmin,
    TokenSet,
    authorize,
    exchange_code,
    new_pkce,
    read_login_form,
    refresh_tokens,
)


@pytest.fixture
def http() -> httpx.Client:
    with httpx.Client(timeout=30) as client:
        yield client


def _auth_params(challenge: str, **overrides: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": DEFAULT_REDIRECT_URI,
        "scope": "openid offline_access documents",
        "state": "st-1",
        "nonce": "n-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return params


def test_discovery_names_every_endpoint(sandbox_server: SandboxServer, http: httpx.Client) -> None:
    issuer = sandbox_server.issuer("be")
    config = http.get(f"{issuer}/.well-known/openid-configuration").json()
    assert config["issuer"] == issuer
    for key in (
        "authorization_endpoint",
        "token_endpoint",
        "jwks_uri",
        "revocation_endpoint",
        "userinfo_endpoint",
        "end_session_endpoint",
    ):
        assert config[key].startswith(issuer + "/protocol/openid-connect/")
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert {"openid", "offline_access", "documents"} <= set(config["scopes_supported"])
    assert {"authorization_code", "refresh_token"} <= set(config["grant_types_supported"])
    keys = http.get(config["jwks_uri"]).json()["keys"]
    assert keys and all("d" not in k for k in keys)  # only public halves are published


def test_unknown_realm_has_no_issuer(sandbox_server: SandboxServer, http: httpx.Client) -> None:
    answer = http.get(f"{sandbox_server.url}/realms/xx/.well-known/openid-configuration")
    assert answer.status_code == 404


def test_full_login_flow_gives_valid_tokens(
    sandbox_server: SandboxServer, http: httpx.Client
) -> None:
    issuer = sandbox_server.issuer("be")
    verifier, challenge = new_pkce()
    page = http.get(f"{issuer}/protocol/openid-connect/auth", params=_auth_params(challenge))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    action, fields = read_login_form(page.text)
    assert {"username", "password", "login_id"} <= set(fields)
    answer = http.post(
        f"{sandbox_server.url}{action}",
        data={**fields, "username": "demo", "password": "demo", "action": "login"},
    )
    assert answer.status_code in (302, 303)
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == DEFAULT_REDIRECT_URI
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["state"] == "st-1"
    assert query["iss"] == issuer  # RFC 9207

    tokens = exchange_code(http, issuer, query["code"], verifier)
    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["cache-control"] == "no-store"
    body = tokens.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    keys = KeySet.import_key_set(http.get(f"{issuer}/protocol/openid-connect/certs").json())
    id_token = jwt.decode(body["id_token"], keys, algorithms=["RS256"])
    assert id_token.claims["iss"] == issuer
    assert id_token.claims["aud"] == CLIENT_ID
    assert id_token.claims["nonce"] == "n-1"
    assert id_token.claims["preferred_username"] == "demo"
    access = jwt.decode(body["access_token"], keys, algorithms=["RS256"])
    assert access.claims["iss"] == issuer
    assert access.claims["exp"] - access.claims["iat"] == 300
    assert "documents" in access.claims["scope"].split()

    office = http.get(
        f"{sandbox_server.api_url}/office",
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert office.status_code == 200
    assert office.json()["realm"] == "be"
    info = http.get(
        f"{issuer}/protocol/openid-connect/userinfo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert info.json()["sub"] == id_token.claims["sub"]


def test_wrong_password_shows_the_form_again(
    sandbox_server: SandboxServer, http: httpx.Client
) -> None:
    _verifier, challenge = new_pkce()
    with pytest.raises(LoginFailed):
        authorize(http, sandbox_server.issuer("be"), password="wrong", code_challenge=challenge)
    issuer = sandbox_server.issuer("be")
    page = http.get(f"{issuer}/protocol/openid-connect/auth", params=_auth_params(challenge))
    action, fields = read_login_form(page.text)
    again = http.post(
        f"{sandbox_server.url}{action}", data={**fields, "username": "demo", "password": "nope"}
    )
    assert again.status_code == 200
    assert "Invalid username or password" in again.text
    assert read_login_form(again.text)[1]["login_id"] == fields["login_id"]


def test_cancel_redirects_with_access_denied(
    sandbox_server: SandboxServer, http: httpx.Client
) -> None:
    issuer = sandbox_server.issuer("be")
    _verifier, challenge = new_pkce()
    page = http.get(f"{issuer}/protocol/openid-connect/auth", params=_auth_params(challenge))
    action, fields = read_login_form(page.text)
    answer = http.post(f"{sandbox_server.url}{action}", data={**fields, "action": "cancel"})
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == ["access_denied"]
    assert query["state"] == ["st-1"]


def test_wrong_verifier_is_refused(sandbox_server: SandboxServer, http: httpx.Client) -> None:
    issuer = sandbox_server.issuer("be")
    _verifier, challenge = new_pkce()
    code = authorize(http, issuer, code_challenge=challenge).code
    other_verifier, _ = new_pkce()
    answer = exchange_code(http, issuer, code, other_verifier)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_missing_verifier_is_refused(sandbox_server: SandboxServer, http: httpx.Client) -> None:
    issuer = sandbox_server.issuer("be")
    _verifier, challenge = new_pkce()
    code = authorize(http, issuer, code_challenge=challenge).code
    answer = http.post(
        f"{issuer}/protocol/openid-connect/token",
        data={
            "grant_type": "authorization_code",
            "client_id": CLIENT_ID,
            "code": code,
            "redirect_uri": DEFAULT_REDIRECT_URI,
        },
    )
    assert answer.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": ""}, "invalid_request"),
        ({"code_challenge": ""}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "openid admin"}, "invalid_scope"),
    ],
)
def test_bad_authorization_requests_are_sent_back_with_an_error(
    sandbox_server: SandboxServer, http: httpx.Client, overrides: dict[str, str], error: str
) -> None:
    issuer = sandbox_server.issuer("be")
    _verifier, challenge = new_pkce()
    answer = http.get(
        f"{issuer}/protocol/openid-connect/auth", params=_auth_params(challenge, **overrides)
    )
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == [error]
    assert query["state"] == ["st-1"]


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/callback",
        "http://evil.example:8080/callback",
        "http://127.0.0.1.evil.example/cb",
        "http://user@127.0.0.1:8000/cb",
        "ferry://callback",
        "",
    ],
)
def test_non_loopback_redirects_are_refused_without_redirecting(
    sandbox_server: SandboxServer, http: httpx.Client, redirect_uri: str
) -> None:
    _verifier, challenge = new_pkce()
    answer = http.get(
        f"{sandbox_server.issuer('be')}/protocol/openid-connect/auth",
        params=_auth_params(challenge, redirect_uri=redirect_uri),
    )
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert "loopback" in answer.text


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://127.0.0.1:49152/",
        "http://localhost:8080/any/path",
        "http://[::1]:5000/cb",
        "http://127.0.0.1/cb?x=1",
    ],
)
def test_loopback_redirects_on_any_port_and_path_are_accepted(
    sandbox_server: SandboxServer, http: httpx.Client, redirect_uri: str
) -> None:
    issuer = sandbox_server.issuer("be")
    verifier, challenge = new_pkce()
    result = authorize(http, issuer, code_challenge=challenge, redirect_uri=redirect_uri)
    assert result.location.startswith(redirect_uri.split("?")[0])
    answer = exchange_code(http, issuer, result.code, verifier, redirect_uri=redirect_uri)
    assert answer.status_code == 200, answer.text


def test_redirect_uri_must_match_at_exchange(
    sandbox_server: SandboxServer, http: httpx.Client
) -> None:
    issuer = sandbox_server.issuer("be")
    verifier, challenge = new_pkce()
    code = authorize(http, issuer, code_challenge=challenge).code
    answer = exchange_code(http, issuer, code, verifier, redirect_uri="http://127.0.0.1:1/other")
    assert answer.json()["error"] == "invalid_grant"


def test_replayed_code_is_refused_and_revokes_its_tokens(
    sandbox_server: SandboxServer, http: httpx.Client
) -> None:
    issuer = sandbox_server.issuer("be")
    verifier, challenge = new_pkce()
    code = authorize(http, issuer, code_challenge=challenge).code
    first = exchange_code(http, issuer, code, verifier)
    assert first.status_code == 200
    tokens = TokenSet.from_response(first.json())
    replay = exchange_code(http, issuer, code, verifier)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert refresh_tokens(http, issuer, tokens.refresh_token).status_code == 400
    office = http.get(f"{sandbox_server.api_url}/office", headers=tokens.headers)
    assert office.status_code == 401


def test_code_of_one_realm_is_useless_in_another(
    sandbox_server: SandboxServer, http: httpx.Client
) -> None:
    verifier, challenge = new_pkce()
    code = authorize(http, sandbox_server.issuer("be"), code_challenge=challenge).code
    answer = exchange_code(http, sandbox_server.issuer("nl"), code, verifier)
    assert answer.json()["error"] == "invalid_grant"


def test_refresh_rotates_and_reuse_revokes_the_family(
    sandbox_server: SandboxServer, http: httpx.Client, sandbox_login: Callable[..., TokenSet]
) -> None:
    issuer = sandbox_server.issuer("be")
    first = sandbox_login("be")
    rotated = refresh_tokens(http, issuer, first.refresh_token)
    assert rotated.status_code == 200, rotated.text
    second = TokenSet.from_response(rotated.json())
    assert second.refresh_token != first.refresh_token
    assert second.id_token is not None
    api = f"{sandbox_server.api_url}/office"
    assert http.get(api, headers=second.headers).status_code == 200

    # The old refresh token is spent: presenting it again is theft or a bug, so the whole
    # login ends — including the newest tokens.
    reuse = refresh_tokens(http, issuer, first.refresh_token)
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"
    assert "already used" in reuse.json()["error_description"]
    assert refresh_tokens(http, issuer, second.refresh_token).status_code == 400
    denied = http.get(api, headers=second.headers)
    assert denied.status_code == 401
    assert denied.headers["content-type"] == "application/problem+json"
    assert denied.headers["www-authenticate"].startswith("Bearer")


def test_refresh_token_of_one_realm_fails_in_another(
    sandbox_server: SandboxServer, http: httpx.Client, sandbox_login: Callable[..., TokenSet]
) -> None:
    tokens = sandbox_login("be")
    answer = refresh_tokens(http, sandbox_server.issuer("fr"), tokens.refresh_token)
    assert answer.json()["error"] == "invalid_grant"
    # ...and did not spend it.
    assert refresh_tokens(http, sandbox_server.issuer("be"), tokens.refresh_token).is_success


def test_rfc7009_revocation_of_a_refresh_token_ends_the_login(
    sandbox_server: SandboxServer, http: httpx.Client, sandbox_login: Callable[..., TokenSet]
) -> None:
    issuer = sandbox_server.issuer("be")
    tokens = sandbox_login("be")
    answer = http.post(
        f"{issuer}/protocol/openid-connect/revoke",
        data={
            "token": tokens.refresh_token,
            "client_id": CLIENT_ID,
            "token_type_hint": "refresh_token",
        },
    )
    assert answer.status_code == 200
    assert refresh_tokens(http, issuer, tokens.refresh_token).status_code == 400
    assert http.get(f"{sandbox_server.api_url}/office", headers=tokens.headers).status_code == 401
    # Revoking something unknown is not an error (RFC 7009 §2.2).
    unknown = http.post(
        f"{issuer}/protocol/openid-connect/revoke",
        data={"token": "nonsense", "client_id": CLIENT_ID},
    )
    assert unknown.status_code == 200


def test_rfc7009_revocation_of_an_access_token(
    sandbox_server: SandboxServer, http: httpx.Client, sandbox_login: Callable[..., TokenSet]
) -> None:
    issuer = sandbox_server.issuer("be")
    tokens = sandbox_login("be")
    http.post(
        f"{issuer}/protocol/openid-connect/revoke",
        data={"token": tokens.access_token, "client_id": CLIENT_ID},
    )
    assert http.get(f"{sandbox_server.api_url}/office", headers=tokens.headers).status_code == 401
    # The refresh token still works: only that access token was revoked.
    fresh = refresh_tokens(http, issuer, tokens.refresh_token)
    assert fresh.status_code == 200


def test_admin_revocation_ends_every_login_of_the_user(
    sandbox_server: SandboxServer,
    http: httpx.Client,
    sandbox_login: Callable[..., TokenSet],
    sandbox_admin: SandboxAdmin,
) -> None:
    issuer = sandbox_server.issuer("lu")
    one, two = sandbox_login("lu"), sandbox_login("lu")
    other_realm = sandbox_login("be")
    assert sandbox_admin.revoke_user("lu", "demo") >= 2
    for tokens in (one, two):
        assert refresh_tokens(http, issuer, tokens.refresh_token).json()["error"] == "invalid_grant"
        assert (
            http.get(f"{sandbox_server.api_url}/office", headers=tokens.headers).status_code == 401
        )
    assert (
        http.get(f"{sandbox_server.api_url}/office", headers=other_realm.headers).status_code == 200
    )
    assert sandbox_login("lu").access_token  # a new login works again


def test_token_without_documents_scope_is_forbidden(
    sandbox_server: SandboxServer, http: httpx.Client, sandbox_login: Callable[..., TokenSet]
) -> None:
    tokens = sandbox_login("be", scope="openid offline_access")
    answer = http.get(f"{sandbox_server.api_url}/office", headers=tokens.headers)
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"
    assert "insufficient_scope" in answer.headers["www-authenticate"]


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer not-a-jwt", "Basic ZGVtbzpkZW1v", "Bearer eyJhbGciOiJub25lIn0.e30."],
)
def test_api_refuses_missing_or_bad_tokens(
    sandbox_server: SandboxServer, http: httpx.Client, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    answer = http.get(f"{sandbox_server.api_url}/documents", headers=headers)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert answer.json()["status"] == 401


def test_expired_access_token_is_refused(
    sandbox_server: SandboxServer,
    http: httpx.Client,
    sandbox_login: Callable[..., TokenSet],
    sandbox_admin: SandboxAdmin,
) -> None:
    sandbox_admin.set_faults(access_token_ttl_s=1)
    tokens = sandbox_login("be")
    assert tokens.expires_in == 1
    assert http.get(f"{sandbox_server.api_url}/office", headers=tokens.headers).status_code == 200
    time.sleep(2.1)
    answer = http.get(f"{sandbox_server.api_url}/office", headers=tokens.headers)
    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]
    sandbox_admin.clear_faults()
    fresh = TokenSet.from_response(
        refresh_tokens(http, sandbox_server.issuer("be"), tokens.refresh_token).json()
    )
    assert fresh.expires_in == 300
    assert http.get(f"{sandbox_server.api_url}/office", headers=fresh.headers).status_code == 200


def test_logout_ends_the_login(
    sandbox_server: SandboxServer, http: httpx.Client, sandbox_login: Callable[..., TokenSet]
) -> None:
    tokens = sandbox_login("be")
    state = secrets.token_hex(4)
    answer = http.get(
        f"{sandbox_server.issuer('be')}/protocol/openid-connect/logout",
        params={
            "id_token_hint": tokens.id_token,
            "state": state,
            "post_logout_redirect_uri": "http://127.0.0.1:5000/bye",
        },
    )
    assert answer.status_code == 302
    assert answer.headers["location"] == f"http://127.0.0.1:5000/bye?state={state}"
    answer = refresh_tokens(http, sandbox_server.issuer("be"), tokens.refresh_token)
    assert answer.status_code == 400
