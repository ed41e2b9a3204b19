"""The person's update setting, as it is kept in ``settings.json`` (``Settings.updates``).

Kept apart from :mod:`app.settings` so that module stays about the whole file and this one
about updates; it imports nothing of Ferry's, since :mod:`app.settings` imports it. On Windows
the administrator's policy in the registry beats each of these values
(:mod:`app.updates.policy`).
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: as :class:`app.updates.policy.UpdatePolicy` bounds it: not a hammering client, not never
MIN_CHECK_HOURS = 0.25
MAX_CHECK_HOURS = 24 * 7


class UpdateSettings(BaseModel):
    """Whether Ferry updates itself, on which channel, from which repository, how often."""

    model_config = ConfigDict(extra="ignore")

    enabled: bool = True
    channel: Literal["stable", "beta"] = "stable"
    #: the update repository's base address (``<url>/metadata/``, ``<url>/targets/``); None:
    #: the build's own, if it has one
    url: str | None = None
    check_hours: float = Field(default=6.0, ge=MIN_CHECK_HOURS, le=MAX_CHECK_HOURS)

    @field_validator("url")
    @classmethod
    def _http_address(cls, url: str | None) -> str | None:
        """An http(s) address with a host; a blank one means none. Anything else is refused
        here, where a typo is found, rather than at the first check hours later."""
        if url is None or not url.strip():
            return None
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) address: {url!r}")
        return url
