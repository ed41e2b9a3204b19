"""Document kinds and delivery statuses, with the words people see for them.

The enum values are the platform API's own strings, so they travel unchanged between the
platform, the state store and the engine; the words are only for people.
"""

from __future__ import annotations

from enum import StrEnum

from app.core.language import FALLBACK, Language


class DocumentKind(StrEnum):
    """What a document is; decides which folder of a destination receives it."""

    PURCHASE = "purchase"
    SALES = "sales"
    STATEMENT = "statement"
    RECEIPT = "receipt"
    OTHER = "other"

    def label(self, language: Language = FALLBACK) -> str:
        return _KIND_LABELS[self][language]

    @property
    def folder_word(self) -> str:
        """The stable lowercase word that ``[document_type]`` puts into a path.

        It never changes with the user's language: folders must not move when someone
        switches Ferry to French.
        """
        return _FOLDER_WORDS[self]


class DeliveryStatus(StrEnum):
    """Where a document stands, as the platform and the accountant both see it."""

    TO_FETCH = "to_fetch"
    ERROR = "error"
    FORWARDED = "forwarded"

    def label(self, language: Language = FALLBACK) -> str:
        return _STATUS_LABELS[self][language]


_FOLDER_WORDS: dict[DocumentKind, str] = {
    DocumentKind.PURCHASE: "purchase",
    DocumentKind.SALES: "sales",
    DocumentKind.STATEMENT: "statements",
    DocumentKind.RECEIPT: "receipts",
    DocumentKind.OTHER: "other",
}

_KIND_LABELS: dict[DocumentKind, dict[Language, str]] = {
    DocumentKind.PURCHASE: {
        Language.EN: "Purchase invoice",
        Language.FR: "Facture d'achat",
        Language.NL: "Aankoopfactuur",
    },
    DocumentKind.SALES: {
        Language.EN: "Sales invoice",
        Language.FR: "Facture de vente",
        Language.NL: "Verkoopfactuur",
    },
    DocumentKind.STATEMENT: {
        Language.EN: "Bank statement",
        Language.FR: "Extrait de compte",
        Language.NL: "Rekeninguittreksel",
    },
    DocumentKind.RECEIPT: {
        Language.EN: "Receipt",
        Language.FR: "Reçu",
        Language.NL: "Ontvangstbewijs",
    },
    DocumentKind.OTHER: {
        Language.EN: "Other document",
        Language.FR: "Autre document",
        Language.NL: "Ander document",
    },
}

_STATUS_LABELS: dict[DeliveryStatus, dict[Language, str]] = {
    DeliveryStatus.TO_FETCH: {
        Language.EN: "To fetch",
        Language.FR: "À récupérer",
        Language.NL: "Op te halen",
    },
    DeliveryStatus.ERROR: {
        Language.EN: "Error",
        Language.FR: "Erreur",
        Language.NL: "Fout",
    },
    DeliveryStatus.FORWARDED: {
        Language.EN: "Forwarded",
        Language.FR: "Transféré",
        Language.NL: "Doorgestuurd",
    },
}


def parse_kind(text: str) -> DocumentKind:
    """Read a kind as a person or the platform writes it: API value or folder word, any case."""
    wanted = text.strip().lower()
    for kind in DocumentKind:
        if wanted in (kind.value, kind.folder_word):
            return kind
    known = ", ".join(k.value for k in DocumentKind)
    raise ValueError(f"'{text}' is not a document kind; use one of: {known}")
