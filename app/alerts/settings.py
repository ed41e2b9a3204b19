"""The alerts' settings: who gets an e-mail, through which SMTP server, and how long a
condition lasts before it is an alert.

A boundary model (pydantic): it is read from the settings file, typed in the Settings dialog
and sent to the engine. The SMTP password is not here: it lives in the OS keyring
(:mod:`app.alerts.secret`), never in the settings file, a log or an exception's text.

Until :class:`app.settings.Settings` carries an ``alerts`` field, :func:`alert_settings` reads
the ``alerts`` object of the settings file itself, so the engine follows the file either way.
"""

from __future__ import annotations

import json
import logging
import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.alerts.watchdog import Thresholds
from app.core.language import Language

if TYPE_CHECKING:  # app.settings imports this module for its ``alerts`` field
    from app.settings import Settings

log = logging.getLogger(__name__)

MAX_MINUTES = 30 * 24 * 60.0


class AddressProblem(StrEnum):
    """Why a typed e-mail address cannot be used; worded by the face that shows it."""

    EMPTY = "empty"
    NO_AT = "no_at"
    SPACES = "spaces"
    NO_DOMAIN = "no_domain"
    FORBIDDEN = "forbidden"


_FORBIDDEN = re.compile(r'[<>(),;:"\[\]\\]')


def address_problem(text: str) -> AddressProblem | None:
    """What is wrong with ``text`` as a plain e-mail address (``name@office.be``), or None.

    A plain check, not RFC 5322's full grammar: an office types an address, and the SMTP
    server says the rest when the test e-mail is sent."""
    value = text.strip()
    if not value:
        return AddressProblem.EMPTY
    if any(char.isspace() for char in value):
        return AddressProblem.SPACES
    if value.count("@") != 1:
        return AddressProblem.NO_AT
    local, domain = value.split("@")
    if _FORBIDDEN.search(value) or not local:
        return AddressProblem.FORBIDDEN
    labels = domain.split(".")
    if not domain or any(not label for label in labels):
        return AddressProblem.NO_DOMAIN
    return None


def _address(value: str) -> str:
    problem = address_problem(value)
    if problem is not None:
        raise ValueError(f"not an e-mail address ({problem.value})")
    return value.strip()


class Recipient(BaseModel):
    """One address the alerts go to, and the language its reader reads (None: Ferry's)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    address: str
    language: Language | None = None

    @field_validator("address")
    @classmethod
    def _valid(cls, value: str) -> str:
        return _address(value)


class AlertSettings(BaseModel):
    """Where alerts go beyond the log, the Event Log and the tray, and their thresholds."""

    model_config = ConfigDict(extra="ignore")

    #: Send alerts by e-mail (to ``recipients``, through ``smtp_host``).
    email: bool = False
    recipients: list[Recipient] = Field(default_factory=list)
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    #: Upgrade the connection with STARTTLS (and refuse to send when the server cannot).
    starttls: bool = True
    #: Log in to the server as this user (its password in the OS keyring); empty: no login.
    username: str = ""
    #: The sender; empty: the first recipient.
    from_address: str = ""
    #: Also say when an alert's condition ends ("Ferry is delivering again").
    back_to_normal: bool = True
    nothing_delivered_minutes: float = Field(default=240.0, gt=0, le=MAX_MINUTES)
    unreachable_minutes: float = Field(default=60.0, gt=0, le=MAX_MINUTES)
    login_minutes: float = Field(default=0.0, ge=0, le=MAX_MINUTES)
    engine_down_minutes: float = Field(default=5.0, ge=0, le=MAX_MINUTES)

    @field_validator("recipients", mode="before")
    @classmethod
    def _plain_addresses(cls, value: Any) -> Any:
        """A recipient may be written as its address alone."""
        if isinstance(value, list):
            return [{"address": item} if isinstance(item, str) else item for item in value]
        return value

    @field_validator("from_address")
    @classmethod
    def _sender(cls, value: str) -> str:
        return _address(value) if value.strip() else ""

    @field_validator("smtp_host", "username")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return value.strip()

    @property
    def mails(self) -> bool:
        """Whether alerts go out by e-mail: asked for, with a server and someone to tell."""
        return self.email and bool(self.smtp_host) and bool(self.recipients)

    @property
    def sender(self) -> str:
        return self.from_address or (self.recipients[0].address if self.recipients else "")

    def thresholds(self) -> Thresholds:
        return Thresholds(
            nothing_delivered_s=self.nothing_delivered_minutes * 60,
            unreachable_s=self.unreachable_minutes * 60,
            login_s=self.login_minutes * 60,
            engine_down_s=self.engine_down_minutes * 60,
        )


def alert_settings(settings_dir: Path, settings: Settings | None = None) -> AlertSettings:
    """The alerts' settings: ``settings.alerts`` when the settings were loaded, else the
    ``alerts`` object of the settings file read on its own; the defaults when there is none
    or it cannot be used (said in the log: alerts must not stop because of a typo)."""
    from app.settings import settings_path

    found = getattr(settings, "alerts", None) if settings is not None else None
    if isinstance(found, AlertSettings):
        return found
    try:
        raw = json.loads(settings_path(settings_dir).read_bytes())
    except FileNotFoundError:
        return AlertSettings()
    except (OSError, ValueError) as error:
        log.warning("the alerts' settings cannot be read (%s); the defaults apply", error)
        return AlertSettings()
    section = raw.get("alerts") if isinstance(raw, dict) else None
    if section is None:
        return AlertSettings()
    try:
        return AlertSettings.model_validate(section)
    except ValidationError as error:
        fields = ", ".join(".".join(str(p) for p in item["loc"]) for item in error.errors())
        log.warning("the alerts' settings are not valid (%s); the defaults apply", fields)
        return AlertSettings()
