"""Why an update did not happen, as data: a code and its parameters, worded at the edge.

An update that is refused must leave the running version untouched and say why in a way a
log, the tray and a support call can all use: the code decides (retry later, alert, never
again for this version), the words are made by :func:`describe` only when shown.

Parameters, by the codes that use them: ``version`` (the version concerned), ``running``
(the version that runs), ``status`` (an HTTP status), ``said`` (the system's or the
library's own words, for the log), ``path``, ``seconds``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.core.language import FALLBACK, Language


class UpdateFailureCode(StrEnum):
    DISABLED = "disabled"  # the policy turns updates off
    NOT_CONFIGURED = "not_configured"  # no update address, or no trusted root in this build
    NETWORK = "network"  # the update server could not be reached or answered an error
    TAMPERED = "tampered"  # a file does not match its signed length and hashes
    EXPIRED_METADATA = "expired_metadata"  # signed metadata past its expiry (a frozen server)
    ROLLBACK = "rollback"  # the server offers metadata older than what was already trusted
    BAD_SIGNATURE = "bad_signature"  # metadata not signed by the keys the build trusts
    INVALID_METADATA = "invalid_metadata"  # metadata that cannot be read
    DISK = "disk"  # a file could not be written or read here
    BUSY = "busy"  # the running Ferry did not stop in time: nothing was switched
    START_FAILED = "start_failed"  # the new version could not be started at all
    UNHEALTHY = "unhealthy"  # the new version did not come up healthy: rolled back
    #: a newer version is offered, but this account cannot write the installation (a
    #: per-machine one under Program Files, with no service to apply it): nothing downloaded
    NEEDS_ADMIN = "needs_admin"


#: Codes after which checking again later may succeed without anyone acting.
TRANSIENT = frozenset({UpdateFailureCode.NETWORK, UpdateFailureCode.DISK, UpdateFailureCode.BUSY})


@dataclass(frozen=True)
class UpdateFailure:
    code: UpdateFailureCode
    params: dict[str, str] = field(default_factory=dict)

    @property
    def transient(self) -> bool:
        return self.code in TRANSIENT

    def to_json(self) -> dict[str, object]:
        return {"code": self.code.value, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> UpdateFailure:
        params = data.get("params")
        return cls(
            UpdateFailureCode(str(data["code"])),
            {str(k): str(v) for k, v in params.items()} if isinstance(params, dict) else {},
        )


class UpdateError(Exception):
    """Carries an :class:`UpdateFailure` out of the code that found it."""

    def __init__(self, failure: UpdateFailure) -> None:
        super().__init__(failure.code.value, failure.params)
        self.failure = failure


def fail(code: UpdateFailureCode, **params: object) -> UpdateError:
    return UpdateError(UpdateFailure(code, {k: str(v) for k, v in params.items()}))


_WORDS: dict[UpdateFailureCode, dict[Language, str]] = {
    UpdateFailureCode.DISABLED: {
        Language.EN: "Updates are turned off by the administrator's policy.",
        Language.FR: "Les mises à jour sont désactivées par la stratégie de l'administrateur.",
        Language.NL: "Updates zijn uitgeschakeld door het beleid van de beheerder.",
    },
    UpdateFailureCode.NOT_CONFIGURED: {
        Language.EN: "Updates are not configured: {said}.",
        Language.FR: "Les mises à jour ne sont pas configurées : {said}.",
        Language.NL: "Updates zijn niet ingesteld: {said}.",
    },
    UpdateFailureCode.NETWORK: {
        Language.EN: "The update server could not be reached: {said}.",
        Language.FR: "Le serveur de mises à jour est injoignable : {said}.",
        Language.NL: "De updateserver is niet bereikbaar: {said}.",
    },
    UpdateFailureCode.TAMPERED: {
        Language.EN: "An update file does not match its signature and was refused.",
        Language.FR: "Un fichier de mise à jour ne correspond pas à sa signature : refusé.",
        Language.NL: "Een updatebestand komt niet overeen met zijn handtekening: geweigerd.",
    },
    UpdateFailureCode.EXPIRED_METADATA: {
        Language.EN: "The update server's signed information has expired and was refused.",
        Language.FR: "Les informations signées du serveur de mises à jour ont expiré : refusées.",
        Language.NL: "De ondertekende gegevens van de updateserver zijn verlopen: geweigerd.",
    },
    UpdateFailureCode.ROLLBACK: {
        Language.EN: "The update server offers older information than it did before; refused.",
        Language.FR: "Le serveur de mises à jour propose des informations plus anciennes "
        "qu'auparavant : refusées.",
        Language.NL: "De updateserver biedt oudere gegevens aan dan voorheen: geweigerd.",
    },
    UpdateFailureCode.BAD_SIGNATURE: {
        Language.EN: "The update server's information is not signed by Ferry's keys and was "
        "refused.",
        Language.FR: "Les informations du serveur de mises à jour ne sont pas signées par les "
        "clés de Ferry : refusées.",
        Language.NL: "De gegevens van de updateserver zijn niet ondertekend met de sleutels van "
        "Ferry: geweigerd.",
    },
    UpdateFailureCode.INVALID_METADATA: {
        Language.EN: "The update server's information cannot be read.",
        Language.FR: "Les informations du serveur de mises à jour sont illisibles.",
        Language.NL: "De gegevens van de updateserver zijn onleesbaar.",
    },
    UpdateFailureCode.DISK: {
        Language.EN: "An update file could not be written: {said}.",
        Language.FR: "Un fichier de mise à jour n'a pas pu être écrit : {said}.",
        Language.NL: "Een updatebestand kon niet worden geschreven: {said}.",
    },
    UpdateFailureCode.BUSY: {
        Language.EN: "Ferry did not stop in time to update; it will try again later.",
        Language.FR: "Ferry ne s'est pas arrêté à temps pour la mise à jour ; nouvel essai "
        "plus tard.",
        Language.NL: "Ferry stopte niet op tijd voor de update; later volgt een nieuwe poging.",
    },
    UpdateFailureCode.START_FAILED: {
        Language.EN: "Ferry {version} could not be started: {said}.",
        Language.FR: "Ferry {version} n'a pas pu démarrer : {said}.",
        Language.NL: "Ferry {version} kon niet starten: {said}.",
    },
    UpdateFailureCode.UNHEALTHY: {
        Language.EN: "Ferry {version} did not start correctly; version {running} runs again.",
        Language.FR: "Ferry {version} n'a pas démarré correctement ; la version {running} "
        "tourne à nouveau.",
        Language.NL: "Ferry {version} startte niet correct; versie {running} draait opnieuw.",
    },
    UpdateFailureCode.NEEDS_ADMIN: {
        Language.EN: "Ferry {version} is available. Ferry is installed for everyone on this "
        "computer, so an administrator installs it: run its Setup, or turn on the Ferry "
        "service, which keeps Ferry up to date by itself.",
        Language.FR: "Ferry {version} est disponible. Ferry est installé pour tous les "
        "utilisateurs de cet ordinateur : un administrateur l'installe en lançant son "
        "installation, ou en activant le service Ferry, qui tient Ferry à jour tout seul.",
        Language.NL: "Ferry {version} is beschikbaar. Ferry is voor iedereen op deze computer "
        "geïnstalleerd, dus een beheerder installeert het: start de Setup ervan, of schakel "
        "de Ferry-service in, die Ferry zelf up-to-date houdt.",
    },
}


def describe(failure: UpdateFailure, language: Language = FALLBACK) -> str:
    """The failure in the reader's words; a missing parameter shows as "?" rather than
    failing, since a message must never be the next fault."""

    class _Blank(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return "?"

    return _WORDS[failure.code][language].format_map(_Blank(failure.params))
