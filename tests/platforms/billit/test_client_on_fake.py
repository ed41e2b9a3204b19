"""Ferry's Billit client against the stateful fake, every answer checked against the description.

The fake runs over real HTTP on 127.0.0.1; the client's httpx client checks each answer against
Billit's description before the client parses it (see conftest), so these tests also prove that
the fake speaks Billit's wire format.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib

import httpx
import pytest

from app.api.models import Document, DocumentKind
from app.core.failures import FailureCode
from app.platform.errors import PlatformError
from app.platforms.billit.client import (
    ApiKey,
    BillitClient,
    OAuthLogin,
    OAuthTokens,
    request_token,
    revoke_token,
)
from app.platforms.billit.fake import BillitFake
from app.platforms.billit.mapping import to_document
from app.platforms.billit.wire import FeedItem, RevokeRequest, TokenRequest
from tests.platforms.billit.conftest import FEED_INTERVAL_S
from tests.platforms.billit.description import AnswerChecker

FEED = "ferry-office-pc-1"


async def _items_after_wait(billit: BillitClient) -> list[FeedItem]:
    """The feed, read once the fake's interval since the last read has passed."""
    await asyncio.sleep(FEED_INTERVAL_S + 0.1)
    return await billit.feed_items(FEED)


async def test_register_read_fetch_confirm(
    fake: BillitFake, billit: BillitClient, checker: AnswerChecker
) -> None:
    before = len(checker.checked)
    client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    fake.add_order(client, number="OLD-1")  # exported before the feed existed: not in it

    assert await billit.register_feed(FEED) is True
    assert await billit.register_feed(FEED) is False  # listed first, not registered twice
    registrations = [r for r in fake.requests if r[:2] == ("POST", "/v1/accountant/feeds")]
    assert len(registrations) == 1

    invoice = fake.add_order(client, number="INV-7", content=b"%PDF-1.7 invoice 7")
    statement = fake.add_document(client, file_name="0001.cod", content=b"0000014032512345")

    items = await billit.feed_items(FEED)
    assert [(i.entity_type, i.entity_id, i.party_id) for i in items] == [
        ("Order", invoice.entity_id, client),
        ("Document", statement.entity_id, client),
    ]
    for item, entity in zip(items, (invoice, statement), strict=True):
        assert item.feed_item_id is not None
        file = await billit.feed_file(FEED, item.feed_item_id)
        assert file.content == entity.content
        assert file.name == entity.file_name
        assert file.sha256 == hashlib.sha256(entity.content).hexdigest()
        await billit.confirm(
            FEED, item.feed_item_id, server="OFFICE-PC", path=f"D:\\Boekhouding\\{file.name}"
        )

    assert await _items_after_wait(billit) == []
    assert fake.unconfirmed(FEED) == []
    assert [
        (c.item_id, c.remote_server_name, c.remote_path, c.changed) for c in fake.confirmations
    ] == [
        (items[0].feed_item_id, "OFFICE-PC", "D:\\Boekhouding\\invoice.pdf", True),
        (items[1].feed_item_id, "OFFICE-PC", "D:\\Boekhouding\\0001.cod", True),
    ]
    operations = {c.operation_id for c in checker.checked[before:]}
    assert {
        "Accountant_GetFeeds",
        "Accountant_PostFeeds",
        "Accountant_GetIndex",
        "Accountant_GetFile",
        "Accountant_PostConfirm",
    } <= operations


async def test_unconfirmed_items_stay_in_the_feed(fake: BillitFake, billit: BillitClient) -> None:
    await billit.register_feed(FEED)
    client = fake.add_client("Garage Willems", "BE0987654312")
    fake.add_order(client, number="A-1")
    fake.add_order(client, number="A-2")

    first = await billit.feed_items(FEED)
    assert len(first) == 2
    assert first[0].feed_item_id is not None
    await billit.confirm(FEED, first[0].feed_item_id)  # only the first was delivered

    assert await _items_after_wait(billit) == first[1:]
    assert await _items_after_wait(billit) == first[1:]


async def test_a_second_read_within_the_interval_is_busy_with_its_delay(
    fake: BillitFake, billit: BillitClient
) -> None:
    await billit.register_feed(FEED)
    await billit.feed_items(FEED)

    with pytest.raises(PlatformError) as raised:
        await billit.feed_items(FEED)
    error = raised.value
    assert error.status == 429
    assert error.failure.code is FailureCode.PLATFORM_BUSY
    assert error.transient
    assert error.retry_after is not None and 1 <= error.retry_after <= FEED_INTERVAL_S + 1
    assert error.failure.param("retry_at") is not None  # the person is told when

    await asyncio.sleep(error.retry_after)
    assert await billit.feed_items(FEED) == []  # honouring Retry-After is enough


async def test_a_file_that_does_not_match_its_sha256_is_refused_and_stays(
    fake: BillitFake, billit: BillitClient
) -> None:
    await billit.register_feed(FEED)
    client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    fake.announce_wrong_sha256(fake.add_order(client, file_name="inv.pdf"))
    [item] = await billit.feed_items(FEED)
    assert item.feed_item_id is not None

    with pytest.raises(PlatformError) as raised:
        await billit.feed_file(FEED, item.feed_item_id)
    assert raised.value.failure.code is FailureCode.CHECKSUM
    assert raised.value.failure.param("name") == "inv.pdf"
    assert not raised.value.transient  # a person must know; Billit's support must fix it
    assert fake.unconfirmed(FEED) == [item.feed_item_id]


async def test_items_map_to_documents_of_the_right_kind(
    fake: BillitFake, billit: BillitClient
) -> None:
    await billit.register_feed(FEED)
    client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    fake.add_order(client, direction="Cost", number="P-1", total_incl=1234.5, counterparty="Acme")
    fake.add_order(client, direction="Income", number="S-1", date=dt.date(2025, 1, 31))
    fake.add_document(client, file_name="statement.coda", content=b"0000014032512345")
    fake.add_document(client, name="Huurcontract", file_name="lease.pdf")
    seen_at = dt.datetime.now(dt.UTC)

    documents: list[Document] = []
    for item in await billit.feed_items(FEED):
        assert item.feed_item_id is not None and item.entity_id is not None
        entity = (
            await billit.order(item.entity_id, item.party_id)
            if item.entity_type == "Order"
            else await billit.document(item.entity_id, item.party_id)
        )
        file = await billit.feed_file(FEED, item.feed_item_id)
        mapped = to_document(item, entity, file, seen_at=seen_at)
        assert isinstance(mapped, Document), mapped
        documents.append(mapped)

    assert [d.kind for d in documents] == [
        DocumentKind.PURCHASE,
        DocumentKind.SALES,
        DocumentKind.STATEMENT,
        DocumentKind.OTHER,
    ]
    purchase, sales = documents[0], documents[1]
    assert (purchase.number, str(purchase.amount), purchase.currency) == ("P-1", "1234.5", "EUR")
    assert purchase.counterparty == "Acme"
    assert purchase.client_id == str(client)
    assert sales.issue_date == dt.date(2025, 1, 31)
    assert {d.files[0].media_type for d in documents[2:]} == {"text/plain", "application/pdf"}


async def test_a_clients_order_needs_the_client_and_the_accountant_in_the_headers(
    fake: BillitFake, billit: BillitClient
) -> None:
    client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    order = fake.add_order(client, number="INV-9")

    read = await billit.order(order.entity_id, client)
    assert read.order_number == "INV-9"
    [(_, _, headers)] = [r for r in fake.requests if r[1] == f"/v1/orders/{order.entity_id}"]
    assert (headers["partyid"], headers["contextpartyid"]) == (str(client), "1000")

    with pytest.raises(PlatformError) as raised:  # as the office, not for the client
        await billit.order(order.entity_id, fake.office_party_id)
    assert raised.value.status == 400
    assert raised.value.failure.code is FailureCode.PLATFORM_REFUSED
    assert "ContextPartyID" in (raised.value.failure.param("detail") or "")


async def test_account_information_lists_the_office_and_its_clients(
    fake: BillitFake, billit: BillitClient
) -> None:
    client = fake.add_client("Garage Willems", "BE0987654312")
    account = await billit.account_information()
    assert account.email == fake.email
    assert [(c.party_id, c.name) for c in account.companies or []] == [
        (1000, fake.office_name),
        (client, "Garage Willems"),
    ]


async def test_a_wrong_api_key_is_a_refused_login(
    fake: BillitFake, checked_http: httpx.AsyncClient
) -> None:
    billit = BillitClient(fake.url, ApiKey("not-the-key"), checked_http, office_party_id=1000)
    with pytest.raises(PlatformError) as raised:
        await billit.feeds()
    assert raised.value.failure.code is FailureCode.LOGIN_REFUSED
    assert not raised.value.transient


async def _oauth_tokens(fake: BillitFake, http: httpx.AsyncClient) -> OAuthTokens:
    answer = await request_token(
        http,
        fake.token_url,
        TokenRequest(
            grant_type="authorization_code",
            client_id=fake.client_id,
            client_secret=fake.client_secret,
            code=fake.issue_code(),
            redirect_uri="http://127.0.0.1:53682/callback",
        ),
    )
    return OAuthTokens(answer.access_token, answer.refresh_token, None)


async def test_a_refresh_token_is_single_use_and_rotates(
    fake: BillitFake, checked_http: httpx.AsyncClient
) -> None:
    first = await _oauth_tokens(fake, checked_http)
    rotated: list[OAuthTokens] = []

    async def keep(tokens: OAuthTokens) -> None:
        rotated.append(tokens)

    login = OAuthLogin(fake.token_url, fake.client_id, fake.client_secret, first, on_rotate=keep)
    second = await login.refresh(checked_http)
    assert rotated == [second]
    assert second.refresh_token not in (None, first.refresh_token)
    assert second.access_token != first.access_token

    billit = BillitClient(fake.url, login, checked_http, office_party_id=1000)
    assert (await billit.account_information()).email == fake.email

    stale = OAuthLogin(fake.token_url, fake.client_id, fake.client_secret, first)
    with pytest.raises(PlatformError) as raised:  # the same refresh token a second time
        await stale.refresh(checked_http)
    assert raised.value.failure.code is FailureCode.LOGIN_REFUSED
    assert "already used" in (raised.value.failure.param("detail") or "")

    assert (await login.refresh(checked_http)).refresh_token != second.refresh_token


async def test_a_revoked_refresh_token_no_longer_refreshes(
    fake: BillitFake, checked_http: httpx.AsyncClient
) -> None:
    """``POST /OAuth2/revoke`` with the client's credentials kills the refresh token for good
    (each answer checked against the description); a wrong secret revokes nothing."""
    tokens = await _oauth_tokens(fake, checked_http)
    assert tokens.refresh_token
    revoke_at = fake.url + "/OAuth2/revoke"

    def body(secret: str) -> RevokeRequest:
        assert tokens.refresh_token
        return RevokeRequest(
            token=tokens.refresh_token,
            token_type_hint="refresh_token",
            client_id=fake.client_id,
            client_secret=secret,
        )

    with pytest.raises(PlatformError) as raised:
        await revoke_token(checked_http, revoke_at, body("not-the-secret"))
    assert raised.value.failure.code is FailureCode.LOGIN_REFUSED
    assert fake.revoked == []

    await revoke_token(checked_http, revoke_at, body(fake.client_secret))
    assert fake.revoked == [tokens.refresh_token]
    await revoke_token(checked_http, revoke_at, body(fake.client_secret))  # dead: 200 again
    assert fake.revoked == [tokens.refresh_token]
    login = OAuthLogin(fake.token_url, fake.client_id, fake.client_secret, tokens)
    with pytest.raises(PlatformError) as raised:
        await login.refresh(checked_http)
    assert raised.value.failure.code is FailureCode.LOGIN_REFUSED


async def test_a_refused_access_token_is_renewed_once_and_the_call_repeated(
    fake: BillitFake, checked_http: httpx.AsyncClient
) -> None:
    tokens = await _oauth_tokens(fake, checked_http)
    lapsed = OAuthTokens("lapsed-access-token", tokens.refresh_token, None)
    login = OAuthLogin(fake.token_url, fake.client_id, fake.client_secret, lapsed)
    billit = BillitClient(fake.url, login, checked_http, office_party_id=1000)

    assert await billit.feeds() == []
    assert login.tokens.access_token != "lapsed-access-token"
    assert login.tokens.refresh_token != tokens.refresh_token


async def test_two_calls_finding_the_token_refused_spend_the_refresh_token_once(
    fake: BillitFake, checked_http: httpx.AsyncClient
) -> None:
    tokens = await _oauth_tokens(fake, checked_http)
    lapsed = OAuthTokens("lapsed-access-token", tokens.refresh_token, None)
    login = OAuthLogin(fake.token_url, fake.client_id, fake.client_secret, lapsed)
    billit = BillitClient(fake.url, login, checked_http, office_party_id=1000)

    await asyncio.gather(billit.feeds(), billit.account_information(), billit.feeds())
    refreshes = [r for r in fake.requests if r[1] == "/OAuth2/token"]
    assert len(refreshes) == 2  # the code, then one refresh for the three calls


# --- the listings (a full sync) and a file by its FileID ------------------------------------


async def test_a_clients_orders_and_documents_are_listed_page_by_page(
    fake: BillitFake, billit: BillitClient, checker: AnswerChecker
) -> None:
    """Every order a client exported, feed or not, a page at a time as Billit pages them
    (``$skip``, ``$top``, ``NextPageLink`` while more are left, ``Count``); its documents
    likewise; another client's are not in it. Each answer is checked against the
    description (the fixture's http client)."""
    before = len(checker.checked)
    client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    other = fake.add_client("Garage Willems", "BE0987654312")
    orders = [fake.add_order(client, number=f"P-{n}") for n in range(5)]
    fake.add_order(other, number="NOT-OURS")
    statement = fake.add_document(client, file_name="0001.cod")

    first = await billit.orders_page(client, top=2)
    assert [o.order_number for o in first.items or []] == ["P-0", "P-1"]
    assert first.count == 5 and first.next_page_link
    rest = await billit.orders_page(client, skip=2, top=120)
    assert [o.order_number for o in rest.items or []] == ["P-2", "P-3", "P-4"]
    assert rest.next_page_link is None
    assert (rest.items or [])[0].order_pdf is not None  # the file named, not carried
    assert (rest.items or [])[0].order_pdf.file_content is None  # type: ignore[union-attr]

    filtered = await billit.orders_page(client, odata_filter=f"OrderID eq {orders[3].entity_id}")
    assert [o.order_id for o in filtered.items or []] == [orders[3].entity_id]
    documents = await billit.documents_page(client)
    assert [d.document_id for d in documents.items or []] == [statement.entity_id]

    listed = [r for r in fake.requests if r[1] in ("/v1/orders", "/v1/documents")]
    assert {(h["partyid"], h["contextpartyid"]) for _, _, h in listed} == {(str(client), "1000")}
    operations = {c.operation_id for c in checker.checked[before:]}
    assert {"Order_GetOrders", "Document_GetDocuments"} <= operations


async def test_an_orders_file_is_read_by_its_file_id_for_its_client_only(
    fake: BillitFake, billit: BillitClient, checker: AnswerChecker
) -> None:
    client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    other = fake.add_client("Garage Willems", "BE0987654312")
    order = fake.add_order(client, file_name="inv-9.pdf", content=b"%PDF-1.7 nine")
    read = await billit.order(order.entity_id, client)
    assert read.order_pdf is not None and read.order_pdf.file_id == order.file_id

    file = await billit.file(order.file_id, client, "order-1")
    assert (file.name, file.content) == ("inv-9.pdf", b"%PDF-1.7 nine")
    assert file.sha256 == hashlib.sha256(b"%PDF-1.7 nine").hexdigest()
    with pytest.raises(PlatformError) as raised:
        await billit.file(order.file_id, other, "order-1")
    assert raised.value.failure.code is FailureCode.PLATFORM_NOT_FOUND
    assert "File_GetOrders" in {c.operation_id for c in checker.checked}
