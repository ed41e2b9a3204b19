"""The desktop app: one per Ferry home, the engine on its own thread, the window and the tray.

The GUI thread never waits: the engine runs on its thread and talks through the bridge;
reading the state store and preparing the demo platform run on worker threads. qasync runs
the GUI's own coroutines on Qt's event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import gc
import logging
import sys
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.alerts.outbox import AlertOutbox
from app.alerts.watchdog import AlertChange
from app.application.account import end_login
from app.application.settings_changes import (
    SettingsRefused,
    change_settings,
    change_settings_renaming,
    remove_destination,
    save_destination,
)
from app.auth.account import StoredLogin, load_login
from app.auth.secret_store import SecretStore
from app.auth.session import LogoutOutcome
from app.autostart import command_for_this_app
from app.core.failures import describe
from app.core.kinds import DeliveryStatus
from app.core.language import Language
from app.core.platform_kinds import LoginStrategy
from app.demo_setup import Demo, start_demo
from app.engine import attached
from app.engine.attached import AttachedEngine
from app.engine.channel import ChannelError, RunsQuery
from app.engine.engine import LAST_FULL_SYNC, STATE_FILE
from app.engine.host import HostKind
from app.engine.messages import (
    ClientsLoaded,
    DeliverAgain,
    EngineState,
    FullSync,
    Pause,
    Resend,
    Resume,
    Retry,
    RunFinished,
    RunKind,
    StateChanged,
    SyncNow,
)
from app.engine.process import EngineProcess
from app.engine.state import StateStore
from app.gui.action_feedback import (
    FINISHED_MS,
    STARTED_MS,
    ActionWords,
    Awaited,
)
from app.gui.activity_view import RunRow, run_row
from app.gui.background import Background
from app.gui.bridge import EngineBridge
from app.gui.destination_editor import DestinationEditor, PreviewClient
from app.gui.diagnostics_dialog import DiagnosticsDialog
from app.gui.failure_words import failure_of, language_now
from app.gui.i18n import install_translator, system_language
from app.gui.key_relogin import KeyReloginDialog
from app.gui.main_window import MainWindow
from app.gui.notifications import NotificationKind
from app.gui.preview_clients import preview_clients
from app.gui.relogin import ReloginDialog
from app.gui.settings_dialog import SettingsDialog
from app.gui.single_instance import SingleInstance
from app.gui.table_model import EngineSource, StoreSource
from app.gui.tray import TrayController
from app.gui.update_status import UpdateStatus
from app.gui.wizard import SetupResult, SetupWizard, WizardOptions
from app.home import FerryHome
from app.local_sandbox import LocalSandbox, for_stored_login
from app.os_specific import folder_writable
from app.regions import RegionsError
from app.settings import Destination, Settings, SettingsError, load_settings
from app.updates.keeper import QUIET_STATES

log = logging.getLogger(__name__)

#: How often the window looks for an engine that stopped, and how long it waits for one
#: before it syncs by itself.
REATTACH_MS = 2000
#: In the state folder once the person was told that Ferry goes on in the tray.
TRAY_HINT_FILE = "tray-explained"
TAKE_OVER_S = 10.0


class FerryApp(QObject):
    """Wires the engine, the window and the tray for one Ferry home."""

    def __init__(
        self,
        home: FerryHome,
        *,
        language: Language,
        demo: bool = False,
        wizard_options: WizardOptions | None = None,
        home_arg: str | None = None,
    ) -> None:
        super().__init__()
        self.home = home
        self.language = language
        self.demo_requested = demo
        self.demo: Demo | None = None
        self.wizard_options = wizard_options or WizardOptions()
        self.wizard: SetupWizard | None = None
        self._main_view: QWidget | None = None
        self.sandbox: LocalSandbox | None = None
        #: Our own engine process, or the engine a service or ``ferry run`` hosts.
        self.engine: EngineProcess | AttachedEngine | None = None
        self.background = Background(self)
        self.bridge = EngineBridge(self)
        self.tray = TrayController(self)
        # the tray's update lines and actions; *Restart to update* only with our own engine
        # (a service's keeper applies updates itself); ``home_arg`` goes to the new version
        self.updates = UpdateStatus(
            self.tray,
            home,
            runs_own_engine=lambda: isinstance(self.engine, EngineProcess),
            quit_app=self.quit,
            quiet=self._quiet_for_an_update,
            home_arg=home_arg,
            parent=self,
        )
        # With the engine gone, only this app can e-mail that it is gone (off the GUI thread).
        self._outbox = AlertOutbox(self.home)
        self.tray.notifier.on_engine_alert = self._mail_engine_alert
        self.window = MainWindow(language=language, tray_available=self.tray.available)
        self.instance = SingleInstance(home.settings_dir.parent, self)
        self.clients: list[Any] = []
        self._client_names: dict[str, str] = {}
        self._editor: DestinationEditor | None = None
        self._settings_dialog: SettingsDialog | None = None
        self._diagnostics_dialog: DiagnosticsDialog | None = None
        self._relogin: ReloginDialog | KeyReloginDialog | None = None
        self.login: StoredLogin | None = None  # the login the running engine was started with
        self._confirm_log_out: QMessageBox | None = None
        self.logout_notice: QMessageBox | None = None  # what the platform was not told
        self._proxy: Any = None  # the proxy the running engine was started with
        self._lost_since: float | None = None  # the attached engine stopped (monotonic)
        # where Ferry went when its window closed: told once per installation (None: not
        # known yet; asked off the GUI thread at start)
        self._told_tray: bool | None = None
        self._awaited = Awaited()  # runs a person asked for: their end is told
        self._action_words = ActionWords(self)
        self._wire()

    # -- wiring --------------------------------------------------------------------------------

    def _wire(self) -> None:
        view = self.window.status_view
        self.bridge.documents_changed.connect(view.apply_changes)
        # the tray and the status bar say what the table counts, with every batch
        view.model.counts_changed.connect(self._show_counts)
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self._show_counts)
        self.bridge.clients_loaded.connect(self._on_clients)
        self.bridge.state_changed.connect(self._on_state)
        self.bridge.run_started.connect(self.window.activity_view.model.add_started)
        self.bridge.run_progress.connect(self.window.activity_view.model.add_progress)
        self.bridge.run_finished.connect(self._on_run_finished)
        self.tray.attach(self.bridge)
        view.resend_requested.connect(self._resend)
        view.retry_requested.connect(self._retry)
        view.deliver_again_requested.connect(self._deliver_again)
        self.tray.open_requested.connect(self.window.bring_forward)
        self.tray.errors_requested.connect(self.window.show_errors)
        self.tray.sync_now_requested.connect(self._sync_now)
        self.tray.full_sync_requested.connect(self._full_sync)
        self.tray.pause_requested.connect(self._pause)
        self.tray.resume_requested.connect(self._resume)
        self.tray.open_logs_requested.connect(self._open_logs)
        self.tray.diagnostics_requested.connect(self.open_diagnostics)
        self.tray.settings_requested.connect(self.open_settings)
        self.window.settings_requested.connect(self.open_settings)
        self.window.login_requested.connect(self.log_in_again)
        self.tray.login_requested.connect(self.log_in_again)
        self.tray.quit_requested.connect(self.quit)
        self.instance.show_requested.connect(self.window.bring_forward)
        self.window.hidden_to_tray.connect(self._say_where_ferry_went)
        self.window.destinations_view.add_requested.connect(self._add_destination)
        self.window.destinations_view.edit_requested.connect(self._edit_destination)
        self.window.destinations_view.remove_requested.connect(self._remove_destination)
        links = self.window.clients_view
        links.set_settings_dir(self.home.settings_dir)
        links.saved.connect(self._links_saved)
        links.catch_up_requested.connect(self._catch_up)
        links.add_destination_requested.connect(self._add_destination)

    # -- starting ------------------------------------------------------------------------------

    def start(self) -> bool:
        """Claim the home and start; False when another instance already runs (it was told)."""
        if self.instance.ask_running_instance():
            return False
        self.instance.claim()
        self.tray.show()
        self.updates.start()
        marker = self.home.state_dir / TRAY_HINT_FILE
        self.background.run(
            marker.exists,
            lambda told: setattr(self, "_told_tray", bool(told)),
            lambda _error: None,
            name="ferry-tray-hint",
        )
        if self.demo_requested:
            self.window.show()  # a newcomer's first look: it stays up
            self._load_history(None)
            self.window.show_message(self.tr("Starting the sandbox platform…"))
            self.background.run(
                lambda: start_demo(self.home, seed_documents=12, trickle_s=5.0),
                self._demo_ready,
                self._failed(self.tr("The sandbox platform could not start")),
                discard=_stop_demo_later,
            )
        else:
            login = load_login(self.home.settings_dir)
            if login is None:
                self._load_history(None)
                self._show_wizard()
            else:
                # set up: Ferry starts in the tray without flashing a window (none to show
                # when there is no tray: the window is the only way in)
                if not self.tray.available:
                    self.window.show()
                self._find_engine(login)
        return True

    # -- an engine that already runs -----------------------------------------------------------

    def _find_engine(self, login: StoredLogin) -> None:
        """Attach to the engine the Ferry service or ``ferry run`` hosts for this home, if one
        runs; else start our own. Connecting is I/O: never on the GUI thread."""
        home, post = self.home, self.bridge.post

        def find() -> AttachedEngine | None:
            return attached.attach(home, post, face="tray")

        self.background.run(
            find,
            lambda engine: self._found(engine, login),
            self._not_attached,
            name="ferry-attach",
            discard=_detach_later,
        )

    def _found(self, engine: AttachedEngine | None, login: StoredLogin) -> None:
        if engine is None:
            self._load_history(None)
            self._start_logged_in(login)
            return
        welcome = engine.welcome
        log.info("attached to the engine %s hosts", welcome.host if welcome else "?")
        self.engine = engine
        self.login = login
        self.window.show_who(login.who, login.office_name)
        settings = self._show_settings()
        self._proxy = settings.proxy if settings is not None else None
        self._load_history(engine)

    def _engine_lost(self) -> None:
        """The engine we were attached to stopped (the service restarted for an update,
        ``ferry run`` ended): wait for it to come back, as the best sync clients' windows do;
        after a while without one, and unless the home is the service's, sync ourselves."""
        if self._lost_since is not None:
            return
        self._lost_since = time.monotonic()
        self.window.show_message(
            self.tr("The Ferry engine stopped; waiting for it to start again…")
        )
        QTimer.singleShot(REATTACH_MS, self._reattach)

    def _reattach(self) -> None:
        if self._lost_since is None or self.window.quitting:
            return
        home, post = self.home, self.bridge.post

        def find() -> AttachedEngine | None:
            with contextlib.suppress(ChannelError):
                return attached.attach(home, post, face="tray")
            return None

        self.background.run(
            find,
            self._reattached,
            lambda error: self._reattached(None),  # logged by the worker; look again later
            name="ferry-reattach",
            discard=_detach_later,
        )

    def _reattached(self, engine: AttachedEngine | None) -> None:
        if self._lost_since is None:  # meanwhile something else took over
            if engine is not None:
                engine.stop()
            return
        if engine is not None:
            self._lost_since = None
            self.engine = engine
            log.info("attached again to the engine")
            self._load_history(engine)
            return
        login = load_login(self.home.settings_dir)
        waited = time.monotonic() - self._lost_since
        if login is not None and waited >= TAKE_OVER_S and not self._home_is_the_service_s():
            log.info("no engine came back in %.0f s: Ferry syncs from this app", waited)
            self._lost_since = None
            self.engine = None
            self._start_logged_in(login)
            return
        QTimer.singleShot(REATTACH_MS, self._reattach)

    def _service_s_login(self) -> bool:
        """Attached to the Windows service: its login is the computer's, kept where only the
        service and administrators can read it; this window neither ends nor renews it. Say
        who does, and how (True: said)."""
        engine = self.engine
        if not (
            isinstance(engine, AttachedEngine)
            and engine.welcome is not None
            and engine.welcome.host == HostKind.SERVICE
        ):
            return False
        self.say_the_service_logs_in()
        return True

    def say_the_service_logs_in(self) -> QMessageBox:
        """Who logs the service in or out, and how (shown, and returned for a screenshot)."""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Ferry",
            self.tr("The Ferry service logs in for the whole computer"),
            parent=self.window,
        )
        box.setInformativeText(
            self.tr(
                "An administrator logs it in again, or out, in a command prompt run as "
                "administrator: {login} (or {logout})."
            ).format(login="Ferry.exe service login", logout="Ferry.exe service logout")
        )
        box.open()
        return box

    def _home_is_the_service_s(self) -> bool:
        """Only the service runs the service's engine (this app may not even write there)."""
        return self.home.settings_dir == FerryHome.machine().settings_dir

    def _not_attached(self, error: BaseException) -> None:
        """An engine runs that this app may not use: say why; starting a second one for the
        same home would only be refused."""
        words = (
            attached.describe(error, self.language)
            if isinstance(error, ChannelError)
            else str(error)
        )
        log.error("could not attach to the running engine: %s", words)
        self.window.show_message(words)
        self._warn(self.tr("Ferry could not start syncing"), words)

    # -- first run -----------------------------------------------------------------------------

    def _show_wizard(self, initial: Settings | None = None) -> None:
        """Not set up (yet, or since a logout): the wizard takes the window's place until it is
        done, starting from ``initial``'s destinations and links."""
        try:
            wizard = SetupWizard(
                self.home, language=self.language, options=self.wizard_options, initial=initial
            )
        except RegionsError as error:  # a damaged installation: say where, do not crash
            self._warn(self.tr("Ferry cannot be set up"), str(error))
            return
        wizard.completed.connect(self._wizard_done)
        self.wizard = wizard
        self._main_view = self.window.takeCentralWidget()
        self.window.setCentralWidget(wizard)
        self.window.show_message(self.tr("Setting up Ferry"))
        self.window.bring_forward()

    @Slot(object)
    def _wizard_done(self, result: SetupResult) -> None:
        self.sandbox = result.sandbox
        wizard, self.wizard = self.wizard, None
        if self._main_view is not None:
            self.window.setCentralWidget(self._main_view)  # the wizard is deleted later by Qt
            self._main_view = None
        elif wizard is not None:
            wizard.deleteLater()
        self._start_engine(None)

    # -- later runs ----------------------------------------------------------------------------

    def _start_logged_in(self, login: StoredLogin) -> None:
        """Start syncing; a login to this computer's sandbox needs that sandbox up first."""
        sandbox = for_stored_login(self.home, login)
        if sandbox is None:
            self._start_engine(None)
            return
        self.window.show_message(self.tr("Starting the sandbox platform…"))

        def start() -> LocalSandbox:
            sandbox.start(fallback=False)  # the stored login's issuer names this port
            return sandbox

        self.background.run(
            start,
            self._sandbox_ready,
            self._sandbox_failed,
            name="ferry-sandbox-start",
            discard=_stop_sandbox_later,
        )

    def _sandbox_ready(self, sandbox: LocalSandbox) -> None:
        self.sandbox = sandbox
        self._start_engine(None)

    def _sandbox_failed(self, error: BaseException) -> None:
        log.error("the sandbox platform could not start: %s", error)
        self._warn(self.tr("The sandbox platform of this computer could not start"), str(error))
        self._start_engine(None)  # it says Offline and keeps trying, as with any platform

    def _load_history(self, engine: AttachedEngine | None) -> None:
        """The documents and runs so far: from the engine we are attached to (its database
        may not even be readable by this account), else from the state file. The table
        reads its pages from there as it shows them (issue 18): nothing is read whole."""
        path = self.home.state_dir / STATE_FILE
        source = EngineSource(engine) if engine is not None else StoreSource(path)
        self.window.status_view.set_source(source)

        def read() -> list[RunRow]:
            if engine is not None:
                runs = engine.request(RunsQuery(limit=200)).result or []
                return [_run_row(run) for run in runs]
            if not path.exists():
                return []
            store = StateStore(path)
            try:
                return [_run_row(dataclasses.asdict(r)) for r in store.runs(200)]
            finally:
                store.close()

        self.background.run(
            read, self._history_read, self._failed(self.tr("The history could not be read"))
        )

    def _history_read(self, runs: list[RunRow]) -> None:
        self.window.activity_view.model.set_rows(runs)
        gc.freeze()  # what start-up made need never be scanned by the collector again

    def _demo_ready(self, demo: Demo) -> None:
        self.demo = demo
        self._start_engine(demo.secrets)

    def _start_engine(self, secrets: SecretStore | None) -> None:
        login = load_login(self.home.settings_dir)
        if login is None:
            self.window.show_message(self.tr("Ferry is not logged in."))
            return
        self.login = login
        self.window.show_who(login.who, login.office_name)
        settings = self._show_settings()
        self._proxy = settings.proxy if settings is not None else None
        self.engine = EngineProcess(self.home, self.bridge.post, secrets=secrets)
        self.engine.start(wait=False)
        if isinstance(self.window.status_view.source, EngineSource):  # the one we left
            self.window.status_view.set_source(StoreSource(self.home.state_dir / STATE_FILE))
        # the window stays as it is: hidden at a set-up start, up after the wizard's Finish,
        # a new login or in the demo, where a person is looking at it

    def _show_settings(self) -> Settings | None:
        try:
            settings = load_settings(self.home.settings_dir)
        except SettingsError as error:
            self._warn(self.tr("The settings cannot be read"), error.message(language_now()))
            return None
        self.window.destinations_view.show_settings(settings)
        self.window.clients_view.set_settings(settings)
        self.tray.set_notifications_enabled(settings.notifications)
        self.tray.notifier.set_engine_down_s(settings.alerts.engine_down_minutes * 60)
        return settings

    # -- engine events -------------------------------------------------------------------------

    @Slot(object)
    def _on_clients(self, event: ClientsLoaded) -> None:
        self.clients = list(event.clients)
        self._client_names = {c.id: c.name for c in event.clients}
        self.window.status_view.set_client_names(self._client_names)
        self.window.clients_view.set_clients(event.clients)

    @Slot(object)
    def _on_state(self, event: StateChanged) -> None:
        self.window.show_state(event)
        if event.state is EngineState.STOPPED and isinstance(self.engine, AttachedEngine):
            self._engine_lost()
            return
        if event.state is EngineState.STOPPED:
            failure = failure_of(event.failure)
            not_started = event.why_not_started()
            if not_started is not None:  # why, from its code, in the person's language
                words = not_started.message(language_now())
                self.window.show_message(words)
                self._warn(self.tr("Ferry could not start syncing"), words)
            elif failure is not None:
                self._warn(
                    self.tr("Ferry could not start syncing"), describe([failure], language_now())
                )
            elif event.detail:
                self._warn(self.tr("Ferry could not start syncing"), event.detail)

    @Slot(object)
    def _on_run_finished(self, event: RunFinished) -> None:
        self.window.activity_view.model.add_finished(event)
        if self._awaited.finished(event):
            self.window.statusBar().showMessage(self._action_words.finished(event), FINISHED_MS)

    @Slot()
    def _say_where_ferry_went(self) -> None:
        """The first time the window goes to the tray, say that Ferry goes on there."""
        if self._told_tray is not False:  # told already, or not known yet: say nothing
            return
        self._told_tray = True
        marker = self.home.state_dir / TRAY_HINT_FILE
        self.tray.notify(
            self.tr("Ferry is still running"),
            self.tr(
                "Ferry keeps delivering documents in the background. Open it again from its "
                "icon in the notification area, near the clock."
            ),
            NotificationKind.INFO,
        )
        self.background.run(
            lambda: marker.write_text("told\n", encoding="utf-8"),
            lambda _none: None,
            lambda error: log.warning("cannot note that the tray was explained: %s", error),
            name="ferry-tray-hint",
        )

    @Slot()
    def _show_counts(self) -> None:
        """One source for what is said at a glance: the table's own counts."""
        model = self.window.status_view.model
        last = model.last_delivery()
        moment = None if last is None else dt.datetime.fromtimestamp(last, dt.UTC)
        errors = model.count(DeliveryStatus.ERROR.value)
        self.tray.show_counts(errors=errors, today=model.delivered_today(), last_delivery=moment)
        self.window.show_counts(errors=errors, last_delivery=moment)
        # today's count starts over at midnight, with or without events
        now = dt.datetime.now().astimezone()
        tomorrow = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=1, microsecond=0)
        self._midnight.start(int((tomorrow - now).total_seconds() * 1000))

    # -- commands ------------------------------------------------------------------------------

    def _send(self, command: Any) -> None:
        if self.engine is not None:
            self.engine.send(command)

    @Slot(list)
    def _resend(self, ids: list[str]) -> None:
        self._act(RunKind.RESEND, Resend(document_ids=ids), len(ids))

    @Slot(list)
    def _retry(self, ids: list[str]) -> None:
        self._act(RunKind.RETRY, Retry(document_ids=ids), len(ids))

    @Slot(list)
    def _deliver_again(self, ids: list[str]) -> None:
        """*Deliver again here*, confirmed by the person: every destination each was
        delivered to."""
        self._act(RunKind.DELIVER_AGAIN, DeliverAgain(document_ids=ids), len(ids))

    @Slot()
    def _sync_now(self) -> None:
        self._act(RunKind.INCREMENTAL, SyncNow())

    @Slot()
    def _full_sync(self) -> None:
        self._act(RunKind.FULL, FullSync())

    def _act(self, kind: RunKind, command: Any, count: int = 0) -> None:
        """Send a person's command and say at once what it does; its run's end says how it
        went (:mod:`app.gui.action_feedback`)."""
        if self.engine is None:
            self.window.statusBar().showMessage(self._action_words.not_syncing(), STARTED_MS)
            return
        self._awaited.expect(kind)
        self.window.statusBar().showMessage(self._action_words.started(kind, count), STARTED_MS)
        self._send(command)

    @Slot()
    def _pause(self) -> None:
        self._send(Pause())

    @Slot()
    def _resume(self) -> None:
        self._send(Resume())

    @Slot()
    def _open_logs(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.home.log_dir)))

    def _mail_engine_alert(self, change: AlertChange) -> None:
        self._outbox.send(change, language_now())

    @Slot()
    def open_diagnostics(self) -> None:
        """*Export diagnostics*, from the tray or Settings: one dialog at a time."""
        if self._diagnostics_dialog is not None:
            self._diagnostics_dialog.raise_()
            self._diagnostics_dialog.activateWindow()
            return
        dialog = DiagnosticsDialog(self.home, lambda: self.clients, parent=self.window)
        dialog.finished.connect(self._diagnostics_closed)
        self._diagnostics_dialog = dialog
        dialog.open()

    @Slot(int)
    def _diagnostics_closed(self, _result: int) -> None:
        self._diagnostics_dialog = None

    # -- destinations --------------------------------------------------------------------------

    def _preview_clients(self) -> list[PreviewClient]:
        return preview_clients(self.clients, load_settings(self.home.settings_dir).links)

    @Slot()
    def _add_destination(self) -> None:
        self._open_editor(None)

    @Slot(str)
    def _edit_destination(self, name: str) -> None:
        self._open_editor(load_settings(self.home.settings_dir).destination(name))

    def _open_editor(self, destination: Destination | None) -> None:
        settings = load_settings(self.home.settings_dir)
        editor = DestinationEditor(
            self._preview_clients(),
            existing_names={d.name for d in settings.destinations},
            destination=destination,
            language=self.language,
            # the engine that will write checks the folder, as the account it writes with
            folder_check=(
                self.engine.folder_problem
                if isinstance(self.engine, AttachedEngine)
                else folder_writable
            ),
            for_service=isinstance(self.engine, AttachedEngine)
            and self.engine.welcome is not None
            and self.engine.welcome.host == HostKind.SERVICE,
            parent=self.window,
        )
        previous = destination.name if destination is not None else None
        editor.saved.connect(lambda saved: self._destination_saved(previous, saved))
        self._editor = editor
        editor.open()  # never exec(): the event loop keeps running

    def _destination_saved(self, previous: str | None, destination: Destination) -> None:
        """The editor's *Save*: a new destination, or the one called ``previous`` changed; a
        rename keeps its client links (the application layer renames them too). Written on a
        worker thread, to the file as it is then."""
        home = self.home

        def work() -> Settings:
            def change(settings: Settings) -> Settings:
                return save_destination(settings, destination, previous)

            if previous is not None and previous != destination.name:
                # what was delivered there follows the new name: never written twice
                return change_settings_renaming(home, {previous: destination.name}, change)
            return change_settings(home.settings_dir, change)

        def done(_settings: Settings) -> None:
            if previous is not None and previous != destination.name:
                self.window.clients_view.rename_destination(previous, destination.name)
            self._show_settings()

        self.background.run(work, done, self._destination_not_saved, name="ferry-destination")

    @Slot(str)
    def _remove_destination(self, name: str) -> None:
        """The Destinations tab's *Remove…*, confirmed: the destination goes, and with it its
        place in every client link (a client it was the only destination of is no longer
        linked); files delivered there stay. Written on a worker thread, to the file as it is
        then; both tabs show what was written."""
        settings_dir = self.home.settings_dir

        def work() -> Settings:
            return change_settings(
                settings_dir, lambda settings: remove_destination(settings, name, unlink=True)
            )

        def done(settings: Settings) -> None:
            self.window.destinations_view.show_settings(settings)
            self.window.clients_view.set_settings(settings)

        self.background.run(work, done, self._destination_not_saved, name="ferry-destination")

    def _destination_not_saved(self, error: BaseException) -> None:
        why = error.message(language_now()) if isinstance(error, SettingsRefused) else str(error)
        words = QCoreApplication.translate("SettingsDialog", "The settings were not saved: %1")
        self._warn(words.replace("%1", why), "")

    # -- client links --------------------------------------------------------------------------

    @Slot(object)
    def _links_saved(self, settings: Settings) -> None:
        self.window.destinations_view.show_settings(settings)  # the linked counts

    @Slot(list)
    def _catch_up(self, client_ids: list[str]) -> None:
        """Links that start earlier (or gained a destination): the feed never brings older
        documents back, so those clients get a full sync of their own."""
        for client_id in client_ids:
            self._send(FullSync(client_id=client_id, new_destinations=True))

    # -- login needed --------------------------------------------------------------------------

    @Slot()
    def log_in_again(self) -> None:
        """The platform ended the login: the same person logs in again in the browser, and the
        engine goes on with the new login (nothing else changes)."""
        if self._relogin is not None:
            self._relogin.raise_()
            self._relogin.activateWindow()
            return
        stored = self.login  # no disk read on the GUI thread: read when the engine started
        if stored is None:
            return
        if self._service_s_login():
            return
        self.window.bring_forward()
        secrets = self.demo.secrets if self.demo is not None else None
        dialog: ReloginDialog | KeyReloginDialog
        if stored.strategy is LoginStrategy.API_KEY:  # nothing to log in to: a key to paste
            dialog = KeyReloginDialog(
                self.home, stored, secrets=secrets, proxy=self._proxy, parent=self.window
            )
        else:
            dialog = ReloginDialog(
                self.home,
                stored,
                secrets=secrets,
                proxy=self._proxy,
                language=self.language,
                parent=self.window,
            )
        dialog.logged_in.connect(self._logged_in_again)
        dialog.finished.connect(self._relogin_closed)
        self._relogin = dialog
        dialog.open()  # never exec(): the event loop keeps running
        dialog.start()

    @Slot(object)
    def _logged_in_again(self, login: StoredLogin) -> None:
        self.login = login
        self.window.show_who(login.who, login.office_name)
        if self.engine is None:
            self._start_engine(self.demo.secrets if self.demo is not None else None)
        else:
            self._restart_engine()

    @Slot(int)
    def _relogin_closed(self, _result: int) -> None:
        self._relogin = None

    @Slot()
    def log_out(self) -> None:
        """Ask, then end the login at the platform and here; the wizard takes the window's
        place, starting from the destinations and links already set (kept on file)."""
        stored = self.login
        if stored is None or self.demo is not None or self.wizard is not None:
            return
        if self._service_s_login():
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Log out"),
            self.tr(
                "Log out {who}? Ferry stops syncing until somebody logs in again; the "
                "destinations and client links are kept."
            ).format(who=stored.who),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._settings_dialog or self.window,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Log out"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(button: Any) -> None:
            if box.standardButton(button) is QMessageBox.StandardButton.Yes:
                self._log_out(stored)

        box.buttonClicked.connect(answered)
        self._confirm_log_out = box
        box.open()  # never exec(): the event loop keeps running

    def _log_out(self, stored: StoredLogin) -> None:
        if self._settings_dialog is not None:
            self._settings_dialog.reject()
        engine, self.engine = self.engine, None
        home = self.home
        self.tray.notifier.engine_stopped_on_purpose()  # no "Ferry is not running" alert

        def work() -> tuple[LogoutOutcome, Settings | None]:
            if engine is not None:
                engine.stop()  # before the token goes: no engine left asking with it
            outcome = end_login(home, stored)
            try:
                return outcome, load_settings(home.settings_dir)
            except SettingsError:
                return outcome, None

        self.window.show_message(self.tr("Logging out…"))
        self.background.run(
            work, self._logged_out, self._failed(self.tr("Ferry could not log out"))
        )

    def _logged_out(self, answer: tuple[LogoutOutcome, Settings | None]) -> None:
        outcome, settings = answer
        log.info("logged out (%s); the wizard takes over", outcome.value)
        self.login = None
        self.window.show_who("", None)
        self._show_wizard(settings)
        words = self._logout_words(outcome)
        if words:
            # Forgotten here but alive at the platform: the person must know, since whoever
            # holds a copy of the token could still use it until it expires.
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Ferry",
                self.tr("Logged out on this computer only"),
                parent=self.window,
            )
            box.setInformativeText(words)
            self.logout_notice = box
            box.open()  # never exec(): the event loop keeps running

    def _logout_words(self, outcome: LogoutOutcome) -> str | None:
        """What to add about the platform after a logout; None when it was told."""
        if outcome is LogoutOutcome.NOT_SUPPORTED:
            return self.tr(
                "The platform was not told: its login server offers no way to end a login "
                "from an application, so the login stays valid there until it expires. Ferry "
                "has forgotten it on this computer."
            )
        if outcome is LogoutOutcome.FAILED:
            return self.tr(
                "The platform was not told: its login server could not be reached or refused. "
                "Ferry has forgotten the login on this computer; it stays valid at the platform "
                "until it expires."
            )
        if outcome is LogoutOutcome.KEY_FORGOTTEN:
            return self.tr(
                "Ferry has forgotten the API key on this computer. The key stays valid at the "
                "platform until someone deletes it there."
            )
        if outcome is LogoutOutcome.NO_TOKEN:
            return self.tr(
                "The platform was not told: Ferry no longer held this login's token, so there "
                "was nothing to end there."
            )
        return None

    # -- settings ------------------------------------------------------------------------------

    @Slot()
    def open_settings(self) -> None:
        if self._settings_dialog is not None:
            self._settings_dialog.raise_()
            self._settings_dialog.activateWindow()
            return
        home, demo = self.home, self.demo_requested

        def read() -> tuple[Settings, dt.datetime | None, list[str] | None, StoredLogin | None]:
            settings, last = load_settings(home.settings_dir), None
            login = None if demo else load_login(home.settings_dir)
            path = home.state_dir / STATE_FILE
            if path.exists():
                store = StateStore(path)
                try:
                    value = store.get_meta(LAST_FULL_SYNC)
                finally:
                    store.close()
                last = dt.datetime.fromisoformat(value) if value else None
            command = [*command_for_this_app(home), "--demo"] if demo else None
            return settings, last, command, login

        self.background.run(
            read, self._show_settings_dialog, self._failed(self.tr("The settings cannot be read"))
        )

    def _show_settings_dialog(
        self, answer: tuple[Settings, dt.datetime | None, list[str] | None, StoredLogin | None]
    ) -> None:
        settings, last, command, login = answer
        dialog = SettingsDialog(
            self.home,
            settings,
            last_full_sync=last,
            command=command,
            login=login if self.wizard is None else None,
            parent=self.window,
        )
        dialog.saved.connect(self._apply_settings)
        dialog.log_out_requested.connect(self.log_out)
        dialog.diagnostics_requested.connect(self.open_diagnostics)
        dialog.finished.connect(self._settings_closed)
        self._settings_dialog = dialog
        dialog.open()  # never exec(): the event loop keeps running

    @Slot(int)
    def _settings_closed(self, _result: int) -> None:
        self._settings_dialog = None

    @Slot(object)
    def _apply_settings(self, settings: Settings) -> None:
        """Saved settings apply at once: language live, notifications, and a new proxy
        restarts the engine (its one HTTP client is built with it)."""
        language = settings.language or system_language()
        app = QApplication.instance()
        if language is not self.language and isinstance(app, QApplication):
            self.language = install_translator(app, language, cache_dir=_qm_cache(self.home))
            self.tray.retranslate()
        self._show_settings()
        if self.engine is not None and settings.proxy != self._proxy:
            self._restart_engine()

    def _restart_engine(self) -> None:
        if isinstance(self.engine, AttachedEngine):
            # not ours to restart: a new proxy applies when its host starts it again
            log.info("settings changed; the attached engine applies them when restarted")
            return
        engine, self.engine = self.engine, None
        secrets = self.demo.secrets if self.demo is not None else None
        if engine is None:
            return

        def stop() -> None:
            engine.stop()

        self.background.run(
            stop,
            lambda _: self._start_engine(secrets),
            self._failed(self.tr("Ferry could not start syncing")),
            name="ferry-engine-restart",
        )

    # -- ending --------------------------------------------------------------------------------

    def _failed(self, title: str) -> Any:
        def show(error: BaseException) -> None:
            log.error("%s: %s", title, error)
            self._warn(title, str(error))

        return show

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Ferry", title, parent=self.window)
        box.setInformativeText(text)
        box.open()

    def _quiet_for_an_update(self) -> bool:
        """Nothing a restart would interrupt: no window or dialog in front of the person, no
        wizard, and the engine settled (nothing being delivered)."""
        app = QApplication.instance()
        front = isinstance(app, QApplication) and (
            app.activeModalWidget() is not None or app.activePopupWidget() is not None
        )
        return (
            not self.window.isVisible()
            and not front
            and self.wizard is None
            and self.tray.state in QUIET_STATES
        )

    @Slot()
    def quit(self) -> None:
        self.window.quitting = True
        self.shutdown()
        QApplication.quit()

    def shutdown(self) -> None:
        """Stop the wizard, the engine and any in-process platform; safe to call twice."""
        self.background.close()
        self.updates.close()
        self._outbox.close()
        if self.wizard is not None:
            self.wizard.shutdown()
        if self.engine is not None:
            self.engine.stop()
            self.engine = None
        if self.demo is not None:
            self.demo.sandbox.stop()
            self.demo = None
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None
        self.tray.hide()


def _stop_demo_later(demo: Demo) -> None:
    """A demo platform that came up after the app closed: stopped, without blocking the GUI."""
    threading.Thread(target=demo.sandbox.stop, name="ferry-demo-stop", daemon=True).start()


def _stop_sandbox_later(sandbox: LocalSandbox) -> None:
    """A sandbox platform that came up after the app closed: stopped, off the GUI thread."""
    threading.Thread(target=sandbox.stop, name="ferry-sandbox-stop", daemon=True).start()


def run_gui(args: argparse.Namespace) -> int:
    """``python -m app``: the desktop app (with ``--demo``, on the in-process sandbox)."""
    import qasync

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Ferry")
    app.setOrganizationName("Ferry")
    app.setQuitOnLastWindowClosed(False)
    # The loop exists before anything starts: the first-run wizard's login runs on it.
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    language = install_translator(app, _language_for(args), cache_dir=_qm_cache(args.ferry_home))
    ferry = FerryApp(
        args.ferry_home,
        language=language,
        demo=bool(args.demo),
        home_arg=getattr(args, "home", None),
    )
    if not ferry.start():
        print("Ferry is already running for this home; its window was brought forward.")
        loop.close()
        return 0
    app.aboutToQuit.connect(ferry.shutdown)
    if args.demo_seconds:
        QTimer.singleShot(int(args.demo_seconds * 1000), ferry.quit)
    with loop:
        loop.run_until_complete(_until_quit(app))
    log.info("desktop app closed at %s", dt.datetime.now().isoformat(timespec="seconds"))
    return 0


def _language_for(args: argparse.Namespace) -> Language:
    """``--language`` when given, else the one chosen in Settings, else the OS's."""
    if getattr(args, "language_given", False):
        return Language(args.language)
    try:
        chosen = load_settings(args.ferry_home.settings_dir).language
    except SettingsError:
        chosen = None  # the app says so once it runs; the language is no reason to stop
    return chosen or system_language()


def _qm_cache(home: FerryHome) -> Path:
    """Translations compiled at run time stay inside the Ferry home, like everything else."""
    return home.data_dir / "translations"


async def _until_quit(app: QApplication) -> None:
    done = asyncio.Event()
    app.aboutToQuit.connect(done.set)
    await done.wait()


def _run_row(run: dict[str, Any]) -> RunRow:
    """A run as the state keeps it (``StateStore.runs``, or the same over the channel)."""
    return run_row(run)


def _detach_later(engine: AttachedEngine | None) -> None:
    """An attach that finished after the app closed: let the engine go."""
    if engine is not None:
        engine.stop()
