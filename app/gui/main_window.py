"""The main window: documents, activity, destinations and client links, and a status line that
says where Ferry stands. Closing it hides it to the tray (when there is one); Ferry keeps
syncing."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.failures import describe
from app.core.language import FALLBACK, Language
from app.engine.messages import EngineState, StateChanged
from app.gui.activity_view import ActivityView
from app.gui.client_links import ClientLinksView
from app.gui.failure_words import failure_of, language_now
from app.gui.status_view import StatusView
from app.settings import Settings

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


class DestinationsView(QWidget):
    """The configured destinations; adding and editing open the destination editor, removing
    asks first (naming the clients that will no longer be delivered there)."""

    add_requested = Signal()
    edit_requested = Signal(str)
    remove_requested = Signal(str)  # confirmed by the person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.add = QPushButton(self)
        self.edit = QPushButton(self)
        self.remove = QPushButton(self)
        self.remove_question: QMessageBox | None = None  # open while the person decides
        self._remove_name = ""
        self._settings: Settings | None = None
        self.add.clicked.connect(self.add_requested)
        self.edit.clicked.connect(self._edit)
        self.remove.clicked.connect(self.ask_remove)
        self.list.itemDoubleClicked.connect(self._edit)
        self.list.currentItemChanged.connect(self._update_buttons)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.edit)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._retranslate()
        self._update_buttons()

    def _retranslate(self) -> None:
        self.add.setText(self.tr("Add…"))
        self.edit.setText(self.tr("Edit…"))
        self.remove.setText(self.tr("Remove…"))
        if self._settings is not None:
            self.show_settings(self._settings)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def show_settings(self, settings: Settings) -> None:
        chosen = self.chosen()
        self._settings = settings
        self.list.clear()
        for destination in settings.destinations:
            linked = sum(1 for link in settings.links if destination.name in link.destinations)
            where = destination.general_path or ", ".join(
                f"{kind.folder_word}: {path}" for kind, path in destination.paths.items()
            )
            clients = self.tr("%n client(s)", "", linked)
            item = QListWidgetItem(
                f"{destination.name}  ({destination.format.value}, {clients})  {where}", self.list
            )
            item.setData(Qt.ItemDataRole.UserRole, destination.name)
            if destination.name == chosen:  # still chosen after a refresh or a language switch
                self.list.setCurrentItem(item)
        self._update_buttons()

    def chosen(self) -> str | None:
        """The name of the destination selected in the list, if any."""
        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return None
        return str(item.data(Qt.ItemDataRole.UserRole))

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.chosen() is not None
        self.edit.setEnabled(chosen)
        self.remove.setEnabled(chosen)

    def _edit(self) -> None:
        name = self.chosen()
        if name is not None:
            self.edit_requested.emit(name)

    @Slot()
    def ask_remove(self) -> QMessageBox | None:
        """*Remove…*: ask first, naming the destination and how many clients will no longer be
        delivered there, then emit ``remove_requested``. Opened with ``open()``; the answer
        arrives through ``finished``."""
        name = self.chosen()
        if name is None:
            return None
        if self.remove_question is not None:
            old, self.remove_question = self.remove_question, None
            old.close()
            old.deleteLater()
        links = self._settings.links if self._settings is not None else []
        linked = [link for link in links if name in link.destinations]
        alone = sum(1 for link in linked if link.destinations == [name])
        words = []
        if linked:
            words.append(
                self.tr(
                    "%n client(s) linked to it: their documents will no longer be delivered there.",
                    "",
                    len(linked),
                )
            )
        if linked and alone == len(linked):
            words.append(
                self.tr(
                    "It is their only destination: their documents will wait on the platform "
                    "until they are linked again.",
                    "",
                    len(linked),
                )
            )
        elif alone:
            words.append(
                self.tr(
                    "For %n of them it is the only destination: their documents will wait on "
                    "the platform until they are linked again.",
                    "",
                    alone,
                )
            )
        stays = self.tr("Files already delivered there stay where they are.")
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove destination"),
            self.tr('Remove the destination "{name}"?').format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText("\n\n".join(filter(None, [" ".join(words), stays])))
        grid = box.layout()
        if isinstance(grid, QGridLayout):  # wide enough for a few sentences to read as such
            wide = QSpacerItem(460, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            grid.addItem(wide, grid.rowCount(), 0, 1, grid.columnCount())
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Remove"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("remove-destination-confirmation")
        box.finished.connect(self._on_remove_answer)
        self.remove_question = box
        self._remove_name = name
        box.open()  # never exec(): the event loop keeps running
        return box

    @Slot(int)
    def _on_remove_answer(self, _result: int) -> None:
        box = self.sender()
        if not isinstance(box, QMessageBox) or box is not self.remove_question:
            return  # a question replaced by a newer one: its answer no longer counts
        self.remove_question = None
        name, self._remove_name = self._remove_name, ""
        # Which button, not the result code: Escape and the title bar's close mean Cancel.
        clicked = box.clickedButton()
        yes = clicked is not None and box.standardButton(clicked) == QMessageBox.StandardButton.Yes
        box.deleteLater()
        if yes:
            self.remove_requested.emit(name)


class MainWindow(QMainWindow):
    """Documents, activity, destinations and clients; the status line; the way into Settings."""

    settings_requested = Signal()
    login_requested = Signal()

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
        self._retranslate()

    def _retranslate(self) -> None:
        for index, title in enumerate(
            (self.tr("Documents"), self.tr("Activity"), self.tr("Destinations"), self.tr("Clients"))
        ):
            self.tabs.setTabText(index, title)
        self.settings_button.setText(self.tr("Settings…"))
        self.login_button.setText(self.tr("Log in again…"))
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
        if event.state is EngineState.ERRORS and event.errors:
            count = event.errors
            words = self.tr("%n document(s) could not be delivered", "", count)
        failure = failure_of(event.failure)
        if failure is not None and event.state not in (EngineState.UP_TO_DATE, EngineState.SYNCING):
            # why, from the failure's code, in the person's language (never the English detail)
            words += " — " + describe([failure], language_now())
        elif event.detail and event.state is EngineState.STOPPED and language_now() is Language.EN:
            words += f" ({event.detail})"
        if event.last_sync is not None:
            local = event.last_sync.astimezone().strftime("%H:%M")
            words += " · " + self.tr("last sync {time}").format(time=local)
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
