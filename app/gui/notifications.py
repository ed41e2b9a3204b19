"""When to tell the person at the desk that something needs them, and in what words.

Ferry runs unwatched for months; a notification is the one moment it interrupts someone, so it
must be rare and worth reading: **one** notification for a burst of failures (never one per
document), **never twice for the same fault** while that fault lasts, **none during the first
import** (the window and the tray icon already show those errors, and the person setting Ferry
up is looking at them), and one when the platform no longer accepts the login.

This module is pure logic, without Qt, so that every rule can be tested exhaustively: it is fed
the engine's events (as :class:`~app.gui.bridge.EngineBridge` re-emits them) and returns a
:class:`Notification` when one is due. :class:`~app.gui.tray.TrayController` shows it.

Definitions the rules rest on:

- **A fault** (a cause) is what makes a document fail, recognised by :func:`fault_key` from
  the codes of its failures, never from words: the sorted :meth:`Failure.key
  <app.core.failures.Failure.key>` of each, which keeps the code and what names the cause (the
  destination, the folder's root, the HTTP status) and leaves out where it happened to show
  (the client's folder, the document, the file name). A ``permission`` failure of Winbooks in
  ``D:\\Compta\\Bakkerij\\2026`` and the same for another client's folder are one fault: the
  same destination refusing writes. A fault is *resolved* when no document fails with it any more
  (they were forwarded, or the engine reports *Up to date* with no errors); if it comes back
  later, it is notified again.
- **A burst** is the new failures of one run: gathered until the run's ``RunFinished``; outside
  a run (what the changes feed brings, failures after a platform task) until a calm of
  ``settle_s`` without new failures, or of ``join_s`` once the engine says it has settled (it
  says so between the batches of one burst too: five documents failing in the same second
  reached the engine's state in between, and the first was told alone); inside a very long
  run (a full sync of thousands of documents) they are told after ``max_hold_s`` at the
  latest, so a full disk at minute one is not told at minute thirty.
- **The first import** is the first run after start-up: the catch-up that delivers the backlog
  and retries every document in error. Nothing about documents is notified until its
  ``RunFinished``; the faults it meets count as already told. This also keeps a restart from
  announcing again the faults that were told before it.
- **Login needed** is told once per loss of the login: again only after the engine was seen
  working (``Up to date`` or ``Errors``) in between.
- **Alerts** (:class:`~app.engine.messages.AlertChanged`, the engine's watchdog: nothing
  delivered while documents wait, a destination unreachable for an hour) are told once when
  they begin and once when they end ("back to normal"), never twice for one episode; the
  login's alert is the *Login needed* notification already. **The engine not running**, which
  only a face can see (its engine or the service went away: a *Stopped* state), is this
  notifier's own watchdog (:mod:`app.alerts.watchdog`): told after ``engine_down_s`` without
  the engine coming back, and its return told once.

Every word is in the person's language: Ferry's own through ``translate`` (Qt's translator),
the reasons made from the failures' codes in ``language`` (:func:`app.core.failures.describe`),
without the system's or the platform's own words, which may be in another language (the
window shows them). The engine's English ``message`` is never shown in another language.
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.alerts import words as alert_words
from app.alerts.observe import from_event
from app.alerts.watchdog import AlertChange, AlertKind, EngineSeen, Thresholds, Watchdog
from app.core.failures import Failure, describe
from app.core.kinds import DeliveryStatus
from app.core.language import FALLBACK, Language
from app.engine.messages import (
    AlertChanged,
    DocumentChanged,
    EngineState,
    Event,
    LoginNeededEvent,
    RunFinished,
    RunStarted,
    StateChanged,
)
from app.gui.failure_words import failure_of, failures_of, fault_of, without_foreign_words

# Windows' balloon limits (NOTIFYICONDATA: szInfoTitle[64], szInfo[256], both with their NUL).
TITLE_LIMIT = 63
TEXT_LIMIT = 255

Translate = Callable[[str, str], str]
"""``translate(context, text)``: Qt's ``QCoreApplication.translate`` or the identity."""

LanguageSource = Language | Callable[[], Language]
"""The language of the reasons: fixed, or asked each time (it follows the app's switches)."""


def untranslated(context: str, text: str) -> str:
    """The source text itself: the default when no Qt translator is at hand (tests, tools)."""
    return text


def utf16_length(text: str) -> int:
    """Length as Windows counts it (UTF-16 code units), which is what its limits are in."""
    return len(text.encode("utf-16-le")) // 2


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 units, ending with "…" when it was cut."""
    if utf16_length(text) <= limit:
        return text
    if limit <= 0:
        return ""
    kept: list[str] = []
    used = 1  # the ellipsis
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > limit:
            break
        kept.append(char)
        used += width
    return "".join(kept).rstrip() + "…"


def fill(text: str, *values: str) -> str:
    """Qt-style ``%1``, ``%2`` placeholders, in one pass (a value holding "%2" stays as is)."""

    def value(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return values[index] if 0 <= index < len(values) else match.group(0)

    return re.sub(r"%(\d)", value, text)


# --- what makes two failures "the same fault" ----------------------------------------------------


def fault_key(document: DocumentChanged) -> str:
    """What identifies the fault behind a document's failure, the same for every document it
    hits: the sorted keys of its failures (one per destination that failed). Decided from the
    codes and their parameters only; a document without failures (an older engine) has the
    fault ``""``."""
    return fault_of(failures_of(document.failures))


# --- notifications -------------------------------------------------------------------------------


class NotificationKind(StrEnum):
    ERRORS = "errors"  # clicking it shows the table filtered on errors
    LOGIN = "login"  # clicking it opens Ferry, where the login is
    INFO = "info"  # news, not a problem (where Ferry went): clicking it opens Ferry
    ALERT = "alert"  # delivery stopped (the watchdog's alerts): clicking it opens Ferry


@dataclass(frozen=True)
class Notification:
    kind: NotificationKind
    title: str
    text: str
    document_ids: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()


_SETTLED = frozenset(
    {
        EngineState.UP_TO_DATE,
        EngineState.ERRORS,
        EngineState.OFFLINE,
        EngineState.PAUSED,
        EngineState.STOPPED,
    }
)
# States the engine only reaches with a working login (it prefers Login needed over both).
_LOGIN_WORKS = frozenset({EngineState.UP_TO_DATE, EngineState.ERRORS})


class ErrorNotifier:
    """Decides when to show one notification, and its words, from the engine's events.

    Feed it with :meth:`on_documents`, :meth:`on_run_started`, :meth:`on_run_finished`,
    :meth:`on_state` and :meth:`on_login_needed` (or :meth:`feed` with any event), and call
    :meth:`tick` after :meth:`seconds_until_tick` seconds; each returns the
    :class:`Notification` to show now, or None.
    """

    def __init__(
        self,
        *,
        translate: Translate = untranslated,
        language: LanguageSource = FALLBACK,
        clock: Callable[[], float] = time.monotonic,
        quiet_first_run: bool = True,
        settle_s: float = 10.0,
        join_s: float = 2.0,
        max_hold_s: float = 120.0,
        engine_down_s: float = Thresholds.engine_down_s,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._translate = translate
        self._language = language
        self._clock = clock
        self._wall_clock = wall_clock
        self.engine_down_s = engine_down_s
        #: Called with the engine-down alert's beginning and end (on the GUI thread).
        self.on_engine_alert: Callable[[AlertChange], None] | None = None
        self._quiet_first_run = quiet_first_run
        self.settle_s = settle_s
        self.join_s = join_s
        self.max_hold_s = max_hold_s
        self.reset()

    def reset(self) -> None:
        """Forget everything, as at start-up (the next run is a first import again)."""
        self._first_import = self._quiet_first_run
        self._in_run = False
        self._failing: dict[str, str] = {}  # document id -> fault, for documents in Error
        self._fault_count: Counter[str] = Counter()  # fault -> documents failing with it
        self._told: set[str] = set()  # faults notified (or met during the first import)
        self._pending: dict[str, dict[str, DocumentChanged]] = {}  # new fault -> its documents
        self._pending_since = 0.0
        self._last_failure = 0.0
        self._settled = False  # the engine said it settled since the burst's last failure
        self._login_told = False
        self._alerts_told: set[str] = set()  # alerts whose beginning was told, by key
        self._queued: deque[Notification] = deque()  # told at the next tick
        # The engine-down watchdog: the only alert a face sees for itself.
        self._engine_dog = Watchdog(Thresholds(engine_down_s=self.engine_down_s))
        self._engine_down = False

    # -- what it knows ----------------------------------------------------------------------------

    @property
    def language(self) -> Language:
        """The language the reasons are worded in now."""
        return self._language if isinstance(self._language, Language) else self._language()

    @property
    def in_first_import(self) -> bool:
        return self._first_import

    @property
    def pending(self) -> int:
        """Documents failing with a new fault, waiting for the end of their burst."""
        return sum(len(documents) for documents in self._pending.values())

    @property
    def told_faults(self) -> frozenset[str]:
        return frozenset(self._told)

    # -- events -----------------------------------------------------------------------------------

    def feed(self, event: Event) -> Notification | None:
        """Any engine event; the same as calling the matching ``on_…`` method."""
        if isinstance(event, DocumentChanged):
            self.on_documents([event])
            return None
        if isinstance(event, RunStarted):
            self.on_run_started(event)
            return None
        if isinstance(event, RunFinished):
            return self.on_run_finished(event)
        if isinstance(event, StateChanged):
            return self.on_state(event)
        if isinstance(event, LoginNeededEvent):
            return self.on_login_needed(failure_of(event.failure))
        if isinstance(event, AlertChanged):
            return self.on_alert(event)
        self._engine_seen(True)
        return self._take_queued()

    def on_documents(self, documents: Iterable[DocumentChanged]) -> None:
        """A batch of document changes; failures wait for the end of their burst."""
        self._engine_seen(True)
        now = self._clock()
        for document in documents:
            if document.status == DeliveryStatus.ERROR:
                self._failed(document, now)
            elif document.status == DeliveryStatus.FORWARDED:
                self._forget(document.document_id)
            # To fetch (sent to integrations again): the fault is not gone until it is forwarded.

    def on_run_started(self, event: RunStarted) -> None:
        self._engine_seen(True)
        self._in_run = True

    def on_run_finished(self, event: RunFinished) -> Notification | None:
        """The end of a run: its new faults in one notification; the first import ends here."""
        self._engine_seen(True)
        self._in_run = False
        if self._first_import:
            self._first_import = False
            return None
        return self._flush()

    def on_state(self, event: StateChanged) -> Notification | None:
        self._engine_seen(event.state is not EngineState.STOPPED)
        if event.state is EngineState.LOGIN_NEEDED:
            return self.on_login_needed(failure_of(event.failure))
        if event.state in _LOGIN_WORKS:
            self._login_told = False
        if event.state is EngineState.UP_TO_DATE and event.errors == 0:
            # Nothing is in Error any more: every fault is resolved and may be told again.
            self._failing.clear()
            self._fault_count.clear()
            self._told.clear()
            self._pending.clear()
        if event.state in _SETTLED and not self._in_run and not self._first_import:
            self._settled = True
            return self.tick()  # now when calm already, else once it is
        return None

    def on_login_needed(self, failure: Failure | None = None) -> Notification | None:
        """The platform refused the login: told once per loss of the login, with the reason
        made from ``failure`` in the person's language when the engine gave one."""
        self._engine_seen(True)
        if self._login_told:
            return None
        self._login_told = True
        translate = self._translate
        title = translate("ErrorNotifier", "Login needed")
        if failure is not None:
            text = describe(without_foreign_words([failure]), self.language)
        else:
            text = translate(
                "ErrorNotifier",
                "The platform no longer accepts Ferry's login, so no documents are delivered. "
                "Open Ferry to log in again.",
            )
        return Notification(
            NotificationKind.LOGIN, shorten(title, TITLE_LIMIT), shorten(text, TEXT_LIMIT)
        )

    # -- time -------------------------------------------------------------------------------------

    def seconds_until_tick(self) -> float | None:
        """When :meth:`tick` may have something to say; None while nothing is waiting."""
        if self._queued:
            return 0.0
        engine_down = self._engine_dog.next_check(self._wall_clock())
        if not self._pending:
            return engine_down
        wait = self._burst_wait()
        return wait if engine_down is None else min(wait, engine_down)

    def _burst_wait(self) -> float:
        now = self._clock()
        if self._in_run:
            return max(0.0, self._pending_since + self.max_hold_s - now)
        calm = self.join_s if self._settled else self.settle_s
        return max(0.0, self._last_failure + calm - now)

    def tick(self) -> Notification | None:
        """Tell a burst that no run will close: calm outside a run, or held too long in one;
        and the engine not running, once it has been gone for ``engine_down_s``."""
        for change in self._engine_dog.check(self._wall_clock()):
            self._engine_alert(change)
        queued = self._take_queued()
        if queued is not None:
            return queued
        if not self._pending or self._burst_wait() > 0:
            return None
        return self._flush()

    # -- alerts -----------------------------------------------------------------------------------

    def on_alert(self, event: AlertChanged) -> Notification | None:
        """An alert of the engine's watchdog began or ended: told once each."""
        self._engine_seen(True)
        change = from_event(event)
        if change is not None:
            self._queue_alert(change)
        return self._take_queued()

    def set_engine_down_s(self, seconds: float) -> None:
        """The engine's grace from the settings (``alerts.engine_down_minutes``), at once."""
        self.engine_down_s = seconds
        self._engine_dog.thresholds = Thresholds(engine_down_s=seconds)

    def engine_stopped_on_purpose(self) -> None:
        """The app stops its engine for a reason of its own (logging out): its *Stopped* is
        no alert, and an alert of it that was told needs no end."""
        self._engine_down = True
        self._engine_dog = Watchdog(Thresholds(engine_down_s=self.engine_down_s))
        self._alerts_told.discard(AlertKind.ENGINE_DOWN.value)

    def _engine_seen(self, running: bool) -> None:
        if running == (not self._engine_down):
            return
        self._engine_down = not running
        for change in self._engine_dog.observe(EngineSeen(self._wall_clock(), running)):
            self._engine_alert(change)

    def _engine_alert(self, change: AlertChange) -> None:
        """The engine gone, or back: told here, and handed to ``on_engine_alert`` (the app
        e-mails it: with the engine gone, nothing else can)."""
        self._queue_alert(change)
        if self.on_engine_alert is not None:
            self.on_engine_alert(change)

    def _queue_alert(self, change: AlertChange) -> None:
        alert = change.alert
        if alert.kind is AlertKind.LOGIN_NEEDED:
            return  # the Login needed notification says it, once per loss of the login
        if change.raised == (alert.key in self._alerts_told):
            return  # told already; or the end of an alert whose beginning was not told
        if change.raised:
            self._alerts_told.add(alert.key)
        else:
            self._alerts_told.discard(alert.key)
        language = self.language
        kind = NotificationKind.ALERT if change.raised else NotificationKind.INFO
        self._queued.append(
            Notification(
                kind,
                shorten(alert_words.title(change, language), TITLE_LIMIT),
                shorten(alert_words.text(change, language), TEXT_LIMIT),
                causes=(alert.key,),
            )
        )

    def _take_queued(self) -> Notification | None:
        return self._queued.popleft() if self._queued else None

    # -- inside -----------------------------------------------------------------------------------

    def _failed(self, document: DocumentChanged, now: float) -> None:
        fault = fault_key(document)
        if self._failing.get(document.document_id) == fault:
            return  # the same document failing the same way again (a retry)
        self._forget(document.document_id)
        self._failing[document.document_id] = fault
        self._fault_count[fault] += 1
        if self._first_import:
            self._told.add(fault)
            return
        if fault in self._told:
            return
        if not self._pending:
            self._pending_since = now
        self._pending.setdefault(fault, {})[document.document_id] = document
        self._last_failure = now
        self._settled = False

    def _forget(self, document_id: str) -> None:
        """The document no longer fails (as it did): its fault may be resolved."""
        fault = self._failing.pop(document_id, None)
        if fault is None:
            return
        self._fault_count[fault] -= 1
        waiting = self._pending.get(fault)
        if waiting is not None:
            waiting.pop(document_id, None)
            if not waiting:
                del self._pending[fault]
        if self._fault_count[fault] <= 0:
            del self._fault_count[fault]
            self._told.discard(fault)

    def _flush(self) -> Notification | None:
        if not self._pending:
            return None
        pending, self._pending = self._pending, {}
        self._told.update(pending)
        documents = [document for group in pending.values() for document in group.values()]
        first = documents[0]
        notification = self._words(first, len(documents), len(pending))
        return Notification(
            NotificationKind.ERRORS,
            notification[0],
            notification[1],
            tuple(document.document_id for document in documents),
            tuple(pending),
        )

    def _words(self, first: DocumentChanged, documents: int, faults: int) -> tuple[str, str]:
        translate = self._translate
        if documents == 1:
            title = translate("ErrorNotifier", "A document could not be delivered")
        else:
            title = fill(
                translate("ErrorNotifier", "%1 documents could not be delivered"), str(documents)
            )
        name = self._document_name(first)
        if documents == 1:
            head = fill(translate("ErrorNotifier", "%1 could not be delivered: "), name)
        elif documents == 2:
            head = fill(
                translate("ErrorNotifier", "%1 and 1 other document could not be delivered: "),
                name,
            )
        else:
            head = fill(
                translate("ErrorNotifier", "%1 and %2 other documents could not be delivered: "),
                name,
                str(documents - 1),
            )
        tail = ""
        if faults == 2:
            tail = translate("ErrorNotifier", " (and 1 other problem)")
        elif faults > 2:
            tail = fill(translate("ErrorNotifier", " (and %1 other problems)"), str(faults - 1))
        reason = self._reason(first)
        room = TEXT_LIMIT - utf16_length(head) - utf16_length(tail)
        text = head + shorten(reason, max(room, 0)) + tail
        return shorten(title, TITLE_LIMIT), shorten(text, TEXT_LIMIT)

    def _reason(self, document: DocumentChanged) -> str:
        """Why it failed, in the person's language: made from its failures' codes. A document
        without failures (an older engine) shows its message only to an English reader."""
        language = self.language
        failures = failures_of(document.failures)
        if failures:
            return describe(without_foreign_words(failures), language)
        message = (document.message or "").strip()
        if message and language is Language.EN:
            return message
        return self._translate("ErrorNotifier", "Ferry's window says why.")

    def _document_name(self, document: DocumentChanged) -> str:
        """How a person names the document: its kind and its number."""
        translate = self._translate
        number = document.number.strip()
        if not number:
            return translate("ErrorNotifier", "A document")
        if document.kind in ("purchase", "sales"):
            template = translate("ErrorNotifier", "Invoice %1")
        elif document.kind == "statement":
            template = translate("ErrorNotifier", "Statement %1")
        elif document.kind == "receipt":
            template = translate("ErrorNotifier", "Receipt %1")
        else:
            template = translate("ErrorNotifier", "Document %1")
        return fill(template, number)
