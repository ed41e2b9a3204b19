"""``ferry status`` over a long history (issue 18): streamed a page at a time, ``--limit``,
the filters applied in SQL, and the counts of everything the filters match."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from app.engine.engine import STATE_FILE
from app.engine.state import Completion, DeliveryOutcome, StateStore
from app.home import FerryHome
from tests.engine.helpers import ferry_in

#: More than two of ``ferry status``'s pages.
COUNT = 1_234


def _document(number: int) -> dict[str, Any]:
    return {
        "id": f"d{number:05d}",
        "client_id": "c1",
        "kind": "purchase",
        "number": f"INV-{number}",
        "issue_date": dt.date(2026, 3, 9),
        "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=number),
        "status": "to_fetch",
    }


def _home(root: Path) -> tuple[Path, list[str]]:
    """A home whose state knows COUNT documents: forwarded, but one in Error, one waiting and
    one whose file was picked up; returns the home and the ids in their order."""
    home = FerryHome.under(root).ensure()
    store = StateStore(home.state_dir / STATE_FILE)
    later = time.time() + 3600
    completions = []
    for n in range(COUNT):
        path = f"/books/INV-{n}.xml"
        if n == 7:
            completions.append(
                Completion(_document(n), [], "error", "no", [], retry_at=later, failures=[])
            )
        elif n == 8:
            completions.append(
                Completion(
                    _document(n),
                    [],
                    "to_fetch",
                    "waits",
                    [],
                    retry_at=later,
                    failures=[{"code": "offline", "params": {}}],
                )
            )
        else:
            completions.append(
                Completion(
                    _document(n), [DeliveryOutcome("Books", [path])], "forwarded", None, [path]
                )
            )
    store.complete_documents(completions)
    store.mark_gone([("d01000", "Books")], time.time())
    ids = [d["id"] for d in store.documents()]
    store.close()
    return root, ids


def test_status_streams_every_document_in_order_then_the_counts(tmp_path: Path) -> None:
    home, ids = _home(tmp_path / "home")
    every = ferry_in(home, "--language", "en", "status")
    assert every.returncode == 0, every.stderr
    lines = every.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ids and len(ids) == COUNT
    assert lines[-1] == f"1 to fetch, 1 error, {COUNT - 2} forwarded (1 waiting)"


def test_status_limit_and_filters(tmp_path: Path) -> None:
    home, ids = _home(tmp_path / "home")
    first = ferry_in(home, "--language", "en", "status", "--json", "--limit", "3")
    assert [json.loads(line)["id"] for line in first.stdout.splitlines()] == ids[:3]
    errors = ferry_in(home, "--language", "en", "status", "--status", "error")
    assert [line.split()[0] for line in errors.stdout.splitlines()[:-1]] == ["d00007"]
    assert errors.stdout.splitlines()[-1] == "0 to fetch, 1 error, 0 forwarded"
    moved = ferry_in(home, "--language", "en", "status", "--moved", "--limit", "5")
    assert [line.split()[0] for line in moved.stdout.splitlines()[:-1]] == ["d01000"]
    assert "Picked up or moved from Books" in moved.stdout.splitlines()[0]
    page = ferry_in(home, "status", "--json", "--limit", "600", "--status", "forwarded")
    shown = [json.loads(line)["id"] for line in page.stdout.splitlines()]
    assert shown == [i for i in ids if i not in ("d00007", "d00008")][:600]
    wrong = ferry_in(home, "status", "--limit", "0")
    assert wrong.returncode == 2 and "1 or more" in wrong.stderr
