"""HTTP connections on plain asyncio streams, for a cheaper download loop.

httpx reaches the network through httpcore, which by default goes through anyio. Profiling the
engine's first full sync showed a large share of its CPU in anyio's stream layer rather than in
the bytes themselves: every pool check asks the stream for ``is_readable``, which anyio answers
through its typed-attribute machinery (a ``getpeername`` system call and a dictionary of lambdas
each time), and every read and write passes through anyio's cancellation checkpoints. Ferry
only ever runs on asyncio (``asyncio.run``, its engine thread's loop, qasync in the GUI), so
none of that generality pays for itself.

:class:`AsyncioBackend` is an ``httpcore.AsyncNetworkBackend`` on asyncio's own streams
(``asyncio.open_connection``, ``StreamWriter.start_tls``, ``asyncio.timeout``) that raises
exactly the httpcore exceptions anyio's backend does, so httpx maps them to the same
``httpx`` exceptions. :class:`AsyncioTransport` is the public way to use it: an
``httpx.AsyncBaseTransport`` over an ``httpcore.AsyncConnectionPool`` that mirrors httpx's
own ``AsyncHTTPTransport`` (requests, streamed responses, exceptions), HTTP/1.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
import urllib.request
from collections.abc import AsyncIterator, Iterable, Iterator
from types import TracebackType
from typing import Any, Self

import httpcore
import httpx

#: What httpcore accepts as a socket option (``socket.setsockopt``'s argument shapes).
SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)

#: The StreamReader's buffer limit. httpcore reads at most 64 KiB at a time; a larger buffer
#: lets the transport keep reading from the socket while the previous chunk is being written
#: to disk, instead of pausing and resuming the socket around every chunk.
READ_BUFFER_LIMIT = 256 * 1024

#: How long a closing connection may wait for the operating system to let go of its socket.
#: A plain close is over in one turn of the loop; this only bounds odd cases.
CLOSE_WAIT_S = 5.0

#: The delay before racing the next address of a host (RFC 8305), as anyio does, so that a
#: host whose IPv6 address is unreachable is not stuck until the connect timeout.
HAPPY_EYEBALLS_DELAY_S = 0.25


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection (plain or TLS) as httpcore sees it.

    The socket and both addresses are looked up once, when the connection is made: httpcore
    asks for them on every pool check, and anyio answered with a system call each time.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._socket: socket.socket | None = writer.get_extra_info("socket")
        self._client_addr: Any = writer.get_extra_info("sockname")
        self._server_addr: Any = writer.get_extra_info("peername")
        self._tls = writer.get_extra_info("ssl_object") is not None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to ``max_bytes``; ``b""`` once the server has closed its side."""
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as error:
            raise httpcore.ReadTimeout(str(error) or "timed out reading") from error
        except OSError as error:  # reset, or a TLS error (ssl.SSLError is an OSError)
            raise httpcore.ReadError(str(error) or type(error).__name__) from error

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """All of ``buffer``, waiting while the socket's send buffer is full."""
        if not buffer:
            return
        if self._writer.transport.is_closing():
            # asyncio drops writes to a closing transport silently; anyio raised here
            raise httpcore.WriteError("the connection is closed")
        try:
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError as error:
            raise httpcore.WriteTimeout(str(error) or "timed out writing") from error
        except (OSError, RuntimeError) as error:  # RuntimeError: written after write_eof
            raise httpcore.WriteError(str(error) or type(error).__name__) from error

    async def aclose(self) -> None:
        """Close now, without the TLS goodbye.

        httpcore's anyio backend never sent a TLS ``close_notify`` either (its TLS streams are
        not "standard compatible"): waiting for the server's answer to one could hold a closing
        connection for asyncio's 30 s TLS shutdown timeout.
        """
        transport = self._writer.transport
        if self._tls:
            transport.abort()
        else:
            transport.close()
        with contextlib.suppress(OSError, TimeoutError):
            async with asyncio.timeout(CLOSE_WAIT_S):
                await self._writer.wait_closed()

    def _abandon(self) -> None:
        """Drop a connection whose TLS handshake failed (or was cancelled).

        asyncio's ``start_tls`` closes the socket itself when the handshake fails, and its
        stream protocol was handed over to the TLS layer, so ``wait_closed`` has nothing
        useful to wait for (it only raises the handshake's error again): make sure the socket
        is closed, without waiting.
        """
        self._writer.transport.abort()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """This connection, now over TLS; closed when the handshake fails."""
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as error:
            self._abandon()
            raise httpcore.ConnectTimeout(str(error) or "timed out in the TLS handshake") from error
        except OSError as error:  # ssl.SSLError (e.g. an untrusted certificate) included
            self._abandon()
            raise httpcore.ConnectError(str(error) or type(error).__name__) from error
        except BaseException:
            self._abandon()
            raise
        return AsyncioStream(self._reader, self._writer)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return self._is_readable()
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._client_addr
        if info == "server_addr":
            return self._server_addr
        if info == "socket":
            return self._socket
        return None

    def _is_readable(self) -> bool:
        """Whether an idle connection has something to say, which can only be goodbye.

        The event loop reads every socket it watches as soon as bytes arrive, so a server's
        close has already reached the reader (its end of stream, or an error) or closed the
        transport by the time the pool asks. Polling the socket as well, as anyio does, costs a
        system call per idle connection per request (27 per download in a full sync) to learn
        what the loop will know one iteration later anyway. A close racing a new request is
        possible either way (a server may close just after any check) and ends as a transient
        failure, tried again.
        """
        return (
            self._writer.transport.is_closing()
            or self._reader.at_eof()
            or self._reader.exception() is not None
        )


def _apply_socket_options(
    writer: asyncio.StreamWriter, socket_options: Iterable[SocketOption] | None
) -> None:
    sock: socket.socket | None = writer.get_extra_info("socket")
    if sock is None:
        return
    for option in socket_options or ():
        sock.setsockopt(*option)


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """httpcore's connections on asyncio streams (see the module's docstring for why)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host,
                    port,
                    local_addr=(local_address, 0) if local_address else None,
                    happy_eyeballs_delay=HAPPY_EYEBALLS_DELAY_S,
                    limit=READ_BUFFER_LIMIT,
                )
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error) or "timed out connecting") from error
        except OSError as error:  # refused, unreachable, name not found (socket.gaierror)
            raise httpcore.ConnectError(str(error) or type(error).__name__) from error
        return _stream(reader, writer, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_unix_connection(path, limit=READ_BUFFER_LIMIT)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error) or "timed out connecting") from error
        except OSError as error:
            raise httpcore.ConnectError(str(error) or type(error).__name__) from error
        return _stream(reader, writer, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _stream(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    socket_options: Iterable[SocketOption] | None,
) -> AsyncioStream:
    try:
        _apply_socket_options(writer, socket_options)
    except OSError as error:
        writer.transport.abort()
        raise httpcore.ConnectError(str(error) or type(error).__name__) from error
    return AsyncioStream(reader, writer)


# -- the httpx transport ----------------------------------------------------------------------

#: httpcore's exceptions and httpx's, most specific first (as httpx's own transport maps them).
_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _httpx_exceptions() -> Iterator[None]:
    """httpcore's exceptions as httpx's, which is what callers catch (``httpx.HTTPError``)."""
    try:
        yield
    except Exception as error:
        for source, target in _EXCEPTIONS:
            if isinstance(error, source):
                raise target(str(error)) from error
        raise


class _ResponseStream(httpx.AsyncByteStream):
    """A response body straight from the connection, chunk by chunk (never buffered whole)."""

    def __init__(self, body: Any) -> None:
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_exceptions():
            async for part in self._body:
                yield part

    async def aclose(self) -> None:
        close = getattr(self._body, "aclose", None)
        if close is not None:
            with _httpx_exceptions():
                await close()


class LinearConnectionPool(httpcore.AsyncConnectionPool):
    """httpcore's pool, with its bookkeeping linear in the number of connections.

    httpcore 1.0 checks every connection for "surplus idle" by building a list of all of them
    per idle one, on each request and each response's end: with ten connections that is a few
    hundred calls per download (469,000 in a 2,000-document sync). The decision is unchanged
    (``len`` of that list is the number of connections); it is only counted once.
    """

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        for connection in list(self._connections):
            if connection.is_closed():
                self._connections.remove(connection)
            elif connection.has_expired() or (
                connection.is_idle() and len(self._connections) > self._max_keepalive_connections
            ):
                self._connections.remove(connection)
                closing.append(connection)
        for pool_request in [request for request in self._requests if request.is_queued()]:
            origin = pool_request.request.url.origin
            available = next(
                (
                    connection
                    for connection in self._connections
                    if connection.can_handle_request(origin) and connection.is_available()
                ),
                None,
            )
            if available is None and len(self._connections) >= self._max_connections:
                idle = next((c for c in self._connections if c.is_idle()), None)
                if idle is None:
                    continue  # the request waits for a connection to come free
                self._connections.remove(idle)
                closing.append(idle)
            if available is None:
                available = self.create_connection(origin)
                self._connections.append(available)
            pool_request.assign_to_connection(available)
        return closing


class AsyncioTransport(httpx.AsyncBaseTransport):
    """httpx's default transport, minus anyio: a connection pool on :class:`AsyncioBackend`.

    Only for direct connections (no proxy): HTTP/1.1, no retries, the same certificate checks as
    httpx's own transport (``httpx.create_ssl_context``, which honours ``SSL_CERT_FILE`` and
    ``SSL_CERT_DIR`` when ``trust_env``).
    """

    def __init__(
        self,
        *,
        verify: ssl.SSLContext | bool = True,
        trust_env: bool = True,
        limits: httpx.Limits | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
        network_backend: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        ssl_context = (
            verify
            if isinstance(verify, ssl.SSLContext)
            else httpx.create_ssl_context(verify=verify, trust_env=trust_env)
        )
        self._pool: httpcore.AsyncConnectionPool = LinearConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            retries=0,
            local_address=local_address,
            socket_options=socket_options,
            network_backend=network_backend or AsyncioBackend(),
        )

    async def __aenter__(self) -> Self:
        await self._pool.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        with _httpx_exceptions():
            await self._pool.__aexit__(exc_type, exc_value, traceback)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(request.stream, httpx.AsyncByteStream):
            raise TypeError("AsyncioTransport needs an asynchronous request body")
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_exceptions():
            response = await self._pool.handle_async_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


# -- the system's proxies, for a client with its own transport ----------------------------------


def environment_proxies() -> dict[str, str | None]:
    """The proxies the system asks for, as URL patterns: httpx's ``trust_env`` reading of them.

    httpx only reads them itself when a client has no transport of its own, so a client with an
    :class:`AsyncioTransport` has to be given them as mounts. This is httpx 0.28's
    ``get_environment_proxies`` (urllib's ``getproxies``, which also reads Windows' and macOS's
    settings, then ``NO_PROXY`` as curl reads it); a pattern mapped to None is reached directly.
    """
    info = urllib.request.getproxies()
    patterns: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        if info.get(scheme):
            address = info[scheme]
            patterns[f"{scheme}://"] = address if "://" in address else f"http://{address}"
    for entry in (host.strip() for host in info.get("no", "").split(",")):
        if entry == "*":  # no proxy for anything
            return {}
        if not entry:
            continue
        if "://" in entry:
            patterns[entry] = None
        elif _is_ip(entry, ipaddress.IPv4Address) or entry.lower() == "localhost":
            patterns[f"all://{entry}"] = None
        elif _is_ip(entry, ipaddress.IPv6Address):
            patterns[f"all://[{entry}]"] = None
        else:  # example.com also covers www.example.com; .example.com only the latter
            patterns[f"all://*{entry}"] = None
    return patterns


def _is_ip(host: str, kind: type[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> bool:
    try:
        kind(host.split("/")[0])
    except ValueError:
        return False
    return True


def environment_proxy_mounts(
    limits: httpx.Limits,
) -> dict[str, httpx.AsyncBaseTransport | None]:
    """:func:`environment_proxies` as ``httpx.AsyncClient(mounts=...)``, with the transports
    httpx would have made for them itself (its own, through the proxy, trusting the
    environment); None sends a request to the client's own transport."""
    return {
        pattern: None
        if url is None
        else httpx.AsyncHTTPTransport(trust_env=True, limits=limits, proxy=httpx.Proxy(url=url))
        for pattern, url in environment_proxies().items()
    }
