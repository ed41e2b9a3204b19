"""Ferry in the system tray: the icon that says at a glance how things stand, and its menu.

The tray is where Ferry lives for months unwatched, so it says the state (icon *and* tooltip
words, with the last sync time and today's count), offers the few things a person does from
there, and notifies — rarely — when someone must act. The decisions about *when* to notify are
in :mod:`app.gui.notifications`; this class only shows them.

It never talks to the engine: every menu entry emits a signal the application connects to the
engine or the window, which keeps the tray testable on its own and the engine's commands in one
place. Where the desktop has no tray (GNOME without an extension, some servers) ``available``
is False, nothing is shown, and the application keeps its window as the way in.

Modal dialogs are opened with ``open()`` and answered through ``finished``, never ``exec()``:
a nested event loop inside a qasync-driven application re-enters coroutines.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate, QObject, QTime, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QMessageBox, QSystemTrayIcon

from app.core.failures import describe
from app.engine.messages import (
    AlertChanged,
    DocumentChanged,
    EngineState,
    LoginNeededEvent,
    RunFinished,
    RunStarted,
    StateChanged,
)
from app.gui.bridge import EngineBridge
from app.gui.failure_words import failure_of, language_now, without_foreign_words
from app.gui.i18n import ferry_locale
from app.gui.icons import state_icon
from app.gui.notifications import (
    TEXT_LIMIT,
    TITLE_LIMIT,
    ErrorNotifier,
    Notification,
    NotificationKind,
    shorten,
)

TOOLTIP_LIMIT = 127  # Windows cuts tray tooltips there (szTip[128] with its NUL)
MESSAGE_MS = 10_000


def _translate(context: str, text: str) -> str:
    """Qt's translation, shaped as :data:`app.gui.notifications.Translate`."""
    return QCoreApplication.translate(context, text)


class TrayController(QObject):
    """The tray icon, its tooltip and menu, and the error notifications.

    Signals carry what the person asked for; the application connects them to the engine's
    commands (``SyncNow``, ``FullSync``, ``Pause``, ``Resume``) and to the window.
    """

    open_requested = Signal()
    sync_now_requested = Signal()
    full_sync_requested = Signal()  # only after the person confirmed it
    pause_requested = Signal()
    resume_requested = Signal()
    open_logs_requested = Signal()
    diagnostics_requested = Signal()
    settings_requested = Signal()
    quit_requested = Signal()
    errors_requested = Signal()  # an error notification was clicked: show the errors
    login_requested = Signal()  # the Login needed notification was clicked: log in again
    notified = Signal(str, str)  # title, text: every notification, shown or not (no tray)
    check_updates_requested = Signal()
    restart_to_update_requested = Signal()  # only offered while a version waits

    def __init__(
        self, parent: QObject | None = None, *, notifier: ErrorNotifier | None = None
    ) -> None:
        super().__init__(parent)
        self.notifier = notifier or ErrorNotifier(translate=_translate, language=language_now)
        self.notifications_enabled = True
        self._state = StateChanged(state=EngineState.STARTING)
        self._last_sync: dt.datetime | None = None
        self._last_delivery: dt.datetime | None = None
        self._today = 0
        self._errors: int | None = None  # the table's count, once it is known
        self._last_kind = NotificationKind.ERRORS
        self._confirm: QMessageBox | None = None
        self._bridge: EngineBridge | None = None
        self._tick = QTimer(self)
        self._tick.setSingleShot(True)
        self._tick.timeout.connect(self._on_tick)

        self.icon: QSystemTrayIcon | None = None
        self.menu: QMenu | None = None
        self.status_action = QAction(self)
        self.status_action.setEnabled(False)
        self.open_action = QAction(self)
        font = self.open_action.font()
        font.setBold(True)  # the default action, as tray menus show it
        self.open_action.setFont(font)
        self.sync_now_action = QAction(self)
        self.full_sync_action = QAction(self)
        self.pause_action = QAction(self)
        self.settings_action = QAction(self)
        self.open_logs_action = QAction(self)
        self.diagnostics_action = QAction(self)
        self.quit_action = QAction(self)
        # updates (app.gui.update_status feeds these): which version runs, which one waits
        self._running_version = ""
        self._waiting_version: str | None = None
        self._checking_updates = False
        self.version_action = QAction(self)
        self.version_action.setEnabled(False)
        self.update_waiting_action = QAction(self)
        self.update_waiting_action.setEnabled(False)
        self.update_waiting_action.setVisible(False)
        self.check_updates_action = QAction(self)
        self._updates_in_menu = False
        self.restart_to_update_action = QAction(self)
        self.restart_to_update_action.setVisible(False)
        self._name_actions()
        self.open_action.triggered.connect(self._on_open)
        self.sync_now_action.triggered.connect(self._on_sync_now)
        self.full_sync_action.triggered.connect(self.ask_full_sync)
        self.pause_action.triggered.connect(self._on_pause_resume)
        self.settings_action.triggered.connect(self._on_settings)
        self.open_logs_action.triggered.connect(self._on_open_logs)
        self.diagnostics_action.triggered.connect(self.diagnostics_requested)
        self.quit_action.triggered.connect(self._on_quit)
        self.check_updates_action.triggered.connect(self.check_updates_requested)
        self.restart_to_update_action.triggered.connect(self.restart_to_update_requested)

        if QSystemTrayIcon.isSystemTrayAvailable():
            self.menu = QMenu()
            for action in (
                self.status_action,
                None,
                self.open_action,
                None,
                self.sync_now_action,
                self.full_sync_action,
                self.pause_action,
                None,
                self.settings_action,
                self.open_logs_action,
                self.diagnostics_action,
                None,
                self.quit_action,
            ):
                if action is None:
                    self.menu.addSeparator()
                else:
                    self.menu.addAction(action)
            self.icon = QSystemTrayIcon(self)
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._on_activated)
            self.icon.messageClicked.connect(self._on_message_clicked)
        self._refresh()
        if self.icon is not None:
            self.icon.show()

    # -- what the application calls ----------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Whether a tray icon is shown; when False the window is the only way in."""
        return self.icon is not None

    @property
    def state(self) -> EngineState:
        return self._state.state

    def show_state(self, event: StateChanged) -> None:
        """Show the engine's state: icon, tooltip, menu."""
        self._state = event
        if event.last_sync is not None:
            self._last_sync = event.last_sync
        self._refresh()

    def show_counts(self, *, errors: int, today: int, last_delivery: dt.datetime | None) -> None:
        """What the table counts (:class:`~app.gui.table_model.TableModel`), with every
        batch of events: the documents in error, those delivered today, the latest delivery.
        The icon, tooltip and menu then say what the table shows, never an older count."""
        self._errors = max(0, errors)
        self._today = max(0, today)
        self._last_delivery = last_delivery
        self._refresh()

    def tooltip(self) -> str:
        """ "Ferry — Up to date · last sync 14:02 · 23 documents today", at most 127 characters;
        then why, when the engine said (offline, login needed), in the person's language."""
        parts = [self._state_words()]
        latest = latest_sync(self._last_sync, self._last_delivery)
        if latest is not None:
            parts.append(self.tr("last sync %1").replace("%1", self._moment(latest)))
        if self._today == 0:
            parts.append(self.tr("no documents today"))
        elif self._today == 1:
            parts.append(self.tr("1 document today"))
        else:
            parts.append(
                self.tr("%1 documents today").replace("%1", ferry_locale().toString(self._today))
            )
        reason = self.reason()
        if reason:
            parts.append(reason)
        return shorten("Ferry — " + " · ".join(parts), TOOLTIP_LIMIT)

    def reason(self) -> str:
        """Why the engine is in its state (offline, login needed, stopped), made from the
        failure it sent, in the person's language; "" when it sent none."""
        failure = failure_of(self._state.failure)
        if failure is None or self._state.state in (EngineState.UP_TO_DATE, EngineState.SYNCING):
            return ""
        return describe(without_foreign_words([failure]), language_now())

    def notify(
        self, title: str, text: str, kind: NotificationKind = NotificationKind.ERRORS
    ) -> None:
        """Show one notification (cut to Windows' limits); clicking it emits a request."""
        title = shorten(title, TITLE_LIMIT)
        text = shorten(text, TEXT_LIMIT)
        self._last_kind = kind
        self.notified.emit(title, text)
        if self.icon is not None and self.notifications_enabled:
            icon = (
                QSystemTrayIcon.MessageIcon.Information
                if kind is NotificationKind.INFO
                else QSystemTrayIcon.MessageIcon.Warning
            )
            self.icon.showMessage(title, text, icon, MESSAGE_MS)

    def set_notifications_enabled(self, enabled: bool) -> None:
        """Settings' "notifications on/off"; faults are still tracked so none is told late."""
        self.notifications_enabled = enabled

    def attach(self, bridge: EngineBridge) -> None:
        """Follow the engine through its bridge: state on the icon, errors as notifications."""
        if self._bridge is bridge:
            return
        self._bridge = bridge
        bridge.state_changed.connect(self._on_state_changed)
        bridge.documents_changed.connect(self._on_documents)
        bridge.run_started.connect(self._on_run_started)
        bridge.run_finished.connect(self._on_run_finished)
        bridge.login_needed.connect(self._on_login_needed)
        bridge.alert.connect(self._on_alert)

    def ask_full_sync(self) -> None:
        """Ask before a full sync (it is heavy); only Yes emits ``full_sync_requested``."""
        if self._confirm is not None:
            self._confirm.raise_()
            self._confirm.activateWindow()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Full sync"),
            self.tr("Run a full sync now?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        box.setInformativeText(
            self.tr(
                "Ferry will compare everything the platform holds for your linked clients with "
                "what was delivered, and deliver again whatever is missing. This can take a "
                "long time and uses the network heavily."
            )
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Start full sync"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.setObjectName("full-sync-confirmation")
        box.finished.connect(self._on_full_sync_answer)
        self._confirm = box
        box.open()

    def show(self) -> None:
        """Show the icon again (it is shown from the start when a tray exists)."""
        if self.icon is not None:
            self.icon.show()

    def hide(self) -> None:
        """Take the icon away (at quit), so no ghost icon stays in the tray."""
        if self.icon is not None:
            self.icon.hide()

    def show_update_status(self, running: str, waiting: str | None, can_restart: bool) -> None:
        """The version that runs, the one that waits, and whether *Restart to update* is
        offered (only when this app runs its own engine: see :mod:`app.gui.update_status`)."""
        self._put_update_actions_in_menu()
        self._running_version = running
        self._waiting_version = waiting
        self.update_waiting_action.setVisible(waiting is not None)
        self.restart_to_update_action.setVisible(waiting is not None and can_restart)
        self._name_update_actions()

    def _put_update_actions_in_menu(self) -> None:
        """The update lines and actions join the menu once something feeds them (the app's
        :class:`~app.gui.update_status.UpdateStatus`): the version under the state, *Check for
        updates* after the diagnostics, *Restart to update* above *Quit Ferry*."""
        if self._updates_in_menu or self.menu is None:
            return
        self._updates_in_menu = True
        actions = self.menu.actions()
        after_status = actions[actions.index(self.status_action) + 1]
        self.menu.insertActions(after_status, [self.version_action, self.update_waiting_action])
        actions = self.menu.actions()
        after_diagnostics = actions[actions.index(self.diagnostics_action) + 1]
        self.menu.insertAction(after_diagnostics, self.check_updates_action)
        self.menu.insertAction(self.quit_action, self.restart_to_update_action)

    def set_checking_updates(self, checking: bool) -> None:
        """While a check the person asked for runs, the action says so and waits."""
        self._checking_updates = checking
        self.check_updates_action.setEnabled(not checking)
        self._name_update_actions()

    def say_updated(self, version: str) -> None:
        self.notify(
            self.tr("Ferry was updated"),
            self.tr("Updated to Ferry %1").replace("%1", version),
            NotificationKind.INFO,
        )

    def say_update_failure(self, words: str) -> None:
        """An update refused or rolled back, in the words of
        :func:`app.updates.failures.describe` (already in the person's language)."""
        self.notify(self.tr("Ferry update"), words, NotificationKind.INFO)

    def say_up_to_date(self, running: str) -> None:
        self.notify(
            self.tr("Ferry update"),
            self.tr("Ferry %1 is up to date").replace("%1", running),
            NotificationKind.INFO,
        )

    def say_downloaded(self, version: str) -> None:
        self.notify(
            self.tr("Ferry update"),
            self.tr(
                "Ferry %1 was downloaded and verified; it is installed at a quiet moment"
            ).replace("%1", version),
            NotificationKind.INFO,
        )

    def say_cannot_update_itself(self) -> None:
        self.notify(
            self.tr("Ferry update"),
            self.tr(
                "This installation of Ferry cannot update itself; install a newer version "
                "with the installer"
            ),
            NotificationKind.INFO,
        )

    def say_check_failed_unexpectedly(self) -> None:
        self.notify(
            self.tr("Ferry update"),
            self.tr("The check for updates failed unexpectedly; Ferry's log says why"),
            NotificationKind.INFO,
        )

    def retranslate(self) -> None:
        """Every word again after a language switch: menu, state, tooltip (the tray is no
        widget, so Qt's LanguageChange does not reach it; the app calls this)."""
        self._name_actions()
        self._refresh()

    # -- inside -----------------------------------------------------------------------------------

    def _name_actions(self) -> None:
        self.open_action.setText(self.tr("Open Ferry"))
        self.sync_now_action.setText(self.tr("Sync now"))
        self.full_sync_action.setText(self.tr("Full sync…"))
        self.settings_action.setText(self.tr("Settings…"))
        self.open_logs_action.setText(self.tr("Open logs folder"))
        self.diagnostics_action.setText(self.tr("Export diagnostics…"))
        self.quit_action.setText(self.tr("Quit Ferry"))
        self._name_update_actions()

    def _name_update_actions(self) -> None:
        self.version_action.setText(self.tr("Ferry %1").replace("%1", self._running_version))
        self.version_action.setVisible(bool(self._running_version))
        waiting = self._waiting_version or ""
        self.update_waiting_action.setText(
            self.tr("Ferry %1 is ready; it is installed at a quiet moment").replace("%1", waiting)
        )
        self.check_updates_action.setText(
            self.tr("Checking for updates…")
            if self._checking_updates
            else self.tr("Check for updates")
        )
        self.restart_to_update_action.setText(self.tr("Restart to update"))

    def _refresh(self) -> None:
        state = self._state.state
        paused = state is EngineState.PAUSED
        self.pause_action.setText(self.tr("Resume") if paused else self.tr("Pause"))
        working = state not in (EngineState.PAUSED, EngineState.LOGIN_NEEDED, EngineState.STOPPED)
        self.sync_now_action.setEnabled(working)
        self.full_sync_action.setEnabled(working)
        self.pause_action.setEnabled(state is not EngineState.STOPPED)
        self.status_action.setText(self._state_words())
        if self.icon is not None:
            self.icon.setIcon(self.current_icon())
            self.icon.setToolTip(self.tooltip())

    def current_icon(self) -> QIcon:
        return state_icon(self._state.state)

    def _state_words(self) -> str:
        state = self._state.state
        if state is EngineState.UP_TO_DATE:
            return self.tr("Up to date")
        if state is EngineState.SYNCING:
            return self.tr("Syncing…")
        if state is EngineState.PAUSED:
            return self.tr("Paused")
        if state is EngineState.OFFLINE:
            return self.tr("Offline")
        if state is EngineState.LOGIN_NEEDED:
            return self.tr("Login needed")
        if state is EngineState.ERRORS:
            errors = self._state.errors if self._errors is None else self._errors
            if errors == 1:
                return self.tr("1 document in error")
            if errors > 1:
                count = ferry_locale().toString(errors)
                return self.tr("%1 documents in error").replace("%1", count)
            return self.tr("Errors")
        if state is EngineState.STOPPED:
            return self.tr("Stopped")
        return self.tr("Starting…")

    def _moment(self, moment: dt.datetime) -> str:
        """A sync time as people read it: "14:02" today, "9 Mar 14:02" before."""
        local = moment.astimezone() if moment.tzinfo else moment
        locale = ferry_locale()  # "9 mars" in a French tooltip, whatever the system's language
        time = locale.toString(QTime(local.hour, local.minute), "HH:mm")
        if local.date() == dt.datetime.now().astimezone().date():
            return time
        day = locale.toString(QDate(local.year, local.month, local.day), "d MMM")
        return f"{day} {time}"

    def _show(self, notification: Notification | None) -> None:
        if notification is not None:
            self.notify(notification.title, notification.text, notification.kind)
        self._schedule_tick()

    def _schedule_tick(self) -> None:
        wait = self.notifier.seconds_until_tick()
        if wait is None:
            self._tick.stop()
        else:
            self._tick.start(int(wait * 1000) + 50)

    @Slot()
    def _on_tick(self) -> None:
        self._show(self.notifier.tick())

    @Slot(object)
    def _on_state_changed(self, event: StateChanged) -> None:
        self.show_state(event)
        self._show(self.notifier.on_state(event))

    @Slot(object)
    def _on_documents(self, documents: list[DocumentChanged]) -> None:
        self.notifier.on_documents(documents)
        self._schedule_tick()

    @Slot(object)
    def _on_run_started(self, event: RunStarted) -> None:
        self.notifier.on_run_started(event)
        self._schedule_tick()

    @Slot(object)
    def _on_run_finished(self, event: RunFinished) -> None:
        # The engine does not always announce a new state after a quiet delivery; the run's
        # end is the moment of the last sync all the same.
        self._last_sync = dt.datetime.now(dt.UTC)
        self._refresh()
        self._show(self.notifier.on_run_finished(event))

    @Slot(object)
    def _on_login_needed(self, event: LoginNeededEvent) -> None:
        self._show(self.notifier.on_login_needed(failure_of(event.failure)))

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()

    @Slot()
    def _on_message_clicked(self) -> None:
        if self._last_kind is NotificationKind.LOGIN:
            self.login_requested.emit()
        elif self._last_kind in (NotificationKind.INFO, NotificationKind.ALERT):
            self.open_requested.emit()
        else:
            self.errors_requested.emit()

    @Slot(object)
    def _on_alert(self, event: AlertChanged) -> None:
        """The engine's watchdog: delivery stopped (or is back), said once."""
        self._show(self.notifier.on_alert(event))

    @Slot(int)
    def _on_full_sync_answer(self, result: int) -> None:
        box, self._confirm = self._confirm, None
        if box is None:
            return
        # Which button, not the result code: Escape and the title bar's close mean No.
        answer = box.standardButton(box.clickedButton())
        box.deleteLater()
        if answer == QMessageBox.StandardButton.Yes:
            self.full_sync_requested.emit()

    @Slot()
    def _on_open(self) -> None:
        self.open_requested.emit()

    @Slot()
    def _on_sync_now(self) -> None:
        self.sync_now_requested.emit()

    @Slot()
    def _on_pause_resume(self) -> None:
        if self._state.state is EngineState.PAUSED:
            self.resume_requested.emit()
        else:
            self.pause_requested.emit()

    @Slot()
    def _on_settings(self) -> None:
        self.settings_requested.emit()

    @Slot()
    def _on_open_logs(self) -> None:
        self.open_logs_requested.emit()

    @Slot()
    def _on_quit(self) -> None:
        self.quit_requested.emit()


def latest_sync(
    last_sync: dt.datetime | None, last_delivery: dt.datetime | None
) -> dt.datetime | None:
    """When Ferry last synced: the engine's last pass or the latest delivery, whichever is
    later (a delivery is a sync; the engine tells its passes only with a change of state)."""
    known = [moment for moment in (last_sync, last_delivery) if moment is not None]
    return max(known, default=None)
