from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from app.engine.state import _SCHEMA_V1, DeliveryState, StateStore

DOC = {
    "id": "d1",
    "client_id": "c1",
    "kind": "purchase",
    "number": "INV-1",
    "issue_date": dt.date(2026, 3, 9),
    "amount": "121.00",
    "currency": "EUR",
    "counterparty": "Supplier",
    "created_at": dt.datetime(2026, 3, 9, 10, tzinfo=dt.UTC),
    "status": "to_fetch",
}


def test_queue_and_cursor_move_together(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.db")
    store.enqueue([("d1", "new"), ("d2", "new")], cursor_key="changes", cursor="c2")
    assert [i.document_id for i in store.due(10)] == ["d1", "d2"]
    assert store.get_meta("changes") == "c2"

    def fail(n: int) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    store.write_hook = fail
    with pytest.raises(sqlite3.OperationalError):
        store.enqueue([("d3", "new")], cursor_key="changes", cursor="c3")
    store.write_hook = None
    assert store.get_meta("changes") == "c2"
    assert store.queue_size() == 2


def test_postpone_and_done(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.db")
    store.enqueue([("d1", "new"), ("d2", "new")])
    store.postpone("d1", until=10**12)
    assert [i.document_id for i in store.due(10)] == ["d2"]
    assert store.next_due() is not None
    store.done("d2")
    assert store.due(10) == []
    store.enqueue([("d1", "resend")])  # a resend makes it due again at once
    (item,) = store.due(10)
    assert item.reason == "resend" and item.attempts == 1


def test_due_items_come_with_their_deliveries_when_asked(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.db")
    ids = [f"d{n:04d}" for n in range(1, 1203)]  # more than one query's worth of parameters
    store.enqueue([(document_id, "new") for document_id in ids])
    store.record_delivered("d0001", "Winbooks", [r"C:\W\INV-1.xml"])
    store.record_failure("d0001", "Archive", "permission", "no write", next_retry=5.0)
    store.record_delivered("d1202", "Archive", ["/a/last.xml"])

    items = store.due(2000, with_deliveries=True)
    assert [i.document_id for i in items] == ids
    first, *_, last = items
    assert first.deliveries is not None and sorted(first.deliveries) == ["Archive", "Winbooks"]
    assert first.deliveries["Winbooks"].paths == [r"C:\W\INV-1.xml"]
    assert first.deliveries["Archive"].state is DeliveryState.FAILED
    assert last.deliveries is not None and last.deliveries["Archive"].paths == ["/a/last.xml"]
    assert all(i.deliveries == {} for i in items[1:-1])
    assert store.due(1)[0].deliveries is None  # not read unless asked
    assert store.due(10, with_deliveries=True, now=-1) == []  # none due yet: no second query


def test_deliveries_and_documents_survive_a_reopen(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.db")
    store.upsert_document(DOC)
    store.record_failure("d1", "Winbooks", "permission", "no write", next_retry=5.0)
    store.record_delivered("d1", "Winbooks", [r"C:\W\INV-1.xml"])
    store.record_delivered("d1", "Archive", ["/a/INV-1.xml", "/a/INV-1.pdf"])
    store.set_document_status("d1", "forwarded", None, ["/a/INV-1.xml"])
    store.close()
    again = StateStore(tmp_path / "state.db")
    winbooks = again.delivery("d1", "Winbooks")
    assert winbooks is not None and winbooks.state is DeliveryState.DELIVERED
    assert winbooks.attempts == 2 and winbooks.message is None
    assert [d.destination for d in again.deliveries("d1")] == ["Archive", "Winbooks"]
    assert again.document("d1")["status"] == "forwarded"  # type: ignore[index]
    assert again.documents("forwarded")[0]["locations"] == ["/a/INV-1.xml"]
    assert "/a" in again.delivered_folders()
    again.deliver_again(["d1"], None, "deliver_again")  # every destination forgotten, queued
    assert again.deliveries("d1") == []


def test_runs_and_tasks(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.db")
    run = store.start_run("incremental")
    store.finish_run(run, documents=3, delivered=2, failed=1, message="1 failed")
    (row,) = store.runs()
    assert (row.kind, row.delivered, row.failed) == ("incremental", 2, 1) and row.finished
    assert store.record_task("t1", "full_sync") is True
    assert store.record_task("t1", "full_sync") is False
    assert store.unfinished_tasks() == [("t1", "full_sync")]
    store.finish_task("t1", "succeeded", None)
    assert store.unfinished_tasks() == []


def test_wal_mode(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.db")
    assert store._read("PRAGMA journal_mode")[0][0] == "wal"


def test_a_version_1_file_is_upgraded_step_by_step_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    old = sqlite3.connect(path)
    old.executescript(_SCHEMA_V1)  # as version 1 wrote it
    old.execute(
        "INSERT INTO documents (id, client_id, kind, number, issue_date, created_at, status, "
        "message, updated) VALUES ('d1', 'c1', 'purchase', 'INV-1', '2026-03-09', "
        "'2026-03-09T10:00:00+00:00', 'error', 'old words', 1.0)"
    )
    old.execute(
        "INSERT INTO deliveries (document_id, destination, state, paths, updated) "
        "VALUES ('d1', 'W', 'delivered', '[\"/w/a.xml\"]', 1.0)"
    )
    old.execute("PRAGMA user_version=1")
    old.commit()
    old.close()
    store = StateStore(path)
    try:
        document = store.document("d1")
        assert document is not None
        assert (document["message"], document["failures"], document["next_try"]) == (
            "old words",
            [],
            None,
        )
        (row,) = store.deliveries("d1")  # nothing lost, the new column there
        assert row.paths == ["/w/a.xml"] and row.gone_since is None
        store.mark_gone([("d1", "W")], 5.0)
        assert [m.document_id for m in store.moved()] == ["d1"]
    finally:
        store.close()
    backup = tmp_path / "state.db.v1.bak"
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1  # as it was
    assert copy.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 1
    copy.close()


def test_a_file_from_a_newer_ferry_is_refused_and_left_untouched(tmp_path: Path) -> None:
    from app.engine.state import SCHEMA_VERSION, StateTooNew

    path = tmp_path / "state.db"
    newer = sqlite3.connect(path)
    newer.execute("CREATE TABLE future (x)")
    newer.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    newer.commit()
    newer.close()
    before = path.read_bytes()
    with pytest.raises(StateTooNew, match="newer version of Ferry"):
        StateStore(path)
    assert path.read_bytes() == before


def test_deliver_again_forgets_one_destination_and_queues(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.db")
    store.record_delivered("d1", "W", ["/w/a"])
    store.record_delivered("d1", "A", ["/a/a"])
    store.mark_gone([("d1", "W")], 1.0)
    store.deliver_again(["d1"], "W", "deliver_again")
    assert [r.destination for r in store.deliveries("d1")] == ["A"]
    (item,) = store.due(10)
    assert (item.document_id, item.reason) == ("d1", "deliver_again")
    assert store.moved() == []


def test_a_run_keeps_its_failures_and_moved_counts_as_data(tmp_path: Path) -> None:
    from app.core.failures import Failure, FailureCode

    store = StateStore(tmp_path / "state.db")
    busy = Failure.of(FailureCode.PLATFORM_BUSY, action="wait_changes")
    run = store.start_run("full")
    store.finish_run(
        run,
        documents=3,
        delivered=1,
        failed=0,
        message=busy.message(),
        failures=[busy.to_json()],
        moved={"Winbooks": 2},
    )
    (row,) = store.runs()
    assert [Failure.from_json(item) for item in row.failures] == [busy]
    assert row.moved == {"Winbooks": 2}
    older = store.start_run("incremental")  # finished by a version that kept only words
    store.finish_run(older, documents=0, delivered=0, failed=0, message=None)
    assert (store.runs(1)[0].failures, store.runs(1)[0].moved) == ([], {})


def test_a_persons_act_stays_the_queue_reason_until_handled(tmp_path: Path) -> None:
    """The feed or a full sync queueing a document that a person asked for (deliver again)
    must not turn it into an ordinary change, which the client's link date could skip."""
    from app.engine.state import _QUEUE_UPSERT, PERSONS_ACTS

    store = StateStore(tmp_path / "state.db")
    try:
        store.deliver_again(["old-1"], None, "deliver_again")
        store.enqueue([("old-1", "changes"), ("d2", "changes")])
        store.enqueue([("d2", "full")])
        store.enqueue([("d3", "changes")])
        store.enqueue([("d3", "restore")])  # a person's act replaces an ordinary reason
        store.enqueue([("d3", "full")])
        reasons = {item.document_id: item.reason for item in store.due(10)}
        assert reasons == {"old-1": "deliver_again", "d2": "full", "d3": "restore"}
    finally:
        store.close()
    for act in PERSONS_ACTS:  # the SQL names every one of them
        assert f"'{act}'" in _QUEUE_UPSERT
