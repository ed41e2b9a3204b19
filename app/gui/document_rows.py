"""A document as the status table shows it, and the words, colours and icons it is shown with.

The table's model (:class:`app.gui.table_model.TableModel`) reads its rows from the state a
page at a time; this module holds what a row is (:class:`DocumentRow`), its columns, and how a
value is put into the person's words and number format, shared by the window, the details
dialog, the tray's counts and the benchmarks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Any, cast

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from app.core.failures import Failure
from app.core.kinds import DeliveryStatus, DocumentKind
from app.core.language import Language
from app.engine.messages import DocumentChanged
from app.gui.failure_words import failures_of

Index = QModelIndex | QPersistentModelIndex

# The translations' context keeps the name of the model these words were first written for.
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
    # tooltip, the details and Copy error have them: see TableModel.full_text).
    text: str = ""
    # The cells as the model last worded them (None: to be worded again): a paint asks for
    # every visible cell, and a date or an amount is worded once, not at every paint. Whoever
    # changes the row or the words sets it back to None.
    cells: tuple[str, ...] | None = field(default=None, compare=False, repr=False)

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


def format_timestamp(moment: float | None) -> str:
    """A moment as people read it in a log-like column: local time, to the minute."""
    if moment is None:
        return ""
    return dt.datetime.fromtimestamp(moment).strftime("%Y-%m-%d %H:%M")
