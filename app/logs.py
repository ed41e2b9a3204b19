"""Logging, set up once: rotating files in the log folder, secrets scrubbed from every line.

Secrets must never reach a log, whoever writes the line (our code, httpx, authlib), so the
scrubbing sits in the formatter of every handler rather than at each call site.

On Windows a file another program holds open cannot be renamed (an antivirus or a backup tool
scanning it, a log viewer, another Ferry process writing the same log), and one opened with
share mode 0 cannot even be opened. The standard rotating handler then prints a traceback to
stderr for every record and loses it; :class:`RotatingLogHandler` keeps writing to the current
file, tries the rotation again later, says once in the log that it was postponed, and keeps
the records it could not write yet until the file opens again.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import time
from collections import deque
from pathlib import Path

LOG_FILE_NAME = "ferry.log"
MAX_BYTES = 5 * 1024 * 1024
#: Rotated files are kept this long: support asks about what happened weeks ago.
KEEP_DAYS = 30
#: However busy the month, the logs of one file never take more than this many backups
#: (250 MB): the disk is the office's.
BACKUP_COUNT = 50
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # JSON Web Tokens (access and ID tokens)
    (re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), "[jwt removed]"),
    # Authorization headers
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [removed]"),
    # credentials in an address (a proxy's http://user:password@host)
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@"), r"\1[removed]@"),
    # SMTP's AUTH PLAIN / AUTH LOGIN, whose argument is the credentials in base64
    (re.compile(r"(?i)\b(auth\s+(?:plain|login))\s+[A-Za-z0-9+/=]+"), r"\1 [removed]"),
    # key=value and "key": "value" forms of well-known secret fields
    (
        re.compile(
            r"(?i)([\"']?\b(?:code|code_verifier|(?:[a-z0-9]+_)*(?:token|secret|password|passwd|"
            r"api_?key))\b[\"']?\s*[:=]\s*[\"']?)([^\"'&\s,}]+)"
        ),
        r"\1[removed]",
    ),
)


def scrub(text: str) -> str:
    """``text`` with anything that looks like a token, code or password replaced."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubbingFormatter(logging.Formatter):
    """A formatter whose output has secrets removed, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class RotatingLogHandler(logging.handlers.RotatingFileHandler):
    """A size-rotating log file that never loses a record to a file another program holds.

    - A rotation refused (the file or a backup is held open) is postponed: the records go on
      into the current file, the log says so once, and the rotation is tried again at the first
      record after :attr:`retry_s`.
    - Backups move up only as far as the first free number, so postponed rotations never push
      old backups out, and a rotation that failed half-way leaves every file in place.
    - A file that cannot be opened at all (held with share mode 0) gets its records later, in
      order, at the next record, flush or close after it opens again; up to :attr:`max_pending`
      characters are kept meanwhile (beyond, the oldest go, and the log says how many).
    """

    retry_s = 30.0
    max_pending = MAX_BYTES
    close_wait_s = 2.0

    def __init__(
        self,
        filename: Path | str,
        *,
        max_bytes: int,
        backup_count: int,
        keep_days: float = KEEP_DAYS,
    ) -> None:
        super().__init__(
            filename, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True
        )
        self.keep_s = keep_days * 86400
        self.remove_expired()
        self._pending: deque[str] = deque()
        self._pending_chars = 0
        self._dropped = 0
        self._retry_at = 0.0
        self._postponed = False  # said in the log, until a rotation succeeds again
        self._unopened_since: float | None = None
        self._unopened_error: OSError | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record) + self.terminator
        except Exception:
            self.handleError(record)
            return
        self._keep(text)
        self._write_pending(rotate=True)

    def flush(self) -> None:
        self.acquire()
        try:
            if self._pending:
                self._write_pending(rotate=False)
            super().flush()
        finally:
            self.release()

    def close(self) -> None:
        self.acquire()
        try:
            deadline = time.monotonic() + self.close_wait_s
            while self._pending and time.monotonic() < deadline:
                self._write_pending(rotate=False)
                if self._pending:
                    time.sleep(0.1)
            if self._pending and sys.stderr is not None:  # the last place they can still go
                sys.stderr.write("".join(self._pending))
                self._pending.clear()
            super().close()
        finally:
            self.release()

    # -- writing ---------------------------------------------------------------------------

    def _keep(self, text: str) -> None:
        self._pending.append(text)
        self._pending_chars += len(text)
        while self._pending_chars > self.max_pending and len(self._pending) > 1:
            self._pending_chars -= len(self._pending.popleft())
            self._dropped += 1

    def _write_pending(self, *, rotate: bool) -> None:
        try:
            if self.stream is None:
                self.stream = self._open()
        except OSError as error:
            if self._unopened_since is None:
                self._unopened_since = time.monotonic()
                self._unopened_error = error
            return
        if self._unopened_since is not None:
            waited = time.monotonic() - self._unopened_since
            self._unopened_since = None
            self._note(
                f"{Path(self.baseFilename).name} could not be opened for {waited:.0f} s "
                f"({self._unopened_error}); the records of that time follow"
            )
        if self._dropped:
            self._note(
                f"{self._dropped} log records were lost: {Path(self.baseFilename).name} could "
                "not be opened for too long"
            )
            self._dropped = 0
        try:
            if rotate and self._rotation_due():
                self._rotate()
                if self.stream is None:
                    self.stream = self._open()
            while self._pending:
                text = self._pending[0]
                self.stream.write(text)
                self._pending.popleft()
                self._pending_chars -= len(text)
            self.stream.flush()
        except OSError:
            if self.stream is not None and self.stream.closed:
                self.stream = None  # opened again at the next record

    def _rotation_due(self) -> bool:
        if self.maxBytes <= 0 or self.backupCount <= 0 or time.monotonic() < self._retry_at:
            return False
        log_file = Path(self.baseFilename)
        if log_file.exists() and not log_file.is_file():
            return False  # a device (os.devnull) never rotates
        assert self.stream is not None
        self.stream.seek(0, os.SEEK_END)
        size = self.stream.tell()
        return size > 0 and size + len(self._pending[0]) >= self.maxBytes

    def _note(self, message: str) -> None:
        """A line of this handler's own, in the log's own format, before the pending records."""
        record = logging.LogRecord(__name__, logging.WARNING, __file__, 0, message, None, None)
        text = self.format(record) + self.terminator
        self._pending.appendleft(text)
        self._pending_chars += len(text)

    # -- rotating --------------------------------------------------------------------------

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        self.remove_expired()
        try:
            self._move_backups_up()
            self.rotate(self.baseFilename, self._backup(1))
        except OSError as error:
            self._retry_at = time.monotonic() + self.retry_s
            if not self._postponed:
                self._postponed = True
                self._note(
                    f"rotating {Path(self.baseFilename).name} is postponed: another program "
                    f"has it (or one of its backups) open ({error}); Ferry keeps writing to it "
                    f"and tries again every {self.retry_s:.0f} s"
                )
            return
        if self._postponed:
            self._postponed = False
            self._note(f"{Path(self.baseFilename).name} was rotated after being postponed")

    def remove_expired(self, now: float | None = None) -> list[Path]:
        """Delete the backups last written more than :attr:`keep_s` ago (at start and at each
        rotation); one held open by another program is left for the next time."""
        limit = (time.time() if now is None else now) - self.keep_s
        removed = []
        for number in range(1, self.backupCount + 1):
            backup = Path(self._backup(number))
            try:
                if backup.stat().st_mtime < limit:
                    backup.unlink()
                    removed.append(backup)
            except OSError:
                continue
        return removed

    def _backup(self, number: int) -> str:
        return self.rotation_filename(f"{self.baseFilename}.{number}")

    def _move_backups_up(self) -> None:
        """Free backup number 1: move up the backups below the first free number (the oldest
        goes when none is free). Top down, so a failure leaves every file under a name."""
        free = next(
            (n for n in range(1, self.backupCount + 1) if not Path(self._backup(n)).exists()),
            None,
        )
        if free is None:
            Path(self._backup(self.backupCount)).unlink()
            free = self.backupCount
        for number in range(free - 1, 0, -1):
            self.rotate(self._backup(number), self._backup(number + 1))


_configured_for: Path | None = None


def setup_logging(log_dir: Path, *, level: int = logging.INFO, console: bool = False) -> Path:
    """Send Ferry's logs to a rotating file in ``log_dir``; calling it again changes nothing.

    Returns the log file's path.
    """
    global _configured_for
    log_file = log_dir / LOG_FILE_NAME
    if _configured_for == log_file:
        return log_file
    log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_ferry", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = RotatingLogHandler(log_file, max_bytes=MAX_BYTES, backup_count=BACKUP_COUNT)
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(ScrubbingFormatter(FORMAT))
        handler._ferry = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request line at INFO; one line per document download is noise.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    _configured_for = log_file
    return log_file
