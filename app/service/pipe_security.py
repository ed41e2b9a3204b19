"""Who may open the engine's named pipe and read the channel's secret, on Windows.

A named pipe made with no security of its own lets everyone open it for reading; the channel
asks for exactly this instead (SDDL, Windows' own notation):

- an engine that a person runs (the tray app's, ``ferry run``): that person's account,
  administrators and SYSTEM, and nobody else;
- the Windows service's (LocalSystem): administrators and SYSTEM, and the people logged on to
  the computer (*INTERACTIVE*), so that the tray app of whoever sits at the server shows the
  service and commands it. With User Account Control an administrator's tray app runs without
  its administrator rights, so "administrators only" would leave every tray app outside. Only
  administrators may change the service's settings: those are files under
  ``%ProgramData%\\Ferry`` that others cannot write.

The per-installation secret gets the same readers. Both are checked on every connection
anyway (:mod:`app.engine.channel`), so this is the first of two locks, not the only one.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

#: Full control for SYSTEM and administrators; nothing inherited from above.
_BASE = "D:P(A;;GA;;;SY)(A;;GA;;;BA)"


def pipe_sddl(for_service: bool, user_sid: str) -> str:
    """The pipe's security: the service's lets interactive users read and write it; any other
    engine's, only its own account (``user_sid``)."""
    if for_service:
        return _BASE + "(A;;GRGW;;;IU)"
    return _BASE + f"(A;;GA;;;{user_sid})"


def key_sddl(for_service: bool, user_sid: str) -> str:
    """The secret's file: read by whoever may use the pipe, written by nobody else."""
    if for_service:
        return "D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;IU)"
    return f"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;{user_sid})"


def current_user_sid() -> str:  # pragma: no cover - Windows
    """The SID of the account this process runs as (``S-1-5-18`` for LocalSystem)."""
    import win32api
    import win32security

    token = win32security.OpenProcessToken(win32api.GetCurrentProcess(), win32security.TOKEN_QUERY)
    sid, _ = win32security.GetTokenInformation(token, win32security.TokenUser)
    return str(win32security.ConvertSidToStringSid(sid))


class _SecurityAttributes(ctypes.Structure):
    _fields_ = [
        ("nLength", ctypes.c_uint32),
        ("lpSecurityDescriptor", ctypes.c_void_p),
        ("bInheritHandle", ctypes.c_int),
    ]


class SecurityAttributes:  # pragma: no cover - Windows
    """A ``SECURITY_ATTRIBUTES`` made from SDDL, kept alive as long as pipes are made with it."""

    def __init__(self, sddl: str) -> None:
        advapi32 = ctypes.windll.advapi32  # type: ignore[attr-defined]
        descriptor = ctypes.c_void_p()
        if not advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(
            ctypes.c_wchar_p(sddl), 1, ctypes.byref(descriptor), None
        ):
            raise ctypes.WinError()  # type: ignore[attr-defined]
        self._descriptor = descriptor
        self._attributes = _SecurityAttributes(
            ctypes.sizeof(_SecurityAttributes), descriptor.value, 0
        )

    @property
    def address(self) -> int:
        return ctypes.addressof(self._attributes)

    def __del__(self) -> None:
        if getattr(self, "_descriptor", None):
            ctypes.windll.kernel32.LocalFree(self._descriptor)  # type: ignore[attr-defined]


def secured_pipe_listener(address: str, sddl: str) -> Any:  # pragma: no cover - Windows
    """multiprocessing's named-pipe listener, with every instance of the pipe made with
    ``sddl``'s security instead of the default (which lets everyone read)."""
    import importlib

    # typeshed knows these only on Windows
    _winapi: Any = importlib.import_module("_winapi")
    connection: Any = importlib.import_module("multiprocessing.connection")

    security = SecurityAttributes(sddl)
    base: Any = connection.PipeListener

    class SecuredPipeListener(base):  # type: ignore[misc]
        def __init__(self) -> None:
            self._security = security
            super().__init__(address)

        def _new_handle(self, first: bool = False) -> int:
            flags = _winapi.PIPE_ACCESS_DUPLEX | _winapi.FILE_FLAG_OVERLAPPED
            if first:
                flags |= _winapi.FILE_FLAG_FIRST_PIPE_INSTANCE
            return int(
                _winapi.CreateNamedPipe(
                    self._address,
                    flags,
                    _winapi.PIPE_TYPE_MESSAGE | _winapi.PIPE_READMODE_MESSAGE | _winapi.PIPE_WAIT,
                    _winapi.PIPE_UNLIMITED_INSTANCES,
                    connection.BUFSIZE,
                    connection.BUFSIZE,
                    _winapi.NMPWAIT_WAIT_FOREVER,
                    self._security.address,
                )
            )

    return SecuredPipeListener()


def protect_file(path: Path, sddl: str) -> None:  # pragma: no cover - Windows
    """Give ``path`` exactly ``sddl``'s access list, nothing inherited."""
    import win32security

    descriptor = win32security.ConvertStringSecurityDescriptorToSecurityDescriptor(
        sddl, win32security.SDDL_REVISION_1
    )
    win32security.SetFileSecurity(
        str(path),
        win32security.DACL_SECURITY_INFORMATION | win32security.PROTECTED_DACL_SECURITY_INFORMATION,
        descriptor,
    )


#: The service's home, folder by folder: what the people logged on may read. Its state (the
#: database, the channel's secret) and data only SYSTEM, administrators and the account the
#: service runs as; its settings and logs also readable by the people logged on (the tray app
#: shows the destinations, *Open logs*), never writable by them. Inherited by everything
#: inside.
_SERVICE_HOME_READERS = {"settings": "(A;OICI;FR;;;IU)", "logs": "(A;OICI;FR;;;IU)"}


def service_home_sddl(folder_name: str, service_sid: str) -> str:
    """The access list of one folder of the service's home (``settings``, ``state``...);
    ``service_sid``: the account the service runs as (SYSTEM, or a named account)."""
    if folder_name not in ("settings", "logs", "state", "data"):
        raise KeyError(folder_name)
    return (
        f"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;{service_sid})"
        + _SERVICE_HOME_READERS.get(folder_name, "")
    )


def protect_service_home(folders: dict[str, Path]) -> None:  # pragma: no cover - Windows
    """Give each folder of the service's home its access list, passed on to what is inside
    already (``%ProgramData%`` lets every user read what is made under it). Run by the
    service itself, so that its own account keeps its access."""
    import win32security

    service_sid = current_user_sid()
    for name, folder in folders.items():
        descriptor = win32security.ConvertStringSecurityDescriptorToSecurityDescriptor(
            service_home_sddl(name, service_sid), win32security.SDDL_REVISION_1
        )
        win32security.SetNamedSecurityInfo(
            str(folder),
            win32security.SE_FILE_OBJECT,
            win32security.DACL_SECURITY_INFORMATION
            | win32security.PROTECTED_DACL_SECURITY_INFORMATION,
            None,
            None,
            descriptor.GetSecurityDescriptorDacl(),
            None,
        )
