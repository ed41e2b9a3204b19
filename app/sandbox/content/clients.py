"""Client companies of an office, and the other companies they trade with.

The platform keeps only five facts about a client (name, VAT number, country, dossier number,
IBAN), so the rest of what an invoice needs about it — address, language, line of business — is
derived from those facts with a random generator seeded by them. The same client therefore has
the same address on every document, across restarts of the sandbox, without storing it.
"""

from __future__ import annotations

import dataclasses
import functools
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.eu import vat as eu_vat

from app.sandbox.content import identifiers
from app.sandbox.content.locales import (
    CATALOG,
    COUNTRIES,
    DUTCH_LEGAL_FORMS,
    FIRST_NAMES,
    FRENCH_LEGAL_FORMS,
    SECTORS,
    Bank,
    Country,
    Language,
    LanguageArea,
)
from app.sandbox.content.models import REALM_COUNTRIES, GeneratedClient


@dataclass(frozen=True)
class Party:
    """Everything an invoice, receipt or letter says about a company."""

    name: str
    country: str
    language: Language
    vat_number: str
    legal_id: str  # national company register number (KBO, KvK, SIREN, RCS)
    legal_scheme: str | None  # ISO 6523 scheme of legal_id, None where there is none
    endpoint_id: str  # Peppol address
    endpoint_scheme: str
    street: str
    postal_code: str
    city: str
    iban: str
    bank: Bank | None
    email: str
    phone: str
    sector: str

    @property
    def city_line(self) -> str:
        prefix = "L-" if self.country == "LU" else ""
        return f"{prefix}{self.postal_code} {self.city}"


def locale_of(country: str) -> Country:
    """The locale tables for ``country``; unknown countries borrow Belgium's."""
    return COUNTRIES.get(country, COUNTRIES["BE"])


def generate_clients(realm: str, count: int, rng: random.Random) -> list[GeneratedClient]:
    """``count`` clients of the office of ``realm``, with distinct names and VAT numbers."""
    try:
        country = REALM_COUNTRIES[realm]
    except KeyError:
        raise ValueError(
            f"unknown realm {realm!r}; expected one of {sorted(REALM_COUNTRIES)}"
        ) from None
    if count < 0:
        raise ValueError("count must not be negative")
    locale = COUNTRIES[country]
    width = max(5, len(str(count)))
    dossiers = rng.sample(range(1, 10**width), count)
    names: set[str] = set()
    vats: set[str] = set()
    clients: list[GeneratedClient] = []
    for dossier in dossiers:
        area = _pick_area(locale, rng)
        name = _distinct(functools.partial(company_name, area, rng), names, area, rng)
        vat = identifiers.vat_number(country, rng)
        while vat in vats:
            vat = identifiers.vat_number(country, rng)
        names.add(name)
        vats.add(vat)
        bank = rng.choice(locale.banks)
        clients.append(
            GeneratedClient(
                name=name,
                vat_number=vat,
                country=country,
                accounting_file_id=f"D{dossier:0{width}d}",
                iban=identifiers.iban(country, bank, rng),
            )
        )
    return clients


def _pick_area(locale: Country, rng: random.Random) -> LanguageArea:
    # Belgium: about six in ten companies are Flemish, the rest Walloon or Brussels French.
    if len(locale.areas) == 1:
        return locale.areas[0]
    return locale.areas[0] if rng.random() < 0.6 else locale.areas[1]


def _distinct(
    make: Callable[[], str], taken: set[str], area: LanguageArea, rng: random.Random
) -> str:
    """A name not yet in ``taken``: a few fresh draws, then the town added, then a number."""
    name = make()
    for _ in range(12):
        if name not in taken:
            return name
        name = make()
    form = next((f for f in area.legal_forms if name.endswith(" " + f)), "")
    base = name[: len(name) - len(form)].rstrip() if form else name
    for _ in range(12):
        candidate = f"{base} {rng.choice(area.cities).name} {form}".rstrip()
        if candidate not in taken:
            return candidate
    number = 2
    while f"{base} {number} {form}".rstrip() in taken:
        number += 1
    return f"{base} {number} {form}".rstrip()


def company_name(area: LanguageArea, rng: random.Random) -> str:
    """A company name in the style of ``area``: "Bakkerij Peeters BV", "Dubois & Fils SRL"."""
    surname = rng.choice(area.surnames)
    trade = rng.choice(area.trades).word
    form = rng.choice(area.legal_forms)
    roll = rng.random()
    if roll < 0.4:
        core = f"{trade} {surname}"
    elif roll < 0.6:
        core = f"{_capitalised(surname)} {trade}"
    elif roll < 0.75:
        other = rng.choice([s for s in area.surnames if s != surname])
        core = f"{_capitalised(surname)} & {_capitalised(other)}"
    elif roll < 0.87:
        family = {"nl": "& Zonen", "fr": "& Fils"}[area.language]
        core = f"{_capitalised(surname)} {family}"
    else:
        initials = "".join(rng.choice("ABCDEGHJKLMPRSTVW") for _ in range(rng.randint(2, 3)))
        core = f"{initials} {trade}"
    return f"{core} {form}"


def _capitalised(surname: str) -> str:
    # Dutch particles are lower case inside a name but capitalised when they open it.
    return surname[0].upper() + surname[1:]


def _sector_from_name(name: str) -> str | None:
    lowered = name.lower()
    for country in COUNTRIES.values():
        for area in country.areas:
            for trade in area.trades:
                if trade.word.lower() in lowered:
                    return trade.sector
    return None


def _language_from_name(name: str, country: str, rng: random.Random) -> Language:
    if country == "NL":
        return "nl"
    if country in ("FR", "LU"):
        return "fr"
    for form in FRENCH_LEGAL_FORMS:
        if name.endswith(" " + form):
            return "fr"
    for form in DUTCH_LEGAL_FORMS:
        if name.endswith(" " + form):
            return "nl"
    return "nl" if rng.random() < 0.6 else "fr"


def client_party(client: GeneratedClient) -> Party:
    """The client as a full party, derived from (and always the same for) its five facts."""
    seed = f"ferry-client:{client.vat_number}:{client.name}"
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not secrets
    country = client.country.strip().upper()
    if country not in ADDRESS_COUNTRIES:  # clients added through the admin API may say anything
        country = "BE"
    locale = locale_of(country)
    language = _language_from_name(client.name, country, rng)
    area = next((a for a in locale.areas if a.language == language), locale.areas[0])
    sector = _sector_from_name(client.name) or rng.choice(SECTORS)
    vat = usable_vat(client.vat_number, country)
    # XML cannot carry control characters, and an invoice needs a name (BR-06, BR-07).
    name = "".join(ch for ch in client.name if unicodedata.category(ch)[0] != "C").strip()
    name = name or f"Client {client.accounting_file_id}".strip()
    bank: Bank | None = None
    account = client.iban.replace(" ", "").upper()
    if std_iban.is_valid(account):
        bank = _bank_of(account)
    else:
        bank = rng.choice(locale.banks)
        account = identifiers.iban(locale.code, bank, rng)
    return _party(name, country, language, vat, area, sector, account, bank, rng)


# Countries an invoice address may name (EN 16931 checks ISO 3166 codes), and VAT prefixes.
ADDRESS_COUNTRIES: frozenset[str] = frozenset(
    {c.upper() for c in eu_vat.MEMBER_STATES if c != "xi"} | {"CH", "GB", "NO"}
)
_VAT_PREFIXES: frozenset[str] = (ADDRESS_COUNTRIES - {"GR"}) | {"EL"}


def usable_vat(raw: str, country: str) -> str:
    """``raw`` as a compact VAT number with a country prefix, or "" if it cannot be one.

    The check digits are not verified: a client with a mistyped number still gets documents,
    as it would on a real platform. Only numbers that no invoice could carry are dropped.
    """
    text = re.sub(r"[\s./-]", "", raw).upper()
    if len(text) >= 2 and text[:2].isalpha():
        prefix, body = text[:2], text[2:]
    else:
        prefix, body = ("EL" if country == "GR" else country), text
    if not body or not body.isascii() or not body.isalnum() or prefix not in _VAT_PREFIXES:
        return ""
    return prefix + body


def _bank_of(account: str) -> Bank | None:
    locale = COUNTRIES.get(account[:2])
    if locale is None:
        return None
    bban = account[4:]
    for bank in locale.banks:
        if bban.startswith(bank.code):
            return bank
    return None


def surname(country: str, language: Language, rng: random.Random) -> str:
    """A family name common among ``language`` speakers of ``country``."""
    locale = locale_of(country)
    area = next((a for a in locale.areas if a.language == language), locale.areas[0])
    return _capitalised(rng.choice(area.surnames))


def person_name(country: str, language: Language, rng: random.Random) -> str:
    """A person's name as people of ``country`` are called: an employee, a landlord, a signatory."""
    return f"{rng.choice(FIRST_NAMES[language])} {surname(country, language, rng)}"


def trading_as(
    word: str, country: str, language: Language, rng: random.Random, *, legal_form: bool = True
) -> Party:
    """A party named after its trade and a family name: "Verzekeringen Maes NV"."""
    locale = locale_of(country)
    area = next((a for a in locale.areas if a.language == language), locale.areas[0])
    name = f"{word} {surname(country, language, rng)}"
    if legal_form:
        name = f"{name} {rng.choice(area.legal_forms)}"
    party = random_party(country, rng, language=language)
    mailbox = party.email.split("@")[0]
    return dataclasses.replace(
        party, name=name, email=f"{mailbox}@{_slug(name)}.{locale.web_suffix}"
    )


def random_party(
    country: str,
    rng: random.Random,
    *,
    language: Language | None = None,
    sector: str | None = None,
) -> Party:
    """A trading partner of a client: a supplier, a customer, a shop, a landlord."""
    locale = locale_of(country)
    areas = [a for a in locale.areas if language is None or a.language == language]
    area = rng.choice(areas) if areas else _pick_area(locale, rng)
    if sector is not None:
        trades = [t for t in area.trades if t.sector == sector] or list(area.trades)
        trade = rng.choice(trades).word
        family = rng.choice(area.surnames)
        core = f"{trade} {family}" if rng.random() < 0.6 else f"{_capitalised(family)} {trade}"
        name = f"{core} {rng.choice(area.legal_forms)}"
    else:
        name = company_name(area, rng)
    vat = identifiers.vat_number(locale.code, rng)
    bank = rng.choice(locale.banks)
    account = identifiers.iban(locale.code, bank, rng)
    sector = sector or _sector_from_name(name) or rng.choice(SECTORS)
    return _party(name, locale.code, area.language, vat, area, sector, account, bank, rng)


def _party(
    name: str,
    country: str,
    language: Language,
    vat: str,
    area: LanguageArea,
    sector: str,
    account: str,
    bank: Bank | None,
    rng: random.Random,
) -> Party:
    locale = locale_of(country)
    city = rng.choice(area.cities)
    house, street_name = rng.randint(1, 180), rng.choice(area.streets)
    # House numbers follow the street in Belgium and the Netherlands, precede it elsewhere.
    street = {"FR": f"{house} {street_name}", "LU": f"{house}, {street_name}"}.get(
        country, f"{street_name} {house}"
    )
    legal_id, legal_scheme, endpoint_id, endpoint_scheme = _registrations(country, vat, rng)
    slug = _slug(name)
    email = f"{rng.choice(_MAILBOXES[language])}@{slug}.{locale.web_suffix}"
    phone = f"{locale.phone_prefix} {rng.randint(2, 9)}{rng.randint(0, 9)} " + " ".join(
        f"{rng.randint(0, 99):02d}" for _ in range(3)
    )
    return Party(
        name=name,
        country=country,
        language=language,
        vat_number=vat,
        legal_id=legal_id,
        legal_scheme=legal_scheme,
        endpoint_id=endpoint_id or email,
        endpoint_scheme=endpoint_scheme,
        street=street,
        postal_code=city.postal_code,
        city=city.name,
        iban=account,
        bank=bank,
        email=email,
        phone=phone,
        sector=sector if sector in CATALOG else rng.choice(SECTORS),
    )


_MAILBOXES: dict[Language, tuple[str, ...]] = {
    "nl": ("info", "boekhouding", "facturatie", "administratie"),
    "fr": ("info", "compta", "facturation", "administration"),
}


def _registrations(country: str, vat: str, rng: random.Random) -> tuple[str, str | None, str, str]:
    """(company register number, its ISO 6523 scheme, Peppol endpoint, endpoint scheme).

    The endpoint schemes are the ones each country actually uses on the Peppol network: the
    Belgian enterprise number (0208), the Dutch KvK number (0106), the French SIRET (0009) and
    the Luxembourg VAT number (9938).
    """
    digits = vat[2:]
    if country == "BE":
        kbo = (
            digits
            if digits.isdigit() and len(digits) == 10
            else f"0{rng.randint(200_000_000, 999_999_999)}"
        )
        return kbo, "0208", kbo, "0208"
    if country == "NL":
        kvk = f"{rng.randint(10_000_000, 99_999_999)}"
        return kvk, "0106", kvk, "0106"
    if country == "FR":
        siren = digits[2:] if len(digits) == 11 and digits.isdigit() else identifiers.siren(rng)
        nic = f"{rng.randint(1, 9999):04d}"
        siret = siren + nic + luhn.calc_check_digit(siren + nic)
        return siren, "0002", siret, "0009"
    if country == "LU":
        rcs = f"B{rng.randint(10_000, 299_999)}"
        return rcs, None, vat or rcs, "9938"
    # Elsewhere (clients added by hand) the Peppol address falls back to e-mail ("EM"),
    # which the caller fills in.
    return f"{rng.randint(10_000_000, 99_999_999)}", None, "", "EM"


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    forms = {
        "bv",
        "nv",
        "commv",
        "vof",
        "srl",
        "sa",
        "scomm",
        "sprl",
        "sarl",
        "sas",
        "sasu",
        "eurl",
        "s",
        "a",
        "r",
        "l",
        "v",
        "o",
        "f",
        "b",
        "n",
    }
    kept = [w for w in words if w not in forms][:4] or ["bedrijf"]
    return "-".join(kept)


def to_ascii(text: str) -> str:
    """``text`` without accents, for formats such as CODA that only carry plain ASCII."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
