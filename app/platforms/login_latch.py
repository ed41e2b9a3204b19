"""*Login needed*, latched: the login state a :class:`~app.auth.session.TokenSession` keeps, for
the logins that are not token sessions (an API key, a Billit OAuth 2.0 login).

Once the platform refuses the login, it stays refused: the listener is told once, and every
later request fails fast with :class:`~app.auth.session.LoginNeeded` instead of asking again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NoReturn

from app.auth.session import LoginNeeded

log = logging.getLogger(__name__)


class LoginLatch:
    """Holds why a person must log in again (None while the login holds)."""

    def __init__(self, on_login_needed: Callable[[str], None] | None = None) -> None:
        self._on_login_needed = on_login_needed
        self._login_needed: str | None = None

    @property
    def login_needed(self) -> str | None:
        """Why a person must log in again (or paste a new key), or None while the login holds."""
        return self._login_needed

    def _check_login(self) -> None:
        """Fail fast once the login was refused."""
        if self._login_needed:
            raise LoginNeeded(self._login_needed)

    def _needs_login(self, reason: str) -> NoReturn:
        first = self._login_needed is None
        self._login_needed = reason
        if first:
            log.warning("login needed: %s", reason)
            if self._on_login_needed is not None:
                self._on_login_needed(reason)
        raise LoginNeeded(reason)
