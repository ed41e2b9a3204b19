"""The pages of the first-run wizard: where, logging in, who, destinations, client links
(the client links screen itself, embedded).

Pages only show and collect; the wizard (:mod:`app.gui.wizard`) moves between them and does
the work. Every string goes through Qt's translation under the ``SetupWizard`` context.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.auth.account import StoredLogin
from app.core.language import Language
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.gui.client_links import ClientLinksView
from app.gui.i18n import current_language
from app.gui.style import PROBLEM_STYLE as ERROR_STYLE
from app.gui.wizard_login import address_problem
from app.regions import Region, RegionKind, RegionsFile, redirect_ports_problem
from app.settings import Destination


def _title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


def _text(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def _problem_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _show_problem(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


CUSTOM_KINDS: tuple[tuple[PlatformName, LoginStrategy], ...] = (
    (PlatformName.FERRY, LoginStrategy.OIDC),
    (PlatformName.BILLIT, LoginStrategy.API_KEY),
    (PlatformName.BILLIT, LoginStrategy.OAUTH2),
)
"""What a *Custom server* may speak, in the order offered: Ferry's API first (as before)."""


class CountryPage(QWidget):
    """Where the office's platform is: a country, this computer's sandbox, or a custom server.

    A custom server names the API it speaks and how Ferry logs in there, then only the
    addresses that login needs: an OpenID issuer; nothing beside the API for a key (the key
    page asks for it); the login page and, when not beside the API, the token endpoint for
    OAuth 2.0 (the client page asks for the client id and secret, so the secret never sits
    in a field of this page or a settings file). :meth:`region` gives the wizard what was
    typed as a region, so each login runs the one way it runs for a listed region.
    """

    changed = Signal()

    def __init__(self, regions: RegionsFile, language: Language, parent: QWidget) -> None:
        super().__init__(parent)
        self._regions = regions
        self._language = language
        self.list = QListWidget(self)
        for region in regions.regions:
            item = QListWidgetItem(region.name(language), self.list)
            item.setData(Qt.ItemDataRole.UserRole, region.code)
        self.list.setCurrentRow(0)
        self.list.currentRowChanged.connect(self._chosen)
        self.issuer = QLineEdit(self)
        self.issuer.setPlaceholderText("https://login.example.com/realms/office")
        self.issuer_problem = _problem_label(self)
        self.api = QLineEdit(self)
        self.api.setPlaceholderText("https://api.example.com/api/v1")
        self.api_problem = _problem_label(self)
        self.ports = QLineEdit(self)
        self.ports.setPlaceholderText("53682, 53683")
        self.ports_problem = _problem_label(self)
        self.speaks = QComboBox(self)
        for platform, login in CUSTOM_KINDS:
            self.speaks.addItem("", (platform.value, login.value))
        self.authorize = QLineEdit(self)
        self.authorize.setPlaceholderText("https://my.example.com/Account/Logon")
        self.authorize_problem = _problem_label(self)
        self.token = QLineEdit(self)
        self.token.setPlaceholderText("https://api.example.com/OAuth2/token")
        self.token_problem = _problem_label(self)
        self.custom = QWidget(self)
        form = self._form = QFormLayout(self.custom)
        form.setContentsMargins(0, 0, 0, 0)
        self.speaks_label = QLabel(self.custom)
        self.issuer_label = QLabel(self.custom)
        self.api_label = QLabel(self.custom)
        self.authorize_label = QLabel(self.custom)
        self.token_label = QLabel(self.custom)
        self.ports_label = QLabel(self.custom)
        form.addRow(self.speaks_label, self.speaks)
        form.addRow(self.issuer_label, self.issuer)
        form.addRow("", self.issuer_problem)
        form.addRow(self.api_label, self.api)
        form.addRow("", self.api_problem)
        form.addRow(self.authorize_label, self.authorize)
        form.addRow("", self.authorize_problem)
        form.addRow(self.token_label, self.token)
        form.addRow("", self.token_problem)
        form.addRow(self.ports_label, self.ports)
        form.addRow("", self.ports_problem)
        for field in (self.issuer, self.api, self.authorize, self.token, self.ports):
            field.textChanged.connect(self._check)
        self.speaks.currentIndexChanged.connect(self._speaks_chosen)
        self.failure = _problem_label(self)
        layout = QVBoxLayout(self)
        self.title = _title("", self)
        self.intro = _text("", self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        self._retranslate()
        rows = self.list.count()
        self.list.setMaximumHeight(
            self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth() + 8
        )
        layout.addWidget(self.list)
        layout.addWidget(self.custom)
        layout.addWidget(self.failure)
        layout.addStretch(1)
        self._speaks_chosen()
        self._chosen()

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Welcome to Ferry"))
        self.intro.setText(
            self.tr(
                "Ferry brings your clients' documents from the document platform into the "
                "folders your accounting software reads. First: where is your office's "
                "platform?"
            )
        )
        self.speaks_label.setText(self.tr("Platform and login"))
        words = {
            LoginStrategy.OIDC: self.tr("Ferry's API, login in the browser (OpenID Connect)"),
            LoginStrategy.API_KEY: self.tr("Billit's API, with an API key and PartyID"),
            LoginStrategy.OAUTH2: self.tr("Billit's API, with OAuth 2.0 (client id and secret)"),
        }
        for index, (_platform, login) in enumerate(CUSTOM_KINDS):
            self.speaks.setItemText(index, words[login])
        self.issuer_label.setText(self.tr("Login server (OpenID issuer)"))
        self.api_label.setText(self.tr("Platform API address"))
        self.authorize_label.setText(self.tr("Login page address"))
        self.token_label.setText(self.tr("Token address (optional)"))
        self.ports_label.setText(self.tr("Fixed redirect ports (optional)"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        """A language switch (from Settings, opened from the tray): every word at once, the
        countries named in the new language, the problems said again."""
        if event.type() == QEvent.Type.LanguageChange:
            self._language = current_language() or self._language
            for row in range(self.list.count()):
                item = self.list.item(row)
                region = self._regions.get(str(item.data(Qt.ItemDataRole.UserRole)))
                if region is not None:
                    item.setText(region.name(self._language))
            self._retranslate()
            self._check()
        super().changeEvent(event)

    def region(self) -> Region | None:
        """The region chosen; for a custom server, what was typed, as a region (its
        addresses only once they are all usable: :meth:`problems` says what is missing)."""
        item = self.list.currentItem()
        if item is None:
            return None
        region = self._regions.get(str(item.data(Qt.ItemDataRole.UserRole)))
        if region.kind is not RegionKind.CUSTOM:
            return region
        platform, login = self.custom_kind()
        if self._custom_problems():
            return region.model_copy(update={"platform": platform, "login": login})
        typed: dict[str, object] = {
            "platform": platform.value,
            "login": login.value,
            "api_url": self.api.text().strip().rstrip("/"),
            "redirect_ports": list(self.redirect_ports() or region.redirect_ports),
        }
        if login is LoginStrategy.OIDC:
            typed["issuer"] = self.issuer.text().strip().rstrip("/")
        if login is LoginStrategy.OAUTH2:
            typed["authorize_url"] = self.authorize.text().strip()
            typed["token_url"] = self.token.text().strip() or None
        return Region.model_validate({**region.model_dump(mode="json"), **typed})

    def custom_kind(self) -> tuple[PlatformName, LoginStrategy]:
        """The platform and login chosen for a custom server."""
        platform, login = self.speaks.currentData()
        return PlatformName(platform), LoginStrategy(login)

    def choose(self, code: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.list.setCurrentRow(row)
                return
        raise KeyError(code)

    def is_custom(self) -> bool:
        region = self.region()
        return region is not None and region.kind is RegionKind.CUSTOM

    def problems(self) -> list[str]:
        """What keeps the person from logging in with what is chosen and typed."""
        if self.region() is None:
            return [self.tr("Choose where your office's platform is.")]
        if not self.is_custom():
            return []
        return self._custom_problems()

    def _custom_problems(self) -> list[str]:
        """What is wrong with the addresses the chosen login needs (only those)."""
        found = [problem for _label, problem in self._address_problems()]
        return [problem for problem in [*found, self._ports_problem()] if problem]

    def _uses_ports(self) -> bool:
        """A browser login comes back to a loopback port; a key login has none."""
        return self.custom_kind()[1] is not LoginStrategy.API_KEY

    def _address_problems(self) -> list[tuple[QLabel, str | None]]:
        """Each address field the chosen login needs, with its problem label and problem."""
        _platform, login = self.custom_kind()
        checked = [(self.api_problem, self.api, self.tr("the platform API"))]
        if login is LoginStrategy.OIDC:
            checked.insert(0, (self.issuer_problem, self.issuer, self.tr("the login server")))
        if login is LoginStrategy.OAUTH2:
            checked.append((self.authorize_problem, self.authorize, self.tr("the login page")))
            if self.token.text().strip():  # optional: beside the API when left empty
                checked.append((self.token_problem, self.token, self.tr("the token endpoint")))
        return [(label, address_problem(field.text(), what=what)) for label, field, what in checked]

    def redirect_ports(self) -> tuple[int, ...] | None:
        """The fixed redirect ports typed for a custom server; None when none were typed (then
        the regions file's, or a port the OS picks)."""
        text = self.ports.text().replace(",", " ").split()
        if not text:
            return None
        ports = tuple(int(word) for word in text if word.isdigit())
        return ports if len(ports) == len(text) and not redirect_ports_problem(ports) else None

    def _ports_problem(self) -> str | None:
        """Why the typed ports cannot be used: only a login server that registered Ferry with
        fixed ports needs them, so an empty field is fine."""
        words = self.ports.text().replace(",", " ").split()
        if not words or not self._uses_ports():
            return None
        if not all(word.isdigit() for word in words) or redirect_ports_problem(
            [int(word) for word in words]
        ):
            return self.tr(
                "Give the redirect ports as different numbers between 1024 and 65535, "
                "separated by commas."
            )
        return None

    def show_failure(self, text: str | None) -> None:
        _show_problem(self.failure, text)

    @Slot()
    def _chosen(self) -> None:
        self.custom.setVisible(self.is_custom())
        self.show_failure(None)
        self._check()

    @Slot()
    def _check(self) -> None:
        if self.is_custom():
            fields = (self.issuer, self.api, self.authorize, self.token)
            typed = any(field.text() for field in fields)
            for label in (
                self.issuer_problem,
                self.api_problem,
                self.authorize_problem,
                self.token_problem,
            ):
                _show_problem(label, None)
            # Say nothing before the person typed anything: an empty form is not a mistake.
            for label, problem in self._address_problems():
                _show_problem(label, problem if typed else None)
            _show_problem(self.ports_problem, self._ports_problem())
        self.changed.emit()

    @Slot()
    def _speaks_chosen(self) -> None:
        """Only the fields the chosen login needs: a key needs no login server or port."""
        _platform, login = self.custom_kind()
        form = self._form
        for widget, shown in (
            (self.issuer, login is LoginStrategy.OIDC),
            (self.authorize, login is LoginStrategy.OAUTH2),
            (self.token, login is LoginStrategy.OAUTH2),
            (self.ports, login is not LoginStrategy.API_KEY),
        ):
            form.setRowVisible(widget, shown)
        self.show_failure(None)
        self._check()


class LoginPage(QWidget):
    """Progress of the browser login, the address to copy, and how it ended."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.status = _text("", self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: nobody knows how long a person takes to log in
        self.progress.setTextVisible(False)
        self.url_note = _text("", self)
        self.url = QLineEdit(self)
        self.url.setReadOnly(True)
        self.copy = QPushButton(self)
        self.copy.clicked.connect(self._copy)
        self.reopen = QPushButton(self)
        self._shown: tuple[str, bool] | None = None  # the address shown, and whether it opened
        self._failed = False
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(self.copy)
        row.addWidget(self.reopen)
        self.address = QWidget(self)
        inner = QVBoxLayout(self.address)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.url_note)
        inner.addLayout(row)
        self.failure = _problem_label(self)
        layout = QVBoxLayout(self)
        self.title = _title("", self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.address)
        layout.addWidget(self.failure)
        layout.addStretch(1)
        self._retranslate()
        self.reset()

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Log in"))
        self.copy.setText(self.tr("Copy"))
        self.reopen.setText(self.tr("Open the browser again"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        """A language switch: the page's own words at once (a step the wizard is in says its
        next words in the new language)."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self._failed:
                self.status.setText(self.tr("The login did not finish."))
            elif self._shown is not None:
                self._say_url(self._shown[1])
            else:
                self.status.setText(self.tr("Preparing the login…"))
        super().changeEvent(event)

    def reset(self) -> None:
        self._shown, self._failed = None, False
        self.status.setText(self.tr("Preparing the login…"))
        self.progress.show()
        self.address.hide()
        self.url.clear()
        _show_problem(self.failure, None)

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def show_url(self, url: str, opened: bool) -> None:
        self.url.setText(url)
        self.url.setCursorPosition(0)
        self._shown = (url, opened)
        self._say_url(opened)
        self.address.show()

    def _say_url(self, opened: bool) -> None:
        if opened:
            self.status.setText(
                self.tr(
                    "Log in on the page that opened in your browser. When the browser says "
                    "you are logged in, come back here."
                )
            )
            self.url_note.setText(self.tr("No page opened? Copy this address into a browser:"))
        else:
            self.status.setText(self.tr("No browser could be opened on this computer."))
            self.url_note.setText(
                self.tr("Copy this address into a browser and log in there; Ferry waits here:")
            )

    def show_failure(self, text: str) -> None:
        self._failed = True
        self.progress.hide()
        self.address.hide()
        self.status.setText(self.tr("The login did not finish."))
        _show_problem(self.failure, text)

    @Slot()
    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.url.text())


class WhoPage(QWidget):
    """Who is logged in, for which office: the person checks it is the right one."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.who = _text("", self)
        self.office = _text("", self)
        self.where = _text("", self)
        self.clients = _text("", self)
        font = QFont(self.office.font())
        font.setBold(True)
        self.office.setFont(font)
        self.title = _title("", self)
        self.not_right = _text("", self)
        self._login: tuple[StoredLogin, str, int] | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.who)
        layout.addWidget(self.office)
        layout.addWidget(self.where)
        layout.addWidget(self.clients)
        layout.addWidget(self.not_right)
        layout.addStretch(1)
        self._retranslate()

    def _retranslate(self) -> None:
        self.title.setText(self.tr("You are logged in"))
        self.not_right.setText(
            self.tr("Not the right account or office? Go back and log in with another one.")
        )
        if self._login is not None:
            self.show_login(*self._login)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()  # the platform's name follows with the wizard's show_login
        super().changeEvent(event)

    def show_login(self, login: StoredLogin, region_name: str, client_count: int) -> None:
        self._login = (login, region_name, client_count)
        self.who.setText(self.tr("Logged in as {who}").format(who=login.who))
        self.office.setText(
            self.tr("Office: {office}").format(office=login.office_name or self.tr("(no name)"))
        )
        self.where.setText(
            self.tr("Platform: {region} ({address})").format(
                region=region_name, address=login.api_url
            )
        )
        self.clients.setText(
            self.tr("The office has %n client(s) on the platform.", "", client_count)
        )


class DestinationsPage(QWidget):
    """The accounting-software configurations; at least one is needed to go on."""

    add_requested = Signal()
    edit_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.add = QPushButton(self)
        self.edit = QPushButton(self)
        self.remove = QPushButton(self)
        self.add.clicked.connect(self.add_requested)
        self.edit.clicked.connect(self._edit)
        self.remove.clicked.connect(self._remove)
        self.list.itemDoubleClicked.connect(self._edit)
        self.list.currentRowChanged.connect(self._selection)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add)
        buttons.addWidget(self.edit)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        self.title = _title("", self)
        self.intro = _text("", self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        self.empty_note = _text("", self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_note)
        layout.addLayout(buttons)
        self._retranslate()
        self._selection()

    def _retranslate(self) -> None:
        self.add.setText(self.tr("Add…"))
        self.edit.setText(self.tr("Edit…"))
        self.remove.setText(self.tr("Remove"))
        self.title.setText(self.tr("Where documents go"))
        self.intro.setText(
            self.tr(
                "Add the folders your accounting software imports from (Winbooks, "
                "Adsolut, an archive...). Each one is a configuration with a name, one "
                "folder or a folder per kind of document, and the format to deliver. "
                "Paths may hold variables such as [enterprise_name] or [year]."
            )
        )
        self.empty_note.setText(self.tr("Add at least one to go on."))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def show_destinations(self, destinations: list[Destination]) -> None:
        self.list.clear()
        for destination in destinations:
            where = destination.general_path or ", ".join(
                f"{kind.folder_word}: {path}" for kind, path in destination.paths.items()
            )
            item = QListWidgetItem(f"{destination.name} — {where}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, destination.name)
        if destinations:
            self.list.setCurrentRow(self.list.count() - 1)
        self.empty_note.setVisible(not destinations)
        self._selection()

    def _current(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    @Slot()
    def _edit(self) -> None:
        name = self._current()
        if name is not None:
            self.edit_requested.emit(name)

    @Slot()
    def _remove(self) -> None:
        name = self._current()
        if name is not None:
            self.remove_requested.emit(name)

    @Slot()
    def _selection(self) -> None:
        chosen = self._current() is not None
        self.edit.setEnabled(chosen)
        self.remove.setEnabled(chosen)


class LinksPage(QWidget):
    """Which clients go where: the client links screen, embedded (no *Save* of its own)."""

    def __init__(self, language: Language, parent: QWidget) -> None:
        super().__init__(parent)
        self.links = ClientLinksView(self, language=language, embedded=True)
        self.failure = _problem_label(self)
        self.title = _title(self.tr("Link your clients"), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.links, 1)
        layout.addWidget(self.failure)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        if event.type() == QEvent.Type.LanguageChange:
            self.title.setText(self.tr("Link your clients"))
        super().changeEvent(event)

    def show_failure(self, text: str | None) -> None:
        _show_problem(self.failure, text)
