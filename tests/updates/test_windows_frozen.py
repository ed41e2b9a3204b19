"""Under Wine, the frozen Windows program installed by its installer, and its service: an
update applied end to end, and a broken version rolled back by itself.

Ferry's one-folder build (PyInstaller under Wine, made once per change of the sources into
``build/updates-e2e/``) becomes a release as ``scripts/build`` makes one: the update
repository's root metadata and address inside it (FERRY_UPDATE_ROOT, FERRY_UPDATE_URL; put
where ferry.spec puts them, which saves a second PyInstaller build), wrapped by the real
installer as 1.0.0. Setup installs it silently into ``C:\\Ferry`` with its service
(``versions\\1.0.0\\``, ``current``, the launchers). The release script publishes the same
release as 1.1.0, and a copy missing its Python runtime as 1.2.0; a real HTTP server on
127.0.0.1 serves them. Then, as an administrator types them through the launcher
``C:\\Ferry\\ferry-cli.exe``: ``update check`` (from the build's own address, trusting the
build's own root: no setting, no option) and ``update apply --service``, whose helper stops
the service, points it at the new folder, starts it, runs the new version's self-check and
watches it run; 1.2.0 does not start and the service goes back by itself, 1.1.0 stays, the
launcher then starts 1.1.0. The uninstaller takes every version away.

Both versions are the same program (built once, as app/__init__.py's version): what is
tested is the mechanism, not a difference between them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from app.sandbox.server import SandboxServer
from app.sandbox.testkit import read_login_form
from app.updates.helper import Outcome, Result, read_result
from app.updates.layout import InstallLayout
from tests.build.ferry_build import sources_digest
from tests.build.ferry_setup import build_installer, install, uninstall
from tests.build.wine import (
    REPO,
    WinePrefix,
    add_standins,
    make_prefix,
    missing_tools,
    reg_value,
    run_windows,
    stop_prefix,
    wait_for_prefix,
    windows_path,
)
from tests.updates.conftest import UpdateServer, release

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # the build may come first

BUILD = REPO / "build" / "updates-e2e"
HOME = r"C:\ProgramData\Ferry"  # the computer's own home, the service's
ROOT = r"C:\Ferry"


CLI = rf"{ROOT}\ferry-cli.exe"  # the launcher: whichever version is current


@pytest.fixture(scope="module")
def frozen_build() -> Path:
    """The Windows one-folder build of these sources (PyInstaller under Wine, ~2 minutes),
    reused while the sources are the same."""
    missing = missing_tools()
    assert not missing, f"missing {', '.join(missing)}: run `python3 scripts/windows.py setup`"
    program = BUILD / "dist" / "Ferry"
    stamp = BUILD / ".sources"
    wanted = sources_digest()
    if stamp.is_file() and stamp.read_text() == wanted and (program / "Ferry.exe").exists():
        return program
    shutil.rmtree(BUILD, ignore_errors=True)
    built = subprocess.run(
        [
            "python3",
            str(REPO / "scripts" / "windows.py"),
            "python",
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            windows_path(BUILD / "dist"),
            "--workpath",
            windows_path(BUILD / "work"),
            windows_path(REPO / "build_spec" / "ferry.spec"),
        ],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert built.returncode == 0 and (program / "Ferry.exe").exists(), built.stderr[-4000:]
    stamp.write_text(wanted)
    return program


class Session:
    """The computer up: a ``cmd`` waiting on its input keeps the prefix's session (and its
    service manager) alive between the commands."""

    def __init__(self, prefix: WinePrefix) -> None:
        self.process = subprocess.Popen(
            ["wine", "cmd"],
            env=prefix.environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(30)


@pytest.fixture(scope="module")
def computer(
    frozen_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[WinePrefix, str]]:
    """A Windows where Setup installed Ferry 1.0.0 with its service into ``C:\\Ferry``; and the
    update repository (1.1.0, and a broken 1.2.0) made by the release script, served on
    127.0.0.1 at the address the release carries."""
    base = tmp_path_factory.mktemp("frozen-update")
    prefix = make_prefix(base / "prefix")
    add_standins(prefix)
    repo, keys = base / "repo", base / "keys"
    release("init", "--repo", repo, "--keys", keys)
    server = UpdateServer(repo)
    build = base / "release"
    shutil.copytree(frozen_build, build)
    carried = build / "_internal" / "app" / "resources" / "updates"
    carried.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(repo / "metadata" / "1.root.json", carried / "root.json")
    (carried / "source.json").write_text(json.dumps({"url": server.url}), encoding="utf-8")
    setup_exe = base / "Ferry-Setup-1.0.0.exe"
    made = build_installer(
        build, "1.0.0", setup_exe, defines=["COMPRESSOR=zlib", "NO_SIGN"], timeout=600
    )
    assert made.returncode == 0, made.stdout + made.stderr
    release(
        "add",
        "--repo",
        repo,
        "--keys",
        keys,
        "--build",
        build,
        "--version",
        "1.1.0",
        "--platform",
        "windows",
        "--no-patch",
    )
    broken = base / "broken"
    shutil.copytree(build, broken)
    for dll in (broken / "_internal").glob("python3*.dll"):
        dll.unlink()  # the program cannot start at all
    release(
        "add",
        "--repo",
        repo,
        "--keys",
        keys,
        "--build",
        broken,
        "--version",
        "1.2.0",
        "--platform",
        "windows",
        "--no-patch",
    )
    session = None
    try:
        # as the service's own tests do: Setup on a Windows just made, then the computer "up"
        done = install(prefix, setup_exe, "/SERVICE=1", f"/D={ROOT}", timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        wait_for_prefix(prefix)
        session = Session(prefix)
        yield prefix, server.url
    finally:
        server.close()
        run_windows(prefix, [CLI, "--home", HOME, "service", "uninstall"], 120)
        if session is not None:
            session.close()
        stop_prefix(prefix)


def log_in_the_computer(prefix: WinePrefix, sandbox: SandboxServer) -> None:
    """``ferry-cli service login`` as an administrator does it, the browser's part done here
    (the service syncs only once the computer is logged in: without, it stops)."""
    process = subprocess.Popen(
        [
            "wine",
            CLI,
            "service",
            "login",
            "--no-browser",
            "--issuer",
            sandbox.issuer("be"),
            "--api",
            sandbox.api_url,
        ],
        env=prefix.environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    assert process.stderr is not None
    stderr = process.stderr
    errors: list[str] = []
    drain = threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True)
    drain.start()
    process.stdin.close()
    assert process.stdout.readline().startswith("Open this address in a browser")
    url = process.stdout.readline().strip()
    with httpx.Client(timeout=30) as http:
        page = http.get(url, follow_redirects=True)
        action, inputs = read_login_form(page.text)
        inputs.update(username="demo", password="demo", action="login")
        answer = http.post(urljoin(str(page.url), action), data=inputs)
        assert answer.status_code in (302, 303), answer.text[:500]
        assert http.get(answer.headers["location"]).status_code == 200
    out = process.stdout.read()
    assert process.wait(120) == 0, out + "".join(errors)
    drain.join(5)


def ferry(prefix: WinePrefix, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The installed console launcher with the computer's home, as an administrator types it."""
    return run_windows(prefix, [CLI, "--home", HOME, *args], timeout)


def service_command_line(prefix: WinePrefix) -> str:
    """The service's command line as the service manager keeps it (Wine's sc has no qc)."""
    return str(reg_value(prefix, r"HKLM\SYSTEM\CurrentControlSet\Services\Ferry", "ImagePath"))


def wait_for_result(layout: InstallLayout, version: str, seconds: float = 300) -> Result:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = read_result(layout)
        if result is not None and result.version == version:
            return result
        time.sleep(1)
    raise AssertionError(f"no update result for {version} within {seconds} s")


def test_an_update_is_applied_to_the_service_end_to_end_and_a_broken_one_rolled_back(
    computer: tuple[WinePrefix, str], sandbox: SandboxServer
) -> None:
    prefix, url = computer
    layout = InstallLayout(prefix.host_path(ROOT))
    assert (layout.current(), layout.installed()) == ("1.0.0", ["1.0.0"])
    assert r"versions\1.0.0\Ferry.exe" in service_command_line(prefix)  # Setup registered it
    log_in_the_computer(prefix, sandbox)
    started = ferry(prefix, "service", "start")
    assert started.returncode == 0, started.stdout + started.stderr

    # the stable channel takes the newest final version: 1.2.0
    checked = ferry(prefix, "update", "check", "--json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout)["version"] == "1.2.0"
    # ... 1.2.0 first: broken, so the service goes back to 1.0.0 by itself
    applied = ferry(prefix, "update", "apply", "--service", "--settle-seconds", "10")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    result = wait_for_result(layout, "1.2.0")
    assert result.outcome is Outcome.ROLLED_BACK, result
    assert layout.current() == "1.0.0"
    assert r"versions\1.0.0\Ferry.exe" in service_command_line(prefix)
    assert "RUNNING" in run_windows(prefix, ["sc", "query", "Ferry"]).stdout
    assert layout.failed_versions() == {"1.2.0"}

    # then 1.1.0, the newest that did not fail here: applied and running
    checked = ferry(prefix, "update", "check", "--json")
    assert json.loads(checked.stdout)["version"] == "1.1.0", checked.stdout
    applied = ferry(prefix, "update", "apply", "--service", "--settle-seconds", "10")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    result = wait_for_result(layout, "1.1.0")
    assert result.outcome is Outcome.APPLIED, result
    assert (layout.current(), layout.previous()) == ("1.1.0", "1.0.0")
    assert r"versions\1.1.0\Ferry.exe" in service_command_line(prefix)
    assert "RUNNING" in run_windows(prefix, ["sc", "query", "Ferry"]).stdout
    # the launcher now starts 1.1.0's program, which updates from the build's own address
    status = ferry(prefix, "update", "status", "--json")
    shown = json.loads(status.stdout)
    assert shown["program"] == rf"{ROOT}\versions\1.1.0\ferry-cli.exe", shown
    assert shown["policy"]["url"] == url, shown
    status = ferry(prefix, "update", "status")
    assert "Last update: 1.0.0 to 1.1.0, applied" in status.stdout, status.stdout

    # the uninstaller stops and removes the service and takes every version away
    removed = uninstall(prefix, ROOT, timeout=300)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert reg_value(prefix, r"HKLM\SYSTEM\CurrentControlSet\Services\Ferry", "ImagePath") is None
    assert not prefix.host_path(ROOT).exists()
