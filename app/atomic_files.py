"""Writing a small file so that readers see the old content or the new, never half of it."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from pathlib import Path

from app.os_specific import is_locked_error, naming

log = logging.getLogger(__name__)

#: How long a replace refused because another program holds the file is tried again. Ferry's
#: own small files (settings, login, autostart entry) are held for milliseconds at a time (a
#: reader, an antivirus scanning the new version), and the caller waits: seconds, not the
#: minute a delivery waits for the accounting software.
REPLACE_RETRY_S = 5.0


def write_text_atomic(path: Path, text: str, *, retry_s: float = REPLACE_RETRY_S) -> None:
    """Replace ``path`` with ``text``: temporary file in the same folder, flush, fsync, rename.

    On Windows the rename fails while another program has ``path`` open (WinError 5, or 32):
    it is tried again for up to ``retry_s``. An OSError names ``path``, never the temporary
    file (the system names the rename's source first).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise naming(error, path) from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        replace_when_free(Path(temporary), path, retry_s=retry_s)
    except BaseException as error:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        if isinstance(error, OSError):
            raise naming(error, path) from error
        raise


def replace_when_free(source: Path, target: Path, *, retry_s: float = REPLACE_RETRY_S) -> None:
    """``source.replace(target)``, tried again for up to ``retry_s`` while another program
    holds ``target`` (or ``source``) open; blocks meanwhile, so never on the GUI thread.
    The error, when it still fails, is the system's (naming ``source`` first)."""
    deadline = time.monotonic() + retry_s
    pause = 0.02
    waited = False
    while True:
        try:
            source.replace(target)
            return
        except OSError as error:
            if not is_locked_error(error) or time.monotonic() >= deadline:
                raise
            if not waited:
                log.info(
                    "%s is held by another program; retrying for up to %.0f s", target, retry_s
                )
                waited = True
        time.sleep(pause)
        pause = min(pause * 2, 0.5)
