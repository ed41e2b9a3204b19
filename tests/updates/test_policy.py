"""The update policy: the person's setting, the administrator's values over it, and what
cannot be read never turning updates on by mistake."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.settings import Settings, load_settings, save_settings
from app.settings_migrations import SETTINGS_VERSION
from app.updates.build_source import build_url
from app.updates.policy import Channel, UpdatePolicy, current_policy, merge_policy, read_setting
from app.updates.settings import UpdateSettings


def test_defaults_are_on_stable_with_no_address() -> None:
    assert merge_policy({}, {}) == UpdatePolicy()
    assert UpdatePolicy().channel is Channel.STABLE and UpdatePolicy().url is None


def test_the_administrators_values_beat_the_setting_and_are_marked_managed() -> None:
    policy = merge_policy(
        {"UpdatesEnabled": True, "UpdateChannel": "beta", "UpdateUrl": "https://a"},
        {"UpdatesEnabled": 0, "UpdateChannel": "stable"},
    )
    assert (policy.enabled, policy.channel, policy.url) == (False, Channel.STABLE, "https://a")
    assert policy.managed == {"enabled", "channel"}


def test_an_unreadable_enabled_policy_turns_updates_off() -> None:
    policy = merge_policy({"UpdatesEnabled": True}, {"UpdatesEnabled": "yes please"})
    assert policy.enabled is False
    assert policy.ignored == ("UpdatesEnabled='yes please'",)


def test_values_that_do_not_fit_are_ignored_and_named() -> None:
    policy = merge_policy({"UpdateChannel": "nightly", "UpdateCheckHours": 0, "Colour": "red"}, {})
    assert policy == UpdatePolicy(
        ignored=("UpdateChannel='nightly'", "UpdateCheckHours=0", "Colour='red'")
    )


def write_settings(settings_dir: Path, updates: object) -> None:
    (settings_dir / "settings.json").write_text(
        json.dumps({"version": SETTINGS_VERSION, "updates": updates})
    )


def test_the_setting_is_read_from_the_settings_file(tmp_path: Path) -> None:
    assert current_policy(tmp_path) == UpdatePolicy()  # no settings file: the defaults
    write_settings(
        tmp_path,
        {"enabled": False, "channel": "beta", "url": "https://u.example", "check_hours": 12},
    )
    assert read_setting(tmp_path) == {
        "UpdatesEnabled": False,
        "UpdateChannel": "beta",
        "UpdateUrl": "https://u.example",
        "UpdateCheckHours": 12.0,
    }
    policy = current_policy(tmp_path)
    assert (policy.enabled, policy.channel, policy.url, policy.check_hours) == (
        False,
        Channel.BETA,
        "https://u.example",
        12.0,
    )
    assert policy.managed == frozenset() and policy.ignored == ()


def test_a_settings_file_that_cannot_be_read_gives_the_defaults(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "settings.json").write_text("{broken")
    assert current_policy(tmp_path) == UpdatePolicy()
    assert "the settings cannot be read, the defaults apply" in caplog.text
    # a value out of bounds makes the file invalid as a whole: the defaults again, and the
    # settings' own faces say what is wrong
    write_settings(tmp_path, {"url": "ftp://u.example"})
    assert current_policy(tmp_path) == UpdatePolicy()
    write_settings(tmp_path, {"check_hours": 0})
    assert current_policy(tmp_path) == UpdatePolicy()


def test_the_update_setting_accepts_http_addresses_and_a_blank_one_as_none() -> None:
    assert UpdateSettings(url=" https://u.example/ferry ").url == "https://u.example/ferry"
    assert UpdateSettings(url="http://127.0.0.1:8080").url == "http://127.0.0.1:8080"
    assert UpdateSettings(url="  ").url is None
    for bad in ("u.example", "file:///srv/repo", "https://", "javascript:alert(1)"):
        with pytest.raises(ValidationError):
            UpdateSettings(url=bad)
    with pytest.raises(ValidationError):
        UpdateSettings(check_hours=24 * 7 + 1)
    with pytest.raises(ValidationError):
        UpdateSettings(channel="nightly")  # type: ignore[arg-type]


def test_the_settings_carry_the_update_setting_through_a_save(tmp_path: Path) -> None:
    settings = Settings(updates=UpdateSettings(channel="beta", url="https://u.example"))
    save_settings(tmp_path, settings)
    assert load_settings(tmp_path).updates == settings.updates
    assert Settings().updates == UpdateSettings()  # an older file without it: the defaults


def test_a_release_build_s_address_applies_where_no_setting_names_one(tmp_path: Path) -> None:
    source = tmp_path / "source.json"
    assert build_url(source) is None  # a run from source, a build without one
    source.write_text(json.dumps({"url": "https://updates.example/ferry"}))
    assert build_url(source) == "https://updates.example/ferry"
    assert read_setting(tmp_path, build_url(source))["UpdateUrl"] == build_url(source)
    write_settings(tmp_path, {"url": "https://settings.example"})
    assert read_setting(tmp_path, build_url(source))["UpdateUrl"] == "https://settings.example"
    # a build whose file is damaged or names no address still starts, without one
    for broken in ("{broken", json.dumps({"url": "ftp://x"}), json.dumps(["x"])):
        source.write_text(broken)
        assert build_url(source) is None


def test_the_administrators_values_beat_the_settings_file(tmp_path: Path) -> None:
    write_settings(tmp_path, {"enabled": True, "channel": "beta", "url": "https://u.example"})
    policy = merge_policy(read_setting(tmp_path), {"UpdatesEnabled": 0, "UpdateChannel": "stable"})
    assert (policy.enabled, policy.channel, policy.url) == (
        False,
        Channel.STABLE,
        "https://u.example",
    )
    assert policy.managed == {"enabled", "channel"}


@pytest.mark.windows
@pytest.mark.skipif(sys.platform != "win32", reason="the registry: scripts/test-windows")
def test_the_registry_policy_turns_updates_off(tmp_path: Path) -> None:
    import winreg

    from app.updates.policy import POLICY_KEY

    key = winreg.CreateKeyEx(
        winreg.HKEY_LOCAL_MACHINE, POLICY_KEY, 0, winreg.KEY_WRITE | winreg.KEY_WOW64_64KEY
    )
    try:
        winreg.SetValueEx(key, "UpdatesEnabled", 0, winreg.REG_DWORD, 0)
        winreg.SetValueEx(key, "UpdateChannel", 0, winreg.REG_SZ, "beta")
        policy = current_policy(tmp_path)
        assert (policy.enabled, policy.channel) == (False, Channel.BETA)
        assert policy.managed == {"enabled", "channel"}
    finally:
        winreg.DeleteValue(key, "UpdatesEnabled")
        winreg.DeleteValue(key, "UpdateChannel")
        winreg.CloseKey(key)
