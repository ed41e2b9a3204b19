"""The client links screen: which client's documents go to which destination.

Edits are kept as pending changes and written only when the person presses *Save* (or
Ctrl+S), with *Revert* to give them up. A sync client's folders are not a scratch pad: ticking a
box here makes documents appear in the accounting software's import folders, and unticking one
stops deliveries; a mis-click or a half-finished bulk selection must not do either before the
person has looked at the result. The changed clients are shown in bold and counted next to the
buttons until then. Embedded in the wizard (``embedded=True``) there is no *Save*: the wizard
reads :meth:`ClientLinksView.links` (or calls :meth:`ClientLinksView.save`) when the person
moves on.

A new link delivers only documents created from the moment it is saved, as the platform's own
agents do, unless the person picks an earlier day (the *Deliver from* column, or the date next
to the bulk buttons); such a link, or an existing one that gains a destination, is announced by
``catch_up_requested`` after saving, since the changes feed never brings older documents back
and only a full sync of that client can. Clients that do not share their documents are listed,
greyed, and cannot be linked; the tooltip says why.

Saving reads the settings file again and applies only the changed clients to it, on a worker
thread, so neither the disk nor a destination edited meanwhile is ever overwritten from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.api.models import Client
from app.application.settings_changes import apply_links, change_settings
from app.core.language import FALLBACK, Language
from app.engine.messages import ClientInfo
from app.gui.background import Background
from app.gui.client_links_model import (
    ClientFilter,
    ClientLinksModel,
    Column,
    start_of_day,
)
from app.gui.day_edit import NOW, DayEdit
from app.gui.failure_words import language_now
from app.settings import ClientLink, Settings

Index = QModelIndex | QPersistentModelIndex

EARLIEST = NOW
"""The date edits' lowest value, shown as "now": picking no day means "from now"."""

# Column widths in average characters (never ResizeToContents: it measures every row).
_NAME_WIDTH = 32
_DESTINATION_WIDTH = 12
_WIDTHS = {
    Column.FILE_ID: 20,
    Column.VAT: 17,
    Column.VAT_CHECK: 34,
    Column.SHARES: 22,
    Column.LINKED_SINCE: 14,
}


def save_links(
    settings_dir: Path, pending: dict[str, ClientLink | None]
) -> Settings:  # runs on a worker thread
    """Apply the changed clients' links to the settings file as it is now, and write it."""
    return change_settings(settings_dir, lambda current: apply_links(current, pending))


class _StartDelegate(QStyledItemDelegate):
    """Edits *Deliver from* with a date picker; its lowest value reads "now"."""

    def __init__(self, model: ClientLinksModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.links_model = model

    def _is_start(self, index: Index) -> bool:
        proxy = index.model()
        source = proxy.mapToSource(index) if isinstance(proxy, ClientFilter) else index
        column, _ = self.links_model.column_kind(source.column())
        return column is Column.DELIVER_FROM

    def createEditor(  # noqa: N802 - Qt's API
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        if not self._is_start(index):
            return super().createEditor(parent, option, index)
        return start_edit(parent)

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, DayEdit) and self._is_start(index):
            value = index.data(Qt.ItemDataRole.EditRole)
            editor.setDate(value if isinstance(value, QDate) else EARLIEST)
            return
        super().setEditorData(editor, index)

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        if isinstance(editor, DayEdit) and self._is_start(index):
            day = editor.date()
            model.setData(index, None if day == EARLIEST else day, Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


def start_edit(parent: QWidget) -> DayEdit:
    """A day field from which "now" (left empty) is the first choice and no future day can
    be picked (:class:`app.gui.day_edit.DayEdit`)."""
    return DayEdit(parent)


#: The *Show* filter's choices, in English (translated when shown).
_SHOW_WORDS = cast(
    dict[str, str],
    {
        ClientFilter.SHOW_ALL: QT_TRANSLATE_NOOP("ClientLinksView", "All clients"),
        ClientFilter.SHOW_LINKED: QT_TRANSLATE_NOOP("ClientLinksView", "Linked"),
        ClientFilter.SHOW_UNLINKED: QT_TRANSLATE_NOOP("ClientLinksView", "Not linked"),
        ClientFilter.SHOW_CHANGED: QT_TRANSLATE_NOOP("ClientLinksView", "Changed, not saved"),
    },
)


class ClientLinksView(QWidget):
    """The office's clients, searchable, each linked to any of the destinations."""

    saved = Signal(object)  # the new Settings, once written
    save_failed = Signal(str)  # why, in plain words
    links_changed = Signal()  # an edit (for the wizard's Next button)
    catch_up_requested = Signal(list)  # client ids: full-sync them, after ``saved``
    add_destination_requested = Signal()  # from the "no destination yet" message

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        language: Language = FALLBACK,
        embedded: bool = False,
    ) -> None:
        super().__init__(parent)
        self.embedded = embedded
        self.settings_dir: Path | None = None
        self.saving = False
        self._columns: list[str] | None = None
        self._catch_up: list[str] = []
        self.background = Background(self)
        self.model = ClientLinksModel(language, self)
        self.proxy = ClientFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.model.dataChanged.connect(self._edited)
        self.model.modelReset.connect(self._reshaped)
        self.model.rowsInserted.connect(self._reshaped)
        self._reshaped()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        """The widgets; their words are :meth:`_retranslate`'s, so that a language switch
        applies at once."""
        self.intro = intro = QLabel(self)
        intro.setWordWrap(True)

        self.no_destination = QLabel(self)
        self.no_destination.setWordWrap(True)
        self.add_destination = QPushButton(self)
        self.add_destination.clicked.connect(self.add_destination_requested)
        self.no_destination_bar = QWidget(self)
        bar = QHBoxLayout(self.no_destination_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.no_destination, 1)
        bar.addWidget(self.add_destination)

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search)
        self.show_filter = QComboBox(self)
        for key in _SHOW_WORDS:
            self.show_filter.addItem("", key)
        self.show_filter.currentIndexChanged.connect(self._show_changed)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.show_filter)

        self.destination = QComboBox(self)
        self.start = start_edit(self)
        self.link_selected = QPushButton(self)
        self.unlink_selected = QPushButton(self)
        self.link_shown = QPushButton(self)
        self.unlink_shown = QPushButton(self)
        self.link_selected.clicked.connect(lambda: self.link_rows(self.selected_rows(), True))
        self.unlink_selected.clicked.connect(lambda: self.link_rows(self.selected_rows(), False))
        self.link_shown.clicked.connect(lambda: self.link_rows(self.shown_rows(), True))
        self.unlink_shown.clicked.connect(lambda: self.link_rows(self.shown_rows(), False))
        bulk = QHBoxLayout()
        self.destination_label = QLabel(self)
        self.start_label = QLabel(self)
        bulk.addWidget(self.destination_label)
        bulk.addWidget(self.destination)
        bulk.addWidget(self.start_label)
        bulk.addWidget(self.start)
        for button in (self.link_selected, self.unlink_selected, self.link_shown):
            bulk.addWidget(button)
        bulk.addWidget(self.unlink_shown)
        bulk.addStretch(1)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setItemDelegate(_StartDelegate(self.model, self.table))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.notice = QLabel("", self)
        self.notice.setWordWrap(True)
        self.counts = QLabel("", self)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.revert_button = QPushButton(self)
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        save_action = QAction(self)
        save_action.setShortcut(QKeySequence.StandardKey.Save)
        save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_action.triggered.connect(self.save)
        self.addAction(save_action)
        footer = QHBoxLayout()
        footer.addWidget(self.counts, 1)
        footer.addWidget(self.revert_button)
        footer.addWidget(self.save_button)
        if self.embedded:
            self.revert_button.hide()
            self.save_button.hide()
            save_action.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.no_destination_bar)
        layout.addLayout(search_row)
        layout.addLayout(bulk)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.notice)
        layout.addWidget(self.error)
        layout.addLayout(footer)
        self._retranslate()

    def _retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "Tick a destination to deliver a client's documents there. Only documents "
                "created after a client is linked are delivered, unless you pick an earlier "
                "day under “Deliver from”."
            )
        )
        self.no_destination.setText(
            self.tr(
                "No destination yet: add one first (where the accounting software reads its "
                "documents), then link clients to it here."
            )
        )
        self.add_destination.setText(self.tr("Add a destination…"))
        self.search.setPlaceholderText(self.tr("Search by name, VAT number or file id"))
        for index in range(self.show_filter.count()):
            key = self.show_filter.itemData(index)
            self.show_filter.setItemText(index, self.tr(_SHOW_WORDS[key]))
        self.destination.setToolTip(self.tr("The destination the buttons link to or unlink from."))
        self.start.setToolTip(
            self.tr(
                "New links made with the buttons deliver documents created from this day on; "
                "“now” delivers only documents created after saving."
            )
        )
        self.link_selected.setText(self.tr("Link selected"))
        self.unlink_selected.setText(self.tr("Unlink selected"))
        self.link_shown.setText(self.tr("Link all shown"))
        self.unlink_shown.setText(self.tr("Unlink all shown"))
        self.destination_label.setText(self.tr("Destination:"))
        self.start_label.setText(self.tr("Deliver from:"))
        self.revert_button.setText(self.tr("Revert"))
        self.revert_button.setToolTip(self.tr("Give up the changes not saved yet."))
        self.save_button.setText(self.tr("Save"))

    def _fit_headers(self) -> None:
        """No header word clipped, in any language: a column narrower than its header (with
        the sort arrow's room) grows to it; wider ones stay as they are."""
        header = self.table.horizontalHeader()
        for section in range(header.count()):
            needed = header.sectionSizeHint(section)
            if header.sectionSize(section) < needed:
                header.resizeSection(section, needed)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        """A language switch: every word here, the model's (headers, VAT reasons, dates),
        the counts and the empty table's line, at once."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.model.retranslate(language_now())
            self.notice.setText("")  # what happened, said in the language of then
            self._reshaped()
        super().changeEvent(event)

    # -- the public interface ------------------------------------------------------------------

    def set_clients(self, clients: Sequence[Client | ClientInfo]) -> None:
        """The office's clients as the platform lists them; edits in progress are kept."""
        self.model.set_clients(clients)
        self._reshaped()

    def set_settings(self, settings: Settings) -> None:
        """The settings on file: destinations become columns, saved links are ticked.

        Clients the person changed and did not save yet keep their changes.
        """
        self.model.set_settings(settings)
        self._reshaped()

    def rename_destination(self, old: str, new: str) -> None:
        """A destination was renamed: its column and what is ticked in it (saved or not) follow."""
        self.model.rename_destination(old, new)
        self._reshaped()

    def set_settings_dir(self, path: Path) -> None:
        """Where *Save* writes ``settings.json``."""
        self.settings_dir = path
        self._update_buttons()

    def links(self) -> list[ClientLink]:
        """Every link as edited (a new one starts now, the moment of asking)."""
        return self.model.links()

    def has_pending_changes(self) -> bool:
        return self.model.pending_count() > 0

    @Slot()
    def save(self) -> None:
        """Write the changed clients' links (on a worker thread); ``saved`` tells when done."""
        if self.saving or self.settings_dir is None or not self.has_pending_changes():
            return
        now = dt.datetime.now(dt.UTC)
        pending = self.model.pending(now)
        self._catch_up = self.model.catch_up(now)
        self._set_saving(True)
        folder = self.settings_dir
        self.background.run(
            lambda: save_links(folder, pending),
            self._saved,
            self._save_failed,
            name="ferry-save-links",
        )

    @Slot()
    def revert(self) -> None:
        self.model.revert()
        self.notice.setText("")
        self._update_buttons()

    # -- bulk actions --------------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return sorted({self.proxy.mapToSource(index).row() for index in rows})

    def shown_rows(self) -> list[int]:
        return [
            self.proxy.mapToSource(self.proxy.index(row, 0)).row()
            for row in range(self.proxy.rowCount())
        ]

    def link_rows(self, rows: Sequence[int], linked: bool, destination: str | None = None) -> None:
        """Link ``rows`` to (or unlink them from) ``destination``, the chosen one by default."""
        name = destination or self.destination.currentData()
        if not name or not rows:
            return
        new = [row for row in rows if not self.model.client_row(row).destinations]
        changed, refused = self.model.set_linked(rows, name, linked)
        day = self.start.date()
        if linked and day != EARLIEST:
            self.model.set_start(new, start_of_day(day))
        words = []
        if changed:
            text = self.tr("%n client(s) linked to “%1”.", "", changed)
            if not linked:
                text = self.tr("%n client(s) unlinked from “%1”.", "", changed)
            words.append(text.replace("%1", name))
        if refused:
            words.append(
                self.tr(
                    "%n client(s) left out: they do not share their documents with your office.",
                    "",
                    refused,
                )
            )
        if not words:
            words.append(self.tr("Nothing to change."))
        self.notice.setText(" ".join(words))

    # -- reacting ------------------------------------------------------------------------------

    @Slot(str)
    def _search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_counts()

    @Slot(int)
    def _show_changed(self, _index: int) -> None:
        self.proxy.set_show(self.show_filter.currentData())
        self._update_counts()

    @Slot()
    def _edited(self) -> None:
        self.error.hide()
        self._update_buttons()
        self.links_changed.emit()

    @Slot()
    def _reshaped(self) -> None:
        chosen = self.destination.currentData()
        self.destination.clear()
        for name in self.model.destinations:
            self.destination.addItem(name, name)
        if chosen in self.model.destinations:
            self.destination.setCurrentIndex(self.model.destinations.index(chosen))
        if self._columns != self.model.destinations:  # a refresh keeps the person's widths
            self._columns = self.model.destinations
            header = self.table.horizontalHeader()
            width = self.table.fontMetrics().averageCharWidth()
            header.resizeSection(0, _NAME_WIDTH * width)
            for name in self._columns:
                column = self.model.destination_column(name)
                header.resizeSection(column, max(_DESTINATION_WIDTH, len(name) + 4) * width)
            for fixed, chars in _WIDTHS.items():
                header.resizeSection(self.model.column_of(fixed), chars * width)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._fit_headers()
        self.no_destination_bar.setVisible(not self.model.destinations)
        self.empty.setText(
            self.tr(
                "No clients yet: your office has no clients on the platform. They appear "
                "here as soon as it lists some."
            )
            if self.model.clients_known
            else self.tr("Waiting for the platform's list of clients…")
        )
        if self.model.rowCount() == 0:
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
        self._update_buttons()

    def _update_buttons(self) -> None:
        pending = self.model.pending_count()
        has_destination = bool(self.model.destinations)
        selected = bool(self.table.selectionModel().selectedRows())
        idle = not self.saving
        for button in (self.link_selected, self.unlink_selected):
            button.setEnabled(idle and has_destination and selected)
        for button in (self.link_shown, self.unlink_shown):
            button.setEnabled(idle and has_destination and self.proxy.rowCount() > 0)
        self.destination.setEnabled(has_destination)
        self.start.setEnabled(has_destination)
        self.save_button.setEnabled(idle and pending > 0 and self.settings_dir is not None)
        self.revert_button.setEnabled(idle and pending > 0)
        self._update_counts()

    def _update_counts(self) -> None:
        total = self.model.rowCount()
        linked = sum(1 for row in self.model.rows() if row.destinations)
        words = self.tr("%1 of %2 clients shown · %3 linked")
        words = (
            words.replace("%1", str(self.proxy.rowCount()))
            .replace("%2", str(total))
            .replace("%3", str(linked))
        )
        pending = self.model.pending_count()
        if pending and self.embedded:  # the wizard writes the links when the person finishes
            words += " · " + self.tr("%n change(s) will be saved when you finish", "", pending)
        elif pending:
            words += " · " + self.tr("%n change(s) not saved yet", "", pending)
        elif self.saving:
            words += " · " + self.tr("saving…")
        self.counts.setText(words)

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.table.setEnabled(not saving)
        if saving:
            self.error.hide()
        self._update_buttons()

    def _saved(self, settings: Settings) -> None:
        self.model.set_settings(settings, keep_edits=False)
        self._set_saving(False)
        self.notice.setText(self.tr("Saved. Ferry delivers to the new links from now on."))
        self._reshaped()
        self.saved.emit(settings)
        if self._catch_up:
            self.catch_up_requested.emit(self._catch_up)

    def _save_failed(self, error: BaseException) -> None:
        self._set_saving(False)
        words = self.tr("The links could not be saved: %1. Your changes are kept; try again.")
        words = words.replace("%1", str(error))
        self.error.setText(words)
        self.error.show()
        self.save_failed.emit(words)
