"""Failures as data: what went wrong, as a code and its parameters, worded when shown.

A :class:`Failure` is made where something fails (a folder refuses a file, the platform answers
503, the connection drops) and carries no sentence: only a :class:`FailureCode` and the values
a sentence needs, all strings, so it can be stored, sent between processes as JSON, compared
and grouped. The sentence is made by :meth:`Failure.message` in the reader's language: the
person's in the app, the office's in a report to the platform. Nothing decides from the words:
whether to retry is :attr:`Failure.transient`, what counts as "the same fault" is
:meth:`Failure.key`.

Parameters, by the codes that use them:

- ``folder`` (the folder written in, shortened in the middle when very long), ``root`` (the
  folder every client's folder of that destination lies in: the drive, the share or the fixed
  start of the path template), ``said`` (the system's own words), ``errno``;
- ``destination`` (the destination's name), ``name`` (a file name), ``document`` (a document's
  number or id), ``size``, ``expected_size``, ``limit``;
- ``action`` (what Ferry was doing with the platform, a code of :data:`ACTIONS`), ``status``
  (the HTTP status), ``detail`` (the platform's own words), ``reason`` (a code: why the
  platform could not be reached, or why an invoice gave no PDF), ``task``, ``count``,
  ``sent``, ``answered``;
- ``login``: how the login that is needed again was made (``api_key``: a key to paste, not a
  browser login), with ``platform``, the platform's name;
- ``retry_at``: when Ferry tries again, ISO 8601 in UTC, shown in local time;
- ``problems`` (a path template's problems, as JSON made by :func:`problems_param`) and
  ``client``.

Pure: no Qt, no disk, no network.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

from app.core.language import FALLBACK, Language
from app.core.problems import Problem, ProblemCode


class FailureCode(StrEnum):
    """Every kind of failure that reaches a person or the platform."""

    # -- writing into a destination folder
    PERMISSION = "permission"
    DISK_FULL = "disk_full"
    PATH_TOO_LONG = "path_too_long"
    LOCKED = "locked"
    UNREACHABLE = "unreachable"
    NOT_A_FOLDER = "not_a_folder"
    NAME_CLASH = "name_clash"
    OS_OTHER = "os_other"
    # -- the document's files
    CHECKSUM = "checksum"
    DOWNLOAD_CUT = "download_cut"
    NO_PDF = "no_pdf"
    TOO_BIG = "too_big"
    PATH_TEMPLATE = "path_template"
    # -- the platform
    PLATFORM_BUSY = "platform_busy"
    PLATFORM_UNAVAILABLE = "platform_unavailable"
    PLATFORM_ERROR = "platform_error"
    PLATFORM_REFUSED = "platform_refused"
    PLATFORM_NOT_FOUND = "platform_not_found"
    PLATFORM_NOT_UNDERSTOOD = "platform_not_understood"
    PLATFORM_INCONSISTENT = "platform_inconsistent"
    LOGIN_REFUSED = "login_refused"
    FORBIDDEN = "forbidden"
    OFFLINE = "offline"
    LOGIN_NEEDED = "login_needed"
    #: Beside a document's failures: the platform takes no Error report, so Ferry keeps it.
    NOT_REPORTED = "not_reported"
    # -- Ferry itself: a bug or a state write refused; the document stays queued
    INTERNAL = "internal"
    # -- a code this version does not know (read from a newer Ferry's data)
    UNKNOWN = "unknown"

    # The name the delivery module used before; an alias, not a code of its own.
    OTHER = "os_other"

    @classmethod
    def _missing_(cls, value: object) -> FailureCode | None:
        """Codes that older versions stored under other values."""
        return _LEGACY.get(str(value))


_LEGACY = {
    "other": FailureCode.OS_OTHER,
    "path": FailureCode.PATH_TEMPLATE,
    "platform": FailureCode.PLATFORM_REFUSED,
}

#: Worth trying again by itself, without a person doing anything.
TRANSIENT_CODES = frozenset(
    {
        FailureCode.LOCKED,
        FailureCode.UNREACHABLE,
        FailureCode.DOWNLOAD_CUT,
        FailureCode.PLATFORM_BUSY,
        FailureCode.PLATFORM_UNAVAILABLE,
        FailureCode.PLATFORM_ERROR,
        FailureCode.PLATFORM_INCONSISTENT,
        FailureCode.OFFLINE,
        FailureCode.INTERNAL,
    }
)


class Action(StrEnum):
    """What Ferry was asking the platform when it failed (the ``action`` parameter)."""

    READ_OFFICE = "read_office"
    LIST_CLIENTS = "list_clients"
    WAIT_CHANGES = "wait_changes"
    LIST_DOCUMENTS = "list_documents"
    READ_DOCUMENT = "read_document"  # + document
    DOWNLOAD = "download"  # + document
    REPORT = "report"  # + document
    REPORT_BATCH = "report_batch"  # + count
    RESEND = "resend"
    WAIT_TASKS = "wait_tasks"
    REPORT_TASK = "report_task"  # + task


ACTIONS = frozenset(Action)


class OfflineReason(StrEnum):
    """Why the platform could not be reached (the ``reason`` parameter of ``offline``)."""

    TIMEOUT = "timeout"
    REFUSED = "refused"
    CUT = "cut"


class NoPdfReason(StrEnum):
    """Why an invoice gave no PDF (the ``reason`` parameter of ``no_pdf``)."""

    NONE = "none"
    UNREADABLE = "unreadable"


# What identifies a fault regardless of the document it hit, per code (see Failure.key).
# The folder's root (its drive, share or the fixed start of the destination's path) and the
# destination name the cause; the document, the file name and the full per-client folder
# only say where it happened to show, so they are left out, as are the system's words
# (they may name the file) and retry_at. A code not listed is identified by itself.
_KEY_PARAMS: dict[FailureCode, tuple[str, ...]] = {
    FailureCode.PERMISSION: ("destination", "root"),
    FailureCode.DISK_FULL: ("destination", "root"),
    FailureCode.PATH_TOO_LONG: ("destination", "root"),
    FailureCode.LOCKED: ("destination", "root"),
    FailureCode.UNREACHABLE: ("destination", "root"),
    FailureCode.NOT_A_FOLDER: ("destination", "root"),
    FailureCode.NAME_CLASH: ("destination", "root"),
    FailureCode.OS_OTHER: ("destination", "root", "errno"),
    FailureCode.CHECKSUM: ("destination",),
    FailureCode.NO_PDF: ("destination", "reason"),
    FailureCode.TOO_BIG: ("destination",),
    FailureCode.PATH_TEMPLATE: ("destination",),  # and the problems' codes
    FailureCode.PLATFORM_REFUSED: ("action", "status"),
    FailureCode.PLATFORM_NOT_FOUND: ("action",),
    FailureCode.PLATFORM_NOT_UNDERSTOOD: ("action",),
    FailureCode.FORBIDDEN: ("action",),
    FailureCode.UNKNOWN: ("unknown_code",),
}


def shown(path: str | PurePath, limit: int = 160) -> str:
    """A path as a message shows it: whole when short, its start and end when very long, so
    the reason and the remedy after it are never cut off."""
    text = str(path)
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return f"{text[:half]}…{text[-half:]}"


def problems_param(problems: Iterable[Problem]) -> str:
    """A path template's problems as one string parameter (JSON), to be worded later in any
    language by :meth:`Problem.message`."""
    return json.dumps(
        [{"code": p.code.value, "params": dict(p.params), "variant": p.variant} for p in problems],
        ensure_ascii=False,
        sort_keys=True,
    )


def problems_from_param(text: str | None) -> list[Problem]:
    """The problems :func:`problems_param` wrote; what cannot be read is left out."""
    try:
        items = json.loads(text or "[]")
    except ValueError:
        return []
    problems: list[Problem] = []
    for item in items if isinstance(items, list) else []:
        try:
            params = {str(k): str(v) for k, v in dict(item.get("params", {})).items()}
            problems.append(
                Problem(
                    ProblemCode(item["code"]),
                    tuple(sorted(params.items())),
                    variant=str(item.get("variant", "")),
                )
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
    return problems


ParamValue = str | int | None


@dataclass(frozen=True)
class Failure:
    """One failure: a code and the values its sentence needs (strings, sorted by name)."""

    code: FailureCode
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: FailureCode, **params: ParamValue) -> Failure:
        """A failure with ``params``; numbers become text, ``None`` leaves a parameter out."""
        return cls(code, tuple(sorted((k, str(v)) for k, v in params.items() if v is not None)))

    def with_params(self, **params: ParamValue) -> Failure:
        """The same failure with parameters added or replaced (``None`` removes one)."""
        merged: dict[str, ParamValue] = {**dict(self.params), **params}
        return Failure.of(self.code, **merged)

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)

    @property
    def transient(self) -> bool:
        """Worth trying again by itself; otherwise a person must change something."""
        return self.code in TRANSIENT_CODES

    def key(self) -> str:
        """What identifies the fault whichever document it hit, to group notifications.

        The code and the parameters that name the cause (see ``_KEY_PARAMS``): two documents
        of different clients failing because one share is read-only give one key; another
        share, another destination or another kind of failure gives another.
        """
        values = dict(self.params)
        parts = [self.code.value]
        parts += [f"{n}={values[n]}" for n in _KEY_PARAMS.get(self.code, ()) if n in values]
        if self.code is FailureCode.PATH_TEMPLATE:
            codes = sorted({p.code.value for p in problems_from_param(values.get("problems"))})
            parts.append("problems=" + ",".join(codes))
        return "|".join(parts)

    def to_json(self) -> dict[str, object]:
        return {"code": self.code.value, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: object) -> Failure:
        """What :meth:`to_json` wrote; a code this version does not know (written by a newer
        one) or anything malformed gives an ``unknown`` failure that still words itself."""
        if not isinstance(data, Mapping):
            return cls.of(FailureCode.UNKNOWN, unknown_code="?")
        raw_code = data.get("code")
        raw_params = data.get("params")
        params = (
            {str(k): str(v) for k, v in raw_params.items() if v is not None}
            if isinstance(raw_params, Mapping)
            else {}
        )
        try:
            code = FailureCode(str(raw_code)) if isinstance(raw_code, str) else None
        except ValueError:
            code = None
        if code is None or (code is FailureCode.UNKNOWN and "unknown_code" not in params):
            params["unknown_code"] = str(raw_code)
            return cls.of(FailureCode.UNKNOWN, **params)
        return cls.of(code, **params)

    def message(
        self,
        language: Language = FALLBACK,
        *,
        now: dt.datetime | None = None,
        zone: dt.tzinfo | None = None,
    ) -> str:
        """A complete sentence in ``language``: what happened, where, what the system or the
        platform said, and what to do or when Ferry tries again.

        ``retry_at`` is shown in ``zone`` (the computer's own by default), with the date when
        it is not today (``now``'s day).
        """
        values = _Values(self.params)
        variant = ""
        if self.code is FailureCode.NO_PDF:
            variant = values.get("reason", NoPdfReason.NONE.value)
            if variant not in {reason.value for reason in NoPdfReason}:
                variant = NoPdfReason.NONE.value
        key_login = values.get("login") == "api_key" and "platform" in values
        if self.code is FailureCode.LOGIN_NEEDED and key_login:
            variant = "api_key"  # nothing to log in to again: a new key to paste
        if "folder" in values:
            values["folder"] = shown(values["folder"])
        said = self.param("said")
        style = _SAID_SYSTEM if self.code in _SYSTEM_CODES else _SAID_PLAIN
        values["said"] = style[language].format(said=said) if said else ""
        values["action"] = _action_words(self.params, language)
        values["reason"] = _OFFLINE_REASONS.get(values.get("reason", ""), _OFFLINE_REASONS[""])[
            language
        ]
        if self.code is FailureCode.PATH_TEMPLATE:
            values["problems"] = _problems_words(self.param("problems"), language)
        text = _MESSAGES[(self.code, variant)][language].format_map(values)
        detail = self.param("detail")
        if detail:
            text += " " + _DETAIL[language].format(detail=detail.strip().rstrip("."))
        retry = _retry_words(self.param("retry_at"), language, now, zone)
        if retry:
            text += " " + retry
        elif self.transient:
            text += " " + _BY_ITSELF[language]
        return text

    def __str__(self) -> str:
        return self.message()


class _Values(dict[str, str]):
    """Parameters for a sentence; one missing shows as "?" rather than failing the message."""

    def __init__(self, params: Iterable[tuple[str, str]]) -> None:
        super().__init__(params)

    def __missing__(self, key: str) -> str:
        return "?"


def _action_words(params: Iterable[tuple[str, str]], language: Language) -> str:
    values = _Values(params)
    words = _ACTIONS.get(values.get("action", ""), _ACTIONS[""])
    return words[language].format_map(values)


def _problems_words(text: str | None, language: Language) -> str:
    problems = problems_from_param(text)
    if not problems:
        return _NO_PROBLEM_WORDS[language]
    sentences: list[str] = []
    for problem in problems:
        try:
            sentence = problem.message(language)
        except (KeyError, ValueError, IndexError):
            sentence = f"[{problem.code.value}]"
        sentences.append(sentence if sentence.endswith((".", "?", "!")) else sentence + ".")
    return " ".join(sentences)


def _retry_words(
    retry_at: str | None,
    language: Language,
    now: dt.datetime | None,
    zone: dt.tzinfo | None,
) -> str:
    if not retry_at:
        return ""
    try:
        moment = dt.datetime.fromisoformat(retry_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        local = moment.astimezone(zone)
    except (ValueError, OverflowError):  # not a time, or beyond what a clock shows
        return ""
    today = (now or dt.datetime.now(dt.UTC)).astimezone(zone).date()
    time = local.strftime("%H:%M")
    if local.date() == today:
        return _RETRY_AT[language].format(time=time)
    return _RETRY_ON[language].format(time=time, date=local.strftime("%d/%m"))


def retry_at_param(moment: float | dt.datetime) -> str:
    """A ``retry_at`` parameter: ``moment`` (a datetime, or seconds since the epoch) as ISO
    8601 in UTC, to the second."""
    if isinstance(moment, dt.datetime):
        when = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    else:
        when = dt.datetime.fromtimestamp(moment, dt.UTC)
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --- the words ------------------------------------------------------------------------------

_M = dict[Language, str]

# Codes whose ``said`` is the operating system's.
_SYSTEM_CODES = frozenset(
    {
        FailureCode.PERMISSION,
        FailureCode.DISK_FULL,
        FailureCode.PATH_TOO_LONG,
        FailureCode.LOCKED,
        FailureCode.UNREACHABLE,
        FailureCode.NOT_A_FOLDER,
        FailureCode.NAME_CLASH,
        FailureCode.OS_OTHER,
    }
)

_SAID_SYSTEM: _M = {
    Language.EN: " (the system said: {said})",
    Language.FR: " (le système a répondu : « {said} »)",
    Language.NL: " (het systeem meldde: “{said}”)",
}

_SAID_PLAIN: _M = {
    Language.EN: " (“{said}”)",
    Language.FR: " (« {said} »)",
    Language.NL: " (“{said}”)",
}

_DETAIL: _M = {
    Language.EN: "The platform said: “{detail}”.",
    Language.FR: "La plateforme a précisé : « {detail} ».",
    Language.NL: "Het platform meldde: “{detail}”.",
}

_RETRY_AT: _M = {
    Language.EN: "Ferry will try again at {time}.",
    Language.FR: "Ferry réessaiera à {time}.",
    Language.NL: "Ferry probeert het om {time} opnieuw.",
}

_RETRY_ON: _M = {
    Language.EN: "Ferry will try again on {date} at {time}.",
    Language.FR: "Ferry réessaiera le {date} à {time}.",
    Language.NL: "Ferry probeert het op {date} om {time} opnieuw.",
}

_BY_ITSELF: _M = {
    Language.EN: "Ferry will try again by itself.",
    Language.FR: "Ferry réessaiera de lui-même.",
    Language.NL: "Ferry probeert het vanzelf opnieuw.",
}

_NO_PROBLEM_WORDS: _M = {
    Language.EN: "it cannot be made for this client.",
    Language.FR: "il ne peut pas être construit pour ce client.",
    Language.NL: "het kan voor deze klant niet worden opgebouwd.",
}

# What Ferry was doing, as words that follow a statement ("... while reading the office").
_ACTIONS: dict[str, _M] = {
    "": {
        Language.EN: "while talking to it",
        Language.FR: "pendant un échange avec elle",
        Language.NL: "tijdens het contact ermee",
    },
    Action.READ_OFFICE: {
        Language.EN: "while reading the office's details",
        Language.FR: "pendant la lecture des données du bureau",
        Language.NL: "bij het ophalen van de kantoorgegevens",
    },
    Action.LIST_CLIENTS: {
        Language.EN: "while listing the clients",
        Language.FR: "pendant la récupération de la liste des clients",
        Language.NL: "bij het ophalen van de klantenlijst",
    },
    Action.WAIT_CHANGES: {
        Language.EN: "while waiting for new documents",
        Language.FR: "en attendant les nouveaux documents",
        Language.NL: "bij het wachten op nieuwe documenten",
    },
    Action.LIST_DOCUMENTS: {
        Language.EN: "while listing documents",
        Language.FR: "pendant la récupération de la liste des documents",
        Language.NL: "bij het ophalen van de documentenlijst",
    },
    Action.READ_DOCUMENT: {
        Language.EN: "while reading document {document}",
        Language.FR: "pendant la lecture du document {document}",
        Language.NL: "bij het ophalen van document {document}",
    },
    Action.DOWNLOAD: {
        Language.EN: "while downloading a file of document {document}",
        Language.FR: "pendant le téléchargement d'un fichier du document {document}",
        Language.NL: "bij het downloaden van een bestand van document {document}",
    },
    Action.REPORT: {
        Language.EN: "while reporting the delivery of document {document}",
        Language.FR: "pendant l'envoi du compte rendu de livraison du document {document}",
        Language.NL: "bij het melden van de levering van document {document}",
    },
    Action.REPORT_BATCH: {
        Language.EN: "while reporting the delivery of {count} document(s)",
        Language.FR: "pendant l'envoi des comptes rendus de livraison de {count} document(s)",
        Language.NL: "bij het melden van de levering van {count} document(en)",
    },
    Action.RESEND: {
        Language.EN: "while sending documents to the integrations again",
        Language.FR: "pendant le renvoi de documents vers les intégrations",
        Language.NL: "bij het opnieuw versturen van documenten naar de integraties",
    },
    Action.WAIT_TASKS: {
        Language.EN: "while waiting for tasks from the platform",
        Language.FR: "en attendant les tâches de la plateforme",
        Language.NL: "bij het wachten op taken van het platform",
    },
    Action.REPORT_TASK: {
        Language.EN: "while reporting the result of task {task}",
        Language.FR: "pendant l'envoi du résultat de la tâche {task}",
        Language.NL: "bij het melden van het resultaat van taak {task}",
    },
}

_OFFLINE_REASONS: dict[str, _M] = {
    "": {
        Language.EN: "the connection failed",
        Language.FR: "la connexion a échoué",
        Language.NL: "de verbinding mislukte",
    },
    OfflineReason.TIMEOUT: {
        Language.EN: "it did not answer in time",
        Language.FR: "elle n'a pas répondu à temps",
        Language.NL: "het antwoordde niet op tijd",
    },
    OfflineReason.REFUSED: {
        Language.EN: "the connection was refused or the address is unknown",
        Language.FR: "la connexion a été refusée ou l'adresse est inconnue",
        Language.NL: "de verbinding werd geweigerd of het adres is onbekend",
    },
    OfflineReason.CUT: {
        Language.EN: "the connection was cut",
        Language.FR: "la connexion a été coupée",
        Language.NL: "de verbinding werd verbroken",
    },
}

_MESSAGES: dict[tuple[FailureCode, str], _M] = {
    (FailureCode.PERMISSION, ""): {
        Language.EN: "Ferry may not write in {folder}{said}; give the account that runs Ferry "
        "permission to write there.",
        Language.FR: "Ferry n'a pas le droit d'écrire dans {folder}{said} ; donnez au compte "
        "qui exécute Ferry le droit d'écrire dans ce dossier.",
        Language.NL: "Ferry mag niet schrijven in {folder}{said}; geef de account waaronder "
        "Ferry draait schrijfrechten op die map.",
    },
    (FailureCode.DISK_FULL, ""): {
        Language.EN: "The disk holding {folder} is full{said}; free some space on it.",
        Language.FR: "Le disque qui contient {folder} est plein{said} ; libérez de l'espace "
        "sur ce disque.",
        Language.NL: "De schijf met {folder} is vol{said}; maak er ruimte vrij.",
    },
    (FailureCode.PATH_TOO_LONG, ""): {
        Language.EN: "The path in {folder} is too long for the system{said}; choose a shorter "
        "destination folder.",
        Language.FR: "Le chemin dans {folder} est trop long pour le système{said} ; choisissez "
        "un dossier de destination plus court.",
        Language.NL: "Het pad in {folder} is te lang voor het systeem{said}; kies een kortere "
        "bestemmingsmap.",
    },
    (FailureCode.LOCKED, ""): {
        Language.EN: "A file in {folder} is held open by another program, such as the "
        "accounting software or an antivirus{said}.",
        Language.FR: "Un fichier dans {folder} est ouvert par un autre programme, par exemple "
        "le logiciel comptable ou un antivirus{said}.",
        Language.NL: "Een bestand in {folder} is geopend in een ander programma, bijvoorbeeld "
        "het boekhoudpakket of een antivirusprogramma{said}.",
    },
    (FailureCode.UNREACHABLE, ""): {
        Language.EN: "The folder {folder} cannot be reached{said}; check that its drive or "
        "network share is available.",
        Language.FR: "Le dossier {folder} est inaccessible{said} ; vérifiez que son lecteur "
        "ou son partage réseau est disponible.",
        Language.NL: "De map {folder} is niet bereikbaar{said}; controleer of het station of "
        "de netwerkshare beschikbaar is.",
    },
    (FailureCode.NOT_A_FOLDER, ""): {
        Language.EN: "A file stands where Ferry needs a folder, in {folder}{said}; move or "
        "rename that file so that Ferry can create the folder.",
        Language.FR: "Un fichier occupe la place d'un dossier dont Ferry a besoin, dans "
        "{folder}{said} ; déplacez ou renommez ce fichier pour que Ferry puisse créer le "
        "dossier.",
        Language.NL: "Er staat een bestand op de plaats van een map die Ferry nodig heeft, in "
        "{folder}{said}; verplaats dat bestand of geef het een andere naam, zodat Ferry de "
        "map kan aanmaken.",
    },
    (FailureCode.NAME_CLASH, ""): {
        Language.EN: "The folder {folder} already holds {limit} different files named like {name}; "
        "clean up that folder.",
        Language.FR: "Le dossier {folder} contient déjà {limit} fichiers différents nommés comme "
        "{name} ; faites le tri dans ce dossier.",
        Language.NL: "De map {folder} bevat al {limit} verschillende bestanden met een naam zoals "
        "{name}; ruim die map op.",
    },
    (FailureCode.OS_OTHER, ""): {
        Language.EN: "Writing in {folder} failed{said}; if this keeps happening, show this "
        "message to whoever looks after the computer.",
        Language.FR: "L'écriture dans {folder} a échoué{said} ; si cela se reproduit, "
        "montrez ce message à la personne qui gère l'ordinateur.",
        Language.NL: "Schrijven in {folder} is mislukt{said}; als dit blijft gebeuren, toon "
        "dit bericht dan aan wie de computer beheert.",
    },
    (FailureCode.CHECKSUM, ""): {
        Language.EN: "The file received for {name} ({size} bytes) does not match what the "
        "platform announced ({expected_size} bytes, with a checksum); nothing was written. "
        "If this keeps happening, tell the platform's support.",
        Language.FR: "Le fichier reçu pour {name} ({size} octets) ne correspond pas à ce "
        "qu'annonçait la plateforme ({expected_size} octets, avec une somme de contrôle) ; "
        "rien n'a été écrit. Si cela se reproduit, prévenez l'assistance de la plateforme.",
        Language.NL: "Het ontvangen bestand voor {name} ({size} bytes) komt niet overeen met "
        "wat het platform aankondigde ({expected_size} bytes, met een controlesom); er werd "
        "niets weggeschreven. Als dit blijft gebeuren, verwittig dan de helpdesk van het "
        "platform.",
    },
    (FailureCode.DOWNLOAD_CUT, ""): {
        Language.EN: "The download of {name} was cut off{said}.",
        Language.FR: "Le téléchargement de {name} a été interrompu{said}.",
        Language.NL: "Het downloaden van {name} werd onderbroken{said}.",
    },
    (FailureCode.NO_PDF, NoPdfReason.NONE): {
        Language.EN: "Invoice {document} carries no PDF, and the platform sent no PDF of its "
        "own; deliver it as UBL to this destination, or ask the sender for a PDF.",
        Language.FR: "La facture {document} ne contient aucun PDF, et la plateforme n'en a "
        "pas fourni ; livrez-la en UBL vers cette destination, ou demandez un PDF à "
        "l'expéditeur.",
        Language.NL: "Factuur {document} bevat geen pdf en het platform leverde er zelf ook "
        "geen; lever ze als UBL aan deze bestemming, of vraag de afzender om een pdf.",
    },
    (FailureCode.NO_PDF, NoPdfReason.UNREADABLE): {
        Language.EN: "Invoice {document} is not readable XML{said}, so no PDF can be taken out "
        "of it; deliver it as UBL to this destination, or ask the sender for a corrected "
        "invoice.",
        Language.FR: "La facture {document} n'est pas un XML lisible{said}, aucun PDF ne peut "
        "donc en être extrait ; livrez-la en UBL vers cette destination, ou demandez une "
        "facture corrigée à l'expéditeur.",
        Language.NL: "Factuur {document} is geen leesbare XML{said}, dus er kan geen pdf uit "
        "gehaald worden; lever ze als UBL aan deze bestemming, of vraag de afzender om een "
        "verbeterde factuur.",
    },
    (FailureCode.TOO_BIG, ""): {
        Language.EN: "The file {name} is too large ({size} bytes; at most {limit}) to take its "
        "PDF out; deliver it as UBL to this destination.",
        Language.FR: "Le fichier {name} est trop volumineux ({size} octets ; {limit} au "
        "maximum) pour en extraire le PDF ; livrez-le en UBL vers cette destination.",
        Language.NL: "Het bestand {name} is te groot ({size} bytes; hoogstens {limit}) om er "
        "de pdf uit te halen; lever het als UBL aan deze bestemming.",
    },
    (FailureCode.PATH_TEMPLATE, ""): {
        Language.EN: "The path of destination “{destination}” cannot be used: {problems}",
        Language.FR: "Le chemin de la destination « {destination} » est inutilisable : {problems}",
        Language.NL: "Het pad van bestemming “{destination}” is onbruikbaar: {problems}",
    },
    (FailureCode.PLATFORM_BUSY, ""): {
        Language.EN: "The platform is busy and asked Ferry to slow down {action}.",
        Language.FR: "La plateforme est surchargée et a demandé à Ferry de ralentir {action}.",
        Language.NL: "Het platform is overbelast {action} en vroeg Ferry om het rustiger aan "
        "te doen.",
    },
    (FailureCode.PLATFORM_UNAVAILABLE, ""): {
        Language.EN: "The platform is temporarily unavailable ({status}) {action}.",
        Language.FR: "La plateforme est temporairement indisponible ({status}) {action}.",
        Language.NL: "Het platform is tijdelijk onbeschikbaar ({status}) {action}.",
    },
    (FailureCode.PLATFORM_ERROR, ""): {
        Language.EN: "The platform had an internal error ({status}) {action}.",
        Language.FR: "La plateforme a rencontré une erreur interne ({status}) {action}.",
        Language.NL: "Het platform had een interne fout ({status}) {action}.",
    },
    (FailureCode.PLATFORM_REFUSED, ""): {
        Language.EN: "The platform refused the request ({status}) {action}; if this keeps "
        "happening, tell the platform's support.",
        Language.FR: "La plateforme a refusé la demande ({status}) {action} ; si cela se "
        "reproduit, prévenez l'assistance de la plateforme.",
        Language.NL: "Het platform weigerde het verzoek ({status}) {action}; als dit blijft "
        "gebeuren, verwittig dan de helpdesk van het platform.",
    },
    (FailureCode.PLATFORM_NOT_FOUND, ""): {
        Language.EN: "The platform does not know what Ferry asked for {action}; it may have "
        "been removed there.",
        Language.FR: "La plateforme ne trouve pas ce que Ferry a demandé {action} ; "
        "l'élément y a peut-être été supprimé.",
        Language.NL: "Het platform vindt niet wat Ferry vroeg {action}; het werd daar "
        "misschien verwijderd.",
    },
    (FailureCode.PLATFORM_NOT_UNDERSTOOD, ""): {
        Language.EN: "The platform's answer {action} was not understood; check the API "
        "address in Ferry's settings.",
        Language.FR: "La réponse de la plateforme {action} n'a pas été comprise ; vérifiez "
        "l'adresse de l'API dans les réglages de Ferry.",
        Language.NL: "Het antwoord van het platform {action} werd niet begrepen; controleer "
        "het API-adres in de instellingen van Ferry.",
    },
    (FailureCode.PLATFORM_INCONSISTENT, ""): {
        Language.EN: "The platform answered {sent} delivery reports with {answered} results; "
        "they will be sent again.",
        Language.FR: "La plateforme a répondu à {sent} comptes rendus de livraison par "
        "{answered} résultats ; ils seront renvoyés.",
        Language.NL: "Het platform beantwoordde {sent} leveringsmeldingen met {answered} "
        "resultaten; ze worden opnieuw verstuurd.",
    },
    (FailureCode.LOGIN_REFUSED, ""): {
        Language.EN: "The platform did not accept Ferry's login {action}; log in again in Ferry.",
        Language.FR: "La plateforme n'a pas accepté la connexion de Ferry {action} ; "
        "reconnectez-vous dans Ferry.",
        Language.NL: "Het platform aanvaardde de aanmelding van Ferry niet {action}; meld u "
        "opnieuw aan in Ferry.",
    },
    (FailureCode.FORBIDDEN, ""): {
        Language.EN: "This login may not do that: the platform refused access {action}; ask "
        "your office's administrator on the platform for this right.",
        Language.FR: "Cette connexion n'en a pas le droit : la plateforme a refusé l'accès "
        "{action} ; demandez ce droit à l'administrateur de votre bureau sur la plateforme.",
        Language.NL: "Deze aanmelding heeft daar geen recht toe: het platform weigerde de "
        "toegang {action}; vraag dat recht aan de beheerder van uw kantoor op het platform.",
    },
    (FailureCode.OFFLINE, ""): {
        Language.EN: "Ferry cannot reach the platform {action}: {reason}{said}; check the "
        "internet connection.",
        Language.FR: "Ferry ne parvient pas à joindre la plateforme {action} : {reason}{said} ; "
        "vérifiez la connexion à internet.",
        Language.NL: "Ferry kan het platform niet bereiken {action}: {reason}{said}; controleer "
        "de internetverbinding.",
    },
    (FailureCode.LOGIN_NEEDED, ""): {
        Language.EN: "The platform no longer accepts Ferry's login{said}, so no documents are "
        "delivered; open Ferry and log in again.",
        Language.FR: "La plateforme n'accepte plus la connexion de Ferry{said}, aucun document "
        "n'est donc livré ; ouvrez Ferry et reconnectez-vous.",
        Language.NL: "Het platform aanvaardt de aanmelding van Ferry niet meer{said}, dus er "
        "worden geen documenten geleverd; open Ferry en meld u opnieuw aan.",
    },
    (FailureCode.LOGIN_NEEDED, "api_key"): {
        Language.EN: "{platform} no longer accepts Ferry's API key{said}, so no documents are "
        "delivered; open Ferry and paste a new key from {platform}.",
        Language.FR: "{platform} n'accepte plus la clé d'API de Ferry{said}, aucun document "
        "n'est donc livré ; ouvrez Ferry et collez-y une nouvelle clé de {platform}.",
        Language.NL: "{platform} aanvaardt de API-sleutel van Ferry niet meer{said}, dus er "
        "worden geen documenten geleverd; open Ferry en plak er een nieuwe sleutel van "
        "{platform} in.",
    },
    (FailureCode.NOT_REPORTED, ""): {
        Language.EN: "Not reported to {platform}, which takes no error reports; the document "
        "stays to be fetched there until Ferry delivers it.",
        Language.FR: "Non signalé à {platform}, qui n'accepte pas de rapport d'erreur ; le "
        "document y reste à récupérer jusqu'à ce que Ferry le livre.",
        Language.NL: "Niet gemeld aan {platform}, dat geen foutmeldingen aanvaardt; het "
        "document blijft daar op te halen tot Ferry het aflevert.",
    },
    (FailureCode.INTERNAL, ""): {
        Language.EN: "Ferry met an unexpected error while handling document {document}"
        "{said}; the document stays queued. If this lasts, send Ferry's logs to support.",
        Language.FR: "Ferry a rencontré une erreur inattendue en traitant le document "
        "{document}{said} ; le document reste en attente. Si cela persiste, envoyez les "
        "journaux de Ferry au service d'assistance.",
        Language.NL: "Ferry stootte op een onverwachte fout bij het verwerken van document "
        "{document}{said}; het document blijft in de wachtrij. Blijft dit duren, stuur dan "
        "de logbestanden van Ferry naar de helpdesk.",
    },
    (FailureCode.UNKNOWN, ""): {
        Language.EN: "Ferry met a problem that this version cannot put into words (code "
        "“{unknown_code}”); update Ferry to see it described.",
        Language.FR: "Ferry a rencontré un problème que cette version ne sait pas décrire "
        "(code « {unknown_code} ») ; mettez Ferry à jour pour en voir la description.",
        Language.NL: "Ferry stootte op een probleem dat deze versie niet kan beschrijven "
        "(code “{unknown_code}”); werk Ferry bij om de beschrijving te zien.",
    },
}


def describe(
    failures: Iterable[Failure],
    language: Language = FALLBACK,
    *,
    now: dt.datetime | None = None,
    zone: dt.tzinfo | None = None,
) -> str:
    """Several failures of one document (one per destination) as one text: each sentence,
    preceded by its destination's name when it has one ("Winbooks: ..."), the same failure
    told once."""
    parts: list[str] = []
    for failure in dict.fromkeys(failures):
        sentence = failure.message(language, now=now, zone=zone)
        destination = failure.param("destination")
        colon = " : " if language is Language.FR else ": "  # French sets its colon apart
        parts.append(f"{destination}{colon}{sentence}" if destination else sentence)
    return " ".join(parts)
