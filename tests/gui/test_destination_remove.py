"""A destination removed from the main window's Destinations tab: *Remove…* asks first, naming the
destination and the clients that will no longer be delivered there, then removes it through the
application layer (with its place in the client links) from a real settings file; the files
already delivered stay, and both tabs follow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.application.settings_changes import change_settings, remove_destination
from app.core.language import Language
from app.gui.app import FerryApp
from app.gui.destinations_model import Column
from app.gui.main_window import DestinationsView
from app.home import FerryHome
from app.settings import Destination, ProxyMode, Settings, load_settings, save_settings
from tests.gui.test_destination_rename import CLIENTS
from tests.gui.test_destination_rename import _settings as _two_destinations


def _settings(root: Path) -> Settings:
    """The rename tests' two destinations, and a spare that no client is linked to."""
    two = _two_destinations(root)
    spare = Destination(name="Spare", general_path=str(root / "spare"))
    return two.model_copy(update={"destinations": [*two.destinations, spare]})


@pytest.fixture
def ferry(qtbot: QtBot, tmp_path: Path) -> Iterator[FerryApp]:
    home = FerryHome.under(tmp_path / "home").ensure()
    save_settings(home.settings_dir, _settings(tmp_path / "out"))
    app = FerryApp(home, language=Language.EN)
    qtbot.addWidget(app.window)
    app._show_settings()  # what the app shows once logged in
    app.window.show()
    app.window.tabs.setCurrentWidget(app.window.destinations_view)
    try:
        yield app
    finally:
        app.shutdown()


def _select(view: DestinationsView, name: str) -> None:
    assert name in _listed(view), f"{name} is not listed"
    view.table.selectRow(_listed(view).index(name))


def _ask(qtbot: QtBot, view: DestinationsView, name: str) -> QMessageBox:
    _select(view, name)
    assert view.remove.isEnabled()
    qtbot.mouseClick(view.remove, Qt.MouseButton.LeftButton)
    box = view.remove_question
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    return box


def _answer(qtbot: QtBot, box: QMessageBox, button: QMessageBox.StandardButton) -> None:
    qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible())


def _listed(view: DestinationsView) -> list[str]:
    return view.names()


def _row(view: DestinationsView, row: int) -> list[str]:
    model = view.table.model()
    return [str(model.index(row, column).data()) for column in Column]


def _warning(ferry: FerryApp) -> str:
    boxes = [box for box in ferry.window.findChildren(QMessageBox) if box.isVisible()]
    return " ".join(box.text() for box in boxes if box.icon() is QMessageBox.Icon.Warning)


def test_removing_a_linked_destination_asks_then_unlinks_its_clients(
    qtbot: QtBot, ferry: FerryApp, tmp_path: Path
) -> None:
    delivered = tmp_path / "out" / "wb" / "F1" / "invoice.pdf"  # what Ferry wrote there earlier
    delivered.parent.mkdir(parents=True)
    delivered.write_bytes(b"%PDF-1.7")
    links = ferry.window.clients_view
    links.set_clients(CLIENTS)
    links.model.set_linked([links.model.row_of("c3")], "Winbooks", True)  # ticked, not saved
    assert links.has_pending_changes()
    view = ferry.window.destinations_view

    box = _ask(qtbot, view, "Winbooks")
    assert box.windowTitle() == "Remove destination"
    assert box.text() == 'Remove the destination "Winbooks"?'
    assert box.informativeText() == (
        "2 clients linked to it: their documents will no longer be delivered there. "
        "For 1 of them it is the only destination: their documents will wait on the platform "
        "until they are linked again.\n\nFiles already delivered there stay where they are."
    )
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Yes).text() == "Remove"
    _answer(qtbot, box, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: _listed(view) == ["Archive", "Spare"], timeout=10_000)

    stored = load_settings(ferry.home.settings_dir)
    assert [d.name for d in stored.destinations] == ["Archive", "Spare"]
    assert {link.client_id: link.destinations for link in stored.links} == {"c2": ["Archive"]}
    assert stored.proxy.mode is ProxyMode.NONE  # the rest of the file stays
    assert delivered.read_bytes() == b"%PDF-1.7"  # files already delivered stay
    # the Clients tab follows: no Winbooks column, nor the tick waiting in it
    assert links.model.destinations == ["Archive", "Spare"]
    assert {link.client_id: link.destinations for link in links.links()} == {"c2": ["Archive"]}
    assert not links.has_pending_changes()
    # the tab counts the clients again, and nothing is selected any more
    assert _row(view, 0) == ["Archive", "UBL only", str(tmp_path / "out" / "archive"), "1 client"]
    assert not view.edit.isEnabled() and not view.remove.isEnabled()


def test_cancel_or_escape_removes_nothing(qtbot: QtBot, ferry: FerryApp) -> None:
    before = (ferry.home.settings_dir / "settings.json").read_bytes()
    view = ferry.window.destinations_view
    box = _ask(qtbot, view, "Archive")
    assert box.informativeText() == (
        "1 client linked to it: their documents will no longer be delivered there.\n\n"
        "Files already delivered there stay where they are."
    )
    _answer(qtbot, box, QMessageBox.StandardButton.Cancel)
    box = _ask(qtbot, view, "Archive")
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())
    qtbot.wait(200)
    assert (ferry.home.settings_dir / "settings.json").read_bytes() == before
    assert _listed(view) == ["Winbooks", "Archive", "Spare"]
    assert view.remove.isEnabled()  # still selected: the person may go on


def test_a_destination_without_clients_and_one_that_is_their_only_destination(
    qtbot: QtBot, ferry: FerryApp
) -> None:
    view = ferry.window.destinations_view
    box = _ask(qtbot, view, "Spare")
    assert box.text() == 'Remove the destination "Spare"?'
    assert box.informativeText() == "Files already delivered there stay where they are."
    _answer(qtbot, box, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: _listed(view) == ["Winbooks", "Archive"], timeout=10_000)
    # Winbooks is c1's only destination, Archive c2's after Winbooks goes
    box = _ask(qtbot, view, "Winbooks")
    _answer(qtbot, box, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: _listed(view) == ["Archive"], timeout=10_000)
    box = _ask(qtbot, view, "Archive")
    assert box.informativeText() == (
        "1 client linked to it: their documents will no longer be delivered there. It is their "
        "only destination: their documents will wait on the platform until they are linked "
        "again.\n\nFiles already delivered there stay where they are."
    )
    _answer(qtbot, box, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: _listed(view) == [], timeout=10_000)
    stored = load_settings(ferry.home.settings_dir)
    assert stored.destinations == [] and stored.links == []


def test_edit_and_remove_wait_for_a_choice(qtbot: QtBot, ferry: FerryApp) -> None:
    view = ferry.window.destinations_view
    assert view.table.count() == 3 and view.chosen() is None
    assert not view.edit.isEnabled() and not view.remove.isEnabled()
    assert view.ask_remove() is None  # nothing chosen: nothing asked
    _select(view, "Archive")
    assert view.edit.isEnabled() and view.remove.isEnabled()
    # a refresh (another window saved, the language switched) keeps the choice
    ferry._show_settings()
    assert view.chosen() == "Archive" and view.remove.isEnabled()
    view.table.clearSelection()
    assert not view.edit.isEnabled() and not view.remove.isEnabled()


def test_a_destination_removed_meanwhile_elsewhere_is_said_in_words(
    qtbot: QtBot, ferry: FerryApp
) -> None:
    view = ferry.window.destinations_view
    box = _ask(qtbot, view, "Winbooks")
    # while the question is open, the command line removes it (ferry destination remove --unlink)
    change_settings(
        ferry.home.settings_dir, lambda s: remove_destination(s, "Winbooks", unlink=True)
    )
    _answer(qtbot, box, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: bool(_warning(ferry)), timeout=10_000)
    assert _warning(ferry) == (
        "The settings were not saved: There is no destination named 'Winbooks' "
        "(known: Archive, Spare)."
    )
    stored = load_settings(ferry.home.settings_dir)
    assert [d.name for d in stored.destinations] == ["Archive", "Spare"]
