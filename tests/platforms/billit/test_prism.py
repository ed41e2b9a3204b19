"""Every request Ferry's Billit client can make, checked by Prism against Billit's description.

Prism (``prism mock --errors``, from tests/npm) serves the description with the overlay of
``description.corrected`` and refuses, with a 4xx and its ``sl-violations`` header, any request
the description does not allow: an unknown path, a missing login, a header, parameter or body
of the wrong type or content type. Its answers are its own examples, which Ferry's client may
well find odd (a ``"string"`` where base64 is due): what is checked here is the requests.

The listings' OData options (``$skip``, ``$top``, ``$filter``) are Billit's guides', not the
description's, which declares only ``fullTextSearch``: Prism checks the parameters declared
and lets others pass, so what is proved for them is that the rest of the request is right.
"""

from __future__ import annotations

import contextlib

import httpx
import pytest

from app.platform.errors import PlatformError
from app.platforms.billit.client import (
    ApiKey,
    BillitClient,
    OAuthLogin,
    OAuthTokens,
    request_token,
    revoke_token,
)
from app.platforms.billit.wire import RevokeRequest, TokenRequest
from tests.platforms.billit.conftest import Prism
from tests.platforms.billit.description import AnswerChecker

#: The operations of the description that Ferry's Billit client uses, all of them.
CLIENT_OPERATIONS = {
    "Account_GetAccountInformation",
    "Accountant_GetFeeds",
    "Accountant_PostFeeds",
    "Accountant_GetIndex",
    "Accountant_GetFile",
    "Accountant_PostConfirm",
    "Order_GetOrder",
    "Document_GetDocument",
    "Order_GetOrders",
    "Document_GetDocuments",
    "File_GetOrders",
    "OAuth2_PostToken",
    "OAuth2_PostTokenRevoke",
}


async def _every_call(billit: BillitClient) -> None:
    """Each method of the client once; Prism's example answers may not parse, which is not
    what this checks (a failed parse raises a PlatformError after the request was made)."""
    calls = [
        billit.account_information(),
        billit.feeds(),
        billit.register_feed("ferry-office-pc-1"),
        billit.feed_items("ferry-office-pc-1"),
        billit.feed_file("ferry-office-pc-1", 9001),
        billit.confirm("ferry-office-pc-1", 9001, server="OFFICE-PC", path="D:\\Boeken\\a.pdf"),
        billit.confirm("ferry-office-pc-1", 9002),
        billit.order(50001, 2001),
        billit.document(50002, 2001),
        # a full sync's listings: the first page, a later one, one order looked for by its id
        billit.orders_page(2001),
        billit.orders_page(2001, skip=120, top=120),
        billit.orders_page(2001, odata_filter="OrderID eq 50001"),
        billit.documents_page(2001, skip=120),
        billit.documents_page(2001, odata_filter="DocumentID eq 50002"),
        billit.file("3fa85f64-5717-4562-b3fc-2c963f66afa6", 2001, "order-50001"),
    ]
    for call in calls:
        with contextlib.suppress(PlatformError):
            await call


async def test_every_request_of_the_client_is_one_the_description_allows(
    prism: tuple[Prism, httpx.AsyncClient], checker: AnswerChecker
) -> None:
    server, http = prism
    await _every_call(BillitClient(server.url, ApiKey("key"), http, office_party_id=1000))

    token_url = f"{server.url}/OAuth2/token"
    code = TokenRequest(
        grant_type="authorization_code",
        client_id="ferry",
        client_secret="secret",
        code="code",
        redirect_uri="http://127.0.0.1:53682/callback",
    )
    # Prism answers {} (the description says only "an object"), which is no token answer.
    with pytest.raises(PlatformError):
        await request_token(http, token_url, code)
    login = OAuthLogin(token_url, "ferry", "secret", OAuthTokens("access-1", "refresh-1", None))
    with pytest.raises(PlatformError):
        await login.refresh(http)  # a refresh_token grant
    revoke = RevokeRequest(
        token="refresh-1", token_type_hint="refresh_token", client_id="ferry", client_secret="s"
    )
    await revoke_token(http, f"{server.url}/OAuth2/revoke", revoke)  # a logout
    login = OAuthLogin(token_url, "ferry", "secret", OAuthTokens("access-1", None, None))
    await _every_call(BillitClient(server.url, login, http, office_party_id=1000))

    assert server.violations() == []
    used = {
        str(checker.operation(a.request.method, a.request.url.path)[1]["operationId"])
        for a in server.answers
    }
    assert used == CLIENT_OPERATIONS
    assert len(server.answers) == 3 + 2 * 16  # 2 token calls, a revoke, every call twice


@pytest.mark.parametrize(
    ("method", "path", "options", "said"),
    [
        (
            "POST",
            "/v1/accountant/feeds/f/1/confirm",
            {"json": {"RemotePath": 5}},
            "RemotePath must be string",
        ),
        ("GET", "/v1/accountant/feeds/f/first", {}, "feeditemid must be integer"),
        ("GET", "/v1/files/9001", {}, 'must match format "uuid"'),  # a feed item's id
        ("GET", "/v1/accountant/feeds", {"headers": {"ApiKey": None}}, "Invalid security scheme"),
        ("GET", "/v1/accountant/feeds", {"headers": {"PartyID": "office"}}, "must be integer"),
        # a revocation that names no token (the overlay's body requires one)
        ("POST", "/OAuth2/revoke", {"json": {"client_id": "ferry"}}, "token"),
        # OAuth's usual form body, which the description does not pair with a body parameter
        (
            "POST",
            "/OAuth2/token",
            {"data": {"grant_type": "refresh_token"}},
            "Supported content types",
        ),
    ],
)
async def test_prism_refuses_a_request_the_description_does_not_allow(
    prism: tuple[Prism, httpx.AsyncClient],
    method: str,
    path: str,
    options: dict[str, object],
    said: str,
) -> None:
    """Proof that the check above can fail: requests a little off are refused."""
    server, http = prism
    options = dict(options)
    headers: dict[str, str | None] = {"ApiKey": "key", "PartyID": "1000"}
    extra = options.pop("headers", {})
    assert isinstance(extra, dict)
    headers.update(extra)
    sent = {k: v for k, v in headers.items() if v is not None}
    answer = await http.request(method, server.url + path, headers=sent, **options)  # type: ignore[arg-type]
    assert 400 <= answer.status_code < 500
    [violation] = server.violations()
    assert said in violation
