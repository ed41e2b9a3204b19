"""The local channel: how a face (the tray app, the command line) reaches the engine of a
Ferry home that another process hosts (``ferry run``, the Windows service, the desktop app's
engine process).

A named pipe on Windows, a Unix socket elsewhere, carrying length-prefixed frames
(:mod:`multiprocessing.connection`, the standard library's, which speaks both). Who may open it:

- Unix: the socket lives in the home's state folder, which Ferry keeps to its own account
  (mode 0700; the socket 0600): another local user cannot even connect.
- Windows: the pipe's default security lets only its owner, administrators and SYSTEM write to
  it; others may at most open it for reading, which gets them nothing but the first challenge.

And what they must know: a per-installation secret, kept beside the state (readable by the
same people), proven by both ends with HMAC-SHA256 over fresh nonces before anything else is
said. The face proves it may drive the engine; the engine proves it is Ferry's (on Windows,
where anyone may create a pipe of a guessed name first, a squatter could otherwise feed a face
false events).

After the handshake the face says :class:`Hello` with its protocol version; the engine answers
:class:`Welcome`, or :class:`Refused` when the versions differ, which the face puts into words.
Then commands, requests and their replies, and every event, as JSON of pydantic models.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import socket
import stat
import sys
import tempfile
import threading
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from app.engine.messages import Command, Event, FailureInfo
from app.engine.state import TableWord
from app.home import FerryHome

#: The channel's version: a face and an engine that differ refuse each other in plain words.
#: 2: runs carry their times, client and failed documents; RunProgress (continuous syncing).
#: 3: AlertChanged (the watchdog's alerts, issue 17).
#: 4: documents read a page at a time, filtered in SQL, and counted (``ferry status``, issue 18).
#: 5: the desktop window's table a page at a time, filtered and sorted in SQL (TableQuery).
#: 6: a selection's ids and statuses, however many (``TableQuery.ids_only``).
PROTOCOL = 6
KEY_FILE = "channel.key"
SOCKET_FILE = "engine.sock"
_NONCE_BYTES = 32
_HANDSHAKE_S = 5.0
#: Unix socket paths are limited to 108 bytes (104 on macOS).
_MAX_SOCKET_PATH = 100
_WINDOWS = sys.platform == "win32"


class ChannelError(Exception):
    """The channel cannot be used; ``code`` says why, for words at the edge:

    - ``no_engine``: no engine runs for this home;
    - ``not_allowed``: one runs, but this account may not drive it (its secret is unreadable,
      or the handshake failed);
    - ``version``: the engine speaks another version of the channel (``params``: its version
      and Ferry's version there);
    - ``lost``: the engine went away mid-conversation.
    """

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


# -- where ------------------------------------------------------------------------------------


def address(home: FerryHome) -> str:
    """The channel's address for ``home``: the same for every process of every account, so
    that a face finds the engine whoever hosts it."""
    where = str(home.state_dir.resolve())
    digest = hashlib.sha256(where.lower().encode() if _WINDOWS else where.encode()).hexdigest()
    if _WINDOWS:  # pragma: no cover - Windows
        return rf"\\.\pipe\ferry-engine-{digest[:24]}"
    path = home.state_dir / SOCKET_FILE
    if len(os.fsencode(path)) <= _MAX_SOCKET_PATH:
        return str(path)
    return str(_private_runtime_dir() / f"{digest[:24]}.sock")


def _private_runtime_dir() -> Path:
    """For a home whose path is too long for a socket: a folder of this account's only."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    folder = Path(base) / f"ferry-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.lstat()
    if (
        info.st_uid != os.getuid()
        or stat.S_IMODE(info.st_mode) & 0o077
        or not stat.S_ISDIR(info.st_mode)
    ):
        raise ChannelError("not_allowed", folder=str(folder))
    return folder


def family() -> str:
    return "AF_PIPE" if _WINDOWS else "AF_UNIX"


# -- the secret -------------------------------------------------------------------------------


def make_key(home: FerryHome, *, for_service: bool = False) -> bytes:
    """The installation's secret, made on first use; only the engine's host makes it. On
    Windows its file gets the pipe's readers (:mod:`app.service.pipe_security`) before the
    secret is written into it."""
    path = home.state_dir / KEY_FILE
    with contextlib.suppress(FileNotFoundError):
        return read_key(home)
    home.state_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another host made it at the same moment
        return read_key(home)
    with os.fdopen(descriptor, "w") as file:
        if _WINDOWS:  # pragma: no cover - Windows
            from app.service import pipe_security

            sid = pipe_security.current_user_sid()
            pipe_security.protect_file(path, pipe_security.key_sddl(for_service, sid))
        file.write(key)
    return key.encode()


def read_key(home: FerryHome) -> bytes:
    """The secret, for a face; :class:`FileNotFoundError` when no engine ever ran here,
    :class:`ChannelError` ``not_allowed`` when this account may not read it."""
    try:
        text = (home.state_dir / KEY_FILE).read_text().strip()
    except PermissionError:
        raise ChannelError("not_allowed") from None
    if not text:
        raise FileNotFoundError(str(home.state_dir / KEY_FILE))
    return text.encode()


def keep_private(home: FerryHome) -> None:
    """The state folder (database, secret, socket) is for Ferry's own account only."""
    if not _WINDOWS:
        home.state_dir.chmod(0o700)


# -- the handshake ----------------------------------------------------------------------------


def _proof(key: bytes, who: bytes, first: bytes, second: bytes) -> bytes:
    return hmac.new(key, b"ferry-channel:" + who + first + second, hashlib.sha256).digest()


def prove_host(connection: Connection, key: bytes) -> None:
    """The engine's side: challenge the face, check its proof, prove itself."""
    ours = secrets.token_bytes(_NONCE_BYTES)
    connection.send_bytes(ours)
    if not connection.poll(_HANDSHAKE_S):
        raise ChannelError("not_allowed")
    answer = connection.recv_bytes(2 * _NONCE_BYTES + 64)
    theirs, proof = answer[:_NONCE_BYTES], answer[_NONCE_BYTES:]
    if len(theirs) != _NONCE_BYTES or not hmac.compare_digest(
        proof, _proof(key, b"face", ours, theirs)
    ):
        raise ChannelError("not_allowed")
    connection.send_bytes(_proof(key, b"host", theirs, ours))


def prove_face(connection: Connection, key: bytes) -> None:
    """The face's side: answer the engine's challenge, check the engine's proof."""
    if not connection.poll(_HANDSHAKE_S):
        raise ChannelError("not_allowed")
    challenge = connection.recv_bytes(_NONCE_BYTES)
    ours = secrets.token_bytes(_NONCE_BYTES)
    connection.send_bytes(ours + _proof(key, b"face", challenge, ours))
    if not connection.poll(_HANDSHAKE_S):
        raise ChannelError("not_allowed")  # the engine hung up: our proof was refused
    try:
        answer = connection.recv_bytes(64)
    except (EOFError, OSError):
        raise ChannelError("not_allowed") from None
    if not hmac.compare_digest(answer, _proof(key, b"host", ours, challenge)):
        raise ChannelError("not_allowed")


def hang_up(connection: Connection) -> None:
    """Close ``connection`` so that a thread blocked reading it wakes up too: on a Unix socket
    closing alone does not wake it; shutting the socket down does."""
    if not _WINDOWS:
        with contextlib.suppress(OSError, ValueError):
            duplicate = socket.socket(fileno=os.dup(connection.fileno()))
            with contextlib.suppress(OSError):
                duplicate.shutdown(socket.SHUT_RDWR)
            duplicate.close()
    with contextlib.suppress(OSError):
        connection.close()


# -- opening ----------------------------------------------------------------------------------


def listen(home: FerryHome, *, for_service: bool = False) -> Any:
    """The engine's listener (``accept``, ``close``). The caller holds the home's engine lock,
    so a socket file left by a killed engine is stale and replaced. On Windows the pipe is
    made with its own access list (:mod:`app.service.pipe_security`)."""
    where = address(home)
    if _WINDOWS:  # pragma: no cover - Windows
        from app.service import pipe_security

        sid = pipe_security.current_user_sid()
        return pipe_security.secured_pipe_listener(where, pipe_security.pipe_sddl(for_service, sid))
    keep_private(home)
    with contextlib.suppress(FileNotFoundError):
        Path(where).unlink()
    listener = Listener(where, family())
    Path(where).chmod(0o600)
    return listener


def connect(home: FerryHome) -> Connection:
    """A proven connection to ``home``'s engine; :class:`ChannelError` when there is none
    or this account may not use it."""
    try:
        key = read_key(home)
    except FileNotFoundError:
        raise ChannelError("no_engine") from None
    try:
        connection = Client(address(home), family())
    except PermissionError:
        raise ChannelError("not_allowed") from None
    except (FileNotFoundError, ConnectionRefusedError, OSError):
        raise ChannelError("no_engine") from None
    try:
        prove_face(connection, key)
    except (EOFError, OSError):
        connection.close()
        raise ChannelError("not_allowed") from None
    except ChannelError:
        connection.close()
        raise
    return connection


# -- what is said -----------------------------------------------------------------------------


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Hello(_Message):
    type: Literal["hello"] = "hello"
    protocol: int
    version: str
    face: str


class Bye(_Message):
    """A face leaving: the engine hangs up, which ends the face's reader (closing a
    connection under a thread blocked reading it does not wake that thread everywhere)."""

    type: Literal["bye"] = "bye"


class Welcome(_Message):
    type: Literal["welcome"] = "welcome"
    protocol: int
    version: str
    #: Who keeps the engine running (:class:`app.engine.host.HostKind`).
    host: str
    pid: int


class Refused(_Message):
    """A face of another channel version: it says so, then the engine hangs up."""

    type: Literal["refused"] = "refused"
    protocol: int
    version: str


class DocumentsQuery(_Message):
    """The documents Ferry knows (as ``StateStore.documents`` gives them); with ``limit``, a
    page of them after the ``(created_at, id)`` of the last one read (``after``), so that a
    face holds a page, not an office's whole history (``StateStore.documents_page``)."""

    type: Literal["documents"] = "documents"
    status: str | None = None
    moved: bool = False
    after: tuple[str, str] | None = None
    limit: int | None = Field(default=None, ge=1, le=5000)


class CountsQuery(_Message):
    """How many documents per status, and how many wait (``StateStore.status_counts``)."""

    type: Literal["counts"] = "counts"
    status: str | None = None
    moved: bool = False


class TableWordModel(_Message):
    """One word of the table's text filter (``app.engine.state.TableWord``)."""

    text: str
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    clients: tuple[str, ...] = ()


#: What one table query answers at most: whole rows, and ``[id, status]`` rows.
ROWS_LIMIT = 5_000
IDS_LIMIT = 50_000


class TableQuery(_Message):
    """One page of the desktop window's table as it shows it, with how many documents its
    filters let through and, with ``summary_since``, the counts it says at a glance
    (``StateStore.table``): the window holds the pages it shows, not an office's history."""

    type: Literal["table"] = "table"
    status: str | None = None
    client_id: str | None = None
    words: tuple[TableWordModel, ...] = ()
    sort: str | None = None
    descending: bool = True
    order: tuple[str, ...] = ()
    offset: int = Field(default=0, ge=0)
    #: Whole rows up to 5,000 a query; ``[id, status]`` rows (``ids_only``) up to 50,000.
    limit: int = Field(default=200, ge=0, le=IDS_LIMIT)
    summary_since: float | None = None
    ids_only: bool = False

    @model_validator(mode="after")
    def _bounded(self) -> TableQuery:
        if not self.ids_only and self.limit > ROWS_LIMIT:
            raise ValueError(f"at most {ROWS_LIMIT} whole rows a query")
        return self

    def arguments(self) -> dict[str, Any]:
        """``StateStore.table``'s keyword arguments."""
        return {
            "status": self.status,
            "client_id": self.client_id,
            "words": [TableWord(w.text, w.kinds, w.statuses, w.clients) for w in self.words],
            "sort": self.sort,
            "descending": self.descending,
            "order": self.order,
            "offset": self.offset,
            "limit": self.limit,
            "summary_since": self.summary_since,
            "ids_only": self.ids_only,
        }


class RunsQuery(_Message):
    type: Literal["runs"] = "runs"
    limit: int = 200


class ClientsQuery(_Message):
    """The office's clients, read from the platform now (``ferry link``)."""

    type: Literal["clients"] = "clients"


class FolderQuery(_Message):
    """Whether the engine can write in a folder: asked of the engine because it writes as its
    own account (the service's), which may see other drives and rights than the person's."""

    type: Literal["folder"] = "folder"
    path: str


class PassRequest(_Message):
    """One pass now, its summary as the reply (``ferry sync``, ``retry``, ``resend``)."""

    type: Literal["pass"] = "pass"
    kind: str = "incremental"
    new_destinations: bool = False


#: What a face may ask of the engine: a command, or a request it waits on the answer to.
RequestBody = (
    Command
    | DocumentsQuery
    | CountsQuery
    | TableQuery
    | RunsQuery
    | PassRequest
    | FolderQuery
    | ClientsQuery
)


class Request(_Message):
    type: Literal["request"] = "request"
    id: int
    body: Annotated[RequestBody, Field(discriminator="type")]


class Reply(_Message):
    type: Literal["reply"] = "reply"
    id: int
    result: Any = None
    #: Why the request failed, as data (a platform's refusal, a login needed).
    failure: FailureInfo | None = None
    #: The engine stopped or could not do it at all, in English for the log.
    error: str | None = None


class PassSummary(_Message):
    """:class:`app.engine.engine.RunSummary` on the wire."""

    kind: str
    documents: int = 0
    delivered: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[FailureInfo] = Field(default_factory=list)
    moved: dict[str, int] = Field(default_factory=dict)


FACE_SAYS: TypeAdapter[Hello | Request | Bye] = TypeAdapter(
    Annotated[Hello | Request | Bye, Field(discriminator="type")]
)
#: What the engine says: the answer to Hello, replies, and every event.
HOST_SAYS: TypeAdapter[Welcome | Refused | Reply | Event] = TypeAdapter(
    Annotated[Welcome | Refused | Reply | Event, Field(discriminator="type")]
)


class Replies:
    """Requests waiting for their reply, matched by id: a face's, and the desktop app's over
    its engine process's pipe. ``wait`` blocks (never on a GUI thread)."""

    def __init__(self) -> None:
        self._next = 0
        self._waiting: dict[int, tuple[threading.Event, list[Reply]]] = {}
        self._lock = threading.Lock()

    def open(self) -> int:
        with self._lock:
            self._next += 1
            self._waiting[self._next] = (threading.Event(), [])
            return self._next

    def wait(self, request_id: int, timeout: float | None = None) -> Reply:
        """The reply; :class:`ChannelError` ``lost`` when the engine went away first."""
        with self._lock:
            arrived, box = self._waiting[request_id]
        try:
            if not arrived.wait(timeout) or not box:
                raise ChannelError("lost")
            return box[0]
        finally:
            with self._lock:
                self._waiting.pop(request_id, None)

    def deliver(self, reply: Reply) -> bool:
        """False when nobody waits for it (a command sent without waiting)."""
        with self._lock:
            waiting = self._waiting.get(reply.id)
        if waiting is None:
            return False
        waiting[1].append(reply)
        waiting[0].set()
        return True

    def fail_all(self) -> None:
        with self._lock:
            for arrived, _ in self._waiting.values():
                arrived.set()
