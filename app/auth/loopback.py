"""The loopback redirect listener of a native-app login (RFC 8252, section 7.3).

It listens on 127.0.0.1 only, on a port the OS picks (or, for a login server that only accepts
redirect URIs registered with their port, on the first free one of the region's fixed ports),
and keeps serving until a request with the expected ``state`` arrives: a browser's favicon
request, a stale tab or a forged link gets an error page and the login goes on waiting. The
right request is answered only once the login is settled, so the page the person sees says
truthfully whether it worked.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hmac
import html
import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from app.auth.oidc import LoginError
from app.core.language import FALLBACK, Language

log = logging.getLogger(__name__)

# In use by another program; or, on Windows, reserved (Hyper-V's excluded port ranges answer
# WSAEACCES, which Python reports under its own number).
_PORT_TAKEN = {errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEACCES", errno.EACCES)}

MAX_REQUEST_BYTES = 16 * 1024
READ_TIMEOUT_S = 10.0
VERDICT_TIMEOUT_S = 60.0


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is this computer: the one place a login or a key may go over plain
    http (nothing crosses a network to be read on the way)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_elsewhere(url: str) -> bool:
    """Whether ``url`` would send a login over plain http to another computer."""
    try:
        parts = urlsplit(url.strip())
        return parts.scheme != "https" and not (
            parts.scheme == "http" and is_loopback_host(parts.hostname or "")
        )
    except ValueError:
        return True


class LoginCancelled(Exception):
    """The person cancelled the login."""


class LoginTimedOut(Exception):
    """Nobody finished the login in the browser in time."""


class RedirectPortsBusy(LoginError):
    """Every fixed redirect port is taken by another program; the message names them."""

    def __init__(self, ports: Sequence[int]) -> None:
        self.ports = tuple(ports)
        listed = ", ".join(str(port) for port in self.ports)
        many = len(self.ports) > 1
        super().__init__(
            f"the login server only sends the browser back to port{'s' if many else ''} "
            f"{listed} on this computer, and {'all are' if many else 'it is'} in use by "
            "another program (perhaps another login still waiting); close it and try again"
        )


@dataclass(frozen=True)
class Callback:
    """The parameters the authorization server sent back to the redirect URI."""

    params: dict[str, str]

    @property
    def code(self) -> str | None:
        return self.params.get("code")

    @property
    def error(self) -> str | None:
        return self.params.get("error")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    detail: str = ""


class LoopbackListener:
    """Waits for the one redirect that belongs to this login."""

    def __init__(
        self,
        state: str,
        *,
        path: str = "/callback",
        ports: Sequence[int] = (),
        language: Language = FALLBACK,
    ) -> None:
        """``ports``: the fixed ports a login server registered, tried in order; none means a
        port the OS picks (RFC 8252 7.3, the best choice where the server allows it)."""
        self._state = state
        self._path = path
        self._ports = tuple(ports)
        self._language = language
        self._server: asyncio.Server | None = None
        self._callback: asyncio.Future[Callback] | None = None
        self._verdict: asyncio.Future[Verdict] | None = None
        self.redirect_uri = ""

    async def start(self) -> str:
        """Start listening; returns the redirect URI to put in the authorization request."""
        loop = asyncio.get_running_loop()
        self._callback = loop.create_future()
        self._verdict = loop.create_future()
        self._server = await self._listen()
        port = self._server.sockets[0].getsockname()[1]
        self.redirect_uri = f"http://127.0.0.1:{port}{self._path}"
        return self.redirect_uri

    async def _listen(self) -> asyncio.Server:
        if not self._ports:
            return await asyncio.start_server(self._serve, host="127.0.0.1", port=0)
        for port in self._ports:
            try:
                return await asyncio.start_server(self._serve, host="127.0.0.1", port=port)
            except OSError as error:
                if error.errno not in _PORT_TAKEN:
                    raise
                log.info("redirect port %s is taken; trying the next one", port)
        raise RedirectPortsBusy(self._ports)

    async def wait(self, timeout: float) -> Callback:
        """The matching callback; :class:`LoginTimedOut` or :class:`LoginCancelled` otherwise."""
        assert self._callback is not None, "start() first"
        try:
            return await asyncio.wait_for(asyncio.shield(self._callback), timeout)
        except TimeoutError:
            raise LoginTimedOut() from None

    def cancel(self) -> None:
        if self._callback is not None and not self._callback.done():
            self._callback.set_exception(LoginCancelled())

    def settle(self, verdict: Verdict) -> None:
        """Tell the waiting browser how the login ended."""
        if self._verdict is not None and not self._verdict.done():
            self._verdict.set_result(verdict)

    async def close(self) -> None:
        self.settle(Verdict(False, _TEXT["closed"][self._language]))
        if self._callback is not None and not self._callback.done():
            self._callback.cancel()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)
            self._server = None

    # -- one connection ------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT_S)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            writer.close()
            return
        try:
            await self._answer(head[:MAX_REQUEST_BYTES], writer)
        except (ConnectionError, OSError) as error:
            log.debug("the browser went away before the login page was sent: %s", error)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _answer(self, head: bytes, writer: asyncio.StreamWriter) -> None:
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = request_line.split(" ")
        if len(parts) != 3 or parts[0] not in ("GET", "HEAD"):
            await _respond(writer, 405, self._page("bad_request"))
            return
        target = urlsplit(parts[1])
        if target.path != self._path:
            await _respond(writer, 404, self._page("not_found"))
            return
        params = dict(parse_qsl(target.query, keep_blank_values=True))
        state = params.get("state", "")
        if not hmac.compare_digest(state.encode(), self._state.encode()):
            log.warning("ignored a login redirect with a wrong or missing state")
            await _respond(writer, 400, self._page("wrong_state"))
            return
        assert self._callback is not None and self._verdict is not None
        if self._callback.done():
            await _respond(writer, 400, self._page("already_used"))
            return
        self._callback.set_result(Callback(params))
        try:
            verdict = await asyncio.wait_for(asyncio.shield(self._verdict), VERDICT_TIMEOUT_S)
        except TimeoutError:
            verdict = Verdict(False, _TEXT["closed"][self._language])
        if verdict.ok:
            await _respond(writer, 200, self._page("success", verdict.detail))
        else:
            await _respond(writer, 400, self._page("failure", verdict.detail))

    def _page(self, key: str, detail: str = "") -> str:
        language = self._language
        title = _TEXT["title"][language]
        body = _TEXT[key][language].format(detail=html.escape(detail))
        return (
            f'<!doctype html><html lang="{language.value}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:36em;"
            "margin:4em auto;padding:0 1em;color:#1d2733}h1{font-size:1.4em}</style></head>"
            f"<body><h1>{title}</h1><p>{body}</p></body></html>"
        )


async def _respond(writer: asyncio.StreamWriter, status: int, page: str) -> None:
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}[status]
    body = page.encode("utf-8")
    writer.write(
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\n"
        "Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n".encode("latin-1")
        + body
    )
    await writer.drain()


_TEXT: dict[str, dict[Language, str]] = {
    "title": {Language.EN: "Ferry", Language.FR: "Ferry", Language.NL: "Ferry"},
    "success": {
        Language.EN: "You are logged in to Ferry{detail}; you can close this tab.",
        Language.FR: "Vous êtes connecté à Ferry{detail} ; vous pouvez fermer cet onglet.",
        Language.NL: "U bent aangemeld bij Ferry{detail}; u kunt dit tabblad sluiten.",
    },
    "failure": {
        Language.EN: "Ferry could not log you in: {detail}. Go back to Ferry and try again.",
        Language.FR: "Ferry n'a pas pu vous connecter : {detail}. Retournez dans Ferry et "
        "réessayez.",
        Language.NL: "Ferry kon u niet aanmelden: {detail}. Ga terug naar Ferry en probeer "
        "opnieuw.",
    },
    "wrong_state": {
        Language.EN: "This login link does not belong to the login Ferry is waiting for. Start "
        "the login again from Ferry.",
        Language.FR: "Ce lien de connexion ne correspond pas à la connexion qu'attend Ferry. "
        "Relancez la connexion depuis Ferry.",
        Language.NL: "Deze aanmeldlink hoort niet bij de aanmelding waarop Ferry wacht. Start "
        "de aanmelding opnieuw vanuit Ferry.",
    },
    "already_used": {
        Language.EN: "This login was already completed. You can close this tab.",
        Language.FR: "Cette connexion est déjà terminée. Vous pouvez fermer cet onglet.",
        Language.NL: "Deze aanmelding is al afgerond. U kunt dit tabblad sluiten.",
    },
    "not_found": {
        Language.EN: "Nothing here. Ferry is waiting for the login to finish.",
        Language.FR: "Rien ici. Ferry attend la fin de la connexion.",
        Language.NL: "Niets hier. Ferry wacht tot de aanmelding klaar is.",
    },
    "bad_request": {
        Language.EN: "Ferry did not understand this request.",
        Language.FR: "Ferry n'a pas compris cette requête.",
        Language.NL: "Ferry begreep dit verzoek niet.",
    },
    "closed": {
        Language.EN: "the login was stopped in Ferry",
        Language.FR: "la connexion a été interrompue dans Ferry",
        Language.NL: "de aanmelding werd in Ferry gestopt",
    },
}
