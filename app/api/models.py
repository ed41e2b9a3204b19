"""Pydantic models of every payload of the platform API (``/api/v1``).

The field names are the contract between Ferry and any document platform (see issue 4); the
sandbox serves these models and the agent's client parses them. Amounts travel as decimal
strings so that no float ever rounds a cent; timestamps are ISO 8601 with a time zone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from app.core.kinds import DeliveryStatus, DocumentKind

__all__ = [
    "Amount",
    "Change",
    "ChangePage",
    "ChangeReason",
    "Client",
    "ClientPage",
    "DeliveryRecord",
    "DeliveryReport",
    "DeliveryReportBatch",
    "DeliveryReportItem",
    "DeliveryReportOutcome",
    "DeliveryReportResult",
    "DeliveryReportResults",
    "DeliveryStatus",
    "Document",
    "DocumentFile",
    "DocumentKind",
    "DocumentPage",
    "ErrorReport",
    "FaultSettings",
    "ForwardedReport",
    "NewClient",
    "NewTask",
    "Office",
    "OfficeUser",
    "Problem",
    "ResendRequest",
    "ResendResult",
    "SandboxDocument",
    "Task",
    "TaskKind",
    "TaskOutcome",
    "TaskPage",
    "TaskReport",
    "TaskStatus",
]

#: A money amount: parsed from a decimal string or number, always written as a plain decimal
#: string ("1234.50"), never in exponent notation and never as a JSON float.
Amount = Annotated[
    Decimal,
    PlainSerializer(lambda value: format(value, "f"), return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "examples": ["1234.50"]},
        mode="serialization",
    ),
]

_SHA256_PATTERN = r"^[0-9a-f]{64}$"


class _Model(BaseModel):
    """Base of every payload: unknown fields are ignored, so the platform may add fields."""

    model_config = ConfigDict(extra="ignore")


class Problem(_Model):
    """An RFC 9457 ``application/problem+json`` error body."""

    type: str = Field(default="about:blank", description="URI that identifies the problem type.")
    title: str = Field(description="Short, human-readable summary of the problem type.")
    status: int = Field(description="The HTTP status code.")
    detail: str | None = Field(default=None, description="What went wrong this time, in words.")
    instance: str | None = None


class OfficeUser(_Model):
    """The person who logged in."""

    name: str
    email: str
    username: str | None = None


class Office(_Model):
    """Who is logged in, for which office (``GET /office``)."""

    id: str
    name: str
    realm: str
    country: str | None = None
    user: OfficeUser


class Client(_Model):
    """A client company of the office."""

    id: str
    name: str
    vat_number: str
    country: str
    accounting_file_id: str
    shares_documents: bool = Field(
        description="Whether the client shares its documents with the office; only such "
        "clients have documents the office can fetch."
    )
    linked_since: dt.datetime | None = Field(
        default=None, description="When the client started sharing documents with the office."
    )


class ClientPage(_Model):
    items: list[Client]
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page.")


class ChangeReason(StrEnum):
    """Why a document entered *To fetch*."""

    NEW = "new"
    RESEND = "resend"


class Change(_Model):
    """One entry of the changes feed: a document that entered *To fetch*."""

    document_id: str
    client_id: str
    reason: ChangeReason
    at: dt.datetime


class ChangePage(_Model):
    items: list[Change]
    cursor: str = Field(description="Position after the last item; pass it back as `cursor`.")
    has_more: bool = Field(default=False, description="More changes are ready beyond `limit`.")


class DocumentFile(_Model):
    """One file of a document; its bytes are at ``/documents/{id}/files/{file_id}``."""

    id: str
    name: str = Field(description="The name as the platform received it: data, never a path.")
    media_type: str
    size: int = Field(ge=0)
    sha256: str = Field(pattern=_SHA256_PATTERN)


class Document(_Model):
    id: str
    client_id: str
    kind: DocumentKind
    number: str
    issue_date: dt.date
    amount: Amount | None = None
    currency: str | None = None
    counterparty: str | None = None
    status: DeliveryStatus
    status_message: str | None = None
    locations: list[str] = Field(
        default_factory=list, description="Where the agent delivered it (when forwarded)."
    )
    created_at: dt.datetime
    updated_at: dt.datetime | None = None
    files: list[DocumentFile]


class DocumentPage(_Model):
    items: list[Document]
    next_cursor: str | None = None


class ForwardedReport(_Model):
    """The agent delivered the document."""

    status: Literal["forwarded"]
    locations: list[Annotated[str, Field(min_length=1, max_length=4096)]] = Field(
        min_length=1, max_length=100
    )


class ErrorReport(_Model):
    """The agent could not deliver the document; ``message`` says why, for a person."""

    status: Literal["error"]
    message: str = Field(min_length=1, max_length=4000)


#: Body of ``POST /documents/{id}/delivery``.
DeliveryReport = Annotated[ForwardedReport | ErrorReport, Field(discriminator="status")]


class DeliveryReportItem(_Model):
    """One document's report inside a batch."""

    document_id: str = Field(min_length=1, max_length=100)
    report: DeliveryReport


class DeliveryReportBatch(_Model):
    """Body of ``POST /documents/delivery``: many reports in one request.

    Each item means exactly what ``POST /documents/{id}/delivery`` means for its document;
    the same batch twice changes nothing the second time. Items are applied in order.
    """

    items: list[DeliveryReportItem] = Field(min_length=1, max_length=500)


class DeliveryReportOutcome(StrEnum):
    RECORDED = "recorded"
    NOT_FOUND = "not_found"


class DeliveryReportResult(_Model):
    document_id: str
    outcome: DeliveryReportOutcome
    status: DeliveryStatus | None = Field(
        default=None, description="The document's status after the report (when recorded)."
    )
    detail: str | None = Field(default=None, description="Why it was not recorded, for a person.")


class DeliveryReportResults(_Model):
    """What became of each report of a batch, in the batch's order."""

    items: list[DeliveryReportResult]


class ResendRequest(_Model):
    document_ids: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        min_length=1, max_length=1000
    )


class ResendResult(_Model):
    items: list[Document]


class TaskKind(StrEnum):
    FULL_SYNC = "full_sync"
    RESEND = "resend"


class TaskStatus(StrEnum):
    QUEUED = "queued"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class TaskOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class TaskReport(_Model):
    """Body of ``POST /tasks/{id}/result``: how the agent's run of the task went."""

    outcome: TaskOutcome
    message: str | None = Field(default=None, max_length=4000)
    documents_delivered: int = Field(default=0, ge=0)
    documents_failed: int = Field(default=0, ge=0)


class Task(_Model):
    """Work queued for the agent by the platform."""

    id: str
    kind: TaskKind
    client_id: str | None = Field(default=None, description="The client of a full_sync.")
    document_ids: list[str] = Field(default_factory=list, description="The documents of a resend.")
    status: TaskStatus
    created_at: dt.datetime
    completed_at: dt.datetime | None = None
    result: TaskReport | None = None


class TaskPage(_Model):
    items: list[Task]
    cursor: str = Field(description="Position after the last item; pass it back as `cursor`.")


# --- Sandbox administration (``/sandbox/...``); not part of the platform contract -------------


class NewClient(_Model):
    name: str = Field(min_length=1, max_length=200)
    vat_number: str = Field(min_length=1, max_length=40)
    country: str = Field(min_length=2, max_length=2)
    accounting_file_id: str = Field(default="", max_length=100)
    shares_documents: bool = True


class DeliveryRecord(_Model):
    """One delivery report as the platform received it."""

    status: DeliveryStatus
    locations: list[str] = Field(default_factory=list)
    message: str | None = None
    reported_at: dt.datetime


class SandboxDocument(Document):
    """A document as the admin API shows it: with every delivery report received."""

    realm: str
    deliveries: list[DeliveryRecord]


class NewTask(_Model):
    kind: TaskKind
    client_id: str | None = None
    document_ids: list[str] = Field(default_factory=list, max_length=1000)


class FaultSettings(_Model):
    """Faults injected into ``/api/v1`` (and the token lifetime); all off by default."""

    model_config = ConfigDict(extra="forbid")

    latency_ms: int = Field(default=0, ge=0, le=60_000)
    error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    drop_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    throttle_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    retry_after_s: int = Field(default=1, ge=0, le=3600)
    access_token_ttl_s: int | None = Field(default=None, ge=1, le=86_400)
