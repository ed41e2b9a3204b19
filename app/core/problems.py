"""Problems found in a path template or its rendering, in words a person understands.

A problem is a code plus the values it talks about, and a span in the template when it has
one, so the path editor can underline it; the sentence is made in the reader's language when
it is shown, not when it is found.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.core.language import FALLBACK, Language
from app.core.vat import explain


class ProblemCode(StrEnum):
    EMPTY_TEMPLATE = "empty_template"
    UNCLOSED_BRACKET = "unclosed_bracket"
    STRAY_BRACKET = "stray_bracket"
    UNKNOWN_VARIABLE = "unknown_variable"
    RELATIVE_PATH = "relative_path"
    DEVICE_PATH = "device_path"
    INCOMPLETE_UNC = "incomplete_unc"
    VARIABLE_IN_ROOT = "variable_in_root"
    EMPTY_COMPONENT = "empty_component"
    DOT_COMPONENT = "dot_component"
    FORBIDDEN_CHARACTER = "forbidden_character"
    CONTROL_CHARACTER = "control_character"
    RESERVED_NAME = "reserved_name"
    TRAILING_DOT_OR_SPACE = "trailing_dot_or_space"
    COMPONENT_TOO_LONG = "component_too_long"
    PATH_TOO_LONG = "path_too_long"
    MISSING_VALUE = "missing_value"
    INVALID_VAT = "invalid_vat"
    EMPTY_VALUE = "empty_value"


#: Problems of one client's data, not of the template: the destination is sound and serves the
#: other clients; this client's documents fail (with the problem as their reason) until its
#: data is corrected. An editor warns about them; it does not refuse the template.
CLIENT_DATA_CODES = frozenset(
    {ProblemCode.MISSING_VALUE, ProblemCode.INVALID_VAT, ProblemCode.EMPTY_VALUE}
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, with what the message needs and where in the template it sits."""

    code: ProblemCode
    params: tuple[tuple[str, str], ...] = ()
    start: int | None = None
    end: int | None = None
    variant: str = ""

    @classmethod
    def of(
        cls,
        code: ProblemCode,
        *,
        span: tuple[int, int] | None = None,
        variant: str = "",
        **params: str,
    ) -> Problem:
        start, end = span if span else (None, None)
        return cls(code, tuple(sorted(params.items())), start, end, variant)

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)

    @property
    def about_client_data(self) -> bool:
        """One client's data is at fault (see :data:`CLIENT_DATA_CODES`), not the template."""
        return self.code in CLIENT_DATA_CODES

    def message(self, language: Language = FALLBACK) -> str:
        values = dict(self.params)
        if self.code is ProblemCode.INVALID_VAT:
            values["reason"] = explain(
                values["reason"], values["number"], values["country"] or None, language
            )
        if "what" in values:
            values["what"] = _WHAT[values["what"]][language]
        text = _MESSAGES[(self.code, self.variant)][language].format(**values)
        if self.code is ProblemCode.UNKNOWN_VARIABLE and "hint" in values:
            text += " " + _DID_YOU_MEAN[language].format(**values)
        return text

    def __str__(self) -> str:
        return self.message()


_DID_YOU_MEAN = {
    Language.EN: "Did you mean [{hint}]?",
    Language.FR: "Vouliez-vous dire [{hint}] ?",
    Language.NL: "Bedoelde u [{hint}]?",
}

# What a client-based variable needs, keyed by the variable's key.
_WHAT: dict[str, dict[Language, str]] = {
    "enterprise_name": {
        Language.EN: "company name",
        Language.FR: "nom d'entreprise",
        Language.NL: "bedrijfsnaam",
    },
    "enterprise_identifier": {
        Language.EN: "VAT number",
        Language.FR: "numéro de TVA",
        Language.NL: "btw-nummer",
    },
    "accounting_file_id": {
        Language.EN: "accounting file id",
        Language.FR: "numéro de dossier comptable",
        Language.NL: "boekhouddossiernummer",
    },
}

_M = dict[Language, str]
_MESSAGES: dict[tuple[ProblemCode, str], _M] = {
    (ProblemCode.EMPTY_TEMPLATE, ""): {
        Language.EN: "The path is empty: type the folder where documents must go, e.g. {example}.",
        Language.FR: "Le chemin est vide : indiquez le dossier où déposer les documents, "
        "par ex. {example}.",
        Language.NL: "Het pad is leeg: geef de map op waar de documenten moeten komen, "
        "bv. {example}.",
    },
    (ProblemCode.UNCLOSED_BRACKET, ""): {
        Language.EN: "The '[' at position {position} is never closed; variables are written "
        "like [enterprise_name].",
        Language.FR: "Le « [ » en position {position} n'est jamais fermé ; les variables "
        "s'écrivent comme [nom_entreprise].",
        Language.NL: "De '[' op positie {position} wordt nooit gesloten; variabelen schrijf "
        "je als [naam_onderneming].",
    },
    (ProblemCode.STRAY_BRACKET, ""): {
        Language.EN: "The ']' at position {position} closes nothing; variables are written "
        "like [enterprise_name].",
        Language.FR: "Le « ] » en position {position} ne ferme rien ; les variables "
        "s'écrivent comme [nom_entreprise].",
        Language.NL: "De ']' op positie {position} sluit niets af; variabelen schrijf je als "
        "[naam_onderneming].",
    },
    (ProblemCode.UNKNOWN_VARIABLE, ""): {
        Language.EN: "[{name}] is not a variable Ferry knows.",
        Language.FR: "[{name}] n'est pas une variable connue de Ferry.",
        Language.NL: "[{name}] is geen variabele die Ferry kent.",
    },
    (ProblemCode.RELATIVE_PATH, "windows"): {
        Language.EN: "The path must be complete: start it with a drive such as C:\\ or a "
        "network share such as \\\\server\\share\\.",
        Language.FR: "Le chemin doit être complet : commencez-le par un lecteur comme C:\\ "
        "ou un partage réseau comme \\\\serveur\\partage\\.",
        Language.NL: "Het pad moet volledig zijn: begin met een station zoals C:\\ of een "
        "netwerkshare zoals \\\\server\\share\\.",
    },
    (ProblemCode.RELATIVE_PATH, "drive"): {
        Language.EN: "'{drive}' must be followed by a backslash: write {drive}\\ so that the "
        "path does not depend on the current folder of that drive.",
        Language.FR: "« {drive} » doit être suivi d'une barre oblique inverse : écrivez "
        "{drive}\\ pour que le chemin ne dépende pas du dossier courant de ce lecteur.",
        Language.NL: "Na '{drive}' moet een backslash staan: schrijf {drive}\\ zodat het pad "
        "niet afhangt van de huidige map op dat station.",
    },
    (ProblemCode.RELATIVE_PATH, "rooted"): {
        Language.EN: "The path starts with \\ but names no drive: write C:\\... or "
        "\\\\server\\share\\....",
        Language.FR: "Le chemin commence par \\ sans lecteur : écrivez C:\\... ou "
        "\\\\serveur\\partage\\....",
        Language.NL: "Het pad begint met \\ zonder station: schrijf C:\\... of "
        "\\\\server\\share\\....",
    },
    (ProblemCode.RELATIVE_PATH, "posix"): {
        Language.EN: "The path must be complete: start it with /.",
        Language.FR: "Le chemin doit être complet : commencez-le par /.",
        Language.NL: "Het pad moet volledig zijn: begin met /.",
    },
    (ProblemCode.DEVICE_PATH, ""): {
        Language.EN: "Paths starting with \\\\?\\ or \\\\.\\ are not supported; write the "
        "ordinary path (C:\\... or \\\\server\\share\\...).",
        Language.FR: "Les chemins commençant par \\\\?\\ ou \\\\.\\ ne sont pas pris en "
        "charge ; écrivez le chemin ordinaire (C:\\... ou \\\\serveur\\partage\\...).",
        Language.NL: "Paden die met \\\\?\\ of \\\\.\\ beginnen worden niet ondersteund; "
        "schrijf het gewone pad (C:\\... of \\\\server\\share\\...).",
    },
    (ProblemCode.INCOMPLETE_UNC, ""): {
        Language.EN: "A network path needs a server and a share: \\\\server\\share\\folder.",
        Language.FR: "Un chemin réseau doit nommer un serveur et un partage : "
        "\\\\serveur\\partage\\dossier.",
        Language.NL: "Een netwerkpad heeft een server en een share nodig: \\\\server\\share\\map.",
    },
    (ProblemCode.VARIABLE_IN_ROOT, ""): {
        Language.EN: "A variable cannot stand in the drive or the server and share of the "
        "path ({root}); put it in a folder below.",
        Language.FR: "Une variable ne peut pas figurer dans le lecteur ou le serveur et le "
        "partage ({root}) ; placez-la dans un dossier en dessous.",
        Language.NL: "Een variabele kan niet in het station of de server en share staan "
        "({root}); zet ze in een map daaronder.",
    },
    (ProblemCode.EMPTY_COMPONENT, ""): {
        Language.EN: "The path has an empty folder name: two separators in a row at "
        "position {position}.",
        Language.FR: "Le chemin contient un nom de dossier vide : deux séparateurs de suite "
        "en position {position}.",
        Language.NL: "Het pad bevat een lege mapnaam: twee scheidingstekens na elkaar op "
        "positie {position}.",
    },
    (ProblemCode.DOT_COMPONENT, ""): {
        Language.EN: "'{name}' cannot be a folder in the path: Ferry writes only inside the "
        "folder you name.",
        Language.FR: "« {name} » ne peut pas être un dossier du chemin : Ferry écrit "
        "uniquement dans le dossier indiqué.",
        Language.NL: "'{name}' kan geen map in het pad zijn: Ferry schrijft alleen in de map "
        "die u opgeeft.",
    },
    (ProblemCode.FORBIDDEN_CHARACTER, ""): {
        Language.EN: "The folder name '{name}' holds {chars}, which {system} does not allow "
        "in names.",
        Language.FR: "Le nom de dossier « {name} » contient {chars}, que {system} n'accepte "
        "pas dans les noms.",
        Language.NL: "De mapnaam '{name}' bevat {chars}, wat {system} niet toestaat in namen.",
    },
    (ProblemCode.CONTROL_CHARACTER, ""): {
        Language.EN: "The folder name '{name}' holds an invisible control character; retype it.",
        Language.FR: "Le nom de dossier « {name} » contient un caractère de contrôle "
        "invisible ; retapez-le.",
        Language.NL: "De mapnaam '{name}' bevat een onzichtbaar stuurteken; typ hem opnieuw.",
    },
    (ProblemCode.RESERVED_NAME, ""): {
        Language.EN: "'{name}' is a name Windows keeps for a device (like CON, NUL or COM1); "
        "choose another folder name.",
        Language.FR: "« {name} » est un nom que Windows réserve à un périphérique (comme "
        "CON, NUL ou COM1) ; choisissez un autre nom de dossier.",
        Language.NL: "'{name}' is een naam die Windows voor een apparaat gebruikt (zoals "
        "CON, NUL of COM1); kies een andere mapnaam.",
    },
    (ProblemCode.TRAILING_DOT_OR_SPACE, ""): {
        Language.EN: "The folder name '{name}' ends with a dot or a space, which Windows "
        "drops; remove it.",
        Language.FR: "Le nom de dossier « {name} » se termine par un point ou une espace, "
        "que Windows supprime ; retirez-le.",
        Language.NL: "De mapnaam '{name}' eindigt op een punt of spatie, die Windows "
        "weglaat; verwijder die.",
    },
    (ProblemCode.COMPONENT_TOO_LONG, ""): {
        Language.EN: "The folder name '{name}' is {length} characters long; at most 255 are "
        "allowed.",
        Language.FR: "Le nom de dossier « {name} » compte {length} caractères ; 255 au "
        "maximum sont permis.",
        Language.NL: "De mapnaam '{name}' is {length} tekens lang; hoogstens 255 zijn toegestaan.",
    },
    (ProblemCode.PATH_TOO_LONG, "windows"): {
        Language.EN: "For {client} the path would be {length} characters long; Windows "
        "allows at most {limit} before the file name. Choose a shorter base folder.",
        Language.FR: "Pour {client}, le chemin compterait {length} caractères ; Windows en "
        "permet au plus {limit} avant le nom du fichier. Choisissez un dossier de base plus "
        "court.",
        Language.NL: "Voor {client} zou het pad {length} tekens lang zijn; Windows staat er "
        "hoogstens {limit} toe vóór de bestandsnaam. Kies een kortere basismap.",
    },
    (ProblemCode.PATH_TOO_LONG, "posix"): {
        Language.EN: "For {client} the path would be {length} bytes long; the system allows "
        "at most {limit}. Choose a shorter base folder.",
        Language.FR: "Pour {client}, le chemin compterait {length} octets ; le système en "
        "permet au plus {limit}. Choisissez un dossier de base plus court.",
        Language.NL: "Voor {client} zou het pad {length} bytes lang zijn; het systeem staat "
        "er hoogstens {limit} toe. Kies een kortere basismap.",
    },
    (ProblemCode.MISSING_VALUE, ""): {
        Language.EN: "{client} has no {what}, which [{name}] needs: fill it in for this "
        "client or remove the variable.",
        Language.FR: "{client} n'a pas de {what}, nécessaire pour [{name}] : complétez-le "
        "pour ce client ou retirez la variable.",
        Language.NL: "{client} heeft geen {what}, nodig voor [{name}]: vul het in voor deze "
        "klant of verwijder de variabele.",
    },
    (ProblemCode.INVALID_VAT, ""): {
        Language.EN: "[{name}] cannot be filled in for {client}: {reason}.",
        Language.FR: "[{name}] ne peut pas être rempli pour {client} : {reason}.",
        Language.NL: "[{name}] kan niet ingevuld worden voor {client}: {reason}.",
    },
    (ProblemCode.EMPTY_VALUE, ""): {
        Language.EN: "[{name}] gives an empty folder name for {client} ('{value}'): correct "
        "the client's {what} or remove the variable.",
        Language.FR: "[{name}] donne un nom de dossier vide pour {client} (« {value} ») : "
        "corrigez le {what} du client ou retirez la variable.",
        Language.NL: "[{name}] geeft een lege mapnaam voor {client} ('{value}'): verbeter de "
        "{what} van de klant of verwijder de variabele.",
    },
}
