"""Alert e-mails on their way: one worker thread that sends them in order, so that a slow or
unreachable mail server (half a minute to give up) never holds up whoever raised the alert —
the engine's watchdog, or the tray app telling that the engine is gone.

It decides, on its worker, which changes go out: every beginning when e-mail is on; an end
("back to normal") only for an alert whose beginning went out, and only when the settings ask
for ends. The settings (when not given) and the password from the OS keyring are read there
too, so that a GUI thread that hands a change over touches neither disk nor keyring.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
from collections.abc import Iterable

from app.alerts import mail
from app.alerts.secret import load_smtp_password
from app.alerts.settings import AlertSettings, alert_settings
from app.alerts.watchdog import AlertChange
from app.auth.secret_store import SecretStore, SecretStoreError, store_for
from app.core.language import Language
from app.home import FerryHome

log = logging.getLogger(__name__)

Outcome = concurrent.futures.Future["mail.MailFailure | bool | None"]


class AlertOutbox:
    """Sends alert e-mails for ``home`` on a thread of its own."""

    def __init__(self, home: FerryHome, *, secrets: SecretStore | None = None) -> None:
        self.home = home
        self._secrets = secrets
        self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="ferry-mail")
        self._mailed: set[str] = set()  # touched on the worker only

    def send(
        self, change: AlertChange, language: Language, settings: AlertSettings | None = None
    ) -> Outcome | None:
        """Hand ``change`` over; safe from any thread, never waits. The future's result:
        False when it was not for e-mail, None when sent, else why not (a MailFailure)."""
        try:
            return self._worker.submit(self._consider, change, language, settings)
        except RuntimeError:  # closed: the process is ending
            return None

    def remember_mailed(self, keys: Iterable[str]) -> None:
        """Alerts whose beginning was mailed before a restart: their end is mailed too."""
        chosen = set(keys)
        if chosen:
            with contextlib.suppress(RuntimeError):  # closed
                self._worker.submit(self._mailed.update, chosen)

    def close(self) -> None:
        """Take nothing more; what is queued still goes (the alert may be why we stop)."""
        self._worker.shutdown(wait=False, cancel_futures=False)

    def _consider(
        self, change: AlertChange, language: Language, settings: AlertSettings | None
    ) -> mail.MailFailure | bool | None:
        settings = settings or alert_settings(self.home.settings_dir)
        if not settings.mails:
            return False
        key = change.alert.key
        if change.raised:
            self._mailed.add(key)
        elif key in self._mailed and settings.back_to_normal:
            self._mailed.discard(key)
        else:
            return False
        password = None
        if settings.username:
            try:
                password = load_smtp_password(self._secrets or store_for(self.home))
            except SecretStoreError as error:
                log.warning("the SMTP password cannot be read from the keyring: %s", error)
        return mail.send_alert(change, settings, password, language=language)
