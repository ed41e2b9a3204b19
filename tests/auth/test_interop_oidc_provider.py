"""Ferry's login against a certified OpenID provider (panva/oidc-provider), through a real
headless Chromium, with the refresh token kept in a real Secret Service."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from app.auth.authlib_httpx import OAuthError
from app.auth.login import Login, LoginTarget, Tokens, oauth_client
from app.auth.secret_store import SecretStore
from app.auth.session import BearerAuth, LoginNeeded, TokenSession
from app.platform.client import make_http_client
from tests.auth.conftest import browse_login

pytestmark = pytest.mark.usefixtures("secret_service")


async def _browser_login(
    target: LoginTarget, http: httpx.AsyncClient, user: str
) -> tuple[Login, Tokens, dict[str, object]]:
    login = Login(target, http=http)
    url = await login.begin()
    assert "code_challenge_method=S256" in url and "state=" in url and "nonce=" in url
    finishing = asyncio.create_task(login.finish(60))
    page = await asyncio.to_thread(browse_login, url, user, "any-password")
    return login, await finishing, page


async def test_login_refresh_rotation_and_revocation(oidc_provider: str) -> None:
    target = LoginTarget("interop", oidc_provider, None)
    store = SecretStore()
    name = "refresh-token:interop:alice"
    told: list[str] = []
    async with make_http_client() as http:
        _, tokens, page = await _browser_login(target, http, "alice")
        assert page["status"] == 200
        assert "You are logged in to Ferry as Test alice; you can close this tab." in str(
            page["text"]
        )
        assert tokens.claims["sub"] == "alice" and tokens.refresh_token

        metadata = await TokenSession(target, store=store, secret_name=name, http=http).metadata()
        store.save(name, tokens.refresh_token)
        session = TokenSession(
            target,
            store=store,
            secret_name=name,
            http=http,
            tokens=tokens,
            on_login_needed=told.append,
        )

        # refresh with rotation: a new refresh token, written to the keyring at once
        first = tokens.refresh_token
        fresh_access = await session.refresh(stale=tokens.access_token)
        assert fresh_access != tokens.access_token
        second = store.load(name)
        assert second and second != first

        # a 401 from a resource server triggers exactly one refresh and a retry
        assert metadata.userinfo_endpoint
        session._tokens.access_token = "not-a-valid-token"  # type: ignore[union-attr]
        refreshes = session.refreshes
        me = await http.get(metadata.userinfo_endpoint, auth=BearerAuth(session))
        assert me.status_code == 200 and me.json()["sub"] == "alice"
        assert session.refreshes == refreshes + 1
        third = store.load(name)
        assert third and third != second

        # revoked at the server (RFC 7009): the next refresh moves to Login needed, once
        assert metadata.revocation_endpoint
        async with oauth_client(target) as oauth:
            await oauth.revoke_token(
                metadata.revocation_endpoint, token=third, token_type_hint="refresh_token"
            )
        with pytest.raises(LoginNeeded):
            await session.refresh(stale=session._tokens.access_token)  # type: ignore[union-attr]
        with pytest.raises(LoginNeeded):
            await session.access_token()
        assert len(told) == 1 and session.login_needed


async def test_reusing_a_rotated_refresh_token_is_refused(oidc_provider: str) -> None:
    target = LoginTarget("interop", oidc_provider, None)
    store = SecretStore()
    name = "refresh-token:interop:bob"
    async with make_http_client() as http:
        _, tokens, _ = await _browser_login(target, http, "bob")
        old = tokens.refresh_token
        assert old
        store.save(name, old)
        session = TokenSession(target, store=store, secret_name=name, http=http, tokens=tokens)
        await session.refresh(stale=tokens.access_token)
        assert store.load(name) != old
        # someone replays the old token: the provider refuses it
        stale = TokenSession(
            target,
            store=store,
            secret_name=name,
            http=http,
            tokens=Tokens("x", old, 0.0),
        )
        with pytest.raises(LoginNeeded, match="no longer accepts this login"):
            await stale.access_token()


async def test_a_replayed_code_is_refused_and_oidc_provider_revokes_what_it_gave(
    oidc_provider: str,
) -> None:
    """Every provider must refuse a code used twice (RFC 6749 4.1.2: "MUST deny"). That the
    tokens the code already gave are then revoked is oidc-provider's behaviour, which RFC 6749
    only recommends ("SHOULD revoke (when possible)"): other providers may keep them, so
    Ferry relies on the refusal alone."""
    target = LoginTarget("interop", oidc_provider, None)
    store = SecretStore()
    name = "refresh-token:interop:carol"
    async with make_http_client() as http:
        login, tokens, page = await _browser_login(target, http, "carol")
        code = parse_qs(urlsplit(str(page["url"])).query)["code"][0]
        session = TokenSession(target, store=store, secret_name=name, http=http, tokens=tokens)
        metadata = await session.metadata()
        async with oauth_client(target, redirect_uri=login._listener.redirect_uri) as oauth:
            with pytest.raises(OAuthError) as replay:
                await oauth.fetch_token(
                    metadata.token_endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=login._verifier,
                )
        assert replay.value.error == "invalid_grant"
        # oidc-provider's behaviour, not a requirement of every provider (RFC 6749 4.1.2 says
        # SHOULD): it revokes what the code gave, so Ferry then needs a login
        with pytest.raises(LoginNeeded):
            await session.refresh(stale=tokens.access_token)
