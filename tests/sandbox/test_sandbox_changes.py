"""The changes feed: cursor semantics and long-polling (wakes within 100 ms, holds when idle)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx

from app.api.models import ChangePage
from app.sandbox.testkit import SandboxAdmin

Api = Callable[..., httpx.Client]


def _end_of_feed(api: httpx.Client) -> str:
    page = ChangePage.model_validate(api.get("/changes", params={"limit": 1000}).json())
    while page.has_more:
        page = ChangePage.model_validate(
            api.get("/changes", params={"cursor": page.cursor, "limit": 1000}).json()
        )
    return page.cursor


def _add(admin: SandboxAdmin, realm: str) -> str:
    client = next(c for c in admin.clients(realm) if c.shares_documents)
    return admin.add_document(
        realm, client.id, "sales", [("s.xml", b"<Invoice/>", "application/xml")]
    ).id


def test_no_cursor_means_from_the_beginning(sandbox_api: Api) -> None:
    api = sandbox_api("be")
    first = ChangePage.model_validate(api.get("/changes", params={"limit": 5}).json())
    assert len(first.items) == 5
    assert first.has_more
    assert all(c.reason.value == "new" for c in first.items)
    second = ChangePage.model_validate(
        api.get("/changes", params={"cursor": first.cursor, "limit": 5}).json()
    )
    assert not {c.document_id for c in first.items} & {c.document_id for c in second.items}
    again = ChangePage.model_validate(api.get("/changes", params={"limit": 5}).json())
    assert again == first


def test_answers_at_once_when_changes_wait(sandbox_api: Api) -> None:
    api = sandbox_api("be")
    started = time.monotonic()
    page = api.get("/changes", params={"wait": 30, "limit": 3}).json()
    assert page["items"]
    assert time.monotonic() - started < 1


def test_holds_open_when_idle_for_the_wait(sandbox_api: Api) -> None:
    api = sandbox_api("fr")
    cursor = _end_of_feed(api)
    started = time.monotonic()
    page = ChangePage.model_validate(
        api.get("/changes", params={"cursor": cursor, "wait": 1.5}).json()
    )
    elapsed = time.monotonic() - started
    assert page.items == []
    assert page.cursor == cursor
    assert 1.4 <= elapsed < 3


def test_long_poll_wakes_within_100_ms_of_a_new_document(
    sandbox_api: Api, sandbox_admin: SandboxAdmin
) -> None:
    api = sandbox_api("be")
    for _ in range(3):  # a few rounds, so one lucky timing does not pass the test
        cursor = _end_of_feed(api)
        answered: list[tuple[float, ChangePage]] = []

        def poll(position: str = cursor, out: list[tuple[float, ChangePage]] = answered) -> None:
            page = api.get("/changes", params={"cursor": position, "wait": 30})
            out.append((time.monotonic(), ChangePage.model_validate(page.json())))

        poller = threading.Thread(target=poll)
        poller.start()
        time.sleep(0.4)
        assert not answered, "the long-poll answered while nothing had happened"
        document_id = _add(sandbox_admin, "be")
        created = time.monotonic()
        poller.join(10)
        at, page = answered[0]
        assert [c.document_id for c in page.items] == [document_id]
        assert at - created < 0.1, f"woke {1000 * (at - created):.0f} ms after the document"


def test_other_realms_documents_do_not_wake_a_poll(
    sandbox_api: Api, sandbox_admin: SandboxAdmin
) -> None:
    api = sandbox_api("lu")
    cursor = _end_of_feed(api)
    answered: list[ChangePage] = []
    poller = threading.Thread(
        target=lambda: answered.append(
            ChangePage.model_validate(
                api.get("/changes", params={"cursor": cursor, "wait": 1.2}).json()
            )
        )
    )
    poller.start()
    time.sleep(0.2)
    _add(sandbox_admin, "be")
    poller.join(5)
    assert answered[0].items == []
