"""The Destinations tab: the configured destinations as a table (name, format, folders, linked
clients), with *Add…*, *Edit…* and *Remove…*. Adding and editing open the destination editor
(the app does that on the signals); removing asks first, saying what happens to the links.

Folders are elided in the middle, so the end of a path (the folder the accounting software
reads) stays in sight at any width; the whole path is in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.destinations_model import (
    LINES_ROLE,
    NAME_ROLE,
    SORT_ROLE,
    Column,
    DestinationsModel,
)
from app.settings import Settings

Index = QModelIndex | QPersistentModelIndex


class DestinationsTable(QTableView):
    """The destinations' table, one row per destination."""

    def count(self) -> int:
        """How many destinations it shows."""
        model = self.model()
        return 0 if model is None else model.rowCount()


def elided_line(before: str, path: str, metrics: QFontMetrics, width: int) -> str:
    """``before`` and ``path`` in ``width`` pixels: the path cut in the middle, so its start
    and its end (the folder that matters) stay; the words before it stay whole while there
    is room for them and a few letters of the path."""
    whole = before + path
    if metrics.horizontalAdvance(whole) <= width:
        return whole
    room = width - metrics.horizontalAdvance(before)
    if before and room >= metrics.horizontalAdvance("…") + 6 * metrics.averageCharWidth():
        shown = before + metrics.elidedText(path, Qt.TextElideMode.ElideMiddle, room)
        if metrics.horizontalAdvance(shown) <= width:
            return shown
    return metrics.elidedText(whole, Qt.TextElideMode.ElideMiddle, max(width, 0))


class MiddleElidedLines(QStyledItemDelegate):
    """Paints a cell's lines (``LINES_ROLE``: words before a path, the path) one under the
    other, each path elided in the middle; the selection, focus and background are the
    style's own."""

    def text_width(self, option: QStyleOptionViewItem) -> int:
        """The pixels a line has in a cell of ``option``'s size, as the style lays it out."""
        style = option.widget.style() if option.widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, option.widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, option.widget)
        return rect.width() - 2 * (margin + 1)

    def shown_lines(self, option: QStyleOptionViewItem, index: Index) -> list[str]:
        """The lines as painted in a cell of ``option``'s size."""
        parts = index.data(LINES_ROLE)
        if not isinstance(parts, list):
            return []
        width = self.text_width(option)
        return [elided_line(before, path, option.fontMetrics, width) for before, path in parts]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        lines = self.shown_lines(cell, index)
        style = cell.widget.style() if cell.widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, cell, cell.widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, cell.widget) + 1
        rect = rect.adjusted(margin, 0, -margin, 0)
        cell.text = ""  # the style draws the cell; the lines are ours
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, cell.widget)
        selected = bool(cell.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Normal
            if cell.state & QStyle.StateFlag.State_Active
            else QPalette.ColorGroup.Inactive
        )
        if not cell.state & QStyle.StateFlag.State_Enabled:
            group = QPalette.ColorGroup.Disabled
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        height = cell.fontMetrics.lineSpacing()
        top = rect.top() + max(0, (rect.height() - height * len(lines)) // 2)
        painter.save()
        painter.setFont(cell.font)
        painter.setPen(cell.palette.color(group, role))
        for number, line in enumerate(lines):
            self._draw_line(
                painter, QRect(rect.left(), top + number * height, rect.width(), height), line
            )
        painter.restore()

    def _draw_line(self, painter: QPainter, rect: QRect, text: str) -> None:
        """One line, already elided (where a test watches what is painted)."""
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )


class DestinationsView(QWidget):
    """The configured destinations; adding and editing open the destination editor, removing
    asks first (naming the clients that will no longer be delivered there)."""

    add_requested = Signal()
    edit_requested = Signal(str)
    remove_requested = Signal(str)  # confirmed by the person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DestinationsModel(self._clients_words, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortLocaleAware(True)
        self.table = DestinationsTable(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in Column:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.FOLDERS, QHeaderView.ResizeMode.Stretch)
        self.folders = MiddleElidedLines(self.table)
        self.table.setItemDelegateForColumn(Column.FOLDERS, self.folders)
        # The settings' order first (the order the person made them in, the Clients tab's
        # columns); a header click sorts, a third click goes back to that order.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorClearable(True)
        self.table.setSortingEnabled(True)
        self.empty = QLabel(self)  # said instead of an empty grid
        self.empty.setObjectName("no-destination-yet")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.add = QPushButton(self)
        self.edit = QPushButton(self)
        self.remove = QPushButton(self)
        self.remove_question: QMessageBox | None = None  # open while the person decides
        self._remove_name = ""
        self._settings: Settings | None = None
        self.add.clicked.connect(self.add_requested)
        self.edit.clicked.connect(self._edit)
        self.remove.clicked.connect(self.ask_remove)
        self.table.doubleClicked.connect(self._edit_at)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.edit)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._retranslate()
        self._update_buttons()

    def _retranslate(self) -> None:
        self.add.setText(self.tr("Add…"))
        self.edit.setText(self.tr("Edit…"))
        self.remove.setText(self.tr("Remove…"))
        self.empty.setText(
            self.tr(
                "There is no destination yet. Use Add… to choose the folders your accounting "
                "software imports its documents from."
            )
        )
        self.model.retranslate()  # headers and words; the rows and the selection stay

    def _clients_words(self, count: int) -> str:
        return self.tr("%n client(s)", "", count)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def show_settings(self, settings: Settings) -> None:
        chosen = self.chosen()
        self._settings = settings
        self.model.set_settings(settings)
        if chosen is not None:  # still chosen after a refresh
            self.select(chosen)
        none = not settings.destinations
        self.stack.setCurrentWidget(self.empty if none else self.table)
        self._update_buttons()

    def names(self) -> list[str]:
        """The destinations' names in the order the table shows them."""
        return [
            str(self.proxy.index(row, 0).data(NAME_ROLE)) for row in range(self.proxy.rowCount())
        ]

    def count(self) -> int:
        return self.proxy.rowCount()

    def select(self, name: str) -> bool:
        """Select the row of the destination named ``name``; False when there is none."""
        row = self.model.row_of(name)
        if row is None:
            return False
        shown = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(shown.row())
        self.table.scrollTo(shown)
        return True

    def chosen(self) -> str | None:
        """The name of the destination selected in the table, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return str(rows[0].data(NAME_ROLE))

    @Slot(QItemSelection, QItemSelection)
    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.chosen() is not None
        self.edit.setEnabled(chosen)
        self.remove.setEnabled(chosen)

    def _edit(self) -> None:
        name = self.chosen()
        if name is not None:
            self.edit_requested.emit(name)

    @Slot(QModelIndex)
    def _edit_at(self, index: QModelIndex) -> None:
        """A double click edits the row clicked (which the click has selected)."""
        if index.isValid():
            self.edit_requested.emit(str(index.data(NAME_ROLE)))

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
