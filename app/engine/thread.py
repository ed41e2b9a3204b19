"""The engine on a thread of its own, with its own asyncio loop.

The desktop app (and anything else in the same process) talks to it only through
:meth:`EngineThread.send` (commands, thread-safe) and the ``on_event`` callback, which is
called on the engine's thread: a GUI must hand events over to its own thread (a Qt signal
does that) and never touch the engine's state directly.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from app.auth.secret_store import SecretStore
from app.core.start_failures import StartFailure, StartFailureCode
from app.engine.engine import LONG_POLL_S, Engine, EngineError
from app.engine.messages import Command, EngineState, Event, StateChanged, Stop
from app.home import FerryHome

log = logging.getLogger(__name__)

T = TypeVar("T")


class EngineThread:
    """Start, command and stop an engine running on its own thread."""

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
        self._loop: asyncio.AbstractEventLoop | None = None
        self._engine: Engine | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.error: str | None = None
        #: Why the engine did not start, as data (``error`` is its English words).
        self.failure: StartFailure | None = None

    def start(self, timeout: float = 30.0, *, wait: bool = True) -> None:
        """Start the thread; with ``wait``, return once the engine is open (or failed to open:
        see ``error``). The GUI passes ``wait=False``: it never waits on the engine."""
        self._thread = threading.Thread(target=self._main, name="ferry-engine", daemon=True)
        self._thread.start()
        if wait:
            self._ready.wait(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def send(self, command: Command) -> None:
        """Queue a command for the engine; safe from any thread."""
        loop, engine = self._loop, self._engine
        if loop is None or engine is None or loop.is_closed():
            log.warning("ignored %s: the engine is not running", type(command).__name__)
            return
        queue = engine.command_queue()
        loop.call_soon_threadsafe(queue.put_nowait, command)

    def submit(self, work: Callable[[Engine], Awaitable[T]]) -> concurrent.futures.Future[T]:
        """Run ``work`` on the engine's loop (where its state may be touched), from any
        thread; its result or exception arrive through the future."""
        loop, engine = self._loop, self._engine
        if loop is None or engine is None or loop.is_closed():
            failed: concurrent.futures.Future[T] = concurrent.futures.Future()
            failed.set_exception(EngineError.of(StartFailureCode.ENGINE_NOT_RUNNING))
            return failed
        return asyncio.run_coroutine_threadsafe(work(engine), loop)  # type: ignore[arg-type]

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the engine to stop, and wait for its thread."""
        self.send(Stop())
        if self._thread is not None:
            self._thread.join(timeout)

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._run())
        finally:
            loop.close()
            self._ready.set()

    async def _run(self) -> None:
        engine = Engine(
            self._home,
            on_event=self._on_event,
            store=self._secrets,
            long_poll_s=self._long_poll_s or LONG_POLL_S,
        )
        engine.command_queue()
        try:
            await engine.open()
        except EngineError as error:
            self.error = str(error)
            self.failure = error.failure
            self._on_event(
                StateChanged(
                    state=EngineState.STOPPED,
                    detail=str(error),
                    start_failure=error.failure.to_json(),
                )
            )
            self._ready.set()
            return
        self._engine = engine
        self._ready.set()
        try:
            await engine.run()
        except Exception:
            log.exception("the engine stopped on an unexpected error")
        finally:
            await engine.close()
            self._engine = None
