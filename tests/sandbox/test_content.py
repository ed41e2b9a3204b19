"""The sandbox's generated clients and documents are real, valid and reproducible.

Every generated UBL invoice is run through the official EN 16931 rules (compiled once per
session with Saxon, in a process of its own: see tests/sandbox/en16931.py), because a sandbox
whose invoices an accounting package would reject would teach users and tests the wrong thing.
"""

from __future__ import annotations

import base64
import datetime
import random
import re
import statistics
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from stdnum import iban as std_iban
from stdnum.be import iban as be_iban
from stdnum.eu import vat as eu_vat

from app.sandbox.content import (
    KINDS,
    REALM_COUNTRIES,
    GeneratedClient,
    GeneratedDocument,
    check_coda,
    generate_clients,
    generate_document,
)
from app.sandbox.content.locales import COUNTRIES
from tests.sandbox.en16931 import En16931

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
EN16931_XSLT = SHARED / "validation" / "EN16931-UBL-validation.xslt"
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
REALMS = sorted(REALM_COUNTRIES)
SEEDS = range(5)


@pytest.fixture(scope="session")
def en16931() -> Iterator[En16931]:
    pytest.importorskip("saxonche")
    assert EN16931_XSLT.is_file(), f"the EN 16931 rules are expected at {EN16931_XSLT}"
    validator = En16931(EN16931_XSLT)
    yield validator
    validator.close()


@pytest.fixture(scope="module")
def clients() -> dict[str, list[GeneratedClient]]:
    return {realm: generate_clients(realm, 6, random.Random(f"test-{realm}")) for realm in REALMS}


def _embedded_pdf(root: etree._Element) -> tuple[etree._Element, bytes]:
    (element,) = root.xpath(
        "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
        namespaces=NS,
    )
    return element, base64.b64decode(element.text, validate=True)


def _assert_valid_ubl(document: GeneratedDocument, validator: En16931) -> etree._Element:
    (file,) = document.files
    assert file.media_type == "application/xml"
    assert file.name == f"{document.number}.xml"
    assert re.fullmatch(r"(INV|CN)-\d{4}-\d{5}\.xml", file.name)
    assert validator.fatal_asserts(file.content) == []
    root = etree.fromstring(file.content)
    element, pdf = _embedded_pdf(root)
    assert element.get("mimeCode") == "application/pdf"
    assert element.get("filename") == f"{document.number}.pdf"
    assert len(pdf) > 0
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    return root


def test_realms_are_the_four_countries() -> None:
    assert REALM_COUNTRIES == {"be": "BE", "nl": "NL", "fr": "FR", "lu": "LU"}
    assert KINDS == ("purchase", "sales", "statement", "receipt", "other")


@pytest.mark.parametrize("realm", REALMS)
def test_clients_have_valid_distinct_identifiers(realm: str) -> None:
    country = REALM_COUNTRIES[realm]
    clients = generate_clients(realm, 80, random.Random(realm))
    assert len(clients) == 80
    assert len({c.name for c in clients}) == 80
    assert len({c.vat_number for c in clients}) == 80
    assert len({c.accounting_file_id for c in clients}) == 80
    for client in clients:
        assert client.country == country
        assert client.vat_number.startswith(country)
        assert eu_vat.is_valid(client.vat_number), client.vat_number
        assert eu_vat.compact(client.vat_number) == client.vat_number
        assert std_iban.is_valid(client.iban), client.iban
        assert client.iban.startswith(country)
        assert re.fullmatch(r"D\d{5}", client.accounting_file_id)
        legal_forms = {form for area in COUNTRIES[country].areas for form in area.legal_forms}
        assert any(client.name.endswith(" " + form) for form in legal_forms), client.name


def test_belgian_ibans_name_real_banks() -> None:
    for client in generate_clients("be", 40, random.Random(1)):
        assert be_iban.to_bic(client.iban) is not None, client.iban


def test_many_clients_stay_distinct() -> None:
    clients = generate_clients("lu", 3000, random.Random(3))
    assert len({c.name for c in clients}) == 3000
    assert len({c.vat_number for c in clients}) == 3000
    assert len({c.accounting_file_id for c in clients}) == 3000


def test_unknown_realm_and_bad_arguments_are_refused() -> None:
    rng = random.Random(0)
    with pytest.raises(ValueError, match="realm"):
        generate_clients("de", 1, rng)
    client = generate_clients("be", 1, rng)[0]
    with pytest.raises(ValueError, match="kind"):
        generate_document(client, "invoice", rng)
    with pytest.raises(ValueError, match="target_size"):
        generate_document(client, "receipt", rng, target_size=0)


@pytest.mark.parametrize("kind", ["purchase", "sales"])
@pytest.mark.parametrize("realm", REALMS)
def test_invoices_pass_en16931_with_embedded_pdf(
    realm: str, kind: str, clients: dict[str, list[GeneratedClient]], en16931: En16931
) -> None:
    country = REALM_COUNTRIES[realm]
    rates = {f"{r.normalize():f}" for r in COUNTRIES[country].vat_rates.values()}
    for seed in SEEDS:
        client = clients[realm][seed % len(clients[realm])]
        document = generate_document(client, kind, random.Random(seed))
        assert document.kind == kind
        assert document.currency == "EUR"
        root = _assert_valid_ubl(document, en16931)
        assert root.findtext("cbc:ID", namespaces=NS) == document.number
        assert root.findtext("cbc:IssueDate", namespaces=NS) == document.issue_date.isoformat()
        assert (
            Decimal(root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS))
            == document.amount
        )
        own, other = (
            ("AccountingCustomerParty", "AccountingSupplierParty")
            if kind == "purchase"
            else ("AccountingSupplierParty", "AccountingCustomerParty")
        )
        party = f"cac:{own}/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
        assert root.findtext(party, namespaces=NS) == client.vat_number
        name = f"cac:{other}/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"
        assert root.findtext(name, namespaces=NS) == document.counterparty
        partner_vat = root.findtext(
            f"cac:{other}/cac:Party/cac:PartyTaxScheme/cbc:CompanyID", namespaces=NS
        )
        assert partner_vat is not None and eu_vat.is_valid(partner_vat)
        percents = {p.text for p in root.iterfind(".//cac:TaxSubtotal//cbc:Percent", NS)}
        assert percents <= rates
        lines = root.xpath("cac:InvoiceLine | cac:CreditNoteLine", namespaces=NS)
        assert len(lines) >= 1


def test_about_one_in_six_invoices_is_a_credit_note(
    clients: dict[str, list[GeneratedClient]], en16931: En16931
) -> None:
    credit_notes = 0
    for seed in range(120):
        realm = REALMS[seed % len(REALMS)]
        document = generate_document(clients[realm][0], "purchase", random.Random(1000 + seed))
        if b"<CreditNote" in document.files[0].content[:400]:
            credit_notes += 1
            assert document.number.startswith("CN-")
            root = _assert_valid_ubl(document, en16931)
            assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
            assert root.find("cac:BillingReference", NS) is not None
    assert 8 <= credit_notes <= 35


@pytest.mark.parametrize("realm", REALMS)
def test_statements_are_valid_coda(realm: str, clients: dict[str, list[GeneratedClient]]) -> None:
    for seed in SEEDS:
        client = clients[realm][seed % len(clients[realm])]
        document = generate_document(client, "statement", random.Random(seed))
        (file,) = document.files
        assert file.media_type == "text/plain"
        pattern = rf"CODA_{client.iban}_{document.issue_date.isoformat()}_\d{{3}}\.cod"
        assert re.fullmatch(pattern, file.name), file.name
        assert check_coda(file.content) == []
        records = file.content.decode("ascii").splitlines()
        (new_balance,) = (r for r in records if r.startswith("8"))
        sign = -1 if new_balance[41] == "1" else 1
        assert Decimal(int(new_balance[42:57])) / 1000 * sign == document.amount
        assert client.iban in records[1]
        assert records[0][5:11] == document.issue_date.strftime("%d%m%y")


@pytest.mark.parametrize("kind", ["receipt", "other"])
@pytest.mark.parametrize("realm", REALMS)
def test_receipts_and_other_documents_are_pdfs(
    realm: str, kind: str, clients: dict[str, list[GeneratedClient]]
) -> None:
    for seed in SEEDS:
        document = generate_document(clients[realm][seed], kind, random.Random(seed))
        (file,) = document.files
        assert file.media_type == "application/pdf"
        assert file.name.endswith(".pdf")
        assert file.content.startswith(b"%PDF")
        assert file.content.rstrip().endswith(b"%%EOF")
        assert 1_000 < len(file.content) < 60_000
        assert document.counterparty
        assert document.amount >= 0
        if kind == "receipt":
            assert document.amount > 0


def test_generation_is_deterministic() -> None:
    def run(seed: int) -> list[object]:
        produced: list[object] = []
        for realm in REALMS:
            clients = generate_clients(realm, 3, random.Random(seed))
            produced.extend(clients)
            rng = random.Random(seed)
            produced.extend(generate_document(clients[0], kind, rng) for kind in KINDS)
        return produced

    assert run(11) == run(11)
    assert run(11) != run(12)


def test_the_issue_date_is_used_and_the_default_is_reproducible(
    clients: dict[str, list[GeneratedClient]],
) -> None:
    client = clients["be"][0]
    day = datetime.date(2026, 2, 17)
    for kind in KINDS:
        assert generate_document(client, kind, random.Random(1), day).issue_date == day
        first = generate_document(client, kind, random.Random(2))
        assert first == generate_document(client, kind, random.Random(2))
        assert datetime.date(2025, 6, 1) <= first.issue_date <= datetime.date(2026, 6, 30)


@pytest.mark.parametrize("kind", KINDS)
def test_target_size_is_roughly_honoured(
    kind: str, clients: dict[str, list[GeneratedClient]], en16931: En16931
) -> None:
    client = clients["be"][1]
    document = generate_document(client, kind, random.Random(5), target_size=100_000)
    assert document == generate_document(client, kind, random.Random(5), target_size=100_000)
    (file,) = document.files
    assert 90_000 <= len(file.content) <= 110_000, len(file.content)
    if kind in ("purchase", "sales"):
        _assert_valid_ubl(document, en16931)
    elif kind == "statement":
        assert check_coda(file.content) == []
    else:
        assert file.content.startswith(b"%PDF")
    # A target below the smallest document gives that smallest document, not an error.
    small = generate_document(client, kind, random.Random(5), target_size=10)
    assert len(small.files[0].content) < 40_000


HOSTILE_CLIENTS = [
    GeneratedClient('ACME <&> "Ünïcødé 😀" Ltd', "12345", "ZZ", "", "not an iban"),
    GeneratedClient("Müller GmbH", "DE123456789", "DE", "X1", ""),
    GeneratedClient("", "", "", "", ""),
    GeneratedClient("Bad\x00Name\x1f BV", "be 0403.019.261", "be", "D\x01", "x"),
    GeneratedClient("Ελληνική ΑΕ", "EL094259216", "GR", "D2", "GR1601101250000000012300695"),
]


@pytest.mark.parametrize("client", HOSTILE_CLIENTS, ids=range(len(HOSTILE_CLIENTS)))
def test_clients_added_by_hand_still_get_valid_documents(
    client: GeneratedClient, en16931: En16931
) -> None:
    """The admin API accepts any client; documents generated for it must still be valid."""
    for seed in range(3):
        for kind in KINDS:
            document = generate_document(client, kind, random.Random(seed))
            content = document.files[0].content
            if kind in ("purchase", "sales"):
                assert en16931.fatal_asserts(content) == []
            elif kind == "statement":
                assert check_coda(content) == []
            else:
                assert content.startswith(b"%PDF")


@pytest.mark.parametrize("kind", KINDS)
def test_documents_are_quick_to_generate(kind: str) -> None:
    client = generate_clients("be", 1, random.Random(9))[0]
    rng = random.Random(9)
    durations = []
    for _ in range(15):
        start = time.perf_counter()
        generate_document(client, kind, rng)
        durations.append(time.perf_counter() - start)
    assert statistics.median(durations) < 0.05
