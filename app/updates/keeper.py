"""Updates kept by the engine's host: checked on schedule, downloaded in the background, applied
at a quiet moment by the service, and the running version marked healthy once it works.

One host per machine updates (the service, or the desktop app's own engine when there is no
service), because one host runs the engine: two checking at once would download twice. The
keeper lives beside :class:`~app.alerts.keeper.AlertKeeper` in
:class:`~app.engine.host.EngineHost`, fed the engine's events on the engine's thread (it only
notes them) and doing its own work on a thread of its own, so a slow update server never holds
up a delivery.

- **Healthy**: the first settled state of the engine (up to date, errors, offline, login
  needed, paused: the program works, whatever the platform or the folders do) writes this
  version's health mark, which the update helper waits for before it keeps a new version.
- **Checked**: at the schedule of :mod:`app.updates.schedule` (ten minutes after the start,
  then every ``check_hours`` with jitter, sooner again after a network fault), when the policy
  allows it and the program runs from a versioned installation; a refusal (a tampered archive,
  expired metadata, another key) is logged at WARNING with its code and parameters, and the
  running version is untouched.
- **Applied**: by the service only, once nothing is syncing: the helper stops the service,
  switches it to the new folder, starts it and goes back by itself when it does not come up.
  The desktop app offers *Restart to update* instead: a person is at the screen.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.engine.messages import EngineState, Event, StateChanged
from app.home import FerryHome
from app.updates.apply import Health, LaunchKind, Plan, start_helper
from app.updates.build_source import TRUSTED_ROOT
from app.updates.client import UpdatePaths, UpToDate
from app.updates.failures import UpdateError
from app.updates.layout import InstallLayout, mark_this_version_healthy
from app.updates.policy import UpdatePolicy, current_policy
from app.updates.schedule import CheckOutcome, is_due, next_check
from app.updates.updater import Staged, prepare, status

log = logging.getLogger(__name__)

TICK_S = 60.0
#: States in which the engine works, whatever the platform or the folders do.
_SETTLED = frozenset(
    {
        EngineState.UP_TO_DATE,
        EngineState.ERRORS,
        EngineState.OFFLINE,
        EngineState.LOGIN_NEEDED,
        EngineState.PAUSED,
    }
)
#: A restart costs nothing in a settled state: no delivery is under way (the service here,
#: the desktop app for its own engine: :mod:`app.gui.update_status`).
QUIET_STATES = _SETTLED


def update_paths(home: FerryHome) -> UpdatePaths:
    """The updater's trusted metadata and downloads: in the home's state folder (the
    computer's for the service)."""
    return UpdatePaths(home.state_dir / "updates")


def check_now(
    home: FerryHome,
    layout: InstallLayout,
    trusted_root: Path = TRUSTED_ROOT,
    policy: UpdatePolicy | None = None,
    running: str = __version__,
) -> Staged | UpToDate:
    """One check with the policy as it is now (the administrator's over the setting):
    downloaded, verified and unpacked beside the running version when newer. Blocks
    (network, disk): never on the GUI thread."""
    policy = policy or current_policy(home.settings_dir)
    return prepare(policy, update_paths(home), layout, running, trusted_root)


def service_plan(home: FerryHome, layout: InstallLayout, version: str, previous: str) -> Plan:
    """The helper's plan for the service: stop it, point it at ``version``, start it, and
    keep it only if its self-check passes and it keeps running (a platform that is down
    then is no reason to go back)."""
    cli = "ferry-cli.exe" if sys.platform == "win32" else "ferry-cli"
    return Plan(
        root=layout.root,
        version=version,
        previous=previous,
        launch=LaunchKind.SERVICE,
        health=Health.RUNS,
        self_check=(cli, "--home", str(home.settings_dir.parent), "self-check"),
    )


@dataclass
class _Seen:
    """What the engine's events said, written on the engine's thread, read on the keeper's."""

    state: EngineState = EngineState.STARTING
    marked: bool = False


class UpdateKeeper:
    """Checks, downloads and (for the service) applies updates for one engine host."""

    def __init__(
        self,
        home: FerryHome,
        *,
        service: bool,
        layout: InstallLayout | None = None,
        trusted_root: Path = TRUSTED_ROOT,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        tick_s: float = TICK_S,
        mark_healthy: Callable[[str], bool] = mark_this_version_healthy,
        apply: Callable[[Plan], object] | None = None,
        policy: Callable[[], UpdatePolicy] | None = None,
        running: str = __version__,
    ) -> None:
        self.home = home
        self.service = service
        self.layout = layout if layout is not None else InstallLayout.of_program()
        self.trusted_root = trusted_root
        self._now = now
        self._tick_s = tick_s
        self._mark_healthy = mark_healthy
        self._apply = apply or (lambda plan: start_helper(plan, home=str(home.settings_dir.parent)))
        self.running = running
        self._policy = policy or (lambda: current_policy(home.settings_dir))
        self._seen = _Seen()
        self._last: CheckOutcome | None = None
        self._random = random.Random()  # noqa: S311 - jitter, not a secret
        # the first check: soon after the start, not in its busy first minutes
        self._due = next_check(dt.timedelta(hours=1), None, now(), self._random.random())
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.applying: str | None = None  # the version handed to the helper

    def start(self) -> None:
        if self.layout is None:
            log.info("updates: this installation does not update itself (not versioned folders)")
            return
        self._thread = threading.Thread(target=self._main, name="ferry-updates", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def on_event(self, event: Event) -> None:
        """On the engine's thread: note the state; the first settled one marks the version
        healthy (a file write, once)."""
        if not isinstance(event, StateChanged):
            return
        self._seen.state = event.state
        if event.state in _SETTLED and not self._seen.marked:
            self._seen.marked = True
            try:
                if self._mark_healthy(f"engine {event.state.value}"):
                    log.info(
                        "updates: Ferry %s marked healthy (%s)", __version__, event.state.value
                    )
            except OSError as error:
                log.warning("updates: the health mark could not be written: %s", error)

    # -- the keeper's thread ----------------------------------------------------------------

    def _main(self) -> None:
        while not self._stop.wait(self._tick_s):
            try:
                self.tick()
            except Exception:
                log.exception("updates: the check failed unexpectedly; it goes on")

    def tick(self) -> None:
        """One look: check when due, apply when something waits and it is quiet."""
        assert self.layout is not None
        now = self._now()
        policy = self._policy()
        if not policy.enabled or not policy.url:
            return
        interval = dt.timedelta(hours=policy.check_hours)
        if is_due(self._due, now):
            self._check(now, policy)
            self._due = next_check(interval, self._last, now, self._random.random())
        if self.service:
            self._apply_when_quiet()

    def _check(self, now: dt.datetime, policy: UpdatePolicy) -> None:
        assert self.layout is not None
        try:
            outcome = check_now(self.home, self.layout, self.trusted_root, policy, self.running)
        except UpdateError as error:
            in_a_row = self._last.failures_in_a_row + 1 if self._last and self._last.failure else 0
            self._last = CheckOutcome(now, error.failure, in_a_row)
            failure = error.failure
            params = " ".join(f"{name}={value!r}" for name, value in failure.params.items())
            log.warning("updates: the check failed [%s %s]", failure.code.value, params)
            return
        self._last = CheckOutcome(now)
        if isinstance(outcome, Staged):
            log.info(
                "updates: Ferry %s is downloaded and verified in %s",
                outcome.version,
                outcome.folder,
            )

    def _apply_when_quiet(self) -> None:
        assert self.layout is not None
        shown = status(self.layout, self.running)
        if shown.waiting is None or self.applying == shown.waiting:
            return
        if self._seen.state not in QUIET_STATES:
            return  # in the middle of a delivery: at the next quiet look
        previous = shown.current or self.running
        log.info("updates: applying Ferry %s (from %s) at a quiet moment", shown.waiting, previous)
        self.applying = shown.waiting
        self._apply(service_plan(self.home, self.layout, shown.waiting, previous))
