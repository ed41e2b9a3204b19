"""Logging in to the platform (OpenID Connect for native apps) and keeping the login safely."""
