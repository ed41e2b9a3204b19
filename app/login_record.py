"""Turning a finished browser login into what Ferry keeps: the refresh token in the keyring,
who logged in for which office in ``login.json`` (written by the caller, when it is ready).

One place for both the command line (``ferry login``) and the first-run wizard, so that they
store exactly the same thing.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx

from app.auth.account import StoredLogin
from app.auth.login import LoginTarget, Tokens
from app.auth.secret_store import SecretStore
from app.auth.session import TokenSession
from app.platform.client import PlatformClient


async def record_login(
    target: LoginTarget, tokens: Tokens, *, store: SecretStore, http: httpx.AsyncClient
) -> tuple[StoredLogin, PlatformClient | None]:
    """Keep the refresh token in the keyring and ask the platform (when the target names its
    API) who and which office; returns the login to store and a client on that session."""
    claims = tokens.claims
    login = StoredLogin(
        region=target.region,
        issuer=target.issuer,
        api_url=target.api_url,
        client_id=target.client_id,
        subject=str(claims["sub"]),
        user_name=claims.get("name") or claims.get("preferred_username"),
        email=claims.get("email"),
        logged_in_at=dt.datetime.now(dt.UTC),
        redirect_ports=target.redirect_ports,
    )
    assert tokens.refresh_token is not None, "Login.finish refuses a login without one"
    await asyncio.to_thread(store.save, login.secret_name, tokens.refresh_token)
    if not target.api_url:
        return login, None
    session = TokenSession(
        target, store=store, secret_name=login.secret_name, http=http, tokens=tokens
    )
    platform = PlatformClient(target.api_url, session, http)
    office = await platform.office()
    login = login.model_copy(
        update={
            "office_id": office.id,
            "office_name": office.name,
            "user_name": office.user.name or login.user_name,
            "email": office.user.email or login.email,
        }
    )
    return login, platform
