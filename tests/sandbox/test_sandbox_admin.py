"""The admin API: clients, uploads with hostile file names kept exactly, tasks, loopback only."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from app.api.models import Document
from app.sandbox.app import create_app
from app.sandbox.multipart import parse_content_disposition
from app.sandbox.testkit import SandboxAdmin

Api = Callable[..., httpx.Client]

HOSTILE_NAMES = [
    "../../x",
    "..\\..\\x.xml",
    "C:\\Windows\\x",
    "\\\\server\\share\\evil.pdf",
    "/etc/passwd",
    "CON.xml",
    "nul",
    "trailing dot.",
    "trailing space ",
    "tab\there.pdf",
    "new\nline.xml",
    "bell\x07\x01\x1f.pdf",
    'quote"in"name.pdf',
    "semi;colon=eq.pdf",
    "percent%22literal%0A.pdf",
    "a" * 300,
    "é ü ß 日本語 🧾.pdf",
    "Invoice.PDF",
    "invoice.pdf",
    " ",
]


def _sharing_client(admin: SandboxAdmin, realm: str = "be") -> str:
    return next(c for c in admin.clients(realm) if c.shares_documents).id


def test_add_client_then_seen_by_the_api(sandbox_admin: SandboxAdmin, sandbox_api: Api) -> None:
    client = sandbox_admin.add_client(
        "nl", "Bakkerij Jansen BV", "NL123456782B01", country="NL", accounting_file_id="D-0042"
    )
    assert client.shares_documents and client.linked_since is not None
    listed = sandbox_api("nl").get("/clients", params={"limit": 500}).json()["items"]
    assert any(c["id"] == client.id and c["accounting_file_id"] == "D-0042" for c in listed)


def test_hostile_file_names_are_kept_exactly(sandbox_admin: SandboxAdmin, sandbox_api: Api) -> None:
    files = [
        (name, f"content {i}".encode(), "application/pdf") for i, name in enumerate(HOSTILE_NAMES)
    ]
    document = sandbox_admin.add_document("be", _sharing_client(sandbox_admin), "other", files)
    assert [f.name for f in document.files] == HOSTILE_NAMES
    api = sandbox_api("be")
    seen = Document.model_validate(api.get(f"/documents/{document.id}").json())
    assert [f.name for f in seen.files] == HOSTILE_NAMES
    for (_name, content, _media), file in zip(files, seen.files, strict=True):
        body = api.get(f"/documents/{document.id}/files/{file.id}")
        assert body.content == content
        assert body.headers["content-disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    "name",
    [
        "../../x",
        "C:\\Windows\\x",
        "CON.xml",
        "ctrl\x01\x02\x1f.pdf",
        'quote".pdf',
        "a" * 300,
        "new\r\nline.xml",
        "日本語.pdf",
    ],
)
def test_plain_httpx_uploads_keep_names_too(
    sandbox_admin: SandboxAdmin, sandbox_url: str, name: str
) -> None:
    """A client that sends only ``filename="..."`` (HTML5 escaping, as httpx does)."""
    answer = httpx.post(
        f"{sandbox_url}/sandbox/realms/be/documents",
        data={"client_id": _sharing_client(sandbox_admin), "kind": "receipt"},
        files={"file": (name, b"bytes", "application/pdf")},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["files"][0]["name"] == name


def test_content_disposition_decoding() -> None:
    raw = 'form-data; name="file"; filename="a\\\\b%22c"; filename*=UTF-8\'\'x%2F%0Ay'
    assert parse_content_disposition(raw)["filename*"] == "x/\ny"
    assert parse_content_disposition(raw)["filename"] == 'a\\b"c'
    assert parse_content_disposition('form-data; name="f"; filename="a;b"')["filename"] == "a;b"


def test_upload_fields_are_kept(sandbox_admin: SandboxAdmin) -> None:
    import datetime as dt
    from decimal import Decimal

    document = sandbox_admin.add_document(
        "be",
        _sharing_client(sandbox_admin),
        "sales",
        [("s.xml", b"<x/>", "application/xml")],
        number="V-2026-0001",
        issue_date=dt.date(2026, 1, 31),
        amount="1234.50",
        currency="eur",
        counterparty="Acme NV",
    )
    assert (
        document.number,
        document.issue_date,
        document.amount,
        document.currency,
        document.counterparty,
    ) == ("V-2026-0001", dt.date(2026, 1, 31), Decimal("1234.50"), "EUR", "Acme NV")
    assert document.status.value == "to_fetch"
    assert document.files[0].media_type == "application/xml"


@pytest.mark.parametrize(
    ("fields", "with_file", "status"),
    [
        ({"kind": "purchase"}, True, 422),
        ({"client_id": "CLIENT", "kind": "letter"}, True, 422),
        ({"client_id": "CLIENT", "kind": "purchase"}, False, 422),
        ({"client_id": "cli_missing", "kind": "purchase"}, True, 404),
        ({"client_id": "CLIENT", "kind": "purchase", "amount": "12,50"}, True, 422),
        ({"client_id": "CLIENT", "kind": "purchase", "amount": "NaN"}, True, 422),
        ({"client_id": "CLIENT", "kind": "purchase", "issue_date": "31/01/2026"}, True, 422),
        ({"client_id": "CLIENT", "kind": "purchase", "currency": "EURO"}, True, 422),
    ],
)
def test_bad_uploads_are_clear_problems(
    sandbox_admin: SandboxAdmin,
    sandbox_url: str,
    fields: dict[str, str],
    with_file: bool,
    status: int,
) -> None:
    client = _sharing_client(sandbox_admin)
    data = {k: (client if v == "CLIENT" else v) for k, v in fields.items()}
    files = {"file": ("a.pdf", b"x", "application/pdf")} if with_file else {"other": ("a", b"x")}
    answer = httpx.post(f"{sandbox_url}/sandbox/realms/be/documents", data=data, files=files)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"]


def test_malformed_multipart_is_400(sandbox_url: str) -> None:
    answer = httpx.post(
        f"{sandbox_url}/sandbox/realms/be/documents",
        content=b"not multipart",
        headers={"Content-Type": "text/plain"},
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"


def test_documents_of_a_client_that_does_not_share_are_refused(
    sandbox_admin: SandboxAdmin,
) -> None:
    client = sandbox_admin.add_client("be", "Private SRL", "BE0403170701", shares_documents=False)
    with pytest.raises(RuntimeError, match="409"):
        sandbox_admin.add_document("be", client.id, "purchase", [("a.pdf", b"x", "x/y")])


def test_unknown_realm_is_404(sandbox_url: str) -> None:
    answer = httpx.post(
        f"{sandbox_url}/sandbox/realms/xx/clients",
        json={"name": "n", "vat_number": "v", "country": "BE"},
    )
    assert answer.status_code == 404
    assert "be, nl, fr, lu" in answer.json()["detail"]


def test_tasks_need_what_their_kind_needs(sandbox_url: str) -> None:
    answer = httpx.post(f"{sandbox_url}/sandbox/realms/be/tasks", json={"kind": "full_sync"})
    assert answer.status_code == 422
    answer = httpx.post(
        f"{sandbox_url}/sandbox/realms/be/tasks",
        json={"kind": "resend", "document_ids": ["doc_missing"]},
    )
    assert answer.status_code == 404


def test_fault_settings_round_trip_and_validation(
    sandbox_admin: SandboxAdmin, sandbox_url: str
) -> None:
    settings = sandbox_admin.set_faults(latency_ms=5, error_rate=0.25)
    assert settings.latency_ms == 5 and settings.error_rate == 0.25 and settings.drop_rate == 0
    assert httpx.get(f"{sandbox_url}/sandbox/faults").json()["error_rate"] == 0.25
    assert sandbox_admin.clear_faults().error_rate == 0
    for bad in ({"error_rate": 2}, {"latency_ms": -1}, {"unknown_switch": 1}):
        answer = httpx.put(f"{sandbox_url}/sandbox/faults", json=bad)
        assert answer.status_code == 422
        assert answer.headers["content-type"] == "application/problem+json"


def test_admin_document_view_shows_realm_and_deliveries(sandbox_admin: SandboxAdmin) -> None:
    document = sandbox_admin.add_document(
        "be", _sharing_client(sandbox_admin), "other", [("a.pdf", b"x", "application/pdf")]
    )
    view = sandbox_admin.document("be", document.id)
    assert view.realm == "be" and view.deliveries == []
    with pytest.raises(RuntimeError, match="404"):
        sandbox_admin.document("nl", document.id)


def test_admin_api_answers_only_loopback_peers(tmp_path: Path) -> None:
    """Served through ASGI with a forged non-loopback peer address."""
    app = create_app(tmp_path, seed_documents=0)

    async def call(peer: str) -> list[int]:
        transport = httpx.ASGITransport(app=app, client=(peer, 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
            return [
                (await http.get("/sandbox/faults")).status_code,
                (await http.put("/sandbox/faults", json={"error_rate": 1})).status_code,
                (await http.post("/sandbox/realms/be/users/demo/revoke")).status_code,
            ]

    assert asyncio.run(call("192.168.1.20")) == [403, 403, 403]
    assert asyncio.run(call("127.0.0.1")) == [200, 200, 200]
    assert asyncio.run(call("::1"))[0] == 200
    app.state.sandbox.store.close()
