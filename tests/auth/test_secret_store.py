"""The refresh token's home: the OS keyring, whatever its size limit, never a plain file."""

from __future__ import annotations

import os
import subprocess
import sys

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import SecretService, fail

from app.auth.secret_store import SecretStore, SecretStoreError, is_secure
from tests.conftest import ONLY_ON_WINDOWS, REPO, WINDOWS, credential_blob, credential_targets

WINDOWS_BLOB_LIMIT = 2560  # CRED_MAX_CREDENTIAL_BLOB_SIZE, in bytes of UTF-16


class SizeLimitedKeyring(keyring.backend.KeyringBackend):
    """Behaves like Windows Credential Manager on size: refuses secrets over 2,560 bytes."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, fail_on_write: int | None = None) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.writes = 0
        self.fail_on_write = fail_on_write

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes += 1
        if self.fail_on_write is not None and self.writes == self.fail_on_write:
            raise keyring.errors.PasswordSetError("the vault is locked")
        if len(password.encode("utf-16-le")) > WINDOWS_BLOB_LIMIT:
            raise keyring.errors.PasswordSetError("stub error: the credential is too big")
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")


LONG_TOKEN = "eyJ" + "x" * 6000  # a refresh token longer than any single vault entry allows


@pytest.mark.windows
def test_a_long_secret_survives_a_size_limited_vault() -> None:
    vault = SizeLimitedKeyring()
    store = SecretStore(vault)
    with pytest.raises(keyring.errors.PasswordSetError):
        vault.set_password("Ferry", "direct", LONG_TOKEN)  # the limit is real
    store.save("refresh-token:be:alice", LONG_TOKEN)
    assert store.load("refresh-token:be:alice") == LONG_TOKEN
    assert len(vault.entries) > 2
    assert all(len(v.encode("utf-16-le")) <= WINDOWS_BLOB_LIMIT for v in vault.entries.values())


@pytest.mark.windows
def test_rotation_replaces_chunks_and_leaves_no_orphans() -> None:
    vault = SizeLimitedKeyring()
    store = SecretStore(vault)
    store.save("k", LONG_TOKEN)
    store.save("k", LONG_TOKEN.replace("x", "y"))
    assert store.load("k") == LONG_TOKEN.replace("x", "y")
    store.save("k", "short")
    assert store.load("k") == "short"
    assert [name.split("#")[0] for _, name in sorted(vault.entries)] == ["k", "k"]  # + 1 chunk
    store.delete("k")
    assert vault.entries == {} and store.load("k") is None


@pytest.mark.windows
@pytest.mark.parametrize("failing_write", range(1, 9))
def test_a_failed_save_never_leaves_a_torn_secret(failing_write: int) -> None:
    vault = SizeLimitedKeyring()
    store = SecretStore(vault)
    store.save("k", LONG_TOKEN)
    vault.writes, vault.fail_on_write = 0, failing_write
    new = LONG_TOKEN.replace("x", "z")
    try:
        store.save("k", new)
    except SecretStoreError as error:
        assert "refused to keep Ferry's login" in str(error)
    assert store.load("k") in (LONG_TOKEN, new)


@pytest.mark.windows
def test_a_damaged_chunk_reads_as_no_login() -> None:
    vault = SizeLimitedKeyring()
    store = SecretStore(vault)
    store.save("k", LONG_TOKEN)
    chunk = next(key for key in vault.entries if "#" in key[1])
    vault.entries[chunk] = "tampered"
    assert store.load("k") is None
    del vault.entries[chunk]
    assert store.load("k") is None


class OneSlotKeyring(SizeLimitedKeyring):
    """Keeps values as keyring's WinVaultKeyring does in Credential Manager: one entry per
    service (the last value written) and, for every other user, ``user@service``; a value
    that is replaced moves to ``user@service`` first and stays there."""

    def get_password(self, service: str, username: str) -> str | None:
        slot = self.entries.get((service, "*"))
        if slot is not None and slot.startswith(f"{username}\0"):
            return slot.split("\0", 1)[1]
        return self.entries.get((service, f"{username}@"))

    def set_password(self, service: str, username: str, password: str) -> None:
        slot = self.entries.get((service, "*"))
        if slot is not None:
            user, value = slot.split("\0", 1)
            super().set_password(service, f"{user}@", value)
        super().set_password(service, "*", f"{username}\0{password}")

    def delete_password(self, service: str, username: str) -> None:
        deleted = False
        slot = self.entries.get((service, "*"))
        if slot is not None and slot.startswith(f"{username}\0"):
            deleted = bool(self.entries.pop((service, "*")))
        deleted = self.entries.pop((service, f"{username}@"), None) is not None or deleted
        if not deleted:
            raise keyring.errors.PasswordDeleteError("not found")


@pytest.mark.windows
@pytest.mark.parametrize("old", ["the old token", LONG_TOKEN, "ferry-secret:1:the old token"])
def test_a_vault_that_keeps_replaced_values_keeps_no_old_secret(old: str) -> None:
    vault = OneSlotKeyring()
    store = SecretStore(vault)
    if old.startswith("ferry-secret:1:"):  # as an older Ferry wrote a short one
        vault.set_password("Ferry", "k", old)
        old = old.removeprefix("ferry-secret:1:")
    else:
        store.save("k", old)
    store.save("other", "another login's token")  # moves k's header out of the one slot
    assert store.load("k") == old
    store.save("k", "the new token")
    assert store.load("k") == "the new token" and store.load("other") == "another login's token"
    assert not any(old[:20] in value for value in vault.entries.values())
    store.delete("k")
    store.delete("other")
    assert vault.entries == {}


@pytest.mark.windows
def test_a_reader_during_a_save_gets_the_old_secret_or_the_new_one() -> None:
    """Another process (the engine, the service) loads while this one rotates the token: the
    header it read may point at chunks deleted meanwhile; it reads the new header then."""
    vault = SizeLimitedKeyring()
    store = SecretStore(vault)
    store.save("k", "the old token")
    header = vault.entries[("Ferry", "k")]
    real_get = vault.get_password
    saved: list[str] = []

    def get_password(service: str, username: str) -> str | None:
        value = real_get(service, username)
        if username == "k" and not saved:  # the save happens right after the header is read
            saved.append("yes")
            SecretStore(vault).save("k", "the new token")
        return value

    vault.get_password = get_password  # type: ignore[method-assign]
    assert store.load("k") == "the new token"
    assert saved and vault.entries[("Ferry", "k")] != header


def test_no_backend_is_refused_in_plain_words() -> None:
    store = SecretStore(fail.Keyring())
    with pytest.raises(SecretStoreError, match="never writes your login in a plain file"):
        store.save("k", "secret")
    with pytest.raises(SecretStoreError, match="gnome-keyring"):
        store.load("k")


@pytest.mark.windows
def test_plain_text_backends_are_not_secure() -> None:
    class PlaintextKeyring(SizeLimitedKeyring):
        pass

    assert not is_secure(PlaintextKeyring())
    assert not is_secure(fail.Keyring())
    assert is_secure(SizeLimitedKeyring())


def test_real_secret_service_round_trip(secret_service: dict[str, str]) -> None:
    backend = keyring.get_keyring()
    assert isinstance(backend, SecretService.Keyring)
    store = SecretStore()
    store.save("refresh-token:test:round-trip", LONG_TOKEN)
    assert store.load("refresh-token:test:round-trip") == LONG_TOKEN
    # and another process sees the same vault
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import keyring; print(keyring.get_password('Ferry', "
            "'refresh-token:test:round-trip') is not None)",
        ],
        env={**os.environ, **secret_service},
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert done.stdout.strip() == "True"
    store.delete("refresh-token:test:round-trip")
    assert store.load("refresh-token:test:round-trip") is None


@pytest.mark.windows
@pytest.mark.skipif(not WINDOWS, reason=f"Credential Manager: {ONLY_ON_WINDOWS}")
def test_windows_credential_manager_keeps_a_long_secret_in_pieces(
    secret_service: dict[str, str], keyring_service: str
) -> None:
    """The real vault: a refresh token longer than one entry may hold is kept in entries of at
    most 2,560 bytes, read back whole (by another process too), and leaves nothing behind.

    Wine's Credential Manager accepts longer entries than Windows (which refuses them): the
    refusal itself is SizeLimitedKeyring's, the sizes written here are the real vault's.
    """
    from keyring.backends.Windows import WinVaultKeyring

    assert isinstance(keyring.get_keyring(), WinVaultKeyring)
    store = SecretStore(service=keyring_service)
    name = "refresh-token:be:alice"
    store.save(name, LONG_TOKEN)
    assert store.load(name) == LONG_TOKEN
    entries = credential_targets(keyring_service)
    assert len(entries) == 1 + -(-len(LONG_TOKEN) // 1000)  # the header and its chunks
    assert all(len(credential_blob(target)) <= WINDOWS_BLOB_LIMIT for target in entries)
    # another process (the engine's, the service's) reads the same vault
    read_back = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from app.auth.secret_store import SecretStore; "
        "print(len(SecretStore(service=sys.argv[2]).load(sys.argv[3]) or ''))"
    )
    done = subprocess.run(
        [sys.executable, "-c", read_back, str(REPO), keyring_service, name],
        env={**os.environ, **secret_service},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(len(LONG_TOKEN))
    # a rotated, shorter token leaves no orphan chunk; deleting leaves nothing
    store.save(name, "short")
    assert store.load(name) == "short"
    left = credential_targets(keyring_service)
    assert len([t for t in left if "#" in t]) == 1  # the new token's one chunk
    assert not any(b"x" * 100 in credential_blob(target) for target in left)
    store.delete(name)
    assert store.load(name) is None and credential_targets(keyring_service) == []


@pytest.mark.windows
@pytest.mark.skipif(not WINDOWS, reason=f"Credential Manager: {ONLY_ON_WINDOWS}")
def test_windows_a_rotated_secret_leaves_no_old_copy_in_the_vault(
    secret_service: dict[str, str], keyring_service: str
) -> None:
    """WinVaultKeyring moves a value it replaces to ``user@service`` and keeps it there: a
    refresh token is therefore never overwritten, but written anew and the old one deleted."""
    store = SecretStore(service=keyring_service)
    store.save("refresh-token:be:alice", "the old refresh token")
    store.save("refresh-token:be:alice", "the new refresh token")
    assert store.load("refresh-token:be:alice") == "the new refresh token"
    blobs = [credential_blob(target) for target in credential_targets(keyring_service)]
    assert not any("the old refresh token".encode("utf-16-le") in blob for blob in blobs)
    assert any("the new refresh token".encode("utf-16-le") in blob for blob in blobs)
    store.delete("refresh-token:be:alice")
    assert credential_targets(keyring_service) == []


@pytest.mark.windows
@pytest.mark.skipif(not WINDOWS, reason=f"Credential Manager: {ONLY_ON_WINDOWS}")
def test_windows_an_older_ferry_s_single_entry_leaves_no_copy_after_the_next_save(
    secret_service: dict[str, str], keyring_service: str
) -> None:
    """An older Ferry kept a short token in the header itself ("ferry-secret:1:..."): it
    still reads, and the first save after the update leaves no copy of it either."""
    keyring.get_keyring().set_password(keyring_service, "k", "ferry-secret:1:the old token")
    store = SecretStore(service=keyring_service)
    assert store.load("k") == "the old token"
    store.save("k", "the new token")
    assert store.load("k") == "the new token"
    blobs = [credential_blob(target) for target in credential_targets(keyring_service)]
    assert not any("the old token".encode("utf-16-le") in blob for blob in blobs)


def test_cli_without_any_keyring_says_what_to_install(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS",)}
    env.update({"HOME": str(tmp_path), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--home",
            str(tmp_path / "h"),
            "login",
            "--issuer",
            "http://127.0.0.1:9/realms/be",
            "--api",
            "http://127.0.0.1:9/api/v1",
            "--no-browser",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "apt install gnome-keyring" in done.stderr and "Traceback" not in done.stderr
    assert not list((tmp_path / "h").rglob("*.json"))
