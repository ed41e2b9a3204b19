"""The mapping's rules, one by one, on payloads spelt as Billit spells them."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import pytest

from app.api.models import Document, DocumentKind
from app.core.failures import Failure, FailureCode
from app.platforms.billit.client import FeedFile
from app.platforms.billit.mapping import Unmappable, to_document
from app.platforms.billit.wire import DocumentView, FeedItem, Order

SEEN_AT = dt.datetime(2026, 4, 3, 12, 0, tzinfo=dt.UTC)
CONTENT = b"%PDF-1.7 invoice"
A_DOCUMENT = DocumentView.model_validate({"DocumentID": 77})
FILE = FeedFile("INV 7.pdf", CONTENT, hashlib.sha256(CONTENT).hexdigest())


def _item(**changes: Any) -> FeedItem:
    wire = {"FeedItemID": 9001, "EntityID": 77, "EntityType": "Order", "PartyID": 2001}
    wire.update(changes)
    return FeedItem.model_validate({k: v for k, v in wire.items() if v is not None})


def _order(**changes: Any) -> Order:
    wire = {
        "OrderID": 77,
        "OrderNumber": "INV-7",
        "OrderDirection": "Cost",
        "OrderDate": "2025-03-14T00:00:00",  # as .NET writes it: no zone
        "TotalIncl": 0.1 + 0.2,
        "Currency": "EUR",
        "Supplier": {"Name": "Brouwerij De Koninck NV"},
    }
    wire.update(changes)
    return Order.model_validate({k: v for k, v in wire.items() if v is not None})


def test_a_purchase_invoice() -> None:
    mapped = to_document(_item(), _order(), FILE, seen_at=SEEN_AT)
    assert isinstance(mapped, Document)
    assert (mapped.id, mapped.client_id, mapped.kind) == ("order-77", "2001", DocumentKind.PURCHASE)
    assert (mapped.number, mapped.issue_date) == ("INV-7", dt.date(2025, 3, 14))
    assert mapped.amount == Decimal("0.30000000000000004")  # the float as sent, not rounded
    assert mapped.counterparty == "Brouwerij De Koninck NV"
    assert mapped.created_at == SEEN_AT  # Billit gave no Created
    [file] = mapped.files
    assert (file.id, file.name, file.media_type, file.size) == (
        "9001",
        "INV 7.pdf",
        "application/pdf",
        len(CONTENT),
    )


def test_an_order_without_a_number_yet_keeps_its_id_as_number() -> None:
    mapped = to_document(_item(), _order(OrderNumber="  "), FILE, seen_at=SEEN_AT)
    assert isinstance(mapped, Document) and mapped.number == "77"


def test_a_time_without_zone_is_taken_as_utc() -> None:
    mapped = to_document(_item(), _order(Created="2025-03-14T09:30:00"), FILE, seen_at=SEEN_AT)
    assert isinstance(mapped, Document)
    assert mapped.created_at == dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("item", "entity", "field", "problem"),
    [
        (_item(EntityType="Invoice"), _order(), "EntityType", Unmappable.UNKNOWN_VALUE),
        (_item(), _order(OrderDirection="Outgoing"), "OrderDirection", Unmappable.UNKNOWN_VALUE),
        (_item(), _order(OrderDirection=None), "OrderDirection", Unmappable.MISSING),
        (_item(), _order(OrderID=78), "OrderID", Unmappable.MISMATCH),
        (_item(), A_DOCUMENT, "EntityType", Unmappable.MISMATCH),
        (_item(), None, "EntityType", Unmappable.MISMATCH),
        (_item(PartyID=None), _order(), "PartyID", Unmappable.MISSING),
        (_item(), _order(OrderDate=None), "OrderDate", Unmappable.MISSING),
    ],
)
def test_what_cannot_be_mapped_fails_in_plain_words(
    item: FeedItem, entity: Order | DocumentView | None, field: str, problem: Unmappable
) -> None:
    failure = to_document(item, entity, FILE, seen_at=SEEN_AT)
    assert isinstance(failure, Failure)
    assert failure.code is FailureCode.PLATFORM_NOT_UNDERSTOOD
    assert (failure.param("field"), failure.param("problem")) == (field, problem.value)
    assert failure.param("document") == "9001"
    assert failure.message() == (
        "The platform's answer while reading document 9001 was not understood; check the API "
        "address in Ferry's settings."
    )
