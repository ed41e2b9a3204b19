"""The live status table: every document, why it failed, and the actions on it.

The view never talks to the engine: it asks through ``resend_requested``,
``retry_requested`` and ``deliver_again_requested`` (document ids), and the engine's answer
comes back as ordinary ``DocumentChanged`` batches through ``apply_changes``. Files and
folders open through ``desktop.open_path``, one seam that tests replace.

Everything here is sized for 100,000 rows: fixed row heights and column widths (no
``ResizeToContents``, which measures every row), selections read as ranges instead of one
index per cell, and no modal ``exec()`` (the details dialog uses ``open()``), since the GUI
thread also runs qasync coroutines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path, PurePath

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core.kinds import DeliveryStatus
from app.core.language import FALLBACK, Language
from app.engine.messages import DocumentChanged
from app.gui import desktop, i18n
from app.gui.background import Background
from app.gui.document_rows import (
    WAITING,
    Column,
    DocumentRow,
    format_timestamp,
    status_color,
    status_icon,
)
from app.gui.table_model import TableModel, TableSource, clipped_ranges

SEARCH_DEBOUNCE_MS = 150
"""Typing "peeters" filters once, after the last key, not seven times."""

MAX_OPEN = 10
"""Open file / Open folder act on at most this many: a slip of Ctrl+A must not open 5,000
windows."""

NOTICE_MS = 10_000

# Column widths in average characters; the last column stretches to the window's edge.
_WIDTHS = {
    Column.CLIENT: 24,
    Column.KIND: 19,
    Column.NUMBER: 15,
    Column.DATE: 11,
    Column.AMOUNT: 14,
    Column.STATUS: 16,
    Column.DESTINATION: 40,
    Column.MESSAGE: 44,
    Column.LAST_ATTEMPT: 18,  # "2026-03-09 13:42": digits are wider than the average
}

# Waiting last: a To fetch document tried already (it shows under To fetch too).
_STATUSES = (DeliveryStatus.TO_FETCH, DeliveryStatus.ERROR, DeliveryStatus.FORWARDED, WAITING)


class DocumentDetails(QDialog):
    """Everything about one document: its fields, every place it was written, the whole message.

    A snapshot of the document taken when opened, in the language spoken (a switch while it
    is open words it again); shown with ``open()`` so nothing waits on it.
    """

    def __init__(self, row: DocumentRow, model: TableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self._model = model
        self.setMinimumWidth(560)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}  # each row's name, worded by _retranslate

        def add(key: str, field: QWidget) -> None:
            name = QLabel()
            form.addRow(name, field)
            self._names[key] = name

        def add_value(key: str, value: str = "") -> QLabel:
            field = QLabel(value)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setTextFormat(Qt.TextFormat.PlainText)
            add(key, field)
            self.fields[key] = field
            return field

        add_value(
            "client",
            f"{row.client_name} ({row.client_id})"
            if row.client_name != row.client_id
            else row.client_id,
        )
        add_value("kind")
        add_value("number", row.number)
        add_value("date", row.issue_date)
        add_value("amount")
        status = add_value("status")
        status.setStyleSheet(f"color: {status_color(row.shown_status).name()}; font-weight: bold;")
        add_value("last_attempt")
        if row.waiting and row.next_try is not None:
            add_value("next_try", format_timestamp(row.next_try))
        add_value("id", row.id)

        self.locations = QListWidget()
        self.locations.addItems(row.locations)
        self.locations.setMaximumHeight(110)
        if row.locations:
            self.locations.setCurrentRow(locations_first(row.locations))
        self.locations.itemDoubleClicked.connect(lambda _item: self._open_file())
        add("written_to", self.locations)

        self.message = QPlainTextEdit()
        self.message.setReadOnly(True)
        self.message.setMaximumHeight(140)
        add("message", self.message)

        self.moved_note: QLabel | None = None
        if row.moved and row.status == DeliveryStatus.FORWARDED.value:
            note = QLabel()
            note.setWordWrap(True)
            note.setTextFormat(Qt.TextFormat.PlainText)
            form.addRow("", note)
            self.moved_note = note

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.open_file_button = QPushButton()
        self.open_folder_button = QPushButton()
        for button in (self.open_file_button, self.open_folder_button):
            button.setEnabled(bool(row.locations))
            button.setAutoDefault(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self._retranslate()
        self.open_file_button.clicked.connect(self._open_file)
        self.open_folder_button.clicked.connect(self._open_folder)

        self.open_problem = QLabel()
        self.open_problem.setWordWrap(True)
        self.open_problem.setTextFormat(Qt.TextFormat.PlainText)
        self.open_problem.setStyleSheet(f"color: {status_color(DeliveryStatus.ERROR).name()};")
        self.open_problem.hide()
        self._background = Background(self)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.open_problem)
        layout.addWidget(buttons)

    def _retranslate(self) -> None:
        """Every word in the language spoken now: when the dialog opens, and again when the
        language is switched while it is open (the table's words follow first)."""
        row, model = self.row, self._model
        self.setWindowTitle(
            QCoreApplication.translate("DocumentDetails", "Document %1").replace("%1", row.number)
        )
        names = {
            "client": QCoreApplication.translate("DocumentDetails", "Client"),
            "kind": QCoreApplication.translate("DocumentDetails", "Kind"),
            "number": QCoreApplication.translate("DocumentDetails", "Number"),
            "date": QCoreApplication.translate("DocumentDetails", "Date"),
            "amount": QCoreApplication.translate("DocumentDetails", "Amount"),
            "status": QCoreApplication.translate("DocumentDetails", "Status"),
            "last_attempt": QCoreApplication.translate("DocumentDetails", "Last attempt"),
            "next_try": QCoreApplication.translate("DocumentDetails", "Next try"),
            "id": QCoreApplication.translate("DocumentDetails", "Document id"),
            "written_to": QCoreApplication.translate("DocumentDetails", "Written to"),
            "message": QCoreApplication.translate("DocumentDetails", "Message"),
        }
        for key, name in self._names.items():
            name.setText(names[key])
        self.fields["kind"].setText(model.kind_label(row.kind))
        self.fields["amount"].setText(model.amount_text(row))
        self.fields["status"].setText(model.status_label(row.shown_status))
        self.fields["last_attempt"].setText(
            format_timestamp(row.last_attempt)
            or QCoreApplication.translate("DocumentDetails", "not yet")
        )
        self.locations.setToolTip(
            QCoreApplication.translate("DocumentDetails", "Double-click a file to open it.")
        )
        self.message.setPlainText(model.full_text(row))
        if self.moved_note is not None:
            self.moved_note.setText(moved_explanation(row.moved))
        self.open_file_button.setText(QCoreApplication.translate("DocumentDetails", "Open file"))
        self.open_folder_button.setText(
            QCoreApplication.translate("DocumentDetails", "Open folder")
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _location(self) -> str | None:
        item = self.locations.currentItem()
        return item.text() if item is not None else None

    @Slot()
    def _open_file(self) -> None:
        location = self._location()
        if location:
            self._open(location)

    @Slot()
    def _open_folder(self) -> None:
        location = self._location()
        if location:
            self._open(str(Path(location).parent))

    def _open(self, path: str) -> None:
        self.open_problem.hide()
        if not desktop.open_path(path):
            self._background.run(
                lambda: desktop.why_not_opened(path),
                lambda problem: self._say_open_problem(path, problem),
                lambda _error: self._say_open_problem(path, desktop.OpenProblem.REFUSED),
                name="ferry-why-not-opened",
            )

    def _say_open_problem(self, path: str, problem: desktop.OpenProblem) -> None:
        self.open_problem.setText(open_problem_words(path, problem))
        self.open_problem.show()


def elided_path(path: str, metrics: QFontMetrics, width: int) -> str:
    """``path`` in ``width`` pixels: whole when it fits, else its folders elided in the middle
    and its file name whole ("D:\\Boek…\\Aankoop\\INV-123.xml"), the name itself elided in
    the middle only when even it does not fit."""
    if metrics.horizontalAdvance(path) <= width:
        return path
    cut = max(path.rfind("\\"), path.rfind("/"))
    name, folder = path[cut:], path[:cut]
    room = width - metrics.horizontalAdvance(name)
    if cut <= 0 or room < metrics.horizontalAdvance("D:\\…"):
        return metrics.elidedText(path, Qt.TextElideMode.ElideMiddle, max(width, 0))
    return metrics.elidedText(folder, Qt.TextElideMode.ElideMiddle, room) + name


class PathElided(QStyledItemDelegate):
    """Paths shown with their file name whole (:func:`elided_path`): the name is what a
    person looks for; the full path is in the tooltip."""

    MARGIN = 10  # the cell's own padding on both sides

    def initStyleOption(  # noqa: N802 - Qt's API
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle  # should the guess be too wide
        width = option.rect.width() - self.MARGIN
        if option.text and width > 0:
            option.text = elided_path(option.text, option.fontMetrics, width)


class StatusView(QWidget):
    """Filter bar, actions and the table of documents; the main window's status tab."""

    resend_requested = Signal(list)
    """Document ids to send to the integrations (again): the main window sends ``Resend``."""
    retry_requested = Signal(list)
    """Ids of documents in error to try again now: the main window sends ``Retry``."""
    deliver_again_requested = Signal(list)
    """Ids of forwarded documents to write again where they were delivered, once the person
    confirmed it: the app sends ``DeliverAgain``."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        model: TableModel | None = None,
        language: Language | None = None,
    ) -> None:
        super().__init__(parent)
        if language is None:  # the language Qt's translator speaks, so every word matches
            language = i18n.current_language() or FALLBACK
        self.model: TableModel = model if model is not None else TableModel(self, language=language)
        self.details_dialog: DocumentDetails | None = None
        self.deliver_again_question: QMessageBox | None = None
        self._deliver_again_ids: list[str] = []
        self._background = Background(self)

        self._build_filter_bar()
        self._build_table()
        self._build_actions()

        self.summary = QLabel()
        self.notice = QLabel()
        self.notice.setStyleSheet(f"color: {status_color(DeliveryStatus.ERROR).name()};")
        self.notice.hide()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(NOTICE_MS)
        self._notice_timer.timeout.connect(self.notice.hide)

        bottom = QHBoxLayout()
        bottom.addWidget(self.summary)
        bottom.addStretch(1)
        bottom.addWidget(self.notice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addLayout(self._filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.model.counts_changed.connect(self._on_model_changed)
        self.model.clients_changed.connect(self._rebuild_clients)
        self.model.layoutChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.retranslate()
        self._rebuild_clients()
        self._on_model_changed()

    # -- what the main window calls -----------------------------------------------------------

    def set_rows(self, rows: Iterable[DocumentRow]) -> None:
        self.model.set_rows(rows)

    def set_source(self, source: TableSource | None) -> None:
        """Where the table reads its pages from (the engine, or the state file)."""
        self.model.set_source(source)

    @property
    def source(self) -> TableSource | None:
        return self.model.source

    @Slot(object)
    def apply_changes(self, changes: Sequence[DocumentChanged]) -> None:
        """Connect ``EngineBridge.documents_changed`` here."""
        self.model.apply_changes(changes)

    def set_client_names(self, names: Mapping[str, str]) -> None:
        self.model.set_client_names(names)

    def set_language(self, language: Language) -> None:
        """Status and kind words come from the core; the rest from Qt's translator."""
        self.model.set_language(language)
        self.retranslate()

    @Slot()
    def show_errors(self) -> None:
        """Show every document in error and nothing else (the error notification's click)."""
        self._set_filters(status=DeliveryStatus.ERROR.value, client_id=None, text="")
        self.table.setFocus()
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def selected_ranges(self) -> list[tuple[int, int]]:
        """The selected view rows as ranges (top and bottom included): a *Select all* of a
        million rows is one range, not a million indexes."""
        selection = self.table.selectionModel().selection()
        return [(selection.at(i).top(), selection.at(i).bottom()) for i in range(selection.size())]

    def selected_rows(self) -> list[DocumentRow]:
        """The held documents of the selected rows, top to bottom (the model holds the pages
        in view; :meth:`with_selected` reaches every selected document)."""
        return self.model.rows_in(self.selected_ranges())

    def selected_count(self) -> int:
        """How many rows are selected, held or not."""
        ranges = clipped_ranges(self.selected_ranges(), self.model.rowCount())
        return sum(bottom - top + 1 for top, bottom in ranges)

    def with_selected(self, act: Callable[[list[tuple[str, str]]], None]) -> None:
        """``act`` on the ``(id, status)`` of every selected document, top to bottom: at once
        when the selection is held, else once the rest has been read off the GUI thread (a
        *Select all* of a whole history, then *Retry*)."""
        self.model.ids_in(
            self.selected_ranges(),
            act,
            lambda error: self._notify(
                QCoreApplication.translate(
                    "StatusView", "The selected documents could not be read; try again."
                )
            ),
        )

    # -- building -----------------------------------------------------------------------------

    def _build_filter_bar(self) -> None:
        self.status_filter = QComboBox()
        self.status_filter.addItem("", None)
        for status in _STATUSES:
            self.status_filter.addItem(status_icon(status), "", str(status))
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_filter.currentIndexChanged.connect(self._apply_filters)

        self.client_filter = QComboBox()
        # AdjustToContents would measure every client's name on each rebuild.
        self.client_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.client_filter.setMinimumContentsLength(24)
        self.client_filter.setMaxVisibleItems(20)
        self.client_filter.currentIndexChanged.connect(self._apply_filters)

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._apply_filters)

        self._filter_bar = QHBoxLayout()
        self._filter_bar.addWidget(self.status_filter)
        self._filter_bar.addWidget(self.client_filter)
        self._filter_bar.addWidget(self.search, 1)

    def _build_table(self) -> None:
        table = self.table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        # Latin text needs no shaping (kerning and ligatures are cosmetic there); without it a
        # repaint of the table during a sync costs about a third less. Scripts that need
        # shaping still get it (Qt keeps it where it is required). Only the strategy is set:
        # the family and size still follow the window's.
        unshaped = QFont()
        unshaped.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
        table.setFont(unshaped)
        table.setCornerButtonEnabled(False)
        table.setIconSize(QSize(16, 16))
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_context_menu)
        table.doubleClicked.connect(self._show_details_at)

        metrics = table.fontMetrics()
        rows = table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform: no row is measured
        rows.setDefaultSectionSize(max(metrics.height(), 16) + 8)

        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSortIndicatorClearable(True)  # a third click: back to newest first
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        character = max(metrics.averageCharWidth(), 6)
        for column, characters in _WIDTHS.items():
            table.setColumnWidth(column, characters * character + 16)
        self._fit_headers()
        table.setSortingEnabled(True)  # header clicks call the model's sort
        # a path keeps its end (the file name is what a person looks for)
        table.setItemDelegateForColumn(Column.DESTINATION, PathElided(table))
        self.nothing_shown = QLabel(table.viewport())
        self.nothing_shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nothing_shown.setWordWrap(True)
        self.nothing_shown.hide()

    def _fit_headers(self) -> None:
        """No header word clipped, in any language ("Dernière tentative"): a column narrower
        than its header, with the sort arrow's room, grows to it; wider ones stay."""
        header = self.table.horizontalHeader()
        for column in range(header.count()):
            needed = header.sectionSizeHint(column)
            if header.sectionSize(column) < needed:
                header.resizeSection(column, needed)

    def _build_actions(self) -> None:
        style = self.style()

        def action(
            icon: QIcon, shortcut: Sequence[QKeySequence | QKeySequence.StandardKey | str]
        ) -> QAction:
            created = QAction(icon, "", self)
            created.setShortcuts([QKeySequence(key) for key in shortcut])
            created.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            created.setEnabled(False)
            self.addAction(created)
            return created

        self.send_action = action(status_icon(DeliveryStatus.TO_FETCH), ["Ctrl+I"])
        self.send_action.triggered.connect(self._send)
        self.retry_action = action(
            style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload), ["Ctrl+R"]
        )
        self.retry_action.triggered.connect(self._retry)
        self.deliver_again_action = action(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton), ["Ctrl+D"]
        )
        self.deliver_again_action.triggered.connect(self.ask_deliver_again)
        self.open_file_action = action(
            style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), ["Ctrl+O"]
        )
        self.open_file_action.triggered.connect(self._open_files)
        self.open_folder_action = action(
            style.standardIcon(QStyle.StandardPixmap.SP_DirOpenIcon), ["Ctrl+Shift+O"]
        )
        self.open_folder_action.triggered.connect(self._open_folders)
        self.copy_error_action = action(
            QIcon.fromTheme("edit-copy"), [QKeySequence(QKeySequence.StandardKey.Copy)]
        )
        self.copy_error_action.triggered.connect(self._copy_errors)
        # Enter shows the details only from the table, so it never steals the search
        # field's Enter.
        self.details_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_FileDialogInfoView), "", self
        )
        self.details_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.details_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.details_action.setEnabled(False)
        self.details_action.triggered.connect(self._show_current_details)
        self.table.addAction(self.details_action)

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setIconSize(QSize(16, 16))
        self.context_menu = QMenu(self)
        for item in (
            self.send_action,
            self.retry_action,
            self.deliver_again_action,
            None,
            self.open_file_action,
            self.open_folder_action,
            self.copy_error_action,
        ):
            if item is None:
                self.toolbar.addSeparator()
                self.context_menu.addSeparator()
            else:
                self.toolbar.addAction(item)
                self.context_menu.addAction(item)
        self.context_menu.addSeparator()
        self.context_menu.addAction(self.details_action)

    def retranslate(self) -> None:
        """Every user-visible word again, for a language switched at run time."""
        self.status_filter.setItemText(0, QCoreApplication.translate("StatusView", "All statuses"))
        for i, status in enumerate(_STATUSES, 1):
            self.status_filter.setItemText(i, self.model.status_label(status))
        self.status_filter.setToolTip(QCoreApplication.translate("StatusView", "Status"))
        self.client_filter.setToolTip(QCoreApplication.translate("StatusView", "Client"))
        if self.client_filter.count():
            self.client_filter.setItemText(
                0, QCoreApplication.translate("StatusView", "All clients")
            )
        self.search.setPlaceholderText(
            QCoreApplication.translate(
                "StatusView", "Search client, number, amount, message or path…"
            )
        )
        self.retry_action.setText(QCoreApplication.translate("StatusView", "Retry"))
        self.retry_action.setToolTip(
            QCoreApplication.translate(
                "StatusView", "Try the selected documents in error again now"
            )
        )
        self.deliver_again_action.setText(
            QCoreApplication.translate("StatusView", "Deliver again here")
        )
        self.deliver_again_action.setToolTip(
            QCoreApplication.translate(
                "StatusView",
                "Write the selected forwarded documents again into the folders they were "
                "delivered to",
            )
        )
        self.open_file_action.setText(QCoreApplication.translate("StatusView", "Open file"))
        self.open_folder_action.setText(QCoreApplication.translate("StatusView", "Open folder"))
        self.copy_error_action.setText(QCoreApplication.translate("StatusView", "Copy error"))
        self.details_action.setText(QCoreApplication.translate("StatusView", "Details…"))
        self._update_actions()
        self._update_summary()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            language = i18n.current_language()
            if language is not None:  # kind and status words follow the installed translation
                self.model.set_language(language)
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
            self._fit_headers()
            self.retranslate()
        super().changeEvent(event)

    # -- filters ------------------------------------------------------------------------------

    @Slot()
    def _apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_filters(
            status=self.status_filter.currentData(),
            client_id=self.client_filter.currentData(),
            text=self.search.text(),
        )

    def _set_filters(self, *, status: str | None, client_id: str | None, text: str) -> None:
        """Set the three controls without three refilters, then filter once."""
        for widget in (self.status_filter, self.client_filter, self.search):
            widget.blockSignals(True)
        try:
            self.status_filter.setCurrentIndex(max(self.status_filter.findData(status), 0))
            self.client_filter.setCurrentIndex(
                max(self.client_filter.findData(client_id), 0) if client_id else 0
            )
            self.search.setText(text)
        finally:
            for widget in (self.status_filter, self.client_filter, self.search):
                widget.blockSignals(False)
        self._apply_filters()

    @Slot()
    def _rebuild_clients(self) -> None:
        current = self.client_filter.currentData()
        self.client_filter.blockSignals(True)
        try:
            self.client_filter.clear()
            self.client_filter.addItem(
                QCoreApplication.translate("StatusView", "All clients"), None
            )
            for client_id, name in self.model.clients():
                self.client_filter.addItem(name, client_id)
            position = self.client_filter.findData(current) if current is not None else 0
            self.client_filter.setCurrentIndex(max(position, 0))
        finally:
            self.client_filter.blockSignals(False)
        if current is not None and position < 0:
            self._apply_filters()  # the chosen client is gone: show all clients

    # -- model changes ------------------------------------------------------------------------

    @Slot()
    def _on_model_changed(self) -> None:
        self._update_summary()
        self._update_actions()

    def _update_summary(self) -> None:
        locale = self.model.locale
        total = self.model.total_count()
        if total == 0:
            parts = [QCoreApplication.translate("StatusView", "No documents")]
        elif total == 1:
            parts = [QCoreApplication.translate("StatusView", "1 document")]
        else:
            parts = [
                QCoreApplication.translate("StatusView", "%1 documents").replace(
                    "%1", locale.toString(total)
                )
            ]
        errors = self.model.count(DeliveryStatus.ERROR)
        if errors:
            parts.append(
                QCoreApplication.translate("StatusView", "%1 in error").replace(
                    "%1", locale.toString(errors)
                )
            )
        waiting = self.model.count(WAITING)
        if waiting:
            parts.append(
                QCoreApplication.translate("StatusView", "%1 waiting").replace(
                    "%1", locale.toString(waiting)
                )
            )
        if self.model.is_filtered:
            shown = self.model.rowCount()
            # A plural form per count: the same in English, not in French ("1 affiché").
            parts.append(self.tr("%1 shown", "", shown).replace("%1", locale.toString(shown)))
        self.summary.setText(" · ".join(parts))
        self._say_when_nothing_is_shown()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's API
        super().resizeEvent(event)
        if self.nothing_shown.isVisible():
            self._say_when_nothing_is_shown()

    def _say_when_nothing_is_shown(self) -> None:
        """An empty grid says why: nothing matches the filters, or nothing yet at all."""
        if self.model.rowCount():
            self.nothing_shown.hide()
            return
        if self.model.is_filtered:
            text = QCoreApplication.translate(
                "StatusView",
                "No document matches these filters. Clear the search or choose "
                "All statuses and All clients to see every document.",
            )
        else:
            text = QCoreApplication.translate(
                "StatusView",
                "No documents yet: they appear here as soon as Ferry fetches "
                "them from the platform.",
            )
        self.nothing_shown.setText(text)
        viewport = self.table.viewport()
        self.nothing_shown.setGeometry(viewport.rect().adjusted(24, 24, -24, -24))
        self.nothing_shown.show()

    @Slot()
    def _update_actions(self) -> None:
        """Enable what makes sense for the selection; runs on selection and on every batch,
        since a selected document may just have changed status."""
        rows = self.selected_rows()
        forwarded = DeliveryStatus.FORWARDED.value
        error = DeliveryStatus.ERROR.value
        # Rows selected beyond those held (a Select all of a whole history): what they hold
        # is known from the status filter and the counts, and read when the person acts.
        beyond = self.selected_count() > len(rows)
        only = self.model.status_filter
        resend = bool(rows) and all(row.status == forwarded for row in rows)
        if beyond:
            resend = only == forwarded
        may_hold = {
            status: beyond and only in (None, status) and self.model.count(status) > 0
            for status in (error, forwarded)
        }
        self.send_action.setText(
            QCoreApplication.translate("StatusView", "Resend to integrations")
            if resend
            else QCoreApplication.translate("StatusView", "Send to integrations")
        )
        self.send_action.setToolTip(
            QCoreApplication.translate(
                "StatusView", "Put the selected documents back to To fetch and deliver them again"
            )
        )
        self.send_action.setEnabled(bool(rows) or beyond)
        self.retry_action.setEnabled(may_hold[error] or any(row.status == error for row in rows))
        self.deliver_again_action.setEnabled(
            may_hold[forwarded] or any(row.status == forwarded for row in rows)
        )
        too_many = QCoreApplication.translate(
            "StatusView", "Select at most %1 documents to open"
        ).replace("%1", str(MAX_OPEN))
        files, folders = _files(rows), _folders(rows)
        for action, paths, tip in (
            (
                self.open_file_action,
                files,
                QCoreApplication.translate("StatusView", "Open the delivered file"),
            ),
            (
                self.open_folder_action,
                folders,
                QCoreApplication.translate("StatusView", "Open the folder it was delivered to"),
            ),
        ):
            action.setEnabled(0 < len(paths) <= MAX_OPEN)
            action.setToolTip(too_many if len(paths) > MAX_OPEN else tip)
        self.copy_error_action.setEnabled(any(row.has_error_text for row in rows))
        self.details_action.setEnabled(self.table.currentIndex().isValid())

    # -- actions ------------------------------------------------------------------------------

    @Slot()
    def _send(self) -> None:
        self.with_selected(lambda found: self._emit(self.resend_requested, found, None))

    @Slot()
    def _retry(self) -> None:
        error = DeliveryStatus.ERROR.value
        self.with_selected(lambda found: self._emit(self.retry_requested, found, error))

    @staticmethod
    def _emit(signal: SignalInstance, found: list[tuple[str, str]], status: str | None) -> None:
        ids = [doc_id for doc_id, its in found if status is None or its == status]
        if ids:
            signal.emit(ids)

    @Slot()
    def ask_deliver_again(self) -> QMessageBox | None:
        """*Deliver again here*: ask first (the accounting software may book them twice), then
        emit ``deliver_again_requested`` with the forwarded documents selected. Opened with
        ``open()``; the answer arrives through ``finished``. A selection beyond the rows held
        is read first; the question comes once it has been."""
        forwarded = DeliveryStatus.FORWARDED.value
        asked: list[QMessageBox | None] = []
        self.with_selected(
            lambda found: asked.append(
                self._ask_deliver_again([d for d, status in found if status == forwarded])
            )
        )
        return asked[0] if asked else None

    def _ask_deliver_again(self, ids: list[str]) -> QMessageBox | None:
        if not ids:
            return None
        if self.deliver_again_question is not None:
            old, self.deliver_again_question = self.deliver_again_question, None
            old.close()
            old.deleteLater()
        count = len(ids)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            QCoreApplication.translate("StatusView", "Deliver again here"),
            QCoreApplication.translate("StatusView", "Deliver 1 document again?")
            if count == 1
            else QCoreApplication.translate("StatusView", "Deliver %1 documents again?").replace(
                "%1", self.model.locale.toString(count)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            QCoreApplication.translate(
                "StatusView",
                "Ferry will write their files again into the destinations they were delivered "
                "to. The accounting software may import them a second time: do this only when "
                "it needs the files again.",
            )
        )
        box.button(QMessageBox.StandardButton.Yes).setText(
            QCoreApplication.translate("StatusView", "Deliver again")
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("deliver-again-confirmation")
        box.finished.connect(self._on_deliver_again_answer)
        self.deliver_again_question = box
        self._deliver_again_ids = ids
        box.open()  # never exec(): the event loop keeps running
        return box

    @Slot(int)
    def _on_deliver_again_answer(self, _result: int) -> None:
        box = self.sender()
        if not isinstance(box, QMessageBox) or box is not self.deliver_again_question:
            return  # a question replaced by a newer one: its answer no longer counts
        self.deliver_again_question = None
        ids, self._deliver_again_ids = self._deliver_again_ids, []
        # Which button, not the result code: Escape and the title bar's close mean Cancel.
        clicked = box.clickedButton()
        yes = clicked is not None and box.standardButton(clicked) == QMessageBox.StandardButton.Yes
        box.deleteLater()
        if yes:
            self.deliver_again_requested.emit(ids)

    @Slot()
    def _open_files(self) -> None:
        self._open(_files(self.selected_rows()))

    @Slot()
    def _open_folders(self) -> None:
        self._open(_folders(self.selected_rows()))

    def _open(self, paths: list[str]) -> None:
        failed = [path for path in paths[:MAX_OPEN] if not desktop.open_path(path)]
        if failed:  # why, asked off the GUI thread (the file may sit on a dead share)
            path = failed[0]
            self._background.run(
                lambda: desktop.why_not_opened(path),
                lambda problem: self._notify(open_problem_words(path, problem)),
                lambda _error: self._notify(open_problem_words(path, desktop.OpenProblem.REFUSED)),
                name="ferry-why-not-opened",
            )

    @Slot()
    def _copy_errors(self) -> None:
        rows = [row for row in self.selected_rows() if row.has_error_text]
        if not rows:
            return
        if len(rows) == 1:
            text = self.model.full_text(rows[0])
        else:
            text = "\n".join(
                f"{row.number} ({row.client_name}): {self.model.full_text(row)}" for row in rows
            )
        QGuiApplication.clipboard().setText(text)
        self._notify(
            QCoreApplication.translate("StatusView", "Copied")
            if len(rows) == 1
            else QCoreApplication.translate("StatusView", "Copied %1 messages").replace(
                "%1", str(len(rows))
            ),
            error=False,
        )

    def _notify(self, text: str, *, error: bool = True) -> None:
        color = status_color(DeliveryStatus.ERROR if error else DeliveryStatus.FORWARDED)
        self.notice.setStyleSheet(f"color: {color.name()};")
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start()

    @Slot(QPoint)
    def _show_context_menu(self, position: QPoint) -> None:
        """Right-click acts on the row under the mouse unless it is part of the selection,
        as in a file manager."""
        index = self.table.indexAt(position)
        selection = self.table.selectionModel()
        if index.isValid() and not selection.isRowSelected(index.row(), QModelIndex()):
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update_actions()
        self.context_menu.popup(self.table.viewport().mapToGlobal(position))

    @Slot(QModelIndex)
    def _show_details_at(self, index: QModelIndex) -> None:
        if index.isValid():
            self.show_details(index.row())

    @Slot()
    def _show_current_details(self) -> None:
        self._show_details_at(self.table.currentIndex())

    def show_details(self, view_row: int) -> DocumentDetails:
        """Open the details of the document at a view row, without blocking (``open()``)."""
        if self.details_dialog is not None:
            self.details_dialog.close()
        dialog = DocumentDetails(self.model.row_at(view_row), self.model, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # A bound slot, not a lambda holding the dialog: a closure that outlives the Qt object
        # it refers to crashed the deferred delete (SIGBUS in ~QObject).
        dialog.finished.connect(self._forget_dialog)
        self.details_dialog = dialog
        dialog.open()
        return dialog

    @Slot(int)
    def _forget_dialog(self, _result: int) -> None:
        if self.details_dialog is not None and self.sender() is self.details_dialog:
            self.details_dialog = None


def locations_first(locations: Sequence[str]) -> int:
    """Which of a document's files *Open file* opens: the PDF when one sits beside the UBL
    (what a person reads), else the first written."""
    for number, path in enumerate(locations):
        if PurePath(path.replace("\\", "/")).suffix.lower() == ".pdf":
            return number
    return 0


def _files(rows: Iterable[DocumentRow]) -> list[str]:
    """The file *Open file* opens of each row (:func:`locations_first`), each once, in row
    order."""
    return list(
        dict.fromkeys(
            row.locations[locations_first(row.locations)] for row in rows if row.locations
        )
    )


def open_problem_words(path: str, problem: desktop.OpenProblem) -> str:
    """Why ``path`` did not open, in the person's language."""
    if problem is desktop.OpenProblem.GONE:
        text = QCoreApplication.translate(
            "StatusView",
            "Could not open %1: it is no longer there. The accounting software may have "
            "picked it up, or someone moved it.",
        )
    elif problem is desktop.OpenProblem.NO_APPLICATION:
        kind = PurePath(path.replace("\\", "/")).suffix.lstrip(".").upper() or "?"
        text = QCoreApplication.translate(
            "StatusView",
            "Could not open %1: no program on this computer is set up to open %2 files.",
        ).replace("%2", kind)
    else:
        text = QCoreApplication.translate(
            "StatusView", "Could not open %1: the computer refused to show it."
        )
    return text.replace("%1", path)


def _folders(rows: Iterable[DocumentRow]) -> list[str]:
    return list(dict.fromkeys(str(Path(path).parent) for path in _files(rows)))


def moved_explanation(destinations: Sequence[str]) -> str:
    """What "picked up or moved" means, for the details of a forwarded document."""
    return QCoreApplication.translate(
        "DocumentDetails",
        "Ferry delivered this document to %1, and its files are no longer where Ferry wrote "
        "them: the accounting software picked them up (it usually moves or deletes a file "
        "once it has imported it), or someone moved them. Ferry does not write them again by "
        "itself, so nothing is booked twice. If the accounting software needs them again, "
        "select the document and use Deliver again here: Ferry writes it again into the "
        "destinations it was delivered to.",
    ).replace("%1", ", ".join(destinations))
