"""The Activity tab: the history of sync runs and platform tasks, newest first.

Rows come from the engine's state store (read on a worker thread, never on the GUI thread)
and from live RunStarted, RunProgress and RunFinished events; the model holds plain rows, the
view only shows them. Times are the engine's (the events carry them), so a run shows the same
start and duration live and after a restart. Continuous syncing is one row per period whose
counts grow (RunProgress) until it ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView, QVBoxLayout, QWidget

from app.core.failures import Failure, describe
from app.engine.messages import FailedDocument, RunFinished, RunProgress, RunStarted
from app.gui.failure_words import failures_of, language_now, without_foreign_words
from app.gui.i18n import ferry_locale

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
    # The client it was for (a platform task's, a full sync of one client).
    client_name: str | None = None
    client_id: str | None = None
    # The documents that failed in it, with their failures (the first ones of ``failed``).
    failed_documents: tuple[FailedRow, ...] = ()
    # Cut short: by the engine stopping, or left open by a crash and ended at the next start.
    interrupted: bool = False


@dataclass(frozen=True)
class FailedRow:
    """A document that failed in a run: its number (or id) and why, as data."""

    document_id: str
    number: str
    failures: tuple[Failure, ...]

    @classmethod
    def of(cls, item: FailedDocument | Mapping[str, Any]) -> FailedRow:
        if isinstance(item, FailedDocument):
            return cls(item.document_id, item.number, failures_of(item.failures))
        return cls(
            str(item.get("document_id", "")),
            str(item.get("number") or ""),
            failures_of(item.get("failures") or []),
        )


def failed_rows(
    items: Iterable[FailedDocument | Mapping[str, Any]] | None,
) -> tuple[FailedRow, ...]:
    return tuple(FailedRow.of(item) for item in items or ())


def run_row(run: Mapping[str, Any]) -> RunRow:
    """A run as the state keeps it (``StateStore.runs`` as a dict, or the same over the
    channel); keys a older engine does not send take their defaults."""
    return RunRow(
        run["id"],
        run["kind"],
        run["started"],
        run["finished"],
        run["documents"],
        run["delivered"],
        run["failed"],
        run["message"],
        dict(run.get("moved") or {}),
        failures_of(run.get("failures") or []),
        run.get("client_name"),
        run.get("client_id"),
        failed_rows(run.get("failed_documents")),
        bool(run.get("interrupted")),
    )


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
        "deliver-again": QT_TRANSLATE_NOOP("ActivityView", "Deliver again"),
        "continuous": QT_TRANSLATE_NOOP("ActivityView", "Continuous sync"),
        "task-full": QT_TRANSLATE_NOOP("ActivityView", "Platform task: full sync"),
        "task-resend": QT_TRANSLATE_NOOP("ActivityView", "Platform task: resend"),
    },
)
# The same kinds for one client ("%1": its name).
_KINDS_OF_CLIENT = cast(
    dict[str, str],
    {
        "full": QT_TRANSLATE_NOOP("ActivityView", "Full sync of %1"),
        "task-full": QT_TRANSLATE_NOOP("ActivityView", "Platform task: full sync of %1"),
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
                moment = row.started or row.finished
                return (
                    dt.datetime.fromtimestamp(moment).strftime("%Y-%m-%d %H:%M:%S")
                    if moment
                    else ""
                )
            if column == 1:
                return self.kind_words(row)
            if column == 2:
                if row.finished is None:
                    return QCoreApplication.translate("ActivityView", "running")
                if row.interrupted:
                    # "interrupted after 3 min 5 s", or just "interrupted" (when it was last
                    # seen at work is not known).
                    if row.started and row.finished > row.started:
                        return self.tr("interrupted after %1").replace(
                            "%1", self.duration_words(row.finished - row.started)
                        )
                    return self.tr("interrupted")
                if row.started:
                    return self.duration_words(row.finished - row.started)
                return ""  # its start was not seen (an older engine's event)
            if column == 3:
                return row.documents
            if column == 4:
                return row.delivered
            if column == 5:
                return row.failed
            return self.what_failed(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 6:
                return self.what_failed(row, whole=True) or None
            if column in (1, 2):  # a platform task's client, "interrupted after ...": in full
                return self.data(index, Qt.ItemDataRole.DisplayRole) or None
        return None

    def kind_words(self, row: RunRow) -> str:
        """The run's kind in the person's language, with its client's name when it has one."""
        if row.client_name:
            of_client = _KINDS_OF_CLIENT.get(row.kind)
            if of_client is not None:
                return translated(of_client).replace("%1", row.client_name)
        kind = _KINDS.get(row.kind)
        return translated(kind) if kind is not None else row.kind

    def duration_words(self, seconds: float) -> str:
        """A run's length: "4.2 s" ("4,2 s" in French and Dutch), "3 min 5 s", "1 h 02 min"."""
        seconds = max(0.0, seconds)
        if seconds < 60:
            return self.tr("%1 s").replace("%1", ferry_locale().toString(seconds, "f", 1))
        whole = int(seconds)
        if whole < 3600:
            return (
                self.tr("%1 min %2 s")
                .replace("%1", str(whole // 60))
                .replace("%2", str(whole % 60))
            )
        return (
            self.tr("%1 h %2 min")
            .replace("%1", str(whole // 3600))
            .replace("%2", f"{whole % 3600 // 60:02d}")
        )

    def failed_words(self, row: RunRow, *, whole: bool) -> str:
        """The documents that failed, each with why: the first one and how many more (the
        cell), or each on its own line (the tooltip)."""
        language = language_now()

        def why(failures: tuple[Failure, ...]) -> str:
            # the cell leaves out the system's own words (in the system's language), as the
            # documents' message column does; the tooltip keeps them, as the details do
            return describe(failures if whole else without_foreign_words(failures), language)

        lines = [
            f"{failed.number or failed.document_id}: {why(tuple(failed.failures))}"
            if failed.failures
            else failed.number or failed.document_id
            for failed in row.failed_documents
        ]
        if not lines:
            return ""
        more = max(row.failed, len(lines)) - (len(lines) if whole else 1)
        shown = lines if whole else lines[:1]
        if more > 0:
            shown.append(self.tr("and %n more document(s)", "", more))
        return ("\n" if whole else " ").join(shown)

    def moved_words(self, moved: Mapping[str, int]) -> str:
        """A full sync's counts of files gone: "2 picked up or moved from Winbooks"."""
        return "; ".join(
            self.tr("%n picked up or moved from %1", "", count).replace("%1", destination)
            for destination, count in sorted(moved.items())
            if count
        )

    def what_failed(self, row: RunRow, *, whole: bool = False) -> str:
        """The "What failed" column: the documents that failed with why, what stopped the run,
        made from their failures in the person's language, and what a full sync found picked
        up or moved (``whole``: every document kept, for the tooltip). A run read from an
        older history (no failures kept) shows its message."""
        parts: list[str] = []
        documents = self.failed_words(row, whole=whole)
        if documents:
            parts.append(documents)
        if row.failures:
            failures = tuple(row.failures)
            shown = failures if whole else without_foreign_words(failures)
            parts.append(describe(shown, language_now()))
        moved = self.moved_words(row.moved)
        if moved:
            parts.append(moved)
        if not parts and row.message:
            parts.append(row.message)
        return ("\n" if whole else " · ").join(parts)

    def retranslate(self) -> None:
        """Headers and words again after a language switch (the numbers stay)."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._rows) - 1, 6))

    def row_at(self, position: int) -> RunRow:
        return self._rows[position]

    def set_rows(self, rows: list[RunRow]) -> None:
        """The history read from the store. It was read on another thread while events kept
        coming: a row those events already finished (or a run it does not hold yet) stays as
        the events left it, never back to "running"."""
        live = {row.run_id: row for row in self._rows}
        merged: dict[int, RunRow] = {}
        for row in rows:
            seen = live.get(row.run_id)
            newer = seen is not None and seen.finished is not None and row.finished is None
            merged[row.run_id] = seen if newer and seen is not None else row
        oldest_read = min((row.run_id for row in rows), default=None)
        for run_id, row in live.items():
            if run_id not in merged and (oldest_read is None or run_id > oldest_read):
                merged[run_id] = row
        self.beginResetModel()
        self._rows = sorted(merged.values(), key=lambda r: r.run_id, reverse=True)
        if self._rows:
            self._end_older_than(self._rows[0].run_id, tell=False)
        self.endResetModel()

    def _end_older_than(self, run_id: int, *, tell: bool = True) -> None:
        """An engine has at most one run open, its newest: an older one still open was cut
        short by a crash or a kill (the engine ends it in its state file when it starts,
        which a history read just before did not see). It shows interrupted, not running."""
        for position, row in enumerate(self._rows):
            if row.run_id < run_id and row.finished is None:
                row.finished = row.started or dt.datetime.now().timestamp()
                row.interrupted = True
                if tell:
                    self._changed(position)

    def _position(self, run_id: int) -> int | None:
        for position, row in enumerate(self._rows):
            if row.run_id == run_id:
                return position
        return None

    def _insert(self, row: RunRow) -> None:
        """A run not shown yet, in its place (newest first)."""
        position = next(
            (i for i, shown in enumerate(self._rows) if shown.run_id < row.run_id),
            len(self._rows),
        )
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self.endInsertRows()

    def _changed(self, position: int) -> None:
        self.dataChanged.emit(self.index(position, 0), self.index(position, 6))

    def add_started(self, event: RunStarted) -> None:
        """A run just began: it shows first, as running, until its end arrives."""
        if self._position(event.run_id) is not None:
            return
        started = event.started if event.started is not None else dt.datetime.now().timestamp()
        row = RunRow(event.run_id, event.kind, started, None, 0, 0, 0, None)
        row.client_id, row.client_name = event.client_id, event.client_name
        self._insert(row)
        self._end_older_than(event.run_id)

    def add_progress(self, event: RunProgress) -> None:
        """An open run grew (continuous syncing's period): its counts so far, still running."""
        position = self._position(event.run_id)
        if position is None:
            row = RunRow(event.run_id, event.kind, event.started, None, 0, 0, 0, None)
            self._insert(row)
            self._end_older_than(event.run_id)
            position = self._position(event.run_id)
            assert position is not None
        row = self._rows[position]
        if row.finished is not None:  # its end came first (events from two sources)
            return
        row.documents, row.delivered, row.failed = event.documents, event.delivered, event.failed
        row.failed_documents = failed_rows(event.failed_documents)
        if row.started is None:
            row.started = event.started
        self._changed(position)

    def add_finished(self, event: RunFinished) -> None:
        """A run just ended: update its row, or put it in its place."""
        finished = event.finished if event.finished is not None else dt.datetime.now().timestamp()
        position = self._position(event.run_id)
        if position is None:
            self._insert(RunRow(event.run_id, event.kind, event.started, None, 0, 0, 0, None))
            position = self._position(event.run_id)
            assert position is not None
        row = self._rows[position]
        row.finished = finished
        if event.started is not None:
            row.started = event.started
        row.documents, row.delivered, row.failed = event.documents, event.delivered, event.failed
        row.message = event.message
        row.moved = dict(event.moved)
        row.failures = failures_of(event.failures)
        row.failed_documents = failed_rows(event.failed_documents)
        row.interrupted = event.interrupted
        if event.client_id or event.client_name:
            row.client_id, row.client_name = event.client_id, event.client_name
        self._changed(position)
        self._end_older_than(event.run_id)


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
        # Kind and Duration hold "Platform task: full sync of <client>", "interrupted after
        # 3 min 5 s" (and their tooltips say it in full).
        for column, width in enumerate((150, 220, 130, 90, 90, 70)):
            self.table.setColumnWidth(column, width)
        self._fit_kinds()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def _fit_kinds(self) -> None:
        """Every kind's words whole in the Kind column, in the language now spoken
        ("Tâche de la plateforme : synchronisation complète"); a client's name after them may
        be cut (the tooltip has it all). Only grows: a width the person chose stays."""
        metrics = self.table.fontMetrics()
        margin = 2 * (self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        widest = max(metrics.horizontalAdvance(translated(kind)) for kind in _KINDS.values())
        if self.table.columnWidth(1) < widest + margin + 4:
            self.table.setColumnWidth(1, widest + margin + 4)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self.model.retranslate()
            self._fit_kinds()
        super().changeEvent(event)
