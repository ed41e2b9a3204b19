"""The sandbox platform as one ASGI application: the factory that wires every part together.

``create_app`` opens (and on first start seeds) the data folder, then assembles the OpenID
provider, the platform API, the admin API and the fault middleware. It does not listen on
anything; ``server.SandboxServer`` runs it on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from html import escape
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse

from app import __version__
from app.api.models import Problem
from app.sandbox import admin_routes, api_routes, oidc
from app.sandbox.defaults import DEFAULT_SEED_DOCUMENTS
from app.sandbox.faults import FaultMiddleware, FaultSwitch, silence_drop_logs
from app.sandbox.feed import FeedSignals
from app.sandbox.lenient_query import LenientQueryMiddleware
from app.sandbox.problems import install_problem_handlers
from app.sandbox.realms import REALMS
from app.sandbox.seed import seed_all, trickle_forever
from app.sandbox.state import SandboxState
from app.sandbox.store import Store
from app.sandbox.tokens import TokenService

API_TITLE = "Ferry document platform API"
API_DESCRIPTION = (
    "The API a document platform offers to Ferry, the desktop agent that delivers documents "
    "into accounting folders. Authenticate with an access token from the realm's OpenID "
    "provider (`/realms/{realm}`, authorization code + PKCE, scope `documents`); the token "
    "decides the realm and office. Errors are `application/problem+json`. Amounts are decimal "
    "strings."
)


def _referenced(root: object, components: dict[str, Any]) -> dict[str, Any]:
    """The component schemas reachable from ``root`` (so each OpenAPI lists only its own)."""
    prefix = "#/components/schemas/"
    keep: dict[str, Any] = {}
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix):
                name = ref.removeprefix(prefix)
                if name not in keep and name in components:
                    keep[name] = components[name]
                    pending.append(components[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return dict(sorted(keep.items()))


def create_app(
    data_dir: Path,
    *,
    seed_documents: int = DEFAULT_SEED_DOCUMENTS,
    trickle_s: float | None = None,
    public_url: str | None = None,
) -> FastAPI:
    """Build the sandbox app over ``data_dir`` (created if missing, seeded on first start)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir)
    seed_all(store, seed_documents)
    faults = FaultSwitch()
    signals = FeedSignals()
    store.on_event = signals.notify
    state = SandboxState(
        store=store,
        tokens=TokenService(store, lambda: faults.access_token_ttl_s),
        faults=faults,
        signals=signals,
        public_url=public_url,
        trickle_s=trickle_s,
        seed_documents=seed_documents,
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        signals.bind(asyncio.get_running_loop())
        trickle = None
        if trickle_s is not None and trickle_s > 0:
            trickle = asyncio.create_task(trickle_forever(store, trickle_s), name="trickle")
        try:
            yield
        finally:
            signals.close()
            if trickle is not None:
                trickle.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await trickle

    app = FastAPI(
        title=API_TITLE,
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.sandbox = state
    app.state.oidc_sessions = oidc.OidcSessions()
    install_problem_handlers(app)
    app.include_router(api_routes.router)
    app.include_router(admin_routes.router)
    app.include_router(oidc.router)
    app.add_middleware(LenientQueryMiddleware)
    app.add_middleware(FaultMiddleware, switch=faults)
    silence_drop_logs()

    def schema_of(prefix: str, title: str, description: str) -> dict[str, Any]:
        """The OpenAPI of the routes under ``prefix`` (the API and the admin API stay apart)."""
        schema = get_openapi(
            title=title, version=__version__, description=description, routes=app.routes
        )
        schema["paths"] = {p: v for p, v in schema["paths"].items() if p.startswith(prefix)}
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema()
        schema["components"]["schemas"] = _referenced(schema["paths"], components)
        return schema

    def api_openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = schema_of("/api/v1", API_TITLE, API_DESCRIPTION)
        return app.openapi_schema

    app.openapi = api_openapi  # type: ignore[method-assign]

    @app.get("/sandbox/openapi.json", include_in_schema=False)
    async def admin_openapi() -> JSONResponse:
        return JSONResponse(
            schema_of("/sandbox", "Ferry sandbox admin API", admin_routes.__doc__ or "")
        )

    @app.get("/", include_in_schema=False)
    async def home(request: Request) -> HTMLResponse:
        base = state.base_url(request)
        rows = "".join(
            f"<li><b>{escape(r)}</b> – {escape(info.office_name)}: issuer "
            f"<code>{escape(base)}/realms/{escape(r)}</code></li>"
            for r, info in REALMS.items()
        )
        return HTMLResponse(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Ferry sandbox</title>"
            "</head><body style='font-family:system-ui,sans-serif'>"
            "<h1>Ferry sandbox platform</h1><p>Realms (user <code>demo</code> / "
            f"<code>demo</code>):</p><ul>{rows}</ul>"
            "<p><a href='/api/docs'>API documentation</a> · "
            "<a href='/api/openapi.json'>OpenAPI</a></p></body></html>"
        )

    return app
