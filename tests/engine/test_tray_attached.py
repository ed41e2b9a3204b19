"""The tray app as a face on an engine that another process hosts (``ferry run``, the
service): it attaches and shows the history and live documents, closing it leaves syncing
untouched, it waits for an engine that restarts and syncs by itself when none comes back, and
it leaves the service's login to an administrator.

The engine runs in a process of its own, as in the field (and so that no engine thread of the
test's process ever collects the test's Qt objects)."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.api.models import Client
from app.auth.account import load_login
from app.core.kinds import DocumentKind
from app.core.language import Language
from app.engine.attached import AttachedEngine
from app.engine.host import HostKind
from app.engine.messages import EngineState
from app.engine.process import EngineProcess
from app.gui.app import FerryApp
from app.settings import Destination
from tests.conftest import REPO
from tests.engine.conftest import Office

_HOST = """
import signal, sys, threading
from pathlib import Path
from app.engine.host import EngineHost, HostKind
from app.home import FerryHome
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
host = EngineHost(FerryHome.under(Path(sys.argv[1])), host=HostKind(sys.argv[2]), long_poll_s=5)
host.start()
print("hosting", flush=True)
host.wait(stop)
host.stop()
"""


class HostProcess:
    """An engine hosted in a process of its own, as ``ferry run`` or the service host it."""

    def __init__(self, office: Office, kind: HostKind) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _HOST, str(office.home.settings_dir.parent), kind.value],
            cwd=REPO,
            env={**os.environ, "LANG": "C.UTF-8"},
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "hosting"

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.running:
            self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(30) == 0


def _linked(office: Office) -> Client:
    client = office.new_client("Tray Attached BV")
    office.configure(
        [Destination(name="Box", paths={DocumentKind.OTHER: f"{office.root}/box"})],
        {client.id: ["Box"]},
    )
    return client


def _wait(condition: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def tray(qtbot: QtBot, office: Office) -> Iterator[FerryApp]:
    app = FerryApp(office.home, language=Language.EN)
    qtbot.addWidget(app.window)
    try:
        yield app
    finally:
        app.shutdown()
        del app
        gc.collect()  # here, on the GUI thread


def test_the_tray_app_attaches_and_closing_it_leaves_syncing_untouched(
    qtbot: QtBot, office: Office, tray: FerryApp
) -> None:
    client = _linked(office)
    host = HostProcess(office, HostKind.RUN)
    try:
        first = office.add(client, "other")
        _wait((office.root / "box" / first.files[0].name).is_file)
        assert tray.start()
        qtbot.waitUntil(lambda: isinstance(tray.engine, AttachedEngine), timeout=15_000)
        model = tray.window.status_view.model
        # its history (the sandbox's client may carry other tests' documents too)
        qtbot.waitUntil(lambda: model.document(first.id) is not None, timeout=15_000)
        before = model.count("forwarded")
        second = office.add(client, "other")
        qtbot.waitUntil(lambda: model.count("forwarded") == before + 1, timeout=30_000)  # live
        # the row comes with the page asked again after the counts (the table reads the state)
        qtbot.waitUntil(
            lambda: getattr(model.document(second.id), "status", None) == "forwarded",
            timeout=10_000,
        )
        assert tray.tray.state is not EngineState.STOPPED
        tray.shutdown()  # the person quits the tray app
        assert host.running
        third = office.add(client, "other")
        _wait((office.root / "box" / third.files[0].name).is_file)
    finally:
        host.stop()


def test_the_tray_app_waits_for_its_engine_to_come_back_then_syncs_itself(
    qtbot: QtBot, office: Office, tray: FerryApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service restarts (an update) or ``ferry run`` ends: the window attaches again to
    the engine that comes back; when none does, it syncs by itself."""
    import app.gui.app as app_module

    monkeypatch.setattr(app_module, "REATTACH_MS", 300)
    monkeypatch.setattr(app_module, "TAKE_OVER_S", 3.0)
    client = _linked(office)
    host = HostProcess(office, HostKind.RUN)
    try:
        assert tray.start()
        qtbot.waitUntil(lambda: isinstance(tray.engine, AttachedEngine), timeout=15_000)
        first = tray.engine
        host.stop()  # the service stops for an update...
        qtbot.waitUntil(lambda: tray._lost_since is not None, timeout=10_000)
        host = HostProcess(office, HostKind.RUN)  # ...and comes back
        qtbot.waitUntil(
            lambda: isinstance(tray.engine, AttachedEngine) and tray.engine is not first,
            timeout=15_000,
        )
        document = office.add(client, "other")
        model = tray.window.status_view.model
        qtbot.waitUntil(lambda: model.document(document.id) is not None, timeout=30_000)

        host.stop()  # gone for good: after a while the window syncs by itself
        qtbot.waitUntil(lambda: isinstance(tray.engine, EngineProcess), timeout=30_000)
        later = office.add(client, "other")
        qtbot.waitUntil(
            lambda: (office.root / "box" / later.files[0].name).is_file(), timeout=60_000
        )
    finally:
        host.stop()


def test_the_tray_app_leaves_the_service_s_login_to_an_administrator(
    qtbot: QtBot, office: Office, tray: FerryApp
) -> None:
    host = HostProcess(office, HostKind.SERVICE)
    try:
        assert tray.start()
        qtbot.waitUntil(lambda: isinstance(tray.engine, AttachedEngine), timeout=15_000)
        tray.log_out()

        def said() -> str:
            boxes = [b for b in tray.window.findChildren(QMessageBox) if b.isVisible()]
            return boxes[0].informativeText() if boxes else ""

        qtbot.waitUntil(lambda: "Ferry.exe service logout" in said(), timeout=5_000)
        assert load_login(office.home.settings_dir) is not None and host.running
    finally:
        host.stop()
