"""A small real HTTP forward proxy for tests: it sees every request sent through it.

Plain requests come with an absolute URI (``GET http://host/path``); the proxy forwards those
for a host it was given an upstream for, and answers the others itself with a JSON body saying
what it got. The sandbox always names itself by its own address (``http://127.0.0.1:port``):
in what comes back from an upstream, that address is replaced by the name the client asked
for, so the sandbox looks like a platform that only exists behind the proxy.

``CONNECT`` (what a client sends for ``https://``) is recorded and refused: the tests have no
TLS server behind it; seeing the tunnel asked for is enough.
"""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}


@dataclass(frozen=True)
class Seen:
    """One request the proxy got."""

    method: str
    target: str  # the absolute URI, or host:port for CONNECT
    headers: dict[str, str]
    body: bytes

    @property
    def host(self) -> str:
        if self.method == "CONNECT":
            return self.target.rsplit(":", 1)[0]
        return urlsplit(self.target).hostname or ""


class ForwardProxy:
    """``with ForwardProxy() as proxy:`` serves on ``proxy.url`` (127.0.0.1, a free port)."""

    def __init__(self, upstreams: dict[str, tuple[str, int]] | None = None) -> None:
        self.upstreams = dict(upstreams or {})
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="test-forward-proxy", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def requests(self, host: str | None = None) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if host is None or s.host == host]

    def __enter__(self) -> ForwardProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass  # quiet: the tests look at ``seen``

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {name.lower(): value for name, value in self.headers.items()}
                proxy._record(Seen(self.command, self.path, headers, body))
                parts = urlsplit(self.path)
                if not parts.scheme:  # not a proxy request: a client thought we were the server
                    self._answer(400, b"absolute URI expected", {"Content-Type": "text/plain"})
                    return
                upstream = proxy.upstreams.get(parts.hostname or "")
                if upstream is None:
                    said = {"proxied": self.path, "method": self.command}
                    self._answer(
                        200, json.dumps(said).encode(), {"Content-Type": "application/json"}
                    )
                    return
                path = parts.path or "/"
                if parts.query:
                    path += "?" + parts.query
                connection = http.client.HTTPConnection(*upstream, timeout=60)
                try:
                    forwarded = {k: v for k, v in headers.items() if k not in HOP_BY_HOP}
                    connection.request(self.command, path, body=body or None, headers=forwarded)
                    response = connection.getresponse()
                    origin = f"http://{upstream[0]}:{upstream[1]}"
                    public = f"http://{parts.netloc}"
                    content = response.read().replace(origin.encode(), public.encode())
                    kept = {
                        k: v.replace(origin, public)
                        for k, v in response.getheaders()
                        if k.lower() not in HOP_BY_HOP
                        and k.lower() not in ("content-length", "date", "server")
                    }
                    self._answer(response.status, content, kept)
                finally:
                    connection.close()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _any  # noqa: N815

            def do_CONNECT(self) -> None:
                headers = {name.lower(): value for name, value in self.headers.items()}
                proxy._record(Seen("CONNECT", self.path, headers, b""))
                self._answer(502, b"no tunnel from this test proxy", {"Connection": "close"})
                self.close_connection = True

        return Handler
