"""PDF renderings: the invoice inside every UBL file, and the shared page furniture.

fpdf2's built-in Helvetica keeps a page at about a kilobyte and renders in a millisecond or two,
which is what lets the sandbox seed thousands of documents at start-up. Its encoding is
Latin-1, enough for Dutch and French; anything else is replaced rather than crashing a seed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.sandbox.content.clients import Party
from app.sandbox.content.invoices import Invoice
from app.sandbox.content.locales import Language

INK = (33, 37, 41)
ACCENT = (23, 63, 95)
RULE = (206, 212, 218)
SHADE = (236, 241, 245)


def latin1(text: str) -> str:
    """``text`` as the core PDF fonts can draw it."""
    replaced = text.replace("€", "EUR").replace("’", "'").replace("œ", "oe").replace("Œ", "OE")
    return replaced.encode("latin-1", "replace").decode("latin-1")


def money(value: Decimal, language: Language) -> str:
    """An amount the way the reader writes it: 1.234,56 in Dutch, 1 234,56 in French."""
    text = f"{value:,.2f}"
    thousands = "." if language == "nl" else " "
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", thousands)


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


class Document(FPDF):
    """A page (A4 unless told) with a footer that names the issuer and numbers the pages.

    ``compress=False`` leaves the page streams uncompressed: that is how padded benchmark
    files reach their size with pages of real text rather than filler bytes.
    """

    def __init__(
        self,
        footer_text: str | None,
        language: Language,
        *,
        compress: bool = True,
        page_format: str | tuple[float, float] = "A4",
        margin: float = 18,
    ) -> None:
        super().__init__(format=page_format, unit="mm")
        self.footer_text = latin1(footer_text) if footer_text is not None else None
        self.language: Language = language
        self.set_compression(compress)
        self.set_margins(margin, 16 if margin > 10 else margin, margin)
        self.set_auto_page_break(auto=True, margin=22 if footer_text is not None else margin)
        self.set_text_color(*INK)
        self._widths: dict[tuple[str, str, float, str], float] = {}

    def stamp(self, title: str, author: str, when: datetime.date) -> None:
        """Fixed metadata: the same inputs must give byte-identical files."""
        self.set_title(latin1(title))
        self.set_author(latin1(author))
        self.set_creator("Ferry sandbox")
        self.set_producer("Ferry sandbox")
        self.set_creation_date(
            datetime.datetime(when.year, when.month, when.day, 9, 0, tzinfo=datetime.UTC)
        )

    def footer(self) -> None:
        if self.footer_text is None:
            return
        self.set_y(-15)
        self.set_font("Helvetica", size=7)
        self.set_text_color(120, 120, 120)
        page = {"nl": "Pagina", "fr": "Page"}[self.language]
        self.cell(0, 4, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"{page} {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(*INK)

    def text_line(
        self,
        text: str,
        *,
        size: float = 9,
        style: str = "",
        height: float = 4.4,
        align: str = "L",
        width: float = 0,
    ) -> None:
        self.set_font("Helvetica", style=style, size=size)
        self.cell(width, height, latin1(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(
        self, text: str, *, size: float = 9.5, height: float = 4.8, style: str = ""
    ) -> None:
        """Left-aligned running text, wrapped at word boundaries, continued on new pages.

        fpdf2's multi_cell costs about 2 ms a line; this greedy wrap with cached word widths
        costs a few microseconds, which is what makes 100-page benchmark documents cheap.
        """
        self.set_font("Helvetica", style=style, size=size)
        width = self.w - self.l_margin - self.r_margin - 2 * self.c_margin
        space = self._word_width(" ")
        lines: list[str] = []
        words: list[str] = []
        used = 0.0
        for word in latin1(text).split():
            word_width = self._word_width(word)
            if words and used + space + word_width > width:
                lines.append(" ".join(words))
                words, used = [word], word_width
            else:
                used += word_width + (space if words else 0.0)
                words.append(word)
        if words:
            lines.append(" ".join(words))
        for line in lines:
            if self.get_y() + height > self.page_break_trigger:
                self.add_page()
                self.set_font("Helvetica", style=style, size=size)
            self.text(self.l_margin + self.c_margin, self.get_y() + height * 0.72, line)
            self.set_y(self.get_y() + height)

    def _word_width(self, word: str) -> float:
        key = (self.font_family, self.font_style, self.font_size_pt, word)
        cached = self._widths.get(key)
        if cached is None:
            cached = self._widths[key] = self.get_string_width(word)
        return cached

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def party_block(
    pdf: Document, party: Party, x: float, y: float, width: float, *, bold_name: bool = True
) -> None:
    pdf.set_xy(x, y)
    pdf.set_font("Helvetica", style="B" if bold_name else "", size=10)
    pdf.cell(width, 5, latin1(party.name), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=9)
    vat = {"nl": "Btw", "fr": "TVA"}[party.language]
    for text in (party.street, party.city_line, f"{vat} {party.vat_number}"):
        pdf.cell(width, 4.4, latin1(text), new_x=XPos.LEFT, new_y=YPos.NEXT)


_INVOICE_WORDS: dict[Language, dict[str, str]] = {
    "nl": {
        "invoice": "FACTUUR",
        "credit": "CREDITNOTA",
        "number": "Nummer",
        "date": "Datum",
        "due": "Vervaldag",
        "reference": "Uw referentie",
        "credited": "Betreft factuur",
        "description": "Omschrijving",
        "quantity": "Aantal",
        "price": "Eenheidsprijs",
        "vat": "Btw",
        "amount": "Bedrag",
        "net": "Totaal excl. btw",
        "total": "Totaal te betalen",
        "credit_total": "Totaal te crediteren",
        "base": "Maatstaf",
        "pay": "Gelieve {amount} EUR te betalen vóór {due} op rekening "
        "{iban}{bic} met mededeling {ref}.",
        "refund": "Het bedrag van {amount} EUR wordt "
        "verrekend met uw volgende betaling of teruggestort op uw rekening.",
        "customer": "Klant",
        "contact": "Tel. {phone} - {email}",
    },
    "fr": {
        "invoice": "FACTURE",
        "credit": "NOTE DE CRÉDIT",
        "number": "Numéro",
        "date": "Date",
        "due": "Échéance",
        "reference": "Votre référence",
        "credited": "Concerne la facture",
        "description": "Description",
        "quantity": "Quantité",
        "price": "Prix unitaire",
        "vat": "TVA",
        "amount": "Montant",
        "net": "Total hors TVA",
        "total": "Total à payer",
        "credit_total": "Total à créditer",
        "base": "Base",
        "pay": "Merci de payer {amount} EUR avant le {due} sur le compte {iban}{bic} avec "
        "la communication {ref}.",
        "refund": "Le montant de {amount} EUR sera déduit de votre "
        "prochain paiement ou remboursé sur votre compte.",
        "customer": "Client",
        "contact": "Tél. {phone} - {email}",
    },
}

_UNITS: dict[Language, dict[str, str]] = {
    "nl": {
        "H87": "st.",
        "C62": "",
        "HUR": "u",
        "KGM": "kg",
        "TNE": "t",
        "MTR": "m",
        "DAY": "dag",
        "MON": "mnd",
        "LTR": "l",
        "SET": "set",
        "KMT": "km",
    },
    "fr": {
        "H87": "pce",
        "C62": "",
        "HUR": "h",
        "KGM": "kg",
        "TNE": "t",
        "MTR": "m",
        "DAY": "jour",
        "MON": "mois",
        "LTR": "l",
        "SET": "jeu",
        "KMT": "km",
    },
}

# Column widths of the invoice table (A4 less margins = 174 mm).
_COLUMNS = (84.0, 22.0, 26.0, 14.0, 28.0)


def render_invoice(invoice: Invoice, *, compress: bool = True) -> bytes:
    """The invoice as its seller would print it: letterhead, lines, VAT summary, payment."""
    lang = invoice.language
    words = _INVOICE_WORDS[lang]
    seller, buyer = invoice.seller, invoice.buyer
    footer = f"{seller.name} - {seller.street}, {seller.city_line} - {seller.vat_number}"
    pdf = Document(f"{footer} - {seller.iban}", lang, compress=compress)
    title = words["credit"] if invoice.credit_note else words["invoice"]
    pdf.stamp(f"{title} {invoice.number}", seller.name, invoice.issue_date)
    pdf.add_page()

    pdf.set_text_color(*ACCENT)
    pdf.set_font("Helvetica", style="B", size=15)
    pdf.cell(110, 7, latin1(seller.name))
    pdf.set_font("Helvetica", style="B", size=17)
    pdf.cell(0, 7, latin1(title), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    for text in (
        seller.street,
        seller.city_line,
        f"{words['vat']} {seller.vat_number}",
        words["contact"].format(phone=seller.phone, email=seller.email),
    ):
        pdf.text_line(text, size=8.5, height=4)

    top = 48.0
    pdf.set_fill_color(*SHADE)
    pdf.rect(112, top - 3, 80, 30, style="F")
    pdf.set_xy(115, top - 1)
    pdf.set_font("Helvetica", size=7.5)
    pdf.cell(70, 4, latin1(words["customer"]), new_x=XPos.LEFT, new_y=YPos.NEXT)
    party_block(pdf, buyer, 115, top + 3, 74)

    pdf.set_xy(18, top)
    meta = [
        (words["number"], invoice.number),
        (words["date"], day(invoice.issue_date)),
        (words["reference"], invoice.buyer_reference),
    ]
    if not invoice.credit_note:
        meta.insert(2, (words["due"], day(invoice.due_date)))
    if invoice.credited_invoice is not None:
        meta.append((words["credited"], invoice.credited_invoice[0]))
    for label, value in meta:
        pdf.set_font("Helvetica", style="B", size=8.5)
        pdf.cell(32, 5, latin1(label))
        pdf.set_font("Helvetica", size=8.5)
        pdf.cell(55, 5, latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_y(top + 36)
    _table_header(pdf, words)
    units = _UNITS[lang]
    for index, line in enumerate(invoice.lines):
        if pdf.will_page_break(6):
            pdf.add_page()
            _table_header(pdf, words)
        fill = index % 2 == 1
        pdf.set_fill_color(*SHADE)
        pdf.set_font("Helvetica", size=8.5)
        amount = f"{line.quantity.normalize():f}".replace(".", ",")
        quantity = f"{amount} {units.get(line.unit, '')}".strip()
        cells = (
            (line.name, "L"),
            (quantity, "R"),
            (money(line.price, lang), "R"),
            (f"{line.vat_percent.normalize():f}%".replace(".", ","), "R"),
            (money(line.net, lang), "R"),
        )
        for (text, align), width in zip(cells, _COLUMNS, strict=True):
            pdf.cell(width, 6, latin1(text), align=align, fill=fill)
        pdf.ln(6)

    if pdf.will_page_break(60):
        pdf.add_page()
    pdf.ln(4)
    pdf.set_draw_color(*RULE)
    pdf.line(18, pdf.get_y(), 192, pdf.get_y())
    pdf.ln(2)
    for subtotal in invoice.vat_subtotals:
        rate = f"{subtotal.percent.normalize():f}".replace(".", ",")
        _total_row(
            pdf,
            f"{words['vat']} {rate}% ({words['base']} {money(subtotal.taxable, lang)})",
            money(subtotal.tax, lang),
        )
    _total_row(pdf, words["net"], money(invoice.line_total, lang))
    label = words["credit_total"] if invoice.credit_note else words["total"]
    _total_row(pdf, label, f"{money(invoice.total, lang)} EUR", bold=True)

    pdf.ln(6)
    bic = f" ({seller.bank.bic})" if seller.bank is not None else ""
    if invoice.credit_note:
        pdf.paragraph(words["refund"].format(amount=money(invoice.total, lang)))
    else:
        pdf.paragraph(
            words["pay"].format(
                amount=money(invoice.total, lang),
                due=day(invoice.due_date),
                iban=_spaced(seller.iban),
                bic=bic,
                ref=invoice.payment_reference,
            )
        )
    return pdf.output_bytes()


def _table_header(pdf: Document, words: dict[str, str]) -> None:
    pdf.set_fill_color(*ACCENT)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Helvetica", style="B", size=8.5)
    heads = (("description", "L"), ("quantity", "R"), ("price", "R"), ("vat", "R"), ("amount", "R"))
    for (key, align), width in zip(heads, _COLUMNS, strict=True):
        pdf.cell(width, 7, latin1(words[key]), align=align, fill=True)
    pdf.ln(7)
    pdf.set_text_color(*INK)


def _total_row(pdf: Document, label: str, value: str, *, bold: bool = False) -> None:
    pdf.set_font("Helvetica", style="B" if bold else "", size=10 if bold else 9)
    pdf.set_x(80)
    pdf.cell(80, 6, latin1(label), align="R")
    pdf.cell(32, 6, latin1(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _spaced(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
