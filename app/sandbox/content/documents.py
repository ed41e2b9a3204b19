"""One entry point that turns (client, kind, random generator) into a document with its files.

Everything is drawn from the caller's ``random.Random``, never from the clock or global state,
so a seed reproduces a whole sandbox byte for byte. Sized documents (``target_size``) are grown
the way real big documents are — more invoice lines, more movements, more receipt lines, more
pages of terms — and the size is found by re-running the same draws with more units, which
keeps the result deterministic too.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Final

from app.sandbox.content.clients import client_party, random_party
from app.sandbox.content.coda import make_statement, render_coda
from app.sandbox.content.invoices import make_invoice
from app.sandbox.content.letters import make_letter
from app.sandbox.content.models import (
    KINDS,
    MEDIA_CODA,
    MEDIA_PDF,
    MEDIA_XML,
    GeneratedClient,
    GeneratedDocument,
    GeneratedFile,
)
from app.sandbox.content.pdf import render_invoice
from app.sandbox.content.receipts import make_receipt, render_receipt
from app.sandbox.content.ubl import build_ubl

# Without an explicit date a document falls in the year before this day. A fixed day rather
# than today keeps a seed's output the same whenever it runs; the server passes real dates.
DEFAULT_LATEST_DATE: Final = datetime.date(2026, 6, 30)
CREDIT_NOTE_SHARE: Final = 1 / 6

_MAX_UNITS: Final[dict[str, int]] = {
    "purchase": 5000,
    "sales": 5000,
    "statement": 9999,
    "receipt": 20000,
    "other": 5000,
}


def generate_document(
    client: GeneratedClient,
    kind: str,
    rng: random.Random,
    issue_date: datetime.date | None = None,
    *,
    target_size: int | None = None,
) -> GeneratedDocument:
    """A realistic document of ``kind`` for ``client``; see the package docstring for kinds.

    With ``target_size`` (bytes) the main file is grown to within a few per cent of it, but
    never below the natural size of the smallest such document.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {', '.join(KINDS)}")
    if target_size is not None and target_size <= 0:
        raise ValueError("target_size must be positive")
    date = issue_date if issue_date is not None else _default_date(kind, rng)
    build = _BUILDERS[kind]
    if target_size is None:
        return build(client, rng, date, None, kind == "sales")
    start = rng.getstate()

    def attempt(units: int) -> GeneratedDocument:
        rng.setstate(start)
        return build(client, rng, date, units, kind == "sales")

    return _fit(attempt, target_size, _MAX_UNITS[kind])


def _default_date(kind: str, rng: random.Random) -> datetime.date:
    date = DEFAULT_LATEST_DATE - datetime.timedelta(days=rng.randint(0, 364))
    if kind == "statement":  # banks issue statements on working days
        while date.weekday() >= 5:
            date -= datetime.timedelta(days=1)
    return date


def _fit(attempt: Callable[[int], GeneratedDocument], target: int, most: int) -> GeneratedDocument:
    """The document whose main file is closest to ``target`` bytes, found by a secant search.

    Size grows almost linearly with the number of units (lines, movements, articles), so two
    probes give the slope and one or two corrections land within a few per cent.
    """
    first, probe = 2, 12
    document = attempt(first)
    first_size = len(document.files[0].content)
    if first_size >= target:
        return document
    document = attempt(probe)
    probe_size = len(document.files[0].content)
    slope = max((probe_size - first_size) / (probe - first), 1.0)
    best_units, best_size = probe, probe_size
    units = first + round((target - first_size) / slope)
    for _ in range(4):
        units = max(1, min(most, units))
        document = attempt(units)
        size = len(document.files[0].content)
        if abs(size - target) < abs(best_size - target):
            best_units, best_size = units, size
        if abs(size - target) <= target * 0.03 or units == most:
            break
        units += round((target - size) / slope)
    if units != best_units:
        # Run the best draw again so the caller's generator ends where that document left it.
        document = attempt(best_units)
    return document


def _invoice(
    client: GeneratedClient, rng: random.Random, date: datetime.date, lines: int | None, sales: bool
) -> GeneratedDocument:
    party = client_party(client)
    credit = rng.random() < CREDIT_NOTE_SHARE
    partner = random_party(party.country, rng, language=party.language)
    seller, buyer = (party, partner) if sales else (partner, party)
    invoice = make_invoice(seller, buyer, rng, date, credit_note=credit, line_count=lines)
    pdf_name = f"{invoice.number}.pdf"
    xml = build_ubl(invoice, render_invoice(invoice), pdf_name)
    return GeneratedDocument(
        kind="sales" if sales else "purchase",
        number=invoice.number,
        issue_date=date,
        amount=invoice.total,
        currency=invoice.currency,
        counterparty=partner.name,
        files=(GeneratedFile(f"{invoice.number}.xml", MEDIA_XML, xml),),
    )


def _statement(
    client: GeneratedClient,
    rng: random.Random,
    date: datetime.date,
    movements: int | None,
    _sales: bool,
) -> GeneratedDocument:
    party = client_party(client)
    statement = make_statement(party, rng, date, movements)
    bank = statement.bank.name
    return GeneratedDocument(
        kind="statement",
        number=statement.number,
        issue_date=date,
        amount=statement.new_balance,
        currency="EUR",
        counterparty=bank,
        files=(GeneratedFile(statement.file_name, MEDIA_CODA, render_coda(statement)),),
    )


def _receipt(
    client: GeneratedClient,
    rng: random.Random,
    date: datetime.date,
    lines: int | None,
    _sales: bool,
) -> GeneratedDocument:
    party = client_party(client)
    receipt = make_receipt(party.country, party.language, rng, date, lines)
    pdf = render_receipt(receipt, party.language, compress=lines is None)
    return GeneratedDocument(
        kind="receipt",
        number=receipt.number,
        issue_date=date,
        amount=receipt.total,
        currency="EUR",
        counterparty=receipt.shop.name,
        files=(GeneratedFile(f"receipt-{receipt.number}.pdf", MEDIA_PDF, pdf),),
    )


def _other(
    client: GeneratedClient,
    rng: random.Random,
    date: datetime.date,
    articles: int | None,
    _sales: bool,
) -> GeneratedDocument:
    party = client_party(client)
    letter = make_letter(party, rng, date, annex_articles=articles or 0, compress=articles is None)
    return GeneratedDocument(
        kind="other",
        number=letter.number,
        issue_date=date,
        amount=letter.amount,
        currency="EUR",
        counterparty=letter.sender,
        files=(GeneratedFile(letter.file_name, MEDIA_PDF, letter.pdf),),
    )


# (client, generator, date, units or None for the natural size, is it a sale) -> document
_Builder = Callable[
    [GeneratedClient, random.Random, datetime.date, int | None, bool], GeneratedDocument
]
_BUILDERS: Final[dict[str, _Builder]] = {
    "purchase": _invoice,
    "sales": _invoice,
    "statement": _statement,
    "receipt": _receipt,
    "other": _other,
}
