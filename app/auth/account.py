"""Who is logged in, where: the non-secret half of a login, kept in the settings folder.

The refresh token itself lives only in the OS keyring, under the name given here; this file
holds what Ferry needs to find it and to show who is logged in for which office.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from app.atomic_files import write_text_atomic

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

    @property
    def secret_name(self) -> str:
        """The keyring entry of this login's refresh token: per region and account."""
        return f"refresh-token:{self.region}:{self.subject}"

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
