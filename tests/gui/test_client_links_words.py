"""The Clients tab's words: a language switch applies at once, days are written and read the
way the person's region writes them, *Deliver from* opens on today, and *Sharing since* is
empty for a client that does not share (app/gui/client_links.py, client_links_model.py).

Real Qt widgets (offscreen) and Ferry's real translations; the clients are the platform's
models, given directly: nothing here needs the platform itself (test_client_links.py does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.api.models import Client
from app.core.language import Language
from app.gui.client_links import EARLIEST, ClientLinksView, start_edit
from app.gui.client_links_model import Column
from app.gui.i18n import date_format, install_translator
from app.settings import Destination, Settings

SHARING = Client(
    id="c-1",
    name="Bakkerij Peeters",
    vat_number="BE0403019261",
    country="BE",
    accounting_file_id="D042",
    shares_documents=True,
    linked_since=dt.datetime(2025, 3, 9, 10, 30, tzinfo=dt.UTC),
)
STOPPED = SHARING.model_copy(
    update={"id": "c-2", "name": "Garage Janssens", "shares_documents": False}
)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "qm-cache"


@pytest.fixture
def english_again(qapp: QApplication, cache: Path) -> Iterator[None]:
    yield
    install_translator(qapp, Language.EN, cache_dir=cache)


@pytest.fixture
def view(qtbot: QtBot, tmp_path: Path) -> ClientLinksView:
    view = ClientLinksView()
    qtbot.addWidget(view)
    view.set_settings(
        Settings(destinations=[Destination(name="Winbooks", general_path=str(tmp_path / "wb"))])
    )
    view.set_clients([SHARING, STOPPED])
    view.resize(1100, 600)
    view.show()
    return view


def _cell(view: ClientLinksView, client: Client, column: Column) -> str:
    index = view.model.index(view.model.row_of(client.id), view.model.column_of(column))
    return str(view.model.data(index, Qt.ItemDataRole.DisplayRole))


def _header(view: ClientLinksView, column: Column) -> str:
    section = view.model.column_of(column)
    return str(view.model.headerData(section, Qt.Orientation.Horizontal))


def words(view: QWidget) -> dict[str, str]:
    """Every word the tab shows outside the table's cells, by widget."""
    found: dict[str, str] = {}
    for number, widget in enumerate(view.findChildren(QWidget)):
        if isinstance(widget, (QLabel, QPushButton)) and widget.text():
            found[f"{type(widget).__name__}{number}"] = widget.text()
        if isinstance(widget, QComboBox) and widget is not getattr(view, "destination", None):
            for item in range(widget.count()):
                found[f"combo{number}.{item}"] = widget.itemText(item)
        if widget.toolTip():
            found[f"tip{number}"] = widget.toolTip()
    search = getattr(view, "search", None)
    if search is not None:
        found["search"] = search.placeholderText()
    return found


def test_sharing_since_is_empty_for_a_client_that_does_not_share(view: ClientLinksView) -> None:
    """The column is the platform's sharing (the *Linked* filter is Ferry's own links): a
    client that stopped sharing has no "since"."""
    assert _header(view, Column.LINKED_SINCE) == "Sharing since"
    assert _cell(view, SHARING, Column.LINKED_SINCE) == QLocale().toString(
        QDate(2025, 3, 9), date_format()
    )
    assert _cell(view, STOPPED, Column.LINKED_SINCE) == ""


def test_a_language_switch_leaves_no_english_word_on_the_tab(
    qtbot: QtBot, qapp: QApplication, view: ClientLinksView, cache: Path, english_again: None
) -> None:
    english = words(view)
    headers = [_header(view, column) for column in Column]
    assert english["search"] == "Search by name, VAT number or file id"
    assert "Sharing since" in headers

    for language, save, translated in (
        (
            Language.FR,
            "Enregistrer",
            [
                "Client",  # the same word
                "N° de dossier comptable",
                "Numéro de TVA",
                "Contrôle TVA",
                "Partage ses documents",
                "Partage depuis",
                "Livrer à partir du",
            ],
        ),
        (
            Language.NL,
            "Opslaan",
            [
                "Klant",
                "Boekhouddossiernummer",
                "Btw-nummer",
                "Btw-controle",
                "Deelt documenten",
                "Deelt sinds",
                "Leveren vanaf",
            ],
        ),
    ):
        assert install_translator(qapp, language, cache_dir=cache) is language
        qtbot.waitUntil(lambda save=save: view.save_button.text() == save)
        now = words(view)
        assert now.keys() == english.keys()
        left = {key: text for key, text in now.items() if text == english[key]}
        assert left == {}, f"English left in {language.value}: {left}"
        assert [_header(view, column) for column in Column] == translated
        assert view.start.text() not in ("now", "")

    install_translator(qapp, Language.EN, cache_dir=cache)
    qtbot.waitUntil(lambda: view.save_button.text() == "Save")
    assert words(view) == english


def test_deliver_from_opens_its_calendar_on_this_month(qtbot: QtBot) -> None:
    """ "now" was the year 2000 underneath Qt's own date field; the calendar opened there."""
    parent = QWidget()
    qtbot.addWidget(parent)
    edit = start_edit(parent)
    parent.show()
    assert edit.date() == EARLIEST and edit.text() == "now"
    qtbot.mouseClick(edit.pick, Qt.MouseButton.LeftButton)
    calendar = edit.calendar
    qtbot.waitUntil(calendar.isVisible)
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    assert calendar.maximumDate() == today  # no start in the future
    assert edit.date() == EARLIEST  # opening it picks nothing
    day = today.addDays(-3)
    with qtbot.waitSignal(edit.editingFinished):
        calendar.clicked.emit(day)
    assert edit.date() == day and not calendar.isVisible()
    assert edit.text() == QLocale().toString(day, date_format())
    qtbot.mouseClick(edit.pick, Qt.MouseButton.LeftButton)
    assert (edit.calendar.yearShown(), edit.calendar.monthShown()) == (day.year(), day.month())
    edit.calendar.hide()


@pytest.mark.parametrize("region", ["fr_BE", "nl_BE", "nl_NL", "en_US", "en_GB"])
def test_a_day_typed_over_now_is_read_in_the_region_s_format(qtbot: QtBot, region: str) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(region))
    try:
        parent = QWidget()
        qtbot.addWidget(parent)
        edit = start_edit(parent)
        parent.show()
        day = QDate.currentDate().addDays(-40)
        typed = QLocale(region).toString(day, date_format())
        assert "yyyy" in date_format() and str(day.year()) in typed
        qtbot.keyClicks(edit.line, typed)
        assert edit.date() == day and edit.problem == "", (typed, edit.text())
        # the usual variants: no leading zeros, the other separators, two-digit years
        us = region == "en_US"
        for text in (
            day.toString("M/d/yyyy" if us else "d/M/yyyy"),
            day.toString("M-d-yy" if us else "d.M.yy"),
            day.toString("yyyy-MM-dd"),
        ):
            edit.setDate(EARLIEST)
            qtbot.keyClicks(edit.line, text)
            assert edit.date() == day, text
        # cleared: "now" again
        edit.line.clear()
        qtbot.keyClicks(edit.line, "x")
        qtbot.keyClick(edit.line, Qt.Key.Key_Backspace)
        assert edit.date() == EARLIEST and edit.text() == "now"
    finally:
        QLocale.setDefault(before)


def test_a_day_that_cannot_be_taken_is_said_and_the_last_good_one_stays(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    edit = start_edit(parent)
    good = QDate.currentDate().addDays(-5)
    edit.setDate(good)
    edit.line.clear()
    qtbot.keyClicks(edit.line, "31/31/2026")
    assert edit.date() == good
    assert edit.problem.startswith("Type a day like ")
    assert "#b00020" in edit.line.styleSheet() and edit.line.toolTip() == edit.problem
    edit.line.clear()
    qtbot.keyClicks(edit.line, QLocale().toString(QDate.currentDate().addDays(2), date_format()))
    assert edit.problem == "Documents cannot be delivered from a day still to come."
    assert edit.date() == good
    edit.setDate(good)
    assert edit.problem == "" and edit.line.styleSheet() == ""
