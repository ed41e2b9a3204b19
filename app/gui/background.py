"""Blocking work (disk, network) off the GUI thread, with its result delivered back onto it.

Two rules keep this safe. A worker thread never drops the last reference to anything the GUI
owns: the job (the work, its callbacks, their result) is held on the GUI side until the worker
thread has ended, and only then let go, on the GUI thread — otherwise a window could be
destroyed on a worker thread, which corrupts Qt's memory. And work that finishes after its
owner closed never reaches the (by then deleted) window: its result goes to ``discard``, so
that what it started (a demo platform, say) is stopped rather than leaked.

A finished job is announced by an argument-less queued signal, as the engine's events are (see
:mod:`app.gui.bridge`), so Qt never marshals a Python object between threads.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot

_RECHECK_MS = 5


@dataclass
class _Owner:
    """The closed flag of one :class:`Background`, kept outside Qt so jobs can read it late."""

    closed: bool = False


@dataclass
class _Job:
    work: Callable[[], Any]
    done: Callable[[Any], None]
    failed: Callable[[BaseException], None]
    discard: Callable[[Any], None] | None
    owner: _Owner
    thread: threading.Thread | None = None
    result: Any = None
    error: BaseException | None = None
    finished: threading.Event = field(default_factory=threading.Event)


class _Jobs(QObject):
    """Every running job of the process; one instance, living on the GUI thread with the app."""

    _wake = Signal()

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self._running: list[_Job] = []
        self._wake.connect(self._collect, Qt.ConnectionType.QueuedConnection)
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(_RECHECK_MS)
        self._recheck.timeout.connect(self._collect)

    def start(self, job: _Job, name: str) -> None:
        job.thread = threading.Thread(target=self._main, args=(job,), name=name, daemon=True)
        self._running.append(job)
        job.thread.start()

    def _main(self, job: _Job) -> None:
        try:
            job.result = job.work()
        except BaseException as caught:  # handed to ``failed`` on the GUI thread
            job.error = caught
        job.finished.set()
        with contextlib.suppress(RuntimeError):  # the application itself is gone
            self._wake.emit()

    @Slot()
    def _collect(self) -> None:
        ended = [j for j in self._running if j.thread is not None and not j.thread.is_alive()]
        for job in ended:
            self._running.remove(job)
        if any(j.finished.is_set() for j in self._running):
            self._recheck.start()  # finished, but its thread still holds references: soon
        for job in ended:
            _hand_over(job)


def _hand_over(job: _Job) -> None:
    if job.owner.closed:
        if job.discard is not None and job.error is None:
            job.discard(job.result)
    elif job.error is None:
        job.done(job.result)
    else:
        job.failed(job.error)


_registries: dict[int, _Jobs] = {}


def _registry() -> _Jobs:
    """The process's registry, created on the GUI thread with the application as its parent."""
    app = QCoreApplication.instance()
    jobs = _registries.get(id(app))
    if jobs is None:
        _registries.clear()
        jobs = _registries[id(app)] = _Jobs(app)
    return jobs


class Background(QObject):
    """Runs callables on worker threads; each ``done`` callback runs on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        owner = self._owner = _Owner()
        self.destroyed.connect(lambda: setattr(owner, "closed", True))

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        name: str = "ferry-background",
        discard: Callable[[Any], None] | None = None,
    ) -> None:
        """Run ``work`` on a thread; ``discard`` gets its result instead if closed by then."""
        _registry().start(_Job(work, done, failed, discard, self._owner), name)

    def close(self) -> None:
        """Deliver nothing more; results yet to come go to their ``discard``."""
        self._owner.closed = True
