"""An alert told once is not told again because the engine restarted (issue 17): the service
restarts, the computer reboots, an update is applied, and the condition still holds. The
keeper keeps what it told in the state folder; the next engine of the same home takes it
back, says nothing while the condition holds, tells its end once when it is seen, and the
same alert again only after that.

Real restarts of the hosted engine (and its keeper) over the same home, the sandbox platform,
a real SMTP server on 127.0.0.1 and the tray attached over the channel, as in
tests/alerts/test_alerts_engine.py (whose stand-in for a share that went down is used here).
"""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.alerts.told import TOLD_FILE
from app.core.language import Language
from app.engine import attached
from app.engine.host import EngineHost, HostKind
from app.engine.messages import AlertChanged, EngineState, Event, Retry, StateChanged
from app.gui.bridge import EngineBridge
from app.gui.notifications import ErrorNotifier
from app.gui.tray import TrayController
from app.settings import Destination
from tests.alerts.smtp_server import MailServer
from tests.alerts.test_alerts_engine import (
    QUIET_S,
    Share,
    Tray,
    mail_server,  # noqa: F401 - a fixture, used by name
    qapp_process,
    set_alerts,
    share_stand_in,
    subjects,
)
from tests.engine.conftest import Office, logged_in_home


@pytest.fixture
def tray_app(qapp: QApplication) -> Iterator[Tray]:
    """The tray app's side, as in test_alerts_engine, but patient about the engine being
    gone: its restart here is not the engine-down alert (tested there)."""
    bridge = EngineBridge()
    notifier = ErrorNotifier(language=Language.EN, engine_down_s=3600.0)
    tray = TrayController(notifier=notifier)
    tray.attach(bridge)

    def on_alert(event: AlertChanged) -> None:
        note = notifier.on_alert(event)
        if note is not None:
            tray.notify(note.title, note.text, note.kind)

    bridge.alert.connect(on_alert)
    seen = Tray(bridge, tray)
    tray.notified.connect(lambda title, text: seen.shown.append((title, text)))
    try:
        yield seen
    finally:
        if seen.face is not None:
            seen.face.stop()
        tray.hide()
        tray.deleteLater()
        bridge.deleteLater()


class Hosted:
    """The engine of the office's home, hosted as ``ferry run`` or the service do, with the
    tray attached; started again (a new host, engine and keeper) as often as asked."""

    def __init__(self, office: Office, tray: Tray) -> None:
        self.office = office
        self.tray = tray
        self.host: EngineHost | None = None
        self.states: queue.Queue[EngineState] = queue.Queue()
        #: Every alert the keepers said to faces, across restarts (a face attached after a
        #: start may miss what is said at once: the e-mail and the Event Log do not).
        self.alerts: list[tuple[str, bool]] = []

    def start(self) -> None:
        self.states = queue.Queue()
        states = self.states

        def on_event(event: Event) -> None:
            if isinstance(event, StateChanged):
                states.put(event.state)
            elif isinstance(event, AlertChanged):
                self.alerts.append((event.kind, event.raised))

        self.host = EngineHost(
            self.office.home, host=HostKind.RUN, long_poll_s=2, on_event=on_event
        )
        self.host.start()
        if self.tray.face is not None:
            self.tray.face.stop()
        self.tray.face = attached.attach(self.office.home, self.tray.bridge.post, face="tray")
        assert self.tray.face is not None

    def stop(self) -> None:
        if self.host is not None:
            self.host.stop()
            self.host = None

    def wait_for(self, state: EngineState, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"the engine never reached {state}"
            if self.states.get(timeout=left) is state:
                return


@pytest.fixture
def hosted(office: Office, tray_app: Tray) -> Iterator[Hosted]:
    engine = Hosted(office, tray_app)
    try:
        yield engine
    finally:
        engine.stop()
        office.admin.clear_faults()


def told(office: Office) -> list[dict[str, object]]:
    path = office.home.state_dir / TOLD_FILE
    if not path.exists():
        return []
    items = json.loads(path.read_text(encoding="utf-8"))["told"]
    assert isinstance(items, list)
    return items


def quiet(qtbot: QtBot) -> None:
    """Long enough for a repeat that must not come to have come."""
    time.sleep(QUIET_S)
    qapp_process(qtbot)


def test_a_login_needed_across_restarts_is_told_once_its_end_once_then_again(
    office: Office,
    mail_server: MailServer,  # noqa: F811 - the fixture
    tray_app: Tray,
    hosted: Hosted,
    qtbot: QtBot,
) -> None:
    client = office.new_client("Restart BV")
    office.configure(
        [Destination(name="Books", general_path=f"{office.root}/books")], {client.id: ["Books"]}
    )
    set_alerts(office, mail_server)
    hosted.start()
    office.add(client, "sales")
    qtbot.waitUntil(lambda: (office.root / "books").exists(), timeout=30_000)
    office.admin.set_faults(access_token_ttl_s=1)
    office.admin.revoke_user(office.realm, "demo")
    office.add(client, "sales")
    qtbot.waitUntil(lambda: len(mail_server.received) >= 1, timeout=30_000)
    qtbot.waitUntil(lambda: "Login needed" in tray_app.titles(), timeout=10_000)
    assert subjects(mail_server.received)[0].endswith(": Ferry a besoin d'une nouvelle connexion")
    hosted.stop()
    # what was told is kept in the state folder, with its key, its time and its e-mail
    (kept,) = told(office)
    assert kept["key"] == "login_needed" and kept["mailed"] is True
    assert str(kept["told_at"]).endswith("Z")

    # the engine starts again, twice; the login is still refused: nothing said again
    for _ in range(2):
        hosted.start()
        hosted.wait_for(EngineState.LOGIN_NEEDED)
        quiet(qtbot)
        assert len(mail_server.received) == 1
        assert tray_app.titles().count("Login needed") == 1
        hosted.stop()
        assert [item["key"] for item in told(office)] == ["login_needed"]

    # logged in again: the next engine sees the login work, and its end is told once
    office.admin.clear_faults()
    logged_in_home(office.sandbox, office.realm, office.home.state_dir.parent)
    hosted.start()
    qtbot.waitUntil(lambda: len(mail_server.received) >= 2, timeout=30_000)
    assert subjects(mail_server.received)[1].endswith(": Ferry livre à nouveau")
    assert told(office) == []
    quiet(qtbot)
    assert len(mail_server.received) == 2

    # revoked again: a new episode, told again, once
    office.admin.set_faults(access_token_ttl_s=1)
    office.admin.revoke_user(office.realm, "demo")
    office.add(client, "sales")
    qtbot.waitUntil(lambda: len(mail_server.received) >= 3, timeout=30_000)
    assert subjects(mail_server.received)[2].endswith(": Ferry a besoin d'une nouvelle connexion")
    quiet(qtbot)
    assert len(mail_server.received) == 3
    assert hosted.alerts == [
        ("login_needed", True),
        ("login_needed", False),
        ("login_needed", True),
    ]


def test_a_share_down_across_a_restart_is_told_once_and_its_return_once(
    office: Office,
    mail_server: MailServer,  # noqa: F811 - the fixture
    tray_app: Tray,
    hosted: Hosted,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = office.new_client("Share Restart BV")
    share = Share(office.root / "share")
    share_stand_in(monkeypatch, share)
    office.configure(
        [Destination(name="Share", general_path=f"{share.folder}/[enterprise_name]")],
        {client.id: ["Share"]},
    )
    set_alerts(office, mail_server, unreachable_minutes=0.02, nothing_delivered_minutes=60)
    hosted.start()
    document = office.add(client, "purchase")
    qtbot.waitUntil(lambda: len(mail_server.received) >= 1, timeout=30_000)
    assert subjects(mail_server.received)[0].endswith(
        ": Un dossier de destination est inaccessible"
    )
    hosted.stop()
    (kept,) = told(office)
    assert kept["key"] == "destination_unreachable|Share"
    assert kept["blocked"] == [document.id]  # the document that could not reach it

    # a restart with the share still down: the engine tries it again, nothing said again
    hosted.start()
    tray_app.face.send(Retry(document_ids=[document.id]))  # type: ignore[union-attr]
    quiet(qtbot)
    assert len(mail_server.received) == 1
    assert tray_app.titles() == ["A destination folder cannot be reached"]

    # the share is back: the document goes out, and the folder's return is told once
    share.down = False
    tray_app.face.send(Retry(document_ids=[document.id]))  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: office.on_platform(document.id).status.value == "forwarded", timeout=30_000
    )
    qtbot.waitUntil(lambda: len(mail_server.received) >= 2, timeout=30_000)
    back = mail_server.received[1].message
    assert back["Subject"].endswith(": Ferry livre à nouveau")
    assert "est à nouveau accessible" in back.get_content()
    qtbot.waitUntil(lambda: "Ferry is delivering again" in tray_app.titles(), timeout=10_000)
    quiet(qtbot)
    assert len(mail_server.received) == 2
    assert tray_app.titles() == [
        "A destination folder cannot be reached",
        "Ferry is delivering again",
    ]
    assert hosted.alerts == [("destination_unreachable", True), ("destination_unreachable", False)]
    assert told(office) == []
