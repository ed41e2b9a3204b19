"""The settings file's numbered upgrades (issue 17, *upgrades that lose nothing*).

Ferry has no real settings step yet (version 1 is the first file it wrote), so the mechanism is
proven with steps of the tests' own, handed to :func:`load_settings` as ``steps``: each runs
once, in order, from the file's own version; the original is kept beside it before the first;
a failing step, an invalid result or a newer file leave the file exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app.application.settings_changes import LOCK_FILE, change_settings
from app.core.language import Language
from app.core.start_failures import StartFailureCode
from app.os_specific import lock_exclusively
from app.settings import (
    ClientLink,
    Destination,
    Settings,
    SettingsError,
    SettingsTooNew,
    load_settings,
    save_settings,
    settings_path,
)
from app.settings_migrations import (
    SETTINGS_VERSION,
    STEPS,
    WRITERS_LOCK,
    NewerSettings,
    SettingsStep,
    upgrade,
)

SINCE = "2026-01-01T00:00:00Z"


def _books_as_destinations(raw: dict[str, Any]) -> dict[str, Any]:
    """1 -> 2 of the tests: an imagined old name of the destinations list."""
    raw["destinations"] = raw.pop("books")
    return raw


def _quiet_as_notifications(raw: dict[str, Any]) -> dict[str, Any]:
    """2 -> 3 of the tests: an imagined old, inverted notifications switch."""
    raw["notifications"] = not raw.pop("quiet")
    return raw


TWO_STEPS: tuple[SettingsStep, ...] = (_books_as_destinations, _quiet_as_notifications)


def _write(folder: Path, raw: dict[str, Any]) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(raw, indent=4) + "\r\n").encode()  # not as Ferry writes: bytes are kept
    settings_path(folder).write_bytes(data)
    return data


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def _version_1() -> dict[str, Any]:
    return {
        "version": 1,
        "books": [{"name": "Books", "general_path": "/srv/books"}],
        "links": [{"client_id": "c1", "destinations": ["Books"], "since": SINCE}],
        "quiet": True,
    }


def test_a_file_is_upgraded_step_by_step_with_its_original_kept(tmp_path: Path) -> None:
    calls: list[str] = []

    def traced(step: SettingsStep) -> SettingsStep:
        def run(raw: dict[str, Any]) -> dict[str, Any]:
            calls.append(f"{step.__name__} on version {raw['version']}")
            return step(raw)

        return run

    original = _write(tmp_path, _version_1())
    settings = load_settings(tmp_path, steps=tuple(traced(step) for step in TWO_STEPS))

    assert calls == [
        "_books_as_destinations on version 1",
        "_quiet_as_notifications on version 2",
    ]
    assert settings.version == 3
    assert [d.name for d in settings.destinations] == ["Books"]
    assert settings.notifications is False
    assert settings.link("c1") is not None
    assert (tmp_path / "settings.json.v1.bak").read_bytes() == original
    on_disk = json.loads(settings_path(tmp_path).read_bytes())
    assert on_disk["version"] == 3 and "books" not in on_disk and "quiet" not in on_disk
    # read again: nothing left to do, the file and its copy as they were
    files = _files(tmp_path)
    assert load_settings(tmp_path, steps=TWO_STEPS) == settings
    assert _files(tmp_path) == files


def test_a_file_runs_only_the_steps_after_its_own_version(tmp_path: Path) -> None:
    def never(raw: dict[str, Any]) -> dict[str, Any]:
        raise AssertionError("a version 2 file went through the 1 -> 2 step")

    raw = _books_as_destinations(_version_1())
    raw["version"] = 2
    original = _write(tmp_path, raw)
    settings = load_settings(tmp_path, steps=(never, _quiet_as_notifications))
    assert (settings.version, settings.notifications) == (3, False)
    assert (tmp_path / "settings.json.v2.bak").read_bytes() == original
    assert not (tmp_path / "settings.json.v1.bak").exists()


def test_a_missing_version_is_version_1(tmp_path: Path) -> None:
    raw = _version_1()
    del raw["version"]
    original = _write(tmp_path, raw)
    assert load_settings(tmp_path, steps=TWO_STEPS).version == 3
    assert (tmp_path / "settings.json.v1.bak").read_bytes() == original

    # with this Ferry's own steps: read as the current version, nothing rewritten
    plain = tmp_path / "plain"
    raw = {"destinations": [{"name": "Books", "general_path": "/srv/books"}]}
    original = _write(plain, raw)
    assert upgrade(raw).found == 1
    assert load_settings(plain).version == SETTINGS_VERSION
    if STEPS:  # a real step by now: the file was upgraded from version 1
        assert (plain / "settings.json.v1.bak").read_bytes() == original
    else:
        assert _files(plain) == {"settings.json": original}


def test_a_copy_already_kept_is_never_overwritten(tmp_path: Path) -> None:
    _write(tmp_path, _version_1())
    older = b'{"version": 1, "the": "copy kept at the first attempt"}'
    (tmp_path / "settings.json.v1.bak").write_bytes(older)
    load_settings(tmp_path, steps=TWO_STEPS)
    assert (tmp_path / "settings.json.v1.bak").read_bytes() == older
    assert json.loads(settings_path(tmp_path).read_bytes())["version"] == 3


def test_a_step_that_fails_leaves_the_file_untouched(tmp_path: Path) -> None:
    raw = _version_1()
    del raw["quiet"]  # the 2 -> 3 step fails on it (KeyError)
    _write(tmp_path, raw)
    before = _files(tmp_path)
    with pytest.raises(SettingsError) as refused:
        load_settings(tmp_path, steps=TWO_STEPS)
    message = str(refused.value)
    assert "could not be upgraded from settings version 2" in message
    assert "KeyError" in message and "quiet" in message
    assert "nothing in the file was changed" in message
    failure = refused.value.failure
    assert failure.code is StartFailureCode.SETTINGS_NOT_UPGRADED
    assert failure.params["path"] == str(settings_path(tmp_path))
    assert failure.params["version"] == "2" and "KeyError" in failure.params["said"]
    assert refused.value.message(Language.FR).endswith("; rien n'a été modifié dans le fichier")
    assert "depuis la version des réglages 2" in refused.value.message(Language.FR)
    assert "vanaf instellingenversie 2" in refused.value.message(Language.NL)
    assert _files(tmp_path) == before


def test_an_upgrade_that_is_not_valid_leaves_the_file_untouched(tmp_path: Path) -> None:
    raw = _version_1()
    raw["books"] = [{"name": "Books"}]  # neither a general path nor paths per kind
    _write(tmp_path, raw)
    before = _files(tmp_path)
    with pytest.raises(SettingsError, match=r"is not valid: destinations\.0") as refused:
        load_settings(tmp_path, steps=TWO_STEPS)
    assert refused.value.failure.code is StartFailureCode.SETTINGS_INVALID
    assert refused.value.failure.params["detail"].startswith("destinations.0")
    assert refused.value.message(Language.NL).startswith(
        f"{settings_path(tmp_path)} is niet geldig: destinations.0"
    )
    assert _files(tmp_path) == before


def test_a_file_from_a_newer_ferry_is_refused_in_words_and_left_untouched(tmp_path: Path) -> None:
    _write(tmp_path, _version_1())
    load_settings(tmp_path, steps=TWO_STEPS)  # now version 3, its copy beside it
    before = _files(tmp_path)
    with pytest.raises(SettingsTooNew) as refused:
        load_settings(tmp_path, steps=TWO_STEPS[:1])
    assert str(refused.value) == (
        f"{settings_path(tmp_path)} was written by a newer version of Ferry (settings version 3, "
        "this one knows up to 2); install that version again, or the newest one. Nothing in "
        "the file was changed."
    )
    assert isinstance(refused.value, SettingsError)  # shown wherever a settings error is
    assert refused.value.failure.code is StartFailureCode.SETTINGS_TOO_NEW
    assert dict(refused.value.failure.params) == {
        "path": str(settings_path(tmp_path)),
        "found": "3",
        "known": "2",
    }
    assert _files(tmp_path) == before
    with pytest.raises(NewerSettings):
        upgrade({"version": SETTINGS_VERSION + 1})


def test_no_writer_overwrites_a_newer_file(tmp_path: Path) -> None:
    """Not even the first-run wizard's, which replaces a file it cannot read."""
    raw = {"version": SETTINGS_VERSION + 1, "destinations": [], "a_future_field": {"x": 1}}
    _write(tmp_path, raw)
    before = _files(tmp_path)
    ours = Settings(destinations=[Destination(name="Books", general_path="/srv/books")])
    with pytest.raises(SettingsTooNew):
        save_settings(tmp_path, ours)
    with pytest.raises(SettingsTooNew):
        change_settings(tmp_path, lambda _current: ours)
    with pytest.raises(SettingsTooNew):
        change_settings(tmp_path, lambda _current: ours, replace_unreadable=True)
    assert {name: data for name, data in _files(tmp_path).items() if name != WRITERS_LOCK} == (
        before
    )


def test_settings_are_written_in_this_ferrys_version(tmp_path: Path) -> None:
    link = ClientLink(
        client_id="c1", destinations=["Books"], since=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    settings = Settings(
        version=SETTINGS_VERSION + 7,  # whatever the object says, the file is this Ferry's
        destinations=[Destination(name="Books", general_path="/srv/books")],
        links=[link],
    )
    save_settings(tmp_path, settings)
    assert json.loads(settings_path(tmp_path).read_bytes())["version"] == SETTINGS_VERSION
    assert Settings().version == SETTINGS_VERSION


def test_an_upgrade_waits_for_the_writer_of_the_moment(tmp_path: Path) -> None:
    """While another writer holds the settings, the upgrade is used but not saved; the next
    reader saves it."""
    assert WRITERS_LOCK == LOCK_FILE  # the lock change_settings holds
    original = _write(tmp_path, _version_1())
    lock = lock_exclusively(tmp_path / WRITERS_LOCK)
    try:
        assert load_settings(tmp_path, steps=TWO_STEPS).version == 3
        assert settings_path(tmp_path).read_bytes() == original
        assert not (tmp_path / "settings.json.v1.bak").exists()
    finally:
        lock.close()  # type: ignore[attr-defined]
    assert load_settings(tmp_path, steps=TWO_STEPS).version == 3
    assert json.loads(settings_path(tmp_path).read_bytes())["version"] == 3
    assert (tmp_path / "settings.json.v1.bak").read_bytes() == original


def test_a_change_saved_meanwhile_is_not_undone_by_the_upgrade(tmp_path: Path) -> None:
    _write(tmp_path, _version_1())
    changed = _version_1()
    changed["quiet"] = False

    def someone_saves_meanwhile(raw: dict[str, Any]) -> dict[str, Any]:
        _write(tmp_path, changed)  # between this reader's read and its save
        return _books_as_destinations(raw)

    load_settings(tmp_path, steps=(someone_saves_meanwhile, _quiet_as_notifications))
    assert json.loads(settings_path(tmp_path).read_bytes()) == changed
    assert not (tmp_path / "settings.json.v1.bak").exists()
