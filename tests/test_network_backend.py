"""The asyncio network backend (app/platform/network.py) against real servers.

The sandbox platform for downloads, keep-alive and a connection dropped half-way; small asyncio
servers on 127.0.0.1 for what the sandbox cannot do (never answering, TLS); a port nobody
listens on. Every failure must come out as the httpx exception the engine catches.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import ipaddress
import os
import secrets
import socket
import ssl
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path

import httpcore
import httpx
import pytest

from app.api.models import Document
from app.platform.client import make_http_client
from app.platform.network import (
    AsyncioBackend,
    AsyncioStream,
    AsyncioTransport,
    LinearConnectionPool,
    SocketOption,
    environment_proxies,
)
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin, login_with_password
from app.settings import ProxyMode, ProxySettings

REALM = "be"


class CountingBackend(AsyncioBackend):
    """The real backend, counting the connections it opens."""

    def __init__(self) -> None:
        self.connections = 0

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connections += 1
        return await super().connect_tcp(host, port, timeout, local_address, socket_options)


@pytest.fixture(scope="module")
def admin(sandbox: SandboxServer) -> Iterator[SandboxAdmin]:
    with SandboxAdmin(sandbox.url) as running:
        yield running


@pytest.fixture(scope="module")
def token(sandbox: SandboxServer) -> str:
    return login_with_password(sandbox.url, REALM).access_token


@pytest.fixture(scope="module")
def uploaded(admin: SandboxAdmin) -> dict[str, tuple[Document, bytes]]:
    """24 documents of 200-600 kB of random bytes, by id, with what was uploaded."""
    client = next(c for c in admin.clients(REALM) if c.shares_documents)
    documents: dict[str, tuple[Document, bytes]] = {}
    for n in range(24):
        content = b"%PDF-1.7\n" + secrets.token_bytes(200_000 + n * 17_000)
        document = admin.add_document(
            REALM, client.id, "purchase", [(f"bytes-{n}.pdf", content, "application/pdf")]
        )
        documents[document.id] = (document, content)
    return documents


def _file_url(sandbox: SandboxServer, document: Document) -> str:
    return f"{sandbox.api_url}/documents/{document.id}/files/{document.files[0].id}"


def _client(
    transport: httpx.AsyncBaseTransport, token: str, **options: object
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=transport,
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx.Timeout(30.0, connect=10.0),
        **options,  # type: ignore[arg-type]
    )


# -- against the sandbox ----------------------------------------------------------------------


async def test_concurrent_streamed_downloads_arrive_byte_for_byte(
    sandbox: SandboxServer, token: str, uploaded: dict[str, tuple[Document, bytes]]
) -> None:
    backend = CountingBackend()
    limits = httpx.Limits(max_connections=6, max_keepalive_connections=6)
    seen_ports: set[int] = set()

    async with _client(AsyncioTransport(limits=limits, network_backend=backend), token) as http:

        async def download(document: Document) -> bytes:
            body = bytearray()
            async with http.stream("GET", _file_url(sandbox, document)) as response:
                assert response.status_code == 200
                stream = response.extensions["network_stream"]
                assert isinstance(stream, AsyncioStream)
                seen_ports.add(stream.get_extra_info("client_addr")[1])
                async for chunk in response.aiter_raw():
                    body += chunk
            return bytes(body)

        for _round in range(2):
            bodies = await asyncio.gather(*(download(d) for d, _ in uploaded.values()))
            for (document, content), body in zip(uploaded.values(), bodies, strict=True):
                assert len(body) == len(content) == document.files[0].size
                assert hashlib.sha256(body).hexdigest() == document.files[0].sha256
                assert body == content

    # 48 downloads over at most 6 connections, kept alive between rounds
    assert 1 <= backend.connections <= 6
    assert len(seen_ports) == backend.connections


async def test_sequential_requests_reuse_one_kept_alive_connection(
    sandbox: SandboxServer, token: str
) -> None:
    backend = CountingBackend()
    async with _client(AsyncioTransport(network_backend=backend), token) as http:
        ports = set()
        for _ in range(5):
            response = await http.get(f"{sandbox.api_url}/office")
            assert response.status_code == 200
            assert response.json()["realm"] == REALM
            ports.add(response.extensions["network_stream"].get_extra_info("client_addr")[1])
    assert backend.connections == 1
    assert len(ports) == 1


async def test_a_connection_dropped_half_way_is_an_httpx_error(
    sandbox: SandboxServer,
    admin: SandboxAdmin,
    token: str,
    uploaded: dict[str, tuple[Document, bytes]],
) -> None:
    document, content = next(iter(uploaded.values()))
    admin.set_faults(drop_rate=1.0)
    received = 0
    try:
        async with _client(AsyncioTransport(), token) as http:
            with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)) as raised:
                async with http.stream("GET", _file_url(sandbox, document)) as response:
                    assert response.status_code == 200
                    async for chunk in response.aiter_raw():
                        received += len(chunk)
    finally:
        admin.clear_faults()
    assert isinstance(raised.value, httpx.HTTPError)
    assert 0 < received < len(content)
    # and the pool is usable afterwards
    async with _client(AsyncioTransport(), token) as http:
        assert (await http.get(_file_url(sandbox, document))).content == content


async def test_make_http_client_connects_directly_through_the_asyncio_backend(
    sandbox: SandboxServer, token: str, clean_env: pytest.MonkeyPatch
) -> None:
    for proxy in (None, ProxySettings(mode=ProxyMode.NONE)):
        async with make_http_client(proxy=proxy) as http:
            response = await http.get(
                f"{sandbox.api_url}/office", headers={"Authorization": f"Bearer {token}"}
            )
        assert response.status_code == 200
        assert isinstance(response.extensions["network_stream"], AsyncioStream)


async def test_the_system_proxys_exceptions_still_reach_this_computer_directly(
    sandbox: SandboxServer, token: str, clean_env: pytest.MonkeyPatch
) -> None:
    # a proxy that does not exist, which NO_PROXY bypasses for the sandbox
    clean_env.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    clean_env.setenv("NO_PROXY", "127.0.0.1")
    async with make_http_client() as http:
        response = await http.get(
            f"{sandbox.api_url}/office", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200
    assert isinstance(response.extensions["network_stream"], AsyncioStream)


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"HTTP_PROXY": "proxy.lan:3128"},
        {"HTTPS_PROXY": "http://proxy.lan:3128", "ALL_PROXY": "socks5://s.lan:1080"},
        {
            "HTTP_PROXY": "http://proxy.lan:3128",
            "NO_PROXY": "localhost, 127.0.0.1,10.0.0.0/8,::1,.example.com,intra.net,http://x.be",
        },
        {"HTTP_PROXY": "http://proxy.lan:3128", "NO_PROXY": "intra.net,*"},
    ],
)
def test_the_system_proxies_are_read_as_httpx_reads_them(
    clean_env: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    from httpx._utils import get_environment_proxies  # what httpx does without a transport

    for name, value in env.items():
        clean_env.setenv(name, value)
    assert environment_proxies() == get_environment_proxies()


# -- failures the sandbox cannot stage --------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_nobody_listening_is_a_connect_error() -> None:
    async with httpx.AsyncClient(transport=AsyncioTransport()) as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(f"http://127.0.0.1:{_closed_port()}/")


@contextlib.asynccontextmanager
async def _server(handler: object, ssl_context: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """A server on 127.0.0.1 for ``handler``; its port. Its connections are cut at the end."""
    accepted: list[asyncio.StreamWriter] = []

    async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)
        await handler(reader, writer)  # type: ignore[operator]

    server = await asyncio.start_server(tracked, "127.0.0.1", 0, ssl=ssl_context)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        server.close()
        for writer in accepted:
            writer.transport.abort()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await server.wait_closed()


async def test_a_server_that_never_answers_is_a_read_timeout() -> None:
    requests: list[bytes] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        requests.append(await reader.readuntil(b"\r\n\r\n"))
        await asyncio.sleep(30)
        writer.close()

    async with _server(silent) as port, httpx.AsyncClient(transport=AsyncioTransport()) as http:
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(httpx.ReadTimeout):
            await http.get(f"http://127.0.0.1:{port}/", timeout=httpx.Timeout(5, read=0.3))
        assert loop.time() - started < 3
    assert requests and requests[0].startswith(b"GET / HTTP/1.1\r\n")


async def test_a_kept_alive_connection_the_server_closed_is_not_used_again() -> None:
    """A server closing an idle connection (its keep-alive timeout) is noticed by the event
    loop, not by polling the socket: the next request opens a new connection and succeeds."""
    backend = CountingBackend()

    async def answer_once_then_hang_up(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        await asyncio.sleep(0.05)  # idle, kept alive... then no longer
        writer.close()

    async with (
        _server(answer_once_then_hang_up) as port,
        httpx.AsyncClient(transport=AsyncioTransport(network_backend=backend)) as http,
    ):
        for _ in range(3):
            response = await http.get(f"http://127.0.0.1:{port}/")
            assert (response.status_code, response.text) == (200, "ok")
            await asyncio.sleep(0.3)
    assert backend.connections == 3


async def test_the_linear_pool_decides_as_httpcores_own(sandbox: SandboxServer, token: str) -> None:
    """Eight requests at once on at most three connections, one kept alive: the same
    connections opened, used and closed as with httpcore's pool, whose bookkeeping it redoes."""

    async def scenario(pool_class: type[httpcore.AsyncConnectionPool]) -> tuple[int, ...]:
        backend = CountingBackend()
        pool = pool_class(max_connections=3, max_keepalive_connections=1, network_backend=backend)
        transport = AsyncioTransport(network_backend=backend)
        transport._pool = pool
        async with _client(transport, token) as http:
            answers = await asyncio.gather(
                *(http.get(f"{sandbox.api_url}/office") for _ in range(8))
            )
            assert {answer.status_code for answer in answers} == {200}
            opened_then, kept_then = backend.connections, len(pool.connections)
            assert kept_then <= 3
            assert (await http.get(f"{sandbox.api_url}/office")).status_code == 200
            return opened_then, kept_then, backend.connections, len(pool.connections)

    linear = await scenario(LinearConnectionPool)
    assert linear == await scenario(httpcore.AsyncConnectionPool)
    assert linear[-1] == 1  # the surplus idle connections were closed


async def test_a_unix_socket_carries_bytes_both_ways(tmp_path: Path) -> None:
    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write((await reader.readexactly(5)).upper())
        await writer.drain()
        writer.close()

    path = tmp_path / "echo.sock"
    server = await asyncio.start_unix_server(echo, path)
    try:
        stream = await AsyncioBackend().connect_unix_socket(str(path), timeout=5)
        await stream.write(b"ferry", timeout=5)
        assert await stream.read(100, timeout=5) == b"FERRY"
        assert await stream.read(100, timeout=5) == b""
        assert stream.get_extra_info("is_readable") is True  # the server said goodbye
        await stream.aclose()
    finally:
        server.close()
        await server.wait_closed()


# -- HTTPS --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A self-signed certificate for 127.0.0.1 and localhost: (cert file, key file, PEM)."""
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Ferry test server")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    (folder / "cert.pem").write_text(pem)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return folder / "cert.pem", folder / "key.pem", pem


BODY = os.urandom(300_000)


async def _https_handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A keep-alive HTTP/1.1 server: every GET answers BODY."""
    try:
        while True:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
                + BODY
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


def _server_context(certificate: tuple[Path, Path, str]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate[0], certificate[1])
    return context


async def test_https_with_a_trusted_certificate(certificate: tuple[Path, Path, str]) -> None:
    trusting = ssl.create_default_context(cadata=certificate[2])
    backend = CountingBackend()
    async with _server(_https_handler, _server_context(certificate)) as port:
        async with asyncio.timeout(20):
            transport = AsyncioTransport(verify=trusting, network_backend=backend)
            async with httpx.AsyncClient(transport=transport) as http:
                for host in ("127.0.0.1", "127.0.0.1", "127.0.0.1"):
                    async with http.stream("GET", f"https://{host}:{port}/file") as response:
                        assert response.status_code == 200
                        stream = response.extensions["network_stream"]
                        assert stream.get_extra_info("ssl_object") is not None
                        assert await response.aread() == BODY
            # closing does not wait for a TLS goodbye (the async with above returned quickly)
    assert backend.connections == 1


async def test_https_with_an_untrusted_certificate_is_a_connect_error(
    certificate: tuple[Path, Path, str],
) -> None:
    default = httpx.create_ssl_context()  # the public roots: this certificate is not among them
    async with _server(_https_handler, _server_context(certificate)) as port:
        async with asyncio.timeout(20):
            async with httpx.AsyncClient(transport=AsyncioTransport(verify=default)) as http:
                with pytest.raises(httpx.ConnectError) as raised:
                    await http.get(f"https://127.0.0.1:{port}/")
                # the connection that failed its handshake is gone, and the next try fails alike
                with pytest.raises(httpx.ConnectError):
                    await http.get(f"https://127.0.0.1:{port}/")
    assert "CERTIFICATE_VERIFY_FAILED" in str(raised.value)
