"""Paste a new API key after the platform refused the one Ferry held (*Login needed* for a key
login): the key logins' counterpart of :mod:`app.gui.relogin`'s browser login.

The same office is required: the PartyID is the one set up, shown and not editable, and the
platform must accept the new key for it (a key of another company would sync another office's
documents into these folders). The check runs as a coroutine on the GUI's loop through the
application layer; the key goes to the keyring, ``login.json`` is written again on a worker
thread, and the engine is restarted with it by the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.application.key_login import KeyLoginPlace, log_in_with_key
from app.auth.account import StoredLogin, save_login
from app.auth.secret_store import SecretStore
from app.core.platform_kinds import DISPLAY_NAMES
from app.gui.wizard_key import KeyPage
from app.home import FerryHome
from app.platform.client import make_http_client
from app.settings import ProxySettings

log = logging.getLogger(__name__)


class KeyReloginDialog(QDialog):
    """Waits for a new key of the office already set up; ``logged_in`` on success."""

    logged_in = Signal(object)  # StoredLogin, stored in login.json; the key in the keyring

    def __init__(
        self,
        home: FerryHome,
        stored: StoredLogin,
        *,
        secrets: SecretStore | None = None,
        proxy: ProxySettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert stored.party_id is not None and stored.api_url, "a key login names both"
        self.home = home
        self.stored = stored
        self._secrets = secrets
        self._proxy = proxy or ProxySettings()
        self._task: asyncio.Task[None] | None = None
        self.setWindowTitle(self.tr("Paste a new API key"))
        self.page = KeyPage(self)
        self.page.set_platform(DISPLAY_NAMES[stored.platform])
        self.page.party.setText(str(stored.party_id))
        self.page.party.setReadOnly(True)  # the same office, or another set-up
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.log_in = self.buttons.addButton(
            self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.log_in.clicked.connect(self.start_check)
        self.buttons.rejected.connect(self.reject)
        self.page.changed.connect(self._buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.buttons)
        self._buttons()
        self.resize(640, 360)

    def start(self) -> None:
        """What the browser login's dialog does on opening; here: the key field, ready."""
        self.page.key.setFocus()

    @Slot()
    def _buttons(self) -> None:
        busy = self._task is not None and not self._task.done()
        self.log_in.setEnabled(not busy and not self.page.problems())

    @Slot()
    def start_check(self) -> None:
        typed = self.page.typed()
        if typed is None or (self._task is not None and not self._task.done()):
            return
        self.page.checking()
        self._run(self._check(typed[0]))
        self._buttons()

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        self._task = asyncio.ensure_future(work)
        self._task.add_done_callback(lambda _task: self._after())

    def _after(self) -> None:
        with contextlib.suppress(RuntimeError):  # closed (deleted) meanwhile
            self._buttons()

    async def _check(self, key: str) -> None:
        stored = self.stored
        assert stored.party_id is not None and stored.api_url
        place = KeyLoginPlace(stored.region, stored.platform, stored.api_url, stored.client_id)
        try:
            store = self._secrets
            if store is None:
                store = await asyncio.to_thread(SecretStore)
            await asyncio.to_thread(store.check)
            async with make_http_client(proxy=self._proxy) as http:
                checked = await log_in_with_key(place, key, stored.party_id, store=store, http=http)
            renewed = checked.login
            await asyncio.to_thread(save_login, self.home.settings_dir, renewed)
        except asyncio.CancelledError:
            raise  # the dialog is closing, or the app quitting
        except Exception as error:
            said = self.page.show_error(error, stored.party_id, key)
            log.warning("a new API key was not taken: %s", said)
            return
        log.info("a new API key was pasted for %s", renewed.office_name)
        self._task = None  # done: closing must not cancel it
        self.page.done()
        self.logged_in.emit(renewed)
        self.accept()

    def done(self, result: int) -> None:
        """Closing stops a check under way (nothing is kept before the platform said yes)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            with contextlib.suppress(RuntimeError):
                task.cancel()
        super().done(result)
