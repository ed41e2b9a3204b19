"""Platform failures as exceptions the engine can classify and a person can read.

Each carries a :class:`~app.core.failures.Failure` (a code and its parameters: what Ferry was
doing, the HTTP status, the platform's own words, when to try again), worded in the reader's
language where it is shown; ``str()`` is its English sentence.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import time
from collections.abc import Mapping
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from app.api.models import Problem
from app.core.failures import Action, Failure, FailureCode, OfflineReason, retry_at_param

#: What a parameter of a failure may be given as (numbers become text, None is left out).
About = str | int | None


class PlatformError(Exception):
    """The platform refused or failed a request; ``failure`` says why, ``str()`` in English."""

    def __init__(
        self,
        failure: Failure,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(failure.message())
        self.failure = failure
        self.status = status
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        """Worth trying again by itself (decided by the failure's code)."""
        return self.failure.transient


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


def status_code(status: int) -> FailureCode:
    """What an HTTP error status means."""
    if status == 429:
        return FailureCode.PLATFORM_BUSY
    if status in (408, 425, 502, 503, 504):
        return FailureCode.PLATFORM_UNAVAILABLE
    if status >= 500:
        return FailureCode.PLATFORM_ERROR
    if status == 401:
        return FailureCode.LOGIN_REFUSED
    if status == 403:
        return FailureCode.FORBIDDEN
    if status == 404:
        return FailureCode.PLATFORM_NOT_FOUND
    return FailureCode.PLATFORM_REFUSED


def error_from_response(response: httpx.Response, action: Action, **about: About) -> PlatformError:
    """Turn a failed response (problem+json or not) into a :class:`PlatformError`.

    ``action`` is what Ferry was doing and ``about`` what it needs to be named (``document``,
    ``task``, ``count``); the platform's own words go in ``detail``.
    """
    status = response.status_code
    try:
        problem = Problem.model_validate_json(response.content)
        detail = problem.detail or problem.title
    except (ValidationError, ValueError):
        detail = response.reason_phrase or ""
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    failure = Failure.of(
        status_code(status),
        action=action.value,
        status=status,
        detail=detail or None,
        retry_at=None if retry_after is None else retry_at_param(time.time() + retry_after),
        **about,
    )
    return PlatformError(failure, status=status, retry_after=retry_after)


def error_from_exception(
    error: httpx.HTTPError, action: Action, **about: About
) -> PlatformUnreachable:
    """No answer: why, as a ``reason`` code, and what the transport said."""
    if isinstance(error, httpx.TimeoutException):
        reason = OfflineReason.TIMEOUT
    elif isinstance(error, httpx.ConnectError):
        reason = OfflineReason.REFUSED
    else:
        reason = OfflineReason.CUT
    failure = Failure.of(
        FailureCode.OFFLINE,
        action=action.value,
        reason=reason.value,
        said=str(error) or None,
        **about,
    )
    return PlatformUnreachable(failure)


def not_understood(response: httpx.Response, action: Action, **about: About) -> PlatformError:
    """An answer that is not what the API says it should be (the wrong address, most often)."""
    failure = Failure.of(FailureCode.PLATFORM_NOT_UNDERSTOOD, action=action.value, **about)
    return PlatformError(failure, status=response.status_code)


_Model = TypeVar("_Model", bound=BaseModel)
_log = logging.getLogger(__name__)


def parse_answer(
    response: httpx.Response,
    model: type[_Model],
    action: Action,
    about: Mapping[str, About] | None = None,
) -> _Model:
    """A platform's answer read as ``model``, or :func:`not_understood` (logged with why),
    whichever platform it is."""
    try:
        return model.model_validate_json(response.content)
    except (ValidationError, ValueError) as error:
        _log.warning("unexpected answer to %s %s: %s", action.value, dict(about or {}), error)
        raise not_understood(response, action, **(about or {})) from None
