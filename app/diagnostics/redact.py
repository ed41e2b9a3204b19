"""What every text goes through on its way into a diagnostics zip, and the check after it.

Logs are scrubbed when written (:func:`app.logs.scrub`), but a zip may hold lines written by
an older Ferry, a file someone put in the log folder, or values read from the settings and
the state: everything is scrubbed once more here, with a URL's user name and password
removed too (a proxy or mail server address may carry them). With hashing asked for, known
client names, VAT numbers, counterparties, the person's name and file names are then
replaced by their pseudonyms, whatever text they sit in.

Names are found with one regular expression built as a trie (a shared prefix is tried once),
so a log of many megabytes against tens of thousands of file names stays linear in the log.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.core.names import TargetOS, safe_name
from app.diagnostics.pseudonyms import PSEUDONYM, NameKind, Pseudonymiser, normalised
from app.logs import scrub

#: ``scheme://user:password@`` or ``scheme://user@``: the user part goes, the address stays.
URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s@\"'<>]+@")

#: Names shorter than this are replaced only as whole words: three letters inside another
#: word are far more likely an accident than the client.
SHORT_NAME = 5
#: Shorter than this is not a name worth replacing (a one-letter "client" would rewrite
#: every line); such a name cannot identify anyone in a log anyway.
MIN_NAME = 2


def without_secrets(text: str) -> str:
    """``text`` scrubbed as the logs are, and without credentials in URLs."""
    return URL_CREDENTIALS.sub(r"\1", scrub(text))


class LeakKind(StrEnum):
    """What a text still holds that may not leave the computer."""

    URL_CREDENTIALS = "url_credentials"
    SECRET = "secret"  # a token, an authorization code, a password
    NAME = "name"  # a known client or file name, when names were to be replaced


@dataclass(frozen=True)
class Leak:
    kind: LeakKind
    #: For a name: its pseudonym, which says which name without repeating it.
    pseudonym: str | None = None


def secret_left(text: str) -> Leak | None:
    """What in ``text`` still looks like a secret, or None.

    Scrubbing is a fixed point on its own output, so any change it would still make means
    something secret-looking got past the cleaning."""
    if URL_CREDENTIALS.search(text):
        return Leak(LeakKind.URL_CREDENTIALS)
    if scrub(text) != text:
        return Leak(LeakKind.SECRET)
    return None


def _trie_pattern(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words`` (already case folded), longest
    alternative first at each branch so the longest name wins."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def _alternatives(words: Iterable[str]) -> str:
    """The plain alternation, longest first: slower than the trie but never nested."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _compile(
    long_names: list[str], short_names: list[str], join: Callable[[Iterable[str]], str]
) -> re.Pattern[str]:
    parts = []
    if long_names:
        parts.append(join(long_names))
    if short_names:
        parts.append(r"(?<!\w)" + join(short_names) + r"(?!\w)")
    return re.compile("|".join(parts), re.IGNORECASE)


@dataclass
class NameBook:
    """The names to hide, each with its pseudonym, gathered before any text is cleaned."""

    pseudonymiser: Pseudonymiser
    _names: dict[str, str] = field(default_factory=dict)  # lower-case variant -> pseudonym
    _folded: dict[str, str] = field(default_factory=dict)  # case-folded variant -> pseudonym
    _pattern: re.Pattern[str] | None = None

    def add(self, kind: NameKind, name: str | None) -> None:
        """A name to hide, with the forms a path gives it (a file name Windows accepts)."""
        if name is None or len(name.strip()) < MIN_NAME:
            return
        pseudonym = self.pseudonymiser.pseudonym(kind, name)
        variants = {name.strip(), normalised(name)}
        for target in (TargetOS.WINDOWS, TargetOS.POSIX):
            variants.add(safe_name(name, target, keep_extension=kind is NameKind.FILE))
        for variant in variants:
            if len(variant) >= MIN_NAME:
                self._names.setdefault(variant.lower(), pseudonym)
                self._folded.setdefault(variant.casefold(), pseudonym)
        self._pattern = None

    def __len__(self) -> int:
        return len(set(self._names.values()))

    def pseudonym(self, kind: NameKind, name: str) -> str:
        return self.pseudonymiser.pseudonym(kind, name)

    def _regex(self) -> re.Pattern[str] | None:
        if not self._names:
            return None
        if self._pattern is None:
            long_names = [n for n in self._names if len(n) >= SHORT_NAME]
            short_names = [n for n in self._names if len(n) < SHORT_NAME]
            try:
                self._pattern = _compile(long_names, short_names, _trie_pattern)
            except RecursionError:  # names nested hundreds deep (each a prefix of the next)
                self._pattern = _compile(long_names, short_names, _alternatives)
        return self._pattern

    def replace(self, text: str) -> str:
        pattern = self._regex()
        if pattern is None:
            return text
        return pattern.sub(lambda match: self._lookup(match.group(0)), text)

    def _lookup(self, found: str) -> str:
        """The pseudonym of a name found in any case (the regex's case rules and Python's
        ``lower`` differ on a few letters: the case-folded form is the second try)."""
        return self._names.get(found.lower()) or self._folded.get(found.casefold()) or "[name]"

    def name_left(self, text: str) -> str | None:
        """The pseudonym of a known name still in ``text`` (never the name itself), or None.

        Pseudonyms are set aside first: a client named "Client" is in every ``client-…``."""
        pattern = self._regex()
        if pattern is None:
            return None
        match = pattern.search(PSEUDONYM.sub("\x00", text))
        return self._lookup(match.group(0)) if match else None


@dataclass
class Redactor:
    """Cleans every text of a zip the same way: secrets always, names when a book is given."""

    names: NameBook | None = None

    def text(self, text: str) -> str:
        cleaned = without_secrets(text)
        return self.names.replace(cleaned) if self.names is not None else cleaned

    def data(self, value: Any) -> Any:
        """A JSON-shaped value with every string (keys too) cleaned."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(key)): self.data(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value

    def data_leak(self, value: Any) -> Leak | None:
        """What a JSON-shaped value holds that may not go into the zip, or None.

        Each string is checked on its own (keys too), since JSON's own punctuation would
        otherwise make ``{"Code": {"delivered": 1}}`` (a destination named Code) look like a
        ``code: ...`` pair; and each key with a text value is checked as ``key=value``, which
        is how a secret-named entry looks to the scrubber."""
        if isinstance(value, str):
            return self.leak(value)
        if isinstance(value, Mapping):
            for key, item in value.items():
                found = self.leak(str(key)) or self.data_leak(item)
                if found is None and isinstance(item, str):
                    found = self.leak(f"{key}={item}")
                if found is not None:
                    return found
            return None
        if isinstance(value, list | tuple):
            for item in value:
                found = self.data_leak(item)
                if found is not None:
                    return found
        return None

    def leak(self, text: str) -> Leak | None:
        """What in ``text`` may not go into the zip (naming no secret and no name), or None."""
        found = secret_left(text)
        if found is not None:
            return found
        if self.names is not None:
            left = self.names.name_left(text)
            if left is not None:
                return Leak(LeakKind.NAME, left)
        return None
