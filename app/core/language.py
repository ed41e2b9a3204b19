"""The languages Ferry speaks to people, and the one fallback every text must exist in."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    """A user-facing language; the value is the ISO 639-1 code used in settings and files."""

    EN = "en"
    FR = "fr"
    NL = "nl"


FALLBACK = Language.EN


def parse_language(code: str | None) -> Language:
    """Pick the language for a locale code such as ``fr_BE`` or ``nl``; English otherwise.

    Locale codes arrive from the OS and from settings in many shapes, and a person must
    always get readable text, so anything unknown falls back instead of failing.
    """
    if not code:
        return FALLBACK
    head = code.replace("-", "_").split("_", 1)[0].lower()
    try:
        return Language(head)
    except ValueError:
        return FALLBACK
