"""The status table's model over a real state file (issue 18): pages read off the GUI thread as
they are shown, filters and sorts answered by the state, counts from the database, live
batches merged without reading everything again, the selection kept by document id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from app.engine.messages import DocumentChanged
from app.engine.state import Completion, DeliveryOutcome, StateStore
from app.gui.document_rows import WAITING, Column
from app.gui.table_model import PAGE, EngineSource, StoreSource, TableModel

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
ASC = Qt.SortOrder.AscendingOrder
DESC = Qt.SortOrder.DescendingOrder
NAMES = {"c0": "Bakkerij Peeters BV", "c1": "Garage Dubois SRL", "c2": "Atelier Maes"}


def _document(n: int, prefix: str = "d") -> dict[str, Any]:
    return {
        "id": f"{prefix}{n:05d}",
        "client_id": f"c{n % 3}",
        "kind": ("purchase", "sales")[n % 2],
        "number": f"INV-{n}",
        "issue_date": f"2026-03-{n % 28 + 1:02d}",
        "amount": f"{n * 3 % 1000}.50",
        "currency": "EUR",
        "created_at": (dt.datetime(2026, 1, 1) + dt.timedelta(seconds=n)).isoformat(),
    }


def _completion(document: dict[str, Any], n: int) -> Completion:
    if n % 10 == 3:
        return Completion(document, [], "error", "Access denied", [])
    if n % 10 == 4:
        failures = [{"code": "destination_unreachable", "params": {"destination": "Books"}}]
        return Completion(document, [], "to_fetch", None, [], failures=failures, retry_at=1.0)
    where = f"/srv/books/{document['number']}.xml"
    return Completion(document, [DeliveryOutcome("Books", [where])], "forwarded", None, [where])


def _event(document: dict[str, Any], completion: Completion) -> DocumentChanged:
    return DocumentChanged.model_validate(
        {
            **{k: document[k] for k in ("client_id", "kind", "number", "issue_date")},
            "document_id": document["id"],
            "amount": document["amount"],
            "currency": "EUR",
            "status": completion.status,
            "message": completion.message,
            "locations": completion.locations,
            "failures": completion.failures,
        }
    )


def _state(path: Path, count: int) -> None:
    store = StateStore(path)
    try:
        store.complete_documents([_completion(_document(n), n) for n in range(count)])
    finally:
        store.close()


@pytest.fixture
def state(tmp_path: Path) -> Path:
    path = tmp_path / "state.db"
    _state(path, 1000)
    return path


@pytest.fixture
def model(qtbot: QtBot, state: Path) -> Iterator[TableModel]:
    model = TableModel(locale=US)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_client_names(NAMES)
    model.set_source(StoreSource(state))
    _settle(qtbot, model)
    yield model
    model.close()


def _settle(qtbot: QtBot, model: TableModel) -> None:
    qtbot.waitUntil(lambda: not model.busy, timeout=10_000)


def _numbers(model: TableModel, count: int) -> list[str]:
    return [model.row_at(r).number for r in range(count)]


def test_the_first_page_only_is_read_and_others_as_they_are_shown(
    qtbot: QtBot, model: TableModel
) -> None:
    assert model.rowCount() == 1000
    assert model.row_at(0).id == "d00999"  # newest first
    with pytest.raises(IndexError):
        model.row_at(999)  # not read yet
    assert model.data(model.index(999, Column.NUMBER)) is None  # shown: asked for
    _settle(qtbot, model)
    assert model.data(model.index(999, Column.NUMBER)) == "INV-0"
    assert model.view_row_of("d00000") == 999
    assert model.view_row_of("d00500") is None  # its page was never shown
    for page in range(0, 1000, PAGE):  # every page shown once: only the last few kept
        model.data(model.index(page, 0))
        _settle(qtbot, model)
    assert len(model.rows_at(range(1000))) <= 12 * PAGE


def test_counts_come_from_the_state(qtbot: QtBot, model: TableModel) -> None:
    assert model.total_count() == 1000
    assert model.count("error") == 100
    assert model.count(WAITING) == 100
    assert model.count("to_fetch") == 100
    assert model.count("forwarded") == 800
    assert model.delivered_today() == 800
    assert model.last_delivery() is not None
    assert [cid for cid, _ in model.clients()] == ["c2", "c0", "c1"]  # by name


def test_sorts_and_filters_are_answered_by_the_state(qtbot: QtBot, model: TableModel) -> None:
    model.sort(Column.NUMBER, ASC)
    _settle(qtbot, model)
    assert _numbers(model, 3) == ["INV-0", "INV-1", "INV-2"]  # natural order
    model.sort(Column.NUMBER, DESC)
    _settle(qtbot, model)
    assert _numbers(model, 2) == ["INV-999", "INV-998"]
    model.set_status_filter("error")
    _settle(qtbot, model)
    assert model.rowCount() == 100 and model.is_filtered
    assert {model.row_at(r).status for r in range(100)} == {"error"}
    model.set_filters(status=WAITING, client_id="c1", text="")
    _settle(qtbot, model)
    assert {(r.shown_status, r.client_id) for r in model.rows_at(range(model.rowCount()))} == {
        (WAITING, "c1")
    }
    model.set_filters(text="maes inv-1")  # a client's name and a number
    _settle(qtbot, model)
    shown = model.rows_at(range(model.rowCount()))
    assert shown and all(r.client_id == "c2" and "INV-1" in r.number for r in shown)
    model.set_filters(text="waiting")  # a status's word, in the window's language
    _settle(qtbot, model)
    assert model.rowCount() == 100
    model.set_filters(text="1.501,50")  # an amount as a French window writes it: its digits
    _settle(qtbot, model)
    assert model.rowCount() == 0
    model.set_filters(text="501.50")
    _settle(qtbot, model)
    assert {r.amount for r in model.rows_at(range(model.rowCount()))} == {"501.50"}
    model.sort(Column.CLIENT, ASC)
    model.set_filters()
    _settle(qtbot, model)
    assert model.row_at(0).client_id == "c2"  # Atelier Maes first
    assert model.row_at(0).client_name == "Atelier Maes"


def test_live_batches_update_held_rows_at_once_and_the_rest_soon(
    qtbot: QtBot, model: TableModel, state: Path
) -> None:
    model.sort(Column.STATUS, ASC)
    model.set_text_filter("inv")
    _settle(qtbot, model)
    assert model.row_at(0).status == "error"
    first = model.row_at(0)
    status_cell = model.index(0, Column.STATUS)
    assert model.data(status_cell) == model.status_label("error")  # worded, and kept
    store = StateStore(state)
    try:
        document = _document(int(first.id[1:]))
        fixed = Completion(
            document, [DeliveryOutcome("Books", ["/x.xml"])], "forwarded", None, ["/x.xml"]
        )
        new = [_document(n, "new") for n in range(2000, 2050)]
        store.complete_documents([fixed, *[_completion(d, n) for n, d in enumerate(new)]])
        events = [_event(document, fixed)]
        events += [_event(d, _completion(d, n)) for n, d in enumerate(new)]
    finally:
        store.close()
    changed: list[Any] = []
    model.dataChanged.connect(lambda *args: changed.append(args))
    model.apply_changes(events)
    assert first.status == "forwarded" and changed  # in place, at once
    assert model.data(status_cell) == model.status_label("forwarded")  # worded again
    qtbot.waitUntil(lambda: model.total_count() == 1050, timeout=10_000)
    _settle(qtbot, model)
    assert model.count("error") == 99 + 5
    assert model.rowCount() == 1050
    assert model.view_row_of(first.id) is None  # sorted away, by the state


def test_the_selection_follows_its_document_across_sorts_and_batches(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "small.db"
    _state(path, 60)
    model = TableModel(locale=US)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.set_source(StoreSource(path))
    _settle(qtbot, model)
    r = model.view_row_of("d00010")
    assert r is not None
    view.selectionModel().setCurrentIndex(
        model.index(r, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    for column, order in ((Column.AMOUNT, ASC), (Column.STATUS, DESC), (-1, DESC)):
        model.sort(column, order)
        _settle(qtbot, model)
        current = view.currentIndex()
        assert current.isValid() and model.row_at(current.row()).id == "d00010"
        selected = view.selectionModel().selectedRows()
        assert [model.row_at(i.row()).id for i in selected] == ["d00010"]
    model.set_status_filter("error")  # it is forwarded: filtered out, selection gone
    _settle(qtbot, model)
    assert not view.selectionModel().selectedRows()
    model.close()


def test_no_state_yet_shows_nothing_until_there_is_one(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "later.db"
    model = TableModel(locale=US)
    model.set_source(StoreSource(path))
    _settle(qtbot, model)
    assert model.rowCount() == 0 and model.total_count() == 0
    assert not path.exists()  # the window never makes the engine's state
    _state(path, 5)
    document = _document(4)
    model.apply_changes([_event(document, _completion(document, 4))])
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=10_000)
    model.close()


class _Engine:
    """An engine's ``request`` over a state: what ``EngineSource`` asks of a real one."""

    def __init__(self, path: Path) -> None:
        self.store = StateStore(path)
        self.asked = 0

    def request(self, body: Any, timeout: float | None = None) -> Any:
        from app.engine.channel import Reply

        self.asked += 1
        return Reply(id=1, result=self.store.table(**body.arguments()))


def test_an_engine_source_asks_the_engine(qtbot: QtBot, state: Path) -> None:
    engine = _Engine(state)
    model = TableModel(locale=US)
    model.set_source(EngineSource(engine))
    _settle(qtbot, model)
    assert model.rowCount() == 1000 and engine.asked >= 1
    assert model.index(0, 0) != QModelIndex()
    model.close()
    engine.store.close()


def test_quick_changes_end_on_the_last_one(qtbot: QtBot, model: TableModel) -> None:
    """Typing fast: each change abandons the question before it; what shows is the last."""
    for text in ("i", "in", "inv", "inv-", "inv-1", "inv-12"):
        model.set_text_filter(text)
    model.sort(Column.AMOUNT, DESC)
    _settle(qtbot, model)
    shown = model.rows_at(range(model.rowCount()))
    assert model.rowCount() == 11 and {r.number for r in shown} == {
        "INV-12",
        *(f"INV-12{n}" for n in range(10)),
    }
    amounts = [float(r.amount or 0) for r in shown]
    assert amounts == sorted(amounts, reverse=True)
    assert model.count("error") == 100  # the counts, asked apart, are not lost on the way


def test_ids_in_reads_rows_not_held_in_the_state_s_order(qtbot: QtBot, tmp_path: Path) -> None:
    """The ranges of a selection, held or not: every document there, top to bottom, once."""
    path = tmp_path / "many.db"
    _state(path, 6000)  # more than the pages held
    model = TableModel(locale=US)
    model.set_source(StoreSource(path))
    _settle(qtbot, model)
    model.data(model.index(3000, 0))  # a page in the middle held too
    _settle(qtbot, model)
    got: list[list[tuple[str, str]]] = []
    failed: list[BaseException] = []
    model.ids_in([(5990, 5999), (0, 4), (2990, 3010), (3, 6)], got.append, failed.append)
    qtbot.waitUntil(lambda: bool(got or failed), timeout=10_000)
    assert not failed
    rows = [*range(0, 7), *range(2990, 3011), *range(5990, 6000)]
    # newest first: view row r is document 5999 - r
    assert [doc_id for doc_id, _status in got[0]] == [f"d{5999 - r:05d}" for r in rows]
    statuses = {doc_id: status for doc_id, status in got[0]}
    assert statuses["d05993"] == "error" and statuses["d05999"] == "forwarded"
    model.close()


def test_select_all_then_an_action_reaches_every_document_of_the_filter(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A Select all of more rows than the window holds: Retry, Send and Deliver again act on
    every selected document, not on the pages held."""
    from PySide6.QtWidgets import QMessageBox

    from app.gui.status_view import StatusView

    path = tmp_path / "many.db"
    _state(path, 6000)
    view = StatusView(model=TableModel(locale=US))
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    view.set_source(StoreSource(path))
    _settle(qtbot, view.model)
    view.table.selectAll()
    assert len(view.selected_rows()) < 6000 == view.selected_count()  # not all held
    assert view.retry_action.isEnabled() and view.deliver_again_action.isEnabled()
    errors = {f"d{n:05d}" for n in range(6000) if n % 10 == 3}
    forwarded = {f"d{n:05d}" for n in range(6000) if n % 10 not in (3, 4)}
    with qtbot.waitSignal(view.retry_requested, timeout=10_000) as retried:
        view.retry_action.trigger()
    assert sorted(retried.args[0]) == sorted(errors)
    with qtbot.waitSignal(view.resend_requested, timeout=10_000) as sent:
        view.send_action.trigger()
    assert len(sent.args[0]) == 6000 == len(set(sent.args[0]))
    view.ask_deliver_again()
    qtbot.waitUntil(lambda: view.deliver_again_question is not None, timeout=10_000)
    question = view.deliver_again_question
    assert question is not None and f"{len(forwarded):,}" in question.text()
    with qtbot.waitSignal(view.deliver_again_requested, timeout=5_000) as again:
        question.button(QMessageBox.StandardButton.Yes).click()
    assert sorted(again.args[0]) == sorted(forwarded)
    # filtered to what was delivered: nothing to retry, however many are selected
    view.model.set_status_filter("forwarded")
    _settle(qtbot, view.model)
    view.table.selectAll()
    assert len(view.selected_rows()) < len(forwarded) == view.selected_count()
    assert not view.retry_action.isEnabled() and view.deliver_again_action.isEnabled()
    assert view.send_action.text() == "Resend to integrations"
    view.model.close()


def test_a_table_query_asks_for_many_ids_but_few_whole_rows() -> None:
    from pydantic import ValidationError

    from app.engine.channel import IDS_LIMIT, ROWS_LIMIT, TableQuery

    assert TableQuery(limit=IDS_LIMIT, ids_only=True).limit == IDS_LIMIT
    assert TableQuery(limit=ROWS_LIMIT).limit == ROWS_LIMIT
    with pytest.raises(ValidationError):
        TableQuery(limit=ROWS_LIMIT + 1)
    with pytest.raises(ValidationError):
        TableQuery(limit=IDS_LIMIT + 1, ids_only=True)
