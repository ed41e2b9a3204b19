"""*Export diagnostics*, one way for every face: the tray's menu item, the Settings button
and ``ferry diagnostics``.

:func:`export_diagnostics` blocks (it reads the log folder and writes a zip) and touches
no Qt object, so the app calls it from a worker thread; it never asks the engine or the
platform anything. Client names it should hide come from the state and from ``clients``,
which the app passes from what the engine last listed and the command line reads from the
running engine or the platform.

Failures are data: :class:`DiagnosticsError` carries a :class:`DiagnosticsProblem` and its
parameters, worded by :meth:`DiagnosticsError.message` in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import platformdirs

from app.core.language import FALLBACK, Language
from app.diagnostics import collect
from app.diagnostics.archive import RefusedMember, ZipWriter
from app.diagnostics.pseudonyms import NameKind, Pseudonymiser, PseudonymKeyError, installation_key
from app.diagnostics.redact import LeakKind, NameBook, Redactor
from app.diagnostics.template_names import names_in_paths
from app.home import FerryHome
from app.settings import SETTINGS_FILE

log = logging.getLogger(__name__)

#: The zip's layout version, in its manifest: support's tools read it before anything else.
FORMAT = 1
DEFAULT_DAYS = 7


class KnownClient(Protocol):
    """A client as the platform lists it (``app.api.models.Client``, the engine's
    ``ClientInfo``): what hashing needs of it."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def vat_number(self) -> str: ...


class DiagnosticsProblem(StrEnum):
    """Why no zip was written."""

    SECRET_LEFT = "secret_left"  # params: member, what
    NAME_LEFT = "name_left"  # params: member, pseudonym
    CANNOT_WRITE = "cannot_write"  # params: path, said
    NO_KEY = "no_key"  # params: path, said


_WORDS: dict[DiagnosticsProblem, dict[Language, str]] = {
    DiagnosticsProblem.SECRET_LEFT: {
        Language.EN: "The diagnostics were not saved: {member} still held {what} after "
        "cleaning, and a secret must never leave this computer. Nothing was written; "
        "please tell Ferry's support.",
        Language.FR: "Les diagnostics n'ont pas été enregistrés : {member} contenait encore "
        "{what} après nettoyage, et un secret ne doit jamais quitter cet ordinateur. Rien n'a "
        "été écrit ; veuillez prévenir le support de Ferry.",
        Language.NL: "De diagnose is niet bewaard: {member} bevatte na het opschonen nog "
        "{what}, en een geheim mag deze computer nooit verlaten. Er is niets geschreven; "
        "meld dit aan de ondersteuning van Ferry.",
    },
    DiagnosticsProblem.NAME_LEFT: {
        Language.EN: "The diagnostics were not saved: {member} still held a client or file "
        "name ({pseudonym}) although names were to be replaced. Nothing was written; please "
        "tell Ferry's support.",
        Language.FR: "Les diagnostics n'ont pas été enregistrés : {member} contenait encore un "
        "nom de client ou de fichier ({pseudonym}) alors que les noms devaient être remplacés. "
        "Rien n'a été écrit ; veuillez prévenir le support de Ferry.",
        Language.NL: "De diagnose is niet bewaard: {member} bevatte nog een klant- of "
        "bestandsnaam ({pseudonym}) terwijl namen vervangen moesten worden. Er is niets "
        "geschreven; meld dit aan de ondersteuning van Ferry.",
    },
    DiagnosticsProblem.CANNOT_WRITE: {
        Language.EN: "The diagnostics cannot be saved as {path}: {said}. Choose another folder.",
        Language.FR: "Impossible d'enregistrer les diagnostics sous {path} : {said}. Choisissez "
        "un autre dossier.",
        Language.NL: "De diagnose kan niet bewaard worden als {path}: {said}. Kies een andere map.",
    },
    DiagnosticsProblem.NO_KEY: {
        Language.EN: "Names cannot be replaced: Ferry cannot keep the key of its stand-in "
        "names in {path} ({said}). Export without replacing names, or run this as a user "
        "who may write in Ferry's state folder.",
        Language.FR: "Impossible de remplacer les noms : Ferry ne peut pas conserver la clé de "
        "ses noms de substitution dans {path} ({said}). Exportez sans remplacer les noms, ou "
        "lancez l'export avec un utilisateur autorisé à écrire dans le dossier d'état de "
        "Ferry.",
        Language.NL: "Namen kunnen niet vervangen worden: Ferry kan de sleutel van zijn "
        "vervangnamen niet bewaren in {path} ({said}). Exporteer zonder namen te vervangen, "
        "of voer dit uit als een gebruiker die in de statusmap van Ferry mag schrijven.",
    },
}

#: The kinds of secret a member can still hold (:class:`LeakKind`), in each language.
_WHAT: dict[str, dict[Language, str]] = {
    LeakKind.URL_CREDENTIALS.value: {
        Language.EN: "credentials in an address",
        Language.FR: "des identifiants dans une adresse",
        Language.NL: "inloggegevens in een adres",
    },
    LeakKind.SECRET.value: {
        Language.EN: "a token, code or password",
        Language.FR: "un jeton, un code ou un mot de passe",
        Language.NL: "een token, code of wachtwoord",
    },
}


class DiagnosticsError(Exception):
    """No zip was written; :meth:`message` says why in the reader's language."""

    def __init__(self, problem: DiagnosticsProblem, **params: str) -> None:
        super().__init__(problem.value, params)
        self.problem = problem
        self.params = params

    def message(self, language: Language = FALLBACK) -> str:
        params = dict(self.params)
        if "what" in params:
            params["what"] = _WHAT.get(params["what"], {}).get(language, params["what"])
        return _WORDS[self.problem][language].format(**params)

    def __str__(self) -> str:
        return self.message()


@dataclass(frozen=True)
class Exported:
    """Where the zip went and what it holds."""

    path: Path
    size: int
    members: tuple[str, ...]
    names_hashed: bool
    #: How many distinct names were replaced by pseudonyms (0 without hashing).
    names_hidden: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def default_folder() -> Path:
    """Where a zip goes when no place is given: the person's Documents folder, which
    everyone finds in Explorer and Finder and which is never a system folder (an elevated
    command prompt starts in ``C:\\Windows\\System32``); the home folder when there is none."""
    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def default_name(now: dt.datetime) -> str:
    return f"ferry-diagnostics-{now.astimezone():%Y%m%d-%H%M%S}.zip"


def target_path(out: Path | None, now: dt.datetime) -> Path:
    """``out`` itself, a default name inside ``out`` when it is a folder, or the default."""
    if out is None:
        return default_folder() / default_name(now)
    if out.is_dir():
        return out / default_name(now)
    return out


def _home_kind(home: FerryHome) -> str:
    if sys.platform == "win32" and home.settings_dir == FerryHome.machine().settings_dir:
        return "machine (the service's)"
    if home == FerryHome.standard():
        return "standard (this user's)"
    return "custom (--home or FERRY_HOME)"


def _name_book(
    home: FerryHome,
    clients: Iterable[KnownClient],
    state: collect.StateReport,
    login: dict[str, Any],
    settings: dict[str, Any],
) -> NameBook:
    try:
        key = installation_key(home.state_dir)
    except PseudonymKeyError as error:
        raise DiagnosticsError(
            DiagnosticsProblem.NO_KEY, path=str(error.path), said=error.strerror or str(error)
        ) from error
    book = NameBook(Pseudonymiser(key))
    for client in clients:
        book.add(NameKind.CLIENT, client.name)
        book.add(NameKind.VAT, client.vat_number)
    for name in state.names.clients:
        book.add(NameKind.CLIENT, name)
    in_paths = names_in_paths(collect.destination_templates(settings), state.names.paths)
    for name in in_paths.names:
        book.add(NameKind.CLIENT, name)
    for number in in_paths.vat_numbers:
        book.add(NameKind.VAT, number)
    for name in state.names.parties:
        book.add(NameKind.PARTY, name)
    for name in state.names.files:
        book.add(NameKind.FILE, name)
    for field_name in ("user_name", "email"):
        value = login.get(field_name)
        if isinstance(value, str):
            book.add(NameKind.USER, value)
    return book


def export_diagnostics(
    home: FerryHome,
    out: Path | None = None,
    *,
    days: int = DEFAULT_DAYS,
    hash_names: bool = False,
    clients: Iterable[KnownClient] = (),
    now: dt.datetime | None = None,
) -> Exported:
    """Write the diagnostics zip of ``home`` (the logs of the last ``days`` days) to ``out``
    (a file, a folder, or None for :func:`default_folder`); :class:`DiagnosticsError` when
    none could be written, with no file left behind.

    ``hash_names`` replaces client names, VAT numbers, counterparties, the logged-in
    person's name and e-mail, and file names with stable pseudonyms everywhere in the zip;
    ``clients`` are the office's clients as the platform lists them, whose names the state
    alone may not hold. Platform ids of clients and documents stay: they name nobody, and
    they let support find the very client or document on the platform with the office.
    """
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    since = moment - dt.timedelta(days=max(days, 0))
    target = target_path(out, moment)
    state = collect.state_report(home.state_dir, since)
    login = collect.login_section(home.settings_dir)
    settings = collect.settings_section(home.settings_dir)
    book = _name_book(home, clients, state, login, settings) if hash_names else None
    redactor = Redactor(book)
    logs = collect.log_files(home.log_dir, since)
    notes = [
        str(section["note"])
        for section in (settings, state.summary, login)
        if isinstance(section, dict) and "note" in section
    ]
    manifest = {
        "format": FORMAT,
        "created": moment.isoformat(timespec="seconds"),
        "period": {
            "days": days,
            "since": since.isoformat(timespec="seconds"),
            "until": moment.isoformat(timespec="seconds"),
        },
        "versions": collect.versions(),
        "home": {
            "kind": _home_kind(home),
            "settings": str(home.settings_dir),
            "state": str(home.state_dir),
            "logs": str(home.log_dir),
            "data": str(home.data_dir),
        },
        "names_hashed": hash_names,
        "names_hidden": len(book) if book is not None else 0,
        "login": login,
        "contents": {
            "manifest.json": "this file: versions, the period, whether names are hashed",
            SETTINGS_FILE: "the settings file, without anything secret",
            "state-summary.json": "documents per status, deliveries per destination, the "
            "last runs, the documents in Error with their failure codes",
            "activity.json": "the runs and platform tasks of the period",
            "logs/": "the log lines of the period, secrets removed",
        },
        "logs": [path.name for path in logs],
        "notes": notes,
    }
    try:
        with ZipWriter(target, redactor.leak, redactor.data_leak) as archive:
            archive.add_json("manifest.json", redactor.data(manifest))
            archive.add_json(SETTINGS_FILE, redactor.data(settings))
            archive.add_json("state-summary.json", redactor.data(state.summary))
            archive.add_json("activity.json", redactor.data(state.activity))
            for path in logs:
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError as error:
                    text = f"(Ferry could not read this log: {error.strerror or error})\n"
                archive.add(f"logs/{path.name}", redactor.text(collect.lines_since(text, since)))
    except RefusedMember as refused:
        leak = refused.leak
        if leak.kind is LeakKind.NAME:
            raise DiagnosticsError(
                DiagnosticsProblem.NAME_LEFT, member=refused.member, pseudonym=leak.pseudonym or ""
            ) from None
        raise DiagnosticsError(
            DiagnosticsProblem.SECRET_LEFT, member=refused.member, what=leak.kind.value
        ) from None
    except OSError as error:
        raise DiagnosticsError(
            DiagnosticsProblem.CANNOT_WRITE, path=str(target), said=error.strerror or str(error)
        ) from error
    size = target.stat().st_size
    log.info(
        "diagnostics exported to %s (%d bytes, %d log files, names %s)",
        target,
        size,
        len(logs),
        "hashed" if hash_names else "kept",
    )
    return Exported(
        target,
        size,
        tuple(archive.names),
        hash_names,
        len(book) if book is not None else 0,
        tuple(notes),
    )
