"""The sandbox's OpenID provider, one per realm, at Keycloak's paths.

Authorization code flow with PKCE (S256 only) for the public client ``ferry-desktop``, whose
redirect URIs are loopback addresses on any port and path (RFC 8252 §7.3). The login page is a
real form; codes are one-time and short-lived, and a replayed code revokes what it produced
(RFC 6749 §4.1.2). The token endpoint also rotates refresh tokens; the revocation endpoint
follows RFC 7009; the authorization response carries ``iss`` (RFC 9207).
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.sandbox.login_page import error_page, logged_out_page, login_form
from app.sandbox.problems import unauthorized
from app.sandbox.realms import REALMS
from app.sandbox.state import SandboxState, sandbox_state
from app.sandbox.tokens import CLIENT_ID, SUPPORTED_SCOPES, TokenError

LOGIN_TIMEOUT_S = 600
CODE_TTL_S = 60
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

router = APIRouter(prefix="/realms/{realm}", include_in_schema=False)
RealmPath = Annotated[str, Path()]
State = Annotated[SandboxState, Depends(sandbox_state)]


@dataclass
class PendingLogin:
    """An authorization request waiting for the person to log in."""

    realm: str
    redirect_uri: str
    scope: str
    state: str | None
    nonce: str | None
    code_challenge: str
    created: float


@dataclass
class AuthorizationCode:
    realm: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str
    username: str
    auth_time: int
    expires: float
    used: bool = False
    family_id: str | None = None


class OidcSessions:
    """Logins in progress and codes given out: short-lived, so memory is the right place."""

    def __init__(self) -> None:
        self.pending: dict[str, PendingLogin] = {}
        self.codes: dict[str, AuthorizationCode] = {}

    def prune(self) -> None:
        now = time.monotonic()
        for key in [k for k, v in self.pending.items() if now - v.created > LOGIN_TIMEOUT_S]:
            del self.pending[key]
        # Used codes are kept a while longer so that a replay is recognised and punished.
        for key in [k for k, v in self.codes.items() if now > v.expires + LOGIN_TIMEOUT_S]:
            del self.codes[key]


def _sessions(request: Request) -> OidcSessions:
    sessions = request.app.state.oidc_sessions
    assert isinstance(sessions, OidcSessions)
    return sessions


Sessions = Annotated[OidcSessions, Depends(_sessions)]


def is_loopback_redirect(uri: str) -> bool:
    """RFC 8252 loopback redirect: http, a loopback IP literal or localhost, any port and path."""
    try:
        parts = urlsplit(uri)
        port = parts.port  # raises on a bad port
    except ValueError:
        return False
    del port
    if parts.scheme != "http" or parts.fragment or parts.username or parts.password:
        return False
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _with_query(uri: str, params: dict[str, str]) -> str:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _unknown_realm(realm: str) -> HTMLResponse:
    return HTMLResponse(
        error_page("Unknown realm", f"This platform has no realm '{realm}'."), status_code=404
    )


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description}, status_code=status, headers=_NO_STORE
    )


@router.get("/.well-known/openid-configuration")
async def discovery(realm: RealmPath, request: Request, state: State) -> Response:
    if realm not in REALMS:
        return _oauth_error("not_found", f"There is no realm '{realm}'.", 404)
    issuer = state.issuer(request, realm)
    endpoint = f"{issuer}/protocol/openid-connect"
    return JSONResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{endpoint}/auth",
            "token_endpoint": f"{endpoint}/token",
            "jwks_uri": f"{endpoint}/certs",
            "userinfo_endpoint": f"{endpoint}/userinfo",
            "revocation_endpoint": f"{endpoint}/revoke",
            "end_session_endpoint": f"{endpoint}/logout",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": list(SUPPORTED_SCOPES),
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "name",
                "email",
                "preferred_username",
                "sid",
                "at_hash",
            ],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "revocation_endpoint_auth_methods_supported": ["none"],
            "authorization_response_iss_parameter_supported": True,
            "ui_locales_supported": ["en"],
        }
    )


@router.get("/protocol/openid-connect/certs")
async def jwks(realm: RealmPath, state: State) -> Response:
    if realm not in REALMS:
        return _oauth_error("not_found", f"There is no realm '{realm}'.", 404)
    return JSONResponse(state.tokens.jwks(realm))


@router.get("/protocol/openid-connect/auth")
async def authorize(
    realm: RealmPath, request: Request, state: State, sessions: Sessions
) -> Response:
    """Check the authorization request, then show the login form (or say what is wrong)."""
    if realm not in REALMS:
        return _unknown_realm(realm)
    params = request.query_params
    client_id = params.get("client_id")
    redirect_uri = params.get("redirect_uri", "")
    if client_id != CLIENT_ID:
        return HTMLResponse(
            error_page("Unknown application", f"This platform has no client '{client_id}'."),
            status_code=400,
        )
    if not is_loopback_redirect(redirect_uri):
        return HTMLResponse(
            error_page(
                "Invalid redirect address",
                "The application asked to return to an address that is not a loopback address "
                "(http://127.0.0.1:PORT/...); the login was stopped.",
            ),
            status_code=400,
        )
    issuer = state.issuer(request, realm)

    def redirect_error(error: str, description: str) -> Response:
        reply = {"error": error, "error_description": description, "iss": issuer}
        if params.get("state") is not None:
            reply["state"] = params["state"]
        return RedirectResponse(_with_query(redirect_uri, reply), status_code=302)

    if params.get("response_type") != "code":
        return redirect_error("unsupported_response_type", "Only response_type=code is supported.")
    challenge = params.get("code_challenge")
    if not challenge:
        return redirect_error("invalid_request", "PKCE is required: send a code_challenge.")
    if params.get("code_challenge_method") != "S256":
        return redirect_error("invalid_request", "PKCE must use code_challenge_method=S256.")
    if not _CHALLENGE.match(challenge):
        return redirect_error("invalid_request", "The code_challenge is not a S256 challenge.")
    scopes = params.get("scope", "openid").split()
    unknown = [s for s in scopes if s not in SUPPORTED_SCOPES]
    if unknown:
        return redirect_error("invalid_scope", f"Unknown scope: {' '.join(unknown)}.")
    if params.get("prompt") == "none":
        return redirect_error("login_required", "This platform always asks for a login.")
    sessions.prune()
    login_id = secrets.token_urlsafe(24)
    sessions.pending[login_id] = PendingLogin(
        realm=realm,
        redirect_uri=redirect_uri,
        scope=" ".join(dict.fromkeys(scopes)),
        state=params.get("state"),
        nonce=params.get("nonce"),
        code_challenge=challenge,
        created=time.monotonic(),
    )
    return _form(state, realm, login_id, username=params.get("login_hint", ""), error=None)


def _form(
    state: SandboxState, realm: str, login_id: str, *, username: str, error: str | None
) -> HTMLResponse:
    office = state.store.get_office(realm)
    html = login_form(
        realm=realm,
        office_name=office.name if office else REALMS[realm].office_name,
        login_id=login_id,
        action=f"/realms/{realm}/login-actions/authenticate",
        username=username,
        error=error,
    )
    return HTMLResponse(html, headers={**_NO_STORE, "X-Frame-Options": "DENY"})


@router.post("/login-actions/authenticate")
async def authenticate(
    realm: RealmPath, request: Request, state: State, sessions: Sessions
) -> Response:
    """The login form's POST: check the password, then send the browser back with a code."""
    if realm not in REALMS:
        return _unknown_realm(realm)
    form = await request.form()
    login_id = str(form.get("login_id", ""))
    pending = sessions.pending.get(login_id)
    if pending is None or pending.realm != realm:
        return HTMLResponse(
            error_page("Login expired", "This login page has expired or was already used."),
            status_code=400,
        )
    issuer = state.issuer(request, realm)
    back: dict[str, str] = {"iss": issuer}
    if pending.state is not None:
        back["state"] = pending.state
    if form.get("action") == "cancel":
        del sessions.pending[login_id]
        back.update(error="access_denied", error_description="The login was cancelled.")
        return RedirectResponse(_with_query(pending.redirect_uri, back), status_code=303)
    username = str(form.get("username", ""))
    user = state.store.check_password(realm, username, str(form.get("password", "")))
    if user is None:
        return _form(
            state, realm, login_id, username=username, error="Invalid username or password."
        )
    del sessions.pending[login_id]
    code = secrets.token_urlsafe(32)
    sessions.codes[code] = AuthorizationCode(
        realm=realm,
        redirect_uri=pending.redirect_uri,
        scope=pending.scope,
        nonce=pending.nonce,
        code_challenge=pending.code_challenge,
        username=user.username,
        auth_time=int(time.time()),
        expires=time.monotonic() + CODE_TTL_S,
    )
    back["code"] = code
    return RedirectResponse(_with_query(pending.redirect_uri, back), status_code=303)


@router.post("/protocol/openid-connect/token")
async def token(realm: RealmPath, request: Request, state: State, sessions: Sessions) -> Response:
    if realm not in REALMS:
        return _oauth_error("invalid_request", f"There is no realm '{realm}'.", 404)
    form = {k: str(v) for k, v in (await request.form()).items()}
    if form.get("client_id") != CLIENT_ID:
        return _oauth_error(
            "invalid_client", f"Unknown client; this platform knows '{CLIENT_ID}'.", 401
        )
    grant = form.get("grant_type")
    issuer = state.issuer(request, realm)
    if grant == "authorization_code":
        return _exchange_code(realm, issuer, form, state, sessions)
    if grant == "refresh_token":
        refresh_token = form.get("refresh_token")
        if not refresh_token:
            return _oauth_error("invalid_request", "refresh_token is missing.")
        try:
            issued = state.tokens.refresh(
                realm, issuer, refresh_token, CLIENT_ID, form.get("scope") or None
            )
        except TokenError as exc:
            return _oauth_error("invalid_grant", str(exc))
        return JSONResponse(issued.as_response(), headers=_NO_STORE)
    return _oauth_error("unsupported_grant_type", f"Grant type '{grant}' is not supported.")


def _exchange_code(
    realm: str, issuer: str, form: dict[str, str], state: SandboxState, sessions: OidcSessions
) -> Response:
    code = sessions.codes.get(form.get("code", ""))
    if code is None or code.realm != realm:
        return _oauth_error("invalid_grant", "The authorization code is not valid.")
    if code.used:
        if code.family_id is not None:
            state.store.revoke_family(code.family_id, "authorization code replayed")
        return _oauth_error(
            "invalid_grant",
            "The authorization code was already used; the tokens it gave were revoked.",
        )
    if time.monotonic() > code.expires:
        return _oauth_error("invalid_grant", "The authorization code has expired.")
    if form.get("redirect_uri") != code.redirect_uri:
        return _oauth_error("invalid_grant", "redirect_uri differs from the authorization request.")
    verifier = form.get("code_verifier", "")
    if not _VERIFIER.match(verifier):
        return _oauth_error("invalid_grant", "code_verifier is missing or malformed (PKCE).")
    if not hmac.compare_digest(create_s256_code_challenge(verifier), code.code_challenge):
        return _oauth_error("invalid_grant", "code_verifier does not match the code_challenge.")
    code.used = True
    user = state.store.get_user(realm, code.username)
    if user is None:
        return _oauth_error("invalid_grant", "The user no longer exists.")
    family = state.store.create_family(realm, user.username, CLIENT_ID, code.scope, code.auth_time)
    code.family_id = family.id
    issued = state.tokens.issue(
        issuer, user, family, nonce=code.nonce, with_id_token="openid" in code.scope.split()
    )
    return JSONResponse(issued.as_response(), headers=_NO_STORE)


@router.post("/protocol/openid-connect/revoke")
async def revoke(realm: RealmPath, request: Request, state: State) -> Response:
    """RFC 7009: revoke a refresh token (its whole login) or an access token; always 200."""
    if realm not in REALMS:
        return _oauth_error("invalid_request", f"There is no realm '{realm}'.", 404)
    form = {k: str(v) for k, v in (await request.form()).items()}
    if form.get("client_id") != CLIENT_ID:
        return _oauth_error(
            "invalid_client", f"Unknown client; this platform knows '{CLIENT_ID}'.", 401
        )
    token_value = form.get("token")
    if not token_value:
        return _oauth_error("invalid_request", "token is missing.")
    family = state.store.family_of_refresh_token(token_value)
    if family is not None and family.realm == realm:
        state.store.revoke_family(family.id, "revoked by the client (RFC 7009)")
    else:
        found = state.tokens.decode_for_revocation(realm, token_value)
        if found is not None:
            state.store.revoke_access_token(*found)
    return Response(status_code=200, headers=_NO_STORE)


async def _userinfo(realm: str, request: Request, state: SandboxState) -> Response:
    if realm not in REALMS:
        return _oauth_error("invalid_request", f"There is no realm '{realm}'.", 404)
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value:
        raise unauthorized("An access token is required.", error="invalid_request")
    try:
        principal = state.tokens.verify_access_token(
            value.strip(), lambda r: state.issuer(request, r)
        )
    except TokenError as exc:
        raise unauthorized(str(exc)) from exc
    if principal.realm != realm:
        raise unauthorized("The access token belongs to another realm.")
    user = state.store.get_user(realm, principal.username)
    if user is None:
        raise unauthorized("The user no longer exists.")
    body: dict[str, Any] = {
        "sub": user.sub,
        "preferred_username": user.username,
        "name": user.name,
        "email": user.email,
    }
    return JSONResponse(body, headers=_NO_STORE)


@router.get("/protocol/openid-connect/userinfo")
async def userinfo_get(realm: RealmPath, request: Request, state: State) -> Response:
    return await _userinfo(realm, request, state)


@router.post("/protocol/openid-connect/userinfo")
async def userinfo_post(realm: RealmPath, request: Request, state: State) -> Response:
    return await _userinfo(realm, request, state)


@router.get("/protocol/openid-connect/logout")
async def logout(realm: RealmPath, request: Request, state: State) -> Response:
    """RP-initiated logout: end the login named by ``id_token_hint`` and say so."""
    if realm not in REALMS:
        return _unknown_realm(realm)
    hint = request.query_params.get("id_token_hint")
    if hint:
        found = state.tokens.session_of_id_token(realm, hint)
        if found is not None:
            state.store.revoke_family(found, "logged out")
    target = request.query_params.get("post_logout_redirect_uri")
    if target and is_loopback_redirect(target):
        extra = {}
        if request.query_params.get("state") is not None:
            extra["state"] = request.query_params["state"]
        return RedirectResponse(_with_query(target, extra), status_code=302)
    return HTMLResponse(logged_out_page())
