"""The sync engine: the changes feed in, files on disk and delivery reports out.

It runs on its own asyncio loop (its own thread in the desktop app, the main thread on the
command line) with one shared httpx client, and talks to the rest of Ferry only through the
commands and events of :mod:`app.engine.messages`.

Exactly once: a page of the changes feed is queued durably together with the feed cursor; a
document leaves the queue only after its report reached the platform; every step in between
(download to a temporary name, rename, record, report) is safe to repeat, and a file already
on disk with the platform's checksum is recognised instead of written again. So a kill at any
instant is finished by the next start, with nothing lost and nothing written twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from app.api.models import (
    Client,
    Document,
    ErrorReport,
    ForwardedReport,
    TaskOutcome,
    TaskReport,
    TaskStatus,
)
from app.auth.account import StoredLogin, load_login
from app.auth.secret_store import SecretStore, store_for
from app.auth.session import LoginNeeded
from app.core import notes
from app.core.failures import Failure, FailureCode, describe, retry_at_param
from app.core.kinds import DeliveryStatus
from app.core.language import FALLBACK, Language
from app.core.names import TargetOS, running_target
from app.core.platform_kinds import DISPLAY_NAMES, LoginStrategy
from app.core.start_failures import StartFailure, StartFailureCode, StartFailureError
from app.core.templates import ClientValues
from app.engine.deliverer import PermanentFailure, TransientFailure, deliver
from app.engine.delivery import remove_stale_temporaries, run_io
from app.engine.messages import (
    ClientInfo,
    ClientsLoaded,
    Command,
    Connectivity,
    DeliverAgain,
    DocumentChanged,
    EngineState,
    Event,
    FailedDocument,
    FailureInfo,
    FullSync,
    LoginNeededEvent,
    Pause,
    Resend,
    Resume,
    Retry,
    RunFinished,
    RunKind,
    RunProgress,
    RunStarted,
    StateChanged,
    Stop,
    SyncNow,
)
from app.engine.reporter import PendingReport, Reporter
from app.engine.state import (
    PERSONS_ACTS,
    RUN_FAILED_DOCUMENTS,
    Completion,
    DeliveryOutcome,
    DeliveryRow,
    DeliveryState,
    QueueItem,
    StateStore,
    StateTooNew,
)
from app.home import FerryHome
from app.os_specific import AlreadyLocked, lock_exclusively
from app.platform.client import make_http_client
from app.platform.errors import PlatformError, PlatformUnreachable
from app.platforms.choose import (
    FEED_META,
    LoginState,
    PlatformFactory,
    UnsupportedLogin,
    new_feed_name,
    open_login,
    platform_factory,
)
from app.platforms.port import Platform, unsupported
from app.regions import RegionsError, regions
from app.settings import ClientLink, Settings, SettingsError, load_settings, settings_path

log = logging.getLogger(__name__)

STATE_FILE = "state.db"
LOCK_FILE = "engine.lock"
CHANGES_CURSOR = "changes_cursor"
LAST_FULL_SYNC = "last_full_sync"
LAST_CATCH_UP = "last_catch_up"
LONG_POLL_S = 30.0
#: Continuous syncing is one run per period this long (or until the engine's state changes
#: to paused, offline or login needed, an explicit run starts, or the engine stops).
CONTINUOUS_PERIOD_S = 3600.0
#: The states that end continuous syncing's run of the period.
_ENDS_A_PERIOD = frozenset(
    {EngineState.PAUSED, EngineState.OFFLINE, EngineState.LOGIN_NEEDED, EngineState.STOPPED}
)
CONCURRENCY = 8
#: Page sizes asked of the platform: the contract's maxima. A first sync reads the whole feed
#: and listing before its first download; every page is a round trip spent waiting.
CHANGES_PAGE = 1000
LISTING_PAGE = 500
#: A full sync delivers what it found missing whenever this many listed documents wait: its
#: memory holds this many documents (about 3 KiB each), whatever the history.
FULL_SYNC_CHUNK = 2000
TRANSIENT_BASE_S = 2.0
TRANSIENT_MAX_S = 300.0
PERMANENT_BASE_S = 25.0
PERMANENT_MAX_S = 24 * 3600.0
CATCH_UP_HOUR = 2


class EngineError(StartFailureError):
    """The engine cannot start (or is not running): ``failure`` says why as data
    (:mod:`app.core.start_failures`), :meth:`message` in any language; the exception's own
    text is the English words, for the log."""

    @classmethod
    def of(cls, code: StartFailureCode, **params: object) -> EngineError:
        return cls(StartFailure.of(code, **params))


def transient_delay(attempts: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter; the platform's Retry-After wins when it says more."""
    delay = min(TRANSIENT_MAX_S, TRANSIENT_BASE_S * 2.0 ** min(attempts, 10))
    delay *= random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not cryptography
    return float(max(delay, retry_after or 0.0))


#: The feed's reconnection while the platform cannot be reached: the same doubling as
#: :func:`transient_delay`, capped low, so that Ferry is back online within 30 s (jitter
#: included) of the platform coming back, whatever the outage lasted.
RECONNECT_MAX_S = 25.0


def reconnect_delay(failures: int, retry_after: float | None = None) -> float:
    """How long the feed waits before trying the platform again after ``failures`` failures
    in a row; a Retry-After from the platform wins when it asks for more."""
    delay = min(RECONNECT_MAX_S, TRANSIENT_BASE_S * 2.0 ** min(failures, 10))
    delay *= random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not cryptography
    return float(max(delay, retry_after or 0.0))


def permanent_delay(attempts: int) -> float:
    """Nextcloud's schedule for a document that needs a person: 25 s × 5ⁿ, at most a day."""
    return float(min(PERMANENT_MAX_S, PERMANENT_BASE_S * 5 ** min(attempts, 10)))


async def _cancel_and_wait(*tasks: asyncio.Task[Any]) -> None:
    """Cancel the tasks still running and wait until they have ended.

    Their own cancellation (or failure, already reported elsewhere or moot once cut short) is
    taken here; a cancellation of the task calling this is not: :func:`asyncio.wait` lets it
    through.
    """
    running = [task for task in tasks if not task.done()]
    for task in running:
        task.cancel()
    if running:
        await asyncio.wait(running)
    for task in running:
        if not task.cancelled() and task.exception() is not None:
            log.debug("a cancelled %s ended with %r", task.get_name(), task.exception())


@dataclass
class RunSummary:
    """What one run did, for the command line and the activity tab."""

    kind: str
    documents: int = 0
    delivered: int = 0
    failed: int = 0
    skipped: int = 0
    #: What stopped the run or a part of it, as data (worded by whoever shows it).
    errors: list[Failure] = field(default_factory=list)
    #: Per destination: Forwarded documents whose files are no longer where Ferry wrote them.
    moved: dict[str, int] = field(default_factory=dict)
    #: The documents that failed, with why (the first ``RUN_FAILED_DOCUMENTS``).
    failed_documents: list[FailedDocument] = field(default_factory=list)
    #: Per client: documents delivered and failed. A pass delivers whatever is due, whoever's
    #: it is; a platform task asked for one client, and its report tells that client's own.
    delivered_by_client: Counter[str] = field(default_factory=Counter)
    failed_by_client: Counter[str] = field(default_factory=Counter)

    def add(self, part: RunSummary) -> None:
        """What ``part`` did, added to this run's (continuous syncing's period)."""
        self.documents += part.documents
        self.delivered += part.delivered
        self.failed += part.failed
        self.delivered_by_client.update(part.delivered_by_client)
        self.failed_by_client.update(part.failed_by_client)
        self.skipped += part.skipped
        self.errors.extend(error for error in part.errors if error not in self.errors)
        room = RUN_FAILED_DOCUMENTS - len(self.failed_documents)
        self.failed_documents.extend(part.failed_documents[: max(0, room)])

    def line(self, language: Language = FALLBACK) -> str:
        return notes.run_line(
            self.kind,
            self.documents,
            self.delivered,
            self.failed,
            self.skipped,
            self.moved,
            language,
        )


@dataclass(frozen=True)
class RetryOutcome:
    """What :meth:`Engine.retry` did, as data (worded by whoever shows it, in its language)."""

    #: Documents queued to be tried again now: in Error, or waiting on a destination.
    queued: list[str] = field(default_factory=list)
    #: Ids Ferry has no record of (never seen, or a typing mistake): nothing queued.
    unknown: list[str] = field(default_factory=list)
    #: Documents Ferry knows that are neither in Error nor waiting: nothing to try again.
    not_failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Outcome:
    delivered: bool
    failed: bool
    postponed: bool
    #: A failed document, for its run's "what failed".
    failed_document: FailedDocument | None = None
    #: Whose document it was (a platform task for one client reports that client's own).
    client_id: str = ""


@dataclass
class _OpenRun:
    """A run the store has open, as the engine tells it."""

    run_id: int
    kind: str
    started: float
    client_id: str | None = None
    client_name: str | None = None
    #: Continuous syncing: what the period did so far, and when it opened (monotonic).
    summary: RunSummary | None = None
    opened: float = 0.0


class Engine:
    """One Ferry home's engine. ``open`` first; then ``sync_once``, ``full_sync`` or ``run``."""

    def __init__(
        self,
        home: FerryHome,
        *,
        on_event: Callable[[Event], None] | None = None,
        concurrency: int = CONCURRENCY,
        long_poll_s: float = LONG_POLL_S,
        target: TargetOS | None = None,
        store: SecretStore | None = None,
        state: StateStore | None = None,
        continuous_period_s: float = CONTINUOUS_PERIOD_S,
        platform: PlatformFactory | None = None,
    ) -> None:
        self.home = home
        #: Makes the platform's adapter for the login (the one its platform needs unless told).
        self._platform_factory = platform
        #: When the feed was last read (monotonic): a platform without a long-poll is read
        #: no sooner than it allows after that.
        self._last_poll: float | None = None
        self.continuous_period_s = continuous_period_s
        #: Continuous syncing's run of the period, while one is open.
        self._continuous: _OpenRun | None = None
        #: Runs a person asked for from a face (resend, retry, deliver again), done by the
        #: feed loop between its own so that no two drains run side by side.
        self._requested_runs: list[str] = []
        self._on_event = on_event
        self._concurrency = concurrency
        self._long_poll_s = long_poll_s
        self.target = target or running_target()
        self._secrets = store
        self.state = state
        self._lock_handle: object | None = None
        self._http: httpx.AsyncClient | None = None
        self._client: Platform | None = None
        self._reporter: Reporter | None = None
        self._session: LoginState | None = None
        self._login: StoredLogin | None = None
        self._settings = Settings()
        self._settings_stamp: float | None = None
        self._clients: dict[str, Client] = {}
        self._clients_loaded = 0.0
        self._clients_lock = asyncio.Lock()
        self._listed: dict[str, Document] = {}  # documents a full sync already read
        self._in_flight: set[str] = set()
        self._delivering = 0  # documents between their start and their files in place
        # At most ``concurrency`` files downloading at once; a document whose file is being
        # written and renamed on a file thread does not hold up the next download.
        self._downloads = asyncio.Semaphore(concurrency)
        self._commands: asyncio.Queue[Command] | None = None
        self._wake: asyncio.Event | None = None
        self._paused = False
        self._online = True
        self._offline_since: float | None = None  # monotonic; for the log's "after N s"
        self._login_needed_since: float | None = None
        self._login_needed: str | None = None
        self._state: EngineState = EngineState.STARTING
        self._last_sync: dt.datetime | None = None
        self._full_requested: tuple[str | None, bool] | None = None
        #: Passes a face asked for and waits on (``ferry sync --once`` beside a running
        #: engine): run by the feed loop between its own, never beside them.
        self._passes: list[tuple[str, bool, asyncio.Future[RunSummary]]] = []
        self._office_language: Language = FALLBACK

    # -- life cycle -----------------------------------------------------------------------------

    async def open(self, *, exclusive: bool = True) -> None:
        """Take the home's engine lock, read the login and settings, connect.

        ``exclusive=False`` is for commands that only read the platform (listing clients),
        which may run beside a running engine.
        """
        self.home.ensure()
        if exclusive:
            try:
                self._lock_handle = lock_exclusively(self.home.state_dir / LOCK_FILE)
            except AlreadyLocked:
                raise EngineError.of(
                    StartFailureCode.ENGINE_RUNNING_ELSEWHERE, home=self.home.state_dir.parent
                ) from None
        if self.state is None:
            path = self.home.state_dir / STATE_FILE
            try:
                self.state = StateStore(path)
            except StateTooNew as error:
                raise EngineError(error.failure) from None
            except sqlite3.DatabaseError as error:  # not a database, or not ours to open
                raise EngineError.of(
                    StartFailureCode.STATE_UNREADABLE, path=path, said=error
                ) from None
        if exclusive:
            # Holding the lock, no other engine is at work: a run still open was cut short.
            interrupted = self.state.end_interrupted_runs()
            if interrupted:
                log.info("run(s) %s were cut short by a crash or a kill", interrupted)
        login = load_login(self.home.settings_dir)
        if login is None or not login.api_url:
            raise EngineError.of(StartFailureCode.NOT_LOGGED_IN)
        self._login = login
        self._office_language = _office_language(login.region)
        try:
            self._reload_settings()
        except SettingsError as error:  # a damaged file, or one a newer Ferry wrote
            raise EngineError(error.failure) from None
        for folder in self.state.delivered_folders():
            removed = remove_stale_temporaries(Path(folder))
            if removed:
                log.info("removed %d unfinished temporary file(s) in %s", removed, folder)
        # The downloads, one batch of reports and the long-poll.
        # Both go through the proxy the settings name; a change of proxy needs a new engine.
        proxy = self._settings.proxy
        self._http = make_http_client(max_connections=self._concurrency + 2, proxy=proxy)
        try:
            self._session = open_login(
                login,
                store=self._secrets or store_for(self.home),
                http=self._http,
                proxy=proxy,
                on_login_needed=self._login_lost,
            )
        except UnsupportedLogin as error:
            log.error("%s", error)
            raise EngineError.of(StartFailureCode.NOT_LOGGED_IN) from None
        make = self._platform_factory or platform_factory(self._feed_name)
        self._client = make(login, self._session, self._http)
        lacks = unsupported(self._client.capabilities)
        if lacks:
            log.info("the platform does without: %s", ", ".join(lacks))
        self._reporter = Reporter(
            self._client, self._record_reported, more_coming=lambda: self._delivering > 0
        )

    async def close(self) -> None:
        if self.state is not None:
            self._close_continuous()
            self._set_state(EngineState.STOPPED)
        if self._reporter is not None:
            await self._reporter.aclose()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self.state is not None:
            self.state.close()
        if self._lock_handle is not None:
            with contextlib.suppress(Exception):
                self._lock_handle.close()  # type: ignore[attr-defined]
            self._lock_handle = None

    @property
    def client(self) -> Platform:
        assert self._client is not None, "open() first"
        return self._client

    @property
    def reporter(self) -> Reporter:
        assert self._reporter is not None, "open() first"
        return self._reporter

    @property
    def store(self) -> StateStore:
        assert self.state is not None, "open() first"
        return self.state

    # -- events ---------------------------------------------------------------------------------

    def _emit(self, event: Event) -> None:
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:  # a listener's bug must not stop deliveries
                log.exception("an engine event listener failed")

    def _set_state(self, state: EngineState, failure: Failure | None = None) -> None:
        """``failure``: why (offline, login needed), as data; ``detail`` carries its English
        words for the log and older readers."""
        if state == self._state and failure is None:
            return
        self._state = state
        if state in _ENDS_A_PERIOD:
            self._close_continuous()
        errors = self.state.count(DeliveryStatus.ERROR.value) if self.state else 0
        self._emit(
            StateChanged(
                state=state,
                detail=failure.message() if failure else None,
                failure=FailureInfo.of(failure) if failure else None,
                last_sync=self._last_sync,
                errors=errors,
            )
        )

    def _feed_name(self) -> str:
        """This installation's feed on a platform that keeps one per reader (Billit's): made
        once and kept in the state database, so it lives as long as what was delivered."""
        name = self.store.get_meta(FEED_META)
        if name is None:
            name = new_feed_name()
            self.store.set_meta(FEED_META, name)
            log.info("this installation reads the platform's feed %s", name)
        return name

    def _login_failure(self) -> Failure:
        """*Login needed*, saying what a person does about it: log in again, or paste a new
        key where the login is a key."""
        login = self._login
        if login is not None and login.strategy is LoginStrategy.API_KEY:
            return Failure.of(
                FailureCode.LOGIN_NEEDED,
                login=login.strategy.value,
                platform=DISPLAY_NAMES[login.platform],
            )
        return Failure.of(FailureCode.LOGIN_NEEDED)

    def _login_lost(self, reason: str) -> None:
        self._login_needed = reason
        if self._login_needed_since is None:
            self._login_needed_since = time.monotonic()
        failure = self._login_failure()
        log.warning("login needed [%s]: %s", failure.code.value, reason)
        self._emit(LoginNeededEvent(reason=reason, failure=FailureInfo.of(failure)))
        self._set_state(EngineState.LOGIN_NEEDED, failure)

    def _set_online(self, online: bool, failure: Failure | None = None) -> None:
        if online != self._online:
            self._online = online
            if not online:
                self._offline_since = time.monotonic()
                log.warning("offline: %s", _logged(failure) if failure else "no answer")
            elif self._offline_since is not None:
                lasted = time.monotonic() - self._offline_since
                self._offline_since = None
                log.info("online again after %s offline", _lasted(lasted))
            self._emit(
                Connectivity(
                    online=online,
                    detail=failure.message() if failure else None,
                    failure=FailureInfo.of(failure) if failure else None,
                )
            )
            if not online:
                self._set_state(EngineState.OFFLINE, failure)

    # -- settings and clients -------------------------------------------------------------------

    def _reload_settings(self) -> None:
        """Re-read the settings when the file changed: changes apply without a restart."""
        path = settings_path(self.home.settings_dir)
        try:
            stamp = path.stat().st_mtime_ns / 1e9
        except FileNotFoundError:
            stamp = None
        if stamp != self._settings_stamp or self._settings_stamp is None:
            self._settings = load_settings(self.home.settings_dir)
            self._settings_stamp = stamp

    async def _client_info(self, client_id: str) -> Client | None:
        async with self._clients_lock:  # parallel documents share one listing
            if client_id not in self._clients or time.monotonic() - self._clients_loaded > 300:
                await self.load_clients()
        return self._clients.get(client_id)

    async def load_clients(self) -> list[Client]:
        """Read the office's clients from the platform and tell the listeners."""
        clients = await self.client.all_clients()
        self._clients = {c.id: c for c in clients}
        self._clients_loaded = time.monotonic()
        self._emit(
            ClientsLoaded(
                clients=[
                    ClientInfo.model_validate(c.model_dump(include=set(ClientInfo.model_fields)))
                    for c in clients
                ]
            )
        )
        return clients

    # -- the changes feed -----------------------------------------------------------------------

    async def pull_changes(self, wait: float = 0) -> int:
        """Read the feed to its end, the first request held open up to ``wait`` s; returns
        how many documents were queued.

        Page by page in a loop, each page's documents queued and the cursor moved in one
        transaction: memory holds one page whatever the backlog (a new installation facing
        an office's whole history once recursed per page, failing after about 970 pages with
        all of them held). A change of a client not linked here, or from before the client's
        link, is passed over without asking for its document: a document enters the feed when
        it is created or resent, so such a change says enough (see :func:`_wanted`).
        """
        queued = 0
        capabilities = self.client.capabilities
        while True:
            cursor = self.store.get_meta(CHANGES_CURSOR)
            if (
                not capabilities.long_poll
                and self._last_poll is not None
                and self._login_needed is None  # no read will reach the platform: say so now
            ):
                # Never sooner than the platform allows, whoever asks (a pass, a full sync).
                pause = self._last_poll + capabilities.min_poll_interval_s - time.monotonic()
                if pause > 0:
                    await asyncio.sleep(pause)
            self._last_poll = time.monotonic()  # a read that fails counts too
            try:
                page = await self.client.changes(
                    cursor, wait=capabilities.poll_wait(wait), limit=CHANGES_PAGE
                )
            finally:  # the platform counts its interval from its answer
                self._last_poll = time.monotonic()
            # Read after the page came: a client linked while the long-poll was held open is
            # linked for the documents that page brings (read before, they were passed over).
            self._reload_settings()
            links = {link.client_id: link for link in self._settings.links}
            items = [
                (change.document_id, change.reason.value)
                for change in page.items
                if _wanted(links.get(change.client_id), change.at)
            ]
            if items or page.cursor != cursor:
                self.store.enqueue(items, cursor_key=CHANGES_CURSOR, cursor=page.cursor)
            self._set_online(True)
            queued += len(items)
            if not page.has_more or page.cursor == cursor:
                return queued
            wait = 0

    # -- one document ---------------------------------------------------------------------------

    async def process(
        self,
        item: QueueItem,
        summary: RunSummary,
        document: Document | None = None,
        *,
        on_files_done: Callable[[], None] | None = None,
    ) -> _Outcome:
        """Deliver one queued document everywhere it goes, report it, and take it off the queue.

        ``document`` saves a request when the caller already holds it (a full sync's listing).
        ``on_files_done`` is called once its files are in place, before the report: the
        caller's next download need not wait for this one's report.
        """
        store = self.store
        if document is None:
            try:
                document = await self.client.document(item.document_id)
            except PlatformError as error:
                if error.status == 404:
                    return self._gone(item, error)
                return self._postpone(item, error)
        record = document.model_dump(mode="json")
        link = self._settings.link(document.client_id)
        asked = item.reason in PERSONS_ACTS  # a person chose this document: its date is no bar
        if link is None or (document.created_at < link.since and not asked):
            # Not this Ferry's to deliver: kept as the platform's To fetch, never as an Error
            # another installation reported (a new Ferry said "Errors" for documents it never
            # handles, and its table showed none of them).
            if record.get("status") == DeliveryStatus.ERROR.value:
                record = {**record, "status": DeliveryStatus.TO_FETCH.value, "status_message": None}
            store.complete_document(record, [], status=None, message=None, locations=[])
            summary.skipped += 1
            return _Outcome(False, False, False)
        try:
            client = await self._client_info(document.client_id)
        except PlatformError as error:
            return self._postpone(item, error)
        values = ClientValues(
            name=client.name if client else None,
            vat_number=client.vat_number if client else None,
            accounting_file_id=link.accounting_file_id
            or (client.accounting_file_id if client else None),
            country=client.country if client else None,
        )
        resend = item.reason == "resend"
        locations: list[str] = []
        failures: list[Failure] = []
        waiting: list[TransientFailure] = []
        outcomes: list[DeliveryOutcome] = []
        taken = False
        for name in link.destinations:
            destination = self._settings.destination(name)
            if destination is None:
                continue
            if resend:
                done = None
            elif item.deliveries is not None:  # read with the item: see drain()
                done = item.deliveries.get(name)
            else:
                done = store.delivery(document.id, name)
            if done is not None and done.state == "delivered":
                locations.extend(done.paths)
                taken = taken or bool(done.paths)
                continue
            try:
                paths = await deliver(
                    self.client,
                    document,
                    destination,
                    values,
                    self.target,
                    downloads=self._downloads,
                    sync_folders=False,  # once per batch of reports: see _report
                    look_first=resend or done is not None,  # see deliver()
                )
            except TransientFailure as error:
                # This destination waits (a share down, a file held, the platform busy); the
                # others go on, and what they received is recorded and shown meanwhile.
                waiting.append(error)
                retry_at = time.time() + transient_delay(item.attempts, error.retry_after)
                failure = error.failure.with_params(
                    destination=name, retry_at=retry_at_param(retry_at)
                )
                if failure.code is FailureCode.OFFLINE:
                    self._set_online(False, failure)
                outcomes.append(
                    DeliveryOutcome(name, [], failure.code.value, failure.message(), retry_at)
                )
                failures.append(failure)
                taken = True
                continue
            except PermanentFailure as error:
                attempts = done.attempts if done else 0
                retry_at = time.time() + permanent_delay(attempts)
                failure = error.failure.with_params(
                    destination=name, retry_at=retry_at_param(retry_at)
                )
                outcomes.append(
                    DeliveryOutcome(name, [], failure.code.value, failure.message(), retry_at)
                )
                failures.append(failure)
                taken = True
                continue
            outcomes.append(DeliveryOutcome(name, paths or []))
            if paths:
                locations.extend(paths)
                taken = True
        if on_files_done is not None:
            on_files_done()
        if not taken:
            store.complete_document(
                record, outcomes, status=None, message=None, locations=[], forget_first=resend
            )
            summary.skipped += 1
            return _Outcome(False, False, False)
        if waiting:
            return self._wait(document, record, item, outcomes, locations, failures, resend)
        return await self._report(document, record, item, outcomes, locations, failures, resend)

    def _wait(
        self,
        document: Document,
        record: dict[str, Any],
        item: QueueItem,
        outcomes: list[DeliveryOutcome],
        locations: list[str],
        failures: list[Failure],
        resend: bool,
    ) -> _Outcome:
        """A destination waits on a transient cause: nothing is reported to the platform yet
        (the document is not done), but the table and ``ferry status`` show it waiting, with
        why and when Ferry tries again, and what the other destinations already received."""
        next_try = min(o.next_retry for o in outcomes if o.next_retry is not None)
        for failure in failures:
            log.info("%s", _delivery(document, failure, "waits"))
        completion = Completion(
            record,
            outcomes,
            DeliveryStatus.TO_FETCH.value,
            describe(failures),
            locations,
            forget_first=resend,
            retry_at=next_try,
            failures=[failure.to_json() for failure in failures],
            reason="waiting",
        )
        self.store.complete_documents([completion])
        self._tell(document, DeliveryStatus.TO_FETCH, failures, locations, next_try)
        return _Outcome(False, False, True)

    def _tell(
        self,
        document: Document,
        status: DeliveryStatus,
        failures: list[Failure],
        locations: list[str],
        next_try: float | None,
        moved: list[str] | None = None,
    ) -> None:
        if self._on_event is None:  # building the event costs, with nobody to tell
            return
        self._emit(
            DocumentChanged(
                document_id=document.id,
                client_id=document.client_id,
                kind=document.kind.value,
                number=document.number,
                issue_date=document.issue_date.isoformat(),
                amount=None if document.amount is None else format(document.amount, "f"),
                currency=document.currency,
                status=status.value,
                message=describe(failures) if failures else None,
                locations=locations,
                failures=[FailureInfo.of(failure) for failure in failures],
                next_try=next_try,
                moved=moved or [],
            )
        )

    async def _report(
        self,
        document: Document,
        record: dict[str, Any],
        item: QueueItem,
        outcomes: list[DeliveryOutcome],
        locations: list[str],
        failures: list[Failure],
        resend: bool,
    ) -> _Outcome:
        report: ForwardedReport | ErrorReport
        capabilities = self.client.capabilities
        if failures:
            # The platform shows it to the office: in the office's language.
            message = describe(failures, self._office_language)[:3900]
            report = ErrorReport(status="error", message=message)
            for failure in failures:
                log.warning("%s", _delivery(document, failure, "in Error"))
            if not capabilities.error_reports:  # said with the document's failures
                failures = [
                    *failures,
                    Failure.of(FailureCode.NOT_REPORTED, platform=capabilities.name),
                ]
        else:
            report = ForwardedReport(status="forwarded", locations=locations)
        status = DeliveryStatus.ERROR if failures else DeliveryStatus.FORWARDED
        said = describe(failures) if failures else None
        retry_at = (
            min(o.next_retry for o in outcomes if o.next_retry is not None) if failures else None
        )
        completion = Completion(
            record,
            outcomes,
            status.value,
            said,
            locations,
            forget_first=resend,
            retry_at=retry_at,
            failures=[failure.to_json() for failure in failures],
        )
        assert self._reporter is not None, "open() first"
        try:
            if failures and not capabilities.error_reports:
                # The platform takes no Error: Ferry keeps it (the table, the tray, the
                # retries) and tells the platform nothing, so its item stays to be fetched.
                log.info(
                    "document %s: the error is kept here, not reported to the platform "
                    "(it takes no error reports); tried again at %s",
                    document.id,
                    retry_at_param(retry_at) if retry_at is not None else "the next pass",
                )
                self.store.complete_documents([completion])
            else:
                # Reported (a refusal for good is logged there), then recorded: see
                # reporter.py.
                folders = frozenset(str(Path(path).parent) for path in locations)
                await self._reporter.submit(
                    PendingReport(document.id, report, completion, folders=folders)
                )
        except PlatformError as error:
            if error.transient:
                return self._postpone(item, error)
            raise
        self._tell(document, status, failures, locations, retry_at)
        if failures:
            failed = FailedDocument(
                document_id=document.id,
                number=document.number,
                kind=document.kind.value,
                client_id=document.client_id,
                # Why, not when it is tried again: the history states the cause.
                failures=[FailureInfo.of(f.with_params(retry_at=None)) for f in failures],
            )
            return _Outcome(False, True, False, failed, document.client_id)
        return _Outcome(True, False, False, client_id=document.client_id)

    def _record_reported(self, reported: Sequence[PendingReport]) -> None:
        """The state of a batch of reported documents, in one commit."""
        if reported:
            self.store.complete_documents([pending.record for pending in reported])

    def _postpone(self, item: QueueItem, error: PlatformError) -> _Outcome:
        delay = transient_delay(item.attempts, error.retry_after)
        log.info(
            "document %s: %s; tried again at %s",
            item.document_id,
            _logged(error.failure),
            retry_at_param(time.time() + delay),
        )
        if isinstance(error, PlatformUnreachable):
            self._set_online(False, error.failure)
        self.store.postpone(item.document_id, time.time() + delay)
        return _Outcome(False, False, True)

    # -- runs -----------------------------------------------------------------------------------

    async def drain(self, summary: RunSummary, *, deadline: float | None = None) -> None:
        """Process every due document until none is due: ``concurrency`` downloads at a time,
        and as many documents again having their files written or being looked up."""
        semaphore = asyncio.Semaphore(self._concurrency * 2)
        pending: set[asyncio.Task[None]] = set()

        async def one(item: QueueItem) -> None:
            released = False
            self._delivering += 1

            def release() -> None:  # once its files are in place, the next download may start
                nonlocal released
                if not released:
                    released = True
                    self._delivering -= 1
                    semaphore.release()
                    if self._delivering == 0:
                        self.reporter.nudge()

            try:
                known = self._listed.pop(item.document_id, None)
                if known is not None and not known.files:
                    known = None  # a listing without files (Billit's): read it to deliver it
                outcome = await self.process(item, summary, known, on_files_done=release)
            except (LoginNeeded, asyncio.CancelledError):
                raise
            except Exception as error:
                # An unexpected failure (a state write refused, a bug): the document stays
                # queued and the next pass does it again; every step is safe to repeat.
                log.exception("document %s could not be processed", item.document_id)
                summary.errors.append(
                    Failure.of(FailureCode.INTERNAL, document=item.document_id, said=str(error))
                )
                return
            finally:
                self._in_flight.discard(item.document_id)
                release()
            if outcome.delivered or outcome.failed:
                summary.documents += 1
                summary.delivered += int(outcome.delivered)
                summary.failed += int(outcome.failed)
                if outcome.delivered:
                    summary.delivered_by_client[outcome.client_id] += 1
                else:
                    summary.failed_by_client[outcome.client_id] += 1
                failed = outcome.failed_document
                if failed is not None and len(summary.failed_documents) < RUN_FAILED_DOCUMENTS:
                    summary.failed_documents.append(failed)

        ready: list[QueueItem] = []  # due, not yet started
        try:
            while not self._paused and self._login_needed is None:
                # A document takes a slot first, then the next due one is picked: a slot freed by a
                # finished download starts the next at once, whatever the reports are doing.
                while pending and len(self._in_flight) >= self._concurrency * 10:
                    await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                await semaphore.acquire()
                if not ready:
                    self._reload_settings()  # changes apply from the next documents on
                    # Documents being reported are still in flight; look past them.
                    ready = [
                        i
                        for i in self.store.due(
                            self._concurrency * 4 + len(self._in_flight), with_deliveries=True
                        )
                        if i.document_id not in self._in_flight
                    ]
                    ready.reverse()
                if not ready:
                    semaphore.release()
                    if not pending:
                        return
                    await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                else:
                    item = ready.pop()
                    self._in_flight.add(item.document_id)
                    task = asyncio.create_task(one(item))
                    pending.add(task)
                    task.add_done_callback(pending.discard)
                if deadline is not None and time.monotonic() > deadline:
                    break
            if pending:
                await asyncio.wait(pending)
        finally:
            # Stopped (cancelled) half-way: no document task outlives the drain; each step
            # of a delivery is safe to repeat, so the next pass finishes what was cut short.
            await _cancel_and_wait(*pending)

    async def sync_once(self, kind: str = "incremental") -> RunSummary:
        """One incremental pass: read the feed, deliver what is due, retry transient failures
        that come due within the pass."""
        summary = RunSummary(kind)
        with self._run(kind, summary) as run:
            self._set_state(EngineState.SYNCING)
            try:
                await self.pull_changes(0)
                await self._drain_with_retries(summary)
            except LoginNeeded:
                summary.errors.append(self._login_failure())
            except PlatformError as error:
                summary.errors.append(error.failure)
                if isinstance(error, PlatformUnreachable):
                    self._set_online(False, error.failure)
        self._finish(run, summary)
        return summary

    async def _drain_with_retries(self, summary: RunSummary, patience_s: float = 90.0) -> None:
        """Drain, then wait for documents postponed by a transient failure (not for errors)."""
        give_up = time.time() + patience_s
        while True:
            await self.drain(summary)
            if self._login_needed or self._paused:
                return
            # The first postponed document not in Error, by index (Errors wait for a person
            # or their day; reading them all on every pass cost as much as the history).
            upcoming = self.store.next_retry(until=give_up)
            first = self.store.next_due()
            # A document in Error coming due first ends the pass: it is tried again by the
            # next one, not twice in this one (counted failed twice).
            if (
                upcoming is None
                or time.time() > give_up
                or (first is not None and first < upcoming)
            ):
                return
            await asyncio.sleep(max(0.0, upcoming - time.time()))

    async def full_sync(
        self,
        client_id: str | None = None,
        *,
        new_destinations: bool = False,
        kind: str = RunKind.FULL,
    ) -> RunSummary:
        """Reconcile what the platform holds for linked clients with the disk; re-deliver gaps.
        ``kind`` names the run (a platform task's full sync is one of its own)."""
        summary = RunSummary(kind)
        if client_id is not None:  # its name for the history (the run goes on without it)
            with contextlib.suppress(PlatformError, LoginNeeded):
                await self._client_info(client_id)
        with self._run(kind, summary, client_id) as run:
            self._set_state(EngineState.SYNCING)
            await self._full_sync(client_id, new_destinations, summary)
        self._finish(run, summary)
        return summary

    async def _full_sync(
        self, client_id: str | None, new_destinations: bool, summary: RunSummary
    ) -> None:
        try:
            await self.pull_changes(0)
            self._reload_settings()
            links = [
                link
                for link in self._settings.links
                if client_id is None or link.client_id == client_id
            ]
            # The listing and the state side by side, a page at a time: what is missing is
            # queued with its page, and delivered whenever a chunk of listed documents waits,
            # so memory holds a chunk, not every missing document of the history.
            # The next page is asked for while this one is reconciled (two pages held).
            missing = 0
            for link in links:
                page = await self.client.documents_page(
                    client_id=link.client_id, limit=LISTING_PAGE
                )
                while True:
                    upcoming = (
                        asyncio.create_task(
                            self.client.documents_page(
                                client_id=link.client_id,
                                cursor=page.next_cursor,
                                limit=LISTING_PAGE,
                            )
                        )
                        if page.next_cursor
                        else None
                    )
                    try:
                        wanted = await self._reconcile(page.items, link, summary, new_destinations)
                        if wanted:
                            self.store.enqueue(wanted)
                            missing += len(wanted)
                        if len(self._listed) >= FULL_SYNC_CHUNK:
                            await self.drain(summary)
                    except BaseException:
                        if upcoming is not None:
                            await _cancel_and_wait(upcoming)
                        raise
                    if upcoming is None:
                        break
                    page = await upcoming
            if missing:
                log.info("full sync: %d document(s) to deliver", missing)
            for destination, count in sorted(summary.moved.items()):
                log.info(
                    "full sync: %d forwarded document(s) picked up or moved from %s",
                    count,
                    destination,
                )
            await self._drain_with_retries(summary)
            self._listed.clear()
            self.store.set_meta(LAST_FULL_SYNC, dt.datetime.now(dt.UTC).isoformat())
        except LoginNeeded:
            summary.errors.append(self._login_failure())
        except PlatformError as error:
            summary.errors.append(error.failure)

    async def _reconcile(
        self,
        documents: Sequence[Document],
        link: ClientLink,
        summary: RunSummary,
        new_destinations: bool = False,
    ) -> list[tuple[str, str]]:
        """What a full sync does with one page of a client's documents; the ones to deliver.

        Delivered stays delivered: a document is delivered again only when the platform has
        no acknowledgement of it (To fetch, Error) or Ferry's own delivery failed. A Forwarded
        document whose files are gone from a destination was picked up or moved by the
        accounting software, which imports a file and then moves or deletes it: writing it
        again would have it booked twice, so it is only counted and shown, and delivering it
        again is a person's act (*Deliver again here*, *Resend to integrations*). Only a
        destination marked as an archive gets its missing files back. A destination a client
        was linked to after the document was forwarded receives it only when a person asks:
        ``new_destinations`` (a person ticked it for that client) delivers the client's
        documents that Ferry delivered elsewhere to the destinations that have none of them.
        """
        wanted: list[tuple[str, str]] = []
        forwarded: list[Document] = []
        for document in documents:
            if document.created_at < link.since:
                continue
            if document.status is not DeliveryStatus.FORWARDED:
                wanted.append((document.id, "full_sync"))
                self._listed[document.id] = document
            else:
                forwarded.append(document)
        if not forwarded:
            return wanted
        rows = self.store.deliveries_of([document.id for document in forwarded])
        checked: list[tuple[Document, DeliveryRow]] = []
        for document in forwarded:
            mine = rows.get(document.id, {})
            if any(row.state is not DeliveryState.DELIVERED for row in mine.values()):
                wanted.append((document.id, "full_sync"))
                self._listed[document.id] = document
                continue
            if new_destinations and mine and set(link.destinations) - set(mine):
                wanted.append((document.id, "full_sync"))  # and the others are looked at too
                self._listed[document.id] = document
            checked.extend(
                (document, row) for name, row in mine.items() if name in link.destinations
            )
        if not checked:
            return wanted
        gone = await run_io(_gone, [row.paths for _, row in checked])
        newly_gone: list[tuple[str, str]] = []
        back: list[tuple[str, str]] = []
        restore: list[tuple[str, str]] = []
        changed: dict[str, Document] = {}
        for (document, row), missing in zip(checked, gone, strict=True):
            pair = (document.id, row.destination)
            if not missing:
                if row.gone_since is not None:
                    back.append(pair)
                    changed[document.id] = document
                continue
            destination = self._settings.destination(row.destination)
            if destination is not None and destination.archive:
                restore.append(pair)
                continue
            summary.moved[row.destination] = summary.moved.get(row.destination, 0) + 1
            if row.gone_since is None:
                newly_gone.append(pair)
                changed[document.id] = document
        if newly_gone:
            self.store.mark_gone(newly_gone, time.time())
        if back:
            self.store.mark_present(back)
        for document_id, destination_name in restore:
            log.info("archive %s: restoring the files of %s", destination_name, document_id)
            self.store.deliver_again([document_id], destination_name, "restore")
        for document in changed.values():
            self._tell_moved(document)
        return wanted

    def _tell_moved(self, document: Document) -> None:
        """The table's row for a Forwarded document whose files went (or came back)."""
        if self._on_event is None:
            return
        record = self.store.document(document.id)
        if record is None:
            return
        self._tell(
            document,
            DeliveryStatus(record["status"]),
            [Failure.from_json(item) for item in record["failures"]],
            record["locations"],
            record["next_try"],
            record["moved"],
        )

    # -- a person's acts on documents: the GUI's commands and the command line's -------------

    async def retry(
        self, document_ids: Sequence[str] | None = None, *, all_errors: bool = False
    ) -> RetryOutcome:
        """*Retry*: try failed documents again now instead of at their next scheduled attempt.

        The one place that says what retrying is, for the GUI's ``Retry`` and ``ferry retry``:
        ``all_errors`` queues every document in Error (and ``document_ids`` too, if any);
        named documents are queued when they are in Error or wait on a destination. The
        next drain delivers them; what was unknown or had not failed is said, not queued.
        """
        outcome = RetryOutcome()
        ids = list(dict.fromkeys(document_ids or ()))
        if all_errors:
            ids = list(dict.fromkeys([*self._error_ids(), *ids]))
        for document_id in ids:
            record = self.store.document(document_id)
            if record is None:
                outcome.unknown.append(document_id)
            elif record["status"] == DeliveryStatus.ERROR.value or (
                record["status"] == DeliveryStatus.TO_FETCH.value and record["failures"]
            ):
                outcome.queued.append(document_id)
            else:
                outcome.not_failed.append(document_id)
        if outcome.queued:
            self.store.enqueue([(document_id, "retry") for document_id in outcome.queued])
            self._tell_waiting(outcome.queued)
        return outcome

    async def resend(self, document_ids: Sequence[str]) -> None:
        """*Send to integrations* (again): the platform puts the documents back to To fetch
        and the changes feed brings them here to be delivered anew. A platform that refuses
        raises :class:`PlatformError` (or :class:`LoginNeeded`), with its failure as data."""
        if self.client.capabilities.resend:
            await self.client.resend(list(document_ids))
        else:  # the platform cannot put them back to To fetch: Ferry delivers them anew
            self.store.enqueue([(document_id, "resend") for document_id in document_ids])
            if self._wake is not None:
                self._wake.set()
        self._tell_waiting(document_ids)

    async def deliver_again(
        self,
        document_ids: Sequence[str] | None,
        destination: str | None,
        *,
        moved: bool = False,
    ) -> list[str]:
        """*Deliver again here*: forget what was delivered (to ``destination``, or to every
        destination) and queue the documents; the next drain writes them again.

        ``document_ids`` None lets the engine pick them: with ``moved``, every document whose
        files were picked up or moved (from ``destination``, or from any); without, every
        document delivered to ``destination`` (into its new path after its path changed).
        Returns the documents queued (none: nothing to deliver again).
        """
        if document_ids is not None:
            ids = list(dict.fromkeys(document_ids))
        elif moved:
            ids = list(
                dict.fromkeys(
                    gone.document_id
                    for gone in self.store.moved()
                    if destination in (None, gone.destination)
                )
            )
        elif destination is not None:
            ids = self.store.delivered_to(destination)
        else:
            raise ValueError("name the documents, or moved=True, or a destination")
        if ids:
            self.store.deliver_again(ids, destination, "deliver_again")
            self._tell_waiting(ids)
        return ids

    def _gone(self, item: QueueItem, error: PlatformError) -> _Outcome:
        """The platform no longer has a queued document. Taken off the queue; when a person
        asked for it (*Deliver again*, *Send to integrations*: a platform whose feed
        forgets what was delivered, Billit's, answers so), the run says it failed and why,
        and the faces show the document as the state has it again, not To fetch."""
        self.store.done(item.document_id)
        if item.reason not in _ASKED_BY_A_PERSON:
            log.info("document %s is gone from the platform", item.document_id)
            return _Outcome(False, False, False)
        log.warning(
            "document %s: %s; what was asked (%s) was not done",
            item.document_id,
            _logged(error.failure),
            item.reason,
        )
        record = self.store.document(item.document_id) or {}
        self._tell_stored([item.document_id])
        failed = FailedDocument(
            document_id=item.document_id,
            number=str(record.get("number") or ""),
            kind=str(record.get("kind") or ""),
            client_id=str(record.get("client_id") or ""),
            failures=[FailureInfo.of(error.failure)],
        )
        return _Outcome(False, True, False, failed, failed.client_id)

    def _tell_waiting(self, document_ids: Sequence[str]) -> None:
        """A person's action put these documents back in line: the faces show them To fetch
        at once (a resend, a retry changed nothing visible until they were done)."""
        self._tell_stored(document_ids, DeliveryStatus.TO_FETCH.value)

    def _tell_stored(self, document_ids: Sequence[str], status: str | None = None) -> None:
        """The faces shown these documents as the state has them (or with ``status``)."""
        if self._on_event is None:
            return
        for document_id in document_ids:
            record = self.store.document(document_id)
            if record is None:
                continue
            self._emit(
                DocumentChanged(
                    document_id=document_id,
                    client_id=record["client_id"],
                    kind=record["kind"],
                    number=record["number"],
                    issue_date=str(record["issue_date"]),
                    amount=record.get("amount"),
                    currency=record.get("currency"),
                    status=status or record["status"],
                    message=None if status else record.get("message"),
                    locations=list(record.get("locations") or []),
                    failures=[]
                    if status
                    else [FailureInfo.model_validate(f) for f in record.get("failures") or []],
                )
            )

    # -- run bookkeeping ------------------------------------------------------------------------

    def _begin(self, kind: str, client_id: str | None = None) -> _OpenRun:
        """A run starts: stored open and told (RunStarted) before any of its work. Continuous
        syncing's period ends first, so the history reads in order."""
        self._close_continuous()
        client = self._clients.get(client_id) if client_id else None
        client_name = client.name if client is not None else None
        started = time.time()
        run_id = self.store.start_run(
            kind, client_id=client_id, client_name=client_name, started=started
        )
        self._emit(
            RunStarted(
                run_id=run_id,
                kind=kind,
                started=started,
                client_id=client_id,
                client_name=client_name,
            )
        )
        return _OpenRun(run_id, kind, started, client_id, client_name)

    @contextlib.contextmanager
    def _run(
        self, kind: str, summary: RunSummary, client_id: str | None = None
    ) -> Iterator[_OpenRun]:
        """:meth:`_begin`, and a run cut short by what its body let through (the engine
        stopping, an unexpected error, the platform or the login failing a platform task's
        run) finished as interrupted, so that no run stays open; the caller finishes it
        otherwise."""
        run = self._begin(kind, client_id)
        try:
            yield run
        except BaseException as error:
            if isinstance(error, LoginNeeded):
                summary.errors.append(self._login_failure())
            elif isinstance(error, PlatformError):
                summary.errors.append(error.failure)
            self._finish(run, summary, interrupted=True)
            raise

    def _finish(
        self,
        run: _OpenRun,
        summary: RunSummary,
        *,
        interrupted: bool = False,
        settle: bool = True,
    ) -> None:
        errors = list(dict.fromkeys(summary.errors))
        message = describe(errors) if errors else None
        try:
            finished = self.store.finish_run(
                run.run_id,
                documents=summary.documents,
                delivered=summary.delivered,
                failed=summary.failed,
                message=message,
                failures=[failure.to_json() for failure in errors],
                moved=summary.moved,
                failed_documents=[d.model_dump(mode="json") for d in summary.failed_documents],
                interrupted=interrupted,
            )
        except Exception:  # a state write refused: the next start ends it as interrupted
            log.exception("run %d could not be recorded as finished", run.run_id)
            finished = time.time()
        log.info(
            "run %d (%s%s) %s after %s: %d document(s), %d delivered, %d in error%s",
            run.run_id,
            run.kind,
            f" of client {run.client_id} {run.client_name!r}" if run.client_id else "",
            "interrupted" if interrupted else "finished",
            _lasted(finished - run.started),
            summary.documents,
            summary.delivered,
            summary.failed,
            f"; {'; '.join(_logged(error) for error in errors)}" if errors else "",
        )
        self._last_sync = dt.datetime.now(dt.UTC)
        self._emit(
            RunFinished(
                run_id=run.run_id,
                kind=run.kind,
                documents=summary.documents,
                delivered=summary.delivered,
                failed=summary.failed,
                message=message,
                moved=dict(summary.moved),
                failures=[FailureInfo.of(failure) for failure in errors],
                started=run.started,
                finished=finished,
                client_id=run.client_id,
                client_name=run.client_name,
                failed_documents=list(summary.failed_documents),
                interrupted=interrupted,
            )
        )
        if settle:
            self._settle_state()

    async def _drain_continuously(self) -> None:
        """Deliver what the feed brought: into continuous syncing's run of the period."""
        part = RunSummary(RunKind.CONTINUOUS)
        try:
            await self.drain(part)
        finally:
            if part.documents or part.errors:
                self._grow_continuous(part)

    def _grow_continuous(self, part: RunSummary) -> None:
        """Add a drain's documents to the period's run (opened at its first document); the
        store keeps its counts so far, and faces see them grow (RunProgress)."""
        self._close_continuous_if_due()
        run = self._continuous
        if run is None:
            started = time.time()
            run_id = self.store.start_run(RunKind.CONTINUOUS, started=started)
            run = self._continuous = _OpenRun(
                run_id,
                RunKind.CONTINUOUS,
                started,
                summary=RunSummary(RunKind.CONTINUOUS),
                opened=time.monotonic(),
            )
        total = run.summary
        assert total is not None
        total.add(part)
        try:
            self.store.update_run(
                run.run_id,
                documents=total.documents,
                delivered=total.delivered,
                failed=total.failed,
                failed_documents=[d.model_dump(mode="json") for d in total.failed_documents],
            )
        except Exception:  # its counts are told at its end; a crash ends it as interrupted
            log.exception("run %d's counts could not be recorded", run.run_id)
        self._last_sync = dt.datetime.now(dt.UTC)
        self._emit(
            RunProgress(
                run_id=run.run_id,
                kind=run.kind,
                started=run.started,
                documents=total.documents,
                delivered=total.delivered,
                failed=total.failed,
                failed_documents=list(total.failed_documents),
            )
        )
        self._settle_state()

    def _close_continuous_if_due(self) -> None:
        run = self._continuous
        if run is not None and time.monotonic() - run.opened >= self.continuous_period_s:
            self._close_continuous()

    def _close_continuous(self) -> None:
        """End continuous syncing's run of the period (its hour is up, the state changed, an
        explicit run starts, the engine stops): finished with its duration."""
        run, self._continuous = self._continuous, None
        if run is not None and run.summary is not None and self.state is not None:
            self._finish(run, run.summary, settle=False)

    def _request_run(self, kind: str) -> None:
        """A run a person asked for from a face, done by the feed loop (see ``_handle``)."""
        if kind not in self._requested_runs:
            self._requested_runs.append(kind)

    def _settle_state(self) -> None:
        if self._login_needed:
            self._set_state(EngineState.LOGIN_NEEDED, self._login_failure())
        elif self._paused:
            self._set_state(EngineState.PAUSED)
        elif not self._online:
            self._set_state(EngineState.OFFLINE)
        elif self.store.count(DeliveryStatus.ERROR.value):
            self._set_state(EngineState.ERRORS)
        else:
            self._set_state(EngineState.UP_TO_DATE)

    # -- platform tasks -------------------------------------------------------------------------

    async def handle_tasks(self) -> None:
        """Pick up work the platform queued for this agent, and report how it went (a
        platform without tasks is not asked)."""
        if not self.client.capabilities.tasks:
            return
        page = await self.client.tasks(wait=0)
        for task in page.items:
            if task.status is not TaskStatus.QUEUED:
                continue
            # Remembered before the work starts: a crash mid-task leaves it open on the
            # platform, and the next start does it again (every step is safe to repeat).
            self.store.record_task(task.id, task.kind.value)
            log.info(
                "platform task %s (%s%s%s) started",
                task.id,
                task.kind.value,
                f", client {task.client_id}" if task.client_id else "",
                f", {len(task.document_ids)} document(s)" if task.document_ids else "",
            )
            if task.kind.value == "full_sync":
                summary = await self.full_sync(task.client_id, kind=RunKind.TASK_FULL)
            else:
                self.store.enqueue([(doc_id, "resend") for doc_id in task.document_ids])
                summary = RunSummary(RunKind.TASK_RESEND)
                # A platform or login failure leaves the task open for the next pass (it is
                # not reported): its run ends as interrupted, and the next one does it again.
                with self._run(RunKind.TASK_RESEND, summary) as run:
                    self._set_state(EngineState.SYNCING)
                    await self._drain_with_retries(summary)
                self._finish(run, summary)
            delivered, failed = summary.delivered, summary.failed
            # Other documents due in the same pass (another client's Error come due) are not
            # the task's: it reports what the office asked for.
            if task.document_ids:
                statuses = [self.store.document(doc_id) for doc_id in task.document_ids]
                delivered = sum(1 for d in statuses if d and d["status"] == "forwarded")
                failed = sum(1 for d in statuses if d and d["status"] == "error")
            elif task.client_id:
                delivered = summary.delivered_by_client[task.client_id]
                failed = summary.failed_by_client[task.client_id]
            outcome = TaskOutcome.FAILED if failed or summary.errors else TaskOutcome.SUCCEEDED
            # The platform shows it to the office: in the office's language.
            message = describe(summary.errors, self._office_language) or None
            await self.client.report_task(
                task.id,
                TaskReport(
                    outcome=outcome,
                    message=message,
                    documents_delivered=delivered,
                    documents_failed=failed,
                ),
            )
            self.store.finish_task(task.id, outcome.value, message)
            log.info(
                "platform task %s (%s) %s: %d delivered, %d in error%s",
                task.id,
                task.kind.value,
                outcome.value,
                delivered,
                failed,
                f"; {'; '.join(_logged(error) for error in summary.errors)}"
                if summary.errors
                else "",
            )

    # -- running continuously -------------------------------------------------------------------

    def command_queue(self) -> asyncio.Queue[Command]:
        if self._commands is None:
            self._commands = asyncio.Queue()
        return self._commands

    async def run(self) -> None:
        """Sync continuously until a Stop command (or cancellation)."""
        commands = self.command_queue()
        self._wake = asyncio.Event()
        with contextlib.suppress(PlatformError, LoginNeeded):
            await self.load_clients()
        feed = asyncio.create_task(self._feed_loop(), name="ferry-feed")
        try:
            while True:
                command = await commands.get()
                if isinstance(command, Stop):
                    return
                await self._handle(command)
        finally:
            feed.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feed
            self._close_continuous()  # the engine stops: the period's run ends here
            for _, _, waiting in self._passes:
                waiting.cancel()
            self._passes.clear()

    async def run_pass(self, kind: str, *, new_destinations: bool = False) -> RunSummary:
        """One pass a person asked for (``ferry sync``, ``retry``, ``resend``): a full sync
        for ``kind`` "full", else an incremental pass of that kind. Documents still in Error
        count as failed, so that its exit code says whether anything is left to fix."""
        if kind == "full":
            summary = await self.full_sync(new_destinations=new_destinations)
        else:
            summary = await self.sync_once(kind)
        if not summary.failed:
            summary.failed = self.store.count(DeliveryStatus.ERROR.value)
        return summary

    async def request_pass(self, kind: str, *, new_destinations: bool = False) -> RunSummary:
        """:meth:`run_pass` on the running engine's feed loop, between its own passes (two
        passes side by side would deliver the same documents twice over); even when paused,
        since a person asked for it. Cancelled when the engine stops first."""
        future: asyncio.Future[RunSummary] = asyncio.get_running_loop().create_future()
        self._passes.append((kind, new_destinations, future))
        if self._wake is not None:
            self._wake.set()
        return await future

    async def _run_requested_pass(self) -> None:
        kind, new_destinations, future = self._passes.pop(0)
        if future.done():  # the face that asked is gone
            return
        try:
            summary = await self.run_pass(kind, new_destinations=new_destinations)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as error:  # the face is told; the engine goes on
            future.set_exception(error)
        else:
            future.set_result(summary)

    async def _handle(self, command: Command) -> None:
        assert self._wake is not None
        if isinstance(command, Pause):
            self._paused = True
            self._set_state(EngineState.PAUSED)
        elif isinstance(command, Resume):
            self._paused = False
            self._login_needed = (
                None if self._session and not self._session.login_needed else self._login_needed
            )
            if self._login_needed is None and self._login_needed_since is not None:
                lasted = time.monotonic() - self._login_needed_since
                self._login_needed_since = None
                log.info("the login works again after %s with a login needed", _lasted(lasted))
        elif isinstance(command, Retry):
            outcome = await self.retry(command.document_ids, all_errors=command.all_errors)
            if outcome.queued:
                self._request_run(RunKind.RETRY)
            if outcome.unknown or outcome.not_failed:
                log.info(
                    "retry: %d queued; unknown %s; not failed %s",
                    len(outcome.queued),
                    outcome.unknown,
                    outcome.not_failed,
                )
        elif isinstance(command, Resend):
            try:
                await self.resend(command.document_ids)
            except (PlatformError, LoginNeeded) as error:
                log.warning("resend failed: %s", error)
            else:
                self._request_run(RunKind.RESEND)
        elif isinstance(command, DeliverAgain) and (
            command.document_ids or command.moved or command.destination
        ):
            if await self.deliver_again(
                command.document_ids or None, command.destination, moved=command.moved
            ):
                self._request_run(RunKind.DELIVER_AGAIN)
        elif isinstance(command, FullSync):
            self._full_requested = (command.client_id, command.new_destinations)
        elif isinstance(command, SyncNow):
            # *Sync now* is a run a person sees start and end (an incremental pass).
            self._request_run(RunKind.INCREMENTAL)
        self._wake.set()

    async def _feed_loop(self) -> None:
        """Long-poll the feed; deliver what arrives; tasks, catch-up and full sync on schedule."""
        assert self._wake is not None
        failures = 0
        failing_since: float | None = None  # the platform answering with errors, since
        first = True
        while True:
            try:
                if self._passes:
                    await self._run_requested_pass()
                    continue
                if self._paused or self._login_needed:
                    await self._wake.wait()
                    self._wake.clear()
                    continue
                self._close_continuous_if_due()
                if self._requested_runs:
                    await self.sync_once(self._requested_runs.pop(0))
                    continue
                requested = self._full_requested
                if requested is not None or self.full_sync_due():
                    self._full_requested = None
                    client_id, new_destinations = requested or (None, False)
                    await self.full_sync(client_id, new_destinations=new_destinations)
                elif first or self.catch_up_due():
                    # At start and each night: documents in error are tried again too.
                    kind = RunKind.INCREMENTAL if first else RunKind.CATCH_UP
                    first = False
                    self.store.requeue_errors("retry")
                    await self.sync_once(kind)
                    self.store.set_meta(LAST_CATCH_UP, dt.datetime.now(dt.UTC).isoformat())
                await self.handle_tasks()
                await self._drain_continuously()
                await self._wait_for_changes()
                if failing_since is not None:
                    log.info(
                        "the platform answers again after %s (%d failed tries)",
                        _lasted(time.monotonic() - failing_since),
                        failures,
                    )
                    failing_since = None
                failures = 0
            except asyncio.CancelledError:
                raise
            except LoginNeeded:
                continue
            except PlatformUnreachable as error:
                failures += 1
                self._set_online(False, error.failure)
                await self._sleep_or_wake(reconnect_delay(failures))
            except PlatformError as error:
                failures += 1
                failing_since = failing_since or time.monotonic()
                delay = reconnect_delay(failures, error.retry_after)
                log.warning(
                    "the platform failed (try %d): %s; tried again at %s",
                    failures,
                    _logged(error.failure),
                    retry_at_param(time.time() + delay),
                )
                await self._sleep_or_wake(delay)
            except Exception:
                failures += 1
                log.exception("the engine hit an unexpected error; it goes on")
                await self._sleep_or_wake(transient_delay(failures))

    async def _wait_for_changes(self) -> None:
        """One long-poll of the feed, cut short by a command; then deliver what came. A
        platform without a long-poll is read once its interval has passed since the last
        read (a command or a document due sooner cuts the wait short)."""
        assert self._wake is not None
        upcoming = self.store.next_due()
        capabilities = self.client.capabilities
        wait = capabilities.poll_wait(self._long_poll_s)
        if upcoming is not None:
            wait = max(0.0, min(wait, upcoming - time.time()))
        self._settle_state()
        if not capabilities.long_poll and self._last_poll is not None:
            pause = self._last_poll + capabilities.min_poll_interval_s - time.monotonic()
            if upcoming is not None:
                pause = min(pause, upcoming - time.time())
            if pause > 0:
                await self._sleep_or_wake(pause)
                if time.monotonic() < self._last_poll + capabilities.min_poll_interval_s:
                    return  # woken (a command, a document due): the feed waits its turn
        poll = asyncio.create_task(self.pull_changes(wait), name="ferry-long-poll")
        woken = asyncio.create_task(self._wake.wait(), name="ferry-wake")
        try:
            done, _ = await asyncio.wait({poll, woken}, return_when=asyncio.FIRST_COMPLETED)
            if poll in done:
                poll.result()
        finally:
            # Cut short (a command) or stopped (this task cancelled): neither task outlives
            # the wait, so none is left pending when the engine's loop closes.
            await _cancel_and_wait(poll, woken)
        self._wake.clear()

    async def _sleep_or_wake(self, seconds: float) -> None:
        assert self._wake is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()

    def _error_ids(self) -> list[str]:
        return self.store.error_ids()

    def full_sync_due(self, now: dt.datetime | None = None) -> bool:
        """Whether the scheduled full sync is due (every ``full_sync_every_days``).

        A new installation starts its clock instead of running one at once: its first
        incremental pass already delivers everything that is new.
        """
        moment = now or dt.datetime.now(dt.UTC)
        last = self.store.get_meta(LAST_FULL_SYNC)
        if last is None:
            self.store.set_meta(LAST_FULL_SYNC, moment.isoformat())
            return False
        age = moment - dt.datetime.fromisoformat(last)
        return age > dt.timedelta(days=self._settings.full_sync_every_days)

    def catch_up_due(self, now: dt.datetime | None = None) -> bool:
        """Whether tonight's catch-up is due: once a day, in the hour after 02:00 local time."""
        moment = (now or dt.datetime.now(dt.UTC)).astimezone()
        if moment.hour != CATCH_UP_HOUR:
            return False
        last = self.store.get_meta(LAST_CATCH_UP)
        return last is None or dt.datetime.fromisoformat(last).astimezone().date() < moment.date()


def _wanted(link: ClientLink | None, at: dt.datetime) -> bool:
    """Whether a change at ``at`` of a document of the client ``link`` links may be this
    Ferry's to deliver: the client is linked here and the change is not older than the link.
    A change at or after the link may still be of an older document (a resend); that one is
    read and passed over by :meth:`Engine.process`, which knows its creation time."""
    if at.tzinfo is None:  # a platform that leaves out the zone means UTC
        at = at.replace(tzinfo=dt.UTC)
    return link is not None and at >= link.since


def _gone(paths: Sequence[Sequence[str]]) -> list[bool]:
    """For each delivery's paths, whether any of its files is no longer there (a file thread:
    a network share may take its time)."""
    return [any(not Path(path).exists() for path in group) for group in paths]


def _logged(failure: Failure) -> str:
    """A failure as the log keeps it: its code and parameters, then its English words."""
    params = " ".join(f"{name}={value!r}" for name, value in failure.params)
    return f"[{failure.code.value}{' ' + params if params else ''}] {failure.message()}"


def _delivery(document: Document, failure: Failure, status: str) -> str:
    """A document not delivered into one destination, as support reads it in the log: which
    document (and whose), where, what becomes of it and when it is tried again, and why as
    the failure's code and parameters."""
    return (
        f"document {document.id} ({document.kind.value} {document.number!r} of client "
        f"{document.client_id}) not delivered into destination "
        f"{failure.param('destination')!r}, {status}, tried again at "
        f"{failure.param('retry_at') or 'the next sync'}: "
        f"{_logged(failure.with_params(retry_at=None))}"
    )


def _lasted(seconds: float) -> str:
    """A duration for the log: seconds below two minutes, then minutes, then hours."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


#: Queued because a person asked (*Deliver again*, *Restore*, *Send to integrations* on a
#: platform without resend): a document the platform no longer has is said, not passed over.
_ASKED_BY_A_PERSON = PERSONS_ACTS | {"resend"}


def _office_language(region: str) -> Language:
    """The language of the office's platform (its region's), for what Ferry reports there."""
    try:
        return regions().language_of(region) or FALLBACK
    except RegionsError:
        return FALLBACK
