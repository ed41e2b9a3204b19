"""The platform port: what the engine asks of a document platform, whichever it is.

Ferry's own API (served by the sandbox, :class:`app.platform.client.PlatformClient`) is the
first adapter; Billit's accountant feed is on its way (:mod:`app.platforms.billit`). The
engine depends on this interface and on the capabilities an adapter declares, never on which
platform it is: where a platform cannot hold a request open, the engine polls at the pace the
platform allows; where it has no tasks, none are asked for. ``app/api/models.py`` stays
Ferry's own model: an adapter maps its platform's payloads into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

import httpx

from app.api.models import (
    ChangePage,
    Client,
    DeliveryReport,
    DeliveryReportResult,
    Document,
    DocumentPage,
    Office,
    ResendResult,
    TaskPage,
    TaskReport,
)


@dataclass(frozen=True)
class Capabilities:
    """What a platform can do beside reading its feed and its documents. The defaults are
    Ferry's own API, which does all of it."""

    #: The feed's request may be held open until something happens (a long-poll).
    long_poll: bool = True
    #: Without a long-poll: the feed is read at most once in this many seconds.
    min_poll_interval_s: float = 0.0
    #: An Error can be reported (else Ferry keeps it, and the platform's item comes back).
    error_reports: bool = True
    #: A report carries where the files went.
    locations: bool = True
    #: Many reports in one request.
    batch_reports: bool = True
    #: *Send to integrations* again: the platform puts documents back to To fetch.
    resend: bool = True
    #: The platform queues work for this agent (a full sync of a client, a resend).
    tasks: bool = True
    #: A file can be read from an offset (a download resumed).
    ranges: bool = True
    #: A file's digest is known before it is downloaded.
    digests_before_download: bool = True
    #: The platform's name as the office knows it ("not reported to Billit").
    name: str = "Ferry"

    def poll_wait(self, wanted: float) -> float:
        """How long the feed's request may be held open, for ``wanted`` seconds asked."""
        return wanted if self.long_poll else 0.0


#: Ferry's own platform API: every capability.
FULL = Capabilities()


class Platform(Protocol):
    """One platform for one login, as the engine uses it (see :class:`Capabilities`)."""

    @property
    def capabilities(self) -> Capabilities: ...

    async def office(self) -> Office: ...

    async def all_clients(self) -> list[Client]: ...

    async def changes(
        self, cursor: str | None = None, *, wait: float = 0, limit: int = 200
    ) -> ChangePage: ...

    async def documents_page(
        self,
        *,
        status: str | None = None,
        client_id: str | None = None,
        kind: str | None = None,
        q: str | None = None,
        cursor: str | None = None,
        limit: int = 200,
    ) -> DocumentPage: ...

    async def document(self, document_id: str) -> Document: ...

    def open_file(
        self, document_id: str, file_id: str, *, offset: int = 0
    ) -> AbstractAsyncContextManager[httpx.Response]: ...

    async def report_delivery(self, document_id: str, report: DeliveryReport) -> Document: ...

    async def report_deliveries(
        self, reports: list[tuple[str, DeliveryReport]]
    ) -> list[DeliveryReportResult]: ...

    async def resend(self, document_ids: list[str]) -> ResendResult: ...

    async def tasks(self, cursor: str | None = None, *, wait: float = 0) -> TaskPage: ...

    async def report_task(self, task_id: str, report: TaskReport) -> None: ...


def unsupported(capabilities: Capabilities) -> Sequence[str]:
    """The capabilities a platform lacks, by name (for the log at start)."""
    return [
        name for name, value in vars(capabilities).items() if isinstance(value, bool) and not value
    ]
