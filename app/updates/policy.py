"""Whether Ferry updates itself, from where and how often: a setting, and the administrator's.

An office's IT partner must be able to turn updates off or hold Ferry on the stable channel
for every user of a machine, and a person must not be able to undo that: on Windows the
administrator's word is a policy under ``HKLM\\Software\\Policies\\Ferry`` (Group Policy writes
there; ordinary users cannot), and each value it holds beats the person's setting. Elsewhere
the setting alone decides.

The setting is ``updates`` in ``settings.json`` (:class:`app.updates.settings.UpdateSettings`).
Registry values (all optional): ``UpdatesEnabled`` (DWORD, 0 turns updates off),
``UpdateChannel`` (``stable`` or ``beta``), ``UpdateUrl`` (the repository's address),
``UpdateCheckHours`` (DWORD). The setting is read into the same names (:func:`read_setting`),
so one merge serves both. Where neither names an address, a release build's own applies
(:mod:`app.updates.build_source`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.updates import build_source
from app.updates.settings import UpdateSettings

log = logging.getLogger(__name__)

POLICY_KEY = r"Software\Policies\Ferry"
#: policy value name -> UpdatePolicy field
NAMES: dict[str, str] = {
    "UpdatesEnabled": "enabled",
    "UpdateChannel": "channel",
    "UpdateUrl": "url",
    "UpdateCheckHours": "check_hours",
}


class Channel(StrEnum):
    STABLE = "stable"  # final releases only
    BETA = "beta"  # also betas and release candidates (PEP 440 "b" and "rc")


class UpdatePolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = True
    channel: Channel = Channel.STABLE
    #: the repository's base address: <url>/metadata/ and <url>/targets/
    url: str | None = None
    check_hours: float = Field(default=6.0, ge=0.25, le=24 * 7)
    #: the fields an administrator's policy set (the app shows them as not changeable)
    managed: frozenset[str] = frozenset()
    #: policy or setting values that were not understood, as "Name=value" (logged once)
    ignored: tuple[str, ...] = ()


def merge_policy(setting: Mapping[str, object], machine: Mapping[str, object]) -> UpdatePolicy:
    """The setting, then each of the administrator's values over it. Pure.

    A value that does not fit is ignored and named in ``ignored``: a typo must not stop
    Ferry. One exception: an ``UpdatesEnabled`` policy that cannot be read turns updates
    off, since an administrator who wrote one meant to hold them."""
    values: dict[str, object] = {}
    ignored: list[str] = []
    managed: set[str] = set()
    for source, is_machine in ((setting, False), (machine, True)):
        for name, value in source.items():
            field = NAMES.get(name)
            if field is None or not _fits(field, value):
                ignored.append(f"{name}={value!r}")
                if is_machine and field == "enabled":
                    values["enabled"] = False
                    managed.add("enabled")
                continue
            values[field] = value
            if is_machine:
                managed.add(field)
    if values.get("url") == "":
        values["url"] = None
    return UpdatePolicy(**values, managed=frozenset(managed), ignored=tuple(ignored))  # type: ignore[arg-type]


def _fits(field: str, value: object) -> bool:
    if field == "enabled" and not isinstance(value, bool | int):
        return False  # pydantic would read "no" as False and "yes" as True: too lenient
    try:
        UpdatePolicy.model_validate({field: value})
    except ValidationError:
        return False
    return True


def read_setting(settings_dir: Path, build_url: str | None = None) -> dict[str, object]:
    """The person's setting, ``updates`` in ``settings.json``, as policy value names; the
    address the build was made for (``build_url``) where the setting names none.

    A settings file that cannot be read gives the defaults (logged): the settings' own
    faces say what is wrong with it, and updates must not stop for it.
    """
    from app.settings import SettingsError, load_settings  # app.settings imports this package

    try:
        chosen = load_settings(settings_dir).updates
    except SettingsError as error:
        log.warning("updates: the settings cannot be read, the defaults apply: %s", error)
        chosen = UpdateSettings()
    values: dict[str, object] = {
        "UpdatesEnabled": chosen.enabled,
        "UpdateChannel": chosen.channel,
        "UpdateCheckHours": chosen.check_hours,
    }
    url = chosen.url or build_url
    if url is not None:
        values["UpdateUrl"] = url
    return values


def read_machine_policy() -> dict[str, object]:
    """The administrator's policy: the values under HKLM\\Software\\Policies\\Ferry on
    Windows (64-bit view), nothing elsewhere."""
    if sys.platform != "win32":
        return {}
    import winreg  # pragma: no cover - Windows only (scripts/test-windows)

    values: dict[str, object] = {}
    try:
        key = winreg.OpenKey(
            winreg.HKEY_LOCAL_MACHINE, POLICY_KEY, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        )
    except FileNotFoundError:
        return values
    with key:
        index = 0
        while True:
            try:
                name, value, _kind = winreg.EnumValue(key, index)
            except OSError:  # no more values
                break
            values[name] = value
            index += 1
    return values


def current_policy(settings_dir: Path) -> UpdatePolicy:
    """The policy in force now: read each time, so a changed policy counts at the next check."""
    setting = read_setting(settings_dir, build_source.build_url())
    policy = merge_policy(setting, read_machine_policy())
    if policy.ignored:
        log.warning("updates: values not understood and ignored: %s", ", ".join(policy.ignored))
    return policy
