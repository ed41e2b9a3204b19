"""Background work: results come back on the GUI thread, and never after the owner closed."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.gui.background import Background


def test_results_and_failures_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    background = Background()
    seen: list[tuple[str, object, bool]] = []
    gui = threading.current_thread()

    def record(kind: str) -> object:
        return lambda value: seen.append((kind, value, threading.current_thread() is gui))

    background.run(lambda: 42, record("done"), record("failed"))
    background.run(lambda: 1 / 0, record("done"), lambda e: record("failed")(type(e).__name__))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert sorted(seen) == [("done", 42, True), ("failed", "ZeroDivisionError", True)]


def test_work_finishing_after_close_is_discarded_on_the_gui_thread(qtbot: QtBot) -> None:
    background = Background()
    release = threading.Event()
    delivered: list[object] = []
    discarded: list[tuple[object, bool]] = []
    gui = threading.current_thread()
    background.run(
        lambda: release.wait(5) and "late",
        delivered.append,
        delivered.append,
        discard=lambda r: discarded.append((r, threading.current_thread() is gui)),
    )
    background.close()
    release.set()
    qtbot.waitUntil(lambda: discarded == [("late", True)], timeout=5000)
    assert delivered == []


def test_the_owner_is_never_destroyed_on_a_worker_thread(qtbot: QtBot) -> None:
    """The callbacks hold the only reference to their owner: it must die on the GUI thread."""
    destroyed_on: list[str] = []
    release = threading.Event()

    class Owner(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.background = Background(self)

        def __del__(self) -> None:
            destroyed_on.append(threading.current_thread().name)

        def done(self, _result: object) -> None: ...

    owner = Owner()
    owner.background.run(lambda: release.wait(5), owner.done, owner.done)
    owner.background.close()
    del owner
    gc.collect()
    release.set()
    qtbot.waitUntil(lambda: destroyed_on != [], timeout=5000)
    assert destroyed_on == [threading.current_thread().name]


def test_an_owner_deleted_without_close_gets_nothing(qtbot: QtBot) -> None:
    release = threading.Event()
    delivered: list[object] = []
    parent = QObject()
    background = Background(parent)
    background.run(lambda: release.wait(5) and "late", delivered.append, delivered.append)
    parent.deleteLater()
    qtbot.waitUntil(lambda: background._owner.closed, timeout=5000)
    release.set()
    qtbot.wait(100)
    assert delivered == []
