"""A real SMTP server on 127.0.0.1 (aiosmtpd), started by the test: plain, or with STARTTLS
on a throw-away self-signed certificate made here, and with a login it checks.

Imported by the ``smtp_server`` fixture (tests/alerts/conftest.py) when a test asks for it:
the Windows CPython that runs the tests marked ``windows`` has no aiosmtpd."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER = "ferry-alerts"
PASSWORD = "s3cret-of-the-test"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class MailServer:
    """One running server: what it received, where it listens, the certificate to trust."""

    host: str
    port: int
    certificate: bytes | None
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def trust(self) -> ssl.SSLContext:
        """A client context that trusts this server's certificate only (the system's trust
        is what production uses)."""
        context = ssl.create_default_context(cadata=(self.certificate or b"").decode())
        return context

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
        return list(self.received)


class _Inbox:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.server.arrived:
            self.server.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), parsed)
            )
            self.server.arrived.notify_all()
        return "250 OK"


def self_signed(folder: Path) -> tuple[Path, Path, bytes]:
    """A certificate for 127.0.0.1 and localhost, valid for a day, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ferry-test-smtp")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    cert_file, key_file = folder / "smtp.crt", folder / "smtp.key"
    cert_file.write_bytes(pem)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file, pem


class _Controller(Controller):
    """aiosmtpd's, without its warning about a login over a plain connection: the office's
    own relay, as the tests mean it (made per connection, on the server's thread)."""

    def factory(self) -> Any:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return super().factory()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


StartServer = Callable[..., MailServer]


def servers(tmp_path: Path) -> Iterator[StartServer]:
    """``start(tls=True, login=True)``: a server on 127.0.0.1 that, with ``tls``, offers
    STARTTLS and refuses mail before it; with ``login``, accepts :data:`USER` and
    :data:`PASSWORD` only, and only over TLS (when ``tls``). Stopped after the test."""
    controllers: list[Controller] = []

    def start(*, tls: bool = True, login: bool = True) -> MailServer:
        certificate = None
        kwargs: dict[str, Any] = {}
        server = MailServer("127.0.0.1", _free_port(), None)
        if tls:
            cert_file, key_file, certificate = self_signed(tmp_path)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert_file, key_file)
            kwargs.update(tls_context=context, require_starttls=True)
            server.certificate = certificate
        if login:

            def check(
                _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
            ) -> AuthResult:
                ok = (
                    isinstance(data, LoginPassword)
                    and data.login.decode() == USER
                    and data.password.decode() == PASSWORD
                )
                server.logins.append(
                    (data.login.decode() if isinstance(data, LoginPassword) else "?", ok)
                )
                return AuthResult(success=ok, handled=False, auth_data=data)

            kwargs.update(authenticator=check, auth_required=True, auth_require_tls=tls)
        controller = _Controller(_Inbox(server), hostname=server.host, port=server.port, **kwargs)
        controller.start()
        controllers.append(controller)
        return server

    try:
        yield start
    finally:
        for controller in controllers:
            controller.stop()
