"""Treat an empty query parameter (``?wait=&cursor=``) as an absent one on ``/api/v1``.

httpx, and many other clients, write a parameter whose value is None as ``name=``; an agent
that means "no cursor, no wait" should not get a 422 for it. Dropping the empty pairs before
routing gives every parameter its documented default instead.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIX = "/api/v1"


def drop_empty_pairs(query: bytes) -> bytes:
    kept = [pair for pair in query.split(b"&") if pair and not pair.endswith(b"=") and b"=" in pair]
    return b"&".join(kept)


class LenientQueryMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(API_PREFIX):
            query: bytes = scope.get("query_string", b"")
            if query:
                cleaned = drop_empty_pairs(query)
                if cleaned != query:
                    scope = {**scope, "query_string": cleaned}
        await self.app(scope, receive, send)
