"""Settings another account owns (the Windows service's, under ``%ProgramData%``, which only
administrators may change) are refused in plain words, in the reader's language, and left as
they were. Real permissions: a child process drops to a second Unix account and tries."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.application.settings_changes import (
    SettingsProblemCode,
    SettingsRefused,
    add_destination,
    change_settings,
)
from app.core.language import Language
from app.settings import Destination, Settings, load_settings, save_settings
from tests.engine.test_channel import _other_user


def _as_other_user(settings_dir: Path, uid: int, gid: int) -> dict[str, str]:
    """Try the change as ``uid`` in a forked child; what it was told, as JSON through a pipe."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(read_end)
        outcome: dict[str, str] = {}
        try:
            os.setgid(gid)
            os.setuid(uid)
            change_settings(
                settings_dir,
                lambda s: add_destination(s, Destination(name="Mine", general_path="/tmp/x")),
            )
            outcome["result"] = "changed"
        except SettingsRefused as refused:
            outcome["code"] = refused.problems[0].code.value
            outcome.update({lang.value: refused.message(lang) for lang in Language})
        except BaseException as error:
            outcome["result"] = f"{type(error).__name__}: {error}"
        os.write(write_end, json.dumps(outcome).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        said = pipe.read()
    os.waitpid(child, 0)
    return dict(json.loads(said))


def test_another_account_s_settings_are_refused_in_plain_words(tmp_path: Path) -> None:
    user = _other_user()
    if user is None:
        pytest.skip("needs root to create a second Unix account (CI runs as root)")
    import pwd

    entry = pwd.getpwnam(user)
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    save_settings(settings_dir, Settings())
    tmp_path.chmod(0o755)
    before = load_settings(settings_dir)
    said = _as_other_user(settings_dir, entry.pw_uid, entry.pw_gid)
    assert said.get("code") == SettingsProblemCode.NOT_PERMITTED.value, said
    assert "Only an administrator" in said["en"] and str(settings_dir) in said["en"]
    assert "administrateur" in said["fr"] and "beheerder" in said["nl"]
    assert load_settings(settings_dir) == before
