"""Take the README's screenshots from the running desktop app on its demo sandbox.

Run: .venv/bin/python scripts/screenshots.py [--only NAME...] [--out DIR] [--language en|fr|nl]
(writes docs/screenshots/*.png: the README's, in English; ``--language fr --out
docs/screenshots/fr`` and ``--language nl --out docs/screenshots/nl`` the French and Dutch
sets). Dates and amounts are in Belgium's regional format for the language unless ``--region``
names another. The app
runs as ``python -m app --demo`` runs it, on a private virtual X screen (Xvfb, with the trayer
tray host, so the tray and its menu are the real ones) when Xvfb is installed; otherwise on
Qt's offscreen platform, without the tray shot.
``QT_QPA_PLATFORM`` set by the caller is used as it is.

Nothing is painted for the pictures: the errors are real deliveries refused by a read-only
folder, the waiting documents real deliveries to a folder the system says does not exist (a
procfs, where nothing can be made: what a network share that is down answers), the documents
picked up or moved really had their files taken away before a full sync, the preview is the
editor's own. Each screenshot is one function taking the
:class:`Shots` context, listed in ``SHOTS`` in the order they are taken (later ones may change
the app's state, e.g. the errors); adding a screen is adding a function and a line there.

The first-run wizard's pictures (``WIZARD_SHOTS``, taken first) come from a real app, not a
demo, started on an empty Ferry home: its wizard starts this computer's sandbox platform and
logs in to it through the sandbox's own login form. Only the system browser is replaced, by a
thread that fills that form as tests/gui/test_wizard.py does, and only the OS keyring, by one
in this process's memory (the demo's): nothing of this run reaches the machine's real keyring.
Each wizard function takes its page from the one before, so ``--only wizard-links`` still
walks through the earlier pages (without saving their pictures).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_gui_sync import virtual_screen  # noqa: E402 - a screen before Qt loads

OUT = ROOT / "docs" / "screenshots"
LOCKED_DESTINATION = "Winbooks"
DOWN_DESTINATION = "Server"
MEMORY_KEYRING = "app.demo_setup.MemoryKeyring"
"""The keyring backend of this whole run (and of any process it starts): in memory only."""


@dataclass
class Shots:
    """What every screenshot function gets: the running app and where pictures go."""

    app: object  # QApplication
    ferry: object  # app.gui.app.FerryApp
    out: Path
    work: Path  # scratch folder of this run (the Ferry home is under it)
    wanted: Callable[[str], bool] = lambda _name: True  # pictures to write (the rest: steps)
    browser: Browser | None = None  # the wizard's stand-in for the system browser

    @property
    def down(self) -> Path:
        """A folder on a "share that is down": the system answers that it does not exist."""
        return self.work / "network-share" / "accounting"

    def wait(self, test: Callable[[], object], seconds: float, what: str = "") -> None:
        """Run the event loop until ``test()`` holds; fail with ``what`` after ``seconds``."""
        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + seconds
        while not test():
            if time.monotonic() > deadline:
                if what:
                    raise RuntimeError(f"gave up waiting for {what} after {seconds:g} s")
                return
            QCoreApplication.processEvents()
            time.sleep(0.02)

    def settle(self, seconds: float = 0.4) -> None:
        """Let layouts, repaints and the tray catch up."""
        self.wait(lambda: False, seconds)

    def save(self, widget: object, name: str) -> Path:
        """One widget as it paints itself (no window frame: the screen has no window manager)."""
        return self._write(widget.grab(), name)  # type: ignore[attr-defined]

    def save_screen(self, area: object, name: str, fallback: object) -> Path:
        """What the screen shows in ``area`` (a QRect): several windows at once, e.g. a dialog
        over the table or a menu under the tray icon. Without a screen, ``fallback`` alone."""
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QApplication

        assert isinstance(area, QRect)
        for widget in QApplication.topLevelWidgets():
            if widget.metaObject().className() == "QBalloonTip":
                widget.hide()  # Qt's own notification balloon (no notification service here)
        self.settle(0.2)
        screen = QGuiApplication.primaryScreen()
        picture = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())
        if picture.isNull() or QGuiApplication.platformName() == "offscreen":
            picture = fallback.grab()  # type: ignore[attr-defined]
        return self._write(picture, name)

    def _write(self, picture: object, name: str) -> Path:
        path = self.out / f"{name}.png"
        if not self.wanted(name):
            return path  # a step on the way to a picture asked for
        if not picture.save(str(path)):  # type: ignore[attr-defined]
            raise RuntimeError(f"could not write {path}")
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        return path


class Browser:
    """Stands in for the system browser, as tests/gui/test_wizard.py's does: it logs in on the
    sandbox's login form (the demo user) and follows the redirect back to Ferry's loopback
    listener, on its own thread (another process in real life). It waits for ``go`` first, so
    the wizard's login page can be pictured as a person sees it while they log in."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.go = threading.Event()
        self.errors: list[BaseException] = []

    def open(self, url: str) -> bool:
        self.urls.append(url)
        threading.Thread(target=self._browse, args=(url,), name="browser", daemon=True).start()
        return True

    def _browse(self, url: str) -> None:
        import httpx

        from app.sandbox.testkit import read_login_form

        try:
            if not self.go.wait(300):
                return
            with httpx.Client(timeout=60) as http:
                page = http.get(url)
                page.raise_for_status()
                action, inputs = read_login_form(page.text)
                inputs.update(username="demo", password="demo", action="login")
                answer = http.post(urljoin(str(page.url), action), data=inputs)
                if answer.status_code not in (302, 303):
                    raise RuntimeError(f"the login form answered {answer.status_code}")
                http.get(answer.headers["location"]).raise_for_status()  # back to Ferry
        except BaseException as error:  # told by the waits of the wizard pictures
            self.errors.append(error)


def _wizard(shots: Shots) -> object:
    wizard = shots.ferry.wizard  # type: ignore[attr-defined]
    assert wizard is not None, "the wizard is gone"
    return wizard


def _click(shots: Shots, button: object) -> None:
    """Click as a person does: once the button is there and enabled."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    shots.wait(lambda: button.isVisible() and button.isEnabled(), 10, button.text())  # type: ignore[attr-defined]
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[call-overload]


def _wizard_on(shots: Shots, page: object, seconds: float = 10) -> None:
    """Wait for the wizard to show ``page``; say why the login failed if it did."""
    wizard = _wizard(shots)

    def there() -> bool:
        browser = shots.browser
        if browser is not None and browser.errors:
            raise RuntimeError(f"the browser failed: {browser.errors[0]!r}")
        failure = wizard.login_page.failure  # type: ignore[attr-defined]
        if failure.isVisible():
            raise RuntimeError(f"the wizard says: {failure.text()}")
        return wizard.page() is page  # type: ignore[attr-defined]

    shots.wait(there, seconds, "the wizard's next page")


def _save_wizard(shots: Shots, name: str) -> None:
    shots.settle(0.4)
    shots.save(shots.ferry.window, name)  # type: ignore[attr-defined]


def wizard_country(shots: Shots) -> None:
    """The first page: where the office's platform is; this computer's sandbox chosen."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window = shots.ferry.window  # type: ignore[attr-defined]
    window.resize(900, 540)  # the pages before the clients' table need no more
    window.move(0, 40)  # below the tray host's panel
    wizard = _wizard(shots)
    shots.wait(wizard.isVisible, 10, "the wizard")  # type: ignore[attr-defined]
    listing = wizard.country.list  # type: ignore[attr-defined]
    (item,) = [  # by its code: the name is in the app's language
        listing.item(row)
        for row in range(listing.count())
        if listing.item(row).data(Qt.ItemDataRole.UserRole) == "sandbox"
    ]
    QTest.mouseClick(
        listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center()
    )
    _save_wizard(shots, "wizard-country")


def _choose_region(shots: Shots, code: str) -> None:
    """Click the region ``code`` in the country list (its name is in the app's language)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    listing = _wizard(shots).country.list  # type: ignore[attr-defined]
    (item,) = [
        listing.item(row)
        for row in range(listing.count())
        if listing.item(row).data(Qt.ItemDataRole.UserRole) == code
    ]
    QTest.mouseClick(
        listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center()
    )


def wizard_key(shots: Shots) -> None:
    """Billit's region: the API key and its PartyID pasted (the key shown masked), before the
    check; then back to this computer's sandbox for the pictures after it."""
    from PySide6.QtTest import QTest

    wizard = _wizard(shots)
    _choose_region(shots, "be-billit")
    _click(shots, wizard.next)  # type: ignore[attr-defined]  # "Next"
    page = wizard.key_page  # type: ignore[attr-defined]
    _wizard_on(shots, page)
    QTest.keyClicks(page.key, "k3y-0f-th3-0ff1c3-p4st3d-fr0m-b1ll1t")
    QTest.keyClicks(page.party, "123456")
    _save_wizard(shots, "wizard-key")
    _click(shots, wizard.back)  # type: ignore[attr-defined]
    _wizard_on(shots, wizard.country)  # type: ignore[attr-defined]
    _choose_region(shots, "sandbox")


def wizard_client(shots: Shots) -> None:
    """A region that logs in with the office's own OAuth 2.0 client (none ships in the regions
    file: a distributor adds one), its id and secret typed; then back to the country page."""
    from PySide6.QtTest import QTest

    wizard = _wizard(shots)
    page = wizard.client_page  # type: ignore[attr-defined]
    page.set_region("Billit", None, (53682, 53683))
    wizard._go(page)  # type: ignore[attr-defined]
    QTest.keyClicks(page.client_id, "ferry-fiduciaire-dupont")
    QTest.keyClicks(page.secret, "s3cr3t-0f-th3-0ff1c3")
    _save_wizard(shots, "wizard-client")
    wizard._go(wizard.country)  # type: ignore[attr-defined]


def wizard_login(shots: Shots) -> None:
    """Logging in: the sandbox is started, the browser opened; Ferry waits for the person."""
    wizard = _wizard(shots)
    login = wizard.login_page  # type: ignore[attr-defined]
    _click(shots, wizard.next)  # type: ignore[attr-defined]  # "Log in"
    shots.wait(lambda: login.address.isVisible(), 60, "the login page in the browser")
    _save_wizard(shots, "wizard-login")


def wizard_who(shots: Shots) -> None:
    """Logged in: who, which office, which platform; the person checks it is theirs."""
    assert shots.browser is not None
    shots.browser.go.set()  # the person logs in in the browser
    wizard = _wizard(shots)
    _wizard_on(shots, wizard.who, 60)  # type: ignore[attr-defined]
    _save_wizard(shots, "wizard-who")


def _add_destination(shots: Shots, name: str, folder: str, delivered: str) -> None:
    """The destination editor, as the page's Add… opens it, filled in and saved. The folders
    are an office's Windows network share (as the Destinations tab's picture has them)."""
    from PySide6.QtWidgets import QDialogButtonBox

    from app.core.names import TargetOS

    wizard = _wizard(shots)
    _click(shots, wizard.destinations_page.add)  # type: ignore[attr-defined]
    editor = wizard.editor  # type: ignore[attr-defined]
    shots.wait(lambda: editor is not None and editor.isVisible(), 5, "the destination editor")
    editor.target = TargetOS.WINDOWS
    editor.name.setText(name)
    editor.general.set_text(folder)
    editor.format.setCurrentIndex(editor.format.findData(str(delivered)))
    editor.check_now()
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    shots.wait(save.isEnabled, 10, f"a destination editor without problems: {editor.problems()}")
    _click(shots, save)
    shots.wait(lambda: name in [d.name for d in wizard.destinations], 5, f"{name} saved")  # type: ignore[attr-defined]


def wizard_destinations(shots: Shots) -> None:
    """Where documents go: the accounting software's import folder and an archive."""
    from app.settings import DeliveryFormat

    wizard = _wizard(shots)
    _click(shots, wizard.next)  # type: ignore[attr-defined]
    _wizard_on(shots, wizard.destinations_page)  # type: ignore[attr-defined]
    share = r"\\server\accounting"
    _add_destination(
        shots, "Winbooks", share + r"\winbooks\import\[enterprise_name]", DeliveryFormat.UBL
    )
    _add_destination(
        shots,
        "Archive",
        share + r"\archive\[enterprise_name]\[year]\[document_type]",
        DeliveryFormat.UBL_PDF,
    )
    _save_wizard(shots, "wizard-destinations")


def wizard_links(shots: Shots) -> None:
    """Which clients go where: three clients to Winbooks from the start of the year, one of
    them to the archive too, ticked in its column. Not saved: the pictures end before Finish."""
    from PySide6.QtCore import QDate, QItemSelectionModel, Qt

    wizard = _wizard(shots)
    _click(shots, wizard.next)  # type: ignore[attr-defined]
    _wizard_on(shots, wizard.links_page)  # type: ignore[attr-defined]
    shots.ferry.window.resize(1280, 620)  # type: ignore[attr-defined]  # every column in sight
    links = wizard.links_page.links  # type: ignore[attr-defined]
    proxy = links.proxy
    sharing = [
        row
        for row in range(proxy.rowCount())
        if proxy.flags(proxy.index(row, links.model.destination_column("Winbooks")))
        & Qt.ItemFlag.ItemIsEnabled
    ]
    if len(sharing) < 3:
        raise RuntimeError(f"the sandbox has {len(sharing)} clients sharing their documents")
    links.destination.setCurrentIndex(links.destination.findData("Winbooks"))
    links.start.setDate(QDate(QDate.currentDate().year(), 1, 1))
    selection = links.table.selectionModel()
    for row in sharing[:3]:
        selection.select(
            proxy.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    _click(shots, links.link_selected)
    archive = proxy.index(sharing[0], links.model.destination_column("Archive"))
    proxy.setData(archive, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    shots.settle(0.3)
    _save_wizard(shots, "wizard-links")


WIZARD_SHOTS: list[tuple[str, Callable[[Shots], None]]] = [
    ("wizard-country", wizard_country),
    ("wizard-key", wizard_key),
    ("wizard-client", wizard_client),
    ("wizard-login", wizard_login),
    ("wizard-who", wizard_who),
    ("wizard-destinations", wizard_destinations),
    ("wizard-links", wizard_links),
]


# -- the screenshots, in the order they are taken ------------------------------------------------


def status_table(shots: Shots) -> None:
    """The documents as they arrive: every one Forwarded, newest first."""
    window = shots.ferry.window  # type: ignore[attr-defined]
    window.resize(1280, 640)
    window.show()
    window.tabs.setCurrentWidget(window.status_view)
    shots.settle(0.5)
    shots.save(window, "status-table")


def activity(shots: Shots) -> None:
    """The runs: the first sync, the full sync that found files picked up, the sends to the
    integrations whose deliveries failed or wait."""
    window = shots.ferry.window  # type: ignore[attr-defined]
    window.resize(1280, 640)
    window.tabs.setCurrentWidget(window.activity_view)
    shots.settle(0.3)
    shots.save(window, "activity")


def destinations(shots: Shots) -> None:
    """The Destinations tab: each destination with its format in words, its folders (the end
    of each path kept) and how many clients are linked."""
    window = shots.ferry.window  # type: ignore[attr-defined]
    window.resize(1280, 640)
    window.show()
    window.tabs.setCurrentWidget(window.destinations_view)
    view = window.destinations_view
    if view.count():
        view.table.selectRow(0)
    shots.settle(0.3)
    shots.save(window, "destinations")


def clients(shots: Shots) -> None:
    """The Clients tab: who shares documents, since when, and to which destination each goes."""
    window = shots.ferry.window  # type: ignore[attr-defined]
    window.resize(1280, 640)
    window.show()
    window.tabs.setCurrentWidget(window.clients_view)
    shots.settle(0.3)
    shots.save(window, "clients")


def destination_editor(shots: Shots) -> None:
    """A destination per kind on a network share, with one mistake: the live preview for the
    linked clients and the problem shown next to the field that causes it."""
    from app.core.names import TargetOS

    ferry = shots.ferry
    ferry._add_destination()  # type: ignore[attr-defined]  # the Destinations tab's Add…
    editor = ferry._editor  # type: ignore[attr-defined]
    assert editor is not None
    editor.name.setText("Winbooks")
    editor.split.setChecked(True)
    kinds = list(editor.per_kind)
    editor.per_kind[kinds[0]].set_text(r"\\server\winbooks\Data\[identifiant_entreprise]\inbound")
    editor.per_kind[kinds[1]].set_text(r"\\server\winbooks\Data\[identifiant_entreprise]\outbound")
    editor.per_kind[kinds[2]].set_text(r"\\server\coda\[accounting_file_id]\[year")
    editor.archive.setChecked(False)  # an import folder: the software takes files away
    editor.target = TargetOS.WINDOWS
    editor.check_now()
    editor.resize(1000, 820)
    shots.settle(0.3)
    shots.save(editor, "destination-editor")
    editor.close()


def service_login(shots: Shots) -> None:
    """What the tray app attached to the Windows service says when asked to log out or in
    again: an administrator does that, and how."""
    box = shots.ferry.say_the_service_logs_in()  # type: ignore[attr-defined]
    shots.settle(0.3)
    shots.save(box, "service-login")
    box.close()


def settings(shots: Shots) -> None:
    """The Settings dialog as it opens, once the OS said whether Ferry starts at login."""
    ferry = shots.ferry
    ferry.open_settings()  # type: ignore[attr-defined]
    shots.wait(
        lambda: ferry._settings_dialog is not None and ferry._settings_dialog.isVisible(),  # type: ignore[attr-defined]
        10,
        "the settings dialog",
    )
    dialog = ferry._settings_dialog  # type: ignore[attr-defined]
    shots.wait(lambda: dialog.start_at_login.isEnabled(), 10, "the start-at-login answer")
    shots.settle(0.3)
    shots.save(dialog, "settings")
    dialog.tabs.setCurrentIndex(1)  # the alerts: an office's own mail server, filled in
    dialog.alerts.email.setChecked(True)
    dialog.alerts.recipients.setText("boekhouding@kantoor.be, it@partner.be")
    dialog.alerts.host.setText("mail.kantoor.be")
    dialog.alerts.username.setText("ferry@kantoor.be")
    shots.settle(0.3)
    shots.save(dialog, "settings-alerts")
    dialog.reject()


def diagnostics(shots: Shots) -> None:
    """*Export diagnostics* after a zip was saved (into the shots' work folder), names hidden."""
    ferry = shots.ferry
    ferry.open_diagnostics()  # type: ignore[attr-defined]
    dialog = ferry._diagnostics_dialog  # type: ignore[attr-defined]
    shots.wait(lambda: dialog.isVisible(), 10, "the diagnostics dialog")
    dialog.hash_names.setChecked(True)
    dialog.export_to(shots.work / "ferry-diagnostics.zip")
    shots.wait(lambda: dialog.last is not None, 60, "the diagnostics zip")
    shots.settle(0.3)
    shots.save(dialog, "diagnostics")
    dialog.reject()


def status_errors(shots: Shots) -> None:
    """Documents in Error with their messages: two clients get a second destination under a
    read-only folder, and their documents are sent to the integrations again from the table
    (toolbar's Send to integrations); the engine's deliveries there are refused."""
    from PySide6.QtCore import QItemSelectionModel, Qt

    from app.gui.document_rows import Column
    from app.settings import Destination, load_settings, save_settings

    ferry = shots.ferry
    window = ferry.window  # type: ignore[attr-defined]
    view = window.status_view
    model = view.model
    home = ferry.home  # type: ignore[attr-defined]
    locked = shots.work / LOCKED_DESTINATION
    shots.wait(lambda: len({r.client_id for r in all_rows(model)}) >= 2, 30, "two clients")
    most = Counter(r.client_id for r in all_rows(model)).most_common(2)
    chosen = [client_id for client_id, _ in most]

    settings = load_settings(home.settings_dir)
    links = [
        link.model_copy(update={"destinations": [*link.destinations, LOCKED_DESTINATION]})
        if link.client_id in chosen
        else link
        for link in settings.links
    ]
    destination = Destination(
        name=LOCKED_DESTINATION, general_path=str(locked / "[enterprise_name]" / "[year]")
    )
    save_settings(
        home.settings_dir,
        settings.model_copy(
            update={"destinations": [*settings.destinations, destination], "links": links}
        ),
    )
    window.tabs.setCurrentWidget(view)
    selection = view.table.selectionModel()
    selection.clearSelection()
    wanted = [r for r in range(model.rowCount()) if model.row_at(r).client_id in chosen]
    for r in wanted:
        selection.select(
            model.index(r, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    view.send_action.trigger()  # what the toolbar button does
    shots.wait(lambda: model.count("error") >= len(wanted), 90, f"{len(wanted)} errors")

    window.resize(1280, 860)
    window.move(0, 40)  # below the tray host's panel
    window.show()
    view.table.sortByColumn(Column.STATUS, Qt.SortOrder.AscendingOrder)  # errors first
    # the table asks the state for its sorted pages: pick the row once they are there
    shots.wait(lambda: not model.busy, 30, "the sorted table")
    view.table.setColumnWidth(Column.DESTINATION, 200)
    view.table.setColumnWidth(Column.MESSAGE, 520)
    view.table.clearSelection()
    view.table.selectRow(0)
    shots.settle(0.3)
    details = view.show_details(0)  # what a double-click opens: the whole message
    details.resize(760, details.sizeHint().height())
    frame = window.frameGeometry()
    details.move(frame.right() - 800, frame.y() + 330)  # the error rows stay in sight
    shots.settle(0.6)
    shots.save_screen(frame, "status-errors", window)
    details.close()


def status_kinds(shots: Shots) -> None:
    """Every kind of row at once, sorted by status: in Error (the read-only Winbooks folder),
    Waiting (a destination on a share that is down, tried again later), and Forwarded
    documents whose files the accounting software picked up or moved (found by a full sync
    after their files were taken away, and not delivered again)."""
    from PySide6.QtCore import QItemSelectionModel, Qt

    from app.gui.document_rows import WAITING, Column
    from app.settings import Destination, load_settings, save_settings

    ferry = shots.ferry
    window = ferry.window  # type: ignore[attr-defined]
    view = window.status_view
    model = view.model
    home = ferry.home  # type: ignore[attr-defined]
    rows = all_rows(model)
    by_client = Counter(r.client_id for r in rows if r.status == "forwarded" and r.locations)
    errors = {r.client_id for r in rows if r.status == "error"}
    others = [client_id for client_id, _ in by_client.most_common() if client_id not in errors]
    if not others:
        raise RuntimeError("no client left without errors for the waiting and moved rows")
    waiting_client, moved_client = others[0], others[-1]

    # The accounting software imports two documents and moves their files away.
    taken = [r for r in rows if r.client_id == moved_client and r.status == "forwarded"][:2]
    for document in taken:
        for location in document.locations:
            Path(location).unlink(missing_ok=True)
    ferry._full_sync()  # type: ignore[attr-defined]  # what the tray's Full sync… does, confirmed
    shots.wait(
        lambda: all(model.document(r.id) and model.document(r.id).moved for r in taken),
        90,
        "the full sync's picked-up documents",
    )

    # A destination on a share that is down, for one client: its documents wait.
    settings = load_settings(home.settings_dir)
    links = [
        link.model_copy(update={"destinations": [*link.destinations, DOWN_DESTINATION]})
        if link.client_id == waiting_client
        else link
        for link in settings.links
    ]
    down = Destination(
        name=DOWN_DESTINATION, general_path=str(shots.down / "[enterprise_name]" / "[year]")
    )
    save_settings(
        home.settings_dir,
        settings.model_copy(
            update={"destinations": [*settings.destinations, down], "links": links}
        ),
    )
    selection = view.table.selectionModel()
    selection.clearSelection()
    wanted = [r for r in range(model.rowCount()) if model.row_at(r).client_id == waiting_client]
    for r in wanted[:3]:
        selection.select(
            model.index(r, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    view.send_action.trigger()  # Send to integrations: delivered again, to Server too
    shots.wait(lambda: model.count(WAITING) >= min(3, len(wanted)), 90, "waiting documents")

    window.resize(1900, 560)
    window.move(0, 40)
    window.show()
    view.table.sortByColumn(Column.STATUS, Qt.SortOrder.AscendingOrder)
    shots.wait(lambda: not model.busy, 30, "the sorted table")
    view.table.setColumnHidden(Column.DESTINATION, True)  # the message is what matters here
    view.table.setColumnHidden(Column.DATE, True)
    view.table.setColumnWidth(Column.CLIENT, 170)
    view.table.setColumnWidth(Column.MESSAGE, 1290)
    view.table.clearSelection()
    shots.settle(0.5)
    shots.save(window, "status-kinds")
    view.table.setColumnHidden(Column.DESTINATION, False)
    view.table.setColumnHidden(Column.DATE, False)


def tray_menu(shots: Shots) -> None:
    """The tray icon's menu, as a right-click on the icon opens it (state words on top)."""
    from PySide6.QtCore import QPoint, QRect

    tray = shots.ferry.tray  # type: ignore[attr-defined]
    if tray.menu is None:
        print("  tray-menu skipped: no system tray on this screen (install Xvfb and trayer)")
        return
    shots.ferry.window.hide()  # type: ignore[attr-defined]  # Ferry lives in the tray
    icon = tray.icon.geometry()
    where = icon.bottomLeft() + QPoint(0, 2) if icon.isValid() else QPoint(40, 40)
    tray.menu.popup(where)
    shots.wait(lambda: tray.menu.isVisible(), 5, "the tray menu")
    shots.settle(0.5)
    menu = tray.menu.geometry()
    area = (icon.united(menu) if icon.isValid() else menu).adjusted(-6, -4, 6, 6)
    shots.save_screen(area.intersected(QRect(0, 0, 10_000, 10_000)), "tray-menu", tray.menu)
    tray.menu.hide()


SHOTS: list[tuple[str, Callable[[Shots], None]]] = [
    ("status-table", status_table),
    ("destination-editor", destination_editor),
    ("settings", settings),
    ("service-login", service_login),
    ("diagnostics", diagnostics),
    ("status-errors", status_errors),
    ("status-kinds", status_kinds),
    ("activity", activity),  # after them: the full sync's picked-up files, the failed resends
    ("destinations", destinations),
    ("clients", clients),
    ("tray-menu", tray_menu),
]


# -- running the app -----------------------------------------------------------------------------


def all_rows(model: object) -> list[Any]:
    return [model.row_at(r) for r in range(model.rowCount())]  # type: ignore[attr-defined]


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """A folder nobody may write in: a read-only mount as root (root ignores modes), else 0o500;
    as tests/conftest.py makes it."""
    folder.mkdir(parents=True, exist_ok=True)
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if os.geteuid() == 0 and mount and umount:
        read_only = [mount, "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(folder)]
        if subprocess.run(read_only, check=False).returncode == 0:
            try:
                yield folder
            finally:
                subprocess.run([umount, "-l", str(folder)], check=False)
            return
    folder.chmod(0o500)
    try:
        yield folder
    finally:
        folder.chmod(0o700)


@contextlib.contextmanager
def share_that_is_down(folder: Path) -> Iterator[Path]:
    """A folder in which nothing can be made and that says it does not exist (ENOENT), as a
    network share that is down answers: a procfs mounted there as root, else a link into
    /proc (which refuses the same way)."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if os.geteuid() == 0 and mount and umount:
        folder.mkdir(parents=True, exist_ok=True)
        command = [mount, "-t", "proc", "proc", str(folder)]
        if subprocess.run(command, check=False).returncode == 0:
            try:
                yield folder
            finally:
                subprocess.run([umount, "-l", str(folder)], check=False)
            return
        folder.rmdir()
    folder.symlink_to("/proc")
    try:
        yield folder
    finally:
        folder.unlink()


def main() -> int:
    names = [name for name, _ in (*WIZARD_SHOTS, *SHOTS)]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=names, help="take only these")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--screen", choices=("auto", "xvfb", "offscreen"), default="auto")
    parser.add_argument(
        "--language", choices=("en", "fr", "nl"), default="en", help="the app's language"
    )
    parser.add_argument(
        "--region",
        help="the computer's regional format, as LANG names it (default: Belgium's for the "
        "language: en_BE, fr_BE, nl_BE; an office's, not the build machine's C locale)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["PYTHON_KEYRING_BACKEND"] = MEMORY_KEYRING  # before anything asks for a keyring
    # Qt reads the regional format from these, before the application exists
    os.environ.pop("LC_ALL", None)
    os.environ.pop("LC_NUMERIC", None)
    os.environ["LANG"] = f"{args.region or args.language + '_BE'}.UTF-8"
    with (
        virtual_screen(args.screen) as screen,
        tempfile.TemporaryDirectory(prefix="ferry-") as scratch,
    ):
        work = Path(scratch)
        with (
            read_only_folder(work / LOCKED_DESTINATION),
            share_that_is_down(work / "network-share"),
        ):
            return take(args, screen, work)


def take(args: argparse.Namespace, screen: str, work: Path) -> int:
    """The app as run_gui has it (qasync's loop, the English translator), then the pictures:
    the wizard's on an empty home, then the demo's."""
    import asyncio

    import qasync
    from PySide6.QtWidgets import QApplication

    from app.core.language import Language
    from app.gui.i18n import install_translator

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Ferry")
    app.setQuitOnLastWindowClosed(False)
    install_translator(app, Language(args.language), cache_dir=work / "translations")
    # The wizard's login is a coroutine on this loop; the waits below run it by spinning Qt's
    # events (made the running loop by hand, as tests/gui/test_wizard.py does).
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    print(f"Qt platform {app.platformName()}: {screen}; {dt.datetime.now():%H:%M}")
    try:
        wanted = set(args.only or [name for name, _ in (*WIZARD_SHOTS, *SHOTS)])
        steps = [name for name, _ in WIZARD_SHOTS]
        last = max((steps.index(name) for name in wanted if name in steps), default=-1)
        if last >= 0:
            take_wizard(app, args, work, WIZARD_SHOTS[: last + 1], wanted)
        if wanted & {name for name, _ in SHOTS}:
            take_demo(app, args, work, [(n, shot) for n, shot in SHOTS if n in wanted])
    finally:
        tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in tasks:
            task.cancel()
        Shots(app, None, args.out, work).wait(lambda: all(task.done() for task in tasks), 10, "")
        asyncio.events._set_running_loop(None)
        loop.close()
        asyncio.set_event_loop(None)
    return 0


def take_wizard(
    app: object,
    args: argparse.Namespace,
    work: Path,
    steps: list[tuple[str, Callable[[Shots], None]]],
    wanted: set[str],
) -> None:
    """A first start: an empty Ferry home, the wizard, this computer's sandbox to log in to."""
    import keyring

    from app.core.language import Language
    from app.demo_setup import MemoryKeyring
    from app.gui import desktop
    from app.gui.app import FerryApp
    from app.gui.wizard import WizardOptions
    from app.home import FerryHome

    keyring.set_keyring(MemoryKeyring())  # the login's refresh token stays in this process
    browser = Browser()
    ferry = FerryApp(
        FerryHome.under(work / "first-run"),
        language=Language(args.language),
        wizard_options=WizardOptions(sandbox_port=0, sandbox_seed_documents=3),
    )
    opener, desktop.open_url = desktop.open_url, browser.open
    try:
        if not ferry.start():
            raise RuntimeError("another Ferry runs for this home")
        if ferry.wizard is None:
            raise RuntimeError("no wizard: the Ferry home is not empty")
        shots = Shots(app, ferry, args.out, work, wanted=wanted.__contains__, browser=browser)
        for _name, step in steps:
            step(shots)
    finally:
        desktop.open_url = opener
        browser.go.set()  # a browser still waiting gives up at once
        ferry.shutdown()
        # the end of this app's "process": Qt deletes its windows and tray icon now
        for thing in (ferry.instance, ferry.window, ferry):
            thing.deleteLater()
        Shots(app, ferry, args.out, work).settle(0.3)


def take_demo(
    app: object,
    args: argparse.Namespace,
    work: Path,
    shots_wanted: list[tuple[str, Callable[[Shots], None]]],
) -> None:
    """``python -m app --demo``: the demo platform's clients, synced."""
    from app.core.language import Language
    from app.gui.app import FerryApp
    from app.home import FerryHome

    ferry = FerryApp(FerryHome.under(work / "home"), language=Language(args.language), demo=True)
    if not ferry.start():
        raise RuntimeError("another Ferry runs for this home")
    shots = Shots(app, ferry, args.out, work)
    try:
        model = ferry.window.status_view.model
        shots.wait(
            lambda: model.count("forwarded") >= 12 and ferry.clients, 90, "the demo's first sync"
        )
        shots.settle(2)
        for _name, shot in shots_wanted:
            shot(shots)
    finally:
        ferry.shutdown()


if __name__ == "__main__":
    sys.exit(main())
