"""Billit's published Swagger 2.0 description, read from ``../shared``, and what tests do with it.

- :func:`load` reads the file where the project keeps it (never a copy in the repository);
- :func:`corrected` is the overlay Prism needs, applied in memory and written to a test's
  temporary folder: the description itself is never edited;
- :class:`AnswerChecker` validates an answer against the description's schema for its
  operation and status (JSON Schema draft 4 with the ``definitions`` resolved), with the
  definitions *closed*: a property the description does not name is refused, so a misspelt
  field in the fake (``FeedItemId``) fails the check instead of passing unseen.
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime as dt
import json
import re
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

#: The repository and the project's shared folder beside it, found as tests/conftest.py finds
#: them (computed here so that this module imports nothing from the suite's own conftest).
REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"
PATH = SHARED / "platforms" / "billit" / "swagger-v1.json"

#: Statuses Billit answers that the description lists for no operation: 429 comes from the
#: guides ("read the feed at most once a minute"), with no body schema to check.
UNDESCRIBED_STATUSES = frozenset({429})

#: The overlay's security schemes, from Billit's guides: an API key in ``ApiKey``, or an OAuth
#: 2.0 access token as ``Authorization: Bearer`` (Swagger 2 has no bearer type: an API key in
#: ``Authorization`` is how it writes one).
SECURITY_DEFINITIONS = {
    "ApiKey": {"type": "apiKey", "in": "header", "name": "ApiKey"},
    "Bearer": {"type": "apiKey", "in": "header", "name": "Authorization"},
}

#: The overlay's party headers (Billit's guides, "header values"): optional, but an integer
#: when sent, on every ``/v1`` operation.
PARTY_HEADERS: list[dict[str, Any]] = [
    {"name": "PartyID", "in": "header", "required": False, "type": "integer"},
    {"name": "ContextPartyID", "in": "header", "required": False, "type": "integer"},
]


#: The overlay's body of ``POST /OAuth2/revoke``: the description declares none (``consumes``
#: empty, no parameter: ASP.NET reads it without telling Swashbuckle), yet a revocation names
#: its token (RFC 7009 2.1) and the client that proves itself with it. RFC 7009's names, with
#: the content types of the token call beside it, which Billit's guides pair it with.
REVOKE_BODY: dict[str, Any] = {
    "name": "OAuthRevokeRequest",
    "in": "body",
    "required": True,
    "schema": {
        "type": "object",
        "required": ["token"],
        "additionalProperties": False,
        "properties": {
            "token": {"type": "string"},
            "token_type_hint": {"type": "string", "enum": ["refresh_token", "access_token"]},
            "client_id": {"type": "string"},
            "client_secret": {"type": "string"},
        },
    },
}


def load() -> dict[str, Any]:
    """The description as published (see ``SOURCE.md`` beside it)."""
    value = json.loads(PATH.read_text(encoding="utf-8"))
    assert isinstance(value, dict)
    return value


def operations(description: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every (method, path, operation) of the description, in its order."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    for path, item in description["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch", "head", "options"}:
                found.append((method, path, operation))
    return found


def corrected(description: dict[str, Any]) -> dict[str, Any]:
    """The description with the corrections strict tools need, and nothing else changed:

    1. duplicate ``operationId``s get a suffix (``_2``, ``_3``, in the file's order): Prism and
       other validators refuse a description where two operations share one;
    2. ``securityDefinitions`` and a global ``security`` (API key or bearer token), with none
       on ``/OAuth2/token`` (it is how a token is obtained) and ``/OAuth2/revoke`` (the client
       proves itself with its credentials, RFC 7009 2.1): the description declares none, so
       without them Prism would accept requests carrying no login at all;
    3. ``PartyID`` and ``ContextPartyID`` as optional integer headers on the ``/v1``
       operations, so Prism checks their values;
    4. a body for ``/OAuth2/revoke`` (:data:`REVOKE_BODY`), which the description leaves
       without one: Prism would otherwise refuse any revocation that names its token.
    """
    fixed = copy.deepcopy(description)
    seen: Counter[str] = Counter()
    for _method, path, operation in operations(fixed):
        operation_id = operation.get("operationId")
        if operation_id:
            seen[operation_id] += 1
            if seen[operation_id] > 1:
                operation["operationId"] = f"{operation_id}_{seen[operation_id]}"
        if path in ("/OAuth2/token", "/OAuth2/revoke"):
            operation["security"] = []
        if path == "/OAuth2/revoke":
            token_call = fixed["paths"]["/OAuth2/token"]["post"]
            operation["consumes"] = list(token_call["consumes"])
            operation["parameters"] = [copy.deepcopy(REVOKE_BODY)]
        if path.startswith("/v1/"):
            parameters = operation.setdefault("parameters", [])
            names = {p.get("name", "").lower() for p in parameters if p.get("in") == "header"}
            parameters.extend(p for p in PARTY_HEADERS if p["name"].lower() not in names)
    fixed["securityDefinitions"] = SECURITY_DEFINITIONS
    fixed["security"] = [{"ApiKey": []}, {"Bearer": []}]
    return fixed


def write_corrected(description: dict[str, Any], folder: Path) -> Path:
    path = folder / "billit-swagger-v1-corrected.json"
    path.write_text(json.dumps(corrected(description), indent=1), encoding="utf-8")
    return path


# --- checking answers --------------------------------------------------------------------------


def _closed(definitions: dict[str, Any]) -> dict[str, Any]:
    """The definitions with ``additionalProperties: false`` on every object that lists its
    properties: stricter than the description (which lets Billit add properties), right for
    checking a fake that should say only what Billit says."""
    closed = copy.deepcopy(definitions)
    for schema in closed.values():
        if isinstance(schema, dict) and "properties" in schema:
            schema.setdefault("additionalProperties", False)
    return closed


def _date_time(value: object) -> bool:
    """RFC 3339: a date, a time and a zone (``Z`` or an offset)."""
    if not isinstance(value, str):
        return True
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return moment.tzinfo is not None and "T" in value.upper()


def _byte(value: object) -> bool:
    if isinstance(value, str):
        base64.b64decode(value, validate=True)
    return True


def _int32(value: object) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


def _int64(value: object) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def _uuid(value: object) -> bool:
    if isinstance(value, str):
        uuid.UUID(value)
    return True


#: The formats the definitions use, checked as Swagger 2 and RFC 3339 mean them (jsonschema's
#: own date-time check needs a package Ferry does not install, and it knows no int32 or byte).
_FORMATS = jsonschema.FormatChecker(formats=())
_FORMATS.checkers.update(
    {
        "date-time": (_date_time, ValueError),
        "byte": (_byte, (binascii.Error, ValueError)),
        "int32": (_int32, ()),
        "int64": (_int64, ()),
        "uuid": (_uuid, ValueError),
    }
)


def schema_for(description: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` made whole: the description's (closed) definitions beside it, so every
    ``#/definitions/...`` reference resolves within it."""
    return {**schema, "definitions": _closed(description["definitions"])}


def validator(description: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(schema_for(description, schema), format_checker=_FORMATS)


def open_validator(
    description: dict[str, Any], schema: dict[str, Any]
) -> jsonschema.Draft4Validator:
    """As :func:`validator`, with the definitions as published (unknown properties allowed)."""
    return jsonschema.Draft4Validator(
        {**schema, "definitions": description["definitions"]}, format_checker=_FORMATS
    )


@dataclass(frozen=True)
class Checked:
    method: str
    path: str
    operation_id: str
    status: int


class AnswerChecker:
    """Checks answers against the description: the operation must exist, the status must be
    one it lists (or 429), and a body must match the status's schema."""

    def __init__(self, description: dict[str, Any]) -> None:
        self._description = description
        self._routes: list[tuple[str, re.Pattern[str], str, dict[str, Any]]] = []
        for method, path, operation in operations(description):
            pattern = re.compile("^" + re.sub(r"\{[^}/]+\}", "[^/]+", path) + "$")
            self._routes.append((method, pattern, path, operation))
        self.checked: list[Checked] = []

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]]:
        """The description's path template and operation for a request; literal paths first
        (``/v1/orders/deleted`` before ``/v1/orders/{orderID}``)."""
        matches = [
            (template, operation)
            for m, pattern, template, operation in self._routes
            if m == method.lower() and pattern.match(path)
        ]
        if not matches:
            raise AssertionError(f"{method} {path}: the description has no such operation")
        matches.sort(key=lambda found: found[0].count("{"))
        return matches[0]

    def check(self, method: str, path: str, status: int, body: bytes) -> Checked:
        template, operation = self.operation(method, path)
        operation_id = str(operation.get("operationId"))
        responses: dict[str, Any] = operation.get("responses", {})
        answer = responses.get(str(status))
        if answer is None:
            if status not in UNDESCRIBED_STATUSES:
                raise AssertionError(
                    f"{method} {template}: status {status} is not one the description lists "
                    f"({', '.join(sorted(responses))})"
                )
        elif "schema" in answer:
            try:
                value = json.loads(body)
            except ValueError as error:
                raise AssertionError(f"{method} {template} {status}: not JSON: {body!r}") from error
            errors = sorted(
                validator(self._description, answer["schema"]).iter_errors(value),
                key=lambda e: list(e.path),
            )
            if errors:
                shown = "; ".join(
                    f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:5]
                )
                raise AssertionError(f"{method} {template} {status} breaks its schema: {shown}")
        checked = Checked(method.upper(), template, operation_id, status)
        self.checked.append(checked)
        return checked
