"""A file another program holds open: the antivirus scanning Ferry's fresh file, the
accounting software importing a delivered one, a reader of settings.json.

On Windows such a file cannot be renamed, replaced, deleted or (share mode 0) opened until
the other program lets go: the tests marked for Windows only do it for real, with a handle
opened by ``CreateFileW`` with share mode 0 as antivirus tools open files (the official
Windows CPython under Wine, scripts/test-windows). The others give Ferry's code the errors
Windows gives (``PermissionError`` with ``winerror`` 32 or 5), so Linux runs the same logic.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app import atomic_files, os_specific
from app.atomic_files import write_text_atomic
from app.core.failures import FailureCode
from app.engine import delivery
from app.engine.delivery import (
    Delivered,
    DeliveryError,
    StagedFile,
    explain,
    failure_code,
    file_digest,
    is_temporary,
    remove_stale_temporaries,
    temporary_name,
)
from app.os_specific import is_locked_error, is_sharing_violation, naming, open_for_reading
from app.settings import Settings, load_settings, save_settings, settings_path
from tests.conftest import ONLY_ON_WINDOWS, WINDOWS, HeldFile

pytestmark = pytest.mark.windows

DATA = b"<Invoice>" + b"x" * 50_000 + b"</Invoice>"
SHA = hashlib.sha256(DATA).hexdigest()
OTHER = b"<Invoice>" + b"y" * 50_000 + b"</Invoice>"  # the same size, other bytes

Hold = Callable[[Path], HeldFile]
only_on_windows = pytest.mark.skipif(not WINDOWS, reason=ONLY_ON_WINDOWS)


def sharing_violation(path: Path) -> PermissionError:
    """What Windows raises for a file another program holds (WinError 32)."""
    error = PermissionError(errno.EACCES, "The process cannot access the file", str(path))
    error.winerror = 32  # type: ignore[attr-defined]  # as Windows sets it
    return error


def access_denied(path: Path) -> PermissionError:
    """What Windows raises for a replace onto a file another program holds (WinError 5)."""
    error = PermissionError(errno.EACCES, "Access is denied", str(path))
    error.winerror = 5  # type: ignore[attr-defined]
    return error


def deliver(folder: Path, name: str = "INV-1.xml", data: bytes = DATA, **kw: float) -> Delivered:
    staged = StagedFile(folder, name, **kw).hold([data])
    return asyncio.run(staged.commit_async(len(data), hashlib.sha256(data).hexdigest()))


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if is_temporary(name))


Hooks = list[Callable[[Path], object]]


@pytest.fixture
def rename_hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hooks]:
    """Each callable put in the yielded list runs once, with the temporary file, just before
    one of the delivery's renames: an antivirus grabbing Ferry's fresh file."""
    hooks: Hooks = []
    real = delivery.rename_no_replace

    def rename(source: Path, target: Path) -> None:
        if hooks:
            hooks.pop(0)(source)
        real(source, target)

    monkeypatch.setattr(delivery, "rename_no_replace", rename)
    yield hooks


# -- the errors Windows gives, read right (any OS) -------------------------------------------------


def test_a_sharing_violation_is_a_lock_not_a_missing_permission() -> None:
    held = sharing_violation(Path("INV-1.xml"))
    assert is_sharing_violation(held) and is_locked_error(held)
    assert failure_code(held) is FailureCode.LOCKED
    failure = explain(held, Path("D:/Compta/Garage Dubois")).failure
    assert failure.code is FailureCode.LOCKED and failure.transient
    # access denied may be a lock (worth a retry) or a real refusal (the person's to fix)
    denied = access_denied(Path("INV-1.xml"))
    assert is_locked_error(denied) and not is_sharing_violation(denied)
    assert failure_code(denied) is FailureCode.PERMISSION


def test_naming_keeps_the_error_and_names_the_file_the_person_knows(tmp_path: Path) -> None:
    source, target = tmp_path / ".~ferry-1.partial", tmp_path / "INV-1.xml"
    refused = FileExistsError(errno.EEXIST, "Cannot create a file", str(source), None, str(target))
    named = naming(refused, target)
    assert isinstance(named, FileExistsError) and named.errno == errno.EEXIST
    assert named.filename == str(target) and named.filename2 is None
    assert "INV-1.xml" in str(named) and ".~ferry" not in str(named)
    held = naming(sharing_violation(source), target)
    assert isinstance(held, PermissionError) and held.filename == str(target)
    if WINDOWS:  # elsewhere OSError keeps no Windows code
        assert is_sharing_violation(held)
    bare = OSError("no errno at all")
    assert naming(bare, target) is bare


# -- the delivery waits for a file held open -------------------------------------------------------


def test_a_replay_waits_for_the_importer_instead_of_writing_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The same document again (a replay after a crash) while the accounting software has the
    delivered file open: Ferry cannot read it to compare, so it waits, then finds it."""
    first = deliver(tmp_path)
    real = delivery.file_digest
    refusals = iter(range(2))

    def held_twice(path: Path) -> tuple[int, str]:
        if path == first.path and next(refusals, None) is not None:
            raise sharing_violation(path)
        return real(path)

    monkeypatch.setattr(delivery, "file_digest", held_twice)
    caplog.set_level(logging.INFO, logger="app.engine")
    again = deliver(tmp_path, lock_retry_s=20)
    assert again == Delivered(first.path, already_there=True)
    assert os.listdir(tmp_path) == ["INV-1.xml"], "no numbered copy of the same document"
    assert caplog.text.count("is held by another program; retrying the rename") == 1


def test_a_different_file_of_another_size_is_numbered_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its size tells it apart: held open or not, it is never read."""
    (tmp_path / "INV-1.xml").write_bytes(b"the accountant's own, shorter file")

    def never(path: Path) -> tuple[int, str]:
        raise AssertionError(f"read {path}, whose size already differs")

    monkeypatch.setattr(delivery, "file_digest", never)
    assert deliver(tmp_path).path == tmp_path / "INV-1 (2).xml"


# -- Ferry's own small files (settings, login) -----------------------------------------------------


def test_a_replace_refused_for_a_moment_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    path.write_text("old")
    real = Path.replace
    refusals = iter(range(3))

    def refused_three_times(self: Path, target: Path) -> Path:
        if next(refusals, None) is not None:
            raise access_denied(self)  # Windows names the temporary file here
        return real(self, target)

    monkeypatch.setattr(Path, "replace", refused_three_times)
    write_text_atomic(path, "new")
    assert path.read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["settings.json"]


def test_a_replace_refused_for_good_names_the_file_and_leaves_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    path.write_text("old")

    def always_refused(self: Path, target: Path) -> Path:
        raise access_denied(self)

    monkeypatch.setattr(Path, "replace", always_refused)
    started = time.monotonic()
    with pytest.raises(PermissionError) as raised:
        write_text_atomic(path, "new", retry_s=0.3)
    assert 0.3 <= time.monotonic() - started < 5
    assert raised.value.filename == str(path), "the settings file, not Ferry's temporary one"
    assert path.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["settings.json"]


def test_a_replace_that_cannot_be_is_not_retried_and_names_the_file(tmp_path: Path) -> None:
    """A folder where the file should be: the system names the temporary file first (on Linux
    as on Windows); the error names the file Ferry was writing."""
    path = tmp_path / "ferry.desktop"
    path.mkdir()
    (path / "inside").write_text("x")
    started = time.monotonic()
    with pytest.raises(OSError) as raised:
        write_text_atomic(path, "[Desktop Entry]\n", retry_s=0.2 if WINDOWS else 30)
    assert time.monotonic() - started < 10, "not retried for a minute"
    assert raised.value.filename == str(path)
    assert sorted(os.listdir(tmp_path)) == ["ferry.desktop"]


def test_the_default_retry_is_seconds_not_a_minute() -> None:
    assert 1 <= atomic_files.REPLACE_RETRY_S <= 10


# -- the clean-up of temporary files a killed run left ---------------------------------------------


def test_one_temporary_that_cannot_be_removed_does_not_keep_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    names = [temporary_name() for _ in range(4)]
    for name in names:
        (tmp_path / name).write_bytes(b"killed here")
    (tmp_path / "INV-1.xml").write_text("user file")
    held = {names[1], names[2]}
    real = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name in held:
            raise sharing_violation(self)
        real(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    caplog.set_level(logging.INFO, logger="app.engine")
    assert remove_stale_temporaries(tmp_path) == 2
    assert sorted(os.listdir(tmp_path)) == sorted([*held, "INV-1.xml"])
    said = [r for r in caplog.records if "temporary" in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.INFO
    assert "2 unfinished temporary file(s)" in said[0].getMessage()
    held.clear()  # the antivirus let go: the next start removes them
    assert remove_stale_temporaries(tmp_path) == 2
    assert os.listdir(tmp_path) == ["INV-1.xml"]


def test_a_folder_that_cannot_be_read_now_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(path: object) -> None:
        raise OSError(errno.EHOSTDOWN, "Host is down", str(path))

    monkeypatch.setattr(delivery.os, "scandir", unreachable)
    assert remove_stale_temporaries(tmp_path) == 0  # and the engine still starts


# -- for real, on Windows: a handle with share mode 0 ----------------------------------------------


def test_windows_a_rename_waits_for_an_antivirus_then_delivers(
    tmp_path: Path, hold_open: Hold, rename_hook: Hooks
) -> None:
    handles: list[HeldFile] = []

    def antivirus(temporary: Path) -> None:
        handle = hold_open(temporary)
        handle.close_after(1.0)
        handles.append(handle)

    rename_hook.append(antivirus)
    started = time.monotonic()
    delivered = deliver(tmp_path, lock_retry_s=30)
    assert time.monotonic() - started >= 0.9, "it waited for the handle"
    assert handles and not handles[0].open
    assert delivered == Delivered(tmp_path / "INV-1.xml", already_there=False)
    assert delivered.path.read_bytes() == DATA
    assert os.listdir(tmp_path) == ["INV-1.xml"]


def test_windows_a_file_held_for_good_fails_as_locked_and_is_cleaned_up_later(
    tmp_path: Path, hold_open: Hold, rename_hook: Hooks
) -> None:
    handles: list[HeldFile] = []
    rename_hook.append(lambda temporary: handles.append(hold_open(temporary)))
    with pytest.raises(DeliveryError) as raised:
        deliver(tmp_path, lock_retry_s=1.0)
    failure = raised.value.failure
    assert failure.code is FailureCode.LOCKED and failure.transient
    assert failure.param("folder") == str(tmp_path)
    assert "held open by another program" in str(raised.value)
    assert not (tmp_path / "INV-1.xml").exists()
    # the antivirus still holds Ferry's temporary file: it stays until the next start
    assert len(leftovers(tmp_path)) == 1
    assert remove_stale_temporaries(tmp_path) == 0
    handles[0].close()
    assert remove_stale_temporaries(tmp_path) == 1
    assert os.listdir(tmp_path) == []


def test_windows_a_replay_waits_for_the_importer_holding_the_delivered_file(
    tmp_path: Path, hold_open: Hold
) -> None:
    first = deliver(tmp_path)
    importer = hold_open(first.path)
    with pytest.raises(PermissionError) as raised:
        file_digest(first.path)
    assert is_sharing_violation(raised.value)
    importer.close_after(1.0)
    started = time.monotonic()
    again = deliver(tmp_path, lock_retry_s=30)
    assert time.monotonic() - started >= 0.9
    assert again == Delivered(first.path, already_there=True)
    assert os.listdir(tmp_path) == ["INV-1.xml"], "no numbered copy of the same document"


def test_windows_a_held_file_of_the_same_size_but_other_bytes_gets_a_numbered_name(
    tmp_path: Path, hold_open: Hold
) -> None:
    (tmp_path / "INV-1.xml").write_bytes(OTHER)
    hold_open(tmp_path / "INV-1.xml").close_after(0.5)
    delivered = deliver(tmp_path, lock_retry_s=30)
    assert delivered == Delivered(tmp_path / "INV-1 (2).xml", already_there=False)
    assert (tmp_path / "INV-1.xml").read_bytes() == OTHER


def test_windows_the_stale_clean_up_skips_a_held_file(
    tmp_path: Path, hold_open: Hold, caplog: pytest.LogCaptureFixture
) -> None:
    names = [temporary_name() for _ in range(3)]
    for name in names:
        (tmp_path / name).write_bytes(b"killed here")
    antivirus = hold_open(tmp_path / names[1])
    caplog.set_level(logging.INFO, logger="app.engine")
    assert remove_stale_temporaries(tmp_path) == 2
    assert os.listdir(tmp_path) == [names[1]]
    said = [r for r in caplog.records if names[1] in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.INFO
    antivirus.close()
    assert remove_stale_temporaries(tmp_path) == 1
    assert os.listdir(tmp_path) == []


@only_on_windows
def test_windows_a_delivered_file_is_not_hidden(tmp_path: Path) -> None:
    """Windows keeps a file's attributes through a rename: the temporary file is hidden, the
    document must not be (Explorer would not show it, an importer might skip it)."""
    staged = StagedFile(tmp_path, "INV-1.xml").open()
    staged.write(DATA)
    attributes = os.stat(staged.temporary).st_file_attributes  # type: ignore[attr-defined]
    assert attributes & stat.FILE_ATTRIBUTE_HIDDEN  # type: ignore[attr-defined]
    delivered = asyncio.run(staged.commit_async(len(DATA), SHA))
    attributes = os.stat(delivered.path).st_file_attributes  # type: ignore[attr-defined]
    assert not attributes & stat.FILE_ATTRIBUTE_HIDDEN  # type: ignore[attr-defined]


@only_on_windows
def test_windows_reading_a_file_lets_the_importer_move_it(tmp_path: Path) -> None:
    """Ferry comparing a delivered file must not stop the accounting software from taking it
    (Python's own open() would: it denies FILE_SHARE_DELETE)."""
    path = tmp_path / "INV-1.xml"
    path.write_bytes(DATA)
    with path.open("rb"), pytest.raises(PermissionError):
        path.rename(tmp_path / "imported.xml")
    with open_for_reading(path) as stream:
        assert stream.read(9) == b"<Invoice>"
        path.rename(tmp_path / "imported.xml")
        assert stream.read() == DATA[9:]
    assert os.listdir(tmp_path) == ["imported.xml"]
    with pytest.raises(FileNotFoundError) as raised:
        open_for_reading(path)
    assert raised.value.filename == str(path)


@only_on_windows
def test_windows_a_refused_rename_names_the_target(tmp_path: Path) -> None:
    """Windows' own FileExistsError names the source first; Ferry's names the target."""
    source, target = tmp_path / ".~ferry-1.partial", tmp_path / "INV-1.xml"
    source.write_bytes(b"ours")
    target.write_bytes(b"theirs")
    with pytest.raises(FileExistsError) as raw:
        os.rename(source, target)
    assert (raw.value.filename, raw.value.filename2) == (str(source), str(target))
    with pytest.raises(FileExistsError) as ours:
        os_specific.rename_no_replace(source, target)
    assert ours.value.filename == str(target)


@only_on_windows
def test_windows_settings_wait_for_a_reader_holding_the_file(
    tmp_path: Path, hold_open: Hold
) -> None:
    """The engine reading settings.json (Python's open(): no FILE_SHARE_DELETE) or an
    antivirus (share mode 0) while the app saves them: the save waits, then replaces."""
    save_settings(tmp_path, Settings())
    path = settings_path(tmp_path)
    reader = path.open("rb")
    threading.Timer(0.5, reader.close).start()
    started = time.monotonic()
    save_settings(tmp_path, Settings(full_sync_every_days=7))  # the backup, then the file
    assert time.monotonic() - started >= 0.4
    assert load_settings(tmp_path).full_sync_every_days == 7
    hold_open(path).close_after(0.5)
    save_settings(tmp_path, Settings(full_sync_every_days=14))
    assert load_settings(tmp_path).full_sync_every_days == 14
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


@only_on_windows
def test_windows_a_file_held_for_good_is_refused_in_words(tmp_path: Path, hold_open: Hold) -> None:
    path = tmp_path / "login.json"
    write_text_atomic(path, "old")
    hold_open(path)
    with pytest.raises(PermissionError) as raised:
        write_text_atomic(path, "new", retry_s=0.5)
    assert raised.value.filename == str(path)
    assert sorted(os.listdir(tmp_path)) == ["login.json"]
