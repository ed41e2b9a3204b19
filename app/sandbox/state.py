"""The one object every route reaches for: the store, the token service, the switches.

Kept apart from the app factory so routes can import it without importing the whole app.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from app.sandbox.faults import FaultSwitch
from app.sandbox.feed import FeedSignals
from app.sandbox.store import Store
from app.sandbox.tokens import TokenService


@dataclass
class SandboxState:
    store: Store
    tokens: TokenService
    faults: FaultSwitch
    signals: FeedSignals
    #: The address clients use, e.g. ``http://127.0.0.1:8765``; it names the realms' issuers.
    #: None until the server knows its port, in which case the request's own address is used.
    public_url: str | None = None
    trickle_s: float | None = None
    seed_documents: int = 0

    def base_url(self, request: Request) -> str:
        if self.public_url is not None:
            return self.public_url
        return str(request.base_url).rstrip("/")

    def issuer(self, request: Request, realm: str) -> str:
        return f"{self.base_url(request)}/realms/{realm}"


def sandbox_state(request: Request) -> SandboxState:
    state = request.app.state.sandbox
    assert isinstance(state, SandboxState)
    return state
