"""First-start seeding of each realm, and the trickle of new documents for live demos.

The content itself (company names, VAT numbers, UBL with embedded PDF, PDFs, CODA) comes from
``app.sandbox.content``; this module only decides how much of it a realm gets and stores it.
Seeding is deterministic per realm, so two fresh sandboxes show the same office.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections.abc import Sequence

from app.api.models import Client, DocumentKind
from app.sandbox.content import GeneratedClient, generate_clients, generate_document
from app.sandbox.realms import DEMO_PASSWORD, DEMO_USERNAME, REALMS
from app.sandbox.store import NewFile, Store, utcnow

_log = logging.getLogger(__name__)

CLIENTS_PER_REALM = 8
#: Positions (in the generated list) of clients that do not share documents with the office.
_NOT_SHARING = frozenset({3, 7})
#: How often each kind occurs among generated documents: most are purchase invoices.
_KIND_WEIGHTS: dict[DocumentKind, int] = {
    DocumentKind.PURCHASE: 40,
    DocumentKind.SALES: 25,
    DocumentKind.STATEMENT: 15,
    DocumentKind.RECEIPT: 10,
    DocumentKind.OTHER: 10,
}


def _generated_client(store: Store, client: Client) -> GeneratedClient:
    return GeneratedClient(
        name=client.name,
        vat_number=client.vat_number,
        country=client.country,
        accounting_file_id=client.accounting_file_id,
        iban=store.client_iban(client.id) or "",
    )


def _pick_kind(index: int, rng: random.Random) -> DocumentKind:
    kinds = list(_KIND_WEIGHTS)
    if index < len(kinds):  # every kind at least once, even in a small seed
        return kinds[index]
    return rng.choices(kinds, weights=list(_KIND_WEIGHTS.values()))[0]


def add_generated_document(
    store: Store,
    realm: str,
    client: Client,
    kind: DocumentKind,
    rng: random.Random,
    issue_date: dt.date | None = None,
) -> None:
    generated = generate_document(_generated_client(store, client), kind.value, rng, issue_date)
    store.add_document(
        realm,
        client_id=client.id,
        kind=kind,
        number=generated.number,
        issue_date=generated.issue_date,
        amount=generated.amount,
        currency=generated.currency,
        counterparty=generated.counterparty,
        files=[NewFile(f.name, f.media_type, f.content) for f in generated.files],
    )


def seed_realm(store: Store, realm: str, documents: int) -> bool:
    """Give a realm its office, demo user, clients and documents; False if it already has them."""
    if store.get_office(realm) is not None:
        return False
    store.reset_realm(realm)
    info = REALMS[realm]
    rng = random.Random(f"ferry-sandbox-{realm}")  # noqa: S311 - reproducible demo data
    now = utcnow()
    clients: list[Client] = []
    for index, generated in enumerate(generate_clients(realm, CLIENTS_PER_REALM, rng)):
        shares = index not in _NOT_SHARING
        clients.append(
            store.add_client(
                realm,
                name=generated.name,
                vat_number=generated.vat_number,
                country=generated.country,
                accounting_file_id=generated.accounting_file_id,
                shares_documents=shares,
                linked_since=now - dt.timedelta(days=rng.randint(30, 900)) if shares else None,
                iban=generated.iban,
            )
        )
    sharing = [c for c in clients if c.shares_documents]
    today = dt.date.today()
    for index in range(documents):
        client = sharing[index % len(sharing)] if index < len(sharing) else rng.choice(sharing)
        issue_date = today - dt.timedelta(days=rng.randint(0, 120))
        add_generated_document(store, realm, client, _pick_kind(index, rng), rng, issue_date)
    # The office exists only once everything else does: a crash half-way seeds again.
    store.create_user(realm, DEMO_USERNAME, DEMO_PASSWORD, info.user_name, info.user_email)
    store.create_office(realm, info.office_name, info.country)
    _log.info("seeded realm %s: %d clients, %d documents", realm, len(clients), documents)
    return True


def seed_all(store: Store, documents: int, realms: Sequence[str] = tuple(REALMS)) -> None:
    for realm in realms:
        seed_realm(store, realm, documents)


def trickle_once(store: Store, rng: random.Random) -> None:
    """Add one new generated document to every realm (for a demo of live syncing)."""
    for realm in REALMS:
        sharing, _ = store.list_clients(realm, after=0, limit=1000, sharing_only=True)
        if not sharing:
            continue
        client = rng.choice(sharing)
        add_generated_document(store, realm, client, _pick_kind(len(_KIND_WEIGHTS), rng), rng)


async def trickle_forever(store: Store, every_s: float) -> None:
    """Every ``every_s`` seconds, one new document per realm, until cancelled."""
    rng = random.Random()  # noqa: S311 - demo data
    while True:
        await asyncio.sleep(every_s)
        try:
            await asyncio.to_thread(trickle_once, store, rng)
        except Exception:
            _log.exception("the trickle could not add a document")
