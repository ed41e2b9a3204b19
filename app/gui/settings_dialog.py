"""The Settings dialog: start at login, language, notifications, the full-sync schedule, proxy.

Everything it shows is read or written off the GUI thread (:class:`Background`): whether Ferry
starts at login lives in the OS (a registry value, a desktop entry, a LaunchAgent), and the
settings file may sit on a slow disk. *Save* re-reads the settings file on the worker and
changes only this dialog's fields, so destinations and client links saved meanwhile by another
window or the command line are kept. Start at login is applied first: if the OS refuses, the
dialog says why next to the checkbox and nothing is saved. When the installer set Ferry to start
at login for every user of the computer (Windows' machine-wide Run entry), the box is shown ticked
and greyed out with a note saying so: only an administrator can turn that off, and *Save* leaves
start at login as it is.

It is opened with ``open()``, never ``exec()`` (a nested event loop re-enters qasync's
coroutines), and announces the new settings through ``saved``; the application applies them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, QTime, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import autostart
from app.application.settings_changes import Preferences, change_preferences, change_settings
from app.auth.account import StoredLogin
from app.auth.secret_store import SecretStoreError
from app.autostart import AutostartError, Platform, Registry
from app.core.language import Language
from app.gui import i18n
from app.gui.alerts_settings import AlertsSettings
from app.gui.background import Background
from app.gui.style import PROBLEM_STYLE
from app.home import FerryHome
from app.settings import (
    ProxyMode,
    ProxyProblem,
    ProxySettings,
    Settings,
    proxy_url_problem,
    socks_supported,
)

_LANGUAGES = (  # each language in its own words, as language pickers show them
    (Language.EN, "English"),
    (Language.FR, "Français"),
    (Language.NL, "Nederlands"),
)


@dataclass(frozen=True)
class _LoginStart:
    """What the OS says about starting Ferry at login, and how this Ferry starts."""

    enabled: bool
    registered: list[str] | None  # what the OS starts (even when switched off there)
    command: list[str] | None  # this Ferry's command; None when it cannot start at login
    problem: str = ""  # why it cannot
    machine_wide: bool = False  # started for every user by the installer: not this person's


class SettingsDialog(QDialog):
    """Ferry's preferences; *Save* stays disabled while a field has a problem."""

    saved = Signal(object)  # Settings, as written
    log_out_requested = Signal()  # the person wants to log out (the app asks and does it)
    diagnostics_requested = Signal()  # Export diagnostics… (the app opens its dialog)

    def __init__(
        self,
        home: FerryHome,
        settings: Settings,
        *,
        last_full_sync: dt.datetime | None = None,
        platform: Platform | None = None,
        registry: Registry | None = None,
        command: list[str] | None = None,
        login: StoredLogin | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``login``: who is logged in, with a way to log out; None (the demo): no such part."""
        super().__init__(parent)
        self.setObjectName("settings-dialog")
        self._login = login
        self._home = home
        self._platform = platform or autostart.running_platform()
        self._registry = registry
        if last_full_sync is not None and last_full_sync.tzinfo is None:
            last_full_sync = last_full_sync.replace(tzinfo=dt.UTC)
        self._last_full_sync = last_full_sync
        self._background = Background(self)
        self._login_start: _LoginStart | None = None  # None until the OS answered
        self._login_start_failure = ""
        self._given_command = command
        self._saving = False
        self.setMinimumWidth(560)
        # Notes and problems wrap and change while the dialog is open: it grows to show them
        # (once per burst of changes, after the layout has taken the new texts in).
        self._fit = QTimer(self)
        self._fit.setSingleShot(True)
        self._fit.setInterval(0)
        self._fit.timeout.connect(self._grow_to_fit)

        self.start_at_login = QCheckBox(self)
        self.start_at_login.setEnabled(False)
        self.start_note = QLabel(self)
        self.start_note.setWordWrap(True)
        self.language = QComboBox(self)
        self.language.addItem("", None)
        for language, name in _LANGUAGES:
            self.language.addItem(name, language.value)
        self.notifications = QCheckBox(self)
        self.full_sync_days = QSpinBox(self)
        self.full_sync_days.setRange(1, 365)
        self.full_sync_note = QLabel(self)
        self.full_sync_note.setWordWrap(True)
        self.proxy_system = QRadioButton(self)
        self.proxy_none = QRadioButton(self)
        self.proxy_manual = QRadioButton(self)
        self._proxy_group = QButtonGroup(self)
        for button in (self.proxy_system, self.proxy_none, self.proxy_manual):
            self._proxy_group.addButton(button)
        self.proxy_url = QLineEdit(self)
        self.proxy_url.setPlaceholderText("http://proxy.example.com:3128")
        self.proxy_problem = QLabel(self)
        self.proxy_problem.setWordWrap(True)
        self.proxy_problem.setStyleSheet(PROBLEM_STYLE)
        self.proxy_problem.hide()
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(PROBLEM_STYLE)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.diagnostics = QPushButton(self)  # apart, on the left: it is no answer to the dialog
        self.diagnostics.clicked.connect(self.diagnostics_requested)

        self._account = QGroupBox(self)
        account = QHBoxLayout(self._account)
        self.who = QLabel(self)
        self.who.setWordWrap(True)
        self.log_out = QPushButton(self)
        self.log_out.clicked.connect(self.log_out_requested)
        account.addWidget(self.who, 1)
        account.addWidget(self.log_out)
        self._account.setVisible(login is not None)
        self._general = QGroupBox(self)
        general = QFormLayout(self._general)
        general.addRow(self.start_at_login)
        general.addRow(self.start_note)
        self._language_label = QLabel(self)
        general.addRow(self._language_label, self.language)
        general.addRow(self.notifications)
        self._sync = QGroupBox(self)
        sync = QFormLayout(self._sync)
        self._full_sync_label = QLabel(self)
        sync.addRow(self._full_sync_label, self.full_sync_days)
        sync.addRow(self.full_sync_note)
        self._network = QGroupBox(self)
        network = QVBoxLayout(self._network)
        network.addWidget(self.proxy_system)
        network.addWidget(self.proxy_none)
        network.addWidget(self.proxy_manual)
        manual = QVBoxLayout()
        manual.setContentsMargins(24, 0, 0, 0)  # under its radio button: it belongs to it
        manual.addWidget(self.proxy_url)
        manual.addWidget(self.proxy_problem)
        network.addLayout(manual)
        self.alerts = AlertsSettings(home, alerts=settings.alerts)
        self.alerts.problem_changed.connect(lambda _problem: self.check_now())
        self.alerts.loaded.connect(self._fit.start)
        self.alerts.tested.connect(lambda _failure: self._fit.start())
        general_page = QWidget()
        general_tab = QVBoxLayout(general_page)
        general_tab.addWidget(self._account)
        general_tab.addWidget(self._general)
        general_tab.addWidget(self._sync)
        general_tab.addWidget(self._network)
        general_tab.addStretch(1)
        alerts_page = QWidget()
        alerts_tab = QVBoxLayout(alerts_page)
        self.alerts_note = QLabel()
        self.alerts_note.setWordWrap(True)
        alerts_tab.addWidget(self.alerts_note)
        alerts_tab.addWidget(self.alerts)
        alerts_tab.addStretch(1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(general_page, "")
        self.tabs.addTab(alerts_page, "")
        self.tabs.currentChanged.connect(lambda _index: self._fit.start())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.diagnostics)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self._load(settings)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        self.proxy_url.textChanged.connect(self.check_now)
        self._proxy_group.buttonToggled.connect(self.check_now)
        self.full_sync_days.valueChanged.connect(self._show_full_sync_note)
        self.retranslate()
        self._read_login_start()

    # -- reading --------------------------------------------------------------------------------

    def _load(self, settings: Settings) -> None:
        code = settings.language.value if settings.language is not None else None
        self.language.setCurrentIndex(max(0, self.language.findData(code)))
        self.notifications.setChecked(settings.notifications)
        self.full_sync_days.setValue(settings.full_sync_every_days)
        self.proxy_url.setText(settings.proxy.url or "")
        {
            ProxyMode.SYSTEM: self.proxy_system,
            ProxyMode.NONE: self.proxy_none,
            ProxyMode.MANUAL: self.proxy_manual,
        }[settings.proxy.mode].setChecked(True)

    def _read_login_start(self) -> None:
        platform, registry, home = self._platform, self._registry, self._home
        given = self._given_command

        def read() -> _LoginStart:
            command, problem = given, ""
            if command is None:
                try:  # looks for pythonw.exe on the disk: not on the GUI thread either
                    command = autostart.command_for_this_app(home, platform=platform)
                except AutostartError as error:
                    problem = str(error)
            return _LoginStart(
                autostart.is_enabled(platform, registry=registry),
                autostart.registered_command(platform, registry=registry),
                command,
                problem,
                autostart.machine_wide(platform, registry=registry),
            )

        self._background.run(read, self._login_start_read, self._login_start_unreadable)

    def _login_start_read(self, state: _LoginStart) -> None:
        self._login_start = state
        self.start_at_login.setChecked(state.enabled or state.machine_wide)
        self.start_at_login.setEnabled(self._login_start_changeable() and not self._saving)
        self._show_start_note()

    def _login_start_changeable(self) -> bool:
        """Whether this person can change start at login here: the OS answered, this Ferry can
        start at login, and no installer set it for every user (only an administrator can)."""
        state = self._login_start
        return state is not None and state.command is not None and not state.machine_wide

    def _login_start_unreadable(self, error: BaseException) -> None:
        self._login_start_failure = str(error)
        self._show_start_note()

    # -- showing --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text in the current language (again after a language change)."""
        self.setWindowTitle(self.tr("Ferry settings"))
        self._account.setTitle(self.tr("Account"))
        if self._login is not None:
            self.who.setText(
                self.tr("Logged in as {who} for {office}, at {address}").format(
                    who=self._login.who,
                    office=self._login.office_name or "—",
                    address=self._login.api_url or self._login.issuer,
                )
            )
        self.log_out.setText(self.tr("Log out…"))
        self._general.setTitle(self.tr("General"))
        self.tabs.setTabText(0, self.tr("General"))
        self.tabs.setTabText(1, self.tr("Alerts"))
        self.alerts_note.setText(
            self.tr(
                "When delivery stops (nothing delivered while documents wait, a folder out of "
                "reach, a login needed, Ferry not running), Ferry says so once: a notification "
                "here, the Windows event log for the service, and, if you want, an e-mail."
            )
        )
        self._sync.setTitle(self.tr("Full sync"))
        self._network.setTitle(self.tr("Connection to the platform"))
        self.start_at_login.setText(self.tr("Start Ferry when I log in"))
        self._language_label.setText(self.tr("Language"))
        self.language.setItemText(0, self.tr("System default"))
        self.notifications.setText(
            self.tr("Notify me when documents cannot be delivered or a login is needed")
        )
        self._full_sync_label.setText(self.tr("Run a full sync every"))
        self.proxy_system.setText(self.tr("Use the system's proxy settings"))
        self.proxy_none.setText(self.tr("No proxy"))
        self.proxy_manual.setText(self.tr("Use this proxy:"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.diagnostics.setText(self.tr("Export diagnostics…"))
        self._show_start_note()
        self._show_full_sync_note()
        self.check_now()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_start_note(self) -> None:
        state = self._login_start
        if self._login_start_failure:
            note = self.tr("Ferry cannot tell whether it starts at login: %1").replace(
                "%1", self._login_start_failure
            )
        elif state is None:
            note = self.tr("Checking…")
        elif state.machine_wide:
            note = self.tr(
                "Ferry starts at login for everyone on this computer (set when it was "
                "installed). Only an administrator can turn this off."
            )
        elif state.problem:
            note = self.tr("Ferry cannot start at login from here: %1").replace("%1", state.problem)
        elif state.registered is not None and not state.enabled:
            note = self.tr(
                "Starting Ferry at login was switched off in the system's settings; tick the "
                "box and save to switch it on again."
            )
        elif state.enabled and state.registered != state.command:
            note = self.tr(
                "At login the system starts Ferry from another place: %1. Save to start this "
                "Ferry instead."
            ).replace("%1", " ".join(state.registered or []))
        else:
            note = ""
        self.start_note.setText(note)
        self.start_note.setVisible(bool(note))
        self._fit.start()

    @Slot()
    def _show_full_sync_note(self) -> None:
        days = self.full_sync_days.value()
        self.full_sync_days.setSuffix(self.tr(" day") if days == 1 else self.tr(" days"))
        last = self._last_full_sync
        about = self.tr(
            "A full sync compares everything the platform holds for your linked clients with "
            "what was delivered, and delivers again whatever is missing."
        )
        if last is None:
            self.full_sync_note.setText(about)
            return
        following = last + dt.timedelta(days=days)
        if following <= dt.datetime.now(dt.UTC):
            next_one = self.tr("The next one runs soon.")
        else:
            next_one = self.tr("The next one runs around %1.").replace("%1", _day(following))
        last_one = self.tr("Last full sync: %1.").replace("%1", _moment(last))
        self.full_sync_note.setText(f"{about}\n{last_one} {next_one}")
        self._fit.start()

    @Slot()
    def _grow_to_fit(self) -> None:
        # A note that wraps onto more lines reaches the dialog's own hints only once its group's
        # layout has taken it in (one more round of posted layout requests): take it in now.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        # Wider too when a line that never wraps grew (a check box's words after a switch to
        # French): the explicit minimum width keeps Qt from growing the dialog by itself.
        width = max(self.width(), self.minimumSizeHint().width())
        needed = self.heightForWidth(width) if self.hasHeightForWidth() else -1
        needed = max(needed, self.sizeHint().height(), self.minimumSizeHint().height())
        if needed > self.height() or width > self.width():
            self.resize(width, max(needed, self.height()))

    # -- checking --------------------------------------------------------------------------------

    def proxy(self) -> ProxySettings | None:
        """The proxy as chosen, or None while the address has a problem."""
        if self._proxy_problem_text():
            return None
        url = self.proxy_url.text().strip()
        if self.proxy_manual.isChecked():
            return ProxySettings(mode=ProxyMode.MANUAL, url=url)
        kept = url if url and proxy_url_problem(url) is None else None  # for switching back
        mode = ProxyMode.NONE if self.proxy_none.isChecked() else ProxyMode.SYSTEM
        return ProxySettings(mode=mode, url=kept)

    def _proxy_problem_text(self) -> str:
        if not self.proxy_manual.isChecked():
            return ""
        url = self.proxy_url.text().strip()
        problem = proxy_url_problem(url)
        if problem is None:
            if url.lower().startswith("socks") and not socks_supported():
                return self.tr(
                    "This installation of Ferry cannot use SOCKS proxies; give an http:// proxy."
                )
            return ""
        return self._proxy_words(problem)

    def _proxy_words(self, problem: ProxyProblem) -> str:
        if problem is ProxyProblem.EMPTY:
            return self.tr("Type the proxy's address, e.g. http://proxy.example.com:3128.")
        if problem is ProxyProblem.NOT_AN_ADDRESS:
            return self.tr(
                "This is not a proxy address: it holds spaces or control characters. Write it "
                "as http://proxy.example.com:3128."
            )
        if problem is ProxyProblem.NO_SCHEME:
            return self.tr(
                "Start the address with http://, https:// or socks5://, e.g. "
                "http://proxy.example.com:3128."
            )
        if problem is ProxyProblem.SCHEME:
            return self.tr("Ferry can use http://, https:// and socks5:// proxies only.")
        if problem is ProxyProblem.CREDENTIALS:
            return self.tr(
                "A user name or password cannot be kept in the proxy address: Ferry's settings "
                "are a plain file. Ask for a proxy rule that lets this computer through without "
                "one."
            )
        if problem is ProxyProblem.HOST:
            return self.tr("The proxy's server name or IP address is not valid.")
        if problem is ProxyProblem.NO_PORT:
            return self.tr("Add the proxy's port after a colon, e.g. proxy.example.com:3128.")
        if problem is ProxyProblem.PORT:
            return self.tr("The port must be a number from 1 to 65535.")
        return self.tr(
            "Give only the proxy's address and port, without a path or anything after them."
        )

    @Slot()
    def check_now(self) -> None:
        """Show each problem next to its field; Save only when there is none."""
        manual = self.proxy_manual.isChecked()
        self.proxy_url.setEnabled(manual and not self._saving)
        problem = self._proxy_problem_text()
        if problem != self.proxy_problem.text():
            self.proxy_problem.setText(problem)
            self.proxy_problem.setVisible(bool(problem))
            self._fit.start()
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not problem and not self.alerts.has_problem and not self._saving)

    def problems(self) -> list[str]:
        """Every problem shown now, for tests and accessibility."""
        shown = [self.proxy_problem.text()] if self.proxy_problem.isVisible() else []
        if self.alerts.problem.isVisibleTo(self) and self.alerts.problem.text():
            shown.append(self.alerts.problem.text())
        return shown + ([self.error.text()] if self.error.isVisible() else [])

    # -- saving ----------------------------------------------------------------------------------

    def _changes(self) -> Preferences | None:
        proxy = self.proxy()
        alerts = self.alerts.value()
        if proxy is None or alerts is None:
            return None
        code = self.language.currentData()
        return Preferences(
            language=Language(code) if code else None,
            notifications=self.notifications.isChecked(),
            full_sync_every_days=self.full_sync_days.value(),
            proxy=proxy,
            alerts=alerts,
        )

    def _login_start_change(self) -> bool | None:
        """True to enable (or point at this Ferry), False to disable, None to leave it (always
        when the installer set it for every user: disabling cannot turn that off, and would
        fail the whole save)."""
        state = self._login_start
        if state is None or state.command is None or state.machine_wide:
            return None
        wanted = self.start_at_login.isChecked()
        if wanted and (not state.enabled or state.registered != state.command):
            return True
        if not wanted and state.enabled:
            return False
        return None

    @Slot()
    def _save(self) -> None:
        self.check_now()
        changes = self._changes()
        if changes is None or self._saving:
            return
        settings_dir = self._home.settings_dir
        login_start = self._login_start_change()
        command = self._login_start.command if self._login_start else None
        platform, registry = self._platform, self._registry
        keep_password = self.alerts.password_work()  # the SMTP password typed, to the keyring

        def work() -> Settings:
            if keep_password is not None:
                keep_password()
            if login_start is True and command is not None:
                autostart.enable(command, platform, registry=registry)
            elif login_start is False:
                autostart.disable(platform, registry=registry)
            # applied to the file as it is now: destinations and links edited meanwhile stay
            return change_settings(
                settings_dir, lambda current: change_preferences(current, changes)
            )

        self._set_saving(True)
        self.error.hide()
        self._background.run(work, self._saved, self._save_failed, name="ferry-settings-save")

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        for widget in (
            self.language,
            self.notifications,
            self.full_sync_days,
            self.proxy_system,
            self.proxy_none,
            self.proxy_manual,
            self.alerts,
        ):
            widget.setEnabled(not saving)
        self.start_at_login.setEnabled(not saving and self._login_start_changeable())
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not saving)
        self.check_now()

    def _saved(self, settings: Settings) -> None:
        self._set_saving(False)
        self.saved.emit(settings)
        self.accept()

    def _save_failed(self, error: BaseException) -> None:
        self._set_saving(False)
        if isinstance(error, AutostartError):
            text = self.tr("Start at login could not be changed: %1").replace("%1", str(error))
        elif isinstance(error, SecretStoreError):
            text = self.tr(
                "The mail server's password could not be kept in the system's password store: %1"
            ).replace("%1", str(error))
        else:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            text = self.tr("The settings were not saved: %1").replace("%1", str(reason))
        self.error.setText(text)
        self.error.show()
        self._fit.start()


def _moment(moment: dt.datetime) -> str:
    local = moment.astimezone() if moment.tzinfo else moment
    time = i18n.ferry_locale().toString(QTime(local.hour, local.minute), "HH:mm")
    return f"{_day(local)} {time}"


def _day(moment: dt.datetime) -> str:
    local = moment.astimezone() if moment.tzinfo else moment
    return i18n.ferry_locale().toString(
        QDate(local.year, local.month, local.day), QLocale.FormatType.LongFormat
    )
