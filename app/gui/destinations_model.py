"""The configured destinations as a table model: one row per destination, with its name, its
delivery format in words, its folders and how many clients are linked to it.

The model keeps the settings' own values and puts them into words when a cell is shown, in the
language Qt's translator speaks now: a language switch needs only :meth:`retranslate`, not a
rebuild (and so keeps the person's selection). Its words are in the ``DestinationsView``
context: the table is that view's, and its texts ("%n client(s)") were translated there first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from app.core.kinds import DocumentKind
from app.gui.failure_words import language_now
from app.settings import DeliveryFormat, Destination, Settings

Index = QModelIndex | QPersistentModelIndex

CONTEXT = "DestinationsView"

NAME_ROLE = Qt.ItemDataRole.UserRole
"""The destination's name, on every cell of its row (what the view's buttons act on)."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""What a column sorts by: its words whatever their case, or the number of clients."""
LINES_ROLE = Qt.ItemDataRole.UserRole + 2
"""The folders column as lines (one per kind, or the general path), each a pair of the words
before the path and the path: the delegate elides the path in the middle."""


class Column(IntEnum):
    NAME = 0
    FORMAT = 1
    FOLDERS = 2
    CLIENTS = 3


# Marked for pyside6-lupdate here, translated when shown.
_HEADERS = cast(
    tuple[str, ...],
    (
        QT_TRANSLATE_NOOP("DestinationsView", "Name"),
        QT_TRANSLATE_NOOP("DestinationsView", "Format"),
        QT_TRANSLATE_NOOP("DestinationsView", "Folders"),
        QT_TRANSLATE_NOOP("DestinationsView", "Linked clients"),
    ),
)
COLUMN_COUNT = len(_HEADERS)

FORMAT_WORDS = cast(
    dict[DeliveryFormat, str],
    {
        DeliveryFormat.UBL: QT_TRANSLATE_NOOP("DestinationsView", "UBL only"),
        DeliveryFormat.UBL_PDF: QT_TRANSLATE_NOOP("DestinationsView", "UBL and PDF"),
        DeliveryFormat.PDF: QT_TRANSLATE_NOOP("DestinationsView", "PDF only"),
    },
)

_KIND_FOLDER = cast(str, QT_TRANSLATE_NOOP("DestinationsView", "{kind}: {path}"))


def _tr(text: str) -> str:
    """A text marked with QT_TRANSLATE_NOOP above, in the language spoken now."""
    return QCoreApplication.translate(CONTEXT, text)


def format_words(value: DeliveryFormat) -> str:
    """A delivery format as a person reads it, in the language spoken now."""
    return _tr(FORMAT_WORDS[value])


def folder_parts(destination: Destination) -> list[tuple[str, str]]:
    """Where a destination writes, as (words before the path, path) per line: its general
    path alone, or one line per kind it has a folder for (in the kinds' order, named with the
    kind's own words)."""
    if destination.general_path:
        return [("", destination.general_path)]
    language = language_now()
    words = _tr(_KIND_FOLDER)
    parts = []
    for kind in DocumentKind:
        if kind not in destination.paths:
            continue
        path, label = destination.paths[kind], kind.label(language)
        if words.endswith("{path}"):  # the kind's words stay whole, the path is elided
            parts.append((words.removesuffix("{path}").format(kind=label), path))
        else:  # a translation that puts the path first: the line is elided as a whole
            parts.append(("", words.format(kind=label, path=path)))
    return parts


def folder_lines(destination: Destination) -> list[str]:
    """Where a destination writes, one line per path, in full."""
    return [before + path for before, path in folder_parts(destination)]


@dataclass(frozen=True)
class _Row:
    destination: Destination
    linked: int  # clients linked to it


class DestinationsModel(QAbstractTableModel):
    """The settings' destinations, in the settings' order (a view sorts through a proxy).

    ``count_words`` says how many clients are linked ("%n client(s)"): its view's ``tr``,
    which pyside6-lupdate reads as a text with plural forms (it does not read
    ``QCoreApplication.translate``'s count)."""

    def __init__(self, count_words: Callable[[int], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._count_words = count_words
        self._rows: list[_Row] = []

    def set_settings(self, settings: Settings) -> None:
        """Show these settings' destinations (a reset: a view keeps its selection by name)."""
        self.beginResetModel()
        self._rows = [
            _Row(d, sum(1 for link in settings.links if d.name in link.destinations))
            for d in settings.destinations
        ]
        self.endResetModel()

    def retranslate(self) -> None:
        """Words again in the language spoken now: headers and every cell."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        if self._rows:
            last = self.index(len(self._rows) - 1, COLUMN_COUNT - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def names(self) -> list[str]:
        return [row.destination.name for row in self._rows]

    def row_of(self, name: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.destination.name == name:
                return number
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(  # noqa: N802 - Qt's API
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _tr(_HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == NAME_ROLE:
            return row.destination.name
        if role == Qt.ItemDataRole.DisplayRole:
            return self._words(row, column)
        if role == SORT_ROLE:
            if column == Column.CLIENTS:
                return row.linked
            words = self._words(row, column)
            return None if words is None else words.casefold()
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.FOLDERS:
            return "\n".join(folder_lines(row.destination))  # the whole of every path
        if role == LINES_ROLE and column == Column.FOLDERS:
            return folder_parts(row.destination)
        return None

    def _words(self, row: _Row, column: int) -> str | None:
        if column == Column.NAME:
            return row.destination.name
        if column == Column.FORMAT:
            return format_words(row.destination.format)
        if column == Column.FOLDERS:
            return "\n".join(folder_lines(row.destination))
        if column == Column.CLIENTS:
            return self._count_words(row.linked)
        return None
