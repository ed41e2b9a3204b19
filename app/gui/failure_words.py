"""Failures as the GUI shows them: made from their codes, in the person's language.

The engine sends failures as data (:class:`app.engine.messages.FailureInfo`) and keeps an
English ``message`` for its log. The GUI words the failures itself with
:func:`app.core.failures.describe`, in the language Qt's translator speaks now, so a language
switch re-words them without a restart; the English message is shown only for rows that carry
no failures (data written before failures were data).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.core.failures import Failure, describe, retry_at_param
from app.core.language import FALLBACK, Language
from app.engine.messages import FailureInfo
from app.gui import i18n

# Parameters a short text (a notification, a tooltip) leaves out: the system's and the
# platform's own words, which are in whatever language they were said in.
FOREIGN_PARAMS = ("said", "detail")


def language_now() -> Language:
    """The language of the installed translation (English before any)."""
    return i18n.current_language() or FALLBACK


def failures_of(
    items: Iterable[FailureInfo | Mapping[str, Any] | Failure] | None,
) -> tuple[Failure, ...]:
    """Failures from an event (``FailureInfo``), a state file row (``{"code", "params"}``)
    or already made; what cannot be read words itself as an unknown failure."""
    failures: list[Failure] = []
    for item in items or ():
        if isinstance(item, Failure):
            failures.append(item)
        elif isinstance(item, FailureInfo):
            failures.append(item.failure())
        else:
            failures.append(Failure.from_json(item))
    return tuple(failures)


def failure_of(item: FailureInfo | None) -> Failure | None:
    return None if item is None else item.failure()


def without_foreign_words(failures: Iterable[Failure]) -> tuple[Failure, ...]:
    """The failures without the system's or the platform's own words (see FOREIGN_PARAMS)."""
    cleared: dict[str, None] = dict.fromkeys(FOREIGN_PARAMS)
    return tuple(failure.with_params(**cleared) for failure in failures)


def words(failures: Iterable[Failure], language: Language, *, next_try: float | None = None) -> str:
    """Several failures of one document as one text; with ``next_try`` (a waiting
    document), each says when Ferry tries again."""
    chosen = tuple(failures)
    if next_try is not None:
        at = retry_at_param(next_try)
        chosen = tuple(failure.with_params(retry_at=at) for failure in chosen)
    return describe(chosen, language)


def fault_of(failures: Iterable[Failure]) -> str:
    """What identifies a document's fault for notifications: the sorted keys of its failures
    (``""`` for a document that carries none)."""
    return "+".join(sorted({failure.key() for failure in failures}))
