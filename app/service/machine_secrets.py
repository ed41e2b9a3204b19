"""The Windows service's login, kept where LocalSystem can read it and ordinary users cannot.

A user's Credential Manager is invisible to LocalSystem (and to every other account), so the
service needs a store of its own. This one keeps each secret in a file of one folder (by
default under ``%ProgramData%\\Ferry``), and two things protect it:

- **The folder's access list** grants SYSTEM and BUILTIN\\Administrators only, is protected
  (nothing inherited from ``%ProgramData%``, which lets every user read and create), and is
  inherited by the files in it. This is what keeps other users out: DPAPI's machine scope
  lets *any* process on the computer decrypt, so a file another account can read is a login
  that account can use. Every read and write therefore checks the list first and refuses,
  in plain words, when someone else has been let in (``icacls /grant``, Explorer's "replace
  all child permissions", a folder someone made beforehand).
- **DPAPI with machine scope** (``CryptProtectData`` with ``CRYPTPROTECT_LOCAL_MACHINE``)
  encrypts each secret with a key of this computer, so a copied file, a backup or a disk
  image is useless elsewhere. The entropy names Ferry and the secret's own name: not a secret
  (it is in this file), but another program using machine-scope DPAPI cannot decrypt Ferry's
  files by accident, and a file moved to another secret's name does not decrypt.

Each file is replaced atomically (as :mod:`app.atomic_files` does); :class:`app.auth.secret_store.
SecretStore` on top of this backend already writes a new secret under a new name before it
points at it, so a crash never leaves a torn login. Secrets never appear in a log or an
exception message: errors name the folder, the file and what the system said.

Everything that needs Windows is in the last part of this module, behind :class:`FileSecurity`
(how descriptors are set and read) and :func:`describe` (a descriptor as plain data); the
decisions — who is too many, how a file is named and encoded — are pure functions that the
Linux suite tests.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring.backend
import keyring.errors
from keyring.compat import properties

from app.atomic_files import replace_when_free

log = logging.getLogger(__name__)

WINDOWS = sys.platform == "win32"

SYSTEM_SID = "S-1-5-18"
ADMINISTRATORS_SID = "S-1-5-32-544"
#: The only accounts that may be let into the folder: the service's own (LocalSystem) and
#: the computer's administrators, who can take any file anyway.
TRUSTED_SIDS = frozenset({SYSTEM_SID, ADMINISTRATORS_SID})

CRYPTPROTECT_UI_FORBIDDEN = 0x1
"""Never show a prompt: a service has no desktop to show it on."""
CRYPTPROTECT_LOCAL_MACHINE = 0x4
"""The computer's key, not the calling account's: what LocalSystem and an administrator share."""

ENTROPY = b"Ferry machine-wide login, v1"
RECORD_PREFIX = "ferry-dpapi-machine:1:"
FILE_SUFFIX = ".secret"

# ACE types that only ever take rights away; every other type in an access list is counted
# as one that may grant (an unknown type must not let someone in unnoticed).
_DENY_ACE_TYPES = frozenset({1, 6, 10, 12})
_ERROR_ALREADY_EXISTS = 183
_ERROR_ACCESS_DENIED = 5
_ERROR_INVALID_OWNER = 1307


class MachineSecretsError(keyring.errors.KeyringError):
    """The machine-wide store refuses or cannot work; the message says why and what to do."""


# -- pure decisions (tested on every OS) ------------------------------------------------------


@dataclass(frozen=True)
class Ace:
    """One entry of an access list, as plain data."""

    allowed: bool
    """True for an entry that grants (or may grant) rights; False for one that denies."""
    sid: str
    name: str
    """For messages: ``BUILTIN\\Users``, or the SID when the account has no name."""
    mask: int = 0x1F01FF
    flags: int = 0


@dataclass(frozen=True)
class Security:
    """What a folder's security descriptor says, as plain data."""

    owner_sid: str | None
    owner_name: str
    aces: tuple[Ace, ...] | None
    """None when the folder has no access list at all, which lets everyone do anything."""
    protected: bool = True


def outsiders(security: Security, me: str | None = None, service: str | None = None) -> list[str]:
    """Who besides SYSTEM, Administrators, ``me`` (the account this process runs as, who
    can read what it wrote anyway) and ``service`` (the named account the service runs as,
    which takes the login from here) could read the folder or let themselves in: an entry
    granting anything to another account, or an owner other than those (an owner may always
    rewrite the list). Deny entries only narrow, so they never count. For the service
    ``me`` is SYSTEM; for an administrator's ``login`` into the computer's home, that
    administrator (under Wine, the one Wine user everything runs as)."""
    trusted = TRUSTED_SIDS | {sid for sid in (me, service) if sid}
    if security.aces is None:
        return ["Everyone (the folder has no access list at all)"]
    found = [
        ace.name for ace in security.aces if ace.allowed and ace.mask and ace.sid not in trusted
    ]
    if security.owner_sid not in trusted:
        owner = f"{security.owner_name} (its owner, who may change who can read it)"
        found = [owner if name == security.owner_name else name for name in found]
        found.append(owner)
    return list(dict.fromkeys(found))


def refusal(folder: Path, who: list[str]) -> str:
    """Why the store will not read or write ``folder``, and what an administrator does."""
    return (
        f"Ferry will not use {folder} for the service's login: besides SYSTEM and "
        f"Administrators, {', '.join(who)} can get at it, and a login kept there could be "
        "read and used by them. Treat a login that was kept there as exposed: an "
        "administrator deletes the folder, Ferry makes it again with the right permissions, "
        "and the service logs in again."
    )


def secret_file_name(service: str, username: str) -> str:
    """A file name for one secret, the same for the same names on every run.

    A digest rather than the names themselves: Windows compares file names without regard
    to case (two secrets whose names differ only in case would share a file) and refuses
    some characters and names (``:``, ``con``) a keyring name may hold.
    """
    digest = hashlib.sha256(_names(service, username)).hexdigest()[:40]
    return f"{digest}{FILE_SUFFIX}"


def entropy_for(service: str, username: str) -> bytes:
    """DPAPI's extra input for one secret: Ferry's, bound to the secret's name."""
    return ENTROPY + b"\0" + _names(service, username)


def _names(service: str, username: str) -> bytes:
    """Both names in one unambiguous string (a separator alone could be in either name)."""
    return json.dumps([service, username]).encode()


def encode_record(blob: bytes) -> str:
    """A file's text: a versioned prefix, then the DPAPI blob in base64."""
    return RECORD_PREFIX + base64.b64encode(blob).decode("ascii") + "\n"


def decode_record(text: str) -> bytes | None:
    """The DPAPI blob in a file's text, or None when the text is not one of Ferry's records."""
    text = text.strip()
    if not text.startswith(RECORD_PREFIX):
        return None
    try:
        return base64.b64decode(text[len(RECORD_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return None


# -- the keyring backend ---------------------------------------------------------------------


class MachineSecretsKeyring(keyring.backend.KeyringBackend):
    """A keyring backend for :class:`app.auth.secret_store.SecretStore` in the Windows service:
    one DPAPI-encrypted file per secret in a folder only SYSTEM and Administrators can open.

    Constructing it makes the folder when it is missing (with its access list set in the same
    call that creates it, so there is no moment when it inherits ``%ProgramData%``'s) and
    checks it; every read and write checks it again, since an administrator may widen the
    list, or replace the folder, while the service runs.
    """

    @properties.classproperty
    def priority(self) -> float:
        """Never chosen by keyring itself (every imported backend class is a candidate): the
        service hands it over explicitly, with the folder it means."""
        raise RuntimeError("the machine-wide store is handed over explicitly, never chosen")

    def __init__(
        self,
        folder: Path,
        *,
        file_security: FileSecurity | None = None,
        account_sid: str | None = None,
        service_sid: str | None = None,
    ) -> None:
        """``account_sid``: the account whose reads and writes these are (default: the one
        this process runs as); the folder may be its too. ``service_sid``: the named account
        the service runs as (None: LocalSystem), let into the folder so that it can take
        the login into its own Credential Manager (:mod:`app.service.login_handoff`)."""
        if not WINDOWS:
            raise MachineSecretsError(
                "Ferry's machine-wide login store is for the Windows service only: it needs "
                "Windows' data protection (DPAPI) and folder permissions. On Linux and macOS "
                "the service keeps its login in the system's password store."
            )
        super().__init__()  # type: ignore[no-untyped-call]
        self.folder = Path(folder)
        self._security = file_security or FileSecurity()
        if account_sid is None:
            from app.service.pipe_security import current_user_sid

            account_sid = current_user_sid()
        self._account_sid = account_sid
        self._service_sid = service_sid
        self._prepare()

    def __str__(self) -> str:
        return f"Ferry's machine-wide login store in {self.folder}"

    # keyring's interface

    def get_password(self, service: str, username: str) -> str | None:
        self.check()
        path = self._path(service, username)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise _no_access(path, error) from None
        blob = decode_record(raw.decode("ascii", errors="replace"))
        secret = None if blob is None else unprotect(blob, entropy_for(service, username))
        if secret is None:
            # Not an error the caller can act on: a new login replaces it. Raising would
            # also block that new login, which reads the old entry before it writes.
            log.warning(
                "the login file %s cannot be decrypted on this computer (made on another "
                "computer, restored from elsewhere, or damaged); a new login is needed",
                path,
            )
            return None
        try:
            return secret.decode("utf-8")
        except UnicodeDecodeError:
            log.warning("the login file %s holds no text; a new login is needed", path)
            return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.check()
        path = self._path(service, username)
        try:
            blob = protect(password.encode("utf-8"), entropy_for(service, username))
        except Exception as error:  # pywintypes.error, which is no OSError
            raise keyring.errors.PasswordSetError(
                f"Windows could not encrypt Ferry's login: {_reason(error)}"
            ) from None
        try:
            _write_atomic(path, encode_record(blob))
        except OSError as error:
            raise keyring.errors.PasswordSetError(
                f"Ferry cannot write its login file {path}: {_reason(error)}"
            ) from None

    def delete_password(self, service: str, username: str) -> None:
        self.check()
        path = self._path(service, username)
        try:
            path.unlink()
        except FileNotFoundError:
            raise keyring.errors.PasswordDeleteError("no such secret") from None
        except OSError as error:
            raise keyring.errors.PasswordDeleteError(
                f"Ferry cannot delete its login file {path}: {_reason(error)}"
            ) from None

    # the folder

    def check(self) -> None:
        """Raise :class:`MachineSecretsError` unless only SYSTEM and Administrators can get
        into the folder."""
        try:
            descriptor = self._security.read(self.folder)
        except Exception as error:  # pywintypes.error: the folder was removed, or no access
            raise _no_access(self.folder, error) from None
        who = outsiders(describe(descriptor), self._account_sid, self._service_sid)
        if who:
            raise MachineSecretsError(refusal(self.folder, who))

    def _prepare(self) -> None:
        try:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise MachineSecretsError(
                f"Ferry cannot make the folder {self.folder.parent}: {_reason(error)}"
            ) from None
        if not self.folder.exists():
            try:
                self._security.create_folder(self.folder, guarded_descriptor(self._service_sid))
            except Exception as error:  # pywintypes.error
                code = _winerror(error)
                if code == _ERROR_ALREADY_EXISTS:
                    pass  # made meanwhile by another process: checked below like any other
                elif code in (_ERROR_INVALID_OWNER, _ERROR_ACCESS_DENIED):
                    raise MachineSecretsError(
                        f"Only an administrator (in a command prompt run as administrator) or "
                        f"the Ferry service itself can make {self.folder}, where the service "
                        "keeps its login."
                    ) from None
                else:
                    raise MachineSecretsError(
                        f"Ferry cannot make the folder {self.folder}: {_reason(error)}"
                    ) from None
        if not self.folder.is_dir():
            raise MachineSecretsError(
                f"{self.folder} is a file, not a folder; Ferry keeps the service's login in a "
                "folder of that name. An administrator removes the file."
            )
        self.check()
        if self._service_sid and not self._lets_in(self._service_sid):
            # made for LocalSystem, now the service runs as a named account: only an
            # administrator's command (``service login``) gets here with the right to widen it
            try:
                self._security.set_folder(self.folder, guarded_descriptor(self._service_sid))
            except Exception as error:  # pywintypes.error
                raise MachineSecretsError(
                    f"Ferry cannot let the service's account into {self.folder}: "
                    f"{_reason(error)}. Run the command as an administrator."
                ) from None

    def _lets_in(self, sid: str) -> bool:
        """Whether the folder's list grants ``sid`` anything."""
        aces = describe(self._security.read(self.folder)).aces or ()
        return any(ace.allowed and ace.mask and ace.sid == sid for ace in aces)

    def _path(self, service: str, username: str) -> Path:
        return self.folder / secret_file_name(service, username)


def _no_access(path: Path, error: BaseException) -> MachineSecretsError:
    """Why ``path`` cannot be read; for "access denied", who can."""
    if _winerror(error) == _ERROR_ACCESS_DENIED or isinstance(error, PermissionError):
        return MachineSecretsError(
            f"Only an administrator (in a command prompt run as administrator) or the Ferry "
            f"service itself can open {path}, where the service keeps its login."
        )
    return MachineSecretsError(f"Ferry cannot read {path}: {_reason(error)}")


def _write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` as :func:`app.atomic_files.write_text_atomic` does
    (temporary file in the same folder, fsync, rename), except that a missing folder is an
    error: made again by ``mkdir`` it would inherit ``%ProgramData%``'s permissions, and the
    folder can disappear between the check and the write."""
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="ascii", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        replace_when_free(Path(temporary), path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def _winerror(error: BaseException) -> int | None:
    """The Windows error code of an OSError or a pywintypes.error (whose first argument it is)."""
    code = getattr(error, "winerror", None)
    if isinstance(code, int):
        return code
    args: tuple[Any, ...] = getattr(error, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _reason(error: BaseException) -> str:
    """What the system said, without anything else the exception may carry."""
    strerror = getattr(error, "strerror", None)
    if isinstance(strerror, str) and strerror:
        return strerror
    args: tuple[Any, ...] = getattr(error, "args", ())
    if len(args) == 3 and isinstance(args[2], str):  # pywintypes.error(code, function, text)
        return args[2]
    return type(error).__name__


# -- Windows ----------------------------------------------------------------------------------


class FileSecurity:
    """Setting and reading security descriptors on the disk: the two calls the store makes.

    A class of its own so that the tests under Wine can keep descriptors in a table: upstream
    Wine keeps no access lists on files (it makes one up from the Unix mode bits when asked),
    so what Ferry sets cannot be read back from Wine's disk as NTFS gives it back.
    """

    def create_folder(self, folder: Path, descriptor: Any) -> None:
        """Make ``folder`` with ``descriptor`` in the same call (never a moment without it)."""
        import win32file
        import win32security

        attributes = win32security.SECURITY_ATTRIBUTES()
        attributes.SECURITY_DESCRIPTOR = descriptor
        win32file.CreateDirectory(str(folder), attributes)

    def set_folder(self, folder: Path, descriptor: Any) -> None:
        """Give ``folder`` the access list of ``descriptor`` (protected, its owner kept)."""
        import win32security

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

    def read(self, path: Path) -> Any:
        """``path``'s owner and access list (a ``PySECURITY_DESCRIPTOR``)."""
        import win32security

        wanted = win32security.OWNER_SECURITY_INFORMATION | win32security.DACL_SECURITY_INFORMATION
        return win32security.GetNamedSecurityInfo(str(path), win32security.SE_FILE_OBJECT, wanted)


def guarded_descriptor(service_sid: str | None = None) -> Any:
    """Owner Administrators; full control for SYSTEM and Administrators (and the named
    account the service runs as, when given), inherited by every file and folder inside;
    protected, so nothing comes from the folder above."""
    import ntsecuritycon
    import win32security

    system = win32security.CreateWellKnownSid(win32security.WinLocalSystemSid)
    administrators = win32security.CreateWellKnownSid(win32security.WinBuiltinAdministratorsSid)
    inherit = win32security.OBJECT_INHERIT_ACE | win32security.CONTAINER_INHERIT_ACE
    dacl = win32security.ACL()
    sids = [system, administrators]
    if service_sid:
        sids.append(win32security.ConvertStringSidToSid(service_sid))
    for sid in sids:
        dacl.AddAccessAllowedAceEx(
            win32security.ACL_REVISION, inherit, ntsecuritycon.FILE_ALL_ACCESS, sid
        )
    descriptor = win32security.SECURITY_DESCRIPTOR()
    descriptor.SetSecurityDescriptorOwner(administrators, False)
    descriptor.SetSecurityDescriptorDacl(True, dacl, False)
    descriptor.SetSecurityDescriptorControl(
        win32security.SE_DACL_PROTECTED, win32security.SE_DACL_PROTECTED
    )
    return descriptor


def describe(descriptor: Any) -> Security:
    """A ``PySECURITY_DESCRIPTOR`` as plain data for :func:`outsiders`."""
    import win32security

    control, _revision = descriptor.GetSecurityDescriptorControl()
    owner = descriptor.GetSecurityDescriptorOwner()
    dacl = descriptor.GetSecurityDescriptorDacl()  # None: no list (NULL DACL) or none present
    aces: tuple[Ace, ...] | None = None
    if dacl is not None:
        entries = []
        for index in range(dacl.GetAceCount()):
            entry = dacl.GetAce(index)
            (kind, flags), mask, sid = entry[0], entry[1], entry[-1]  # object ACEs: sid last
            entries.append(
                Ace(
                    allowed=kind not in _DENY_ACE_TYPES,
                    sid=win32security.ConvertSidToStringSid(sid),
                    name=account_name(sid),
                    mask=mask,
                    flags=flags,
                )
            )
        aces = tuple(entries)
    return Security(
        owner_sid=None if owner is None else win32security.ConvertSidToStringSid(owner),
        owner_name="nobody" if owner is None else account_name(owner),
        aces=aces,
        protected=bool(control & win32security.SE_DACL_PROTECTED),
    )


def account_name(sid: Any) -> str:
    """``DOMAIN\\name`` for a SID, or the SID itself when no account has it (deleted, or a
    domain that cannot be reached)."""
    import pywintypes
    import win32security

    try:
        name, domain, _kind = win32security.LookupAccountSid(None, sid)
    except pywintypes.error:
        return str(win32security.ConvertSidToStringSid(sid))
    return f"{domain}\\{name}" if domain else str(name)


def protect(secret: bytes, entropy: bytes) -> bytes:
    """``secret`` encrypted with this computer's DPAPI key and ``entropy``."""
    import win32crypt

    blob: bytes = win32crypt.CryptProtectData(
        secret,
        "Ferry",
        entropy,
        None,
        None,
        CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN,
    )
    return blob


def unprotect(blob: bytes, entropy: bytes) -> bytes | None:
    """The secret in ``blob``, or None when it does not decrypt here with ``entropy``."""
    import pywintypes
    import win32crypt

    try:
        _description, secret = win32crypt.CryptUnprotectData(
            blob, entropy, None, None, CRYPTPROTECT_UI_FORBIDDEN
        )
    except pywintypes.error:
        return None
    return bytes(secret)
