"""Alerts in the Windows Event Log, where an office's IT partner looks on a server nobody
logs on to.

Written the way the Ferry service already writes there (:mod:`app.service.windows_service`):
through pywin32's ``servicemanager``, under the service's event source (its name, "Ferry",
registered with pywin32's message file when the service is installed), one generic message
whose text is the alert's words — a warning when an alert begins, information when it ends.
Only a service writes there (:class:`app.engine.host.HostKind`); ``ferry run`` and the
desktop app have their own log and the tray. Elsewhere than on Windows this is a no-op: the
OS-specific part is :func:`write` alone.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)


def write(text: str, *, warning: bool) -> bool:
    """Write ``text`` into the Application log as a warning (or information); False when
    there is no Event Log here or it refused (said in Ferry's own log, which has the text
    anyway)."""
    if sys.platform != "win32":
        return False
    try:  # pragma: no cover - Windows
        import servicemanager

        if warning:
            servicemanager.LogWarningMsg(text)
        else:
            servicemanager.LogInfoMsg(text)
    except Exception as error:  # pragma: no cover - pywintypes.error: the log is full, ...
        log.warning("the Windows Event Log refused an alert: %s", error)
        return False
    return True  # pragma: no cover - Windows
