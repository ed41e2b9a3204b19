"""Realistic clients and documents for the sandbox platform.

The sandbox is what a new user sees first and what every integration test and benchmark talks
to, so its documents are the real formats an accounting office receives, not placeholders:

- ``purchase`` / ``sales``: a Peppol BIS Billing 3.0 UBL invoice (about one in six a credit
  note) with its PDF rendering embedded, passing the EN 16931 rules;
- ``statement``: a Belgian CODA 2 bank statement of the client's account;
- ``receipt``: a till receipt as a PDF;
- ``other``: a lease, an insurance notice, a supplier's letter or a payment reminder as a PDF.

Clients carry valid VAT numbers and IBANs of their country. Everything is drawn from the
``random.Random`` the caller passes, so a seed reproduces the same bytes.
"""

from app.sandbox.content.clients import generate_clients
from app.sandbox.content.coda import check_coda
from app.sandbox.content.documents import generate_document
from app.sandbox.content.models import (
    KINDS,
    REALM_COUNTRIES,
    GeneratedClient,
    GeneratedDocument,
    GeneratedFile,
)

__all__ = [
    "KINDS",
    "REALM_COUNTRIES",
    "GeneratedClient",
    "GeneratedDocument",
    "GeneratedFile",
    "check_coda",
    "generate_clients",
    "generate_document",
]
