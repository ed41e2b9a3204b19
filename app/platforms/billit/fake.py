"""A stateful fake of Billit's accountant feed, in Billit's wire format, over real HTTP.

Billit offers no local instance and its sandbox is on the internet, so Ferry's tests talk to
this instead: a Starlette app served by uvicorn on 127.0.0.1 in a thread of its own, as the
sandbox platform is (:mod:`app.sandbox.server`). It keeps the behaviour Ferry must cope with,
as Billit's description and guides state it:

- a feed gets every order or document exported after its registration; items stay in it until
  confirmed, and ``confirm`` takes them out (the place sent with it is kept, for the tests);
- a feed may be read once a minute: a sooner read is answered 429 with ``Retry-After``
  (the interval is a constructor argument, so tests need not wait a minute);
- OAuth 2.0 at ``POST /OAuth2/token``: codes and refresh tokens are single-use, each refresh
  answers a new refresh token (rotation), access tokens lapse; or an ``ApiKey`` header;
  ``POST /OAuth2/revoke`` (RFC 7009, the client's credentials in the body) kills a refresh
  token for good (200 for a token already dead too, as RFC 7009 says);
- the party headers: feed and account calls act on the accountant's company (``PartyID``);
  reading a client's order or document needs the client in ``PartyID`` and the accountant in
  ``ContextPartyID`` (Billit's guides), or it is refused;
- files as JSON with base64 content and the SHA-256 of the bytes;
- the listings a full sync reads (``GET /v1/orders``, ``GET /v1/documents``) of one client
  (the party headers as for one order), every order or document it ever exported, whatever
  the feed holds, paged as Billit's guides say (120 at most, ``$skip``, ``$top``, a
  ``NextPageLink`` while more are left, ``Count``), with the one ``$filter`` form Ferry sends
  (``Field eq value``, joined by ``and``); an order's PDF and a document's file named by a
  ``FileID`` (without content) and read at ``GET /v1/files/{fileID}``.

Every answer's body follows the description's schema for that operation and status (the tests
check each one). What the description does not say is marked where it is chosen: errors as
ASP.NET's ``{"Message": ...}``; a confirm of an item already confirmed answers 200 and changes
nothing; 400 for an unknown feed or item (the description lists no 404 for the feed).

Faults, as the sandbox's fault switches have them (:mod:`app.sandbox.faults`), on every
``/v1`` call: 5xx answers, 429 with ``Retry-After``, slow answers and connections dropped
half-way through the body, drawn from a seeded generator (:class:`FakeFaults`,
:meth:`BillitFake.set_faults`), so that a failing run can be played again. A fault comes in
front of Billit (a gateway's 5xx, a throttle, a network), except a drop, which cuts the answer
Billit gave: a feed read or a confirm dropped has happened there, as over a real network.

Administration is by Python calls (:meth:`BillitFake.add_client`, :meth:`BillitFake.add_order`,
:meth:`BillitFake.add_document`, :meth:`BillitFake.issue_code`), not over HTTP: only tests and
benchmarks drive it, in-process.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import json
import logging
import math
import random
import re
import secrets
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.sandbox.faults import silence_drop_logs

__all__ = ["BillitFake", "Confirmation", "FakeEntity", "FakeFaults"]

HOST = "127.0.0.1"

#: The most items a listing answers at once (Billit's page, say its guides).
PAGE_SIZE = 120

#: The accountant's own company (the office) in every fake.
OFFICE_PARTY_ID = 1000


@dataclass
class FakeEntity:
    """An order or document a client shared, with its file."""

    entity_type: str  # "Order" or "Document"
    entity_id: int
    party_id: int
    body: dict[str, Any]
    file_name: str
    content: bytes
    announced_sha256: str
    file_id: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass(frozen=True)
class FakeFaults:
    """How often each fault comes, per ``/v1`` call (rates from 0 to 1; the first three
    exclusive of each other, a slow answer on top of any), from a generator seeded with
    ``seed``: the same calls in the same order meet the same faults."""

    error_rate: float = 0.0
    throttle_rate: float = 0.0
    drop_rate: float = 0.0
    slow_rate: float = 0.0
    slow_s: float = 0.3
    retry_after_s: int = 1
    seed: int = 0
    #: Only calls whose path this pattern finds meet faults ("" for every ``/v1`` call).
    only: str = ""


#: Counts of the faults served, by kind (for the tests' own checks that faults came).
FAULT_KINDS = ("error", "throttle", "drop", "slow")

_log = logging.getLogger(__name__)


@dataclass
class _FeedEntry:
    item_id: int
    entity: FakeEntity
    confirmed: bool = False


@dataclass
class _Feed:
    name: str
    entries: dict[int, _FeedEntry] = field(default_factory=dict)
    last_read: float | None = None


@dataclass(frozen=True)
class Confirmation:
    """One ``confirm`` as the fake received it."""

    feed: str
    item_id: int
    remote_server_name: str | None
    remote_path: str | None
    changed: bool  # False for a confirm of an item already confirmed


@dataclass
class _Client:
    party_id: int
    name: str
    vat_number: str
    country: str


def _iso(moment: dt.datetime) -> str:
    """A date-time as the description's ``format: date-time`` (RFC 3339) requires: with zone."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.isoformat()


def _message(status: int, text: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """An error as ASP.NET Web API writes one (Billit's API is one: Swashbuckle's operation
    ids, ``Controller_Action``)."""
    return JSONResponse({"Message": text}, status_code=status, headers=headers)


class BillitFake:
    """A running fake of Billit for one office (the accountant's company) and its clients.

    >>> fake = BillitFake(feed_interval_s=0.5)
    >>> url = fake.start()                     # "http://127.0.0.1:41234"
    >>> client = fake.add_client("Bakkerij Peeters BV", "BE0123456749")
    >>> fake.add_order(client, direction="Cost", number="INV-1", file_name="inv-1.pdf",
    ...                content=b"%PDF-1.7 ...")
    >>> fake.stop()
    """

    def __init__(
        self,
        *,
        feed_interval_s: float = 60.0,
        access_token_ttl_s: int = 3600,
        client_id: str = "ferry-test",
        client_secret: str | None = None,
        api_key: str | None = None,
        office_name: str = "Boekhoudkantoor Janssens",
        email: str = "an.janssens@example.be",
    ) -> None:
        self.feed_interval_s = feed_interval_s
        self.access_token_ttl_s = access_token_ttl_s
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.api_key = api_key or secrets.token_urlsafe(24)
        self.office_name = office_name
        self.email = email
        self._lock = threading.Lock()
        self._clients: dict[int, _Client] = {}
        self._entities: dict[tuple[str, int], FakeEntity] = {}
        self._files: dict[str, FakeEntity] = {}
        self._feeds: dict[str, _Feed] = {}
        self._codes: set[str] = set()
        self._refresh_tokens: set[str] = set()
        self._spent_refresh_tokens: set[str] = set()
        #: Each refresh token revoked, in order (what a logout told Billit).
        self.revoked: list[str] = []
        self._access_tokens: dict[str, float] = {}
        self._next_party = 2001
        self._next_entity = 50_001
        self._next_item = 9_001
        self.confirmations: list[Confirmation] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        #: Each request's path and query (a listing's ``$skip``, ``$top``, ``$filter``).
        self.queries: list[tuple[str, dict[str, str]]] = []
        self._faults = FakeFaults()
        self._dice = random.Random(0)  # noqa: S311 - fault dice, not cryptography
        self.faults_served: dict[str, int] = dict.fromkeys(FAULT_KINDS, 0)
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    # --- what callers need to know ------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._port is None:
            raise RuntimeError("The Billit fake is not started.")
        return f"http://{HOST}:{self._port}"

    @property
    def token_url(self) -> str:
        return f"{self.url}/OAuth2/token"

    @property
    def office_party_id(self) -> int:
        return OFFICE_PARTY_ID

    # --- administration -----------------------------------------------------------------------

    def add_client(self, name: str, vat_number: str, country: str = "BE") -> int:
        """A client company of the office; its party id."""
        with self._lock:
            party = self._next_party
            self._next_party += 1
            self._clients[party] = _Client(party, name, vat_number, country)
            return party

    def add_order(
        self,
        party_id: int,
        *,
        direction: str = "Cost",
        number: str = "INV-0001",
        order_type: str = "Invoice",
        date: dt.date = dt.date(2025, 3, 14),
        total_incl: float = 121.0,
        currency: str = "EUR",
        counterparty: str = "Brouwerij De Koninck NV",
        file_name: str = "invoice.pdf",
        content: bytes = b"%PDF-1.7\n%fake\n",
    ) -> FakeEntity:
        """An invoice (``Cost``: purchase, ``Income``: sales) the client exported; it enters
        every feed registered before now."""
        with self._lock:
            entity_id = self._next_entity
            self._next_entity += 1
            created = dt.datetime.now(dt.UTC).replace(microsecond=0)
            other = {"Name": counterparty}
            body: dict[str, Any] = {
                "OrderID": entity_id,
                "CompanyID": party_id,
                "OrderNumber": number,
                "OrderType": order_type,
                "OrderDirection": direction,
                "OrderDate": _iso(dt.datetime.combine(date, dt.time(), dt.UTC)),
                "Created": _iso(created),
                "LastModified": _iso(created),
                "TotalIncl": total_incl,
                "TotalExcl": round(total_incl / 1.21, 2),
                "TotalVAT": round(total_incl - total_incl / 1.21, 2),
                "Currency": currency,
                "Customer" if direction == "Income" else "Supplier": other,
            }
            return self._export("Order", entity_id, party_id, body, file_name, content)

    def add_document(
        self,
        party_id: int,
        *,
        name: str = "Contract",
        date: dt.date = dt.date(2025, 3, 14),
        file_name: str = "document.pdf",
        content: bytes = b"%PDF-1.7\n%fake document\n",
    ) -> FakeEntity:
        """Any other file the client exported (a CODA file is a bank statement for Ferry)."""
        with self._lock:
            entity_id = self._next_entity
            self._next_entity += 1
            created = dt.datetime.now(dt.UTC).replace(microsecond=0)
            body: dict[str, Any] = {
                "DocumentID": entity_id,
                "CompanyID": party_id,
                "Name": name,
                "Description": name,
                "DocumentDate": _iso(dt.datetime.combine(date, dt.time(), dt.UTC)),
                "CreationDate": _iso(created),
                "Tags": [],
            }
            return self._export("Document", entity_id, party_id, body, file_name, content)

    def _export(
        self,
        entity_type: str,
        entity_id: int,
        party_id: int,
        body: dict[str, Any],
        file_name: str,
        content: bytes,
    ) -> FakeEntity:
        if party_id not in self._clients:
            raise ValueError(f"no client with party id {party_id}")
        entity = FakeEntity(
            entity_type,
            entity_id,
            party_id,
            body,
            file_name,
            content,
            hashlib.sha256(content).hexdigest(),
        )
        # The file is named, not carried: its bytes are at /v1/files/{FileID}.
        body["OrderPDF" if entity_type == "Order" else "File"] = {
            "FileID": entity.file_id,
            "FileName": file_name,
            "MimeType": "application/octet-stream",
        }
        self._entities[(entity_type, entity_id)] = entity
        self._files[entity.file_id] = entity
        for feed in self._feeds.values():
            feed.entries[self._next_item] = _FeedEntry(self._next_item, entity)
            self._next_item += 1
        return entity

    def set_faults(self, faults: FakeFaults) -> None:
        """From now on, faults as ``faults`` says, drawn from its seed anew."""
        with self._lock:
            self._faults = faults
            self._dice = random.Random(faults.seed)  # noqa: S311 - fault dice

    def clear_faults(self) -> None:
        with self._lock:
            self._faults = FakeFaults()

    def _roll(self) -> tuple[str | None, bool, int]:
        """This call's fault (error, throttle, drop or none), whether it is slow, and the
        status of an error: one draw per call from the seeded generator."""
        with self._lock:
            faults = self._faults
            if faults == FakeFaults(seed=faults.seed, only=faults.only):
                return None, False, 0
            roll, slow, status = self._dice.random(), self._dice.random(), self._dice.random()
            kind: str | None = None
            if roll < faults.error_rate:
                kind = "error"
            elif roll < faults.error_rate + faults.throttle_rate:
                kind = "throttle"
            elif roll < faults.error_rate + faults.throttle_rate + faults.drop_rate:
                kind = "drop"
            is_slow = slow < faults.slow_rate
            if kind is not None:
                self.faults_served[kind] += 1
            if is_slow:
                self.faults_served["slow"] += 1
            return kind, is_slow, 503 if status < 0.5 else 500

    def delete(self, entity: FakeEntity) -> None:
        """The client deletes the order or document: gone from the listings, its reads and
        its file (a feed item still naming it stays, as Billit's would)."""
        with self._lock:
            self._entities.pop((entity.entity_type, entity.entity_id), None)
            self._files.pop(entity.file_id, None)

    def announce_wrong_sha256(self, entity: FakeEntity) -> None:
        """From now on the entity's file is served with a SHA-256 that does not match it."""
        with self._lock:
            entity.announced_sha256 = hashlib.sha256(entity.content + b"!").hexdigest()

    def issue_code(self) -> str:
        """An authorization code, as the browser login would hand one to Ferry's loopback."""
        with self._lock:
            code = secrets.token_urlsafe(16)
            self._codes.add(code)
            return code

    def unconfirmed(self, feed: str) -> list[int]:
        """The ids of the items still in ``feed``."""
        with self._lock:
            return [e.item_id for e in self._feeds[feed].entries.values() if not e.confirmed]

    def feed_names(self) -> list[str]:
        with self._lock:
            return list(self._feeds)

    # --- HTTP ---------------------------------------------------------------------------------

    def app(self) -> ASGIApp:
        """The ASGI app, behind its fault switches (also usable without a socket, through
        httpx's ASGI transport)."""
        feeds = "/v1/accountant/feeds"
        app = Starlette(
            routes=[
                Route("/OAuth2/token", self._token, methods=["POST"]),
                Route("/OAuth2/revoke", self._revoke, methods=["POST"]),
                Route("/v1/account/accountInformation", self._account, methods=["GET"]),
                Route(feeds, self._list_feeds, methods=["GET"]),
                Route(feeds, self._register_feed, methods=["POST"]),
                Route(feeds + "/{feedName}", self._read_feed, methods=["GET"]),
                Route(feeds + "/{feedName}/{feedItemID:int}", self._file, methods=["GET"]),
                Route(
                    feeds + "/{feedName}/{feedItemID:int}/confirm",
                    self._confirm,
                    methods=["POST"],
                ),
                Route("/v1/orders", self._list_orders, methods=["GET"]),
                Route("/v1/orders/{orderID:int}", self._order, methods=["GET"]),
                Route("/v1/documents", self._list_documents, methods=["GET"]),
                Route("/v1/documents/{documentID:int}", self._document, methods=["GET"]),
                Route("/v1/files/{fileID}", self._entity_file, methods=["GET"]),
            ]
        )
        return _Faulty(app, self)

    async def _body(self, request: Request) -> dict[str, Any]:
        """A JSON or form body (Billit accepts both, says the description), or {}."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":
            form = await request.form()
            return {k: v for k, v in form.items() if isinstance(v, str)}
        raw = await request.body()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def _note(self, request: Request) -> None:
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        self.requests.append((request.method, request.url.path, headers))
        self.queries.append((request.url.path, dict(request.query_params)))

    def _refused(self, request: Request) -> Response | None:
        """401 unless the request carries a live access token or the API key."""
        self._note(request)
        key = request.headers.get("apikey")
        if key is not None and secrets.compare_digest(key, self.api_key):
            return None
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        expires = self._access_tokens.get(token) if scheme.lower() == "bearer" else None
        if expires is not None and time.time() < expires:
            return None
        return _message(401, "Authorization has been denied for this request.")

    def _office_party(self, request: Request) -> Response | None:
        """400 unless ``PartyID`` names the office: the feed is the accountant's own."""
        if request.headers.get("partyid") != str(OFFICE_PARTY_ID):
            return _message(400, "PartyID must name the accountant's company for its feed.")
        return None

    def _client_refused(self, body: dict[str, Any]) -> Response | None:
        """401 ``invalid_client`` unless the body names the client with its secret."""
        if body.get("client_id") != self.client_id or not secrets.compare_digest(
            str(body.get("client_secret", "")), self.client_secret
        ):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        return None

    async def _revoke(self, request: Request) -> Response:
        """RFC 7009: the client's own token dies; a token unknown or already dead is 200 too
        (so a revocation says nothing of which tokens exist)."""
        self._note(request)
        body = await self._body(request)
        if refused := self._client_refused(body):
            return refused
        token = str(body.get("token", ""))
        if not token:
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        with self._lock:
            if token in self._refresh_tokens:
                self._refresh_tokens.discard(token)
                self.revoked.append(token)
        return JSONResponse({})

    async def _token(self, request: Request) -> Response:
        self._note(request)
        body = await self._body(request)
        if refused := self._client_refused(body):
            return refused
        grant = body.get("grant_type")
        with self._lock:
            if grant == "authorization_code":
                code = str(body.get("code", ""))
                if code not in self._codes:
                    return _invalid_grant("The authorization code is unknown or was used.")
                self._codes.discard(code)
            elif grant == "refresh_token":
                token = str(body.get("refresh_token", ""))
                if token in self._spent_refresh_tokens:
                    return _invalid_grant("The refresh token was already used.")
                if token not in self._refresh_tokens:
                    return _invalid_grant("The refresh token is unknown.")
                self._refresh_tokens.discard(token)
                self._spent_refresh_tokens.add(token)
            else:
                return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
            access = secrets.token_urlsafe(24)
            refresh = secrets.token_urlsafe(24)
            self._access_tokens[access] = time.time() + self.access_token_ttl_s
            self._refresh_tokens.add(refresh)
        return JSONResponse(
            {
                "access_token": access,
                "token_type": "bearer",
                "expires_in": self.access_token_ttl_s,
                "refresh_token": refresh,
            }
        )

    async def _account(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        with self._lock:
            clients = list(self._clients.values())
        office = {
            "PartyID": OFFICE_PARTY_ID,
            "Name": self.office_name,
            "CommercialName": self.office_name,
            "DisplayName": self.office_name,
            "VATNumber": "BE0403170701",
            "CountryCode": "BE",
            "Language": "NL",
            "APIAllowed": True,
        }
        companies = [office] + [
            {
                "PartyID": c.party_id,
                "Name": c.name,
                "CommercialName": c.name,
                "DisplayName": c.name,
                "VATNumber": c.vat_number,
                "CountryCode": c.country,
                "APIAllowed": True,
            }
            for c in clients
        ]
        roles = [{"PartyID": OFFICE_PARTY_ID, "UserRoleTypes": ["Admin", "Accountant"]}] + [
            {"PartyID": c.party_id, "UserRoleTypes": ["Accountant"]} for c in clients
        ]
        first, _, last = "An Janssens".partition(" ")
        return JSONResponse(
            {
                "Email": self.email,
                "FirstName": first,
                "LastName": last,
                "Companies": companies,
                "UserCompanyRoles": roles,
            }
        )

    async def _list_feeds(self, request: Request) -> Response:
        if refused := self._refused(request) or self._office_party(request):
            return refused
        with self._lock:
            return JSONResponse([{"Name": name} for name in self._feeds])

    async def _register_feed(self, request: Request) -> Response:
        if refused := self._refused(request) or self._office_party(request):
            return refused
        name = (await self._body(request)).get("Name")
        if not isinstance(name, str) or not name.strip():
            return _message(400, "The feed needs a Name.")
        with self._lock:
            if name in self._feeds:
                return _message(400, f"A feed named '{name}' already exists.")
            self._feeds[name] = _Feed(name)
        return Response(status_code=200)

    def _feed(self, request: Request) -> _Feed | Response:
        feed = self._feeds.get(request.path_params["feedName"])
        return feed if feed is not None else _message(400, "There is no feed by that name.")

    async def _read_feed(self, request: Request) -> Response:
        if refused := self._refused(request) or self._office_party(request):
            return refused
        with self._lock:
            feed = self._feed(request)
            if isinstance(feed, Response):
                return feed
            now = time.monotonic()
            if feed.last_read is not None and now - feed.last_read < self.feed_interval_s:
                wait = math.ceil(self.feed_interval_s - (now - feed.last_read))
                return _message(
                    429,
                    "Read this feed at most once a minute.",
                    headers={"Retry-After": str(max(1, wait))},
                )
            feed.last_read = now
            items = [
                {
                    "FeedItemID": entry.item_id,
                    "EntityID": entry.entity.entity_id,
                    "EntityType": entry.entity.entity_type,
                    "PartyID": entry.entity.party_id,
                }
                for entry in feed.entries.values()
                if not entry.confirmed
            ]
        return JSONResponse(items)

    async def _file(self, request: Request) -> Response:
        if refused := self._refused(request) or self._office_party(request):
            return refused
        with self._lock:
            feed = self._feed(request)
            if isinstance(feed, Response):
                return feed
            entry = feed.entries.get(request.path_params["feedItemID"])
            if entry is None or entry.confirmed:
                return _message(400, "There is no such item in this feed.")
            entity = entry.entity
            return JSONResponse(
                {
                    "FileName": entity.file_name,
                    "FileContent": base64.b64encode(entity.content).decode("ascii"),
                    "FileContentSHA256Hash": entity.announced_sha256,
                }
            )

    async def _confirm(self, request: Request) -> Response:
        if refused := self._refused(request) or self._office_party(request):
            return refused
        body = await self._body(request)
        with self._lock:
            feed = self._feed(request)
            if isinstance(feed, Response):
                return feed
            item_id = request.path_params["feedItemID"]
            entry = feed.entries.get(item_id)
            if entry is None:
                return _message(400, "There is no such item in this feed.")
            self.confirmations.append(
                Confirmation(
                    feed.name,
                    item_id,
                    _text(body.get("RemoteServerName")),
                    _text(body.get("RemotePath")),
                    changed=not entry.confirmed,
                )
            )
            entry.confirmed = True
        return Response(status_code=200)

    def _entity(self, request: Request, entity_type: str, key: str) -> Response:
        with self._lock:
            entity = self._entities.get((entity_type, request.path_params[key]))
            if entity is None:
                return _message(404, f"No {entity_type.lower()} with that id.")
            party = request.headers.get("partyid")
            context = request.headers.get("contextpartyid")
            if party != str(entity.party_id) or context != str(OFFICE_PARTY_ID):
                return _message(
                    400,
                    "PartyID must name the client and ContextPartyID the accountant's company.",
                )
            return JSONResponse(entity.body)

    def _acting_for(self, request: Request) -> int | Response:
        """The client a listing is read for: ``PartyID`` a client of the office and
        ``ContextPartyID`` the office (Billit's guides), or 400."""
        party = request.headers.get("partyid", "")
        context = request.headers.get("contextpartyid")
        if not party.isdigit() or int(party) not in self._clients:
            return _message(400, "PartyID must name a client of the accountant's company.")
        if context != str(OFFICE_PARTY_ID):
            return _message(400, "ContextPartyID must name the accountant's company.")
        return int(party)

    def _listing(self, request: Request, entity_type: str) -> Response:
        """One page of a client's orders or documents, as Billit pages them."""
        with self._lock:
            party = self._acting_for(request)
            if isinstance(party, Response):
                return party
            try:
                skip = int(request.query_params.get("$skip", "0"))
                top = min(PAGE_SIZE, int(request.query_params.get("$top", str(PAGE_SIZE))))
                wanted = _odata_filter(request.query_params.get("$filter"))
            except ValueError as error:
                return _message(400, f"The query is invalid: {error}")
            if skip < 0 or top < 0:
                return _message(400, "The query is invalid: $skip and $top count from 0.")
            found = [
                e.body
                for (kind, _), e in sorted(self._entities.items(), key=lambda i: i[0][1])
                if kind == entity_type
                and e.party_id == party
                and all(e.body.get(k) == v for k, v in wanted.items())
            ]
        page = found[skip : skip + top]
        answer: dict[str, Any] = {"Items": page, "Count": len(found)}
        if skip + len(page) < len(found):
            following = request.url.include_query_params(**{"$skip": str(skip + len(page))})
            answer["NextPageLink"] = str(following)
        return JSONResponse(answer)

    async def _list_orders(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        return self._listing(request, "Order")

    async def _list_documents(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        return self._listing(request, "Document")

    async def _entity_file(self, request: Request) -> Response:
        """An order's or document's file by its ``FileID``, for its client only."""
        if refused := self._refused(request):
            return refused
        with self._lock:
            entity = self._files.get(request.path_params["fileID"])
            party = self._acting_for(request)
            if isinstance(party, Response):
                return party
            if entity is None or entity.party_id != party:
                return _message(404, "No file with that id.")
            return JSONResponse(
                {
                    "FileID": entity.file_id,
                    "FileName": entity.file_name,
                    "MimeType": "application/octet-stream",
                    "FileContent": base64.b64encode(entity.content).decode("ascii"),
                }
            )

    async def _order(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        return self._entity(request, "Order", "orderID")

    async def _document(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        return self._entity(request, "Document", "documentID")

    # --- life cycle ---------------------------------------------------------------------------

    def start(self, timeout: float = 30.0) -> str:
        """Bind a free port on 127.0.0.1, serve in a thread; the base URL once it answers."""
        if self._thread is not None:
            raise RuntimeError("The Billit fake is already started.")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if sys.platform != "win32":  # on Windows this flag would let another process steal it
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, 0))
        sock.listen(128)
        self._socket = sock
        self._port = sock.getsockname()[1]
        silence_drop_logs()  # a drop is the point, not an error of the app
        config = uvicorn.Config(
            self.app(),
            log_level="warning",
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        self._server = server
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="billit-fake", daemon=True
        )
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("The Billit fake did not start.")
            time.sleep(0.01)
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        server, thread = self._server, self._thread
        if server is not None and thread is not None:
            server.should_exit = True
            thread.join(timeout)
            if thread.is_alive():
                server.force_exit = True
                thread.join(timeout)
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._server = None
        self._thread = None

    def __enter__(self) -> BillitFake:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class _Faulty:
    """The fault switches in front of the app, as a pure ASGI middleware so that a drop can
    cut an answer in the middle of its body (see :mod:`app.sandbox.faults`)."""

    def __init__(self, app: ASGIApp, fake: BillitFake) -> None:
        self.app = app
        self.fake = fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        only = self.fake._faults.only
        if only and not re.search(only, str(scope.get("path", ""))):
            await self.app(scope, receive, send)
            return
        kind, slow, status = self.fake._roll()
        if slow:
            await asyncio.sleep(self.fake._faults.slow_s)
        retry_after = str(self.fake._faults.retry_after_s)
        if kind == "throttle":
            answer = _message(429, "Too many requests.", headers={"Retry-After": retry_after})
            await answer(scope, receive, send)
        elif kind == "error":
            headers = {"Retry-After": retry_after} if status == 503 else None
            await _message(status, "An error has occurred.", headers)(scope, receive, send)
        elif kind == "drop":
            try:
                await self.app(scope, receive, _dropping(send))
            except _DropNow:
                _log.info("dropped the connection of %s (fault)", scope.get("path"))
        else:
            await self.app(scope, receive, send)


class _DropNow(Exception):
    """Raised inside the app's send to stop the answer half-way."""


def _dropping(send: Send) -> Send:
    """A send that forwards the headers and half of the body, then stops: the server closes
    the connection, and the client sees a body shorter than its Content-Length (whatever the
    app did, a confirm included, has happened)."""
    state = {"declared": 0, "stopped": False}

    async def wrapped(message: Message) -> None:
        if state["stopped"]:
            raise _DropNow
        if message["type"] == "http.response.start":
            headers = []
            for name, value in message.get("headers", []):
                if name.lower() == b"content-length":
                    state["declared"] = int(value)
                    # An empty answer (a confirm's) is cut too: it announces a byte that
                    # never comes, so the client cannot take the headers for the answer.
                    value = value if int(value) else b"1"
                headers.append((name, value))
            await send({**message, "headers": headers})
            return
        if message["type"] == "http.response.body":
            body: bytes = message.get("body", b"")
            cut = body[: max(state["declared"], len(body)) // 2]
            if cut:
                await send({"type": "http.response.body", "body": cut, "more_body": True})
            state["stopped"] = True
            raise _DropNow
        await send(message)

    return wrapped


def _invalid_grant(description: str) -> JSONResponse:
    return JSONResponse(
        {"error": "invalid_grant", "error_description": description}, status_code=400
    )


def _odata_filter(text: str | None) -> dict[str, object]:
    """The ``$filter`` forms the fake understands: ``Field eq 12`` or ``Field eq 'text'``,
    joined by ``and``; anything else is refused (ValueError), so a filter Ferry sends that
    Billit's simple form does not cover fails a test instead of being ignored."""
    wanted: dict[str, object] = {}
    if not text:
        return wanted
    for clause in re.split(r"\s+and\s+", text.strip()):
        found = re.fullmatch(r"(\w+)\s+eq\s+(-?\d+|'[^']*')", clause.strip())
        if found is None:
            raise ValueError(f"unsupported $filter clause {clause!r}")
        field_name, value = found.groups()
        wanted[field_name] = value[1:-1] if value.startswith("'") else int(value)
    return wanted


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
