"""One Ferry home's engine, hosted for as long as something keeps it: ``ferry run``, the
Windows service, or the desktop app's engine process. Faces (the tray app, the command line)
attach to it over the local channel instead of opening its database behind its back."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import StrEnum

from app.auth.secret_store import SecretStore
from app.engine.engine import EngineError
from app.engine.messages import Event
from app.engine.thread import EngineThread
from app.home import FerryHome

log = logging.getLogger(__name__)


class HostKind(StrEnum):
    """Who keeps the engine running, as attached faces are told."""

    DESKTOP = "desktop"  # the tray app's engine process: it ends with the app
    RUN = "run"  # ``ferry run`` in a terminal or under systemd/launchd
    SERVICE = "service"  # the Windows service


def run_host(
    home: FerryHome,
    *,
    host: HostKind,
    stop: threading.Event,
    secrets: SecretStore | None = None,
    on_event: Callable[[Event], None] | None = None,
    long_poll_s: float | None = None,
) -> None:
    """Run ``home``'s engine until ``stop`` is set (or the engine ends by itself).

    Raises :class:`EngineError` in plain words when it cannot start: another engine already
    runs for this home, nobody logged in, a state file from a newer Ferry.
    """
    engine = EngineThread(
        home, on_event or (lambda event: None), secrets=secrets, long_poll_s=long_poll_s
    )
    engine.start(wait=True)
    if engine.error is not None:
        engine.stop()
        raise EngineError(engine.error)
    log.info("engine hosted by %s for %s", host.value, home.state_dir.parent)
    try:
        while engine.running and not stop.wait(0.5):
            pass
    finally:
        engine.stop()
