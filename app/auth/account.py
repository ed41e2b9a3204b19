"""Who is logged in, where: the non-secret half of a login, kept in the settings folder.

The secret itself (a refresh token, or a platform's API key) lives only in the OS keyring,
under the name given here; this file holds what Ferry needs to find it, to pick the platform's
adapter and to show who is logged in for which office.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from app.atomic_files import write_text_atomic
from app.core.platform_kinds import LoginStrategy, PlatformName

log = logging.getLogger(__name__)

LOGIN_FILE = "login.json"


class StoredLogin(BaseModel):
    """The login Ferry keeps between runs; never holds a token."""

    model_config = ConfigDict(extra="ignore")

    region: str
    issuer: str
    api_url: str | None
    client_id: str
    subject: str
    user_name: str | None = None
    email: str | None = None
    office_id: str | None = None
    office_name: str | None = None
    logged_in_at: dt.datetime
    redirect_ports: tuple[int, ...] = ()
    """The fixed loopback ports this login came back on, so a later login again (after the
    platform ended this one) is sent to a port the login server accepts; empty (and absent
    from records written before) for a port the OS picks."""
    platform: PlatformName = PlatformName.FERRY
    """The API this login speaks to, which picks the engine's adapter; absent from records
    written before Ferry spoke another platform, which all spoke Ferry's."""
    strategy: LoginStrategy = LoginStrategy.OIDC
    """How this login was made and is kept alive (absent before: OpenID Connect)."""
    token_url: str | None = None
    """OAuth 2.0 only: the token endpoint of a Billit-compatible platform that keeps it
    elsewhere than beside its API (a *Custom server*); None: Billit's own place."""
    party_id: int | None = None
    """The platform's own id of the office's company, where every request names it (Billit's
    ``PartyID``, pasted beside an API key)."""

    @property
    def secret_name(self) -> str:
        """The keyring entry of this login's secret: per region and account, and per kind of
        secret, so that an API key is never read as a refresh token."""
        if self.strategy is LoginStrategy.API_KEY:
            return f"api-key:{self.region}:{self.subject}"
        return f"refresh-token:{self.region}:{self.subject}"

    @property
    def client_secret_name(self) -> str:
        """The keyring entry of the client secret an OAuth 2.0 login needs to refresh (the
        office's registered client: per region and client id, kept across logins)."""
        return f"client-secret:{self.region}:{self.client_id}"

    @property
    def oidc(self) -> bool:
        """Kept alive by a :class:`~app.auth.session.TokenSession` (OpenID Connect)."""
        return self.strategy is LoginStrategy.OIDC

    @property
    def who(self) -> str:
        name = self.user_name or self.email or self.subject
        if self.email and self.user_name:
            return f"{name} <{self.email}>"
        return name


def load_login(settings_dir: Path) -> StoredLogin | None:
    path = settings_dir / LOGIN_FILE
    try:
        return StoredLogin.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValidationError, ValueError) as error:
        log.warning("ignoring an unreadable %s: %s", path, error)
        return None


def save_login(settings_dir: Path, login: StoredLogin) -> None:
    write_text_atomic(settings_dir / LOGIN_FILE, login.model_dump_json(indent=2) + "\n")


def forget_login(settings_dir: Path) -> None:
    (settings_dir / LOGIN_FILE).unlink(missing_ok=True)
