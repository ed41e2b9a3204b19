"""Peppol BIS Billing 3.0 invoices and credit notes (UBL 2.1), with the PDF embedded.

Elements are written in the order of the UBL 2.1 schemas and carry what the Peppol network
expects beyond EN 16931 (endpoint IDs, BuyerReference, a payment account), because accounting
packages are stricter readers than the EN 16931 rules alone. Belgian practice of embedding the
human-readable PDF in the XML is followed, so Ferry has a real attachment to deliver.
"""

from __future__ import annotations

import base64
from decimal import Decimal

from lxml import etree

from app.sandbox.content.clients import Party
from app.sandbox.content.invoices import Invoice, InvoiceLine

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

_PAYMENT_TERMS = {
    "nl": "Betaling binnen {days} dagen na factuurdatum.",
    "fr": "Paiement à {days} jours date de facture.",
}
_CREDIT_NOTE_TEXT = {
    "nl": "Creditnota op factuur {number}.",
    "fr": "Note de crédit relative à la facture {number}.",
}
_ATTACHMENT_DESCRIPTION = {"nl": "Factuur (PDF)", "fr": "Facture (PDF)"}


def _cbc(
    parent: etree._Element, name: str, text: str | None = None, **attrs: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CBC}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def _amount(parent: etree._Element, name: str, value: Decimal, currency: str) -> None:
    _cbc(parent, name, f"{value:.2f}", currencyID=currency)


def _number(value: Decimal) -> str:
    """A quantity or rate without exponent or needless zeros ("21", "5.5", "2.25")."""
    return f"{value.normalize():f}"


def build_ubl(invoice: Invoice, pdf: bytes, pdf_name: str) -> bytes:
    """The UBL document of ``invoice`` with ``pdf`` embedded as its visual representation."""
    credit = invoice.credit_note
    root_ns = CREDIT_NOTE_NS if credit else INVOICE_NS
    root = etree.Element(
        f"{{{root_ns}}}{'CreditNote' if credit else 'Invoice'}",
        nsmap={None: root_ns, "cac": CAC, "cbc": CBC},
    )
    cur = invoice.currency
    language = invoice.language
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", invoice.number)
    _cbc(root, "IssueDate", invoice.issue_date.isoformat())
    if not credit:
        _cbc(root, "DueDate", invoice.due_date.isoformat())
    _cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    if invoice.credited_invoice is not None:
        _cbc(root, "Note", _CREDIT_NOTE_TEXT[language].format(number=invoice.credited_invoice[0]))
    _cbc(root, "DocumentCurrencyCode", cur)
    _cbc(root, "BuyerReference", invoice.buyer_reference)
    if invoice.order_reference is not None:
        _cbc(_cac(root, "OrderReference"), "ID", invoice.order_reference)
    if invoice.credited_invoice is not None:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", invoice.credited_invoice[0])
        _cbc(reference, "IssueDate", invoice.credited_invoice[1].isoformat())
    attachment_ref = _cac(root, "AdditionalDocumentReference")
    _cbc(attachment_ref, "ID", invoice.number)
    _cbc(attachment_ref, "DocumentDescription", _ATTACHMENT_DESCRIPTION[language])
    _cbc(
        _cac(attachment_ref, "Attachment"),
        "EmbeddedDocumentBinaryObject",
        base64.b64encode(pdf).decode("ascii"),
        mimeCode="application/pdf",
        filename=pdf_name,
    )
    _party(_cac(root, "AccountingSupplierParty"), invoice.seller)
    _party(_cac(root, "AccountingCustomerParty"), invoice.buyer)
    if not credit:
        delivery = _cac(root, "Delivery")
        _cbc(delivery, "ActualDeliveryDate", invoice.issue_date.isoformat())
    if not credit:  # a credit note is settled against later invoices, not paid by transfer
        means = _cac(root, "PaymentMeans")
        # SEPA credit transfer (58); Dutch senders mostly still write plain credit transfer (30).
        _cbc(means, "PaymentMeansCode", "58" if invoice.seller.country != "NL" else "30")
        _cbc(means, "PaymentID", invoice.payment_reference)
        account = _cac(means, "PayeeFinancialAccount")
        _cbc(account, "ID", invoice.seller.iban)
        _cbc(account, "Name", invoice.seller.name)
        if invoice.seller.bank is not None:
            _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", invoice.seller.bank.bic)
        days = (invoice.due_date - invoice.issue_date).days
        _cbc(_cac(root, "PaymentTerms"), "Note", _PAYMENT_TERMS[language].format(days=days))
    tax_total = _cac(root, "TaxTotal")
    _amount(tax_total, "TaxAmount", invoice.tax_total, cur)
    for subtotal in invoice.vat_subtotals:
        sub = _cac(tax_total, "TaxSubtotal")
        _amount(sub, "TaxableAmount", subtotal.taxable, cur)
        _amount(sub, "TaxAmount", subtotal.tax, cur)
        _tax_category(_cac(sub, "TaxCategory"), subtotal.percent)
    totals = _cac(root, "LegalMonetaryTotal")
    _amount(totals, "LineExtensionAmount", invoice.line_total, cur)
    _amount(totals, "TaxExclusiveAmount", invoice.line_total, cur)
    _amount(totals, "TaxInclusiveAmount", invoice.total, cur)
    _amount(totals, "PayableAmount", invoice.total, cur)
    for line in invoice.lines:
        _line(root, line, credit, cur)
    document: bytes = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return document


def _tax_category(category: etree._Element, percent: Decimal) -> None:
    _cbc(category, "ID", "S")
    _cbc(category, "Percent", _number(percent))
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def _party(role: etree._Element, party: Party) -> None:
    element = _cac(role, "Party")
    _cbc(element, "EndpointID", party.endpoint_id, schemeID=party.endpoint_scheme)
    _cbc(_cac(element, "PartyName"), "Name", party.name)
    address = _cac(element, "PostalAddress")
    _cbc(address, "StreetName", party.street)
    _cbc(address, "CityName", party.city)
    _cbc(address, "PostalZone", party.postal_code)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.country)
    tax_scheme = _cac(element, "PartyTaxScheme")
    if party.vat_number:
        _cbc(tax_scheme, "CompanyID", party.vat_number)
        _cbc(_cac(tax_scheme, "TaxScheme"), "ID", "VAT")
    else:  # no usable VAT number: the register number as tax registration ID (BT-32)
        _cbc(tax_scheme, "CompanyID", party.legal_id)
        _cbc(_cac(tax_scheme, "TaxScheme"), "ID", "TAX")
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    if party.legal_scheme is not None:
        _cbc(legal, "CompanyID", party.legal_id, schemeID=party.legal_scheme)
    else:
        _cbc(legal, "CompanyID", party.legal_id)
    contact = _cac(element, "Contact")
    _cbc(contact, "Telephone", party.phone)
    _cbc(contact, "ElectronicMail", party.email)


def _line(root: etree._Element, line: InvoiceLine, credit: bool, currency: str) -> None:
    element = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
    _cbc(element, "ID", str(line.number))
    _cbc(
        element,
        "CreditedQuantity" if credit else "InvoicedQuantity",
        _number(line.quantity),
        unitCode=line.unit,
    )
    _amount(element, "LineExtensionAmount", line.net, currency)
    item = _cac(element, "Item")
    _cbc(item, "Name", line.name)
    category = _cac(item, "ClassifiedTaxCategory")
    _cbc(category, "ID", "S")
    _cbc(category, "Percent", _number(line.vat_percent))
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")
    _amount(_cac(element, "Price"), "PriceAmount", line.price, currency)
