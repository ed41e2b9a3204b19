"""Words the command line puts beside a document's status: why it waits, where it went.

The status itself is :meth:`app.core.kinds.DeliveryStatus.label`; a failure is worded by
:mod:`app.core.failures`. These are the few notes in between, in the same three languages.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.language import FALLBACK, Language

_WAITING: dict[Language, str] = {
    Language.EN: "Waiting",
    Language.FR: "En attente",
    Language.NL: "Wacht",
}

_MOVED: dict[Language, str] = {
    Language.EN: "Picked up or moved from {destinations} (not delivered again by itself; "
    "'ferry deliver-again' writes it again)",
    Language.FR: "Pris en charge ou déplacé depuis {destinations} (pas relivré de lui-même ; "
    "« ferry deliver-again » l'écrit à nouveau)",
    Language.NL: "Opgehaald of verplaatst uit {destinations} (niet vanzelf opnieuw geleverd; "
    "'ferry deliver-again' schrijft het opnieuw)",
}

_SUMMARY_MOVED: dict[Language, str] = {
    Language.EN: "{count} forwarded document(s) picked up or moved from {destination}",
    Language.FR: "{count} document(s) transmis pris en charge ou déplacé(s) depuis {destination}",
    Language.NL: "{count} doorgestuurd(e) document(en) opgehaald of verplaatst uit {destination}",
}


def waiting(language: Language = FALLBACK) -> str:
    """The status a document shows while a destination waits on a cause that passes."""
    return _WAITING[language]


def moved(destinations: Sequence[str], language: Language = FALLBACK) -> str:
    """A Forwarded document whose files the accounting software took away."""
    return _MOVED[language].format(destinations=", ".join(destinations))


def moved_count(count: int, destination: str, language: Language = FALLBACK) -> str:
    """A full sync's count of such documents for one destination."""
    return _SUMMARY_MOVED[language].format(count=count, destination=destination)


_RUN_KINDS: dict[str, dict[Language, str]] = {
    "incremental": {
        Language.EN: "incremental",
        Language.FR: "incrémentale",
        Language.NL: "incrementele",
    },
    "full": {Language.EN: "full", Language.FR: "complète", Language.NL: "volledige"},
    "catch-up": {Language.EN: "catch-up", Language.FR: "de rattrapage", Language.NL: "inhaal"},
    "resend": {Language.EN: "resend", Language.FR: "de renvoi", Language.NL: "herzend"},
    "retry": {Language.EN: "retry", Language.FR: "de nouvel essai", Language.NL: "herhaal"},
    "deliver-again": {
        Language.EN: "deliver-again",
        Language.FR: "de nouvelle livraison",
        Language.NL: "herlever",
    },
    "continuous": {Language.EN: "continuous", Language.FR: "continue", Language.NL: "doorlopende"},
    "task-full": {
        Language.EN: "platform task: full",
        Language.FR: "complète (tâche de la plateforme)",
        Language.NL: "volledige (platformtaak)",
    },
    "task-resend": {
        Language.EN: "platform task: resend",
        Language.FR: "de renvoi (tâche de la plateforme)",
        Language.NL: "herzend (platformtaak)",
    },
}

_RUN_LINE: dict[Language, str] = {
    Language.EN: "{kind} sync: {documents} document(s) handled, {delivered} delivered, "
    "{failed} in error",
    Language.FR: "Synchronisation {kind} : {documents} document(s) traité(s), {delivered} "
    "livré(s), {failed} en erreur",
    Language.NL: "{kind} synchronisatie: {documents} document(en) verwerkt, {delivered} "
    "geleverd, {failed} met een fout",
}

_SKIPPED: dict[Language, str] = {
    Language.EN: "{count} not for any destination",
    Language.FR: "{count} pour aucune destination",
    Language.NL: "{count} voor geen enkele bestemming",
}


def run_line(
    kind: str,
    documents: int,
    delivered: int,
    failed: int,
    skipped: int,
    moved: dict[str, int],
    language: Language = FALLBACK,
) -> str:
    """One sync run in a line, for the command line."""
    kind_word = _RUN_KINDS.get(kind, {}).get(language, kind)
    text = _RUN_LINE[language].format(
        kind=kind_word, documents=documents, delivered=delivered, failed=failed
    )
    if language is Language.NL:
        text = text[:1].upper() + text[1:]
    if skipped:
        text += ", " + _SKIPPED[language].format(count=skipped)
    for destination, count in sorted(moved.items()):
        text += "; " + moved_count(count, destination, language)
    return text
