"""The toolkit's request validator with the claims Ferry shows and one strict client.

``ferry-fixed-port`` stands for the login servers that compare a loopback redirect URI exactly,
port included: the toolkit itself follows RFC 8252 7.3 and lets any port through for
``http://127.0.0.1``, so such a server is made here by refusing every URI not registered
verbatim, which is what a fixed-port registration looks like to Ferry.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

STRICT_CLIENT = "ferry-fixed-port"


class FerryTestValidator(OAuth2Validator):  # type: ignore[misc]
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        """The person's name and address, so Ferry can say who logged in."""
        user = request.user
        return {"name": user.get_full_name() or user.get_username(), "email": user.email}

    def validate_redirect_uri(
        self, client_id: str, redirect_uri: str, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        """Exact string comparison for the strict client; the toolkit's own rules otherwise."""
        if client_id == STRICT_CLIENT:
            return redirect_uri in request.client.redirect_uris.split()
        return bool(
            super().validate_redirect_uri(client_id, redirect_uri, request, *args, **kwargs)
        )
