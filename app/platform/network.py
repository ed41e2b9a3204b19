"""The HTTP transport under Ferry's one shared httpx client: aiohttp's connection pool.

httpx reaches the network through httpcore by default: a pure-Python HTTP/1.1 parser (h11) and a
pool that goes through anyio and sniffio on every request. In the engine's first full sync that
stack was most of the event loop's CPU, and the loop's thread is the engine's critical path (it
also hands every file to the file threads). aiohttp does the same job with its HTTP parser and
buffers in C: measured with ``bench/bench_engine.py``, the loop's CPU per download fell by a
quarter to a third, and the engine went from 0.51-0.76 of the baseline's documents per second
to 0.84-0.97.

:class:`AiohttpTransport` is an ``httpx.AsyncBaseTransport``, so everything above it stays httpx
(the client, its auth flow, timeouts, the exceptions every caller catches). It is for direct
connections: a proxy gets httpx's own transport (see :func:`environment_proxy_mounts`). Every
aiohttp failure comes out as the httpx exception httpx's own transport raises for it, so the
engine's "unreachable", "timed out" and "cut" messages do not depend on the transport.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import ssl
import urllib.request
from collections.abc import AsyncIterator, Iterator, Sequence
from types import TracebackType
from typing import Self

import aiohttp
import httpx
import multidict
import yarl

#: How many bytes aiohttp reads ahead from a socket before it stops reading (its default since
#: 3.11): a whole small document while the previous one is still being handed on.
READ_BUFFER = 256 * 1024

#: aiohttp adds these when a request lacks them; httpx has already put in the ones it means to
#: send, so none are added behind its back (a POST without a body type stays without one).
_NOT_ADDED = frozenset({"Accept", "Accept-Encoding", "User-Agent", "Content-Type"})

#: aiohttp's exceptions and the httpx ones its own transport raises for the same failure, most
#: specific first (a certificate refused is a ``ClientConnectorError`` and a ``ClientSSLError``).
_EXCEPTIONS: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.SocketTimeoutError, httpx.ReadTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
    (aiohttp.ClientConnectorError, httpx.ConnectError),  # refused, unknown host, TLS refused
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),  # a body cut short
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),  # not an HTTP answer
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
    (aiohttp.NonHttpUrlClientError, httpx.UnsupportedProtocol),
    (aiohttp.ClientOSError, httpx.ReadError),  # reset by the peer
    (aiohttp.ClientConnectionError, httpx.NetworkError),
    (aiohttp.ClientError, httpx.TransportError),
    (TimeoutError, httpx.TimeoutException),
)


@contextlib.contextmanager
def _httpx_exceptions() -> Iterator[None]:
    """aiohttp's exceptions as httpx's, which is what callers catch (``httpx.HTTPError``)."""
    try:
        yield
    except Exception as error:
        for source, target in _EXCEPTIONS:
            if isinstance(error, source):
                raise target(str(error) or type(error).__name__) from error
        raise


def _timeout(request: httpx.Request) -> aiohttp.ClientTimeout:
    """httpx's four timeouts in aiohttp's terms. aiohttp's ``connect`` covers waiting for a
    free connection and opening one (httpx's ``pool``); it has no write timeout: a request
    body here is a few kilobytes of JSON, and a stuck write ends in the read timeout."""
    timeouts = request.extensions.get("timeout", {})
    return aiohttp.ClientTimeout(
        total=None,
        connect=timeouts.get("pool"),
        sock_connect=timeouts.get("connect"),
        sock_read=timeouts.get("read"),
    )


class _ResponseStream(httpx.AsyncByteStream):
    """A response body as it arrives, whatever the socket had (never buffered whole)."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_exceptions():
            while chunk := await self._response.content.readany():
                yield chunk

    async def aclose(self) -> None:
        # Back to the pool when the body was read to its end; closed when it was not (a
        # download abandoned half-way leaves bytes on the connection that nobody will read).
        self._response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Direct HTTP/1.1 connections from aiohttp's pool, behind httpx's API.

    The same certificate checks as httpx's own transport (``httpx.create_ssl_context``, which
    honours ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` when ``trust_env``); no cookies, redirects
    or decompression here, since httpx does those itself. Up to ``limits.max_connections``
    connections, all of them kept alive for ``limits.keepalive_expiry``. The aiohttp session is
    made on the first request, in the event loop that uses it. ``trace_configs`` are aiohttp's
    hooks (the tests count connections with them).
    """

    def __init__(
        self,
        *,
        verify: ssl.SSLContext | bool = True,
        trust_env: bool = True,
        limits: httpx.Limits | None = None,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
    ) -> None:
        self._limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._ssl = (
            verify
            if isinstance(verify, ssl.SSLContext)
            else httpx.create_ssl_context(verify=verify, trust_env=trust_env)
        )
        self._trace_configs = list(trace_configs)
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    def _open_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError("this transport is closed")
        connector = aiohttp.TCPConnector(
            limit=self._limits.max_connections or 0,  # 0: no limit, as httpx's None
            keepalive_timeout=self._limits.keepalive_expiry,
            ssl=self._ssl,
        )
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            trust_env=False,  # proxies are httpx's business: see environment_proxy_mounts
            read_bufsize=READ_BUFFER,
            trace_configs=self._trace_configs or None,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.aclose()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._session is None:
            self._session = self._open_session()
        body = await request.aread()
        with _httpx_exceptions():
            response = await self._session.request(
                request.method,
                yarl.URL(str(request.url), encoded=True),  # httpx has already encoded it
                headers=multidict.CIMultiDict(
                    (name.decode("latin-1"), value.decode("latin-1"))
                    for name, value in request.headers.raw  # as httpx spelled them
                ),
                data=body or None,
                skip_auto_headers=_NOT_ADDED,
                allow_redirects=False,
                timeout=_timeout(request),
                server_hostname=request.extensions.get("sni_hostname"),
            )
        extensions: dict[str, object] = {"http_version": b"HTTP/1.1"}
        if response.reason:
            extensions["reason_phrase"] = response.reason.encode("ascii", "replace")
        return httpx.Response(
            status_code=response.status,
            headers=list(response.raw_headers),
            stream=_ResponseStream(response),
            extensions=extensions,
        )

    async def aclose(self) -> None:
        self._closed = True
        session, self._session = self._session, None
        if session is not None:
            await session.close()
            # Let the closed sockets' transports run their last callbacks in this loop, so
            # that no "unclosed transport" warning is left for the loop's end.
            await asyncio.sleep(0)


# -- the system's proxies, for a client with its own transport ----------------------------------


def environment_proxies() -> dict[str, str | None]:
    """The proxies the system asks for, as URL patterns: httpx's ``trust_env`` reading of them.

    httpx only reads them itself when a client has no transport of its own, so a client with an
    :class:`AiohttpTransport` has to be given them as mounts. This is httpx 0.28's
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
