"""Which home a Ferry started without ``--home`` uses: on a Windows computer whose service is
set up, the service's (one engine per computer: the tray app and ``ferry-cli status`` then
attach to it); otherwise the person's own folders. Checked on the Windows CPython under Wine
with a ProgramData of the test's own."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.auth.account import LOGIN_FILE
from app.home import HOME_ENV, MACHINE_LOGIN_FILE, FerryHome


def test_the_service_s_login_file_is_the_login_file() -> None:
    assert MACHINE_LOGIN_FILE == LOGIN_FILE


@pytest.mark.windows
def test_a_computer_with_the_service_set_up_uses_its_home(tmp_path: Path) -> None:
    if sys.platform != "win32":
        pytest.skip("the service's home is Windows' (scripts/test-windows)")
    environ = {"ProgramData": str(tmp_path)}
    machine = FerryHome.machine(environ)
    assert FerryHome.resolve(None, environ) == FerryHome.standard()  # not set up: the person's
    machine.settings_dir.mkdir(parents=True)
    (machine.settings_dir / LOGIN_FILE).write_text("{}")
    assert FerryHome.resolve(None, environ) == machine
    chosen = tmp_path / "elsewhere"
    assert FerryHome.resolve(str(chosen), environ) == FerryHome.under(chosen)  # --home wins
    assert FerryHome.resolve(None, {**environ, HOME_ENV: str(chosen)}) == FerryHome.under(chosen)


def test_elsewhere_the_person_s_own_folders(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("Windows has the service's home")
    assert FerryHome.resolve(None, {"ProgramData": str(tmp_path)}) == FerryHome.standard()
