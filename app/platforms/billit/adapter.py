"""Billit behind the platform port: the engine reads Billit's accountant feed as Ferry's own.

:class:`BillitPlatform` implements :class:`app.platforms.port.Platform` over
:class:`~app.platforms.billit.client.BillitClient` and declares what Billit cannot do, so the
engine adapts (:class:`~app.platforms.port.Capabilities`): the feed is read no sooner than
its interval (60 s in production), an undelivered item is never reported (it is simply not
confirmed, and Ferry keeps the error), files come whole (no ranges), and there is no resend
and no task.

The feed has no cursor: a read answers every item not yet confirmed. The adapter owns an
opaque cursor instead (:func:`encode_cursor`): the feed item ids it already handed to the
engine that are still in the feed. The engine stores it in the same transaction as the queue
it filled, so what the cursor says was handed over is exactly what Ferry's queue holds (a lost
state loses both, and everything is handed over again). An item still unconfirmed is therefore
handed over once, not on every read: handing it again would make the engine's queue take it
as due now (``StateStore.enqueue`` resets ``not_before``), so a document in Error would be tried
at every read (every minute) instead of on its schedule, and a postponed one before its
``Retry-After``. Ferry's own queue, not the feed, brings back what it has not delivered yet.

Ferry's document id is the entity's (``order-<EntityID>``, see :mod:`.mapping`), and its one
file's id is the feed item's id. Billit's item names no time: a change is dated when the feed
was read, and the engine decides by the document's own creation time whether it is older
than the client's link.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import platform as host
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from app.api.models import (
    Change,
    ChangePage,
    ChangeReason,
    Client,
    DeliveryReport,
    DeliveryReportOutcome,
    DeliveryReportResult,
    DeliveryStatus,
    Document,
    DocumentKind,
    DocumentPage,
    ErrorReport,
    Office,
    OfficeUser,
    ResendResult,
    TaskPage,
    TaskReport,
)
from app.core.failures import Action, Failure, FailureCode, retry_at_param
from app.platform.errors import PlatformError
from app.platforms.billit.client import (
    FEED_MIN_INTERVAL_S,
    LISTING_TOP,
    BillitClient,
    FeedFile,
    decode_entity_file,
)
from app.platforms.billit.mapping import (
    DOCUMENT,
    ORDER,
    document_id,
    entity_document,
    listed_document,
    to_document,
)
from app.platforms.billit.wire import (
    AccountInformation,
    AccountInformationParty,
    DocumentView,
    FeedItem,
    File,
    Order,
)
from app.platforms.port import Capabilities

__all__ = [
    "BillitPlatform",
    "ListingCursor",
    "decode_cursor",
    "decode_listing_cursor",
    "encode_cursor",
    "encode_listing_cursor",
]

log = logging.getLogger(__name__)

#: What the office sees as the realm of a Billit login (Ferry's own platform names its realms).
REALM = "billit"

#: Files kept between :meth:`BillitPlatform.document` and :meth:`BillitPlatform.open_file`
#: (the engine downloads up to its concurrency at once; one more fetch costs little).
KEPT_FILES = 8

_CURSOR_PREFIX = "billit1:"
_LISTING_PREFIX = "billitlist1:"

#: Documents whose client company the adapter remembers (from the feed, the listings and
#: reads), so a document read by its id alone is asked of its company at once; one the
#: adapter forgot is looked for in each client's listing (:meth:`BillitPlatform._find`).
KEPT_PARTIES = 20_000

#: Billit's two listings, in the order a full sync reads them, and the kinds each can hold.
_SOURCES: dict[str, frozenset[DocumentKind]] = {
    ORDER: frozenset({DocumentKind.PURCHASE, DocumentKind.SALES}),
    DOCUMENT: frozenset({DocumentKind.STATEMENT, DocumentKind.OTHER}),
}


def encode_cursor(item_ids: set[int]) -> str:
    """The cursor for the feed items handed over: ``billit1:`` and the sorted ids.

    Never empty, so a read that hands nothing over still gives the engine a cursor to keep.
    """
    return _CURSOR_PREFIX + ",".join(str(i) for i in sorted(item_ids))


def decode_cursor(cursor: str | None) -> set[int]:
    """The item ids a cursor says were handed over; anything unreadable (another platform's
    cursor, a damaged one) as none, so everything in the feed is handed over again: the
    engine's queue takes a document twice as once."""
    if not cursor or not cursor.startswith(_CURSOR_PREFIX):
        return set()
    ids: set[int] = set()
    for part in cursor.removeprefix(_CURSOR_PREFIX).split(","):
        if part.isdigit():
            ids.add(int(part))
    return ids


@dataclass(frozen=True)
class ListingCursor:
    """Where a full sync's listing stands: which client company, which listing (orders,
    then documents) and how many of its items were read (OData's ``$skip``)."""

    party_id: int
    source: str  # ORDER or DOCUMENT
    skip: int


def encode_listing_cursor(position: ListingCursor) -> str:
    """``billitlist1:<party>:<order|document>:<skip>``: the adapter's own, opaque to the
    engine, which hands it back for the next page."""
    return f"{_LISTING_PREFIX}{position.party_id}:{position.source}:{position.skip}"


def decode_listing_cursor(cursor: str | None) -> ListingCursor | None:
    """The position a listing cursor names; None for none, or one this adapter did not make
    (the listing then starts again from its beginning, which repeats nothing harmful: the
    engine's state knows what was delivered)."""
    if not cursor or not cursor.startswith(_LISTING_PREFIX):
        return None
    party, _, rest = cursor.removeprefix(_LISTING_PREFIX).partition(":")
    source, _, skip = rest.partition(":")
    if not party.isdigit() or source not in _SOURCES or not skip.isdigit():
        return None
    return ListingCursor(int(party), source, int(skip))


@dataclass(frozen=True)
class _Served:
    """A document as :meth:`BillitPlatform.document` read it, with the feed item it came
    from (None when it was read by its id, outside the feed: nothing to confirm)."""

    item: FeedItem | None
    document: Document


class BillitPlatform:
    """Billit's accountant feed for one office, as the engine's platform port.

    ``feed_name`` is this installation's feed (registered once, on the first read);
    ``feed_interval_s`` how often Billit lets it be read (tests shorten it to match their
    fake); ``computer`` the name ``confirm`` gives as where the files went.
    """

    def __init__(
        self,
        client: BillitClient,
        feed_name: str,
        *,
        feed_interval_s: float = FEED_MIN_INTERVAL_S,
        computer: str | None = None,
    ) -> None:
        self._client = client
        self._feed = feed_name
        self._computer = computer or host.node() or "Ferry"
        self._capabilities = Capabilities(
            long_poll=False,
            min_poll_interval_s=feed_interval_s,
            error_reports=False,  # an item not delivered is not confirmed: it comes back
            locations=True,  # confirm carries the computer and the path
            batch_reports=False,
            resend=False,
            tasks=False,
            ranges=False,  # the file is one base64 JSON answer
            # A feed item names no digest; the file's answer carries its SHA-256 with the
            # bytes. (The Document still has one: reading it downloads the file, see
            # document().)
            digests_before_download=False,
        )
        self._registered = False
        self._account: AccountInformation | None = None
        #: The items of the last read, by Ferry's document id (the newest item of an entity
        #: exported twice); None until the feed was read by this adapter.
        self._items: dict[str, FeedItem] | None = None
        #: When the answer of the last feed read arrived (monotonic).
        self._last_read: float | None = None
        #: What document() answered, until it is confirmed: the item whose file it carries.
        self._served: dict[str, _Served] = {}
        #: Files fetched by document(), for open_file; a few, the oldest dropped first.
        self._files: OrderedDict[str, FeedFile] = OrderedDict()
        #: The client company of documents seen, by Ferry's id (see KEPT_PARTIES).
        self._parties: OrderedDict[str, int] = OrderedDict()

    @property
    def capabilities(self) -> Capabilities:
        return self._capabilities

    @property
    def feed_name(self) -> str:
        return self._feed

    # -- the office and its clients -----------------------------------------------------------

    async def _account_information(self) -> AccountInformation:
        """The account call, once: who is logged in and the companies they reach. It also
        names the office's own company when the login did not (an OAuth login)."""
        if self._account is None:
            self._account = await self._client.account_information()
            if self._client.office_party_id is None:
                self._client.office_party_id = _office_party_id(self._account)
        return self._account

    async def office(self) -> Office:
        account = await self._account_information()
        own = _office_company(account, self._client.office_party_id)
        name = " ".join(p for p in (account.first_name, account.last_name) if p) or (
            account.email or "?"
        )
        return Office(
            id=str(self._client.office_party_id or (own.party_id if own else "?")),
            name=_company_name(own) if own else "?",
            realm=REALM,
            country=(own.country_code if own else None) or None,
            user=OfficeUser(name=name, email=account.email or ""),
        )

    async def all_clients(self) -> list[Client]:
        """The companies the accountant reaches, less the office's own: Billit's clients have
        no accounting file number, and share their documents (their exports reach the feed)."""
        account = await self._account_information()
        own = _office_company(account, self._client.office_party_id)
        office_country = (own.country_code if own else None) or ""
        clients = []
        for company in account.companies or []:
            if company.party_id is None or company.party_id == self._client.office_party_id:
                continue
            clients.append(
                Client(
                    id=str(company.party_id),
                    name=_company_name(company),
                    vat_number=(company.vat_number or "").strip(),
                    country=(company.country_code or office_country).strip().upper(),
                    accounting_file_id="",
                    shares_documents=True,
                )
            )
        return clients

    # -- the feed -------------------------------------------------------------------------------

    async def changes(
        self, cursor: str | None = None, *, wait: float = 0, limit: int = 200
    ) -> ChangePage:
        """Read the feed once (no long-poll: ``wait`` is ignored) and hand over each item not
        handed over before (see the module's text). Every item of the read is handed in one
        page (``limit`` is not applied): the engine queues a page in one transaction, and a
        second page would be a second read, which Billit allows a minute later."""
        if not self._registered:
            await self._ensure_office_party()
            await self._client.register_feed(self._feed)
            self._registered = True
        # Billit times its minute from when it answered the last read, the engine from when
        # it asked: a read slower than the next (the first, behind the registration; a busy
        # network) would make the engine's next read come too soon and be refused. So the
        # interval is also kept here, from the last answer's arrival, which is never before
        # Billit's moment.
        if self._last_read is not None:
            pause = self._last_read + self._capabilities.min_poll_interval_s - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
        try:
            items = await self._client.feed_items(self._feed)
        finally:
            self._last_read = time.monotonic()
        seen_at = dt.datetime.now(dt.UTC)
        handed = decode_cursor(cursor)
        index: dict[str, FeedItem] = {}
        in_feed: set[int] = set()
        new: dict[str, Change] = {}  # one change per document, however many items it has
        new_ids: set[int] = set()
        for item in items:
            if item.feed_item_id is None or item.entity_id is None or not item.entity_type:
                log.warning("Billit feed item without its ids, passed over: %s", item.wire())
                continue
            in_feed.add(item.feed_item_id)
            key = document_id(item.entity_type, item.entity_id)
            if item.party_id is not None:
                self._remember(key, item.party_id)
            known = index.get(key)
            if known is None or (known.feed_item_id or 0) < item.feed_item_id:
                index[key] = item
            if item.feed_item_id in handed:
                continue
            new_ids.add(item.feed_item_id)
            new[key] = Change(
                document_id=key,
                client_id="" if item.party_id is None else str(item.party_id),
                reason=ChangeReason.NEW,
                at=seen_at,
            )
        self._items = index
        # Confirmed items leave the cursor, so it holds no more than the feed does.
        return ChangePage(
            items=list(new.values()), cursor=encode_cursor(handed & in_feed | new_ids)
        )

    async def _ensure_office_party(self) -> None:
        """The feed is the office's own: its calls need the office's ``PartyID``."""
        if self._client.office_party_id is None:
            await self._account_information()

    # -- documents and files ----------------------------------------------------------------

    async def documents_page(
        self,
        *,
        status: str | None = None,
        client_id: str | None = None,
        kind: str | None = None,
        q: str | None = None,
        cursor: str | None = None,
        limit: int = 200,
    ) -> DocumentPage:
        """One page of Billit's listings for a full sync: the client's orders
        (``GET /v1/orders``), then its documents (``GET /v1/documents``), read as the
        accountant acting for it; every client the account reaches when ``client_id`` is None.

        One Billit page per call (at most ``limit``, and Billit's own 120), so memory holds a
        page; the cursor (:class:`ListingCursor`) says which client, which listing and how
        many were read. The documents carry no file (:func:`~.mapping.listed_document`): the
        engine reads one by its id, with its file, when it delivers it. The filters are
        applied here to what Billit answered (``kind`` also skips a listing that cannot hold
        it), so a page may be short, or empty with a next cursor. An order or document Ferry
        cannot map (no id, an unknown direction) is left out with a warning in the log naming
        it and Billit's field: a listing has no place for a failure, and without a kind there
        is no document to show. Billit's listings say nothing of a delivery, so each is *To
        fetch*: the engine's own state keeps what was delivered from being written again.
        """
        parties = await self._listed_parties(client_id)
        position = decode_listing_cursor(cursor)
        if position is not None and position.party_id not in parties:
            position = None  # a cursor of another listing: start this one again
        wanted_kind = _kind(kind)
        sources = [
            s for s, kinds in _SOURCES.items() if wanted_kind is None or wanted_kind in kinds
        ]
        if not parties or not sources:
            return DocumentPage(items=[])
        if position is None or position.source not in sources:
            party = parties[0] if position is None else position.party_id
            position = ListingCursor(party, sources[0], 0)
        top = max(1, min(limit, LISTING_TOP))
        seen_at = dt.datetime.now(dt.UTC)
        entities: list[Order | DocumentView]
        if position.source == ORDER:
            orders = await self._client.orders_page(position.party_id, skip=position.skip, top=top)
            entities = list(orders.items or [])
            more = _more(len(entities), position.skip, orders.next_page_link, orders.count)
        else:
            listed = await self._client.documents_page(
                position.party_id, skip=position.skip, top=top
            )
            entities = list(listed.items or [])
            more = _more(len(entities), position.skip, listed.next_page_link, listed.count)
        items: list[Document] = []
        for entity in entities:
            mapped = listed_document(position.source, entity, position.party_id, seen_at=seen_at)
            if isinstance(mapped, Failure):
                log.warning(
                    "Billit %s of client %s left out of the listing: %s",
                    position.source,
                    position.party_id,
                    mapped.message(),
                )
                continue
            self._remember(mapped.id, position.party_id)
            if _matches(mapped, status, wanted_kind, q):
                items.append(mapped)
        following = _following(position, len(entities), more, parties, sources)
        return DocumentPage(
            items=items,
            next_cursor=None if following is None else encode_listing_cursor(following),
        )

    async def _listed_parties(self, client_id: str | None) -> list[int]:
        """The client companies a listing reads, in a stable order: the one asked for (when
        the account reaches it), else every client."""
        reached = sorted(int(c.id) for c in await self.all_clients() if c.id.isdigit())
        if client_id is None:
            return reached
        return [int(client_id)] if client_id.isdigit() and int(client_id) in reached else []

    async def document(self, document_id: str) -> Document:
        """The order or document for ``document_id``, with its file.

        One still in the feed is read as the feed names it, its file from the feed (checked
        against Billit's SHA-256), so that it is confirmed once delivered. One the feed no
        longer has (confirmed, here or elsewhere; exported before the feed was registered)
        is read by its id from its client company and its file by its ``FileID``
        (:meth:`_read_entity`): *Deliver again*, *Restore* and a full sync need it; so is one
        whose item the feed refuses since the last read (its confirm went through while its
        answer was lost). Either
        way the file is downloaded now (Billit names no size or digest before) and kept for
        :meth:`open_file`. Before this adapter read the feed at all it cannot tell which way:
        ``platform_busy`` until the feed may be read, and the engine tries again after.
        """
        about = {"action": Action.READ_DOCUMENT.value, "document": document_id}
        if self._items is None:
            wait = self._until_readable()
            raise PlatformError(
                Failure.of(
                    FailureCode.PLATFORM_BUSY,
                    **about,
                    retry_at=retry_at_param(time.time() + wait),
                ),
                retry_after=wait,
            )
        item = self._items.get(document_id)
        if item is None or item.feed_item_id is None:
            return await self._read_entity(document_id)
        entity = await self._entity(item)
        try:
            file = await self._client.feed_file(self._feed, item.feed_item_id)
        except PlatformError as error:
            if error.transient or error.status not in (400, 404):
                raise
            # The item left the feed since the last read: confirmed by a confirm whose answer
            # was lost on the way (a cut connection), or elsewhere. Billit has it confirmed,
            # so it is read by its id, and nothing is confirmed again.
            log.info("Billit feed item %s is gone from the feed; read by its id", item.feed_item_id)
            del self._items[document_id]
            return await self._read_entity(document_id)
        mapped = to_document(item, entity, file, seen_at=dt.datetime.now(dt.UTC))
        if isinstance(mapped, Failure):
            raise PlatformError(mapped)
        self._served[document_id] = _Served(item, mapped)
        self._keep(str(item.feed_item_id), file)
        return mapped

    async def _read_entity(self, ferry_id: str) -> Document:
        """A document outside the feed, by its id: ``GET /v1/orders/{id}`` (or
        ``/v1/documents/{id}``) as the accountant acting for its client, and its file
        (inline, or ``GET /v1/files/{FileID}``); ``platform_not_found`` (404) when no client
        the account reaches has it."""
        about = {"action": Action.READ_DOCUMENT.value, "document": ferry_id}
        kind, _, number = ferry_id.partition("-")
        if kind not in _SOURCES or not number.isdigit():
            raise PlatformError(Failure.of(FailureCode.PLATFORM_NOT_FOUND, **about), status=404)
        entity_id = int(number)
        party = self._parties.get(ferry_id)
        if party is None:
            party = await self._find(kind, entity_id)
        if party is None:
            raise PlatformError(Failure.of(FailureCode.PLATFORM_NOT_FOUND, **about), status=404)
        entity: Order | DocumentView
        if kind == ORDER:
            entity = await self._client.order(entity_id, party)
            described = entity.order_pdf
        else:
            entity = await self._client.document(entity_id, party)
            described = entity.file
        file, file_id = await self._entity_file(described, party, ferry_id)
        mapped = entity_document(
            kind, entity, party, file, file_id, seen_at=dt.datetime.now(dt.UTC)
        )
        if isinstance(mapped, Failure):
            raise PlatformError(mapped)
        self._remember(ferry_id, party)
        self._served[ferry_id] = _Served(None, mapped)
        self._keep(file_id, file)
        return mapped

    async def _entity_file(
        self, described: File | None, party: int, ferry_id: str
    ) -> tuple[FeedFile, str]:
        """The file an order or document names, and the id Ferry gives it (Billit's
        ``FileID``): its content when the answer carried it, else read by its id."""
        about = {"action": Action.DOWNLOAD.value, "document": ferry_id}
        if described is None or not (described.file_id or "").strip():
            failure = Failure.of(FailureCode.PLATFORM_NOT_UNDERSTOOD, **about, field="FileID")
            raise PlatformError(failure)
        file_id = (described.file_id or "").strip()
        if described.file_content:
            decoded = decode_entity_file(described, ferry_id)
            if isinstance(decoded, Failure):
                raise PlatformError(decoded)
            return decoded, file_id
        return await self._client.file(file_id, party, ferry_id), file_id

    async def _find(self, kind: str, entity_id: int) -> int | None:
        """The client company that has an order or document the adapter does not remember
        (a restart forgot it): each client's listing filtered on its id (a listing answers
        200, found or not, where a read of another company's entity is refused)."""
        key = "OrderID" if kind == ORDER else "DocumentID"
        odata_filter = f"{key} eq {entity_id}"
        for party in await self._listed_parties(None):
            found: list[Order | DocumentView]
            if kind == ORDER:
                found = list(
                    (await self._client.orders_page(party, odata_filter=odata_filter)).items or []
                )
            else:
                listed = await self._client.documents_page(party, odata_filter=odata_filter)
                found = list(listed.items or [])
            for entity in found:  # checked here: Billit may not apply a filter
                found_id = entity.order_id if isinstance(entity, Order) else entity.document_id
                if found_id == entity_id:
                    return party
        return None

    def _remember(self, ferry_id: str, party_id: int) -> None:
        self._parties[ferry_id] = party_id
        self._parties.move_to_end(ferry_id)
        while len(self._parties) > KEPT_PARTIES:
            self._parties.popitem(last=False)

    def _until_readable(self) -> float:
        """Seconds until the feed may be read again by this adapter (at least one)."""
        if self._last_read is None:
            return 1.0
        left = self._last_read + self._capabilities.min_poll_interval_s - time.monotonic()
        return max(1.0, left)

    async def _entity(self, item: FeedItem) -> Order | DocumentView | None:
        """The order or document the item names, read as the accountant acting for its
        client (``PartyID`` the client, ``ContextPartyID`` the office); None for an entity
        type Ferry does not know (the mapping words that)."""
        kind = (item.entity_type or "").strip().lower()
        if item.entity_id is None:
            return None
        if kind == ORDER:
            return await self._client.order(item.entity_id, item.party_id)
        if kind == DOCUMENT:
            return await self._client.document(item.entity_id, item.party_id)
        return None

    def _keep(self, file_id: str, file: FeedFile) -> None:
        self._files[file_id] = file
        self._files.move_to_end(file_id)
        while len(self._files) > KEPT_FILES:
            self._files.popitem(last=False)

    @contextlib.asynccontextmanager
    async def open_file(
        self, document_id: str, file_id: str, *, offset: int = 0
    ) -> AsyncIterator[httpx.Response]:
        """The file as a complete response (200, its bytes, a Content-Length): Billit sends a
        file whole, as base64 JSON, so there is nothing to stream. The copy
        :meth:`document` fetched is used once and dropped; without one the file is fetched
        again: a feed item's (checked against Billit's SHA-256 as before), or an order's or
        document's by its ``FileID`` (which the engine checks against the digest
        :meth:`document` computed)."""
        if offset:
            raise ValueError("Billit's files cannot be read from an offset (ranges=False)")
        file = self._files.pop(file_id, None)
        if file is None:
            if file_id.isdigit():  # a feed item's file
                file = await self._client.feed_file(self._feed, int(file_id))
            else:  # an order's or document's file, by Billit's FileID
                party = self._parties.get(document_id)
                if party is None:
                    failure = Failure.of(
                        FailureCode.PLATFORM_NOT_FOUND,
                        action=Action.DOWNLOAD.value,
                        document=document_id,
                    )
                    raise PlatformError(failure, status=404)
                file = await self._client.file(file_id, party, document_id)
        request = httpx.Request("GET", f"billit-feed:{self._feed}/{file_id}")
        response = httpx.Response(
            200,
            content=file.content,
            headers={"Content-Length": str(file.size)},
            request=request,
        )
        try:
            yield response
        finally:
            await response.aclose()

    # -- reports --------------------------------------------------------------------------------

    async def report_delivery(self, document_id: str, report: DeliveryReport) -> Document:
        """Forwarded: ``confirm`` the item whose file was delivered, with this computer's
        name and where the file went; the item leaves the feed. A document read outside the
        feed has no item: nothing is sent. Billit takes no Error report
        (``error_reports=False``): one reaching here is the engine's mistake, refused loudly
        before anything is sent."""
        if isinstance(report, ErrorReport):
            raise ValueError(
                f"Billit takes no Error report (document {document_id}); the engine must keep "
                "the error itself (capabilities.error_reports is False)"
            )
        served = self._served.get(document_id)
        if served is None:  # the engine read it before this adapter existed (a restart)
            await self.document(document_id)
            served = self._served[document_id]
        if served.item is not None:
            item_id = served.item.feed_item_id
            assert item_id is not None, "document() serves only items with an id"
            await self._client.confirm(
                self._feed, item_id, server=self._computer, path="; ".join(report.locations)
            )
            self._files.pop(str(item_id), None)
            # Gone from the feed now: a Deliver again before the next read reads it by its id.
            if self._items is not None and self._items.get(document_id) is served.item:
                del self._items[document_id]
        # Read outside the feed (by its id): Billit has no item to confirm, and nothing else
        # that records a delivery; Ferry's own state keeps it.
        self._served.pop(document_id, None)
        for file in served.document.files:
            self._files.pop(file.id, None)
        return served.document.model_copy(
            update={"status": DeliveryStatus.FORWARDED, "locations": list(report.locations)}
        )

    async def report_deliveries(
        self, reports: list[tuple[str, DeliveryReport]]
    ) -> list[DeliveryReportResult]:
        """One ``confirm`` after the other (Billit has no batch). A transient failure stops
        the rest and is raised (the engine reports them all again later; a second confirm of
        an item changes nothing); a refusal for good is that document's result."""
        results: list[DeliveryReportResult] = []
        for document_id_, report in reports:
            try:
                document = await self.report_delivery(document_id_, report)
            except PlatformError as error:
                if error.transient:
                    raise
                results.append(
                    DeliveryReportResult(
                        document_id=document_id_,
                        outcome=DeliveryReportOutcome.NOT_FOUND,
                        detail=str(error),
                    )
                )
                continue
            results.append(
                DeliveryReportResult(
                    document_id=document_id_,
                    outcome=DeliveryReportOutcome.RECORDED,
                    status=document.status,
                )
            )
        return results

    # -- what Billit does not have --------------------------------------------------------------

    async def resend(self, document_ids: list[str]) -> ResendResult:
        """Billit cannot put documents back in the feed (``resend=False``): refused."""
        raise _unsupported(Action.RESEND)

    async def tasks(self, cursor: str | None = None, *, wait: float = 0) -> TaskPage:
        """Billit queues no work for an agent (``tasks=False``): there is never a task."""
        return TaskPage(items=[], cursor=cursor or "")

    async def report_task(self, task_id: str, report: TaskReport) -> None:
        """There are no Billit tasks to report on: refused."""
        raise _unsupported(Action.REPORT_TASK, task=task_id)


def _unsupported(action: Action, **about: str) -> PlatformError:
    """What Billit answers for a call it does not have, as Ferry's platform would (405)."""
    return PlatformError(
        Failure.of(FailureCode.PLATFORM_REFUSED, action=action.value, status=405, **about),
        status=405,
    )


def _office_party_id(account: AccountInformation) -> int | None:
    """The office's own company when the login does not name it (an OAuth login): the one the
    user administers, else the first Billit lists."""
    for role in account.user_company_roles or []:
        if role.party_id is not None and "admin" in {
            r.strip().lower() for r in role.user_role_types or []
        }:
            return role.party_id
    for company in account.companies or []:
        if company.party_id is not None:
            return company.party_id
    return None


def _office_company(
    account: AccountInformation, party_id: int | None
) -> AccountInformationParty | None:
    for company in account.companies or []:
        if company.party_id is not None and company.party_id == party_id:
            return company
    return None


def _company_name(company: AccountInformationParty) -> str:
    for value in (company.display_name, company.name, company.commercial_name):
        if value and value.strip():
            return value.strip()
    return str(company.party_id)


def _kind(kind: str | None) -> DocumentKind | None:
    """The kind a listing is filtered on; an unknown one matches nothing Billit has."""
    if kind is None:
        return None
    try:
        return DocumentKind(kind)
    except ValueError:
        return DocumentKind.RECEIPT  # Billit's listings hold no receipt: an empty listing


def _matches(
    document: Document, status: str | None, kind: DocumentKind | None, q: str | None
) -> bool:
    """The engine's filters, applied to a listed document (Billit's OData is not relied on
    for what it may not apply)."""
    if status is not None and document.status.value != status:
        return False
    if kind is not None and document.kind is not kind:
        return False
    if q:
        text = q.strip().casefold()
        said = " ".join(v for v in (document.id, document.number, document.counterparty) if v)
        if text not in said.casefold():
            return False
    return True


def _more(read: int, skip: int, next_page_link: str | None, count: int | None) -> bool:
    """Whether a listing has items past this page: Billit links the next page while there
    are some (its guides), and ``Count`` says how many there are. An empty page ends it, so
    a server that always links a next page cannot keep a full sync reading forever."""
    if read == 0:
        return False
    if next_page_link:
        return True
    return count is not None and skip + read < count


def _following(
    position: ListingCursor, read: int, more: bool, parties: list[int], sources: list[str]
) -> ListingCursor | None:
    """Where the listing goes on after this page: further in this listing, the next listing
    of the same client, the next client, or nowhere (None: the full listing was read)."""
    if more:
        return ListingCursor(position.party_id, position.source, position.skip + read)
    index = sources.index(position.source)
    if index + 1 < len(sources):
        return ListingCursor(position.party_id, sources[index + 1], 0)
    later = [p for p in parties if p > position.party_id]
    return ListingCursor(later[0], sources[0], 0) if later else None
