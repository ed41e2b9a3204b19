"""The Settings dialog driven as a person would: ticking, choosing, typing, saving; the settings
file read back, start at login checked in the OS's own place (a real XDG autostart file under a
temporary HOME, an in-memory registry for Windows), destinations and links left as they are."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from app import autostart
from app.alerts.secret import load_smtp_password
from app.auth.secret_store import SecretStore
from app.autostart import APPROVED_KEY, VALUE_NAME, Platform
from app.core.kinds import DocumentKind
from app.core.language import Language
from app.gui.i18n import install_translator
from app.gui.settings_dialog import SettingsDialog
from app.home import FerryHome
from app.settings import (
    PROXY_PROBLEM_TEXT,
    ClientLink,
    DeliveryFormat,
    Destination,
    ProxyMode,
    ProxyProblem,
    ProxySettings,
    Settings,
    load_settings,
    save_settings,
)
from tests.test_autostart import MemoryRegistry

SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
FERRY = ["/opt/Ferry app/ferry", "--home", "/srv/Ferry 'kantoor'"]


def _office_settings() -> Settings:
    return Settings(
        destinations=[
            Destination(name="Winbooks", general_path=r"C:\Winbooks\Data\[identifiant_entreprise]"),
            Destination(
                name="Archive",
                paths={DocumentKind.PURCHASE: r"\\nas\in", DocumentKind.STATEMENT: r"\\nas\coda"},
                format=DeliveryFormat.UBL_PDF,
            ),
        ],
        links=[
            ClientLink(client_id="c1", destinations=["Winbooks", "Archive"], since=SINCE),
            ClientLink(
                client_id="c2", destinations=["Archive"], accounting_file_id="D7", since=SINCE
            ),
        ],
    )


@pytest.fixture
def os_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "user home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc-xdg"))
    return home


@pytest.fixture
def home(tmp_path: Path, os_home: Path) -> FerryHome:
    ferry = FerryHome.under(tmp_path / "ferry").ensure()
    save_settings(ferry.settings_dir, _office_settings())
    return ferry


def _dialog(qtbot: QtBot, home: FerryHome, **options: object) -> SettingsDialog:
    options.setdefault("platform", Platform.LINUX)
    options.setdefault("command", FERRY)
    dialog = SettingsDialog(home, load_settings(home.settings_dir), **options)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.open()  # returns at once: no nested event loop
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.start_note.text() != "Checking…", timeout=5000)
    return dialog


def _save_button(dialog: SettingsDialog) -> QWidget:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def _tick(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a checkbox or radio button on its box, where a person clicks."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _type(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(widget, text)


def _wait_whole(qtbot: QtBot, dialog: SettingsDialog) -> None:
    """The dialog grew to show every wrapped note and problem in full."""
    layout = dialog.layout()
    label = dialog.proxy_problem
    qtbot.waitUntil(
        lambda: (
            dialog.height() >= layout.totalHeightForWidth(dialog.width())
            and label.height() >= label.heightForWidth(label.width())
        )
    )


def _save(qtbot: QtBot, dialog: SettingsDialog) -> Settings:
    with qtbot.waitSignal(dialog.saved, timeout=5000) as blocker:
        qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = blocker.args[0]
    assert isinstance(saved, Settings)
    return saved


def test_every_field_is_saved_and_read_back(qtbot: QtBot, home: FerryHome) -> None:
    dialog = _dialog(qtbot, home)
    assert dialog.windowTitle() == "Ferry settings"
    assert dialog.start_at_login.isEnabled() and not dialog.start_at_login.isChecked()
    assert dialog.language.currentText() == "System default"
    assert dialog.notifications.isChecked()
    assert dialog.full_sync_days.value() == 30
    assert dialog.proxy_system.isChecked() and not dialog.proxy_url.isEnabled()
    assert dialog.problems() == []

    _tick(qtbot, dialog.start_at_login)
    dialog.language.setCurrentIndex(dialog.language.findText("Nederlands"))
    _tick(qtbot, dialog.notifications)
    dialog.full_sync_days.selectAll()
    qtbot.keyClicks(dialog.full_sync_days, "7")
    _tick(qtbot, dialog.proxy_manual)
    assert dialog.proxy_url.isEnabled()
    _type(qtbot, dialog.proxy_url, "http://proxy.kantoor.be:3128")
    assert dialog.problems() == [] and _save_button(dialog).isEnabled()

    saved = _save(qtbot, dialog)
    expected = _office_settings().model_copy(
        update={
            "language": Language.NL,
            "notifications": False,
            "full_sync_every_days": 7,
            "proxy": ProxySettings(mode=ProxyMode.MANUAL, url="http://proxy.kantoor.be:3128"),
        }
    )
    assert saved == expected
    assert load_settings(home.settings_dir) == expected  # destinations and links untouched
    assert autostart.is_enabled(Platform.LINUX)
    assert autostart.registered_command(Platform.LINUX) == FERRY
    assert autostart.desktop_entry_path().is_file()
    stored = json.loads((home.settings_dir / "settings.json").read_text())
    assert "start_at_login" not in json.dumps(stored)  # the OS holds that, not the file


def test_the_alerts_tab_saves_its_fields_and_keeps_the_password_in_the_keyring(
    qtbot: QtBot, home: FerryHome, secret_service: dict[str, str]
) -> None:
    dialog = _dialog(qtbot, home)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["General", "Alerts"]
    dialog.tabs.setCurrentIndex(1)
    alerts = dialog.alerts
    _tick(qtbot, alerts.email)
    _type(qtbot, alerts.host, "mail.kantoor.be")
    _type(qtbot, alerts.recipients, "boekhouding@kantoor.be, it-partner.be")
    qtbot.waitUntil(lambda: not _save_button(dialog).isEnabled())  # a problem: no Save
    assert dialog.problems() == ["“it-partner.be” is not an e-mail address (name@office.be)."]
    _type(qtbot, alerts.recipients, "boekhouding@kantoor.be, it@partner.be")
    _type(qtbot, alerts.username, "ferry@kantoor.be")
    _type(qtbot, alerts.password, "sm7p-s3cr3t")
    qtbot.waitUntil(lambda: _save_button(dialog).isEnabled())
    saved = _save(qtbot, dialog)
    assert saved.alerts.email and saved.alerts.smtp_host == "mail.kantoor.be"
    assert [r.address for r in saved.alerts.recipients] == [
        "boekhouding@kantoor.be",
        "it@partner.be",
    ]
    assert load_settings(home.settings_dir).alerts == saved.alerts
    assert load_smtp_password(SecretStore()) == "sm7p-s3cr3t"  # in the keyring ...
    assert "sm7p-s3cr3t" not in (home.settings_dir / "settings.json").read_text()  # ... only


def test_an_invalid_proxy_keeps_save_disabled_with_the_problem_next_to_it(
    qtbot: QtBot, home: FerryHome
) -> None:
    dialog = _dialog(qtbot, home)
    _tick(qtbot, dialog.proxy_manual)
    assert dialog.problems() == ["Type the proxy's address, e.g. http://proxy.example.com:3128."]
    assert not _save_button(dialog).isEnabled()
    cases = {
        "proxy.kantoor.be:3128": "Start the address with http://",
        "http://anna:geheim@proxy.kantoor.be:3128": "user name or password cannot be kept",
        "http://proxy.kantoor.be": "Add the proxy's port",
        "http://proxy.kantoor.be:99999": "from 1 to 65535",
        "ftp://proxy.kantoor.be:21": "http://, https:// and socks5:// proxies only",
        "http://proxy.kantoor.be:3128/proxy.pac": "without a path",
        "http://-proxy:3128": "server name or IP address is not valid",
    }
    for text, words in cases.items():
        _type(qtbot, dialog.proxy_url, text)
        assert len(dialog.problems()) == 1 and words in dialog.problems()[0], text
        assert dialog.proxy_problem.isVisible()
        assert not _save_button(dialog).isEnabled()
        qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)  # does nothing
        _wait_whole(qtbot, dialog)  # the dialog grew to show the whole problem
    _type(qtbot, dialog.proxy_url, "  http://proxy.kantoor.be:3128 ")  # pasted with spaces
    assert dialog.problems() == [] and _save_button(dialog).isEnabled()
    # A problem in a field that is not in use does not block anything.
    _type(qtbot, dialog.proxy_url, "http://anna:geheim@proxy:1")
    assert not _save_button(dialog).isEnabled()
    _tick(qtbot, dialog.proxy_none)
    assert dialog.problems() == [] and _save_button(dialog).isEnabled()
    assert not dialog.proxy_url.isEnabled()
    saved = _save(qtbot, dialog)
    assert saved.proxy == ProxySettings(mode=ProxyMode.NONE)  # the password went nowhere
    assert "geheim" not in (home.settings_dir / "settings.json").read_text()


def test_the_dialog_words_every_proxy_problem_as_the_settings_do(
    qtbot: QtBot, home: FerryHome
) -> None:
    dialog = _dialog(qtbot, home)
    for problem in ProxyProblem:  # one English text, two places (Qt's tools read the dialog's)
        assert dialog._proxy_words(problem) == PROXY_PROBLEM_TEXT[problem]


def test_a_manual_proxy_is_kept_for_when_the_person_switches_back(
    qtbot: QtBot, home: FerryHome
) -> None:
    settings = load_settings(home.settings_dir).model_copy(
        update={"proxy": ProxySettings(mode=ProxyMode.MANUAL, url="socks5://10.1.2.3:1080")}
    )
    save_settings(home.settings_dir, settings)
    dialog = _dialog(qtbot, home)
    assert dialog.proxy_manual.isChecked()
    assert dialog.proxy_url.text() == "socks5://10.1.2.3:1080"
    _tick(qtbot, dialog.proxy_system)
    saved = _save(qtbot, dialog)
    assert saved.proxy == ProxySettings(mode=ProxyMode.SYSTEM, url="socks5://10.1.2.3:1080")


def test_settings_saved_meanwhile_elsewhere_are_kept(qtbot: QtBot, home: FerryHome) -> None:
    dialog = _dialog(qtbot, home)
    # While the dialog is open, the destination editor (or the command line) adds one.
    meanwhile = load_settings(home.settings_dir)
    meanwhile.destinations.append(Destination(name="Venice", general_path=r"D:\Venice\in"))
    meanwhile.links.append(ClientLink(client_id="c3", destinations=["Venice"], since=SINCE))
    save_settings(home.settings_dir, meanwhile)
    _tick(qtbot, dialog.notifications)
    _save(qtbot, dialog)
    final = load_settings(home.settings_dir)
    assert final == meanwhile.model_copy(update={"notifications": False})


def test_unticking_start_at_login_removes_the_entry(qtbot: QtBot, home: FerryHome) -> None:
    autostart.enable(FERRY, Platform.LINUX)
    dialog = _dialog(qtbot, home)
    assert dialog.start_at_login.isChecked() and dialog.start_note.isHidden()
    _tick(qtbot, dialog.start_at_login)
    _save(qtbot, dialog)
    assert not autostart.desktop_entry_path().exists()
    assert not autostart.is_enabled(Platform.LINUX)


def test_an_entry_for_another_ferry_is_shown_and_replaced(qtbot: QtBot, home: FerryHome) -> None:
    autostart.enable(["/old/place/ferry"], Platform.LINUX)
    dialog = _dialog(qtbot, home)
    assert dialog.start_at_login.isChecked()
    assert "from another place: /old/place/ferry" in dialog.start_note.text()
    _save(qtbot, dialog)
    assert autostart.registered_command(Platform.LINUX) == FERRY


def test_windows_task_manager_switch_is_shown_and_undone(qtbot: QtBot, home: FerryHome) -> None:
    registry = MemoryRegistry()
    command = [r"C:\Program Files\Ferry\Ferry.exe"]
    autostart.enable(command, Platform.WINDOWS, registry=registry)
    registry.values[(APPROVED_KEY.lower(), VALUE_NAME.lower())] = b"\x03" + bytes(11)
    dialog = _dialog(qtbot, home, platform=Platform.WINDOWS, registry=registry, command=command)
    assert not dialog.start_at_login.isChecked()
    assert "switched off in the system's settings" in dialog.start_note.text()
    # Saved without ticking: the person's choice in Task Manager stands.
    _save(qtbot, dialog)
    assert not autostart.is_enabled(Platform.WINDOWS, registry=registry)
    dialog = _dialog(qtbot, home, platform=Platform.WINDOWS, registry=registry, command=command)
    _tick(qtbot, dialog.start_at_login)
    _save(qtbot, dialog)
    assert autostart.is_enabled(Platform.WINDOWS, registry=registry)
    assert registry.read(autostart.RUN_KEY, VALUE_NAME) == '"C:\\Program Files\\Ferry\\Ferry.exe"'


MACHINE_WIDE_NOTE = (
    "Ferry starts at login for everyone on this computer (set when it was installed). Only an "
    "administrator can turn this off."
)
INSTALLED = [r"C:\Program Files\Ferry\Ferry.exe"]


def _installed_for_everyone() -> MemoryRegistry:
    """A registry where the installer set Ferry to start for every user (``/AUTOSTART=1``)."""
    registry = MemoryRegistry()
    line = autostart.windows_command_line(INSTALLED)
    registry.machine[(autostart.RUN_KEY.lower(), VALUE_NAME.lower())] = line
    return registry


def test_start_at_login_set_by_the_installer_is_ticked_greyed_out_and_kept(
    qtbot: QtBot, home: FerryHome
) -> None:
    registry = _installed_for_everyone()
    machine_before = dict(registry.machine)
    dialog = _dialog(qtbot, home, platform=Platform.WINDOWS, registry=registry, command=INSTALLED)
    assert dialog.start_at_login.isChecked() and not dialog.start_at_login.isEnabled()
    assert dialog.start_note.isVisible() and dialog.start_note.text() == MACHINE_WIDE_NOTE
    _tick(qtbot, dialog.start_at_login)  # greyed out: a click changes nothing
    assert dialog.start_at_login.isChecked()
    _tick(qtbot, dialog.notifications)
    saved = _save(qtbot, dialog)
    assert saved.notifications is False
    assert load_settings(home.settings_dir).notifications is False
    assert registry.machine == machine_before and registry.values == {}  # nothing written
    assert autostart.is_enabled(Platform.WINDOWS, registry=registry)


def test_saving_never_tries_to_switch_off_what_the_installer_set(
    qtbot: QtBot, home: FerryHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = _installed_for_everyone()
    autostart.enable([r"C:\Users\anna\Ferry\Ferry.exe"], Platform.WINDOWS, registry=registry)
    user_before = dict(registry.values)  # the person's own entry, from before the install
    calls: list[object] = []
    monkeypatch.setattr(autostart, "disable", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(autostart, "enable", lambda *a, **k: calls.append(a))
    dialog = _dialog(qtbot, home, platform=Platform.WINDOWS, registry=registry, command=INSTALLED)
    assert dialog.start_note.text() == MACHINE_WIDE_NOTE
    assert not dialog.start_at_login.isEnabled()
    dialog.start_at_login.setChecked(False)  # even unticked by other means than a click
    _tick(qtbot, dialog.notifications)
    assert _save(qtbot, dialog).notifications is False  # the other changes are saved
    assert calls == [] and registry.values == user_before
    assert dialog.problems() == []


def test_the_installer_s_note_follows_a_language_change(
    qtbot: QtBot, home: FerryHome, shouting: QTranslator
) -> None:
    registry = _installed_for_everyone()
    dialog = _dialog(qtbot, home, platform=Platform.WINDOWS, registry=registry, command=INSTALLED)
    QApplication.installTranslator(shouting)
    QCoreApplication.postEvent(QApplication.instance(), QEvent(QEvent.Type.LanguageChange))
    qtbot.waitUntil(lambda: dialog.start_note.text() == MACHINE_WIDE_NOTE.upper())
    assert not dialog.start_at_login.isEnabled() and dialog.start_at_login.isChecked()
    # longer words (French, Dutch; here capitals) wrap onto more lines: shown whole
    note, layout = dialog.start_note, dialog.layout()
    qtbot.waitUntil(
        lambda: (
            dialog.height() >= layout.totalHeightForWidth(dialog.width())
            and note.height() >= note.heightForWidth(note.width())
        )
    )


@pytest.fixture
def french(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    install_translator(qapp, Language.FR, cache_dir=tmp_path / "qm")
    try:
        yield
    finally:
        install_translator(qapp, Language.EN, cache_dir=tmp_path / "qm")


def test_the_installer_s_note_and_the_dates_are_shown_whole_in_french(
    qtbot: QtBot, home: FerryHome, french: None
) -> None:
    # French words make the dialog wider than its minimum; the note, two lines there, once
    # came out clipped to the height the dialog had while it said "Vérification…".
    registry = _installed_for_everyone()
    last = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    dialog = _dialog(
        qtbot,
        home,
        platform=Platform.WINDOWS,
        registry=registry,
        command=INSTALLED,
        last_full_sync=last,
    )
    # the last and next full sync in French words too, whatever language the system speaks
    assert "mars 2026" in dialog.full_sync_note.text()
    note, layout = dialog.start_note, dialog.layout()
    qtbot.waitUntil(lambda: note.text().startswith("Ferry démarre à l'ouverture de session pour"))
    assert note.text().endswith("Seul un administrateur peut désactiver ce réglage.")
    qtbot.waitUntil(
        lambda: (
            dialog.height() >= layout.totalHeightForWidth(dialog.width())
            and note.height() >= note.heightForWidth(note.width())
        )
    )


def test_on_linux_a_system_wide_entry_stays_the_person_s_to_switch_off(
    qtbot: QtBot, home: FerryHome, tmp_path: Path
) -> None:
    system = tmp_path / "etc-xdg" / "autostart"
    system.mkdir(parents=True)
    (system / autostart.DESKTOP_FILE).write_text(autostart.desktop_entry_text(FERRY))
    dialog = _dialog(qtbot, home)
    assert dialog.start_at_login.isChecked() and dialog.start_at_login.isEnabled()
    assert dialog.start_note.isHidden()
    _tick(qtbot, dialog.start_at_login)
    _save(qtbot, dialog)
    assert not autostart.is_enabled(Platform.LINUX)


def test_when_the_os_refuses_nothing_is_saved_and_the_dialog_says_why(
    qtbot: QtBot, home: FerryHome, tmp_path: Path
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "autostart").write_text("a file where the folder should be")
    before = (home.settings_dir / "settings.json").read_bytes()
    dialog = _dialog(qtbot, home)
    _tick(qtbot, dialog.start_at_login)
    _tick(qtbot, dialog.notifications)
    with qtbot.assertNotEmitted(dialog.saved, wait=300):
        qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
    assert dialog.error.text().startswith("Start at login could not be changed: the system")
    assert dialog.isVisible() and _save_button(dialog).isEnabled()
    assert (home.settings_dir / "settings.json").read_bytes() == before
    # The person unticks it and saves the rest.
    _tick(qtbot, dialog.start_at_login)
    assert _save(qtbot, dialog).notifications is False


def test_a_damaged_settings_file_is_not_overwritten(qtbot: QtBot, home: FerryHome) -> None:
    dialog = _dialog(qtbot, home)
    (home.settings_dir / "settings.json").write_text('{"destinations": [')
    _tick(qtbot, dialog.notifications)
    with qtbot.assertNotEmitted(dialog.saved, wait=300):
        qtbot.mouseClick(_save_button(dialog), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
    assert "The settings were not saved:" in dialog.error.text()
    assert "damaged" in dialog.error.text()
    assert (home.settings_dir / "settings.json").read_text() == '{"destinations": ['


def test_cancel_changes_nothing(qtbot: QtBot, home: FerryHome) -> None:
    before = (home.settings_dir / "settings.json").read_bytes()
    dialog = _dialog(qtbot, home)
    _tick(qtbot, dialog.start_at_login)
    _tick(qtbot, dialog.notifications)
    with qtbot.assertNotEmitted(dialog.saved, wait=200):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel),
            Qt.MouseButton.LeftButton,
        )
    assert not dialog.isVisible()
    assert (home.settings_dir / "settings.json").read_bytes() == before
    assert not autostart.is_enabled(Platform.LINUX)


def test_the_full_sync_schedule_says_when_it_ran_and_runs_next(
    qtbot: QtBot, home: FerryHome
) -> None:
    last = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    dialog = _dialog(qtbot, home, last_full_sync=last)
    note = dialog.full_sync_note.text()
    assert "Last full sync:" in note and "The next one runs around" in note
    assert str((last + dt.timedelta(days=30)).astimezone().year) in note
    dialog.full_sync_days.setValue(5)
    assert "The next one runs soon." in dialog.full_sync_note.text()
    assert dialog.full_sync_days.text() == "5 days"
    dialog.full_sync_days.setValue(1)
    assert dialog.full_sync_days.text() == "1 day"
    fresh = _dialog(qtbot, home)
    assert "Last full sync" not in fresh.full_sync_note.text()


def test_a_home_that_cannot_start_at_login_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    odd = FerryHome(tmp_path / "a", tmp_path / "b", tmp_path / "c", tmp_path / "d").ensure()
    dialog = SettingsDialog(odd, Settings(), platform=Platform.LINUX)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: "cannot start at login from here" in dialog.start_note.text())
    assert not dialog.start_at_login.isEnabled()


class _Shouting(QTranslator):
    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return source.upper() if context == "SettingsDialog" else ""


@pytest.fixture
def shouting() -> Iterator[QTranslator]:
    translator = _Shouting()
    yield translator
    QApplication.removeTranslator(translator)


def test_the_dialog_follows_a_language_change_while_open(
    qtbot: QtBot, home: FerryHome, shouting: QTranslator
) -> None:
    dialog = _dialog(qtbot, home)
    _tick(qtbot, dialog.proxy_manual)
    app = QApplication.instance()
    QApplication.installTranslator(shouting)
    # What Qt posts itself when a translator is installed inside the running event loop
    # (app.exec(), which qasync runs); pytest-qt's loop is not that one, so post it here.
    QCoreApplication.postEvent(app, QEvent(QEvent.Type.LanguageChange))
    qtbot.waitUntil(lambda: dialog.windowTitle() == "FERRY SETTINGS")
    assert dialog.start_at_login.text() == "START FERRY WHEN I LOG IN"
    assert dialog.language.itemText(0) == "SYSTEM DEFAULT"
    assert dialog.language.itemText(3) == "Nederlands"  # a language's own name stays
    assert dialog.problems() == ["TYPE THE PROXY'S ADDRESS, E.G. HTTP://PROXY.EXAMPLE.COM:3128."]
