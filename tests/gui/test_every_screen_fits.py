"""Every screen in English, French and Dutch at its default size: no header, label, button,
tab or menu text wider than the room it has (QFontMetrics against the geometry), statuses and
kinds whole in their cells; and a live switch EN → FR → NL that leaves no English word in any
window or menu (issue 16).

The screens are built directly with realistic content (long Dutch and French statuses,
kinds, names and messages), offscreen, at the size the app gives them; Ferry's real
translations are installed as the app installs them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QToolBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import autostart
from app.api.models import Client
from app.application.key_login import PartyNotReached
from app.auth.account import StoredLogin
from app.autostart import Platform
from app.core.failures import Failure, FailureCode
from app.core.kinds import DocumentKind
from app.core.language import Language
from app.core.names import TargetOS
from app.core.templates import ClientValues
from app.core.variables import VARIABLES
from app.engine.messages import EngineState, FailureInfo, RunFinished, RunStarted, StateChanged
from app.gui.client_links_model import Column as ClientColumn
from app.gui.destination_editor import DestinationEditor, PreviewClient
from app.gui.destination_editor_parts import ProblemLine
from app.gui.destinations_model import Column as DestinationColumn
from app.gui.diagnostics_dialog import DiagnosticsDialog
from app.gui.document_rows import Column, DocumentRow
from app.gui.i18n import install_translator
from app.gui.main_window import MainWindow
from app.gui.settings_dialog import SettingsDialog
from app.gui.tray import TrayController
from app.gui.wizard import SetupWizard
from app.home import FerryHome
from app.regions import RegionKind
from app.settings import ClientLink, DeliveryFormat, Destination, Settings, save_settings

LANGUAGES = (Language.EN, Language.FR, Language.NL)
NOW = dt.datetime(2026, 3, 9, 14, 2, tzinfo=dt.UTC)
CLIENT_NAMES = {
    "c1": "Bakkerij Peeters BV",
    "c2": "Garage Dubois SRL",
    "c3": "Boekhoudkantoor Van den Broeck-Vandenberghe",
}
WRITE_REFUSED = Failure.of(
    FailureCode.PERMISSION,
    destination="Winbooks",
    folder="D:\\Boekhouding\\Dubois\\2026",
    root="D:\\Boekhouding",
)
SHARE_DOWN = Failure.of(FailureCode.UNREACHABLE, destination="Archive", folder="\\\\nas\\archive")

SAME_WORDS = {
    # Words that are the same in French or Dutch (names, formats, the product).
    Language.FR: {
        "Document",
        "Client",
        "Clients",
        "Format",
        "Destinations",
        "Documents",
        "Date",
        "Type",
        "Message",
        "Actions",
        "Pause",
        "Proxy",
        "Notifications",
        "Options",
    },
    Language.NL: {
        "Account",
        "Document",
        "Platform",
        "Client",
        "Details",
        "Details…",
        "Format",
        "Status",
        "Type",
        "Proxy",
    },
}
ALWAYS_SAME = {"Ferry", "PDF", "UBL", "UBL + PDF", "OK", "Winbooks", "Sandbox", "…"}
ALWAYS_SAME |= {"PartyID"}  # Billit's own name for the field, as its settings say it
ALWAYS_SAME |= {"English", "Français", "Nederlands"}  # each language named in its own words


# -- the screens ----------------------------------------------------------------------------------


def document_rows() -> list[DocumentRow]:
    rows: list[DocumentRow] = []
    kinds = list(DocumentKind)
    plan = [
        ("forwarded", ()),
        ("error", (WRITE_REFUSED,)),
        ("to_fetch", ()),
        ("to_fetch", (SHARE_DOWN,)),  # waiting
    ]
    for n in range(1, 21):
        status, failures = plan[n % len(plan)]
        client = f"c{n % 3 + 1}"
        rows.append(
            DocumentRow(
                id=f"d{n}",
                client_id=client,
                client_name=CLIENT_NAMES[client],
                kind=kinds[n % len(kinds)].value,
                number=f"VF-2026-{n:05d}",
                issue_date=f"2026-03-{n % 28 + 1:02d}",
                amount=f"{n * 1234}.56",
                currency="EUR",
                status=status,
                message=None,
                locations=[f"D:\\Boekhouding\\{CLIENT_NAMES[client]}\\2026\\Aankoop\\VF-{n}.xml"]
                if status == "forwarded"
                else [],
                last_attempt=NOW.timestamp() - n * 60,
                failures=failures,
                next_try=NOW.timestamp() + 300 if failures and status == "to_fetch" else None,
            )
        )
    return rows


def sample_settings(tmp_path: Path) -> Settings:
    since = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return Settings(
        destinations=[
            Destination(
                name="Winbooks",
                general_path=str(tmp_path / "winbooks" / "[identifiant_entreprise]"),
            ),
            Destination(
                name="Archive",
                paths={
                    DocumentKind.PURCHASE: str(tmp_path / "archive" / "in"),
                    DocumentKind.STATEMENT: str(tmp_path / "archive" / "coda"),
                },
                format=DeliveryFormat.UBL_PDF,
            ),
        ],
        links=[
            ClientLink(client_id="c1", destinations=["Winbooks", "Archive"], since=since),
            ClientLink(
                client_id="c2", destinations=["Archive"], accounting_file_id="D7", since=since
            ),
        ],
    )


def platform_clients() -> list[Client]:
    linked = dt.datetime(2025, 3, 9, 10, 30, tzinfo=dt.UTC)
    return [
        Client(
            id=client_id,
            name=name,
            vat_number="BE0403019261",
            country="BE",
            accounting_file_id="D042" if client_id != "c3" else "",
            shares_documents=client_id != "c3",
            linked_since=linked if client_id != "c3" else None,
        )
        for client_id, name in CLIENT_NAMES.items()
    ]


def activity_runs(window: MainWindow) -> None:
    model = window.activity_view.model
    kinds = [
        "incremental",
        "catch-up",
        "full",
        "resend",
        "retry",
        "deliver-again",
        "continuous",
        "task-full",
        "task-resend",
    ]
    for run_id, kind in enumerate(kinds, start=1):
        started = NOW.timestamp() - 3600 + run_id * 60
        model.add_started(RunStarted(run_id=run_id, kind=kind, started=started))
        if run_id < len(kinds):
            model.add_finished(
                RunFinished(
                    run_id=run_id,
                    kind=kind,
                    documents=12,
                    delivered=11,
                    failed=1,
                    message=None,
                    started=started,
                    finished=started + 185,
                )
            )


def build_main_window(qtbot: QtBot, tmp_path: Path, language: Language) -> MainWindow:
    window = MainWindow(language=language, tray_available=False)
    qtbot.addWidget(window)
    view = window.status_view
    view.set_client_names(CLIENT_NAMES)
    view.set_rows(document_rows())
    settings = sample_settings(tmp_path)
    window.destinations_view.show_settings(settings)
    window.clients_view.set_settings(settings)
    window.clients_view.set_clients(platform_clients())
    activity_runs(window)
    window.show_who("Sophie Vandenberghe-Dewulf", "Boekhoudkantoor Vandenberghe")
    window.show_counts(errors=5, last_delivery=NOW)
    window.show_state(StateChanged(state=EngineState.ERRORS, errors=5, last_sync=NOW))
    window.show()
    qtbot.waitExposed(window)
    return window


def settings_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FerryHome:
    os_home = tmp_path / "user home"
    os_home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(os_home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    home = FerryHome.under(tmp_path / "ferry").ensure()
    save_settings(home.settings_dir, sample_settings(tmp_path))
    return home


def build_settings(qtbot: QtBot, home: FerryHome, tmp_path: Path) -> SettingsDialog:
    login = StoredLogin(
        region="be",
        issuer="https://login.example.com/realms/office",
        api_url="https://api.example.com/api/v1",
        client_id="ferry",
        subject="u-1",
        user_name="Sophie Vandenberghe-Dewulf",
        email="sophie@vandenberghe.be",
        office_name="Boekhoudkantoor Vandenberghe",
        logged_in_at=NOW,
    )
    dialog = SettingsDialog(
        home,
        sample_settings(tmp_path),
        platform=Platform.LINUX,
        command=["/opt/ferry/ferry"],
        last_full_sync=NOW - dt.timedelta(days=3),
        login=login,
    )
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.start_at_login.isEnabled() or bool(dialog.start_note.text()))
    qtbot.wait(50)
    return dialog


def build_diagnostics(qtbot: QtBot, home: FerryHome) -> DiagnosticsDialog:
    dialog = DiagnosticsDialog(home)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def build_editor(qtbot: QtBot, language: Language) -> DestinationEditor:
    clients = [
        PreviewClient(name, ClientValues(name, "BE0403019261", "D00042", "BE"))
        for name in CLIENT_NAMES.values()
    ]
    editor = DestinationEditor(
        clients, target=TargetOS.WINDOWS, today=dt.date(2026, 3, 9), language=language
    )
    qtbot.addWidget(editor)
    editor.name.setText("Winbooks")
    editor.general.set_text("\\\\server\\winbooks\\Data\\[identifiant_entreprise]\\inbound")
    editor.check_now()
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def wizard_pages(qtbot: QtBot, tmp_path: Path, language: Language) -> Iterator[tuple[str, QWidget]]:
    wizard = SetupWizard(FerryHome.under(tmp_path / "wizard-home"), language=language)
    qtbot.addWidget(wizard)
    wizard.resize(1200, 690)  # the main window's place, above its status bar
    wizard.show()
    qtbot.waitExposed(wizard)
    yield "wizard: country", wizard
    country = wizard.country
    country.choose(next(r.code for r in wizard.regions.regions if r.kind is RegionKind.CUSTOM))
    country.issuer.setText("login.kantoor.local")
    country.api.setText("ftp://api.kantoor.local")
    country.ports.setText("80, 80")
    yield "wizard: country, a custom server with problems", wizard
    country.speaks.setCurrentIndex(country.speaks.count() - 1)  # Billit's API, OAuth 2.0
    country.api.setText("http://api.kantoor.example")
    country.authorize.setText("mijn.kantoor.local/Account/Logon")
    country.token.setText("https://api.kantoor.example/OAuth2/token?x=1")
    yield "wizard: country, a custom Billit server with problems", wizard
    wizard.login_page.show_url("https://login.example.com/realms/office/auth?client=ferry", True)
    wizard._go(wizard.login_page)
    yield "wizard: login", wizard
    wizard.login_page.show_failure("The login server did not answer in time.")
    yield "wizard: login failed", wizard
    key_page = wizard.key_page
    key_page.set_platform("Billit")
    key_page.key.setText("k3y-0f-th3-0ff1c3")
    key_page.party.setText("123456")
    wizard._go(key_page)
    yield "wizard: API key", wizard
    key_page.show_error(PartyNotReached(123456), 123456, "k3y-0f-th3-0ff1c3")
    yield "wizard: API key refused", wizard
    wizard.client_page.set_region("Billit", None, (53682, 53683))
    wizard.client_page.client_id.setText("ferry-office-4242")
    wizard.client_page.secret.setText("s3cr3t")
    wizard._go(wizard.client_page)
    yield "wizard: OAuth 2.0 client", wizard
    login = StoredLogin(
        region="be",
        issuer="https://login.example.com/realms/office",
        api_url="https://api.example.com/api/v1",
        client_id="ferry",
        subject="u-1",
        user_name="Sophie Vandenberghe-Dewulf",
        office_name="Boekhoudkantoor Vandenberghe",
        logged_in_at=NOW,
    )
    wizard.who.show_login(login, "Belgium", 3)
    wizard._go(wizard.who)
    yield "wizard: who", wizard
    settings = sample_settings(tmp_path)
    wizard.destinations = list(settings.destinations)
    wizard.destinations_page.show_destinations(wizard.destinations)
    wizard._go(wizard.destinations_page)
    yield "wizard: destinations", wizard
    wizard.links_page.links.set_settings(settings)
    wizard.links_page.links.set_clients(platform_clients())
    wizard._go(wizard.links_page)
    yield "wizard: links", wizard


# -- measuring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clip:
    screen: str
    widget: str
    text: str
    needed: int
    available: int

    def __str__(self) -> str:
        return (
            f"{self.screen} / {self.widget} / {self.text!r} / needs {self.needed} px"
            f" / has {self.available} px"
        )


def _name(thing: QObject | None) -> str:
    parts: list[str] = []
    while thing is not None and len(parts) < 3:
        parts.append(thing.objectName() or type(thing).__name__)
        thing = thing.parent()
    return " < ".join(parts)


def _plain(text: str) -> str:
    return re.sub(r"&(?!&)", "", text).replace("&&", "&")


def _width(metrics: QFontMetrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0


def measure(screen: str, top: QWidget) -> list[Clip]:
    """Every text of ``top``'s visible widgets against the room it has."""
    clips: list[Clip] = []
    widgets = [top, *top.findChildren(QWidget)]
    for widget in widgets:
        if not _shown(widget):
            continue
        metrics = widget.fontMetrics()
        style = widget.style()
        if isinstance(widget, QLabel):
            text = widget.text()
            if text and widget.wordWrap():  # every line it wraps to must show
                tall = widget.heightForWidth(widget.width())
                if tall > widget.height():
                    clips.append(
                        Clip(screen, _name(widget) + " (height)", text, tall, widget.height())
                    )
                continue
            if not text or widget.textFormat() == Qt.TextFormat.RichText:
                continue
            if widget.textFormat() != Qt.TextFormat.PlainText and re.search(r"<\w+[^>]*>", text):
                continue
            needed = _width(metrics, _plain(text) if widget.buddy() else text)
            room = widget.contentsRect().width() - 2 * widget.margin() - max(widget.indent(), 0)
            if needed > room:
                clips.append(Clip(screen, _name(widget), text, needed, room))
        elif isinstance(widget, QAbstractButton) and widget.text():
            if isinstance(widget, QToolButton) and (
                widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
            ):
                continue
            needed = widget.sizeHint().width()
            if isinstance(widget, QPushButton):
                margin = style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, widget)
                icon = widget.iconSize().width() + 4 if not widget.icon().isNull() else 0
                needed = _width(metrics, _plain(widget.text())) + icon + margin
            if needed > widget.width():
                clips.append(Clip(screen, _name(widget), widget.text(), needed, widget.width()))
        elif isinstance(widget, QTabBar):
            clips += _tabs(screen, widget)
        elif isinstance(widget, QComboBox) and widget.currentText() and not widget.isEditable():
            option = QStyleOptionComboBox()
            widget.initStyleOption(option)
            field = style.subControlRect(
                QStyle.ComplexControl.CC_ComboBox,
                option,
                QStyle.SubControl.SC_ComboBoxEditField,
                widget,
            )
            icon = 0 if option.currentIcon.isNull() else widget.iconSize().width() + 4
            needed = _width(metrics, widget.currentText()) + icon
            if needed > field.width():
                clips.append(
                    Clip(screen, _name(widget), widget.currentText(), needed, field.width())
                )
        elif isinstance(widget, QHeaderView):
            clips += _header(screen, widget)
        elif isinstance(widget, QToolBar):
            for action in widget.actions():
                if action.isSeparator() or not action.isVisible():
                    continue
                button = widget.widgetForAction(action)
                if button is None or not button.isVisible():  # pushed into the » menu
                    needed = button.sizeHint().width() if button is not None else 1
                    clips.append(
                        Clip(screen, _name(widget) + " (overflow)", action.text(), needed, 0)
                    )
    return clips


def _tabs(screen: str, bar: QTabBar) -> list[Clip]:
    clips = []
    space = bar.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, bar)
    for i in range(bar.count()):
        text = bar.tabText(i)
        rect = bar.tabRect(i)
        needed = _width(bar.fontMetrics(), _plain(text)) + space
        available = min(rect.width(), bar.width() - rect.x())
        if needed > available:
            clips.append(Clip(screen, _name(bar) + f" tab {i}", text, needed, available))
    return clips


def _header(screen: str, header: QHeaderView) -> list[Clip]:
    if header.orientation() != Qt.Orientation.Horizontal:
        return []
    model = header.model()
    if model is None:
        return []
    clips = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        option = QStyleOptionHeader()
        header.initStyleOption(option)
        option.section = section
        option.text = str(text)
        option.fontMetrics = header.fontMetrics()
        if header.isSortIndicatorShown():
            option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
        needed = (
            header.style()
            .sizeFromContents(QStyle.ContentsType.CT_HeaderSection, option, header.size(), header)
            .width()
        )
        available = header.sectionSize(section)
        if needed > available:
            clips.append(
                Clip(screen, _name(header.parent()) + " header", str(text), needed, available)
            )
    return clips


def whole_cells(screen: str, table: QAbstractItemView, columns: list[int]) -> list[Clip]:
    """The texts of ``columns`` must show whole at the columns' widths: a status or a kind is
    a word or two, never "Doorgest…"."""
    model = table.model()
    clips: list[Clip] = []
    seen: set[tuple[int, str]] = set()
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    for column in columns:
        for row in range(model.rowCount()):
            index = model.index(row, column)
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            if not text or (column, text) in seen:
                continue
            seen.add((column, text))
            option = QStyleOptionViewItem()
            option.initFrom(table)
            option.rect = table.visualRect(index)
            option.rect.setWidth(
                table.columnWidth(column) if isinstance(table, QTableView) else option.rect.width()
            )
            delegate = table.itemDelegateForIndex(index)
            delegate.initStyleOption(option, index)
            rect = table.style().subElementRect(
                QStyle.SubElement.SE_ItemViewItemText, option, table
            )
            needed = option.fontMetrics.horizontalAdvance(text) + 2 * margin
            if needed > rect.width():
                title = model.headerData(column, Qt.Orientation.Horizontal)
                clips.append(Clip(screen, f"{title} cell", text, needed, rect.width()))
                break  # one cut cell says it for its column
    return clips


def main_window_clips(window: MainWindow) -> list[Clip]:
    """Every tab of the main window measured, and the cells that must show whole."""
    clips: list[Clip] = []
    width = window.width()
    if width > 1200:
        clips.append(Clip("main window", "its width", "", width, 1200))
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        clips += measure(f"main window, tab {window.tabs.tabText(index)}", window)
    table = window.status_view.table
    # statuses, kinds, days, amounts and times: whole, or they read wrong
    clips += whole_cells(
        "Documents",
        table,
        [
            Column.KIND,
            Column.NUMBER,
            Column.DATE,
            Column.AMOUNT,
            Column.STATUS,
            Column.LAST_ATTEMPT,
        ],
    )
    destinations = window.destinations_view.table
    clips += whole_cells(
        "Destinations",
        destinations,
        [DestinationColumn.NAME, DestinationColumn.FORMAT, DestinationColumn.CLIENTS],
    )
    clients = window.clients_view
    clips += whole_cells(
        "Clients",
        clients.table,
        [
            clients.model.column_of(column)
            for column in (
                ClientColumn.FILE_ID,
                ClientColumn.VAT,
                ClientColumn.SHARES,
                ClientColumn.LINKED_SINCE,
            )
        ],
    )
    activity = window.activity_view.table
    clips += whole_cells("Activity", activity, [1, 2])
    window.tabs.setCurrentIndex(0)
    return clips


# -- the languages -------------------------------------------------------------------------------


@pytest.fixture
def speak(qapp: QApplication, tmp_path: Path) -> Iterator[Callable[[Language], None]]:
    cache = tmp_path / "qm-cache"

    def switch(language: Language) -> None:
        assert install_translator(qapp, language, cache_dir=cache) is language
        qapp.processEvents()

    yield switch
    switch(Language.EN)


@pytest.fixture(autouse=True)
def _no_autostart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autostart, "running_platform", lambda: Platform.LINUX)


def fail_with(clips: list[Clip]) -> None:
    assert not clips, "text wider than its room:\n" + "\n".join(str(clip) for clip in clips)


# -- the tests: fitting ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.value)
def test_the_main_window_fits_every_text_at_its_default_size(
    qtbot: QtBot, tmp_path: Path, speak: Callable[[Language], None], language: Language
) -> None:
    speak(language)
    window = build_main_window(qtbot, tmp_path, language)
    clips = main_window_clips(window)
    for state in EngineState:
        failure = None
        if state is EngineState.OFFLINE:
            failure = FailureInfo.of(Failure.of(FailureCode.OFFLINE))
        window.show_state(StateChanged(state=state, errors=5, last_sync=NOW, failure=failure))
        qtbot.wait(10)
        clips += measure(f"status bar, {state.value}", window.statusBar())
        if window.width() > 1200:
            clips.append(Clip("status bar", state.value, "", window.width(), 1200))
    fail_with(clips)


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.value)
def test_the_dialogs_and_the_wizard_fit_every_text(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    speak: Callable[[Language], None],
    language: Language,
) -> None:
    speak(language)
    clips: list[Clip] = []
    window = build_main_window(qtbot, tmp_path, language)
    for view_row in range(4):  # one of each status
        details = window.status_view.show_details(view_row)
        qtbot.waitExposed(details)
        clips += measure(f"document details, {details.row.shown_status}", details)
        details.close()
    dialog = build_settings(qtbot, settings_home(tmp_path, monkeypatch), tmp_path)
    clips += measure("settings", dialog)
    dialog.proxy_manual.setChecked(True)
    dialog.proxy_url.setText("proxy.kantoor.local:3128 (de proxy van het kantoor)")
    qtbot.wait(20)
    clips += measure("settings, a proxy with a problem", dialog)
    dialog.reject()
    diagnostics = build_diagnostics(qtbot, settings_home(tmp_path, monkeypatch))
    clips += measure("export diagnostics", diagnostics)
    diagnostics.export_to(tmp_path / "diagnostics" / f"{language.value}.zip")
    qtbot.waitUntil(lambda: diagnostics.last is not None, timeout=20_000)
    qtbot.wait(20)
    clips += measure("export diagnostics, saved", diagnostics)
    diagnostics.reject()
    editor = build_editor(qtbot, language)
    clips += measure("destination editor", editor)
    editor.split.setChecked(True)
    kinds = list(editor.per_kind)
    editor.per_kind[kinds[0]].set_text("\\\\server\\winbooks\\[identifiant_entreprise]\\in")
    qtbot.keyClicks(editor.per_kind[kinds[1]].edit, "\\\\server\\coda\\[accounting_file_id]\\[year")
    qtbot.keyClicks(editor.per_kind[kinds[2]].edit, "C:\\Winbooks\\[yaer]\\<client>")
    editor.name.clear()
    qtbot.keyClicks(editor.name, "W")
    qtbot.keyClick(editor.name, Qt.Key.Key_Backspace)
    editor.check_now()
    qtbot.wait(20)
    shown = [line for line in editor.findChildren(ProblemLine) if line.isVisible() and line.text()]
    assert len(shown) >= 3, [line.text() for line in shown]  # the problems are on screen
    clips += measure("destination editor, a folder per kind, with problems", editor)
    editor.close()
    for screen, wizard in wizard_pages(qtbot, tmp_path, language):
        qtbot.wait(10)
        clips += measure(screen, wizard)
    fail_with(clips)


# -- the test: a live switch ----------------------------------------------------------------------


def _may_show(widget: QWidget) -> bool:
    """Shown, or shown once its tab or page is chosen: not hidden by the app itself (a hidden
    line sets its words when it shows)."""
    while widget is not None and not widget.isWindow():
        parent = widget.parentWidget()
        if widget.isHidden() and not isinstance(parent, QStackedWidget):
            return False
        widget = parent
    return True


def texts(top: QObject) -> Iterator[tuple[QObject, str, str]]:
    """Every word a person reads in ``top``: (object, what, text)."""
    widgets = [top] if isinstance(top, QWidget) else []
    for widget in [*widgets, *top.findChildren(QWidget)]:
        if not _may_show(widget):
            continue
        if widget.isWindow() and widget.windowTitle():
            yield widget, "title", widget.windowTitle()
        if isinstance(widget, QLabel):
            yield widget, "text", widget.text()
        elif isinstance(widget, QAbstractButton):
            yield widget, "text", widget.text()
            yield widget, "tooltip", widget.toolTip()
        elif isinstance(widget, QLineEdit):
            yield widget, "placeholder", widget.placeholderText()
        elif isinstance(widget, QGroupBox):
            yield widget, "group", widget.title()
        elif isinstance(widget, QSpinBox):
            yield widget, "suffix", widget.suffix()
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield widget, f"item {i}", widget.itemText(i)
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield widget, f"tab {i}", widget.tabText(i)
        elif isinstance(widget, QHeaderView) and widget.model() is not None:
            for i in range(widget.count()):
                yield (
                    widget,
                    f"header {i}",
                    str(widget.model().headerData(i, widget.orientation()) or ""),
                )
        if isinstance(widget, (QToolBar, QMenu)):
            for action in widget.actions():
                yield action, "text", action.text()
                yield action, "tooltip", action.toolTip()
    for action in top.findChildren(QAction):
        yield action, "text", action.text()


def _read(thing: QObject, what: str) -> str | None:
    """What ``thing`` says now; None when it is gone (a menu built again in the new language)."""
    try:
        return _read_now(thing, what)
    except RuntimeError:  # its C++ object was deleted
        return None


def _read_now(thing: QObject, what: str) -> str:
    if what == "title":
        return thing.windowTitle()
    if what == "placeholder":
        return thing.placeholderText()
    if what == "group":
        return thing.title()
    if what == "suffix":
        return thing.suffix()
    if what == "tooltip":
        return thing.toolTip()
    if what.startswith("item "):
        return thing.itemText(int(what.split()[1]))
    if what.startswith("tab "):
        return thing.tabText(int(what.split()[1]))
    if what.startswith("header "):
        return str(thing.model().headerData(int(what.split()[1]), thing.orientation()) or "")
    return thing.text()


NAMES = (
    *CLIENT_NAMES.values(),
    "Sophie Vandenberghe-Dewulf",
    "Boekhoudkantoor Vandenberghe",
    "Winbooks",
    "Archive",
    "Belgium",
    "Billit",
)
"""The sample's names: the same in every language."""

_ADDRESS_OR_PATH = re.compile(
    r"[\w.+-]+@[\w.-]+|https?://\S+|[A-Za-z]:\\\S*|\\\\\S*|(?<!\w)/\S+|\S*\[\w+\]\S*"
)


def same_in(language: Language, text: str) -> bool:
    """Whether ``text`` may read the same in ``language`` as in English: once names,
    addresses and paths are taken out, every word left is one the language shares."""
    words = _plain(text).strip()
    if words in ALWAYS_SAME or words in SAME_WORDS[language]:
        return True
    for name in NAMES:
        words = words.replace(name, " ")
    words = _ADDRESS_OR_PATH.sub(" ", words)
    words = re.sub(r"\b[A-Z]+-[\d-]+", " ", words)  # document numbers (VF-2026-00019)
    shared = {word for phrase in ALWAYS_SAME | SAME_WORDS[language] for word in phrase.split()}
    return all(word in shared for word in re.findall(r"[^\W\d_]{2,}", words))


def test_a_live_switch_to_french_then_dutch_leaves_no_english_word(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    speak: Callable[[Language], None],
) -> None:
    speak(Language.EN)
    window = build_main_window(qtbot, tmp_path, Language.EN)
    tray = TrayController()
    dialog = build_settings(qtbot, settings_home(tmp_path, monkeypatch), tmp_path)
    diagnostics = build_diagnostics(qtbot, settings_home(tmp_path, monkeypatch))
    tops: list[tuple[str, QObject]] = [
        ("main window", window),
        ("tray", tray),
        ("settings", dialog),
        ("export diagnostics", diagnostics),
    ]
    english = [
        (screen, thing, what, text)
        for screen, top in tops
        for thing, what, text in texts(top)
        if text.strip()
    ]
    assert len(english) > 80, english  # a walk that found the screens' words
    try:
        for language in (Language.FR, Language.NL):
            speak(language)
            tray.retranslate()  # as the app does: the tray is no widget
            qtbot.wait(20)
            left = []
            for screen, thing, what, text in english:
                now = _read(thing, what)
                if now == text and not same_in(language, text):
                    left.append(f"{screen} / {_name(thing)} / {what} / {text!r}")
            assert not left, f"still English in {language.value}:\n" + "\n".join(sorted(set(left)))
            # and every word switched to fits where the English one did
            fail_with(main_window_clips(window) + measure("settings", dialog))
    finally:
        tray.hide()
        tray.deleteLater()


def test_the_wizard_follows_a_live_switch_too(
    qtbot: QtBot, tmp_path: Path, speak: Callable[[Language], None]
) -> None:
    """Settings can be opened from the tray while the wizard is up: a language saved there
    applies to every page at once."""
    speak(Language.EN)
    pages = wizard_pages(qtbot, tmp_path, Language.EN)
    screens = [(screen, wizard) for screen, wizard in pages]  # every page filled in
    wizard = screens[-1][1]
    assert isinstance(wizard, SetupWizard)
    wizard.country.choose(
        next(r.code for r in wizard.regions.regions if r.kind is RegionKind.CUSTOM)
    )
    wizard.login_page.reset()  # the failure shown last is the test's own English
    wizard.login_page.show_url("https://login.example.com/realms/office/auth", False)
    english = [(thing, what, text) for thing, what, text in texts(wizard) if text.strip()]
    assert len(english) > 40, english
    for language in (Language.FR, Language.NL):
        speak(language)
        qtbot.wait(20)
        left = [
            f"{_name(thing)} / {what} / {text!r}"
            for thing, what, text in english
            if _read(thing, what) == text and not same_in(language, text)
        ]
        assert not left, f"still English in {language.value}:\n" + "\n".join(sorted(set(left)))
        clips: list[Clip] = []
        for page in (
            wizard.country,
            wizard.login_page,
            wizard.key_page,
            wizard.client_page,
            wizard.who,
            wizard.destinations_page,
        ):
            wizard._go(page)
            QApplication.processEvents()
            clips += measure(f"wizard after the switch, {type(page).__name__}", wizard)
        fail_with(clips)


def _still_english(
    qtbot: QtBot, top: QWidget, speak: Callable[[Language], None]
) -> dict[str, list[str]]:
    """What ``top``, built in English, still says in English after a switch to French and
    then to Dutch."""
    english = [(thing, what, text) for thing, what, text in texts(top) if text.strip()]
    assert len(english) > 10, english
    left: dict[str, list[str]] = {}
    for language in (Language.FR, Language.NL):
        speak(language)
        qtbot.wait(20)
        left[language.value] = sorted(
            {
                f"{_name(thing)} / {what} / {text!r}"
                for thing, what, text in english
                if _read(thing, what) == text and not same_in(language, text)
            }
        )
    return {language: words for language, words in left.items() if words}


def test_an_open_destination_editor_follows_a_live_switch(
    qtbot: QtBot, speak: Callable[[Language], None]
) -> None:
    speak(Language.EN)
    editor = build_editor(qtbot, Language.EN)
    left = _still_english(qtbot, editor, speak)
    assert not left, left
    fail_with(measure("destination editor after the switch", editor))
    dutch = {f"[{variable.spelling(Language.NL)}]" for variable in VARIABLES}
    assert dutch <= set(editor.general.completion.spellings)  # "[" offers the Dutch names


def test_open_document_details_follow_a_live_switch(
    qtbot: QtBot, tmp_path: Path, speak: Callable[[Language], None]
) -> None:
    speak(Language.EN)
    window = build_main_window(qtbot, tmp_path, Language.EN)
    details = window.status_view.show_details(1)
    qtbot.waitExposed(details)
    left = _still_english(qtbot, details, speak)
    assert not left, left
