"""The alerts' settings: addresses checked, thresholds as the watchdog's, read from the
settings file whatever else it holds; the SMTP password in the real keyring only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.alerts.secret import SMTP_PASSWORD, load_smtp_password, save_smtp_password
from app.alerts.settings import (
    AddressProblem,
    AlertSettings,
    Recipient,
    address_problem,
    alert_settings,
)
from app.auth.secret_store import SecretStore
from app.core.language import Language
from app.settings import Settings, save_settings


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("compta@bureau.be", None),
        ("  it.partner+ferry@sub.example.com ", None),
        ("ops@localhost", None),
        ("", AddressProblem.EMPTY),
        ("   ", AddressProblem.EMPTY),
        ("compta bureau.be", AddressProblem.SPACES),
        ("compta@ bureau.be", AddressProblem.SPACES),
        ("compta.bureau.be", AddressProblem.NO_AT),
        ("a@b@c.be", AddressProblem.NO_AT),
        ("@bureau.be", AddressProblem.FORBIDDEN),
        ("Compta <compta@bureau.be>", AddressProblem.SPACES),
        ("<compta@bureau.be>", AddressProblem.FORBIDDEN),
        ("compta@", AddressProblem.NO_DOMAIN),
        ("compta@bureau..be", AddressProblem.NO_DOMAIN),
        ("compta@bureau.be.", AddressProblem.NO_DOMAIN),
    ],
)
def test_addresses_are_checked(text: str, problem: AddressProblem | None) -> None:
    assert address_problem(text) is problem


def test_recipients_as_plain_addresses_or_with_a_language() -> None:
    alerts = AlertSettings.model_validate(
        {
            "email": True,
            "smtp_host": " mail.bureau.be ",
            "recipients": ["compta@bureau.be", {"address": "it@partner.be", "language": "nl"}],
        }
    )
    assert alerts.recipients == [
        Recipient(address="compta@bureau.be"),
        Recipient(address="it@partner.be", language=Language.NL),
    ]
    assert alerts.smtp_host == "mail.bureau.be"
    assert alerts.mails
    assert alerts.sender == "compta@bureau.be"  # no sender given: the first recipient
    with pytest.raises(ValidationError):
        AlertSettings.model_validate({"recipients": ["not an address"]})
    with pytest.raises(ValidationError):
        AlertSettings(from_address="ferry@")
    with pytest.raises(ValidationError):
        AlertSettings(smtp_port=0)
    with pytest.raises(ValidationError):
        AlertSettings(unreachable_minutes=0)


def test_no_mail_without_a_server_or_someone_to_tell() -> None:
    assert not AlertSettings().mails
    assert not AlertSettings(email=True, smtp_host="mail.bureau.be").mails
    assert not AlertSettings(email=True, recipients=[Recipient(address="a@b.be")]).mails
    assert not AlertSettings(
        email=False, smtp_host="mail.bureau.be", recipients=[Recipient(address="a@b.be")]
    ).mails


def test_thresholds_are_minutes_in_settings_and_seconds_for_the_watchdog() -> None:
    limits = AlertSettings(nothing_delivered_minutes=90, unreachable_minutes=0.5).thresholds()
    assert limits.nothing_delivered_s == 5400
    assert limits.unreachable_s == 30
    assert limits.login_s == 0
    assert limits.engine_down_s == 300
    defaults = AlertSettings().thresholds()
    assert defaults.nothing_delivered_s == 4 * 3600
    assert defaults.unreachable_s == 3600


def test_read_from_the_settings_file_beside_what_else_it_holds(tmp_path: Path) -> None:
    assert alert_settings(tmp_path) == AlertSettings()  # no file yet
    save_settings(tmp_path, Settings(notifications=False))
    assert alert_settings(tmp_path) == AlertSettings()  # a file without alerts
    path = tmp_path / "settings.json"
    data = json.loads(path.read_text())
    data["alerts"] = {"email": True, "smtp_host": "mail.bureau.be", "recipients": ["a@b.be"]}
    path.write_text(json.dumps(data))
    read = alert_settings(tmp_path)
    assert read.mails and read.recipients[0].address == "a@b.be"
    given = Settings.model_validate(data)  # the settings as loaded: their own section
    assert alert_settings(tmp_path, given) == given.alerts == read


def test_settings_that_cannot_be_used_give_the_defaults_and_say_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"alerts": {"smtp_port": 99999, "recipients": ["x"]}}))
    assert alert_settings(tmp_path) == AlertSettings()
    assert "smtp_port" in caplog.text and "recipients" in caplog.text
    path.write_text("{not json")
    assert alert_settings(tmp_path) == AlertSettings()


def test_the_smtp_password_lives_in_the_real_keyring(keyring_service: str) -> None:
    store = SecretStore(service=keyring_service)
    assert load_smtp_password(store) is None
    save_smtp_password(store, "s3cret-Ünïcode")
    assert load_smtp_password(store) == "s3cret-Ünïcode"
    assert SecretStore(service=keyring_service).load(SMTP_PASSWORD) == "s3cret-Ünïcode"
    save_smtp_password(store, "")  # no password: nothing kept
    assert load_smtp_password(store) is None


def test_the_password_is_never_in_the_settings() -> None:
    assert not any("password" in name for name in AlertSettings.model_fields)
