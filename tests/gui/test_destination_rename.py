"""A destination renamed from the main window's Destinations tab and from the first-run wizard
keeps its client links (saved, and ticked but not saved yet), through the application layer, on
a real settings file; the old name is gone everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from app.api.models import Client
from app.application.settings_changes import change_settings, remove_destination
from app.auth.account import StoredLogin, load_login
from app.core.language import Language
from app.engine.engine import STATE_FILE
from app.engine.state import StateStore
from app.gui.app import FerryApp
from app.gui.destination_editor import DestinationEditor
from app.gui.wizard import SetupResult, SetupWizard
from app.gui.wizard_login import LoggedIn
from app.home import FerryHome
from app.settings import (
    ClientLink,
    Destination,
    ProxyMode,
    ProxySettings,
    Settings,
    load_settings,
    save_settings,
)

SINCE = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
CLIENTS = [
    Client(
        id=f"c{n}",
        name=f"Client {n} BV",
        vat_number="",
        country="BE",
        accounting_file_id=f"F{n}",
        shares_documents=True,
    )
    for n in (1, 2, 3)
]


def _settings(root: Path) -> Settings:
    return Settings(
        destinations=[
            Destination(name="Winbooks", general_path=str(root / "wb" / "[accounting_file_id]")),
            Destination(name="Archive", general_path=str(root / "archive")),
        ],
        links=[
            ClientLink(
                client_id="c1", destinations=["Winbooks"], accounting_file_id="F1", since=SINCE
            ),
            ClientLink(client_id="c2", destinations=["Archive", "Winbooks"], since=SINCE),
        ],
        proxy=ProxySettings(mode=ProxyMode.NONE),
    )


def _names(settings: Settings) -> set[str]:
    return {d.name for d in settings.destinations} | {
        name for link in settings.links for name in link.destinations
    }


def _rename_in(qtbot: QtBot, editor: DestinationEditor | None, name: str) -> None:
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    assert editor.name.text() == "Winbooks"
    editor.name.clear()
    qtbot.keyClicks(editor.name, name)
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.waitUntil(save.isEnabled, timeout=10_000)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


@pytest.fixture
def ferry(qtbot: QtBot, tmp_path: Path) -> Iterator[FerryApp]:
    home = FerryHome.under(tmp_path / "home").ensure()
    save_settings(home.settings_dir, _settings(tmp_path / "out"))
    app = FerryApp(home, language=Language.EN)
    qtbot.addWidget(app.window)
    try:
        yield app
    finally:
        app.shutdown()


def test_a_rename_from_the_destinations_tab_keeps_the_links(qtbot: QtBot, ferry: FerryApp) -> None:
    settings = ferry._show_settings()  # what the app shows once logged in
    assert settings is not None
    links = ferry.window.clients_view
    links.set_clients(CLIENTS)
    # a link ticked on the Clients tab and not saved yet
    links.model.set_linked([links.model.row_of("c3")], "Winbooks", True)
    assert links.has_pending_changes()

    view = ferry.window.destinations_view
    ferry.window.show()
    view.table.selectRow(0)
    qtbot.mouseClick(view.edit, Qt.MouseButton.LeftButton)
    _rename_in(qtbot, ferry._editor, "Winbooks 2026")
    qtbot.waitUntil(lambda: view.names()[0] == "Winbooks 2026")

    stored = load_settings(ferry.home.settings_dir)
    assert "Winbooks" not in _names(stored)
    assert [d.name for d in stored.destinations] == ["Winbooks 2026", "Archive"]
    assert {link.client_id: link.destinations for link in stored.links} == {
        "c1": ["Winbooks 2026"],
        "c2": ["Archive", "Winbooks 2026"],
    }
    assert stored.link("c1").accounting_file_id == "F1"  # type: ignore[union-attr]
    assert stored.proxy.mode is ProxyMode.NONE  # the rest of the file stays
    # the tab shows the new name, its two clients, and editing it again finds it
    assert view.names() == ["Winbooks 2026", "Archive"]
    model = view.table.model()
    assert [model.index(0, column).data() for column in (0, 1, 3)] == [
        "Winbooks 2026",
        "UBL only",
        "2 clients",
    ]
    # the Clients tab follows: the saved links and the edit in progress under the new name
    assert links.model.destinations == ["Winbooks 2026", "Archive"]
    assert {link.client_id: sorted(link.destinations) for link in links.links()} == {
        "c1": ["Winbooks 2026"],
        "c2": ["Archive", "Winbooks 2026"],
        "c3": ["Winbooks 2026"],
    }
    assert links.model.pending_count() == 1
    view.table.selectRow(0)
    qtbot.mouseClick(view.edit, Qt.MouseButton.LeftButton)
    editor = ferry._editor
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    assert editor.name.text() == "Winbooks 2026"
    editor.reject()


def test_a_new_destination_from_the_tab_does_not_take_another_s_place(
    qtbot: QtBot, ferry: FerryApp, tmp_path: Path
) -> None:
    ferry._show_settings()
    view = ferry.window.destinations_view
    qtbot.mouseClick(view.add, Qt.MouseButton.LeftButton)
    editor = ferry._editor
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    qtbot.keyClicks(editor.name, "Adsolut")
    qtbot.keyClicks(editor.general.edit, str(tmp_path / "out" / "adsolut"))
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.waitUntil(save.isEnabled, timeout=10_000)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.table.count() == 3)
    stored = load_settings(ferry.home.settings_dir)
    assert [d.name for d in stored.destinations] == ["Winbooks", "Archive", "Adsolut"]
    assert stored.links == _settings(tmp_path / "out").links
    assert view.table.count() == 3


def test_a_destination_removed_meanwhile_is_not_brought_back_by_the_editor(
    qtbot: QtBot, ferry: FerryApp
) -> None:
    ferry._show_settings()
    view = ferry.window.destinations_view
    view.table.selectRow(0)
    qtbot.mouseClick(view.edit, Qt.MouseButton.LeftButton)
    # while the editor is open, the command line removes it (ferry destination remove --unlink)
    change_settings(
        ferry.home.settings_dir, lambda s: remove_destination(s, "Winbooks", unlink=True)
    )
    _rename_in(qtbot, ferry._editor, "Winbooks 2026")

    def said() -> str:
        boxes = [box for box in ferry.window.findChildren(QMessageBox) if box.isVisible()]
        return boxes[0].text() if boxes else ""

    qtbot.waitUntil(lambda: bool(said()))
    assert said() == (
        "The settings were not saved: There is no destination named 'Winbooks' (known: Archive)."
    )
    stored = load_settings(ferry.home.settings_dir)
    assert [d.name for d in stored.destinations] == ["Archive"]


def test_a_rename_in_the_wizard_keeps_the_links(
    qtbot: QtBot, qloop: qasync.QEventLoop, tmp_path: Path
) -> None:
    home = FerryHome.under(tmp_path / "home").ensure()
    kept = _settings(tmp_path / "out")  # kept from an earlier set-up, say before a logout
    save_settings(home.settings_dir, kept)
    store = StateStore(home.state_dir / STATE_FILE)  # what Ferry delivered before the logout
    try:
        store.record_delivered("doc-1", "Winbooks", [str(tmp_path / "out" / "wb" / "INV-1.xml")])
    finally:
        store.close()
    wizard = SetupWizard(home, language=Language.EN, initial=kept)
    qtbot.addWidget(wizard)
    wizard.show()
    links = wizard.links_page.links
    links.set_clients(CLIENTS)
    links.model.set_linked([links.model.row_of("c3")], "Winbooks", True)  # ticked just now

    page = wizard.destinations_page
    page.list.setCurrentRow(0)
    qtbot.mouseClick(page.edit, Qt.MouseButton.LeftButton)
    _rename_in(qtbot, wizard.editor, "Winbooks 2026")

    assert [d.name for d in wizard.destinations] == ["Winbooks 2026", "Archive"]
    assert links.model.destinations == ["Winbooks 2026", "Archive"]
    assert {link.client_id: sorted(link.destinations) for link in links.links()} == {
        "c1": ["Winbooks 2026"],
        "c2": ["Archive", "Winbooks 2026"],
        "c3": ["Winbooks 2026"],
    }

    # Finish: what the wizard writes keeps the links under the new name, and the rest
    login = StoredLogin(
        region="sandbox",
        issuer="http://127.0.0.1:1/realms/be",
        api_url="http://127.0.0.1:1/api",
        client_id="ferry-desktop",
        subject="u1",
        user_name="Demo Dupont",
        email="demo@dupont.example.be",
        office_name="Fiduciaire Dupont & Fils",
        logged_in_at=dt.datetime.now(dt.UTC),
    )
    wizard.logged_in = LoggedIn(login, CLIENTS)
    results: list[SetupResult] = []
    wizard.completed.connect(results.append)
    qloop.run_until_complete(wizard._finish())
    assert results and load_login(home.settings_dir) is not None
    stored = load_settings(home.settings_dir)
    assert stored == results[0].settings
    assert "Winbooks" not in _names(stored)
    assert {link.client_id: sorted(link.destinations) for link in stored.links} == {
        "c1": ["Winbooks 2026"],
        "c2": ["Archive", "Winbooks 2026"],
        "c3": ["Winbooks 2026"],
    }
    assert stored.link("c1").since == SINCE  # type: ignore[union-attr]
    assert stored.proxy.mode is ProxyMode.NONE
    store = StateStore(home.state_dir / STATE_FILE)  # its history followed the rename
    try:
        assert [row.destination for row in store.deliveries("doc-1")] == ["Winbooks 2026"]
    finally:
        store.close()


def test_removing_in_the_wizard_takes_its_links_along(qtbot: QtBot, tmp_path: Path) -> None:
    home = FerryHome.under(tmp_path / "home").ensure()
    kept = _settings(tmp_path / "out")
    wizard = SetupWizard(home, language=Language.EN, initial=kept)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.destinations_page
    page.list.setCurrentRow(0)
    qtbot.mouseClick(page.remove, Qt.MouseButton.LeftButton)
    assert [d.name for d in wizard.destinations] == ["Archive"]
    links = wizard.links_page.links.links()
    assert {link.client_id: link.destinations for link in links} == {"c2": ["Archive"]}
