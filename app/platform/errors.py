"""Platform failures as exceptions a person can read and the engine can classify."""

from __future__ import annotations

import datetime as dt
import email.utils

import httpx
from pydantic import ValidationError

from app.api.models import Problem


class PlatformError(Exception):
    """The platform refused or failed a request; ``str()`` is a sentence for a person."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        transient: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.transient = transient


class PlatformUnreachable(PlatformError):
    """No answer at all: network down, DNS, refused, timed out, connection cut."""


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """``Retry-After`` as seconds, from either of its two forms (delta or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    moment = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - moment).total_seconds())


def error_from_response(response: httpx.Response, what: str) -> PlatformError:
    """Turn a failed response (problem+json or not) into a :class:`PlatformError`."""
    status = response.status_code
    detail = ""
    try:
        problem = Problem.model_validate_json(response.content)
        detail = problem.detail or problem.title
    except (ValidationError, ValueError):
        detail = response.reason_phrase or ""
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    transient = status in (408, 425, 429) or status >= 500
    if status == 429:
        message = f"the platform is busy and asked Ferry to slow down while {what}"
    elif status in (502, 503, 504):
        message = f"the platform is temporarily unavailable ({status}) while {what}"
    elif status >= 500:
        message = f"the platform had an internal error ({status}) while {what}"
    elif status == 401:
        message = f"the platform did not accept Ferry's login while {what}"
    elif status == 403:
        message = f"this login may not do that: {what} was refused"
    elif status == 404:
        message = f"the platform does not know what Ferry asked for while {what}"
    else:
        message = f"the platform refused the request ({status}) while {what}"
    if detail:
        message += f": {detail}"
    return PlatformError(message, status=status, retry_after=retry_after, transient=transient)


def error_from_exception(error: httpx.HTTPError, what: str) -> PlatformUnreachable:
    if isinstance(error, httpx.TimeoutException):
        reason = "it did not answer in time"
    elif isinstance(error, httpx.ConnectError):
        reason = "the connection was refused or the address is unknown"
    else:
        reason = "the connection was cut"
    return PlatformUnreachable(f"cannot reach the platform while {what}: {reason}", transient=True)
