"""The Windows service's login store: DPAPI machine scope in a folder for SYSTEM and
Administrators only (app/service/machine_secrets.py).

The decisions (who is one too many in an access list, file names, the file format) are pure
and run on every OS. The rest runs on the official Windows CPython (scripts/test-windows,
under Wine here) with the real pywin32, the real DPAPI calls and real files — with one stand-in:
upstream Wine keeps no access lists on files (it makes one up from the Unix mode bits when
asked), so under Wine the descriptors Ferry sets are kept in a table (:class:`TableSecurity`)
and read back from there, as NTFS would give them back. On a real Windows the same tests use
the disk itself.

What Wine cannot show, and these tests therefore do not prove: that NTFS keeps and enforces
the list (an account outside it really is refused), that another account or LocalSystem
really sees what it should (Wine runs everything as one Unix user), and that Wine's DPAPI
honours the machine scope (it records no scope in its blobs; entropy it does check).
"""

from __future__ import annotations

import base64
import ctypes
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring.backend
import keyring.errors
import pytest

from app.auth.secret_store import SecretStore, SecretStoreError, is_secure
from app.service import machine_secrets
from app.service.machine_secrets import (
    ADMINISTRATORS_SID,
    CRYPTPROTECT_LOCAL_MACHINE,
    ENTROPY,
    SYSTEM_SID,
    Ace,
    FileSecurity,
    MachineSecretsError,
    MachineSecretsKeyring,
    Security,
    decode_record,
    encode_record,
    entropy_for,
    outsiders,
    refusal,
    secret_file_name,
)
from tests.conftest import ONLY_ON_WINDOWS, WINDOWS

pytestmark = pytest.mark.windows

only_on_windows = pytest.mark.skipif(not WINDOWS, reason=ONLY_ON_WINDOWS)
SECRET = "rt-" + "Zq8v" * 900 + "-end"  # 3,606 characters: chunked by SecretStore
SERVICE = "Ferry-test-machine"

SYSTEM = Ace(True, SYSTEM_SID, "NT AUTHORITY\\SYSTEM")
ADMINISTRATORS = Ace(True, ADMINISTRATORS_SID, "BUILTIN\\Administrators")
GUARDED = Security(ADMINISTRATORS_SID, "BUILTIN\\Administrators", (SYSTEM, ADMINISTRATORS))


# -- pure: every OS ---------------------------------------------------------------------------


def test_system_and_administrators_alone_are_nobody_else() -> None:
    assert outsiders(GUARDED) == []
    owned_by_system = Security(SYSTEM_SID, "NT AUTHORITY\\SYSTEM", (SYSTEM, ADMINISTRATORS))
    assert outsiders(owned_by_system) == []


NAMED_SID = "S-1-5-21-1-2-3-1005"
NAMED = Ace(True, NAMED_SID, "OFFICE\\svc-ferry")


def test_the_named_account_the_service_runs_as_is_trusted_and_no_other() -> None:
    """A service that runs as a named account takes its login from the folder; that account
    is let in and counts as nobody else. Any other account still does."""
    aces = (SYSTEM, ADMINISTRATORS, NAMED)
    with_service = Security(ADMINISTRATORS_SID, "BUILTIN\\Administrators", aces)
    assert outsiders(with_service, SYSTEM_SID, service=NAMED_SID) == []
    assert outsiders(with_service, SYSTEM_SID) == ["OFFICE\\svc-ferry"]
    assert outsiders(with_service, SYSTEM_SID, service="S-1-5-21-1-2-3-1006") == [
        "OFFICE\\svc-ferry"
    ]


def test_a_widened_list_names_who_else_can_get_in() -> None:
    users = Ace(True, "S-1-5-32-545", "BUILTIN\\Users", mask=0x1200A9)
    everyone = Ace(True, "S-1-1-0", "Everyone")
    widened = Security(ADMINISTRATORS_SID, "BUILTIN\\Administrators", (SYSTEM, users, everyone))
    assert outsiders(widened) == ["BUILTIN\\Users", "Everyone"]
    no_list = Security(ADMINISTRATORS_SID, "BUILTIN\\Administrators", None)
    assert outsiders(no_list) == ["Everyone (the folder has no access list at all)"]


def test_an_owner_outside_the_two_counts_because_an_owner_may_rewrite_the_list() -> None:
    owned = Security("S-1-5-21-1-2-3-1001", "OFFICE\\alice", (SYSTEM, ADMINISTRATORS))
    assert outsiders(owned) == ["OFFICE\\alice (its owner, who may change who can read it)"]
    alice = Ace(True, "S-1-5-21-1-2-3-1001", "OFFICE\\alice")
    both = Security("S-1-5-21-1-2-3-1001", "OFFICE\\alice", (SYSTEM, alice, ADMINISTRATORS))
    assert outsiders(both) == ["OFFICE\\alice (its owner, who may change who can read it)"]


def test_deny_entries_and_empty_grants_let_nobody_in() -> None:
    deny_users = Ace(False, "S-1-5-32-545", "BUILTIN\\Users")
    nothing = Ace(True, "S-1-1-0", "Everyone", mask=0)
    guarded = Security(
        ADMINISTRATORS_SID, "BUILTIN\\Administrators", (deny_users, SYSTEM, ADMINISTRATORS, nothing)
    )
    assert outsiders(guarded) == []


def test_the_refusal_says_who_what_it_means_and_what_to_do() -> None:
    message = refusal(Path("C:/ProgramData/Ferry/secrets"), ["BUILTIN\\Users"])
    assert "secrets" in message and "BUILTIN\\Users" in message
    assert "exposed" in message and "deletes the folder" in message and "logs in again" in message


def test_file_names_are_stable_plain_and_tell_case_apart() -> None:
    name = secret_file_name("Ferry", "refresh-token:be:demo#ab12#0")
    assert name == secret_file_name("Ferry", "refresh-token:be:demo#ab12#0")
    assert name != secret_file_name("Ferry", "refresh-token:BE:demo#ab12#0")
    assert name != secret_file_name("Ferry2", "refresh-token:be:demo#ab12#0")
    stem, suffix = name.split(".")
    assert suffix == "secret" and len(stem) == 40 and set(stem) <= set("0123456789abcdef")
    assert secret_file_name("a", "b\0c") != secret_file_name("a\0b", "c")


def test_records_round_trip_and_anything_else_is_no_record() -> None:
    blob = bytes(range(256))
    text = encode_record(blob)
    assert text.isascii() and text.endswith("\n")
    assert decode_record(text) == blob
    assert decode_record(text.strip() + "\r\n") == blob
    assert decode_record("") is None
    assert decode_record("password123") is None
    assert decode_record("ferry-dpapi-machine:1:not base64!") is None
    assert decode_record(base64.b64encode(blob).decode()) is None  # no prefix


def test_the_entropy_is_ferrys_and_bound_to_the_name() -> None:
    one = entropy_for("Ferry", "refresh-token:be:demo")
    assert one.startswith(ENTROPY)
    assert one != entropy_for("Ferry", "refresh-token:be:other")
    assert one != entropy_for("Ferr", "yrefresh-token:be:demo")
    assert entropy_for("a", "b\0c") != entropy_for("a\0b", "c")


def test_errors_say_what_the_system_said_and_who_may_open_the_folder() -> None:
    """pywintypes.error carries (code, function, text); OSError its strerror."""
    folder = Path("C:/ProgramData/Ferry/secrets")
    denied = machine_secrets._no_access(folder, Exception(5, "GetNamedSecurityInfo", "Denied."))
    assert "Only an administrator" in str(denied) and "secrets" in str(denied)
    assert "Only an administrator" in str(machine_secrets._no_access(folder, PermissionError()))
    gone = machine_secrets._no_access(
        folder, Exception(2, "GetNamedSecurityInfo", "The system cannot find the file.")
    )
    assert str(gone).endswith("secrets: The system cannot find the file.")
    assert machine_secrets._reason(OSError(28, "No space left on device")) == (
        "No space left on device"
    )


def test_keyring_never_picks_it_by_itself() -> None:
    assert not MachineSecretsKeyring.viable
    assert MachineSecretsKeyring not in set(keyring.backend.KeyringBackend.get_viable_backends())


def test_the_secret_store_counts_it_as_a_real_vault() -> None:
    """SecretStore refuses backends whose class name sounds like a plain file: not this one."""
    assert is_secure(object.__new__(MachineSecretsKeyring))


@pytest.mark.skipif(WINDOWS, reason="the refusal is for Linux and macOS")
def test_refuses_to_exist_outside_windows(tmp_path: Path) -> None:
    with pytest.raises(MachineSecretsError, match="for the Windows service only") as raised:
        MachineSecretsKeyring(tmp_path / "secrets")
    assert "DPAPI" in str(raised.value)
    assert isinstance(raised.value, keyring.errors.KeyringError)  # SecretStore words it
    assert not (tmp_path / "secrets").exists()


# -- Windows (the official CPython, under Wine here) ----------------------------------------


def _under_wine() -> bool:
    if not WINDOWS:
        return False
    return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")  # type: ignore[attr-defined]


UNDER_WINE = _under_wine()
WINE_KEEPS_NO_ACLS = "upstream Wine keeps no access lists on files (it derives one from Unix modes)"


class TableSecurity(FileSecurity):
    """The store's descriptors, set and read for real on Windows; under Wine, kept in a table
    when the folder is made (after the real ``CreateDirectory`` with the same descriptor), as
    NTFS keeps them. ``write`` is how a test widens a folder's list."""

    def __init__(self) -> None:
        self.table: dict[str, Any] | None = {} if UNDER_WINE else None
        self.made: list[Any] = []

    def create_folder(self, folder: Path, descriptor: Any) -> None:
        super().create_folder(folder, descriptor)
        self.made.append(descriptor)
        if self.table is not None:
            self.table[os.path.normcase(str(folder))] = descriptor

    def read(self, path: Path) -> Any:
        if self.table is not None and os.path.normcase(str(path)) in self.table:
            return self.table[os.path.normcase(str(path))]
        return super().read(path)

    def set_folder(self, folder: Path, descriptor: Any) -> None:
        import win32security

        if self.table is None:
            super().set_folder(folder, descriptor)
            return
        before = self.read(folder)
        updated = win32security.SECURITY_DESCRIPTOR()
        updated.SetSecurityDescriptorOwner(before.GetSecurityDescriptorOwner(), False)
        updated.SetSecurityDescriptorDacl(True, descriptor.GetSecurityDescriptorDacl(), False)
        updated.SetSecurityDescriptorControl(
            win32security.SE_DACL_PROTECTED, win32security.SE_DACL_PROTECTED
        )
        self.table[os.path.normcase(str(folder))] = updated

    def write(self, path: Path, owner: Any, dacl: Any) -> None:
        import win32security

        if self.table is not None:
            descriptor = win32security.SECURITY_DESCRIPTOR()
            descriptor.SetSecurityDescriptorOwner(owner, False)
            descriptor.SetSecurityDescriptorDacl(True, dacl, False)
            descriptor.SetSecurityDescriptorControl(
                win32security.SE_DACL_PROTECTED, win32security.SE_DACL_PROTECTED
            )
            self.table[os.path.normcase(str(path))] = descriptor
            return
        win32security.SetNamedSecurityInfo(
            str(path),
            win32security.SE_FILE_OBJECT,
            win32security.OWNER_SECURITY_INFORMATION
            | win32security.DACL_SECURITY_INFORMATION
            | win32security.PROTECTED_DACL_SECURITY_INFORMATION,
            owner,
            None,
            dacl,
            None,
        )


@pytest.fixture
def security() -> TableSecurity:
    if not WINDOWS:
        pytest.skip(f"DPAPI and access lists: {ONLY_ON_WINDOWS}")
    import win32com.shell.shell as shell  # pywin32

    if not shell.IsUserAnAdmin():
        pytest.skip("making a folder owned by Administrators needs an elevated prompt")
    return TableSecurity()


def _store(
    folder: Path, security: TableSecurity, account_sid: str = "S-1-5-18"
) -> MachineSecretsKeyring:
    """The store as the service sees it (LocalSystem), unless another account is named."""
    return MachineSecretsKeyring(folder, file_security=security, account_sid=account_sid)


def _files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir())


@only_on_windows
def test_save_load_delete_round_trip(tmp_path: Path, security: TableSecurity) -> None:
    folder = tmp_path / "ProgramData" / "Ferry" / "secrets"
    backend = _store(folder, security)
    assert folder.is_dir() and len(security.made) == 1
    store = SecretStore(backend, service=SERVICE)
    store.check()  # a real vault for SecretStore
    assert store.load("refresh-token:be:demo") is None

    store.save("refresh-token:be:demo", SECRET)
    assert store.load("refresh-token:be:demo") == SECRET
    assert len(_files(folder)) == 5  # four chunks and their header
    store.save("refresh-token:be:demo", "short")
    assert store.load("refresh-token:be:demo") == "short"
    assert len(_files(folder)) == 2  # the old chunks are gone

    again = _store(folder, security)  # the service's next start: the folder is checked, kept
    assert len(security.made) == 1
    assert SecretStore(again, service=SERVICE).load("refresh-token:be:demo") == "short"

    store.delete("refresh-token:be:demo")
    assert store.load("refresh-token:be:demo") is None
    assert _files(folder) == []
    with pytest.raises(keyring.errors.PasswordDeleteError):
        backend.delete_password(SERVICE, "refresh-token:be:demo")
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]  # atomic writes


@only_on_windows
def test_the_file_does_not_hold_the_secret_in_clear(
    tmp_path: Path, security: TableSecurity
) -> None:
    backend = _store(tmp_path / "secrets", security)
    secret = "refresh-" + "k9PqX" * 40
    backend.set_password(SERVICE, "refresh-token:be:demo", secret)
    (path,) = _files(tmp_path / "secrets")
    raw = path.read_bytes()
    blob = decode_record(raw.decode("ascii"))
    assert blob is not None
    for haystack in (raw, blob):
        for needle in (
            secret.encode(),
            secret.encode("utf-16-le"),
            base64.b64encode(secret.encode()),
            b"k9PqXk9PqX",
        ):
            assert needle not in haystack
    assert backend.get_password(SERVICE, "refresh-token:be:demo") == secret


@only_on_windows
def test_dpapi_is_asked_for_the_machine_scope_with_ferrys_entropy(
    tmp_path: Path, security: TableSecurity, monkeypatch: pytest.MonkeyPatch
) -> None:
    import win32crypt

    calls: list[tuple[Any, ...]] = []
    real = win32crypt.CryptProtectData

    def recording(*args: Any) -> bytes:
        calls.append(args)
        return bytes(real(*args))

    monkeypatch.setattr(win32crypt, "CryptProtectData", recording)
    backend = _store(tmp_path / "secrets", security)
    backend.set_password(SERVICE, "one", "value")
    (args,) = calls
    assert args[0] == b"value"
    assert args[2] == entropy_for(SERVICE, "one")
    assert args[5] & CRYPTPROTECT_LOCAL_MACHINE


@only_on_windows
def test_a_file_that_does_not_decrypt_here_means_a_new_login(
    tmp_path: Path, security: TableSecurity, caplog: pytest.LogCaptureFixture
) -> None:
    """A blob made for another name (or another computer) does not decrypt: the entropy is
    checked for real. It reads as no login, so that a new login can replace it."""
    backend = _store(tmp_path / "secrets", security)
    backend.set_password(SERVICE, "one", "first-secret-value")
    (one,) = _files(tmp_path / "secrets")
    one.replace(tmp_path / "secrets" / secret_file_name(SERVICE, "two"))
    with caplog.at_level(logging.WARNING, logger=machine_secrets.__name__):
        assert backend.get_password(SERVICE, "two") is None
    assert "cannot be decrypted on this computer" in caplog.text
    assert "first-secret-value" not in caplog.text
    backend.set_password(SERVICE, "two", "second")  # a new login replaces it
    assert backend.get_password(SERVICE, "two") == "second"
    (tmp_path / "secrets" / secret_file_name(SERVICE, "three")).write_text("not Ferry's")
    assert backend.get_password(SERVICE, "three") is None


@only_on_windows
def test_a_folder_gone_is_never_made_again_by_a_write(
    tmp_path: Path, security: TableSecurity
) -> None:
    """Between the check and the write the folder may go (an administrator's clean-up, a
    squatted parent folder): made again by the write, it would inherit its parent's
    permissions, readable by Users under %ProgramData%. (Under Wine the table still vouches
    for the folder, so this is the write itself refusing.)"""
    folder = tmp_path / "secrets"
    backend = _store(folder, security)
    folder.rmdir()
    with pytest.raises(keyring.errors.KeyringError) as raised:
        backend.set_password(SERVICE, "one", "the-secret-value")
    assert "the-secret-value" not in str(raised.value)
    assert not folder.exists()


@only_on_windows
def test_the_folder_lists_exactly_system_and_administrators(
    tmp_path: Path, security: TableSecurity
) -> None:
    import win32security

    folder = tmp_path / "secrets"
    _store(folder, security)
    (made,) = security.made
    for described in (
        machine_secrets.describe(made),
        machine_secrets.describe(security.read(folder)),
    ):
        assert [ace.sid for ace in described.aces or ()] == [SYSTEM_SID, ADMINISTRATORS_SID]
        assert all(ace.allowed and ace.mask == 0x1F01FF for ace in described.aces or ())
        inherit = win32security.OBJECT_INHERIT_ACE | win32security.CONTAINER_INHERIT_ACE
        assert all(ace.flags & inherit == inherit for ace in described.aces or ())
        assert described.protected  # nothing inherited from %ProgramData%
        assert described.owner_sid == ADMINISTRATORS_SID
        assert [ace.name for ace in described.aces or ()] == [
            "NT AUTHORITY\\SYSTEM",
            "BUILTIN\\Administrators",
        ]


@only_on_windows
@pytest.mark.skipif(UNDER_WINE, reason=WINE_KEEPS_NO_ACLS)
def test_ntfs_keeps_the_list_on_the_folder_and_its_files(tmp_path: Path) -> None:
    """On a real Windows: read back from the disk, not from a table."""
    import win32com.shell.shell as shell

    if not shell.IsUserAnAdmin():
        pytest.skip("making a folder owned by Administrators needs an elevated prompt")
    folder = tmp_path / "secrets"
    backend = MachineSecretsKeyring(folder)
    backend.set_password(SERVICE, "one", "value")
    for path in (folder, *_files(folder)):
        described = machine_secrets.describe(FileSecurity().read(path))
        assert {ace.sid for ace in described.aces or () if ace.allowed} == {
            SYSTEM_SID,
            ADMINISTRATORS_SID,
        }


def _users_read(security: TableSecurity, folder: Path) -> None:
    """What ``icacls FOLDER /grant Users:(OI)(CI)R`` does."""
    import ntsecuritycon
    import win32security

    descriptor = security.read(folder)
    dacl = descriptor.GetSecurityDescriptorDacl()
    dacl.AddAccessAllowedAceEx(
        win32security.ACL_REVISION,
        win32security.OBJECT_INHERIT_ACE | win32security.CONTAINER_INHERIT_ACE,
        ntsecuritycon.FILE_GENERIC_READ,
        win32security.CreateWellKnownSid(win32security.WinBuiltinUsersSid),
    )
    security.write(folder, descriptor.GetSecurityDescriptorOwner(), dacl)


def _no_list(security: TableSecurity, folder: Path) -> None:
    """A NULL access list: everyone may do anything."""
    security.write(folder, security.read(folder).GetSecurityDescriptorOwner(), None)


def _owned_by_me(security: TableSecurity, folder: Path) -> None:
    """The folder taken over by the account running the test (``takeown``)."""
    import win32api
    import win32security

    token = win32security.OpenProcessToken(win32api.GetCurrentProcess(), win32security.TOKEN_QUERY)
    me, _attributes = win32security.GetTokenInformation(token, win32security.TokenUser)
    security.write(folder, me, security.read(folder).GetSecurityDescriptorDacl())


@only_on_windows
@pytest.mark.parametrize(
    ("widen", "named"),
    [(_users_read, "BUILTIN\\Users"), (_no_list, "Everyone"), (_owned_by_me, "its owner")],
)
def test_a_widened_folder_is_refused_for_every_use(
    tmp_path: Path,
    security: TableSecurity,
    widen: Callable[[TableSecurity, Path], None],
    named: str,
) -> None:
    folder = tmp_path / "secrets"
    backend = _store(folder, security)
    backend.set_password(SERVICE, "one", "the-secret-value")
    widen(security, folder)

    uses: list[Callable[[], object]] = [
        lambda: backend.get_password(SERVICE, "one"),
        lambda: backend.set_password(SERVICE, "one", "the-secret-value"),
        lambda: backend.delete_password(SERVICE, "one"),
        lambda: _store(folder, security),
    ]
    for use in uses:
        with pytest.raises(MachineSecretsError) as raised:
            use()
        message = str(raised.value)
        assert named in message and "will not use" in message and str(folder) in message
        assert "the-secret-value" not in message
    with pytest.raises(SecretStoreError, match="could not be read") as wrapped:
        SecretStore(backend, service=SERVICE).load("one")
    assert named in str(wrapped.value)
    assert len(_files(folder)) == 1  # nothing deleted, nothing rewritten


@only_on_windows
def test_a_folder_made_without_ferry_is_refused(tmp_path: Path) -> None:
    """Read from the disk itself, under Wine too: a folder made the ordinary way inherits
    its parent's list (here the temporary folder's: its user, and under Wine also Everyone),
    so it is refused before anything is written in it."""
    folder = tmp_path / "secrets"
    folder.mkdir()
    with pytest.raises(MachineSecretsError, match="will not use") as raised:
        MachineSecretsKeyring(folder)
    assert "SYSTEM and Administrators" in str(raised.value)
    assert list(folder.iterdir()) == []


@only_on_windows
def test_the_account_that_made_the_folder_may_own_it(
    tmp_path: Path, security: TableSecurity
) -> None:
    """An administrator logging the computer in (or, under Wine, the one user) reads and
    writes a folder that account owns: nobody else is let in by that. The service, as
    LocalSystem, still refuses the same folder (the test above)."""
    import win32api
    import win32security

    token = win32security.OpenProcessToken(win32api.GetCurrentProcess(), win32security.TOKEN_QUERY)
    me, _attributes = win32security.GetTokenInformation(token, win32security.TokenUser)
    folder = tmp_path / "secrets"
    _store(folder, security).set_password(SERVICE, "one", "the-secret-value")
    _owned_by_me(security, folder)
    mine = _store(folder, security, win32security.ConvertSidToStringSid(me))
    assert mine.get_password(SERVICE, "one") == "the-secret-value"
    with pytest.raises(MachineSecretsError):
        _store(folder, security).get_password(SERVICE, "one")


@only_on_windows
def test_a_service_running_as_a_named_account_is_let_in_and_reads_the_login(
    tmp_path: Path, security: TableSecurity
) -> None:
    """``service login`` for a service that runs as a named account: the folder (made before
    for LocalSystem) gets that account too, and the service, as that account, reads and
    deletes what the administrator wrote."""
    folder = tmp_path / "secrets"
    _store(folder, security).set_password(SERVICE, "one", "the-secret-value")
    sids = [ace.sid for ace in machine_secrets.describe(security.read(folder)).aces or ()]
    assert sids == [SYSTEM_SID, ADMINISTRATORS_SID]

    admin = MachineSecretsKeyring(
        folder, file_security=security, account_sid=SYSTEM_SID, service_sid=NAMED_SID
    )
    described = machine_secrets.describe(security.read(folder))
    assert [ace.sid for ace in described.aces or ()] == [
        SYSTEM_SID,
        ADMINISTRATORS_SID,
        NAMED_SID,
    ]
    assert described.protected and described.owner_sid == ADMINISTRATORS_SID
    admin.set_password(SERVICE, "two", "another-value")

    service = _store(folder, security, NAMED_SID)
    assert service.get_password(SERVICE, "two") == "another-value"
    service.delete_password(SERVICE, "two")
    assert service.get_password(SERVICE, "two") is None
    # LocalSystem's service (no named account) still refuses a folder with another account in
    with pytest.raises(MachineSecretsError, match=r"svc-ferry|S-1-5-21-1-2-3-1005"):
        _store(folder, security).get_password(SERVICE, "one")


@only_on_windows
def test_a_folder_made_for_a_named_account_lists_it_from_the_start(
    tmp_path: Path, security: TableSecurity
) -> None:
    folder = tmp_path / "secrets"
    MachineSecretsKeyring(
        folder, file_security=security, account_sid=SYSTEM_SID, service_sid=NAMED_SID
    )
    (made,) = security.made
    assert [ace.sid for ace in machine_secrets.describe(made).aces or ()] == [
        SYSTEM_SID,
        ADMINISTRATORS_SID,
        NAMED_SID,
    ]
