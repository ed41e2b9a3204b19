"""Folder and file names that are valid on the target OS, whatever text they are made from.

Client names, VAT numbers and platform file names are data typed by strangers; put into a
path they must become exactly one harmless name. The rules are chosen by the *target* OS
(where the folders live), never by the OS running this code, so a Linux test can prove what
a Windows server will accept.

Values are made portable (the Windows character rules) even for a POSIX target: the folders
that Ferry fills are often shared over SMB and read by Windows accounting software.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from enum import StrEnum


class TargetOS(StrEnum):
    """The family of file system rules a path must obey."""

    WINDOWS = "windows"
    POSIX = "posix"


def running_target() -> TargetOS:
    """The target matching the OS this process runs on: the default for previews."""
    return TargetOS.WINDOWS if sys.platform == "win32" else TargetOS.POSIX


MAX_COMPONENT_LENGTH = 255
"""NTFS counts 255 UTF-16 code units per name; ext4 and most POSIX systems 255 bytes."""

WINDOWS_MAX_PATH = 260
"""MAX_PATH, counting the terminating NUL: a usable Windows path has at most 259 characters."""

POSIX_MAX_PATH = 4096
"""PATH_MAX in bytes, counting the terminating NUL."""

WINDOWS_FORBIDDEN = frozenset('<>:"/\\|?*')
POSIX_FORBIDDEN = frozenset("/\x00")

_SUPERSCRIPT_DIGITS = "¹²³"
WINDOWS_RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{base}{digit}" for base in ("COM", "LPT") for digit in "123456789" + _SUPERSCRIPT_DIGITS}
)

REPLACEMENT = "_"


def is_control(char: str) -> bool:
    """C0 and C1 control characters and DEL: invisible, and refused or dangerous in names."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code < 0xA0


def name_length(name: str, target: TargetOS) -> int:
    """A name's length in the unit the target file system limits: UTF-16 units or UTF-8 bytes."""
    if target is TargetOS.WINDOWS:
        return len(name.encode("utf-16-le")) // 2
    return len(name.encode("utf-8", "surrogatepass"))


def is_reserved_windows_name(name: str) -> bool:
    """True for device names Windows maps to hardware: ``CON``, ``nul.txt``, ``Com1 .xml``, ...

    Windows looks at the part before the first dot, ignoring trailing spaces, in any case.
    """
    stem = name.split(".", 1)[0].rstrip(" ")
    return stem.upper() in WINDOWS_RESERVED_NAMES


class NameIssue(StrEnum):
    """Why a name typed by a person is not valid on its target."""

    EMPTY = "empty"
    DOTS = "dots"
    FORBIDDEN_CHARACTER = "forbidden_character"
    CONTROL_CHARACTER = "control_character"
    RESERVED = "reserved"
    TRAILING_DOT_OR_SPACE = "trailing_dot_or_space"
    TOO_LONG = "too_long"


def name_issues(name: str, target: TargetOS) -> list[NameIssue]:
    """Every reason ``name`` cannot be one folder or file name on ``target``."""
    if name == "":
        return [NameIssue.EMPTY]
    if name in (".", ".."):
        return [NameIssue.DOTS]
    issues: list[NameIssue] = []
    forbidden = WINDOWS_FORBIDDEN if target is TargetOS.WINDOWS else POSIX_FORBIDDEN
    if not forbidden.isdisjoint(name):
        issues.append(NameIssue.FORBIDDEN_CHARACTER)
    if target is TargetOS.WINDOWS and _CONTROLS.search(name):
        issues.append(NameIssue.CONTROL_CHARACTER)
    if target is TargetOS.WINDOWS:
        if is_reserved_windows_name(name):
            issues.append(NameIssue.RESERVED)
        if name[-1] in ". ":
            issues.append(NameIssue.TRAILING_DOT_OR_SPACE)
    if name_length(name, target) > MAX_COMPONENT_LENGTH:
        issues.append(NameIssue.TOO_LONG)
    return issues


def forbidden_characters(text: str, target: TargetOS) -> list[str]:
    """The distinct characters of ``text`` a name on ``target`` may not hold, in order of use."""
    forbidden = WINDOWS_FORBIDDEN if target is TargetOS.WINDOWS else POSIX_FORBIDDEN
    seen: list[str] = []
    for char in text:
        if char in forbidden and char not in seen:
            seen.append(char)
    return seen


_WHITESPACE_CONTROLS = "\t\n\r\v\f\x85"
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# One pass over the text: line breaks become spaces, controls and forbidden characters "_".
_TO_SAFE = str.maketrans(
    {chr(code): REPLACEMENT for code in [*range(0x20), *range(0x7F, 0xA0)]}
    | {char: REPLACEMENT for char in WINDOWS_FORBIDDEN}
    | {char: " " for char in _WHITESPACE_CONTROLS}
)


def safe_name(
    value: str,
    target: TargetOS,
    *,
    keep_extension: bool = False,
    max_length: int = MAX_COMPONENT_LENGTH,
) -> str:
    """Turn any text into one portable, valid name for ``target``; ``""`` when nothing is left.

    Separators, ``<>:"|?*`` and control characters become ``_`` (line breaks become spaces),
    runs of spaces shrink to one, leading and trailing spaces and trailing dots go, a name
    made only of dots becomes empty, a Windows device name gets a ``_`` in front, and a name
    too long is cut (keeping a short extension when ``keep_extension``). The result can never
    be ``.`` or ``..`` and never holds a separator, so it cannot leave its folder.
    """
    text = unicodedata.normalize("NFC", value).translate(_TO_SAFE)
    # Lone surrogates cannot be written by any file system API; they are garbage, not names.
    text = _SURROGATES.sub(REPLACEMENT, text)
    name = " ".join(part for part in text.split(" ") if part)
    name = _strip_tail(name)
    if name.strip(".") == "":
        return ""
    if keep_extension:
        name = _fit_keeping_extension(name, target, max_length)
    else:
        name = _fit(name, target, max_length)
    if is_reserved_windows_name(name):
        name = _fit(REPLACEMENT + name, target, max_length)
    return name


def _strip_tail(name: str) -> str:
    return name.rstrip(". ").lstrip(" ")


def _fit(name: str, target: TargetOS, max_length: int) -> str:
    """Cut ``name`` to ``max_length`` units of ``target`` without splitting a character."""
    if name_length(name, target) <= max_length:
        return name
    cut = name[:max_length]  # every character takes at least one unit
    while cut and name_length(cut, target) > max_length:
        cut = cut[:-1]
    return _strip_tail(cut)


def _fit_keeping_extension(name: str, target: TargetOS, max_length: int) -> str:
    if name_length(name, target) <= max_length:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 16 or " " in extension:
        return _fit(name, target, max_length)
    suffix = "." + extension
    room = max_length - name_length(suffix, target)
    short_stem = _fit(stem, target, room)
    if not short_stem.strip("."):
        return _fit(name, target, max_length)
    return short_stem + suffix
