"""The alerts' settings as a person fills them in: addresses checked as typed, the values read
back as the settings file keeps them, the password to the real keyring only, and the *Test*
button sending through a real SMTP server on 127.0.0.1 without holding the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.alerts.mail import MailFailure
from app.alerts.secret import load_smtp_password, save_smtp_password
from app.alerts.settings import AlertSettings, Recipient
from app.auth.secret_store import SecretStore
from app.core.language import Language
from app.gui.alerts_settings import AlertsSettings, split_addresses
from app.home import FerryHome
from tests.alerts.smtp_server import PASSWORD, USER, MailServer, servers


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Any]:
    yield from servers(tmp_path)


@pytest.fixture
def store(keyring_service: str) -> SecretStore:
    return SecretStore(service=keyring_service)


def widget(qtbot: QtBot, tmp_path: Path, store: SecretStore, **alerts: Any) -> AlertsSettings:
    shown = AlertsSettings(
        FerryHome.under(tmp_path / "home"), store=store, alerts=AlertSettings(**alerts)
    )
    qtbot.addWidget(shown)
    with qtbot.waitSignal(shown.loaded, timeout=10_000):
        pass
    return shown


def test_addresses_are_split_as_people_type_them() -> None:
    assert split_addresses("a@b.be; c@d.be,e@f.be  g@h.be\n") == [
        "a@b.be",
        "c@d.be",
        "e@f.be",
        "g@h.be",
    ]


def test_a_wrong_address_is_said_and_holds_back_save(
    qtbot: QtBot, tmp_path: Path, store: SecretStore
) -> None:
    shown = widget(qtbot, tmp_path, store)
    with qtbot.waitSignal(shown.problem_changed) as blocker:
        shown.email.setChecked(True)
    assert blocker.args == [True]
    assert shown.value() is None
    assert "at least one address" in shown.problem.text()
    shown.host.setText("mail.bureau.be")
    shown.recipients.setText("compta@bureau.be, it@")
    assert shown.value() is None
    assert "“it@” lacks the part after the @" in shown.problem.text()
    assert not shown.test_button.isEnabled()
    with qtbot.waitSignal(shown.problem_changed) as blocker:
        shown.recipients.setText("compta@bureau.be; it@partner.be")
    assert blocker.args == [False]
    assert shown.problem.isHidden()
    assert shown.test_button.isEnabled()


def test_the_values_read_back_as_the_settings_keep_them(
    qtbot: QtBot, tmp_path: Path, store: SecretStore
) -> None:
    kept = AlertSettings(
        email=True,
        recipients=[Recipient(address="compta@bureau.be", language=Language.FR)],
        smtp_host="mail.bureau.be",
        smtp_port=25,
        starttls=False,
        username="ferry",
        from_address="ferry@bureau.be",
        nothing_delivered_minutes=120,
        unreachable_minutes=30,
        login_minutes=2,
        engine_down_minutes=10,
    )
    shown = widget(qtbot, tmp_path, store, **kept.model_dump())
    assert shown.value() == kept
    shown.recipients.setText("compta@bureau.be, boss@bureau.be")
    shown.nothing_hours.setValue(8)
    value = shown.value()
    assert value is not None
    # the reader's language stays with the address it belongs to
    assert value.recipients == [
        Recipient(address="compta@bureau.be", language=Language.FR),
        Recipient(address="boss@bureau.be"),
    ]
    assert value.nothing_delivered_minutes == 480
    assert value.login_minutes == 2  # not shown here, and kept
    assert AlertSettings.model_validate(value.model_dump(mode="json")) == value


def test_the_password_goes_to_the_keyring_only_when_typed(
    qtbot: QtBot, tmp_path: Path, store: SecretStore
) -> None:
    save_smtp_password(store, "the-old-one")
    shown = widget(qtbot, tmp_path, store, username="ferry")
    assert shown.password.placeholderText() == "Kept in the system's password store"
    assert shown.password_work() is None  # nothing typed: the kept one stays
    shown.password.setText("the-new-one")
    work = shown.password_work()
    assert work is not None
    work()
    assert load_smtp_password(store) == "the-new-one"
    assert "the-new-one" not in (shown.value() or AlertSettings()).model_dump_json()


def test_the_test_button_sends_through_the_server_off_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, store: SecretStore, smtp: Any
) -> None:
    server: MailServer = smtp(tls=False, login=True)
    save_smtp_password(store, PASSWORD)  # kept earlier: the test uses the kept password
    shown = widget(
        qtbot,
        tmp_path,
        store,
        recipients=["compta@bureau.be"],
        smtp_host=server.host,
        smtp_port=server.port,
        starttls=False,
        username=USER,
    )
    with qtbot.waitSignal(shown.tested, timeout=30_000) as blocker:
        qtbot.mouseClick(shown.test_button, Qt.MouseButton.LeftButton)
        # the click returned at once: the message is still on its way
        assert shown.test_result.text() == "Sending a test e-mail…"
        assert not shown.test_button.isEnabled()
    assert blocker.args == [None]
    assert shown.test_result.text() == "A test e-mail went to compta@bureau.be."
    (received,) = server.wait_for(1)
    assert received.message["Subject"].endswith(": test message")
    assert server.logins == [(USER, True)]
    assert shown.test_button.isEnabled()


def test_a_refused_password_is_said_in_plain_words(
    qtbot: QtBot, tmp_path: Path, store: SecretStore, smtp: Any
) -> None:
    server: MailServer = smtp(tls=False, login=True)
    shown = widget(
        qtbot,
        tmp_path,
        store,
        recipients=["compta@bureau.be"],
        smtp_host=server.host,
        smtp_port=server.port,
        starttls=False,
        username=USER,
    )
    shown.password.setText("not-it")
    with qtbot.waitSignal(shown.tested, timeout=30_000) as blocker:
        shown.test_button.click()
    failure = blocker.args[0]
    assert isinstance(failure, MailFailure) and failure.code == "auth_refused"
    assert "refused the user ferry-alerts" in shown.test_result.text()
    assert "not-it" not in shown.test_result.text()
    assert server.received == []
