"""Failures as a person sees them in the app: made from their codes, in English, French and
Dutch, in the table, its details, Copy error, notifications, the status bar, the tray and the
Activity tab; waiting and picked-up rows; Deliver again here; the archive switch.

Every failure kind the issue names gives the same words in the table as
:func:`app.core.failures.describe` makes for that language, and a notification with no English
word in it when the person reads French or Dutch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.failures import Failure, FailureCode, describe
from app.core.language import Language
from app.engine.messages import (
    DeliverAgain,
    DocumentChanged,
    EngineState,
    FailureInfo,
    RunFinished,
    RunStarted,
    StateChanged,
)
from app.gui.activity_view import ActivityModel
from app.gui.app import FerryApp
from app.gui.document_rows import WAITING, Column, DocumentRow
from app.gui.i18n import install_translator
from app.gui.main_window import MainWindow
from app.gui.notifications import ErrorNotifier, Notification, fault_key
from app.gui.status_view import StatusView
from app.gui.table_model import TableModel
from app.gui.tray import TrayController
from app.home import FerryHome

from .test_destination_editor import _editor
from .test_table_rows import CLIENTS, row

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
FOLDER = "D:\\Compta\\Dupont\\2026"

# Each failure kind of the issue, with the parameters the engine gives it (no English word in
# the parameters: folders and names are data a person typed or the platform sent).
KINDS: dict[str, Failure] = {
    "permission": Failure.of(
        FailureCode.PERMISSION, destination="Winbooks", folder=FOLDER, root="D:\\Compta", errno=13
    ),
    "disk_full": Failure.of(
        FailureCode.DISK_FULL, destination="Winbooks", folder=FOLDER, root="D:\\Compta", errno=28
    ),
    "path_too_long": Failure.of(
        FailureCode.PATH_TOO_LONG, destination="Winbooks", folder=FOLDER, root="D:\\Compta"
    ),
    "locked": Failure.of(
        FailureCode.LOCKED, destination="Winbooks", folder=FOLDER, root="D:\\Compta"
    ),
    "checksum": Failure.of(
        FailureCode.CHECKSUM,
        destination="Winbooks",
        name="F-2026-014.xml",
        size=1200,
        expected_size=1234,
    ),
    "no_pdf": Failure.of(
        FailureCode.NO_PDF, destination="Winbooks", document="F-2026-014", reason="none"
    ),
    "platform_refused": Failure.of(
        FailureCode.PLATFORM_REFUSED, action="download", status=400, document="F-2026-014"
    ),
    "platform_unavailable": Failure.of(
        FailureCode.PLATFORM_UNAVAILABLE, action="download", status=503, document="F-2026-014"
    ),
    "login_needed": Failure.of(FailureCode.LOGIN_NEEDED),
    "offline": Failure.of(
        FailureCode.OFFLINE, action="download", reason="timeout", document="F-2026-014"
    ),
}

# Words that give English away in a French or Dutch text (whole words, any case).
ENGLISH = (
    "the",
    "could not",
    "cannot",
    "folder",
    "file",
    "try again",
    "delivered",
    "deliver",
    "write",
    "disk",
    "full",
    "login",
    "again",
    "while",
    "invoice",
    "received",
    "and",
    "with",
    "by itself",
    "window",
)


def english_words(text: str) -> list[str]:
    return [w for w in ENGLISH if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I)]


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "qm-cache"


@pytest.fixture
def speak(qapp: QApplication, cache: Path) -> Iterator[object]:
    """``speak(language)`` installs Ferry's translator for that language; English again after."""

    def install(language: Language) -> None:
        assert install_translator(qapp, language, cache_dir=cache) is language

    yield install
    install_translator(qapp, Language.EN, cache_dir=cache)


def failed(
    failure: Failure, n: int = 14, status: str = "error", **fields: object
) -> DocumentChanged:
    values: dict[str, object] = {
        "document_id": f"d{n}",
        "client_id": "c1",
        "kind": "purchase",
        "number": f"F-2026-{n:03}",
        "issue_date": "2026-03-09",
        "status": status,
        # the engine's English sentence, kept for its log: never shown beside failures
        "message": "Winbooks: English words for the log only",
        "failures": [FailureInfo.of(failure)],
    }
    values.update(fields)
    return DocumentChanged(**values)  # type: ignore[arg-type]


def notify_once(language: Language, *documents: DocumentChanged) -> Notification:
    notifier = ErrorNotifier(translate=QCoreApplication.translate, language=language)
    notifier.on_run_started(RunStarted(run_id=0, kind="catch-up"))
    notifier.on_run_finished(
        RunFinished(run_id=0, kind="catch-up", documents=0, delivered=0, failed=0)
    )
    notifier.on_run_started(RunStarted(run_id=1, kind="incremental"))
    notifier.on_documents(list(documents))
    notification = notifier.on_run_finished(
        RunFinished(run_id=1, kind="incremental", documents=1, delivered=0, failed=1)
    )
    assert notification is not None
    return notification


def in_memory() -> TableModel:
    """The window's model over a private in-memory state: live changes add their rows."""
    model = TableModel(locale=US)
    model.set_rows([])
    return model


# --- every failure kind in three languages ---------------------------------------------------


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_failure_kind_in_english_french_and_dutch_in_the_table_and_a_notification(
    qtbot: QtBot, speak: object, kind: str
) -> None:
    failure = KINDS[kind]
    model = in_memory()
    model.apply_changes([failed(failure)])
    seen: dict[Language, str] = {}
    for language in (Language.EN, Language.FR, Language.NL):
        speak(language)  # type: ignore[operator]
        model.set_language(language)
        cell = str(model.index(0, Column.MESSAGE).data())
        assert cell == describe([failure], language).replace("\n", " ")
        assert "English words for the log" not in cell
        seen[language] = cell

        notification = notify_once(language, failed(failure))
        text = f"{notification.title} {notification.text}"
        assert "F-2026-014" in notification.text
        assert "English words for the log" not in text
        if language is Language.EN:
            assert notification.title == "A document could not be delivered"
        else:
            assert english_words(text) == [], (language, text)
    assert len(set(seen.values())) == 3, "one text per language"
    assert english_words(seen[Language.FR]) == english_words(seen[Language.NL]) == []


@pytest.mark.parametrize("language", [Language.FR, Language.NL])
def test_login_needed_is_notified_in_the_person_s_language(
    qtbot: QtBot, speak: object, language: Language
) -> None:
    speak(language)  # type: ignore[operator]
    notifier = ErrorNotifier(translate=QCoreApplication.translate, language=language)
    said = Failure.of(FailureCode.LOGIN_NEEDED, said="invalid_grant: the token was revoked")
    notification = notifier.on_login_needed(said)
    assert notification is not None
    text = f"{notification.title} {notification.text}"
    assert english_words(text) == [], text
    assert notification.text == describe([Failure.of(FailureCode.LOGIN_NEEDED)], language)


def test_notifications_coalesce_by_failure_key(qtbot: QtBot) -> None:
    """Three clients' folders under one share refusing writes are one fault: one notification,
    one cause; the same code on another share, or another code, is another cause."""
    same = [
        failed(KINDS["permission"].with_params(folder=f"D:\\Compta\\Client {n}\\2026"), n)
        for n in (1, 2, 3)
    ]
    assert len({fault_key(d) for d in same}) == 1
    notification = notify_once(Language.EN, *same)
    assert notification.title == "3 documents could not be delivered"
    assert len(notification.causes) == 1
    assert notification.causes == (KINDS["permission"].key(),)
    other_share = failed(KINDS["permission"].with_params(root="E:\\Archief"), 4)
    notification = notify_once(Language.EN, *same, other_share, failed(KINDS["disk_full"], 5))
    assert len(notification.causes) == 3
    assert notification.text.endswith(" (and 2 other problems)")


# --- the table, its details, Copy error, live language switches -----------------------------


def test_the_table_re_words_failures_when_the_language_changes_live(
    qtbot: QtBot, speak: object
) -> None:
    view = shown_view(qtbot)
    view.set_client_names(CLIENTS)
    view.apply_changes([failed(KINDS["disk_full"])])
    english = describe([KINDS["disk_full"]], Language.EN)
    assert view.model.index(0, Column.MESSAGE).data() == english
    speak(Language.FR)  # type: ignore[operator]
    french = describe([KINDS["disk_full"]], Language.FR)
    qtbot.waitUntil(lambda: view.model.index(0, Column.MESSAGE).data() == french)
    assert view.model.index(0, Column.STATUS).data() == "Erreur"
    assert view.model.index(0, Column.MESSAGE).data(Qt.ItemDataRole.ToolTipRole) == french
    # Copy error copies the words shown, in the language shown
    view.table.selectRow(0)
    view.copy_error_action.trigger()
    assert QGuiApplication.clipboard().text() == french
    # the details dialog too
    details = view.show_details(0)
    assert details.message.toPlainText() == french
    details.close()
    # and the text filter finds its status by the French word (the failures' words are
    # searched as stored, not in the person's language: table_model.py says why)
    view.model.set_text_filter("erreur")
    assert view.model.rowCount() == 1


def test_a_row_from_the_state_file_is_worded_from_its_failures_or_keeps_its_message() -> None:
    stored = {
        "id": "d1",
        "client_id": "c1",
        "kind": "purchase",
        "number": "F-1",
        "issue_date": "2026-03-09",
        "status": "error",
        "message": "English for the log",
        "locations": [],
        "failures": [KINDS["locked"].to_json()],
        "next_try": None,
        "moved": [],
    }
    old = {k: v for k, v in stored.items() if k not in ("failures", "next_try", "moved")}
    model = TableModel(locale=US, language=Language.NL)
    model.set_rows([DocumentRow.from_state(stored), DocumentRow.from_state(old | {"id": "d2"})])
    texts = {model.row_at(r).id: model.index(r, Column.MESSAGE).data() for r in range(2)}
    assert texts == {"d1": describe([KINDS["locked"]], Language.NL), "d2": "English for the log"}


# --- waiting documents -----------------------------------------------------------------------


def shown_view(qtbot: QtBot) -> StatusView:
    """A status view on the screen, as the details dialog (window-modal) needs its parent."""
    view = StatusView(model=in_memory())
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def _today_at(hour: int, minute: int) -> float:
    return dt.datetime.now().replace(hour=hour, minute=minute, second=0, microsecond=0).timestamp()


UNREACHABLE = Failure.of(
    FailureCode.UNREACHABLE, destination="Winbooks", folder="\\\\server\\compta", root="\\\\server"
)


def test_a_waiting_row_shows_waiting_with_its_reason_and_next_try(
    qtbot: QtBot, speak: object
) -> None:
    view = shown_view(qtbot)
    next_try = _today_at(23, 59)
    view.apply_changes(
        [
            failed(UNREACHABLE, 1, status="to_fetch", next_try=next_try),
            failed(KINDS["permission"], 2),
            DocumentChanged(
                document_id="d3",
                client_id="c1",
                kind="purchase",
                number="F-3",
                issue_date="2026-03-09",
                status="to_fetch",
            ),
        ]
    )
    model = view.model
    r = model.view_row_of("d1")
    assert r is not None
    assert model.index(r, Column.STATUS).data() == "Waiting"
    message = str(model.index(r, Column.MESSAGE).data())
    assert message.startswith("Winbooks: The folder \\\\server\\compta cannot be reached")
    assert message.endswith("Ferry will try again at 23:59.")
    assert model.count(WAITING) == 1 and model.count("to_fetch") == 2
    assert "1 waiting" in view.summary.text()
    # the status filter shows the waiting ones alone, and among To fetch
    waiting_item = view.status_filter.findData(WAITING)
    assert view.status_filter.itemText(waiting_item) == "Waiting"
    view.status_filter.setCurrentIndex(waiting_item)
    assert [model.row_at(r).id for r in range(model.rowCount())] == ["d1"]
    view.status_filter.setCurrentIndex(view.status_filter.findData("to_fetch"))
    assert sorted(model.row_at(r).id for r in range(model.rowCount())) == ["d1", "d3"]
    # sorted by status: errors first, then what waits, then the rest
    view.status_filter.setCurrentIndex(0)
    model.sort(Column.STATUS, Qt.SortOrder.AscendingOrder)
    assert [model.row_at(r).id for r in range(3)] == ["d2", "d1", "d3"]
    # its details say when
    details = view.show_details(model.view_row_of("d1") or 0)
    assert details.fields["status"].text() == "Waiting"
    assert details.fields["next_try"].text().endswith("23:59")
    details.close()

    speak(Language.FR)  # type: ignore[operator]
    qtbot.waitUntil(
        lambda: model.index(model.view_row_of("d1") or 0, Column.STATUS).data() == "En attente"
    )
    french = str(model.index(model.view_row_of("d1") or 0, Column.MESSAGE).data())
    assert french.startswith("Winbooks : Le dossier \\\\server\\compta est inaccessible")
    assert french.endswith("Ferry réessaiera à 23:59.")
    assert view.status_filter.itemText(view.status_filter.findData(WAITING)) == "En attente"
    assert "1 en attente" in view.summary.text()

    # delivered at last: no longer waiting
    model.apply_changes(
        [failed(UNREACHABLE, 1, status="forwarded", failures=[], message=None, next_try=None)]
    )
    assert model.count(WAITING) == 0


# --- documents the accounting software took --------------------------------------------------


def forwarded(n: int, moved: list[str] | None = None) -> DocumentChanged:
    return DocumentChanged(
        document_id=f"d{n}",
        client_id="c1",
        kind="purchase",
        number=f"F-{n}",
        issue_date="2026-03-09",
        status="forwarded",
        locations=[f"D:\\Compta\\F-{n}.xml"],
        moved=moved or [],
    )


def test_a_moved_row_says_where_from_and_its_details_what_that_means(
    qtbot: QtBot, speak: object
) -> None:
    view = shown_view(qtbot)
    view.apply_changes([forwarded(1, ["Winbooks"]), forwarded(2)])
    model = view.model
    r = model.view_row_of("d1")
    assert r is not None
    assert model.index(r, Column.STATUS).data() == "Forwarded"  # not an error
    assert model.index(r, Column.MESSAGE).data() == "Picked up or moved from Winbooks"
    assert model.index(model.view_row_of("d2") or 0, Column.MESSAGE).data() == ""
    details = view.show_details(r)
    assert details.moved_note is not None
    assert "no longer where Ferry wrote them" in details.moved_note.text()
    assert "Deliver again here" in details.moved_note.text()
    details.close()
    speak(Language.NL)  # type: ignore[operator]
    qtbot.waitUntil(
        lambda: model.index(r, Column.MESSAGE).data() == "Opgehaald of verplaatst uit Winbooks"
    )
    details = view.show_details(r)
    assert details.moved_note is not None
    assert "Hier opnieuw leveren" in details.moved_note.text()
    details.close()


# --- Deliver again here ----------------------------------------------------------------------


def _rows() -> list[DocumentRow]:
    return [
        row(1, status="forwarded", number="F-1"),
        row(2, status="error", number="F-2", message="x", locations=[]),
        row(3, status="forwarded", number="F-3", moved=["Winbooks"]),
    ]


def _view(qtbot: QtBot, view: StatusView | None = None) -> StatusView:
    view = view or StatusView(model=in_memory())
    qtbot.addWidget(view)
    view.set_rows(_rows())
    view.show()
    qtbot.waitExposed(view)
    return view


def _select(view: StatusView, *ids: str) -> None:
    view.table.clearSelection()
    for document_id in ids:
        r = view.model.view_row_of(document_id)
        assert r is not None
        view.table.selectionModel().select(
            view.model.index(r, 0),
            view.table.selectionModel().SelectionFlag.Select
            | view.table.selectionModel().SelectionFlag.Rows,
        )


def test_deliver_again_here_asks_first_then_sends_the_forwarded_rows(qtbot: QtBot) -> None:
    view = _view(qtbot)
    _select(view, "d2")
    assert not view.deliver_again_action.isEnabled()  # an error is retried, not delivered again
    _select(view, "d1", "d2", "d3")
    assert view.deliver_again_action.isEnabled()
    assert view.deliver_again_action in view.toolbar.actions()
    assert view.deliver_again_action in view.context_menu.actions()

    with qtbot.assertNotEmitted(view.deliver_again_requested, wait=50):
        view.deliver_again_action.trigger()
        box = view.deliver_again_question
        assert box is not None
        qtbot.waitUntil(box.isVisible)
        assert box.isModal() and box.text() == "Deliver 2 documents again?"
        assert "write their files again into the destinations they were delivered to" in (
            box.informativeText()
        )
        assert "import them a second time" in box.informativeText()
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: view.deliver_again_question is None)

    view.deliver_again_action.trigger()
    box = view.deliver_again_question
    assert box is not None
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert yes.text() == "Deliver again"
    with qtbot.waitSignal(view.deliver_again_requested) as asked:
        yes.click()
    assert sorted(asked.args[0]) == ["d1", "d3"]


def test_the_app_sends_deliver_again_after_the_confirmation(qtbot: QtBot, tmp_path: Path) -> None:
    class Engine:
        def __init__(self) -> None:
            self.sent: list[object] = []

        def send(self, command: object) -> None:
            self.sent.append(command)

        def stop(self) -> None:
            pass

    ferry = FerryApp(FerryHome.under(tmp_path / "home"), language=Language.EN)
    qtbot.addWidget(ferry.window)
    engine = Engine()
    ferry.engine = engine  # type: ignore[assignment]
    try:
        view = _view(qtbot, ferry.window.status_view)
        _select(view, "d3")
        box = view.ask_deliver_again()
        assert box is not None and box.text() == "Deliver 1 document again?"
        box.button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(lambda: bool(engine.sent))
        assert engine.sent == [DeliverAgain(document_ids=["d3"])]
    finally:
        ferry.engine = None
        ferry.shutdown()


# --- the archive switch ----------------------------------------------------------------------


def test_the_archive_switch_round_trips_through_the_editor(qtbot: QtBot) -> None:
    from app.settings import Destination

    editor = _editor(qtbot)
    assert not editor.archive.isChecked()  # off by default: an import folder
    assert editor.archive.text() == "Archive: keep it complete"
    assert "written again by the full sync" in editor.archive_note.text()
    assert "takes files away after importing them" in editor.archive_note.text()
    archive = Destination(name="Archive", general_path="D:\\Archief\\[year]", archive=True)
    editor = _editor(qtbot, destination=archive)
    assert editor.archive.isChecked()
    editor.check_now()
    with qtbot.waitSignal(editor.saved) as saved:
        editor._save()
    assert saved.args[0] == archive
    editor = _editor(qtbot, destination=archive)
    editor.archive.setChecked(False)
    editor.check_now()
    with qtbot.waitSignal(editor.saved) as saved:
        editor._save()
    assert saved.args[0].archive is False
    assert saved.args[0].general_path == archive.general_path


# --- the status bar, the tray, the Activity tab ----------------------------------------------

OFFLINE = Failure.of(FailureCode.OFFLINE, action="wait_changes", reason="refused")


def test_the_status_bar_and_the_tray_say_why_in_the_person_s_language(
    qtbot: QtBot, speak: object
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    tray = TrayController()
    try:
        state = StateChanged(
            state=EngineState.OFFLINE,
            detail="English detail for the log",
            failure=FailureInfo.of(OFFLINE),
        )
        window.show_state(state)
        tray.show_state(state)
        assert describe([OFFLINE], Language.EN) in window.state_label.text()
        assert "English detail" not in window.state_label.text()
        assert tray.reason() == describe([OFFLINE], Language.EN)
        speak(Language.FR)  # type: ignore[operator]
        french = describe([OFFLINE], Language.FR)
        qtbot.waitUntil(lambda: french in window.state_label.text())
        assert window.state_label.text().startswith("Hors ligne")
        tray.retranslate()
        assert tray.reason() == french
        assert tray.tooltip().startswith("Ferry — Hors ligne")
        assert "English" not in tray.tooltip()
    finally:
        tray.hide()


def test_the_activity_tab_shows_what_failed_and_what_was_picked_up(
    qtbot: QtBot, speak: object
) -> None:
    model = ActivityModel()
    busy = Failure.of(FailureCode.PLATFORM_UNAVAILABLE, action="list_documents", status=503)
    model.add_finished(
        RunFinished(
            run_id=7,
            kind="full",
            documents=40,
            delivered=0,
            failed=0,
            message="English summary for the log",
            moved={"Winbooks": 2, "Archive": 1},
        )
    )
    model.add_finished(
        RunFinished(
            run_id=8,
            kind="incremental",
            documents=0,
            delivered=0,
            failed=0,
            message="English for the log",
            failures=[FailureInfo.of(busy)],
        )
    )
    what = {model.row_at(r).run_id: model.index(r, 6).data() for r in range(2)}
    assert what[7] == "1 picked up or moved from Archive; 2 picked up or moved from Winbooks"
    assert what[8] == describe([busy], Language.EN)
    speak(Language.FR)  # type: ignore[operator]
    what = {model.row_at(r).run_id: model.index(r, 6).data() for r in range(2)}
    assert what[7] == (
        "1 récupéré ou déplacé depuis Archive; 2 récupérés ou déplacés depuis Winbooks"
    )
    assert what[8] == describe([busy], Language.FR)


def test_the_system_s_own_words_stay_out_of_the_line_and_in_the_details(
    qtbot: QtBot, speak: object
) -> None:
    """What the system said is in the system's language (English on many servers): the table's
    line leaves it out, so a French line stays French; the tooltip, the details and Copy error
    keep it for whoever fixes the folder."""
    said = KINDS["permission"].with_params(said="Read-only file system")
    view = shown_view(qtbot)
    view.apply_changes([failed(said)])
    speak(Language.FR)  # type: ignore[operator]
    model = view.model
    qtbot.waitUntil(lambda: model.index(0, Column.STATUS).data() == "Erreur")
    line = str(model.index(0, Column.MESSAGE).data())
    assert "Read-only" not in line and english_words(line) == []
    assert line == describe([KINDS["permission"]], Language.FR)
    whole = describe([said], Language.FR)
    assert "« Read-only file system »" in whole
    assert model.index(0, Column.MESSAGE).data(Qt.ItemDataRole.ToolTipRole) == whole
    view.table.selectRow(0)
    view.copy_error_action.trigger()
    assert QGuiApplication.clipboard().text() == whole
    details = view.show_details(0)
    assert details.message.toPlainText() == whole
    details.close()
    qtbot.waitUntil(lambda: view.details_dialog is None)
