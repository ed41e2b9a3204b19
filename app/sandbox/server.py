"""Run the sandbox platform on 127.0.0.1 in a background thread (uvicorn, its own event loop).

The desktop app starts it in-process for the *Sandbox* country, the command line runs it in the
foreground, and tests and benchmarks start one on a free port. The socket is bound here, before
the app is built, so that the app knows its own address (which names the OIDC issuers) even when
port 0 asked the system for a free port.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn

from app.sandbox.app import create_app
from app.sandbox.defaults import DEFAULT_PORT, DEFAULT_SEED_DOCUMENTS, HOST
from app.sandbox.state import SandboxState

_log = logging.getLogger(__name__)


class SandboxServer:
    """A running sandbox platform.

    >>> server = SandboxServer(Path("/tmp/sandbox"), port=0, seed_documents=10)
    >>> base_url = server.start()          # "http://127.0.0.1:41234"
    >>> server.issuer("be")                # "http://127.0.0.1:41234/realms/be"
    >>> server.stop()
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int = DEFAULT_PORT,
        seed_documents: int = DEFAULT_SEED_DOCUMENTS,
        trickle_s: float | None = None,
        log_level: str = "warning",
    ) -> None:
        self.data_dir = data_dir
        self._requested_port = port
        self.seed_documents = seed_documents
        self.trickle_s = trickle_s
        self.log_level = log_level
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._state: SandboxState | None = None
        self._port: int | None = None

    # --- what callers need to know ------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("The sandbox is not started.")
        return self._port

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:8765`` (no trailing slash)."""
        return f"http://{HOST}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/v1"

    def issuer(self, realm: str) -> str:
        return f"{self.url}/realms/{realm}"

    @property
    def state(self) -> SandboxState:
        """The live platform state (store, fault switches...), for in-process callers."""
        if self._state is None:
            raise RuntimeError("The sandbox is not started.")
        return self._state

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # --- life cycle ---------------------------------------------------------------------------

    def start(self, timeout: float = 120.0) -> str:
        """Bind, seed if new, serve; returns the base URL once requests are answered."""
        if self._thread is not None:
            raise RuntimeError("The sandbox is already started.")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if sys.platform != "win32":  # on Windows this flag would let another process steal it
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, self._requested_port))
        except OSError as exc:
            sock.close()
            raise OSError(
                exc.errno,
                f"The sandbox cannot listen on {HOST}:{self._requested_port}: {exc.strerror}. "
                "Is another sandbox running? Choose another port (0 picks a free one).",
            ) from exc
        sock.listen(1024)
        sock.set_inheritable(True)
        self._socket = sock
        self._port = sock.getsockname()[1]
        try:
            app = create_app(
                self.data_dir,
                seed_documents=self.seed_documents,
                trickle_s=self.trickle_s,
                public_url=f"http://{HOST}:{self._port}",
            )
        except BaseException:
            self._close_socket()
            raise
        self._state = app.state.sandbox
        config = uvicorn.Config(
            app,
            log_level=self.log_level,
            # Leave logging to the host: Ferry's log files in-process, the console otherwise.
            log_config=None,
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
            timeout_keep_alive=30,
            backlog=1024,
        )
        server = uvicorn.Server(config)
        self._server = server
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="ferry-sandbox", daemon=True
        )
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                self._cleanup()
                raise RuntimeError("The sandbox server stopped while starting; see its log.")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("The sandbox server did not start in time.")
            time.sleep(0.01)
        _log.info("sandbox platform listening on %s", self.url)
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving: release held long-polls, finish open requests, close the database."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        if self._state is not None:
            self._state.signals.close()
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout)
        self._cleanup()

    def _cleanup(self) -> None:
        self._close_socket()
        if self._state is not None:
            self._state.store.close()
        self._server = None
        self._thread = None

    def _close_socket(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def wait(self) -> None:
        """Block until the server stops (for the foreground command line)."""
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
