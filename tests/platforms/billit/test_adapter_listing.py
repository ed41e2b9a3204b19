"""The adapter's listing for a full sync, against the fake over real HTTP, answers checked.

``BillitPlatform.documents_page`` walks each client's orders, then its documents, one Billit
page per call under a cursor it owns; these tests walk it as the engine does (the cursor
handed back until there is none) and check what a cursor may hold, what the filters keep,
and that memory holds one page: no call answers more than ``limit``.
"""

from __future__ import annotations

import pytest

from app.api.models import Document
from app.platforms.billit.adapter import (
    BillitPlatform,
    ListingCursor,
    decode_listing_cursor,
    encode_listing_cursor,
)
from app.platforms.billit.client import BillitClient
from app.platforms.billit.fake import BillitFake
from app.platforms.billit.mapping import document_id

FEED = "ferry-listing-test"


async def _walk(adapter: BillitPlatform, **filters: object) -> tuple[list[Document], int]:
    """Every page of a listing, as the engine's full sync reads it; and how many calls."""
    found: list[Document] = []
    cursor: str | None = None
    calls = 0
    while True:
        page = await adapter.documents_page(cursor=cursor, **filters)  # type: ignore[arg-type]
        calls += 1
        assert len(page.items) <= int(filters.get("limit", 200))  # type: ignore[call-overload]
        found.extend(page.items)
        if page.next_cursor is None:
            return found, calls
        assert page.next_cursor != cursor, "a cursor that does not move on"
        cursor = page.next_cursor
        assert calls < 1000


async def test_the_listing_walks_every_client_orders_then_documents(
    fake: BillitFake, billit: BillitClient
) -> None:
    bakery = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    garage = fake.add_client("Garage Willems", "BE0987654312")
    exported = [
        fake.add_order(bakery, number="P-1", direction="Cost"),
        fake.add_order(bakery, number="S-1", direction="Income", counterparty="Klant NV"),
        fake.add_document(bakery, file_name="0001.cod"),
        fake.add_order(garage, number="P-2"),
        fake.add_document(garage, file_name="lease.pdf"),
        fake.add_document(garage, file_name="other.pdf"),
    ]
    adapter = BillitPlatform(billit, FEED, feed_interval_s=1.5)

    everything, calls = await _walk(adapter, limit=2)
    ids = [document_id(e.entity_type, e.entity_id) for e in exported]
    assert [d.id for d in everything] == ids
    assert calls >= 4  # a page of 2 at most, four listings
    assert {d.files == [] and d.status.value == "to_fetch" for d in everything} == {True}
    assert [d.kind.value for d in everything] == [
        "purchase",
        "sales",
        "statement",
        "purchase",
        "other",
        "other",
    ]
    assert {d.client_id for d in everything[:3]} == {str(bakery)}

    garages, _ = await _walk(adapter, client_id=str(garage))
    assert [d.id for d in garages] == ids[3:]
    sales, _ = await _walk(adapter, kind="sales")
    assert [d.number for d in sales] == ["S-1"]
    assert [d.id for d in (await _walk(adapter, q="klant"))[0]] == [ids[1]]
    assert (await _walk(adapter, status="forwarded"))[0] == []
    assert (await _walk(adapter, kind="receipt"))[0] == []


async def test_a_kind_reads_only_the_listing_that_can_hold_it(
    fake: BillitFake, billit: BillitClient
) -> None:
    client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    fake.add_order(client)
    fake.add_document(client, file_name="0001.cod")
    adapter = BillitPlatform(billit, FEED, feed_interval_s=1.5)
    statements, _ = await _walk(adapter, kind="statement")
    assert [d.kind.value for d in statements] == ["statement"]
    assert [path for _, path, _ in fake.requests if path == "/v1/orders"] == []


async def test_a_client_the_account_does_not_reach_lists_nothing(
    fake: BillitFake, billit: BillitClient
) -> None:
    fake.add_order(fake.add_client("Bakkerij Peeters BV", "BE0123456749"))
    adapter = BillitPlatform(billit, FEED, feed_interval_s=1.5)
    for client_id in ("999999", "not-a-party", str(fake.office_party_id)):
        page = await adapter.documents_page(client_id=client_id)
        assert (page.items, page.next_cursor) == ([], None)


@pytest.mark.parametrize(
    "cursor",
    [
        ListingCursor(2001, "order", 0),
        ListingCursor(2_147_483_647, "document", 120),
    ],
)
def test_a_listing_cursor_reads_back_as_written(cursor: ListingCursor) -> None:
    assert decode_listing_cursor(encode_listing_cursor(cursor)) == cursor


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "billit1:9001,9002",
        "billitlist1:",
        "billitlist1:2001:invoice:0",
        "billitlist1:x:order:0",
        "billitlist1:2001:order:-1",
    ],
)
def test_a_cursor_the_listing_did_not_make_starts_it_again(text: str | None) -> None:
    assert decode_listing_cursor(text) is None


async def test_a_cursor_of_another_listing_starts_this_one_from_its_beginning(
    fake: BillitFake, billit: BillitClient
) -> None:
    bakery = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    garage = fake.add_client("Garage Willems", "BE0987654312")
    fake.add_order(bakery, number="P-1")
    fake.add_order(garage, number="P-2")
    adapter = BillitPlatform(billit, FEED, feed_interval_s=1.5)
    bakery_cursor = encode_listing_cursor(ListingCursor(bakery, "order", 0))
    page = await adapter.documents_page(client_id=str(garage), cursor=bakery_cursor)
    assert [d.number for d in page.items] == ["P-2"]
