"""The client links as a table model: one row per client, one checkable column per destination.

The model keeps two states per client: the link as saved in the settings, and the link as the
person is editing it. Only the difference is ever written (see :meth:`ClientLinksModel.pending`),
so saving the links never undoes a change someone made to the settings file meanwhile.

A new link has no start yet ("from now"): its moment is fixed when it is saved, because only
documents created after a link starts are delivered and the person expects "now" to mean the
moment they pressed *Save*, not the moment they ticked the box.

Clients come from the platform; a client that no longer appears there but is still linked keeps
its row (under its id), so it can be seen and unlinked instead of lingering unseen in the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from app.core.language import FALLBACK, Language
from app.core.vat import VatCheck, check_vat
from app.gui.i18n import date_format, ferry_locale
from app.settings import ClientLink, Settings

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2

_GREY = QColor(130, 130, 130)
_RED = QColor(176, 0, 32)
_GREEN = QColor(0, 120, 60)


class PlatformClient(Protocol):
    """What the table needs of a client: the API's ``Client`` or the engine's ``ClientInfo``."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def vat_number(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def accounting_file_id(self) -> str: ...
    @property
    def shares_documents(self) -> bool: ...


class Column(IntEnum):
    """The fixed columns; the destination columns sit between ``NAME`` and ``FILE_ID``."""

    NAME = 0
    FILE_ID = 1
    VAT = 2
    VAT_CHECK = 3
    SHARES = 4
    LINKED_SINCE = 5
    DELIVER_FROM = 6


# Marked for pyside6-lupdate here, translated when shown.
_HEADERS = {
    Column.NAME: QT_TRANSLATE_NOOP("ClientLinksModel", "Client"),
    Column.FILE_ID: QT_TRANSLATE_NOOP("ClientLinksModel", "Accounting file id"),
    Column.VAT: QT_TRANSLATE_NOOP("ClientLinksModel", "VAT number"),
    Column.VAT_CHECK: QT_TRANSLATE_NOOP("ClientLinksModel", "VAT check"),
    Column.SHARES: QT_TRANSLATE_NOOP("ClientLinksModel", "Shares documents"),
    # the platform's sharing, not Ferry's links to destinations (the *Linked* filter's)
    Column.LINKED_SINCE: QT_TRANSLATE_NOOP("ClientLinksModel", "Sharing since"),
    Column.DELIVER_FROM: QT_TRANSLATE_NOOP("ClientLinksModel", "Deliver from"),
}


def start_of_day(day: QDate) -> dt.datetime:
    """The first moment of ``day`` in the computer's time zone, as an aware UTC moment."""
    local = dt.datetime(day.year(), day.month(), day.day()).astimezone()
    return local.astimezone(dt.UTC)


def format_day(moment: dt.datetime) -> str:
    """The local day of ``moment`` in Ferry's regional format (:func:`app.gui.i18n.date_format`)."""
    local = moment.astimezone()
    return ferry_locale().toString(QDate(local.year, local.month, local.day), date_format())


def format_moment(moment: dt.datetime) -> str:
    """A day when it starts at local midnight (a picked date), else the day and the minute."""
    local = moment.astimezone()
    if local.time() == dt.time(0, 0):
        return format_day(local)
    return f"{format_day(local)} {local.strftime('%H:%M')}"


@dataclass
class ClientRow:
    """One client: what the platform says, the saved link, and the link being edited."""

    id: str
    name: str
    vat_number: str
    country: str
    platform_file_id: str
    shares_documents: bool
    linked_since: dt.datetime | None
    on_platform: bool
    vat: VatCheck
    saved: ClientLink | None = None
    destinations: set[str] = field(default_factory=set)
    file_id: str = ""
    since: dt.datetime | None = None  # None: from the moment it is saved

    @classmethod
    def of(cls, client: PlatformClient) -> ClientRow:
        row = cls(
            id=client.id,
            name=client.name,
            vat_number=client.vat_number,
            country=client.country,
            platform_file_id=client.accounting_file_id,
            shares_documents=client.shares_documents,
            linked_since=getattr(client, "linked_since", None),
            on_platform=True,
            vat=check_vat(client.vat_number, client.country or None),
        )
        row.file_id = row.platform_file_id
        return row

    @classmethod
    def missing(cls, link: ClientLink) -> ClientRow:
        """A linked client the platform no longer lists."""
        return cls(
            id=link.client_id,
            name=link.client_id,
            vat_number="",
            country="",
            platform_file_id=link.accounting_file_id or "",
            shares_documents=False,
            linked_since=None,
            on_platform=False,
            vat=check_vat(""),
        )

    def take_platform(self, client: PlatformClient) -> None:
        """Newer platform data; the person's own edit of the file id is kept."""
        edited_file_id = self.file_id != self._base_file_id()
        fresh = ClientRow.of(client)
        for name in (
            "name",
            "vat_number",
            "country",
            "platform_file_id",
            "shares_documents",
            "linked_since",
            "on_platform",
            "vat",
        ):
            setattr(self, name, getattr(fresh, name))
        if not edited_file_id:
            self.file_id = self._base_file_id()

    def _base_file_id(self) -> str:
        if self.saved is not None and self.saved.accounting_file_id:
            return self.saved.accounting_file_id
        return self.platform_file_id

    def _base(self, known: set[str]) -> tuple[frozenset[str], str, dt.datetime | None]:
        destinations = frozenset(self.saved.destinations) & known if self.saved else frozenset()
        return destinations, self._base_file_id(), self.saved.since if self.saved else None

    def adopt(self, saved: ClientLink | None, known: set[str]) -> None:
        """Make ``saved`` the link on file and drop any edit of this row."""
        self.saved = saved
        self.destinations = set(saved.destinations) & known if saved else set()
        self.file_id = self._base_file_id()
        self.since = saved.since if saved else None

    def changed(self, known: set[str]) -> bool:
        base_destinations, base_file_id, base_since = self._base(known)
        if frozenset(self.destinations) != base_destinations:
            return True
        if not self.destinations:
            return False  # an unlinked client has nothing to save, whatever was typed
        return self.file_id != base_file_id or self.since != base_since

    @property
    def linkable(self) -> bool:
        return self.shares_documents and self.on_platform

    def link(self, order: Sequence[str], now: dt.datetime) -> ClientLink | None:
        if not self.destinations:
            return None
        return ClientLink(
            client_id=self.id,
            destinations=[name for name in order if name in self.destinations],
            accounting_file_id=self.file_id.strip() or None,
            since=self.since or now,
        )

    def search_text(self) -> str:
        compact = self.vat.compact or ""
        bare = "".join(ch for ch in self.vat_number if ch.isalnum())
        return " ".join(
            (self.name, self.vat_number, compact, bare, self.file_id, self.platform_file_id)
        ).casefold()


class ClientLinksModel(QAbstractTableModel):
    """Clients × destinations, with the edits kept until they are saved (or given up)."""

    def __init__(self, language: Language = FALLBACK, parent: Any = None) -> None:
        super().__init__(parent)
        self.language = language
        self._rows: list[ClientRow] = []
        self._by_id: dict[str, ClientRow] = {}
        self._destinations: list[str] = []
        self._clients_known = False

    def retranslate(self, language: Language) -> None:
        """A language switch: the headers and every cell's words (VAT reasons, days)."""
        self.language = language
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    # -- shape ---------------------------------------------------------------------------------

    @property
    def destinations(self) -> list[str]:
        return list(self._destinations)

    @property
    def clients_known(self) -> bool:
        """Whether the platform's clients arrived (an empty list counts)."""
        return self._clients_known

    def rows(self) -> list[ClientRow]:
        return list(self._rows)

    def row_of(self, client_id: str) -> int:
        row = self._by_id.get(client_id)
        return -1 if row is None else self._rows.index(row)

    def client_row(self, row: int) -> ClientRow:
        return self._rows[row]

    def column_of(self, column: Column) -> int:
        if column is Column.NAME:
            return 0
        return len(self._destinations) + int(column)

    def destination_column(self, name: str) -> int:
        return 1 + self._destinations.index(name)

    def column_kind(self, column: int) -> tuple[Column | None, str | None]:
        """The fixed column at ``column``, or the destination whose column it is."""
        if column == 0:
            return Column.NAME, None
        if column <= len(self._destinations):
            return None, self._destinations[column - 1]
        return Column(column - len(self._destinations)), None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Column) + len(self._destinations)

    # -- feeding -------------------------------------------------------------------------------

    def set_clients(self, clients: Iterable[PlatformClient]) -> None:
        """The platform's clients; edits in progress survive a refresh."""
        clients = list(clients)
        listed = {client.id for client in clients}
        same = [row.id for row in self._rows if row.on_platform] == [c.id for c in clients] and all(
            row.on_platform for row in self._rows
        )
        self._clients_known = True
        if same and self._rows:
            for client in clients:
                self._by_id[client.id].take_platform(client)
            self._all_changed()
            return
        self.beginResetModel()
        rows: list[ClientRow] = []
        for client in clients:
            existing = self._by_id.get(client.id)
            if existing is None:
                existing = ClientRow.of(client)
                existing.adopt(None, set(self._destinations))
            else:
                existing.take_platform(client)
            rows.append(existing)
        for row in self._rows:  # linked, or being linked, but no longer on the platform
            if row.id not in listed and (row.saved is not None or row.destinations):
                row.on_platform = False
                row.shares_documents = False
                rows.append(row)
        self._set_rows(rows)
        self.endResetModel()

    def set_settings(self, settings: Settings, *, keep_edits: bool = True) -> None:
        """The settings on file: the saved links, and the destinations as columns.

        With ``keep_edits``, a client the person changed keeps the change (less any destination
        that no longer exists); every other client follows the file.
        """
        names = [destination.name for destination in settings.destinations]
        known = set(names)
        old_known = set(self._destinations)
        links = {link.client_id: link for link in settings.links}
        reshaped = names != self._destinations
        rows = list(self._rows)
        for row in rows:
            if keep_edits and row.changed(old_known):
                row.saved = links.get(row.id)
                row.destinations &= known
            else:
                row.adopt(links.get(row.id), known)
        present = {row.id for row in rows}
        for client_id, link in links.items():
            if client_id not in present:
                row = ClientRow.missing(link)
                row.adopt(link, known)
                rows.append(row)
        # a client gone from the platform leaves once nothing links it any more
        rows = [row for row in rows if row.on_platform or row.saved or row.destinations]
        if reshaped or [row.id for row in rows] != [row.id for row in self._rows]:
            self.beginResetModel()  # columns or clients came or went: rare, and cheap here
            self._destinations = names
            self._set_rows(rows)
            self.endResetModel()
        else:
            self._all_changed()

    def _set_rows(self, rows: list[ClientRow]) -> None:
        self._rows = rows
        self._by_id = {row.id: row for row in rows}

    def _all_changed(self) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
            )

    # -- the edited links ----------------------------------------------------------------------

    def links(self, now: dt.datetime | None = None) -> list[ClientLink]:
        """Every link as edited; a new link starts at ``now`` (the moment of asking)."""
        moment = now or dt.datetime.now(dt.UTC)
        found = (row.link(self._destinations, moment) for row in self._rows)
        return [link for link in found if link is not None]

    def pending(self, now: dt.datetime | None = None) -> dict[str, ClientLink | None]:
        """The clients changed and not saved: their new link, or None for an unlinked one."""
        moment = now or dt.datetime.now(dt.UTC)
        known = set(self._destinations)
        return {
            row.id: row.link(self._destinations, moment) for row in self._rows if row.changed(known)
        }

    def catch_up(self, now: dt.datetime) -> list[str]:
        """Changed clients whose documents before ``now`` are now due somewhere new.

        The changes feed only brings what is new, so a link that starts on an earlier day, or
        an existing link that gains a destination, needs a full sync of that client to deliver
        what the platform already holds.
        """
        known = set(self._destinations)
        due: list[str] = []
        for row in self._rows:
            if not row.changed(known) or not row.destinations:
                continue
            saved = row.saved
            before = set(saved.destinations) & known if saved else set()
            earlier = row.since is not None and (saved is None or row.since < saved.since)
            gained = saved is not None and bool(row.destinations - before) and saved.since < now
            if earlier or gained:
                due.append(row.id)
        return due

    def rename_destination(self, old: str, new: str) -> None:
        """A destination was renamed: its column, the saved links and the edits in progress
        follow the new name, so nothing ticked for it is lost."""
        if old not in self._destinations or old == new:
            return
        self.beginResetModel()
        self._destinations = [new if name == old else name for name in self._destinations]
        for row in self._rows:
            if old in row.destinations:
                row.destinations = (row.destinations - {old}) | {new}
            if row.saved is not None and old in row.saved.destinations:
                renamed = [new if name == old else name for name in row.saved.destinations]
                row.saved = row.saved.model_copy(update={"destinations": renamed})
        self.endResetModel()

    def pending_count(self) -> int:
        known = set(self._destinations)
        return sum(1 for row in self._rows if row.changed(known))

    def revert(self) -> None:
        """Give up every edit: back to the settings on file."""
        known = set(self._destinations)
        for row in self._rows:
            row.adopt(row.saved, known)
        self._all_changed()

    # -- editing -------------------------------------------------------------------------------

    def set_linked(self, rows: Iterable[int], destination: str, linked: bool) -> tuple[int, int]:
        """Link or unlink ``rows`` to ``destination``: (clients changed, clients refused)."""
        changed = refused = 0
        for number in rows:
            row = self._rows[number]
            if linked and destination not in row.destinations and not row.linkable:
                refused += 1
                continue
            before = set(row.destinations)
            if linked:
                row.destinations.add(destination)
            else:
                row.destinations.discard(destination)
            if row.destinations != before:
                changed += 1
                self._row_changed(number)
        return changed, refused

    def set_start(self, rows: Iterable[int], since: dt.datetime | None) -> int:
        """Deliver the linked ``rows``' documents from ``since`` (None: from now)."""
        changed = 0
        for number in rows:
            row = self._rows[number]
            if row.destinations and row.since != since:
                row.since = since
                changed += 1
                self._row_changed(number)
        return changed

    def _row_changed(self, number: int) -> None:
        self.dataChanged.emit(self.index(number, 0), self.index(number, self.columnCount() - 1))

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        row = self._rows[index.row()]
        base = Qt.ItemFlag.ItemIsSelectable
        column, destination = self.column_kind(index.column())
        if destination is not None:
            if row.linkable or destination in row.destinations:  # unlinking is always allowed
                return base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
            return base  # shown, greyed, with the reason in its tooltip
        flags = base | Qt.ItemFlag.ItemIsEnabled
        if column is Column.FILE_ID or (column is Column.DELIVER_FROM and row.destinations):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        row = self._rows[index.row()]
        column, destination = self.column_kind(index.column())
        if destination is not None and role == Qt.ItemDataRole.CheckStateRole:
            checked = _checked(value)
            changed, _ = self.set_linked([index.row()], destination, checked)
            return changed > 0 or (destination in row.destinations) == checked
        if role != Qt.ItemDataRole.EditRole:
            return False
        if column is Column.FILE_ID:
            text = str(value or "").strip()
            if text != row.file_id:
                row.file_id = text
                self._row_changed(index.row())
            return True
        if column is Column.DELIVER_FROM and row.destinations:
            since = start_of_day(value) if isinstance(value, QDate) and value.isValid() else None
            self.set_start([index.row()], since)
            return True
        return False

    # -- showing -------------------------------------------------------------------------------

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or section >= self.columnCount():
            return None
        column, destination = self.column_kind(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if destination is not None:
                return destination
            assert column is not None
            return self.tr(str(_HEADERS[column]))
        if role == Qt.ItemDataRole.ToolTipRole:
            if destination is not None:
                return self.tr("Tick to deliver the client's documents to “%1”.").replace(
                    "%1", destination
                )
            return self._header_tip(column)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column, destination = self.column_kind(index.column())
        if role == CLIENT_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.FontRole and column is Column.NAME:
            if row.changed(set(self._destinations)):
                font = QFont()
                font.setBold(True)
                return font
            return None
        if destination is not None:
            return self._destination_data(row, destination, role)
        assert column is not None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.EditRole:
            if column is Column.FILE_ID:
                return row.file_id
            if column is Column.DELIVER_FROM:
                if row.since is None:
                    return None
                local = row.since.astimezone()
                return QDate(local.year, local.month, local.day)
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.linkable and column is Column.NAME:
                return _GREY
            if column is Column.VAT_CHECK:
                return _GREEN if row.vat.valid else _RED
            if column is Column.SHARES and not row.shares_documents:
                return _GREY
            if column is Column.DELIVER_FROM and row.since is None:
                return _GREY
            if column is Column.FILE_ID and not row.file_id:
                return _GREY
        return None

    def _destination_data(self, row: ClientRow, destination: str, role: int) -> Any:
        linked = destination in row.destinations
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if linked else Qt.CheckState.Unchecked
        if role == SORT_ROLE:
            return int(linked)
        if role == Qt.ItemDataRole.ToolTipRole:
            if not row.linkable and not linked:
                return self.refusal(row)
            if linked:
                return self.tr("Delivered to “%1”. Untick to stop.").replace("%1", destination)
            return self.tr("Tick to deliver this client's documents to “%1”.").replace(
                "%1", destination
            )
        return None

    def _text(self, row: ClientRow, column: Column) -> str:
        if column is Column.NAME:
            if row.on_platform or not self._clients_known:
                return row.name
            return self.tr("%1 (no longer on the platform)").replace("%1", row.id)
        if column is Column.FILE_ID:
            return row.file_id
        if column is Column.VAT:
            return row.vat_number
        if column is Column.VAT_CHECK:
            if not row.on_platform:
                return ""
            if row.vat.valid:
                return self.tr("Valid")
            return row.vat.reason(self.language) or ""
        if column is Column.SHARES:
            return self.tr("Yes") if row.shares_documents else self.tr("No")
        if column is Column.LINKED_SINCE:
            if row.linked_since is None or not row.shares_documents:
                return ""  # no longer sharing: since when it once did is no news
            return format_day(row.linked_since)
        if column is Column.DELIVER_FROM:
            if not row.destinations:
                return ""
            if row.since is None:
                return self.tr("From now (when saved)")
            return format_moment(row.since)
        return ""

    def _sort_key(self, row: ClientRow, column: Column) -> Any:
        if column is Column.NAME:
            return row.name.casefold()
        if column is Column.VAT_CHECK:
            return (int(row.vat.valid), self._text(row, column))
        if column is Column.SHARES:
            return int(row.shares_documents)
        if column is Column.LINKED_SINCE:
            shown = row.linked_since is not None and row.shares_documents
            return row.linked_since.timestamp() if shown and row.linked_since else 0.0
        if column is Column.DELIVER_FROM:
            if not row.destinations:
                return -1.0
            return row.since.timestamp() if row.since else float("inf")
        return self._text(row, column).casefold()

    def _tooltip(self, row: ClientRow, column: Column) -> str | None:
        if column is Column.NAME:
            if not self._clients_known:
                return self.tr("Ferry has not heard from the platform yet; its clients come next.")
            if not row.on_platform:
                return self.tr(
                    "The platform no longer lists this client. It stays linked until you untick it."
                )
            return self.refusal(row) if not row.linkable else row.name
        if column is Column.FILE_ID:
            if not row.file_id:
                return self.tr(
                    "No accounting file id: a path that uses [accounting_file_id] cannot be "
                    "built for this client. Double-click to type it."
                )
            if row.file_id != row.platform_file_id and row.on_platform:
                return self.tr("Changed in Ferry; the platform says “%1”.").replace(
                    "%1", row.platform_file_id or self.tr("nothing")
                )
            return self.tr("From the platform. Double-click to change it for Ferry.")
        if column is Column.VAT_CHECK:
            return self._text(row, column) or None
        if column is Column.SHARES and not row.shares_documents:
            return self.refusal(row)
        if column is Column.LINKED_SINCE:
            return self.tr("When the client started sharing documents with your office.")
        if column is Column.DELIVER_FROM:
            if not row.destinations:
                return self.tr("Link the client first.")
            return self.tr(
                "Only documents created from this moment on are delivered. Double-click to "
                "pick an earlier day."
            )
        return None

    def refusal(self, row: ClientRow) -> str:
        """Why ``row`` cannot be linked, in plain words."""
        if not row.on_platform:
            return self.tr(
                "The platform no longer lists this client, so it cannot be linked again."
            )
        return self.tr(
            "This client does not share its documents with your office on the platform, so there "
            "is nothing to deliver. Once the client shares them, it can be linked here."
        )

    def _header_tip(self, column: Column | None) -> str | None:
        tips = {
            Column.FILE_ID: self.tr(
                "The client's file (dossier) number in the accounting software; prefilled from the "
                "platform, editable here."
            ),
            Column.VAT_CHECK: self.tr(
                "Whether the VAT number's check digits are right for its country."
            ),
            Column.SHARES: self.tr(
                "Only clients who share their documents with your office can be linked."
            ),
            Column.LINKED_SINCE: self.tr(
                "When the client started sharing documents with your office."
            ),
            Column.DELIVER_FROM: self.tr(
                "Only documents created from this moment on are delivered to the destinations."
            ),
        }
        return tips.get(column) if column is not None else None


def _checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return int(value) == Qt.CheckState.Checked.value


class ClientFilter(QSortFilterProxyModel):
    """Search by name, VAT number (any spelling) or file id; optionally only linked clients."""

    SHOW_ALL = "all"
    SHOW_LINKED = "linked"
    SHOW_UNLINKED = "unlinked"
    SHOW_CHANGED = "changed"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._terms: list[str] = []
        self._joined = ""
        self._show = self.SHOW_ALL
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)  # a row must not jump away while it is being ticked

    def set_search(self, text: str) -> None:
        terms = text.casefold().split()
        # "BE 0403.019.261" is one VAT number: also try the query without its separators
        joined = "".join(ch for ch in text.casefold() if ch.isalnum())
        self._change(lambda: self._set_terms(terms, joined))

    def _set_terms(self, terms: list[str], joined: str) -> None:
        self._terms, self._joined = terms, joined

    def set_show(self, show: str) -> None:
        self._change(lambda: setattr(self, "_show", show))

    def _change(self, apply: Callable[[], None]) -> None:
        """Change what is shown, the way the running Qt wants it (6.9 deprecated the old one)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            apply()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            apply()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, ClientLinksModel)
        row = model.client_row(source_row)
        if self._show == self.SHOW_LINKED and not row.destinations:
            return False
        if self._show == self.SHOW_UNLINKED and row.destinations:
            return False
        if self._show == self.SHOW_CHANGED and not row.changed(set(model.destinations)):
            return False
        if not self._terms:
            return True
        text = row.search_text()
        if self._joined and self._joined in text:
            return True
        return all(term in text for term in self._terms)
