"""The state at the scale of an office's whole history (issue 18): what is read by index.

Each query is checked for what it answers and for how much SQLite did to answer it (its
virtual machine's steps, counted by a progress handler): reading every postponed document
or every document would take hundreds of times more steps than these bounds allow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.engine.state import _MIGRATIONS, SCHEMA_VERSION, Completion, DeliveryOutcome, StateStore

MANY = 20_000


def _document(number: int, status: str = "forwarded", **extra: Any) -> dict[str, Any]:
    return {
        "id": f"d{number:06d}",
        "client_id": "c1",
        "kind": "purchase",
        "number": f"INV-{number}",
        "issue_date": dt.date(2026, 3, 9),
        "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=number),
        "status": status,
        **extra,
    }


def _history(store: StateStore, count: int, status: str = "forwarded") -> None:
    store.complete_documents(
        [
            Completion(
                _document(n),
                [DeliveryOutcome("Books", [f"/books/{n % 3}/INV-{n}.xml"])],
                status,
                None,
                [f"/books/{n % 3}/INV-{n}.xml"],
            )
            for n in range(count)
        ]
    )


@contextlib.contextmanager
def steps(store: StateStore) -> Iterator[list[int]]:
    """SQLite's virtual-machine steps (in thousands) while the block runs."""
    counted = [0]

    def step() -> int:
        counted[0] += 1
        return 0

    store._db.set_progress_handler(step, 1000)
    try:
        yield counted
    finally:
        store._db.set_progress_handler(None, 1000)


def test_the_queue_is_refilled_by_index_past_documents_postponed_for_a_day(
    tmp_path: Path,
) -> None:
    store = StateStore(tmp_path / "state.db")
    _history(store, MANY, "error")
    store.enqueue([(f"d{n:06d}", "new") for n in range(MANY)])
    tomorrow = time.time() + 86_400
    with store._write() as db:  # every one in Error, tried again tomorrow
        db.execute("UPDATE queue SET not_before = ?", (tomorrow,))
    store.enqueue([("new-1", "new"), ("new-2", "new")])
    store.postpone("new-2", time.time() - 1)  # postponed, and due again now
    with steps(store) as counted:
        due = store.due(40)
        upcoming = store.next_retry(until=time.time() + 90)
    total = store.count("error")  # an index's range: no document is read
    assert [item.document_id for item in due] == ["new-1", "new-2"]
    assert upcoming is not None and upcoming <= time.time()
    assert total == MANY
    assert counted[0] < 10, f"{counted[0]}k steps: the postponed documents were read"
    store.done("new-1")
    store.done("new-2")
    # Only documents in Error wait: nothing for a pass to wait for.
    assert store.next_retry(until=tomorrow + 1) is None


def test_errors_are_queued_again_in_one_statement_and_a_person_s_act_stays(
    tmp_path: Path,
) -> None:
    store = StateStore(tmp_path / "state.db")
    _history(store, 5, "error")
    store.deliver_again(["d000002"], None, "deliver_again")
    assert store.requeue_errors("retry") == 5
    assert {i.document_id: i.reason for i in store.due(10)} == {
        "d000000": "retry",
        "d000001": "retry",
        "d000002": "deliver_again",
        "d000003": "retry",
        "d000004": "retry",
    }
    assert store.error_ids() == [f"d{n:06d}" for n in range(5)]


def test_status_reads_pages_in_order_with_its_filters_and_counts_in_sql(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.db")
    _history(store, MANY)
    store.complete_documents(
        [
            Completion(_document(MANY + 1), [], "error", "no", [], retry_at=time.time() + 60),
            Completion(
                _document(MANY + 2),
                [],
                "to_fetch",
                "waits",
                [],
                retry_at=time.time() + 60,
                failures=[{"code": "offline", "params": {}}],
            ),
        ]
    )
    store.mark_gone([("d000007", "Books")], time.time())
    with steps(store) as counted:
        first = store.documents_page(limit=3)
        errors = store.documents_page("error", limit=3)
        moved = next(store.iter_documents(moved=True))
    assert [d["id"] for d in first] == ["d000000", "d000001", "d000002"]
    assert [d["id"] for d in errors] == [f"d{MANY + 1:06d}"]
    assert moved["id"] == "d000007" and moved["moved"] == ["Books"]
    assert counted[0] < 10, f"{counted[0]}k steps: the history was read for a first page"
    after = (str(first[-1]["created_at"]), str(first[-1]["id"]))
    assert store.documents_page(after=after, limit=1)[0]["id"] == "d000003"
    streamed = [d["id"] for d in store.iter_documents(chunk=997)]
    assert streamed == [d["id"] for d in store.documents()] and len(streamed) == MANY + 2
    assert store.status_counts() == {"forwarded": MANY, "error": 1, "to_fetch": 1, "waiting": 1}
    assert store.status_counts("forwarded", moved=True) == {"forwarded": 1, "waiting": 0}


def test_a_start_reads_the_folders_not_every_delivery_and_an_older_file_gets_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.db"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:  # version 5
        db.execute("BEGIN")
        for step in _MIGRATIONS[:5]:
            step(db)
        db.executemany(
            "INSERT INTO deliveries (document_id, destination, state, paths, updated) "
            "VALUES (?, 'Books', 'delivered', ?, 0)",
            [(f"d{n}", json.dumps([f"/books/{n % 4}/INV-{n}.xml"])) for n in range(MANY)],
        )
        db.execute("PRAGMA user_version=5")
        db.execute("COMMIT")
    store = StateStore(path)
    assert store.delivered_folders() == [f"/books/{n}" for n in range(4)]
    _history(store, 10)  # deliveries recorded from now on add their folders too
    store.record_delivered("x", "Archive", ["/archive/2026/x.xml"])
    with steps(store) as counted:
        folders = store.delivered_folders()
    assert "/archive/2026" in folders and len(folders) == 5
    assert counted[0] < 2, f"{counted[0]}k steps: every delivery was read"
    store.close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
