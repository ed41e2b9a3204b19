"""Wake-ups for long-polls: a held request sleeps on an event until its realm's feed grows.

A waiter takes the current event *before* it looks at the database, and every commit that adds
to a feed sets that event and installs a fresh one; so a document that lands between the look
and the sleep still wakes the waiter, and no request ever polls. Writers may sit on any thread:
the wake-up is handed to the server's event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading


class FeedSignals:
    """One asyncio event per (realm, topic), replaced each time it fires."""

    def __init__(self) -> None:
        self._events: dict[tuple[str, str], asyncio.Event] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = asyncio.Event()
        self._lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Remember the loop that owns the events (called at server start-up)."""
        self._loop = loop

    def current(self, realm: str, topic: str) -> asyncio.Event:
        key = (realm, topic)
        with self._lock:
            event = self._events.get(key)
            if event is None:
                event = self._events[key] = asyncio.Event()
            return event

    def notify(self, realm: str, topic: str) -> None:
        """Wake everyone waiting on (realm, topic); safe to call from any thread."""
        loop = self._loop
        running: asyncio.AbstractEventLoop | None = None
        with contextlib.suppress(RuntimeError):
            running = asyncio.get_running_loop()
        if loop is not None and running is not loop:
            if not loop.is_closed():
                loop.call_soon_threadsafe(self._fire, realm, topic)
            return
        self._fire(realm, topic)

    def _fire(self, realm: str, topic: str) -> None:
        with self._lock:
            event = self._events.pop((realm, topic), None)
        if event is not None:
            event.set()

    def close(self) -> None:
        """Release every held request at once: the server is stopping."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._close_now)

    def _close_now(self) -> None:
        self._closed.set()
        with self._lock:
            events = list(self._events.values())
            self._events.clear()
        for event in events:
            event.set()

    @property
    def closing(self) -> bool:
        return self._closed.is_set()

    async def wait(self, event: asyncio.Event, timeout: float) -> None:
        """Sleep until ``event`` fires, the server stops, or ``timeout`` seconds pass."""
        if timeout <= 0 or self._closed.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)
