"""A Billit feed item, with the order or document it names and its file, as a Ferry document.

Pure: no network, no disk, no clock (the moment the feed was read is passed in). Whatever Billit
sends, the answer is a valid :class:`~app.api.models.Document` or a
:class:`~app.core.failures.Failure` that words itself; nothing raises, so one odd item can
never stop the feed for the others.

How Billit's fields become Ferry's:

- the document id is the entity's (``order-<EntityID>`` or ``document-<EntityID>``), not the
  feed item's: the same order exported twice is one document for Ferry; the feed item id
  becomes the id of the document's one file, since that is what the file is fetched and
  confirmed by;
- ``client_id`` is the item's ``PartyID`` (the client company that uploaded it);
- the kind: an order whose ``OrderDirection`` is ``Income`` is a sales invoice, ``Cost`` a
  purchase invoice (credit notes included, as the accounting software files them there too);
  a document is a bank statement when its file is a CODA file (``.cod``, ``.coda``: the feed's
  file call is described as "download a coda file"), otherwise another document;
- the number is the order's ``OrderNumber`` (the entity id when Billit has none yet, as for a
  purchase invoice still being read), a document's id otherwise; the date is the order's
  ``OrderDate`` (or its ``Created``), a document's ``DocumentDate`` (or its ``CreationDate``,
  or the moment the feed was read); times without a zone are taken as UTC;
- the amount is ``TotalIncl``, carried as a decimal from the float Billit sends.

A failure is ``platform_not_understood`` while reading the document, with the wire ``field``
that was wrong and the ``problem`` (:class:`Unmappable`), so logs and support can see which.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any, TypeVar

from pydantic import ValidationError

from app.api.models import DeliveryStatus, Document, DocumentFile, DocumentKind
from app.core.failures import Action, Failure, FailureCode
from app.platforms.billit.client import FeedFile
from app.platforms.billit.wire import DocumentView, FeedItem, Order, Party

__all__ = ["Unmappable", "document_id", "entity_document", "listed_document", "to_document"]

T = TypeVar("T")

#: ``EntityType`` values, compared without case ("Order or Document", says the description).
ORDER = "order"
DOCUMENT = "document"

#: ``OrderDirection`` values and the kind each one is.
_DIRECTIONS = {"income": DocumentKind.SALES, "cost": DocumentKind.PURCHASE}

#: File name endings of CODA bank statements (the Belgian banks' statement format).
_CODA_SUFFIXES = frozenset({".cod", ".coda"})

#: Media types by file name ending; a fixed table, since the system's own (the Windows
#: registry, /etc/mime.types) differs between machines.
_MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".xml": "application/xml",
    ".ubl": "application/xml",
    ".cod": "text/plain",
    ".coda": "text/plain",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".zip": "application/zip",
}


class Unmappable(StrEnum):
    """Why a field kept an item from becoming a document (the ``problem`` parameter)."""

    MISSING = "missing"
    """Billit left out a value Ferry cannot do without."""
    UNKNOWN_VALUE = "unknown_value"
    """A value Ferry does not know what to do with (an ``EntityType`` or ``OrderDirection``)."""
    MISMATCH = "mismatch"
    """The order or document fetched is not the one the item names."""
    INVALID = "invalid"
    """The values do not make a valid document (Ferry's own model refused them)."""


class _NotMapped(Exception):
    """Internal: carries the failure out of the helpers; never leaves :func:`to_document`."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.code.value)
        self.failure = failure


def document_id(entity_type: str, entity_id: int) -> str:
    """Ferry's id of a Billit order or document: stable across feed items."""
    return f"{entity_type.strip().lower()}-{entity_id}"


def to_document(
    item: FeedItem,
    entity: Order | DocumentView | None,
    file: FeedFile,
    *,
    seen_at: dt.datetime,
) -> Document | Failure:
    """The Ferry document for ``item`` (still *To fetch*), or why there can be none.

    ``entity`` is what the Order or Document API answered for the item's ``EntityID``;
    ``file`` the item's file, decoded and checked; ``seen_at`` when the feed was read (the
    creation time of a document Billit gives none for).
    """
    # How the failure names the item: its feed item id, else its entity's id (a dash when
    # Billit gave neither, which the sentence shows as it is).
    known = item.feed_item_id if item.feed_item_id is not None else item.entity_id
    name = str(known) if known is not None else "—"
    try:
        return _document(item, entity, file, seen_at, name)
    except _NotMapped as not_mapped:
        return not_mapped.failure
    except (ValidationError, ValueError, ArithmeticError, OverflowError):
        return _failure(name, "Document", Unmappable.INVALID)


def _failure(document: str, field: str, problem: Unmappable, value: object = None) -> Failure:
    shown = None if value is None else str(value)[:100]
    return Failure.of(
        FailureCode.PLATFORM_NOT_UNDERSTOOD,
        action=Action.READ_DOCUMENT.value,
        document=document,
        field=field,
        problem=problem.value,
        value=shown,
    )


def _need(value: T | None, document: str, field: str) -> T:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _NotMapped(_failure(document, field, Unmappable.MISSING))
    return value


def _document(
    item: FeedItem,
    entity: Order | DocumentView | None,
    file: FeedFile,
    seen_at: dt.datetime,
    name: str,
) -> Document:
    file_id = _need(item.feed_item_id, name, "FeedItemID")
    entity_id = _need(item.entity_id, name, "EntityID")
    party_id = _need(item.party_id, name, "PartyID")
    entity_type = _need(item.entity_type, name, "EntityType").strip().lower()
    file_name = _need(file.name, name, "FileName").strip()
    fields = _described(entity_type, entity_id, entity, file_name, _aware(seen_at), name)
    return Document(
        **fields,
        client_id=str(party_id),
        status=DeliveryStatus.TO_FETCH,
        files=[_file(str(file_id), file_name, file)],
    )


def listed_document(
    entity_type: str, entity: Order | DocumentView, party_id: int, *, seen_at: dt.datetime
) -> Document | Failure:
    """A Ferry document for one order or document of a listing (``GET /v1/orders``,
    ``GET /v1/documents``) of the client ``party_id``, or why there can be none.

    It carries no file: a listing holds no file's bytes and Billit names no digest, and a
    document's file is only known with its size and SHA-256 once downloaded (the engine reads
    the document with :func:`entity_document` before delivering it). Its status is *To
    fetch*: outside its feed, Billit keeps nothing Ferry can read to say it was delivered
    (Ferry's own state says that; it never writes a file twice).
    """
    kind = entity_type.strip().lower()
    known = entity.order_id if isinstance(entity, Order) else entity.document_id
    name = str(known) if known is not None else "—"
    try:
        entity_id = _need(known, name, "OrderID" if kind == ORDER else "DocumentID")
        file_name = _entity_file_name(entity)
        fields = _described(kind, entity_id, entity, file_name, _aware(seen_at), name)
        return Document(**fields, client_id=str(party_id), status=DeliveryStatus.TO_FETCH, files=[])
    except _NotMapped as not_mapped:
        return not_mapped.failure
    except (ValidationError, ValueError, ArithmeticError, OverflowError):
        return _failure(name, "Document", Unmappable.INVALID)


def entity_document(
    entity_type: str,
    entity: Order | DocumentView,
    party_id: int,
    file: FeedFile,
    file_id: str,
    *,
    seen_at: dt.datetime,
) -> Document | Failure:
    """The Ferry document for an order or document read by its id outside the feed (a
    document the feed let go, asked for again), with its file (``file_id``, Billit's
    ``FileID``) decoded and its SHA-256 computed; or why there can be none."""
    kind = entity_type.strip().lower()
    known = entity.order_id if isinstance(entity, Order) else entity.document_id
    name = str(known) if known is not None else "—"
    try:
        entity_id = _need(known, name, "OrderID" if kind == ORDER else "DocumentID")
        file_name = _need(file.name, name, "FileName").strip()
        fields = _described(kind, entity_id, entity, file_name, _aware(seen_at), name)
        return Document(
            **fields,
            client_id=str(party_id),
            status=DeliveryStatus.TO_FETCH,
            files=[_file(file_id, file_name, file)],
        )
    except _NotMapped as not_mapped:
        return not_mapped.failure
    except (ValidationError, ValueError, ArithmeticError, OverflowError):
        return _failure(name, "Document", Unmappable.INVALID)


def _entity_file_name(entity: Order | DocumentView) -> str:
    """The file name an order or document names for its file, or "" (a listing may leave
    its file out)."""
    file = entity.order_pdf if isinstance(entity, Order) else entity.file
    return ((file.file_name if file else None) or "").strip()


def _file(file_id: str, file_name: str, file: FeedFile) -> DocumentFile:
    return DocumentFile(
        id=file_id,
        name=file_name,
        media_type=_MEDIA_TYPES.get(
            PurePosixPath(file_name.lower()).suffix, "application/octet-stream"
        ),
        size=file.size,
        sha256=file.sha256,
    )


def _described(
    entity_type: str,
    entity_id: int,
    entity: Order | DocumentView | None,
    file_name: str,
    seen: dt.datetime,
    name: str,
) -> dict[str, Any]:
    """What an order or document says of itself, as Ferry's document fields (all but the
    client, the status and the files), whichever way it was read: the feed, a listing, or by
    its id."""
    if entity_type == ORDER:
        if not isinstance(entity, Order):
            raise _NotMapped(_failure(name, "EntityType", Unmappable.MISMATCH, entity_type))
        if entity.order_id is not None and entity.order_id != entity_id:
            raise _NotMapped(_failure(name, "OrderID", Unmappable.MISMATCH, entity.order_id))
        direction = _need(entity.order_direction, name, "OrderDirection")
        kind = _DIRECTIONS.get(direction.strip().lower())
        if kind is None:
            raise _NotMapped(_failure(name, "OrderDirection", Unmappable.UNKNOWN_VALUE, direction))
        dated = _need(entity.order_date or entity.created, name, "OrderDate")
        return {
            "id": document_id(entity_type, entity_id),
            "kind": kind,
            "number": (entity.order_number or "").strip() or str(entity_id),
            "issue_date": dated.date(),
            "amount": _amount(entity.total_incl),
            "currency": (entity.currency or "").strip() or None,
            "counterparty": _counterparty(entity, kind),
            "created_at": _aware(entity.created) if entity.created else seen,
            "updated_at": _aware(entity.last_modified) if entity.last_modified else None,
        }
    if entity_type == DOCUMENT:
        if not isinstance(entity, DocumentView):
            raise _NotMapped(_failure(name, "EntityType", Unmappable.MISMATCH, entity_type))
        if entity.document_id is not None and entity.document_id != entity_id:
            raise _NotMapped(_failure(name, "DocumentID", Unmappable.MISMATCH, entity.document_id))
        is_coda = PurePosixPath(file_name.lower()).suffix in _CODA_SUFFIXES
        dated = entity.document_date or entity.creation_date or seen
        return {
            "id": document_id(entity_type, entity_id),
            "kind": DocumentKind.STATEMENT if is_coda else DocumentKind.OTHER,
            "number": str(entity_id),
            "issue_date": dated.date(),
            "amount": None,
            "currency": None,
            "counterparty": None,
            "created_at": _aware(entity.creation_date) if entity.creation_date else seen,
            "updated_at": None,
        }
    raise _NotMapped(_failure(name, "EntityType", Unmappable.UNKNOWN_VALUE, entity_type))


def _aware(moment: dt.datetime) -> dt.datetime:
    """A time with its zone; Billit's without one are taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _amount(total: float | None) -> Decimal | None:
    """``TotalIncl`` as a decimal: the shortest decimal that reads back as the same float, so
    1234.5 stays 1234.5 and never becomes 1234.4999999999999."""
    if total is None or not math.isfinite(total):
        return None
    try:
        return Decimal(repr(float(total)))
    except InvalidOperation:
        return None


def _counterparty(order: Order, kind: DocumentKind) -> str | None:
    """The other party of an invoice: the customer of a sale, the supplier of a purchase."""
    other = order.customer if kind is DocumentKind.SALES else order.supplier
    for party in (order.counter_party, other):
        found = _party_name(party)
        if found:
            return found
    return None


def _party_name(party: Party | None) -> str | None:
    if party is None:
        return None
    for value in (party.name, party.commercial_name):
        if value and value.strip():
            return value.strip()
    return None
