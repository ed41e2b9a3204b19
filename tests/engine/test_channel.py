"""The local channel: faces (the tray app, the command line) attached to an engine that another
process hosts, over a real Unix socket, with the per-installation secret proven both ways.

The engine here is hosted in the test's process (:class:`EngineHost`, as ``ferry run`` and the
service host it); faces attach from threads, from child processes that are killed, and from a
second Unix account created for the test.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from multiprocessing import Pipe
from pathlib import Path

import pytest

from app.core.kinds import DocumentKind
from app.core.language import Language
from app.engine import attached, channel
from app.engine.channel import (
    PROTOCOL,
    ChannelError,
    DocumentsQuery,
    Hello,
    PassRequest,
    PassSummary,
    RunsQuery,
)
from app.engine.engine import EngineError
from app.engine.host import EngineHost, HostKind
from app.engine.messages import DocumentChanged, Event, StateChanged, Stop
from app.settings import Destination
from tests.conftest import REPO
from tests.engine.conftest import Office

OTHER_USER = "ferry-channel-other"


@pytest.fixture
def hosted(office: Office) -> Iterator[tuple[Office, EngineHost]]:
    """``office``'s engine, hosted as ``ferry run`` hosts it, one client linked."""
    client = office.new_client("Channel BV")
    office.configure(
        [Destination(name="Box", paths={DocumentKind.OTHER: f"{office.root}/box"})],
        {client.id: ["Box"]},
    )
    office.client = client  # type: ignore[attr-defined]
    host = EngineHost(office.home, host=HostKind.RUN, long_poll_s=5)
    host.start()
    try:
        yield office, host
    finally:
        host.stop()


def _wait(condition: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# -- the handshake, on a bare pipe ----------------------------------------------------------------


def _handshake(
    host_key: bytes, face_key: bytes
) -> tuple[BaseException | None, BaseException | None]:
    host_end, face_end = Pipe()
    outcome: dict[str, BaseException | None] = {"host": None, "face": None}

    def host() -> None:
        try:
            channel.prove_host(host_end, host_key)
        except (ChannelError, EOFError, OSError) as error:
            outcome["host"] = error
        finally:
            host_end.close()

    thread = threading.Thread(target=host)
    thread.start()
    try:
        channel.prove_face(face_end, face_key)
    except (ChannelError, EOFError, OSError) as error:
        outcome["face"] = error
    thread.join(10)
    return outcome["host"], outcome["face"]


def test_both_ends_prove_the_same_secret() -> None:
    assert _handshake(b"k" * 64, b"k" * 64) == (None, None)


def test_a_wrong_secret_is_refused_on_both_ends() -> None:
    host_error, face_error = _handshake(b"k" * 64, b"x" * 64)
    assert isinstance(host_error, ChannelError) and host_error.code == "not_allowed"
    assert isinstance(face_error, ChannelError) and face_error.code == "not_allowed"


def test_the_secret_and_the_socket_are_this_account_s_only(
    hosted: tuple[Office, EngineHost],
) -> None:
    office, _ = hosted
    key = office.home.state_dir / channel.KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600
    assert office.home.state_dir.stat().st_mode & 0o777 == 0o700
    assert Path(channel.address(office.home)).stat().st_mode & 0o777 == 0o600


def test_a_long_home_gets_its_socket_in_a_private_runtime_folder(tmp_path: Path) -> None:
    from app.home import FerryHome

    home = FerryHome.under(tmp_path / ("deep-" * 25)).ensure()
    where = Path(channel.address(home))
    assert len(os.fsencode(where)) <= 104 and where.parent != home.state_dir
    assert where.parent.stat().st_mode & 0o777 == 0o700
    assert channel.address(home) == str(where)  # the same for every face


# -- faces attached to a hosted engine ------------------------------------------------------------


def test_a_face_sees_the_state_at_once_then_every_event_and_asks_what_it_knows(
    hosted: tuple[Office, EngineHost],
) -> None:
    office, _ = hosted
    events: list[Event] = []
    face = attached.attach(office.home, events.append, face="test")
    assert face is not None and face.welcome is not None
    assert face.welcome.host == "run" and face.welcome.protocol == PROTOCOL
    try:
        _wait(lambda: any(isinstance(e, StateChanged) for e in events), 10)
        document = office.add(office.client, "other")  # type: ignore[attr-defined]
        _wait(
            lambda: any(
                isinstance(e, DocumentChanged)
                and e.document_id == document.id
                and e.status == "forwarded"
                for e in events
            )
        )
        listed = face.request(DocumentsQuery(status="forwarded"), timeout=30).result
        assert document.id in [d["id"] for d in listed]
        summary = PassSummary.model_validate(
            face.request(PassRequest(kind="incremental"), timeout=60).result
        )
        assert summary.kind == "incremental" and summary.failed == 0
        runs = face.request(RunsQuery(limit=5), timeout=30).result
        assert runs and {"id", "kind", "delivered"} <= set(runs[0])
    finally:
        face.stop()


def test_a_face_may_not_stop_the_engine(hosted: tuple[Office, EngineHost]) -> None:
    office, host = hosted
    face = attached.attach(office.home, face="test")
    assert face is not None
    try:
        reply = face.request(Stop(), timeout=10)
        assert reply.error and "cannot stop" in reply.error
        assert host.running
    finally:
        face.stop()


def test_a_face_of_another_channel_version_is_told_in_plain_words(
    hosted: tuple[Office, EngineHost],
) -> None:
    office, _ = hosted
    connection = channel.connect(office.home)
    try:
        connection.send_bytes(
            Hello(protocol=PROTOCOL + 1, version="9.9", face="future").model_dump_json().encode()
        )
        answer = channel.HOST_SAYS.validate_json(connection.recv_bytes())
    finally:
        connection.close()
    assert answer.type == "refused" and answer.protocol == PROTOCOL
    error = ChannelError("version", engine_version="0.9.0", engine_protocol="0")
    for language in Language:
        words = attached.describe(error, language)
        assert "0.9.0" in words and "{" not in words


def test_a_wrong_secret_cannot_drive_the_engine(hosted: tuple[Office, EngineHost]) -> None:
    office, host = hosted
    key = office.home.state_dir / channel.KEY_FILE
    real = key.read_text()
    key.write_text("0" * 64)
    try:
        with pytest.raises(ChannelError) as refused:
            attached.attach(office.home, face="intruder")
        assert refused.value.code == "not_allowed"
    finally:
        key.write_text(real)
    assert host.faces == 0 and host.running
    assert attached.attach(office.home, face="test") is not None


def test_no_engine_is_none_and_a_second_engine_is_refused(
    hosted: tuple[Office, EngineHost], tmp_path: Path
) -> None:
    office, _ = hosted
    from app.home import FerryHome

    assert attached.attach(FerryHome.under(tmp_path / "elsewhere").ensure(), face="x") is None
    with pytest.raises(EngineError, match="already running"):
        EngineHost(office.home, host=HostKind.RUN).start()


_FACE_SCRIPT = """
import sys, time
from app.engine import attached
from app.home import FerryHome
from pathlib import Path
face = attached.attach(FerryHome.under(Path(sys.argv[1])), face="doomed")
print("attached" if face else "none", flush=True)
time.sleep(600)
"""


def test_killing_faces_at_any_moment_leaves_syncing_untouched(
    hosted: tuple[Office, EngineHost],
) -> None:
    office, host = hosted
    root = str(office.home.settings_dir.parent)
    for _ in range(3):
        face = subprocess.Popen(
            [sys.executable, "-c", _FACE_SCRIPT, root],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert face.stdout is not None and face.stdout.readline().strip() == "attached"
        document = office.add(office.client, "other")  # type: ignore[attr-defined]
        face.send_signal(signal.SIGKILL)  # mid-sync, as a crash or a logoff would
        face.wait(10)
        target = office.root / "box" / document.files[0].name
        _wait(target.is_file)
    _wait(lambda: host.faces == 0, 10)
    assert host.running


def _other_user() -> str | None:
    """A second Unix account for the test; None where it cannot be made (not root)."""
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        return None
    exists = subprocess.run(["id", OTHER_USER], capture_output=True).returncode == 0
    if not exists:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER_USER],
            check=True,
        )
    return OTHER_USER


_OTHER_SCRIPT = """
import socket, sys
results = []
try:
    open(sys.argv[2]).read()
    results.append("key:read")
except PermissionError:
    results.append("key:denied")
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
    results.append("socket:connected")
except PermissionError:
    results.append("socket:denied")
print(" ".join(results))
"""


def test_another_local_user_cannot_open_the_channel(hosted: tuple[Office, EngineHost]) -> None:
    user = _other_user()
    if user is None:
        pytest.skip("needs root to create a second Unix account (CI runs as root)")
    office, _ = hosted
    # the other account may walk to the home (so that what stops it is Ferry's own modes)
    for folder in [office.home.state_dir.parent, *office.home.state_dir.parent.parents]:
        folder.chmod(folder.stat().st_mode | 0o001)
    done = subprocess.run(
        [
            "runuser",
            "-u",
            user,
            "--",
            "/usr/bin/python3",
            "-c",
            _OTHER_SCRIPT,
            channel.address(office.home),
            str(office.home.state_dir / channel.KEY_FILE),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.stdout.split() == ["key:denied", "socket:denied"], done.stderr


def test_the_engine_checks_a_folder_as_the_account_it_writes_with(
    read_only_folder: Path, hosted: tuple[Office, EngineHost]
) -> None:
    # (the read-only folder first: it is unmounted after the engine has stopped)
    office, _ = hosted
    face = attached.attach(office.home, face="editor")
    assert face is not None
    try:
        assert face.folder_problem(office.root / "box" / "new") is None
        problem = face.folder_problem(read_only_folder / "client")
        assert problem is not None and str(read_only_folder) in problem
    finally:
        face.stop()
    assert face.folder_problem(office.root) is None  # the engine gone: this process's check
