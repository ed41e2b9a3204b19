"""The main window: documents, activity, destinations and client links, and a status line that
says where Ferry stands. Closing it hides it to the tray (when there is one); Ferry keeps
syncing."""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QTime, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
)

from app.core.failures import describe
from app.core.language import FALLBACK, Language
from app.engine.messages import EngineState, StateChanged
from app.gui.activity_view import ActivityView
from app.gui.client_links import ClientLinksView
from app.gui.destinations_view import DestinationsView
from app.gui.failure_words import failure_of, language_now
from app.gui.i18n import ferry_locale
from app.gui.status_view import StatusView
from app.gui.tray import latest_sync

_STATE_WORDS = cast(
    dict[EngineState, str],
    {
        EngineState.STARTING: QT_TRANSLATE_NOOP("MainWindow", "Starting…"),
        EngineState.UP_TO_DATE: QT_TRANSLATE_NOOP("MainWindow", "Up to date"),
        EngineState.SYNCING: QT_TRANSLATE_NOOP("MainWindow", "Syncing…"),
        EngineState.PAUSED: QT_TRANSLATE_NOOP("MainWindow", "Paused"),
        EngineState.OFFLINE: QT_TRANSLATE_NOOP(
            "MainWindow", "Offline: the platform cannot be reached; Ferry keeps trying"
        ),
        EngineState.LOGIN_NEEDED: QT_TRANSLATE_NOOP(
            "MainWindow", "Login needed: log in again to go on syncing"
        ),
        EngineState.ERRORS: QT_TRANSLATE_NOOP(
            "MainWindow", "Some documents could not be delivered"
        ),
        EngineState.STOPPED: QT_TRANSLATE_NOOP("MainWindow", "Stopped"),
    },
)


class MainWindow(QMainWindow):
    """Documents, activity, destinations and clients; the status line; the way into Settings."""

    settings_requested = Signal()
    login_requested = Signal()
    hidden_to_tray = Signal()  # closed by the person: Ferry goes on in the tray

    def __init__(self, *, language: Language = FALLBACK, tray_available: bool = False) -> None:
        super().__init__()
        self.setWindowTitle("Ferry")
        self.resize(1200, 720)
        self.tray_available = tray_available
        self.quitting = False
        self.status_view = StatusView(self, language=language)
        self.activity_view = ActivityView(self)
        self.destinations_view = DestinationsView(self)
        self.clients_view = ClientLinksView(self, language=language)
        self.tabs = QTabWidget(self)
        for view in (self.status_view, self.activity_view, self.destinations_view):
            self.tabs.addTab(view, "")
        self.tabs.addTab(self.clients_view, "")
        self.setCentralWidget(self.tabs)
        self.state_label = QLabel(self)
        self.state_label.setWordWrap(True)  # why Ferry is offline takes a line or two, never cut
        self.statusBar().addWidget(self.state_label, 1)
        self.login_button = QPushButton(self)  # shown while a login is needed: the way to act
        self.login_button.clicked.connect(self.login_requested)
        self.login_button.hide()
        self.statusBar().addPermanentWidget(self.login_button)
        self.who_label = QLabel("", self)
        self.statusBar().addPermanentWidget(self.who_label)
        self.settings_button = QPushButton(self)
        self.settings_button.setFlat(True)
        self.settings_button.clicked.connect(self.settings_requested)
        self.statusBar().addPermanentWidget(self.settings_button)
        self._state: StateChanged | None = None
        self._status_text: str | None = None
        self._errors: int | None = None  # the table's count, once it is known
        self._last_delivery: dt.datetime | None = None
        self._retranslate()

    def _retranslate(self) -> None:
        for index, title in enumerate(
            (self.tr("Documents"), self.tr("Activity"), self.tr("Destinations"), self.tr("Clients"))
        ):
            self.tabs.setTabText(index, title)
        self.settings_button.setText(self.tr("Settings…"))
        key = self._state is not None and _needs_a_key(self._state)
        self.login_button.setText(self.tr("Paste a new key…") if key else self.tr("Log in again…"))
        if self._status_text is not None:
            self.state_label.setText(self._status_text)
        else:
            self._show_state_words()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def show_state(self, event: StateChanged) -> None:
        self._state = event
        self._status_text = None
        self.login_button.setVisible(event.state is EngineState.LOGIN_NEEDED)
        if event.state is EngineState.LOGIN_NEEDED:
            self._retranslate()  # a key login's button says to paste a new key
        else:
            self._show_state_words()

    def show_counts(self, *, errors: int, last_delivery: dt.datetime | None) -> None:
        """The table's counts (see :meth:`app.gui.tray.TrayController.show_counts`)."""
        self._errors = errors
        self._last_delivery = last_delivery
        if self._status_text is None:
            self._show_state_words()

    def show_message(self, text: str) -> None:
        """A status line set by the app itself (already translated by its caller)."""
        self._status_text = text
        self.state_label.setText(text)

    def _show_state_words(self) -> None:
        event = self._state
        if event is None:
            self.state_label.setText(
                QCoreApplication.translate("MainWindow", _STATE_WORDS[EngineState.STARTING])
            )
            return
        words = QCoreApplication.translate("MainWindow", _STATE_WORDS[event.state])
        if event.state is EngineState.LOGIN_NEEDED and _needs_a_key(event):
            words = self.tr("Login needed: paste a new API key to go on syncing")
        count = event.errors if self._errors is None else self._errors
        if event.state is EngineState.ERRORS and count:
            words = self.tr("%n document(s) could not be delivered", "", count)
        failure = failure_of(event.failure)
        if failure is not None and event.state not in (EngineState.UP_TO_DATE, EngineState.SYNCING):
            # why, from the failure's code, in the person's language (never the English detail)
            words += " — " + describe([failure], language_now())
        elif event.detail and event.state is EngineState.STOPPED and language_now() is Language.EN:
            words += f" ({event.detail})"
        latest = latest_sync(event.last_sync, self._last_delivery)
        if latest is not None:
            local = latest.astimezone()
            time = ferry_locale().toString(QTime(local.hour, local.minute), "HH:mm")
            words += " · " + self.tr("last sync {time}").format(time=time)
        self.state_label.setText(words)

    def show_who(self, who: str, office: str | None) -> None:
        self.who_label.setText(f"{who} · {office}" if office else who)

    def show_errors(self) -> None:
        self.tabs.setCurrentWidget(self.status_view)
        self.status_view.show_errors()
        self.bring_forward()

    def bring_forward(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's API
        if self.tray_available and not self.quitting:
            event.ignore()
            self.hide()  # Ferry goes on in the tray
            self.hidden_to_tray.emit()
            return
        event.accept()


def _needs_a_key(event: StateChanged) -> bool:
    """The login needed is an API key to paste again, not a browser login (the failure says
    so: :meth:`app.engine.engine.Engine._login_failure`)."""
    failure = event.failure
    return failure is not None and failure.params.get("login") == "api_key"
