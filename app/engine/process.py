"""The engine in a process of its own, behind :class:`EngineThread`'s interface.

With the engine on a thread of the GUI's process, repaints (Python for every cell) wait for the
GIL the engine holds: stalls of 140 ms during a 2,000-document sync (issue 7). In a child
process they stay under 50 ms. The child is started with multiprocessing's *spawn* method (what
Windows has, and what works in a PyInstaller build once the entry point calls
``multiprocessing.freeze_support()``); commands and events cross one pipe as JSON of the
message models; a reader thread here hands events to ``on_event`` (on that thread, as
:class:`EngineThread` calls it on the engine's thread).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from pydantic import ValidationError

from app.auth.account import load_login
from app.auth.secret_store import SecretStore
from app.core.start_failures import StartFailure, StartFailureCode
from app.engine.channel import HOST_SAYS, Refused, Replies, Reply, Request, RequestBody, Welcome
from app.engine.child import ChildSetup, SecretSaved, child_main
from app.engine.messages import Command, EngineState, Event, StateChanged, Stop
from app.home import FerryHome

log = logging.getLogger(__name__)

#: The engine's process ended without saying why (it crashed, or was killed).
UNEXPECTED = StartFailure.of(StartFailureCode.ENDED_UNEXPECTEDLY)
UNEXPECTED_EXIT = UNEXPECTED.message()


class EngineProcess:
    """Start, command and stop an engine running in a child process."""

    def __init__(
        self,
        home: FerryHome,
        on_event: Callable[[Event], None],
        *,
        secrets: SecretStore | None = None,
        long_poll_s: float | None = None,
    ) -> None:
        self._home = home
        self._on_event = on_event
        self._secrets = secrets
        self._long_poll_s = long_poll_s
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._reader: threading.Thread | None = None
        self._send_lock = threading.Lock()
        self._ready = threading.Event()
        self._replies = Replies()
        self._stopping = False
        self._stopped_seen = False
        self.error: str | None = None
        #: Why the engine did not start or ended, as data (``error`` is its English words).
        self.failure: StartFailure | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def start(self, timeout: float = 30.0, *, wait: bool = True) -> None:
        """Start the child; with ``wait``, return once its engine reported a first state (or
        failed to open: see ``error``). The GUI passes ``wait=False``."""
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe(duplex=True)
        process = context.Process(
            target=child_main, args=(self._home, theirs), name="ferry-engine", daemon=True
        )
        process.start()
        theirs.close()  # only the child holds its end: its death is our end of file
        self._process, self._connection = process, ours
        self._write(
            ChildSetup(
                refresh_token=self._demo_token(),
                long_poll_s=self._long_poll_s,
                log_level=logging.getLogger().getEffectiveLevel(),
            )
            .model_dump_json()
            .encode()
        )
        self._reader = threading.Thread(target=self._read, name="ferry-engine-events", daemon=True)
        self._reader.start()
        if wait:
            self._ready.wait(timeout)

    def send(self, command: Command) -> None:
        """Queue a command for the engine; safe from any thread."""
        if not self.running:
            log.warning("ignored %s: the engine is not running", type(command).__name__)
            return
        self._write(command.model_dump_json().encode())

    def request(self, body: RequestBody, timeout: float | None = None) -> Reply:
        """Ask the engine and wait for its answer (never on the GUI thread), as a face asks
        over the channel; :class:`ChannelError` ``lost`` when the engine goes away first."""
        request_id = self._replies.open()
        if not self.running:
            self._replies.fail_all()
        else:
            self._write(Request(id=request_id, body=body).model_dump_json().encode())
        return self._replies.wait(request_id, timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the engine to stop and wait for the child; end it if it does not stop in time."""
        self._stopping = True
        process = self._process
        if process is None:
            return
        self.send(Stop())
        process.join(timeout)
        if process.is_alive():
            log.warning("the engine process did not stop in %.0f s: ending it", timeout)
            process.terminate()
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join(5)
        if self._reader is not None:
            self._reader.join(5)
        process.close()
        self._process = None

    def _demo_token(self) -> str | None:
        """The refresh token of an in-memory keyring (the demo's), for the child's own;
        a real login: None, the child reads the OS keyring itself."""
        if self._secrets is None:
            return None
        login = load_login(self._home.settings_dir)
        return None if login is None else self._secrets.load(login.secret_name)

    def _keep_secret(self, saved: SecretSaved) -> None:
        """Follow the child's in-memory keyring (see :class:`SecretSaved`)."""
        if self._secrets is None:
            return
        if saved.value is None:
            self._secrets.delete(saved.name)
        else:
            self._secrets.save(saved.name, saved.value)

    def _write(self, data: bytes) -> None:
        connection = self._connection
        if connection is None:
            return
        with self._send_lock:
            try:
                connection.send_bytes(data)
            except (OSError, ValueError):
                log.warning("the engine process is gone: a command was not sent")

    def _read(self) -> None:
        connection = self._connection
        assert connection is not None
        try:
            while True:
                try:
                    data = connection.recv_bytes()
                except (EOFError, OSError):
                    break
                try:
                    event = HOST_SAYS.validate_json(data)
                except ValidationError:
                    self._keep_secret(SecretSaved.model_validate_json(data))
                    continue
                if isinstance(event, Reply):
                    self._replies.deliver(event)
                    continue
                if isinstance(event, Welcome | Refused):  # pragma: no cover - the channel's
                    continue
                if isinstance(event, StateChanged):
                    self._ready.set()
                    if event.state is EngineState.STOPPED:
                        self._stopped_seen = True
                        self.error = self.error or event.detail
                        self.failure = self.failure or event.why_not_started()
                self._on_event(event)
        except Exception:
            log.exception("the engine's events could not be read")
        finally:
            connection.close()
            self._replies.fail_all()
            if not self._stopped_seen and not self._stopping:
                log.error("the engine process ended unexpectedly")
                self.error, self.failure = UNEXPECTED_EXIT, UNEXPECTED
                self._on_event(
                    StateChanged(
                        state=EngineState.STOPPED,
                        detail=UNEXPECTED_EXIT,
                        start_failure=UNEXPECTED.to_json(),
                    )
                )
            self._ready.set()
