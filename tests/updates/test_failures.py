"""Update failures in words: every code in English, French and Dutch, with its parameters."""

from __future__ import annotations

from app.core.language import Language
from app.updates.failures import UpdateFailure, UpdateFailureCode, describe


def test_every_failure_has_words_in_every_language_with_its_parameters() -> None:
    params = {"version": "1.2.0", "running": "1.1.0", "said": "disk full"}
    for code in UpdateFailureCode:
        for language in Language:
            words = describe(UpdateFailure(code, params), language)
            assert "{" not in words and words.endswith(".")
    unhealthy = UpdateFailure(UpdateFailureCode.UNHEALTHY, params)
    assert describe(unhealthy, Language.NL) == (
        "Ferry 1.2.0 startte niet correct; versie 1.1.0 draait opnieuw."
    )
    assert "?" in describe(UpdateFailure(UpdateFailureCode.UNHEALTHY), Language.FR)
