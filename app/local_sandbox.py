"""The *Sandbox (this computer)* country: the embedded platform, run inside Ferry itself.

Its data lives in Ferry's home (``data/sandbox``), so the offices, clients and documents it made
survive a restart. Its OIDC issuer names its port (``http://127.0.0.1:8765/realms/be``), and a
stored login is only good at the issuer it was made at: the first start takes the default port
(another free one when that is taken), and every later start of the app comes back on the port
of the stored login's issuer, or says why it cannot.

Everything here blocks (the first start seeds the platform's data): callers run it off the GUI
thread.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from app.auth.account import StoredLogin
from app.auth.login import LoginTarget
from app.home import FerryHome
from app.regions import Region
from app.sandbox.defaults import DEFAULT_PORT, DEFAULT_SEED_DOCUMENTS, HOST

if TYPE_CHECKING:
    from app.sandbox.server import SandboxServer

log = logging.getLogger(__name__)

SANDBOX_REGION = "sandbox"
SANDBOX_FOLDER = "sandbox"


class LocalSandbox:
    """The embedded platform of one Ferry home; ``start`` once, ``stop`` any time."""

    def __init__(
        self,
        home: FerryHome,
        *,
        port: int = DEFAULT_PORT,
        seed_documents: int = DEFAULT_SEED_DOCUMENTS,
        trickle_s: float | None = None,
    ) -> None:
        self.home = home
        self.port = port
        self.seed_documents = seed_documents
        self.trickle_s = trickle_s
        self._server: SandboxServer | None = None
        self._lock = threading.Lock()
        self._stopped = False

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def issuer(self, realm: str) -> str:
        return f"{self.url}/realms/{realm}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/v1"

    def target(self, region: Region, client_id: str) -> LoginTarget:
        """Where to log in to this sandbox for the *Sandbox* region."""
        realm = region.sandbox_realm or "be"
        return LoginTarget(region.code, self.issuer(realm), self.api_url, client_id)

    def start(self, *, fallback: bool = True) -> str:
        """Start serving; returns the base URL.

        ``fallback``: when the port is taken, take any free one (a first login may; a stored
        login may not, since its issuer names the port).
        """
        from app.sandbox.server import SandboxServer

        data = self.home.data_dir / SANDBOX_FOLDER
        data.mkdir(parents=True, exist_ok=True)
        ports = [self.port, 0] if fallback and self.port != 0 else [self.port]
        for attempt, port in enumerate(ports):
            server = SandboxServer(
                data, port=port, seed_documents=self.seed_documents, trickle_s=self.trickle_s
            )
            try:
                url = server.start()
            except OSError as error:
                if attempt + 1 < len(ports):
                    log.info("sandbox port %s is taken (%s); taking a free one", port, error)
                    continue
                raise
            with self._lock:
                if self._stopped:  # stopped while it was starting: nobody wants it any more
                    server.stop()
                    raise RuntimeError("the sandbox platform was stopped while it started")
                self._server = server
                self.port = server.port
            log.info("the sandbox platform of this computer runs at %s", url)
            return url
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Stop serving (or, if still starting, stop as soon as it is up); safe to repeat."""
        with self._lock:
            self._stopped = True
            server, self._server = self._server, None
        if server is not None:
            server.stop()

    @property
    def running(self) -> bool:
        return self._server is not None


def stored_port(login: StoredLogin) -> int | None:
    """The sandbox port a stored login was made at (it is in the issuer), if it names one."""
    try:
        parts = urlsplit(login.issuer)
        return parts.port if parts.hostname == HOST else None
    except ValueError:
        return None


def for_stored_login(home: FerryHome, login: StoredLogin) -> LocalSandbox | None:
    """The sandbox a stored login needs running, or None when it is not a sandbox login."""
    if login.region != SANDBOX_REGION:
        return None
    port = stored_port(login)
    return None if port is None else LocalSandbox(home, port=port)
