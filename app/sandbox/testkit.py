"""Drive a running sandbox from code: log in through its real login form, and use its admin API.

For tests (this project's and the engine's), benchmarks and scripts. ``login_with_password``
walks the same path a browser does — GET the authorization endpoint, read the HTML form, POST the
credentials, follow the redirect to the loopback address, exchange the code with the PKCE
verifier — without a browser and without a listener (the redirect is read, not followed).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import httpx

from app.api.models import (
    Client,
    Document,
    FaultSettings,
    SandboxDocument,
    Task,
)

CLIENT_ID = "ferry-desktop"
DEFAULT_SCOPE = "openid offline_access documents"
DEFAULT_REDIRECT_URI = "http://127.0.0.1:53682/callback"


@dataclass(frozen=True)
class TokenSet:
    """What the token endpoint answered."""

    access_token: str
    refresh_token: str
    expires_in: int
    scope: str
    id_token: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_response(cls, body: Mapping[str, Any]) -> TokenSet:
        return cls(
            access_token=body["access_token"],
            refresh_token=body["refresh_token"],
            expires_in=int(body["expires_in"]),
            scope=body.get("scope", ""),
            id_token=body.get("id_token"),
            raw=dict(body),
        )

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


class LoginFailed(RuntimeError):
    """The login did not produce a code; the message has what the provider said."""


def new_pkce() -> tuple[str, str]:
    """A fresh (code_verifier, S256 code_challenge) pair (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.inputs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and self.action is None:
            self.action = values.get("action", "")
        elif tag == "input" and "name" in values:
            self.inputs[values["name"]] = values.get("value", "")


def read_login_form(html: str) -> tuple[str, dict[str, str]]:
    """The form's action and its input fields (hidden ones carry the login's id)."""
    reader = _FormReader()
    reader.feed(html)
    if reader.action is None:
        raise LoginFailed("the page has no login form")
    return reader.action, reader.inputs


@dataclass(frozen=True)
class AuthorizationResult:
    """Where the provider sent the browser back: the query of the redirect."""

    location: str
    params: dict[str, str]

    @property
    def code(self) -> str:
        if "code" not in self.params:
            raise LoginFailed(f"no code in the redirect: {self.params}")
        return self.params["code"]


def authorize(
    http: httpx.Client,
    issuer: str,
    *,
    username: str = "demo",
    password: str = "demo",  # noqa: S107 - the sandbox's documented demo login
    code_challenge: str,
    code_challenge_method: str = "S256",
    redirect_uri: str = DEFAULT_REDIRECT_URI,
    scope: str = DEFAULT_SCOPE,
    state: str | None = None,
    nonce: str | None = None,
) -> AuthorizationResult:
    """The browser's part: authorization request, login form, redirect back (not followed)."""
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "code_challenge": code_challenge,
        "code_challenge_method": code_challenge_method,
    }
    if state is not None:
        params["state"] = state
    if nonce is not None:
        params["nonce"] = nonce
    page = http.get(f"{issuer}/protocol/openid-connect/auth", params=params)
    if page.status_code in (302, 303):
        return _redirect(page)
    if page.status_code != 200:
        raise LoginFailed(f"authorization page answered {page.status_code}: {page.text[:300]}")
    action, inputs = read_login_form(page.text)
    inputs.update(username=username, password=password, action="login")
    answer = http.post(urljoin(str(page.url), action), data=inputs)
    if answer.status_code not in (302, 303):
        raise LoginFailed(f"login was refused ({answer.status_code})")
    return _redirect(answer)


def _redirect(response: httpx.Response) -> AuthorizationResult:
    location = response.headers["location"]
    query = parse_qs(urlsplit(location).query, keep_blank_values=True)
    return AuthorizationResult(location, {k: v[0] for k, v in query.items()})


def exchange_code(
    http: httpx.Client,
    issuer: str,
    code: str,
    code_verifier: str,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
) -> httpx.Response:
    return http.post(
        f"{issuer}/protocol/openid-connect/token",
        data={
            "grant_type": "authorization_code",
            "client_id": CLIENT_ID,
            "code": code,
            "code_verifier": code_verifier,
            "redirect_uri": redirect_uri,
        },
    )


def refresh_tokens(http: httpx.Client, issuer: str, refresh_token: str) -> httpx.Response:
    return http.post(
        f"{issuer}/protocol/openid-connect/token",
        data={
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "refresh_token": refresh_token,
        },
    )


def login_with_password(
    base_url: str,
    realm: str = "be",
    *,
    username: str = "demo",
    password: str = "demo",  # noqa: S107 - the sandbox's documented demo login
    scope: str = DEFAULT_SCOPE,
) -> TokenSet:
    """Log in to a sandbox realm the way a browser would and return the tokens.

    ``base_url`` is the sandbox's address (``SandboxServer.url``). Raises LoginFailed when the
    credentials or the flow are refused.
    """
    issuer = f"{base_url.rstrip('/')}/realms/{realm}"
    verifier, challenge = new_pkce()
    state = secrets.token_urlsafe(12)
    with httpx.Client(timeout=30) as http:
        result = authorize(
            http,
            issuer,
            username=username,
            password=password,
            code_challenge=challenge,
            scope=scope,
            state=state,
            nonce=secrets.token_urlsafe(12),
        )
        if result.params.get("state") != state:
            raise LoginFailed("the redirect carried another state")
        answer = exchange_code(http, issuer, result.code, verifier)
        if answer.status_code != 200:
            raise LoginFailed(f"token endpoint answered {answer.status_code}: {answer.text}")
        return TokenSet.from_response(answer.json())


def _multipart_file_header(name: str, media_type: str) -> bytes:
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in name)
    return (
        f'Content-Disposition: form-data; name="file"; filename="{fallback}"; '
        f"filename*=UTF-8''{quote(name, safe='')}\r\nContent-Type: {media_type}\r\n\r\n"
    ).encode()


def encode_document_upload(
    fields: Mapping[str, str], files: Iterable[tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    """A multipart body whose file names survive exactly (RFC 5987 ``filename*``)."""
    boundary = f"ferry-{secrets.token_hex(12)}"
    out = bytearray()
    for key, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
        out += value.encode() + b"\r\n"
    for name, content, media_type in files:
        out += f"--{boundary}\r\n".encode() + _multipart_file_header(name, media_type)
        out += content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


class SandboxAdmin:
    """The admin API (``/sandbox/...``) of a running sandbox, with typed answers."""

    def __init__(self, base_url: str, *, timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(base_url=f"{self.base_url}/sandbox", timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> SandboxAdmin:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _ok(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise RuntimeError(
                f"sandbox admin {response.request.method} {response.request.url} answered "
                f"{response.status_code}: {response.text}"
            )
        return response.json()

    def add_client(
        self,
        realm: str,
        name: str,
        vat_number: str,
        *,
        country: str = "BE",
        accounting_file_id: str = "",
        shares_documents: bool = True,
    ) -> Client:
        return Client.model_validate(
            self._ok(
                self.http.post(
                    f"/realms/{realm}/clients",
                    json={
                        "name": name,
                        "vat_number": vat_number,
                        "country": country,
                        "accounting_file_id": accounting_file_id,
                        "shares_documents": shares_documents,
                    },
                )
            )
        )

    def clients(self, realm: str) -> list[Client]:
        body = self._ok(self.http.get(f"/realms/{realm}/clients"))
        return [Client.model_validate(c) for c in body["items"]]

    def add_document(
        self,
        realm: str,
        client_id: str,
        kind: str,
        files: Iterable[tuple[str, bytes, str]],
        *,
        number: str | None = None,
        issue_date: dt.date | None = None,
        amount: Decimal | str | None = None,
        currency: str | None = None,
        counterparty: str | None = None,
    ) -> Document:
        """Upload a document; ``files`` are (name, content, media type), names kept exactly."""
        fields = {"client_id": client_id, "kind": kind}
        for key, value in (
            ("number", number),
            ("issue_date", issue_date),
            ("amount", amount),
            ("currency", currency),
            ("counterparty", counterparty),
        ):
            if value is not None:
                fields[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
        body, content_type = encode_document_upload(fields, files)
        return Document.model_validate(
            self._ok(
                self.http.post(
                    f"/realms/{realm}/documents",
                    content=body,
                    headers={"Content-Type": content_type},
                )
            )
        )

    def add_documents_bulk(
        self,
        realm: str,
        client_id: str,
        count: int,
        *,
        kind: str = "purchase",
        prefix: str = "BULK",
        file_size: int = 2048,
        status: str = "to_fetch",
    ) -> dict[str, Any]:
        """``count`` documents at once, one file each sharing one content (see the admin
        route): an office's whole history in seconds. Returns ``added``, ``id_prefix`` (each
        id is it and the document's index in 8 hex digits) and the feed's ``cursor`` after."""
        body = self._ok(
            self.http.post(
                f"/realms/{realm}/documents/bulk",
                json={
                    "client_id": client_id,
                    "kind": kind,
                    "count": count,
                    "prefix": prefix,
                    "file_size": file_size,
                    "status": status,
                },
                timeout=max(60.0, count / 5000),
            )
        )
        return dict(body)

    def document(self, realm: str, document_id: str) -> SandboxDocument:
        return SandboxDocument.model_validate(
            self._ok(self.http.get(f"/realms/{realm}/documents/{document_id}"))
        )

    def add_task(
        self,
        realm: str,
        kind: str,
        *,
        client_id: str | None = None,
        document_ids: Iterable[str] = (),
    ) -> Task:
        return Task.model_validate(
            self._ok(
                self.http.post(
                    f"/realms/{realm}/tasks",
                    json={"kind": kind, "client_id": client_id, "document_ids": list(document_ids)},
                )
            )
        )

    def task(self, realm: str, task_id: str) -> Task:
        return Task.model_validate(self._ok(self.http.get(f"/realms/{realm}/tasks/{task_id}")))

    def set_faults(self, **switches: float | int | None) -> FaultSettings:
        """E.g. ``set_faults(error_rate=1.0)``; switches not named are off."""
        return FaultSettings.model_validate(self._ok(self.http.put("/faults", json=switches)))

    def clear_faults(self) -> FaultSettings:
        return FaultSettings.model_validate(self._ok(self.http.delete("/faults")))

    def revoke_user(self, realm: str, username: str = "demo") -> int:
        body = self._ok(self.http.post(f"/realms/{realm}/users/{username}/revoke"))
        return int(body["revoked_logins"])
