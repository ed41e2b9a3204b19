"""One Ferry home's engine, hosted for as long as something keeps it: ``ferry run``, the
Windows service, or the desktop app's engine process. Faces (the tray app, the command line)
attach to it over the local channel (:mod:`app.engine.channel`) instead of opening its
database behind its back; any number of them, coming and going: none of them owns the engine.

Every face gets every event, and on arrival the latest state and client list, so that a tray
app attached an hour later shows what one attached from the start shows. Requests (commands
whose outcome the face waits for, queries of what the engine knows) run on the engine's own
loop, where its state may be touched, and are answered when done.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import logging
import os
import platform
import queue
import threading
from collections.abc import Callable
from enum import StrEnum
from multiprocessing.connection import Client, Connection
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app import __version__
from app.alerts.keeper import AlertKeeper, waiting_documents
from app.auth.secret_store import SecretStore
from app.auth.session import LoginNeeded
from app.core.failures import Failure, FailureCode
from app.core.start_failures import StartFailure, StartFailureCode
from app.engine import channel
from app.engine.channel import (
    FACE_SAYS,
    PROTOCOL,
    Bye,
    ClientsQuery,
    CountsQuery,
    DocumentsQuery,
    FolderQuery,
    Hello,
    PassRequest,
    PassSummary,
    Refused,
    Reply,
    Request,
    RequestBody,
    RunsQuery,
    TableQuery,
    Welcome,
)
from app.engine.engine import Engine, EngineError, RunSummary
from app.engine.messages import (
    ClientsLoaded,
    Command,
    DeliverAgain,
    Event,
    FailureInfo,
    Resend,
    Retry,
    StateChanged,
    Stop,
    SyncNow,
)
from app.engine.thread import EngineThread
from app.home import FerryHome
from app.os_specific import folder_writable
from app.platform.errors import PlatformError
from app.updates.keeper import UpdateKeeper

log = logging.getLogger(__name__)

#: Events a face may fall behind by before it is let go (it attaches again and reloads).
FACE_BACKLOG = 20_000


class HostKind(StrEnum):
    """Who keeps the engine running, as attached faces are told."""

    DESKTOP = "desktop"  # the tray app's engine process: it ends with the app
    RUN = "run"  # ``ferry run`` in a terminal or under systemd/launchd
    SERVICE = "service"  # the Windows service


class _Face:
    """One attached face: its connection and the events and replies waiting for it, written
    by a thread of its own so that a slow face never holds up the engine or the others."""

    def __init__(self, connection: Connection, name: str) -> None:
        self.connection = connection
        self.name = name
        self.outbox: queue.Queue[bytes | None] = queue.Queue(FACE_BACKLOG)
        self.gone = threading.Event()
        self.writer = threading.Thread(target=self._write, name=f"ferry-face-{name}", daemon=True)

    def put(self, data: bytes) -> None:
        try:
            self.outbox.put_nowait(data)
        except queue.Full:
            log.warning("a face (%s) fell too far behind: letting it go", self.name)
            self.close()

    def close(self) -> None:
        self.gone.set()
        with contextlib.suppress(queue.Full):
            self.outbox.put_nowait(None)
        channel.hang_up(self.connection)

    def _write(self) -> None:
        while not self.gone.is_set():
            data = self.outbox.get()
            if data is None:
                break
            try:
                self.connection.send_bytes(data)
            except (OSError, ValueError):
                break
        self.close()


class EngineHost:
    """Run one home's engine and let faces attach to it."""

    def __init__(
        self,
        home: FerryHome,
        *,
        host: HostKind,
        secrets: SecretStore | None = None,
        on_event: Callable[[Event], None] | None = None,
        long_poll_s: float | None = None,
    ) -> None:
        self.home = home
        self.kind = host
        self._on_event = on_event
        self._engine = EngineThread(home, self._publish, secrets=secrets, long_poll_s=long_poll_s)
        self._faces: list[_Face] = []
        self._faces_lock = threading.Lock()
        self._latest: dict[type, Event] = {}
        self._listener: Any = None  # multiprocessing's, or the secured pipe's
        self._accepting: threading.Thread | None = None
        self._key = b""
        self._closing = False
        #: The watchdog of issue 17: alerts when delivery stops, said once each.
        self._alerts = AlertKeeper(
            home,
            publish=self._publish,
            waiting=lambda: self._engine.submit(waiting_documents),
            service=host is HostKind.SERVICE,
            secrets=secrets,
        )
        #: Signed updates (issue 17): checked and downloaded here; applied by the service.
        self._updates = UpdateKeeper(home, service=host is HostKind.SERVICE)

    @property
    def running(self) -> bool:
        return self._engine.running

    @property
    def faces(self) -> int:
        with self._faces_lock:
            return sum(1 for face in self._faces if not face.gone.is_set())

    def start(self, timeout: float = 60.0) -> None:
        """Open the engine (it takes the home's lock), then the channel. Raises
        :class:`EngineError` when the engine cannot start: its ``failure`` says why."""
        self._engine.start(timeout, wait=True)
        if self._engine.error is not None or not self._engine.running:
            self._engine.stop()
            failure = self._engine.failure
            raise EngineError(failure or StartFailure.of(StartFailureCode.DID_NOT_START))
        self.open_channel()
        self._alerts.start()
        self._updates.start()

    def open_channel(self) -> None:
        """Let faces attach: only once the engine holds the home's lock (a socket file left
        by a killed engine is then known to be stale)."""
        try:
            for_service = self.kind is HostKind.SERVICE
            self._key = channel.make_key(self.home, for_service=for_service)
            self._listener = channel.listen(self.home, for_service=for_service)
        except (OSError, channel.ChannelError) as error:
            # The engine runs without faces rather than not at all; the log says why.
            log.error("the local channel could not open: %s", error)
            return
        self._accepting = threading.Thread(target=self._accept, name="ferry-channel", daemon=True)
        self._accepting.start()
        log.info(
            "Ferry %s engine hosted by %s (Python %s, %s), channel open",
            __version__,
            self.kind.value,
            platform.python_version(),
            platform.platform(terse=True),
        )

    def send(self, command: Command) -> None:
        self._engine.send(command)

    def request(self, request: Request) -> concurrent.futures.Future[Reply]:
        """Run a request on the engine's loop; the future holds its reply (the engine
        stopped under it: a reply that says so)."""
        answered: concurrent.futures.Future[Reply] = concurrent.futures.Future()
        future = self._engine.submit(lambda engine: _answer(engine, request.id, request.body))

        def done(finished: concurrent.futures.Future[Reply]) -> None:
            try:
                reply = finished.result()
            except BaseException as error:  # the engine stopped under it
                reply = Reply(id=request.id, error=str(error) or type(error).__name__)
            answered.set_result(reply)

        future.add_done_callback(done)
        return answered

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the engine; attached faces see it stop, then lose the channel."""
        self._alerts.stop()
        self._updates.stop()
        self._engine.stop(timeout)
        self._close_channel()
        log.info("engine stopped (hosted by %s)", self.kind.value)

    def wait(self, stop: threading.Event) -> None:
        """Until ``stop`` is set or the engine ends by itself."""
        while self._engine.running and not stop.wait(0.5):
            pass

    # -- events ------------------------------------------------------------------------------

    def _publish(self, event: Event) -> None:
        """On the engine's thread: to the host's own callback, then to every face."""
        self._alerts.on_event(event)
        self._updates.on_event(event)
        if isinstance(event, StateChanged | ClientsLoaded):
            self._latest[type(event)] = event
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:
                log.exception("the host's event callback failed")
        data = event.model_dump_json().encode()
        with self._faces_lock:
            self._faces = [face for face in self._faces if not face.gone.is_set()]
            for face in self._faces:
                face.put(data)

    # -- the channel -------------------------------------------------------------------------

    def _accept(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self._closing:
            try:
                connection = listener.accept()
            except OSError:
                if self._closing:
                    return
                log.exception("the channel could not accept a face")
                continue
            if self._closing:
                connection.close()
                return
            threading.Thread(
                target=self._serve, args=(connection,), name="ferry-channel-face", daemon=True
            ).start()

    def _serve(self, connection: Connection) -> None:
        """One face, from its handshake to its leaving."""
        try:
            channel.prove_host(connection, self._key)
            if not connection.poll(5.0):
                raise channel.ChannelError("not_allowed")
            hello = FACE_SAYS.validate_json(connection.recv_bytes(1 << 16))
        except (channel.ChannelError, EOFError, OSError, ValidationError):
            log.warning("a process that could not prove it may use Ferry's engine was refused")
            with contextlib.suppress(OSError):
                connection.close()
            return
        if not isinstance(hello, Hello) or hello.protocol != PROTOCOL:
            with contextlib.suppress(OSError):
                connection.send_bytes(
                    Refused(protocol=PROTOCOL, version=__version__).model_dump_json().encode()
                )
                connection.close()
            log.warning("a face of another channel version was refused")
            return
        face = _Face(connection, hello.face)
        welcome = Welcome(protocol=PROTOCOL, version=__version__, host=self.kind, pid=os.getpid())
        face.put(welcome.model_dump_json().encode())
        with self._faces_lock:  # the latest state first, then everything after it, in order
            for event in list(self._latest.values()):
                face.put(event.model_dump_json().encode())
            self._faces.append(face)
        face.writer.start()
        log.info("a face attached (%s)", hello.face)
        try:
            while not face.gone.is_set():
                message = FACE_SAYS.validate_json(connection.recv_bytes())
                if isinstance(message, Request):
                    self._dispatch(face, message)
                elif isinstance(message, Bye):
                    break
        except (EOFError, OSError):
            pass
        except ValidationError:
            log.warning("a face (%s) sent what Ferry does not understand", hello.face)
        finally:
            face.close()
            log.info("a face left (%s)", hello.face)

    def _dispatch(self, face: _Face, request: Request) -> None:
        self.request(request).add_done_callback(
            lambda answered: face.put(answered.result().model_dump_json().encode())
        )

    def _close_channel(self) -> None:
        self._closing = True
        listener = self._listener
        if listener is not None:
            with contextlib.suppress(OSError, EOFError):  # wake the accepting thread
                Client(channel.address(self.home), channel.family()).close()
            with contextlib.suppress(OSError):
                listener.close()
        if self._accepting is not None:
            self._accepting.join(5)
        with self._faces_lock:
            for face in self._faces:
                face.close()
            self._faces = []


async def _answer(engine: Engine, request_id: int, body: RequestBody) -> Reply:
    """Do what a face asked, on the engine's loop; its failure as data."""
    try:
        result = await _execute(engine, body)
    except LoginNeeded:
        return Reply(id=request_id, failure=FailureInfo.of(Failure.of(FailureCode.LOGIN_NEEDED)))
    except PlatformError as error:
        return Reply(id=request_id, failure=FailureInfo.of(error.failure))
    except asyncio.CancelledError:
        return Reply(id=request_id, error="the engine stopped before it was done")
    except (EngineError, ValueError) as error:
        return Reply(id=request_id, error=str(error))
    return Reply(id=request_id, result=result)


async def _execute(engine: Engine, body: RequestBody) -> Any:
    wake = engine.command_queue().put_nowait
    if isinstance(body, DocumentsQuery):
        if body.limit is None and not body.moved:
            return engine.store.documents(body.status)
        return engine.store.documents_page(
            body.status, moved=body.moved, after=body.after, limit=body.limit or 500
        )
    if isinstance(body, CountsQuery):
        return engine.store.status_counts(body.status, moved=body.moved)
    if isinstance(body, TableQuery):  # a text filter reads every row: not on the loop
        return await asyncio.to_thread(engine.store.table, **body.arguments())
    if isinstance(body, RunsQuery):
        return [dataclasses.asdict(run) for run in engine.store.runs(body.limit)]
    if isinstance(body, ClientsQuery):
        return [client.model_dump(mode="json") for client in await engine.load_clients()]
    if isinstance(body, FolderQuery):  # the disk (a share may take seconds): a file thread
        return {"problem": await asyncio.to_thread(folder_writable, Path(body.path))}
    if isinstance(body, PassRequest):
        summary = await engine.request_pass(body.kind, new_destinations=body.new_destinations)
        return pass_summary(summary).model_dump(mode="json")
    if isinstance(body, Retry):
        outcome = await engine.retry(body.document_ids, all_errors=body.all_errors)
        wake(SyncNow())
        return dataclasses.asdict(outcome)
    if isinstance(body, Resend):
        await engine.resend(body.document_ids)
        wake(SyncNow())
        return None
    if isinstance(body, DeliverAgain):
        ids = await engine.deliver_again(
            body.document_ids or None, body.destination, moved=body.moved
        )
        wake(SyncNow())
        return ids
    if isinstance(body, Stop):
        raise ValueError("a face cannot stop the engine; stop what hosts it")
    wake(body)
    return None


def pass_summary(summary: RunSummary) -> PassSummary:
    return PassSummary(
        kind=summary.kind,
        documents=summary.documents,
        delivered=summary.delivered,
        failed=summary.failed,
        skipped=summary.skipped,
        errors=[FailureInfo.of(error) for error in summary.errors],
        moved=dict(summary.moved),
    )


def run_summary(summary: PassSummary) -> RunSummary:
    return RunSummary(
        summary.kind,
        summary.documents,
        summary.delivered,
        summary.failed,
        summary.skipped,
        [info.failure() for info in summary.errors],
        dict(summary.moved),
    )


def run_host(
    home: FerryHome,
    *,
    host: HostKind,
    stop: threading.Event,
    secrets: SecretStore | None = None,
    on_event: Callable[[Event], None] | None = None,
    long_poll_s: float | None = None,
    ready: Callable[[], None] | None = None,
) -> None:
    """Run ``home``'s engine, faces attached, until ``stop`` is set (or it ends by itself);
    ``ready`` is called once the engine is open (a service then says it runs).

    Raises :class:`EngineError` in plain words when it cannot start: another engine already
    runs for this home, nobody logged in, a state file from a newer Ferry.
    """
    engine = EngineHost(
        home, host=host, secrets=secrets, on_event=on_event, long_poll_s=long_poll_s
    )
    engine.start()
    if ready is not None:
        ready()
    try:
        engine.wait(stop)
    finally:
        engine.stop()
