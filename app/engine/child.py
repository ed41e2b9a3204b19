"""The child side of :class:`app.engine.process.EngineProcess`: an :class:`EngineThread` in a
process of its own, talking JSON lines over one pipe.

The engine's Python then never competes with the GUI for a GIL (issue 7: repaints call Python
for every cell and waited for the engine's thread). The first message down the pipe is a
:class:`ChildSetup` (a demo's refresh token travels there, never on a command line or in the
environment); the next ones are commands. Events go up. The pipe's end of file is how the child
learns its parent is gone, however it died.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.auth.account import load_login
from app.auth.secret_store import SecretStore
from app.engine.channel import Reply, Request
from app.engine.engine import EngineError
from app.engine.host import EngineHost, HostKind
from app.engine.messages import Command, Event, Stop
from app.home import FerryHome
from app.logs import BACKUP_COUNT, FORMAT, MAX_BYTES, RotatingLogHandler, ScrubbingFormatter
from app.os_specific import lower_own_priority

log = logging.getLogger(__name__)

CHILD_LOG_FILE_NAME = "engine.log"
POLL_S = 0.5
#: What the app says down the pipe after the setup: commands, and requests it waits on.
PARENT_SAYS: TypeAdapter[Command | Request] = TypeAdapter(
    Annotated[Command | Request, Field(discriminator="type")]
)


class ChildSetup(BaseModel):
    """What the child needs beyond its home folder: sent over the pipe, first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    refresh_token: str | None = None  # set: a demo's in-memory keyring, seeded with it
    long_poll_s: float | None = None
    log_level: int = logging.INFO

    def __repr__(self) -> str:  # never log the token, even by accident
        return f"ChildSetup(long_poll_s={self.long_poll_s!r}, log_level={self.log_level!r})"

    __str__ = __repr__


class SecretSaved(BaseModel):
    """Up the pipe: the child's in-memory keyring changed (a demo's rotated refresh token).

    A real login lives in the OS keyring, which both processes read; a demo's lives in memory,
    so the parent keeps a copy that follows the child's, or the next engine it starts would
    present a token the platform already rotated away (and reuse revokes the login)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["secret_saved"] = "secret_saved"
    name: str
    value: str | None  # None: deleted

    def __repr__(self) -> str:
        return f"SecretSaved(name={self.name!r})"

    __str__ = __repr__


class _RelayingStore(SecretStore):
    """An in-memory store that tells the parent of every change."""

    def __init__(self) -> None:
        from app.demo_setup import MemoryKeyring

        super().__init__(MemoryKeyring())
        self.relay: Callable[[SecretSaved], None] | None = None

    def save(self, name: str, secret: str) -> None:
        super().save(name, secret)
        if self.relay is not None:
            self.relay(SecretSaved(name=name, value=secret))

    def delete(self, name: str) -> None:
        super().delete(name)
        if self.relay is not None:
            self.relay(SecretSaved(name=name, value=None))


def setup_child_logging(home: FerryHome, level: int) -> None:
    """Its own rotating file next to ``ferry.log``, scrubbed the same way: two processes
    rotating one file is unsafe (on Windows a file held open by another process cannot be
    renamed)."""
    home.log_dir.mkdir(parents=True, exist_ok=True)
    # the same handler as ferry.log's: a rotation refused because an antivirus or a backup
    # tool holds the file is postponed, and no record is lost
    handler = RotatingLogHandler(
        home.log_dir / CHILD_LOG_FILE_NAME, max_bytes=MAX_BYTES, backup_count=BACKUP_COUNT
    )
    handler.setFormatter(ScrubbingFormatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _memory_store(
    home: FerryHome, refresh_token: str, relay: Callable[[SecretSaved], None]
) -> SecretStore | None:
    login = load_login(home.settings_dir)
    if login is None:
        return None
    store = _RelayingStore()
    store.save(login.secret_name, refresh_token)  # seeding it is no news for the parent
    store.relay = relay
    return store


def child_main(home: FerryHome, connection: Connection) -> None:
    """The child process's target (importable, as the spawn start method needs)."""
    try:
        setup = ChildSetup.model_validate_json(connection.recv_bytes())
    except (EOFError, OSError):
        return
    setup_child_logging(home, setup.log_level)
    lower_own_priority()  # before the engine's threads start, so that they inherit it
    lock = threading.Lock()

    def emit(event: Event | SecretSaved | Reply) -> None:
        data = event.model_dump_json().encode()
        # the parent gone: the command loop sees it and stops the engine
        with lock, contextlib.suppress(OSError, ValueError):
            connection.send_bytes(data)

    secrets = None
    if setup.refresh_token is not None:
        secrets = _memory_store(home, setup.refresh_token, emit)
    host = EngineHost(
        home, host=HostKind.DESKTOP, secrets=secrets, on_event=emit, long_poll_s=setup.long_poll_s
    )
    log.info("engine process started")
    # The child may wait: commands sent meanwhile wait in the pipe instead of being dropped.
    try:
        host.start()
    except EngineError as error:  # the app was told: a Stopped state with the failure as data
        log.error("the engine cannot start [%s]: %s", error.failure.code.value, error)
        connection.close()
        return
    try:
        while host.running:
            try:
                if not connection.poll(POLL_S):
                    continue
                message = PARENT_SAYS.validate_json(connection.recv_bytes())
            except (EOFError, OSError):
                log.info("the app is gone: stopping the engine")
                break
            if isinstance(message, Stop):
                break
            if isinstance(message, Request):
                host.request(message).add_done_callback(lambda done: emit(done.result()))
            else:
                host.send(message)
    finally:
        host.stop()
        if host.running:
            log.warning("the engine did not stop in time")
        log.info("engine process ends")
        connection.close()
