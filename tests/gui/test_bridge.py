from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from app.engine.messages import DocumentChanged, EngineState, RunFinished, StateChanged
from app.gui.bridge import EngineBridge


def _document(n: int) -> DocumentChanged:
    return DocumentChanged(
        document_id=f"d{n}",
        client_id="c",
        kind="purchase",
        number=f"N{n}",
        issue_date="2026-03-09",
        status="forwarded",
    )


def test_events_from_the_engine_thread_arrive_batched_on_the_gui_thread(qtbot: QtBot) -> None:
    bridge = EngineBridge(batch_ms=100)
    batches: list[list[DocumentChanged]] = []
    threads: list[int] = []

    def on_batch(batch: list[DocumentChanged]) -> None:
        batches.append(batch)
        threads.append(threading.get_ident())

    bridge.documents_changed.connect(on_batch)
    finished: list[RunFinished] = []
    bridge.run_finished.connect(finished.append)
    states: list[StateChanged] = []
    bridge.state_changed.connect(states.append)

    def engine_thread() -> None:
        for n in range(1000):
            bridge.post(_document(n))
        bridge.post(
            RunFinished(run_id=1, kind="incremental", documents=1000, delivered=1000, failed=0)
        )
        bridge.post(StateChanged(state=EngineState.UP_TO_DATE))

    worker = threading.Thread(target=engine_thread)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(finished) and bool(states), timeout=5000)
    assert sum(len(batch) for batch in batches) == 1000
    assert len(batches) <= 3  # batched, not one signal per document
    assert [d.document_id for batch in batches for d in batch] == [f"d{n}" for n in range(1000)]
    assert set(threads) == {threading.main_thread().ident}
    assert states[0].state is EngineState.UP_TO_DATE
