"""Engine events onto the GUI thread, in batches.

The engine calls back on its own thread; Qt objects may only be touched on the GUI thread.
Events are put in a thread-safe deque and an argument-less queued signal wakes the GUI thread
to take them, so no Python object has to be marshalled between threads by Qt. Document
changes are gathered and handed on every ``BATCH_MS`` as one list, so a sync of thousands of
documents costs the table a few updates per second instead of one per document.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from app.engine.messages import (
    AlertChanged,
    ClientsLoaded,
    Connectivity,
    DocumentChanged,
    Event,
    LoginNeededEvent,
    RunFinished,
    RunProgress,
    RunStarted,
    StateChanged,
)

BATCH_MS = 200


class EngineBridge(QObject):
    """Re-emits engine events as Qt signals on the thread this object lives in."""

    documents_changed = Signal(object)  # list[DocumentChanged], in arrival order
    state_changed = Signal(object)  # StateChanged
    run_started = Signal(object)  # RunStarted
    run_progress = Signal(object)  # RunProgress
    run_finished = Signal(object)  # RunFinished
    login_needed = Signal(object)  # LoginNeededEvent
    connectivity = Signal(object)  # Connectivity
    clients_loaded = Signal(object)  # ClientsLoaded
    alert = Signal(object)  # AlertChanged: the watchdog's alert began or ended

    _wake = Signal()

    def __init__(self, parent: QObject | None = None, batch_ms: int = BATCH_MS) -> None:
        super().__init__(parent)
        self._pending: list[DocumentChanged] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(batch_ms)
        self._timer.timeout.connect(self._flush)
        self._inbox: deque[Event] = deque()
        self._wake.connect(self._take, Qt.ConnectionType.QueuedConnection)

    def post(self, event: Event) -> None:
        """Hand an event over; safe to call from any thread (the engine's callback)."""
        self._inbox.append(event)
        self._wake.emit()

    @Slot()
    def _take(self) -> None:
        while self._inbox:
            self._on_event(self._inbox.popleft())

    def _on_event(self, event: Event) -> None:
        if isinstance(event, DocumentChanged):
            self._pending.append(event)
            if not self._timer.isActive():
                self._timer.start()
            return
        self._flush()  # keep order: documents before the run that reports them
        if isinstance(event, StateChanged):
            self.state_changed.emit(event)
        elif isinstance(event, RunStarted):
            self.run_started.emit(event)
        elif isinstance(event, RunProgress):
            self.run_progress.emit(event)
        elif isinstance(event, RunFinished):
            self.run_finished.emit(event)
        elif isinstance(event, LoginNeededEvent):
            self.login_needed.emit(event)
        elif isinstance(event, Connectivity):
            self.connectivity.emit(event)
        elif isinstance(event, ClientsLoaded):
            self.clients_loaded.emit(event)
        elif isinstance(event, AlertChanged):
            self.alert.emit(event)

    @Slot()
    def _flush(self) -> None:
        self._timer.stop()
        if self._pending:
            batch, self._pending = self._pending, []
            self.documents_changed.emit(batch)
