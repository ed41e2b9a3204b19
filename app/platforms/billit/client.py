"""Billit's accountant feed and account call over httpx, failures as Ferry's failure codes.

Every call goes through :meth:`BillitClient._request`, which adds the login (an ``ApiKey``
header, or an OAuth 2.0 bearer token refreshed once on a 401) and the party headers, and turns
whatever goes wrong into a :class:`~app.platform.errors.PlatformError` carrying a
:class:`~app.core.failures.Failure` with the same codes as Ferry's own platform client (a 429
is ``platform_busy`` with its ``Retry-After``; a 401 ``login_refused``), so the engine decides
from codes, never from Billit's English.

The party headers, from Billit's guides: ``PartyID`` names the company a call acts on;
an accountant acting for a client sends the client's id in ``PartyID`` and its own company's in
``ContextPartyID``. (The description's ``FeedItem.PartyID`` text says to put the client's id in
``contextPartyID`` instead; the two disagree, see :func:`party_headers`.)

What Billit lacks beside Ferry's own API, and what callers must do about it: the feed has no
long-poll and may be read once a minute (:data:`FEED_MIN_INTERVAL_S`); files come whole as
base64 JSON, without ranges, with their SHA-256 (checked here, :func:`decode_file`); there is no
error report: an item that could not be delivered is simply not confirmed and comes back.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.core.failures import Action, Failure, FailureCode
from app.platform.errors import (
    About,
    PlatformError,
    error_from_exception,
    error_from_response,
    not_understood,
    parse_answer,
)
from app.platforms.billit.wire import (
    AccountInformation,
    ConfirmRequest,
    DocumentPageResult,
    DocumentView,
    Feed,
    FeedItem,
    File,
    FileDetails,
    Order,
    OrderPageResult,
    RevokeRequest,
    TokenAnswer,
    TokenRequest,
)

log = logging.getLogger(__name__)

Model = TypeVar("Model", bound=BaseModel)

#: Billit's production API; its sandbox is ``https://api.sandbox.billit.be``.
PRODUCTION_URL = "https://api.billit.be"
SANDBOX_URL = "https://api.sandbox.billit.be"

#: The feed "is meant to be read at most once a minute" (the description and the guides).
FEED_MIN_INTERVAL_S = 60.0

TIMEOUT = httpx.Timeout(30.0, connect=10.0)

#: How many orders or documents a listing asks for at once: Billit's own page size (120, say
#: its guides), so that one page in memory is what Billit sends anyway.
LISTING_TOP = 120

_FEEDS = TypeAdapter(list[Feed])
_ITEMS = TypeAdapter(list[FeedItem])
_SHA256_HEX = frozenset("0123456789abcdef")


def party_headers(party_id: int | None, context_party_id: int | None = None) -> dict[str, str]:
    """The headers that say on whose behalf a call is made.

    ``party_id`` is the company the call acts on (the office's own for the feed, the client's
    for one of its orders or documents); ``context_party_id`` is the accountant's company when
    it acts for a client, as Billit's guides describe ``ContextPartyID``. Kept in this one
    place because the description's text on ``FeedItem.PartyID`` reads the other way round.
    """
    headers: dict[str, str] = {}
    if party_id is not None:
        headers["PartyID"] = str(party_id)
    if context_party_id is not None and context_party_id != party_id:
        headers["ContextPartyID"] = str(context_party_id)
    return headers


# --- logins ----------------------------------------------------------------------------------


class Credentials(Protocol):
    """How a request proves who sends it."""

    async def headers(self, http: httpx.AsyncClient) -> dict[str, str]:
        """The headers to send now (refreshing the login first if it is about to lapse)."""
        ...

    async def after_refused(self, http: httpx.AsyncClient, sent: Mapping[str, str]) -> bool:
        """A request with ``sent`` got 401: renew the login if that can help; whether to retry."""
        ...


@dataclass(frozen=True)
class ApiKey:
    """An API key (``ApiKey`` header), for an office's own, non-commercial use of Billit."""

    key: str

    async def headers(self, http: httpx.AsyncClient) -> dict[str, str]:
        return {"ApiKey": self.key}

    async def after_refused(self, http: httpx.AsyncClient, sent: Mapping[str, str]) -> bool:
        return False  # a refused key stays refused: a person must paste a new one


@dataclass(frozen=True)
class OAuthTokens:
    """One access token and the single-use refresh token that replaces it."""

    access_token: str
    refresh_token: str | None
    expires_at: float | None


class OAuthLogin:
    """An OAuth 2.0 login (authorization code with a client secret): access tokens of an hour,
    refreshed a minute before they lapse and once on a 401.

    Billit's refresh tokens are single-use and rotate: each refresh answers the next one, and
    the old one is dead from then on. ``on_rotate`` is called with the new tokens before any
    request uses them, so the caller writes them to the keyring at once; a crash after a
    refresh must not leave only a spent token behind. Refreshes are serialised: two requests
    finding the token lapsed must not spend the same refresh token twice.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        tokens: OAuthTokens,
        *,
        on_rotate: Callable[[OAuthTokens], Awaitable[None]] | None = None,
        margin_s: float = 60.0,
    ) -> None:
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._tokens = tokens
        self._on_rotate = on_rotate
        self._margin_s = margin_s
        self._lock = asyncio.Lock()

    @property
    def tokens(self) -> OAuthTokens:
        return self._tokens

    async def headers(self, http: httpx.AsyncClient) -> dict[str, str]:
        expires_at = self._tokens.expires_at
        if expires_at is not None and time.time() > expires_at - self._margin_s:
            await self._refresh_from(http, self._tokens.access_token)
        return {"Authorization": f"Bearer {self._tokens.access_token}"}

    async def after_refused(self, http: httpx.AsyncClient, sent: Mapping[str, str]) -> bool:
        if self._tokens.refresh_token is None:
            return False
        used = sent.get("Authorization", "").removeprefix("Bearer ")
        await self._refresh_from(http, used)
        return True

    async def refresh(self, http: httpx.AsyncClient) -> OAuthTokens:
        """Spend the refresh token for new tokens now; raises ``login_refused`` when Billit
        refuses it (expired, revoked or already used)."""
        return await self._refresh_from(http, self._tokens.access_token)

    async def _refresh_from(self, http: httpx.AsyncClient, stale_access: str) -> OAuthTokens:
        async with self._lock:
            if self._tokens.access_token != stale_access:
                return self._tokens  # another request refreshed while this one waited
            if self._tokens.refresh_token is None:
                raise PlatformError(Failure.of(FailureCode.LOGIN_NEEDED))
            body = TokenRequest(
                grant_type="refresh_token",
                client_id=self._client_id,
                client_secret=self._client_secret,
                refresh_token=self._tokens.refresh_token,
            )
            answer = await request_token(http, self._token_url, body)
            tokens = OAuthTokens(
                access_token=answer.access_token,
                refresh_token=answer.refresh_token,
                expires_at=None if answer.expires_in is None else time.time() + answer.expires_in,
            )
            if self._on_rotate is not None:
                await self._on_rotate(tokens)
            self._tokens = tokens
            return tokens


async def request_token(http: httpx.AsyncClient, token_url: str, body: TokenRequest) -> TokenAnswer:
    """``POST /OAuth2/token``; a refusal is ``login_refused`` with Billit's words.

    The body is JSON, not OAuth's usual form encoding: the description's ``consumes`` names
    ``application/x-www-form-urlencoded`` too, but for a ``body`` parameter, which Swagger 2
    cannot pair with a form (forms are ``formData`` parameters), and a strict reading of the
    description (Prism's) refuses a form there. JSON is its first content type.
    """
    response = await _post_oauth(http, token_url, body)
    return parse_answer(response, TokenAnswer, Action.READ_OFFICE)


async def _post_oauth(
    http: httpx.AsyncClient, url: str, body: TokenRequest | RevokeRequest
) -> httpx.Response:
    """One OAuth 2.0 call (token or revocation), JSON as Billit's description has it; a 400
    or 401 is ``login_refused`` with Billit's words, any other refusal the failure its status
    says."""
    try:
        response = await http.post(
            url, json=body.wire(), headers={"Accept": "application/json"}, timeout=TIMEOUT
        )
    except httpx.HTTPError as error:
        raise error_from_exception(error, Action.READ_OFFICE) from None
    if response.status_code in (400, 401):
        detail = _said(response)
        failure = Failure.of(
            FailureCode.LOGIN_REFUSED, status=response.status_code, detail=detail or None
        )
        raise PlatformError(failure, status=response.status_code)
    if response.status_code >= 400:
        raise _error(response, Action.READ_OFFICE, {})
    return response


async def revoke_token(http: httpx.AsyncClient, revoke_url: str, body: RevokeRequest) -> None:
    """``POST /OAuth2/revoke`` (RFC 7009): Billit forgets the token. A 200 says it is dead
    (RFC 7009 answers 200 for a token already dead too); a refusal is ``login_refused`` with
    Billit's words, anything else the failure its status says. JSON, as the token call."""
    await _post_oauth(http, revoke_url, body)


# --- files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedFile:
    """A feed item's file, decoded and checked: its bytes and their SHA-256 (hex)."""

    name: str | None
    content: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def decode_file(details: FileDetails, item: str) -> FeedFile | Failure:
    """The bytes of a ``FileDetails`` answer, checked against its SHA-256 when it gives one.

    Pure, so the property tests can feed it anything the description allows. Content that is
    not base64 is an answer Ferry does not understand; bytes whose SHA-256 differs from the
    announced one are a ``checksum`` failure (nothing is written, the item is not confirmed
    and comes back). The hash is read as hex in either case, or as base64 of 32 bytes.
    """
    about = {"action": Action.DOWNLOAD.value, "document": item}
    text = details.file_content
    if text is None:
        return Failure.of(FailureCode.PLATFORM_NOT_UNDERSTOOD, **about, field="FileContent")
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return Failure.of(FailureCode.PLATFORM_NOT_UNDERSTOOD, **about, field="FileContent")
    digest = hashlib.sha256(content).hexdigest()
    announced = details.file_content_sha256
    if announced is not None and _digest_hex(announced) != digest:
        return Failure.of(
            FailureCode.CHECKSUM,
            document=item,
            name=details.file_name or item,
            size=len(content),
            expected_size=len(content),
        )
    return FeedFile(name=details.file_name, content=content, sha256=digest)


def _digest_hex(announced: str) -> str | None:
    """An announced SHA-256 as lower-case hex, from hex or base64; None when it is neither."""
    text = announced.strip()
    if len(text) == 64 and set(text.lower()) <= _SHA256_HEX:
        return text.lower()
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 32 else None


# --- the client ------------------------------------------------------------------------------


class BillitClient:
    """Typed calls to Billit's API for one login and one office (the accountant's company).

    ``office_party_id`` is the accountant's own company; it goes in ``PartyID`` for the feed
    and the account call (unknown before the first account call of an OAuth login: then the
    header is left out).
    """

    def __init__(
        self,
        api_url: str,
        credentials: Credentials,
        http: httpx.AsyncClient,
        *,
        office_party_id: int | None = None,
    ) -> None:
        self._base = api_url.rstrip("/")
        self._credentials = credentials
        self._http = http
        self.office_party_id = office_party_id

    async def _request(
        self,
        method: str,
        path: str,
        action: Action,
        *,
        about: Mapping[str, About] | None = None,
        party: Mapping[str, str] | None = None,
        json: Any = None,
        params: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        headers = dict(party if party is not None else party_headers(self.office_party_id))
        for attempt in range(2):
            sent = {**headers, **await self._credentials.headers(self._http)}
            try:
                response = await self._http.request(
                    method,
                    self._base + path,
                    json=json,
                    params=params,
                    headers=sent,
                    timeout=TIMEOUT,
                )
            except httpx.HTTPError as error:
                raise error_from_exception(error, action, **(about or {})) from None
            renew = response.status_code == 401 and attempt == 0
            if renew and await self._credentials.after_refused(self._http, sent):
                continue
            if response.status_code >= 400:
                raise _error(response, action, about or {})
            return response
        raise AssertionError("unreachable: the second attempt always returns or raises")

    async def account_information(self) -> AccountInformation:
        """Who is logged in, and the companies they reach (the office's and its clients')."""
        response = await self._request("GET", "/v1/account/accountInformation", Action.READ_OFFICE)
        return parse_answer(response, AccountInformation, Action.READ_OFFICE)

    async def feeds(self) -> list[Feed]:
        response = await self._request("GET", "/v1/accountant/feeds", Action.WAIT_CHANGES)
        return _parse_list(response, _FEEDS, Action.WAIT_CHANGES)

    async def register_feed(self, name: str) -> bool:
        """Make sure the feed ``name`` exists; whether it had to be registered now.

        Billit puts every order or document exported after a feed's registration into it, so a
        feed is registered once per installation and never again: the list is read first, and
        registering is skipped when the name is there.
        """
        if any(feed.name == name for feed in await self.feeds()):
            return False
        await self._request(
            "POST", "/v1/accountant/feeds", Action.WAIT_CHANGES, json=Feed(Name=name).wire()
        )
        return True

    async def feed_items(self, name: str) -> list[FeedItem]:
        """The items not yet confirmed. Read at most once a minute: a sooner read is answered
        429, raised as a transient ``platform_busy`` with the ``Retry-After`` delay."""
        response = await self._request("GET", _feed_path(name), Action.WAIT_CHANGES)
        return _parse_list(response, _ITEMS, Action.WAIT_CHANGES)

    async def feed_file(self, name: str, item_id: int) -> FeedFile:
        """One item's file, decoded and checked against its SHA-256."""
        about = {"document": str(item_id)}
        response = await self._request(
            "GET", f"{_feed_path(name)}/{item_id}", Action.DOWNLOAD, about=about
        )
        details = parse_answer(response, FileDetails, Action.DOWNLOAD, about)
        decoded = decode_file(details, str(item_id))
        if isinstance(decoded, Failure):
            raise PlatformError(decoded, status=response.status_code)
        return decoded

    async def confirm(
        self, name: str, item_id: int, *, server: str | None = None, path: str | None = None
    ) -> None:
        """Take the item out of the feed after it was delivered; ``server`` and ``path`` say
        where it went (the description keeps them "for logging purpose")."""
        body = ConfirmRequest(RemoteServerName=server, RemotePath=path).wire()
        await self._request(
            "POST",
            f"{_feed_path(name)}/{item_id}/confirm",
            Action.REPORT,
            about={"document": str(item_id)},
            json=body,
        )

    async def order(self, order_id: int, party_id: int | None) -> Order:
        """An order of the client ``party_id`` (the feed item's ``PartyID``), read as the
        accountant acting for that client."""
        about = {"document": str(order_id)}
        response = await self._request(
            "GET",
            f"/v1/orders/{order_id}",
            Action.READ_DOCUMENT,
            about=about,
            party=party_headers(party_id, self.office_party_id),
        )
        return parse_answer(response, Order, Action.READ_DOCUMENT, about)

    async def document(self, document_id: int, party_id: int | None) -> DocumentView:
        """A document (not an invoice) of the client ``party_id``, as :meth:`order` does."""
        about = {"document": str(document_id)}
        response = await self._request(
            "GET",
            f"/v1/documents/{document_id}",
            Action.READ_DOCUMENT,
            about=about,
            party=party_headers(party_id, self.office_party_id),
        )
        return parse_answer(response, DocumentView, Action.READ_DOCUMENT, about)

    async def orders_page(
        self,
        party_id: int,
        *,
        skip: int = 0,
        top: int = LISTING_TOP,
        odata_filter: str | None = None,
    ) -> OrderPageResult:
        """One page of the client ``party_id``'s orders, from position ``skip``.

        The description declares only ``fullTextSearch`` for this call and answers a
        ``PageResult`` with a ``NextPageLink``; Billit's guides add OData's ``$skip`` (what
        the next page link holds), ``$top`` and ``$filter``, which Ferry uses. Billit may
        answer fewer than ``top`` (its page is 120 at most) or ignore a filter: the caller
        counts what came and checks what it asked for.
        """
        response = await self._request(
            "GET",
            "/v1/orders",
            Action.LIST_DOCUMENTS,
            party=party_headers(party_id, self.office_party_id),
            params=_odata(skip, top, odata_filter),
        )
        return parse_answer(response, OrderPageResult, Action.LIST_DOCUMENTS)

    async def documents_page(
        self,
        party_id: int,
        *,
        skip: int = 0,
        top: int = LISTING_TOP,
        odata_filter: str | None = None,
    ) -> DocumentPageResult:
        """One page of the client ``party_id``'s documents, as :meth:`orders_page` reads
        its orders."""
        response = await self._request(
            "GET",
            "/v1/documents",
            Action.LIST_DOCUMENTS,
            party=party_headers(party_id, self.office_party_id),
            params=_odata(skip, top, odata_filter),
        )
        return parse_answer(response, DocumentPageResult, Action.LIST_DOCUMENTS)

    async def file(self, file_id: str, party_id: int | None, document: str) -> FeedFile:
        """An order's or document's file by its ``FileID`` (``GET /v1/files/{fileID}``),
        decoded; Billit names no digest for it, so its SHA-256 is computed here."""
        about = {"document": document}
        response = await self._request(
            "GET",
            "/v1/files/" + quote(file_id, safe=""),
            Action.DOWNLOAD,
            about=about,
            party=party_headers(party_id, self.office_party_id),
        )
        answer = parse_answer(response, File, Action.DOWNLOAD, about)
        decoded = decode_entity_file(answer, document)
        if isinstance(decoded, Failure):
            raise PlatformError(decoded, status=response.status_code)
        return decoded


def decode_entity_file(file: File, document: str) -> FeedFile | Failure:
    """The bytes of an order's or document's ``File``, base64 without a digest to check."""
    return decode_file(
        FileDetails(FileName=file.file_name, FileContent=file.file_content), document
    )


def _odata(skip: int, top: int, odata_filter: str | None) -> dict[str, str]:
    """OData's query options for a listing: what is left out is Billit's default."""
    params: dict[str, str] = {"$top": str(top)}
    if skip:
        params["$skip"] = str(skip)
    if odata_filter:
        params["$filter"] = odata_filter
    return params


def _feed_path(name: str) -> str:
    return "/v1/accountant/feeds/" + quote(name, safe="")


def _said(response: httpx.Response) -> str:
    """Billit's own words in an error answer: ASP.NET's ``Message``, OAuth's
    ``error_description`` or ``error``, or the first of a list of ``errors``."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        for key in ("error_description", "Message", "message", "error", "detail", "title"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            for key in ("Description", "description", "Message", "Code"):
                value = errors[0].get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
    return ""


def _error(response: httpx.Response, action: Action, about: Mapping[str, About]) -> PlatformError:
    """Ferry's platform error for a failed answer, with Billit's words when it gave some."""
    error = error_from_response(response, action, **about)
    said = _said(response)
    if said and error.failure.param("detail") in (None, response.reason_phrase):
        error = PlatformError(
            error.failure.with_params(detail=said),
            status=error.status,
            retry_after=error.retry_after,
        )
    return error


def _parse_list(
    response: httpx.Response, adapter: TypeAdapter[list[Model]], action: Action
) -> list[Model]:
    try:
        return adapter.validate_json(response.content)
    except (ValidationError, ValueError) as error:
        log.warning("unexpected Billit answer to %s: %s", action.value, error)
        raise not_understood(response, action) from None
