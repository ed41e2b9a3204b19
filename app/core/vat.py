"""VAT numbers: normalised to the compact form with country prefix, and checked.

Folder names built from ``[enterprise_identifier]`` must be the same whether the platform
wrote ``BE 0123.456.749`` or ``be0123456749``, and a number with wrong check digits is almost
always a typo that would file documents under the wrong company, so both live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from app.core.language import FALLBACK, Language

# Countries whose offices Ferry serves first; any EU country python-stdnum knows also works.
SUPPORTED_COUNTRIES: tuple[str, ...] = ("BE", "NL", "FR", "LU", "DE")

_COUNTRY_NAMES: dict[str, dict[Language, str]] = {
    "BE": {Language.EN: "Belgian", Language.FR: "belge", Language.NL: "Belgisch"},
    "NL": {Language.EN: "Dutch", Language.FR: "néerlandais", Language.NL: "Nederlands"},
    "FR": {Language.EN: "French", Language.FR: "français", Language.NL: "Frans"},
    "LU": {Language.EN: "Luxembourg", Language.FR: "luxembourgeois", Language.NL: "Luxemburgs"},
    "DE": {Language.EN: "German", Language.FR: "allemand", Language.NL: "Duits"},
}


@dataclass(frozen=True)
class VatCheck:
    """The outcome of checking one VAT number: the compact form, or why it is refused.

    The reason is kept as a code so it can be said in whichever language reads it.
    """

    number: str
    compact: str | None
    reason_code: str | None = None
    country: str | None = None

    @property
    def valid(self) -> bool:
        return self.compact is not None

    def reason(self, language: Language = FALLBACK) -> str | None:
        if self.reason_code is None:
            return None
        return explain(self.reason_code, self.number, self.country, language)


def _country_prefix(country: str | None) -> str | None:
    if not country:
        return None
    code = country.strip().upper()
    # Greece writes EL on VAT numbers but GR everywhere else.
    return "EL" if code == "GR" else code


@lru_cache(maxsize=8192)
def check_vat(number: str, country: str | None = None) -> VatCheck:
    """Normalise and validate ``number`` for ``country`` (ISO code), adding its prefix if missing.

    Returns the compact number (``BE0123456749``) or the reason it is refused. Cached: a
    preview renders the same client's number for every document kind on every key press.
    """
    raw = number.strip()
    if not raw:
        return VatCheck(raw, None, "empty")
    try:
        compact = eu_vat.compact(raw)
    except ValidationError:
        compact = raw.upper()
    prefix = _country_prefix(country)
    if prefix and not compact[:2].isalpha():
        compact = prefix + compact
    if prefix and compact[:2] != prefix:
        return VatCheck(raw, None, "other_country", prefix)
    if not compact[:2].isalpha():
        return VatCheck(raw, None, "no_prefix")
    where = compact[:2]
    try:
        valid = eu_vat.validate(compact)
    except InvalidChecksum:
        return VatCheck(raw, None, "checksum", where)
    except InvalidLength:
        return VatCheck(raw, None, "length", where)
    except (InvalidFormat, InvalidComponent):
        return VatCheck(raw, None, "format", where)
    except ValidationError:
        return VatCheck(raw, None, "format", where)
    return VatCheck(raw, valid)


def explain(code: str, number: str, country: str | None, language: Language = FALLBACK) -> str:
    """Say why ``number`` was refused, in ``language``."""
    where = _country_word(country, language) if country else ""
    return _MESSAGES[code][language].format(number=number, country=where)


def _country_word(code: str, language: Language) -> str:
    names = _COUNTRY_NAMES.get("GR" if code == "EL" else code)
    return names[language] if names else code


_MESSAGES: dict[str, dict[Language, str]] = {
    "empty": {
        Language.EN: "the VAT number is empty",
        Language.FR: "le numéro de TVA est vide",
        Language.NL: "het btw-nummer is leeg",
    },
    "no_prefix": {
        Language.EN: "{number} has no country code; write it as e.g. BE0123456749",
        Language.FR: "{number} n'a pas de code pays ; écrivez-le par ex. BE0123456749",
        Language.NL: "{number} heeft geen landcode; schrijf het bv. als BE0123456749",
    },
    "other_country": {
        Language.EN: "{number} is not a {country} VAT number",
        Language.FR: "{number} n'est pas un numéro de TVA {country}",
        Language.NL: "{number} is geen {country} btw-nummer",
    },
    "checksum": {
        Language.EN: "{number} is not a valid {country} VAT number: its check digits are wrong "
        "(probably a typo)",
        Language.FR: "{number} n'est pas un numéro de TVA {country} valide : les chiffres de "
        "contrôle sont faux (sans doute une faute de frappe)",
        Language.NL: "{number} is geen geldig {country} btw-nummer: de controlecijfers kloppen "
        "niet (wellicht een tikfout)",
    },
    "length": {
        Language.EN: "{number} is not a valid {country} VAT number: it has the wrong number of "
        "digits",
        Language.FR: "{number} n'est pas un numéro de TVA {country} valide : le nombre de "
        "chiffres est incorrect",
        Language.NL: "{number} is geen geldig {country} btw-nummer: het aantal cijfers klopt niet",
    },
    "format": {
        Language.EN: "{number} is not a valid {country} VAT number",
        Language.FR: "{number} n'est pas un numéro de TVA {country} valide",
        Language.NL: "{number} is geen geldig {country} btw-nummer",
    },
}
