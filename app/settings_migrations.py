"""Numbered upgrades of the settings file, so that a new Ferry reads an older one losing nothing.

The file carries its ``version``. Opening a file of an older version runs the steps of
:data:`STEPS` from that version on, on the raw JSON (before the model reads it, so a step can
move or rename what today's model no longer accepts); once the result is valid, the original
is kept as ``settings.json.v{N}.bak`` and the upgraded file written, each atomically, unless
another writer holds the settings at that moment (:func:`save_upgraded`). A file
of a newer version is never changed: :func:`upgrade` raises :class:`NewerSettings`, which
:func:`app.settings.load_settings` words for a person.

This module knows nothing of the model (``app.settings`` builds on it), so the version is
known wherever the model is defined.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.atomic_files import replace_when_free, write_text_atomic
from app.os_specific import AlreadyLocked, lock_exclusively, naming

log = logging.getLogger(__name__)

RawSettings = dict[str, Any]
#: One upgrade: the raw settings of version ``n`` in, those of version ``n + 1`` out.
SettingsStep = Callable[[RawSettings], RawSettings]

#: The version of the first settings file Ferry wrote; also what a file without one is.
FIRST_VERSION = 1

#: Step ``i`` takes a file of version ``FIRST_VERSION + i`` to the next one. None yet: adding
#: the first is one line here (``_links_as_objects,  # 1 -> 2``), with its function above.
STEPS: tuple[SettingsStep, ...] = ()

#: The version this Ferry writes.
SETTINGS_VERSION = FIRST_VERSION + len(STEPS)

#: The lock every writer of the settings file holds while it writes (the same file as
#: ``app.application.settings_changes.LOCK_FILE``).
WRITERS_LOCK = "settings.lock"


class NewerSettings(Exception):
    """The file was written by a newer Ferry (``found``); this one knows up to ``known``."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"settings version {found}, this Ferry knows up to {known}")
        self.found = found
        self.known = known


class UpgradeFailed(Exception):
    """A step raised on this file (from ``version``); nothing was changed. The message is the
    step's error."""

    def __init__(self, version: int, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.version = version


@dataclass(frozen=True)
class Upgrade:
    """What :func:`upgrade` made of a file: the settings as this Ferry reads them, and the
    version the file was written with (``found < version`` when steps ran)."""

    raw: Any
    found: int
    version: int

    @property
    def upgraded(self) -> bool:
        return self.found < self.version


def version_of(raw: Any) -> int | None:
    """The version a file says it was written with; a missing one is :data:`FIRST_VERSION`
    (files written before the version was checked). None when it is not a whole number, which
    the model then reports as it reports any invalid field."""
    if not isinstance(raw, dict):
        return None
    version = raw.get("version", FIRST_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        return None
    return version


def upgrade(raw: Any, *, steps: tuple[SettingsStep, ...] = STEPS) -> Upgrade:
    """``raw`` (parsed JSON) brought to the version ``steps`` lead to, one step at a time.

    ``raw`` itself is never changed, so a step that raises leaves nothing half done. Raises
    :class:`NewerSettings` for a file of a later version than the steps know, and
    :class:`UpgradeFailed` when a step fails on this file.
    """
    known = FIRST_VERSION + len(steps)
    found = version_of(raw)
    if found is None or found < FIRST_VERSION:  # not ours to repair: the model says why
        return Upgrade(raw, known, known)
    if found > known:
        raise NewerSettings(found, known)
    if found == known:
        return Upgrade(raw, found, known)
    upgraded: RawSettings = copy.deepcopy(raw)
    for index in range(found - FIRST_VERSION, len(steps)):
        try:
            upgraded = steps[index](upgraded)
        except Exception as error:
            raise UpgradeFailed(FIRST_VERSION + index, error) from error
        upgraded["version"] = FIRST_VERSION + index + 1
    return Upgrade(upgraded, found, known)


def copy_path(path: Path, version: int) -> Path:
    """Where the file of ``version`` is kept before its upgrade: ``settings.json.v1.bak``."""
    return path.with_name(f"{path.name}.v{version}.bak")


def keep_copy(path: Path, original: bytes, version: int) -> Path:
    """Keep ``original`` (the file's bytes before any step) beside it, atomically.

    An existing copy of that version is left as it is: it is the older one, made before an
    upgrade that could not be saved, or by a first attempt the same day.
    """
    kept = copy_path(path, version)
    if kept.exists():
        return kept
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{kept.name}.", suffix=".tmp", dir=kept.parent
        )
    except OSError as error:
        raise naming(error, kept) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(original)
            stream.flush()
            os.fsync(stream.fileno())
        replace_when_free(Path(temporary), kept)
    except BaseException as error:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        if isinstance(error, OSError):
            raise naming(error, kept) from error
        raise
    return kept


def save_upgraded(path: Path, original: bytes, found: int, upgraded: str) -> bool:
    """Keep the original as ``settings.json.v{found}.bak``, then write ``upgraded`` in its
    place; False when that was not done now, and the file stays as it was.

    Only while no one else writes the settings (their writers' lock, not waited for), and only
    when the file still holds ``original``: a change saved since it was read is never undone.
    Otherwise, or without the right to write (another account's settings), the settings are
    used as upgraded all the same, and the next reader or writer saves them.
    """
    try:
        lock = lock_exclusively(path.with_name(WRITERS_LOCK))
    except (AlreadyLocked, OSError) as error:
        log.info("settings upgraded in memory only for now (%s)", error)
        return False
    try:
        if path.read_bytes() != original:
            return False
        keep_copy(path, original, found)
        write_text_atomic(path, upgraded)
    except OSError as error:
        log.warning("settings upgraded in memory only, the file stays as it was: %s", error)
        return False
    finally:
        lock.close()  # type: ignore[attr-defined]
    return True
