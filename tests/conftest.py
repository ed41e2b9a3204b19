"""Fixtures shared by every test suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from app.sandbox.server import SandboxServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def ferry_home(tmp_path: Path) -> Path:
    """A Ferry home of the test's own, so no test touches a user's real folders."""
    home = tmp_path / "ferry-home"
    home.mkdir()
    return home


RunFerry = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_ferry(ferry_home: Path) -> RunFerry:
    """Run ``python -m app`` as a person would, in its own process, with the test's home."""

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "FERRY_HOME": str(ferry_home), "LANG": "C.UTF-8"}
        environment.pop("LC_ALL", None)
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            cwd=REPO,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


#: The environment variables that choose a proxy (and their lower-case spellings).
PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy from the test machine's environment: each test sets what it means."""
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("REQUEST_METHOD", raising=False)  # urllib ignores HTTP_PROXY in CGI
    return monkeypatch


def _mount_tmpfs(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write in: a read-only mount as root (root ignores modes), else 0o500."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() == 0:
        _mount_tmpfs(folder, "size=1m,ro")
        try:
            yield folder
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
    else:
        folder.chmod(0o500)
        try:
            yield folder
        finally:
            folder.chmod(0o700)


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB file system, to fill up for real."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    folder = tmp_path / "small"
    folder.mkdir()
    _mount_tmpfs(folder, "size=256k")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """gnome-keyring's Secret Service in a private D-Bus session, unlocked.

    Yields the environment variables that point a process at it; this test process uses it
    too, for the duration of the session.
    """
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        assert shutil.which(tool), f"{tool} is missing: run scripts/setup"
    root = tmp_path_factory.mktemp("secret-service")
    (root / "home").mkdir()
    runtime = root / "run"
    runtime.mkdir(mode=0o700)
    env = {
        "HOME": str(root / "home"),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_DATA_HOME": str(root / "home" / ".local" / "share"),
    }
    base_env = {**os.environ, **env}
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1", "--nopidfile"],
        stdout=subprocess.PIPE,
        text=True,
        env=base_env,
    )
    assert bus.stdout is not None
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**base_env, **env},
    )
    assert daemon.stdin is not None
    daemon.stdin.write("test-keyring-password")
    daemon.stdin.close()
    saved = {key: os.environ.get(key) for key in (*env, "PYTHON_KEYRING_BACKEND")}
    os.environ.update(env)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    env["PYTHON_KEYRING_BACKEND"] = os.environ["PYTHON_KEYRING_BACKEND"]
    _wait_for_secret_service(Path(env["XDG_DATA_HOME"]) / "keyrings" / "login.keyring")
    try:
        yield env
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for process in (daemon, bus):
            process.terminate()
            process.wait(10)


def _wait_for_secret_service(login_keyring: Path, timeout: float = 20) -> None:
    """Wait until the daemon has made and unlocked its login keyring, then until it serves.

    Asking before the login keyring exists makes the daemon try to create a default one through
    a prompt nobody can answer, which leaves the session locked.
    """
    import keyring

    deadline = time.monotonic() + timeout
    while not login_keyring.exists():
        assert time.monotonic() < deadline, "gnome-keyring did not create its login keyring"
        time.sleep(0.05)
    while True:
        try:
            keyring.get_keyring().set_password("Ferry", "probe", "ok")
            keyring.get_keyring().delete_password("Ferry", "probe")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# -- a virtual screen with a tray host for the desktop app's tests --------------------------------

_screen: list[subprocess.Popen[bytes]] = []


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the test process dies, however it dies (Linux)."""
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def pytest_configure(config: pytest.Config) -> None:
    """Give the GUI tests a real X screen (Xvfb) with a tray host (trayer), like a desktop.

    Qt picks its platform once per process, when the QApplication is made, so this happens
    before any test runs. Without Xvfb (a developer's desktop) the real display is used.
    """
    if os.environ.get("FERRY_TEST_DISPLAY") == "keep" or not shutil.which("Xvfb"):
        return
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    os.close(write)
    with os.fdopen(read) as stream:
        number = stream.readline().strip()
    assert number, "Xvfb did not start"
    _screen.append(xvfb)
    os.environ["DISPLAY"] = f":{number}"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    if shutil.which("trayer"):
        _screen.append(
            subprocess.Popen(
                ["trayer", "--edge", "top"],
                stderr=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        )
        time.sleep(0.5)


def pytest_unconfigure(config: pytest.Config) -> None:
    for process in reversed(_screen):
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """The sandbox platform on a free port, for one test module."""
    from app.sandbox.server import SandboxServer

    server = SandboxServer(tmp_path_factory.mktemp("sandbox"), port=0, seed_documents=2)
    server.start()
    try:
        yield server
    finally:
        server.stop()
