"""The platform API client: one shared httpx client, timeouts everywhere, typed payloads.

Every call goes through :meth:`PlatformClient._request`, which adds the login (refreshing it
when needed), and turns whatever goes wrong into a :class:`PlatformError` in plain words, so
callers never see a raw httpx exception or parse an error body themselves.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.api.models import (
    ChangePage,
    Client,
    ClientPage,
    DeliveryReport,
    DeliveryReportBatch,
    DeliveryReportItem,
    DeliveryReportResult,
    DeliveryReportResults,
    Document,
    DocumentPage,
    Office,
    ResendRequest,
    ResendResult,
    TaskPage,
    TaskReport,
)
from app.auth.session import BearerAuth, TokenSession
from app.platform.errors import PlatformError, error_from_exception, error_from_response
from app.platform.network import AiohttpTransport, environment_proxy_mounts
from app.settings import ProxySettings, httpx_proxy_options

log = logging.getLogger(__name__)

Model = TypeVar("Model", bound=BaseModel)

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
LONG_POLL_MARGIN_S = 15.0
_REPORT = TypeAdapter(DeliveryReport)


class _CookiesWhenSet(httpx.Cookies):
    """httpx's cookie jar, which skips the responses that set no cookie.

    httpx hands every response to ``http.cookiejar`` (an urllib request and an email message
    built per response): a tenth of the engine loop's CPU in a full sync, for an API that sets
    none. A response that does set one is stored exactly as httpx would store it.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers or "set-cookie2" in response.headers:
            super().extract_cookies(response)


def make_http_client(
    max_connections: int = 16, proxy: ProxySettings | None = None
) -> httpx.AsyncClient:
    """The one shared client: keep-alive, bounded connections, the proxy the person chose.

    Without a ``proxy`` it follows the system's proxy settings (:attr:`ProxyMode.SYSTEM`).
    Direct connections go through :class:`AiohttpTransport` (aiohttp's pool and parser, much
    less CPU per download than httpx's default); a proxy gets httpx's own transport. httpx
    reads the system's proxies only for a client without a transport of its own, so they are
    handed to it here as mounts, exactly as it would have made them.
    """
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    options = httpx_proxy_options(proxy or ProxySettings())
    if options["trust_env"] and options["proxy"] is None:
        options["mounts"] = {**environment_proxy_mounts(limits), **(options["mounts"] or {})}
    client = httpx.AsyncClient(
        timeout=TIMEOUT,
        limits=limits,
        follow_redirects=False,
        headers={"User-Agent": "Ferry"},
        transport=AiohttpTransport(trust_env=options["trust_env"], limits=limits),
        **options,
    )
    # httpx's setter would copy the jar into a plain Cookies; the attribute is its own.
    client._cookies = _CookiesWhenSet()
    return client


class PlatformClient:
    """Typed calls to one platform's ``/api/v1`` for one login."""

    def __init__(self, api_url: str, session: TokenSession, http: httpx.AsyncClient) -> None:
        self._base = api_url.rstrip("/")
        self._auth = BearerAuth(session)
        self._http = http

    async def _request(
        self,
        method: str,
        path: str,
        what: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            response = await self._http.request(
                method,
                self._base + path,
                params=clean,
                json=json,
                auth=self._auth,
                timeout=httpx.Timeout(timeout, connect=10.0) if timeout else TIMEOUT,
            )
        except httpx.HTTPError as error:
            raise error_from_exception(error, what) from None
        if response.status_code >= 400:
            raise error_from_response(response, what)
        return response

    async def _get(self, path: str, model: type[Model], what: str, **params: Any) -> Model:
        response = await self._request("GET", path, what, params=params)
        return _parse(response, model, what)

    async def office(self) -> Office:
        return await self._get("/office", Office, "reading the office")

    async def clients_page(self, cursor: str | None = None, limit: int = 200) -> ClientPage:
        return await self._get(
            "/clients", ClientPage, "listing the clients", cursor=cursor, limit=limit
        )

    async def all_clients(self) -> list[Client]:
        clients: list[Client] = []
        cursor: str | None = None
        while True:
            page = await self.clients_page(cursor)
            clients.extend(page.items)
            if not page.next_cursor:
                return clients
            cursor = page.next_cursor

    async def changes(
        self, cursor: str | None = None, *, wait: float = 0, limit: int = 200
    ) -> ChangePage:
        """The changes after ``cursor``; with ``wait`` the platform holds the request open."""
        response = await self._request(
            "GET",
            "/changes",
            "waiting for new documents",
            params={"cursor": cursor, "wait": int(wait) or None, "limit": limit},
            timeout=wait + LONG_POLL_MARGIN_S if wait else None,
        )
        return _parse(response, ChangePage, "waiting for new documents")

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
        return await self._get(
            "/documents",
            DocumentPage,
            "listing documents",
            status=status,
            client_id=client_id,
            kind=kind,
            q=q,
            cursor=cursor,
            limit=limit,
        )

    async def document(self, document_id: str) -> Document:
        return await self._get(
            f"/documents/{document_id}", Document, f"reading document {document_id}"
        )

    @contextlib.asynccontextmanager
    async def open_file(
        self, document_id: str, file_id: str, *, offset: int = 0
    ) -> AsyncIterator[httpx.Response]:
        """A streaming response for one file (from ``offset`` with a Range request)."""
        what = f"downloading a file of document {document_id}"
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        request = self._http.build_request(
            "GET", f"{self._base}/documents/{document_id}/files/{file_id}", headers=headers
        )
        try:
            response = await self._http.send(request, auth=self._auth, stream=True)
        except httpx.HTTPError as error:
            raise error_from_exception(error, what) from None
        try:
            if response.status_code >= 400:
                await response.aread()
                raise error_from_response(response, what)
            yield response
        finally:
            await response.aclose()

    async def report_delivery(self, document_id: str, report: DeliveryReport) -> Document:
        what = f"reporting document {document_id}"
        response = await self._request(
            "POST",
            f"/documents/{document_id}/delivery",
            what,
            json=_REPORT.dump_python(report, mode="json"),
        )
        return _parse(response, Document, what)

    async def report_deliveries(
        self, reports: list[tuple[str, DeliveryReport]]
    ) -> list[DeliveryReportResult]:
        """Many reports in one request (``POST /documents/delivery``), in order; what became of
        each. A platform without the batch endpoint answers 404 or 405 for the whole request."""
        what = f"reporting {len(reports)} document(s)"
        body = DeliveryReportBatch(
            items=[DeliveryReportItem(document_id=d, report=r) for d, r in reports]
        ).model_dump(mode="json")
        response = await self._request("POST", "/documents/delivery", what, json=body)
        return _parse(response, DeliveryReportResults, what).items

    async def resend(self, document_ids: list[str]) -> ResendResult:
        what = "sending documents to the integrations again"
        body = ResendRequest(document_ids=document_ids).model_dump(mode="json")
        response = await self._request("POST", "/documents/resend", what, json=body)
        return _parse(response, ResendResult, what)

    async def tasks(self, cursor: str | None = None, *, wait: float = 0) -> TaskPage:
        response = await self._request(
            "GET",
            "/tasks",
            "waiting for platform tasks",
            params={"cursor": cursor, "wait": int(wait) or None},
            timeout=wait + LONG_POLL_MARGIN_S if wait else None,
        )
        return _parse(response, TaskPage, "waiting for platform tasks")

    async def report_task(self, task_id: str, report: TaskReport) -> None:
        await self._request(
            "POST",
            f"/tasks/{task_id}/result",
            f"reporting task {task_id}",
            json=report.model_dump(mode="json"),
        )


def _parse(response: httpx.Response, model: type[Model], what: str) -> Model:
    try:
        return model.model_validate_json(response.content)
    except (ValidationError, ValueError) as error:
        log.warning("unexpected answer while %s: %s", what, error)
        raise PlatformError(
            f"the platform's answer while {what} was not understood; is the API address right?",
            status=response.status_code,
        ) from None
