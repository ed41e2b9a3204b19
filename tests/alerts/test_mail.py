"""Alert e-mails through a real SMTP server on 127.0.0.1: STARTTLS with a certificate the
mailer was told to trust, a login, each recipient in its language; every failure to send
as a code and its parameters, worded in three languages, logged without the password."""

from __future__ import annotations

import logging

import pytest

from app.alerts.mail import MailFailure, send_alert, send_test
from app.alerts.settings import AlertSettings, Recipient
from app.alerts.watchdog import Alert, AlertChange, AlertKind, iso
from app.core.language import Language
from tests.alerts.smtp_server import PASSWORD, USER, StartServer

UNREACHABLE = AlertChange(
    Alert.of(AlertKind.DESTINATION_UNREACHABLE, destination="Winbooks", since=iso(1.78e9)), True
)


def settings_for(port: int, **fields: object) -> AlertSettings:
    values: dict[str, object] = {
        "email": True,
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "starttls": True,
        "username": USER,
        "from_address": "ferry@bureau.be",
        "recipients": [
            {"address": "compta@bureau.be", "language": "fr"},
            {"address": "it@partner.be", "language": "nl"},
            "boss@bureau.be",
        ],
    }
    values.update(fields)
    return AlertSettings.model_validate(values)


def test_an_alert_goes_out_over_starttls_with_a_login_in_each_readers_language(
    smtp_server: StartServer,
) -> None:
    server = smtp_server(tls=True, login=True)
    failure = send_alert(
        UNREACHABLE,
        settings_for(server.port),
        PASSWORD,
        computer="SRV-COMPTA",
        language=Language.EN,
        context=server.trust(),
    )
    assert failure is None
    received = server.wait_for(3)
    assert server.logins == [(USER, True)]
    by_reader = {tuple(item.recipients): item.message for item in received}
    assert set(by_reader) == {("compta@bureau.be",), ("it@partner.be",), ("boss@bureau.be",)}
    french = by_reader[("compta@bureau.be",)]
    assert french["Subject"] == "Ferry sur SRV-COMPTA : Un dossier de destination est inaccessible"
    body = french.get_content()
    assert "« Winbooks »" in body and "SRV-COMPTA" in body
    assert by_reader[("it@partner.be",)]["Subject"].startswith("Ferry op SRV-COMPTA: ")
    english = by_reader[("boss@bureau.be",)]
    assert "cannot be reached" in english.get_content()
    assert english["From"] == "ferry@bureau.be"
    assert english["Auto-Submitted"] == "auto-generated"
    assert all(item.sender == "ferry@bureau.be" for item in received)


def test_the_test_button_sends_a_test_message_even_before_email_is_on(
    smtp_server: StartServer,
) -> None:
    server = smtp_server(tls=True, login=True)
    settings = settings_for(server.port, email=False, recipients=["compta@bureau.be"])
    assert send_test(settings, PASSWORD, computer="PC-1", context=server.trust()) is None
    (received,) = server.wait_for(1)
    assert received.message["Subject"] == "Ferry on PC-1: test message"
    assert "This is a test of Ferry's alerts" in received.message.get_content()
    assert send_alert(UNREACHABLE, settings, PASSWORD, context=server.trust()) is None
    assert len(server.received) == 1  # e-mail is off: the alert itself is not mailed


def test_a_plain_server_on_the_office_network_without_tls_or_login(
    smtp_server: StartServer,
) -> None:
    server = smtp_server(tls=False, login=False)
    settings = settings_for(server.port, starttls=False, username="")
    assert send_alert(UNREACHABLE, settings, None, computer="PC-1") is None
    assert len(server.wait_for(3)) == 3


def test_nothing_goes_out_unprotected_when_the_server_offers_no_starttls(
    smtp_server: StartServer,
) -> None:
    server = smtp_server(tls=False, login=False)
    failure = send_alert(UNREACHABLE, settings_for(server.port, username=""), None)
    assert failure == MailFailure.of("no_starttls", host="127.0.0.1", port=server.port)
    assert server.received == []
    assert "STARTTLS" in failure.message(Language.NL)


def test_a_certificate_this_computer_does_not_trust_is_refused(smtp_server: StartServer) -> None:
    server = smtp_server(tls=True, login=True)
    failure = send_alert(UNREACHABLE, settings_for(server.port), PASSWORD)  # the system's trust
    assert failure is not None and failure.code == "tls"
    assert "certificate" in dict(failure.params)["said"]
    assert server.received == [] and server.logins == []


def test_a_wrong_password_is_refused_and_never_logged(
    smtp_server: StartServer, caplog: pytest.LogCaptureFixture
) -> None:
    server = smtp_server(tls=True, login=True)
    caplog.set_level(logging.INFO)
    wrong = "not-the-password-42"
    failure = send_alert(UNREACHABLE, settings_for(server.port), wrong, context=server.trust())
    assert failure is not None and failure.code == "auth_refused"
    assert dict(failure.params)["user"] == USER
    # smtplib tries each mechanism the server offers (PLAIN, then LOGIN): all refused
    assert server.received == [] and server.logins and set(server.logins) == {(USER, False)}
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "[auth_refused]" in warnings[0].getMessage()
    for language in Language:
        assert wrong not in failure.message(language)
    assert wrong not in caplog.text and PASSWORD not in caplog.text


def test_a_user_without_a_kept_password_is_said_not_sent(smtp_server: StartServer) -> None:
    server = smtp_server(tls=True, login=True)
    failure = send_alert(UNREACHABLE, settings_for(server.port), None, context=server.trust())
    assert failure is not None and failure.code == "no_password"
    assert server.logins == []


def test_a_server_that_is_not_there(smtp_server: StartServer) -> None:
    server = smtp_server(tls=False, login=False)
    port = server.port
    settings = settings_for(port + 1 if port < 65535 else port - 1, username="")
    failure = send_alert(UNREACHABLE, settings, None, timeout=5)
    assert failure is not None and failure.code == "connect"
    text = failure.message(Language.FR)
    assert "127.0.0.1" in text and "injoignable" in text


def test_nothing_to_test_without_a_server_or_recipients() -> None:
    assert send_test(AlertSettings(), None) == MailFailure.of("not_configured")
    assert send_test(AlertSettings(smtp_host="mail.bureau.be"), None) == MailFailure.of(
        "not_configured"
    )
    assert (
        send_alert(UNREACHABLE, AlertSettings(recipients=[Recipient(address="a@b.be")]), None)
        is None
    )  # e-mail not asked for: nothing to do, nothing failed


@pytest.mark.parametrize(
    "code",
    [
        "not_configured",
        "connect",
        "no_starttls",
        "tls",
        "no_auth",
        "auth_refused",
        "no_password",
        "sender_refused",
        "recipients_refused",
        "other",
    ],
)
def test_every_failure_is_worded_in_every_language(code: str) -> None:
    failure = MailFailure.of(
        code,
        host="mail.bureau.be",
        port=587,
        user="u",
        sender="s@b.be",
        recipients="r@b.be",
        said="550 no",
    )
    texts = {failure.message(language) for language in Language}
    assert len(texts) == 3
    assert all("{" not in text and "?" not in text for text in texts)
