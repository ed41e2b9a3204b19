"""The outbox: which alert changes go out by e-mail (every beginning when e-mail is on, an
end only after its beginning went out and when ends are asked for), sent off the caller's
thread through a real SMTP server, the settings read from the file when not given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.alerts.outbox import AlertOutbox
from app.alerts.settings import AlertSettings
from app.alerts.watchdog import Alert, AlertChange, AlertKind, iso
from app.core.language import Language
from app.home import FerryHome

DOWN = Alert.of(AlertKind.ENGINE_DOWN, since=iso(1.78e9))
SHARE = Alert.of(AlertKind.DESTINATION_UNREACHABLE, destination="Share", since=iso(1.78e9))


def mailing(port: int, **fields: Any) -> AlertSettings:
    values: dict[str, Any] = {
        "email": True,
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "starttls": False,
        "recipients": ["compta@bureau.be"],
    }
    return AlertSettings.model_validate({**values, **fields})


def test_beginnings_go_out_and_ends_only_after_theirs(tmp_path: Path, smtp_server: Any) -> None:
    server = smtp_server(tls=False, login=False)
    outbox = AlertOutbox(FerryHome.under(tmp_path))
    settings = mailing(server.port)
    try:
        end_first = outbox.send(AlertChange(SHARE, False), Language.EN, settings)
        assert end_first is not None and end_first.result(30) is False
        assert outbox.send(AlertChange(DOWN, True), Language.EN, settings).result(30) is None  # type: ignore[union-attr]
        assert outbox.send(AlertChange(DOWN, False), Language.EN, settings).result(30) is None  # type: ignore[union-attr]
        assert outbox.send(AlertChange(DOWN, False), Language.EN, settings).result(30) is False  # type: ignore[union-attr]
        quiet = mailing(server.port, back_to_normal=False)
        assert outbox.send(AlertChange(SHARE, True), Language.NL, quiet).result(30) is None  # type: ignore[union-attr]
        assert outbox.send(AlertChange(SHARE, False), Language.NL, quiet).result(30) is False  # type: ignore[union-attr]
        off = mailing(server.port, email=False)
        assert outbox.send(AlertChange(DOWN, True), Language.EN, off).result(30) is False  # type: ignore[union-attr]
    finally:
        outbox.close()
    assert [r.message["Subject"].split(": ", 1)[1] for r in server.wait_for(3)] == [
        "Ferry's engine is not running",
        "Ferry is delivering again",
        "Een bestemmingsmap is niet bereikbaar",
    ]


def test_without_settings_given_the_file_s_are_read_on_the_worker(
    tmp_path: Path, smtp_server: Any
) -> None:
    server = smtp_server(tls=False, login=False)
    home = FerryHome.under(tmp_path).ensure()
    (home.settings_dir / "settings.json").write_text(
        json.dumps({"alerts": mailing(server.port).model_dump(mode="json")})
    )
    outbox = AlertOutbox(home)
    try:
        assert outbox.send(AlertChange(DOWN, True), Language.FR).result(30) is None  # type: ignore[union-attr]
    finally:
        outbox.close()
    (received,) = server.wait_for(1)
    assert received.message["Subject"].endswith(": Le moteur de Ferry ne tourne pas")
