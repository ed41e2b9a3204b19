"""The sandbox's admin API (``/sandbox/...``) for tests, benchmarks and demos.

Not part of the platform contract: it adds clients, documents (with any file names at all) and
tasks, inspects delivery reports, flips the fault switches and revokes logins. It answers only
peers on the loopback interface; the server binds 127.0.0.1 anyway, this is the second lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from ipaddress import ip_address
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Request
from pydantic import BaseModel, Field

from app.api.models import (
    Client,
    ClientPage,
    DeliveryStatus,
    Document,
    DocumentKind,
    FaultSettings,
    NewClient,
    NewTask,
    SandboxDocument,
    Task,
)
from app.sandbox.auth import State
from app.sandbox.multipart import MultipartError, parse_form
from app.sandbox.problems import ProblemError, problem_responses
from app.sandbox.realms import REALMS
from app.sandbox.store import ConflictError, NewFile, NotFoundError

#: Largest upload the admin API reads into memory.
MAX_UPLOAD_BYTES = 256 * 1024 * 1024


def require_loopback(request: Request) -> None:
    host = request.client.host if request.client else ""
    try:
        loopback = ip_address(host).is_loopback
    except ValueError:
        loopback = host in ("localhost", "testclient")
    if not loopback:
        raise ProblemError(403, "The sandbox admin API answers only on this computer (loopback).")


router = APIRouter(
    prefix="/sandbox",
    dependencies=[Depends(require_loopback)],
    responses=problem_responses(400, 403, 404, 409, 413, 422),
    tags=["sandbox admin"],
)


def _realm(realm: str) -> str:
    if realm not in REALMS:
        raise ProblemError(404, f"There is no realm '{realm}'; realms: {', '.join(REALMS)}.")
    return realm


RealmPath = Annotated[str, Path(description="be, nl, fr or lu")]


class RevokeResult(BaseModel):
    revoked_logins: int


class Health(BaseModel):
    status: str
    realms: dict[str, int]


@router.get("/health", response_model=Health, summary="Alive, and how many documents per realm")
async def health(state: State) -> Health:
    return Health(status="ok", realms={r: state.store.count_documents(r) for r in REALMS})


@router.post("/realms/{realm}/clients", response_model=Client, status_code=201)
async def add_client(realm: RealmPath, new: Annotated[NewClient, Body()], state: State) -> Client:
    return state.store.add_client(
        _realm(realm),
        name=new.name,
        vat_number=new.vat_number,
        country=new.country.upper(),
        accounting_file_id=new.accounting_file_id,
        shares_documents=new.shares_documents,
    )


@router.get("/realms/{realm}/clients", response_model=ClientPage)
async def list_clients(realm: RealmPath, state: State) -> ClientPage:
    items, _ = state.store.list_clients(_realm(realm), after=0, limit=10_000)
    return ClientPage(items=items, next_cursor=None)


def _field(value: str | None, name: str, parse: Callable[[str], object], what: str) -> object:
    if value is None or value == "":
        return None
    try:
        return parse(value)
    except (ValueError, InvalidOperation) as exc:
        raise ProblemError(422, f"{name}: '{value}' is not {what}.") from exc


@router.post(
    "/realms/{realm}/documents",
    response_model=Document,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["client_id", "kind", "file"],
                        "properties": {
                            "client_id": {"type": "string"},
                            "kind": {"type": "string", "enum": [k.value for k in DocumentKind]},
                            "number": {"type": "string"},
                            "issue_date": {"type": "string", "format": "date"},
                            "amount": {"type": "string"},
                            "currency": {"type": "string"},
                            "counterparty": {"type": "string"},
                            "file": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "description": "One part per file; its filename (or "
                                "filename*) is kept exactly.",
                            },
                        },
                    }
                }
            },
            "required": True,
        }
    },
)
async def add_document(realm: RealmPath, request: Request, state: State) -> Document:
    """Add a document in *To fetch* from a multipart upload; file names are kept verbatim."""
    _realm(realm)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
        raise ProblemError(413, f"Uploads are limited to {MAX_UPLOAD_BYTES} bytes.")
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_UPLOAD_BYTES:
            raise ProblemError(413, f"Uploads are limited to {MAX_UPLOAD_BYTES} bytes.")
    try:
        form = parse_form(request.headers.get("content-type", ""), bytes(body))
    except MultipartError as exc:
        raise ProblemError(400, f"The upload is not valid: {exc}.") from exc
    client_id = form.first("client_id")
    kind_text = form.first("kind")
    if not client_id:
        raise ProblemError(422, "client_id is required.")
    try:
        kind = DocumentKind(kind_text or "")
    except ValueError as exc:
        known = ", ".join(k.value for k in DocumentKind)
        raise ProblemError(422, f"kind must be one of {known}.") from exc
    files = [f for f in form.files if f.field_name == "file"]
    if not files:
        raise ProblemError(422, "At least one 'file' part (with a filename) is required.")
    if any(not f.filename for f in files):
        raise ProblemError(422, "Every file needs a non-empty name.")
    issue_date = _field(
        form.first("issue_date"), "issue_date", dt.date.fromisoformat, "an ISO date (YYYY-MM-DD)"
    )
    amount = _field(form.first("amount"), "amount", Decimal, "a decimal number")
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise ProblemError(422, "amount must be a finite decimal number.")
    currency = form.first("currency") or None
    if currency is not None and (len(currency) != 3 or not currency.isalpha()):
        raise ProblemError(422, f"currency: '{currency}' is not an ISO 4217 code.")
    number = form.first("number") or f"DOC-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}"
    try:
        return state.store.add_document(
            realm,
            client_id=client_id,
            kind=kind,
            number=number,
            issue_date=issue_date if isinstance(issue_date, dt.date) else dt.date.today(),
            amount=amount if isinstance(amount, Decimal) else None,
            currency=currency.upper() if currency else None,
            counterparty=form.first("counterparty") or None,
            files=[NewFile(f.filename, f.media_type, f.content) for f in files],
        )
    except NotFoundError as exc:
        raise ProblemError(404, str(exc)) from exc
    except ConflictError as exc:
        raise ProblemError(409, str(exc)) from exc


class BulkDocuments(BaseModel):
    """Many documents of one client at once, sharing one file's content (scale tests)."""

    client_id: str
    kind: DocumentKind = DocumentKind.PURCHASE
    count: int = Field(ge=1, le=2_000_000)
    prefix: str = Field(default="BULK", min_length=1, max_length=40)
    file_size: int = Field(default=2048, ge=1, le=1024 * 1024)
    status: DeliveryStatus = DeliveryStatus.TO_FETCH


class BulkResult(BaseModel):
    added: int
    #: How the new documents' ids begin: the rest is each one's index in 8 hex digits.
    id_prefix: str
    #: The changes feed's cursor after their changes.
    cursor: str


@router.post("/realms/{realm}/documents/bulk", response_model=BulkResult, status_code=201)
async def add_documents_bulk(
    realm: RealmPath, new: Annotated[BulkDocuments, Body()], state: State
) -> BulkResult:
    """Add ``count`` documents in one transaction, each announced on the changes feed: an
    office's whole history for tests and the scale benchmark, without a million uploads."""
    _realm(realm)
    content = b"%PDF-1.4\n" + b"0" * max(0, new.file_size - 9)
    try:
        prefix, position = state.store.add_documents_bulk(
            realm,
            client_id=new.client_id,
            kind=new.kind,
            count=new.count,
            prefix=new.prefix,
            content=content[: new.file_size],
            status=new.status,
        )
    except NotFoundError as exc:
        raise ProblemError(404, str(exc)) from exc
    except ConflictError as exc:
        raise ProblemError(409, str(exc)) from exc
    return BulkResult(added=new.count, id_prefix=prefix, cursor=str(position))


@router.get("/realms/{realm}/documents/{document_id}", response_model=SandboxDocument)
async def get_document(realm: RealmPath, document_id: str, state: State) -> SandboxDocument:
    try:
        document = state.store.get_document(_realm(realm), document_id)
    except NotFoundError as exc:
        raise ProblemError(404, str(exc)) from exc
    return SandboxDocument(
        **document.model_dump(), realm=realm, deliveries=state.store.deliveries(document_id)
    )


@router.post("/realms/{realm}/tasks", response_model=Task, status_code=201)
async def add_task(realm: RealmPath, new: Annotated[NewTask, Body()], state: State) -> Task:
    try:
        return state.store.add_task(_realm(realm), new.kind, new.client_id, new.document_ids)
    except NotFoundError as exc:
        raise ProblemError(404, str(exc)) from exc
    except ValueError as exc:
        raise ProblemError(422, str(exc)) from exc


@router.get("/realms/{realm}/tasks/{task_id}", response_model=Task)
async def get_task(realm: RealmPath, task_id: str, state: State) -> Task:
    try:
        return state.store.get_task(_realm(realm), task_id)
    except NotFoundError as exc:
        raise ProblemError(404, str(exc)) from exc


@router.post("/realms/{realm}/users/{username}/revoke", response_model=RevokeResult)
async def revoke_user(realm: RealmPath, username: str, state: State) -> RevokeResult:
    """End every login of the user: refresh tokens and the access tokens they produced."""
    if state.store.get_user(_realm(realm), username) is None:
        raise ProblemError(404, f"Realm '{realm}' has no user '{username}'.")
    return RevokeResult(revoked_logins=state.store.revoke_user(realm, username))


@router.get("/faults", response_model=FaultSettings)
async def get_faults(state: State) -> FaultSettings:
    return state.faults.settings


@router.put("/faults", response_model=FaultSettings)
async def put_faults(settings: Annotated[FaultSettings, Body()], state: State) -> FaultSettings:
    """Replace the fault switches (fields left out are off)."""
    state.faults.set(settings)
    return state.faults.settings


@router.delete("/faults", response_model=FaultSettings)
async def clear_faults(state: State) -> FaultSettings:
    state.faults.clear()
    return state.faults.settings
