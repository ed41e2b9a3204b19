"""Handing files, folders and web addresses to the desktop (Explorer, Finder, the XDG file
manager, the system browser).

Small functions, so the rest of the GUI never talks to the OS directly and tests replace just
these (``monkeypatch.setattr(desktop, "open_path", ...)``) instead of opening real windows.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


class OpenProblem(StrEnum):
    """Why the desktop did not open a path, as data (the window says it in words)."""

    GONE = "gone"
    """Nothing is there any more: the accounting software picked it up, or it was moved."""
    NO_APPLICATION = "no_application"
    """The file is there; no program is set up to open files of its kind."""
    REFUSED = "refused"
    """The folder is there; the desktop refused anyway (no file manager, a share refused)."""


def open_path(path: str) -> bool:
    """Open a file with its default application, or a folder in the file manager.

    Returns False when the desktop refused. The file's existence is not checked here on
    purpose: a stat on a dead network share can block for half a minute, and the GUI thread
    never waits on disk; the desktop reports a missing file itself.
    """
    if not path:
        return False
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(path)))


def open_url(url: str) -> bool:
    """Open a web address in the system browser; False when no browser could be opened.

    The login opens the platform's login page through this, so tests replace it with a
    "browser" of their own (``monkeypatch.setattr(desktop, "open_url", ...)``).
    """
    return bool(QDesktopServices.openUrl(QUrl(url)))


def why_not_opened(path: str) -> OpenProblem:
    """Why :func:`open_path` failed for ``path``. Blocking (a dead share takes long to
    answer): run it on a worker thread, never on the GUI thread."""
    where = Path(path)
    if not where.exists():
        return OpenProblem.GONE
    return OpenProblem.REFUSED if where.is_dir() else OpenProblem.NO_APPLICATION
