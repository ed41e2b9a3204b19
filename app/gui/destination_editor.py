"""The destination editor: paths with variables, a live preview for real clients, and every
problem inline next to the field that causes it.

All path rules come from the pure core (:mod:`app.core.templates`); this module only shows
them. Checking that a folder can be written touches the disk (possibly a slow network share),
so it runs on a worker thread and its answer arrives later; everything else is instant.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDir,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QColor, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QRadioButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.kinds import DocumentKind
from app.core.language import FALLBACK, Language
from app.core.names import TargetOS, running_target
from app.core.problems import Problem, ProblemCode
from app.core.templates import ClientValues, check_template, render_parsed
from app.core.variables import VARIABLES, VariableKey
from app.gui.background import Background
from app.gui.destination_editor_parts import (
    WARNING_COLOR,
    ProblemLine,
    VariableCompletion,
    browse_start,
    placeholder,
)
from app.gui.i18n import current_language
from app.gui.style import ERROR_COLOR
from app.os_specific import drive_a_service_cannot_see, folder_writable
from app.settings import DeliveryFormat, Destination

Index = QModelIndex | QPersistentModelIndex
PREVIEW_CLIENTS = 50
CHECK_DELAY_MS = 150

_CONTEXT = "DestinationEditor"


@dataclass(frozen=True)
class PreviewClient:
    """A client as the preview needs it: its label and the values a template may use."""

    label: str
    values: ClientValues


@dataclass(frozen=True)
class PreviewRow:
    client: str
    kind: DocumentKind
    path: str | None
    problem: str | None
    warning: bool = False  # the client's data is at fault, not the path: saving is possible


class PreviewModel(QAbstractTableModel):
    """Client, kind, and the resolved folder or why there is none."""

    def __init__(self, language: Language) -> None:
        super().__init__()
        self._rows: list[PreviewRow] = []
        self._language = language

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 3

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (
                QCoreApplication.translate("DestinationEditor", "Client"),
                QCoreApplication.translate("DestinationEditor", "Kind"),
                QCoreApplication.translate("DestinationEditor", "Folder"),
            )[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == 0:
                return row.client
            if index.column() == 1:
                return row.kind.label(self._language)
            return row.path if row.path is not None else row.problem
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2 and row.path is None:
            return QColor(WARNING_COLOR if row.warning else ERROR_COLOR)
        return None

    def set_rows(self, rows: list[PreviewRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[PreviewRow]:
        return list(self._rows)

    def set_language(self, language: Language) -> None:
        self._language = language
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)


#: Why a folder cannot be written (None: it can). Blocks: run on a worker thread.
FolderCheck = Callable[[Path], str | None]


class _WritableChecks(QObject):
    """Runs folder checks on worker threads; answers arrive on the GUI thread. The check is
    the engine's own when one runs apart (a service writes as its own account)."""

    answered = Signal(str, str)  # folder, reason ("" when writable)

    def __init__(self, parent: QObject, check: FolderCheck = folder_writable) -> None:
        super().__init__(parent)
        self._check = check

    def check(self, folder: str) -> None:
        def work() -> None:
            reason = self._check(Path(folder))
            with contextlib.suppress(RuntimeError):  # the editor closed meanwhile: nobody to tell
                self.answered.emit(folder, reason or "")

        threading.Thread(target=work, name="ferry-folder-check", daemon=True).start()


#: How long *Browse…* waits for the field's folder to be found on disk before it opens at the
#: last folder browsed or the Documents folder (a dead network share must not hold it up).
BROWSE_WAIT_MS = 400

_last_browsed: str | None = None  # the folder last chosen with Browse…, for this session


def documents_folder() -> str:
    """The person's Documents folder (their home when the system names none)."""
    return (
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        or QDir.homePath()
    )


def left(event: QEvent) -> bool:
    """The person left a field (Tab, Shift+Tab, a click elsewhere), not the window losing
    its focus for a while. Qt's ``editingFinished`` says nothing when nothing was typed."""
    return event.type() == QEvent.Type.FocusOut and cast(QFocusEvent, event).reason() in (
        Qt.FocusReason.TabFocusReason,
        Qt.FocusReason.BacktabFocusReason,
        Qt.FocusReason.MouseFocusReason,
        Qt.FocusReason.ShortcutFocusReason,
    )


class PathField(QWidget):
    """One path template: the text, *Insert variable*, *Browse…*, and its problems below, in
    a space kept for them (see :class:`ProblemLine`)."""

    changed = Signal()
    touched = Signal()  # the person typed, inserted, browsed or left the field

    def __init__(
        self,
        language: Language,
        parent: QWidget | None = None,
        *,
        target: TargetOS | None = None,
        problem_lines: int = 2,
    ) -> None:
        super().__init__(parent)
        self._target = target or running_target()
        self.edit = QLineEdit(self)
        self.edit.textChanged.connect(self.changed)
        self.edit.textEdited.connect(self.touched)
        self.edit.installEventFilter(self)  # leaving the field touches it (see eventFilter)
        self.insert = QToolButton(self)
        self.insert.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.insert)
        menu.setToolTipsVisible(True)
        self.insert.setMenu(menu)
        self.browse = QPushButton(self)
        self.browse.clicked.connect(self._browse)
        # a click on Browse… keeps the focus in the field: it has not been left yet
        self.browse.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.problems = ProblemLine(problem_lines, self)
        self.completion = VariableCompletion(self.edit, self.problems, [])
        self.completion.chosen.connect(self._complete)
        self.retranslate(language)
        self.edit.textEdited.connect(self._maybe_complete)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.insert)
        row.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.problems)
        self._dialog: QFileDialog | None = None
        self._background = Background(self)
        self._browsing = 0  # which Browse… click an answer belongs to

    def retranslate(self, language: Language) -> None:
        """The field's words and its variables' spellings and meanings in ``language``."""
        self.edit.setPlaceholderText(placeholder(self._target, language))
        self.insert.setText(QCoreApplication.translate("DestinationEditor", "Insert variable"))
        self.browse.setText(QCoreApplication.translate("DestinationEditor", "Browse…"))
        menu = self.insert.menu()
        for old in menu.actions():
            menu.removeAction(old)
            old.deleteLater()
        for variable in VARIABLES:
            action = QAction(f"[{variable.spelling(language)}]", menu)
            action.setToolTip(variable.meaning[language])
            action.setStatusTip(variable.meaning[language])
            action.triggered.connect(self._inserter(variable.spelling(language)))
            menu.addAction(action)
        spellings = [f"[{v.spelling(language)}]" for v in VARIABLES]
        spellings += [f"[{v.spelling(Language.EN)}]" for v in VARIABLES]
        self.completion.spellings = sorted(set(spellings))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and left(event):
            self.touched.emit()
        return False

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def set_problems(self, problems: list[str], *, warning: bool = False) -> None:
        self.problems.set_items(problems, warning=warning)

    def problem_texts(self) -> list[str]:
        return [] if self.problems.warning else self.problems.items()

    def warning_texts(self) -> list[str]:
        return self.problems.items() if self.problems.warning else []

    def _inserter(self, spelling: str) -> object:
        def insert() -> None:
            self.edit.insert(f"[{spelling}]")
            self.edit.setFocus()
            self.touched.emit()

        return insert

    @Slot(str)
    def _maybe_complete(self, text: str) -> None:
        cursor = self.edit.cursorPosition()
        start = text.rfind("[", 0, cursor)
        if start != -1 and "]" not in text[start:cursor]:
            self.completion.offer(text[start:cursor])
        else:
            self.completion.hide()

    @Slot(str)
    def _complete(self, chosen: str) -> None:
        text, cursor = self.edit.text(), self.edit.cursorPosition()
        start = text.rfind("[", 0, cursor)
        if start == -1:
            return
        end = cursor + 1 if text[cursor : cursor + 1] == "]" else cursor
        self.edit.setText(text[:start] + chosen + text[end:])
        self.edit.setCursorPosition(start + len(chosen))
        self.touched.emit()

    @Slot()
    def _browse(self) -> None:
        """Open where the field's folder (or its nearest existing parent) is, else at the last
        folder browsed, else in Documents; the disk is asked on a worker thread, and the dialog
        does not wait long for it."""
        self._browsing += 1
        click = self._browsing
        value, last, documents = self.text(), _last_browsed, documents_folder()
        target = running_target()  # the dialog shows this computer's folders

        def answer(folder: str) -> None:
            if click == self._browsing:
                self._browsing += 1  # the other answer, coming later, is not for a dialog
                self._open_dialog(folder)

        self._background.run(
            lambda: browse_start(value, last, documents, target, os.path.isdir),
            answer,
            lambda _error: answer(last or documents),
            name="ferry-browse-start",
        )
        QTimer.singleShot(BROWSE_WAIT_MS, self, lambda: answer(last or documents))

    def _open_dialog(self, folder: str) -> None:
        dialog = QFileDialog(
            self,
            QCoreApplication.translate(
                "DestinationEditor", "Choose the folder the accounting software reads"
            ),
            folder,
        )
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(self._chosen)
        self._dialog = dialog
        dialog.open()  # never exec(): the app's event loop must keep running

    @Slot(str)
    def _chosen(self, folder: str) -> None:
        global _last_browsed
        _last_browsed = folder
        self.edit.setText(str(Path(folder)))
        self.touched.emit()


# Marked for pyside6-lupdate here, translated when shown.
_FORMATS = cast(
    tuple[tuple[DeliveryFormat, str], ...],
    (
        (DeliveryFormat.UBL, QT_TRANSLATE_NOOP("DestinationEditor", "UBL as received")),
        (
            DeliveryFormat.UBL_PDF,
            QT_TRANSLATE_NOOP("DestinationEditor", "UBL with its PDF beside it"),
        ),
        (DeliveryFormat.PDF, QT_TRANSLATE_NOOP("DestinationEditor", "PDF only")),
    ),
)


class DestinationEditor(QDialog):
    """Edit one destination; Save stays disabled while any problem remains.

    A field's problems are shown once the person has been there (typed, or left it), or
    tried to save, never on a form not yet filled in. A linked client lacking a value the
    path needs is a warning about that client, not a problem of the destination."""

    saved = Signal(object)  # Destination

    def __init__(
        self,
        clients: list[PreviewClient],
        *,
        existing_names: set[str] = frozenset(),  # type: ignore[assignment]
        destination: Destination | None = None,
        language: Language = FALLBACK,
        target: TargetOS | None = None,
        today: date | None = None,
        folder_check: FolderCheck = folder_writable,
        for_service: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``for_service``: the engine that writes is the Windows service, which sees no
        drive letter a user mapped or substituted; ``folder_check`` asks that engine."""
        super().__init__(parent)
        self._for_service = for_service
        self.resize(900, 720)
        self._clients = clients[:PREVIEW_CLIENTS]
        self._existing = set(existing_names) - ({destination.name} if destination else set())
        self._language = language
        self.target = target or running_target()
        self._today = today or date.today()
        self._writable: dict[str, str] = {}
        self._checks = _WritableChecks(self, folder_check)
        self._checks.answered.connect(self._on_writable)

        self.name = QLineEdit(self)
        self.name_problems = ProblemLine(1, self)
        self.one = QRadioButton(self)
        self.split = QRadioButton(self)
        group = QButtonGroup(self)
        group.addButton(self.one)
        group.addButton(self.split)
        self.one.setChecked(True)
        self.general = PathField(language, self, target=self.target)
        self.per_kind = {
            kind: PathField(language, self, target=self.target, problem_lines=1)
            for kind in DocumentKind
        }
        # whose problems are shown: the fields the person has been to (see _touch)
        self._touched: set[int] = set()
        self._reveal_all = False
        self.format = QComboBox(self)
        for value, _label in _FORMATS:
            self.format.addItem("", value.value)

        form = QFormLayout()
        self._name_label = QLabel(self)
        self._folder_label = QLabel(self)
        self._kind_labels = {kind: QLabel(self) for kind in self.per_kind}
        self._format_label = QLabel(self)
        form.addRow(self._name_label, self.name)
        form.addRow("", self.name_problems)
        form.addRow(self.one)
        form.addRow(self._folder_label, self.general)
        form.addRow(self.split)
        for kind, field in self.per_kind.items():
            form.addRow(self._kind_labels[kind], field)
        form.addRow(self._format_label, self.format)
        self.archive = QCheckBox(self)
        self.archive_note = QLabel(self)
        self.archive_note.setWordWrap(True)
        self.archive_note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.archive_note.setStyleSheet("color: palette(placeholder-text);")
        # under the check box's text, not its box
        style = self.archive.style()
        indent = style.pixelMetric(style.PixelMetric.PM_IndicatorWidth) + style.pixelMetric(
            style.PixelMetric.PM_CheckBoxLabelSpacing
        )
        self.archive_note.setContentsMargins(indent, 0, 0, 0)
        form.addRow("", self.archive)
        form.addRow("", self.archive_note)

        self.preview_model = PreviewModel(language)
        self.preview = QTableView(self)
        self.preview.setModel(self.preview_model)
        self.preview.verticalHeader().setVisible(False)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.setColumnWidth(0, 220)
        self.preview.setColumnWidth(1, 130)
        self.preview_note = QLabel(self)
        self.preview_note.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

        self._preview_label = QLabel(self)
        self._retranslate()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._preview_label)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.preview_note)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        for field in (self.general, *self.per_kind.values()):
            field.changed.connect(self._timer.start)
            field.touched.connect(self._toucher(field))
        self.name.textChanged.connect(self._timer.start)
        self.name.textEdited.connect(self._toucher(self.name))
        self._touch_name = self._toucher(self.name)
        self.name.installEventFilter(self)
        self.one.toggled.connect(self._shape_changed)
        self.format.currentIndexChanged.connect(self._timer.start)
        if destination is not None:
            self._load(destination)
            self._reveal_all = True  # what was saved before: its problems are relevant now
        self._shape_changed()
        self.check_now()

    def _retranslate(self) -> None:
        """The editor's words in the language spoken now (at opening, and after a switch while
        it is open: Settings may be opened from the tray meanwhile)."""
        language = self._language
        self.setWindowTitle(
            QCoreApplication.translate("DestinationEditor", "Accounting software configuration")
        )
        self.name.setPlaceholderText(
            QCoreApplication.translate("DestinationEditor", "e.g. Winbooks")
        )
        self.one.setText(
            QCoreApplication.translate("DestinationEditor", "One folder for every kind of document")
        )
        self.split.setText(
            QCoreApplication.translate("DestinationEditor", "A folder per kind of document")
        )
        for index, (_value, words) in enumerate(_FORMATS):
            self.format.setItemText(index, QCoreApplication.translate(_CONTEXT, words))
        self._name_label.setText(QCoreApplication.translate("DestinationEditor", "Name"))
        self._folder_label.setText(QCoreApplication.translate("DestinationEditor", "Folder"))
        for kind, label in self._kind_labels.items():
            label.setText(kind.label(language))
        self._format_label.setText(
            QCoreApplication.translate("DestinationEditor", "Delivery format")
        )
        self.archive.setText(
            QCoreApplication.translate("DestinationEditor", "Archive: keep it complete")
        )
        self.archive_note.setText(
            QCoreApplication.translate(
                "DestinationEditor",
                "Files that disappear from this destination are written again by the full "
                "sync. Leave it off for a folder your accounting software imports from: it "
                "takes files away after importing them.",
            )
        )
        self._preview_label.setText(
            QCoreApplication.translate("DestinationEditor", "Preview for your clients")
        )
        for field in (self.general, *self.per_kind.values()):
            field.retranslate(language)
        self.preview_model.set_language(language)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._language = current_language() or self._language
            self._retranslate()
            self.check_now()  # the problems and the preview, worded again
        super().changeEvent(event)

    def _toucher(self, widget: QWidget) -> Callable[[], None]:
        def touch() -> None:
            if id(widget) not in self._touched:
                self._touched.add(id(widget))
                self._timer.start()

        return touch

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.name and left(event):
            self._touch_name()
        return super().eventFilter(watched, event)

    def _shows(self, widget: QWidget) -> bool:
        return self._reveal_all or id(widget) in self._touched

    def reveal_problems(self) -> None:
        """Show every problem, touched or not: the person tried to save."""
        self._reveal_all = True
        self.check_now()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not save.isEnabled():
            self.reveal_problems()  # Enter is trying to save: say what stands in the way
            event.accept()
            return
        super().keyPressEvent(event)

    # -- reading and writing the form ---------------------------------------------------------

    def _load(self, destination: Destination) -> None:
        self.name.setText(destination.name)
        if destination.general_path:
            self.one.setChecked(True)
            self.general.set_text(destination.general_path)
        else:
            self.split.setChecked(True)
            for kind, path in destination.paths.items():
                self.per_kind[kind].set_text(path)
        self.format.setCurrentIndex(max(0, self.format.findData(destination.format.value)))
        self.archive.setChecked(destination.archive)

    @Slot()
    def _shape_changed(self) -> None:
        general = self.one.isChecked()
        self.general.setEnabled(general)
        for field in self.per_kind.values():
            field.setEnabled(not general)
        self._timer.start()

    def _templates(self) -> dict[DocumentKind, tuple[PathField, str]]:
        if self.one.isChecked():
            return {kind: (self.general, self.general.text()) for kind in DocumentKind}
        return {
            kind: (field, field.text())
            for kind, field in self.per_kind.items()
            if field.text().strip()
        }

    def destination(self) -> Destination | None:
        """The destination as typed, or None while it has problems."""
        if not self.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled():
            return None
        format_value = DeliveryFormat(self.format.currentData())
        if self.one.isChecked():
            return Destination(
                name=self.name.text().strip(),
                general_path=self.general.text(),
                format=format_value,
                archive=self.archive.isChecked(),
            )
        return Destination(
            name=self.name.text().strip(),
            paths={kind: text for kind, (_, text) in self._templates().items()},
            format=format_value,
            archive=self.archive.isChecked(),
        )

    # -- checking -----------------------------------------------------------------------------

    @Slot()
    def check_now(self) -> None:
        """Check every field and refresh the preview (called shortly after each change)."""
        self._timer.stop()
        all_fields = [self.general, *self.per_kind.values()]
        field_problems: dict[int, list[str]] = {id(field): [] for field in all_fields}
        field_warnings: dict[int, list[str]] = {id(field): [] for field in all_fields}
        name = self.name.text().strip()
        name_problem = ""
        if not name:
            name_problem = QCoreApplication.translate(
                "DestinationEditor",
                "Give this configuration a name, e.g. the accounting software's.",
            )
        elif name in self._existing:
            name_problem = QCoreApplication.translate(
                "DestinationEditor", "Another configuration already has this name."
            )
        self.name_problems.set_items(
            [name_problem] if name_problem and self._shows(self.name) else []
        )

        templates = self._templates()
        if not templates:
            field = self.per_kind[DocumentKind.PURCHASE]
            field_problems[id(field)].append(
                QCoreApplication.translate(
                    "DestinationEditor",
                    "Give at least one folder: purchase invoices, sales invoices, ...",
                )
            )
        rows: list[PreviewRow] = []
        warned_clients: set[str] = set()
        row_problem_count = 0
        parsed_by_text = {}
        for kind, (field, text) in templates.items():
            if text not in parsed_by_text:
                parsed_by_text[text] = check_template(text, self.target)
            checked = parsed_by_text[text]
            problems = field_problems[id(field)]
            warnings = field_warnings[id(field)]
            for problem in checked.problems:
                message = problem.message(self._language)
                if message not in problems:
                    problems.append(message)
            instead = (
                drive_a_service_cannot_see(text)
                if self._for_service and self.target is running_target()
                else None
            )
            if instead is not None:
                hint = QCoreApplication.translate(
                    "DestinationEditor",
                    "This drive letter exists only in your session (a mapped network drive or "
                    "a subst drive): the Ferry service cannot see it. Write the full path "
                    "instead: {path}",
                ).format(path=instead)
                if hint not in problems:
                    problems.append(hint)
            if checked.parsed is None:
                continue
            prefix = checked.parsed.fixed_prefix
            if self.target is running_target():
                reason = self._writable.get(prefix)
                if reason is None:
                    self._writable[prefix] = "…"
                    self._checks.check(prefix)
                elif reason not in ("", "…"):
                    message = QCoreApplication.translate(
                        "DestinationEditor", "Ferry cannot write there: {reason}."
                    ).format(reason=reason)
                    if message not in problems:
                        problems.append(message)
            for client in self._clients:
                result = render_parsed(checked.parsed, client.values, kind, self._today)
                if result.path is not None:
                    rows.append(PreviewRow(client.label, kind, result.path, None))
                    continue
                said = "; ".join(p.message(self._language) for p in result.problems)
                only_client = all(p.about_client_data for p in result.problems)
                rows.append(PreviewRow(client.label, kind, None, said, warning=only_client))
                if only_client:
                    warned_clients.add(client.label)
                else:
                    row_problem_count += 1
                for problem in result.problems:
                    if problem.about_client_data:
                        message = self._client_warning(problem)
                        if message not in warnings:
                            warnings.append(message)
                    else:
                        message = problem.message(self._language)
                        if message not in problems:
                            problems.append(message)
        for field in all_fields:
            shown = field.isEnabled() and self._shows(field)
            problems = field_problems[id(field)] if shown else []
            if problems:
                field.set_problems(problems)
            else:
                field.set_problems(field_warnings[id(field)] if shown else [], warning=True)
        self.preview_model.set_rows(rows)
        self.preview_note.setText(self._preview_words(row_problem_count, len(warned_clients)))
        ok = not name_problem and not any(field_problems.values()) and bool(templates)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(ok)
        first = next(
            (p for p in [name_problem, *(p for ps in field_problems.values() for p in ps)] if p),
            "",
        )
        save.setToolTip(
            ""
            if ok
            else QCoreApplication.translate("DestinationEditor", "Not yet: {problem}").format(
                problem=first
            )
        )

    def _client_warning(self, problem: Problem) -> str:
        """A client's missing or unusable value: who, what to do, and what happens meanwhile
        (its documents go to Error with this reason; the other clients are not held up)."""
        if (
            problem.code is ProblemCode.MISSING_VALUE
            and problem.param("what") == VariableKey.ACCOUNTING_FILE_ID.value
        ):
            return QCoreApplication.translate(
                "DestinationEditor",
                "{client} has no accounting file id, which [{name}] needs: fill in its file id "
                "in the Clients tab. Until then, its documents go to Error.",
            ).format(client=problem.param("client"), name=problem.param("name"))
        return (
            problem.message(self._language)
            + " "
            + QCoreApplication.translate(
                "DestinationEditor", "Until then, its documents go to Error."
            )
        )

    def _preview_words(self, problems: int, warned: int) -> str:
        if not self._clients:
            return QCoreApplication.translate(
                "DestinationEditor", "Link clients to see where their documents will go."
            )
        if problems:
            return (
                QCoreApplication.translate(
                    "DestinationEditor", "1 preview shows a problem: fix it before saving."
                )
                if problems == 1
                else QCoreApplication.translate(
                    "DestinationEditor", "{count} previews show a problem: fix them before saving."
                ).format(count=problems)
            )
        if warned:
            return (
                QCoreApplication.translate(
                    "DestinationEditor",
                    "1 client lacks a value this path needs: its documents will go to Error "
                    "until it is filled in. You can save all the same.",
                )
                if warned == 1
                else QCoreApplication.translate(
                    "DestinationEditor",
                    "{count} clients lack a value this path needs: their documents will go to "
                    "Error until it is filled in. You can save all the same.",
                ).format(count=warned)
            )
        return ""

    @Slot(str, str)
    def _on_writable(self, folder: str, reason: str) -> None:
        self._writable[folder] = reason
        self.check_now()

    def problems(self) -> list[str]:
        """Every problem shown now, for tests and accessibility."""
        found = self.name_problems.items()
        for field in (self.general, *self.per_kind.values()):
            found.extend(field.problem_texts())
        return found

    def warnings(self) -> list[str]:
        """Every warning shown now (clients lacking a value): they do not stop Save."""
        found: list[str] = []
        for field in (self.general, *self.per_kind.values()):
            found.extend(field.warning_texts())
        return found

    @Slot()
    def _save(self) -> None:
        self.check_now()
        destination = self.destination()
        if destination is None:
            return
        self.saved.emit(destination)
        self.accept()
