"""Payloads generated from Billit's description map to valid documents or fail in plain words.

The feed item, the order or document, and the file answer are drawn from the description's own
definitions by :func:`from_schema` below (reduced to the properties Ferry's wire models read, so
that generation stays quick, plus unknown properties of the generator's own). It is a small
generator for the part of JSON Schema draft 4 these definitions use, written here because
hypothesis-jsonschema 0.23 no longer runs on this Hypothesis (it calls an internal API that
changed); a test proves that what it draws is valid against the definitions. Whatever comes,
parsing, decoding and mapping never raise, a document is valid in Ferry's model, and a failure
words itself in every language and names a property the description has.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from app.api.models import Document, DocumentKind
from app.core.failures import Failure, FailureCode
from app.core.language import Language
from app.platforms.billit.client import FeedFile, decode_entity_file, decode_file
from app.platforms.billit.mapping import entity_document, listed_document, to_document
from app.platforms.billit.wire import (
    AccountInformation,
    AccountInformationParty,
    ConfirmRequest,
    DocumentPageResult,
    DocumentView,
    Feed,
    FeedItem,
    File,
    FileDetails,
    Order,
    OrderPageResult,
    Party,
    UserCompanyRole,
)
from tests.platforms.billit import description as spec

DESCRIPTION = spec.load()
DEFINITIONS: dict[str, Any] = DESCRIPTION["definitions"]

#: Each wire model and the definition it reads.
WIRE: dict[type[BaseModel], str] = {
    Feed: "Feed",
    FeedItem: "FeedItem",
    FileDetails: "FileDetails",
    ConfirmRequest: "ConfirmRequest",
    AccountInformation: "AccountInformation",
    AccountInformationParty: "AccountInformationParty",
    UserCompanyRole: "UserCompanyRole",
    Order: "Order",
    Party: "Party",
    DocumentView: "DocumentAPIView",
    File: "File",
    OrderPageResult: "PageResult_Order",
    DocumentPageResult: "PageResult_DocumentAPIView",
}

#: Every property name of the definitions the mapping reads: where a failure may point.
MAPPED_PROPERTIES = {
    name
    for definition in ("FeedItem", "Order", "DocumentAPIView", "FileDetails", "File")
    for name in DEFINITIONS[definition]["properties"]
} | {"Document"}

#: Base64 content, as the description's ``format: byte`` means.
_BASE64 = st.binary(max_size=64).map(lambda raw: base64.b64encode(raw).decode("ascii"))


def _aliases(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def test_every_wire_name_is_a_property_of_its_definition() -> None:
    """The wire models use the description's names exactly (a typo would read nothing)."""
    for model, definition in WIRE.items():
        properties = DEFINITIONS[definition]["properties"]
        missing = [alias for alias in _aliases(model) if alias not in properties]
        assert missing == [], f"{model.__name__} names what {definition} does not have"


def _projected(definition: str, model: type[BaseModel]) -> dict[str, Any]:
    """The definition with only the properties ``model`` reads; references inlined."""
    properties = DEFINITIONS[definition]["properties"]
    kept: dict[str, Any] = {}
    for alias in _aliases(model):
        schema = properties[alias]
        if schema.get("$ref") == "#/definitions/Party":
            schema = _projected("Party", Party)
        elif schema.get("$ref") == "#/definitions/File":
            schema = _projected("File", File)
        kept[alias] = schema
    return {"type": "object", "properties": kept}


#: Strings of the formats the definitions use, as RFC 3339 and Swagger 2 define them.
_STRING_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "byte": _BASE64,
    "uuid": st.uuids().map(str),
    "date-time": st.datetimes(
        min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)
    ).flatmap(
        lambda moment: st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2))]).map(
            lambda zone: moment.replace(tzinfo=zone).isoformat().replace("+00:00", "Z")
        )
    ),
}
_INTEGER_FORMATS = {"int32": 31, "int64": 63}
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=5), inner, max_size=2)
    ),
    max_leaves=4,
)


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid against ``schema`` (the draft 4 subset of these definitions: types,
    formats, enums, arrays, objects without required properties), objects with unknown
    properties now and then, since Billit may add some."""
    if "$ref" in schema:
        return st.deferred(lambda: from_schema(DEFINITIONS[schema["$ref"].split("/")[-1]]))
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        known = schema.get("properties", {})
        fixed = st.fixed_dictionaries({}, optional={k: from_schema(v) for k, v in known.items()})
        unknown = st.dictionaries(
            st.text(min_size=1, max_size=12).filter(lambda key: key not in known),
            _JSON,
            max_size=2,
        )
        return st.builds(lambda a, b: {**b, **a}, fixed, unknown)
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {})), max_size=3)
    if kind == "string":
        return _STRING_FORMATS.get(schema.get("format", ""), st.text(max_size=30))
    if kind == "integer":
        bits = _INTEGER_FORMATS.get(schema.get("format", ""))
        return st.integers() if bits is None else st.integers(-(2**bits), 2**bits - 1)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**6), 10**6)
    if kind == "boolean":
        return st.booleans()
    return _JSON


ITEM_SCHEMA = _projected("FeedItem", FeedItem)
ORDER_SCHEMA = _projected("Order", Order)
DOCUMENT_SCHEMA = _projected("DocumentAPIView", DocumentView)
FILE_SCHEMA = DEFINITIONS["FileDetails"]
ITEMS = from_schema(ITEM_SCHEMA)
ORDERS = from_schema(ORDER_SCHEMA)
DOCUMENTS = from_schema(DOCUMENT_SCHEMA)
FILES = from_schema(FILE_SCHEMA)
ENTITY_FILE_SCHEMA = _projected("File", File)
ENTITY_FILES = from_schema(ENTITY_FILE_SCHEMA)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_the_generator_draws_what_the_definitions_allow(data: st.DataObject) -> None:
    for schema, strategy in (
        (ITEM_SCHEMA, ITEMS),
        (ORDER_SCHEMA, ORDERS),
        (DOCUMENT_SCHEMA, DOCUMENTS),
        (FILE_SCHEMA, FILES),
        (ENTITY_FILE_SCHEMA, ENTITY_FILES),
    ):
        value = data.draw(strategy)
        errors = list(spec.open_validator(DESCRIPTION, schema).iter_errors(value))
        assert errors == [], errors[0].message


def _is_order(entity: dict[str, Any]) -> bool:
    return any(key in entity for key in ("OrderID", "OrderDirection", "OrderNumber", "OrderDate"))


@st.composite
def payloads(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any]]:
    """A feed item, what its entity call answered (or nothing), and its file answer.

    Drawn from the definitions, where every property is optional, most payloads would lack
    something the mapping needs and only its failures would be tried; so three times in four
    the values Ferry reads are made consistent (values the definitions allow: matching ids and
    ``EntityType``, ``Income`` or ``Cost``, base64 content with its hash), and then one of them
    may be spoilt again (left out, or an unknown value).
    """
    item = draw(ITEMS)
    entity = draw(st.one_of(ORDERS, DOCUMENTS, st.none()))
    details = draw(FILES)
    if draw(st.integers(0, 3)) > 0:
        ids = st.integers(min_value=-(2**31), max_value=2**31 - 1)
        item.update(FeedItemID=draw(ids), EntityID=draw(ids), PartyID=draw(ids))
        content = draw(_BASE64)
        digest = hashlib.sha256(base64.b64decode(content)).hexdigest()
        details.update(FileContent=content, FileName=draw(st.text(min_size=1, max_size=30)))
        details["FileContentSHA256Hash"] = draw(st.sampled_from([digest, digest.upper()]))
        if entity is not None and _is_order(entity):
            entity.update(
                OrderID=item["EntityID"],
                OrderDirection=draw(st.sampled_from(["Income", "Cost", "cost"])),
                OrderDate=draw(_STRING_FORMATS["date-time"]),
            )
            item["EntityType"] = draw(st.sampled_from(["Order", "order", " ORDER "]))
        elif entity is not None:
            entity["DocumentID"] = item["EntityID"]
            item["EntityType"] = "Document"
        fields = ["FeedItemID", "EntityID", "PartyID", "EntityType"]
        spoilt = draw(st.sampled_from(fields)) if draw(st.integers(0, 3)) == 0 else None
        if spoilt is not None:
            item.pop(spoilt, None)
        if draw(st.integers(0, 5)) == 0:
            item["EntityType"] = "Invoice"  # a string, as the definition says, but unknown
        if draw(st.integers(0, 5)) == 0:
            details["FileName"] = draw(st.sampled_from(["", "  "]))
    return item, entity, details


def _entity(raw: dict[str, Any] | None) -> Order | DocumentView | None:
    if raw is None:
        return None
    if "OrderID" in raw or "OrderDirection" in raw or "OrderNumber" in raw:
        return Order.model_validate(raw)
    return DocumentView.model_validate(raw)


SEEN_AT = dt.datetime(2026, 4, 3, 12, 0, tzinfo=dt.UTC)


def _check_failure(failure: Failure) -> None:
    assert failure.code in {FailureCode.PLATFORM_NOT_UNDERSTOOD, FailureCode.CHECKSUM}
    field = failure.param("field")
    assert field is None or field in MAPPED_PROPERTIES
    for language in Language:
        text = failure.message(language)
        assert text.strip()
        # No placeholder left unfilled; Billit's own values (a file named "{") are data.
        bare = text
        for _, value in failure.params:
            bare = bare.replace(value, "")
        assert "{" not in bare and "}" not in bare, text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payloads())
def test_any_payload_maps_to_a_document_or_a_plain_failure(
    payload: tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any]],
) -> None:
    raw_item, raw_entity, raw_details = payload
    # Schema-valid answers always parse: the wire models ask for nothing the description
    # does not promise.
    item = FeedItem.model_validate(raw_item)
    entity = _entity(raw_entity)
    details = FileDetails.model_validate(raw_details)

    file = decode_file(details, "1")
    if isinstance(file, Failure):
        _check_failure(file)
        return
    mapped = to_document(item, entity, file, seen_at=SEEN_AT)
    if isinstance(mapped, Failure):
        _check_failure(mapped)
        return
    assert Document.model_validate_json(mapped.model_dump_json()) == mapped
    assert mapped.client_id == str(item.party_id)
    assert mapped.files[0].id == str(item.feed_item_id)
    assert mapped.files[0].sha256 == hashlib.sha256(file.content).hexdigest()
    if isinstance(entity, Order):
        direction = (entity.order_direction or "").strip().lower()
        assert (
            mapped.kind is {"income": DocumentKind.SALES, "cost": DocumentKind.PURCHASE}[direction]
        )


@st.composite
def mappable(draw: st.DrawFn) -> tuple[FeedItem, Order | DocumentView, FeedFile]:
    """Payloads with everything the mapping needs, the rest drawn from the description."""
    ids = st.integers(min_value=1, max_value=2**31 - 1)
    item = draw(ITEMS)
    item.update(FeedItemID=draw(ids), EntityID=draw(ids), PartyID=draw(ids))
    if draw(st.booleans()):
        order = draw(ORDERS)
        order.update(
            OrderID=item["EntityID"],
            OrderDirection=draw(st.sampled_from(["Income", "Cost"])),
            OrderDate=draw(st.datetimes(timezones=st.just(dt.UTC))).isoformat(),
        )
        item["EntityType"] = "Order"
        entity: Order | DocumentView = Order.model_validate(order)
    else:
        document = draw(DOCUMENTS)
        document["DocumentID"] = item["EntityID"]
        item["EntityType"] = "Document"
        entity = DocumentView.model_validate(document)
    content = draw(st.binary(max_size=64))
    name = draw(st.text(min_size=1, max_size=40).filter(lambda text: text.strip() != ""))
    return (
        FeedItem.model_validate(item),
        entity,
        FeedFile(name, content, hashlib.sha256(content).hexdigest()),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mappable())
def test_a_complete_payload_always_maps(
    payload: tuple[FeedItem, Order | DocumentView, FeedFile],
) -> None:
    """No failure where nothing is missing: the mapping does not refuse what it could read."""
    item, entity, file = payload
    mapped = to_document(item, entity, file, seen_at=SEEN_AT)
    assert isinstance(mapped, Document), mapped


# --- the listings and a document read by its id (the full sync, Deliver again) ----------------

PARTIES = st.integers(min_value=-(2**31), max_value=2**31 - 1)


@st.composite
def listed(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """An order or document of a listing, drawn from the description; three times in four
    made consistent (an id, a known direction, a date), then maybe spoilt again."""
    if draw(st.booleans()):
        entity_type, raw = "Order", draw(ORDERS)
        if draw(st.integers(0, 3)) > 0:
            raw.update(
                OrderID=draw(PARTIES),
                OrderDirection=draw(st.sampled_from(["Income", "Cost", "cost"])),
                OrderDate=draw(_STRING_FORMATS["date-time"]),
            )
            if draw(st.integers(0, 3)) == 0:
                raw.pop(draw(st.sampled_from(["OrderID", "OrderDirection", "OrderDate"])))
    else:
        entity_type, raw = "Document", draw(DOCUMENTS)
        if draw(st.integers(0, 3)) > 0:
            raw["DocumentID"] = draw(PARTIES)
    return draw(st.sampled_from([entity_type, entity_type.lower()])), raw


def _listed_entity(entity_type: str, raw: dict[str, Any]) -> Order | DocumentView:
    return (Order if entity_type.lower() == "order" else DocumentView).model_validate(raw)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(listed(), PARTIES)
def test_any_listed_order_or_document_maps_to_a_fileless_document_or_a_plain_failure(
    payload: tuple[str, dict[str, Any]], party: int
) -> None:
    entity_type, raw = payload
    entity = _listed_entity(entity_type, raw)
    mapped = listed_document(entity_type, entity, party, seen_at=SEEN_AT)
    if isinstance(mapped, Failure):
        _check_failure(mapped)
        return
    assert Document.model_validate_json(mapped.model_dump_json()) == mapped
    assert (mapped.client_id, mapped.files, mapped.status.value) == (str(party), [], "to_fetch")
    known = entity.order_id if isinstance(entity, Order) else entity.document_id
    assert mapped.id == f"{entity_type.lower()}-{known}"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(listed(), PARTIES, ENTITY_FILES, st.uuids().map(str))
def test_any_document_read_by_its_id_maps_with_its_file_or_fails_in_plain_words(
    payload: tuple[str, dict[str, Any]], party: int, raw_file: dict[str, Any], file_id: str
) -> None:
    entity_type, raw = payload
    entity = _listed_entity(entity_type, raw)
    file = decode_entity_file(File.model_validate(raw_file), "order-1")
    if isinstance(file, Failure):
        _check_failure(file)
        return
    mapped = entity_document(entity_type, entity, party, file, file_id, seen_at=SEEN_AT)
    if isinstance(mapped, Failure):
        _check_failure(mapped)
        return
    assert Document.model_validate_json(mapped.model_dump_json()) == mapped
    [only] = mapped.files
    assert (only.id, only.size) == (file_id, len(file.content))
    assert only.sha256 == hashlib.sha256(file.content).hexdigest()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    from_schema(DEFINITIONS["PageResult_Order"]),
    from_schema(DEFINITIONS["PageResult_DocumentAPIView"]),
)
def test_any_listing_page_the_description_allows_parses(
    orders: dict[str, Any], documents: dict[str, Any]
) -> None:
    """The wire models ask for nothing the description does not promise: a page parses,
    whatever it holds (what an item lacks is the mapping's to word)."""
    OrderPageResult.model_validate(orders)
    DocumentPageResult.model_validate(documents)
