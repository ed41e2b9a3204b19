"""Bearer-token check for every ``/api/v1`` call: which realm, which user, which scopes.

The realm is never a parameter of the API: it is read from the validated token (its signing key
and issuer), so a token of one realm cannot even name another realm's data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.sandbox.problems import ProblemError, unauthorized
from app.sandbox.state import SandboxState, sandbox_state
from app.sandbox.tokens import Principal, TokenError

#: The scope a token needs for the document API (besides OIDC's own scopes).
API_SCOPE = "documents"

_bearer = HTTPBearer(
    auto_error=False,
    description="An access token from the realm's token endpoint (scope `documents`).",
)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    state: Annotated[SandboxState, Depends(sandbox_state)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized(
            "An access token is required (Authorization: Bearer ...).", error="invalid_request"
        )
    try:
        principal = state.tokens.verify_access_token(
            credentials.credentials, lambda realm: state.issuer(request, realm)
        )
    except TokenError as exc:
        raise unauthorized(str(exc)) from exc
    if API_SCOPE not in principal.scopes:
        raise ProblemError(
            403,
            f"The access token lacks the '{API_SCOPE}' scope; log in asking for it.",
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{API_SCOPE}"'},
        )
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
State = Annotated[SandboxState, Depends(sandbox_state)]
