"""Till receipts: the crumpled tickets clients photograph and upload after a business lunch.

Prices on a receipt include VAT, so the VAT is backed out per rate the way tills print it
(letters A, B, C from the highest rate down), and the total is what the card was charged.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from fpdf.enums import XPos, YPos

from app.sandbox.content.clients import Party, locale_of, trading_as
from app.sandbox.content.invoices import cents
from app.sandbox.content.locales import Language, RateClass
from app.sandbox.content.pdf import Document, latin1, money


@dataclass(frozen=True)
class ShopItem:
    nl: str
    fr: str
    low: Decimal
    high: Decimal
    rate: RateClass
    fractional: bool = False


@dataclass(frozen=True)
class Shop:
    nl: str
    fr: str
    sector: str
    items: tuple[ShopItem, ...]


def _i(
    nl: str, fr: str, low: str, high: str, rate: RateClass = "standard", fractional: bool = False
) -> ShopItem:
    return ShopItem(nl, fr, Decimal(low), Decimal(high), rate, fractional)


SHOPS: tuple[Shop, ...] = (
    Shop(
        "Supermarkt",
        "Supermarché",
        "food",
        (
            _i("Volkorenbrood", "Pain complet", "2.10", "3.50", "reduced"),
            _i("Halfvolle melk 1 l", "Lait demi-écrémé 1 l", "0.95", "1.35", "reduced"),
            _i("Koffie gemalen 500 g", "Café moulu 500 g", "4.50", "7.90", "reduced"),
            _i("Bananen", "Bananes", "1.50", "2.30", "reduced", True),
            _i("Water 6 x 1,5 l", "Eau 6 x 1,5 l", "2.50", "4.20", "reduced"),
            _i("Afwasmiddel", "Liquide vaisselle", "1.80", "3.50"),
            _i("Keukenrol 4 stuks", "Essuie-tout 4 rouleaux", "2.50", "4.50"),
            _i("Batterijen AA 4 stuks", "Piles AA 4 pièces", "4.00", "8.00"),
        ),
    ),
    Shop(
        "Tankstation",
        "Station-service",
        "automotive",
        (
            _i("Diesel", "Gazole", "1.60", "1.95", "standard", True),
            _i("Euro 95 E10", "SP95-E10", "1.65", "1.99", "standard", True),
            _i("Autowas programma 3", "Lavage programme 3", "12.00", "18.00"),
            _i("Ruitenvloeistof 5 l", "Lave-glace 5 l", "5.00", "9.00"),
            _i("Koffie to go", "Café à emporter", "2.20", "3.20", "intermediate"),
        ),
    ),
    Shop(
        "Doe-het-zelf",
        "Brico",
        "construction",
        (
            _i("Schroeven 4x40, 200 stuks", "Vis 4x40, 200 pièces", "5.00", "9.00"),
            _i("Muurverf wit 10 l", "Peinture murale blanche 10 l", "35.00", "70.00"),
            _i("Borenset HSS", "Jeu de forets HSS", "12.00", "25.00"),
            _i("Afplaktape", "Ruban de masquage", "3.00", "6.00"),
            _i("Verlengkabel 10 m", "Rallonge 10 m", "12.00", "22.00"),
            _i("Siliconenkit", "Mastic silicone", "5.00", "9.00"),
        ),
    ),
    Shop(
        "Restaurant",
        "Restaurant",
        "horeca",
        (
            _i("Dagschotel", "Plat du jour", "14.00", "22.00", "intermediate"),
            _i("Soep van de dag", "Potage du jour", "5.00", "8.00", "intermediate"),
            _i("Koffie", "Café", "2.60", "3.50", "intermediate"),
            _i("Plat water 50 cl", "Eau plate 50 cl", "3.00", "4.50", "intermediate"),
            _i("Glas huiswijn", "Verre de vin maison", "5.00", "7.00"),
            _i("Dessert van de dag", "Dessert du jour", "6.00", "9.00", "intermediate"),
        ),
    ),
    Shop(
        "Kantoorboekhandel",
        "Papeterie",
        "office",
        (
            _i("Balpennen 10 stuks", "Stylos à bille 10 pièces", "4.00", "8.00"),
            _i("Enveloppen C5, 50 stuks", "Enveloppes C5, 50 pièces", "5.00", "9.00"),
            _i("Printpapier A4, 500 vel", "Papier A4, 500 feuilles", "5.00", "8.00"),
            _i("Markeerstiften 4 stuks", "Surligneurs 4 pièces", "3.00", "6.00"),
            _i("Nietmachine", "Agrafeuse", "8.00", "18.00"),
        ),
    ),
)

_PAYMENTS: dict[str, tuple[str, ...]] = {
    "BE": ("Bancontact", "Bancontact", "Maestro", "Visa", "Payconiq"),
    "NL": ("PIN", "PIN", "Maestro", "Visa"),
    "FR": ("CB", "CB sans contact", "Visa"),
    "LU": ("V PAY", "Visa", "Payconiq", "Bancontact"),
}


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    quantity: Decimal
    unit_price: Decimal  # VAT included
    rate: Decimal
    fractional: bool

    @property
    def total(self) -> Decimal:
        return cents(self.quantity * self.unit_price)


@dataclass(frozen=True)
class Receipt:
    shop: Party
    number: str
    when: datetime.datetime
    lines: tuple[ReceiptLine, ...]
    payment: str

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))

    def vat_summary(self) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal]]:
        """(letter, rate, base, VAT, total incl. VAT) per rate, highest rate first."""
        gross: dict[Decimal, Decimal] = {}
        for line in self.lines:
            gross[line.rate] = gross.get(line.rate, Decimal("0.00")) + line.total
        rows = []
        for letter, (rate, amount) in zip(
            "ABCDE", sorted(gross.items(), reverse=True), strict=False
        ):
            tax = cents(amount * rate / (100 + rate))
            rows.append((letter, rate, amount - tax, tax, amount))
        return rows


def make_receipt(
    country: str,
    language: Language,
    rng: random.Random,
    date: datetime.date,
    line_count: int | None = None,
) -> Receipt:
    """A receipt from a shop near the client, paid by card."""
    shop = rng.choice(SHOPS)
    word = shop.nl if language == "nl" else shop.fr
    party = trading_as(word, country, language, rng, legal_form=False)
    rates = locale_of(country).vat_rates
    count = line_count if line_count is not None else rng.randint(1, 6)
    lines = []
    for _ in range(count):
        item = rng.choice(shop.items)
        if item.fractional:
            quantity = Decimal(rng.randint(500, 6000)) / 100
        else:
            quantity = Decimal(rng.choice((1, 1, 1, 2, 3)))
        price = cents(item.low + (item.high - item.low) * Decimal(rng.random()))
        if item.fractional:  # fuel and produce are priced to the tenth of a cent
            price = (item.low + (item.high - item.low) * Decimal(rng.random())).quantize(
                Decimal("0.001")
            )
        lines.append(
            ReceiptLine(
                item.nl if language == "nl" else item.fr,
                quantity,
                price,
                rates[item.rate],
                item.fractional,
            )
        )
    when = datetime.datetime.combine(date, datetime.time(rng.randint(7, 20), rng.randint(0, 59)))
    number = f"{rng.randint(1, 12):02d}-{rng.randint(1, 999_999):06d}"
    return Receipt(party, number, when, tuple(lines), rng.choice(_PAYMENTS.get(country, ("Visa",))))


_WORDS: dict[Language, dict[str, str]] = {
    "nl": {
        "ticket": "Ticket",
        "total": "TOTAAL",
        "paid": "Betaald met",
        "vat": "Btw",
        "base": "Excl.",
        "incl": "Incl.",
        "thanks": "Bedankt voor uw bezoek!",
        "till": "Kassa",
        "copy": "KLANTENTICKET - geen btw-factuur",
    },
    "fr": {
        "ticket": "Ticket",
        "total": "TOTAL",
        "paid": "Payé par",
        "vat": "TVA",
        "base": "HTVA",
        "incl": "TVAC",
        "thanks": "Merci de votre visite !",
        "till": "Caisse",
        "copy": "TICKET CLIENT - pas une facture TVA",
    },
}

_WIDTH = 80.0  # mm, the paper of a till printer


def render_receipt(receipt: Receipt, language: Language, *, compress: bool = True) -> bytes:
    """The receipt on 80 mm till paper; long receipts continue on further slips."""
    words = _WORDS[language]
    shop = receipt.shop
    multiples = sum(1 for line in receipt.lines if line.quantity != 1)
    lines_needed = 14 + len(receipt.lines) + multiples + len(receipt.vat_summary())
    height = min(297.0, 14 + 4 * lines_needed)
    pdf = Document(None, language, compress=compress, page_format=(_WIDTH, height), margin=5)
    pdf.stamp(f"{words['ticket']} {receipt.number}", shop.name, receipt.when.date())
    pdf.add_page()
    inner = _WIDTH - 10

    def row(left: str, right: str = "", *, bold: bool = False) -> None:
        pdf.set_font("Courier", style="B" if bold else "", size=8)
        pdf.cell(inner - 22, 3.8, latin1(left)[:40])
        pdf.cell(22, 3.8, latin1(right), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def centred(text: str, *, bold: bool = False, size: float = 8) -> None:
        pdf.set_font("Courier", style="B" if bold else "", size=size)
        pdf.cell(inner, 4, latin1(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    rule = "-" * 40
    centred(shop.name.upper(), bold=True, size=10)
    centred(shop.street)
    centred(shop.city_line)
    centred(f"{words['vat']} {shop.vat_number}")
    centred(rule)
    centred(f"{receipt.when:%d/%m/%Y %H:%M}   {words['till']} {receipt.number[:2]}")
    centred(f"{words['ticket']} {receipt.number}")
    centred(rule)
    letters = {rate: letter for letter, rate, *_ in receipt.vat_summary()}
    for line in receipt.lines:
        row(line.name, f"{money(line.total, language)} {letters[line.rate]}")
        if line.quantity != 1:
            quantity = f"{line.quantity:f}".replace(".", ",")
            price = f"{line.unit_price:f}".replace(".", ",")
            row(f"  {quantity} x {price}")
    centred(rule)
    row(words["total"], f"EUR {money(receipt.total, language)}", bold=True)
    row(f"{words['paid']} {receipt.payment}", money(receipt.total, language))
    centred(rule)
    pdf.set_font("Courier", size=7)
    for letter, rate, base, tax, gross in receipt.vat_summary():
        percent = f"{rate.normalize():f}".replace(".", ",")
        pdf.cell(
            inner,
            3.5,
            latin1(
                f"{letter} {percent:>4}% {words['base']} {money(base, language):>8} "
                f"{words['vat']} {money(tax, language):>7} {money(gross, language):>8}"
            ),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    centred(rule)
    centred(words["thanks"])
    centred(words["copy"], size=6.5)
    return pdf.output_bytes()
