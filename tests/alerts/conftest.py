"""The alerts' fixtures: a real SMTP server on 127.0.0.1, started by the test, and the engine
tests' logged-in office on the sandbox, for the alerts of a real engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.engine.conftest import office  # noqa: F401 - a fixture, used by name


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[Any]:
    """``start(tls=True, login=True)`` gives a running :class:`MailServer
    <tests.alerts.smtp_server.MailServer>`; every server is stopped after the test."""
    from tests.alerts.smtp_server import servers

    yield from servers(tmp_path)
