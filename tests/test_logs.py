from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.logs import LOG_FILE_NAME, scrub, setup_logging

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        (f"got token {JWT} for demo", JWT),
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ('{"refresh_token": "r3fr3sh-s3cr3t", "expires_in": 300}', "r3fr3sh-s3cr3t"),
        (
            "POST /token grant_type=authorization_code&code=c0de123&code_verifier=v3rif13r",
            "c0de123",
        ),
        (
            "POST /token grant_type=authorization_code&code=c0de123&code_verifier=v3rif13r",
            "v3rif13r",
        ),
        ("login with password=hunter2", "hunter2"),
        ("access_token='at-123'", "at-123"),
    ],
)
def test_secrets_are_scrubbed(line: str, secret: str) -> None:
    assert secret not in scrub(line)


def test_ordinary_lines_are_kept() -> None:
    line = "delivered INV-2026-00042.xml to C:\\Winbooks\\Data\\BE0403019261\\inbound (12 kB)"
    assert scrub(line) == line


def test_log_file_rotates_in_the_log_folder_and_never_holds_a_secret(tmp_path: Path) -> None:
    log_file = setup_logging(tmp_path / "logs")
    assert setup_logging(tmp_path / "logs") == log_file  # a second call changes nothing
    logger = logging.getLogger("ferry.test")
    logger.info("refresh failed for %s", f"refresh_token={JWT}")
    try:
        raise RuntimeError(f"token {JWT} refused")
    except RuntimeError:
        logger.exception("while refreshing")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text()
    assert log_file.name == LOG_FILE_NAME and log_file.parent == tmp_path / "logs"
    assert "refresh failed" in text and "while refreshing" in text
    assert JWT not in text and "eyJ" not in text
    handlers = [h for h in logging.getLogger().handlers if getattr(h, "_ferry", False)]
    assert len(handlers) == 1
