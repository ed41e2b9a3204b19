"""Which platform a login speaks to, and how it logs in: names, so that a stored login, the
regions file and the engine agree on them without importing each other.

Pure: no network, no disk.
"""

from __future__ import annotations

from enum import StrEnum


class PlatformName(StrEnum):
    """The platform API an adapter speaks (``app/platforms``)."""

    FERRY = "ferry"
    """Ferry's own API: the sandbox's, or a server that implements it."""
    BILLIT = "billit"
    """Billit's public API and its accountant feed."""


class LoginStrategy(StrEnum):
    """How Ferry proves who it is to the platform."""

    OIDC = "oidc"
    """OpenID Connect, authorization code with PKCE through the browser: a refresh token and
    an ID token that says who logged in."""
    OAUTH2 = "oauth2"
    """OAuth 2.0 authorization code with a client secret and no ID token: who logged in comes
    from the platform's account call."""
    API_KEY = "api_key"
    """A key and a party id the office pasted once; nothing to refresh."""


#: What each platform accepts; the first is the one a region gets when it names none.
STRATEGIES: dict[PlatformName, tuple[LoginStrategy, ...]] = {
    PlatformName.FERRY: (LoginStrategy.OIDC,),
    PlatformName.BILLIT: (LoginStrategy.API_KEY, LoginStrategy.OAUTH2),
}

#: How the office knows each platform, in any language (a brand, not a word to translate).
DISPLAY_NAMES: dict[PlatformName, str] = {
    PlatformName.FERRY: "Ferry",
    PlatformName.BILLIT: "Billit",
}
