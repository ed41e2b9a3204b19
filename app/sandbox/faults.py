"""Fault injection for ``/api/v1``: latency, server errors, throttling and dropped connections.

The switches are set at run time through the admin API, so a test or benchmark can make the
platform misbehave exactly when it wants. This is a pure ASGI middleware (not Starlette's
``BaseHTTPMiddleware``) so that it adds nothing measurable to the download path when all
switches are off, and so that a drop can really cut a response in the middle of its body.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.models import FaultSettings
from app.sandbox.problems import problem_response

API_PREFIX = "/api/v1"
_log = logging.getLogger(__name__)
#: Uvicorn's complaint when an app stops mid-body; for a deliberate drop it is the point.
_DROP_LOG_MESSAGE = "ASGI callable returned without completing response."


class FaultSwitch:
    """The current fault settings, readable from the request path without locking."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self._settings = FaultSettings()
        self._rng = rng or random.Random()  # noqa: S311 - fault dice, not cryptography
        self._lock = threading.Lock()

    @property
    def settings(self) -> FaultSettings:
        return self._settings

    def set(self, settings: FaultSettings) -> None:
        self._settings = settings

    def clear(self) -> None:
        self._settings = FaultSettings()

    def roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate

    def pick_error_status(self) -> int:
        with self._lock:
            return self._rng.choice((500, 503))

    @property
    def access_token_ttl_s(self) -> int | None:
        return self._settings.access_token_ttl_s


class _DropLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != _DROP_LOG_MESSAGE


def silence_drop_logs() -> None:
    """Keep deliberate drops out of the error log (each is logged at info level instead)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _DropLogFilter) for f in logger.filters):
        logger.addFilter(_DropLogFilter())


class FaultMiddleware:
    """Applies the switches to every HTTP request under ``/api/v1``."""

    def __init__(self, app: ASGIApp, switch: FaultSwitch) -> None:
        self.app = app
        self.switch = switch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        settings = self.switch.settings
        if settings == _NO_FAULTS:
            await self.app(scope, receive, send)
            return
        if settings.latency_ms > 0:
            await asyncio.sleep(settings.latency_ms / 1000)
        if self.switch.roll(settings.throttle_rate):
            response = problem_response(
                429,
                "The platform is busy (injected by the sandbox's fault switches).",
                headers={"Retry-After": str(settings.retry_after_s)},
            )
            await response(scope, receive, send)
            return
        if self.switch.roll(settings.error_rate):
            status = self.switch.pick_error_status()
            headers = {"Retry-After": str(settings.retry_after_s)} if status == 503 else None
            response = problem_response(
                status, "Injected by the sandbox's fault switches.", headers=headers
            )
            await response(scope, receive, send)
            return
        if self.switch.roll(settings.drop_rate):
            try:
                await self.app(scope, receive, _dropping_send(send))
            except _DropNow:
                _log.info("dropped the connection of %s (fault switch)", scope.get("path"))
            return
        await self.app(scope, receive, send)


_NO_FAULTS = FaultSettings()


class _DropNow(Exception):
    """Raised inside the app's send to stop the response half-way."""


def _dropping_send(send: Send) -> Send:
    """A send that forwards the headers and half of the body, then stops the response.

    The app returns without completing its response; the server then closes the connection,
    which the client sees as a body shorter than its Content-Length — a dropped connection.
    """
    state = {"declared": 0, "sent": 0, "stopped": False}

    async def wrapped(message: Message) -> None:
        if state["stopped"]:
            raise _DropNow
        if message["type"] == "http.response.start":
            for name, value in message.get("headers", []):
                if name.lower() == b"content-length":
                    state["declared"] = int(value)
            await send(message)
            return
        if message["type"] == "http.response.body":
            body: bytes = message.get("body", b"")
            budget = max(state["declared"] // 2 - state["sent"], 0)
            if state["declared"] == 0:
                budget = len(body) // 2
            if len(body) >= budget or not message.get("more_body", False):
                chunk = body[:budget]
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                state["stopped"] = True
                raise _DropNow
            state["sent"] += len(body)
            await send(message)
            return
        await send(message)

    return wrapped
