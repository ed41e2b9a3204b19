"""The HTTP transport under the shared client (app/platform/network.py) against real servers.

The sandbox platform for downloads, keep-alive and a connection dropped half-way; small asyncio
servers on 127.0.0.1 for what the sandbox cannot do (never answering, hanging up, TLS, the raw
bytes of a request); a port nobody listens on. Every failure must come out as the httpx
exception the engine catches.
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
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import httpx
import pytest

from app.api.models import Document
from app.platform.client import _CookiesWhenSet, make_http_client
from app.platform.network import AiohttpTransport, _httpx_exceptions, environment_proxies
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin, login_with_password
from app.settings import ProxyMode, ProxySettings

REALM = "be"


class Connections:
    """Counts the connections a transport opens and reuses, through aiohttp's trace hooks."""

    def __init__(self) -> None:
        self.opened = 0
        self.reused = 0
        self.trace = aiohttp.TraceConfig()
        self.trace.on_connection_create_end.append(self._opened)
        self.trace.on_connection_reuseconn.append(self._reused)

    async def _opened(self, *_: object) -> None:
        self.opened += 1

    async def _reused(self, *_: object) -> None:
        self.reused += 1

    def transport(self, **options: object) -> AiohttpTransport:
        return AiohttpTransport(trace_configs=[self.trace], **options)  # type: ignore[arg-type]


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
    connections = Connections()
    limits = httpx.Limits(max_connections=6, max_keepalive_connections=6)

    async with _client(connections.transport(limits=limits), token) as http:

        async def download(document: Document) -> bytes:
            body = bytearray()
            async with http.stream("GET", _file_url(sandbox, document)) as response:
                assert response.status_code == 200
                assert response.headers["content-type"] == "application/pdf"
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
    assert 1 <= connections.opened <= 6
    assert connections.opened + connections.reused == 48


async def test_sequential_requests_reuse_one_kept_alive_connection(
    sandbox: SandboxServer, token: str
) -> None:
    connections = Connections()
    async with _client(connections.transport(), token) as http:
        for _ in range(5):
            response = await http.get(f"{sandbox.api_url}/office")
            assert response.status_code == 200
            assert response.json()["realm"] == REALM
            assert response.http_version == "HTTP/1.1"
            assert response.reason_phrase == "OK"
    assert (connections.opened, connections.reused) == (1, 4)


async def test_a_connection_dropped_half_way_is_an_httpx_error(
    sandbox: SandboxServer,
    admin: SandboxAdmin,
    token: str,
    uploaded: dict[str, tuple[Document, bytes]],
) -> None:
    document, content = next(iter(uploaded.values()))
    admin.set_faults(drop_rate=1.0)
    received = 0
    connections = Connections()
    try:
        async with _client(connections.transport(), token) as http:
            with pytest.raises(httpx.RemoteProtocolError) as raised:
                async with http.stream("GET", _file_url(sandbox, document)) as response:
                    assert response.status_code == 200
                    async for chunk in response.aiter_raw():
                        received += len(chunk)
            admin.clear_faults()
            # the broken connection is not reused: the next download opens another, whole
            assert (await http.get(_file_url(sandbox, document))).content == content
    finally:
        admin.clear_faults()
    assert isinstance(raised.value.__cause__, aiohttp.ClientPayloadError)
    assert 0 < received < len(content)
    assert connections.opened == 2


async def test_a_download_abandoned_half_way_closes_its_connection(
    sandbox: SandboxServer, token: str, uploaded: dict[str, tuple[Document, bytes]]
) -> None:
    """Bytes nobody read are left on that connection: it must not serve the next request."""
    document, content = next(iter(uploaded.values()))
    connections = Connections()
    async with _client(connections.transport(), token) as http:
        async with http.stream("GET", _file_url(sandbox, document)) as response:
            async for _chunk in response.aiter_raw():
                break
        assert (await http.get(_file_url(sandbox, document))).content == content
        assert (await http.get(_file_url(sandbox, document))).content == content
    assert (connections.opened, connections.reused) == (2, 1)


async def test_make_http_client_connects_directly_through_aiohttp(
    sandbox: SandboxServer, token: str, clean_env: pytest.MonkeyPatch
) -> None:
    url = f"{sandbox.api_url}/office"
    for proxy in (None, ProxySettings(mode=ProxyMode.NONE)):
        async with make_http_client(proxy=proxy) as http:
            assert isinstance(http._transport_for_url(httpx.URL(url)), AiohttpTransport)
            response = await http.get(url, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200


async def test_the_system_proxys_exceptions_still_reach_this_computer_directly(
    sandbox: SandboxServer, token: str, clean_env: pytest.MonkeyPatch
) -> None:
    # a proxy that does not exist, which NO_PROXY bypasses for the sandbox
    clean_env.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    clean_env.setenv("NO_PROXY", "127.0.0.1")
    url = f"{sandbox.api_url}/office"
    async with make_http_client() as http:
        assert isinstance(http._transport_for_url(httpx.URL(url)), AiohttpTransport)
        assert not isinstance(
            http._transport_for_url(httpx.URL("http://example.com/")), AiohttpTransport
        )
        response = await http.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


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
    async with httpx.AsyncClient(transport=AiohttpTransport()) as http:
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

    async with _server(silent) as port, httpx.AsyncClient(transport=AiohttpTransport()) as http:
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(httpx.ReadTimeout):
            await http.get(f"http://127.0.0.1:{port}/", timeout=httpx.Timeout(5, read=0.3))
        assert loop.time() - started < 3
    assert requests and requests[0].startswith(b"GET / HTTP/1.1\r\n")


async def test_a_server_that_hangs_up_without_answering_is_a_remote_protocol_error() -> None:
    async def rude(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    async with _server(rude) as port, httpx.AsyncClient(transport=AiohttpTransport()) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get(f"http://127.0.0.1:{port}/")


async def test_the_request_goes_out_as_httpx_built_it() -> None:
    """No header added behind httpx's back (aiohttp's own User-Agent, a Content-Type for a
    bare body), repeated headers kept, the body and an encoded path byte for byte."""
    seen: list[bytes] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        seen.append(head + await reader.readexactly(length))
        writer.write(
            b"HTTP/1.1 201 Created\r\nX-Twice: a\r\nX-Twice: b\r\nContent-Length: 0\r\n\r\n"
        )
        await writer.drain()
        writer.close()

    async with (
        _server(record) as port,
        httpx.AsyncClient(transport=AiohttpTransport(), headers={"User-Agent": "Ferry"}) as http,
    ):
        response = await http.post(
            f"http://127.0.0.1:{port}/a%2Fb/%C3%A9?q=x%20y",
            content=b"\x00raw\xff",
            headers=[("X-Many", "1"), ("X-Many", "2")],
        )
    assert response.status_code == 201
    assert response.reason_phrase == "Created"
    assert response.headers.get_list("x-twice") == ["a", "b"]
    head, _, body = seen[0].partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"POST /a%2Fb/%C3%A9?q=x%20y HTTP/1.1"
    names = [line.split(b":")[0].lower() for line in lines[1:]]
    assert b"content-type" not in names
    assert names.count(b"user-agent") == 1 and b"User-Agent: Ferry" in lines
    assert [line for line in lines if line.lower().startswith(b"x-many")] == [
        b"X-Many: 1",
        b"X-Many: 2",
    ]
    assert body == b"\x00raw\xff"


async def test_a_kept_alive_connection_the_server_closed_is_not_used_again() -> None:
    """A server closing an idle connection (its keep-alive timeout): the next request opens a
    new connection and succeeds."""
    connections = Connections()

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
        httpx.AsyncClient(transport=connections.transport()) as http,
    ):
        for _ in range(3):
            response = await http.get(f"http://127.0.0.1:{port}/")
            assert (response.status_code, response.text) == (200, "ok")
            await asyncio.sleep(0.3)
    assert connections.opened == 3


async def test_the_shared_client_keeps_the_cookies_a_server_sets(
    clean_env: pytest.MonkeyPatch,
) -> None:
    """make_http_client skips httpx's cookie work for responses without a cookie; one that
    sets a cookie is still kept and sent back, as httpx does."""
    heads: list[bytes] = []
    answers = [b"Set-Cookie: lb=node-2; Path=/\r\n", b"", b""]

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while answers:
            heads.append(await reader.readuntil(b"\r\n\r\n"))
            writer.write(b"HTTP/1.1 200 OK\r\n" + answers.pop(0) + b"Content-Length: 0\r\n\r\n")
            await writer.drain()
        writer.close()

    async with _server(serve) as port, make_http_client() as http:
        for _ in range(3):
            assert (await http.get(f"http://127.0.0.1:{port}/")).status_code == 200
        assert dict(http.cookies) == {"lb": "node-2"}
        assert isinstance(http.cookies, _CookiesWhenSet)  # still the jar httpx uses
    assert b"cookie:" not in heads[0].lower()
    assert all(b"\r\nCookie: lb=node-2\r\n" in head for head in heads[1:])


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (aiohttp.ConnectionTimeoutError("connect"), httpx.ConnectTimeout),
        (aiohttp.SocketTimeoutError("read"), httpx.ReadTimeout),
        (aiohttp.ServerTimeoutError("read"), httpx.ReadTimeout),
        (
            aiohttp.ClientConnectorError(SimpleNamespace(host="h", port=1, ssl=None), OSError()),  # type: ignore[arg-type]
            httpx.ConnectError,
        ),
        (aiohttp.ServerDisconnectedError(), httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError("cut"), httpx.RemoteProtocolError),
        (aiohttp.ClientOSError(104, "reset"), httpx.ReadError),
        (aiohttp.ClientConnectionError("closed"), httpx.NetworkError),
        (aiohttp.InvalidURL("x"), httpx.UnsupportedProtocol),
        (aiohttp.ClientError("other"), httpx.TransportError),
        (TimeoutError(), httpx.TimeoutException),
    ],
)
def test_every_aiohttp_failure_is_the_httpx_exception_for_it(
    raised: BaseException, expected: type[httpx.TransportError]
) -> None:
    with pytest.raises(expected) as caught, _httpx_exceptions():
        raise raised
    assert caught.value.__cause__ is raised
    assert str(caught.value)  # never an empty message


def test_other_exceptions_pass_through_unchanged() -> None:
    with pytest.raises(KeyError), _httpx_exceptions():
        raise KeyError("not a network failure")


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
    connections = Connections()
    async with _server(_https_handler, _server_context(certificate)) as port:
        async with asyncio.timeout(20):
            transport = connections.transport(verify=trusting)
            async with httpx.AsyncClient(transport=transport) as http:
                for _ in range(3):
                    async with http.stream("GET", f"https://127.0.0.1:{port}/file") as response:
                        assert response.status_code == 200
                        assert await response.aread() == BODY
            # closing does not wait for a TLS goodbye (the async with above returned quickly)
    assert (connections.opened, connections.reused) == (1, 2)


async def test_https_with_an_untrusted_certificate_is_a_connect_error(
    certificate: tuple[Path, Path, str],
) -> None:
    default = httpx.create_ssl_context()  # the public roots: this certificate is not among them
    async with _server(_https_handler, _server_context(certificate)) as port:
        async with asyncio.timeout(20):
            async with httpx.AsyncClient(transport=AiohttpTransport(verify=default)) as http:
                with pytest.raises(httpx.ConnectError) as raised:
                    await http.get(f"https://127.0.0.1:{port}/")
                # the connection that failed its handshake is gone, and the next try fails alike
                with pytest.raises(httpx.ConnectError):
                    await http.get(f"https://127.0.0.1:{port}/")
    assert "CERTIFICATE_VERIFY_FAILED" in str(raised.value)
