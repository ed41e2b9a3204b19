"""The status table's model over rows handed to it (a private in-memory state, answered on the
spot): words, filters, sorting, live batches, and many rows. The same model reads an office's
state a page at a time in the window (tests/gui/test_table_model.py).

Batches applied one by one under changing filters and sorts are checked against a model given
the same changes at once: both must show the same documents in the same order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.language import Language
from app.engine.messages import DocumentChanged
from app.engine.state import StateStore
from app.gui.document_rows import (
    Column,
    DocumentRow,
    amount_digits,
    search_word,
)
from app.gui.i18n import install_translator
from app.gui.table_model import TableModel

ASC = Qt.SortOrder.AscendingOrder
DESC = Qt.SortOrder.DescendingOrder
DISPLAY = Qt.ItemDataRole.DisplayRole

CLIENTS = {"c1": "Bakkerij Peeters BV", "c2": "Garage Dubois SRL", "c3": "Atelier Maes"}


def row(n: int, **fields: object) -> DocumentRow:
    values: dict[str, object] = {
        "id": f"d{n}",
        "client_id": "c1",
        "client_name": CLIENTS["c1"],
        "kind": "purchase",
        "number": f"INV-{n}",
        "issue_date": f"2026-03-{n % 28 + 1:02d}",
        "amount": f"{n * 10}.5",
        "currency": "EUR",
        "status": "forwarded",
        "message": None,
        "locations": [f"/srv/accounting/INV-{n}.xml"],
        "last_attempt": 1_770_000_000.0 + n,
    }
    values.update(fields)
    return DocumentRow(**values)  # type: ignore[arg-type]


def change(n: int, status: str = "forwarded", **fields: object) -> DocumentChanged:
    values: dict[str, object] = {
        "document_id": f"d{n}",
        "client_id": "c1",
        "kind": "purchase",
        "number": f"INV-{n}",
        "issue_date": f"2026-03-{n % 28 + 1:02d}",
        "amount": f"{n * 10}.5",
        "currency": "EUR",
        "status": status,
    }
    if status == "forwarded":
        values["locations"] = [f"/srv/accounting/INV-{n}.xml"]
    if status == "error":
        values["message"] = f"The folder for INV-{n} cannot be written."
    values.update(fields)
    return DocumentChanged(**values)  # type: ignore[arg-type]


def shown_ids(model: TableModel) -> list[str]:
    return [model.row_at(r).id for r in range(model.rowCount())]


def shown(model: TableModel, column: Column) -> list[object]:
    return [model.index(r, column).data(DISPLAY) for r in range(model.rowCount())]


@pytest.fixture
def tested() -> list[QAbstractItemModelTester]:
    """Qt's own model checkers, kept alive for the whole test: each re-verifies its model
    after every signal (row counts, parents, persistent indexes) and warns on any breach."""
    return []


def attach_tester(model: TableModel, testers: list[QAbstractItemModelTester]) -> None:
    testers.append(
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    )


@pytest.fixture
def model(qtbot: QtBot, tested: list[QAbstractItemModelTester]) -> TableModel:
    created = TableModel(locale=QLocale.c())
    created.set_client_names(CLIENTS)
    attach_tester(created, tested)
    return created


@pytest.fixture(autouse=True)
def _no_model_tester_failures(qtlog: object) -> Iterator[None]:
    yield
    failures = [r.message for r in qtlog.records if "FAIL" in r.message]  # type: ignore[attr-defined]
    assert not failures


# --- words and cells -------------------------------------------------------------------------


def test_columns_show_a_document_in_words(model: TableModel) -> None:
    model.set_rows(
        [
            row(
                1,
                kind="statement",
                amount="1234.5",
                status="error",
                message="Access denied\nto the folder",
                locations=["/a/one.xml", "/a/one.pdf"],
                last_attempt=dt.datetime(2026, 3, 9, 14, 5).timestamp(),
            )
        ]
    )
    assert model.rowCount() == 1
    assert model.columnCount() == 9
    headers = [model.headerData(c, Qt.Orientation.Horizontal, DISPLAY) for c in range(9)]
    assert headers == [
        "Client",
        "Kind",
        "Number",
        "Date",
        "Amount",
        "Status",
        "Destination path",
        "Message",
        "Last attempt",
    ]
    cells = [model.index(0, c).data(DISPLAY) for c in range(9)]
    assert cells == [
        "Bakkerij Peeters BV",
        "Bank statement",
        "INV-1",
        "2026-03-02",
        "1234.50 EUR",
        "Error",
        "/a/one.xml",
        "Access denied to the folder",
        "2026-03-09 14:05",
    ]
    status = model.index(0, Column.STATUS)
    icon = status.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    color = status.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(color, QColor) and color.red() > color.green()
    assert model.index(0, Column.DESTINATION).data(Qt.ItemDataRole.ToolTipRole) == (
        "/a/one.xml\n/a/one.pdf"
    )
    assert "\n" in model.index(0, Column.MESSAGE).data(Qt.ItemDataRole.ToolTipRole)
    amount_alignment = model.index(0, Column.AMOUNT).data(Qt.ItemDataRole.TextAlignmentRole)
    assert Qt.AlignmentFlag(amount_alignment) & Qt.AlignmentFlag.AlignRight
    assert model.row_at(0).id == "d1"


def test_every_status_has_its_own_icon_and_colour(model: TableModel) -> None:
    model.set_rows([row(1, status="to_fetch"), row(2, status="error"), row(3, status="forwarded")])
    images = set()
    colors = set()
    for r in range(3):
        index = model.index(r, Column.STATUS)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        image = icon.pixmap(16, 16).toImage()
        images.add(bytes(image.constBits()))
        colors.add(index.data(Qt.ItemDataRole.ForegroundRole).name())
    assert len(images) == 3
    assert len(colors) == 3
    assert set(shown(model, Column.STATUS)) == {"To fetch", "Error", "Forwarded"}


def test_words_follow_the_language(model: TableModel) -> None:
    model.set_rows([row(1, kind="sales", status="to_fetch")])
    model.set_language(Language.FR)
    assert model.index(0, Column.KIND).data(DISPLAY) == "Facture de vente"
    assert model.index(0, Column.STATUS).data(DISPLAY) == "À récupérer"
    model.set_text_filter("récupérer")  # the search text speaks the language too
    assert model.rowCount() == 1
    model.set_language(Language.NL)
    assert model.rowCount() == 0
    model.set_text_filter("op te halen")
    assert shown(model, Column.KIND) == ["Verkoopfactuur"]


def test_amounts_have_two_decimals_in_the_users_number_format() -> None:
    belgian = TableModel(locale=QLocale(QLocale.Language.French, QLocale.Country.Belgium))
    belgian.set_rows([row(1, amount="1234.5"), row(2, amount=None), row(3, amount="7")])
    amounts = shown(belgian, Column.AMOUNT)
    assert amounts[2].replace("\u202f", " ").replace("\xa0", " ") == "1 234,50 EUR"
    assert amounts[1] == ""
    assert amounts[0] == "7,00 EUR"


@pytest.mark.parametrize(
    "typed",
    [
        "1.640,00",
        "1,640.00",
        "1640.00",
        "1640,00",
        "1'640.00",
        "1\u202f640,00",
        "1.640",
        "-1.640,00",
    ],
)
def test_an_amount_typed_in_any_regional_format_finds_its_document(typed: str) -> None:
    """ "1.640,00 finds nothing" in an English-formatted window: whatever the window's format,
    an amount typed with the separators of any region finds the document."""
    for locale in (QLocale(QLocale.Language.C), QLocale("nl_BE"), QLocale("en_US")):
        model = TableModel(locale=locale)
        model.set_rows([row(1, amount="1640"), row(2, amount="42361.86"), row(3, amount=None)])
        model.set_text_filter(typed)
        assert shown_ids(model) == ["d1"], (typed, locale.name())
    assert search_word("INV-10") == "INV-10" and search_word("2026-03-02") == "2026-03-02"
    assert search_word("1.640,00") == "164000" and amount_digits("1640") == "164000"


def test_amounts_follow_the_language_of_the_window(qapp: QApplication, tmp_path: Path) -> None:
    """No locale given: Ferry's regional format in Ferry's language, switched with it."""
    model = TableModel()
    model.set_rows([row(1, amount="42361.86")])
    try:
        install_translator(qapp, Language.FR, cache_dir=tmp_path)
        model.set_language(Language.FR)
        french = str(shown(model, Column.AMOUNT)[0]).replace("\u202f", " ").replace("\xa0", " ")
        assert french == "42 361,86 EUR"
        install_translator(qapp, Language.NL, cache_dir=tmp_path)
        model.set_language(Language.NL)
        assert shown(model, Column.AMOUNT)[0] == "42.361,86 EUR"
    finally:
        install_translator(qapp, Language.EN, cache_dir=tmp_path)


def test_headers_are_left_aligned_so_the_sort_arrow_never_covers_them() -> None:
    model = TableModel()
    for column in Column:
        assert (
            model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole)
            is None
        )


def test_rows_come_from_the_state_store_as_the_engine_left_them(
    tmp_path: Path, model: TableModel
) -> None:
    store = StateStore(tmp_path / "state.db")
    try:
        for n in (1, 2):
            store.upsert_document(
                {
                    "id": f"d{n}",
                    "client_id": "c2",
                    "kind": "sales",
                    "number": f"F-{n}",
                    "issue_date": dt.date(2026, 3, n),
                    "amount": "99.90",
                    "currency": "EUR",
                    "counterparty": None,
                    "created_at": dt.datetime(2026, 3, n, tzinfo=dt.UTC),
                    "status": "to_fetch",
                }
            )
        store.set_document_status("d2", "error", "Disk full", ())
        store.set_document_status("d1", "forwarded", None, ["/x/F-1.xml"])
        rows = [DocumentRow.from_state(d, CLIENTS) for d in store.documents()]
    finally:
        store.close()
    model.set_rows(rows)
    assert shown_ids(model) == ["d2", "d1"]  # newest first
    assert shown(model, Column.CLIENT) == ["Garage Dubois SRL"] * 2
    assert shown(model, Column.STATUS) == ["Error", "Forwarded"]
    assert shown(model, Column.DESTINATION) == ["", "/x/F-1.xml"]
    assert shown(model, Column.MESSAGE) == ["Disk full", ""]
    assert all(shown(model, Column.LAST_ATTEMPT))


def test_client_names_arrive_after_the_rows(model: TableModel) -> None:
    model.set_client_names({})
    model.set_rows([row(1, client_id="c9", client_name="c9")])
    assert shown(model, Column.CLIENT) == ["c9"]
    model.set_text_filter("brouwerij")
    assert model.rowCount() == 0
    model.set_client_names({"c9": "Brouwerij Het Anker"})
    assert shown(model, Column.CLIENT) == ["Brouwerij Het Anker"]
    assert model.clients() == [("c9", "Brouwerij Het Anker")]


def test_a_name_arriving_rewords_the_rows_already_shown(model: TableModel) -> None:
    model.set_client_names({})
    model.set_rows([row(1, client_id="c9", client_name="c9")])
    assert shown(model, Column.CLIENT) == ["c9"]  # worded, and kept for the next paint
    model.set_client_names({"c9": "Brouwerij Het Anker"})
    assert shown(model, Column.CLIENT) == ["Brouwerij Het Anker"]


# --- filters ---------------------------------------------------------------------------------


def mixed_rows() -> list[DocumentRow]:
    return [
        row(1, status="forwarded", client_id="c1", client_name=CLIENTS["c1"]),
        row(2, status="error", message="Access DENIED to D:\\Boekhouding", client_id="c2"),
        row(3, status="to_fetch", locations=[], client_id="c2"),
        row(4, status="error", message="Disk full", client_id="c3"),
        row(5, status="forwarded", client_id="c3", number="CN-77"),
    ]


def test_filter_by_status_client_and_words(model: TableModel) -> None:
    model.set_rows(mixed_rows())
    assert shown_ids(model) == ["d5", "d4", "d3", "d2", "d1"]
    model.set_status_filter("error")
    assert shown_ids(model) == ["d4", "d2"]
    model.set_client_filter("c2")
    assert shown_ids(model) == ["d2"]
    model.set_status_filter(None)
    assert shown_ids(model) == ["d3", "d2"]
    model.set_client_filter(None)
    model.set_text_filter("  access   boekhouding ")  # every word, any case, any order
    assert shown_ids(model) == ["d2"]
    model.set_text_filter("garage")  # the client's name (set_client_names)
    assert shown_ids(model) == ["d3", "d2"]
    model.set_text_filter("cn-77")
    assert shown_ids(model) == ["d5"]
    model.set_text_filter("50.50")  # the amount as written
    assert shown_ids(model) == ["d5"]
    model.set_text_filter("to fetch")  # the status word
    assert shown_ids(model) == ["d3"]
    model.set_text_filter("bank statement")
    assert shown_ids(model) == []
    model.set_filters()
    assert model.rowCount() == 5 and not model.is_filtered


def test_counts_and_clients(model: TableModel) -> None:
    model.set_rows(mixed_rows())
    assert model.total_count() == 5
    assert model.count("error") == 2
    assert model.count("to_fetch") == 1
    assert [name for _, name in model.clients()] == sorted(CLIENTS.values())
    model.apply_changes([change(2, "forwarded"), change(9, "error", client_id="c4")])
    assert model.count("error") == 2
    assert model.total_count() == 6
    assert ("c4", "c4") in model.clients()


# --- sorting ---------------------------------------------------------------------------------


def test_sort_by_every_column_both_ways(model: TableModel) -> None:
    rng = random.Random(3)
    names = list(CLIENTS)
    rows = [
        row(
            n,
            client_id=(client := rng.choice(names)),
            client_name=CLIENTS[client],
            kind=rng.choice(["purchase", "sales", "receipt", "statement", "other"]),
            number=f"INV-{rng.randrange(1, 30)}",
            issue_date=f"2026-{rng.randrange(1, 13):02d}-01",
            amount=rng.choice([None, f"{rng.uniform(-50, 500):.2f}"]),
            status=rng.choice(["to_fetch", "error", "forwarded"]),
            message=rng.choice([None, "b problem", "A problem"]),
            last_attempt=rng.choice([None, 1_770_000_000.0 + rng.randrange(1000)]),
        )
        for n in range(60)
    ]
    model.set_rows(rows)

    def amount(r: DocumentRow) -> float:
        return float(r.amount) if r.amount is not None else float("-inf")

    expectations = {
        Column.CLIENT: lambda r: r.client_name.lower(),
        Column.NUMBER: lambda r: int(r.number.split("-")[1]),  # natural: INV-2 < INV-10
        Column.DATE: lambda r: r.issue_date,
        Column.AMOUNT: amount,
        Column.STATUS: lambda r: ["error", "to_fetch", "forwarded"].index(r.status),
        Column.MESSAGE: lambda r: (r.message or "").lower(),
        Column.LAST_ATTEMPT: lambda r: r.last_attempt or 0.0,
    }
    for column, key in expectations.items():
        for order in (ASC, DESC):
            model.sort(column, order)
            keys = [key(model.row_at(r)) for r in range(model.rowCount())]
            assert keys == sorted(keys, reverse=order == DESC), (column, order)
    model.sort(Column.KIND, ASC)
    kinds = shown(model, Column.KIND)
    assert kinds == sorted(kinds, key=str.lower)
    model.sort(-1, ASC)  # indicator cleared: newest first again
    assert shown_ids(model) == [f"d{n}" for n in reversed(range(60))]


def test_dates_sort_newest_first_on_the_first_click(model: TableModel) -> None:
    initial = Qt.ItemDataRole.InitialSortOrderRole
    assert model.headerData(Column.DATE, Qt.Orientation.Horizontal, initial) == DESC
    assert model.headerData(Column.LAST_ATTEMPT, Qt.Orientation.Horizontal, initial) == DESC
    assert model.headerData(Column.CLIENT, Qt.Orientation.Horizontal, initial) == ASC


def test_sorting_keeps_filter_and_persistent_indexes(model: TableModel) -> None:
    model.set_rows(mixed_rows())
    model.set_status_filter("error")
    keep = QPersistentModelIndex(model.index(shown_ids(model).index("d2"), Column.NUMBER))
    model.sort(Column.CLIENT, DESC)
    assert shown_ids(model) == ["d2", "d4"]  # Garage Dubois, then Atelier Maes
    assert keep.isValid() and model.row_at(keep.row()).id == "d2"
    assert keep.column() == Column.NUMBER
    model.set_status_filter("forwarded")
    assert not keep.isValid()  # d2 is filtered out


# --- live batches ----------------------------------------------------------------------------


class Signals:
    """What the model told the view during one batch."""

    def __init__(self, model: TableModel) -> None:
        self.events: list[tuple[str, tuple[int, ...]]] = []
        model.dataChanged.connect(
            lambda a, b, *_: self.events.append(("changed", (a.row(), b.row())))
        )
        model.rowsInserted.connect(
            lambda _p, first, last: self.events.append(("inserted", (first, last)))
        )
        model.rowsRemoved.connect(lambda *_: self.events.append(("removed", ())))
        model.layoutChanged.connect(lambda *_: self.events.append(("layout", ())))
        model.modelReset.connect(lambda: self.events.append(("reset", ())))

    def take(self) -> list[tuple[str, tuple[int, ...]]]:
        events, self.events = self.events, []
        return events

    def no_reset(self) -> list[str]:
        """What was told, checking it never reset the view (selection and scroll survive)."""
        names = [name for name, _ in self.take()]
        assert "reset" not in names
        return names


def test_a_batch_of_status_changes_is_one_data_changed(model: TableModel) -> None:
    model.set_rows([row(n, status="to_fetch", locations=[]) for n in range(100)])
    signals = Signals(model)
    model.apply_changes([change(n, "forwarded") for n in range(40, 60)])
    # the rows held changed in place, at once: newest first, d59 at view row 40
    assert signals.take()[0] == ("changed", (40, 59))
    assert model.count("forwarded") == 20
    assert model.document("d45") is not None
    assert model.document("d45").locations == ["/srv/accounting/INV-45.xml"]  # type: ignore[union-attr]
    assert model.document("d45").last_attempt is not None  # type: ignore[union-attr]


def test_new_documents_are_one_insert_at_the_top(model: TableModel) -> None:
    model.set_rows([row(n) for n in range(10)])
    signals = Signals(model)
    model.apply_changes([change(n, "to_fetch") for n in range(10, 15)] + [change(3, "error")])
    assert signals.no_reset()[0] == "changed"
    assert shown_ids(model)[:6] == ["d14", "d13", "d12", "d11", "d10", "d9"]
    new = model.document("d12")
    assert new is not None and new.client_name == CLIENTS["c1"] and new.last_attempt is None


def test_new_documents_sorted_ascending_append_at_the_bottom(model: TableModel) -> None:
    model.set_rows([row(n) for n in range(10)])
    model.sort(-1, ASC)
    model.sort(Column.NUMBER, ASC)
    signals = Signals(model)
    model.apply_changes([change(99, "to_fetch", number="INV-99")])
    signals.no_reset()
    assert shown_ids(model)[-1] == "d99"
    model.apply_changes([change(50, "to_fetch", number="INV-5")])  # lands in the middle
    signals.no_reset()
    assert shown(model, Column.NUMBER)[5:7] == ["INV-5", "INV-5"]


def test_batches_while_filtered_and_sorted_move_rows_and_keep_the_selection(
    model: TableModel,
) -> None:
    model.set_rows([row(n, status="to_fetch", locations=[]) for n in range(20)])
    model.sort(Column.STATUS, ASC)
    model.set_status_filter("to_fetch")
    kept = QPersistentModelIndex(model.index(shown_ids(model).index("d7"), 0))
    leaving = QPersistentModelIndex(model.index(shown_ids(model).index("d3"), 0))
    signals = Signals(model)
    model.apply_changes(
        [change(3, "forwarded"), change(4, "error"), change(20, "to_fetch"), change(21, "error")]
    )
    signals.no_reset()
    assert sorted(shown_ids(model)) == sorted(
        [f"d{n}" for n in range(20) if n not in (3, 4)] + ["d20"]
    )
    assert model.row_at(kept.row()).id == "d7"
    assert not leaving.isValid()
    model.set_status_filter(None)
    statuses = [model.row_at(r).status for r in range(model.rowCount())]
    assert statuses == ["error"] * 2 + ["to_fetch"] * 19 + ["forwarded"]
    model.apply_changes([change(4, "to_fetch")])  # back from error: moves down
    assert model.row_at(0).id == "d21"


def test_a_document_twice_in_one_batch_ends_in_its_last_state(model: TableModel) -> None:
    model.set_rows([row(1)])
    model.apply_changes([change(2, "to_fetch"), change(2, "error"), change(1, "to_fetch")])
    assert [(r.id, r.status) for r in model.rows_at(range(2))] == [
        ("d2", "error"),
        ("d1", "to_fetch"),
    ]
    assert model.count("error") == 1 and model.count("to_fetch") == 1


def rebuilt(
    model: TableModel, rows: list[DocumentRow], batches: list[list[DocumentChanged]]
) -> list[str]:
    """What a model given the same rows and batches with no filter and no sort all along, then
    the same filters and sort, shows."""
    fresh = TableModel(locale=QLocale.c())
    fresh.set_client_names(CLIENTS)
    fresh.set_rows([dataclasses.replace(r) for r in rows])
    for batch in batches:
        fresh.apply_changes(batch)
    fresh.set_filters(
        status=model.status_filter, client_id=model.client_filter, text=model.text_filter
    )
    fresh.sort(model.sort_column, model.sort_order)
    return shown_ids(fresh)


@pytest.mark.parametrize("seed", range(6))
def test_random_batches_match_a_model_built_from_scratch(model: TableModel, seed: int) -> None:
    rng = random.Random(seed)
    ids = [f"d{n}" for n in range(300)]
    statuses = ["to_fetch", "error", "forwarded"]
    rows = [
        row(
            n,
            status=rng.choice(statuses),
            client_id=(c := rng.choice(list(CLIENTS))),
            client_name=CLIENTS[c],
            number=f"N-{rng.randrange(50)}",
        )
        for n in range(300)
    ]
    model.set_rows([dataclasses.replace(r) for r in rows])
    batches: list[list[DocumentChanged]] = []
    next_id = 300
    for step in range(25):
        if step % 5 == 0:
            model.sort(rng.choice([-1, *range(9)]), rng.choice([ASC, DESC]))
        if step % 4 == 0:
            model.set_filters(
                status=rng.choice([None, *statuses]),
                client_id=rng.choice([None, "c1", "c2"]),
                text=rng.choice(["", "peeters", "inv", "n-1", "cannot"]),
            )
        # a selection, as the view keeps one
        tracked = [
            (QPersistentModelIndex(model.index(r, 0)), model.row_at(r).id)
            for r in rng.sample(range(model.rowCount()), min(5, model.rowCount()))
        ]
        batch = []
        for _ in range(rng.randrange(1, 60)):
            if rng.random() < 0.3:
                n = next_id
                next_id += 1
                ids.append(f"d{n}")
            else:
                n = int(rng.choice(ids)[1:])
            batch.append(
                change(
                    n,
                    rng.choice(statuses),
                    number=f"N-{rng.randrange(50)}",
                    client_id=rng.choice(list(CLIENTS)),
                )
            )
        model.apply_changes(batch)
        batches.append(batch)
        assert shown_ids(model) == rebuilt(model, rows, batches), step
        for index, document_id in tracked:
            if index.isValid():
                assert model.row_at(index.row()).id == document_id
            else:
                assert model.view_row_of(document_id) is None
        for document_id in rng.sample(ids, 10):
            r = model.view_row_of(document_id)
            assert r is None or model.row_at(r).id == document_id


# --- 100,000 rows ----------------------------------------------------------------------------


def big_rows(count: int) -> list[DocumentRow]:
    rng = random.Random(5)
    names = list(CLIENTS.items())
    statuses = ["forwarded"] * 18 + ["error", "to_fetch"]
    rows = []
    for n in range(count):
        client_id, name = names[n % len(names)]
        status = statuses[rng.randrange(len(statuses))]
        rows.append(
            DocumentRow(
                id=f"doc-{n}",
                client_id=client_id,
                client_name=name,
                kind="purchase",
                number=f"INV-2026-{rng.randrange(10**6):06d}",
                issue_date="2026-03-09",
                amount=f"{rng.uniform(1, 9999):.2f}",
                currency="EUR",
                status=status,
                message="The disk is full." if status == "error" else None,
                locations=[f"D:\\Boekhouding\\{name}\\INV-{n}.xml"],
                last_attempt=1_770_000_000.0 + n,
            )
        )
    return rows


def every(model: TableModel, column: Column) -> list[object]:
    """A column's words in every row, pages not on screen included."""
    rows = model.rows_at(range(model.rowCount()))
    assert len(rows) == model.rowCount()
    return [model._displays[column](r) for r in rows]


def test_many_rows_filter_sort_and_take_batches(qtbot: QtBot) -> None:
    """Correctness at a size beyond the pages held; the speed is bench/bench_window.py's."""
    model = TableModel(locale=QLocale.c())
    model.set_client_names(CLIENTS)
    rows = big_rows(20_000)
    model.set_rows(rows)
    assert model.rowCount() == 20_000
    model.set_text_filter("maes")
    assert model.rowCount() == len([r for r in rows if r.client_id == "c3"])
    model.sort(Column.NUMBER, ASC)
    numbers = every(model, Column.NUMBER)
    assert numbers == sorted(numbers)  # type: ignore[type-var]

    selected = QPersistentModelIndex(model.index(100, 0))
    document_id = model.row_at(100).id
    signals = Signals(model)
    batch = [
        change(0, "error", document_id=f"doc-{n}", client_id="c3", number=f"INV-2026-{n:06d}")
        for n in range(0, 20_000, 100)
    ]
    model.apply_changes(batch)
    signals.no_reset()
    # the selection follows its document while its page is held
    assert (selected.row() if selected.isValid() else None) == model.view_row_of(document_id)
    numbers = every(model, Column.NUMBER)
    assert numbers == sorted(numbers)  # type: ignore[type-var]
    assert model.rowCount() == len(
        {r.id for r in rows if r.client_id == "c3"} | {c.document_id for c in batch}
    )
    assert model.count("error") == len(
        {r.id for r in rows if r.status == "error"} | {c.document_id for c in batch}
    )


def test_names_arriving_after_many_rows_are_followed_by_every_row(qtbot: QtBot) -> None:
    """The history is shown before the platform's client list arrives (and that list comes
    again every few minutes): every row, the text filter and the client sort follow the
    names; the same list again tells the view nothing."""
    model = TableModel(locale=QLocale.c())
    rows = [dataclasses.replace(r, client_name=r.client_id, locations=[]) for r in big_rows(20_000)]
    model.set_rows(rows)
    model.set_text_filter("atelier")  # a word only in a name nobody knows yet
    assert model.rowCount() == 0
    model.set_client_names(CLIENTS)
    assert model.rowCount() == len([r for r in rows if r.client_id == "c3"])
    assert set(every(model, Column.CLIENT)) == {"Atelier Maes"}
    assert model.row_at(0).client_name == "Atelier Maes"  # rows handed out carry the name
    assert model.index(0, Column.CLIENT).data(Qt.ItemDataRole.ToolTipRole) == "Atelier Maes (c3)"
    signals = Signals(model)
    model.set_client_names(dict(CLIENTS))  # the same list again: nothing to tell
    assert signals.take() == []

    model.set_filters()
    model.sort(Column.CLIENT, ASC)
    assert model.row_at(0).client_name == "Atelier Maes"
    model.set_client_names({**CLIENTS, "c3": "Zuivel Maes"})  # renamed: sorts last now
    assert model.row_at(0).client_name == "Bakkerij Peeters BV"
    assert model.row_at(model.rowCount() - 1).client_name == "Zuivel Maes"
    model.apply_changes([change(0, "forwarded", document_id="new-1", client_id="c3")])
    new = [r for r in model.rows_at(range(model.rowCount())) if r.id == "new-1"]
    assert [r.client_name for r in new] == ["Zuivel Maes"]


def test_a_client_without_a_name_keeps_the_name_its_rows_brought(model: TableModel) -> None:
    """A client the platform's list does not (yet) name: its rows show what they were loaded
    with, and a document moving to it or arriving for it shows the same."""
    model.set_rows([row(1, client_id="c8", client_name="Brouwerij De Kroon"), row(2)])
    model.apply_changes(
        [change(2, "forwarded", client_id="c8"), change(3, "to_fetch", client_id="c8")]
    )
    assert {model.document(i).client_name for i in ("d1", "d2", "d3")} == {  # type: ignore[union-attr]
        "Brouwerij De Kroon"
    }
    model.set_text_filter("kroon")
    assert sorted(shown_ids(model)) == ["d1", "d2", "d3"]


def test_invalid_indexes_and_rows_are_harmless(model: TableModel) -> None:
    model.set_rows([row(1)])
    assert model.data(QModelIndex()) is None
    assert model.index(5, 0).data(DISPLAY) is None
    assert model.headerData(0, Qt.Orientation.Vertical, DISPLAY) is None
    assert model.view_row_of("nope") is None
    with pytest.raises(IndexError):
        model.row_at(3)
    model.apply_changes([])


def test_today_s_deliveries_and_the_last_one_are_counted_with_every_batch() -> None:
    """What the tray says at a glance comes from here: kept with the rows, per batch."""
    now = time.time()
    midnight = dt.datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = midnight.timestamp() - 3600
    model = TableModel()
    model.set_rows(
        [
            row(1, last_attempt=now - 60),  # forwarded today
            row(2, last_attempt=yesterday),  # forwarded yesterday
            row(3, status="error", last_attempt=now - 30),  # failed today: not delivered
            row(4, status="to_fetch", last_attempt=None, locations=[]),
        ]
    )
    assert model.delivered_today() == 1
    assert model.last_delivery() == now - 60
    model.apply_changes([change(3, "forwarded"), change(4, "forwarded"), change(9, "forwarded")])
    assert model.delivered_today() == 4  # two that failed or waited, one new
    assert model.last_delivery() is not None and model.last_delivery() >= now
    model.apply_changes([change(2, "forwarded")])  # yesterday's, delivered again today
    assert model.delivered_today() == 5
    model.apply_changes([change(1, "to_fetch")])  # sent to the integrations again: not yet
    assert model.delivered_today() == 4
    model.apply_changes([change(1, "forwarded")])
    assert model.delivered_today() == 5  # each document once, at its latest delivery


def test_today_s_count_starts_over_at_midnight(monkeypatch: pytest.MonkeyPatch) -> None:
    model = TableModel()
    model.set_rows([row(1, last_attempt=time.time()), row(2, last_attempt=time.time())])
    assert model.delivered_today() == 2
    tomorrow = time.time() + 24 * 3600
    monkeypatch.setattr(time, "time", lambda: tomorrow)
    assert model.delivered_today() == 0
    model.apply_changes([change(3, "forwarded")])
    assert model.delivered_today() == 1
