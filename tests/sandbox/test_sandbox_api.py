"""Every resource of ``/api/v1`` over real HTTP: office, clients, documents, files, delivery
reports, resend, tasks, errors and realm isolation."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.api.models import (
    ChangePage,
    ClientPage,
    Document,
    DocumentPage,
    Office,
    ResendResult,
    Task,
    TaskPage,
)
from app.sandbox.testkit import SandboxAdmin

Api = Callable[..., httpx.Client]


def _all_documents(api: httpx.Client, **params: Any) -> list[Document]:
    items: list[Document] = []
    cursor = None
    while True:
        page = DocumentPage.model_validate(
            api.get("/documents", params={**params, "cursor": cursor, "limit": 5}).json()
        )
        items += page.items
        if page.next_cursor is None:
            return items
        cursor = page.next_cursor


def _new_document(
    admin: SandboxAdmin, realm: str = "be", content: bytes = b"%PDF-1.7 x"
) -> Document:
    client = next(c for c in admin.clients(realm) if c.shares_documents)
    return admin.add_document(
        realm, client.id, "purchase", [("invoice.pdf", content, "application/pdf")]
    )


def test_office_says_who_is_logged_in_where(sandbox_api: Api) -> None:
    office = Office.model_validate(sandbox_api("nl").get("/office").json())
    assert office.realm == "nl"
    assert office.name == "Administratiekantoor De Vries & Zonen"
    assert office.user.email.endswith(".nl")


def test_clients_page_through_all_of_them(sandbox_api: Api) -> None:
    api = sandbox_api("be")
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = ClientPage.model_validate(
            api.get("/clients", params={"limit": 3, "cursor": cursor}).json()
        )
        pages += 1
        seen += [c.id for c in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages >= 3
    assert len(seen) == len(set(seen)) >= 8
    everything = ClientPage.model_validate(api.get("/clients", params={"limit": 500}).json())
    assert [c.id for c in everything.items] == seen
    assert any(not c.shares_documents and c.linked_since is None for c in everything.items)
    one = everything.items[0]
    assert api.get(f"/clients/{one.id}").json()["vat_number"] == one.vat_number


def test_documents_page_and_filter(sandbox_api: Api) -> None:
    api = sandbox_api("fr")
    documents = _all_documents(api)
    assert len(documents) >= 12
    assert {d.kind.value for d in documents} == {
        "purchase",
        "sales",
        "statement",
        "receipt",
        "other",
    }
    for kind in ("statement", "receipt"):
        assert {d.kind.value for d in _all_documents(api, kind=kind)} == {kind}
    client_id = documents[0].client_id
    assert {d.client_id for d in _all_documents(api, client_id=client_id)} == {client_id}
    number = documents[3].number
    assert number in {d.number for d in _all_documents(api, q=number[-5:])}
    file_name = documents[2].files[0].name
    assert documents[2].id in {d.id for d in _all_documents(api, q=file_name)}
    assert _all_documents(api, q="no such text anywhere") == []
    assert {d.status.value for d in _all_documents(api, status="to_fetch")} <= {"to_fetch"}


def test_document_carries_its_files_and_amount_as_decimal_string(sandbox_api: Api) -> None:
    api = sandbox_api("be")
    raw = api.get("/documents", params={"kind": "purchase", "limit": 1}).json()["items"][0]
    assert isinstance(raw["amount"], str)
    document = Document.model_validate(api.get(f"/documents/{raw['id']}").json())
    assert document.files
    for file in document.files:
        body = api.get(f"/documents/{document.id}/files/{file.id}")
        assert body.status_code == 200
        assert body.headers["content-type"].startswith(file.media_type)
        assert len(body.content) == file.size
        assert hashlib.sha256(body.content).hexdigest() == file.sha256
        assert body.headers["etag"] == f'"{file.sha256}"'


def test_ranges_and_conditional_downloads(sandbox_api: Api, sandbox_admin: SandboxAdmin) -> None:
    content = bytes(range(256)) * 40
    document = _new_document(sandbox_admin, content=content)
    file = document.files[0]
    api = sandbox_api("be")
    url = f"/documents/{document.id}/files/{file.id}"

    part = api.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == content[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(content)}"
    tail = api.get(url, headers={"Range": "bytes=-10"})
    assert tail.content == content[-10:]
    rest = api.get(url, headers={"Range": "bytes=10000-"})
    assert rest.status_code == 206
    assert rest.content == content[10000:]
    past_end = api.get(url, headers={"Range": "bytes=100-999999"})
    assert past_end.content == content[100:]

    unsatisfiable = api.get(url, headers={"Range": f"bytes={len(content)}-"})
    assert unsatisfiable.status_code == 416
    assert unsatisfiable.headers["content-range"] == f"bytes */{len(content)}"
    assert unsatisfiable.headers["content-type"] == "application/problem+json"

    not_modified = api.get(url, headers={"If-None-Match": f'"{file.sha256}"'})
    assert not_modified.status_code == 304
    stale = api.get(url, headers={"Range": "bytes=0-9", "If-Range": '"something-else"'})
    assert stale.status_code == 200
    assert stale.content == content
    fresh = api.get(url, headers={"Range": "bytes=0-9", "If-Range": f'"{file.sha256}"'})
    assert fresh.status_code == 206
    assert api.get(url, headers={"Range": "lines=1-2"}).status_code == 200


def test_delivery_reports_are_idempotent(sandbox_api: Api, sandbox_admin: SandboxAdmin) -> None:
    document = _new_document(sandbox_admin)
    api = sandbox_api("be")
    report = {"status": "forwarded", "locations": ["C:\\Winbooks\\in\\invoice.pdf"]}
    first = Document.model_validate(
        api.post(f"/documents/{document.id}/delivery", json=report).json()
    )
    second = Document.model_validate(
        api.post(f"/documents/{document.id}/delivery", json=report).json()
    )
    assert first.status.value == second.status.value == "forwarded"
    assert second.locations == report["locations"]
    assert first.updated_at == second.updated_at
    assert len(sandbox_admin.document("be", document.id).deliveries) == 1

    failed = api.post(
        f"/documents/{document.id}/delivery",
        json={"status": "error", "message": "The folder is read-only."},
    )
    assert failed.json()["status"] == "error"
    assert failed.json()["status_message"] == "The folder is read-only."
    history = sandbox_admin.document("be", document.id).deliveries
    assert [d.status.value for d in history] == ["forwarded", "error"]


def test_a_batch_of_delivery_reports_means_each_single_report(
    sandbox_api: Api, sandbox_admin: SandboxAdmin
) -> None:
    be, nl = sandbox_api("be"), sandbox_api("nl")
    first, second = _new_document(sandbox_admin), _new_document(sandbox_admin)
    elsewhere = _new_document(sandbox_admin, "nl")
    batch = {
        "items": [
            {"document_id": first.id, "report": {"status": "forwarded", "locations": ["/a/1.pdf"]}},
            {"document_id": "doc_missing", "report": {"status": "error", "message": "x"}},
            {"document_id": elsewhere.id, "report": {"status": "error", "message": "x"}},
            {"document_id": second.id, "report": {"status": "error", "message": "Read-only."}},
        ]
    }
    answer = be.post("/documents/delivery", json=batch)
    assert answer.status_code == 200
    results = answer.json()["items"]
    assert [(r["document_id"], r["outcome"], r["status"]) for r in results] == [
        (first.id, "recorded", "forwarded"),
        ("doc_missing", "not_found", None),
        (elsewhere.id, "not_found", None),  # another realm's document is not even seen
        (second.id, "recorded", "error"),
    ]
    assert "doc_missing" in results[1]["detail"]
    # recorded exactly as the single reports record them; the same batch again changes nothing
    assert be.post("/documents/delivery", json=batch).json()["items"] == results
    one = Document.model_validate(be.get(f"/documents/{first.id}").json())
    assert (one.status.value, one.locations) == ("forwarded", ["/a/1.pdf"])
    two = Document.model_validate(be.get(f"/documents/{second.id}").json())
    assert (two.status.value, two.status_message) == ("error", "Read-only.")
    assert len(sandbox_admin.document("be", first.id).deliveries) == 1
    assert len(sandbox_admin.document("be", second.id).deliveries) == 1
    assert nl.get(f"/documents/{elsewhere.id}").json()["status"] == "to_fetch"
    # items apply in order: the last report of a document wins
    again = {
        "items": [
            {"document_id": first.id, "report": {"status": "error", "message": "gone"}},
            {"document_id": first.id, "report": {"status": "forwarded", "locations": ["/b.pdf"]}},
        ]
    }
    be.post("/documents/delivery", json=again)
    assert be.get(f"/documents/{first.id}").json()["locations"] == ["/b.pdf"]
    for bad in ({"items": []}, {}, {"items": [{"document_id": first.id, "report": {}}]}):
        refused = be.post("/documents/delivery", json=bad)
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "body",
    [
        {"status": "forwarded", "locations": []},
        {"status": "forwarded"},
        {"status": "error"},
        {"status": "error", "message": ""},
        {"status": "delivered", "locations": ["x"]},
        {},
    ],
)
def test_bad_delivery_reports_are_422_problems(
    sandbox_api: Api, sandbox_admin: SandboxAdmin, body: dict[str, Any]
) -> None:
    document = _new_document(sandbox_admin)
    answer = sandbox_api("be").post(f"/documents/{document.id}/delivery", json=body)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 422 and problem["title"] and problem["detail"]


def test_resend_puts_documents_back_with_a_resend_change(
    sandbox_api: Api, sandbox_admin: SandboxAdmin
) -> None:
    api = sandbox_api("be")
    document = _new_document(sandbox_admin)
    api.post(
        f"/documents/{document.id}/delivery",
        json={"status": "forwarded", "locations": ["/x/invoice.pdf"]},
    )
    position = ChangePage.model_validate(api.get("/changes", params={"limit": 1000}).json())
    while position.has_more:
        position = ChangePage.model_validate(
            api.get("/changes", params={"cursor": position.cursor, "limit": 1000}).json()
        )
    result = ResendResult.model_validate(
        api.post("/documents/resend", json={"document_ids": [document.id]}).json()
    )
    assert [d.status.value for d in result.items] == ["to_fetch"]
    changes = ChangePage.model_validate(
        api.get("/changes", params={"cursor": position.cursor}).json()
    )
    assert [(c.document_id, c.reason.value) for c in changes.items] == [(document.id, "resend")]


def test_resend_of_unknown_documents_changes_nothing(
    sandbox_api: Api, sandbox_admin: SandboxAdmin
) -> None:
    api = sandbox_api("be")
    document = _new_document(sandbox_admin)
    api.post(
        f"/documents/{document.id}/delivery",
        json={"status": "forwarded", "locations": ["/x/a.pdf"]},
    )
    answer = api.post("/documents/resend", json={"document_ids": [document.id, "doc_missing"]})
    assert answer.status_code == 404
    assert "doc_missing" in answer.json()["detail"]
    assert api.get(f"/documents/{document.id}").json()["status"] == "forwarded"
    assert api.post("/documents/resend", json={"document_ids": []}).status_code == 422


def test_realms_are_isolated(sandbox_api: Api, sandbox_admin: SandboxAdmin) -> None:
    be, nl = sandbox_api("be"), sandbox_api("nl")
    be_document = _new_document(sandbox_admin, "be")
    be_ids = {d.id for d in _all_documents(be)}
    nl_ids = {d.id for d in _all_documents(nl)}
    assert be_document.id in be_ids
    assert not be_ids & nl_ids
    file = be_document.files[0]
    for path in (
        f"/documents/{be_document.id}",
        f"/documents/{be_document.id}/files/{file.id}",
        f"/clients/{be_document.client_id}",
    ):
        assert nl.get(path).status_code == 404
    assert (
        nl.post(
            f"/documents/{be_document.id}/delivery", json={"status": "error", "message": "x"}
        ).status_code
        == 404
    )
    assert nl.post("/documents/resend", json={"document_ids": [be_document.id]}).status_code == 404
    nl_clients = {c["id"] for c in nl.get("/clients", params={"limit": 500}).json()["items"]}
    assert be_document.client_id not in nl_clients
    nl_changes = {
        c["document_id"] for c in nl.get("/changes", params={"limit": 1000}).json()["items"]
    }
    assert be_document.id not in nl_changes


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/documents/doc_nope", {}, 404),
        ("/documents", {"cursor": "not-a-cursor"}, 422),
        ("/documents", {"limit": 0}, 422),
        ("/documents", {"limit": 100000}, 422),
        ("/documents", {"status": "lost"}, 422),
        ("/documents", {"kind": "letter"}, 422),
        ("/changes", {"wait": 61}, 422),
        ("/changes", {"cursor": "-1"}, 422),
        ("/tasks/tsk_nope", {}, 404),
        ("/nothing-here", {}, 404),
    ],
)
def test_errors_are_problem_json(
    sandbox_api: Api, path: str, params: dict[str, Any], status: int
) -> None:
    answer = sandbox_api("be").get(path, params=params)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == status
    assert problem["title"]
    assert problem["type"] == "about:blank"


def test_method_not_allowed_is_a_problem_too(sandbox_api: Api) -> None:
    answer = sandbox_api("be").delete("/documents")
    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"


def test_tasks_are_queued_long_polled_and_reported(
    sandbox_api: Api, sandbox_admin: SandboxAdmin
) -> None:
    api = sandbox_api("nl")
    open_now = TaskPage.model_validate(api.get("/tasks").json())
    cursor = open_now.cursor
    client = next(c for c in sandbox_admin.clients("nl") if c.shares_documents)
    answers: list[httpx.Response] = []
    waiter = threading.Thread(
        target=lambda: answers.append(api.get("/tasks", params={"cursor": cursor, "wait": 10}))
    )
    waiter.start()
    time.sleep(0.3)
    queued = sandbox_admin.add_task("nl", "full_sync", client_id=client.id)
    waiter.join(5)
    page = TaskPage.model_validate(answers[0].json())
    assert [t.id for t in page.items] == [queued.id]
    assert page.items[0].kind.value == "full_sync"
    assert page.items[0].client_id == client.id

    report = {"outcome": "succeeded", "message": "3 documents delivered", "documents_delivered": 3}
    done = Task.model_validate(api.post(f"/tasks/{queued.id}/result", json=report).json())
    assert done.status.value == "succeeded"
    assert done.result is not None and done.result.documents_delivered == 3
    again = api.post(f"/tasks/{queued.id}/result", json=report)
    assert again.status_code == 200
    conflict = api.post(f"/tasks/{queued.id}/result", json={"outcome": "failed"})
    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == "application/problem+json"
    assert queued.id not in [t["id"] for t in api.get("/tasks").json()["items"]]
    assert api.get(f"/tasks/{queued.id}").json()["status"] == "succeeded"


def test_resend_task_names_its_documents(sandbox_api: Api, sandbox_admin: SandboxAdmin) -> None:
    document = _new_document(sandbox_admin, "be")
    task = sandbox_admin.add_task("be", "resend", document_ids=[document.id])
    listed = sandbox_api("be").get("/tasks").json()["items"]
    assert any(t["id"] == task.id and t["document_ids"] == [document.id] for t in listed)


def test_empty_query_parameters_mean_absent(sandbox_api: Api) -> None:
    """httpx writes None parameters as ``name=``; that must not be a 422."""
    api = sandbox_api("be")
    changes = api.get("/changes", params={"cursor": None, "wait": None, "limit": 3})
    assert changes.status_code == 200
    assert changes.json()["items"]
    tasks = api.get("/tasks", params={"cursor": "", "wait": ""})
    assert tasks.status_code == 200
    documents = api.get("/documents", params={"status": None, "kind": "", "q": None})
    assert documents.status_code == 200
