"""The alerts' part of the Settings dialog: who gets an e-mail when delivery stops, through
which SMTP server, after how long; and a *Test* button.

A widget the Settings dialog places among its own (it saves :meth:`AlertsSettings.value` as
``Settings.alerts``). The password goes to the OS keyring, never to the settings file: the
dialog's save worker calls :meth:`AlertsSettings.password_work`. Everything that touches the
keyring or the network runs off the GUI thread (:class:`Background`): reading whether a
password is kept, and the test message, which may wait on a slow server for half a minute.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.alerts.mail import MailFailure, send_test
from app.alerts.secret import load_smtp_password, save_smtp_password
from app.alerts.settings import AddressProblem, AlertSettings, Recipient, address_problem
from app.auth.secret_store import SecretStore, SecretStoreError, store_for
from app.gui.background import Background
from app.gui.failure_words import language_now
from app.gui.style import PROBLEM_STYLE
from app.home import FerryHome


def split_addresses(text: str) -> list[str]:
    """Addresses as typed: separated by commas, semicolons or spaces (Outlook's ";" too)."""
    for separator in ";\n\t ":
        text = text.replace(separator, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


class AlertsSettings(QWidget):
    """The alerts' fields; ``problem_changed(bool)`` says whether one holds a problem (the
    dialog's *Save* waits for none)."""

    problem_changed = Signal(bool)
    loaded = Signal()  # the settings and whether a password is kept were read
    tested = Signal(object)  # MailFailure | None, once a test message went (or did not)

    def __init__(
        self,
        home: FerryHome,
        parent: QWidget | None = None,
        *,
        store: SecretStore | None = None,
        alerts: AlertSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._home = home
        self._store = store
        self._background = Background(self)
        self._password_kept = False
        self._languages: dict[str, Recipient] = {}  # what each known address's reader reads
        self._problem = False

        self.email = QCheckBox()
        self.recipients = QLineEdit()
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.starttls = QCheckBox()
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.from_field = QLineEdit()
        self.back_to_normal = QCheckBox()
        self.nothing_hours = QDoubleSpinBox()
        self.nothing_hours.setRange(0.5, 168.0)
        self.nothing_hours.setDecimals(1)
        self.nothing_hours.setSingleStep(0.5)
        self.unreachable_minutes = QSpinBox()
        self.unreachable_minutes.setRange(5, 24 * 60)
        self.unreachable_minutes.setSingleStep(5)
        self.engine_minutes = QSpinBox()
        self.engine_minutes.setRange(1, 24 * 60)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.hide()
        self.test_button = QPushButton()
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)

        form = QFormLayout()
        self._labels = [QLabel() for _ in range(9)]
        rows = [
            self.recipients,
            self.host,
            self.port,
            self.username,
            self.password,
            self.from_field,
            self.nothing_hours,
            self.unreachable_minutes,
            self.engine_minutes,
        ]
        for label, field in zip(self._labels, rows, strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.email)
        layout.addLayout(form)
        layout.addWidget(self.starttls)
        layout.addWidget(self.back_to_normal)
        layout.addWidget(self.problem)
        layout.addLayout(test_row)
        self._name()

        for line in (self.recipients, self.from_field, self.host):
            line.textChanged.connect(self._check)
        self.email.toggled.connect(self._check)
        self.test_button.clicked.connect(self.send_test)

        self.set_value(alerts or AlertSettings())
        if alerts is None:
            self._read()
        else:
            self._read_password()

    def _name(self) -> None:
        self.email.setText(self.tr("Send an e-mail when delivery stops"))
        texts = [
            self.tr("Recipients:"),
            self.tr("Mail server (SMTP):"),
            self.tr("Port:"),
            self.tr("User:"),
            self.tr("Password:"),
            self.tr("Sender address:"),
            self.tr("Alert when nothing is delivered for (hours):"),
            self.tr("Alert when a folder cannot be reached for (minutes):"),
            self.tr("Alert when Ferry's engine is not running for (minutes):"),
        ]
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.recipients.setPlaceholderText(self.tr("accounting@office.be, it@partner.be"))
        self.from_field.setPlaceholderText(self.tr("The first recipient"))
        self.username.setPlaceholderText(self.tr("None: the server takes mail without a login"))
        self.starttls.setText(self.tr("Encrypt the connection (STARTTLS)"))
        self.back_to_normal.setText(self.tr("Also say when things are back to normal"))
        self.test_button.setText(self.tr("Send a test e-mail"))
        self._password_hint()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._name()
            self._check()  # a problem shown is said again in the new language
        super().changeEvent(event)

    def _password_hint(self) -> None:
        self.password.setPlaceholderText(
            self.tr("Kept in the system's password store") if self._password_kept else ""
        )

    # -- values -------------------------------------------------------------------------------

    def set_value(self, alerts: AlertSettings) -> None:
        self._languages = {recipient.address: recipient for recipient in alerts.recipients}
        self.email.setChecked(alerts.email)
        self.recipients.setText(", ".join(r.address for r in alerts.recipients))
        self.host.setText(alerts.smtp_host)
        self.port.setValue(alerts.smtp_port)
        self.starttls.setChecked(alerts.starttls)
        self.username.setText(alerts.username)
        self.from_field.setText(alerts.from_address)
        self.back_to_normal.setChecked(alerts.back_to_normal)
        self.nothing_hours.setValue(alerts.nothing_delivered_minutes / 60)
        self.unreachable_minutes.setValue(round(alerts.unreachable_minutes))
        self.engine_minutes.setValue(max(1, round(alerts.engine_down_minutes)))
        self._extra = alerts  # fields this widget does not show (the login's grace) are kept
        self._check()

    def value(self) -> AlertSettings | None:
        """The settings as typed; None while a field holds a problem."""
        if self._problems():
            return None
        recipients = [
            self._languages.get(address, Recipient(address=address))
            for address in split_addresses(self.recipients.text())
        ]
        return self._extra.model_copy(
            update={
                "email": self.email.isChecked(),
                "recipients": recipients,
                "smtp_host": self.host.text().strip(),
                "smtp_port": self.port.value(),
                "starttls": self.starttls.isChecked(),
                "username": self.username.text().strip(),
                "from_address": self.from_field.text().strip(),
                "back_to_normal": self.back_to_normal.isChecked(),
                "nothing_delivered_minutes": self.nothing_hours.value() * 60,
                "unreachable_minutes": float(self.unreachable_minutes.value()),
                "engine_down_minutes": float(self.engine_minutes.value()),
            }
        )

    def password_work(self) -> Callable[[], None] | None:
        """What *Save* does with the password, for the dialog's save worker (it touches the
        keyring): keep the one typed; None when none was typed (the kept one stays)."""
        typed = self.password.text()
        if not typed:
            return None
        store = self._store_now()
        return lambda: save_smtp_password(store, typed)

    # -- problems -----------------------------------------------------------------------------

    def _problems(self) -> list[str]:
        problems: list[str] = []
        addresses = split_addresses(self.recipients.text())
        for address in addresses:
            problem = address_problem(address)
            if problem is not None:
                problems.append(self._address_words(address, problem))
        sender = self.from_field.text().strip()
        if sender and address_problem(sender) is not None:
            problems.append(
                self._address_words(sender, address_problem(sender) or AddressProblem.NO_AT)
            )
        if self.email.isChecked() and not addresses:
            problems.append(self.tr("Type at least one address to send the alerts to."))
        if self.email.isChecked() and not self.host.text().strip():
            problems.append(self.tr("Type the name or address of the office's mail server."))
        return problems

    def _address_words(self, address: str, problem: AddressProblem) -> str:
        if problem is AddressProblem.SPACES:
            text = self.tr("“%1” holds a space; separate addresses with commas.")
        elif problem is AddressProblem.NO_DOMAIN:
            text = self.tr("“%1” lacks the part after the @, such as office.be.")
        elif problem is AddressProblem.FORBIDDEN:
            text = self.tr("“%1” holds characters an e-mail address cannot have.")
        else:
            text = self.tr("“%1” is not an e-mail address (name@office.be).")
        return text.replace("%1", address)

    @Slot()
    def _check(self) -> None:
        problems = self._problems()
        self.problem.setText("\n".join(problems))
        self.problem.setVisible(bool(problems))
        if bool(problems) != self._problem:
            self._problem = bool(problems)
            self.problem_changed.emit(self._problem)
        self.test_button.setEnabled(not problems and self._test_enabled())

    def _test_enabled(self) -> bool:
        return bool(self.host.text().strip() and split_addresses(self.recipients.text()))

    @property
    def has_problem(self) -> bool:
        return self._problem

    # -- off the GUI thread -------------------------------------------------------------------

    def _store_now(self) -> SecretStore:
        return self._store or store_for(self._home)

    def _read(self) -> None:
        """The settings file's alerts and whether a password is kept, read on a worker."""
        from app.alerts.settings import alert_settings

        home, store = self._home, self._store

        def read() -> tuple[AlertSettings, bool]:
            kept = _kept(store or store_for(home))
            return alert_settings(home.settings_dir), kept

        def done(result: tuple[AlertSettings, bool]) -> None:
            self.set_value(result[0])
            self._password_kept = result[1]
            self._password_hint()
            self.loaded.emit()

        self._background.run(read, done, lambda error: self.loaded.emit(), name="ferry-alerts-read")

    def _read_password(self) -> None:
        home, store = self._home, self._store

        def done(kept: bool) -> None:
            self._password_kept = kept
            self._password_hint()
            self.loaded.emit()

        self._background.run(
            lambda: _kept(store or store_for(home)),
            done,
            lambda error: self.loaded.emit(),
            name="ferry-alerts-read",
        )

    @Slot()
    def send_test(self) -> None:
        """The *Test* button: a test message with what is typed, on a worker thread."""
        settings = self.value()
        if settings is None:
            return
        typed = self.password.text()
        store = self._store_now()
        language = language_now()

        def work() -> MailFailure | None:
            password = typed or (_password(store) if settings.username else None)
            return send_test(settings, password, language=language)

        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Sending a test e-mail…"))
        self._background.run(work, self._tested, self._test_crashed, name="ferry-alerts-test")

    def _tested(self, failure: MailFailure | None) -> None:
        self.test_button.setEnabled(self._test_enabled() and not self._problem)
        if failure is None:
            self.test_result.setStyleSheet("")
            self.test_result.setText(
                self.tr("A test e-mail went to %1.").replace(
                    "%1", ", ".join(split_addresses(self.recipients.text()))
                )
            )
        else:
            self.test_result.setStyleSheet(PROBLEM_STYLE)
            self.test_result.setText(failure.message(language_now()))
        self.tested.emit(failure)

    def _test_crashed(self, error: BaseException) -> None:
        self._tested(MailFailure.of("other", host=self.host.text().strip(), said=str(error)))


def _kept(store: SecretStore) -> bool:
    try:
        return load_smtp_password(store) is not None
    except SecretStoreError:
        return False


def _password(store: SecretStore) -> str | None:
    try:
        return load_smtp_password(store)
    except SecretStoreError:
        return None
