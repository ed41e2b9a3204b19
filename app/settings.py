"""Ferry's settings: destinations (accounting-software configurations) and client links.

Stored as JSON in the settings folder, never with a secret. A settings file that cannot be
read is never silently replaced by defaults (that would lose an office's configuration): it
is reported, and the last good copy is kept beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.atomic_files import write_text_atomic
from app.core.kinds import DocumentKind
from app.core.language import Language
from app.core.templates import DestinationPaths

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
BACKUP_SUFFIX = ".bak"


class DeliveryFormat(StrEnum):
    """What a destination receives of an e-invoice."""

    UBL = "ubl"  # the XML as received
    UBL_PDF = "ubl+pdf"  # the XML, and its PDF beside it with the same base name
    PDF = "pdf"  # only the PDF


Name = Annotated[str, Field(min_length=1, max_length=80)]


class Destination(BaseModel):
    """One accounting-software configuration: where each kind of document goes, in which form."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    general_path: str | None = None
    paths: dict[DocumentKind, str] = Field(default_factory=dict)
    format: DeliveryFormat = DeliveryFormat.UBL

    @model_validator(mode="after")
    def _one_shape(self) -> Self:
        self.paths = {kind: path for kind, path in self.paths.items() if path.strip()}
        if (self.general_path is None or not self.general_path.strip()) == (not self.paths):
            raise ValueError(
                f"destination {self.name!r} needs either one general path or paths per kind"
            )
        return self

    @property
    def templates(self) -> DestinationPaths:
        if self.general_path:
            return DestinationPaths(general=self.general_path)
        return DestinationPaths(per_kind=dict(self.paths))


class ClientLink(BaseModel):
    """A client delivered to one or more destinations, from ``since`` on."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1)
    destinations: list[Name] = Field(min_length=1)
    accounting_file_id: str | None = None
    since: dt.datetime

    @model_validator(mode="after")
    def _aware(self) -> Self:
        if self.since.tzinfo is None:
            self.since = self.since.replace(tzinfo=dt.UTC)
        self.destinations = list(dict.fromkeys(self.destinations))
        return self


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    version: int = 1
    destinations: list[Destination] = Field(default_factory=list)
    links: list[ClientLink] = Field(default_factory=list)
    language: Language | None = None
    notifications: bool = True
    full_sync_every_days: int = Field(default=30, ge=1, le=365)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        names = [destination.name for destination in self.destinations]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"destination names used twice: {', '.join(twice)}")
        clients = [link.client_id for link in self.links]
        twice = sorted({client for client in clients if clients.count(client) > 1})
        if twice:
            raise ValueError(f"clients linked twice: {', '.join(twice)}")
        for link in self.links:
            unknown = [name for name in link.destinations if name not in names]
            if unknown:
                raise ValueError(
                    f"client {link.client_id} is linked to unknown destinations: "
                    + ", ".join(unknown)
                )
        return self

    def destination(self, name: str) -> Destination | None:
        return next((d for d in self.destinations if d.name == name), None)

    def link(self, client_id: str) -> ClientLink | None:
        return next((link for link in self.links if link.client_id == client_id), None)


class SettingsError(Exception):
    """The settings file cannot be used; the message says where and why."""


def settings_path(settings_dir: Path) -> Path:
    return settings_dir / SETTINGS_FILE


def load_settings(settings_dir: Path) -> Settings:
    path = settings_path(settings_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        raise SettingsError(f"cannot read {path}: {error.strerror}") from None
    try:
        return Settings.model_validate(json.loads(raw))
    except json.JSONDecodeError as error:
        raise SettingsError(
            f"{path} is damaged (not JSON at line {error.lineno}); the previous good copy is "
            f"{path.name}{BACKUP_SUFFIX} in the same folder"
        ) from None
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'settings'}: {item['msg']}"
            for item in error.errors()
        )
        raise SettingsError(f"{path} is not valid: {details}") from None


def save_settings(settings_dir: Path, settings: Settings) -> None:
    """Write atomically, keeping the previous file as a backup."""
    path = settings_path(settings_dir)
    Settings.model_validate(settings.model_dump())  # never write what could not be read back
    if path.exists():
        try:
            previous = path.read_bytes()
            Settings.model_validate(json.loads(previous))
            write_text_atomic(path.with_name(path.name + BACKUP_SUFFIX), previous.decode())
        except (ValueError, ValidationError, OSError):
            log.warning("not backing up %s: it was not valid", path)
    write_text_atomic(path, settings.model_dump_json(indent=2, exclude_none=True) + "\n")
