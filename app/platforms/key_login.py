"""A platform's API key as a login the engine can watch: read from the keyring when first
needed, and once the platform refuses it, *Login needed* until a person pastes a new one.

The same contract as :class:`~app.auth.session.TokenSession` for a refresh token: the engine
is told once (``on_login_needed``), every later request fails fast with
:class:`~app.auth.session.LoginNeeded` instead of sending a dead key again and again, and
the key itself never reaches a log or an error message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

import httpx

from app.auth.secret_store import SecretStore
from app.platforms.login_latch import LoginLatch

#: Why, in the log and the engine's event (the person's words come from the failure's code).
REFUSED = "the platform refused the API key"
MISSING = "Ferry has no API key in the keyring"


class KeyLogin(LoginLatch):
    """Billit's ``ApiKey`` header, from the keyring (:class:`app.platforms.billit.client.
    Credentials`), with the login state of a :class:`~app.auth.session.TokenSession`.

    ``key``: a key not kept yet (being checked), in memory only; then ``store`` may be None."""

    def __init__(
        self,
        store: SecretStore | None,
        secret_name: str = "",
        *,
        on_login_needed: Callable[[str], None] | None = None,
        key: str | None = None,
    ) -> None:
        self._store = store
        self._secret_name = secret_name
        self._key = key
        super().__init__(on_login_needed)

    async def headers(self, http: httpx.AsyncClient) -> dict[str, str]:
        self._check_login()
        if self._key is None and self._store is not None:
            # The keyring may talk to D-Bus or the Credential Manager: not on the loop.
            self._key = await asyncio.to_thread(self._store.load, self._secret_name)
        if not self._key:
            self._needs_login(MISSING)
        return {"ApiKey": self._key}

    async def after_refused(self, http: httpx.AsyncClient, sent: Mapping[str, str]) -> bool:
        """A 401: a key does not renew itself; a person must paste a new one."""
        self._needs_login(REFUSED)
