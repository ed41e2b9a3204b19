"""The countries Ferry can log in to, read from ``app/resources/regions.json``.

Which platform serves which country is data, not code: a new country or a moved server is an
edit of the file, and the file is validated when loaded so a typo fails loudly at start-up
instead of sending a login to the wrong address. Each entry names its platform (the adapter
the engine speaks through) and its login strategy (the wizard page it needs).

A region that goes away is listed under ``retired`` with what a login made there still needs
from it (the office's language): a ``login.json`` keeps its region's code for good, and keeps
its own addresses, so it keeps working after its entry left the list.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Self

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.core.language import Language
from app.core.platform_kinds import STRATEGIES, LoginStrategy, PlatformName

#: The data that ships inside the package (``app/resources``), found wherever the package is:
#: a checkout, an installed wheel or a frozen build.
RESOURCES = Path(str(files("app") / "resources"))
REGIONS_FILE = RESOURCES / "regions.json"


class RegionKind(StrEnum):
    PLATFORM = "platform"
    SANDBOX = "sandbox"
    CUSTOM = "custom"


RedirectPort = Annotated[int, Field(ge=1024, le=65535)]
"""A fixed loopback port: not a privileged one, which Linux and macOS keep from programs."""


def redirect_ports_problem(ports: Sequence[int]) -> str | None:
    """Why a list of fixed redirect ports cannot be used, or None."""
    wrong = [str(port) for port in ports if not 1024 <= port <= 65535]
    if wrong:
        return f"redirect ports must be between 1024 and 65535, not {', '.join(wrong)}"
    twice = sorted({port for port in ports if list(ports).count(port) > 1})
    if twice:
        return f"redirect ports listed twice: {', '.join(str(port) for port in twice)}"
    return None


class Region(BaseModel):
    """One entry of the country list."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,30}$")]
    kind: RegionKind
    platform: PlatformName = PlatformName.FERRY
    """The API the platform speaks, which picks the engine's adapter."""
    login: LoginStrategy = LoginStrategy.OIDC
    """How Ferry logs in there, which picks the wizard's login page."""
    names: dict[Language, str]
    language: Language
    vat_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    issuer: AnyHttpUrl | None = None
    api_url: AnyHttpUrl | None = None
    sandbox_realm: str | None = None
    authorize_url: AnyHttpUrl | None = None
    """OAuth 2.0 without discovery (``login: oauth2``): the platform's login page, where the
    browser is sent with the client id, the redirect URI and the state."""
    token_url: AnyHttpUrl | None = None
    """OAuth 2.0: where codes and refresh tokens are exchanged, when not beside the API
    (Billit's ``{api}/OAuth2/token``); a Billit-compatible platform may keep it elsewhere."""
    oauth_client_id: str | None = None
    """The client id the platform registered for whoever distributes Ferry with this entry
    (its secret is never in this file: the office types it once, it goes to the keyring)."""
    redirect_ports: tuple[RedirectPort, ...] = ()
    """Fixed loopback ports, tried in order, for a login server that accepts only redirect
    URIs registered with their port; empty: a port the OS picks (RFC 8252 7.3)."""

    @model_validator(mode="after")
    def _complete(self) -> Self:
        missing = [language.value for language in Language if not self.names.get(language)]
        if missing:
            raise ValueError(f"region {self.code!r} has no name in {', '.join(missing)}")
        if self.login not in STRATEGIES[self.platform]:
            allowed = ", ".join(strategy.value for strategy in STRATEGIES[self.platform])
            raise ValueError(
                f"region {self.code!r}: {self.platform.value} logs in with {allowed}, "
                f"not {self.login.value}"
            )
        if self.kind is RegionKind.SANDBOX and self.platform is not PlatformName.FERRY:
            raise ValueError(f"region {self.code!r}: a {self.kind.value} speaks Ferry's API")
        if self.kind is RegionKind.PLATFORM and self.api_url is None:
            raise ValueError(f"region {self.code!r} needs an api_url")
        custom_billit = self.kind is RegionKind.CUSTOM and self.platform is not PlatformName.FERRY
        if custom_billit and self.api_url is None:  # typed in the wizard with its address
            raise ValueError(f"region {self.code!r} needs an api_url")
        if self.login is LoginStrategy.OAUTH2 and self.authorize_url is None:
            raise ValueError(f"region {self.code!r} logs in with oauth2: it needs an authorize_url")
        if (
            self.kind is RegionKind.PLATFORM
            and self.login is LoginStrategy.OIDC
            and not self.issuer
        ):
            raise ValueError(f"region {self.code!r} needs an issuer and an api_url")
        if self.kind is RegionKind.SANDBOX and not self.sandbox_realm:
            raise ValueError(f"region {self.code!r} needs a sandbox_realm")
        problem = redirect_ports_problem(self.redirect_ports)
        if problem:
            raise ValueError(f"region {self.code!r}: {problem}")
        return self

    def name(self, language: Language) -> str:
        return self.names[language]


class RetiredRegion(BaseModel):
    """A region no longer offered, and what a login made there still needs from it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,30}$")]
    language: Language
    vat_country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class RegionsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    client_id: str
    regions: list[Region]
    retired: list[RetiredRegion] = []

    @model_validator(mode="after")
    def _unique(self) -> Self:
        codes = [region.code for region in self.regions] + [r.code for r in self.retired]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"region codes listed twice: {', '.join(duplicates)}")
        return self

    def get(self, code: str) -> Region:
        for region in self.regions:
            if region.code == code:
                return region
        known = ", ".join(region.code for region in self.regions)
        raise KeyError(f"no region {code!r}; known regions: {known}")

    def language_of(self, code: str) -> Language | None:
        """The office's language for a login's region, offered or retired; None if unknown."""
        for region in self.regions:
            if region.code == code:
                return region.language
        for retired in self.retired:
            if retired.code == code:
                return retired.language
        return None


class RegionsError(Exception):
    """The regions file cannot be used; the message says where and why."""


def load_regions(path: Path = REGIONS_FILE) -> RegionsFile:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RegionsError(f"cannot read the regions file {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise RegionsError(
            f"the regions file {path} is not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    try:
        return RegionsFile.model_validate(raw)
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'file'}: {item['msg']}"
            for item in error.errors()
        )
        raise RegionsError(f"the regions file {path} is not valid: {details}") from None


@cache
def regions() -> RegionsFile:
    """The regions shipped with Ferry, loaded once."""
    return load_regions()
