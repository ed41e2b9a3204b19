"""What the tray says about updates, and the two things a person does about them there.

The tray shows which version runs and whether a newer one waits; after an update (or a
rollback) it says so once; *Check for updates* checks through the very function ``ferry
update check`` uses (:func:`app.updates.keeper.check_now`), so both ask the same address with
the same policy and share one download folder; *Restart to update* hands the switch to the
update helper and quits, when this app runs its own engine (with a service, the service's
keeper applies the update at a quiet moment and a restart of this window would change
nothing).

Reading the installation's files, checking and starting the helper are disk, network and
process work: each runs on a worker thread (:class:`~app.gui.background.Background`), and
only its result comes back to the GUI thread. The status is read at start and every
``refresh_ms`` (half an hour), since the service's keeper may download or apply meanwhile.

"Told once" survives restarts: the last result told is noted in the state folder
(:data:`TOLD_FILE`), so the Ferry that an update started says "Updated to Ferry 1.5.0" and the
next start does not say it again.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app import __version__
from app.atomic_files import write_text_atomic
from app.gui.background import Background
from app.gui.failure_words import language_now
from app.gui.tray import TrayController
from app.home import FerryHome
from app.updates.apply import Health, LaunchKind, Plan, start_helper
from app.updates.build_source import TRUSTED_ROOT
from app.updates.client import UpToDate
from app.updates.failures import UpdateError, UpdateFailure, UpdateFailureCode, describe
from app.updates.helper import Outcome, Result
from app.updates.keeper import check_now
from app.updates.layout import InstallLayout
from app.updates.updater import Staged, status

log = logging.getLogger(__name__)

#: In the state folder: the last update result the person was told about (its key).
TOLD_FILE = "update-told"
REFRESH_MS = 30 * 60 * 1000
#: how often a waiting version looks for a quiet moment (this app running its own engine)
QUIET_MS = 5 * 60 * 1000


@dataclass(frozen=True)
class UpdateReport:
    """The update status as the tray shows it; read on a worker thread."""

    running: str
    #: a versioned installation (None: from source or a flat one, which cannot update itself)
    layout: InstallLayout | None = None
    #: the version this installation starts (differs from ``running`` until a restart)
    current: str | None = None
    waiting: str | None = None
    #: the last update's result, when it was not told yet (it is noted as told on reading)
    news: Result | None = None


@dataclass(frozen=True)
class NotVersioned:
    """A check asked of an installation that cannot update itself."""


def result_key(result: Result) -> str:
    return f"{result.version} {result.outcome.value} {result.at}"


def read_report(layout: InstallLayout | None, running: str, state_dir: Path) -> UpdateReport:
    """The status, and the last result if it is news: noted as told at once, so that two
    reads (a refresh while a notification shows) never tell it twice. Blocking (disk)."""
    if layout is None:
        return UpdateReport(running)
    shown = status(layout, running)
    news = None
    if shown.last is not None:
        told = state_dir / TOLD_FILE
        key = result_key(shown.last)
        try:
            before = told.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            before = ""
        if before != key:
            told.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(told, key + "\n")
            news = shown.last
    return UpdateReport(running, layout, shown.current, shown.waiting, news)


def program_plan(layout: InstallLayout, version: str, previous: str, home_arg: str | None) -> Plan:
    """The helper's plan for this desktop app: wait for it to quit, switch, start the new
    version's program, and keep it only if its self-check passes and it keeps running (as
    ``ferry update apply`` does: a person may not be logged in yet, so no engine may ever
    write a health mark)."""
    windows = sys.platform == "win32"
    if getattr(sys, "frozen", False):
        program = Path(sys.executable).name  # this program, as named in every version folder
    else:
        program = "Ferry.exe" if windows else "Ferry"
    home = ("--home", home_arg) if home_arg else ()
    return Plan(
        root=layout.root,
        version=version,
        previous=previous,
        launch=LaunchKind.PROGRAM,
        argv=(program, *home),
        wait_pid=os.getpid(),
        health=Health.RUNS,
        self_check=("ferry-cli.exe" if windows else "ferry-cli", *home, "self-check"),
    )


class UpdateStatus(QObject):
    """Feeds the tray's update lines and answers its two update actions."""

    #: a status read reached the tray (for tests and screenshots)
    shown = Signal()
    #: a check the person asked for ended and was said
    checked = Signal()

    def __init__(
        self,
        tray: TrayController,
        home: FerryHome,
        *,
        runs_own_engine: Callable[[], bool],
        quit_app: Callable[[], None],
        quiet: Callable[[], bool] = lambda: False,
        home_arg: str | None = None,
        layout_of: Callable[[], InstallLayout | None] = InstallLayout.of_program,
        running: str = __version__,
        trusted_root: Path = TRUSTED_ROOT,
        refresh_ms: int = REFRESH_MS,
        quiet_ms: int = QUIET_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tray = tray
        self.home = home
        self.running = running
        self.trusted_root = trusted_root
        self.report = UpdateReport(running)
        #: the helper started by *Restart to update* (the app quits once it runs)
        self.helper: subprocess.Popen[bytes] | None = None
        self._runs_own_engine = runs_own_engine
        self._quit_app = quit_app
        self._quiet = quiet
        self._home_arg = home_arg
        self._layout_of = layout_of
        self._background = Background(self)
        self._checking = False
        self._restarting = False
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        # while a version waits and this app runs its own engine: is it quiet yet?
        self._quiet_timer = QTimer(self)
        self._quiet_timer.setInterval(quiet_ms)
        self._quiet_timer.timeout.connect(self._restart_if_quiet)
        tray.check_updates_requested.connect(self.check)
        tray.restart_to_update_requested.connect(self.restart)
        if tray.menu is not None:
            # whether a service hosts the engine can change at any time (attached, lost,
            # taken over): asked again, without I/O, each time the menu opens
            tray.menu.aboutToShow.connect(self.show_report)
        tray.show_update_status(running, waiting=None, can_restart=False)

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def close(self) -> None:
        self._timer.stop()
        self._quiet_timer.stop()
        self._background.close()

    @Slot()
    def refresh(self) -> None:
        """Read the status on a worker thread; the tray shows it when it comes."""
        home, running = self.home, self.running

        def read() -> UpdateReport:
            return read_report(self._layout_of(), running, home.state_dir)

        self._background.run(read, self._show, self._not_read, name="ferry-update-status")

    @Slot()
    def check(self) -> None:
        """*Check for updates*: check and download on a worker thread, then say the outcome."""
        if self._checking:
            return
        self._checking = True
        self.tray.set_checking_updates(True)
        home, running, root = self.home, self.running, self.trusted_root

        def work() -> Staged | UpToDate | NotVersioned:
            layout = self._layout_of()
            if layout is None:
                return NotVersioned()
            return check_now(home, layout, root, running=running)

        self._background.run(work, self._checked, self._check_failed, name="ferry-update-check")

    @Slot()
    def restart(self) -> None:
        """*Restart to update*: start the helper (off the GUI thread), then quit cleanly; the
        helper waits for this process to end before it switches."""
        report = self.report
        if self._restarting or report.layout is None or report.waiting is None:
            return
        self._restarting = True
        plan = program_plan(
            report.layout, report.waiting, report.current or self.running, self._home_arg
        )
        home_arg = self._home_arg

        def work() -> subprocess.Popen[bytes]:
            return start_helper(plan, home=home_arg)

        self._background.run(work, self._helper_started, self._helper_failed, name="ferry-restart")

    # -- results, on the GUI thread ---------------------------------------------------------

    @Slot()
    def show_report(self) -> None:
        """The last status read, on the tray; *Restart to update* only while this app runs
        its own engine."""
        report = self.report
        can_restart = report.waiting is not None and self._runs_own_engine()
        self.tray.show_update_status(report.running, report.waiting, can_restart)

    def _show(self, report: UpdateReport) -> None:
        self.report = report
        self.show_report()
        if report.waiting is not None and report.layout is not None:
            self._quiet_timer.start()
            self._restart_if_quiet()
        else:
            self._quiet_timer.stop()
        news = report.news
        if news is not None:
            if news.outcome is Outcome.APPLIED:
                self.tray.say_updated(news.version)
            elif news.failure is not None:
                self.tray.say_update_failure(describe(news.failure, language_now()))
        self.shown.emit()

    @Slot()
    def _restart_if_quiet(self) -> None:
        """What the tray menu promises (*installed at a quiet moment*) where no service does
        it: when this app runs its own engine and nothing is going on (the window closed, no
        dialog open, nothing syncing), it restarts into the waiting version by itself, as
        the service does. Otherwise it looks again a few minutes later."""
        waiting = self.report.waiting
        if waiting is None or self._restarting or not self._runs_own_engine():
            return
        if not self._quiet():
            return
        log.info("updates: Ferry %s waits and nothing is going on: restarting into it", waiting)
        self._quiet_timer.stop()
        self.restart()

    def _not_read(self, error: BaseException) -> None:
        log.warning("updates: the update status cannot be read: %s", error)
        self.shown.emit()

    def _checked(self, outcome: Staged | UpToDate | NotVersioned) -> None:
        self._checking = False
        self.tray.set_checking_updates(False)
        if isinstance(outcome, NotVersioned):
            self.tray.say_cannot_update_itself()
        elif isinstance(outcome, UpToDate):
            self.tray.say_up_to_date(self.running)
        else:
            self.tray.say_downloaded(outcome.version)
            self.refresh()  # the waiting line and *Restart to update*
        self.checked.emit()

    def _check_failed(self, error: BaseException) -> None:
        self._checking = False
        self.tray.set_checking_updates(False)
        if isinstance(error, UpdateError):
            failure = error.failure
            params = " ".join(f"{name}={value!r}" for name, value in failure.params.items())
            log.warning(
                "updates: the check asked from the tray failed [%s %s]", failure.code, params
            )
            self.tray.say_update_failure(describe(failure, language_now()))
        else:
            log.error("updates: the check failed unexpectedly", exc_info=error)
            self.tray.say_check_failed_unexpectedly()
        self.checked.emit()

    def _helper_started(self, helper: subprocess.Popen[bytes]) -> None:
        self.helper = helper
        log.info("updates: the helper (process %s) switches once Ferry quits", helper.pid)
        self._quit_app()

    def _helper_failed(self, error: BaseException) -> None:
        self._restarting = False
        log.error("updates: the update helper could not be started", exc_info=error)
        said = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        failure = UpdateFailure(
            UpdateFailureCode.START_FAILED, {"version": self.report.waiting or "?", "said": said}
        )
        self.tray.say_update_failure(describe(failure, language_now()))
