from __future__ import annotations

import errno
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.logs import (
    LOG_FILE_NAME,
    RotatingLogHandler,
    ScrubbingFormatter,
    scrub,
    setup_logging,
)
from tests.conftest import WINDOWS

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
        ("proxy http://office:Pr0xyPa55@proxy.local:3128 refused", "Pr0xyPa55"),
        ("proxy socks5://office:Pr0xyPa55@10.0.0.1:1080 refused", "office:"),
        ("send: 'AUTH PLAIN AG1haWxlcgBzM2NyM3Q='", "AG1haWxlcgBzM2NyM3Q="),
        ("smtp_password=s3cr3t-smtp", "s3cr3t-smtp"),
    ],
)
def test_secrets_are_scrubbed(line: str, secret: str) -> None:
    assert secret not in scrub(line)


def test_ordinary_lines_are_kept() -> None:
    line = "delivered INV-2026-00042.xml to C:\\Winbooks\\Data\\BE0403019261\\inbound (12 kB)"
    assert scrub(line) == line
    address = "the platform at https://api.example.be:8443/v1 answered 503"
    assert scrub(address) == address
    failure = "[platform_error status_code='500' error_code='busy'] The platform failed"
    assert scrub(failure) == failure


def test_rotated_logs_are_kept_30_days_and_no_longer(tmp_path: Path) -> None:
    """Support asks about what happened weeks ago: a month of rotated logs stays (not only
    the last few rotations), and nothing older fills the office's disk."""
    log_file = tmp_path / LOG_FILE_NAME
    now = time.time()
    ages_days = {1: 0.5, 2: 10, 3: 29.5, 4: 30.5, 5: 200}
    for number, age in ages_days.items():
        backup = tmp_path / f"{LOG_FILE_NAME}.{number}"
        backup.write_text(f"backup {number}\n")
        os.utime(backup, (now - age * 86400, now - age * 86400))
    handler = RotatingLogHandler(log_file, max_bytes=200, backup_count=50)
    try:
        assert handler.keep_s == 30 * 86400
        kept = sorted(p.name for p in tmp_path.iterdir())
        assert kept == [f"{LOG_FILE_NAME}.{n}" for n in (1, 2, 3)]
        handler.setFormatter(logging.Formatter("%(message)s"))
        for index in range(12):  # several rotations: the young backups move up, none is lost
            handler.emit(logging.makeLogRecord({"msg": f"line {index:02d} " + "x" * 60}))
    finally:
        handler.close()
    text = "".join(p.read_text() for p in tmp_path.iterdir())
    assert all(f"backup {n}" in text for n in (1, 2, 3))
    assert all(f"line {index:02d}" in text for index in range(12))


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
    assert len(handlers) == 1 and isinstance(handlers[0], RotatingLogHandler)


# -- a log file another program holds open -------------------------------------------------------


@pytest.fixture
def rotating(tmp_path: Path) -> Iterator[tuple[logging.Logger, RotatingLogHandler]]:
    """A logger of the test's own writing through a small rotating handler (2,000 bytes, 3
    backups), trying a postponed rotation again at every record."""
    folder = tmp_path / "logs"
    folder.mkdir()
    handler = RotatingLogHandler(folder / LOG_FILE_NAME, max_bytes=2000, backup_count=3)
    handler.setFormatter(ScrubbingFormatter("%(levelname)s %(message)s"))
    handler.retry_s = 0
    logger = logging.getLogger(f"ferry.test.rotation.{secrets.token_hex(4)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield logger, handler
    finally:
        logger.removeHandler(handler)
        handler.close()


def _lines(folder: Path) -> list[str]:
    """Every line of the log and its backups, oldest first."""
    files = sorted(folder.glob(f"{LOG_FILE_NAME}.*"), key=lambda p: -int(p.suffix[1:]))
    return [
        line for path in [*files, folder / LOG_FILE_NAME] for line in path.read_text().splitlines()
    ]


def _refuse_renaming(handler: RotatingLogHandler, path: Path) -> Callable[[], None]:
    """Linux's stand-in for Windows refusing to rename a file another program holds open
    (POSIX renames open files): renames of ``path`` fail until the returned function runs."""
    refusing = [True]  # emptied once the other program lets go

    def rotator(source: str, destination: str) -> None:
        if refusing and Path(source) == path:
            raise PermissionError(errno.EACCES, "held by another program", source)
        os.rename(source, destination)

    handler.rotator = rotator
    return refusing.clear


@pytest.mark.windows
def test_a_log_held_open_elsewhere_is_written_on_and_rotated_later(
    rotating: tuple[logging.Logger, RotatingLogHandler], capsys: pytest.CaptureFixture[str]
) -> None:
    """Another program holds ferry.log (on Windows for real: another Ferry writing the same log
    has it open, as a log viewer or a backup tool would): the rotation is refused, every record
    still goes into the current file, the log says once that rotating was postponed, and the
    rotation happens at a record after the file is free."""
    logger, handler = rotating
    log_file = Path(handler.baseFilename)
    logger.info("record 000 " + "." * 80)
    if WINDOWS:
        holder = log_file.open("a", encoding="utf-8")  # as another process's Python has it
        release = holder.close
    else:
        release = _refuse_renaming(handler, log_file)
    try:
        for number in range(1, 100):
            secret = f" refresh_token={JWT}" if number == 50 else ""
            logger.info("record %03d %s%s", number, "." * 80, secret)
        assert not list(log_file.parent.glob(f"{LOG_FILE_NAME}.*"))  # not rotated meanwhile
        assert log_file.stat().st_size > 2000 * 3  # grows past its size while held
    finally:
        release()
    logger.info("record 100")
    lines = _lines(log_file.parent)
    records = [line for line in lines if line.startswith("INFO record")]
    assert [line[12:15] for line in records] == [f"{n:03d}" for n in range(101)]
    assert len([line for line in lines if "is postponed" in line]) == 1
    assert sorted(p.name for p in log_file.parent.iterdir()) == [
        LOG_FILE_NAME,
        f"{LOG_FILE_NAME}.1",
    ]
    assert JWT not in "\n".join(lines) and "refresh_token=[removed]" in "\n".join(lines)
    assert capsys.readouterr().err == ""  # no "--- Logging error ---" and its traceback


@pytest.mark.windows
def test_postponed_rotations_push_no_backup_out(
    rotating: tuple[logging.Logger, RotatingLogHandler],
) -> None:
    logger, handler = rotating
    log_file = Path(handler.baseFilename)
    for number in (1, 2, 3):
        log_file.with_name(f"{LOG_FILE_NAME}.{number}").write_text(f"backup {number}\n")
    log_file.write_text("the current log " + "." * 2000 + "\n")
    release = _refuse_renaming(handler, log_file)  # the rename of the log itself fails
    for number in range(20):
        logger.info("record %02d", number)  # twenty refused rotations
    release()
    logger.info("record 20")
    names = {n: log_file.with_name(f"{LOG_FILE_NAME}.{n}").read_text() for n in (1, 2, 3)}
    assert names[1].startswith("the current log") and "record 19" in names[1]
    assert (names[2], names[3]) == ("backup 1\n", "backup 2\n")  # only the oldest went, once


@pytest.mark.windows
def test_a_log_nobody_may_open_keeps_its_records_until_it_opens_again(
    rotating: tuple[logging.Logger, RotatingLogHandler],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """An antivirus opens the log with share mode 0 while Ferry starts: Ferry cannot open it
    at all. The records wait, in order, and go in (with a line saying so) once it opens."""
    logger, handler = rotating
    log_file = Path(handler.baseFilename)
    log_file.write_text("an earlier run's record\n")
    if WINDOWS:
        held = request.getfixturevalue("hold_open")(log_file)
        release = held.close
    else:
        real_open = handler._open
        refusing = [True]

        def refused_open() -> Any:
            if refusing:
                raise PermissionError(errno.EACCES, "held by another program", str(log_file))
            return real_open()

        monkeypatch.setattr(handler, "_open", refused_open)
        release = refusing.clear
    for number in range(10):
        logger.info("record %d", number)
    handler.flush()  # nothing to flush into yet, and no error either
    release()
    logger.info("record 10")
    lines = log_file.read_text().splitlines()
    assert lines[0] == "an earlier run's record"
    assert "could not be opened" in lines[1]
    assert lines[2:] == [f"INFO record {n}" for n in range(11)]
    assert capsys.readouterr().err == ""


@pytest.mark.windows
def test_records_kept_while_the_log_cannot_be_opened_go_in_at_close(
    rotating: tuple[logging.Logger, RotatingLogHandler], monkeypatch: pytest.MonkeyPatch
) -> None:
    logger, handler = rotating
    real_open = handler._open
    attempts: list[int] = []

    def refused_twice() -> Any:
        attempts.append(1)
        if len(attempts) <= 2:
            raise PermissionError(errno.EACCES, "held by another program")
        return real_open()

    monkeypatch.setattr(handler, "_open", refused_twice)
    logger.info("the last record before Ferry quits")
    handler.close()  # waits a moment for the file to open
    text = Path(handler.baseFilename).read_text()
    assert text.endswith("INFO the last record before Ferry quits\n")
