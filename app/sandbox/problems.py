"""Every error of the API as RFC 9457 ``application/problem+json``, declared in the OpenAPI.

One exception type carries the problem from wherever it is detected to one handler, and the
framework's own errors (validation, unknown route, method) are rewritten into the same shape, so
an agent has exactly one error format to understand.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.models import Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"
_log = logging.getLogger(__name__)


class ProblemError(Exception):
    """Raise anywhere in a request to answer with a problem+json body."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        type_: str = "about:blank",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.type = type_
        self.headers = headers or {}


def problem_response(
    status: int,
    detail: str | None,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=type_, title=title or HTTPStatus(status).phrase, status=status, detail=detail
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def unauthorized(detail: str, *, error: str = "invalid_token") -> ProblemError:
    """A 401 that also tells an OAuth client, in WWW-Authenticate, what to do (RFC 6750)."""
    escaped = detail.replace("\\", "\\\\").replace('"', '\\"')
    return ProblemError(
        401,
        detail,
        headers={"WWW-Authenticate": f'Bearer error="{error}", error_description="{escaped}"'},
    )


def _describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", ""))
    return "; ".join(parts) or "The request is not valid."


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProblemError)
        return problem_response(
            exc.status, exc.detail, title=exc.title, type_=exc.type, headers=exc.headers
        )

    async def on_validation(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return problem_response(422, _describe_validation(exc))

    async def on_http(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return problem_response(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(500, "The sandbox failed unexpectedly; see its log.")

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry that documents problem+json answers for these statuses."""
    documented: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        if status == 429:
            entry["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer"},
                }
            }
        if status == 401:
            entry["headers"] = {
                "WWW-Authenticate": {
                    "description": "Bearer challenge (RFC 6750).",
                    "schema": {"type": "string"},
                }
            }
        documented[status] = entry
    return documented
