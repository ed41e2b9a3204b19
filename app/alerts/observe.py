"""The engine's events as the watchdog's observations.

The watchdog (:mod:`app.alerts.watchdog`) knows nothing of the engine; this reads what the
engine already tells every face and says what it shows, with the time it was seen:

- a document reported *Forwarded*: a delivery;
- a document whose failures name a destination with an ``unreachable`` failure (its share,
  its drive is gone): that destination is unreachable; the same document changing later
  without that failure — delivered, failing there for another reason (the folder was
  reached), or the last one that could not reach it — the destination is reachable again:
  a destination is back when the documents that could not reach it can reach it. A document
  merely put back in line (*To fetch* with no failure: a person's retry) says nothing yet;
- the engine's state *Login needed* (or its login-needed event): the login is needed; *Up to
  date* or *Errors*, which it only reaches with a working login: the login works;
- *Paused*, and any other state after it: a person paused syncing, or resumed it;
- for a face (the tray app): *Stopped* — its engine or service went away — and any other
  event after it, which only a running engine sends.

Pure: no clock (the caller gives ``now``), no Qt, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.alerts.watchdog import (
    LOGIN_PARAMS,
    Alert,
    AlertChange,
    AlertKind,
    Delivered,
    DestinationSeen,
    EngineSeen,
    LoginSeen,
    Observation,
    PausedSeen,
)
from app.core.failures import FailureCode
from app.core.kinds import DeliveryStatus
from app.engine.messages import (
    AlertChanged,
    DocumentChanged,
    EngineState,
    Event,
    FailureInfo,
    LoginNeededEvent,
    StateChanged,
)

#: Failures that say a destination's folder cannot be reached at all (not one file's fault).
UNREACHABLE_CODES = frozenset({FailureCode.UNREACHABLE})

_LOGIN_WORKS = frozenset({EngineState.UP_TO_DATE, EngineState.ERRORS})


def _login_how(failure: FailureInfo | None) -> tuple[tuple[str, str], ...]:
    """How the refused login is made, from the failure's parameters (data, not its words)."""
    if failure is None:
        return ()
    return tuple(sorted((k, v) for k, v in failure.params.items() if k in LOGIN_PARAMS))


@dataclass
class EventReader:
    """Reads events into observations. ``engine_side``: in the engine's own host, where a
    *Stopped* is the host stopping it (no news); in a face, it is the engine gone."""

    engine_side: bool = True
    #: Per destination, the documents that could not reach it.
    blocked: dict[str, set[str]] = field(default_factory=dict)
    engine_down: bool = False
    paused: bool = False

    def read(self, event: Event, now: float) -> list[Observation]:
        seen: list[Observation] = []
        if not self.engine_side:
            stopped = isinstance(event, StateChanged) and event.state is EngineState.STOPPED
            if stopped != self.engine_down:
                self.engine_down = stopped
                seen.append(EngineSeen(now, running=not stopped))
        if isinstance(event, DocumentChanged):
            seen += self._document(event, now)
        elif isinstance(event, StateChanged):
            if event.state is EngineState.LOGIN_NEEDED:
                seen.append(LoginSeen(now, needed=True, how=_login_how(event.failure)))
            elif event.state in _LOGIN_WORKS:
                seen.append(LoginSeen(now, needed=False))
            paused = event.state is EngineState.PAUSED
            if paused != self.paused:
                self.paused = paused
                seen.append(PausedSeen(now, paused))
        elif isinstance(event, LoginNeededEvent):
            seen.append(LoginSeen(now, needed=True, how=_login_how(event.failure)))
        return seen

    def _document(self, event: DocumentChanged, now: float) -> list[Observation]:
        seen: list[Observation] = []
        unreachable = {
            info.params.get("destination", "")
            for info in event.failures
            if info.code in UNREACHABLE_CODES
        }
        unreachable.discard("")
        for destination in sorted(unreachable):
            self.blocked.setdefault(destination, set()).add(event.document_id)
            seen.append(DestinationSeen(now, destination, reachable=False))
        if event.status != DeliveryStatus.FORWARDED and not event.failures:
            # back in line (a person's retry, a resend): nothing was tried yet, so nothing
            # is known of its folders
            return seen
        for destination, documents in list(self.blocked.items()):
            if destination in unreachable or event.document_id not in documents:
                continue
            documents.discard(event.document_id)
            reached = any(info.params.get("destination") == destination for info in event.failures)
            if event.status == DeliveryStatus.FORWARDED or reached or not documents:
                # Delivered there, or it failed there for another reason (the folder was
                # reached), or no document fails to reach it any more.
                seen.append(DestinationSeen(now, destination, reachable=True))
            if not documents:
                del self.blocked[destination]
        if event.status == DeliveryStatus.FORWARDED:
            seen.append(Delivered(now))
        return seen


def to_event(change: AlertChange) -> AlertChanged:
    """An alert's beginning or end as the event every face gets."""
    return AlertChanged(
        kind=change.alert.kind.value, params=dict(change.alert.params), raised=change.raised
    )


def from_event(event: AlertChanged) -> AlertChange | None:
    """What :func:`to_event` made; None for a kind this version does not know."""
    try:
        kind = AlertKind(event.kind)
    except ValueError:
        return None
    alert = Alert(kind, tuple(sorted((str(k), str(v)) for k, v in event.params.items())))
    return AlertChange(alert, raised=event.raised)
