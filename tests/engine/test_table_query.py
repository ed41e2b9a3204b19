"""The desktop window's table read from the state a page at a time (issue 18): filtered and
sorted in SQL as the window filters and sorts, counted there, over a real state file, and
through the channel of a hosted engine."""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.kinds import DocumentKind
from app.engine import attached, state
from app.engine.channel import TableQuery, TableWordModel
from app.engine.host import EngineHost, HostKind
from app.engine.state import (
    _MIGRATIONS,
    DeliveryOutcome,
    StateStore,
    TableWord,
    amount_key,
    natural_key,
)
from app.settings import Destination
from tests.engine.conftest import Office

CLIENTS = ["c1", "c2", "c3", "c4"]
KINDS = ["purchase", "sales", "statement"]


def _document(n: int) -> dict[str, Any]:
    rng = random.Random(n)
    return {
        "id": f"d{n:04d}",
        "client_id": rng.choice(CLIENTS),
        "kind": rng.choice(KINDS),
        "number": f"INV-{rng.randint(1, 40)}",
        "issue_date": f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
        "amount": rng.choice([None, "12.50", "-3", "1640.00", "99.99", "not a number"]),
        "currency": "EUR",
        "created_at": f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}",
    }


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    store = StateStore(tmp_path / "state.db")
    for n in range(240):
        document = _document(n)
        store.upsert_document(document)
        fate = n % 6
        if fate == 1:
            store.complete_document(
                document,
                [DeliveryOutcome("Books", [f"/srv/Books/{document['number']}-{n}.xml"])],
                status="forwarded",
                message=None,
                locations=[f"/srv/Books/{document['number']}-{n}.xml"],
            )
        elif fate == 2:
            store.complete_document(
                document, [], status="error", message="Disk full on \\\\server", locations=[]
            )
        elif fate == 3:  # waiting: To fetch, tried already
            with store._write() as db:
                db.execute(
                    "UPDATE documents SET failures = ? WHERE id = ?",
                    (json.dumps([{"code": "folder_unreachable"}]), document["id"]),
                )
    yield store
    store.close()


def _shown(document: dict[str, Any]) -> str:
    if document["status"] == "to_fetch" and document["failures"]:
        return "waiting"
    return str(document["status"])


_RANK = {"error": 0, "waiting": 1, "to_fetch": 2, "forwarded": 3}


def _expected(
    documents: list[dict[str, Any]], sort: str | None, descending: bool, order: list[str]
) -> list[str]:
    """The window's order, computed in Python as the in-memory model computed it: by key,
    ties in the order documents were learnt of; descending reads it all from the end."""
    position = {v: i for i, v in enumerate(order)}
    keys: dict[str | None, Any] = {
        None: lambda d: 0,
        "number": lambda d: natural_key(d["number"]),
        "date": lambda d: d["issue_date"],
        "amount": lambda d: (
            (0, 0.0) if amount_key(d["amount"]) is None else (1, amount_key(d["amount"]))
        ),
        "status": lambda d: _RANK.get(_shown(d), 4),
        "client": lambda d: (position.get(d["client_id"], len(order)), d["client_id"]),
        "kind": lambda d: (position.get(d["kind"], len(order)), d["kind"]),
        "destination": lambda d: d["locations"][0].casefold() if d["locations"] else "",
        "message": lambda d: (d["message"] or "").casefold(),
        "last_attempt": lambda d: (0, 0.0) if d["last_attempt"] is None else (1, d["last_attempt"]),
    }
    key = keys[sort]
    ordered = sorted(documents, key=lambda d: (key(d), d["created_at"], d["id"]))
    ids = [d["id"] for d in ordered]
    return ids[::-1] if descending else ids


def _all_pages(store: StateStore, size: int, **query: Any) -> list[str]:
    ids: list[str] = []
    total = store.table(limit=0, **query)["total"]
    for offset in range(0, total + size, size):
        ids += [row["id"] for row in store.table(offset=offset, limit=size, **query)["rows"]]
    return ids


SORTS = [None, "client", "kind", "number", "date", "amount", "status", "destination"]


@pytest.mark.parametrize("sort", [*SORTS, "message", "last_attempt"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_pages_through_the_window_s_order(
    store: StateStore, sort: str | None, descending: bool
) -> None:
    documents = store.documents()
    order = ["c3", "c1"] if sort == "client" else ["statement", "purchase"]
    expected = _expected(documents, sort, descending, order)
    assert _all_pages(store, 37, sort=sort, descending=descending, order=order) == expected
    # a selection's ids and statuses (ids_only) come in the same order, any stretch of it
    statuses = {d["id"]: d["status"] for d in documents}
    stretch = store.table(
        sort=sort, descending=descending, order=order, offset=5, limit=40, ids_only=True
    )
    assert stretch["rows"] == [[i, statuses[i]] for i in expected[5:45]]


@pytest.mark.parametrize("status", ["error", "waiting", "to_fetch", "forwarded"])
def test_filters_let_through_what_the_window_s_filters_did(store: StateStore, status: str) -> None:
    documents = store.documents()

    def passes(d: dict[str, Any]) -> bool:
        shown = _shown(d)
        status_ok = shown == status or (status == "to_fetch" and shown == "waiting")
        return status_ok and d["client_id"] == "c2"

    expected = [d["id"] for d in documents if passes(d)][::-1]
    answer = store.table(status=status, client_id="c2", limit=1000)
    assert [row["id"] for row in answer["rows"]] == expected
    assert answer["total"] == len(expected)
    assert _all_pages(store, 7, status=status, client_id="c2", sort="status") == _expected(
        [d for d in documents if passes(d)], "status", True, []
    )


@pytest.mark.parametrize("few", [50_000, 3], ids=["few-matches", "many-matches"])
def test_words_match_the_search_text_and_what_the_window_matched_in_its_own_words(
    store: StateStore, few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state, "FEW_MATCHES", few)  # matches named by rowid, or filtered
    documents = store.documents()
    # a number, casefolded
    inv = store.table(words=[TableWord("inv-12")], limit=1000)
    assert {r["id"] for r in inv["rows"]} == {
        d["id"] for d in documents if "inv-12" in d["number"].casefold()
    }
    # an amount typed with separators, as its digits ("1.640,00" -> "164000")
    amounts = store.table(words=[TableWord("164000")], limit=1000)
    assert amounts["total"] == sum(d["amount"] == "1640.00" for d in documents) > 0
    # the stored message and the paths
    disk = store.table(words=[TableWord("disk"), TableWord("\\\\server")], limit=1000)
    assert disk["total"] == sum(d["status"] == "error" for d in documents) > 0
    assert store.table(words=[TableWord("/srv/books")], limit=0)["total"] == sum(
        d["status"] == "forwarded" for d in documents
    )
    # a client's name, a kind's word, a status's word: the window says which match
    named = store.table(words=[TableWord("peeters", clients=("c4",))], limit=1000)
    assert {r["client_id"] for r in named["rows"]} == {"c4"}
    kinds = store.table(words=[TableWord("xyz", kinds=("sales",))], limit=0)
    assert kinds["total"] == sum(d["kind"] == "sales" for d in documents)
    waiting = store.table(words=[TableWord("wait", statuses=("waiting",))], limit=0)
    assert waiting["total"] == sum(_shown(d) == "waiting" for d in documents) > 0
    # every word must match
    both = store.table(words=[TableWord("xyz", kinds=("sales",)), TableWord("inv-1")], limit=0)
    assert both["total"] == sum(
        d["kind"] == "sales" and "inv-1" in d["number"].casefold() for d in documents
    )
    # sorted and paged like any filter
    matching = [d for d in documents if "inv-1" in d["number"].casefold()]
    for sort in ("amount", "client", "status"):
        paged = _all_pages(store, 9, words=[TableWord("inv-1")], sort=sort, order=["c2"])
        assert paged == _expected(matching, sort, True, ["c2"])


def test_the_summary_counts_in_sql(store: StateStore) -> None:
    documents = store.documents()
    summary = store.table(limit=0, summary_since=0.0)["summary"]
    assert summary["total"] == len(documents) == 240
    for status in ("error", "to_fetch", "forwarded"):
        assert summary["counts"].get(status, 0) == sum(d["status"] == status for d in documents)
    assert summary["counts"]["waiting"] == sum(_shown(d) == "waiting" for d in documents)
    assert summary["today"] == summary["counts"]["forwarded"]
    assert summary["last_delivery"] == max(
        d["last_attempt"] for d in documents if d["status"] == "forwarded"
    )
    assert sorted(summary["clients"]) == CLIENTS
    later = store.table(limit=0, summary_since=summary["last_delivery"] + 1)["summary"]
    assert later["today"] == 0


def test_a_page_reads_rows_as_documents_gives_them(store: StateStore) -> None:
    row = store.table(status="forwarded", limit=1)["rows"][0]
    assert row == store.document(row["id"])
    assert "search" not in row and "number_key" not in row
    with pytest.raises(ValueError, match="cannot sort"):
        store.table(sort="id; DROP TABLE documents")


def test_keys_follow_every_write(store: StateStore) -> None:
    document = _document(5)
    store.set_document_status(document["id"], "error", "Quota exceeded", [])
    assert [r["id"] for r in store.table(words=[TableWord("quota")], limit=10)["rows"]] == [
        document["id"]
    ]
    store.upsert_document({**document, "number": "ZZ-999", "amount": "7"})
    top = store.table(sort="number", descending=True, limit=1)["rows"][0]
    assert top["id"] == document["id"]
    top = store.table(sort="amount", descending=False, status="error", limit=300)["rows"]
    assert document["id"] in [r["id"] for r in top]


def test_a_state_of_the_previous_version_gets_its_table_keys(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    db = sqlite3.connect(path, isolation_level=None)
    for step in _MIGRATIONS[:6]:  # version 6: before the table's keys
        step(db)
    db.execute(
        "INSERT INTO documents (id, client_id, kind, number, issue_date, amount, currency, "
        "created_at, status, message, locations, updated) VALUES ('old', 'c1', 'purchase', "
        "'INV-10', '2026-01-02', '1.640,00', 'EUR', '2025-01-01', 'error', 'Access Denied', "
        "'[\"/srv/Old.xml\"]', 0)"
    )
    db.execute("PRAGMA user_version=6")
    db.close()
    store = StateStore(path)
    try:
        assert store.table(words=[TableWord("access denied")], limit=1)["total"] == 1
        assert store.table(words=[TableWord("/srv/old.xml")], limit=1)["total"] == 1
        assert store.table(sort="amount", limit=1)["rows"][0]["id"] == "old"
        indexes = {
            row[0] for row in store._read("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        assert {"documents_client", "documents_number", "documents_attempt"} <= indexes
    finally:
        store.close()


def test_the_table_through_a_hosted_engine_s_channel(office: Office) -> None:
    client = office.new_client("Table BV")
    office.configure(
        [Destination(name="Box", paths={DocumentKind.OTHER: f"{office.root}/box"})],
        {client.id: ["Box"]},
    )
    host = EngineHost(office.home, host=HostKind.RUN, long_poll_s=5)
    host.start()
    try:
        face = attached.attach(office.home, face="test")
        assert face is not None
        try:
            for _ in range(3):
                office.add(client, "other")
            query = TableQuery(
                words=(TableWordModel(text="table", clients=(client.id,)),),
                sort="client",
                order=(client.id,),
                limit=2,
                summary_since=0.0,
            )
            deadline = time.monotonic() + 60
            answer = face.request(query, timeout=30).result
            while answer["total"] < 3 and time.monotonic() < deadline:  # the feed's pace
                time.sleep(0.1)
                answer = face.request(query, timeout=30).result
            assert answer["total"] == 3 and len(answer["rows"]) == 2
            assert answer["summary"]["total"] >= 3
            assert answer["rows"][0]["client_id"] == client.id
            refused = face.request(TableQuery(sort="nonsense"), timeout=30)
            assert refused.error and "cannot sort" in refused.error
        finally:
            face.stop()
    finally:
        host.stop()


@pytest.mark.parametrize("few", [50_000, 10])
def test_a_word_matches_where_its_text_is_in_the_search_text(
    store: StateStore, few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rare words of three characters or more are looked up in the trigram index; shorter
    ones, and those in more than ``FEW_MATCHES`` documents, are read in each row: either way
    a word matches exactly the documents whose search text holds it (quotes, accents and
    separators included)."""
    monkeypatch.setattr(state, "FEW_MATCHES", few)
    texts = [str(row[0]) for row in store._read("SELECT search FROM documents")]
    chooser = random.Random(8)
    words = {"", '"', 'a"b', "é", "ß", "\\\\", "inv-1", "zzzz", "1.640", "2026-", "srv/b"}
    for _ in range(150):
        text = chooser.choice(texts)
        start = chooser.randrange(len(text))
        words.add(text[start : start + chooser.randint(1, 9)])
    for word in sorted(words):
        if not word or "\n" in word:
            continue
        expected = sum(word in text for text in texts)
        assert store.table(words=[TableWord(word)], limit=0)["total"] == expected, word


def test_the_word_index_follows_every_write(store: StateStore) -> None:
    document = _document(999)
    store.upsert_document(document)
    store.complete_document(
        document,
        [],
        status="error",
        message="Quarantined by the antivirus",
        locations=[],
    )
    assert store.table(words=[TableWord("quarantined")], limit=0)["total"] == 1
    store.complete_document(
        document,
        [DeliveryOutcome("Books", ["/srv/Books/late.xml"])],
        status="forwarded",
        message=None,
        locations=["/srv/Books/late.xml"],
    )
    assert store.table(words=[TableWord("quarantined")], limit=0)["total"] == 0
    assert store.table(words=[TableWord("late.xml")], limit=0)["total"] == 1
    # the index agrees with the documents' texts (FTS5 raises if it does not)
    store._db.execute("INSERT INTO documents_words (documents_words) VALUES ('integrity-check')")


def test_a_state_of_version_7_gets_its_word_index(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = StateStore(path)
    store.upsert_document(_document(1))
    store.close()
    db = sqlite3.connect(path, isolation_level=None)
    for name in ("insert", "delete", "update"):
        db.execute(f"DROP TRIGGER documents_words_{name}")
        db.execute(f"DROP TRIGGER documents_count_{name}")  # version 9's
    db.execute("DROP TABLE documents_words")
    db.execute("DROP TABLE document_counts")
    db.execute("DROP INDEX documents_forwarded")
    db.execute("PRAGMA user_version=7")
    db.close()
    store = StateStore(path)
    try:
        number = _document(1)["number"].casefold()
        assert store.table(words=[TableWord(number)], limit=0)["total"] == 1
        store._db.execute(
            "INSERT INTO documents_words (documents_words) VALUES ('integrity-check')"
        )
    finally:
        store.close()


def test_the_pages_of_one_refresh_count_once_and_any_write_counts_again(
    store: StateStore, tmp_path: Path
) -> None:
    """The filters' counts are kept between the pages of one refresh, and read again after
    a write, whoever made it: this connection, or the engine's on the same file."""
    words = [TableWord("inv", clients=("c1",))]
    first = store.table(words=words, status="error", limit=5)
    again = store.table(words=words, status="error", offset=5, limit=5)
    assert first["total"] == again["total"] > 5
    engine = StateStore(store.path)  # another connection, as the engine's is the window's
    try:
        document = {**_document(999), "number": "INV-7"}
        engine.upsert_document(document)
        engine.complete_document(document, [], status="error", message="Disk full", locations=[])
        assert store.table(words=words, status="error", limit=5)["total"] == first["total"] + 1
    finally:
        engine.close()
    document = {**_document(998), "number": "INV-8"}
    store.upsert_document(document)
    store.complete_document(document, [], status="error", message="Disk full", locations=[])
    assert store.table(words=words, status="error", limit=5)["total"] == first["total"] + 2
