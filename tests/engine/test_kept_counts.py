"""The counts the window reads after every batch are kept by triggers (state version 9):
whatever writes the documents, and however, they equal a count of the documents."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.state import _MIGRATIONS, StateStore, _kept_counts, _table_functions

#: Windows' CPython brings its own SQLite: the triggers are proven on it too.
pytestmark = pytest.mark.windows

STATUSES = ("to_fetch", "error", "forwarded", "gone")
FAILURES = ("[]", '[{"code": "disk_full"}]')

write = st.one_of(
    st.tuples(
        st.just("insert"), st.integers(0, 12), st.sampled_from(STATUSES), st.sampled_from(FAILURES)
    ),
    st.tuples(
        st.just("replace"), st.integers(0, 12), st.sampled_from(STATUSES), st.sampled_from(FAILURES)
    ),
    st.tuples(
        st.just("update"), st.integers(0, 12), st.sampled_from(STATUSES), st.sampled_from(FAILURES)
    ),
    st.tuples(
        st.just("upsert"), st.integers(0, 12), st.sampled_from(STATUSES), st.sampled_from(FAILURES)
    ),
    st.tuples(st.just("delete"), st.integers(0, 12), st.just(""), st.just("")),
)


def _counted(db: sqlite3.Connection) -> tuple[dict[str, int], int]:
    by_status = {
        str(status): int(n)
        for status, n in db.execute("SELECT status, COUNT(*) FROM documents GROUP BY status")
    }
    waiting = db.execute(
        "SELECT COUNT(*) FROM documents WHERE status = 'to_fetch' AND failures != '[]'"
    ).fetchone()[0]
    return by_status, int(waiting)


def _insert(db: sqlite3.Connection, verb: str, n: int, status: str, failures: str) -> None:
    db.execute(
        f"{verb} INTO documents (id, client_id, kind, number, issue_date, created_at, status, "
        "updated, failures) VALUES (?, 'c1', 'purchase', 'INV', '2026-01-01', '2026-01-01', "
        "?, 0, ?)",
        (f"d{n}", status, failures),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(write, max_size=40))
def test_the_kept_counts_equal_a_count_whatever_the_writes(
    writes: list[tuple[str, int, str, str]],
) -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("PRAGMA recursive_triggers=ON")  # as StateStore opens its file
    _table_functions(db)
    for step in _MIGRATIONS:
        step(db)
    for action, n, status, failures in writes:
        if action == "insert":
            with contextlib.suppress(sqlite3.IntegrityError):  # there already: nothing written
                _insert(db, "INSERT", n, status, failures)
        elif action == "replace":
            _insert(db, "INSERT OR REPLACE", n, status, failures)
        elif action == "update":
            db.execute(
                "UPDATE documents SET status = ?, failures = ? WHERE id = ?",
                (status, failures, f"d{n}"),
            )
        elif action == "upsert":  # as the engine writes a document it learns of again
            db.execute(
                "INSERT INTO documents (id, client_id, kind, number, issue_date, created_at, "
                "status, updated, failures) VALUES (?, 'c1', 'sales', 'INV', '2026-01-01', "
                "'2026-01-01', ?, 0, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status",
                (f"d{n}", status, failures),
            )
        else:
            db.execute("DELETE FROM documents WHERE id = ?", (f"d{n}",))
        assert _kept_counts(db) == _counted(db)


def test_a_state_from_before_gets_its_counts_and_the_summary_reads_them(tmp_path: Path) -> None:
    """A file of version 8 with documents is counted once when opened; from then on the
    summary and ``ferry status`` read the kept counts, and *today* counts today's."""
    path = tmp_path / "state.db"
    db = sqlite3.connect(path, isolation_level=None)
    _table_functions(db)
    for step in _MIGRATIONS[:8]:
        step(db)
    now = time.time()
    rows = [
        ("a", "forwarded", "[]", now - 60),
        ("b", "forwarded", "[]", now - 3 * 86400),
        ("c", "to_fetch", '[{"code": "disk_full"}]', now - 10),
        ("d", "to_fetch", "[]", None),
        ("e", "error", '[{"code": "not_valid"}]', now - 5),
    ]
    for doc_id, status, failures, attempt in rows:
        db.execute(
            "INSERT INTO documents (id, client_id, kind, number, issue_date, created_at, "
            "status, updated, failures, last_attempt) VALUES (?, 'c1', 'purchase', 'INV', "
            "'2026-01-01', '2026-01-01', ?, 0, ?, ?)",
            (doc_id, status, failures, attempt),
        )
    db.execute("PRAGMA user_version=8")
    db.close()
    store = StateStore(path)
    try:
        summary = store.table_summary(now - 3600)
        assert summary["counts"] == {"forwarded": 2, "to_fetch": 2, "error": 1, "waiting": 1}
        assert summary["total"] == 5
        assert summary["today"] == 1
        assert summary["last_delivery"] == rows[0][3]
        assert summary["clients"] == ["c1"]
        assert store.status_counts() == {"forwarded": 2, "to_fetch": 2, "error": 1, "waiting": 1}
        plan = " ".join(
            str(row[3])
            for row in store._db.execute(
                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM documents INDEXED BY "
                "documents_forwarded WHERE status = 'forwarded' AND last_attempt >= ?",
                (now,),
            )
        )
        assert "documents_forwarded" in plan
    finally:
        store.close()
