"""Every GUI test runs with Ferry's English translator installed, as the app always does
(English plural forms such as "1 change" / "2 changes" come from ferry_en.ts); the GUI's
asyncio loop and a stand-in for the system browser, for the tests that log in."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
import qasync
from PySide6.QtWidgets import QApplication

from app.core.language import Language
from app.gui import desktop
from app.gui.i18n import install_translator
from app.sandbox.testkit import read_login_form


@pytest.fixture(scope="session", autouse=True)
def english_translator(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> None:
    cache: Path = tmp_path_factory.mktemp("qm-cache")
    assert install_translator(qapp, Language.EN, cache_dir=cache) is Language.EN


# -- the GUI's asyncio loop, as run_gui has it -----------------------------------------------------


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """qasync's loop over the test's QApplication, as run_gui has it: pytest-qt's waits spin
    Qt's event loop, which runs the wizard's coroutines as ``app.exec()`` does in the app.

    It is made the running loop by hand rather than with ``already_running=True``, whose
    ``stop()`` calls ``QApplication.exit()`` and leaves later tests' loops dead.
    """
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        _finish_tasks(qapp, loop)
        asyncio.events._set_running_loop(None)
        loop.close()
        asyncio.set_event_loop(None)


def _finish_tasks(qapp: QApplication, loop: qasync.QEventLoop, timeout: float = 10) -> None:
    """Let a test's last coroutines (a cancelled login closing its listener) run to their end."""
    tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in tasks:
        task.cancel()
    deadline = time.monotonic() + timeout
    while not all(task.done() for task in tasks) and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.005)


# -- a browser -------------------------------------------------------------------------------------


@dataclass
class Browser:
    """Replaces the system browser: what it was asked to open, and the last page it showed."""

    action: str = "login"  # the login form's button: "login", or "cancel" to decline
    password: str = "demo"
    opens: bool = True  # False: no browser on this computer
    urls: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)

    def open(self, url: str) -> bool:
        self.urls.append(url)
        if not self.opens:
            return False
        threading.Thread(target=self._browse, args=(url,), daemon=True).start()
        return True

    def _browse(self, url: str) -> None:
        """Another process in real life: it must never run on the GUI thread."""
        try:
            with httpx.Client(timeout=60) as http:
                page = http.get(url)
                page.raise_for_status()
                action, inputs = read_login_form(page.text)
                inputs.update(username="demo", password=self.password, action=self.action)
                answer = http.post(urljoin(str(page.url), action), data=inputs)
                assert answer.status_code in (302, 303), answer.text
                back = answer.headers["location"]
                assert back.startswith("http://127.0.0.1:"), back  # Ferry's loopback listener
                self.pages.append(http.get(back).text)
        except BaseException as error:
            self.errors.append(error)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Browser:
    fake = Browser()
    monkeypatch.setattr(desktop, "open_url", fake.open)
    return fake
