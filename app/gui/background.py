"""Blocking work (disk, network) off the GUI thread, with its result delivered back onto it.

The result travels through a deque and an argument-less queued signal, the same way as the
engine's events (see :mod:`app.gui.bridge`), so Qt never marshals a Python object between
threads.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot


class Background(QObject):
    """Runs callables on worker threads; each ``done`` callback runs on the GUI thread."""

    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._results: deque[
            tuple[Callable[[Any], None], Callable[[BaseException], None], Any, BaseException | None]
        ] = deque()
        self._wake.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        name: str = "ferry-background",
    ) -> None:
        def main() -> None:
            try:
                result, error = work(), None
            except BaseException as caught:  # handed to ``failed`` on the GUI thread
                result, error = None, caught
            self._results.append((done, failed, result, error))
            with contextlib.suppress(RuntimeError):  # the app is closing: nobody to tell
                self._wake.emit()

        threading.Thread(target=main, name=name, daemon=True).start()

    @Slot()
    def _deliver(self) -> None:
        while self._results:
            done, failed, result, error = self._results.popleft()
            if error is None:
                done(result)
            else:
                failed(error)
