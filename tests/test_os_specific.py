"""The OS seams that run here: a rename that never replaces, both ways Linux offers it, and
Windows' own (MoveFileExW without REPLACE_EXISTING) on the Windows CPython."""

from __future__ import annotations

import ctypes
import errno
import subprocess
import sys
from pathlib import Path

import pytest

from app import os_specific
from app.os_specific import AlreadyLocked, lock_exclusively, rename_no_replace
from tests.conftest import REPO, WINDOWS

WAYS = ["MoveFileExW"] if WINDOWS else ["renameat2", "link then unlink"]


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test runs with renameat2 (when this kernel has it) and with the older way; on
    Windows with Windows' own rename."""
    if request.param == "renameat2" and os_specific._renameat2 is None:
        pytest.skip("this C library has no renameat2")
    if request.param == "link then unlink":
        monkeypatch.setattr(os_specific, "_renameat2", None)
    return str(request.param)


@pytest.mark.windows
def test_a_free_name_is_taken_and_the_source_is_gone(tmp_path: Path, way: str) -> None:
    source, target = tmp_path / ".~ferry-1.partial", tmp_path / "INV-1.xml"
    source.write_bytes(b"<Invoice/>")
    rename_no_replace(source, target)
    assert target.read_bytes() == b"<Invoice/>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["INV-1.xml"]


@pytest.mark.windows
def test_a_taken_name_is_refused_and_both_files_stay(tmp_path: Path, way: str) -> None:
    source, target = tmp_path / ".~ferry-1.partial", tmp_path / "INV-1.xml"
    source.write_bytes(b"ours")
    target.write_bytes(b"the accounting software's")
    with pytest.raises(FileExistsError) as raised:
        rename_no_replace(source, target)
    assert raised.value.filename == str(target)
    assert target.read_bytes() == b"the accounting software's"
    assert source.read_bytes() == b"ours"


@pytest.mark.windows
def test_a_missing_source_is_the_systems_own_error(tmp_path: Path, way: str) -> None:
    with pytest.raises(FileNotFoundError) as raised:
        rename_no_replace(tmp_path / "gone.partial", tmp_path / "INV-1.xml")
    assert raised.value.errno == errno.ENOENT
    assert not (tmp_path / "INV-1.xml").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_a_file_system_that_cannot_refuse_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """renameat2 answering EINVAL (a file system without RENAME_NOREPLACE): the link way."""
    calls: list[tuple[bytes, bytes]] = []

    def no_noreplace(
        _from_dir: int, source: bytes, _to_dir: int, target: bytes, _flags: int
    ) -> int:
        calls.append((source, target))
        ctypes.set_errno(errno.EINVAL)
        return -1

    monkeypatch.setattr(os_specific, "_renameat2", no_noreplace)
    source, target = tmp_path / "a.partial", tmp_path / "a.xml"
    source.write_bytes(b"x")
    rename_no_replace(source, target)
    assert calls == [(bytes(source), bytes(target))]
    assert target.read_bytes() == b"x" and not source.exists()


TRY_THE_LOCK = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from app.os_specific import AlreadyLocked, lock_exclusively
try:
    lock_exclusively(Path(sys.argv[2]))
except AlreadyLocked:
    print("refused")
else:
    print("taken")
"""


@pytest.mark.windows
def test_the_engine_lock_has_one_holder_at_a_time(tmp_path: Path) -> None:
    """One engine per home: flock on POSIX, a byte-range lock (msvcrt) on Windows."""
    path = tmp_path / "state" / "engine.lock"
    held = lock_exclusively(path)
    with pytest.raises(AlreadyLocked):
        lock_exclusively(path)
    other = subprocess.run(
        [sys.executable, "-c", TRY_THE_LOCK, str(REPO), str(path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert other.stdout.strip() == "refused"
    held.close()  # type: ignore[attr-defined]  # as when the engine's process ends
    lock_exclusively(path).close()  # type: ignore[attr-defined]
