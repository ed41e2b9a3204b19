"""The PDF inside a UBL invoice, for destinations that want it beside the XML or alone.

Belgian e-invoices carry their visual form as a base64 attachment (the e-fff rule: one XML
per invoice, the PDF embedded). The XML comes from strangers, so it is parsed with entities
and network access off, and whatever the attachment holds must really be a PDF.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from lxml import etree

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True, load_dtd=False
)


class NoPdf(Exception):
    """The UBL holds no usable PDF; the message says what was found instead, and
    ``unreadable`` the parser's words when the XML itself could not be read."""

    def __init__(self, message: str, *, unreadable: str | None = None) -> None:
        super().__init__(message)
        self.unreadable = unreadable


@dataclass(frozen=True)
class EmbeddedPdf:
    filename: str | None
    content: bytes


def embedded_pdfs(xml: bytes) -> list[EmbeddedPdf]:
    """Every PDF attached to a UBL document, the invoice's own rendering first."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as error:
        raise NoPdf(
            f"the invoice is not readable XML ({error.msg})", unreadable=error.msg
        ) from None
    found: list[tuple[int, EmbeddedPdf]] = []
    objects = root.iter(f"{{{CBC}}}EmbeddedDocumentBinaryObject")
    for position, element in enumerate(objects):
        mime = (element.get("mimeCode") or "").strip().lower()
        filename = element.get("filename")
        looks_pdf = mime == "application/pdf" or (filename or "").lower().endswith(".pdf")
        if not looks_pdf:
            continue
        try:
            content = base64.b64decode("".join((element.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        if not content.startswith(b"%PDF-"):
            continue
        # The attachment whose reference has no DocumentTypeCode (or 130 / "invoice") is the
        # rendering of the invoice itself; supporting documents come after it.
        reference = element.getparent().getparent() if element.getparent() is not None else None
        rank = 0 if reference is None or _is_invoice_rendering(reference) else 1
        found.append((rank * 10_000 + position, EmbeddedPdf(filename, content)))
    return [pdf for _, pdf in sorted(found, key=lambda item: item[0])]


def _is_invoice_rendering(reference: etree._Element) -> bool:
    code = reference.findtext(f"{{{CBC}}}DocumentTypeCode")
    description = (reference.findtext(f"{{{CBC}}}DocumentDescription") or "").lower()
    return code in (None, "", "130") and "terms" not in description


def invoice_pdf(xml: bytes) -> EmbeddedPdf:
    """The PDF rendering of a UBL invoice; :class:`NoPdf` when it carries none."""
    pdfs = embedded_pdfs(xml)
    if not pdfs:
        raise NoPdf(
            "the invoice carries no PDF attachment, and the platform sent no PDF of its own; "
            "deliver it as UBL to this destination, or ask the sender for a PDF"
        )
    return pdfs[0]
