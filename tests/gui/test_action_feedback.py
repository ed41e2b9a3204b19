"""Feedback for every action: *Sync now*, *Send to integrations* and *Retry* say at once in
the status bar what they do, then how their run ended; the rows move in the table meanwhile
(app/gui/action_feedback.py). The whole app on the demo platform with a real engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.language import Language
from app.engine.messages import RunFinished
from app.gui.action_feedback import ActionWords
from app.gui.app import FerryApp
from app.home import FerryHome


@pytest.fixture
def ferry(qtbot: QtBot, tmp_path: Path) -> Iterator[FerryApp]:
    app = FerryApp(FerryHome.under(tmp_path / "home"), language=Language.EN, demo=True)
    assert app.start()
    qtbot.addWidget(app.window)
    try:
        yield app
    finally:
        app.shutdown()


def _said(app: FerryApp) -> str:
    return app.window.statusBar().currentMessage()


def test_sync_now_and_resend_say_what_they_do_then_how_it_went(
    qtbot: QtBot, ferry: FerryApp
) -> None:
    model = ferry.window.status_view.model
    qtbot.waitUntil(lambda: model.count("forwarded") >= 3, timeout=60_000)
    qtbot.waitUntil(lambda: ferry.engine is not None)

    ferry.tray.sync_now_requested.emit()
    assert _said(ferry) == "Syncing now…"
    qtbot.waitUntil(lambda: _said(ferry).startswith(("Synced", "Done")), timeout=30_000)

    view = ferry.window.status_view
    view.table.selectRow(0)
    row = model.row_at(0)
    moved: list[str] = []

    def seen() -> None:  # the row as the table holds it, each time its data changes
        shown = model.document(row.id)
        if shown is not None and (not moved or moved[-1] != shown.status):
            moved.append(shown.status)

    model.dataChanged.connect(seen)
    view.send_action.trigger()
    assert _said(ferry) == "Sending 1 document to the integrations again…"
    qtbot.waitUntil(lambda: _said(ferry) == "Done: 1 document delivered.", timeout=30_000)
    qtbot.waitUntil(lambda: moved[-1:] == ["forwarded"], timeout=10_000)
    assert "to_fetch" in moved  # the row moved, then came back


def test_an_action_without_a_running_engine_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    app = FerryApp(FerryHome.under(tmp_path / "home"), language=Language.EN)
    qtbot.addWidget(app.window)
    app.tray.sync_now_requested.emit()
    assert _said(app) == "Ferry is not syncing right now: try again once it has started."
    app.shutdown()


def test_how_a_run_ended_in_words(qapp: object) -> None:
    words = ActionWords()

    def run(**fields: object) -> RunFinished:
        values: dict[str, object] = {
            "run_id": 1,
            "kind": "retry",
            "documents": 3,
            "delivered": 3,
            "failed": 0,
        }
        return RunFinished.model_validate({**values, **fields})

    assert words.finished(run()) == "Done: 3 documents delivered."
    assert words.finished(run(delivered=1, failed=2)) == (
        "Done: 1 document delivered. 2 could not be delivered: see the Documents tab."
    )
    assert words.finished(run(documents=0, delivered=0)) == "Done: there was nothing to do."
    assert words.finished(run(kind="incremental", documents=0, delivered=0)) == (
        "Synced: nothing new on the platform."
    )
    assert words.finished(run(interrupted=True)).startswith("Stopped before it was done")
