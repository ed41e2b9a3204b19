"""The first-run wizard's login, without widgets: what the person typed checked, the platform
asked, the login turned into a stored login, and every failure said in plain words.

The wizard runs these coroutines on the GUI's own event loop (qasync); anything that blocks
(the keyring, a file) goes to a worker thread, so the window never freezes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from PySide6.QtCore import QCoreApplication

from app.api.models import Client
from app.application.settings_changes import (
    change_settings,
    change_settings_renaming,
    replace_setup,
)
from app.auth.account import StoredLogin, save_login
from app.auth.login import LoginTarget, Tokens
from app.auth.loopback import LoginCancelled, LoginTimedOut, is_loopback_host
from app.auth.oidc import LoginError
from app.auth.secret_store import SecretStore, SecretStoreError
from app.auth.session import LoginNeeded
from app.gui.failure_words import language_now
from app.home import FerryHome
from app.login_record import record_login
from app.platform.errors import PlatformError, PlatformUnreachable
from app.settings import ClientLink, Destination, Settings, SettingsError


class SetupError(Exception):
    """A step of the set-up cannot go on; the message says why, in plain words."""


# -- a custom server's addresses ------------------------------------------------------------------


def address_problem(text: str, *, what: str) -> str | None:
    """Why ``text`` cannot be the web address of ``what`` (already translated), or None."""
    text = text.strip()
    if not text:
        return QCoreApplication.translate("SetupWizard", "Type the address of {what}.").format(
            what=what
        )
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return QCoreApplication.translate("SetupWizard", "This is not a web address.")
    if parts.scheme not in ("http", "https") or not host:
        return QCoreApplication.translate(
            "SetupWizard", "This is not a web address: it starts with https:// and a server name."
        )
    if parts.scheme == "http" and not is_loopback_host(host):
        return QCoreApplication.translate(
            "SetupWizard",
            "Use https://: Ferry sends a login only over an encrypted connection (plain http "
            "only to this computer).",
        )
    if parts.query or parts.fragment:
        return QCoreApplication.translate("SetupWizard", "The address ends before any ? or #.")
    return None


async def check_api(http: httpx.AsyncClient, api_url: str) -> None:
    """Make sure a platform API answers at ``api_url`` before anyone logs in for nothing.

    Without a login the platform must refuse ``/office`` with 401 (or 403): anything else
    means the address points elsewhere.
    """
    url = api_url.rstrip("/") + "/office"
    try:
        response = await http.get(url)
    except httpx.HTTPError as error:
        raise SetupError(
            QCoreApplication.translate(
                "SetupWizard", "The platform cannot be reached at {address} ({why})."
            ).format(address=api_url, why=_why(error))
        ) from None
    if response.status_code not in (401, 403):
        raise SetupError(
            QCoreApplication.translate(
                "SetupWizard",
                "There is no document platform at {address} (it answered {status}); check the "
                "API address.",
            ).format(address=api_url, status=response.status_code)
        )


# -- after the browser: the stored login ---------------------------------------------------------


@dataclass
class LoggedIn:
    """A finished login: who, for which office, and the office's clients."""

    login: StoredLogin
    clients: list[Client]


async def complete_login(
    target: LoginTarget, tokens: Tokens, *, store: SecretStore, http: httpx.AsyncClient
) -> LoggedIn:
    """Keep the refresh token in the keyring, then ask the platform who, which office and
    which clients.

    Nothing is written to the settings folder yet: only finishing the wizard does that, so a
    wizard left half-way starts again next time.
    """
    assert target.api_url is not None, "every region of the wizard names its API"
    login, platform = await record_login(target, tokens, store=store, http=http)
    assert platform is not None
    return LoggedIn(login, await platform.all_clients())


def save_setup(
    home: FerryHome,
    login: StoredLogin,
    destinations: list[Destination],
    links: list[ClientLink],
    renames: Mapping[str, str] | None = None,
) -> Settings:
    """Write what the wizard set (blocking: run off the GUI thread): its destinations and
    links, with what was chosen before it ran (a proxy, the language, notifications: say after
    a logout) kept, or the defaults when the file could not be read. The login last, since a
    stored login is what tells the next start that Ferry is set up."""
    home.ensure()
    if renames and any(old != new for old, new in renames.items()):
        # destinations kept from before the logout and renamed: their history follows
        settings = change_settings_renaming(
            home, renames, lambda current: replace_setup(current, destinations, links)
        )
    else:
        settings = change_settings(
            home.settings_dir,
            lambda current: replace_setup(current, destinations, links),
            replace_unreadable=True,
        )
    save_login(home.settings_dir, login)
    return settings


# -- failures in words ----------------------------------------------------------------------------


def describe_failure(error: BaseException) -> str:
    """One sentence a person can act on, for anything the login step can raise."""
    if isinstance(error, SettingsError):  # data: said in the window's language
        return error.message(language_now())
    if isinstance(error, SetupError):  # already in words
        return str(error)
    if isinstance(error, LoginCancelled):
        return QCoreApplication.translate("SetupWizard", "The login was cancelled.")
    if isinstance(error, LoginTimedOut):
        return QCoreApplication.translate(
            "SetupWizard",
            "Nobody finished the login in the browser in time. Click Log in to try again.",
        )
    if isinstance(error, LoginError):
        return QCoreApplication.translate("SetupWizard", "The login did not work: {why}.").format(
            why=_why(error)
        )
    if isinstance(error, PlatformUnreachable):
        return QCoreApplication.translate(
            "SetupWizard", "The platform cannot be reached: {why}."
        ).format(why=_why(error))
    if isinstance(error, PlatformError):
        return QCoreApplication.translate("SetupWizard", "The platform refused: {why}.").format(
            why=_why(error)
        )
    if isinstance(error, LoginNeeded):
        return QCoreApplication.translate(
            "SetupWizard", "The platform no longer accepts this login: {why}."
        ).format(why=_why(error))
    if isinstance(error, SecretStoreError):
        return str(error)
    return QCoreApplication.translate("SetupWizard", "Something went wrong: {why}.").format(
        why=_why(error)
    )


def _why(error: BaseException) -> str:
    """The error's own words, without a final full stop (the sentence around it has one)."""
    if isinstance(error, OSError) and error.strerror:
        text = error.strerror
    else:
        text = str(error).strip() or type(error).__name__
    return text.rstrip(". ")
