"""The checks the other Billit tests rely on can fail, and the overlay changes only what it says.

The description is read from ``../shared`` and never edited; its corrections for Prism live in
``description.corrected``. These tests prove that the answer checker refuses what Billit would
not send (else every "checked against the description" would be empty words).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from typing import Any

import pytest

from tests.platforms.billit import description as spec


def test_the_description_is_the_published_one() -> None:
    """The file in ../shared is byte for byte the one SOURCE.md names."""
    source = (spec.PATH.parent / "SOURCE.md").read_text(encoding="utf-8")
    [announced] = re.findall(r"SHA-256: ([0-9a-f]{64})", source)
    assert hashlib.sha256(spec.PATH.read_bytes()).hexdigest() == announced


def test_the_overlay_fixes_the_known_defects_and_nothing_else(
    description: dict[str, Any],
) -> None:
    ids = [op.get("operationId") for _, _, op in spec.operations(description)]
    assert len(ids) != len(set(ids))  # the defect SOURCE.md names is there
    assert "securityDefinitions" not in description

    fixed = spec.corrected(description)
    fixed_ids = [op.get("operationId") for _, _, op in spec.operations(fixed)]
    assert len(fixed_ids) == len(set(fixed_ids))
    assert fixed["securityDefinitions"] == spec.SECURITY_DEFINITIONS
    assert description == spec.load()  # the original, in memory, untouched

    # Beside the renamed ids, the security, the party headers and the revocation's body,
    # nothing differs.
    undone = copy.deepcopy(fixed)
    del undone["securityDefinitions"], undone["security"]
    for (_, path, op), (_, _, original) in zip(
        spec.operations(undone), spec.operations(description), strict=True
    ):
        op["operationId"] = original.get("operationId")
        if path in ("/OAuth2/token", "/OAuth2/revoke"):
            del op["security"]
        if path == "/OAuth2/revoke":
            assert op.pop("parameters") == [spec.REVOKE_BODY]
            op["consumes"] = original["consumes"]
        if path.startswith("/v1/"):
            op["parameters"] = [p for p in op["parameters"] if p not in spec.PARTY_HEADERS]
            if not op["parameters"] and "parameters" not in original:
                del op["parameters"]
    assert undone == description


def _feed_items(checker: spec.AnswerChecker, body: object, status: int = 200) -> None:
    checker.check("GET", "/v1/accountant/feeds/ferry", status, json.dumps(body).encode())


def test_the_checker_accepts_what_the_description_allows(checker: spec.AnswerChecker) -> None:
    _feed_items(checker, [{"FeedItemID": 1, "EntityID": 2, "EntityType": "Order", "PartyID": 3}])
    _feed_items(checker, [])
    checker.check("GET", "/v1/accountant/feeds/ferry", 429, b"")  # from the guides
    checked = checker.checked[-1]
    assert (checked.operation_id, checked.path) == (
        "Accountant_GetIndex",
        "/v1/accountant/feeds/{feedName}",
    )


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ([{"FeedItemId": 1}], "FeedItemId"),  # misspelt: the description says FeedItemID
        ([{"FeedItemID": "1"}], "'1' is not of type 'integer'"),
        ([{"FeedItemID": 2**31}], "int32"),
        ({"FeedItemID": 1}, "is not of type 'array'"),
    ],
)
def test_the_checker_refuses_what_billit_would_not_send(
    checker: spec.AnswerChecker, body: object, why: str
) -> None:
    with pytest.raises(AssertionError, match=re.escape(why)):
        _feed_items(checker, body)


def test_the_checker_refuses_a_status_or_an_operation_the_description_lacks(
    checker: spec.AnswerChecker,
) -> None:
    with pytest.raises(AssertionError, match="status 404"):
        _feed_items(checker, [], status=404)
    with pytest.raises(AssertionError, match="no such operation"):
        checker.check("GET", "/v1/accountant/feed", 200, b"[]")


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"FileContent": "not base64!"}, "byte"),
        ({"FileName": "a.pdf", "Size": 3}, "Additional properties"),
    ],
)
def test_the_checker_checks_formats_and_closes_definitions(
    checker: spec.AnswerChecker, body: object, why: str
) -> None:
    with pytest.raises(AssertionError, match=why):
        checker.check("GET", "/v1/accountant/feeds/f/1", 200, json.dumps(body).encode())


def test_the_checker_wants_date_times_with_their_zone(checker: spec.AnswerChecker) -> None:
    order = {"OrderID": 1, "OrderDate": "2025-03-14T00:00:00"}
    with pytest.raises(AssertionError, match="date-time"):
        checker.check("GET", "/v1/orders/1", 200, json.dumps(order).encode())
    order["OrderDate"] = "2025-03-14T00:00:00+01:00"
    checker.check("GET", "/v1/orders/1", 200, json.dumps(order).encode())
