"""The business content of an invoice or credit note, computed once for every rendering of it.

The UBL file and the PDF inside it must tell exactly the same story, and the EN 16931 rules
check every total against the lines, so all amounts are computed here with Decimal, rounded to
the cent the way the rules round them, and only then written out.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.sandbox.content import identifiers
from app.sandbox.content.clients import Party, locale_of
from app.sandbox.content.locales import CATALOG, CatalogItem, Language

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """``value`` rounded half up to the cent, as EN 16931 rounds amounts."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class InvoiceLine:
    number: int
    name: str
    quantity: Decimal
    unit: str
    price: Decimal
    vat_percent: Decimal

    @property
    def net(self) -> Decimal:
        return cents(self.quantity * self.price)


@dataclass(frozen=True)
class VatSubtotal:
    percent: Decimal
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Invoice:
    """An invoice (or credit note) from ``seller`` to ``buyer``."""

    credit_note: bool
    number: str
    issue_date: datetime.date
    due_date: datetime.date
    seller: Party
    buyer: Party
    lines: tuple[InvoiceLine, ...]
    payment_reference: str
    buyer_reference: str
    order_reference: str | None
    credited_invoice: tuple[str, datetime.date] | None
    currency: str = "EUR"

    @property
    def language(self) -> Language:
        return self.seller.language

    @property
    def line_total(self) -> Decimal:
        return sum((line.net for line in self.lines), Decimal("0.00"))

    @property
    def vat_subtotals(self) -> tuple[VatSubtotal, ...]:
        """One subtotal per rate, highest rate first, tax rounded per rate (BR-CO-17)."""
        taxable: dict[Decimal, Decimal] = {}
        for line in self.lines:
            taxable[line.vat_percent] = taxable.get(line.vat_percent, Decimal("0.00")) + line.net
        return tuple(
            VatSubtotal(rate, amount, cents(amount * rate / 100))
            for rate, amount in sorted(taxable.items(), reverse=True)
        )

    @property
    def tax_total(self) -> Decimal:
        return sum((s.tax for s in self.vat_subtotals), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.line_total + self.tax_total

    @property
    def file_stem(self) -> str:
        return self.number


def make_invoice(
    seller: Party,
    buyer: Party,
    rng: random.Random,
    issue_date: datetime.date,
    *,
    credit_note: bool,
    line_count: int | None = None,
) -> Invoice:
    """An invoice for goods of the seller's trade, at the seller's country's VAT rates."""
    if line_count is None:
        line_count = rng.randint(1, 3) if credit_note else rng.randint(2, 7)
    catalog = CATALOG[seller.sector]
    rates = locale_of(seller.country).vat_rates
    lines = []
    for position in range(1, line_count + 1):
        item = rng.choice(catalog)
        lines.append(
            InvoiceLine(
                number=position,
                name=_item_name(item, seller.language, position, line_count),
                quantity=_quantity(item, rng),
                unit=item.unit,
                price=_price(item, rng),
                vat_percent=rates[item.rate],
            )
        )
    serial = rng.randint(1, 99_999)
    prefix = "CN" if credit_note else "INV"
    number = f"{prefix}-{issue_date.year}-{serial:05d}"
    terms = rng.choice((14, 30, 30, 30, 60))
    if seller.country == "BE":
        reference = identifiers.structured_reference(rng)
    elif rng.random() < 0.5:
        reference = identifiers.creditor_reference(rng)
    else:
        reference = number
    order = f"PO-{issue_date.year}-{rng.randint(100, 9999)}" if rng.random() < 0.4 else None
    customer_no = f"{'KL' if seller.language == 'nl' else 'CL'}-{rng.randint(1000, 99999)}"
    credited = None
    if credit_note:
        original = issue_date - datetime.timedelta(days=rng.randint(5, 60))
        credited = (f"INV-{original.year}-{rng.randint(1, 99_999):05d}", original)
    return Invoice(
        credit_note=credit_note,
        number=number,
        issue_date=issue_date,
        due_date=issue_date + datetime.timedelta(days=terms),
        seller=seller,
        buyer=buyer,
        lines=tuple(lines),
        payment_reference=reference,
        buyer_reference=order or customer_no,
        order_reference=order,
        credited_invoice=credited,
    )


def _item_name(item: CatalogItem, language: Language, number: int, count: int) -> str:
    name = item.nl if language == "nl" else item.fr
    # Long invoices (benchmark padding) repeat catalogue items; numbered positions keep each
    # line distinct the way a delivery note's positions are.
    return f"{name} (pos. {number})" if count > 12 else name


def _quantity(item: CatalogItem, rng: random.Random) -> Decimal:
    if item.fractional:
        return Decimal(rng.randint(2, item.max_quantity * 4)) / 4
    return Decimal(rng.randint(1, item.max_quantity))


def _price(item: CatalogItem, rng: random.Random) -> Decimal:
    return cents(item.low + (item.high - item.low) * Decimal(rng.random()))
