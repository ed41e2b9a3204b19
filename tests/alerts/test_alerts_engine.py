"""The watchdog beside a real engine (the sandbox platform, the real state database, a hosted
engine as ``ferry run`` and the service host it): when delivery stops — a destination's share
down past its threshold, nothing delivered while documents wait, the login revoked, the
engine gone — each alert reaches a real SMTP server on 127.0.0.1 once, and the tray app
attached over the channel shows it once; its end ("back to normal") likewise.

Thresholds are made small through the settings file, as an administrator would set them.
The share that goes down is the one stand-in (as in tests/engine/test_engine_failure_words.py):
the OS's answer for a host that went away, which a test cannot unplug.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.alerts.outbox import AlertOutbox
from app.alerts.secret import save_smtp_password
from app.auth.secret_store import SecretStore
from app.core.language import Language
from app.engine import attached, delivery
from app.engine.attached import AttachedEngine
from app.engine.host import EngineHost, HostKind
from app.engine.messages import AlertChanged, Retry
from app.gui.bridge import EngineBridge
from app.gui.notifications import ErrorNotifier
from app.gui.tray import TrayController
from app.settings import Destination
from tests.alerts.smtp_server import PASSWORD, USER, MailServer, Received
from tests.engine.conftest import Office

QUIET_S = 3.0  # how long to keep watching for a repeat that must not come


@dataclass
class Share:
    """A destination whose network share can go down and come back."""

    folder: Path
    down: bool = True


def share_stand_in(monkeypatch: pytest.MonkeyPatch, share: Share) -> None:
    real = delivery.StagedFile._create

    def create(self: delivery.StagedFile) -> int:
        if share.down and self.folder.is_relative_to(share.folder):
            raise delivery.explain(
                OSError(errno.EHOSTDOWN, os.strerror(errno.EHOSTDOWN), str(self.folder)),
                self.folder,
            )
        return real(self)

    monkeypatch.setattr(delivery.StagedFile, "_create", create)


def set_alerts(office: Office, server: MailServer, **fields: Any) -> None:
    """The alerts' settings in the settings file, beside what the office configured."""
    path = office.home.settings_dir / "settings.json"
    data = json.loads(path.read_text())
    data["alerts"] = {
        "email": True,
        "smtp_host": server.host,
        "smtp_port": server.port,
        "starttls": False,  # the office's own relay on its network; TLS: tests/alerts/test_mail.py
        "username": USER,
        "from_address": "ferry@bureau.be",
        "recipients": [{"address": "compta@bureau.be", "language": "fr"}],
        **fields,
    }
    path.write_text(json.dumps(data))


@dataclass
class Tray:
    """The tray app's side: a bridge fed by a face attached over the channel, the tray and
    its notifier, and every notification it showed."""

    bridge: EngineBridge
    tray: TrayController
    face: AttachedEngine | None = None
    shown: list[tuple[str, str]] = field(default_factory=list)

    def titles(self) -> list[str]:
        return [title for title, _ in self.shown]


@pytest.fixture
def tray_app(qapp: QApplication) -> Iterator[Tray]:
    bridge = EngineBridge()
    notifier = ErrorNotifier(language=Language.EN, engine_down_s=1.0)
    tray = TrayController(notifier=notifier)
    tray.attach(bridge)

    # What the tray does with the bridge's alerts (the wiring app/gui/tray.py gets: the
    # notifier decides, the tray shows).
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


@pytest.fixture
def mail_server(smtp_server: Any, secret_service: dict[str, str]) -> MailServer:
    """A plain SMTP server with a login, its password kept in the (real) keyring."""
    server: MailServer = smtp_server(tls=False, login=True)
    save_smtp_password(SecretStore(), PASSWORD)
    return server


def subjects(received: list[Received]) -> list[str]:
    return [item.message["Subject"] for item in received]


def host_and_face(office: Office, tray: Tray) -> EngineHost:
    host = EngineHost(office.home, host=HostKind.RUN, long_poll_s=2)
    host.start()
    tray.face = attached.attach(office.home, tray.bridge.post, face="tray-test")
    assert tray.face is not None
    return host


def test_a_share_down_past_its_threshold_then_back_then_the_engine_gone(
    office: Office,
    mail_server: MailServer,
    tray_app: Tray,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = office.new_client("Share Down BV")
    share = Share(office.root / "share")
    share_stand_in(monkeypatch, share)
    office.configure(
        [Destination(name="Share", general_path=f"{share.folder}/[enterprise_name]")],
        {client.id: ["Share"]},
    )
    set_alerts(office, mail_server, unreachable_minutes=0.02, nothing_delivered_minutes=60)
    host = host_and_face(office, tray_app)
    try:
        document = office.add(client, "purchase")
        # the share down past its threshold: one e-mail (in the reader's French), one
        # notification (in the person's English)
        qtbot.waitUntil(lambda: len(mail_server.received) >= 1, timeout=30_000)
        qtbot.waitUntil(
            lambda: "A destination folder cannot be reached" in tray_app.titles(), timeout=10_000
        )
        (first,) = mail_server.received
        assert first.recipients == ["compta@bureau.be"]
        assert first.message["Subject"].endswith(": Un dossier de destination est inaccessible")
        body = first.message.get_content()
        assert "« Share »" in body and "Ferry livrera de lui-même" in body
        assert mail_server.logins == [(USER, True)]
        time.sleep(QUIET_S)  # the engine keeps trying the share: no repeat
        assert len(mail_server.received) == 1
        assert tray_app.titles().count("A destination folder cannot be reached") == 1

        # the share comes back: the document goes out, and the end is said once each
        share.down = False
        tray_app.face.send(Retry(document_ids=[document.id]))  # type: ignore[union-attr]
        qtbot.waitUntil(
            lambda: office.on_platform(document.id).status.value == "forwarded", timeout=30_000
        )
        qtbot.waitUntil(lambda: len(mail_server.received) >= 2, timeout=30_000)
        qtbot.waitUntil(lambda: "Ferry is delivering again" in tray_app.titles(), timeout=10_000)
        back = mail_server.received[1].message
        assert back["Subject"].endswith(": Ferry livre à nouveau")
        assert "est à nouveau accessible" in back.get_content()
        time.sleep(QUIET_S)
        qapp_process(qtbot)
        assert len(mail_server.received) == 2
        assert tray_app.titles() == [
            "A destination folder cannot be reached",
            "Ferry is delivering again",
        ]
    finally:
        host.stop()
    # the engine gone: only the tray app can tell, after its grace, once; and e-mail it
    # (the wiring the app gets: the notifier hands the engine's alert to an outbox)
    outbox = AlertOutbox(office.home)
    tray_app.tray.notifier.on_engine_alert = lambda change: outbox.send(change, Language.EN)
    try:
        qtbot.waitUntil(
            lambda: "Ferry's engine is not running" in tray_app.titles(), timeout=30_000
        )
        qtbot.waitUntil(lambda: len(mail_server.received) >= 3, timeout=30_000)
        gone = mail_server.received[2]
        assert gone.message["Subject"].endswith(": Le moteur de Ferry ne tourne pas")
        time.sleep(QUIET_S)
        qapp_process(qtbot)
        assert tray_app.titles().count("Ferry's engine is not running") == 1
        assert len(mail_server.received) == 3
        # it runs again (the service restarted): the tray, attached anew, says so once
        host = host_and_face(office, tray_app)
        try:
            qtbot.waitUntil(lambda: tray_app.titles().count("Ferry is delivering again") == 2)
            qtbot.waitUntil(lambda: len(mail_server.received) >= 4, timeout=30_000)
            assert "Le moteur de Ferry tourne à nouveau" in (
                mail_server.received[3].message.get_content()
            )
            time.sleep(QUIET_S)
            qapp_process(qtbot)
            assert len(mail_server.received) == 4
            assert tray_app.titles()[2:] == [
                "Ferry's engine is not running",
                "Ferry is delivering again",
            ]
        finally:
            host.stop()
    finally:
        outbox.close()


def test_nothing_delivered_while_documents_wait_is_said_once_and_its_end_once(
    office: Office,
    mail_server: MailServer,
    tray_app: Tray,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="app.alerts")
    client = office.new_client("Slow Share BV")
    share = Share(office.root / "share")
    share_stand_in(monkeypatch, share)
    office.configure(
        [Destination(name="Share", general_path=f"{share.folder}/[enterprise_name]")],
        {client.id: ["Share"]},
    )
    # the share is down for less than its hour, but nothing has gone out for too long
    set_alerts(
        office,
        mail_server,
        unreachable_minutes=60,
        nothing_delivered_minutes=0.03,
        recipients=["boss@bureau.be"],
    )
    host = host_and_face(office, tray_app)
    try:
        documents = [office.add(client, "purchase"), office.add(client, "sales")]
        qtbot.waitUntil(lambda: len(mail_server.received) >= 1, timeout=30_000)
        qtbot.waitUntil(
            lambda: "Ferry has delivered nothing for a while" in tray_app.titles(),
            timeout=10_000,
        )
        (stalled,) = mail_server.received
        assert stalled.message["Subject"].endswith(": Ferry has delivered nothing for a while")
        assert "document(s) wait To fetch" in stalled.message.get_content()
        time.sleep(QUIET_S)
        assert len(mail_server.received) == 1
        share.down = False
        tray_app.face.send(Retry(document_ids=[d.id for d in documents]))  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: len(mail_server.received) >= 2, timeout=30_000)
        assert mail_server.received[1].message["Subject"].endswith(": Ferry is delivering again")
        qtbot.waitUntil(lambda: "Ferry is delivering again" in tray_app.titles(), timeout=10_000)
        time.sleep(QUIET_S)
        qapp_process(qtbot)
        assert subjects(mail_server.received)[2:] == []
        assert tray_app.titles() == [
            "Ferry has delivered nothing for a while",
            "Ferry is delivering again",
        ]
        # and Ferry's log tells it: the alert at WARNING once, its end once, no password
        said = [
            (record.levelno, record.getMessage())
            for record in caplog.records
            if record.getMessage().startswith(("alert [", "alert over ["))
        ]
        assert [(level, text.split("]")[0]) for level, text in said] == [
            (logging.WARNING, "alert [nothing_delivered"),
            (logging.INFO, "alert over [nothing_delivered"),
        ]
        assert PASSWORD not in caplog.text
    finally:
        host.stop()


def test_a_revoked_login_is_mailed_once_and_notified_once(
    office: Office, mail_server: MailServer, tray_app: Tray, qtbot: QtBot
) -> None:
    client = office.new_client("Revoked BV")
    office.configure(
        [Destination(name="Books", general_path=f"{office.root}/books")], {client.id: ["Books"]}
    )
    set_alerts(office, mail_server, recipients=[{"address": "it@partner.be", "language": "nl"}])
    host = host_and_face(office, tray_app)
    try:
        office.add(client, "sales")
        qtbot.waitUntil(lambda: (office.root / "books").exists(), timeout=30_000)
        office.admin.set_faults(access_token_ttl_s=1)
        office.admin.revoke_user(office.realm, "demo")
        office.add(client, "sales")
        qtbot.waitUntil(lambda: len(mail_server.received) >= 1, timeout=30_000)
        qtbot.waitUntil(lambda: "Login needed" in tray_app.titles(), timeout=10_000)
        (login,) = mail_server.received
        assert login.recipients == ["it@partner.be"]
        assert login.message["Subject"].endswith(": Ferry moet opnieuw aangemeld worden")
        assert "meld u opnieuw aan" in login.message.get_content()
        time.sleep(QUIET_S)
        qapp_process(qtbot)
        assert len(mail_server.received) == 1
        # the tray's own Login needed notification is the alert: told once, not twice
        assert tray_app.titles() == ["Login needed"]
    finally:
        host.stop()
        office.admin.clear_faults()


def qapp_process(qtbot: QtBot) -> None:
    """Let the GUI thread take what the bridge holds (queued signals, the batch timer)."""
    qtbot.wait(300)
