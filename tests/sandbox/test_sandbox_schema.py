"""Schemathesis against ``/api/openapi.json``, authenticated: no 5xx, and every answer (status,
content type, headers, body) matches what the schema promises. A quick run, not a soak."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection

from app.sandbox.openapi_export import OPENAPI_FILE, current_openapi, render
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import TokenSet, login_with_password


@pytest.fixture(scope="module")
def schema_tokens(sandbox_server: SandboxServer) -> TokenSet:
    return login_with_password(sandbox_server.url, "fr")


@pytest.fixture(scope="module")
def api_schema(sandbox_server: SandboxServer) -> Any:
    return schemathesis.openapi.from_url(f"{sandbox_server.url}/api/openapi.json")


# Schemathesis's pytest plugin (lazy fixtures) does not run under this pytest version, so the
# operations are driven directly: one Hypothesis test per operation and generation mode.
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> None:
    """Run one operation's Hypothesis test in one generation mode."""
    # A negative case may differ from a valid one only by the missing Authorization header,
    # which is added back here, or by an unknown query parameter, which the API ignores on
    # purpose; so "invalid data rejected" is not checked, while "no 5xx" and "the answer
    # matches the schema" are.
    excluded = [negative_data_rejection] if mode is GenerationMode.NEGATIVE else None

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case: Any) -> None:
        if isinstance(case.query, dict) and "wait" in case.query:
            # Long-polls are tested on their own; here they must not hold the run.
            case.query["wait"] = 0
        case.call_and_validate(headers=headers, timeout=10, excluded_checks=excluded)

    check()


def test_api_conforms_to_its_schema(api_schema: Any, schema_tokens: TokenSet) -> None:
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        for mode in MODES:
            try:
                _fuzz(operation, mode, schema_tokens.headers)
            except Exception as exc:  # collect all operations' failures, then report them
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    assert not failures, "\n\n".join(failures)


def test_schema_declares_bearer_auth_and_problem_json(api_schema: Any) -> None:
    raw = api_schema.raw_schema
    assert any(s.get("scheme") == "bearer" for s in raw["components"]["securitySchemes"].values())
    assert "Problem" in raw["components"]["schemas"]
    changes = raw["paths"]["/api/v1/changes"]["get"]
    assert "application/problem+json" in changes["responses"]["429"]["content"]
    assert not any(p.startswith("/sandbox") for p in raw["paths"])


def test_repository_copy_of_the_contract_is_current() -> None:
    """``app/api/openapi.json`` is what the sandbox serves; regenerate it with
    ``.venv/bin/python -m app.sandbox.openapi_export`` after changing the API."""
    assert OPENAPI_FILE.read_text(encoding="utf-8") == render(current_openapi())
