"""The few things that differ per OS, each in one small function.

Everything else in Ferry is written once; these are the seams where Windows, macOS and Linux
behave differently, so they can be read, reviewed and (where they cannot run here) faked in
one place.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import sys
from pathlib import Path
from typing import Any, BinaryIO

WINDOWS = sys.platform == "win32"

FILE_ATTRIBUTE_HIDDEN = 0x2
_FILE_ATTRIBUTE_NORMAL = 0x80
_INVALID_FILE_ATTRIBUTES = 0xFFFFFFFF

# Windows error codes that mean "someone else has the file open right now".
_WINDOWS_SHARING_VIOLATION = 32
_WINDOWS_LOCK_VIOLATION = 33
_WINDOWS_ACCESS_DENIED = 5


def hide_file(path: Path) -> None:
    """Make ``path`` hidden: its dot-name already hides it on POSIX; Windows needs the attribute."""
    if sys.platform == "win32":  # pragma: no cover - run by the Windows test subset
        _kernel32().SetFileAttributesW(str(path), FILE_ATTRIBUTE_HIDDEN)


def show_file(path: Path) -> None:
    """Undo :func:`hide_file` before the file takes its final name.

    Windows keeps a file's attributes through a rename: a document renamed from a hidden
    temporary file would stay hidden (Explorer does not show it, some importers skip it).
    Nothing to do on POSIX, where the name alone hides. Raises OSError (with ``winerror``,
    32 while another program holds the file) when the attribute cannot be changed.
    """
    if sys.platform != "win32":
        return
    kernel32 = _kernel32()  # pragma: no cover - run by the Windows test subset
    attributes = kernel32.GetFileAttributesW(str(path))
    if attributes == _INVALID_FILE_ATTRIBUTES:
        raise _windows_error(path)
    if attributes & FILE_ATTRIBUTE_HIDDEN:
        visible = attributes & ~FILE_ATTRIBUTE_HIDDEN or _FILE_ATTRIBUTE_NORMAL
        if not kernel32.SetFileAttributesW(str(path), visible):
            raise _windows_error(path)


def _windows_error(path: Path) -> OSError:
    """The calling thread's last Windows error as an OSError naming ``path``."""
    code = ctypes.get_last_error()  # type: ignore[attr-defined]  # Windows only
    return OSError(None, ctypes.FormatError(code), str(path), code)  # type: ignore[attr-defined]


def is_locked_error(error: OSError) -> bool:
    """Whether ``error`` may mean the file is held open by another program (antivirus,
    importer): worth trying again in a moment.

    On Windows a rename from a file another program holds fails with a sharing violation
    (WinError 32), a replace of one with access denied (WinError 5), as does any change to a
    file an antivirus is scanning; all pass in seconds. POSIX has no mandatory locks, so there
    only "busy" counts.
    """
    winerror = getattr(error, "winerror", None)
    if winerror in (_WINDOWS_SHARING_VIOLATION, _WINDOWS_LOCK_VIOLATION, _WINDOWS_ACCESS_DENIED):
        return True
    return error.errno in (errno.EBUSY, errno.ETXTBSY)


def is_sharing_violation(error: OSError) -> bool:
    """Whether ``error`` says for sure that another program holds the file (Windows' sharing
    or lock violation), unlike access denied, which may also be a missing permission."""
    return getattr(error, "winerror", None) in (
        _WINDOWS_SHARING_VIOLATION,
        _WINDOWS_LOCK_VIOLATION,
    )


def naming(error: OSError, path: Path | str) -> OSError:
    """``error`` (same class, errno and Windows code) naming ``path`` as its file.

    The system names the first path a call was given: for a rename the *source*, Ferry's
    temporary file, which means nothing to a person (and on Windows, where a refused rename
    names ``filename=source, filename2=target``, a message built from ``filename`` names the
    wrong file). Messages name the file the person knows instead.
    """
    winerror = getattr(error, "winerror", None)
    if winerror is not None:
        return OSError(error.errno, error.strerror, str(path), winerror)
    if error.errno is None:
        return error
    return OSError(error.errno, error.strerror, str(path))


def fsync_directory(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (POSIX); Windows has no directory handles for it."""
    if WINDOWS:  # pragma: no cover
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def rename_no_replace(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, failing with FileExistsError if ``target`` exists.

    ``os.rename`` replaces silently on POSIX. Linux's ``renameat2(RENAME_NOREPLACE)`` is one
    atomic step that never does, as Windows' own rename; where the kernel, the C library or
    the file system lacks it, a hard link then an unlink never replaces either (two directory
    changes instead of one); file systems without hard links get a look, then a rename.
    """
    if WINDOWS:  # pragma: no cover - run by the Windows test subset
        try:
            source.rename(target)  # MoveFileExW without REPLACE_EXISTING: never replaces
        except FileExistsError as error:  # it names the source first: name the target
            raise naming(error, target) from None
        return
    if _renameat2_no_replace(source, target):
        return
    _link_then_unlink(source, target)


_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
#: Errors saying "this kernel or file system cannot refuse to replace": use the next way.
_NO_RENAMEAT2 = (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP)


def _load_renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a C library older than glibc 2.28, or none to load
        return None
    function.argtypes = (
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    )
    function.restype = ctypes.c_int
    return function


_renameat2 = _load_renameat2()


def _renameat2_no_replace(source: Path, target: Path) -> bool:
    """One atomic rename that refuses to replace; False when it cannot be done this way."""
    if _renameat2 is None:
        return False
    if (
        _renameat2(
            _AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_NOREPLACE
        )
        == 0
    ):
        return True
    number = ctypes.get_errno()
    if number in _NO_RENAMEAT2:
        return False
    if number == errno.EEXIST:
        raise FileExistsError(number, os.strerror(number), str(target))
    raise OSError(number, os.strerror(number), str(source), None, str(target))


def _link_then_unlink(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno == errno.EEXIST:
            raise FileExistsError(errno.EEXIST, "the file exists", str(target)) from None
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        # File systems without hard links (some network shares): check, then rename.
        if target.exists():
            raise FileExistsError(errno.EEXIST, "the file exists", str(target)) from None
        source.rename(target)
        return
    source.unlink()


_GENERIC_READ = 0x80000000
_FILE_SHARE_ALL = 0x1 | 0x2 | 0x4  # FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE
_OPEN_EXISTING = 3
_FILE_FLAG_SEQUENTIAL_SCAN = 0x08000000


def open_for_reading(path: Path) -> BinaryIO:
    """``path`` opened to read, without stopping other programs from moving it meanwhile.

    On Windows ``open()`` denies others the right to delete or rename the file while it is
    open (no ``FILE_SHARE_DELETE``), so accounting software moving a file Ferry is comparing
    would fail; and its errors carry no Windows code, so a file another program holds could
    not be told from one Ferry may not read. Here a held file fails with ``winerror`` 32.
    """
    if sys.platform != "win32":
        return path.open("rb")
    import msvcrt  # pragma: no cover - run by the Windows test subset
    from ctypes import wintypes

    kernel32 = _kernel32()
    handle = kernel32.CreateFileW(
        str(path),
        _GENERIC_READ,
        _FILE_SHARE_ALL,
        None,
        _OPEN_EXISTING,
        _FILE_FLAG_SEQUENTIAL_SCAN,
        None,
    )
    if handle is None or handle == wintypes.HANDLE(-1).value:
        raise _windows_error(path)
    try:
        descriptor = msvcrt.open_osfhandle(handle, os.O_RDONLY | os.O_BINARY)
    except OSError:
        kernel32.CloseHandle(handle)
        raise
    return os.fdopen(descriptor, "rb")


@functools.cache
def _kernel32() -> Any:
    """kernel32 with the signatures Ferry calls (its own instance: ``ctypes.windll``'s is
    shared with every other library in the process)."""
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateFileW.argtypes = (
        wintypes.LPCWSTR,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.LPVOID,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.HANDLE,
    )
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    kernel32.CloseHandle.restype = wintypes.BOOL
    kernel32.GetFileAttributesW.argtypes = (wintypes.LPCWSTR,)
    kernel32.GetFileAttributesW.restype = wintypes.DWORD
    kernel32.SetFileAttributesW.argtypes = (wintypes.LPCWSTR, wintypes.DWORD)
    kernel32.SetFileAttributesW.restype = wintypes.BOOL
    return kernel32


class AlreadyLocked(Exception):
    """Another process holds the lock."""


def lock_exclusively(path: Path) -> object:
    """Hold an exclusive lock on ``path`` for this process's life (or until the handle closes).

    The OS releases it when the process dies, however it dies, so a killed engine never
    leaves a stale lock behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+b")
    try:
        if WINDOWS:  # pragma: no cover
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise AlreadyLocked(str(path)) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()).encode())
    handle.flush()
    return handle


def drive_a_service_cannot_see(path: str) -> str | None:
    """For a path on a drive that a Windows service does not see, the path to write instead:
    a mapped network drive's UNC path (``\\\\server\\share\\...``), a ``subst`` drive's
    real folder. None for anything else, and always on other OSes.

    Drive letters are per logon session: those a user mapped or substituted exist only in
    that user's session, never in the service's (Session 0). Ask this in the user's session,
    where the drive is known.
    """
    if not WINDOWS or len(path) < 2 or path[1] != ":":  # pragma: no cover - Windows only below
        return None
    import ctypes.wintypes  # pragma: no cover

    drive = path[:2].upper()  # pragma: no cover
    windll = ctypes.windll  # type: ignore[attr-defined]  # pragma: no cover
    if windll.kernel32.GetDriveTypeW(drive + "\\") == _DRIVE_REMOTE:  # pragma: no cover
        size = ctypes.wintypes.DWORD(1024)
        buffer = ctypes.create_unicode_buffer(size.value)
        if windll.mpr.WNetGetConnectionW(drive, buffer, ctypes.byref(size)) != 0:
            return None  # a network drive Windows cannot name: the folder check says more
        return buffer.value + path[2:]
    buffer = ctypes.create_unicode_buffer(1024)  # pragma: no cover
    if not windll.kernel32.QueryDosDeviceW(drive, buffer, 1024):  # pragma: no cover
        return None
    return subst_target(buffer.value, path)  # pragma: no cover


_DRIVE_REMOTE = 4


def subst_target(device: str, path: str) -> str | None:
    """``path`` on a ``subst`` drive written on the folder behind it, from what
    ``QueryDosDeviceW`` says the drive is (``\\??\\D:\\Data``); None for a real drive
    (``\\Device\\HarddiskVolume3``) or anything else."""
    import ntpath

    if not device.startswith("\\??\\") or len(path) < 2 or path[1] != ":":
        return None
    folder = device[4:]
    if folder.upper().startswith("UNC\\"):  # subst onto a share
        folder = "\\\\" + folder[4:]
    elif len(folder) < 2 or folder[1] != ":":
        return None
    rest = path[2:].lstrip("\\/")
    return ntpath.join(folder, rest) if rest else folder


def folder_writable(folder: Path) -> str | None:
    """Why Ferry cannot write in ``folder`` (or its nearest existing parent), or None if it can.

    Blocks on the disk (and on a network share possibly for seconds): never call it on the GUI
    thread.
    """
    probe_dir = folder
    while not probe_dir.exists():
        if probe_dir.parent == probe_dir:
            return "its drive or share does not exist"
        probe_dir = probe_dir.parent
    if not probe_dir.is_dir():
        return f"{probe_dir} is a file, not a folder"
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=probe_dir, prefix=".~ferry-probe-"):
            pass
    except OSError as error:
        return f"Ferry may not write in {probe_dir} ({error.strerror or error})"
    return None


#: Windows' BELOW_NORMAL_PRIORITY_CLASS; POSIX: this much nicer than the app.
_BELOW_NORMAL_PRIORITY_CLASS = 0x4000
BACKGROUND_NICE = 10


def lower_own_priority() -> None:
    """Let this process (the sync engine's) yield the CPU to the person's programs and to
    Ferry's own window, as sync clients do for background work. Call it before starting
    threads: on Linux a thread inherits the nice value of the thread that starts it."""
    if WINDOWS:  # pragma: no cover - exercised on Windows builds
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), _BELOW_NORMAL_PRIORITY_CLASS)
        return
    # not allowed here: run at the normal priority, which is only less smooth
    with contextlib.suppress(OSError):
        os.nice(BACKGROUND_NICE)
