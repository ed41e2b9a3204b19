"""The live status table's model, read from the state a page at a time (issue 18).

The model before it held every document in memory and filtered and sorted them in Python:
at a million documents that was 17 s to paint and 2 GiB. This model holds
only the pages the view shows (``PAGE`` rows each, the ``KEEP_PAGES`` used last) and asks
the state for them (:meth:`app.engine.state.StateStore.table`: filtered, sorted and counted in
SQL, by index), through a *source*: the attached engine over its channel (``TableQuery``), the
state file read directly when no engine is attached, or, for a handful of rows handed over
(``set_rows``), a private in-memory state answered on the spot.

Asking is done off the GUI thread (:class:`app.gui.background.Background`); the GUI thread
only swaps in what arrived. So:

- ``rowCount`` is the number of documents the filters let through, counted by the state;
  a row whose page has not arrived yet shows empty, and its page is asked for at once;
- a filter or a sort asks again for the pages in view, and swaps them in with one layout
  change that carries the selection and the current row along by document id;
- a live batch (``apply_changes``) updates in place the rows it has, and asks again for the
  counts and the pages in view a moment later (``REFRESH_MS``), once per burst: the state
  sorts, never Python, so a batch costs what is on screen whatever the history;
- what the window says at a glance (documents per status, delivered today, the last delivery,
  the clients) is counted by the state with each refresh.

What the state cannot know is matched here and handed over with each query: which kinds,
statuses and clients a typed word names in the person's language (their words and names live
in the window), and the order of clients by name and of kinds by word. Where the state cannot
match what is shown: the text filter looks in the message as stored (the failures' words in
the person's language are not searched, their codes' stored message is); the Message column
sorts by the stored message, not by the words shown; kinds the core does not know sort after
the known ones. A row not in a page held (scrolled far away) has no view row
(``view_row_of``); an action on a selection reaching past the rows held (*Select all*, then
*Retry*) reads the ids and statuses of the rest from the state first (:meth:`ids_in`).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from app.core.kinds import DeliveryStatus, DocumentKind
from app.core.language import FALLBACK, Language
from app.engine.channel import IDS_LIMIT, TableQuery, TableWordModel
from app.engine.messages import DocumentChanged
from app.engine.state import TABLE_KEYS, StateStore, rekey
from app.gui.background import Background
from app.gui.document_rows import (
    _ALIGNMENT,
    _CONTEXT,
    _DECORATION,
    _DISPLAY,
    _FOREGROUND,
    _HEADERS,
    _INITIAL_DESCENDING,
    _INITIAL_SORT,
    _RIGHT,
    _TOOLTIP,
    COLUMN_COUNT,
    WAITING,
    Column,
    DocumentRow,
    _local_midnight,
    format_amount,
    format_timestamp,
    kind_label,
    moved_words,
    search_word,
    status_color,
    status_icon,
    status_label,
)
from app.gui.failure_words import failures_of, without_foreign_words, words
from app.gui.i18n import ferry_locale

Index = QModelIndex | QPersistentModelIndex
log = logging.getLogger(__name__)

PAGE = 200
"""Rows per page asked of the state: a screen or two."""
KEEP_PAGES = 12
"""Pages kept, the ones used last: scrolling back a little asks nothing again."""
_BULK = 5000  # rows read in one question for a selection (a source that answers at once)
REFRESH_MS = 500
"""A burst of live batches asks the state again once per this, not once per batch."""

_SORTS = {
    Column.CLIENT: "client",
    Column.KIND: "kind",
    Column.NUMBER: "number",
    Column.DATE: "date",
    Column.AMOUNT: "amount",
    Column.STATUS: "status",
    Column.DESTINATION: "destination",
    Column.MESSAGE: "message",
    Column.LAST_ATTEMPT: "last_attempt",
}
_SHOWN_STATUSES = (
    DeliveryStatus.ERROR.value,
    WAITING,
    DeliveryStatus.TO_FETCH.value,
    DeliveryStatus.FORWARDED.value,
)


_EMPTY_ANSWER: dict[str, Any] = {"offset": 0, "total": 0, "rows": []}
_EMPTY_SUMMARY: dict[str, Any] = {
    "counts": {},
    "total": 0,
    "today": 0,
    "last_delivery": None,
    "clients": [],
}


class TableSource(Protocol):
    """Answers a :class:`TableQuery` (blocking: called on a worker thread)."""

    def __call__(self, query: TableQuery) -> dict[str, Any]: ...


class EngineSource:
    """The table from the engine Ferry is attached to, or the desktop app's engine process."""

    def __init__(self, engine: Any, timeout: float = 120.0) -> None:
        self._engine = engine
        self._timeout = timeout

    def __call__(self, query: TableQuery) -> dict[str, Any]:
        reply = self._engine.request(query, timeout=self._timeout)
        if reply.error or reply.failure is not None or not isinstance(reply.result, dict):
            raise RuntimeError(reply.error or "the engine could not read the table")
        result: dict[str, Any] = reply.result
        return result


class StoreSource:
    """The table from the state file, opened on first use (on a worker thread)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._store: StateStore | None = None
        self._lock = threading.Lock()

    def __call__(self, query: TableQuery) -> dict[str, Any]:
        with self._lock:
            if self._store is None:
                if not self._path.exists():  # nothing yet: the engine makes it
                    return _EMPTY_ANSWER | {"summary": _EMPTY_SUMMARY}
                self._store = StateStore(self._path)
            store = self._store
        return store.table(**query.arguments())

    def interrupt(self) -> None:
        """Abandon the question being answered: its asker no longer wants it."""
        store = self._store
        if store is not None:
            store.interrupt()

    def close(self) -> None:
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()


class MemorySource:
    """Rows handed over (``set_rows``) in a private in-memory state, so they are filtered and
    sorted by the same SQL as an office's history; live changes are written into it too.
    Given a ``path``, the rows are written into that state file (benchmarks, tests)."""

    def __init__(self, path: Path = Path(":memory:")) -> None:
        self.store = StateStore(path)
        self._next = 0

    def __call__(self, query: TableQuery) -> dict[str, Any]:
        return self.store.table(**query.arguments())

    def add(self, rows: Iterable[DocumentRow]) -> None:
        with self.store._write() as db:
            self._put(db, list(rows), {})

    def apply(self, changes: Sequence[DocumentChanged], now: float) -> None:
        with self.store._write() as db:
            ids = list(dict.fromkeys(change.document_id for change in changes))
            known: dict[str, tuple[float | None, str]] = {}
            for chunk in range(0, len(ids), 500):
                part = ids[chunk : chunk + 500]
                for found in db.execute(
                    "SELECT id, last_attempt, created_at FROM documents WHERE id IN "  # noqa: S608
                    f"({','.join('?' * len(part))})",
                    part,
                ):
                    known[str(found[0])] = (found[1], str(found[2]))
            rows: list[DocumentRow] = []
            for change in changes:
                attempt, _ = known.get(change.document_id, (None, ""))
                if change.status != DeliveryStatus.TO_FETCH or change.failures:
                    attempt = now
                rows.append(DocumentRow.from_change(change, change.client_id, attempt))
            self._put(db, rows, {i: created for i, (_, created) in known.items()})

    def _put(self, db: Any, rows: list[DocumentRow], created: dict[str, str]) -> None:
        values = []
        for row in rows:
            created_at = created.get(row.id)
            if created_at is None:
                self._next += 1
                created_at = created[row.id] = f"{self._next:012d}"
            values.append(
                (
                    row.id,
                    row.client_id,
                    row.kind,
                    row.number,
                    row.issue_date,
                    row.amount,
                    row.currency,
                    created_at,
                    row.status,
                    row.message,
                    json.dumps(row.locations),
                    row.last_attempt,
                    json.dumps([f.to_json() for f in row.failures]),
                    row.next_try,
                )
            )
        db.executemany(
            "INSERT OR REPLACE INTO documents (id, client_id, kind, number, issue_date, amount, "
            "currency, created_at, status, message, locations, last_attempt, updated, "
            "failures, next_try) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            values,
        )
        db.executemany(
            "DELETE FROM deliveries WHERE document_id = ? AND gone_since IS NOT NULL",
            [(row.id,) for row in rows],
        )
        db.executemany(
            "INSERT OR REPLACE INTO deliveries (document_id, destination, state, updated, "
            "gone_since) VALUES (?, ?, 'delivered', 0, 1)",
            [(row.id, destination) for row in rows for destination in row.moved],
        )
        if len(rows) > 500:
            db.execute(f"UPDATE documents SET {TABLE_KEYS}")  # noqa: S608 - fixed text
        else:
            for row in rows:
                rekey(db, row.id)


class TableModel(QAbstractTableModel):
    """The documents the filters let through, in the chosen order, a page at a time."""

    counts_changed = Signal()
    """After every refresh of the counts or of what the filters let through."""
    clients_changed = Signal()
    """A client appeared or a name changed: the client filter rebuilds its list."""
    settled = Signal()
    """Everything asked of the source has arrived and been shown (tests, benchmarks)."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        language: Language = FALLBACK,
        locale: QLocale | None = None,
    ) -> None:
        super().__init__(parent)
        self._language = language
        self._own_locale = locale is None
        self._locale = locale if locale is not None else ferry_locale()
        self._background = Background(self)
        self._source: TableSource | None = None
        self._memory: MemorySource | None = None
        self._synchronous = False
        self._generation = 0
        self._total = 0
        self._pages: OrderedDict[int, list[DocumentRow]] = OrderedDict()
        self._where: dict[str, int] | None = None
        self._bulk: dict[int, DocumentRow] = {}  # rows read for a selection, at once
        self._asked: set[int] = set()  # pages asked for in this generation
        self._wanted: set[int] = set()  # pages to ask for at the next turn of the loop
        self._refreshing = False
        self._dirty = False
        self._summarizing = False
        self._summary_again = False
        self._summary: dict[str, Any] = {}
        self._day_start = _local_midnight(time.time())
        self._names: dict[str, str] = {}
        self._row_names: dict[str, str] = {}
        self._status_filter: str | None = None
        self._client_filter: str | None = None
        self._text_filter = ""
        self._words: tuple[str, ...] = ()
        self._sort_column = -1
        self._descending = True
        self._kind_words: dict[str, str] = {}
        self._status_words: dict[str, str] = {}
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._fetch_wanted)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._refresh)
        self._displays: tuple[Callable[[DocumentRow], str], ...] = (
            lambda row: self._client_name(row.client_id),
            lambda row: self.kind_label(row.kind),
            lambda row: row.number,
            lambda row: row.issue_date,
            self.amount_text,
            lambda row: self.status_label(row.shown_status),
            lambda row: row.locations[0] if row.locations else "",
            lambda row: row.text.replace("\n", " "),
            lambda row: format_timestamp(row.last_attempt),
        )

    # -- sources --------------------------------------------------------------------------------

    def set_source(self, source: TableSource | None, *, synchronous: bool = False) -> None:
        """Read the table from ``source`` from now on (its pages and counts asked again);
        ``synchronous`` asks on the GUI thread (only for a source that answers at once)."""
        old = self._source
        self._source = source
        self._synchronous = synchronous
        self._summarizing = self._summary_again = False
        if old is not source and isinstance(old, StoreSource):
            self._background.run(old.close, lambda _none: None, lambda _error: None)
        self._restart()

    def set_rows(self, rows: Iterable[DocumentRow]) -> None:
        """Show these rows (tests, a window without a state): a private in-memory state."""
        rows = list(rows)
        memory = MemorySource()
        memory.add(rows)
        self._row_names = {row.client_id: row.client_name for row in rows}
        self._memory = memory
        self.set_source(memory, synchronous=True)

    def close(self) -> None:
        """Ask nothing more (the window closes)."""
        self._background.close()
        if isinstance(self._source, StoreSource):
            self._source.close()
        self._source = None

    # -- Qt's model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(  # noqa: N802 - Qt's API
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == _DISPLAY:
            return QCoreApplication.translate(_CONTEXT, _HEADERS[section])
        if role == _INITIAL_SORT:
            descending = section in _INITIAL_DESCENDING
            return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if role == _DISPLAY:
            row = self._row(index.row())
            if row is None:
                return None
            cells = row.cells
            if cells is None:
                cells = row.cells = tuple(display(row) for display in self._displays)
            return cells[index.column()]
        if role == _DECORATION:
            if index.column() != Column.STATUS:
                return None
            row = self._row(index.row())
            return None if row is None else status_icon(row.shown_status)
        if role == _FOREGROUND:
            if index.column() != Column.STATUS:
                return None
            row = self._row(index.row())
            return None if row is None else status_color(row.shown_status)
        if role == _ALIGNMENT:
            return _RIGHT if index.column() == Column.AMOUNT else None
        if role == _TOOLTIP:
            row = self._row(index.row())
            return None if row is None else self._tooltip(row, index.column())
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (-1: when Ferry learnt of them, newest first), in the state."""
        column = column if 0 <= column < COLUMN_COUNT else -1
        descending = True if column < 0 else order == Qt.SortOrder.DescendingOrder
        if column == self._sort_column and descending == self._descending:
            return
        self._sort_column, self._descending = column, descending
        self._restart(summary=False)

    # -- live batches ---------------------------------------------------------------------------

    def apply_changes(self, changes: Sequence[DocumentChanged]) -> None:
        """One batch of engine events: the rows held are updated in place now; the counts and
        the pages in view are asked again a moment later, once per burst."""
        if not changes:
            return
        now = time.time()
        if self._memory is not None:
            self._memory.apply(changes, now)
        where = self._positions()
        touched: list[int] = []
        for change in changes:
            r = where.get(change.document_id)
            if r is None:
                continue
            row = self._row(r)
            if row is None:
                continue
            _update(row, change, now)
            row.client_name = self._client_name(row.client_id)
            row.text = self.message_text(row)
            row.cells = None
            touched.append(r)
        if touched:
            last = self.index(max(touched), COLUMN_COUNT - 1)
            self.dataChanged.emit(self.index(min(touched), 0), last)
        if self._synchronous:
            self._refresh()
        elif not self._refresh_timer.isActive():
            self._refresh_timer.start()

    # -- filters --------------------------------------------------------------------------------

    def set_filters(
        self, *, status: str | None = None, client_id: str | None = None, text: str = ""
    ) -> None:
        """All three filters at once: one question to the state, one layout change."""
        words = tuple(search_word(word) for word in text.casefold().split())
        if (status, client_id, words) == (self._status_filter, self._client_filter, self._words):
            self._text_filter = text
            return
        self._status_filter, self._client_filter = status, client_id
        self._text_filter, self._words = text, words
        self._restart(summary=False)

    def set_status_filter(self, status: str | None) -> None:
        self.set_filters(status=status, client_id=self._client_filter, text=self._text_filter)

    def set_client_filter(self, client_id: str | None) -> None:
        self.set_filters(status=self._status_filter, client_id=client_id, text=self._text_filter)

    def set_text_filter(self, text: str) -> None:
        self.set_filters(status=self._status_filter, client_id=self._client_filter, text=text)

    @property
    def status_filter(self) -> str | None:
        return self._status_filter

    @property
    def client_filter(self) -> str | None:
        return self._client_filter

    @property
    def text_filter(self) -> str:
        return self._text_filter

    @property
    def is_filtered(self) -> bool:
        return bool(self._status_filter or self._client_filter or self._words)

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    @property
    def language(self) -> Language:
        return self._language

    @property
    def locale(self) -> QLocale:
        return self._locale

    @property
    def source(self) -> TableSource | None:
        return self._source

    @property
    def busy(self) -> bool:
        """Something asked of the source has not arrived yet."""
        return bool(
            self._refreshing
            or self._asked
            or self._wanted
            or self._dirty
            or self._summarizing
            or self._summary_again
        )

    # -- names and words ------------------------------------------------------------------------

    def set_client_names(self, names: Mapping[str, str]) -> None:
        """Names from the platform's client list; rows show the id until a name is known."""
        names = dict(names)
        if names == self._names:
            return
        self._names = names
        for rows in self._pages.values():
            for row in rows:
                row.client_name = self._client_name(row.client_id)
                row.cells = None
        self.clients_changed.emit()
        if self._sort_column == Column.CLIENT or self._words:
            self._restart(summary=False)
        else:
            self._all_changed()

    def set_language(self, language: Language) -> None:
        if language == self._language:
            return
        self._language = language
        if self._own_locale:
            self._locale = ferry_locale()
        self._kind_words.clear()
        self._status_words.clear()
        for rows in self._pages.values():
            for row in rows:
                row.text = self.message_text(row)
                row.cells = None
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        if self._sort_column == Column.KIND or self._words:
            self._restart(summary=False)
        else:
            self._all_changed()

    def kind_label(self, kind: str) -> str:
        word = self._kind_words.get(kind)
        if word is None:
            word = self._kind_words[kind] = kind_label(kind, self._language)
        return word

    def status_label(self, status: str) -> str:
        word = self._status_words.get(status)
        if word is None:
            word = self._status_words[status] = status_label(status, self._language)
        return word

    def amount_text(self, row: DocumentRow) -> str:
        return format_amount(row.amount, row.currency, self._locale)

    def full_text(self, row: DocumentRow) -> str:
        """The whole message (tooltip, details, Copy error), in the person's language."""
        if row.failures:
            next_try = row.next_try if row.waiting else None
            return words(row.failures, self._language, next_try=next_try)
        return row.text

    def message_text(self, row: DocumentRow) -> str:
        """The message column: the failures' words without the system's own (those are in
        :meth:`full_text`), or where a forwarded document's files were picked up from."""
        if row.failures:
            next_try = row.next_try if row.waiting else None
            return words(without_foreign_words(row.failures), self._language, next_try=next_try)
        if row.moved and row.status == DeliveryStatus.FORWARDED.value:
            return moved_words(row.moved)
        return row.message or ""

    # -- reading --------------------------------------------------------------------------------

    def row_at(self, view_row: int) -> DocumentRow:
        """The document shown at a view row; :class:`IndexError` when its page is not held
        (a source that answers at once is asked for it now)."""
        row = self._held(view_row)
        if row is None:
            raise IndexError(view_row)
        return row

    def rows_at(self, view_rows: Iterable[int]) -> list[DocumentRow]:
        """The documents of these view rows that are held (a selection's loaded part); a
        source that answers at once is asked for the others, a few thousand at a time."""
        wanted = list(view_rows)
        bulk = self._bulk
        found = {r: row for r in wanted if (row := self._row(r, ask=False) or bulk.get(r))}
        missing = sorted(r for r in set(wanted) if r not in found and 0 <= r < self._total)
        if missing and self._synchronous and self._source is not None:
            start = 0
            while start < len(missing):
                first = missing[start]
                end = start
                while end + 1 < len(missing) and missing[end + 1] - first < _BULK:
                    end += 1
                query = self._query(0, False).model_copy(
                    update={"offset": first, "limit": missing[end] - first + 1}
                )
                rows = [self._row_of(d) for d in self._source(query)["rows"]]
                for r in missing[start : end + 1]:
                    if r - first < len(rows):
                        found[r] = bulk[r] = rows[r - first]
                start = end + 1
        return [found[r] for r in wanted if r in found]

    def rows_in(self, ranges: Sequence[tuple[int, int]]) -> list[DocumentRow]:
        """The held documents in these view-row ranges (top and bottom included), top to
        bottom: a selection's loaded part, found among the rows held (``KEEP_PAGES`` pages)
        whatever the selection's size, so that a *Select all* of a million rows costs the
        GUI thread what is held, at every batch. A source that answers at once is asked for
        the others (:meth:`rows_at`)."""
        ranges = clipped_ranges(ranges, self._total)
        if self._synchronous:
            return self.rows_at(r for top, bottom in ranges for r in range(top, bottom + 1))
        return [row for _r, row in sorted(self._held_in(ranges), key=lambda pair: pair[0])]

    def ids_in(
        self,
        ranges: Sequence[tuple[int, int]],
        done: Callable[[list[tuple[str, str]]], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """``(id, status)`` of every document in these view-row ranges, top to bottom, handed
        to ``done`` on the GUI thread: the held rows as shown, the others asked of the state
        off the GUI thread (``ids_only``, ``IDS_LIMIT`` a question). What an action on a
        selection acts on when it reaches past the rows held (*Select all*, then *Retry*):
        the documents in those places when the person acted."""
        ranges = clipped_ranges(ranges, self._total)
        # the held rows in the ranges, as runs (few: a page at most each)
        pieces: list[tuple[int, list[tuple[str, str]]]] = []
        spans: list[tuple[int, int]] = []
        for page, rows in self._pages.items():
            first = page * PAGE
            for top, bottom in ranges:
                low, high = max(top, first), min(bottom, first + len(rows) - 1)
                if low <= high:
                    pieces.append(
                        (
                            low,
                            [(row.id, row.status) for row in rows[low - first : high - first + 1]],
                        )
                    )
                    spans.append((low, high))
        spans.sort()
        # the runs of rows not held (the ranges less the held spans), at most IDS_LIMIT each:
        # interval arithmetic, not a step per row (a million rows selected)
        missing: list[tuple[int, int]] = []
        for top, bottom in ranges:
            start = top
            for low, high in spans:
                if high < start or low > bottom:
                    continue
                if low > start:
                    missing.append((start, low - 1))
                start = high + 1
            if start <= bottom:
                missing.append((start, bottom))
        missing = [
            (top, min(top + IDS_LIMIT - 1, bottom))
            for run_top, bottom in missing
            for top in range(run_top, bottom + 1, IDS_LIMIT)
        ]

        def in_order(more: list[tuple[int, list[tuple[str, str]]]]) -> list[tuple[str, str]]:
            ordered = sorted(pieces + more, key=lambda piece: piece[0])
            # a document moved by a live change between two reads is named once
            return list(dict.fromkeys(pair for _top, run in ordered for pair in run))

        source = self._source
        if not missing or source is None:
            done(in_order([]))
            return
        base = self._query(0, False)
        queries = [
            base.model_copy(update={"offset": top, "limit": bottom - top + 1, "ids_only": True})
            for top, bottom in missing
        ]

        def arrived(answers: list[dict[str, Any]]) -> None:
            more = [
                (top, [(str(doc_id), str(status)) for doc_id, status in answer["rows"]])
                for (top, _bottom), answer in zip(missing, answers, strict=True)
            ]
            done(in_order(more))

        self._ask(queries, arrived, failed)

    def _held_in(self, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, DocumentRow]]:
        found: list[tuple[int, DocumentRow]] = []
        for page, rows in self._pages.items():
            first = page * PAGE
            for top, bottom in ranges:
                low, high = max(top, first), min(bottom, first + len(rows) - 1)
                found += ((r, rows[r - first]) for r in range(low, high + 1))
        return found

    def _held(self, view_row: int) -> DocumentRow | None:
        row = self._row(view_row, ask=False)
        if row is None and self._synchronous and 0 <= view_row < self._total:
            self._wanted.add(view_row // PAGE)
            self._fetch_wanted()
            row = self._row(view_row, ask=False)
        return row

    def view_row_of(self, document_id: str) -> int | None:
        """Where a document is shown now, if its page is held; None otherwise."""
        return self._positions().get(document_id)

    def document(self, document_id: str) -> DocumentRow | None:
        r = self.view_row_of(document_id)
        return None if r is None else self._row(r, ask=False)

    def total_count(self) -> int:
        return int(self._summary.get("total", 0))

    def count(self, status: str) -> int:
        return int(self._summary.get("counts", {}).get(str(status), 0))

    def delivered_today(self) -> int:
        """Documents forwarded since local midnight, as last counted by the state."""
        if _local_midnight(time.time()) != self._day_start:  # a new day: counted again
            self._summary["today"] = 0
            self._refresh_soon()
        return int(self._summary.get("today", 0))

    def last_delivery(self) -> float | None:
        last = self._summary.get("last_delivery")
        return None if last is None else float(last)

    def clients(self) -> list[tuple[str, str]]:
        """(client id, name) of every client with documents or a known name, by name."""
        ids = set(self._summary.get("clients", ())) | set(self._names)
        pairs = [(cid, self._client_name(cid)) for cid in ids]
        return sorted(pairs, key=lambda pair: (pair[1].casefold(), pair[0]))

    # -- internals: asking ----------------------------------------------------------------------

    def _query(self, page: int, summary: bool) -> TableQuery:
        order: tuple[str, ...] = ()
        if self._sort_column == Column.CLIENT:
            order = tuple(cid for cid, _name in self.clients())
        elif self._sort_column == Column.KIND:
            kinds = [kind.value for kind in DocumentKind]
            order = tuple(sorted(kinds, key=lambda k: (self.kind_label(k).casefold(), k)))
        return TableQuery(
            status=self._status_filter,
            client_id=self._client_filter,
            words=tuple(self._table_word(word) for word in self._words),
            sort=_SORTS.get(Column(self._sort_column)) if self._sort_column >= 0 else None,
            descending=self._descending,
            order=order,
            offset=page * PAGE,
            limit=PAGE,
            summary_since=_local_midnight(time.time()) if summary else None,
        )

    def _table_word(self, word: str) -> TableWordModel:
        """A typed word with the kinds, statuses and clients whose words or names contain it."""
        kinds = tuple(k.value for k in DocumentKind if word in self.kind_label(k.value).casefold())
        statuses = tuple(s for s in _SHOWN_STATUSES if word in self.status_label(s).casefold())
        clients = tuple(cid for cid, name in self.clients() if word in name.casefold())
        return TableWordModel(text=word, kinds=kinds, statuses=statuses, clients=clients)

    def _ask(
        self,
        queries: list[TableQuery],
        done: Callable[[list[dict[str, Any]]], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        source = self._source
        if source is None:
            return
        if self._synchronous:
            try:
                answers = [source(query) for query in queries]
            except Exception as error:  # handed over as the async path hands it
                failed(error)
                return
            done(answers)
            return
        self._background.run(
            lambda: [source(query) for query in queries], done, failed, name="ferry-table"
        )

    def _restart(self, *, summary: bool = True) -> None:
        """Filters, sort or source changed: what is in flight no longer counts; ask again."""
        if (self._refreshing or self._asked) and isinstance(self._source, StoreSource):
            self._source.interrupt()  # not waited for: answered while the person types
        self._generation += 1
        self._asked.clear()
        self._wanted.clear()
        self._refreshing = False
        self._dirty = False
        self._refresh(summary=summary)

    def _refresh_soon(self) -> None:
        if self._synchronous:
            self._refresh()
        elif not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _refresh(self, *, summary: bool = True) -> None:
        """Ask again for what is in view (the pages used last) and, with ``summary``, the
        counts; swapped in with one layout change when it arrives."""
        if self._source is None:
            return
        if self._refreshing:  # once the answer in flight is in
            self._dirty = True
            return
        self._refreshing = True
        pages = list(self._pages)[-3:] or [0]
        pages.sort()
        generation = self._generation
        queries = [self._query(page, False) for page in pages]
        self._ask(
            queries,
            lambda answers: self._refreshed(generation, pages, answers, summary),
            lambda error: self._failed(generation, error),
        )

    def _refreshed(
        self, generation: int, pages: list[int], answers: list[dict[str, Any]], summary: bool
    ) -> None:
        if generation != self._generation:
            return
        self._refreshing = False
        total = int(answers[0]["total"])
        fresh: OrderedDict[int, list[DocumentRow]] = OrderedDict()
        for page, answer in zip(pages, answers, strict=True):
            if page * PAGE < total or page == 0:
                fresh[page] = [self._row_of(d) for d in answer["rows"]]
        self._swap(total, fresh)
        self.counts_changed.emit()
        if summary:  # after the page: what is shown first is what the person looks at
            self._summarize()
        if self._dirty:
            self._dirty = False
            self._refresh_soon()
        self._maybe_settled()

    def _summarize(self) -> None:
        """Ask for the counts the window says at a glance (one question at a time)."""
        source = self._source
        if source is None:
            return
        if self._summarizing:
            self._summary_again = True
            return
        self._summarizing = True
        query = TableQuery(limit=0, summary_since=_local_midnight(time.time()))
        self._ask(
            [query],
            lambda answers: self._summarized(source, answers[0].get("summary")),
            lambda error: self._summarized(source, None, error),
        )

    def _summarized(
        self,
        source: TableSource,
        summary: dict[str, Any] | None,
        error: BaseException | None = None,
    ) -> None:
        if source is not self._source:
            return
        self._summarizing = False
        if error is not None:
            if "interrupt" in str(error):  # caught by another question's interruption
                self._summary_again = True
            else:
                log.warning("the table's counts could not be read: %s", error)
        if summary is not None:
            clients_before = set(self._summary.get("clients", ()))
            self._summary = summary
            self._day_start = _local_midnight(time.time())
            if set(summary.get("clients", ())) != clients_before:
                self.clients_changed.emit()
            self.counts_changed.emit()
        if self._summary_again:
            self._summary_again = False
            self._summarize()
        self._maybe_settled()

    def _swap(self, total: int, pages: OrderedDict[int, list[DocumentRow]]) -> None:
        """The new pages in, with one layout change; selection and current row follow their
        documents by id (dropped when their document is no longer in a page held)."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before: list[tuple[str | None, int, int]] = []
        for index in persistent:
            row = self._row(index.row(), ask=False)
            before.append((None if row is None else row.id, index.row(), index.column()))
        self._total = total
        self._pages = pages
        self._bulk.clear()
        self._where = None
        where = self._positions()
        after: list[QModelIndex] = []
        for document_id, r, column in before:
            if document_id is not None:
                found = where.get(document_id)
                after.append(QModelIndex() if found is None else self.index(found, column))
            else:
                after.append(self.index(r, column) if r < total else QModelIndex())
        self.changePersistentIndexList(persistent, after)
        self.layoutChanged.emit()

    def _fetch_wanted(self) -> None:
        pages = sorted(self._wanted - self._asked)
        self._wanted.clear()
        if not pages or self._source is None:
            return
        self._asked.update(pages)
        generation = self._generation
        self._ask(
            [self._query(page, False) for page in pages],
            lambda answers: self._arrived(generation, pages, answers),
            lambda error: self._failed(generation, error),
        )

    def _arrived(self, generation: int, pages: list[int], answers: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return
        self._asked.difference_update(pages)
        for page, answer in zip(pages, answers, strict=True):
            self._pages[page] = [self._row_of(d) for d in answer["rows"]]
            self._pages.move_to_end(page)
            if int(answer["total"]) != self._total:  # changed meanwhile: a refresh says how
                self._refresh_soon()
        while len(self._pages) > KEEP_PAGES:
            self._pages.popitem(last=False)
        self._where = None
        for page in pages:
            first = page * PAGE
            last = min(first + PAGE, self._total) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1))
        self._maybe_settled()

    def _failed(self, generation: int, error: BaseException) -> None:
        log.warning("the table could not be read: %s", error)
        if generation == self._generation:
            self._refreshing = False
            self._asked.clear()
            self._maybe_settled()

    def _maybe_settled(self) -> None:
        if not self.busy:
            self.settled.emit()

    # -- internals: rows ------------------------------------------------------------------------

    def _row(self, view_row: int, *, ask: bool = True) -> DocumentRow | None:
        if not 0 <= view_row < self._total:
            return None
        page, i = divmod(view_row, PAGE)
        rows = self._pages.get(page)
        if rows is None:
            if ask and page not in self._asked:
                self._wanted.add(page)
                if not self._fetch_timer.isActive():
                    self._fetch_timer.start()
            return None
        if ask:
            self._pages.move_to_end(page)
        return rows[i] if i < len(rows) else None

    def _positions(self) -> dict[str, int]:
        """Document id -> view row, for the rows held."""
        if self._where is None:
            self._where = {
                row.id: page * PAGE + i
                for page, rows in self._pages.items()
                for i, row in enumerate(rows)
            }
        return self._where

    def _row_of(self, document: Mapping[str, Any]) -> DocumentRow:
        row = DocumentRow.from_state(document)
        row.client_name = self._client_name(row.client_id)
        row.text = self.message_text(row)
        return row

    def _client_name(self, client_id: str) -> str:
        return self._names.get(client_id) or self._row_names.get(client_id) or client_id

    def _tooltip(self, row: DocumentRow, column: int) -> str | None:
        if column == Column.DESTINATION:
            return "\n".join(row.locations) or None
        if column in (Column.MESSAGE, Column.STATUS):
            return self.full_text(row) or None
        if column == Column.CLIENT:
            return f"{self._client_name(row.client_id)} ({row.client_id})"
        return None

    def _all_changed(self) -> None:
        if self._total:
            last = self.index(self._total - 1, COLUMN_COUNT - 1)
            self.dataChanged.emit(self.index(0, 0), last)


def clipped_ranges(ranges: Sequence[tuple[int, int]], total: int) -> list[tuple[int, int]]:
    """Ranges of view rows inside ``0..total-1``, sorted, overlaps merged."""
    merged: list[tuple[int, int]] = []
    for top, bottom in sorted((max(t, 0), min(b, total - 1)) for t, b in ranges):
        if top > bottom:
            continue
        if merged and top <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


def _update(row: DocumentRow, change: DocumentChanged, now: float) -> None:
    """A held row as a live change left its document (the state gets the same change)."""
    if change.status != DeliveryStatus.TO_FETCH or change.failures:
        row.last_attempt = now
    row.client_id = change.client_id
    row.kind, row.number, row.issue_date = change.kind, change.number, change.issue_date
    row.amount, row.currency = change.amount, change.currency
    row.status, row.message = change.status, change.message
    row.locations = list(change.locations)
    row.failures = failures_of(change.failures)
    row.next_try = change.next_try
    row.moved = list(change.moved)
