"""``ferry update check|status|apply`` as a person or a script runs them: a real Ferry process
against the release script's repository on 127.0.0.1, the setting in the Ferry home."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from app.settings import Settings, save_settings
from app.updates.helper import Outcome, read_result
from app.updates.layout import InstallLayout
from app.updates.settings import UpdateSettings
from tests.updates.conftest import Released, UpdateServer, stop_pid


def ferry(home: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--home", str(home), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(home: Path, **values: object) -> None:
    """The person's update setting (``updates`` in ``settings.json``), as Settings saves it."""
    save_settings(home / "settings", Settings(updates=UpdateSettings.model_validate(values)))


def as_json(done: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(done.stdout)


def test_check_downloads_status_shows_it_waiting_and_apply_switches(
    server: UpdateServer, released: Released, installed: InstallLayout, ferry_home: Path
) -> None:
    setting(ferry_home, url=server.url)
    where = ("--install-root", installed.root, "--trusted-root", released.trusted_root)
    checked = ferry(ferry_home, "update", "check", "--json", *where)
    assert checked.returncode == 0, checked.stderr
    assert as_json(checked)["outcome"] == "downloaded"
    assert as_json(checked)["version"] == "1.1.0"
    shown = as_json(ferry(ferry_home, "update", "status", "--json", *where))
    assert (shown["current"], shown["waiting"]) == ("1.0.0", "1.1.0")
    assert shown["policy"]["url"] == server.url
    words = ferry(ferry_home, "update", "status", *where).stdout
    assert "Ferry 1.1.0 is downloaded and waits to be applied." in words

    # the default proof of health: the new version's self-check, then a steady run
    applied = ferry(ferry_home, "update", "apply", "--json", "--settle-seconds", "1", *where)
    assert applied.returncode == 0, applied.stderr
    deadline = time.monotonic() + 30
    while read_result(installed) is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    result = read_result(installed)
    assert result is not None and result.outcome is Outcome.APPLIED
    assert installed.current() == "1.1.0"
    stop_pid(json.loads(installed.health_mark("1.1.0").read_text())["pid"])
    words = ferry(ferry_home, "update", "status", *where).stdout
    assert "Last update: 1.0.0 to 1.1.0, applied" in words


def test_check_turned_off_by_the_setting_is_refused_with_its_code(
    server: UpdateServer, released: Released, installed: InstallLayout, ferry_home: Path
) -> None:
    setting(ferry_home, url=server.url, enabled=False)
    where = ("--install-root", installed.root, "--trusted-root", released.trusted_root)
    done = ferry(ferry_home, "update", "check", "--json", *where)
    assert done.returncode == 1
    assert as_json(done)["code"] == "disabled"
    assert server.requests == []
    words = ferry(ferry_home, "update", "check", *where)
    assert "turned off by the administrator's policy" in words.stderr


def test_a_tampered_archive_is_said_in_words_and_the_installation_stays(
    server: UpdateServer, released: Released, installed: InstallLayout, ferry_home: Path
) -> None:
    archive = released.repo / "targets" / "Ferry-linux-1.1.0.tar.gz"
    data = bytearray(archive.read_bytes())
    data[100] ^= 1
    archive.write_bytes(bytes(data))
    setting(ferry_home, url=server.url)
    where = ("--install-root", installed.root, "--trusted-root", released.trusted_root)
    done = ferry(ferry_home, "update", "check", *where)
    assert done.returncode == 1
    assert "does not match its signature" in done.stderr
    assert installed.installed() == ["1.0.0"] and installed.current() == "1.0.0"


def test_a_program_not_installed_as_versioned_folders_says_it_cannot_update_itself(
    ferry_home: Path,
) -> None:
    done = ferry(ferry_home, "update", "check")
    assert done.returncode == 2
    assert "cannot update itself" in done.stdout
