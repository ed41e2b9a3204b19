"""The values the generator hands to the sandbox server.

They are plain frozen dataclasses rather than pydantic models so that the generator does not
depend on the API layer: the server stores them in SQLite and builds its own payloads from them.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass
from typing import Final, Literal

DocumentKindName = Literal["purchase", "sales", "statement", "receipt", "other"]

KINDS: Final[tuple[DocumentKindName, ...]] = ("purchase", "sales", "statement", "receipt", "other")

# Each login realm of the sandbox is one country's office; its clients live in that country.
REALM_COUNTRIES: Final[dict[str, str]] = {"be": "BE", "nl": "NL", "fr": "FR", "lu": "LU"}

MEDIA_XML: Final = "application/xml"
MEDIA_PDF: Final = "application/pdf"
MEDIA_CODA: Final = "text/plain"


@dataclass(frozen=True)
class GeneratedClient:
    """A client company of the accounting office, as the platform lists it.

    Only these five fields survive a round trip through the server's database, so everything
    else the generator needs about a client (address, language, trade) is derived from them.
    """

    name: str
    vat_number: str
    country: str
    accounting_file_id: str
    iban: str


@dataclass(frozen=True)
class GeneratedFile:
    """One file of a document, with the exact bytes the platform will serve."""

    name: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class GeneratedDocument:
    """A document of one client with the metadata the platform shows beside its files."""

    kind: str
    number: str
    issue_date: datetime.date
    amount: decimal.Decimal
    currency: str
    counterparty: str
    files: tuple[GeneratedFile, ...]
