"""The live status table's model: every document Ferry handled, filtered and sorted in Python.

Why not ``QStandardItemModel`` and ``QSortFilterProxyModel``: with 100,000 documents the first
builds 900,000 items before anything is shown, and the second calls a Python
``filterAcceptsRow`` once per row on every key press and a Python ``lessThan`` about
n·log(n) times per sort. Here rows are plain dataclasses, and filtering and sorting are plain
list operations over row positions:

- each row has a precomputed lowercase search text, so a text filter is one list
  comprehension with ``in``;
- ``_order`` holds every row position sorted by the current column (keys computed once per
  column and cached), and ``_visible`` is ``_order`` filtered, so changing a filter never sorts
  again and changing the sort never re-reads the rows;
- both lists are kept ascending by ``(key, position)``; a descending sort only reads them
  from the end, so flipping the order costs nothing and ``bisect`` works for both.

Live updates (``apply_changes``) touch only the rows in the batch: an update that moves no
row is one ``dataChanged``; new rows that land at the visible edge are one insert; anything
else is one layout change that carries the view's selection and current row along.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Any, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from app.core.failures import Failure
from app.core.kinds import DeliveryStatus, DocumentKind
from app.core.language import FALLBACK, Language
from app.engine.messages import DocumentChanged
from app.gui.failure_words import failures_of, without_foreign_words, words
from app.gui.i18n import ferry_locale

Index = QModelIndex | QPersistentModelIndex

_CONTEXT = "DocumentsModel"


class Column(IntEnum):
    """The table's columns, in the order they are shown."""

    CLIENT = 0
    KIND = 1
    NUMBER = 2
    DATE = 3
    AMOUNT = 4
    STATUS = 5
    DESTINATION = 6
    MESSAGE = 7
    LAST_ATTEMPT = 8


# Marked for pyside6-lupdate here, translated when shown (so a language switch needs no rebuild).
_HEADERS = cast(
    tuple[str, ...],
    (
        QT_TRANSLATE_NOOP("DocumentsModel", "Client"),
        QT_TRANSLATE_NOOP("DocumentsModel", "Kind"),
        QT_TRANSLATE_NOOP("DocumentsModel", "Number"),
        QT_TRANSLATE_NOOP("DocumentsModel", "Date"),
        QT_TRANSLATE_NOOP("DocumentsModel", "Amount"),
        QT_TRANSLATE_NOOP("DocumentsModel", "Status"),
        QT_TRANSLATE_NOOP("DocumentsModel", "Destination path"),
        QT_TRANSLATE_NOOP("DocumentsModel", "Message"),
        QT_TRANSLATE_NOOP("DocumentsModel", "Last attempt"),
    ),
)
COLUMN_COUNT = len(_HEADERS)

# Clicking a date header first shows the newest; everything else starts A→Z.
_INITIAL_DESCENDING = frozenset({Column.DATE, Column.LAST_ATTEMPT})

WAITING = "waiting"
"""Not a platform status: a To fetch document whose delivery failed for a cause that may pass
(a network share down) and that Ferry tries again by itself. It counts as To fetch; the table
shows it as *Waiting*, with the reason and the next try, and the status filter can pick it."""

_WAITING_WORD = cast(str, QT_TRANSLATE_NOOP("DocumentsModel", "Waiting"))

# Sorting by status puts what needs a person first.
_STATUS_RANK = {
    DeliveryStatus.ERROR.value: 0,
    WAITING: 1,
    DeliveryStatus.TO_FETCH.value: 2,
    DeliveryStatus.FORWARDED.value: 3,
}
_STATUS_RANK_UNKNOWN = 4

_STATUS_COLORS = {
    DeliveryStatus.TO_FETCH.value: "#1565c0",
    DeliveryStatus.ERROR.value: "#c62828",
    DeliveryStatus.FORWARDED.value: "#2e7d32",
    WAITING: "#b26a00",
}
_UNKNOWN_COLOR = "#757575"

# Qt hands roles over as ints; comparing ints is the cheapest test in the hot ``data()``.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_INITIAL_SORT = int(Qt.ItemDataRole.InitialSortOrderRole)

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_VERTICAL_SORT = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
# PySide picks a signal overload by its C++ signature; the hint needs the two-argument one.
_LAYOUT_SIGNATURE = ("QList<QPersistentModelIndex>", "QAbstractItemModel::LayoutChangeHint")

# Above this share of the rows in one batch, sorting everything again beats inserting one by one.
_RESORT_FRACTION = 8

_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class DocumentRow:
    """One document as the table shows it; plain data, so 100,000 of them stay cheap."""

    id: str
    client_id: str
    client_name: str
    kind: str
    number: str
    issue_date: str
    amount: str | None
    currency: str | None
    status: str
    message: str | None
    locations: list[str] = field(default_factory=list)
    last_attempt: float | None = None
    # Why it is in Error, or why it waits: worded when shown, in the person's language.
    failures: tuple[Failure, ...] = ()
    # When Ferry tries again by itself (seconds since the epoch), for a waiting document.
    next_try: float | None = None
    # Destinations its files were picked up or moved from after Ferry delivered them.
    moved: list[str] = field(default_factory=list)
    # The message column's words in the model's language (set by the model): without the
    # system's own words, which are in the system's language and make the line long (the
    # tooltip, the details and Copy error have them: see DocumentsModel.full_text).
    text: str = ""

    @property
    def waiting(self) -> bool:
        """To fetch, and tried already: it waits on a cause that may pass."""
        return self.status == DeliveryStatus.TO_FETCH.value and bool(self.failures)

    @property
    def shown_status(self) -> str:
        """The status as the table shows it: a waiting document has its own."""
        return WAITING if self.waiting else self.status

    @property
    def has_error_text(self) -> bool:
        """Whether *Copy error* has something to copy: failures, or an old row's message."""
        return bool(self.failures) or bool(self.message)

    @classmethod
    def from_state(
        cls, document: Mapping[str, Any], client_names: Mapping[str, str] | None = None
    ) -> DocumentRow:
        """A row from ``StateStore.documents()``: how the table is filled at start."""
        client_id = str(document["client_id"])
        amount = document.get("amount")
        return cls(
            id=str(document["id"]),
            client_id=client_id,
            client_name=(client_names or {}).get(client_id, client_id),
            kind=str(document["kind"]),
            number=str(document["number"]),
            issue_date=str(document["issue_date"]),
            amount=None if amount is None else str(amount),
            currency=document.get("currency"),
            status=str(document["status"]),
            message=document.get("message"),
            locations=list(document.get("locations") or []),
            last_attempt=document.get("last_attempt"),
            failures=failures_of(document.get("failures") or []),
            next_try=document.get("next_try"),
            moved=list(document.get("moved") or []),
        )

    @classmethod
    def from_change(
        cls, change: DocumentChanged, client_name: str, last_attempt: float | None = None
    ) -> DocumentRow:
        """A row for a document the table has not seen yet."""
        return cls(
            id=change.document_id,
            client_id=change.client_id,
            client_name=client_name,
            kind=change.kind,
            number=change.number,
            issue_date=change.issue_date,
            amount=change.amount,
            currency=change.currency,
            status=change.status,
            message=change.message,
            locations=list(change.locations),
            last_attempt=last_attempt,
            failures=failures_of(change.failures),
            next_try=change.next_try,
            moved=list(change.moved),
        )


# --- icons and colours -----------------------------------------------------------------------

_icons: dict[str, QIcon] = {}


def status_color(status: str) -> QColor:
    """The colour that stands for a status, readable on light and dark backgrounds."""
    return QColor(_STATUS_COLORS.get(status, _UNKNOWN_COLOR))


def status_icon(status: str) -> QIcon:
    """A small round icon per status, drawn in code (no image files to ship or theme).

    Cached per status; needs a QGuiApplication (pixmaps live on the GUI side).
    """
    icon = _icons.get(status)
    if icon is None:
        icon = QIcon()
        for size in (16, 32, 64):
            icon.addPixmap(_draw_status(status, size))
        _icons[status] = icon
    return icon


def _draw_status(status: str, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        unit = size / 16.0
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(status_color(status))
        painter.drawEllipse(QRectF(unit, unit, 14 * unit, 14 * unit))
        pen = QPen(QColor("white"), 1.8 * unit)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath()
        if status == DeliveryStatus.FORWARDED:  # a check mark
            path.moveTo(QPointF(4.6 * unit, 8.2 * unit))
            path.lineTo(QPointF(7.0 * unit, 10.6 * unit))
            path.lineTo(QPointF(11.4 * unit, 5.6 * unit))
        elif status == DeliveryStatus.ERROR:  # an exclamation mark
            path.moveTo(QPointF(8 * unit, 4.3 * unit))
            path.lineTo(QPointF(8 * unit, 8.8 * unit))
            path.moveTo(QPointF(8 * unit, 11.6 * unit))
            path.lineTo(QPointF(8 * unit, 11.7 * unit))
        elif status == WAITING:  # a clock: Ferry tries again later
            path.moveTo(QPointF(8 * unit, 4.6 * unit))
            path.lineTo(QPointF(8 * unit, 8.2 * unit))
            path.lineTo(QPointF(10.8 * unit, 9.8 * unit))
        elif status == DeliveryStatus.TO_FETCH:  # an arrow down, into the folder
            path.moveTo(QPointF(8 * unit, 4.2 * unit))
            path.lineTo(QPointF(8 * unit, 11.2 * unit))
            path.moveTo(QPointF(5.2 * unit, 8.6 * unit))
            path.lineTo(QPointF(8 * unit, 11.4 * unit))
            path.lineTo(QPointF(10.8 * unit, 8.6 * unit))
        else:  # a dot: a status this version does not know
            path.addEllipse(QRectF(7 * unit, 7 * unit, 2 * unit, 2 * unit))
        painter.drawPath(path)
    finally:
        painter.end()
    return pixmap


# --- words -----------------------------------------------------------------------------------


def kind_label(kind: str, language: Language) -> str:
    """The word for a kind in the user's language; an unknown kind shows as the platform sent it."""
    try:
        return DocumentKind(kind).label(language)
    except ValueError:
        return kind


def status_label(status: str, language: Language) -> str:
    """The word for a status (To fetch / Error / Forwarded) from the core, in three languages;
    *Waiting* from Qt's translator."""
    if status == WAITING:
        return QCoreApplication.translate(_CONTEXT, _WAITING_WORD)
    try:
        return DeliveryStatus(status).label(language)
    except ValueError:
        return status


def format_amount(amount: str | None, currency: str | None, locale: QLocale) -> str:
    """Two decimals in the user's number format, then the currency: ``1,234.50 EUR``."""
    if amount is None:
        return ""
    try:
        value = Decimal(amount)
    except InvalidOperation:
        return f"{amount} {currency or ''}".strip()
    if not value.is_finite():
        return f"{amount} {currency or ''}".strip()
    text = locale.toString(float(value), "f", 2)
    return f"{text} {currency}" if currency else text


def _local_midnight(moment: float) -> float:
    """The start of ``moment``'s day in the computer's time zone, as a timestamp."""
    local = dt.datetime.fromtimestamp(moment).astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


_NUMBER = re.compile(r"[+-]?\d[\d.,'\u00a0\u202f]*")


def amount_digits(amount: str) -> str:
    """An amount's digits with its two decimals and nothing else ("1640.00" -> "164000"): what
    a typed amount is compared with, whichever way it groups and marks decimals."""
    try:
        value = abs(Decimal(amount))
    except InvalidOperation:
        return ""
    if not value.is_finite():
        return ""
    return f"{value:.2f}".replace(".", "")


def search_word(word: str) -> str:
    """A searched word as the text filter compares it: an amount written with separators
    ("1.640,00", "1,640.00", "1 640,00", "1'640.00") becomes its digits, so it finds the
    document in every regional format; any other word is kept."""
    if _NUMBER.fullmatch(word) and any(mark in word for mark in ".,'\u00a0\u202f"):
        return re.sub(r"\D", "", word)
    return word


def moved_words(destinations: Sequence[str]) -> str:
    """A forwarded document the accounting software took: "Picked up or moved from Winbooks"."""
    return QCoreApplication.translate("DocumentsModel", "Picked up or moved from %1").replace(
        "%1", ", ".join(destinations)
    )


def _has_status(row: DocumentRow, status: str) -> bool:
    """The status filter: a waiting document is To fetch too."""
    return row.waiting if status == WAITING else row.status == status


def format_timestamp(moment: float | None) -> str:
    """A moment as people read it in a log-like column: local time, to the minute."""
    if moment is None:
        return ""
    return dt.datetime.fromtimestamp(moment).strftime("%Y-%m-%d %H:%M")


def _with_hint(signal: SignalInstance) -> SignalInstance:
    """The layout signal's overload that carries a hint (PySide's stubs omit indexing)."""
    overloads: Any = signal
    chosen: SignalInstance = overloads[_LAYOUT_SIGNATURE]
    return chosen


def _natural(text: str) -> str:
    """``INV-2`` before ``INV-10``: digit runs are zero-padded, so plain (fast) string
    comparison orders them as numbers."""
    return _DIGITS.sub(_pad_digits, text.casefold())


def _pad_digits(match: re.Match[str]) -> str:
    return match.group().zfill(20)


def _amount_key(amount: str | None) -> float:
    if amount is None:
        return -math.inf
    try:
        value = float(Decimal(amount))
    except (InvalidOperation, ValueError):
        return -math.inf
    return value if math.isfinite(value) else -math.inf


# --- the model -------------------------------------------------------------------------------


class DocumentsModel(QAbstractTableModel):
    """Every document with its status; filtered and sorted inside, fed in batches.

    View rows are what the view sees (after filter and sort); positions are indices into
    the list of all rows, which only grows, so a position names a document for good.
    """

    counts_changed = Signal()
    """After every change of rows or statuses: the summary and the actions read it."""
    clients_changed = Signal()
    """A client appeared or a name changed: the client filter rebuilds its list."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        language: Language = FALLBACK,
        locale: QLocale | None = None,
    ) -> None:
        super().__init__(parent)
        self._language = language
        # Given: kept (tests name theirs). Else Ferry's regional format, which follows the
        # language: amounts and counts in a French window are written the French way.
        self._own_locale = locale is None
        self._locale = locale if locale is not None else ferry_locale()
        self._rows: list[DocumentRow] = []
        self._positions: dict[str, int] = {}
        self._search: list[str] = []
        self._names: dict[str, str] = {}
        # Client names live per client, not per row: the platform's list arrives after the
        # history (and again every few minutes), and renaming 100,000 rows froze the GUI for
        # a second. ``_row_names`` is the name the rows brought (shown until the platform's
        # is known); ``_name_text`` the casefolded name shown per client, for the text filter.
        self._row_names: dict[str, str] = {}
        self._name_text: dict[str, str] = {}
        self._named_cache: dict[str, set[str]] = {}
        self._status_counts: Counter[str] = Counter()
        self._client_counts: Counter[str] = Counter()
        # What the tray and the status bar say at a glance, kept with the rows so that they
        # always say what the table shows (and survive a restart: the rows come from the state)
        self._day_start = _local_midnight(time.time())
        self._today = 0
        self._last_delivery: float | None = None
        self._status_filter: str | None = None
        self._client_filter: str | None = None
        self._text_filter = ""
        self._words: tuple[str, ...] = ()
        self._sort_column = -1
        self._descending = True  # natural order: newest first
        self._order: list[int] = []
        self._visible: list[int] = []
        self._where: list[int] | None = []
        self._keys: dict[int, list[Any]] = {}
        self._kind_words: dict[str, str] = {}
        self._status_words: dict[str, str] = {}
        # One function per column, indexed by column: no chain of comparisons per cell or key.
        self._displays: tuple[Callable[[DocumentRow], str], ...] = (
            self._client_name,
            lambda row: self.kind_label(row.kind),
            lambda row: row.number,
            lambda row: row.issue_date,
            self.amount_text,
            lambda row: self.status_label(row.shown_status),
            lambda row: row.locations[0] if row.locations else "",
            lambda row: row.text.replace("\n", " "),
            lambda row: format_timestamp(row.last_attempt),
        )
        self._key_functions: tuple[Callable[[DocumentRow], Any], ...] = (
            lambda row: self._client_name(row).casefold(),
            lambda row: self.kind_label(row.kind).casefold(),
            lambda row: _natural(row.number),
            lambda row: row.issue_date,
            lambda row: _amount_key(row.amount),
            lambda row: _STATUS_RANK.get(row.shown_status, _STATUS_RANK_UNKNOWN),
            lambda row: row.locations[0].casefold() if row.locations else "",
            lambda row: row.text.casefold(),
            lambda row: -math.inf if row.last_attempt is None else row.last_attempt,
        )

    # -- Qt's model interface -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self._visible)

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
        return None  # headers to the left: a right one ran under the sort arrow ("Amount")

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        """Called for every visible cell and role on each paint: keep the common path short."""
        if role == _DISPLAY:
            row = self._row_for(index)
            return None if row is None else self._displays[index.column()](row)
        if role == _DECORATION:
            if index.column() != Column.STATUS:
                return None
            row = self._row_for(index)
            return None if row is None else status_icon(row.shown_status)
        if role == _FOREGROUND:
            if index.column() != Column.STATUS:
                return None
            row = self._row_for(index)
            return None if row is None else status_color(row.shown_status)
        if role == _ALIGNMENT:
            return _RIGHT if index.column() == Column.AMOUNT else None
        if role == _TOOLTIP:
            row = self._row_for(index)
            return None if row is None else self._tooltip(row, index.column())
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; -1 (the header's indicator cleared) is the natural order, newest first.

        Called by the view when a header is clicked. Reversing the same column costs nothing:
        the lists are read from the other end.
        """
        column = column if 0 <= column < COLUMN_COUNT else -1
        descending = True if column < 0 else order == Qt.SortOrder.DescendingOrder
        if column == self._sort_column and descending == self._descending:
            return

        def update() -> None:
            if column != self._sort_column:
                self._sort_column = column
                self._resort()
                self._visible = self._filtered(self._order)
            self._descending = descending

        self._relayout(update)

    # -- filling ------------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[DocumentRow]) -> None:
        """Replace every row (start-up, or after reading the state store again)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._positions = {row.id: p for p, row in enumerate(self._rows)}
        for row in self._rows:
            if row.client_id in self._names:
                row.client_name = self._names[row.client_id]
            row.text = self.message_text(row)
        self._row_names = {row.client_id: row.client_name for row in self._rows}
        self._set_name_text(self._shown_names())
        self._search = [self._search_text(row) for row in self._rows]
        self._status_counts = Counter(row.status for row in self._rows)
        self._status_counts[WAITING] = sum(1 for row in self._rows if row.waiting)
        self._client_counts = Counter(row.client_id for row in self._rows)
        self._count_deliveries(time.time())
        self._keys.clear()
        self._resort()
        self._visible = self._filtered(self._order)
        self._where = None
        self.endResetModel()
        self.clients_changed.emit()
        self.counts_changed.emit()

    def set_client_names(self, names: Mapping[str, str]) -> None:
        """Names from the platform's client list; rows show the id until a name is known.

        Costs the number of clients, not of rows: rows read their client's name when shown.
        """
        names = dict(names)
        if names == self._names:
            return
        before = self._name_text
        self._names = names
        self._set_name_text(self._shown_names())
        self.clients_changed.emit()
        if self._name_text == before:
            return
        self._keys.pop(Column.CLIENT, None)
        if self._sort_column == Column.CLIENT or self._words:
            self._relayout(self._refresh_all)
        else:
            self._emit_all_changed()

    def set_language(self, language: Language) -> None:
        """Kind and status words come from the core per language; headers from Qt's translator."""
        if language == self._language:
            return
        self._language = language
        if self._own_locale:  # amounts' words; their sort keys are numbers, kept
            self._locale = ferry_locale()
        self._kind_words.clear()
        self._status_words.clear()
        for row in self._rows:
            row.text = self.message_text(row)
        self._search = [self._search_text(row) for row in self._rows]
        self._keys.pop(Column.KIND, None)
        self._keys.pop(Column.MESSAGE, None)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        if self._sort_column in (Column.KIND, Column.MESSAGE) or self._words:
            self._relayout(self._refresh_all)
        else:
            self._emit_all_changed()

    def apply_changes(self, changes: Sequence[DocumentChanged]) -> None:
        """One batch of engine events (``EngineBridge.documents_changed``), in arrival order.

        Rows are updated in place and new documents added; the view hears about it once per
        batch — a ``dataChanged`` over the touched rows, one insert at the edge, or one layout
        change when rows enter, leave or move — never once per document.
        """
        if not changes:
            return
        where = self._ensure_where()
        rows = self._rows
        column = self._sort_column
        keys = self._keys.get(column) if column >= 0 else None
        touched: dict[int, Any] = {}  # position of an existing row -> its sort key before
        added: list[int] = []
        new_clients = False
        now = time.time()
        if _local_midnight(now) != self._day_start:  # a new day: today's count starts over
            self._count_deliveries(now)
        for change in changes:
            p = self._positions.get(change.document_id)
            if p is None:
                name = self._known_name(change.client_id)
                attempt = now if change.status != DeliveryStatus.TO_FETCH else None
                row = DocumentRow.from_change(change, name, attempt)
                row.text = self.message_text(row)
                p = len(rows)
                rows.append(row)
                self._positions[row.id] = p
                self._note_client(row)
                self._search.append(self._search_text(row))
                for key_column, column_keys in self._keys.items():
                    column_keys.append(self._key(key_column, row))
                where.append(-1)
                self._note_delivery(row, 1)
                self._status_counts[row.status] += 1
                self._status_counts[WAITING] += row.waiting
                if self._client_counts[row.client_id] == 0:
                    new_clients = True
                self._client_counts[row.client_id] += 1
                added.append(p)
                continue
            row = rows[p]
            if p not in touched and (not added or p < added[0]):
                touched[p] = keys[p] if keys is not None else None
            new_clients = self._update_row(p, row, change, now) or new_clients
        self._settle(touched, added)
        if new_clients:
            self.clients_changed.emit()
        self.counts_changed.emit()

    # -- filters ------------------------------------------------------------------------------

    def set_filters(
        self, *, status: str | None = None, client_id: str | None = None, text: str = ""
    ) -> None:
        """All three filters at once: one pass over the rows, one layout change."""
        words = tuple(search_word(word) for word in text.casefold().split())
        if (status, client_id, words) == (self._status_filter, self._client_filter, self._words):
            self._text_filter = text
            return

        def update() -> None:
            self._status_filter, self._client_filter = status, client_id
            self._text_filter, self._words = text, words
            self._visible = self._filtered(self._order)

        self._relayout(update)
        self.counts_changed.emit()

    def set_status_filter(self, status: str | None) -> None:
        self.set_filters(status=status, client_id=self._client_filter, text=self._text_filter)

    def set_client_filter(self, client_id: str | None) -> None:
        self.set_filters(status=self._status_filter, client_id=client_id, text=self._text_filter)

    def set_text_filter(self, text: str) -> None:
        """Every word must appear (any case) in the client, kind, number, date, amount,
        status, message or path."""
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

    # -- reading ------------------------------------------------------------------------------

    def row_at(self, view_row: int) -> DocumentRow:
        """The document shown at a view row (after filter and sort)."""
        return self._named(self._rows[self._position(view_row)])

    def rows_at(self, view_rows: Iterable[int]) -> list[DocumentRow]:
        return [self._named(self._rows[self._position(r)]) for r in view_rows]

    def view_row_of(self, document_id: str) -> int | None:
        """Where a document is shown now, or None when it is filtered out or unknown."""
        p = self._positions.get(document_id)
        if p is None:
            return None
        i = self._ensure_where()[p]
        return None if i < 0 else self._view_row(i)

    def document(self, document_id: str) -> DocumentRow | None:
        p = self._positions.get(document_id)
        return None if p is None else self._named(self._rows[p])

    def total_count(self) -> int:
        return len(self._rows)

    def count(self, status: str) -> int:
        return self._status_counts[status]

    def delivered_today(self) -> int:
        """Documents forwarded since local midnight (each once, at its latest delivery)."""
        now = time.time()
        if _local_midnight(now) != self._day_start:
            self._count_deliveries(now)
        return self._today

    def last_delivery(self) -> float | None:
        """When the latest forwarded document was delivered (a timestamp), None if never."""
        return self._last_delivery

    def _count_deliveries(self, now: float) -> None:
        self._day_start = _local_midnight(now)
        self._today = 0
        self._last_delivery = None
        for row in self._rows:
            self._note_delivery(row, 1)

    def _note_delivery(self, row: DocumentRow, sign: int) -> None:
        """Count ``row`` in (1) or out (-1) of today's deliveries, as it is now."""
        if row.status != DeliveryStatus.FORWARDED or row.last_attempt is None:
            return
        if row.last_attempt >= self._day_start:
            self._today += sign
        if sign > 0 and (self._last_delivery is None or row.last_attempt > self._last_delivery):
            self._last_delivery = row.last_attempt

    def clients(self) -> list[tuple[str, str]]:
        """(client id, name) of every client with documents or a known name, by name."""
        ids = {cid for cid, n in self._client_counts.items() if n} | set(self._names)
        pairs = [(cid, self._names.get(cid, cid)) for cid in ids]
        return sorted(pairs, key=lambda pair: (pair[1].casefold(), pair[0]))

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
        """The whole message, for the tooltip, the details and Copy error: as the message
        column, with what the system or the platform said (the words a technician needs)."""
        if row.failures:
            next_try = row.next_try if row.waiting else None
            return words(row.failures, self._language, next_try=next_try)
        return row.text

    def message_text(self, row: DocumentRow) -> str:
        """The message column: the failures in the model's language (a waiting document's
        with its next try) without what the system or the platform said in their own words,
        where a forwarded document's files were picked up or moved from, or, for a row that
        carries no failures (older data), its stored message."""
        if row.failures:
            next_try = row.next_try if row.waiting else None
            return words(without_foreign_words(row.failures), self._language, next_try=next_try)
        if row.moved and row.status == DeliveryStatus.FORWARDED.value:
            return moved_words(row.moved)
        return row.message or ""

    # -- internals: cells ---------------------------------------------------------------------

    def _row_for(self, index: Index) -> DocumentRow | None:
        r = index.row()
        visible = self._visible
        if not 0 <= r < len(visible):
            return None
        return self._rows[visible[-1 - r] if self._descending else visible[r]]

    def _tooltip(self, row: DocumentRow, column: int) -> str | None:
        if column == Column.DESTINATION:
            return "\n".join(row.locations) or None
        if column in (Column.MESSAGE, Column.STATUS):
            return self.full_text(row) or None
        if column == Column.CLIENT:
            return f"{self._client_name(row)} ({row.client_id})"
        return None

    def _client_name(self, row: DocumentRow) -> str:
        return self._names.get(row.client_id, row.client_name)

    def _named(self, row: DocumentRow) -> DocumentRow:
        """A row handed out, carrying its client's current name."""
        row.client_name = self._client_name(row)
        return row

    def _known_name(self, client_id: str) -> str:
        """The name for a client's new row: the platform's, else its other rows', else the id."""
        return self._names.get(client_id) or self._row_names.get(client_id, client_id)

    def _note_client(self, row: DocumentRow) -> None:
        """A row arrived or changed client: its client's name for the text filter."""
        self._row_names[row.client_id] = row.client_name
        text = self._client_name(row).casefold()
        if self._name_text.get(row.client_id) != text:
            self._name_text[row.client_id] = text
            self._named_cache.clear()

    def _set_name_text(self, name_text: dict[str, str]) -> None:
        self._name_text = name_text
        self._named_cache.clear()

    def _shown_names(self) -> dict[str, str]:
        """Client id -> the casefolded name its rows show."""
        names = self._names
        return {
            cid: names.get(cid, fallback).casefold() for cid, fallback in self._row_names.items()
        }

    def _clients_named(self, word: str) -> set[str]:
        """The clients whose shown name contains ``word`` (casefolded)."""
        named = self._named_cache.get(word)
        if named is None:
            named = {cid for cid, text in self._name_text.items() if word in text}
            self._named_cache[word] = named
        return named

    def _search_text(self, row: DocumentRow) -> str:
        """Everything a text filter looks in, except the client's name (``_name_text``)."""
        parts = [
            self.kind_label(row.kind),
            row.number,
            row.issue_date,
            self.status_label(row.shown_status),
            row.text,
            *row.locations,
        ]
        if row.amount is not None:
            parts.append(row.amount)
            parts.append(self.amount_text(row))
            parts.append(amount_digits(row.amount))
        if row.currency:
            parts.append(row.currency)
        return "\n".join(parts).casefold()

    def _key(self, column: int, row: DocumentRow) -> Any:
        return self._key_functions[column](row)

    def _sort_keys(self, column: int) -> list[Any]:
        keys = self._keys.get(column)
        if keys is None:
            key = self._key_functions[column]
            keys = self._keys[column] = [key(row) for row in self._rows]
        return keys

    # -- internals: order and filter ----------------------------------------------------------

    def _resort(self) -> None:
        if self._sort_column < 0:
            self._order = list(range(len(self._rows)))
        else:
            keys = self._sort_keys(self._sort_column)
            self._order = sorted(range(len(self._rows)), key=keys.__getitem__)

    def _matches(self, p: int) -> bool:
        row = self._rows[p]
        if self._status_filter is not None and not _has_status(row, self._status_filter):
            return False
        if self._client_filter is not None and row.client_id != self._client_filter:
            return False
        text = self._search[p]
        return all(
            word in text or row.client_id in self._clients_named(word) for word in self._words
        )

    def _filtered(self, positions: list[int]) -> list[int]:
        """Positions that pass the filters, order kept: one comprehension per active filter."""
        rows, search = self._rows, self._search
        result = positions
        if self._status_filter == WAITING:
            result = [p for p in result if rows[p].waiting]
        elif self._status_filter is not None:
            status = self._status_filter
            result = [p for p in result if rows[p].status == status]
        if self._client_filter is not None:
            client = self._client_filter
            result = [p for p in result if rows[p].client_id == client]
        for word in self._words:
            named = self._clients_named(word)
            if named:
                result = [p for p in result if word in search[p] or rows[p].client_id in named]
            else:
                result = [p for p in result if word in search[p]]
        return list(result) if result is positions else result

    def _sort_key_function(self) -> Callable[[int], Any] | None:
        if self._sort_column < 0:
            return None
        keys = self._sort_keys(self._sort_column)
        return lambda p: (keys[p], p)

    def _insert(self, target: list[int], positions: Iterable[int]) -> None:
        key = self._sort_key_function()
        for p in positions:
            if key is None:
                bisect.insort(target, p)
            else:
                bisect.insort(target, p, key=key)

    def _position(self, view_row: int) -> int:
        visible = self._visible
        if not 0 <= view_row < len(visible):
            raise IndexError(view_row)
        return visible[-1 - view_row] if self._descending else visible[view_row]

    def _view_row(self, i: int) -> int:
        """The view row of the i-th entry of ``_visible``."""
        return len(self._visible) - 1 - i if self._descending else i

    def _ensure_where(self) -> list[int]:
        """Position -> index in ``_visible`` (-1 when hidden), rebuilt lazily after a relayout."""
        where = self._where
        if where is None or len(where) != len(self._rows):
            where = [-1] * len(self._rows)
            for i, p in enumerate(self._visible):
                where[p] = i
            self._where = where
        return where

    def _relayout(self, update: Callable[[], None]) -> None:
        """Run ``update`` inside one layout change, carrying persistent indexes (selection,
        current row) to where their documents went, or dropping them when filtered out."""
        _with_hint(self.layoutAboutToBeChanged).emit([], _VERTICAL_SORT)
        persistent = self.persistentIndexList()
        before: list[tuple[int, int]] = []
        for index in persistent:
            r = index.row()
            before.append(
                (self._position(r) if 0 <= r < len(self._visible) else -1, index.column())
            )
        update()
        self._where = None
        if persistent:
            where = self._ensure_where()
            after: list[QModelIndex] = []
            for p, column in before:
                i = where[p] if p >= 0 else -1
                after.append(self.index(self._view_row(i), column) if i >= 0 else QModelIndex())
            self.changePersistentIndexList(persistent, after)
        _with_hint(self.layoutChanged).emit([], _VERTICAL_SORT)

    def _refresh_all(self) -> None:
        self._resort()
        self._visible = self._filtered(self._order)

    def _emit_all_changed(self) -> None:
        if self._visible:
            last = self.index(len(self._visible) - 1, COLUMN_COUNT - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _update_row(self, p: int, row: DocumentRow, change: DocumentChanged, now: float) -> bool:
        """Apply one change in place; True when it moved the row to a client not seen before."""
        new_client = False
        self._note_delivery(row, -1)
        if row.status != change.status:
            self._status_counts[row.status] -= 1
            self._status_counts[change.status] += 1
        was_waiting = row.waiting
        if change.status != DeliveryStatus.TO_FETCH or change.failures:
            row.last_attempt = now
        row.kind, row.number, row.issue_date = change.kind, change.number, change.issue_date
        row.amount, row.currency = change.amount, change.currency
        row.status, row.message = change.status, change.message
        row.locations = list(change.locations)
        row.failures = failures_of(change.failures)
        row.next_try = change.next_try
        row.moved = list(change.moved)
        row.text = self.message_text(row)
        self._note_delivery(row, 1)
        self._status_counts[WAITING] += row.waiting - was_waiting
        if row.client_id != change.client_id:
            self._client_counts[row.client_id] -= 1
            new_client = self._client_counts[change.client_id] == 0
            self._client_counts[change.client_id] += 1
            row.client_id = change.client_id
            row.client_name = self._known_name(change.client_id)
            self._note_client(row)
        self._search[p] = self._search_text(row)
        for column, keys in self._keys.items():
            keys[p] = self._key(column, row)
        return new_client

    def _settle(self, touched: dict[int, Any], added: list[int]) -> None:
        """Tell the view about a batch already applied to the rows, with as few signals as the
        change allows (see ``apply_changes``)."""
        where = self._ensure_where()
        column = self._sort_column
        keys = self._keys.get(column) if column >= 0 else None
        moved = [p for p, old in touched.items() if keys[p] != old] if keys is not None else []
        moved_set = set(moved)
        leaving = [p for p in touched if where[p] >= 0 and not self._matches(p)]
        entering = [p for p in touched if where[p] < 0 and self._matches(p)]
        shown_moving = [p for p in moved if where[p] >= 0 and p not in leaving]
        new_shown = [p for p in added if self._matches(p)]
        key = self._sort_key_function()
        if key is not None:
            new_shown.sort(key=key)
        at_edge = (
            not new_shown
            or not self._visible
            or key is None
            or (key(new_shown[0]) > key(self._visible[-1]))
        )
        if not leaving and not entering and not shown_moving and at_edge:
            self._order_add(moved, moved_set, added)
            self._changed_in_place([p for p in touched if where[p] >= 0])
            if new_shown:
                self._append_visible(new_shown)
            return

        def update() -> None:
            self._order_add(moved, moved_set, added)
            total = len(leaving) + len(entering) + len(shown_moving) + len(new_shown)
            if total * _RESORT_FRACTION > len(self._rows):
                self._visible = self._filtered(self._order)
                return
            gone = set(leaving) | set(shown_moving)
            if gone:
                self._visible = [p for p in self._visible if p not in gone]
            self._insert(self._visible, [*entering, *shown_moving, *new_shown])

        self._relayout(update)

    def _order_add(self, moved: list[int], moved_set: set[int], added: list[int]) -> None:
        """Keep ``_order`` (every row, sorted) right after rows changed key or arrived."""
        if len(moved) + len(added) > max(1, len(self._rows) // _RESORT_FRACTION):
            self._resort()
            return
        if moved:
            self._order = [p for p in self._order if p not in moved_set]
        if self._sort_column < 0:
            self._insert(self._order, moved)
            self._order.extend(added)  # the largest positions: already in natural order
        else:
            self._insert(self._order, [*moved, *added])

    def _changed_in_place(self, positions: list[int]) -> None:
        if not positions:
            return
        where = self._ensure_where()
        view_rows = [self._view_row(where[p]) for p in positions]
        top, bottom = min(view_rows), max(view_rows)
        self.dataChanged.emit(self.index(top, 0), self.index(bottom, COLUMN_COUNT - 1))

    def _append_visible(self, positions: list[int]) -> None:
        """New rows that sort after every shown row: one insert, at the top when descending."""
        count = len(positions)
        start = 0 if self._descending else len(self._visible)
        self.beginInsertRows(QModelIndex(), start, start + count - 1)
        first = len(self._visible)
        self._visible.extend(positions)
        where = self._ensure_where()
        for i, p in enumerate(positions, first):
            where[p] = i
        self.endInsertRows()
