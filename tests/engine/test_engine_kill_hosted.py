"""Exactly once with the engine hosted by ``ferry run`` and faces coming and going: the host is
killed with SIGKILL at random moments while faces (``ferry status``, an attached face asking
for passes and documents) attach and detach at random moments too, including mid-request; after
the last kill a plain ``ferry sync --once`` finishes the work. Every document is then on disk
exactly once, byte-identical, no temporary file is left, and the platform shows them all
Forwarded. The faces never change what is delivered, only what is seen."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.engine import attached
from app.engine.channel import ChannelError, DocumentsQuery, PassRequest
from app.settings import Destination
from tests.conftest import REPO
from tests.engine.conftest import Office, logged_in_home
from tests.engine.helpers import assert_forwarded_exactly, one_destination
from tests.engine.test_engine_kill import _resend_all

KILLS = int(os.environ.get("FERRY_HOSTED_KILLS", "25"))
DOCUMENTS = int(os.environ.get("FERRY_HOSTED_KILL_DOCUMENTS", "150"))


def _ferry(office: Office, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--home", str(office.home.settings_dir.parent), *args],
        cwd=REPO,
        env={**os.environ, "LANG": "C.UTF-8"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _faces(office: Office, rng: random.Random, stop: threading.Event, seen: list[str]) -> None:
    """Attach, ask, let go, at random moments, until ``stop``; what happened, in ``seen``."""
    while not stop.is_set():
        try:
            face = attached.attach(office.home, face="kill-test")
        except ChannelError as error:  # the host died between connect and hello
            seen.append(error.code)
            face = None
        if face is None:
            seen.append("none")
            time.sleep(rng.uniform(0.05, 0.3))
            continue
        seen.append("attached")
        try:
            body = DocumentsQuery() if rng.random() < 0.5 else PassRequest(kind="incremental")
            # let go mid-request now and then: the engine must not care
            reply = face.request(body, timeout=rng.uniform(0.01, 3.0))
            seen.append("error" if reply.error else "answered")
        except ChannelError as error:
            seen.append(error.code)
        finally:
            face.stop()
        if rng.random() < 0.3:
            status = _ferry(office, "status", "--json")
            time.sleep(rng.uniform(0.0, 0.5))
            if status.poll() is None:
                status.kill()  # a face killed mid-conversation
            status.wait(30)


@pytest.mark.timeout(1200)
def test_killing_the_host_with_faces_coming_and_going_loses_nothing(office: Office) -> None:
    rng = random.Random(20261203)
    clients = [office.new_client(f"Hosted Kill {n} BV") for n in range(3)]
    office.configure(
        [Destination(name="Disk", general_path=f"{office.root}/[enterprise_name]/[document_type]")],
        {client.id: ["Disk"] for client in clients},
    )
    documents = []
    for n in range(DOCUMENTS):
        content = b"%PDF-1.4\n" + rng.randbytes(rng.randint(2_000, 30_000))
        documents.append(
            office.add(
                clients[n % len(clients)],
                ("purchase", "sales", "statement", "receipt", "other")[n % 5],
                files=[(f"hosted-{n:04d}.pdf", content, "application/pdf")],
                number=f"H{n:04d}",
            )
        )

    stop = threading.Event()
    seen: list[str] = []
    faces = threading.Thread(target=_faces, args=(office, random.Random(7), stop, seen))
    faces.start()
    killed = relogins = 0
    try:
        while killed < KILLS:
            host = _ferry(office, "run")
            time.sleep(rng.uniform(0.5, 3.0))
            if host.poll() is not None:  # it could not start: a kill during a token refresh
                stderr = host.stderr.read().decode() if host.stderr else ""
                assert "login" in stderr.lower() or "already running" in stderr, stderr
                if "login" in stderr.lower():
                    relogins += 1
                    logged_in_home(office.sandbox, office.realm, office.home.settings_dir.parent)
                continue
            host.send_signal(signal.SIGKILL)
            host.wait()
            killed += 1
            if killed % 8 == 0:  # everything round again, so there is always work to cut
                _resend_all(office, [d.id for d in documents])
    finally:
        stop.set()
        faces.join(60)

    final = _ferry(office, "sync", "--once")
    assert final.wait(300) in (0, 3)
    if final.returncode == 3:
        relogins += 1
        logged_in_home(office.sandbox, office.realm, office.home.settings_dir.parent)
        final = _ferry(office, "sync", "--once")
        assert final.wait(300) == 0
    print(f"\n{killed} kills, {relogins} re-login(s); faces: {len(seen)} events")
    assert "attached" in seen and "answered" in seen, seen[:50]

    written = {p for p in office.root.rglob("*") if p.is_file()}
    assert not [p for p in written if p.name.startswith(".~ferry-")], "temporary files left"
    assert not [p for p in written if " (2)" in p.name], "a document was written twice"
    assert len(written) == len(documents)
    for document in documents:
        on_platform = office.on_platform(document.id)
        assert on_platform.status.value == "forwarded", (document.id, on_platform.status_message)
        (location,) = on_platform.locations
        assert Path(location).read_bytes() == office.uploaded[document.id][document.files[0].id]


@pytest.mark.timeout(600)
def test_platform_faults_with_the_engine_hosted_and_faces_coming_and_going(office: Office) -> None:
    """The fault tests' weather (errors, throttling, cut connections) while ``ferry run``
    hosts the engine and faces attach, ask and leave at random moments: nothing in Error,
    every document delivered exactly once when the weather clears."""
    documents = one_destination(office, 12)
    host = _ferry(office, "run")
    stop = threading.Event()
    seen: list[str] = []
    faces = threading.Thread(target=_faces, args=(office, random.Random(11), stop, seen))
    try:
        time.sleep(1.0)
        office.admin.set_faults(error_rate=0.4, drop_rate=0.3, retry_after_s=1)
        faces.start()
        time.sleep(6.0)
        for document in documents:  # a busy or flaky platform is nobody's error to fix
            assert office.on_platform(document.id).status.value != "error"
        office.admin.clear_faults()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and any(
            office.on_platform(d.id).status.value != "forwarded" for d in documents
        ):
            time.sleep(0.5)
    finally:
        office.admin.clear_faults()
        stop.set()
        if faces.is_alive():
            faces.join(60)
        host.send_signal(signal.SIGTERM)
        assert host.wait(60) == 0
    assert "attached" in seen
    assert_forwarded_exactly(office, {d.id: office.root / "books" for d in documents})
