"""The status table as a person uses it: typing, clicking headers, selecting rows, the toolbar,
the context menu, the keyboard, the details dialog, and live batches from the engine bridge.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QPoint, QRect, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from app.engine.messages import DocumentChanged
from app.gui import desktop
from app.gui.bridge import EngineBridge
from app.gui.document_rows import Column, DocumentRow
from app.gui.status_view import (
    MAX_OPEN,
    SEARCH_DEBOUNCE_MS,
    DocumentDetails,
    PathElided,
    StatusView,
    elided_path,
)
from app.gui.table_model import TableModel

from .test_table_rows import CLIENTS, big_rows, change, row

CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton
US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def sample_rows() -> list[DocumentRow]:
    return [
        row(1, client_id="c1", status="forwarded", number="INV-1"),
        row(
            2,
            client_id="c2",
            status="error",
            number="INV-2",
            message="The folder D:\\Boekhouding\\Dubois cannot be written: access denied.",
            locations=[],
        ),
        row(3, client_id="c2", status="to_fetch", number="INV-3", locations=[]),
        row(
            4,
            client_id="c3",
            status="error",
            number="INV-4",
            message="The disk is full.",
            locations=["/srv/old/INV-4.xml"],
        ),
        row(
            5,
            client_id="c3",
            status="forwarded",
            number="INV-10",
            locations=["/srv/maes/INV-10.xml", "/srv/archive/INV-10.xml"],
        ),
    ]


def make_view(qtbot: QtBot, rows: list[DocumentRow]) -> StatusView:
    view = StatusView(model=TableModel(locale=US))
    qtbot.addWidget(view)
    view.set_client_names(CLIENTS)
    view.set_rows(rows)
    view.resize(1300, 600)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()  # shortcuts only reach the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    view.table.setFocus()
    return view


@pytest.fixture
def view(qtbot: QtBot) -> StatusView:
    return make_view(qtbot, sample_rows())


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    calls: list[str] = []

    def fake_open(path: str) -> bool:
        calls.append(path)
        return not path.startswith("/srv/old")

    monkeypatch.setattr(desktop, "open_path", fake_open)
    yield calls


def numbers(view: StatusView) -> list[str]:
    return [view.model.row_at(r).number for r in range(view.model.rowCount())]


def click_row(qtbot: QtBot, view: StatusView, number: str, modifier: object = None) -> None:
    r = next(r for r in range(view.model.rowCount()) if view.model.row_at(r).number == number)
    index = view.model.index(r, Column.NUMBER)
    view.table.scrollTo(index)
    position = view.table.visualRect(index).center()
    qtbot.mouseClick(
        view.table.viewport(), LEFT, modifier or Qt.KeyboardModifier.NoModifier, position
    )


def select(qtbot: QtBot, view: StatusView, *wanted: str) -> None:
    click_row(qtbot, view, wanted[0])
    for number in wanted[1:]:
        click_row(qtbot, view, number, CTRL)
    assert sorted(r.number for r in view.selected_rows()) == sorted(wanted)


def click_header(qtbot: QtBot, view: StatusView, column: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), LEFT, pos=QPoint(x, header.height() // 2))


def toolbar_click(qtbot: QtBot, view: StatusView, text: str) -> None:
    action = next(a for a in view.toolbar.actions() if a.text() == text)
    button = view.toolbar.widgetForAction(action)
    assert button is not None and button.isEnabled(), text
    qtbot.mouseClick(button, LEFT)


def open_context_menu(qtbot: QtBot, view: StatusView, number: str) -> QMenu:
    r = next(r for r in range(view.model.rowCount()) if view.model.row_at(r).number == number)
    viewport = view.table.viewport()
    position = view.table.visualRect(view.model.index(r, Column.CLIENT)).center()
    # What the platform does on a right click: the press, then a context menu event (QTest
    # sends only the mouse events).
    qtbot.mousePress(viewport, Qt.MouseButton.RightButton, pos=position)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, position, viewport.mapToGlobal(position)
    )
    QApplication.sendEvent(viewport, event)
    qtbot.mouseRelease(viewport, Qt.MouseButton.RightButton, pos=position)
    qtbot.waitUntil(view.context_menu.isVisible)
    return view.context_menu


def menu_click(qtbot: QtBot, menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled(), text
    qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible())


# --- filtering and sorting -------------------------------------------------------------------


def test_typing_filters_after_a_short_pause(qtbot: QtBot, view: StatusView) -> None:
    assert numbers(view) == ["INV-10", "INV-4", "INV-3", "INV-2", "INV-1"]  # newest first
    qtbot.keyClicks(view.search, "dubois")
    assert view.model.rowCount() == 5  # not on every key
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=SEARCH_DEBOUNCE_MS * 10)
    assert numbers(view) == ["INV-3", "INV-2"]
    assert "2 shown" in view.summary.text()
    qtbot.keyClicks(view.search, " access")
    qtbot.waitUntil(lambda: numbers(view) == ["INV-2"])
    view.search.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() == 5)


def test_status_and_client_filters(qtbot: QtBot, view: StatusView) -> None:
    assert [view.status_filter.itemText(i) for i in range(4)] == [
        "All statuses",
        "To fetch",
        "Error",
        "Forwarded",
    ]
    view.status_filter.setFocus()
    QTest.keyClick(view.status_filter, Qt.Key.Key_Down)
    QTest.keyClick(view.status_filter, Qt.Key.Key_Down)
    assert view.status_filter.currentText() == "Error"
    assert numbers(view) == ["INV-4", "INV-2"]
    clients = [view.client_filter.itemText(i) for i in range(view.client_filter.count())]
    assert clients == ["All clients", "Atelier Maes", "Bakkerij Peeters BV", "Garage Dubois SRL"]
    view.client_filter.setCurrentIndex(clients.index("Atelier Maes"))
    assert numbers(view) == ["INV-4"]
    view.status_filter.setCurrentIndex(0)
    assert numbers(view) == ["INV-10", "INV-4"]


def test_clicking_headers_sorts(qtbot: QtBot, view: StatusView) -> None:
    click_header(qtbot, view, Column.NUMBER)
    assert numbers(view) == ["INV-1", "INV-2", "INV-3", "INV-4", "INV-10"]
    click_header(qtbot, view, Column.NUMBER)
    assert numbers(view) == ["INV-10", "INV-4", "INV-3", "INV-2", "INV-1"]
    click_header(qtbot, view, Column.STATUS)
    statuses = [view.model.row_at(r).status for r in range(5)]
    assert statuses == ["error", "error", "to_fetch", "forwarded", "forwarded"]
    click_header(qtbot, view, Column.DATE)  # dates: newest first on the first click
    dates = [view.model.row_at(r).issue_date for r in range(5)]
    assert dates == sorted(dates, reverse=True)
    header = view.table.horizontalHeader()
    assert header.sortIndicatorSection() == Column.DATE
    click_header(qtbot, view, Column.DATE)
    click_header(qtbot, view, Column.DATE)  # a third click: back to newest first
    assert header.sortIndicatorSection() == -1
    assert numbers(view) == ["INV-10", "INV-4", "INV-3", "INV-2", "INV-1"]


def test_show_errors_clears_other_filters(qtbot: QtBot, view: StatusView) -> None:
    qtbot.keyClicks(view.search, "peeters")
    view.client_filter.setCurrentIndex(1)
    view.show_errors()
    assert view.status_filter.currentText() == "Error"
    assert view.client_filter.currentIndex() == 0
    assert view.search.text() == ""
    qtbot.wait(SEARCH_DEBOUNCE_MS * 2)  # the typing's pending refilter must not come back
    assert numbers(view) == ["INV-4", "INV-2"]
    assert view.table.hasFocus()


def test_summary_counts_documents_and_errors(qtbot: QtBot, view: StatusView) -> None:
    assert view.summary.text() == "5 documents · 2 in error"
    view.apply_changes([change(2, "forwarded", client_id="c2")])
    assert view.summary.text() == "5 documents · 1 in error"


# --- actions ---------------------------------------------------------------------------------


def test_send_to_integrations_from_the_toolbar(qtbot: QtBot, view: StatusView) -> None:
    assert not view.send_action.isEnabled()  # nothing selected
    select(qtbot, view, "INV-2", "INV-1")
    assert view.send_action.text() == "Send to integrations"
    with qtbot.waitSignal(view.resend_requested) as sent:
        toolbar_click(qtbot, view, "Send to integrations")
    assert sorted(sent.args[0]) == ["d1", "d2"]


def test_resend_when_every_selected_row_is_forwarded(qtbot: QtBot, view: StatusView) -> None:
    select(qtbot, view, "INV-1", "INV-10")
    assert view.send_action.text() == "Resend to integrations"
    assert not view.retry_action.isEnabled()
    with qtbot.waitSignal(view.resend_requested) as sent:
        toolbar_click(qtbot, view, "Resend to integrations")
    assert sorted(sent.args[0]) == ["d1", "d5"]


def test_retry_only_for_rows_in_error_by_keyboard(qtbot: QtBot, view: StatusView) -> None:
    click_row(qtbot, view, "INV-3")
    assert not view.retry_action.isEnabled()
    with qtbot.assertNotEmitted(view.retry_requested, wait=50):
        QTest.keyClick(view.table, Qt.Key.Key_R, CTRL)
    select(qtbot, view, "INV-3", "INV-4", "INV-2")
    assert view.retry_action.isEnabled()
    with qtbot.waitSignal(view.retry_requested) as retried:
        QTest.keyClick(view.table, Qt.Key.Key_R, CTRL)
    assert sorted(retried.args[0]) == ["d2", "d4"]  # To fetch is left alone
    with qtbot.waitSignal(view.resend_requested) as sent:
        QTest.keyClick(view.table, Qt.Key.Key_I, CTRL)
    assert sorted(sent.args[0]) == ["d2", "d3", "d4"]


def test_copy_error_puts_the_messages_on_the_clipboard(qtbot: QtBot, view: StatusView) -> None:
    clipboard = QGuiApplication.clipboard()
    click_row(qtbot, view, "INV-2")
    QTest.keyClick(view.table, Qt.Key.Key_C, CTRL)
    qtbot.waitUntil(lambda: "access denied" in clipboard.text())
    assert clipboard.text() == (
        "The folder D:\\Boekhouding\\Dubois cannot be written: access denied."
    )
    select(qtbot, view, "INV-4", "INV-2", "INV-1")
    toolbar_click(qtbot, view, "Copy error")
    qtbot.waitUntil(lambda: clipboard.text().count("\n") == 1)
    assert clipboard.text().splitlines() == [
        "INV-4 (Atelier Maes): The disk is full.",
        "INV-2 (Garage Dubois SRL): The folder D:\\Boekhouding\\Dubois cannot be written: "
        "access denied.",
    ]
    click_row(qtbot, view, "INV-10")
    assert not view.copy_error_action.isEnabled()


def test_open_file_and_folder_go_through_open_path(
    qtbot: QtBot, view: StatusView, opened: list[str]
) -> None:
    click_row(qtbot, view, "INV-3")  # not delivered anywhere yet
    assert not view.open_file_action.isEnabled()
    assert not view.open_folder_action.isEnabled()
    select(qtbot, view, "INV-10", "INV-1", "INV-3")
    toolbar_click(qtbot, view, "Open file")
    assert opened == ["/srv/maes/INV-10.xml", "/srv/accounting/INV-1.xml"]
    opened.clear()
    QTest.keyClick(view.table, Qt.Key.Key_O, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert opened == ["/srv/maes", "/srv/accounting"]
    assert not view.notice.isVisible()


def test_a_file_that_cannot_be_opened_is_said(
    qtbot: QtBot, view: StatusView, opened: list[str]
) -> None:
    click_row(qtbot, view, "INV-4")
    QTest.keyClick(view.table, Qt.Key.Key_O, CTRL)
    assert opened == ["/srv/old/INV-4.xml"]
    qtbot.waitUntil(view.notice.isVisible)  # why is asked off the GUI thread
    assert view.notice.text() == (
        "Could not open /srv/old/INV-4.xml: it is no longer there. The accounting software "
        "may have picked it up, or someone moved it."
    )


def test_a_file_no_program_opens_is_said_with_its_kind(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The file is there; the desktop has nothing set up for its kind (a server without a
    PDF reader, an XML file nobody associated)."""
    there = tmp_path / "INV-7.xml"
    there.write_text("<Invoice/>", encoding="utf-8")
    monkeypatch.setattr(desktop, "open_path", lambda path: False)
    view = make_view(qtbot, [row(7, number="INV-7", locations=[str(there)])])
    click_row(qtbot, view, "INV-7")
    toolbar_click(qtbot, view, "Open file")
    qtbot.waitUntil(view.notice.isVisible)
    assert view.notice.text() == (
        f"Could not open {there}: no program on this computer is set up to open XML files."
    )
    toolbar_click(qtbot, view, "Open folder")
    qtbot.waitUntil(lambda: "refused" in view.notice.text())
    assert view.notice.text() == f"Could not open {tmp_path}: the computer refused to show it."


def test_open_file_prefers_the_pdf_beside_the_ubl_and_the_details_offer_both(
    qtbot: QtBot, opened: list[str]
) -> None:
    files = ["/srv/acc/INV-8.xml", "/srv/acc/INV-8.pdf"]
    view = make_view(qtbot, [row(8, number="INV-8", locations=files)])
    click_row(qtbot, view, "INV-8")
    toolbar_click(qtbot, view, "Open file")
    assert opened == ["/srv/acc/INV-8.pdf"]
    dialog = view.show_details(0)
    assert [dialog.locations.item(i).text() for i in range(2)] == files
    assert dialog.locations.currentItem().text() == "/srv/acc/INV-8.pdf"
    dialog.locations.setCurrentRow(0)
    qtbot.mouseClick(dialog.open_file_button, Qt.MouseButton.LeftButton)
    assert opened[-1] == "/srv/acc/INV-8.xml"
    dialog.close()


def test_the_details_say_why_a_file_did_not_open(
    qtbot: QtBot, view: StatusView, opened: list[str]
) -> None:
    dialog = view.show_details(
        next(r for r in range(view.model.rowCount()) if view.model.row_at(r).number == "INV-4")
    )
    assert not dialog.open_problem.isVisible()
    qtbot.mouseClick(dialog.open_file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.open_problem.isVisible)
    assert dialog.open_problem.text().startswith(
        "Could not open /srv/old/INV-4.xml: it is no longer there."
    )
    dialog.close()


def test_context_menu_acts_on_the_row_under_the_mouse(
    qtbot: QtBot, view: StatusView, opened: list[str]
) -> None:
    click_row(qtbot, view, "INV-1")
    menu = open_context_menu(qtbot, view, "INV-4")  # not selected: it becomes the selection
    assert [r.number for r in view.selected_rows()] == ["INV-4"]
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == [
        "Send to integrations",
        "Retry",
        "Deliver again here",
        "Open file",
        "Open folder",
        "Copy error",
        "Details…",
    ]
    with qtbot.waitSignal(view.retry_requested) as retried:
        menu_click(qtbot, menu, "Retry")
    assert retried.args == [["d4"]]

    select(qtbot, view, "INV-1", "INV-10")
    menu = open_context_menu(qtbot, view, "INV-10")  # selected: the selection stays
    assert len(view.selected_rows()) == 2
    with qtbot.waitSignal(view.resend_requested) as sent:
        menu_click(qtbot, menu, "Resend to integrations")
    assert sorted(sent.args[0]) == ["d1", "d5"]
    menu = open_context_menu(qtbot, view, "INV-10")
    menu_click(qtbot, menu, "Open folder")
    assert opened == ["/srv/maes", "/srv/accounting"]


def test_many_rows_are_not_opened_at_once(qtbot: QtBot, opened: list[str]) -> None:
    view = make_view(qtbot, [row(n) for n in range(MAX_OPEN + 5)])
    QTest.keyClick(view.table, Qt.Key.Key_A, CTRL)
    assert len(view.selected_rows()) == MAX_OPEN + 5
    assert not view.open_file_action.isEnabled()
    assert "at most 10" in view.open_file_action.toolTip()
    QTest.keyClick(view.table, Qt.Key.Key_O, CTRL)
    assert opened == []


def test_double_click_shows_the_details_without_blocking(
    qtbot: QtBot, view: StatusView, opened: list[str]
) -> None:
    r = numbers(view).index("INV-10")
    index = view.model.index(r, Column.MESSAGE)
    position = view.table.visualRect(index).center()
    # a double click as the platform delivers it: a click, then the second press as a
    # double-click event (QTest's double click alone lacks the first press)
    qtbot.mouseClick(view.table.viewport(), LEFT, pos=position)
    qtbot.mouseDClick(view.table.viewport(), LEFT, pos=position)
    qtbot.waitUntil(lambda: view.details_dialog is not None and view.details_dialog.isVisible())
    dialog = view.details_dialog
    assert isinstance(dialog, DocumentDetails)
    assert dialog.windowTitle() == "Document INV-10"
    assert dialog.fields["client"].text() == "Atelier Maes (c3)"
    assert dialog.fields["status"].text() == "Forwarded"
    assert dialog.fields["amount"].text() == "50.50 EUR"
    locations = [dialog.locations.item(i).text() for i in range(dialog.locations.count())]
    assert locations == ["/srv/maes/INV-10.xml", "/srv/archive/INV-10.xml"]
    dialog.locations.setCurrentRow(1)
    qtbot.mouseClick(dialog.open_folder_button, LEFT)
    assert opened == ["/srv/archive"]
    dialog.close()
    qtbot.waitUntil(lambda: view.details_dialog is None)

    click_row(qtbot, view, "INV-2")
    QTest.keyClick(view.table, Qt.Key.Key_Return)  # Enter does the same
    qtbot.waitUntil(lambda: view.details_dialog is not None)
    dialog = view.details_dialog
    assert dialog is not None
    assert dialog.message.toPlainText().endswith("access denied.")
    assert dialog.fields["status"].text() == "Error"
    assert not dialog.open_file_button.isEnabled()
    dialog.reject()


# --- live updates ----------------------------------------------------------------------------


def test_live_batches_while_filtered_and_sorted(qtbot: QtBot) -> None:
    rows = [row(n, status="to_fetch", locations=[], client_id="c2") for n in range(30)]
    view = make_view(qtbot, rows)
    bridge = EngineBridge(batch_ms=50)
    bridge.documents_changed.connect(view.apply_changes)
    batches: list[int] = []
    bridge.documents_changed.connect(lambda batch: batches.append(len(batch)))
    click_header(qtbot, view, Column.STATUS)
    view.status_filter.setCurrentIndex(1)  # To fetch
    qtbot.keyClicks(view.search, "dubois")
    qtbot.waitUntil(lambda: view.model.text_filter == "dubois")
    select(qtbot, view, "INV-7", "INV-8")
    assert view.send_action.text() == "Send to integrations"

    def engine() -> None:  # the engine's thread: documents seen, then delivered
        for n in range(30, 60):
            bridge.post(change(n, "to_fetch", client_id="c2"))
        for n in [*range(0, 7), *range(9, 20)]:
            bridge.post(change(n, "forwarded", client_id="c2"))
        bridge.post(change(20, "error", client_id="c2"))

    worker = threading.Thread(target=engine)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: sum(batches) == 49)
    assert len(batches) <= 3
    remaining = {f"INV-{n}" for n in (7, 8, *range(21, 60))}
    assert set(numbers(view)) == remaining
    assert sorted(r.number for r in view.selected_rows()) == ["INV-7", "INV-8"]
    assert view.summary.text() == "60 documents · 1 in error · 41 shown"

    bridge.post(change(7, "forwarded", client_id="c2"))
    bridge.post(change(8, "forwarded", client_id="c2"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 39)
    assert view.selected_rows() == []  # they left the filter
    view.status_filter.setCurrentIndex(0)
    select(qtbot, view, "INV-7", "INV-8")
    assert view.send_action.text() == "Resend to integrations"
    bridge.post(change(8, "error", client_id="c2"))
    qtbot.waitUntil(lambda: view.model.count("error") == 2)
    assert sorted(r.number for r in view.selected_rows()) == ["INV-7", "INV-8"]
    assert view.send_action.text() == "Send to integrations"
    assert view.retry_action.isEnabled()


def test_new_clients_appear_in_the_client_filter(qtbot: QtBot, view: StatusView) -> None:
    view.client_filter.setCurrentIndex(view.client_filter.findData("c3"))
    view.apply_changes([change(77, "to_fetch", client_id="c77")])
    names = [view.client_filter.itemText(i) for i in range(view.client_filter.count())]
    assert "c77" in names
    assert view.client_filter.currentData() == "c3"  # the choice stays
    view.set_client_names({**CLIENTS, "c77": "Zuivelhoeve De Kempen"})
    assert view.client_filter.itemText(view.client_filter.count() - 1) == "Zuivelhoeve De Kempen"


# --- 100,000 rows ----------------------------------------------------------------------------


def test_hundred_thousand_rows_in_the_view(qtbot: QtBot, opened: list[str]) -> None:
    rows = big_rows(100_000)
    view = make_view(qtbot, rows)
    errors = sum(r.status == "error" for r in rows)
    assert view.summary.text() == f"100,000 documents · {errors:,} in error"
    header = view.table.horizontalHeader()
    assert header.sectionResizeMode(0) != header.ResizeMode.ResizeToContents
    assert view.table.verticalHeader().sectionResizeMode(0) == header.ResizeMode.Fixed

    qtbot.keyClicks(view.search, "maes")
    QTest.keyClick(view.search, Qt.Key.Key_Return)  # Enter filters at once
    assert view.model.rowCount() == sum(r.client_id == "c3" for r in rows)
    click_header(qtbot, view, Column.AMOUNT)
    amounts = [float(view.model.row_at(r).amount or 0) for r in range(0, 30_000, 997)]
    assert amounts == sorted(amounts)

    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_A, CTRL)
    assert view.send_action.isEnabled() and view.retry_action.isEnabled()
    assert not view.open_file_action.isEnabled()
    with qtbot.waitSignal(view.retry_requested) as retried:
        QTest.keyClick(view.table, Qt.Key.Key_R, CTRL)
    in_error = {r.id for r in rows if r.client_id == "c3" and r.status == "error"}
    assert set(retried.args[0]) == in_error

    batch: list[DocumentChanged] = [
        change(0, "forwarded", document_id=document_id, client_id="c3")
        for document_id in sorted(in_error)[:200]
    ]
    view.apply_changes(batch)
    assert view.model.count("error") == errors - len(batch)
    view.show_errors()
    assert view.model.rowCount() == errors - len(batch)


def test_a_path_keeps_its_file_name_when_the_column_is_narrow(qtbot: QtBot) -> None:
    """Paths were cut at the end, where the file name is."""
    path = "D:\\Boekhouding\\Klanten\\Bakkerij Peeters BV\\2026\\Aankoop\\INV-2026-000123.xml"
    view = make_view(qtbot, [row(1, number="INV-1", locations=[path])])
    index = view.model.index(0, Column.DESTINATION)
    delegate = view.table.itemDelegateForColumn(Column.DESTINATION)
    assert view.table.itemDelegateForColumn(Column.MESSAGE) is not delegate
    metrics = view.table.fontMetrics()
    for width in (180, 260, 400, metrics.horizontalAdvance(path) + 40):
        option = QStyleOptionViewItem()
        option.initFrom(view.table)
        option.rect = QRect(0, 0, width, 24)
        delegate.initStyleOption(option, index)
        shown = option.text
        assert metrics.horizontalAdvance(shown) <= width - PathElided.MARGIN
        assert shown.endswith("\\INV-2026-000123.xml") and shown.startswith("D"), shown
        assert (shown == path) == (width > metrics.horizontalAdvance(path) + PathElided.MARGIN)
    assert elided_path(path, metrics, 40).count("…") == 1  # too narrow even for the name
    assert elided_path("/srv/a.xml", metrics, 1000) == "/srv/a.xml"


def test_an_empty_grid_says_why(qtbot: QtBot, view: StatusView) -> None:
    assert not view.nothing_shown.isVisible()
    view.search.setText("no such document anywhere")
    qtbot.waitUntil(lambda: view.model.rowCount() == 0)
    qtbot.waitUntil(view.nothing_shown.isVisible)
    assert view.nothing_shown.text().startswith("No document matches these filters.")
    view.search.clear()
    qtbot.waitUntil(lambda: not view.nothing_shown.isVisible())
    empty = make_view(qtbot, [])
    assert empty.nothing_shown.isVisible()
    assert empty.nothing_shown.text().startswith("No documents yet")
