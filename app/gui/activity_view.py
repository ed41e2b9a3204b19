"""The Activity tab: the history of sync runs and platform tasks, newest first.

Rows come from the engine's state store (read on a worker thread, never on the GUI thread)
and from live RunStarted and RunFinished events; the model holds plain rows, the view only
shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QHeaderView, QTableView, QVBoxLayout, QWidget

from app.core.failures import Failure, describe
from app.engine.messages import RunFinished, RunStarted
from app.gui.failure_words import failures_of, language_now

Index = QModelIndex | QPersistentModelIndex

_CONTEXT = "ActivityView"


def translated(text: str) -> str:
    """A text marked with ``QT_TRANSLATE_NOOP(_CONTEXT, ...)`` (where lupdate finds it)."""
    return QCoreApplication.translate(_CONTEXT, text)


@dataclass
class RunRow:
    run_id: int
    kind: str
    started: float | None
    finished: float | None
    documents: int
    delivered: int
    failed: int
    message: str | None
    # Per destination, forwarded documents whose files a full sync found gone.
    moved: dict[str, int] = field(default_factory=dict)
    # What stopped the run, as data: worded when shown, in the person's language.
    failures: tuple[Failure, ...] = ()


# Marked for pyside6-lupdate here, translated when shown (so a language switch needs no rebuild).
_KINDS = cast(
    dict[str, str],
    {
        "incremental": QT_TRANSLATE_NOOP("ActivityView", "Incremental"),
        "catch-up": QT_TRANSLATE_NOOP("ActivityView", "Nightly catch-up"),
        "full": QT_TRANSLATE_NOOP("ActivityView", "Full sync"),
        "resend": QT_TRANSLATE_NOOP("ActivityView", "Resend"),
        "retry": QT_TRANSLATE_NOOP("ActivityView", "Retry"),
        "manual": QT_TRANSLATE_NOOP("ActivityView", "Manual"),
    },
)


class ActivityModel(QAbstractTableModel):
    COLUMNS = cast(
        tuple[str, ...],
        (
            QT_TRANSLATE_NOOP("ActivityView", "When"),
            QT_TRANSLATE_NOOP("ActivityView", "Kind"),
            QT_TRANSLATE_NOOP("ActivityView", "Duration"),
            QT_TRANSLATE_NOOP("ActivityView", "Documents"),
            QT_TRANSLATE_NOOP("ActivityView", "Delivered"),
            QT_TRANSLATE_NOOP("ActivityView", "Failed"),
            QT_TRANSLATE_NOOP("ActivityView", "What failed"),
        ),
    )

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[RunRow] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802 - Qt's API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translated(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                moment = row.finished or row.started
                return (
                    dt.datetime.fromtimestamp(moment).strftime("%Y-%m-%d %H:%M:%S")
                    if moment
                    else ""
                )
            if column == 1:
                kind = _KINDS.get(row.kind)
                return translated(kind) if kind is not None else row.kind
            if column == 2:
                if row.finished is None:
                    return QCoreApplication.translate("ActivityView", "running")
                if row.started:
                    return f"{row.finished - row.started:.1f} s"
                return ""  # its start was not seen (it began before the window opened)
            if column == 3:
                return row.documents
            if column == 4:
                return row.delivered
            if column == 5:
                return row.failed
            return self.what_failed(row)
        if role == Qt.ItemDataRole.ToolTipRole and column == 6:
            return self.what_failed(row) or None
        return None

    def moved_words(self, moved: Mapping[str, int]) -> str:
        """A full sync's counts of files gone: "2 picked up or moved from Winbooks"."""
        return "; ".join(
            self.tr("%n picked up or moved from %1", "", count).replace("%1", destination)
            for destination, count in sorted(moved.items())
            if count
        )

    def what_failed(self, row: RunRow) -> str:
        """The "What failed" column: what stopped the run, made from its failures in the
        person's language, and what a full sync found picked up or moved. A run read from an
        older history (no failures kept) shows its message."""
        parts: list[str] = []
        if row.failures:
            parts.append(describe(row.failures, language_now()))
        moved = self.moved_words(row.moved)
        if moved:
            parts.append(moved)
        if not parts and row.message:
            parts.append(row.message)
        return " · ".join(parts)

    def retranslate(self) -> None:
        """Headers and words again after a language switch (the numbers stay)."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 6))

    def row_at(self, position: int) -> RunRow:
        return self._rows[position]

    def set_rows(self, rows: list[RunRow]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda r: r.run_id, reverse=True)
        self.endResetModel()

    def add_started(self, event: RunStarted) -> None:
        """A run just began: it shows first, as running, until its end arrives."""
        if any(row.run_id == event.run_id for row in self._rows):
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(
            0, RunRow(event.run_id, event.kind, dt.datetime.now().timestamp(), None, 0, 0, 0, None)
        )
        self.endInsertRows()

    def add_finished(self, event: RunFinished) -> None:
        """A run just ended: update its row, or put it first."""
        for position, row in enumerate(self._rows):
            if row.run_id == event.run_id:
                row.finished = dt.datetime.now().timestamp()
                row.documents, row.delivered, row.failed = (
                    event.documents,
                    event.delivered,
                    event.failed,
                )
                row.message = event.message
                row.moved = dict(event.moved)
                row.failures = failures_of(event.failures)
                self.dataChanged.emit(self.index(position, 0), self.index(position, 6))
                return
        now = dt.datetime.now().timestamp()
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(
            0,
            RunRow(
                event.run_id,
                event.kind,
                None,
                now,
                event.documents,
                event.delivered,
                event.failed,
                event.message,
                dict(event.moved),
                failures_of(event.failures),
            ),
        )
        self.endInsertRows()


class ActivityView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ActivityModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((150, 130, 80, 90, 90, 70)):
            self.table.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self.model.retranslate()
        super().changeEvent(event)
