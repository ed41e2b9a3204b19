"""The watchdog: from what was seen and when, which alerts to raise and which to clear.

Ferry runs unwatched for months; when delivery stops, someone must hear of it **once**, where
the office looks, and hear again only when it stops again. This module decides that and
nothing else: it is fed observations with their times (a document was delivered, so many wait
*To fetch*, a destination folder was unreachable or written, the login was refused or works,
the engine was seen running or not) and asked :meth:`Watchdog.check` at any moment; both answer
with the :class:`AlertChange` list to act on. Pure: no clock of its own, no Qt, no I/O, so
every rule is tested exhaustively (the engine host and the tray feed it and say the alerts).

An alert's **episode** runs from the moment its condition has held long enough to the moment
the condition ends: it is raised once at the start, never again while the condition holds,
and cleared once at the end, when a "back to normal" message is due — what users of
Dropbox or Nextcloud expect, and what tells the office that nobody has to drive in.

The conditions (thresholds in :class:`Thresholds`):

- **nothing delivered**: documents wait *To fetch* and none was delivered for
  ``nothing_delivered_s``, counted from the later of the last delivery and the moment
  documents began to wait (a first document after a quiet week is not late). Not raised while
  its cause is already told (the login is needed, a destination is unreachable): that alert
  says more. It ends with a delivery, or when nothing waits any more. When a cause ends (the
  login works again, a folder is back), the stall is counted anew from then: the engine gets
  its time to catch up before silence is news again. A person who paused syncing knows
  nothing goes out: no stall is counted while paused, and it counts anew from the resume (an
  alert already told stays until a delivery ends it).
- **destination unreachable**: a destination's folder failed as unreachable (the share, the
  drive is gone) and was not written since, for ``unreachable_s``. It ends with a write there.
- **login needed**: the platform refused the login, for ``login_s`` (at once by default). It
  ends when the login is seen working.
- **engine down**: the engine (or the service) was seen not running, for ``engine_down_s``
  (a restart for an update is not worth an alert). It ends when it is seen running.

An episode outlives a restart of whoever watches: the alerts told before it are handed to
:meth:`Watchdog.restore` (the keeper keeps them in a small file), which takes their conditions
as still holding until an observation says otherwise. So the same condition is not told again
after a restart; its end is told once, when seen; and a new episode only after that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class AlertKind(StrEnum):
    """What stopped; the value is stored and sent between processes."""

    NOTHING_DELIVERED = "nothing_delivered"
    DESTINATION_UNREACHABLE = "destination_unreachable"
    LOGIN_NEEDED = "login_needed"
    ENGINE_DOWN = "engine_down"


@dataclass(frozen=True)
class Alert:
    """One alert as data: its kind and the values its words need, all strings, sorted.

    Parameters: ``since`` (when the condition began, ISO 8601 UTC), ``waiting`` (documents To
    fetch, for *nothing delivered*), ``destination`` (its name, for *destination
    unreachable*), ``login`` and ``platform`` (for *login needed*, from the engine's failure:
    how the login is made, so the words say what to do, e.g. paste a new key)."""

    kind: AlertKind
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, kind: AlertKind, **params: str | int | None) -> Alert:
        return cls(kind, tuple(sorted((k, str(v)) for k, v in params.items() if v is not None)))

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)

    @property
    def key(self) -> str:
        """What makes two alerts the same one: its kind, and for a destination its name
        (``since`` and ``waiting`` only describe the episode)."""
        destination = self.param("destination")
        return f"{self.kind.value}|{destination}" if destination is not None else self.kind.value

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind.value, "params": dict(self.params)}


@dataclass(frozen=True)
class AlertChange:
    """An alert to say: ``raised`` (it began) or not (it ended: back to normal)."""

    alert: Alert
    raised: bool


@dataclass(frozen=True)
class Thresholds:
    """How long a condition lasts before it is an alert, in seconds."""

    nothing_delivered_s: float = 4 * 3600.0
    unreachable_s: float = 3600.0
    login_s: float = 0.0
    engine_down_s: float = 300.0


# --- observations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    """A document was delivered (Forwarded) at ``at`` (seconds since the epoch)."""

    at: float


@dataclass(frozen=True)
class Waiting:
    """``count`` documents wait To fetch, as counted at ``at``."""

    at: float
    count: int


@dataclass(frozen=True)
class DestinationSeen:
    """A destination was written (``reachable``) or failed as unreachable at ``at``. Other
    failures (a full disk, a refused permission) are said per document, not here."""

    at: float
    destination: str
    reachable: bool


#: The parameters of the engine's *login needed* failure an alert keeps: what the words need
#: to say how to log in again (``login=api_key``: paste a new key), never a reason in English.
LOGIN_PARAMS = ("login", "platform")


@dataclass(frozen=True)
class LoginSeen:
    """The login was refused (``needed``) or seen working at ``at``; ``how``: the failure's
    :data:`LOGIN_PARAMS`, sorted (empty: a login through the browser, or not said)."""

    at: float
    needed: bool
    how: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EngineSeen:
    """The engine was seen running, or not, at ``at`` (from a face: the tray app)."""

    at: float
    running: bool


@dataclass(frozen=True)
class PausedSeen:
    """A person paused syncing (``paused``), or resumed it, at ``at``."""

    at: float
    paused: bool


Observation = Delivered | Waiting | DestinationSeen | LoginSeen | EngineSeen | PausedSeen


def iso(moment: float) -> str:
    """Seconds since the epoch as ISO 8601 in UTC, to the second (the ``since`` parameter)."""
    when = dt.datetime.fromtimestamp(moment, dt.UTC).replace(microsecond=0)
    return when.isoformat().replace("+00:00", "Z")


def _moment(text: str | None, default: float) -> float:
    """What :func:`iso` wrote, as seconds since the epoch (``default`` when unreadable)."""
    try:
        when = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return min(when.timestamp(), default)


def _count(text: str | None) -> int:
    try:
        return max(1, int(str(text)))
    except ValueError:
        return 1


# --- the watchdog ----------------------------------------------------------------------------


@dataclass
class Watchdog:
    """Alerts from observations; see the module's text for the rules."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    #: The last delivery, or when watching began (nothing was late before that).
    last_delivery: float | None = None
    waiting: int = 0
    waiting_since: float | None = None
    unreachable_since: dict[str, float] = field(default_factory=dict)
    login_needed_since: float | None = None
    #: How the refused login is made (:attr:`LoginSeen.how`), for the alert's words.
    login_how: tuple[tuple[str, str], ...] = ()
    engine_down_since: float | None = None
    paused: bool = False
    #: Where the stall told began (its alert's ``since``): a delivery after it ends it.
    stall_told_since: float | None = None
    #: When a cause of a stall ended (the login works again, a folder is back): the stall
    #: is counted from then, giving the engine its time to catch up.
    cause_ended: float | None = None
    #: Raised alerts, by key: those whose episode goes on.
    active: dict[str, Alert] = field(default_factory=dict)

    def restore(self, told: Iterable[Alert], now: float) -> None:
        """Alerts told before a restart, whose episodes go on: raised already (never said
        again while their conditions hold), their conditions taken as holding since they
        began until an observation says they ended (then the end is told, once)."""
        for alert in told:
            since = _moment(alert.param("since"), now)
            if alert.kind is AlertKind.DESTINATION_UNREACHABLE:
                destination = alert.param("destination")
                if destination is None:
                    continue
                self.unreachable_since.setdefault(destination, since)
            elif alert.kind is AlertKind.LOGIN_NEEDED:
                self.login_needed_since = since
                self.login_how = tuple((k, v) for k, v in alert.params if k in LOGIN_PARAMS)
            elif alert.kind is AlertKind.ENGINE_DOWN:
                self.engine_down_since = since
            elif alert.kind is AlertKind.NOTHING_DELIVERED:
                # documents still wait (as many as then, until counted) and none went out
                # since it was told: a delivery from now on ends it, as would nothing waiting
                self.waiting = max(self.waiting, _count(alert.param("waiting")))
                self.waiting_since = since if self.waiting_since is None else self.waiting_since
                self.last_delivery = min(self.last_delivery or now, now)
                self.stall_told_since = now
            self.active[alert.key] = alert

    def observe(self, observation: Observation) -> list[AlertChange]:
        """Take ``observation`` in, then :meth:`check` at its time."""
        at = observation.at
        if isinstance(observation, Delivered):
            self.last_delivery = max(self.last_delivery or at, at)
            # A document went out: the login works and the engine runs.
            self.login_needed_since = None
            self.engine_down_since = None
        elif isinstance(observation, Waiting):
            count = max(0, observation.count)
            if count and not self.waiting:
                self.waiting_since = at
            elif not count:
                self.waiting_since = None
            self.waiting = count
        elif isinstance(observation, DestinationSeen):
            if observation.reachable:
                if self.unreachable_since.pop(observation.destination, None) is not None:
                    self.cause_ended = at
            else:
                self.unreachable_since.setdefault(observation.destination, at)
        elif isinstance(observation, LoginSeen):
            if not observation.needed:
                if self.login_needed_since is not None:
                    self.cause_ended = at
                self.login_needed_since = None
            else:
                if self.login_needed_since is None:
                    self.login_needed_since = at
                if observation.how:  # a bare "login needed" keeps what was said of it
                    self.login_how = observation.how
        elif isinstance(observation, EngineSeen):
            if observation.running:
                if self.engine_down_since is not None:
                    self.cause_ended = at
                self.engine_down_since = None
            elif self.engine_down_since is None:
                self.engine_down_since = at
        elif isinstance(observation, PausedSeen):
            if self.paused and not observation.paused:
                self.cause_ended = at
            self.paused = observation.paused
        return self.check(at)

    def check(self, now: float) -> list[AlertChange]:
        """The alerts that begin or end at ``now``: cleared ones first, then raised ones."""
        if self.last_delivery is None:
            self.last_delivery = now  # watching begins: nothing is late yet
        due = self._due(now)
        changes = [
            AlertChange(alert, raised=False) for key, alert in self.active.items() if key not in due
        ]
        for change in changes:
            del self.active[change.alert.key]
        for key, alert in due.items():
            if key not in self.active:
                self.active[key] = alert
                changes.append(AlertChange(alert, raised=True))
        return changes

    def next_check(self, now: float) -> float | None:
        """Seconds until a condition that holds now becomes an alert (None: none will
        without a new observation), for a host that sleeps between checks."""
        moments: list[float] = []
        limits = self.thresholds
        stalled = self._stalled_since()
        if self.waiting and stalled is not None and not self.paused:
            moments.append(stalled + limits.nothing_delivered_s)
        moments += [since + limits.unreachable_s for since in self.unreachable_since.values()]
        if self.login_needed_since is not None:
            moments.append(self.login_needed_since + limits.login_s)
        if self.engine_down_since is not None:
            moments.append(self.engine_down_since + limits.engine_down_s)
        later = [moment - now for moment in moments if moment > now]
        return min(later) if later else None

    # -- inside ---------------------------------------------------------------------------

    def _stalled_since(self) -> float | None:
        if self.last_delivery is None and self.waiting_since is None:
            return None
        return max(self.last_delivery or 0.0, self.waiting_since or 0.0, self.cause_ended or 0.0)

    def _due(self, now: float) -> dict[str, Alert]:
        """Every alert whose condition holds at ``now``, by key: one already raised keeps
        its words (its ``since`` and count), so that its end is told as it began."""
        limits = self.thresholds
        due: list[Alert] = []
        # An alert told lasts while its condition holds, whatever its threshold says now (a
        # threshold raised since, or an episode restored from before a restart).
        for destination, since in sorted(self.unreachable_since.items()):
            raised = f"{AlertKind.DESTINATION_UNREACHABLE.value}|{destination}" in self.active
            if raised or now - since >= limits.unreachable_s:
                due.append(
                    Alert.of(
                        AlertKind.DESTINATION_UNREACHABLE, destination=destination, since=iso(since)
                    )
                )
        if self.login_needed_since is not None and (
            AlertKind.LOGIN_NEEDED.value in self.active
            or now - self.login_needed_since >= limits.login_s
        ):
            how = dict(self.login_how)
            due.append(Alert.of(AlertKind.LOGIN_NEEDED, since=iso(self.login_needed_since), **how))
        if self.engine_down_since is not None and (
            AlertKind.ENGINE_DOWN.value in self.active
            or now - self.engine_down_since >= limits.engine_down_s
        ):
            due.append(Alert.of(AlertKind.ENGINE_DOWN, since=iso(self.engine_down_since)))
        told = self.active.get(AlertKind.NOTHING_DELIVERED.value)
        if told is not None:
            # Told: it lasts until a document goes out or nothing waits, whatever else
            # happens meanwhile (its cause shows or ends, a pause).
            if self.waiting and (self.last_delivery or 0.0) <= (self.stall_told_since or 0.0):
                due.append(told)
        else:
            stalled = self._stalled_since()
            if (
                self.waiting
                and not self.paused
                and not due  # no other alert says why already
                and stalled is not None
                and now > stalled  # a delivery this very moment is no stall, whatever the limit
                and now - stalled >= limits.nothing_delivered_s
            ):
                self.stall_told_since = stalled
                due.append(
                    Alert.of(AlertKind.NOTHING_DELIVERED, since=iso(stalled), waiting=self.waiting)
                )
        return {alert.key: self.active.get(alert.key, alert) for alert in due}
