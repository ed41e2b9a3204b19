"""The client links screen, driven as a person would, with clients from the running sandbox:
searching, ticking destinations, typing a file id, the VAT check, clients that cannot be
linked, Save into settings.json, and a real engine sync that delivers the linked client."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QLineEdit, QStyle
from pytestqt.qtbot import QtBot

from app.api.models import Client
from app.core.language import Language
from app.core.vat import check_vat
from app.engine.engine import Engine
from app.gui.client_links import ClientLinksView
from app.gui.client_links_model import Column, start_of_day
from app.gui.day_edit import DayEdit
from app.gui.i18n import date_format
from app.gui.main_window import MainWindow
from app.home import FerryHome
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin
from app.settings import (
    ClientLink,
    Destination,
    Settings,
    load_settings,
    save_settings,
    settings_path,
)
from tests.engine.conftest import belgian_vat, logged_in_home

REALM = "lu"  # a realm of this module's own; the engine test uses "be"


def _destinations(root: Path, *names: str) -> list[Destination]:
    return [
        Destination(name=name, general_path=f"{root}/{name}/[accounting_file_id]") for name in names
    ]


class Office:
    """This module's clients on the sandbox: a few well-known ones among the seeded ones."""

    def __init__(self, sandbox: SandboxServer) -> None:
        self.admin = SandboxAdmin(sandbox.url)
        rng = random.Random(11)
        self.good = self.admin.add_client(
            REALM, "Bakkerij Peeters BV", belgian_vat(rng), country="BE", accounting_file_id="D042"
        )
        self.typo = self.admin.add_client(
            REALM, "Dupont & Fils", "BE0403019262", country="BE", accounting_file_id="D077"
        )
        self.private = self.admin.add_client(
            REALM,
            "Garage Closed SA",
            belgian_vat(rng),
            country="BE",
            accounting_file_id="D099",
            shares_documents=False,
        )

    def clients(self) -> list[Client]:
        return self.admin.clients(REALM)


@pytest.fixture(scope="module")
def office(sandbox: SandboxServer) -> Iterator[Office]:
    office = Office(sandbox)
    try:
        yield office
    finally:
        office.admin.close()


@pytest.fixture
def settings_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "settings"
    folder.mkdir()
    save_settings(folder, Settings(destinations=_destinations(tmp_path, "Winbooks", "Archive")))
    return folder


@pytest.fixture
def view(qtbot: QtBot, office: Office, settings_dir: Path) -> ClientLinksView:
    widget = ClientLinksView(language=Language.EN)
    qtbot.addWidget(widget)
    widget.resize(1300, 600)
    widget.show()
    widget.set_settings(load_settings(settings_dir))
    widget.set_settings_dir(settings_dir)
    widget.set_clients(office.clients())
    return widget


# -- helpers that act as a person would -----------------------------------------------------------


def _proxy_index(view: ClientLinksView, client: Client, column: int) -> QModelIndex:
    source = view.model.index(view.model.row_of(client.id), column)
    index = view.proxy.mapFromSource(source)
    assert index.isValid(), f"{client.name} is not shown"
    return index


def _click_check(qtbot: QtBot, view: ClientLinksView, client: Client, destination: str) -> None:
    """Click the tick box of ``client`` under ``destination`` with the mouse."""
    index = _proxy_index(view, client, view.model.destination_column(destination))
    view.table.scrollTo(index)
    rect = view.table.visualRect(index)
    style = view.table.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
    width = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
    point = QPoint(rect.left() + margin + width // 2, rect.center().y())
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=point)


def _linked(view: ClientLinksView, client: Client) -> set[str]:
    return view.model.client_row(view.model.row_of(client.id)).destinations


def _text(view: ClientLinksView, client: Client, column: Column, role: int = 0) -> object:
    index = view.model.index(view.model.row_of(client.id), view.model.column_of(column))
    return view.model.data(index, role or Qt.ItemDataRole.DisplayRole)


def _select(view: ClientLinksView, *clients: Client) -> None:
    view.table.clearSelection()
    for client in clients:
        index = _proxy_index(view, client, 0)
        view.table.selectionModel().select(
            index,
            view.table.selectionModel().SelectionFlag.Select
            | view.table.selectionModel().SelectionFlag.Rows,
        )


def _save(qtbot: QtBot, view: ClientLinksView) -> Settings:
    assert view.save_button.isEnabled()
    with qtbot.waitSignal(view.saved, timeout=10_000) as saved:
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    settings = saved.args[0]
    assert isinstance(settings, Settings)
    return settings


# -- the tests ------------------------------------------------------------------------------------


def test_every_client_is_listed_with_its_vat_check_and_sharing(
    view: ClientLinksView, office: Office
) -> None:
    clients = office.clients()
    assert view.model.rowCount() == len(clients) > 3  # the seeded ones too
    assert view.proxy.rowCount() == len(clients)
    headers = [
        view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(view.model.columnCount())
    ]
    assert headers[:3] == ["Client", "Winbooks", "Archive"]
    assert "Accounting file id" in headers and "VAT check" in headers
    assert "Shares documents" in headers and "Sharing since" in headers

    assert _text(view, office.good, Column.VAT_CHECK) == "Valid"
    assert _text(view, office.good, Column.FILE_ID) == "D042"
    assert _text(view, office.good, Column.SHARES) == "Yes"
    # the invalid number is said in the core's own words
    expected = check_vat("BE0403019262", "BE").reason(Language.EN)
    assert expected and "check digits are wrong" in expected
    assert _text(view, office.typo, Column.VAT_CHECK) == expected
    assert _text(view, office.private, Column.SHARES) == "No"
    linked_since = next(c for c in clients if c.id == office.good.id).linked_since
    assert linked_since is not None
    local = linked_since.astimezone()
    assert _text(view, office.good, Column.LINKED_SINCE) == (
        QLocale().toString(QDate(local.year, local.month, local.day), date_format())
    )
    assert view.stack.currentWidget() is view.table
    assert view.no_destination_bar.isHidden()
    assert not view.save_button.isEnabled()  # nothing changed yet


def test_search_filters_by_name_vat_number_and_file_id(
    qtbot: QtBot, view: ClientLinksView, office: Office
) -> None:
    qtbot.keyClicks(view.search, "peeters")
    assert view.proxy.rowCount() == 1
    assert view.proxy.index(0, 0).data() == "Bakkerij Peeters BV"
    assert "1 of" in view.counts.text()

    # a VAT number written with spaces and dots, as people copy it from a letter
    compact = office.good.vat_number
    spaced = f"{compact[:2]} {compact[2:6]}.{compact[6:9]}.{compact[9:]}"
    view.search.clear()
    qtbot.keyClicks(view.search, spaced)
    assert view.proxy.rowCount() == 1
    assert view.proxy.index(0, 0).data() == "Bakkerij Peeters BV"

    view.search.clear()
    qtbot.keyClicks(view.search, "d077")
    assert [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())] == [
        "Dupont & Fils"
    ]

    view.search.clear()
    qtbot.keyClicks(view.search, "no such client anywhere")
    assert view.proxy.rowCount() == 0
    view.search.clear()
    assert view.proxy.rowCount() == view.model.rowCount()


def test_ticking_links_and_unlinking_per_destination(
    qtbot: QtBot, view: ClientLinksView, office: Office
) -> None:
    _click_check(qtbot, view, office.good, "Winbooks")
    assert _linked(view, office.good) == {"Winbooks"}
    _click_check(qtbot, view, office.good, "Archive")
    assert _linked(view, office.good) == {"Winbooks", "Archive"}
    assert view.save_button.isEnabled() and view.revert_button.isEnabled()
    assert "1 change not saved yet" in view.counts.text()
    assert _text(view, office.good, Column.DELIVER_FROM) == "From now (when saved)"
    _click_check(qtbot, view, office.good, "Winbooks")
    assert _linked(view, office.good) == {"Archive"}
    (link,) = view.links()
    assert link.client_id == office.good.id and link.destinations == ["Archive"]
    assert link.accounting_file_id == "D042"

    # the keyboard does the same: Space on the focused tick box
    index = _proxy_index(view, office.typo, view.model.destination_column("Winbooks"))
    view.table.setFocus()
    view.table.setCurrentIndex(index)
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert _linked(view, office.typo) == {"Winbooks"}

    view.revert()
    assert view.links() == []
    assert not view.save_button.isEnabled()


def test_a_client_not_sharing_documents_cannot_be_linked(
    qtbot: QtBot, view: ClientLinksView, office: Office
) -> None:
    index = view.model.index(
        view.model.row_of(office.private.id), view.model.destination_column("Winbooks")
    )
    assert not view.model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert "does not share its documents" in view.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "does not share its documents" in _text(
        view, office.private, Column.NAME, Qt.ItemDataRole.ToolTipRole
    )
    _click_check(qtbot, view, office.private, "Winbooks")
    assert _linked(view, office.private) == set()

    # in bulk it is left out, and the person is told why
    _select(view, office.good, office.private)
    qtbot.mouseClick(view.link_selected, Qt.MouseButton.LeftButton)
    assert _linked(view, office.good) == {"Winbooks"}
    assert _linked(view, office.private) == set()
    assert "1 client linked" in view.notice.text()
    assert "1 client left out" in view.notice.text()


def test_the_file_id_is_edited_in_place(
    qtbot: QtBot, view: ClientLinksView, office: Office
) -> None:
    index = _proxy_index(view, office.good, view.model.column_of(Column.FILE_ID))
    view.table.scrollTo(index)
    where = view.table.visualRect(index).center()
    # a real double-click is a press, a release, then the double-click event
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    (editor,) = view.table.viewport().findChildren(QLineEdit)
    assert editor.text() == "D042"  # prefilled from the platform
    editor.selectAll()
    qtbot.keyClicks(editor, "WB-0042")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits on its next turn of the loop
    qtbot.waitUntil(lambda: _text(view, office.good, Column.FILE_ID) == "WB-0042", timeout=2000)
    assert "the platform says “D042”" in _text(
        view, office.good, Column.FILE_ID, Qt.ItemDataRole.ToolTipRole
    )
    assert view.links() == []  # a file id alone links nothing
    _click_check(qtbot, view, office.good, "Archive")
    (link,) = view.links()
    assert link.accounting_file_id == "WB-0042"


def test_save_writes_settings_that_read_back(
    qtbot: QtBot, view: ClientLinksView, office: Office, settings_dir: Path, tmp_path: Path
) -> None:
    # someone adds a destination meanwhile: saving the links must not lose it
    on_disk = load_settings(settings_dir)
    save_settings(
        settings_dir,
        on_disk.model_copy(
            update={"destinations": [*on_disk.destinations, *_destinations(tmp_path, "Sage")]}
        ),
    )
    _click_check(qtbot, view, office.good, "Winbooks")
    _click_check(qtbot, view, office.good, "Archive")
    # the second client starts earlier: picked with the day next to the buttons
    view.destination.setCurrentIndex(view.destination.findData("Archive"))
    day = QDate.currentDate().addDays(-10)
    view.start.setDate(day)
    _select(view, office.typo)
    qtbot.mouseClick(view.link_selected, Qt.MouseButton.LeftButton)
    assert _text(view, office.typo, Column.DELIVER_FROM) == QLocale().toString(day, date_format())

    before = dt.datetime.now(dt.UTC)
    with qtbot.waitSignal(view.catch_up_requested, timeout=10_000) as catch_up:
        saved = _save(qtbot, view)
    after = dt.datetime.now(dt.UTC)
    # only the client that starts in the past needs the platform's older documents
    assert catch_up.args[0] == [office.typo.id]

    read = load_settings(settings_dir)
    assert read == saved
    assert [d.name for d in read.destinations] == ["Winbooks", "Archive", "Sage"]
    good, typo = read.link(office.good.id), read.link(office.typo.id)
    assert good is not None and typo is not None
    assert good.destinations == ["Winbooks", "Archive"]
    assert good.accounting_file_id == "D042"
    assert before <= good.since <= after  # "from now" means from the moment of saving
    assert typo.destinations == ["Archive"]
    assert typo.since == start_of_day(day)
    assert read.link(office.private.id) is None
    assert (settings_dir / "settings.json.bak").is_file()
    assert not view.save_button.isEnabled()
    assert view.model.pending_count() == 0
    assert _text(view, office.good, Column.DELIVER_FROM) != "From now (when saved)"

    # unlinking one destination, then the other, then saving: the link is gone from the file
    _click_check(qtbot, view, office.good, "Winbooks")
    _click_check(qtbot, view, office.good, "Archive")
    _save(qtbot, view)
    read = load_settings(settings_dir)
    assert read.link(office.good.id) is None
    assert read.link(office.typo.id) == typo  # untouched


def test_an_earlier_start_is_picked_in_the_row(
    qtbot: QtBot, view: ClientLinksView, office: Office
) -> None:
    index = _proxy_index(view, office.good, view.model.column_of(Column.DELIVER_FROM))
    assert not view.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable  # nothing to start yet
    _click_check(qtbot, view, office.good, "Winbooks")
    assert view.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable
    where = view.table.visualRect(index).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    (editor,) = view.table.viewport().findChildren(DayEdit)
    assert editor.text() == "now"
    assert editor.maximumDate() == QDate.currentDate()  # no start in the future
    day = QDate.currentDate().addDays(-30)
    editor.setDate(day)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            _text(view, office.good, Column.DELIVER_FROM) == QLocale().toString(day, date_format())
        ),
        timeout=2000,
    )
    (link,) = view.links()
    assert link.since == start_of_day(day)


def test_a_client_gone_from_the_platform_stays_visible_until_unlinked(
    qtbot: QtBot, view: ClientLinksView, settings_dir: Path
) -> None:
    settings = load_settings(settings_dir)
    gone = ClientLink(
        client_id="cli_gone", destinations=["Archive"], since=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )
    save_settings(settings_dir, settings.model_copy(update={"links": [gone]}))
    view.set_settings(load_settings(settings_dir))
    row = view.model.row_of("cli_gone")
    assert view.model.data(view.model.index(row, 0)) == "cli_gone (no longer on the platform)"
    assert view.links() == [gone]  # kept as it is, not dropped behind the person's back
    index = view.model.index(row, view.model.destination_column("Archive"))
    assert view.model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable  # it can be unticked
    view.model.setData(index, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert not view.model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable  # not ticked again
    _save(qtbot, view)
    assert load_settings(settings_dir).links == []


def test_a_save_that_fails_keeps_the_edits_and_says_why(
    qtbot: QtBot, view: ClientLinksView, office: Office, settings_dir: Path
) -> None:
    settings_path(settings_dir).write_text("{ not json")
    _click_check(qtbot, view, office.good, "Winbooks")
    with qtbot.waitSignal(view.save_failed, timeout=10_000) as failed:
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert "damaged" in failed.args[0]
    assert view.error.isVisible() and "could not be saved" in view.error.text()
    assert settings_path(settings_dir).read_text() == "{ not json"  # never replaced
    assert _linked(view, office.good) == {"Winbooks"}
    assert view.save_button.isEnabled()


def test_a_refresh_from_the_platform_keeps_edits(
    qtbot: QtBot, view: ClientLinksView, office: Office, settings_dir: Path
) -> None:
    _click_check(qtbot, view, office.good, "Winbooks")
    view.set_clients(office.clients())
    view.set_settings(load_settings(settings_dir))
    assert _linked(view, office.good) == {"Winbooks"}
    assert view.has_pending_changes()


def test_a_destination_removed_elsewhere_leaves_the_table(
    qtbot: QtBot, view: ClientLinksView, office: Office, tmp_path: Path
) -> None:
    _click_check(qtbot, view, office.good, "Winbooks")
    _click_check(qtbot, view, office.typo, "Archive")
    view.set_settings(Settings(destinations=_destinations(tmp_path, "Winbooks")))
    headers = [
        view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(view.model.columnCount())
    ]
    assert "Archive" not in headers
    assert _linked(view, office.good) == {"Winbooks"}  # the edit in progress is kept
    assert _linked(view, office.typo) == set()
    assert [link.client_id for link in view.links()] == [office.good.id]
    assert view.destination.count() == 1


def test_empty_states_say_what_to_do(qtbot: QtBot) -> None:
    view = ClientLinksView()
    qtbot.addWidget(view)
    view.show()
    assert view.stack.currentWidget() is view.empty
    assert "Waiting for the platform" in view.empty.text()
    assert view.no_destination_bar.isVisible()
    assert "No destination yet: add one first" in view.no_destination.text()
    with qtbot.waitSignal(view.add_destination_requested):
        qtbot.mouseClick(view.add_destination, Qt.MouseButton.LeftButton)
    view.set_clients([])
    assert "No clients yet" in view.empty.text()
    assert not view.link_shown.isEnabled()


def test_embedded_in_the_wizard_there_is_no_save(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    view = ClientLinksView(embedded=True)
    qtbot.addWidget(view)
    view.show()
    view.set_settings(Settings(destinations=_destinations(tmp_path, "Winbooks")))
    view.set_clients(office.clients())
    assert not view.save_button.isVisible() and not view.revert_button.isVisible()
    with qtbot.waitSignal(view.links_changed):
        qtbot.mouseClick(view.link_shown, Qt.MouseButton.LeftButton)
    sharing = {c.id for c in office.clients() if c.shares_documents}
    assert {link.client_id for link in view.links()} == sharing
    assert all(link.destinations == ["Winbooks"] for link in view.links())
    # the wizard saves them when the person finishes: the counts say so, not "not saved yet"
    assert f"{len(sharing)} changes will be saved when you finish" in view.counts.text()
    assert "not saved yet" not in view.counts.text()


def test_the_main_window_has_a_clients_tab(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.tabs.indexOf(window.clients_view) >= 0
    assert window.tabs.tabText(window.tabs.indexOf(window.clients_view)) == "Clients"


# -- the whole way: linked in the view, delivered by the engine -----------------------------------


@pytest.fixture
def home(sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path) -> FerryHome:
    return logged_in_home(sandbox, "be", tmp_path / "home")


async def test_linking_in_the_view_makes_the_engine_deliver(
    qtbot: QtBot, sandbox: SandboxServer, home: FerryHome, tmp_path: Path
) -> None:
    admin = SandboxAdmin(sandbox.url)
    rng = random.Random(5)
    linked = admin.add_client("be", "Linked Here BV", belgian_vat(rng), accounting_file_id="L1")
    other = admin.add_client("be", "Left Alone NV", belgian_vat(rng), accounting_file_id="L2")
    root = tmp_path / "out"
    save_settings(home.settings_dir, Settings(destinations=_destinations(root, "Winbooks")))
    older = admin.add_document(
        "be", linked.id, "other", [("older.pdf", b"%PDF-1.4 old", "application/pdf")]
    )

    engine = Engine(home)
    await engine.open()
    try:
        clients = await engine.client.all_clients()  # through the platform client, logged in
        view = ClientLinksView()
        qtbot.addWidget(view)
        view.show()
        view.set_settings(load_settings(home.settings_dir))
        view.set_settings_dir(home.settings_dir)
        view.set_clients(clients)
        assert view.model.row_of(linked.id) >= 0
        _click_check(qtbot, view, linked, "Winbooks")
        with qtbot.assertNotEmitted(view.catch_up_requested):  # "from now": nothing older
            _save(qtbot, view)
        newer = admin.add_document(
            "be", linked.id, "other", [("newer.pdf", b"%PDF-1.4 new", "application/pdf")]
        )
        admin.add_document(
            "be", other.id, "other", [("foreign.pdf", b"%PDF-1.4 x", "application/pdf")]
        )
        summary = await engine.sync_once()
        assert (summary.delivered, summary.failed) == (1, 0)
        assert (root / "Winbooks" / "L1" / "newer.pdf").read_bytes() == b"%PDF-1.4 new"
        assert not (root / "Winbooks" / "L1" / "older.pdf").exists()  # before the link
        assert not (root / "Winbooks" / "L2").exists()  # never linked
        assert admin.document("be", newer.id).status.value == "forwarded"
        assert admin.document("be", older.id).status.value == "to_fetch"

        # an earlier day picked in the view brings the older document too (full sync)
        index = _proxy_index(view, linked, view.model.column_of(Column.DELIVER_FROM))
        assert view.proxy.setData(index, QDate.currentDate().addDays(-1))
        with qtbot.waitSignal(view.catch_up_requested, timeout=10_000) as catch_up:
            _save(qtbot, view)
        assert catch_up.args[0] == [linked.id]
        # what FerryApp sends: FullSync(client_id, new_destinations=True)
        summary = await engine.full_sync(linked.id, new_destinations=True)
        assert summary.failed == 0
        assert (root / "Winbooks" / "L1" / "older.pdf").read_bytes() == b"%PDF-1.4 old"
    finally:
        await engine.close()
        admin.close()
