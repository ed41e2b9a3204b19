"""Secrets in the OS keyring only, whatever their size.

Windows Credential Manager refuses a secret over 2,560 bytes (1,280 UTF-16 characters), and
refresh tokens from some providers are longer. A secret is therefore kept in chunks, each its
own vault entry named after its generation, under a header entry naming the chunk set and its
checksum. A save writes the new chunk set, then points the header at it, then deletes the old
set: a crash mid-save leaves the old secret readable, never a torn one, and no moment is
without a valid secret.

A secret is written once under a name of its own and never overwritten, because a vault may
keep what an entry held before: keyring's Windows backend (WinVaultKeyring) has one
Credential Manager entry per service and moves the value it replaces to ``user@service``,
where it stays until that user's entry is deleted. Overwriting the header leaves only a
pointer there; deleting an old chunk deletes both of its places. Nothing is ever written in
plain text outside the vault: where no real keyring exists, Ferry refuses and says what to
install.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
import sys

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail

from app.home import FerryHome

log = logging.getLogger(__name__)

SERVICE = "Ferry"
CHUNK_CHARS = 1000
"""Below Windows' 1,280-character limit, with room for the vault's own overhead."""

_SINGLE = "ferry-secret:1:"
_CHUNKED = "ferry-chunks:1:"


class SecretStoreError(Exception):
    """The OS keyring cannot keep Ferry's login; the message says what to do."""


def unavailable_message() -> str:
    if sys.platform == "win32":
        return (
            "Ferry keeps your login in Windows Credential Manager, which is not available to "
            "this account. Log in to Windows with a regular user account and start Ferry again."
        )
    if sys.platform == "darwin":
        return (
            "Ferry keeps your login in the macOS Keychain, which is not available. Open "
            "Keychain Access to unlock your login keychain and start Ferry again."
        )
    return (
        "Ferry keeps your login in the system's password store (Secret Service), and none is "
        "running here. Install one, e.g. 'apt install gnome-keyring dbus-x11' (or KWallet), and "
        "run Ferry inside a desktop session, or on a server start it with 'dbus-run-session -- "
        'sh -c "echo | gnome-keyring-daemon --unlock --components=secrets; ferry ..."\'. '
        "Ferry never writes your login in a plain file."
    )


def is_secure(backend: keyring.backend.KeyringBackend) -> bool:
    """Whether ``backend`` is a real vault: not the fail/null backends, not a plain file."""
    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(is_secure(inner) for inner in backend.backends)
    kind = f"{type(backend).__module__}.{type(backend).__qualname__}".lower()
    return not any(word in kind for word in ("plaintext", "null", "keyrings.alt.file", "fail."))


class SecretStore:
    """Named secrets in one keyring service, chunked when long."""

    def __init__(
        self,
        backend: keyring.backend.KeyringBackend | None = None,
        *,
        service: str = SERVICE,
        chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        self._backend = backend or keyring.get_keyring()
        self._service = service
        self._chunk = chunk_chars

    @property
    def backend_name(self) -> str:
        return type(self._backend).__name__

    def check(self) -> None:
        """Raise :class:`SecretStoreError` unless a real vault is there."""
        if not is_secure(self._backend):
            raise SecretStoreError(unavailable_message())

    def save(self, name: str, secret: str) -> None:
        """Keep ``secret`` as ``name``: the new chunks, then the header pointing at them, then
        the previous chunks deleted. Raises :class:`SecretStoreError` (the previous secret
        then still reads back whole)."""
        self.check()
        previous = self._get(name)
        old = _parse(previous)
        generation = secrets.token_hex(4)
        while old is not None and generation == old[0]:
            generation = secrets.token_hex(4)
        pieces = [secret[i : i + self._chunk] for i in range(0, len(secret), self._chunk)]
        for index, piece in enumerate(pieces):
            self._set(_chunk_name(name, generation, index), piece)
        digest = hashlib.sha256(secret.encode()).hexdigest()[:32]
        header = f"{_CHUNKED}{generation}:{len(pieces)}:{digest}"
        self._set(name, header)
        if previous is not None and previous.startswith(_SINGLE):
            # The header of an older Ferry held the secret itself, and WinVaultKeyring has
            # just moved it to "name@service": writing the header again replaces that copy.
            self._set(name, header)
        self._delete_chunks(name, previous)

    def load(self, name: str) -> str | None:
        """The secret, or None when there is none (or only a damaged one)."""
        self.check()
        header = self._get(name)
        problem = ""
        for _attempt in range(3):
            if header is None:
                return None
            secret, problem = self._read(name, header)
            if secret is not None:
                return secret
            again = self._get(name)
            if again == header:
                break
            header = again  # another process saved meanwhile and deleted what we were reading
        log.warning("the keyring entry for %s is %s; a new login is needed", name, problem)
        return None

    def delete(self, name: str) -> None:
        self.check()
        header = self._get(name)
        self._delete_chunks(name, header)
        if header is not None:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                self._backend.delete_password(self._service, name)

    def _read(self, name: str, header: str) -> tuple[str | None, str]:
        """The secret ``header`` points at, or None and what is wrong with it."""
        if header.startswith(_SINGLE):  # written by an older Ferry
            return header[len(_SINGLE) :], ""
        parsed = _parse(header)
        if parsed is None:
            return None, "in an unknown format"
        generation, count, digest = parsed
        pieces = [self._get(_chunk_name(name, generation, i)) for i in range(count)]
        if any(piece is None for piece in pieces):
            return None, "incomplete"
        secret = "".join(piece or "" for piece in pieces)
        if hashlib.sha256(secret.encode()).hexdigest()[:32] != digest:
            return None, "damaged"
        return secret, ""

    # -- raw vault access with plain-words errors ---------------------------------------------

    def _get(self, name: str) -> str | None:
        try:
            return self._backend.get_password(self._service, name)
        except keyring.errors.KeyringError as error:
            raise SecretStoreError(
                f"the system's password store could not be read ({error}); unlock it and try again"
            ) from None

    def _set(self, name: str, value: str) -> None:
        try:
            self._backend.set_password(self._service, name, value)
        except keyring.errors.KeyringError as error:
            raise SecretStoreError(
                f"the system's password store refused to keep Ferry's login ({error}); unlock it "
                "and try again"
            ) from None

    def _delete_chunks(self, name: str, header: str | None) -> None:
        parsed = _parse(header)
        if parsed is None:
            return
        generation, count, _ = parsed
        for index in range(count):
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                self._backend.delete_password(self._service, _chunk_name(name, generation, index))


def _parse(header: str | None) -> tuple[str, int, str] | None:
    """A header's chunk set (generation, count, digest), or None when it names none."""
    if header is None or not header.startswith(_CHUNKED):
        return None
    parts = header[len(_CHUNKED) :].split(":")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


def _chunk_name(name: str, generation: str, index: int) -> str:
    return f"{name}#{generation}#{index}"


#: The folder of a service's home where the computer's own store keeps its login.
MACHINE_SECRETS_FOLDER = "secrets"


def store_for(home: FerryHome) -> SecretStore:
    """Where ``home``'s login is kept: for a Windows service's home (``%ProgramData%\\Ferry``,
    or any home whose login the computer's own store already keeps) that store
    (:func:`machine_store`); for any other home, the person's OS keyring."""
    if sys.platform == "win32" and (
        home.settings_dir == FerryHome.machine().settings_dir
        or (home.settings_dir.parent / MACHINE_SECRETS_FOLDER).is_dir()
    ):
        return machine_store(home)
    return SecretStore()


def machine_store(home: FerryHome, service_sid: str | None = None) -> SecretStore:
    """The computer's own store for the service's ``home``, which LocalSystem and
    administrators can read and nobody else (:mod:`app.service.machine_secrets`: DPAPI with
    machine scope, in ``secrets`` beside the home's folders). The service names it itself:
    the environment a service manager gives may not say where ``%ProgramData%`` is.
    ``service_sid``: the named account the service runs as, also let in (it takes the login
    from there into its own Credential Manager: :mod:`app.service.login_handoff`)."""
    from app.service.machine_secrets import MachineSecretsKeyring

    folder = home.settings_dir.parent / MACHINE_SECRETS_FOLDER
    return SecretStore(MachineSecretsKeyring(folder, service_sid=service_sid))
