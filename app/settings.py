"""Ferry's settings: destinations (accounting-software configurations), client links, and the
preferences of the Settings dialog (language, notifications, full-sync schedule, proxy).

Stored as JSON in the settings folder, never with a secret (so a proxy address with a user
name or password in it is refused, not stored). A settings file that cannot be
read is never silently replaced by defaults (that would lose an office's configuration): it
is reported, and the last good copy is kept beside it.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import ipaddress
import json
import logging
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Self

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.alerts.settings import AlertSettings
from app.atomic_files import write_text_atomic
from app.core.kinds import DocumentKind
from app.core.language import Language
from app.core.start_failures import StartFailure, StartFailureCode, StartFailureError
from app.core.templates import DestinationPaths
from app.settings_migrations import (
    SETTINGS_VERSION,
    STEPS,
    NewerSettings,
    SettingsStep,
    UpgradeFailed,
    save_upgraded,
    upgrade,
    version_of,
)
from app.updates.settings import UpdateSettings

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
    #: An archive is kept complete: files that disappear from it are written again by the
    #: full sync. Off for an import folder, whose software takes files away after importing
    #: them, where a second copy would be booked twice.
    archive: bool = False

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


class ProxyMode(StrEnum):
    """How Ferry reaches the platform."""

    SYSTEM = "system"  # what the OS says: Windows' Internet Options, macOS, HTTP(S)_PROXY...
    NONE = "none"  # straight to the platform, whatever the OS or the environment says
    MANUAL = "manual"  # through the proxy at ``url``


PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


class ProxyProblem(StrEnum):
    """Why a typed proxy address cannot be used; the GUI words each one in the user's language."""

    EMPTY = "empty"
    NOT_AN_ADDRESS = "not-an-address"
    NO_SCHEME = "no-scheme"
    SCHEME = "scheme"
    CREDENTIALS = "credentials"
    HOST = "host"
    NO_PORT = "no-port"
    PORT = "port"
    EXTRA = "extra"


PROXY_PROBLEM_TEXT = {
    ProxyProblem.EMPTY: "Type the proxy's address, e.g. http://proxy.example.com:3128.",
    ProxyProblem.NOT_AN_ADDRESS: "This is not a proxy address: it holds spaces or control "
    "characters. Write it as http://proxy.example.com:3128.",
    ProxyProblem.NO_SCHEME: "Start the address with http://, https:// or socks5://, e.g. "
    "http://proxy.example.com:3128.",
    ProxyProblem.SCHEME: "Ferry can use http://, https:// and socks5:// proxies only.",
    ProxyProblem.CREDENTIALS: "A user name or password cannot be kept in the proxy address: "
    "Ferry's settings are a plain file. Ask for a proxy rule that lets this computer through "
    "without one.",
    ProxyProblem.HOST: "The proxy's server name or IP address is not valid.",
    ProxyProblem.NO_PORT: "Add the proxy's port after a colon, e.g. proxy.example.com:3128.",
    ProxyProblem.PORT: "The port must be a number from 1 to 65535.",
    ProxyProblem.EXTRA: "Give only the proxy's address and port, without a path or anything "
    "after them.",
}

_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")


def _host_is_valid(host: str) -> bool:
    if host.startswith("["):
        if not host.endswith("]"):
            return False
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:  # also refuses zone ids ("%eth0"): not valid in a URL host
            return False
        return True
    if not host or len(host) > 253:
        return False
    if re.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    try:
        ascii_host = httpx.URL(f"http://{host}/").raw_host.decode("ascii")  # IDNA-encoded
    except (httpx.InvalidURL, UnicodeError, ValueError):
        return False
    return all(_HOST_LABEL.fullmatch(label) for label in ascii_host.rstrip(".").split("."))


def proxy_url_problem(url: str) -> ProxyProblem | None:
    """What is wrong with a manual proxy address, or None when Ferry can use it.

    What a person typed is checked, never repaired: ``proxy:3128`` without its scheme is a
    problem with its fix in words, not silently read as ``http://``. A user name or password
    in the address is refused, since settings live in a plain file.
    """
    if not url.strip():
        return ProxyProblem.EMPTY
    if any(
        character.isspace() or ord(character) < 32 or ord(character) == 127 for character in url
    ):
        return ProxyProblem.NOT_AN_ADDRESS
    scheme, separator, rest = url.partition("://")
    if not separator:
        return ProxyProblem.NO_SCHEME
    if scheme.lower() not in PROXY_SCHEMES:
        return ProxyProblem.SCHEME
    if "@" in rest:  # wherever it is: a password may hold "/" or "#"
        return ProxyProblem.CREDENTIALS
    cut = min((rest.index(mark) for mark in "/?#" if mark in rest), default=len(rest))
    authority, tail = rest[:cut], rest[cut:]
    if tail not in ("", "/"):
        return ProxyProblem.EXTRA
    if authority.startswith("["):
        if "]" not in authority:
            return ProxyProblem.HOST
        inside, _, after = authority[1:].partition("]")
        host = f"[{inside}]"
        if after and not after.startswith(":"):
            return ProxyProblem.HOST
        port = after[1:]
    else:
        host, separator, port = authority.rpartition(":")
        if not separator:
            return ProxyProblem.NO_PORT if authority else ProxyProblem.HOST
    if not _host_is_valid(host):
        return ProxyProblem.HOST
    if not port:
        return ProxyProblem.NO_PORT
    if not port.isascii() or not port.isdigit() or not 1 <= int(port) <= 65535:
        return ProxyProblem.PORT
    try:
        httpx.Proxy(url)
    except (httpx.InvalidURL, ValueError):  # pragma: no cover - every case is caught above
        return ProxyProblem.HOST
    return None


@functools.cache
def socks_supported() -> bool:
    """Whether this installation can use a SOCKS proxy (httpx needs the socksio package)."""
    return importlib.util.find_spec("socksio") is not None


class ProxySettings(BaseModel):
    """The proxy choice; a manual ``url`` is kept for when the person switches back to it."""

    model_config = ConfigDict(extra="forbid")

    mode: ProxyMode = ProxyMode.SYSTEM
    url: str | None = None

    @model_validator(mode="after")
    def _usable(self) -> Self:
        if self.mode is ProxyMode.MANUAL and self.url is None:
            raise ValueError(PROXY_PROBLEM_TEXT[ProxyProblem.EMPTY])
        if self.url is not None:
            problem = proxy_url_problem(self.url)
            if problem is not None:  # never echo the address: it may hold a password
                raise ValueError(PROXY_PROBLEM_TEXT[problem])
        return self


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def httpx_proxy_options(proxy: ProxySettings) -> dict[str, Any]:
    """The keyword arguments for ``httpx.AsyncClient`` (or ``httpx.Client``) for a proxy choice.

    *System* trusts the environment, which also reads Windows' and macOS's proxy settings
    (urllib's ``getproxies``). *None* and *manual* ignore it, so that a stray ``HTTPS_PROXY``
    cannot override what the person chose. A manual proxy is never used for this computer's
    own addresses (the sandbox platform), as browsers do.
    """
    if proxy.mode is ProxyMode.MANUAL and proxy.url is not None:
        return {
            "trust_env": False,
            "proxy": proxy.url,
            "mounts": {f"all://{host}": None for host in LOOPBACK_HOSTS},
        }
    if proxy.mode is ProxyMode.NONE:
        return {"trust_env": False, "proxy": None, "mounts": None}
    return {"trust_env": True, "proxy": None, "mounts": None}


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    #: The file's format, upgraded step by step (app.settings_migrations); never set by hand.
    version: int = Field(default=SETTINGS_VERSION, ge=1)
    destinations: list[Destination] = Field(default_factory=list)
    links: list[ClientLink] = Field(default_factory=list)
    language: Language | None = None
    notifications: bool = True
    full_sync_every_days: int = Field(default=30, ge=1, le=365)
    proxy: ProxySettings = Field(default_factory=ProxySettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    #: signed updates (on Windows the administrator's policy beats each value)
    updates: UpdateSettings = Field(default_factory=UpdateSettings)

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


class SettingsError(StartFailureError):
    """The settings file cannot be used: ``failure`` says where and why as data (one of
    :data:`app.core.start_failures.SETTINGS_CODES`), :meth:`message` in any language; the
    exception's own text is the English words."""

    @classmethod
    def of(cls, code: StartFailureCode, path: Path, **params: object) -> SettingsError:
        return cls(StartFailure.of(code, path=path, **params))


class SettingsTooNew(SettingsError):
    """The settings file was written by a newer Ferry: refused, and left exactly as it is."""

    def __init__(self, path: Path, newer: NewerSettings) -> None:
        super().__init__(
            StartFailure.of(
                StartFailureCode.SETTINGS_TOO_NEW, path=path, found=newer.found, known=newer.known
            )
        )


def settings_path(settings_dir: Path) -> Path:
    return settings_dir / SETTINGS_FILE


def load_settings(settings_dir: Path, *, steps: tuple[SettingsStep, ...] = STEPS) -> Settings:
    """The settings, upgraded from an older Ferry's file (``steps``: the tests' own).

    An upgraded file is saved with a copy of the original kept beside it, when that can be
    done now (see :func:`~app.settings_migrations.save_upgraded`)."""
    path = settings_path(settings_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        raise SettingsError.of(
            StartFailureCode.SETTINGS_UNREADABLE, path, said=error.strerror or str(error)
        ) from None
    try:
        upgraded = upgrade(json.loads(raw), steps=steps)
        settings = Settings.model_validate(upgraded.raw)
    except NewerSettings as newer:
        raise SettingsTooNew(path, newer) from None
    except json.JSONDecodeError as error:
        raise SettingsError.of(
            StartFailureCode.SETTINGS_DAMAGED,
            path,
            line=error.lineno,
            backup=f"{path.name}{BACKUP_SUFFIX}",
        ) from None
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'settings'}: {item['msg']}"
            for item in error.errors()
        )
        raise SettingsError.of(StartFailureCode.SETTINGS_INVALID, path, detail=details) from None
    except UpgradeFailed as failed:
        raise SettingsError.of(
            StartFailureCode.SETTINGS_NOT_UPGRADED, path, version=failed.version, said=failed
        ) from None
    if upgraded.upgraded and save_upgraded(path, raw, upgraded.found, _dumped(settings)):
        log.info("settings upgraded from version %d to %d", upgraded.found, settings.version)
    return settings


def _dumped(settings: Settings) -> str:
    return settings.model_dump_json(indent=2, exclude_none=True) + "\n"


def save_settings(settings_dir: Path, settings: Settings) -> None:
    """Write atomically, keeping the previous file as a backup.

    The low-level writer: faces change settings through
    :func:`app.application.settings_changes.change_settings`, which calls this (and a test
    checks that nothing else in ``app/`` does)."""
    path = settings_path(settings_dir)
    settings = settings.model_copy(update={"version": SETTINGS_VERSION})  # this Ferry's format
    Settings.model_validate(settings.model_dump())  # never write what could not be read back
    if path.exists():
        _refuse_newer(path)
        try:
            previous = path.read_bytes()
            Settings.model_validate(json.loads(previous))
            write_text_atomic(path.with_name(path.name + BACKUP_SUFFIX), previous.decode())
        except (ValueError, ValidationError, OSError):
            log.warning("not backing up %s: it was not valid", path)
    write_text_atomic(path, _dumped(settings))


def _refuse_newer(path: Path) -> None:
    """A newer Ferry's file is never overwritten, not even by a first-run wizard that replaces
    an unreadable one: going back to an older Ferry must not cost the newer one's settings."""
    try:
        found = version_of(json.loads(path.read_bytes()))
    except (OSError, ValueError):
        return  # unreadable or damaged: the caller's choice
    if found is not None and found > SETTINGS_VERSION:
        raise SettingsTooNew(path, NewerSettings(found, SETTINGS_VERSION))
