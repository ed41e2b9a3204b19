"""Logging, set up once: rotating files in the log folder, secrets scrubbed from every line.

Secrets must never reach a log, whoever writes the line (our code, httpx, authlib), so the
scrubbing sits in the formatter of every handler rather than at each call site.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_FILE_NAME = "ferry.log"
MAX_BYTES = 5 * 1024 * 1024
BACKUP_COUNT = 10
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # JSON Web Tokens (access and ID tokens)
    (re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), "[jwt removed]"),
    # Authorization headers
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [removed]"),
    # key=value and "key": "value" forms of well-known secret fields
    (
        re.compile(
            r"(?i)([\"']?\b(?:access_token|refresh_token|id_token|code_verifier|code|"
            r"client_secret|password|token|secret)\b[\"']?\s*[:=]\s*[\"']?)([^\"'&\s,}]+)"
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
    file_handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
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
