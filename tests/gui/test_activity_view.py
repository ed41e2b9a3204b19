"""The Activity tab reads like a history: each run in its place with the engine's times and its
duration once it ended, continuous syncing as one growing row per period, each kind named
(a platform task with its client), and "What failed" listing the documents with their reasons
in the person's language, live and from the state file alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.failures import Failure, FailureCode, describe
from app.core.language import Language
from app.engine.messages import (
    FailedDocument,
    FailureInfo,
    RunFinished,
    RunProgress,
    RunStarted,
)
from app.engine.state import StateStore
from app.gui.activity_view import ActivityModel, ActivityView, RunRow, run_row
from app.gui.app import FerryApp
from app.gui.bridge import EngineBridge
from app.gui.i18n import install_translator
from app.home import FerryHome
from app.settings import load_settings
from tests.gui.test_app import _add_receipt, _forwarded

WHEN, KIND, DURATION, DOCUMENTS, DELIVERED, FAILED, WHAT = range(7)

REFUSED = Failure.of(FailureCode.PERMISSION, destination="Winbooks", folder="/srv/compta")
FULL = Failure.of(FailureCode.DISK_FULL, destination="Archive", folder="/srv/archive")


@pytest.fixture
def speak(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """``speak(language)`` installs Ferry's translator for that language; English again after."""
    cache: Path = tmp_path_factory.mktemp("qm")

    def install(language: Language) -> None:
        assert install_translator(qapp, language, cache_dir=cache) is language

    yield install
    install_translator(qapp, Language.EN, cache_dir=cache)


@pytest.fixture
def ferry(qtbot: QtBot, tmp_path: Path) -> Iterator[FerryApp]:
    """The desktop app on the demo's in-process sandbox (as in test_app)."""
    app = FerryApp(FerryHome.under(tmp_path / "home"), language=Language.EN, demo=True)
    assert app.start()
    qtbot.addWidget(app.window)
    try:
        yield app
    finally:
        app.shutdown()


def cell(model: ActivityModel, row: int, column: int) -> object:
    return model.index(row, column).data()


def failed_document(n: int, failure: Failure) -> FailedDocument:
    return FailedDocument(
        document_id=f"d{n}",
        number=f"INV-{n}",
        kind="purchase",
        client_id="c1",
        failures=[FailureInfo.of(failure)],
    )


def test_a_run_shows_running_then_its_duration_from_the_engine_s_clock(qtbot: QtBot) -> None:
    model = ActivityModel()
    model.add_started(RunStarted(run_id=1, kind="incremental", started=1_000.0))
    assert cell(model, 0, DURATION) == "running"
    model.add_finished(
        RunFinished(
            run_id=1,
            kind="incremental",
            documents=2,
            delivered=2,
            failed=0,
            started=1_000.0,
            finished=1_004.2,
        )
    )
    assert model.rowCount() == 1
    assert cell(model, 0, DURATION) == "4.2 s"
    assert (cell(model, 0, DOCUMENTS), cell(model, 0, DELIVERED)) == (2, 2)
    # an end seen without its start (the window opened later) still has its duration
    model.add_finished(
        RunFinished(
            run_id=2,
            kind="full",
            documents=0,
            delivered=0,
            failed=0,
            started=2_000.0,
            finished=2_185.0,
        )
    )
    assert model.row_at(0).run_id == 2 and cell(model, 0, DURATION) == "3 min 5 s"


def test_continuous_syncing_is_one_row_per_period_whose_counts_grow(qtbot: QtBot) -> None:
    model = ActivityModel()
    model.add_finished(
        RunFinished(
            run_id=3,
            kind="incremental",
            documents=0,
            delivered=0,
            failed=0,
            started=10.0,
            finished=11.0,
        )
    )
    for count in (1, 2, 3):  # three wake-ups of the long-poll
        model.add_progress(
            RunProgress(
                run_id=4,
                kind="continuous",
                started=20.0,
                documents=count,
                delivered=count,
                failed=0,
            )
        )
    assert model.rowCount() == 2  # not one row per wake-up
    assert model.row_at(0).run_id == 4
    assert cell(model, 0, KIND) == "Continuous sync"
    assert (cell(model, 0, DOCUMENTS), cell(model, 0, DURATION)) == (3, "running")
    model.add_finished(
        RunFinished(
            run_id=4,
            kind="continuous",
            documents=3,
            delivered=3,
            failed=0,
            started=20.0,
            finished=20.0 + 3_600 + 125,
        )
    )
    assert model.rowCount() == 2
    assert cell(model, 0, DURATION) == "1 h 02 min"
    # a late progress (two sources of events) never reopens it
    model.add_progress(
        RunProgress(run_id=4, kind="continuous", started=20.0, documents=2, delivered=2, failed=0)
    )
    assert (cell(model, 0, DOCUMENTS), cell(model, 0, DURATION)) == (3, "1 h 02 min")


def test_the_history_read_late_never_turns_a_finished_run_back_to_running(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The window reads the state file on a worker thread while events come: a run that
    finished meanwhile keeps its end; one the file did not hold yet keeps its row."""
    store = StateStore(tmp_path / "state.db")
    try:
        older = store.start_run("full", started=100.0)
        store.finish_run(older, documents=1, delivered=1, failed=0, message=None, finished=160.0)
        open_then = store.start_run("incremental", started=200.0)
        snapshot = [run_row(dataclasses.asdict(r)) for r in store.runs()]
    finally:
        store.close()
    model = ActivityModel()
    model.add_started(RunStarted(run_id=open_then, kind="incremental", started=200.0))
    model.add_finished(
        RunFinished(
            run_id=open_then,
            kind="incremental",
            documents=1,
            delivered=1,
            failed=0,
            started=200.0,
            finished=203.0,
        )
    )
    model.add_started(RunStarted(run_id=open_then + 1, kind="resend", started=210.0))
    model.set_rows(snapshot)
    assert [model.row_at(i).run_id for i in range(model.rowCount())] == [
        open_then + 1,
        open_then,
        older,
    ]
    assert cell(model, 1, DURATION) == "3.0 s"
    assert cell(model, 2, DURATION) == "1 min 0 s"
    assert cell(model, 0, KIND) == "Resend" and cell(model, 0, DURATION) == "running"


def test_a_run_a_crash_left_open_shows_interrupted_once_a_newer_run_is_seen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The window read the state file before the new engine ended the crashed run there: the
    first run of the new engine shows that it is over (an engine has one run open at most)."""
    store = StateStore(tmp_path / "state.db")
    try:
        crashed = store.start_run("full", started=100.0)
        snapshot = [run_row(dataclasses.asdict(r)) for r in store.runs()]
    finally:
        store.close()
    model = ActivityModel()
    model.set_rows(snapshot)
    assert cell(model, 0, DURATION) == "running"
    model.add_started(RunStarted(run_id=crashed + 1, kind="incremental", started=500.0))
    assert cell(model, 0, DURATION) == "running"  # the new one
    assert cell(model, 1, DURATION) == "interrupted"
    # read after the new run began: the same
    again = ActivityModel()
    again.add_progress(
        RunProgress(
            run_id=crashed + 1, kind="continuous", started=500.0, documents=1, delivered=1, failed=0
        )
    )
    again.set_rows(snapshot)
    assert [cell(again, r, DURATION) for r in range(2)] == ["running", "interrupted"]


def test_each_kind_is_named_and_a_platform_task_names_its_client(qtbot: QtBot) -> None:
    model = ActivityModel()
    kinds = [
        ("incremental", None, "Incremental"),
        ("catch-up", None, "Nightly catch-up"),
        ("full", None, "Full sync"),
        ("full", "Bakkerij Peeters BV", "Full sync of Bakkerij Peeters BV"),
        ("resend", None, "Resend"),
        ("retry", None, "Retry"),
        ("deliver-again", None, "Deliver again"),
        ("continuous", None, "Continuous sync"),
        ("task-full", "Bakkerij Peeters BV", "Platform task: full sync of Bakkerij Peeters BV"),
        ("task-full", None, "Platform task: full sync"),
        ("task-resend", None, "Platform task: resend"),
    ]
    for run_id, (kind, client, _) in enumerate(kinds, start=1):
        model.add_started(
            RunStarted(run_id=run_id, kind=kind, started=float(run_id), client_name=client)
        )
    shown = [cell(model, model.rowCount() - run_id, KIND) for run_id in range(1, len(kinds) + 1)]
    assert shown == [words for _, _, words in kinds]


def test_what_failed_lists_the_documents_with_their_reasons(qtbot: QtBot, speak: object) -> None:
    model = ActivityModel()
    model.add_finished(
        RunFinished(
            run_id=9,
            kind="incremental",
            documents=3,
            delivered=0,
            failed=3,
            message="English words for the log only",
            started=1.0,
            finished=2.0,
            failed_documents=[failed_document(1, REFUSED), failed_document(2, FULL)],
        )
    )
    english = describe([REFUSED], Language.EN)
    assert cell(model, 0, FAILED) == 3
    assert cell(model, 0, WHAT) == f"INV-1: {english} and 2 more documents"
    tooltip = model.index(0, WHAT).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.split("\n") == [
        f"INV-1: {english}",
        f"INV-2: {describe([FULL], Language.EN)}",
        "and 1 more document",
    ]
    assert "English words" not in tooltip
    speak(Language.FR)  # type: ignore[operator]
    french = describe([REFUSED], Language.FR)
    assert french != english
    assert str(cell(model, 0, WHAT)).startswith(f"INV-1: {french}")
    speak(Language.NL)  # type: ignore[operator]
    assert str(cell(model, 0, WHAT)).startswith(f"INV-1: {describe([REFUSED], Language.NL)}")


def test_what_failed_comes_back_from_the_state_file_with_an_interrupted_run(
    qtbot: QtBot, tmp_path: Path
) -> None:
    store = StateStore(tmp_path / "state.db")
    try:
        run = store.start_run("task-full", client_id="c1", client_name="Frituur Jan", started=50.0)
        store.finish_run(
            run,
            documents=1,
            delivered=0,
            failed=1,
            message=None,
            failed_documents=[failed_document(5, REFUSED).model_dump(mode="json")],
            finished=60.0,
        )
        store.start_run("continuous", started=100.0)
        store.end_interrupted_runs()  # what the next start of the engine does
        rows = [run_row(dataclasses.asdict(r)) for r in store.runs()]
    finally:
        store.close()
    view = ActivityView()
    qtbot.addWidget(view)
    view.model.set_rows(rows)
    model = view.model
    assert cell(model, 0, KIND) == "Continuous sync"
    assert cell(model, 0, DURATION) == "interrupted"  # never seen at work after its start
    assert cell(model, 1, KIND) == "Platform task: full sync of Frituur Jan"
    assert model.index(1, KIND).data(Qt.ItemDataRole.ToolTipRole) == cell(model, 1, KIND)
    assert cell(model, 1, WHAT) == f"INV-5: {describe([REFUSED], Language.EN)}"


def test_the_bridge_hands_a_run_s_progress_on(qtbot: QtBot) -> None:
    bridge = EngineBridge()
    model = ActivityModel()
    bridge.run_progress.connect(model.add_progress)
    with qtbot.waitSignal(bridge.run_progress, timeout=5_000):
        bridge.post(
            RunProgress(
                run_id=1, kind="continuous", started=5.0, documents=1, delivered=1, failed=0
            )
        )
    assert model.rowCount() == 1 and cell(model, 0, DOCUMENTS) == 1


def test_the_app_shows_one_row_for_the_feed_and_ends_every_run(
    qtbot: QtBot, ferry: FerryApp
) -> None:
    """The whole app (engine process, channel, bridge; the demo's platform adds a document
    every 5 s): documents brought by separate wake-ups of the long-poll grow one continuous
    row; a resend from the table is a Resend row; every row ends with its duration, none
    stays running."""
    model = ferry.window.activity_view.model

    def rows() -> list[RunRow]:
        return [model.row_at(i) for i in range(model.rowCount())]

    qtbot.waitUntil(lambda: any(r.finished is not None for r in rows()), timeout=60_000)
    demo = ferry.demo
    assert demo is not None
    client = load_settings(ferry.home.settings_dir).links[0]
    for name in ("feed-1.pdf", "feed-2.pdf"):
        before = _forwarded(ferry)
        _add_receipt(demo.url, client.client_id, name)
        qtbot.waitUntil(lambda before=before: _forwarded(ferry) > before, timeout=60_000)
    qtbot.waitUntil(
        lambda: any(r.kind == "continuous" and r.delivered >= 2 for r in rows()), timeout=30_000
    )
    (continuous,) = [r for r in rows() if r.kind == "continuous"]
    assert continuous.finished is None and continuous.started is not None
    assert all(r.finished is not None and r.started for r in rows() if r is not continuous)
    # the accountant sends a document to the integrations again
    status = ferry.window.status_view
    status.table.selectRow(0)
    status.send_action.trigger()
    qtbot.waitUntil(
        lambda: any(r.kind == "resend" and r.finished is not None for r in rows()),
        timeout=60_000,
    )
    (resend,) = [r for r in rows() if r.kind == "resend"]
    assert resend.delivered >= 1  # the resent document (and any the feed brought with it)
    # the resend ended the period: nothing before it is left running, each with its duration
    # (the demo's platform adds a document every 5 s: a new period may have begun since)
    assert all(r.finished is not None and r.started for r in rows() if r.run_id <= resend.run_id), (
        rows()
    )
    assert all(r.kind == "continuous" for r in rows() if r.run_id > resend.run_id)
    position = rows().index(continuous)
    assert model.index(position, DURATION).data() not in ("", "running")
    assert model.index(position, DOCUMENTS).data() >= 2


def test_durations_are_written_the_way_the_language_writes_numbers(qapp: object) -> None:
    from PySide6.QtCore import QLocale

    from app.gui.activity_view import ActivityModel

    model = ActivityModel()
    before = QLocale()
    try:
        QLocale.setDefault(QLocale("fr_BE"))
        assert model.duration_words(4.25) == "4,2 s" or model.duration_words(4.25) == "4,3 s"
        QLocale.setDefault(QLocale("en_GB"))
        assert model.duration_words(4.25) in ("4.2 s", "4.3 s")
        assert model.duration_words(185) == "3 min 5 s"
    finally:
        QLocale.setDefault(before)


def test_what_failed_leaves_the_system_s_own_words_to_the_tooltip(
    qtbot: QtBot, speak: object
) -> None:
    """ "(het systeem meldde: "Read-only file system")" in a Dutch cell: the system's words are
    in the system's language; the cell leaves them out, as the documents' message does."""
    said = Failure.of(
        FailureCode.PERMISSION,
        destination="Winbooks",
        folder="/srv/compta",
        said="Read-only file system",
    )
    model = ActivityModel()
    model.add_finished(
        RunFinished(
            run_id=3,
            kind="resend",
            documents=1,
            delivered=0,
            failed=1,
            started=1.0,
            finished=2.0,
            failed_documents=[failed_document(1, said)],
        )
    )
    speak(Language.NL)  # type: ignore[operator]
    text = str(cell(model, 0, WHAT))
    assert "Read-only file system" not in text and text.startswith("INV-1: ")
    tooltip = model.index(0, WHAT).data(Qt.ItemDataRole.ToolTipRole)
    assert "Read-only file system" in tooltip
