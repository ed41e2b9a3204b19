"""Alerts in the Windows Event Log: written through the real API on Windows (read back where
the log keeps them; Wine accepts events but keeps none), and nothing elsewhere."""

from __future__ import annotations

import secrets
import sys
import time
from typing import Any

import pytest

from app.alerts import event_log
from tests.conftest import ONLY_ON_WINDOWS, WINDOWS


@pytest.mark.skipif(WINDOWS, reason="the other systems' case")
def test_elsewhere_than_windows_nothing_is_written() -> None:
    assert event_log.write("Ferry has delivered nothing for a while", warning=True) is False


def _under_wine() -> bool:
    assert sys.platform == "win32"
    import winreg

    try:
        winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Software\Wine"))
    except OSError:
        return False
    return True


@pytest.mark.windows
@pytest.mark.skipif(not WINDOWS, reason=ONLY_ON_WINDOWS)
def test_an_alert_is_written_and_read_back_from_the_application_log() -> None:
    import win32evtlog

    marker = f"Ferry test alert {secrets.token_hex(4)}: a destination folder cannot be reached"
    assert event_log.write(marker, warning=True) is True
    assert event_log.write(marker.replace("cannot be reached", "is back"), warning=False)
    if _under_wine():
        pytest.skip("Wine accepts events but keeps no Event Log to read them back from")
    handle = win32evtlog.OpenEventLog(None, "Application")
    flags = win32evtlog.EVENTLOG_BACKWARDS_READ | win32evtlog.EVENTLOG_SEQUENTIAL_READ
    found: list[Any] = []
    deadline = time.monotonic() + 10
    try:
        while not found and time.monotonic() < deadline:
            for record in win32evtlog.ReadEventLog(handle, flags, 0) or []:
                if any(marker in (text or "") for text in record.StringInserts or ()):
                    found.append(record)
            time.sleep(0.2)
    finally:
        win32evtlog.CloseEventLog(handle)
    assert found and found[0].EventType == win32evtlog.EVENTLOG_WARNING_TYPE
