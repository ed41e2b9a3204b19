"""The tray's update lines and actions, over a real versioned installation in tmp_path and a
real signed repository (scripts/release-update) served on 127.0.0.1: which version runs and
which waits, an update or a rollback told once across restarts, *Check for updates* saying
up to date / downloaded / refused, *Restart to update* handing over to a real helper, and no
disk or network work on the GUI thread."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.gui.tray import TrayController
from app.gui.update_status import TOLD_FILE, UpdateStatus
from app.home import FerryHome
from app.settings import Settings, save_settings
from app.updates.apply import PLAN_FILE, Health, LaunchKind, read_plan
from app.updates.failures import UpdateFailure, UpdateFailureCode, describe
from app.updates.helper import Outcome, Result
from app.updates.layout import InstallLayout
from app.updates.settings import UpdateSettings
from tests.updates import conftest as update_fixtures
from tests.updates.conftest import Released, UpdateServer, stop_pid

# the update tests' fixtures: their release script's repository, its server, an installation
released_template = update_fixtures.released_template
released = update_fixtures.released
server = update_fixtures.server
installed = update_fixtures.installed

WAITS = "Ferry 1.1.0 is ready; it is installed at a quiet moment"


@pytest.fixture
def tray(qtbot: QtBot) -> Iterator[TrayController]:
    controller = TrayController()
    yield controller
    controller.hide()
    controller.deleteLater()


@pytest.fixture
def home(tmp_path: Path) -> FerryHome:
    home = FerryHome.under(tmp_path / "home")
    home.settings_dir.mkdir(parents=True)
    return home


class Told:
    """Every notification the tray made, and the threads the installation was looked at on."""

    def __init__(self, tray: TrayController) -> None:
        self.notes: list[tuple[str, str]] = []
        self.threads: list[str] = []
        tray.notified.connect(lambda title, text: self.notes.append((title, text)))

    def layout_of(self, layout: InstallLayout | None) -> Callable[[], InstallLayout | None]:
        def find() -> InstallLayout | None:
            self.threads.append(threading.current_thread().name)
            return layout

        return find


def watch(
    tray: TrayController,
    home: FerryHome,
    told: Told,
    layout: InstallLayout | None,
    *,
    running: str = "1.0.0",
    trusted_root: Path | None = None,
    own_engine: bool = True,
    quit_app: Callable[[], None] = lambda: None,
    quiet: Callable[[], bool] = lambda: False,
    quiet_ms: int = 60_000,
) -> UpdateStatus:
    extra = {"trusted_root": trusted_root} if trusted_root is not None else {}
    return UpdateStatus(
        tray,
        home,
        runs_own_engine=lambda: own_engine,
        quit_app=quit_app,
        quiet=quiet,
        quiet_ms=quiet_ms,
        layout_of=told.layout_of(layout),
        running=running,
        **extra,  # type: ignore[arg-type]
    )


def started(qtbot: QtBot, updates: UpdateStatus) -> None:
    with qtbot.waitSignal(updates.shown, timeout=10_000):
        updates.start()


def checked(qtbot: QtBot, updates: UpdateStatus, tray: TrayController) -> None:
    with qtbot.waitSignal(updates.checked, timeout=60_000):
        tray.check_updates_action.trigger()


def use_repository(home: FerryHome, url: str | None) -> None:
    save_settings(home.settings_dir, Settings(updates=UpdateSettings(url=url)))


def waiting_1_1(installed: InstallLayout, released: Released) -> None:
    """1.1.0 unpacked beside 1.0.0, as a check leaves it."""
    shutil.copytree(released.builds / "1.1.0", installed.folder("1.1.0"), symlinks=True)


def test_the_menu_says_which_version_runs_and_which_waits_read_off_the_gui_thread(
    qtbot: QtBot,
    tray: TrayController,
    home: FerryHome,
    installed: InstallLayout,
    released: Released,
) -> None:
    told = Told(tray)
    waiting_1_1(installed, released)
    updates = watch(tray, home, told, installed)
    assert tray.version_action.text() == "Ferry 1.0.0"  # at once, before anything is read
    assert not tray.update_waiting_action.isVisible()
    started(qtbot, updates)
    assert tray.version_action.text() == "Ferry 1.0.0"
    assert tray.update_waiting_action.isVisible()
    assert tray.update_waiting_action.text() == WAITS
    assert not tray.update_waiting_action.isEnabled()  # a line to read, not an action
    assert tray.restart_to_update_action.isVisible()
    assert tray.restart_to_update_action.text() == "Restart to update"
    assert tray.check_updates_action.text() == "Check for updates"
    assert told.notes == []  # nothing happened yet that needs telling
    assert told.threads and "MainThread" not in told.threads
    if tray.menu is not None:  # a tray host (Xvfb + trayer, see tests/conftest.py)
        texts = [action.text() for action in tray.menu.actions() if action.isVisible()]
        assert [text for text in texts if text] == [
            "Starting…",
            "Ferry 1.0.0",
            WAITS,
            "Open Ferry",
            "Sync now",
            "Full sync…",
            "Pause",
            "Settings…",
            "Open logs folder",
            "Export diagnostics…",
            "Check for updates",
            "Restart to update",
            "Quit Ferry",
        ]


def test_with_a_service_hosting_the_engine_no_restart_is_offered(
    qtbot: QtBot,
    tray: TrayController,
    home: FerryHome,
    installed: InstallLayout,
    released: Released,
) -> None:
    told = Told(tray)
    waiting_1_1(installed, released)
    started(qtbot, watch(tray, home, told, installed, own_engine=False))
    assert tray.update_waiting_action.text() == WAITS
    assert not tray.restart_to_update_action.isVisible()


def test_an_update_is_told_once_across_restarts_and_then_a_rollback_in_its_words(
    qtbot: QtBot, tray: TrayController, home: FerryHome, installed: InstallLayout
) -> None:
    told = Told(tray)
    applied = Result("1.1.0", "1.0.0", Outcome.APPLIED, at="2026-12-04T01:00:00+00:00")
    installed.result_file.write_text(applied.to_json(), encoding="utf-8")
    first = watch(tray, home, told, installed, running="1.1.0")
    started(qtbot, first)
    assert told.notes == [("Ferry was updated", "Updated to Ferry 1.1.0")]
    with qtbot.waitSignal(first.shown, timeout=10_000):
        first.refresh()  # the half-hourly read: not told again
    first.close()
    second = watch(tray, home, told, installed, running="1.1.0")  # the next start
    started(qtbot, second)
    assert told.notes == [("Ferry was updated", "Updated to Ferry 1.1.0")]
    assert (home.state_dir / TOLD_FILE).exists()

    failure = UpdateFailure(UpdateFailureCode.UNHEALTHY, {"version": "1.2.0", "running": "1.1.0"})
    rolled_back = Result(
        "1.2.0", "1.1.0", Outcome.ROLLED_BACK, failure, at="2026-12-04T02:00:00+00:00"
    )
    installed.result_file.write_text(rolled_back.to_json(), encoding="utf-8")
    with qtbot.waitSignal(second.shown, timeout=10_000):
        second.refresh()
    assert told.notes[1:] == [
        ("Ferry update", "Ferry 1.2.0 did not start correctly; version 1.1.0 runs again.")
    ]
    assert told.notes[1][1] == describe(failure)
    assert "MainThread" not in told.threads


def test_a_check_with_nothing_newer_says_up_to_date(
    qtbot: QtBot,
    tray: TrayController,
    home: FerryHome,
    installed: InstallLayout,
    released: Released,
) -> None:
    old_server = UpdateServer(released.repo_at_1_0)  # a repository that only has 1.0.0
    try:
        use_repository(home, old_server.url)
        told = Told(tray)
        updates = watch(tray, home, told, installed, trusted_root=released.trusted_root)
        checked(qtbot, updates, tray)
    finally:
        old_server.close()
    assert told.notes == [("Ferry update", "Ferry 1.0.0 is up to date")]
    assert any(path.startswith("/metadata/") for path in old_server.requests)
    assert tray.check_updates_action.isEnabled()
    assert told.threads and "MainThread" not in told.threads


def test_a_check_downloads_a_newer_version_and_the_menu_then_offers_it(
    qtbot: QtBot,
    tray: TrayController,
    home: FerryHome,
    installed: InstallLayout,
    released: Released,
    server: UpdateServer,
) -> None:
    use_repository(home, server.url)
    told = Told(tray)
    updates = watch(tray, home, told, installed, trusted_root=released.trusted_root)
    with qtbot.waitSignal(updates.shown, timeout=60_000):  # the read after the download
        checked(qtbot, updates, tray)
    assert told.notes == [
        (
            "Ferry update",
            "Ferry 1.1.0 was downloaded and verified; it is installed at a quiet moment",
        )
    ]
    assert installed.installed() == ["1.0.0", "1.1.0"]
    assert installed.current() == "1.0.0"  # not switched: that is the helper's
    assert tray.update_waiting_action.text() == WAITS
    assert tray.restart_to_update_action.isVisible()
    assert told.threads and "MainThread" not in told.threads


def test_a_tampered_archive_is_refused_in_words_and_nothing_waits(
    qtbot: QtBot,
    tray: TrayController,
    home: FerryHome,
    installed: InstallLayout,
    released: Released,
    server: UpdateServer,
) -> None:
    archive = released.repo / "targets" / "Ferry-linux-1.1.0.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    use_repository(home, server.url)
    told = Told(tray)
    updates = watch(tray, home, told, installed, trusted_root=released.trusted_root)
    checked(qtbot, updates, tray)
    assert told.notes == [
        ("Ferry update", "An update file does not match its signature and was refused.")
    ]
    assert installed.installed() == ["1.0.0"]
    assert not tray.update_waiting_action.isVisible()


def test_with_no_update_address_the_check_says_updates_are_not_configured(
    qtbot: QtBot, tray: TrayController, home: FerryHome, installed: InstallLayout
) -> None:
    told = Told(tray)
    checked(qtbot, watch(tray, home, told, installed), tray)
    assert told.notes == [("Ferry update", "Updates are not configured: no update address.")]


def test_from_source_the_version_shows_and_the_check_says_it_cannot_update_itself(
    qtbot: QtBot, tray: TrayController, home: FerryHome
) -> None:
    told = Told(tray)
    updates = watch(tray, home, told, None)
    started(qtbot, updates)
    assert tray.version_action.text() == "Ferry 1.0.0"
    assert not tray.update_waiting_action.isVisible()
    assert not tray.restart_to_update_action.isVisible()
    checked(qtbot, updates, tray)
    assert told.notes == [
        (
            "Ferry update",
            "This installation of Ferry cannot update itself; install a newer version with "
            "the installer",
        )
    ]
    assert "MainThread" not in told.threads


def test_restart_to_update_starts_the_helper_for_this_program_and_quits(
    qtbot: QtBot,
    tray: TrayController,
    home: FerryHome,
    installed: InstallLayout,
    released: Released,
) -> None:
    waiting_1_1(installed, released)
    quits: list[str] = []
    told = Told(tray)
    updates = watch(
        tray,
        home,
        told,
        installed,
        quit_app=lambda: quits.append(threading.current_thread().name),
    )
    started(qtbot, updates)
    tray.restart_to_update_action.trigger()
    qtbot.waitUntil(lambda: quits != [], timeout=10_000)
    helper = updates.helper
    assert helper is not None
    try:
        assert quits == ["MainThread"]
        plan = read_plan(installed.root / PLAN_FILE)
        assert (plan.version, plan.previous) == ("1.1.0", "1.0.0")
        assert plan.launch is LaunchKind.PROGRAM and plan.argv == ("Ferry",)
        assert plan.wait_pid == os.getpid()  # the helper waits for this Ferry to quit
        assert plan.health is Health.RUNS and plan.self_check == ("ferry-cli", "self-check")
        assert helper.poll() is None  # waiting for us, not switched
        assert installed.current() == "1.0.0"
    finally:
        stop_pid(helper.pid)
        helper.wait(timeout=30)


def test_a_waiting_version_is_installed_at_the_first_quiet_moment_by_itself(
    qtbot: QtBot,
    tray: TrayController,
    home: FerryHome,
    installed: InstallLayout,
    released: Released,
) -> None:
    """What the menu promises where no service applies updates: the app that runs its own
    engine restarts into the waiting version once nothing is going on, and not before."""
    waiting_1_1(installed, released)
    quits: list[str] = []
    busy = [True]  # the window is open, or a delivery is under way
    updates = watch(
        tray,
        home,
        Told(tray),
        installed,
        quit_app=lambda: quits.append("quit"),
        quiet=lambda: not busy[0],
        quiet_ms=50,
    )
    started(qtbot, updates)
    qtbot.wait(300)  # several looks while busy: nothing happens
    assert quits == [] and updates.helper is None
    busy[0] = False
    qtbot.waitUntil(lambda: quits == ["quit"], timeout=10_000)
    helper = updates.helper
    assert helper is not None
    try:
        plan = read_plan(installed.root / PLAN_FILE)
        assert (plan.version, plan.previous) == ("1.1.0", "1.0.0")
        assert plan.wait_pid == os.getpid()
    finally:
        stop_pid(helper.pid)
        helper.wait(timeout=30)


def test_a_quiet_moment_does_not_restart_an_app_whose_engine_a_service_hosts(
    qtbot: QtBot,
    tray: TrayController,
    home: FerryHome,
    installed: InstallLayout,
    released: Released,
) -> None:
    waiting_1_1(installed, released)
    quits: list[str] = []
    updates = watch(
        tray,
        home,
        Told(tray),
        installed,
        own_engine=False,  # the service applies it
        quit_app=lambda: quits.append("quit"),
        quiet=lambda: True,
        quiet_ms=50,
    )
    started(qtbot, updates)
    qtbot.wait(300)
    assert quits == [] and updates.helper is None
    assert not (installed.root / PLAN_FILE).exists()
