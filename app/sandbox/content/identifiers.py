"""Identifiers with real check digits: VAT numbers, IBANs, payment references.

Ferry and the accounting packages behind it reject numbers whose check digits are wrong, so a
sandbox that made them up digit by digit would show errors no real office ever sees. Each number
is built with its national algorithm and then confirmed with python-stdnum, so a mistake here
fails loudly instead of seeding bad data.
"""

from __future__ import annotations

import random

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.be import ogm_vcs
from stdnum.eu import vat as eu_vat

from app.sandbox.content.locales import Bank


def vat_number(country: str, rng: random.Random) -> str:
    """A VAT number of ``country`` in compact form with its prefix, valid per python-stdnum."""
    makers = {"BE": _be_vat, "NL": _nl_vat, "FR": _fr_vat, "LU": _lu_vat}
    number = makers[country](rng)
    if not eu_vat.is_valid(number):  # pragma: no cover - a bug in the algorithms above
        raise AssertionError(f"generated an invalid VAT number {number}")
    return number


def _be_vat(rng: random.Random) -> str:
    # Enterprise numbers start with 0 (older companies) or 1 (issued since 2023).
    first = "1" if rng.random() < 0.1 else "0"
    body = first + str(rng.randint(2_000_000, 9_999_999))
    return f"BE{body}{97 - int(body) % 97:02d}"


def _nl_vat(rng: random.Random) -> str:
    # The RSIN passes the "elfproef": weights 9..2 on the first eight digits, minus the last.
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        last = sum(d * (9 - i) for i, d in enumerate(digits)) % 11
        if last < 10:
            rsin = "".join(map(str, digits)) + str(last)
            return f"NL{rsin}B{rng.choice(('01', '01', '01', '02', '03'))}"


def siren(rng: random.Random) -> str:
    """A French company number (SIREN): eight digits and a Luhn check digit."""
    body = str(rng.randint(30_000_000, 99_999_999))
    return body + luhn.calc_check_digit(body)


def _fr_vat(rng: random.Random) -> str:
    number = siren(rng)
    key = (12 + 3 * (int(number) % 97)) % 97
    return f"FR{key:02d}{number}"


def _lu_vat(rng: random.Random) -> str:
    body = str(rng.randint(100_000, 999_999))
    return f"LU{body}{int(body) % 89:02d}"


def iban(country: str, bank: Bank, rng: random.Random) -> str:
    """An IBAN at ``bank`` in ``country`` whose national check digits are right too."""
    if country == "BE":
        head = bank.code + f"{rng.randint(0, 9_999_999):07d}"
        bban = head + f"{int(head) % 97 or 97:02d}"
    elif country == "NL":
        # Dutch account numbers were designed to pass the elfproef (weights 10..1).
        while True:
            digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
            last = -sum(d * (10 - i) for i, d in enumerate(digits)) % 11
            if last < 10:
                bban = bank.code + "".join(map(str, digits)) + str(last)
                break
    elif country == "FR":
        branch = f"{rng.randint(1, 99_999):05d}"
        account = f"{rng.randint(0, 99_999_999_999):011d}"
        key = 97 - (89 * int(bank.code) + 15 * int(branch) + 3 * int(account)) % 97
        bban = f"{bank.code}{branch}{account}{key:02d}"
    elif country == "LU":
        bban = bank.code + f"{rng.randint(0, 10**13 - 1):013d}"
    else:
        raise ValueError(f"no IBAN layout for {country}")
    number = country + std_iban.calc_check_digits(country + "00" + bban) + bban
    if not std_iban.is_valid(number):  # pragma: no cover - a bug in the layouts above
        raise AssertionError(f"generated an invalid IBAN {number}")
    return number


def structured_reference(rng: random.Random) -> str:
    """A Belgian structured payment reference (OGM/VCS), as ``+++123/4567/89012+++``.

    Belgian invoices carry one so that the payment in the CODA statement can be matched to the
    invoice automatically; that matching is what accountants expect from a demo.
    """
    body = f"{rng.randint(1, 9_999_999_999):010d}"
    return f"+++{ogm_vcs.format(body + ogm_vcs.calc_check_digits(body))}+++"


def creditor_reference(rng: random.Random) -> str:
    """An ISO 11649 creditor reference (RF...), the payment reference used outside Belgium."""
    body = f"{rng.randint(10**7, 10**12):d}"
    check = 98 - int(body + "271500") % 97  # "RF00" moved to the end, letters as numbers
    return f"RF{check:02d}{body}"


def bank_reference(rng: random.Random, length: int = 21) -> str:
    """An opaque bank transaction reference like the ones in the first CODA movement columns."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(rng.choice(alphabet) for _ in range(length))
