"""The variables a path template may hold, and their spellings in each language.

Users copy templates from the platform's help pages in English or French, and Dutch-speaking
offices read Dutch ones; all spellings are data so that another language is one more entry.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum

from app.core.language import Language


class VariableKey(StrEnum):
    """What a variable stands for, independent of how it is spelled."""

    ENTERPRISE_NAME = "enterprise_name"
    ENTERPRISE_IDENTIFIER = "enterprise_identifier"
    ACCOUNTING_FILE_ID = "accounting_file_id"
    YEAR = "year"
    MONTH = "month"
    DOCUMENT_TYPE = "document_type"


@dataclass(frozen=True)
class Variable:
    """One variable: its spellings (first of each language is the one to offer) and meaning."""

    key: VariableKey
    spellings: dict[Language, tuple[str, ...]]
    meaning: dict[Language, str]
    from_client: bool

    def spelling(self, language: Language) -> str:
        """The spelling to offer a person who works in ``language``."""
        return self.spellings[language][0]


VARIABLES: tuple[Variable, ...] = (
    Variable(
        VariableKey.ENTERPRISE_NAME,
        {
            Language.EN: ("enterprise_name",),
            Language.FR: ("nom_entreprise",),
            Language.NL: ("naam_onderneming",),
        },
        {
            Language.EN: "the client's company name",
            Language.FR: "le nom de l'entreprise cliente",
            Language.NL: "de naam van de klant-onderneming",
        },
        from_client=True,
    ),
    Variable(
        VariableKey.ENTERPRISE_IDENTIFIER,
        {
            Language.EN: ("enterprise_identifier",),
            Language.FR: ("identifiant_entreprise",),
            Language.NL: ("id_onderneming",),
        },
        {
            Language.EN: "the client's VAT number, e.g. BE0123456749",
            Language.FR: "le numéro de TVA du client, par ex. BE0123456749",
            Language.NL: "het btw-nummer van de klant, bv. BE0123456749",
        },
        from_client=True,
    ),
    Variable(
        VariableKey.ACCOUNTING_FILE_ID,
        {
            Language.EN: ("accounting_file_id",),
            Language.FR: ("id_fichier_comptable",),
            Language.NL: ("id_boekhouddossier",),
        },
        {
            Language.EN: "the client's file (dossier) number in the accounting software",
            Language.FR: "le numéro de dossier du client dans le logiciel comptable",
            Language.NL: "het dossiernummer van de klant in het boekhoudpakket",
        },
        from_client=True,
    ),
    Variable(
        VariableKey.YEAR,
        {Language.EN: ("year",), Language.FR: ("annee", "année"), Language.NL: ("jaar",)},
        {
            Language.EN: "the year of the document's date, e.g. 2026",
            Language.FR: "l'année de la date du document, par ex. 2026",
            Language.NL: "het jaar van de documentdatum, bv. 2026",
        },
        from_client=False,
    ),
    Variable(
        VariableKey.MONTH,
        {Language.EN: ("month",), Language.FR: ("mois",), Language.NL: ("maand",)},
        {
            Language.EN: "the month of the document's date, two digits, e.g. 03",
            Language.FR: "le mois de la date du document, deux chiffres, par ex. 03",
            Language.NL: "de maand van de documentdatum, twee cijfers, bv. 03",
        },
        from_client=False,
    ),
    Variable(
        VariableKey.DOCUMENT_TYPE,
        {
            Language.EN: ("document_type",),
            Language.FR: ("type_document",),
            Language.NL: ("documenttype",),
        },
        {
            Language.EN: "the kind of document: purchase, sales, statements, receipts or other",
            Language.FR: "le type de document : purchase, sales, statements, receipts ou other",
            Language.NL: "het soort document: purchase, sales, statements, receipts of other",
        },
        from_client=False,
    ),
)

_BY_SPELLING: dict[str, Variable] = {
    spelling: variable
    for variable in VARIABLES
    for spellings in variable.spellings.values()
    for spelling in spellings
}


def find_variable(name: str) -> Variable | None:
    """The variable spelled ``name`` (without brackets, any case), or None."""
    return _BY_SPELLING.get(name.strip().lower())


def closest_spelling(name: str) -> str | None:
    """The known spelling nearest to a mistyped one, to offer as a hint."""
    candidates = difflib.get_close_matches(
        name.strip().lower(), list(_BY_SPELLING), n=1, cutoff=0.6
    )
    return candidates[0] if candidates else None


def variable(key: VariableKey) -> Variable:
    """The variable for ``key``."""
    for candidate in VARIABLES:
        if candidate.key is key:
            return candidate
    raise KeyError(key)  # pragma: no cover - every key has an entry, tested
