"""The platform API client: one shared httpx client, timeouts everywhere, typed payloads.

Every call goes through :meth:`PlatformClient._request`, which adds the login (refreshing it
when needed), and turns whatever goes wrong into a :class:`PlatformError` carrying a
:class:`~app.core.failures.Failure` (what Ferry was doing as an :class:`Action`, the status,
the platform's words), so callers never see a raw httpx exception or parse an error body.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

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
from app.core.failures import Action
from app.platform.errors import (
    About,
    error_from_exception,
    error_from_response,
    parse_answer,
)
from app.platform.network import AiohttpTransport, environment_proxy_mounts
from app.platforms.port import FULL, Capabilities
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
    """Typed calls to one platform's ``/api/v1`` for one login: Ferry's own platform API,
    the first adapter of the platform port (:class:`app.platforms.port.Platform`)."""

    #: Ferry's own API does everything the engine can ask.
    capabilities: Capabilities = FULL

    def __init__(self, api_url: str, session: TokenSession, http: httpx.AsyncClient) -> None:
        self._base = api_url.rstrip("/")
        self._auth = BearerAuth(session)
        self._http = http

    async def _request(
        self,
        method: str,
        path: str,
        action: Action,
        *,
        about: Mapping[str, About] | None = None,
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
            raise error_from_exception(error, action, **(about or {})) from None
        if response.status_code >= 400:
            raise error_from_response(response, action, **(about or {}))
        return response

    async def _get(
        self,
        path: str,
        model: type[Model],
        action: Action,
        about: Mapping[str, About] | None = None,
        **params: Any,
    ) -> Model:
        response = await self._request("GET", path, action, about=about, params=params)
        return parse_answer(response, model, action, about)

    async def office(self) -> Office:
        return await self._get("/office", Office, Action.READ_OFFICE)

    async def clients_page(self, cursor: str | None = None, limit: int = 200) -> ClientPage:
        return await self._get(
            "/clients", ClientPage, Action.LIST_CLIENTS, cursor=cursor, limit=limit
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
            Action.WAIT_CHANGES,
            params={"cursor": cursor, "wait": int(wait) or None, "limit": limit},
            timeout=wait + LONG_POLL_MARGIN_S if wait else None,
        )
        return parse_answer(response, ChangePage, Action.WAIT_CHANGES)

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
            Action.LIST_DOCUMENTS,
            status=status,
            client_id=client_id,
            kind=kind,
            q=q,
            cursor=cursor,
            limit=limit,
        )

    async def document(self, document_id: str) -> Document:
        return await self._get(
            f"/documents/{document_id}",
            Document,
            Action.READ_DOCUMENT,
            {"document": document_id},
        )

    @contextlib.asynccontextmanager
    async def open_file(
        self, document_id: str, file_id: str, *, offset: int = 0
    ) -> AsyncIterator[httpx.Response]:
        """A streaming response for one file (from ``offset`` with a Range request)."""
        about = {"document": document_id}
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        request = self._http.build_request(
            "GET", f"{self._base}/documents/{document_id}/files/{file_id}", headers=headers
        )
        try:
            response = await self._http.send(request, auth=self._auth, stream=True)
        except httpx.HTTPError as error:
            raise error_from_exception(error, Action.DOWNLOAD, **about) from None
        try:
            if response.status_code >= 400:
                await response.aread()
                raise error_from_response(response, Action.DOWNLOAD, **about)
            yield response
        finally:
            await response.aclose()

    async def report_delivery(self, document_id: str, report: DeliveryReport) -> Document:
        about = {"document": document_id}
        response = await self._request(
            "POST",
            f"/documents/{document_id}/delivery",
            Action.REPORT,
            about=about,
            json=_REPORT.dump_python(report, mode="json"),
        )
        return parse_answer(response, Document, Action.REPORT, about)

    async def report_deliveries(
        self, reports: list[tuple[str, DeliveryReport]]
    ) -> list[DeliveryReportResult]:
        """Many reports in one request (``POST /documents/delivery``), in order; what became of
        each. A platform without the batch endpoint answers 404 or 405 for the whole request."""
        about = {"count": len(reports)}
        body = DeliveryReportBatch(
            items=[DeliveryReportItem(document_id=d, report=r) for d, r in reports]
        ).model_dump(mode="json")
        response = await self._request(
            "POST", "/documents/delivery", Action.REPORT_BATCH, about=about, json=body
        )
        return parse_answer(response, DeliveryReportResults, Action.REPORT_BATCH, about).items

    async def resend(self, document_ids: list[str]) -> ResendResult:
        body = ResendRequest(document_ids=document_ids).model_dump(mode="json")
        response = await self._request("POST", "/documents/resend", Action.RESEND, json=body)
        return parse_answer(response, ResendResult, Action.RESEND)

    async def tasks(self, cursor: str | None = None, *, wait: float = 0) -> TaskPage:
        response = await self._request(
            "GET",
            "/tasks",
            Action.WAIT_TASKS,
            params={"cursor": cursor, "wait": int(wait) or None},
            timeout=wait + LONG_POLL_MARGIN_S if wait else None,
        )
        return parse_answer(response, TaskPage, Action.WAIT_TASKS)

    async def report_task(self, task_id: str, report: TaskReport) -> None:
        await self._request(
            "POST",
            f"/tasks/{task_id}/result",
            Action.REPORT_TASK,
            about={"task": task_id},
            json=report.model_dump(mode="json"),
        )
