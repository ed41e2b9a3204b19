"""The engine's only interface: commands in, events out, as plain serialisable models.

The GUI in the same process today, a GUI in another process later, and the headless command
line all talk to the engine through these, so none of them reaches into its state.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    model_serializer,
)

from app.core.failures import Failure
from app.core.start_failures import StartFailure


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- commands ------------------------------------------------------------------------------------


class SyncNow(_Message):
    type: Literal["sync_now"] = "sync_now"


class FullSync(_Message):
    type: Literal["full_sync"] = "full_sync"
    client_id: str | None = None
    #: A person gave the client's link a destination: documents Ferry delivered elsewhere go
    #: there too (a scheduled full sync never writes a Forwarded document anywhere again).
    new_destinations: bool = False


class Pause(_Message):
    type: Literal["pause"] = "pause"


class Resume(_Message):
    type: Literal["resume"] = "resume"


class Resend(_Message):
    """Send to integrations (again): back to To fetch on the platform, then delivered anew."""

    type: Literal["resend"] = "resend"
    document_ids: list[str]


class Retry(_Message):
    """Try failed documents again now instead of at their next scheduled attempt."""

    type: Literal["retry"] = "retry"
    document_ids: list[str] = Field(default_factory=list)
    all_errors: bool = False


class DeliverAgain(_Message):
    """*Deliver again here*: a person asks for documents Ferry delivered (and the accounting
    software took away) to be written again, to one destination or to all of theirs."""

    type: Literal["deliver_again"] = "deliver_again"
    #: None of them: the engine picks, with ``moved`` those whose files were picked up or
    #: moved, else every document delivered to ``destination``.
    document_ids: list[str] = Field(default_factory=list)
    destination: str | None = None
    moved: bool = False


class Stop(_Message):
    type: Literal["stop"] = "stop"


Command = Annotated[
    SyncNow | FullSync | Pause | Resume | Resend | Retry | DeliverAgain | Stop,
    Field(discriminator="type"),
]
COMMANDS: TypeAdapter[Command] = TypeAdapter(Command)


# --- events --------------------------------------------------------------------------------------


class EngineState(StrEnum):
    """What the tray shows: the least successful state wins."""

    STARTING = "starting"
    UP_TO_DATE = "up_to_date"
    SYNCING = "syncing"
    PAUSED = "paused"
    OFFLINE = "offline"
    LOGIN_NEEDED = "login_needed"
    ERRORS = "errors"
    STOPPED = "stopped"


class FailureInfo(_Message):
    """A failure as data (:class:`app.core.failures.Failure`): a code and its parameters,
    put into words by whoever shows it, in its reader's language."""

    code: str
    params: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def of(cls, failure: Failure) -> FailureInfo:
        return cls(code=failure.code.value, params=dict(failure.params))

    def failure(self) -> Failure:
        return Failure.from_json({"code": self.code, "params": self.params})


class StateChanged(_Message):
    type: Literal["state_changed"] = "state_changed"
    state: EngineState
    detail: str | None = None
    #: Why the state is what it is (offline, login needed), as data: ``detail`` is English,
    #: for the log only.
    failure: FailureInfo | None = None
    last_sync: dt.datetime | None = None
    errors: int = 0
    #: Why the engine did not start (*Stopped* at its start), as data
    #: (:meth:`app.core.start_failures.StartFailure.to_json`); ``detail`` is its English
    #: words. Left out of the JSON when None, so that a face of an earlier Ferry, which
    #: knows no such field, reads every other state change as before.
    start_failure: dict[str, Any] | None = None

    @model_serializer(mode="wrap")
    def _without_empty_start_failure(
        self, handler: SerializerFunctionWrapHandler
    ) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("start_failure") is None:
            data.pop("start_failure", None)
        return data

    def why_not_started(self) -> StartFailure | None:
        """The start failure this carries (None: none, or one this Ferry does not know)."""
        return StartFailure.from_json(self.start_failure)


class DocumentChanged(_Message):
    type: Literal["document_changed"] = "document_changed"
    document_id: str
    client_id: str
    kind: str
    number: str
    issue_date: str
    amount: str | None = None
    currency: str | None = None
    status: str
    message: str | None = None
    locations: list[str] = Field(default_factory=list)
    #: Destinations its files were picked up or moved from since Ferry wrote them there.
    moved: list[str] = Field(default_factory=list)
    #: Why it is in Error, or why it waits (status To fetch with ``next_try``): one failure
    #: per destination (its ``destination`` parameter) or for the document as a whole.
    failures: list[FailureInfo] = Field(default_factory=list)
    #: When Ferry tries again by itself (seconds since the epoch); None when nothing is due.
    next_try: float | None = None


class RunKind(StrEnum):
    """What a run is, for the Activity tab and the command line (stored as its value)."""

    #: The first pass at start, and ``ferry sync`` / *Sync now*.
    INCREMENTAL = "incremental"
    #: The nightly pass that also tries every document in Error again.
    CATCH_UP = "catch-up"
    #: Reconcile what the platform holds with what was delivered (all clients or one).
    FULL = "full"
    #: *Send to integrations* (again) asked by a person.
    RESEND = "resend"
    #: *Retry* asked by a person.
    RETRY = "retry"
    #: *Deliver again here* asked by a person.
    DELIVER_AGAIN = "deliver-again"
    #: What the changes feed brings between the explicit runs: one run per period.
    CONTINUOUS = "continuous"
    #: A platform task: a full sync (of one client), or documents to send again.
    TASK_FULL = "task-full"
    TASK_RESEND = "task-resend"


class FailedDocument(_Message):
    """A document that failed in a run, and why (as data, worded by whoever shows it)."""

    document_id: str
    number: str = ""
    kind: str = ""
    client_id: str = ""
    failures: list[FailureInfo] = Field(default_factory=list)


class RunStarted(_Message):
    type: Literal["run_started"] = "run_started"
    run_id: int
    kind: str
    #: When it began (seconds since the epoch, the engine's clock).
    started: float | None = None
    #: The client it is for (a platform task's, a full sync of one client), and its name.
    client_id: str | None = None
    client_name: str | None = None


class RunProgress(_Message):
    """An open run's counts so far: continuous syncing's run of the period grows with each
    document the feed brings, without a RunStarted (it is no pass a person waits on)."""

    type: Literal["run_progress"] = "run_progress"
    run_id: int
    kind: str
    started: float | None = None
    documents: int
    delivered: int
    failed: int
    failed_documents: list[FailedDocument] = Field(default_factory=list)


class RunFinished(_Message):
    type: Literal["run_finished"] = "run_finished"
    run_id: int
    kind: str
    documents: int
    delivered: int
    failed: int
    message: str | None = None
    #: Per destination, how many Forwarded documents' files a full sync found gone.
    moved: dict[str, int] = Field(default_factory=dict)
    #: What stopped the run or a part of it (the platform, the login), as data.
    failures: list[FailureInfo] = Field(default_factory=list)
    #: When it began and ended (seconds since the epoch, the engine's clock).
    started: float | None = None
    finished: float | None = None
    client_id: str | None = None
    client_name: str | None = None
    #: The documents that failed in it (the first ones: ``failed`` counts them all).
    failed_documents: list[FailedDocument] = Field(default_factory=list)
    #: Cut short (the engine stopped in the middle of it).
    interrupted: bool = False


class LoginNeededEvent(_Message):
    type: Literal["login_needed"] = "login_needed"
    reason: str
    failure: FailureInfo | None = None


class Connectivity(_Message):
    type: Literal["connectivity"] = "connectivity"
    online: bool
    detail: str | None = None
    failure: FailureInfo | None = None


class ClientInfo(_Message):
    id: str
    name: str
    vat_number: str
    country: str
    accounting_file_id: str
    shares_documents: bool
    linked_since: dt.datetime | None = None


class ClientsLoaded(_Message):
    """The office's clients as the platform lists them (names for the table, links)."""

    type: Literal["clients_loaded"] = "clients_loaded"
    clients: list[ClientInfo]


class AlertChanged(_Message):
    """The watchdog raised an alert (delivery stopped: :mod:`app.alerts.watchdog`), or its
    condition ended (``raised`` False); as data, worded by whoever shows it. Sent once per
    episode, each end once."""

    type: Literal["alert"] = "alert"
    kind: str
    params: dict[str, str] = Field(default_factory=dict)
    raised: bool = True


Event = Annotated[
    StateChanged
    | DocumentChanged
    | RunStarted
    | RunProgress
    | RunFinished
    | LoginNeededEvent
    | Connectivity
    | ClientsLoaded
    | AlertChanged,
    Field(discriminator="type"),
]
EVENTS: TypeAdapter[Event] = TypeAdapter(Event)
