"""Stable stand-ins for client names and file names in an exported diagnostics zip.

Support must be able to say "the same client failed in both exports" without learning who
the client is. A plain hash would let anyone hash a list of company names and find the one
that matches, so each pseudonym is an HMAC-SHA256 under a random key of this installation:
the same name gives the same pseudonym in every export of this Ferry, and nobody without
the key (kept in the state folder, never put in a zip) can test a guess. The key is not a
secret worth the keyring: it protects names that the same folder's state file holds in
clear anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePath

from app.atomic_files import write_text_atomic

KEY_FILE = "diagnostics.key"
KEY_BYTES = 32
#: Hex digits of the HMAC kept: 32 bits tell a few thousand names apart with room to spare,
#: and stay short enough to read in a log line.
DIGITS = 8


class NameKind(StrEnum):
    """What a name is; the kind is part of both the pseudonym and its HMAC input."""

    CLIENT = "client"
    VAT = "vat"
    PARTY = "party"  # a document's counterparty
    USER = "user"  # the person logged in
    FILE = "file"


#: Any pseudonym :meth:`Pseudonymiser.pseudonym` makes.
PSEUDONYM = re.compile(
    rf"(?:{'|'.join(kind.value for kind in NameKind)})-[0-9a-f]{{{DIGITS}}}(?:\.[a-z0-9]{{1,7}})?"
)


class PseudonymKeyError(OSError):
    """The installation's pseudonym key cannot be read or made; ``path`` says where."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(error.errno, error.strerror or str(error), str(path))
        self.path = path


def installation_key(state_dir: Path) -> bytes:
    """This installation's pseudonym key, made on first use (32 random bytes, as hex).

    A key file that is damaged (not 64 hex digits) is replaced: pseudonyms then change once,
    which costs support a correlation, never a name.
    """
    path = state_dir / KEY_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
        return bytes.fromhex(text) if len(text) == 2 * KEY_BYTES else _new_key(path)
    except FileNotFoundError:
        return _new_key(path)
    except ValueError:
        return _new_key(path)
    except OSError as error:
        raise PseudonymKeyError(path, error) from error


def _new_key(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    try:
        write_text_atomic(path, key.hex() + "\n")
    except OSError as error:
        raise PseudonymKeyError(path, error) from error
    return key


def normalised(name: str) -> str:
    """A name as compared: NFC, case folded, runs of white space as one space, trimmed, so
    that ``ACME  nv`` and ``Acme NV`` get one pseudonym."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(frozen=True)
class Pseudonymiser:
    """Names to pseudonyms under one installation's key."""

    key: bytes

    def digest(self, kind: NameKind, name: str) -> str:
        message = f"{kind.value}\x00{normalised(name)}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:DIGITS]

    def pseudonym(self, kind: NameKind, name: str) -> str:
        """``client-3f9a1c2b``; a file keeps its extension (``file-0b1c2d3e.xml``), which
        says what kind of file failed without saying which."""
        stem = f"{kind.value}-{self.digest(kind, name)}"
        if kind is NameKind.FILE:
            suffix = PurePath(name).suffix
            if 1 < len(suffix) <= 8 and suffix[1:].isascii() and suffix[1:].isalnum():
                return stem + suffix.lower()
        return stem
