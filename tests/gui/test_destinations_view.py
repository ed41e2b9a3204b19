"""The Destinations tab as a table, on real settings: one row per destination with its name,
its format in words, its folders (elided in the middle, so the folder at the end stays in
sight; whole in the tooltip) and its linked clients; sortable; Edit and Remove only with a row
chosen, and that choice kept across a refresh and a language switch; words instead of an
empty grid when there is no destination yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTranslator
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.kinds import DocumentKind
from app.core.language import Language
from app.gui.destinations_model import Column, format_words
from app.gui.destinations_view import DestinationsView
from app.gui.i18n import install_translator
from app.settings import ClientLink, DeliveryFormat, Destination, Settings

SINCE = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
LONG = "/srv/office/shares/accounting/imports/winbooks/[accounting_file_id]/Purchases to book"
PURCHASES = "/srv/archive/fiduciaire/purchase invoices kept for ten years"
STATEMENTS = "/srv/archive/fiduciaire/bank statements (CODA)"


def _link(client: str, *destinations: str) -> ClientLink:
    return ClientLink(client_id=client, destinations=list(destinations), since=SINCE)


def _settings() -> Settings:
    """Winbooks (one long general path, UBL and PDF, 9 clients), adsolut (UBL, no client)
    and Archive (a folder per kind, PDF only, 10 clients): each column sorts them in another
    order than the settings'."""
    return Settings(
        destinations=[
            Destination(name="Winbooks", general_path=LONG, format=DeliveryFormat.UBL_PDF),
            Destination(name="adsolut", general_path="/srv/adsolut"),
            Destination(
                name="Archive",
                paths={DocumentKind.STATEMENT: STATEMENTS, DocumentKind.PURCHASE: PURCHASES},
                format=DeliveryFormat.PDF,
            ),
        ],
        links=[_link(f"c{n}", "Winbooks") for n in range(1, 9)]
        + [_link("c9", "Archive", "Winbooks")]
        + [_link(f"a{n}", "Archive") for n in range(1, 10)],
    )


@pytest.fixture
def view(qtbot: QtBot) -> DestinationsView:
    shown = DestinationsView()
    qtbot.addWidget(shown)
    shown.resize(1000, 400)
    shown.show_settings(_settings())
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _cells(view: DestinationsView, row: int) -> list[str]:
    model = view.table.model()
    return [str(model.index(row, column).data()) for column in Column]


def _headers(view: DestinationsView) -> list[str]:
    model = view.table.model()
    return [str(model.headerData(column, Qt.Orientation.Horizontal)) for column in Column]


def _row_of(view: DestinationsView, name: str) -> int:
    return view.names().index(name)


def _click_header(qtbot: QtBot, view: DestinationsView, column: Column) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def _painted_folders(view: DestinationsView) -> dict[int, list[tuple[QRect, str]]]:
    """What the folders' delegate paints, per row, on a fresh paint of the table."""
    painted: dict[int, list[tuple[QRect, str]]] = {}
    table = view.table

    def spy(_painter: QPainter, rect: QRect, text: str) -> None:
        row = table.rowAt(rect.center().y())
        painted.setdefault(row, []).append((QRect(rect), text))

    view.folders._draw_line = spy  # type: ignore[method-assign]
    try:
        table.viewport().grab()
    finally:
        del view.folders._draw_line
    return painted


# --- columns and words ------------------------------------------------------------------------


def test_one_row_per_destination_in_words(view: DestinationsView) -> None:
    assert _headers(view) == ["Name", "Format", "Folders", "Linked clients"]
    assert view.names() == ["Winbooks", "adsolut", "Archive"]  # the settings' order
    assert _cells(view, 0) == ["Winbooks", "UBL and PDF", LONG, "9 clients"]
    assert _cells(view, 1) == ["adsolut", "UBL only", "/srv/adsolut", "0 clients"]
    # a folder per kind: in the kinds' order, named with the kind's words
    assert _cells(view, 2) == [
        "Archive",
        "PDF only",
        f"Purchase invoice: {PURCHASES}\nBank statement: {STATEMENTS}",
        "10 clients",
    ]
    model = view.table.model()
    folders = model.index(2, Column.FOLDERS)
    assert folders.data(Qt.ItemDataRole.ToolTipRole) == (
        f"Purchase invoice: {PURCHASES}\nBank statement: {STATEMENTS}"
    )
    assert model.index(0, Column.FOLDERS).data(Qt.ItemDataRole.ToolTipRole) == LONG
    # no raw setting shows
    assert "ubl+pdf" not in " ".join(" ".join(_cells(view, row)) for row in range(3))


@pytest.mark.parametrize("value", list(DeliveryFormat))
def test_every_format_has_its_own_words(value: DeliveryFormat) -> None:
    words = format_words(value)
    assert words and words != value.value
    others = {format_words(other) for other in DeliveryFormat if other is not value}
    assert words not in others


def test_one_client_is_counted_in_the_singular(qtbot: QtBot) -> None:
    view = DestinationsView()
    qtbot.addWidget(view)
    only = Settings(
        destinations=[Destination(name="Winbooks", general_path="/srv/wb")],
        links=[_link("c1", "Winbooks")],
    )
    view.show_settings(only)
    assert _cells(view, 0)[Column.CLIENTS] == "1 client"


# --- folders elided in the middle -------------------------------------------------------------


def test_a_narrow_table_keeps_the_end_of_every_path_in_sight(
    qtbot: QtBot, view: DestinationsView
) -> None:
    wide = _painted_folders(view)
    assert [text for _, text in wide[0]] == [LONG]  # room enough: nothing cut
    view.resize(520, 400)
    qtbot.waitUntil(lambda: view.table.columnWidth(Column.FOLDERS) < 300)
    painted = _painted_folders(view)
    metrics = QFontMetrics(view.table.font())
    column = QRect(
        view.table.columnViewportPosition(Column.FOLDERS),
        0,
        view.table.columnWidth(Column.FOLDERS),
        view.table.viewport().height(),
    )

    [(rect, text)] = painted[0]
    assert metrics.horizontalAdvance(LONG) > rect.width()  # the path does not fit...
    assert text == metrics.elidedText(LONG, Qt.TextElideMode.ElideMiddle, rect.width())
    assert "…" in text and metrics.horizontalAdvance(text) <= rect.width()
    assert text.startswith("/srv/") and text.endswith("book")  # ...its start and end stay
    assert column.contains(rect)

    # a folder per kind: each line cut on its own, the kind's words whole
    [(_, purchases), (_, statements)] = painted[2]
    assert purchases.startswith("Purchase invoice: /srv") and purchases.endswith("years")
    assert statements.startswith("Bank statement: /srv") and statements.endswith("(CODA)")
    assert "…" in purchases and "…" in statements
    # two lines need a row twice as high
    assert view.table.rowHeight(2) >= 2 * metrics.lineSpacing()
    # the tooltip still has every path in full
    tooltip = view.table.model().index(2, Column.FOLDERS).data(Qt.ItemDataRole.ToolTipRole)
    assert PURCHASES in tooltip and STATEMENTS in tooltip


# --- buttons, double click, selection ---------------------------------------------------------


def test_edit_and_remove_act_on_the_chosen_row_only(qtbot: QtBot, view: DestinationsView) -> None:
    assert view.add.isEnabled()
    assert not view.edit.isEnabled() and not view.remove.isEnabled()
    assert view.chosen() is None and view.ask_remove() is None
    edits: list[str] = []
    view.edit_requested.connect(edits.append)

    view.table.selectRow(_row_of(view, "Archive"))
    assert view.chosen() == "Archive"
    assert view.edit.isEnabled() and view.remove.isEnabled()
    qtbot.mouseClick(view.edit, Qt.MouseButton.LeftButton)
    assert edits == ["Archive"]
    # a double click on another row chooses it and edits it
    cell = view.table.visualRect(view.table.model().index(_row_of(view, "adsolut"), Column.NAME))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    assert edits == ["Archive", "adsolut"] and view.chosen() == "adsolut"
    # a whole row is chosen, and only one
    selected = view.table.selectionModel().selectedIndexes()
    assert {index.row() for index in selected} == {_row_of(view, "adsolut")}
    assert {index.column() for index in selected} == set(Column)
    view.table.selectRow(_row_of(view, "Winbooks"))
    assert len(view.table.selectionModel().selectedRows()) == 1

    qtbot.mouseClick(view.remove, Qt.MouseButton.LeftButton)
    box = view.remove_question
    assert box is not None and box.objectName() == "remove-destination-confirmation"
    assert box.text() == 'Remove the destination "Winbooks"?'
    assert box.informativeText().startswith("9 clients linked to it")
    box.button(QMessageBox.StandardButton.Cancel).click()

    view.table.clearSelection()
    assert view.chosen() is None
    assert not view.edit.isEnabled() and not view.remove.isEnabled()


def test_the_choice_survives_a_refresh_of_the_settings(view: DestinationsView) -> None:
    view.table.selectRow(_row_of(view, "Archive"))
    # saved elsewhere meanwhile: a destination before it, Archive changed, one gone
    settings = _settings()
    changed = settings.model_copy(
        update={
            "destinations": [
                Destination(name="Venice", general_path="/srv/venice"),
                settings.destinations[2].model_copy(update={"format": DeliveryFormat.UBL}),
                settings.destinations[1],
            ]
        }
    )
    view.show_settings(changed)
    assert view.names() == ["Venice", "Archive", "adsolut"]
    assert view.chosen() == "Archive" and view.remove.isEnabled()
    assert _cells(view, 1)[Column.FORMAT] == "UBL only"
    assert [index.row() for index in view.table.selectionModel().selectedRows()] == [1]
    # the chosen destination gone: nothing is chosen, nothing can be edited
    view.show_settings(changed.model_copy(update={"destinations": changed.destinations[::2]}))
    assert view.chosen() is None and not view.edit.isEnabled() and not view.remove.isEnabled()


class _Shouting(QTranslator):
    """A stand-in language that says every word of the Destinations tab in capitals, and
    longer."""

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's API
        return False  # Qt announces a language change only for a translator with words

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if context != "DestinationsView" or "{" in source or "%n" in source:
            return ""  # not ours to say: the next translator's words
        return f"{source.upper()} IN CAPITALS"


def test_a_language_switch_rewords_headers_and_formats_and_keeps_the_choice(
    qtbot: QtBot, qapp: QApplication, view: DestinationsView
) -> None:
    view.table.selectRow(_row_of(view, "Archive"))
    shouting = _Shouting()
    qapp.installTranslator(shouting)
    try:
        qtbot.waitUntil(lambda: view.edit.text() == "EDIT… IN CAPITALS")  # the switch came
        assert _headers(view) == [
            "NAME IN CAPITALS",
            "FORMAT IN CAPITALS",
            "FOLDERS IN CAPITALS",
            "LINKED CLIENTS IN CAPITALS",
        ]
        assert _cells(view, _row_of(view, "Archive"))[Column.FORMAT] == "PDF ONLY IN CAPITALS"
        assert view.chosen() == "Archive" and view.remove.isEnabled()
        # the columns grew to the longer words: no header or cell cut
        header = view.table.horizontalHeader()
        for column, words in (
            (Column.CLIENTS, "LINKED CLIENTS IN CAPITALS"),
            (Column.FORMAT, "UBL AND PDF IN CAPITALS"),
        ):
            wide = header.fontMetrics().horizontalAdvance(words)
            qtbot.waitUntil(lambda c=column, w=wide: header.sectionSize(c) > w)
    finally:
        qapp.removeTranslator(shouting)
    qtbot.waitUntil(lambda: view.edit.text() == "Edit…")
    assert _headers(view)[0] == "Name"
    assert view.chosen() == "Archive"


@pytest.fixture
def english_again(qapp: QApplication, tmp_path: Path) -> Iterator[Path]:
    cache = tmp_path / "qm-cache"
    yield cache
    install_translator(qapp, Language.EN, cache_dir=cache)


def test_in_dutch_the_kinds_and_the_clients_are_dutch(
    qtbot: QtBot, qapp: QApplication, view: DestinationsView, english_again: Path
) -> None:
    view.table.selectRow(_row_of(view, "Archive"))
    assert install_translator(qapp, Language.NL, cache_dir=english_again) is Language.NL
    row = _row_of(view, "Archive")
    qtbot.waitUntil(lambda: _cells(view, row)[Column.CLIENTS] == "10 klanten")
    assert _cells(view, row)[Column.FOLDERS].splitlines() == [
        f"Aankoopfactuur: {PURCHASES}",
        f"Rekeninguittreksel: {STATEMENTS}",
    ]
    assert view.chosen() == "Archive"


# --- sorting ----------------------------------------------------------------------------------


def test_sorting_by_a_column_keeps_the_choice(qtbot: QtBot, view: DestinationsView) -> None:
    view.table.selectRow(_row_of(view, "Archive"))
    _click_header(qtbot, view, Column.NAME)
    assert view.names() == ["adsolut", "Archive", "Winbooks"]  # A to Z, whatever the case
    _click_header(qtbot, view, Column.NAME)
    assert view.names() == ["Winbooks", "Archive", "adsolut"]  # Z to A
    _click_header(qtbot, view, Column.CLIENTS)
    assert view.names() == ["adsolut", "Winbooks", "Archive"]  # 0, 9, 10: counted, not read
    _click_header(qtbot, view, Column.FORMAT)
    assert view.names() == ["Archive", "Winbooks", "adsolut"]  # PDF only, UBL and PDF, UBL only
    assert view.chosen() == "Archive"
    # a refresh keeps the order the person chose
    view.show_settings(_settings())
    assert view.names() == ["Archive", "Winbooks", "adsolut"]
    assert view.chosen() == "Archive"
    # a third click on the header goes back to the settings' order
    _click_header(qtbot, view, Column.FORMAT)
    _click_header(qtbot, view, Column.FORMAT)
    assert view.names() == ["Winbooks", "adsolut", "Archive"]


# --- nothing yet ------------------------------------------------------------------------------


def test_no_destination_yet_says_so_and_how_to_add_one(qtbot: QtBot) -> None:
    view = DestinationsView()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.table.isVisible() and not view.empty.isVisible()  # settings not read yet
    view.show_settings(Settings())
    assert view.empty.isVisible() and not view.table.isVisible()
    assert view.empty.text() == (
        "There is no destination yet. Use Add… to choose the folders your accounting software "
        "imports its documents from."
    )
    assert view.add.isEnabled() and not view.edit.isEnabled() and not view.remove.isEnabled()
    view.show_settings(_settings())
    assert view.table.isVisible() and not view.empty.isVisible()
    assert view.table.count() == 3
    view.show_settings(Settings())
    assert view.empty.isVisible() and view.table.count() == 0
