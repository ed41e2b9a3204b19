"""The platform API (``/api/v1``) as the agent sees it: office, clients, changes, documents,
delivery reports, resend and tasks.

Every handler works in the realm of the caller's token; lookups of another realm's ids answer
404 exactly as unknown ids do, so realms cannot even probe each other.
"""

from __future__ import annotations

import asyncio
import re
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response

from app.api.models import (
    ChangePage,
    Client,
    ClientPage,
    DeliveryReport,
    DeliveryReportBatch,
    DeliveryReportOutcome,
    DeliveryReportResult,
    DeliveryReportResults,
    DeliveryStatus,
    Document,
    DocumentKind,
    DocumentPage,
    Office,
    OfficeUser,
    ResendRequest,
    ResendResult,
    Task,
    TaskPage,
    TaskReport,
)
from app.sandbox.auth import CurrentPrincipal, State
from app.sandbox.downloads import BlobResponse, etag_matches, etag_of, parse_range
from app.sandbox.problems import ProblemError, problem_responses
from app.sandbox.store import ConflictError, DocumentFilter, NotFoundError

MAX_WAIT_S = 60
_CURSOR = re.compile(r"^\d{1,18}$")
_ID = Annotated[str, Path(min_length=1, max_length=100)]

router = APIRouter(
    prefix="/api/v1",
    responses=problem_responses(400, 401, 403, 422, 429, 500, 503),
)

CursorQuery = Annotated[
    str | None,
    Query(
        max_length=18,
        pattern=r"^[0-9]{0,18}$",
        description="Opaque position from the previous page (absent or empty: the beginning).",
    ),
]
WaitQuery = Annotated[
    float,
    Query(ge=0, le=MAX_WAIT_S, description="Seconds to hold the request open when idle."),
]


def parse_cursor(cursor: str | None) -> int:
    if cursor is None or cursor == "":
        return 0
    if not _CURSOR.match(cursor):
        raise ProblemError(400, f"'{cursor}' is not a cursor this platform gave out.")
    return int(cursor)


def _not_found(exc: NotFoundError) -> ProblemError:
    return ProblemError(404, str(exc))


@router.get("/office", response_model=Office, summary="Who is logged in, for which office")
async def get_office(principal: CurrentPrincipal, state: State) -> Office:
    office = state.store.get_office(principal.realm)
    user = state.store.get_user(principal.realm, principal.username)
    if office is None or user is None:
        raise ProblemError(404, "This realm has no office or no such user any more.")
    return Office(
        id=office.id,
        name=office.name,
        realm=office.realm,
        country=office.country,
        user=OfficeUser(name=user.name, email=user.email, username=user.username),
    )


@router.get("/clients", response_model=ClientPage, summary="The office's clients, paged")
async def list_clients(
    principal: CurrentPrincipal,
    state: State,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ClientPage:
    items, next_seq = state.store.list_clients(
        principal.realm, after=parse_cursor(cursor), limit=limit
    )
    return ClientPage(items=items, next_cursor=None if next_seq is None else str(next_seq))


@router.get("/clients/{client_id}", response_model=Client, responses=problem_responses(404))
async def get_client(client_id: _ID, principal: CurrentPrincipal, state: State) -> Client:
    try:
        return state.store.get_client(principal.realm, client_id)
    except NotFoundError as exc:
        raise _not_found(exc) from exc


@router.get(
    "/changes",
    response_model=ChangePage,
    summary="Documents that entered To fetch since the cursor; long-pollable",
)
async def list_changes(
    principal: CurrentPrincipal,
    state: State,
    cursor: CursorQuery = None,
    wait: WaitQuery = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ChangePage:
    """Answer at once when changes are there; otherwise hold until one arrives or ``wait`` ends."""
    after = parse_cursor(cursor)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        event = state.signals.current(principal.realm, "changes")
        items, position, more = state.store.changes_after(principal.realm, after, limit)
        remaining = deadline - loop.time()
        if items or remaining <= 0 or state.signals.closing:
            return ChangePage(items=items, cursor=str(position), has_more=more)
        await state.signals.wait(event, remaining)


@router.get("/documents", response_model=DocumentPage, summary="Documents, filtered and paged")
async def list_documents(
    principal: CurrentPrincipal,
    state: State,
    status: Annotated[DeliveryStatus | None, Query()] = None,
    client_id: Annotated[str | None, Query(max_length=100)] = None,
    kind: Annotated[DocumentKind | None, Query()] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Text in the number, counterparty, client or file names"),
    ] = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DocumentPage:
    items, next_seq = state.store.list_documents(
        principal.realm,
        DocumentFilter(status=status, client_id=client_id, kind=kind, text=q),
        after=parse_cursor(cursor),
        limit=limit,
    )
    return DocumentPage(items=items, next_cursor=None if next_seq is None else str(next_seq))


@router.post(
    "/documents/resend",
    response_model=ResendResult,
    responses=problem_responses(404),
    summary="Send documents to the integrations again (back to To fetch)",
)
async def resend_documents(
    request_body: Annotated[ResendRequest, Body()],
    principal: CurrentPrincipal,
    state: State,
) -> ResendResult:
    try:
        return ResendResult(items=state.store.resend(principal.realm, request_body.document_ids))
    except NotFoundError as exc:
        raise _not_found(exc) from exc


@router.post(
    "/documents/delivery",
    response_model=DeliveryReportResults,
    summary="Report many deliveries at once; each item as POST /documents/{id}/delivery",
)
async def report_deliveries(
    batch: Annotated[DeliveryReportBatch, Body()],
    principal: CurrentPrincipal,
    state: State,
) -> DeliveryReportResults:
    """One transaction for the whole batch; an unknown document is answered per item (the
    others are recorded), so one document deleted meanwhile does not refuse its neighbours."""
    statuses = state.store.report_deliveries(
        principal.realm, [(item.document_id, item.report) for item in batch.items]
    )
    return DeliveryReportResults(
        items=[
            DeliveryReportResult(
                document_id=item.document_id,
                outcome=DeliveryReportOutcome.RECORDED,
                status=status,
            )
            if status is not None
            else DeliveryReportResult(
                document_id=item.document_id,
                outcome=DeliveryReportOutcome.NOT_FOUND,
                detail=f"There is no document '{item.document_id}'.",
            )
            for item, status in zip(batch.items, statuses, strict=True)
        ]
    )


@router.get("/documents/{document_id}", response_model=Document, responses=problem_responses(404))
async def get_document(document_id: _ID, principal: CurrentPrincipal, state: State) -> Document:
    try:
        return state.store.get_document(principal.realm, document_id)
    except NotFoundError as exc:
        raise _not_found(exc) from exc


@router.get(
    "/documents/{document_id}/files/{file_id}",
    response_class=Response,
    responses={
        200: {
            "description": "The file's bytes",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        },
        206: {"description": "The requested range of the file's bytes"},
        304: {"description": "Not modified (If-None-Match matched the ETag)"},
        **problem_responses(404, 416),
    },
    summary="Download a file (ETag = its SHA-256; Range supported)",
)
async def download_file(
    document_id: _ID,
    file_id: _ID,
    request: Request,
    principal: CurrentPrincipal,
    state: State,
) -> Response:
    try:
        stored = state.store.get_file(principal.realm, document_id, file_id)
    except NotFoundError as exc:
        raise _not_found(exc) from exc
    etag = etag_of(stored)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"etag": etag})
    range_header = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if if_range is not None and if_range.strip() != etag:
        range_header = None
    return BlobResponse(stored, parse_range(range_header, stored.size), head=False)


@router.post(
    "/documents/{document_id}/delivery",
    response_model=Document,
    responses=problem_responses(404),
    summary="Report a delivery: forwarded (with locations) or error (with a message)",
)
async def report_delivery(
    document_id: _ID,
    report: Annotated[DeliveryReport, Body()],
    principal: CurrentPrincipal,
    state: State,
) -> Document:
    try:
        return state.store.report_delivery(principal.realm, document_id, report)
    except NotFoundError as exc:
        raise _not_found(exc) from exc


@router.get("/tasks", response_model=TaskPage, summary="Queued agent work; long-pollable")
async def list_tasks(
    principal: CurrentPrincipal,
    state: State,
    cursor: CursorQuery = None,
    wait: WaitQuery = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> TaskPage:
    """Open tasks after the cursor (none = all open tasks); holds like ``/changes`` when idle."""
    after = parse_cursor(cursor)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        event = state.signals.current(principal.realm, "tasks")
        items, position = state.store.open_tasks_after(principal.realm, after, limit)
        remaining = deadline - loop.time()
        if items or remaining <= 0 or state.signals.closing:
            return TaskPage(items=items, cursor=str(position))
        await state.signals.wait(event, remaining)


@router.get("/tasks/{task_id}", response_model=Task, responses=problem_responses(404))
async def get_task(task_id: _ID, principal: CurrentPrincipal, state: State) -> Task:
    try:
        return state.store.get_task(principal.realm, task_id)
    except NotFoundError as exc:
        raise _not_found(exc) from exc


@router.post(
    "/tasks/{task_id}/result",
    response_model=Task,
    responses=problem_responses(404, 409),
    summary="Report how a task went; the same report twice is harmless",
)
async def report_task(
    task_id: _ID,
    report: Annotated[TaskReport, Body()],
    principal: CurrentPrincipal,
    state: State,
) -> Task:
    try:
        return state.store.complete_task(principal.realm, task_id, report)
    except NotFoundError as exc:
        raise _not_found(exc) from exc
    except ConflictError as exc:
        raise ProblemError(409, str(exc)) from exc
