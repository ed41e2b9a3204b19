"""Log in again after the platform ended Ferry's login (revoked, expired, password changed).

*Login needed* is the one state a person must act on; this is where they act, without going
through the first-run wizard again: the same person, the same platform and office, the same
destinations and links. Nothing is lost meanwhile — documents wait on the platform as *To
fetch* — and the engine is restarted with the new login once it is stored.

The same person is required: a login as somebody else (a colleague's browser session) would
silently sync another office's view into these folders, so it is refused in words.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.application.oauth2_login import OAuth2Place, log_in_with_oauth2
from app.auth.account import StoredLogin, save_login
from app.auth.login import Login, LoginTarget
from app.auth.secret_store import SecretStore
from app.core.language import Language
from app.core.platform_kinds import LoginStrategy
from app.gui import desktop
from app.gui.wizard_login import SetupError, describe_failure
from app.home import FerryHome
from app.login_record import record_login
from app.platform.client import make_http_client
from app.settings import ProxySettings

log = logging.getLogger(__name__)

LOGIN_TIMEOUT_S = 600.0


class ReloginDialog(QDialog):
    """Waits for the browser login of the person already set up; ``logged_in`` on success."""

    logged_in = Signal(object)  # StoredLogin, stored in login.json and the keyring

    def __init__(
        self,
        home: FerryHome,
        stored: StoredLogin,
        *,
        secrets: SecretStore | None = None,
        proxy: ProxySettings | None = None,
        language: Language = Language.EN,
        timeout_s: float = LOGIN_TIMEOUT_S,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.stored = stored
        self._secrets = secrets
        self._proxy = proxy or ProxySettings()
        self._language = language
        self._timeout_s = timeout_s
        self._task: asyncio.Task[None] | None = None
        self.setWindowTitle(self.tr("Log in again"))
        self.intro = QLabel(
            self.tr(
                "The platform ended Ferry's login. Log in again as {who} in your browser to "
                "go on syncing for {office}; nothing is lost meanwhile."
            ).format(who=stored.who, office=stored.office_name or self.tr("the office")),
            self,
        )
        self.intro.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.failure = QLabel(self)
        self.failure.setWordWrap(True)
        self.failure.setStyleSheet("color: #b00020")
        self.failure.hide()
        self.address = QLineEdit(self)
        self.address.setReadOnly(True)
        self.copy = QPushButton(self.tr("Copy"), self)
        self.copy.clicked.connect(self._copy)
        self.reopen = QPushButton(self.tr("Open the browser again"), self)
        self.reopen.clicked.connect(self._reopen)
        address_row = QHBoxLayout()
        address_row.addWidget(self.address, 1)
        address_row.addWidget(self.copy)
        address_row.addWidget(self.reopen)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.try_again = self.buttons.addButton(
            self.tr("Try again"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.try_again.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.status)
        layout.addLayout(address_row)
        layout.addWidget(self.failure)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._show_address(None)
        self.try_again.hide()
        self.resize(560, 220)

    # -- the work -------------------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        """Open the login page in the browser and wait for the login (on the GUI's loop)."""
        if self._task is not None and not self._task.done():
            return
        self.failure.hide()
        self.try_again.hide()
        self._show_address(None)
        self.status.setText(self.tr("Opening the login page in your browser…"))
        self._run(self._log_in())

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        self._task = asyncio.ensure_future(work)

    async def _log_in(self) -> None:
        if self.stored.strategy is LoginStrategy.OAUTH2:
            await self._log_in_oauth2()
            return
        stored = self.stored
        target = LoginTarget(
            stored.region,
            stored.issuer,
            stored.api_url,
            stored.client_id,
            proxy=self._proxy,
            redirect_ports=stored.redirect_ports,
        )
        try:
            async with make_http_client(proxy=self._proxy) as http:
                store = self._secrets
                if store is None:
                    store = await asyncio.to_thread(SecretStore)
                await asyncio.to_thread(store.check)
                login = Login(target, http=http, language=self._language)
                url = await login.begin()
                self._show_address(url)
                opened = desktop.open_url(url)
                self.status.setText(
                    self.tr("Waiting for the login in your browser…")
                    if opened
                    else self.tr("No browser opened: open this address in one to log in.")
                )
                tokens = await login.finish(self._timeout_s)
                if str(tokens.claims.get("sub")) != stored.subject:
                    raise SetupError(
                        self.tr(
                            "That login is somebody else's. Log in as {who}, or set Ferry up "
                            "again for another person."
                        ).format(who=stored.who)
                    )
                self.status.setText(self.tr("Logged in. Asking the platform about the office…"))
                renewed, _ = await record_login(target, tokens, store=store, http=http)
                await asyncio.to_thread(save_login, self.home.settings_dir, renewed)
        except asyncio.CancelledError:
            raise  # cancelled by the person (the dialog is closing) or the app quitting
        except Exception as error:
            said = describe_failure(error)
            log.warning("logging in again failed: %s", said)
            self._failed(said)
            return
        log.info("logged in again as %s", renewed.who)
        self._task = None  # done: closing must not cancel it
        self.logged_in.emit(renewed)
        self.accept()

    async def _log_in_oauth2(self) -> None:
        """The same browser login for an OAuth 2.0 login (Billit's): the office's client id
        from login.json, its secret from the keyring, the same company required."""
        stored = self.stored
        assert stored.api_url is not None
        place = OAuth2Place(
            stored.region,
            stored.platform,
            stored.api_url,
            stored.issuer,  # an OAuth 2.0 login keeps its login page there
            stored.client_id,
            stored.redirect_ports,
            stored.token_url,
        )

        def open_url(url: str) -> None:
            self._show_address(url)
            opened = desktop.open_url(url)
            self.status.setText(
                self.tr("Waiting for the login in your browser…")
                if opened
                else self.tr("No browser opened: open this address in one to log in.")
            )

        try:
            store = self._secrets
            if store is None:
                store = await asyncio.to_thread(SecretStore)
            await asyncio.to_thread(store.check)
            secret = await asyncio.to_thread(store.load, stored.client_secret_name)
            if not secret:
                raise SetupError(
                    self.tr(
                        "Ferry no longer holds the client secret of this login: set Ferry up "
                        "again with it."
                    )
                )
            async with make_http_client(proxy=self._proxy) as http:
                checked = await log_in_with_oauth2(
                    place,
                    secret,
                    store=store,
                    http=http,
                    open_url=open_url,
                    language=self._language,
                    timeout=self._timeout_s,
                )
            renewed = checked.login
            if renewed.party_id != stored.party_id:
                await asyncio.to_thread(store.delete, renewed.secret_name)
                raise SetupError(
                    self.tr(
                        "That login is somebody else's. Log in as {who}, or set Ferry up "
                        "again for another person."
                    ).format(who=stored.who)
                )
            await asyncio.to_thread(save_login, self.home.settings_dir, renewed)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            said = describe_failure(error)
            log.warning("logging in again failed: %s", said)
            self._failed(said)
            return
        log.info("logged in again as %s", renewed.who)
        self._task = None
        self.logged_in.emit(renewed)
        self.accept()

    def _failed(self, text: str) -> None:
        self.status.setText("")
        self.failure.setText(text)
        self.failure.show()
        self.try_again.show()

    # -- the address, for a browser that did not open -----------------------------------------

    def _show_address(self, url: str | None) -> None:
        self.address.setText(url or "")
        for widget in (self.address, self.copy, self.reopen):
            widget.setVisible(url is not None)

    @Slot()
    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.address.text())

    @Slot()
    def _reopen(self) -> None:
        if self.address.text():
            desktop.open_url(self.address.text())

    # -- closing ------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closing stops waiting for the browser (its listener is closed by the cancel)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            with contextlib.suppress(RuntimeError):
                task.cancel()
        super().done(result)
