"""Benchmark: the desktop window's table over an office's whole history (issue 18) — at 10k,
100k and 1M documents, each figure beside its target and the ratio to it.

For each size N:

1. **A state of N documents**, built through the project's own store
   (``StateStore.complete_documents``, 10,000 a commit; fast path, said in the output: no
   files on disk, no platform): 200 clients, every kind, amounts and numbers that vary,
   about 2 % in Error (with a message), 1 % waiting (To fetch with a failure), the rest
   Forwarded with where they were written.
2. **The window**, in a process of its own (its memory is the window's): the real
   ``StatusView`` with its real model (``TableModel``), reading the state file as
   ``FerryApp._load_history`` makes it read it when no engine is attached, on a real Qt event
   loop (offscreen). A 5 ms heartbeat on the GUI thread records every gap between beats: the
   longest is the longest stall a person would feel. Figures:
   - painted: from before the window is made until its first page is shown and painted
     (target < 1.5 s), and the longest stall meanwhile (target < 50 ms);
   - sort: a header click (Amount) until the sorted first page is shown (target < 300 ms);
   - text filter: a word typed (applied at once, as Enter does) into the sorted table until
     what it matches is shown (target < 150 ms);
   - live sync: 2,000 new documents written by another process (as the engine writes them:
     ``complete_documents``, 20 a commit, about 600 a second) and handed to the window as
     ``DocumentChanged`` batches, into the table sorted by status and filtered by text;
     the longest stall from the first batch until the last is shown (target < 50 ms);
   - the window process's peak memory (target < 400 MiB).

   As ``FerryApp`` does once its history is read, the window's process freezes what start-up
   made (``gc.freeze``), so the collector's full passes do not scan it again.

    .venv/bin/python bench/bench_window.py [--sizes 10000,100000] [--sizes 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.engine.state import Completion, DeliveryOutcome, StateStore  # noqa: E402

MIB = 2**20
CLIENTS = 200
LIVE = 2000
LIVE_BATCH = 20
LIVE_RATE = 600.0  # documents a second: today's backlog throughput
BUILD_BATCH = 10_000
KINDS = ("purchase", "sales", "statement", "receipt", "other")
TARGETS = {
    "painted_s": 1.5,
    "launch_stall_ms": 50.0,
    "sort_ms": 300.0,
    "filter_ms": 150.0,
    "live_stall_ms": 50.0,
    "rss_mib": 400.0,
}


def _document(index: int, created: str, prefix: str = "d") -> dict[str, Any]:
    return {
        "id": f"{prefix}{index:08x}",
        "client_id": f"client-{index % CLIENTS:03d}",
        "kind": KINDS[index % len(KINDS)],
        "number": f"H-{index:07d}",
        "issue_date": (dt.date(2020, 1, 1) + dt.timedelta(days=index % 2000)).isoformat(),
        "amount": f"{(index * 7919) % 100000 / 100:.2f}",
        "currency": "EUR",
        "created_at": created,
        "status": "to_fetch",
    }


def _completion(document: dict[str, Any], index: int) -> Completion:
    where = f"D:\\Boekhouding\\{document['client_id']}\\{document['number']}.pdf"
    fate = index % 100
    if fate < 2:
        return Completion(document, [], "error", "Access denied on \\\\server\\books", [])
    if fate < 3:
        failure = {"code": "destination_unreachable", "params": {"destination": "Books"}}
        return Completion(document, [], "to_fetch", None, [], failures=[failure], retry_at=1.0)
    return Completion(document, [DeliveryOutcome("Books", [where])], "forwarded", None, [where])


def build_state(path: Path, count: int) -> float:
    """The state of ``count`` documents, through the store; returns the seconds it took."""
    started = time.perf_counter()
    store = StateStore(path)
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    try:
        for start in range(0, count, BUILD_BATCH):
            completions = []
            for index in range(start, min(count, start + BUILD_BATCH)):
                created = (base + dt.timedelta(seconds=index)).isoformat()
                completions.append(_completion(_document(index, created), index))
            store.complete_documents(completions)
    finally:
        store.close()
    return time.perf_counter() - started


# -- the engine's side of a live sync: another process writing, events handed over ---------------


def live_writer(path: str, count: int, pipe: Any) -> None:
    """Writes ``count`` new documents as the engine does, ``LIVE_BATCH`` a commit at
    ``LIVE_RATE`` a second, and hands each commit's events over, as the engine's bridge does."""
    store = StateStore(Path(path))
    pipe.recv()  # go
    started = time.perf_counter()
    try:
        for start in range(0, count, LIVE_BATCH):
            events = []
            completions = []
            for index in range(start, min(count, start + LIVE_BATCH)):
                document = _document(index, dt.datetime.now(dt.UTC).isoformat(), "live")
                completion = _completion(document, index)
                completions.append(completion)
                events.append(
                    {
                        "document_id": document["id"],
                        "client_id": document["client_id"],
                        "kind": document["kind"],
                        "number": document["number"],
                        "issue_date": document["issue_date"],
                        "amount": document["amount"],
                        "currency": "EUR",
                        "status": completion.status,
                        "message": completion.message,
                        "locations": completion.locations,
                        "failures": completion.failures,
                    }
                )
            store.complete_documents(completions)
            pipe.send(json.dumps(events))
            due = started + (start + LIVE_BATCH) / LIVE_RATE
            time.sleep(max(0.0, due - time.perf_counter()))
    finally:
        pipe.send(None)
        store.close()


# -- the window, in a process of its own ---------------------------------------------------------


def window(path: str, count: int, results: Any) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from app.engine.messages import DocumentChanged
    from app.gui.document_rows import Column
    from app.gui.status_view import StatusView
    from app.gui.table_model import StoreSource, TableModel

    beats: list[float] = []
    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(lambda: beats.append(time.perf_counter()))
    heart.start()

    def stall_ms(since: float, until: float) -> float:
        inside = [since, *[b for b in beats if since <= b <= until], until]
        return max(b - a for a, b in itertools.pairwise(inside)) * 1000

    def wait(condition: Any, timeout: float = 120.0) -> float:
        deadline = time.perf_counter() + timeout
        while not condition():
            app.processEvents()
            time.sleep(0.001)
            if time.perf_counter() > deadline:
                raise TimeoutError("the window did not settle")
        return time.perf_counter()

    def shown(view: StatusView) -> bool:
        model = view.model
        assert isinstance(model, TableModel)
        return not model.busy and model.rowCount() > 0 and model.rows_at([0]) != []

    figures: dict[str, float] = {}
    started = time.perf_counter()
    view = StatusView()
    view.resize(1300, 800)
    view.show()
    view.set_source(StoreSource(Path(path)))
    wait(lambda: shown(view))
    view.table.viewport().repaint()
    painted = time.perf_counter()
    gc.freeze()  # as FerryApp._history_read does once the history is in
    figures["painted_s"] = painted - started
    wait(lambda: time.perf_counter() > painted + 0.3)  # beats after the first paint
    figures["launch_stall_ms"] = stall_ms(started, time.perf_counter())
    figures["rows"] = view.model.rowCount()

    model = view.model
    assert isinstance(model, TableModel)
    begin = time.perf_counter()
    view.table.horizontalHeader().setSortIndicator(Column.AMOUNT, Qt.SortOrder.AscendingOrder)
    wait(lambda: model.sort_column == Column.AMOUNT and shown(view))
    view.table.viewport().repaint()
    figures["sort_ms"] = (time.perf_counter() - begin) * 1000

    begin = time.perf_counter()
    model.set_text_filter("h-00012")  # a number's start: 1 in 10,000 .. 1 in 1,000,000
    wait(lambda: shown(view) or (not model.busy and model.rowCount() == 0))
    view.table.viewport().repaint()
    figures["filter_ms"] = (time.perf_counter() - begin) * 1000
    figures["filter_rows"] = model.rowCount()

    # live: sorted by status, filtered by a word every document has ("eur")
    view.table.horizontalHeader().setSortIndicator(Column.STATUS, Qt.SortOrder.AscendingOrder)
    model.set_text_filter("eur")
    wait(lambda: model.sort_column == Column.STATUS and shown(view))
    ours, theirs = multiprocessing.Pipe()
    writer = multiprocessing.get_context("spawn").Process(
        target=live_writer, args=(path, LIVE, theirs), daemon=True
    )
    writer.start()
    ours.send("go")
    first: float | None = None
    batches = 0
    done = False
    while not done:
        while ours.poll():
            message = ours.recv()
            if message is None:
                done = True
                break
            if first is None:
                first = time.perf_counter()
            batches += 1
            view.apply_changes([DocumentChanged.model_validate(e) for e in json.loads(message)])
        app.processEvents()
        time.sleep(0.002)
    writer.join(30)
    total_before = figures["rows"]
    last = wait(lambda: not model.busy and model.total_count() >= total_before + LIVE)
    assert first is not None
    figures["live_stall_ms"] = stall_ms(first, last)
    figures["live_s"] = last - first
    figures["live_batches"] = batches
    status = Path("/proc/self/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            figures["rss_mib"] = int(line.split()[1]) / 1024
    results.send(figures)
    view.close()


def measure(count: int, work: Path) -> dict[str, float]:
    path = work / f"state-{count}.db"
    build_s = build_state(path, count)
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=window, args=(str(path), count, theirs)
    )
    process.start()
    figures: dict[str, float] = ours.recv()
    process.join(60)
    figures["build_s"] = build_s
    figures["size"] = count
    figures["state_mib"] = path.stat().st_size / MIB
    path.unlink()
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    return figures


def table(results: list[dict[str, float]]) -> str:
    rows = [
        ("window painted (s)", "painted_s", "{:.2f}"),
        ("longest stall at launch (ms)", "launch_stall_ms", "{:.0f}"),
        ("sort by Amount (ms)", "sort_ms", "{:.0f}"),
        ("text filter, sorted (ms)", "filter_ms", "{:.0f}"),
        ("longest stall, 2,000 live (ms)", "live_stall_ms", "{:.0f}"),
        ("window process peak (MiB)", "rss_mib", "{:.0f}"),
    ]
    head = f"{'figure':34}" + "".join(f"{int(r['size']):>16,}" for r in results)
    head += f"{'target':>10}"
    lines = [head, "-" * len(head)]
    for label, key, form in rows:
        line = f"{label:34}"
        for result in results:
            value = result[key]
            line += f"{form.format(value) + f' ({value / TARGETS[key]:.2f}x)':>16}"
        lines.append(line + f"{'< ' + str(TARGETS[key]):>10}")
    lines.append("")
    for result in results:
        lines.append(
            f"{int(result['size']):,}: state built in {result['build_s']:.0f} s "
            f"({result['state_mib']:.0f} MiB), filter matched {int(result['filter_rows']):,}, "
            f"live sync of {LIVE:,} took {result['live_s']:.1f} s in "
            f"{int(result['live_batches'])} batches"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        "fast path: states built with StateStore.complete_documents, 10,000 a commit, no "
        "files on disk and no platform; the window reads the state file (no engine attached)",
        flush=True,
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="ferry-bench-window-") as work:
        for size in sizes:
            results.append(measure(size, Path(work)))
            print(json.dumps(results[-1]), flush=True)
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
