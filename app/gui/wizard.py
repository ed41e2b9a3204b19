"""The first-run wizard: where → log in → who → destinations → client links → done.

Logging in is what the region's platform needs: the browser (OpenID Connect) on the login
page; an API key and its PartyID pasted on the key page (Billit), checked with the platform
through the application layer before the wizard goes on; or the office's OAuth 2.0 client id
and secret on the client page, then the browser on the login page (Billit).

It lives in the main window until Ferry is set up. The login is a coroutine on the GUI's own
event loop (qasync): the browser is opened through :func:`app.gui.desktop.open_url`, the
loopback listener waits without blocking anything, and *Cancel* really stops it. What blocks
(starting the sandbox platform, the keyring, writing the settings) runs on worker threads.

Nothing is written to the settings folder before *Finish*: a wizard left half-way starts again
at the next launch. The refresh token goes to the OS keyring as soon as the login succeeds,
since it must never be kept anywhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

import httpx
from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.application.key_login import KeyLoginPlace, log_in_with_key
from app.application.oauth2_login import OAuth2Place, log_in_with_oauth2
from app.application.settings_changes import (
    SettingsRefused,
    remove_destination,
    save_destination,
)
from app.auth.account import StoredLogin
from app.auth.login import LOGIN_TIMEOUT_S, Login, LoginTarget
from app.auth.secret_store import SecretStore
from app.core.language import Language
from app.core.platform_kinds import DISPLAY_NAMES, LoginStrategy
from app.gui import desktop
from app.gui.destination_editor import DestinationEditor
from app.gui.i18n import current_language
from app.gui.preview_clients import preview_clients
from app.gui.wizard_key import KeyPage
from app.gui.wizard_login import (
    LoggedIn,
    SetupError,
    check_api,
    complete_login,
    describe_failure,
    save_setup,
)
from app.gui.wizard_oauth import ClientPage
from app.gui.wizard_pages import CountryPage, DestinationsPage, LinksPage, LoginPage, WhoPage
from app.home import FerryHome
from app.local_sandbox import LocalSandbox
from app.platform.client import make_http_client
from app.regions import Region, RegionKind, RegionsFile, regions
from app.sandbox.defaults import DEFAULT_PORT, DEFAULT_SEED_DOCUMENTS
from app.settings import (
    Destination,
    ProxySettings,
    Settings,
    SettingsError,
    load_settings,
)

log = logging.getLogger(__name__)


def _os_keyring() -> SecretStore:
    """The OS keyring (finding its backend may talk to D-Bus: not on the GUI thread)."""
    return SecretStore()


def _stored_proxy(home: FerryHome) -> ProxySettings:
    """The proxy already chosen in the home's settings (blocking: reads the file), else the
    system's: the wizard must still be able to log in when that file cannot be used."""
    try:
        return load_settings(home.settings_dir).proxy
    except SettingsError as error:
        log.warning("the wizard uses the system's proxy settings: %s", error)
        return ProxySettings()


@dataclass(frozen=True)
class WizardOptions:
    """What a test (or a later Settings screen) may change about the wizard's defaults."""

    sandbox_port: int = DEFAULT_PORT
    sandbox_seed_documents: int = DEFAULT_SEED_DOCUMENTS
    login_timeout_s: float = LOGIN_TIMEOUT_S


@dataclass
class SetupResult:
    """What the wizard set up, already saved; the sandbox is the app's to stop from now on."""

    login: StoredLogin
    settings: Settings
    sandbox: LocalSandbox | None


class SetupWizard(QWidget):
    """The wizard's pages and the work between them."""

    completed = Signal(object)  # SetupResult

    def __init__(
        self,
        home: FerryHome,
        *,
        language: Language,
        options: WizardOptions | None = None,
        regions_file: RegionsFile | None = None,
        secrets: SecretStore | None = None,
        initial: Settings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``initial``: settings kept from an earlier set-up (after a logout): its destinations
        and links are where the wizard starts, to keep or change."""
        super().__init__(parent)
        self.home = home
        self.language = language
        self.options = options or WizardOptions()
        self.regions = regions_file or regions()
        self._secrets = secrets
        self._sandbox: LocalSandbox | None = None
        self._task: asyncio.Task[None] | None = None
        self._url = ""
        self.logged_in: LoggedIn | None = None
        self._region: Region | None = None
        self.destinations: list[Destination] = []
        self._initial_links = list(initial.links) if initial is not None else []
        #: Each destination kept from the earlier set-up, by its name then and its name now:
        #: what Ferry delivered there follows a rename when the set-up is saved.
        self._renames = {d.name: d.name for d in initial.destinations} if initial else {}
        self.editor: DestinationEditor | None = None

        self.country = CountryPage(self.regions, language, self)
        self.login_page = LoginPage(self)
        self.key_page = KeyPage(self)
        self.client_page = ClientPage(self)
        self.who = WhoPage(self)
        self.destinations_page = DestinationsPage(self)
        self.links_page = LinksPage(language, self)
        self.stack = QStackedWidget(self)
        for page in (
            self.country,
            self.login_page,
            self.key_page,
            self.client_page,
            self.who,
            self.destinations_page,
            self.links_page,
        ):
            self.stack.addWidget(page)

        self.back = QPushButton(self)
        self.next = QPushButton(self)
        self.next.setDefault(True)
        self.cancel = QPushButton(self)
        footer = QHBoxLayout()
        footer.addWidget(self.back)
        footer.addStretch(1)
        footer.addWidget(self.cancel)
        footer.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

        self.back.clicked.connect(self._back)
        self.next.clicked.connect(self._next)
        self.cancel.clicked.connect(self.cancel_login)
        self.country.changed.connect(self._buttons)
        self.key_page.changed.connect(self._buttons)
        self.client_page.changed.connect(self._buttons)
        self.login_page.reopen.clicked.connect(self._reopen)
        self.destinations_page.add_requested.connect(self._add_destination)
        self.destinations_page.edit_requested.connect(self._edit_destination)
        self.destinations_page.remove_requested.connect(self._remove_destination)
        self.links_page.links.add_destination_requested.connect(self._add_destination)
        self._busy = False  # a login or the final save is under way
        self._closing = False
        if initial is not None and initial.destinations:
            self._set_destinations(list(initial.destinations))
        self._buttons()

    # -- navigation ---------------------------------------------------------------------------

    def page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _go(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        self._buttons()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's API
        """A language switch (Settings can be opened from the tray meanwhile): the footer, the
        platform's name on the who page, and the browser's login page from then on."""
        if event.type() == QEvent.Type.LanguageChange:
            self.language = current_language() or self.language
            self._buttons()
            if self.logged_in is not None and self._region is not None:
                self.who.show_login(
                    self.logged_in.login,
                    self._region.name(self.language),
                    len(self.logged_in.clients),
                )
        super().changeEvent(event)

    @Slot()
    def _buttons(self) -> None:
        """The footer for the page shown: what may be done next, and only that."""
        page = self.page()
        self.back.setText(self.tr("Back"))
        self.cancel.setText(self.tr("Cancel"))
        waiting = self._busy
        logging_in = page in (self.login_page, self.key_page)
        self.back.setVisible(page is not self.country)
        self.cancel.setVisible(logging_in and waiting)
        self.back.setEnabled(not waiting)
        self.next.setVisible(not logging_in or not waiting)
        if page is self.country:
            region = self.country.region()
            asks_first = region is not None and region.login is not LoginStrategy.OIDC
            self.next.setText(self.tr("Next") if asks_first else self.tr("Log in"))
            self.next.setEnabled(not self.country.problems())
        elif page is self.client_page:
            self.next.setText(self.tr("Log in"))
            self.next.setEnabled(not waiting and not self.client_page.problems())
        elif page is self.key_page:
            self.next.setText(self.tr("Log in"))
            self.next.setEnabled(not waiting and not self.key_page.problems())
        elif page is self.login_page:
            self.next.setText(self.tr("Try again"))
            self.next.setEnabled(not waiting)
        elif page is self.who:
            self.next.setText(self.tr("Next"))
            self.next.setEnabled(True)
        elif page is self.destinations_page:
            self.next.setText(self.tr("Next"))
            self.next.setEnabled(bool(self.destinations))
        else:
            self.next.setText(self.tr("Finish"))
            self.next.setEnabled(not waiting)

    @Slot()
    def _next(self) -> None:
        page = self.page()
        if page is self.country and self._with_key(self.country.region()):
            self.ask_for_key()
        elif page is self.country and self._with_client(self.country.region()):
            self.ask_for_client()
        elif page is self.client_page or (
            page is self.login_page and self._with_client(self._region)
        ):
            self.start_oauth_login()
        elif page is self.key_page:
            self.start_key_login()
        elif page in (self.country, self.login_page):
            self.start_login()
        elif page is self.who:
            self._go(self.destinations_page)
        elif page is self.destinations_page:
            self._go(self.links_page)
        elif page is self.links_page:
            self._run(self._finish())

    @Slot()
    def _back(self) -> None:
        page = self.page()
        if page is self.who and self._with_key(self._region):
            self._forget_login()
            self.key_page.reset()
            self._go(self.key_page)
        elif page in (self.who, self.login_page) and self._with_client(self._region):
            if page is self.who:
                self._forget_login()
            self._go(self.client_page)
        elif page in (self.login_page, self.key_page, self.client_page, self.who):
            if page is self.who:
                self._forget_login()
            self._go(self.country)
        elif page is self.destinations_page:
            self._go(self.who)
        elif page is self.links_page:
            self.links_page.show_failure(None)
            self._go(self.destinations_page)

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        self._busy = True
        self._task = asyncio.ensure_future(work)
        self._task.add_done_callback(self._task_done)
        self._buttons()

    def _idle(self) -> None:
        """The work is over (whatever it says next): the footer offers the next step at once."""
        self._busy = False
        self._buttons()

    def _task_done(self, _task: asyncio.Task[None]) -> None:
        if self._busy:
            with contextlib.suppress(RuntimeError):  # the wizard was closed (deleted) meanwhile
                self._idle()

    # -- logging in ---------------------------------------------------------------------------

    @Slot()
    def start_login(self) -> None:
        region = self.country.region()
        if region is None or self.country.problems():
            return
        self._region = region
        self.country.show_failure(None)
        self.login_page.reset()
        self._go(self.login_page)
        self._run(self._log_in(region))

    @Slot()
    def cancel_login(self) -> None:
        """Stop waiting for the browser (or for whatever comes before it)."""
        if self._task is not None and not self._task.done():
            log.info("login cancelled in the wizard")
            self._task.cancel()

    # -- logging in with a key ----------------------------------------------------------------

    @staticmethod
    def _with_key(region: Region | None) -> bool:
        return region is not None and region.login is LoginStrategy.API_KEY

    @Slot()
    def ask_for_key(self) -> None:
        """The key page, for a region whose platform logs in with an API key."""
        region = self.country.region()
        if region is None or self.country.problems():
            return
        self._region = region
        self.country.show_failure(None)
        self.key_page.set_platform(DISPLAY_NAMES[region.platform])
        self.key_page.reset()
        self._go(self.key_page)
        self.key_page.key.setFocus()

    @Slot()
    def start_key_login(self) -> None:
        region, typed = self._region, self.key_page.typed()
        if region is None or typed is None or self._busy:
            return
        self.key_page.checking()
        self._run(self._log_in_with_key(region, *typed))

    async def _log_in_with_key(self, region: Region, key: str, party_id: int) -> None:
        assert region.api_url is not None, "the regions file refuses a platform without one"
        place = KeyLoginPlace(
            region.code, region.platform, str(region.api_url).rstrip("/"), self.regions.client_id
        )
        try:
            proxy = await asyncio.to_thread(_stored_proxy, self.home)
            store = self._secrets
            if store is None:
                store = await asyncio.to_thread(_os_keyring)
            await asyncio.to_thread(store.check)
            async with make_http_client(proxy=proxy) as http:
                checked = await log_in_with_key(place, key, party_id, store=store, http=http)
        except asyncio.CancelledError:
            if self._closing:
                raise
            self.key_page.show_failure(self.tr("The login was cancelled."))
            self._idle()
            return
        except Exception as error:
            said = self.key_page.show_error(error, party_id, key)
            log.warning("the wizard's key login failed: %s", said)
            self._idle()
            return
        self._stop_sandbox()  # tried the sandbox first, then logged in elsewhere
        self.key_page.done()
        self.logged_in = LoggedIn(checked.login, checked.clients)
        self._busy = False  # the page changes below
        self.links_page.links.set_clients(checked.clients)
        self.who.show_login(checked.login, region.name(self.language), len(checked.clients))
        self._go(self.who)

    # -- logging in with the office's OAuth 2.0 client ----------------------------------------

    @staticmethod
    def _with_client(region: Region | None) -> bool:
        return region is not None and region.login is LoginStrategy.OAUTH2

    @Slot()
    def ask_for_client(self) -> None:
        """The client page, for a region whose platform logs in with the office's client."""
        region = self.country.region()
        if region is None or self.country.problems():
            return
        self._region = region
        self.country.show_failure(None)
        self.client_page.set_region(
            DISPLAY_NAMES[region.platform], region.oauth_client_id, region.redirect_ports
        )
        self._go(self.client_page)

    @Slot()
    def start_oauth_login(self) -> None:
        region, typed = self._region, self.client_page.typed()
        if region is None or typed is None or self._busy:
            return
        self.login_page.reset()
        self._go(self.login_page)
        self._run(self._log_in_with_oauth2(region, *typed))

    async def _log_in_with_oauth2(self, region: Region, client_id: str, secret: str) -> None:
        assert region.api_url is not None and region.authorize_url is not None
        place = OAuth2Place(
            region.code,
            region.platform,
            str(region.api_url).rstrip("/"),
            str(region.authorize_url),
            client_id,
            region.redirect_ports,
            str(region.token_url) if region.token_url else None,
        )

        def open_url(url: str) -> None:
            self._url = url
            self.login_page.show_url(url, desktop.open_url(url))

        try:
            proxy = await asyncio.to_thread(_stored_proxy, self.home)
            store = self._secrets
            if store is None:
                store = await asyncio.to_thread(_os_keyring)
            await asyncio.to_thread(store.check)
            self.login_page.set_status(self.tr("Opening the login page in your browser…"))
            async with make_http_client(proxy=proxy) as http:
                checked = await log_in_with_oauth2(
                    place,
                    secret,
                    store=store,
                    http=http,
                    open_url=open_url,
                    language=self.language,
                    timeout=self.options.login_timeout_s,
                )
        except asyncio.CancelledError:
            if self._closing:
                raise
            self._login_failed(self.tr("The login was cancelled."))
            return
        except Exception as error:
            said = describe_failure(error).replace(secret, "[secret]")
            log.warning("the wizard's OAuth 2.0 login failed: %s", said)
            self._login_failed(said)
            return
        self._stop_sandbox()
        self.logged_in = LoggedIn(checked.login, checked.clients)
        self._busy = False  # the page changes below
        self.links_page.links.set_clients(checked.clients)
        self.who.show_login(checked.login, region.name(self.language), len(checked.clients))
        self._go(self.who)

    # -- logging in through the browser -------------------------------------------------------

    async def _log_in(self, region: Region) -> None:
        try:
            proxy = await asyncio.to_thread(_stored_proxy, self.home)
            async with make_http_client(proxy=proxy) as http:
                target = await self._target(region, http, proxy)
                store = self._secrets
                if store is None:
                    store = await asyncio.to_thread(_os_keyring)
                await asyncio.to_thread(store.check)
                self.login_page.set_status(self.tr("Opening the login page in your browser…"))
                login = Login(target, http=http, language=self.language)
                self._url = await login.begin()
                self.login_page.show_url(self._url, desktop.open_url(self._url))
                tokens = await login.finish(self.options.login_timeout_s)
                self.login_page.set_status(
                    self.tr("Logged in. Asking the platform about the office…")
                )
                logged_in = await complete_login(target, tokens, store=store, http=http)
        except asyncio.CancelledError:
            if self._closing:
                raise  # the app is closing: nobody to tell
            self._login_failed(self.tr("The login was cancelled."))
            return
        except Exception as error:
            said = describe_failure(error)
            log.warning("the wizard's login failed: %s", said)
            self._login_failed(said)
            return
        if region.kind is not RegionKind.SANDBOX:
            self._stop_sandbox()  # tried the sandbox first, then logged in elsewhere
        self.logged_in = logged_in
        self._busy = False  # the page changes below
        self.links_page.links.set_clients(logged_in.clients)
        self.who.show_login(logged_in.login, region.name(self.language), len(logged_in.clients))
        self._go(self.who)

    def _login_failed(self, text: str) -> None:
        self.login_page.show_failure(text)
        self._idle()

    async def _target(
        self, region: Region, http: httpx.AsyncClient, proxy: ProxySettings
    ) -> LoginTarget:
        client_id = self.regions.client_id
        if region.kind is RegionKind.SANDBOX:
            sandbox = self._sandbox
            if sandbox is None or not sandbox.running:
                self.login_page.set_status(
                    self.tr("Starting the sandbox platform on this computer…")
                )
                sandbox = self._sandbox = LocalSandbox(
                    self.home,
                    port=self.options.sandbox_port,
                    seed_documents=self.options.sandbox_seed_documents,
                )
                try:
                    await asyncio.to_thread(sandbox.start)
                except OSError as error:
                    raise SetupError(
                        self.tr("The sandbox platform could not start: {why}").format(
                            why=error.strerror or str(error)
                        )
                    ) from None
            return dataclasses.replace(
                sandbox.target(region, client_id),
                proxy=proxy,
                redirect_ports=region.redirect_ports,
            )
        if region.kind is RegionKind.CUSTOM:
            issuer = self.country.issuer.text().strip().rstrip("/")
            api_url = self.country.api.text().strip().rstrip("/")
            self.login_page.set_status(self.tr("Checking the platform's address…"))
            await check_api(http, api_url)
            typed = self.country.redirect_ports()
            return LoginTarget(
                "custom",
                issuer,
                api_url,
                client_id,
                proxy=proxy,
                redirect_ports=region.redirect_ports if typed is None else typed,
            )
        return LoginTarget(
            region.code,
            str(region.issuer),
            str(region.api_url),
            client_id,
            proxy=proxy,
            redirect_ports=region.redirect_ports,
        )

    @Slot()
    def _reopen(self) -> None:
        if self._url:
            self.login_page.show_url(self._url, desktop.open_url(self._url))

    def _forget_login(self) -> None:
        """Going back from *who*: that login is not wanted; its token leaves the keyring."""
        logged_in, self.logged_in = self.logged_in, None
        if logged_in is None:
            return
        store, name = self._secrets, logged_in.login.secret_name

        def forget() -> None:
            with contextlib.suppress(Exception):  # a leftover entry is harmless; log in again
                (store or SecretStore()).delete(name)

        threading.Thread(target=forget, name="ferry-forget-login", daemon=True).start()

    # -- destinations -------------------------------------------------------------------------

    def _clients(self) -> list[Any]:
        return list(self.logged_in.clients) if self.logged_in else []

    @Slot()
    def _add_destination(self) -> None:
        self._open_editor(None)

    @Slot(str)
    def _edit_destination(self, name: str) -> None:
        self._open_editor(next((d for d in self.destinations if d.name == name), None))

    def _open_editor(self, destination: Destination | None) -> None:
        editor = DestinationEditor(
            preview_clients(self._clients(), self.links_page.links.links()),
            existing_names={d.name for d in self.destinations},
            destination=destination,
            language=self.language,
            parent=self,
        )
        previous = destination.name if destination else None
        editor.saved.connect(lambda saved: self._destination_saved(previous, saved))
        self.editor = editor
        editor.open()  # never exec(): the event loop (and the login's coroutines) keep running

    def _draft(self) -> Settings:
        """The set-up so far, as settings: the destinations, and the links kept from an
        earlier set-up (the links screen holds the person's own ticks)."""
        names = {destination.name for destination in self.destinations}
        kept = [
            link.model_copy(update={"destinations": [n for n in link.destinations if n in names]})
            for link in self._initial_links
        ]
        return Settings(
            destinations=self.destinations, links=[link for link in kept if link.destinations]
        )

    def _destination_saved(self, previous: str | None, destination: Destination) -> None:
        """The same rule as the main window's (the application layer's): a rename keeps the
        destination's links, those kept from before and those ticked on the links screen."""
        try:
            draft = save_destination(self._draft(), destination, previous)
        except SettingsRefused as refused:  # the editor refuses a name in use before this
            log.warning("the wizard did not keep the destination: %s", refused)
            return
        self._initial_links = list(draft.links)
        if previous is not None and previous != destination.name:
            self.links_page.links.rename_destination(previous, destination.name)
            self._renames = {
                first: destination.name if now == previous else now
                for first, now in self._renames.items()
            }
        self._set_destinations(list(draft.destinations))

    @Slot(str)
    def _remove_destination(self, name: str) -> None:
        """Its place in links goes with it (the application layer's rule)."""
        try:
            draft = remove_destination(self._draft(), name, unlink=True)
        except SettingsRefused as refused:
            log.warning("the wizard did not remove the destination: %s", refused)
            return
        self._renames = {first: now for first, now in self._renames.items() if now != name}
        self._initial_links = list(draft.links)
        self._set_destinations(list(draft.destinations))

    def _set_destinations(self, destinations: list[Destination]) -> None:
        self.destinations = destinations
        self.destinations_page.show_destinations(destinations)
        # The links screen takes the destinations as its columns and keeps what was ticked;
        # links kept from an earlier set-up show ticked, to the destinations still there.
        names = {destination.name for destination in destinations}
        kept = [
            link.model_copy(update={"destinations": [n for n in link.destinations if n in names]})
            for link in self._initial_links
        ]
        self.links_page.links.set_settings(
            Settings(destinations=destinations, links=[link for link in kept if link.destinations])
        )
        self._buttons()

    # -- done ---------------------------------------------------------------------------------

    async def _finish(self) -> None:
        assert self.logged_in is not None
        try:
            settings = await asyncio.to_thread(
                save_setup,
                self.home,
                self.logged_in.login,
                list(self.destinations),
                self.links_page.links.links(),
                dict(self._renames),
            )
        except Exception as error:
            log.error("the wizard could not save the settings: %s", error)
            self.links_page.show_failure(
                self.tr("Ferry could not save its settings: {why}").format(why=error)
            )
            self._idle()
            return
        region = self._region
        sandbox = self._sandbox if region and region.kind is RegionKind.SANDBOX else None
        self._sandbox = None  # the app's from now on
        self._busy = False  # nothing left to do here: the app replaces (and deletes) the wizard
        log.info("first-run set-up done for %s", self.logged_in.login.who)
        self.completed.emit(SetupResult(self.logged_in.login, settings, sandbox))

    # -- closing ------------------------------------------------------------------------------

    def _stop_sandbox(self) -> None:
        sandbox, self._sandbox = self._sandbox, None
        if sandbox is not None:
            threading.Thread(target=sandbox.stop, name="ferry-sandbox-stop", daemon=True).start()

    def shutdown(self) -> None:
        """The app is closing: stop waiting for a login and stop a sandbox nobody will use."""
        self._closing = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
        sandbox, self._sandbox = self._sandbox, None
        if sandbox is not None:
            sandbox.stop()
