"""Authlib's httpx integration, imported without its warning about the httpx2 successor.

Ferry is built on httpx (as the project's guide asks); Authlib falls back to it while
warning on every start, which would only confuse people reading the command line's output.
"""

import warnings

from authlib.deprecate import AuthlibDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

__all__ = ["AsyncOAuth2Client", "OAuthError"]
