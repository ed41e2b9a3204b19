"""Alerts by e-mail, through the office's own SMTP server.

One message per alert (and per "back to normal"), plain text, in each recipient's language
when the settings name one, else Ferry's: what stopped, since when, what to do, and which
computer says so (an office may run Ferry on several). STARTTLS when set, and then nothing is
sent when the server cannot do it; a login when a user is set, its password from the OS
keyring (:mod:`app.alerts.secret`). The server's certificate is checked against the
system's trust (a test passes a context that trusts its own throw-away certificate).

A failure to send is data, :class:`MailFailure` (a code and its parameters: the server, the
port, the server's own reply), put into words where it is shown, in the reader's language
(:func:`app.alerts.words.mail_failure`), and logged at WARNING — never with the password.
:func:`send_test` is the Settings dialog's *Test* button: blocking, so run it off the GUI
thread.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from app.alerts import words
from app.alerts.settings import AlertSettings
from app.alerts.watchdog import AlertChange
from app.core.language import FALLBACK, Language

log = logging.getLogger(__name__)

TIMEOUT_S = 30.0
#: The port of SMTP over TLS from the first byte (RFC 8314), rather than STARTTLS.
IMPLICIT_TLS_PORT = 465


@dataclass(frozen=True)
class MailFailure:
    """Why an e-mail was not sent: ``code`` (a key of :func:`app.alerts.words.mail_failure`:
    ``not_configured``, ``connect``, ``no_starttls``, ``tls``, ``no_auth``, ``auth_refused``,
    ``no_password``, ``sender_refused``, ``recipients_refused``, ``other``) and its
    parameters (``host``, ``port``, ``user``, ``sender``, ``recipients``, ``said``: the
    server's or the system's own words)."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: str, **params: object) -> MailFailure:
        return cls(code, tuple(sorted((k, str(v)) for k, v in params.items() if v is not None)))

    def message(self, language: Language = FALLBACK) -> str:
        return words.mail_failure(self.code, dict(self.params), language)

    def __str__(self) -> str:
        return self.message()


@dataclass(frozen=True)
class Letter:
    """One message to write: its recipients, subject and text."""

    recipients: tuple[str, ...]
    subject: str
    body: str


def computer_name() -> str:
    """The name the office knows this computer by."""
    return socket.gethostname() or "?"


def alert_letters(
    change: AlertChange,
    settings: AlertSettings,
    *,
    computer: str,
    language: Language = FALLBACK,
    now: dt.datetime | None = None,
    zone: dt.tzinfo | None = None,
) -> list[Letter]:
    """The messages that tell ``change``: one per language among the recipients (a
    recipient without one reads ``language``, Ferry's)."""
    by_language: dict[Language, list[str]] = {}
    for recipient in settings.recipients:
        by_language.setdefault(recipient.language or language, []).append(recipient.address)
    letters = []
    for reader, addresses in by_language.items():
        title = words.title(change, reader)
        body = "\n\n".join(
            [words.text(change, reader, now=now, zone=zone), words.footer(computer, reader)]
        )
        letters.append(
            Letter(tuple(addresses), words.subject(title, computer, reader), body + "\n")
        )
    return letters


def trial_letters(
    settings: AlertSettings, *, computer: str, language: Language = FALLBACK
) -> list[Letter]:
    """The Settings dialog's test message, one per language among the recipients."""
    by_language: dict[Language, list[str]] = {}
    for recipient in settings.recipients:
        by_language.setdefault(recipient.language or language, []).append(recipient.address)
    return [
        Letter(
            tuple(addresses),
            words.subject(words.trial_title(reader), computer, reader),
            words.trial_text(reader) + "\n\n" + words.footer(computer, reader) + "\n",
        )
        for reader, addresses in by_language.items()
    ]


def send_alert(
    change: AlertChange,
    settings: AlertSettings,
    password: str | None,
    *,
    computer: str | None = None,
    language: Language = FALLBACK,
    context: ssl.SSLContext | None = None,
    timeout: float = TIMEOUT_S,
) -> MailFailure | None:
    """E-mail ``change`` to the recipients; None when sent, else why not (logged too)."""
    if not settings.mails:
        return None
    letters = alert_letters(
        change, settings, computer=computer or computer_name(), language=language
    )
    return send(letters, settings, password, context=context, timeout=timeout)


def send_test(
    settings: AlertSettings,
    password: str | None,
    *,
    computer: str | None = None,
    language: Language = FALLBACK,
    context: ssl.SSLContext | None = None,
    timeout: float = TIMEOUT_S,
) -> MailFailure | None:
    """The *Test* button: a test message to the recipients, whether e-mail is on or not
    (a person tries the server before turning it on). Blocking: never on a GUI thread."""
    if not settings.smtp_host or not settings.recipients:
        return MailFailure.of("not_configured")
    letters = trial_letters(settings, computer=computer or computer_name(), language=language)
    return send(letters, settings, password, context=context, timeout=timeout)


def send(
    letters: Sequence[Letter],
    settings: AlertSettings,
    password: str | None,
    *,
    context: ssl.SSLContext | None = None,
    timeout: float = TIMEOUT_S,
) -> MailFailure | None:
    """Send ``letters`` over one connection; the first failure stops it and is returned."""
    host, port = settings.smtp_host, settings.smtp_port
    failure = _send(letters, settings, password, context, timeout)
    if failure is not None:
        log.warning(
            "alert e-mail not sent through %s:%s [%s]: %s", host, port, failure.code, failure
        )
    else:
        count = sum(len(letter.recipients) for letter in letters)
        log.info("alert e-mail sent through %s:%s to %d recipient(s)", host, port, count)
    return failure


def _send(
    letters: Sequence[Letter],
    settings: AlertSettings,
    password: str | None,
    context: ssl.SSLContext | None,
    timeout: float,
) -> MailFailure | None:
    host, port = settings.smtp_host, settings.smtp_port
    where: dict[str, object] = {"host": host, "port": port}
    if settings.username and not password:
        return MailFailure.of("no_password", **where)
    trust = context or ssl.create_default_context()
    try:
        if port == IMPLICIT_TLS_PORT:
            server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=trust)
        else:
            server = smtplib.SMTP(host, port, timeout=timeout)
    except ssl.SSLError as error:
        return MailFailure.of("tls", said=_said_ssl(error), **where)
    except (OSError, smtplib.SMTPException) as error:
        return MailFailure.of("connect", said=_said(error), **where)
    try:
        with server:
            server.ehlo()
            if settings.starttls and port != IMPLICIT_TLS_PORT:
                if not server.has_extn("starttls"):
                    return MailFailure.of("no_starttls", **where)
                try:
                    server.starttls(context=trust)
                except ssl.SSLError as error:
                    return MailFailure.of("tls", said=_said_ssl(error), **where)
                server.ehlo()
            if settings.username:
                if not server.has_extn("auth"):
                    return MailFailure.of("no_auth", **where)
                try:
                    server.login(settings.username, password or "")
                except smtplib.SMTPAuthenticationError as error:
                    return MailFailure.of(
                        "auth_refused", user=settings.username, said=_reply(error), **where
                    )
                except smtplib.SMTPNotSupportedError:
                    return MailFailure.of("no_auth", **where)
            for letter in letters:
                failure = _deliver(server, letter, settings.sender, where)
                if failure is not None:
                    return failure
    except ssl.SSLError as error:
        return MailFailure.of("tls", said=_said_ssl(error), **where)
    except smtplib.SMTPServerDisconnected as error:
        return MailFailure.of("connect", said=_said(error), **where)
    except (OSError, smtplib.SMTPException) as error:
        return MailFailure.of("other", said=_said(error), **where)
    return None


def _deliver(
    server: smtplib.SMTP, letter: Letter, sender: str, where: dict[str, object]
) -> MailFailure | None:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(letter.recipients)
    message["Subject"] = letter.subject
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(letter.body)
    try:
        refused = server.send_message(message, from_addr=sender, to_addrs=list(letter.recipients))
    except smtplib.SMTPSenderRefused as error:
        return MailFailure.of("sender_refused", sender=sender, said=_reply(error), **where)
    except smtplib.SMTPRecipientsRefused as error:
        said = "; ".join(
            f"{address}: {_reply_text(code, text)}"
            for address, (code, text) in error.recipients.items()
        )
        return MailFailure.of(
            "recipients_refused", recipients=", ".join(error.recipients), said=said, **where
        )
    if refused:
        said = "; ".join(
            f"{address}: {_reply_text(code, text)}" for address, (code, text) in refused.items()
        )
        return MailFailure.of(
            "recipients_refused", recipients=", ".join(refused), said=said, **where
        )
    return None


def _reply_text(code: int, text: bytes | str) -> str:
    words_ = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {words_}".strip()


def _reply(error: smtplib.SMTPResponseException) -> str:
    return _reply_text(error.smtp_code, error.smtp_error)


def _said(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error)
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _said_ssl(error: ssl.SSLError) -> str:
    return getattr(error, "verify_message", None) or error.reason or str(error)
