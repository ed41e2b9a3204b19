"""The watchdog at work beside an engine: fed by the engine's events, ticked on a thread of
its own, and saying each alert where the office will see it.

:class:`app.engine.host.EngineHost` makes one for every engine it hosts (``ferry run``, the
Windows service, the desktop app's engine process) and hands it every event it publishes.
An alert that begins (or ends) is said once:

- in Ferry's log, at WARNING (its end at INFO), in English like the rest of the log;
- in the Windows Event Log when the host is the service (:mod:`app.alerts.event_log`), in
  Ferry's language;
- by e-mail when the settings ask for it (:mod:`app.alerts.mail`), in each reader's
  language, on a worker thread of its own: a slow mail server never holds up the engine;
  an end is mailed only for an alert that was;
- to every attached face as :class:`app.engine.messages.AlertChanged`, which the tray shows
  as a notification.

What was told and is not over is kept in the state folder (:mod:`app.alerts.told`) and given
back to the watchdog when the next engine of this home starts: an alert whose condition still
holds after a restart is not told again; its end is told once when seen, and the same alert
only after that.

The settings (thresholds, e-mail) are read again whenever the settings file changes, as the
engine reads its own. How many documents wait *To fetch* is the engine's queue, read on the
engine's loop (:func:`waiting_documents`) at each tick: every minute, or more often when a
threshold is shorter than ten minutes.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.alerts import event_log, words
from app.alerts.observe import EventReader, to_event
from app.alerts.outbox import AlertOutbox
from app.alerts.settings import AlertSettings, alert_settings
from app.alerts.told import TOLD_FILE, Told, load_told, save_told
from app.alerts.watchdog import AlertChange, AlertKind, Waiting, Watchdog
from app.auth.secret_store import SecretStore
from app.core.language import FALLBACK, Language
from app.engine.messages import Event
from app.home import FerryHome

if TYPE_CHECKING:
    from app.engine.engine import Engine

log = logging.getLogger(__name__)

TICK_S = 60.0
MIN_TICK_S = 0.1
COUNT_TIMEOUT_S = 10.0


async def waiting_documents(engine: Engine) -> int:
    """How many documents wait to be delivered: the engine's queue (on its loop)."""
    return engine.store.queue_size()


def tick_for(settings: AlertSettings) -> float:
    """How often to look: a tenth of the shortest threshold, at most a minute."""
    shortest = min(settings.nothing_delivered_minutes, settings.unreachable_minutes) * 60
    return max(MIN_TICK_S, min(TICK_S, shortest / 10))


def ferry_language(home: FerryHome) -> Language:
    """The language Ferry speaks on this computer when nobody says which: the settings',
    else the office's region's."""
    from app.auth.account import load_login
    from app.regions import RegionsError, regions
    from app.settings import SettingsError, load_settings

    try:
        chosen = load_settings(home.settings_dir).language
    except SettingsError:
        chosen = None
    if chosen is not None:
        return chosen
    try:
        login = load_login(home.settings_dir)
    except (OSError, ValueError):  # unreadable: the log says so where the login is used
        return FALLBACK
    if login is None:
        return FALLBACK
    try:
        return regions().language_of(login.region) or FALLBACK
    except RegionsError:
        return FALLBACK


class AlertKeeper:
    """One engine's watchdog and the places its alerts are said."""

    def __init__(
        self,
        home: FerryHome,
        *,
        publish: Callable[[Event], None],
        waiting: Callable[[], concurrent.futures.Future[int]],
        service: bool = False,
        secrets: SecretStore | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.home = home
        self._publish = publish
        self._waiting = waiting
        self._service = service
        self._secrets = secrets
        self._clock = clock
        self._settings = AlertSettings()
        self._settings_stamp: float | None = -1.0
        self._language = FALLBACK
        self._dog = Watchdog()
        self._reader = EventReader(engine_side=True)
        self._lock = threading.Lock()
        self._pending: list[AlertChange] = []
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._outbox = AlertOutbox(home, secrets=secrets)
        self._told_path = home.state_dir / TOLD_FILE
        self._told: dict[str, Told] = {}
        self._restore()  # before the engine's first event: a condition that still holds

    # -- life -----------------------------------------------------------------------------

    def start(self) -> None:
        self._reload()
        self._thread = threading.Thread(target=self._run, name="ferry-alerts", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching; e-mails already on their way get ``timeout`` to go. What was told
        and is not over is kept for the next start."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        if self._thread is not None:  # only a keeper that watched (not a refused engine's)
            self._keep_told()
        self._outbox.close()

    def _restore(self) -> None:
        """The alerts told before this start, and not over: still raised."""
        told = load_told(self._told_path)
        if not told:
            return
        now = self._clock()
        with self._lock:
            self._dog.restore([entry.alert for entry in told], now)
            for entry in told:
                destination = entry.alert.param("destination")
                if entry.alert.kind is AlertKind.DESTINATION_UNREACHABLE and destination:
                    self._reader.blocked.setdefault(destination, set()).update(entry.blocked)
            self._told = {entry.key: entry for entry in told}
        self._outbox.remember_mailed(entry.key for entry in told if entry.mailed)
        log.info(
            "alerts told before this start, not said again while they hold: %s",
            ", ".join(sorted(self._told)),
        )

    def _keep_told(self) -> None:
        """Write what was told and is not over (with the documents each destination's
        alert waits on) into the state folder, atomically."""
        with self._lock:
            told = [
                Told(
                    entry.alert,
                    entry.told_at,
                    entry.mailed,
                    tuple(
                        sorted(self._reader.blocked.get(entry.alert.param("destination") or "", ()))
                    )
                    if entry.alert.kind is AlertKind.DESTINATION_UNREACHABLE
                    else (),
                )
                for entry in self._told.values()
            ]
        try:
            save_told(self._told_path, told)
        except OSError as error:  # said again after a restart, at worst
            log.warning("the alerts told cannot be kept in %s: %s", self._told_path, error)

    # -- in ---------------------------------------------------------------------------------

    def on_event(self, event: Event) -> None:
        """An engine event (on the engine's thread): observed now, said on our thread.
        Once stopping, nothing more is judged: an engine that stops publishes its cut-short
        deliveries, which say nothing of the folders (the next start judges anew)."""
        if self._stopping.is_set():
            return
        now = self._clock()
        with self._lock:  # the reader's blocked documents are kept from the keeper's thread
            seen = self._reader.read(event, now)
            if not seen:
                return
            for observation in seen:
                self._pending += self._dog.observe(observation)
        if self._pending:
            self._wake.set()

    # -- the thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._tick()
            except Exception:  # a bug here must not end the watching
                log.exception("the alerts' watchdog failed a check")
            with self._lock:
                upcoming = self._dog.next_check(self._clock())
            wait = tick_for(self._settings)
            if upcoming is not None:
                wait = max(MIN_TICK_S, min(wait, upcoming))
            self._wake.wait(wait)
            self._wake.clear()

    def _tick(self) -> None:
        self._reload()
        count = self._count()
        now = self._clock()
        with self._lock:
            if count is not None:
                self._pending += self._dog.observe(Waiting(now, count))
            self._pending += self._dog.check(now)
            changes, self._pending = self._pending, []
        for change in changes:
            if self._stopping.is_set():  # what was told is kept as it is, for the next start
                return
            self._say(change)

    def _count(self) -> int | None:
        try:
            return self._waiting().result(COUNT_TIMEOUT_S)
        except Exception:  # the engine stopping, or busy beyond the timeout: next tick
            return None

    def _reload(self) -> None:
        """The settings again when their file changed (thresholds apply at once)."""
        from app.settings import settings_path

        try:
            stamp: float | None = settings_path(self.home.settings_dir).stat().st_mtime_ns / 1e9
        except OSError:
            stamp = None
        if stamp == self._settings_stamp:
            return
        self._settings_stamp = stamp
        self._settings = alert_settings(self.home.settings_dir)
        self._language = ferry_language(self.home)
        with self._lock:
            self._dog.thresholds = self._settings.thresholds()

    # -- out ----------------------------------------------------------------------------------

    def _say(self, change: AlertChange) -> None:
        alert = change.alert
        english = words.text(change, Language.EN)
        if change.raised:
            log.warning("alert [%s] %s: %s", alert.kind.value, dict(alert.params), english)
        else:
            log.info("alert over [%s] %s: %s", alert.kind.value, dict(alert.params), english)
        if self._service:
            language = self._language
            event_log.write(
                f"{words.title(change, language)}: {words.text(change, language)}",
                warning=change.raised,
            )
        self._publish(to_event(change))
        self._outbox.send(change, self._language, self._settings)
        with self._lock:
            if change.raised:
                self._told[alert.key] = Told(alert, self._clock(), self._settings.mails)
            else:
                self._told.pop(alert.key, None)
        self._keep_told()
