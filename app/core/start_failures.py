"""Why the engine cannot start, as data: a code and its parameters, worded at the edge.

The engine refuses to start for reasons a person must act on: another engine already holds
the home, the state or the settings file was written by a newer Ferry (refused, and left
untouched), a file cannot be read, nobody is logged in. Each is a :class:`StartFailure`,
carried by the exception that says it (:class:`app.engine.engine.EngineError`,
:class:`app.engine.state.StateTooNew`, :class:`app.settings.SettingsError` and its
:class:`~app.settings.SettingsTooNew`, all :class:`StartFailureError`), sent between the
engine's process and the app as JSON (:meth:`StartFailure.to_json`), and put into words by
:func:`describe` only where it is shown: the app in the person's language, the command line
in its ``--language``, the Event Log in Ferry's language, the log in English. Nothing decides
from the words.

Parameters, by the codes that use them: ``home`` (the Ferry home's folder), ``path`` (the
file concerned), ``found`` and ``known`` (the file's version, and the newest this Ferry
knows), ``version`` (the version an upgrade started from), ``line`` (where a file stops
being JSON), ``backup`` (the name of the copy kept beside it), ``detail`` (what was not
valid, in the validator's words), ``said`` (the system's or the library's own words).

Pure: no Qt, no disk, no network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.language import FALLBACK, Language


class StartFailureCode(StrEnum):
    """Every reason the engine does not start; the value travels between processes."""

    ENGINE_RUNNING_ELSEWHERE = "engine_running_elsewhere"  # home: its lock is held
    STATE_TOO_NEW = "state_too_new"  # path, found, known
    STATE_UNREADABLE = "state_unreadable"  # path, said
    NOT_LOGGED_IN = "not_logged_in"
    SETTINGS_TOO_NEW = "settings_too_new"  # path, found, known
    SETTINGS_UNREADABLE = "settings_unreadable"  # path, said
    SETTINGS_DAMAGED = "settings_damaged"  # path, line, backup
    SETTINGS_INVALID = "settings_invalid"  # path, detail
    SETTINGS_NOT_UPGRADED = "settings_not_upgraded"  # path, version, said
    DID_NOT_START = "did_not_start"  # the engine gave no sign within its time
    ENGINE_NOT_RUNNING = "engine_not_running"  # asked of an engine that is not (or no more)
    ENDED_UNEXPECTEDLY = "ended_unexpectedly"  # the engine's process ended without a word


#: The codes that are about the settings file (a :class:`app.settings.SettingsError`).
SETTINGS_CODES = frozenset(
    {
        StartFailureCode.SETTINGS_TOO_NEW,
        StartFailureCode.SETTINGS_UNREADABLE,
        StartFailureCode.SETTINGS_DAMAGED,
        StartFailureCode.SETTINGS_INVALID,
        StartFailureCode.SETTINGS_NOT_UPGRADED,
    }
)


@dataclass(frozen=True)
class StartFailure:
    """One reason the engine does not start: a code and the values its words need."""

    code: StartFailureCode
    params: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, code: StartFailureCode, **params: object) -> StartFailure:
        """Numbers and paths become text; ``None`` leaves a parameter out."""
        return cls(code, {k: str(v) for k, v in sorted(params.items()) if v is not None})

    def to_json(self) -> dict[str, object]:
        return {"code": self.code.value, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: object) -> StartFailure | None:
        """What :meth:`to_json` wrote; None for a code this version does not know (a newer
        engine's) or anything malformed: the caller shows what it has instead."""
        if not isinstance(data, Mapping):
            return None
        try:
            code = StartFailureCode(str(data.get("code")))
        except ValueError:
            return None
        params = data.get("params")
        values = params if isinstance(params, Mapping) else {}
        return cls(code, {str(k): str(v) for k, v in values.items() if v is not None})

    def message(self, language: Language = FALLBACK) -> str:
        return describe(self, language)


class StartFailureError(Exception):
    """An exception that carries a :class:`StartFailure`; its text is the English words
    (the log's), :meth:`message` says it in any language."""

    def __init__(self, failure: StartFailure) -> None:
        super().__init__(describe(failure))
        self.failure = failure

    def message(self, language: Language = FALLBACK) -> str:
        return describe(self.failure, language)


_NEWER_EN = (
    "{path} was written by a newer version of Ferry ({what} version {found}, this one knows up "
    "to {known}); install that version again, or the newest one. Nothing in the file was "
    "changed."
)
_NEWER_FR = (
    "{path} a été écrit par une version plus récente de Ferry (version {what} {found}, "
    "celle-ci connaît jusqu'à la {known}) ; réinstallez cette version, ou la plus récente. "
    "Rien n'a été modifié dans le fichier."
)
_NEWER_NL = (
    "{path} is geschreven door een nieuwere versie van Ferry ({what}versie {found}, deze kent "
    "tot {known}); installeer die versie opnieuw, of de nieuwste. Er is niets in het bestand "
    "gewijzigd."
)

_WORDS: dict[StartFailureCode, dict[Language, str]] = {
    StartFailureCode.ENGINE_RUNNING_ELSEWHERE: {
        Language.EN: "another Ferry engine is already running on {home}; stop it first (or "
        "use the running one)",
        Language.FR: "un autre moteur Ferry tourne déjà sur {home} ; arrêtez-le d'abord (ou "
        "servez-vous de celui qui tourne)",
        Language.NL: "er draait al een andere Ferry-engine op {home}; stop die eerst (of "
        "gebruik de draaiende)",
    },
    StartFailureCode.STATE_TOO_NEW: {
        Language.EN: _NEWER_EN.replace("{what}", "state"),
        Language.FR: _NEWER_FR.replace("{what}", "d'état"),
        Language.NL: _NEWER_NL.replace("{what}", "status"),
    },
    StartFailureCode.STATE_UNREADABLE: {
        Language.EN: "{path} cannot be read ({said}); nothing in the file was changed",
        Language.FR: "{path} est illisible ({said}) ; rien n'a été modifié dans le fichier",
        Language.NL: "{path} is onleesbaar ({said}); er is niets in het bestand gewijzigd",
    },
    StartFailureCode.NOT_LOGGED_IN: {
        Language.EN: "Ferry is not logged in; run 'ferry login' first",
        Language.FR: "Ferry n'est pas connecté ; connectez-vous d'abord (« ferry login »)",
        Language.NL: "Ferry is niet aangemeld; meld eerst aan (‘ferry login’)",
    },
    StartFailureCode.SETTINGS_TOO_NEW: {
        Language.EN: _NEWER_EN.replace("{what}", "settings"),
        Language.FR: _NEWER_FR.replace("{what}", "des réglages"),
        Language.NL: _NEWER_NL.replace("{what}", "instellingen"),
    },
    StartFailureCode.SETTINGS_UNREADABLE: {
        Language.EN: "cannot read {path}: {said}",
        Language.FR: "impossible de lire {path} : {said}",
        Language.NL: "{path} kan niet gelezen worden: {said}",
    },
    StartFailureCode.SETTINGS_DAMAGED: {
        Language.EN: "{path} is damaged (not JSON at line {line}); the previous good copy is "
        "{backup} in the same folder",
        Language.FR: "{path} est endommagé (pas du JSON à la ligne {line}) ; la dernière "
        "copie correcte est {backup}, dans le même dossier",
        Language.NL: "{path} is beschadigd (geen JSON op regel {line}); de vorige goede kopie "
        "is {backup} in dezelfde map",
    },
    StartFailureCode.SETTINGS_INVALID: {
        Language.EN: "{path} is not valid: {detail}",
        Language.FR: "{path} n'est pas valable : {detail}",
        Language.NL: "{path} is niet geldig: {detail}",
    },
    StartFailureCode.SETTINGS_NOT_UPGRADED: {
        Language.EN: "{path} could not be upgraded from settings version {version} ({said}); "
        "nothing in the file was changed",
        Language.FR: "{path} n'a pas pu être mis à niveau depuis la version des réglages "
        "{version} ({said}) ; rien n'a été modifié dans le fichier",
        Language.NL: "{path} kon niet bijgewerkt worden vanaf instellingenversie {version} "
        "({said}); er is niets in het bestand gewijzigd",
    },
    StartFailureCode.DID_NOT_START: {
        Language.EN: "the engine did not start",
        Language.FR: "le moteur n'a pas démarré",
        Language.NL: "de engine is niet gestart",
    },
    StartFailureCode.ENGINE_NOT_RUNNING: {
        Language.EN: "the engine is not running",
        Language.FR: "le moteur ne tourne pas",
        Language.NL: "de engine draait niet",
    },
    StartFailureCode.ENDED_UNEXPECTEDLY: {
        Language.EN: "The sync engine stopped unexpectedly. Restart Ferry to sync again.",
        Language.FR: "Le moteur de synchronisation s'est arrêté de manière inattendue. "
        "Redémarrez Ferry pour synchroniser à nouveau.",
        Language.NL: "De synchronisatie-engine is onverwacht gestopt. Start Ferry opnieuw om "
        "weer te synchroniseren.",
    },
}


class _Blank(dict[str, str]):
    """A missing parameter shows as "?": a message must never be the next fault."""

    def __missing__(self, key: str) -> str:
        return "?"


def describe(failure: StartFailure, language: Language = FALLBACK) -> str:
    """Why the engine does not start, in ``language``."""
    return _WORDS[failure.code][language].format_map(_Blank(failure.params))


_CANNOT_SYNC: dict[Language, str] = {
    Language.EN: "Ferry cannot sync: {why}",
    Language.FR: "Ferry ne peut pas synchroniser : {why}",
    Language.NL: "Ferry kan niet synchroniseren: {why}",
}


def cannot_sync(failure: StartFailure, language: Language = FALLBACK) -> str:
    """One line for a log that has no title of its own (the Windows Event Log)."""
    return _CANNOT_SYNC[language].format(why=describe(failure, language))
