"""The desktop app as a whole, on the in-process sandbox: documents appear live in the table,
the tray follows, Send to integrations brings rows back to Forwarded, one app per home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.language import Language
from app.engine.messages import EngineState
from app.gui.app import FerryApp
from app.gui.single_instance import SingleInstance
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


def _forwarded(app: FerryApp) -> int:
    return app.window.status_view.model.count("forwarded")


def test_demo_documents_arrive_live_and_resend_brings_them_back(
    qtbot: QtBot, ferry: FerryApp
) -> None:
    qtbot.waitUntil(lambda: _forwarded(ferry) >= 10, timeout=60_000)
    model = ferry.window.status_view.model
    assert model.total_count() >= 10
    row = model.row_at(0)
    assert row.client_name != row.client_id  # names came from the platform's client list
    assert Path(row.locations[0]).is_file()
    assert ferry.tray.state in (EngineState.UP_TO_DATE, EngineState.SYNCING)
    assert "Ferry" in ferry.tray.tooltip() and len(ferry.tray.tooltip()) <= 127
    assert ferry.window.destinations_view.list.count() == 1

    # the accountant takes a file away, then sends the document to the integrations again
    Path(row.locations[0]).unlink()
    table = ferry.window.status_view.table
    table.selectRow(0)
    ferry.window.status_view.send_action.trigger()
    qtbot.waitUntil(lambda: Path(row.locations[0]).is_file(), timeout=30_000)
    qtbot.waitUntil(lambda: model.document(row.id).status == "forwarded", timeout=30_000)


def test_a_second_launch_brings_the_first_forward(qtbot: QtBot, ferry: FerryApp) -> None:
    ferry.window.hide()
    second = SingleInstance(ferry.home.settings_dir.parent)
    assert second.ask_running_instance()
    qtbot.waitUntil(ferry.window.isVisible, timeout=5000)
