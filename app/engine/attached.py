"""A face's end of the local channel: an engine that another process hosts, used like one of
our own (:class:`app.engine.process.EngineProcess`'s ``send``, ``stop``, ``running``), plus
requests whose answer the face waits for.

``stop`` here only lets go: the engine goes on for whoever hosts it (the service, ``ferry
run``, another user's tray app). Events arrive on a reader thread, as the engine process's do.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from pydantic import ValidationError

from app import __version__
from app.core.language import Language
from app.engine import channel
from app.engine.channel import (
    HOST_SAYS,
    PROTOCOL,
    Bye,
    ChannelError,
    FolderQuery,
    Hello,
    Refused,
    Reply,
    Request,
    RequestBody,
    Welcome,
)
from app.engine.messages import Command, EngineState, Event, StateChanged
from app.home import FerryHome
from app.os_specific import folder_writable

log = logging.getLogger(__name__)


class AttachedEngine:
    """The running engine of ``home``, reached over the channel."""

    def __init__(self, home: FerryHome, on_event: Callable[[Event], None], *, face: str) -> None:
        self._home = home
        self._on_event = on_event
        self._face = face
        self._connection: Connection | None = None
        self._reader: threading.Thread | None = None
        self._send_lock = threading.Lock()
        self._replies = channel.Replies()
        self._leaving = False
        self.welcome: Welcome | None = None
        self.error: str | None = None

    @property
    def running(self) -> bool:
        return self._connection is not None and not self._connection.closed

    def attach(self) -> Welcome:
        """Connect, prove ourselves, say hello; :class:`ChannelError` says why not."""
        connection = channel.connect(self._home)
        try:
            connection.send_bytes(
                Hello(protocol=PROTOCOL, version=__version__, face=self._face)
                .model_dump_json()
                .encode()
            )
            if not connection.poll(10.0):
                raise ChannelError("lost")
            answer = HOST_SAYS.validate_json(connection.recv_bytes())
        except (EOFError, OSError, ValidationError):
            connection.close()
            raise ChannelError("lost") from None
        except ChannelError:
            connection.close()
            raise
        if isinstance(answer, Refused):
            connection.close()
            raise ChannelError(
                "version", engine_version=answer.version, engine_protocol=str(answer.protocol)
            )
        if not isinstance(answer, Welcome):
            connection.close()
            raise ChannelError("lost")
        self.welcome = answer
        self._connection = connection
        self._reader = threading.Thread(target=self._read, name="ferry-attached", daemon=True)
        self._reader.start()
        return answer

    def send(self, command: Command) -> None:
        """A command, not waited on (what the tray's menu sends); safe from any thread."""
        try:
            self._write(Request(id=0, body=command))
        except ChannelError:
            log.warning("ignored %s: the engine is gone", type(command).__name__)

    def request(self, body: RequestBody, timeout: float | None = None) -> Reply:
        """Ask and wait for the answer (never on a GUI thread): a pass may take minutes.
        :class:`ChannelError` ``lost`` when the engine goes away first."""
        request_id = self._replies.open()
        try:
            self._write(Request(id=request_id, body=body))
        except ChannelError:
            self._replies.fail_all()
        return self._replies.wait(request_id, timeout)

    def folder_problem(self, folder: Path) -> str | None:
        """Why the engine cannot write in ``folder`` (None: it can), checked by the engine as
        the account it writes with; this process's own check when the engine is gone."""
        try:
            reply = self.request(FolderQuery(path=str(folder)), timeout=60)
        except ChannelError:
            return folder_writable(folder)
        if reply.error is not None or not isinstance(reply.result, dict):
            return folder_writable(folder)
        problem = reply.result.get("problem")
        return str(problem) if problem else None

    def stop(self, timeout: float = 5.0) -> None:
        """Let go of the engine; it goes on for whoever hosts it."""
        self._leaving = True
        connection = self._connection
        if connection is None:
            return
        with self._send_lock, contextlib.suppress(OSError, ValueError):
            connection.send_bytes(Bye().model_dump_json().encode())
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(timeout)  # the engine hangs up; the reader ends
        with contextlib.suppress(OSError):
            connection.close()

    def _write(self, request: Request) -> None:
        connection = self._connection
        if connection is None:
            raise ChannelError("no_engine")
        with self._send_lock:
            try:
                connection.send_bytes(request.model_dump_json().encode())
            except (OSError, ValueError):
                raise ChannelError("lost") from None

    def _read(self) -> None:
        connection = self._connection
        assert connection is not None
        try:
            while True:
                try:
                    message = HOST_SAYS.validate_json(connection.recv_bytes())
                except (EOFError, OSError, TypeError):  # TypeError: closed by ``stop``
                    break
                except ValidationError:
                    log.warning("the engine said something this Ferry does not understand")
                    continue
                if isinstance(message, Reply):
                    self._deliver(message)
                elif isinstance(message, Welcome | Refused):
                    continue
                else:
                    self._on_event(message)
        finally:
            with contextlib.suppress(OSError):
                connection.close()
            self._replies.fail_all()  # no answer will come: ``request`` says it is gone
            if not self._leaving:
                log.warning("the engine this face was attached to went away")
                self.error = describe(ChannelError("lost"))
                self._on_event(StateChanged(state=EngineState.STOPPED, detail=self.error))

    def _deliver(self, reply: Reply) -> None:
        if not self._replies.deliver(reply) and (reply.failure or reply.error):
            log.warning("a command to the engine failed: %s", reply.error or reply.failure)


def attach(
    home: FerryHome, on_event: Callable[[Event], None] | None = None, *, face: str
) -> AttachedEngine | None:
    """The running engine of ``home``, or None when none runs; :class:`ChannelError` when one
    runs that this face may not use (another account's, another channel version)."""
    engine = AttachedEngine(home, on_event or (lambda event: None), face=face)
    try:
        engine.attach()
    except ChannelError as error:
        if error.code == "no_engine":
            return None
        raise
    return engine


_WORDS: dict[str, dict[Language, str]] = {
    "no_engine": {
        Language.EN: "No Ferry engine is running for this home.",
        Language.FR: "Aucun moteur Ferry ne tourne pour ce dossier.",
        Language.NL: "Er draait geen Ferry-engine voor deze map.",
    },
    "not_allowed": {
        Language.EN: "A Ferry engine is running for this home, but this user account may not "
        "use it. Use the account that runs it, or an administrator's.",
        Language.FR: "Un moteur Ferry tourne pour ce dossier, mais ce compte d'utilisateur ne "
        "peut pas s'en servir. Utilisez le compte qui le fait tourner, ou celui d'un "
        "administrateur.",
        Language.NL: "Er draait een Ferry-engine voor deze map, maar dit gebruikersaccount mag "
        "hem niet gebruiken. Gebruik het account dat hem laat draaien, of dat van een "
        "beheerder.",
    },
    "version": {
        Language.EN: "The Ferry engine running for this home is version {engine_version}, "
        "which this Ferry ({version}) cannot talk to. Restart it (or the Ferry service) so "
        "that both are the same version.",
        Language.FR: "Le moteur Ferry qui tourne pour ce dossier est en version "
        "{engine_version}, avec laquelle ce Ferry ({version}) ne peut pas communiquer. "
        "Redémarrez-le (ou le service Ferry) pour que les deux aient la même version.",
        Language.NL: "De Ferry-engine die voor deze map draait is versie {engine_version}, "
        "waarmee deze Ferry ({version}) niet kan praten. Start hem (of de Ferry-service) "
        "opnieuw zodat beide dezelfde versie hebben.",
    },
    "lost": {
        Language.EN: "The Ferry engine this window was attached to stopped.",
        Language.FR: "Le moteur Ferry auquel cette fenêtre était reliée s'est arrêté.",
        Language.NL: "De Ferry-engine waaraan dit venster gekoppeld was, is gestopt.",
    },
}


def describe(error: ChannelError, language: Language = Language.EN) -> str:
    """Why the channel cannot be used, in ``language``."""
    words = _WORDS.get(error.code, _WORDS["lost"])[language]
    return words.format(version=__version__, **error.params) if "{" in words else words
