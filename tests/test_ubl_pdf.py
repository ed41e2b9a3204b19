from __future__ import annotations

import base64
from pathlib import Path

import pytest

from app.engine.ubl_pdf import NoPdf, embedded_pdfs, invoice_pdf
from tests.conftest import SHARED

SAMPLES = SHARED / "samples" / "ubl"


@pytest.mark.parametrize(
    ("sample", "filename"),
    [
        ("UBLBE_BE0000000196_V01-15000001.xml", "15000001.pdf"),
        ("UBLBE_BE0000000196_V01-15000022.xml", "15000022.pdf"),
        ("01.15a-INVOICE_ubl.xml", "01_15_Anhang_01.pdf"),
    ],
)
def test_pdf_from_real_samples(sample: str, filename: str) -> None:
    pdf = invoice_pdf((SAMPLES / sample).read_bytes())
    assert pdf.filename == filename
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) > 1000


@pytest.mark.parametrize(
    "sample", ["Invoice-Max_content.xml", "ubl-tc434-example1.xml", "credit-note-peppol.xml"]
)
def test_samples_without_a_pdf_say_so(sample: str) -> None:
    with pytest.raises(NoPdf, match="carries no PDF attachment"):
        invoice_pdf((SAMPLES / sample).read_bytes())


def _ubl(*attachments: str) -> bytes:
    references = "".join(
        f"<cac:AdditionalDocumentReference><cbc:ID>{i}</cbc:ID>{body}</cac:AdditionalDocumentReference>"
        for i, body in enumerate(attachments)
    )
    return (
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        f"<cbc:ID>1</cbc:ID>{references}</Invoice>"
    ).encode()


def _attachment(
    content: bytes, name: str = "x.pdf", mime: str = "application/pdf", code: str = ""
) -> str:
    data = base64.b64encode(content).decode()
    type_code = f"<cbc:DocumentTypeCode>{code}</cbc:DocumentTypeCode>" if code else ""
    return (
        f'{type_code}<cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="{mime}" '
        f'filename="{name}">{data}</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>'
    )


def test_the_invoice_rendering_comes_before_supporting_documents() -> None:
    xml = _ubl(
        _attachment(b"%PDF-1.4 timesheet", "timesheet.pdf", code="916"),
        _attachment(b"%PDF-1.4 invoice", "invoice.pdf"),
    )
    assert [p.filename for p in embedded_pdfs(xml)] == ["invoice.pdf", "timesheet.pdf"]
    assert invoice_pdf(xml).content == b"%PDF-1.4 invoice"


def test_attachments_that_are_not_pdfs_are_ignored() -> None:
    xml = _ubl(
        _attachment(b"a,b,c", "data.csv", mime="text/csv"),
        _attachment(b"MZ not a pdf", "fake.pdf"),
        '<cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">%%%'
        "</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>",
    )
    assert embedded_pdfs(xml) == []


def test_hostile_xml_is_not_expanded_or_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("%PDF-1.4 stolen")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
        '<Invoice xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        '<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">&e;'
        "</cbc:EmbeddedDocumentBinaryObject></Invoice>"
    ).encode()
    assert embedded_pdfs(xxe) == []
    with pytest.raises(NoPdf, match="not readable XML"):
        invoice_pdf(b"<Invoice><unclosed></Invoice>")
