"""Ferry's login against a second real OpenID provider, django-oauth-toolkit (Django), through
a real headless Chromium, with the refresh token kept in a real Secret Service.

It differs from oidc-provider where it matters to Ferry: its issuer has a path (``/o``), its
OpenID discovery document names no revocation endpoint (only its RFC 8414 metadata does), its
login form is Django's, and a client can be registered with one exact loopback redirect URI.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import httpx
import pytest

from app.application.account import end_login
from app.auth.account import LOGIN_FILE, save_login
from app.auth.authlib_httpx import OAuthError
from app.auth.login import Login, LoginTarget, Tokens, oauth_client
from app.auth.loopback import LoginCancelled
from app.auth.oidc import find_revocation_endpoint, oauth_metadata_urls
from app.auth.secret_store import SecretStore
from app.auth.session import BearerAuth, LoginNeeded, LogoutOutcome, TokenSession
from app.home import FerryHome
from app.login_record import record_login
from app.platform.client import make_http_client
from tests.auth.conftest import DotProvider, browse_login

pytestmark = pytest.mark.usefixtures("secret_service")


async def _browser_login(
    target: LoginTarget, http: httpx.AsyncClient
) -> tuple[Login, Tokens, dict[str, object]]:
    login = Login(target, http=http)
    url = await login.begin()
    assert "code_challenge_method=S256" in url and "state=" in url and "nonce=" in url
    finishing = asyncio.create_task(login.finish(60))
    page = await asyncio.to_thread(browse_login, url, "demo", "demo")
    return login, await finishing, page


async def _refused(token_endpoint: str, refresh_token: str, client_id: str) -> str | None:
    """The provider's error for a refresh with ``refresh_token``, asked directly (no Ferry)."""
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            token_endpoint,
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": client_id,
            },
        )
    return None if answer.status_code == 200 else str(answer.json().get("error"))


async def test_login_refresh_and_rotation(dot_provider: DotProvider) -> None:
    target = LoginTarget("interop-dot", dot_provider.issuer, None)
    store = SecretStore()
    name = "refresh-token:interop-dot:demo"
    async with make_http_client() as http:
        _, tokens, page = await _browser_login(target, http)
        # the browser filled Django's login form, allowed on the toolkit's consent page and
        # was sent to a port the OS picked: the toolkit allows any port for 127.0.0.1
        assert page["status"] == 200
        assert "You are logged in to Ferry as Demo User; you can close this tab." in str(
            page["text"]
        )
        assert tokens.claims["email"] == "demo@example.org" and tokens.refresh_token
        store.save(name, tokens.refresh_token)
        session = TokenSession(target, store=store, secret_name=name, http=http, tokens=tokens)
        metadata = await session.metadata()
        assert metadata.issuer.endswith("/o")

        # refresh with rotation: a new refresh token, written to the keyring at once
        first = tokens.refresh_token
        fresh_access = await session.refresh(stale=tokens.access_token)
        assert fresh_access != tokens.access_token
        second = store.load(name)
        assert second and second != first

        # the rotated-out token is refused by the provider, and Ferry then needs a login
        assert await _refused(metadata.token_endpoint, first, target.client_id) == "invalid_grant"
        stale = TokenSession(
            target, store=store, secret_name=name, http=http, tokens=Tokens("x", first, 0.0)
        )
        with pytest.raises(LoginNeeded, match="no longer accepts this login"):
            await stale.access_token()

        # a 401 from a resource server (the toolkit's userinfo) triggers one refresh and a retry
        assert metadata.userinfo_endpoint
        session._tokens.access_token = "not-a-valid-token"  # type: ignore[union-attr]
        refreshes = session.refreshes
        me = await http.get(metadata.userinfo_endpoint, auth=BearerAuth(session))
        assert me.status_code == 200 and me.json()["sub"] == tokens.claims["sub"]
        assert session.refreshes == refreshes + 1
        third = store.load(name)
        assert third and third != second
        await asyncio.to_thread(store.delete, name)


async def test_logout_finds_the_revocation_endpoint_in_rfc8414_metadata_and_revokes(
    dot_provider: DotProvider, tmp_path: Path
) -> None:
    target = LoginTarget("interop-dot", dot_provider.issuer, None)
    store = SecretStore()
    home = FerryHome.under(tmp_path / "home")
    async with make_http_client() as http:
        _, tokens, _ = await _browser_login(target, http)
        stored, _ = await record_login(target, tokens, store=store, http=http)
        save_login(home.settings_dir, stored)
        token = store.load(stored.secret_name)
        assert token == tokens.refresh_token

        # what the toolkit really publishes: no revocation endpoint in its OpenID discovery,
        # one in its RFC 8414 metadata, which Ferry reads in the issuer-path form first
        session = TokenSession(target, store=store, secret_name=stored.secret_name, http=http)
        metadata = await session.metadata()
        assert metadata.revocation_endpoint is None
        standard = oauth_metadata_urls(metadata.issuer)[0]
        assert "/.well-known/oauth-authorization-server/o" in standard
        assert (await http.get(standard)).json()["issuer"] == metadata.issuer
        endpoint = await find_revocation_endpoint(http, metadata)
        assert endpoint == f"{dot_provider.issuer}/revoke_token/"

    # Log out as ``ferry logout`` and the app do: revoked there, forgotten here
    outcome = await asyncio.to_thread(end_login, home, stored, store)
    assert outcome is LogoutOutcome.REVOKED
    assert store.load(stored.secret_name) is None
    assert not (home.settings_dir / LOGIN_FILE).exists()
    assert token is not None
    assert await _refused(metadata.token_endpoint, token, target.client_id) == "invalid_grant"
    async with httpx.AsyncClient() as plain:
        me = await plain.get(
            str(metadata.userinfo_endpoint),
            headers={"Authorization": f"Bearer {tokens.access_token}"},
        )
    assert me.status_code == 401  # the toolkit revokes the access token with its refresh token


async def test_a_provider_with_one_fixed_redirect_port(dot_provider: DotProvider) -> None:
    """``ferry-fixed-port`` is registered with exactly ``http://127.0.0.1:PORT/callback``: a
    port the OS picks is refused by the provider, the region's fixed port is accepted."""
    fixed = LoginTarget(
        "interop-dot",
        dot_provider.issuer,
        None,
        client_id="ferry-fixed-port",
        redirect_ports=(dot_provider.fixed_port,),
    )
    async with make_http_client() as http:
        # without the fixed port: the provider stops on an error page, Ferry never hears back
        picked = Login(dataclasses.replace(fixed, redirect_ports=()), http=http)
        url = await picked.begin()
        assert (
            picked._listener.redirect_uri != f"http://127.0.0.1:{dot_provider.fixed_port}/callback"
        )
        waiting = asyncio.create_task(picked.finish(60))
        page = await asyncio.to_thread(browse_login, url, "demo", "demo")
        assert "Mismatching redirect URI" in str(page["text"])
        assert str(page["url"]).startswith(dot_provider.issuer)
        picked.cancel()
        with pytest.raises(LoginCancelled):
            await waiting

        # with it: the browser comes back to exactly the registered URI, the login completes
        login, tokens, page = await _browser_login(fixed, http)
        assert login._listener.redirect_uri == (
            f"http://127.0.0.1:{dot_provider.fixed_port}/callback"
        )
        assert page["status"] == 200 and "You are logged in to Ferry" in str(page["text"])
        assert tokens.refresh_token
        # the code was exchanged with the same redirect URI; refreshing needs none
        async with oauth_client(fixed, with_scope=False) as oauth:
            metadata = await TokenSession(
                fixed, store=SecretStore(), secret_name="unused", http=http
            ).metadata()
            refreshed = await oauth.refresh_token(
                metadata.token_endpoint, refresh_token=tokens.refresh_token
            )
        assert refreshed["refresh_token"] != tokens.refresh_token
        with pytest.raises(OAuthError):
            async with oauth_client(fixed, with_scope=False) as oauth:
                await oauth.refresh_token(
                    metadata.token_endpoint, refresh_token=tokens.refresh_token
                )
