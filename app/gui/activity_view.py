"""The Activity tab: the history of sync runs and platform tasks, newest first.

Rows come from the engine's state store (read on a worker thread, never on the GUI thread)
and from live RunFinished events; the model holds plain rows, the view only shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QHeaderView, QTableView, QVBoxLayout, QWidget

from app.engine.messages import RunFinished

Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("ActivityView", text)


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


_KINDS = {
    "incremental": "Incremental",
    "catch-up": "Nightly catch-up",
    "full": "Full sync",
    "resend": "Resend",
    "retry": "Retry",
    "manual": "Manual",
}


class ActivityModel(QAbstractTableModel):
    COLUMNS = ("When", "Kind", "Duration", "Documents", "Delivered", "Failed", "What failed")

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
            return tr(self.COLUMNS[section])
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
                return tr(_KINDS.get(row.kind, row.kind))
            if column == 2:
                if row.started and row.finished:
                    return f"{row.finished - row.started:.1f} s"
                return tr("running")
            if column == 3:
                return row.documents
            if column == 4:
                return row.delivered
            if column == 5:
                return row.failed
            return row.message or ""
        if role == Qt.ItemDataRole.ToolTipRole and column == 6:
            return row.message
        return None

    def set_rows(self, rows: list[RunRow]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda r: r.run_id, reverse=True)
        self.endResetModel()

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
