"""The main window: documents, activity, destinations and client links, and a status line that
says where Ferry stands. Closing it hides it to the tray (when there is one); Ferry keeps
syncing."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.language import FALLBACK, Language
from app.engine.messages import EngineState, StateChanged
from app.gui.activity_view import ActivityView
from app.gui.client_links import ClientLinksView
from app.gui.status_view import StatusView
from app.settings import Settings


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


_STATE_WORDS = {
    EngineState.STARTING: "Starting…",
    EngineState.UP_TO_DATE: "Up to date",
    EngineState.SYNCING: "Syncing…",
    EngineState.PAUSED: "Paused",
    EngineState.OFFLINE: "Offline: the platform cannot be reached; Ferry keeps trying",
    EngineState.LOGIN_NEEDED: "Login needed: log in again to go on syncing",
    EngineState.ERRORS: "Some documents could not be delivered",
    EngineState.STOPPED: "Stopped",
}


class DestinationsView(QWidget):
    """The configured destinations; adding and editing open the destination editor."""

    add_requested = Signal()
    edit_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.add = QPushButton(tr("Add…"), self)
        self.edit = QPushButton(tr("Edit…"), self)
        self.add.clicked.connect(self.add_requested)
        self.edit.clicked.connect(self._edit)
        self.list.itemDoubleClicked.connect(self._edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.edit)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def show_settings(self, settings: Settings) -> None:
        self.list.clear()
        for destination in settings.destinations:
            linked = sum(1 for link in settings.links if destination.name in link.destinations)
            where = destination.general_path or ", ".join(
                f"{kind.folder_word}: {path}" for kind, path in destination.paths.items()
            )
            self.list.addItem(
                f"{destination.name}  ({destination.format.value}, "
                f"{linked} {tr('client(s)')})  {where}"
            )

    def _edit(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.edit_requested.emit(item.text().split("  ", 1)[0])


class MainWindow(QMainWindow):
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
        self.tabs.addTab(self.status_view, tr("Documents"))
        self.tabs.addTab(self.activity_view, tr("Activity"))
        self.tabs.addTab(self.destinations_view, tr("Destinations"))
        self.tabs.addTab(self.clients_view, tr("Clients"))
        self.setCentralWidget(self.tabs)
        self.state_label = QLabel(tr(_STATE_WORDS[EngineState.STARTING]), self)
        self.statusBar().addWidget(self.state_label, 1)
        self.who_label = QLabel("", self)
        self.statusBar().addPermanentWidget(self.who_label)

    def show_state(self, event: StateChanged) -> None:
        words = tr(_STATE_WORDS[event.state])
        if event.state is EngineState.ERRORS and event.errors:
            words = tr("{count} document(s) could not be delivered").format(count=event.errors)
        if event.detail and event.state in (EngineState.OFFLINE, EngineState.STOPPED):
            words += f" ({event.detail})"
        if event.last_sync is not None:
            local = event.last_sync.astimezone().strftime("%H:%M")
            words += " · " + tr("last sync {time}").format(time=local)
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
            return
        event.accept()
