"""How the live status table copes with 100,000 documents.

Run: .venv/bin/python bench/bench_table.py [--rows N]
(offscreen by default; QT_QPA_PLATFORM=xcb shows it on a real screen)

The window reads its table from the state file (issue 18), as ``FerryApp`` makes it read it:
the rows are written into a state file first (not timed), through ``MemorySource``'s writer,
and the made-up sync's events are written into it too, from the feeding thread (as the engine
writes before it tells), before they are posted.

Measures, each until the model has everything it asked for and the viewport has painted it:
- first paint: from creating the model and the view with the rows to the first paint;
- filter: typing a word in the search field and pressing Enter (the debounce is skipped,
  it is a deliberate wait), choosing a status, clearing the filter;
- sort: clicking a column header (first click on a column computes its keys) and clicking
  it again to reverse;
- the longest stall of the GUI thread (a 5 ms heartbeat timer) while a sync of 2,000 new
  documents arrives through the real EngineBridge from another thread, each document
  twice (To fetch, then Forwarded or Error): once in the default view, once sorted by
  status and filtered on To fetch with rows selected, where every batch moves rows.
  The events here are made up, so this isolates the table's own cost; the same stall
  with the real engine syncing from a real sandbox is bench/bench_gui_sync.py.

Targets: first paint under 1 s, filter under 100 ms, sort under 300 ms, no stall over 50 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QPoint,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.engine.messages import DocumentChanged
from app.gui.bridge import EngineBridge
from app.gui.document_rows import Column, DocumentRow
from app.gui.status_view import StatusView
from app.gui.table_model import MemorySource, StoreSource, TableModel

ROWS = 100_000
CLIENTS = 300
SYNC_DOCUMENTS = 2_000
SYNC_SECONDS = 4.0
TIMEOUT_S = 30.0

_PREFIXES = ("Bakkerij", "Garage", "Boulangerie", "Brasserie", "Cabinet", "Atelier", "Studio")
_NAMES = ("Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Claes", "Wouters", "Dupont")
_KINDS = ("purchase", "sales", "statement", "receipt", "other")
_ERRORS = (
    "The folder D:\\Boekhouding\\{client} cannot be written: access denied. Give Ferry's "
    "account write permission on it.",
    "The disk holding D:\\Boekhouding is full. Free some space; Ferry tries again by itself.",
    "The path is longer than Windows allows (260 characters). Shorten the destination path.",
)


def client_names() -> dict[str, str]:
    rng = random.Random(1)
    return {
        f"client-{i:04d}": f"{rng.choice(_PREFIXES)} {rng.choice(_NAMES)} {i} BV"
        for i in range(CLIENTS)
    }


def make_rows(count: int, names: dict[str, str]) -> list[DocumentRow]:
    rng = random.Random(7)
    ids = list(names)
    rows = []
    now = time.time()
    for n in range(count):
        client = ids[rng.randrange(len(ids))]
        kind = _KINDS[rng.randrange(len(_KINDS))]
        luck = rng.random()
        status = "forwarded" if luck < 0.9 else "error" if luck < 0.95 else "to_fetch"
        number = f"INV-2026-{rng.randrange(1, 200_000):06d}"
        location = f"D:\\Boekhouding\\{names[client]}\\{kind}\\2026\\{number}.xml"
        rows.append(
            DocumentRow(
                id=f"doc-{n:06d}",
                client_id=client,
                client_name=names[client],
                kind=kind,
                number=number,
                issue_date=f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                amount=f"{rng.uniform(5, 25_000):.2f}",
                currency="EUR",
                status=status,
                message=(
                    rng.choice(_ERRORS).format(client=names[client]) if status == "error" else None
                ),
                locations=[location] if status == "forwarded" else [],
                last_attempt=None if status == "to_fetch" else now - n,
            )
        )
    return rows


class PaintWatch:
    """Times an action until the model has all it asked of the state and the viewport painted."""

    def __init__(self, view: StatusView) -> None:
        self._view = view

    def time(self, action: Callable[[], object]) -> float:
        """Seconds from the start of ``action`` to the end of the paint that shows its result."""
        start = time.perf_counter()
        action()
        settle(self._view)
        self._view.table.viewport().repaint()
        return time.perf_counter() - start


def settle(view: StatusView) -> None:
    model = view.model
    assert isinstance(model, TableModel)
    deadline = time.perf_counter() + TIMEOUT_S
    app = QApplication.instance()
    assert app is not None
    app.processEvents()
    while model.busy:
        if time.perf_counter() > deadline:
            raise RuntimeError("the table did not settle")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.0005)


def first_paint(path: Path, names: dict[str, str]) -> tuple[StatusView, float]:
    start = time.perf_counter()
    view = StatusView()
    view.set_client_names(names)
    view.set_source(StoreSource(path))
    view.resize(1400, 800)
    view.show()
    settle(view)
    view.table.viewport().repaint()
    return view, time.perf_counter() - start


def click_header(view: StatusView, column: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(x, header.height() // 2),
    )


def type_search(view: StatusView, text: str) -> None:
    view.search.setText(text)
    QTest.keyClick(view.search, Qt.Key.Key_Return)  # Enter filters at once, no debounce


def sync_events(names: dict[str, str], start: int) -> list[DocumentChanged]:
    """A sync of SYNC_DOCUMENTS new documents: each seen (To fetch), then delivered."""
    rng = random.Random(11)
    ids = list(names)
    seen, delivered = [], []
    for n in range(start, start + SYNC_DOCUMENTS):
        fields = {
            "document_id": f"sync-{n:06d}",
            "client_id": ids[rng.randrange(len(ids))],
            "kind": _KINDS[n % len(_KINDS)],
            "number": f"SYNC-{n:06d}",
            "issue_date": "2026-03-09",
            "amount": f"{rng.uniform(5, 5_000):.2f}",
            "currency": "EUR",
        }
        seen.append(DocumentChanged(status="to_fetch", **fields))
        if rng.random() < 0.03:
            delivered.append(DocumentChanged(status="error", message="The disk is full.", **fields))
        else:
            delivered.append(
                DocumentChanged(
                    status="forwarded", locations=[f"D:\\Boekhouding\\{n}.xml"], **fields
                )
            )
    # The engine reports documents as it sees them and as it delivers them: interleave.
    events: list[DocumentChanged] = []
    for i in range(0, SYNC_DOCUMENTS, 100):
        events.extend(seen[i : i + 100])
        events.extend(delivered[max(0, i - 100) : i])
    events.extend(delivered[SYNC_DOCUMENTS - 100 :])
    return events


def longest_stall(view: StatusView, events: list[DocumentChanged], path: Path) -> tuple[float, int]:
    """Feed events from another thread at an even pace through the real bridge while a
    5 ms heartbeat measures the largest gap on the GUI thread. Returns (seconds, batches)."""
    bridge = EngineBridge()
    batches: list[int] = []
    bridge.documents_changed.connect(lambda batch: batches.append(len(batch)))
    bridge.documents_changed.connect(view.apply_changes)
    gaps = [0.0]
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps[0] = max(gaps[0], now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)

    def feed() -> None:
        chunk = 50
        pause = SYNC_SECONDS / (len(events) / chunk)
        writer = MemorySource(path)  # the engine's side: written, then told
        for i in range(0, len(events), chunk):
            writer.apply(events[i : i + chunk], time.time())
            for event in events[i : i + chunk]:
                bridge.post(event)
            time.sleep(pause)
        writer.store.close()

    worker = threading.Thread(target=feed, daemon=True)
    loop = QEventLoop()
    heartbeat.start()
    last[0] = time.perf_counter()
    worker.start()
    deadline = time.perf_counter() + SYNC_SECONDS + TIMEOUT_S

    def check() -> None:
        model = view.model
        arrived = not worker.is_alive() and sum(batches) >= len(events)
        if (arrived and isinstance(model, TableModel) and not model.busy) or (
            time.perf_counter() > deadline
        ):
            loop.quit()

    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(50)
    loop.exec()
    heartbeat.stop()
    poll.stop()
    if sum(batches) < len(events):
        raise RuntimeError("the sync did not arrive")
    return gaps[0], len(batches)


def quiet_offscreen(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """The offscreen platform warns about window hints it ignores; keep the table readable."""
    if "does not support" not in message:
        print(message, file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    arguments = parser.parse_args()
    qInstallMessageHandler(quiet_offscreen)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    names = client_names()
    rows = make_rows(arguments.rows, names)
    work = tempfile.TemporaryDirectory(prefix="ferry-bench-table-")
    path = Path(work.name) / "state.db"
    writer = MemorySource(path)
    writer.add(rows)
    writer.store.close()
    del rows
    gc.collect()
    view, first = first_paint(path, names)
    gc.freeze()  # as FerryApp._history_read does
    app.processEvents()
    watch = PaintWatch(view)
    some_client = next(iter(names.values())).split()[1].lower()  # e.g. "peeters"
    results: list[tuple[str, float, float]] = [("first paint", first, 1.0)]
    filter_text = watch.time(lambda: type_search(view, some_client))
    results.append(
        (f"filter: type '{some_client}' ({view.model.rowCount():,} rows)", filter_text, 0.1)
    )
    status = watch.time(lambda: view.status_filter.setCurrentIndex(2))  # Error
    results.append((f"filter: + status Error ({view.model.rowCount():,})", status, 0.1))
    cleared = watch.time(lambda: (view.status_filter.setCurrentIndex(0), type_search(view, "")))
    results.append((f"filter: clear ({view.model.rowCount():,} rows)", cleared, 0.1))
    for column, label in (
        (Column.CLIENT, "client"),
        (Column.NUMBER, "number"),
        (Column.AMOUNT, "amount"),
        (Column.LAST_ATTEMPT, "last attempt"),
    ):
        elapsed = watch.time(lambda column=column: click_header(view, column))
        results.append((f"sort: click '{label}'", elapsed, 0.3))
    elapsed = watch.time(lambda: click_header(view, Column.LAST_ATTEMPT))
    results.append(("sort: click again (reverse)", elapsed, 0.3))
    filtered_sort = watch.time(lambda: type_search(view, "access denied"))
    results.append(("filter while sorted", filtered_sort, 0.1))
    type_search(view, "")
    # back to the default view: newest first
    view.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
    app.processEvents()

    stall, batches = longest_stall(view, sync_events(names, 0), path)
    results.append((f"stall: sync of 2,000, newest first ({batches} batches)", stall, 0.05))
    click_header(view, Column.STATUS)
    view.status_filter.setCurrentIndex(1)  # To fetch
    view.table.selectRow(0)
    view.table.selectionModel().select(
        view.model.index(5, 0),
        view.table.selectionModel().SelectionFlag.Select
        | view.table.selectionModel().SelectionFlag.Rows,
    )
    app.processEvents()
    stall, batches = longest_stall(view, sync_events(names, SYNC_DOCUMENTS), path)
    results.append((f"stall: same, sorted + filtered + selection ({batches} batches)", stall, 0.05))

    print(f"{arguments.rows:,} documents, Qt platform {app.platformName()}")
    print(f"{'measure':<54}{'value ms':>10}{'target ms':>11}{'ratio':>8}")
    for label, value, target in results:
        verdict = "PASS" if value <= target else "FAIL"
        print(
            f"{label:<54}{value * 1000:>10.1f}{target * 1000:>11.0f}{value / target:>8.2f}"
            f"  {verdict}"
        )
    worst = max(value / target for _, value, target in results)
    print(f"worst ratio {worst:.2f} ({'all targets met' if worst <= 1 else 'a target is missed'})")
    print("reproduce: .venv/bin/python bench/bench_table.py")
    view.close()
    work.cleanup()


if __name__ == "__main__":
    main()
