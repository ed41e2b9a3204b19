"""*Export diagnostics*: the one zip support asks for, made from the tray or Settings.

The export reads the log folder and the state and writes a zip, so it runs on a worker thread
(:class:`~app.gui.background.Background`); the dialog stays responsive and says where the zip
went, or why none was written, in the reader's language. The file chooser is opened with
``open()``, never ``exec()``: the event loop, and so the engine's events, keep running.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.application.diagnostics import (
    DEFAULT_DAYS,
    DiagnosticsError,
    Exported,
    KnownClient,
    default_folder,
    export_diagnostics,
)
from app.core.language import FALLBACK
from app.gui.background import Background
from app.gui.i18n import current_language
from app.gui.style import PROBLEM_STYLE
from app.home import FerryHome

MAX_DAYS = 30  # the logs are kept 30 days (app/logs.py)


class DiagnosticsDialog(QDialog):
    """Choose the period and whether names are hidden; save the zip; see where it went."""

    exported = Signal(object)  # Exported, once a zip was written

    def __init__(
        self,
        home: FerryHome,
        clients: Callable[[], Iterable[KnownClient]] = tuple,
        parent: QWidget | None = None,
    ) -> None:
        """``clients``: the office's clients as last listed, so that hashing hides their names
        even where only the logs mention them."""
        super().__init__(parent)
        self.setObjectName("diagnostics-dialog")
        self._home = home
        self._clients = clients
        self._background = Background(self)
        self._file_dialog: QFileDialog | None = None
        self.last: Exported | None = None
        self.setMinimumWidth(480)

        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.days = QSpinBox(self)
        self.days.setRange(1, MAX_DAYS)
        self.days.setValue(DEFAULT_DAYS)
        self.hash_names = QCheckBox(self)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.show_file = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.show_file.hide()
        self.show_file.clicked.connect(self._show_file)
        self.save = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.save.clicked.connect(self.choose_file)
        self.buttons.rejected.connect(self.reject)
        # The outcome's words wrap and change while the dialog is open: it grows to show them.
        self._fit = QTimer(self)
        self._fit.setSingleShot(True)
        self._fit.setInterval(0)
        self._fit.timeout.connect(self._grow_to_fit)

        form = QFormLayout()
        self._days_label = QLabel(self)
        form.addRow(self._days_label, self.days)
        form.addRow(self.hash_names)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.days.valueChanged.connect(self._say_days)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Export diagnostics"))
        self.explanation.setText(
            self.tr(
                "One zip for Ferry's support: logs, versions, settings and a summary of the "
                "state. It never holds a password or a token."
            )
        )
        self._days_label.setText(self.tr("Period"))
        self._say_days()
        self.hash_names.setText(self.tr("Replace client and file names with codes"))
        self.save.setText(self.tr("Save…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        self.show_file.setText(self.tr("Show in folder"))
        if self.last is not None:
            self._say_saved(self.last)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _say_days(self) -> None:
        # "the last 7 days" / "les 7 derniers jours": the number inside the words, wherever
        # each language puts it
        self.days.setPrefix(self.tr("the last ", "before a number of days"))
        self.days.setSuffix(self.tr(" day(s)", "", self.days.value()))

    # -- exporting ------------------------------------------------------------------------------

    @Slot()
    def choose_file(self) -> None:
        stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M")
        chooser = QFileDialog(
            self,
            self.tr("Save diagnostics"),
            str(default_folder() / f"ferry-diagnostics-{stamp}.zip"),
            self.tr("Zip files (*.zip)"),
        )
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setDefaultSuffix("zip")
        chooser.fileSelected.connect(lambda name: self.export_to(Path(name)))
        self._file_dialog = chooser
        chooser.open()

    def export_to(self, path: Path) -> None:
        """Write the zip to ``path`` on a worker thread; the dialog says how it went."""
        home, days, hashed = self._home, self.days.value(), self.hash_names.isChecked()
        clients = list(self._clients()) if hashed else []
        self.save.setEnabled(False)
        self.show_file.hide()
        self._say(self.tr("Saving the diagnostics…"), problem=False)
        self._background.run(
            lambda: export_diagnostics(home, path, days=days, hash_names=hashed, clients=clients),
            self._saved,
            self._not_saved,
            name="ferry-diagnostics",
        )

    def _saved(self, exported: Exported) -> None:
        self.last = exported
        self.save.setEnabled(True)
        self._say_saved(exported)
        self.show_file.show()
        self.exported.emit(exported)

    def _say_saved(self, exported: Exported) -> None:
        self._say(
            self.tr("Diagnostics saved to %1 (%2).")
            .replace("%1", str(exported.path))
            .replace("%2", QLocale().formattedDataSize(exported.size)),
            problem=False,
        )

    def _not_saved(self, error: BaseException) -> None:
        self.save.setEnabled(True)
        if isinstance(error, DiagnosticsError):
            words = error.message(current_language() or FALLBACK)
        elif isinstance(error, OSError):
            words = self.tr("The diagnostics cannot be saved: %1").replace(
                "%1", error.strerror or str(error)
            )
        else:
            raise error
        self._say(words, problem=True)

    def _say(self, words: str, *, problem: bool) -> None:
        self.outcome.setText(words)
        self.outcome.setStyleSheet(PROBLEM_STYLE if problem else "")
        self.outcome.show()
        self._fit.start()

    @Slot()
    def _grow_to_fit(self) -> None:
        wanted = self.sizeHint()
        self.resize(max(self.width(), wanted.width()), max(self.height(), wanted.height()))

    @Slot()
    def _show_file(self) -> None:
        if self.last is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last.path.parent)))
