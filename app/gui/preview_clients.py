"""The clients a destination editor previews: the linked ones, else every client.

Shared by the main window's *Destinations* tab and the first-run wizard, which both know the
platform's clients (from the engine, or straight from the platform) and the links.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from app.core.templates import ClientValues
from app.gui.destination_editor import PreviewClient
from app.settings import ClientLink


class ClientFacts(Protocol):
    """What the preview needs of a client, whether the platform's or the engine's copy."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def vat_number(self) -> str: ...
    @property
    def accounting_file_id(self) -> str: ...
    @property
    def country(self) -> str: ...


def preview_clients(
    clients: Sequence[ClientFacts], links: Iterable[ClientLink]
) -> list[PreviewClient]:
    """Linked clients with their link's file id; every client while none is linked."""
    linked = {link.client_id: link for link in links}
    chosen = [c for c in clients if c.id in linked] or list(clients)
    return [
        PreviewClient(
            c.name,
            ClientValues(
                c.name,
                c.vat_number,
                (linked[c.id].accounting_file_id if c.id in linked else None)
                or c.accounting_file_id
                or None,
                c.country,
            ),
        )
        for c in chosen
    ]
