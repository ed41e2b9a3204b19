"""Putting one file into a destination folder: never half, never over someone else's file.

The bytes go to a hidden temporary name in the destination folder itself (same volume, so the
final rename is atomic) whose extension is not the final one, so an importer watching
``*.xml`` never sees a partial file. Size and SHA-256 are checked against the platform's
before the rename. The rename never replaces: an identical file already under the name means
the document was delivered (a crash after the rename, or a second run, finds it and stops);
a different file keeps its name and ours gets a numbered one. A rename refused for a while
(antivirus, the accounting software importing) is retried before it counts as a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import hashlib
import itertools
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from app.core.failures import Failure
from app.core.failures import FailureCode as FailureCode  # the name callers import from here
from app.os_specific import (
    fsync_directory,
    hide_file,
    is_locked_error,
    is_sharing_violation,
    open_for_reading,
    rename_no_replace,
    show_file,
)

log = logging.getLogger(__name__)

TEMP_PREFIX = ".~ferry-"
TEMP_SUFFIX = ".partial"
LOCK_RETRY_S = 60.0
MAX_NUMBERED = 999
_READ_CHUNK = 1024 * 1024
#: File-system work runs on this many worker threads at most (see :func:`run_io`). Four
#: overlap the fsync waits; more only contend for the folder's lock in the kernel and for the
#: GIL (measured: 8 threads wrote half as many files a second as 4, for twice the CPU).
IO_WORKERS = 4

T = TypeVar("T")
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _io_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(IO_WORKERS, thread_name_prefix="ferry-files")
        return _pool


async def run_io(function: Callable[..., T], *args: object) -> T:
    """Run blocking file-system work on Ferry's file threads, never on the event loop.

    An fsync or a rename takes milliseconds on a local disk and far more on a network share;
    on the loop they would stop every download meanwhile. The pool is bounded, so a slow
    share ties up at most ``IO_WORKERS`` threads, and the calls release the GIL.
    """
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_io_pool(), functools.partial(function, *args))


class DeliveryError(Exception):
    """A file could not be delivered: ``failure`` says why as data; ``str()`` is its English
    sentence (where, what the OS said and what to do)."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message())
        self.failure = failure

    @property
    def code(self) -> FailureCode:
        return self.failure.code


@dataclass(frozen=True)
class Delivered:
    path: Path
    already_there: bool


def numbered_names(name: str) -> Iterator[str]:
    """``name``, then ``stem (2).ext``, ``stem (3).ext``, ... as sync clients number copies."""
    yield name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, dot, extension = name, "", ""
    for number in range(2, MAX_NUMBERED + 1):
        yield f"{stem} ({number}){dot}{extension}"


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file on disk (read without stopping another program from moving
    it meanwhile; a file another program holds fails with a sharing violation)."""
    digest = hashlib.sha256()
    size = 0
    with open_for_reading(path) as stream:
        while chunk := stream.read(_READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def sync_folders(folders: Iterable[str]) -> None:
    """Make the renames in ``folders`` durable (one fsync each, however many files)."""
    for folder in folders:
        try:
            fsync_directory(Path(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue  # gone since (a person moved it): nothing of ours left to make durable
        except OSError as error:
            raise explain(error, Path(folder)) from None


#: Temporary names: random per import, then the process and a count, so no two processes (a
#: forked one included) and no two files share one, without reading random bytes per file.
_TEMPORARY_RUN = secrets.token_hex(6)
_temporary_numbers = itertools.count()


def temporary_name() -> str:
    """A hidden name never used before, whose extension is never a document's."""
    number = next(_temporary_numbers)
    return f"{TEMP_PREFIX}{_TEMPORARY_RUN}-{os.getpid():x}-{number:x}{TEMP_SUFFIX}"


def is_temporary(name: str) -> bool:
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def remove_stale_temporaries(folder: Path) -> int:
    """Remove temporary files a killed run left in ``folder``; returns how many.

    Each file on its own: one that another program holds (an antivirus scanning it) or that
    Ferry may not remove stays for the next start, and the others go. A folder that cannot be
    read now (a share that is down) is left alone: the deliveries say why.
    """
    removed = 0
    left: list[str] = []
    said = ""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not is_temporary(entry.name):
                    continue
                try:
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    Path(entry.path).unlink()
                except FileNotFoundError:
                    continue  # gone meanwhile
                except OSError as error:
                    left.append(entry.name)
                    said = error.strerror or str(error)
                    continue
                removed += 1
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError as error:
        log.info("cannot look for unfinished temporary files in %s: %s", folder, error)
    if left:
        log.info(
            "left %d unfinished temporary file(s) in %s for the next start (%s): %s",
            len(left),
            folder,
            said,
            ", ".join(left[:5]) + (", ..." if len(left) > 5 else ""),
        )
    return removed


def find_delivered(folder: Path, name: str, size: int, sha256: str) -> Path | None:
    """The file under ``name`` (or a numbered variant) identical to ours, if one exists."""
    for candidate in numbered_names(name):
        path = folder / candidate
        try:
            if path.stat().st_size == size and file_digest(path)[1] == sha256:
                return path
        except FileNotFoundError:
            return None
        except OSError:
            continue
    return None


class StagedFile:
    """One file being written under a temporary name; ``commit`` publishes it."""

    def __init__(
        self,
        folder: Path,
        name: str,
        *,
        lock_retry_s: float = LOCK_RETRY_S,
        sync_folder: bool = True,
    ) -> None:
        """``sync_folder=False``: the caller fsyncs the folder itself (:func:`sync_folders`)
        before it tells anyone the file is there; many files then share one folder fsync."""
        self.folder = folder
        self._sync_folder = sync_folder
        self.name = name
        self.temporary = folder / temporary_name()
        self._lock_retry_s = lock_retry_s
        self._stream: BinaryIO | None = None
        self._digest = hashlib.sha256()
        self._held_bytes: list[bytes] | None = None
        self._prepared = False
        self._published = False
        # The commit's work runs on a file thread; a discard waits for it (see commit_async).
        self._busy = threading.RLock()
        self.size = 0

    def hold(self, chunks: list[bytes]) -> StagedFile:
        """The whole file, in memory: opened, written and committed in one trip to a file
        thread by :meth:`commit_async` (instead of ``open`` and ``write`` on the loop)."""
        self._held_bytes = chunks
        return self

    def open(self) -> StagedFile:
        self._stream = os.fdopen(self._create(), "wb")
        return self

    def _create(self) -> int:
        """The hidden temporary file, new (never one already there), opened for writing."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            try:
                descriptor = os.open(self.temporary, flags, 0o666)
            except FileNotFoundError:  # the folder's first file
                self.folder.mkdir(parents=True, exist_ok=True)
                descriptor = os.open(self.temporary, flags, 0o666)
        except OSError as error:
            raise explain(error, self.folder) from None
        hide_file(self.temporary)
        return descriptor

    def write(self, chunk: bytes) -> None:
        assert self._stream is not None, "open() first"
        try:
            self._stream.write(chunk)
        except OSError as error:
            self.discard()
            raise explain(error, self.folder) from None
        self._digest.update(chunk)
        self.size += len(chunk)

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def discard(self) -> None:
        with self._busy:
            self._discard()

    def _discard(self) -> None:
        if self._stream is not None:
            with contextlib.suppress(OSError):
                self._stream.close()
            self._stream = None
        with contextlib.suppress(OSError):
            self.temporary.unlink()

    def _prepare(self, expected_size: int, expected_sha256: str) -> None:
        """Make the temporary file durable and check it against the platform's figures."""
        if self._held_bytes is not None:
            chunks, self._held_bytes = self._held_bytes, None
            self._write_whole(b"".join(chunks))
        else:
            self._finish_stream()
        if self.size != expected_size or self.sha256 != expected_sha256.lower():
            self.discard()
            raise DeliveryError(
                Failure.of(
                    FailureCode.CHECKSUM,
                    name=self.name,
                    size=self.size,
                    expected_size=expected_size,
                )
            )
        self._prepared = True

    def _write_whole(self, data: bytes) -> None:
        """A file held in memory, written and made durable in as few system calls as can be:
        each one lets the event loop's thread in and out of the GIL, and this runs per file."""
        descriptor = self._create()
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
            os.fsync(descriptor)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.close(descriptor)
            self._discard()
            raise explain(error, self.folder) from None
        try:
            os.close(descriptor)
        except OSError as error:  # a network share may say only now that the write failed
            self._discard()
            raise explain(error, self.folder) from None
        self._digest = hashlib.sha256(data)
        self.size = len(data)

    def _finish_stream(self) -> None:
        """A file written as it came: flush and make it durable."""
        assert self._stream is not None, "open() first"
        try:
            self._stream.flush()
            os.fsync(self._stream.fileno())
            self._stream.close()
            self._stream = None
        except OSError as error:
            self.discard()
            raise explain(error, self.folder) from None

    def _commit_once(self, expected_size: int, expected_sha256: str) -> Delivered:
        """On a file thread: write what is held, fsync, check, then one attempt at the rename."""
        with self._busy:
            if not self._prepared:
                self._prepare(expected_size, expected_sha256)
            delivered = self._publish_once()
            if delivered.already_there:
                self._discard()  # ours is not needed: the same bytes are there
            self._published = True
            return delivered

    async def commit_async(self, expected_size: int, expected_sha256: str) -> Delivered:
        """Check, make durable, and rename to the first free or identical name; a file held by
        another program is waited for (up to ``lock_retry_s``) without stopping the event loop.

        The file work runs on a file thread (:func:`run_io`), in one trip when nothing is
        held; a cancelled commit leaves its thread to finish and then removes the temporary.
        """
        try:
            deadline = time.monotonic() + self._lock_retry_s
            pause = 0.2
            waited = False
            while True:
                try:
                    delivered = await run_io(self._commit_once, expected_size, expected_sha256)
                except OSError as error:
                    if not is_locked_error(error) or time.monotonic() >= deadline:
                        raise explain(error, self.folder) from None
                    if not waited:
                        log.info(
                            "%s is held by another program; retrying the rename for up to "
                            "%.0f s (%s: %s)",
                            self.name,
                            self._lock_retry_s,
                            self.folder,
                            error.strerror or error,
                        )
                        waited = True
                else:
                    if waited:
                        log.info("%s delivered once the other program let go", self.name)
                    return delivered
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)
        finally:
            if not self._published:
                await run_io(self.discard)

    def _publish_once(self) -> Delivered:
        """One attempt at the first free or identical name; OSError when the rename fails.

        The rename comes first and refuses to replace: a free name (nearly always) costs one
        directory change and no look; a taken one is then compared with ours. The temporary
        file is shown first (Windows keeps the hidden attribute through a rename).
        """
        show_file(self.temporary)
        for candidate in numbered_names(self.name):
            target = self.folder / candidate
            try:
                rename_no_replace(self.temporary, target)
            except FileExistsError:
                if _identical(target, self.size, self.sha256) is True:
                    return Delivered(target, already_there=True)
                continue
            if self._sync_folder:
                fsync_directory(self.folder)
            return Delivered(target, already_there=False)
        raise DeliveryError(
            Failure.of(
                FailureCode.NAME_CLASH,
                folder=str(self.folder),
                root=self.folder.anchor or None,
                name=self.name,
                limit=MAX_NUMBERED,
            )
        )


def _identical(path: Path, size: int, sha256: str) -> bool | None:
    """True: the same bytes are there; False: other bytes are; None: nothing is.

    A file of the same size that another program holds (the accounting software importing
    it) cannot be read now: the sharing violation goes up, so the commit waits and looks
    again instead of writing a numbered copy of what may be the same document.
    """
    try:
        if path.stat().st_size != size:
            return False
        return file_digest(path)[1] == sha256
    except FileNotFoundError:
        return None
    except OSError as error:
        if is_sharing_violation(error):
            raise
        return False


#: Errors that mean a file stands where a folder must be: ENOTDIR when a file is one of the
#: folders on the way, EEXIST when ``mkdir`` finds a file under the folder's own name.
_NOT_A_FOLDER = (errno.ENOTDIR, errno.EEXIST)
_UNREACHABLE = (errno.ENOENT, errno.EHOSTDOWN, errno.ENETUNREACH, errno.EIO)


def failure_code(error: OSError) -> FailureCode:
    """What an OS error means for a delivery.

    A sharing violation is a PermissionError on Windows, but no permission is missing:
    another program holds the file (LOCKED, which passes by itself).
    """
    number = error.errno
    if is_sharing_violation(error):
        return FailureCode.LOCKED
    if isinstance(error, PermissionError) or number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return FailureCode.PERMISSION
    if number in (errno.ENOSPC, errno.EDQUOT):
        return FailureCode.DISK_FULL
    if number == errno.ENAMETOOLONG or getattr(error, "winerror", None) == 206:
        return FailureCode.PATH_TOO_LONG
    if is_locked_error(error):
        return FailureCode.LOCKED
    if isinstance(error, (NotADirectoryError, FileExistsError)) or number in _NOT_A_FOLDER:
        return FailureCode.NOT_A_FOLDER
    if number in _UNREACHABLE:
        return FailureCode.UNREACHABLE
    return FailureCode.OS_OTHER


def explain(error: OSError, folder: Path) -> DeliveryError:
    """An OS error as a failure: which folder, what the system said, what to do.

    ``root`` is the folder's drive or share here; the deliverer, which knows the destination,
    replaces it with the fixed start of the destination's path.
    """
    return DeliveryError(
        Failure.of(
            failure_code(error),
            folder=str(folder),
            root=folder.anchor or None,
            said=error.strerror or str(error),
            errno=error.errno,
        )
    )
