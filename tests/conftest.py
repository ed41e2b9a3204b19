"""Fixtures shared by every test suite.

The suite runs on Linux; the tests marked ``windows`` also run on the official Windows
CPython (under Wine here, see scripts/test-windows), so this file imports and works there
too: the Linux-only parts (Xvfb, D-Bus, gnome-keyring, mounts, ``os.geteuid``) have their
Windows counterparts (Qt's offscreen platform, the real Credential Manager, real share
modes) or say why they cannot run.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from app.sandbox.server import SandboxServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
WINDOWS = sys.platform == "win32"
ONLY_ON_WINDOWS = "Windows only (real Windows APIs): scripts/test-windows runs it under Wine"


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


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write in: a read-only mount as root (root ignores modes), else 0o500."""
    if WINDOWS:
        pytest.skip("a folder Ferry may not write in needs an ACL, which Wine does not enforce")
    folder = tmp_path / "read-only"
    folder.mkdir()
    if _is_root():
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
    if not _is_root():
        pytest.skip("mounting a small file system needs Linux and root (CI runs as root)")
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

    On Windows the vault is the account's real Credential Manager (keyring's WinVaultKeyring),
    shared with whatever else the account keeps there: a test names its own keyring service
    (:func:`keyring_service`), never Ferry's.
    """
    if WINDOWS:
        yield from _credential_manager()
        return
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
    # Named outright: keyring picks its backend once per process, and a test that touched the
    # keyring before any session bus existed (a dialog reading whether a password is kept)
    # would have left this process with keyring's "no backend" for good.
    import keyring
    from keyring.backends import SecretService

    saved_backend = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())
    _wait_for_secret_service(Path(env["XDG_DATA_HOME"]) / "keyrings" / "login.keyring")
    try:
        yield env
    finally:
        keyring.set_keyring(saved_backend)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for process in (daemon, bus):
            process.terminate()
            process.wait(10)


def _credential_manager() -> Iterator[dict[str, str]]:
    """Windows: the account's real Credential Manager, nothing to start. Named outright, as
    the Secret Service is on Linux: keyring's own choice would chain in every backend class a
    test module defines."""
    import keyring
    from keyring.backends import Windows

    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.Windows.WinVaultKeyring"}
    saved_env = os.environ.get("PYTHON_KEYRING_BACKEND")
    saved_backend = keyring.get_keyring()
    os.environ.update(env)
    keyring.set_keyring(Windows.WinVaultKeyring())
    try:
        yield env
    finally:
        keyring.set_keyring(saved_backend)
        if saved_env is None:
            os.environ.pop("PYTHON_KEYRING_BACKEND", None)
        else:
            os.environ["PYTHON_KEYRING_BACKEND"] = saved_env


@pytest.fixture
def keyring_service(secret_service: dict[str, str]) -> Iterator[str]:
    """A keyring service name of this test's own in the real vault, emptied afterwards.

    On Windows the vault is the account's own Credential Manager: a test must never touch
    Ferry's real entries, nor leave any of its own behind.
    """
    service = f"Ferry-test-{secrets.token_hex(6)}"
    try:
        yield service
    finally:
        if WINDOWS:
            for target in credential_targets(service):
                _delete_credential(target)


def credential_targets(service: str) -> list[str]:
    """Windows: the Credential Manager entries keyring keeps for ``service`` (``service``
    itself and ``user@service`` for its other users)."""
    from win32ctypes.pywin32 import pywintypes, win32cred

    try:
        credentials = win32cred.CredEnumerate(None, 0)
    except pywintypes.error as error:
        if error.winerror == 1168:  # ERROR_NOT_FOUND: the vault is empty
            return []
        raise
    names = [str(c["TargetName"]) for c in credentials]
    return [n for n in names if n == service or n.endswith(f"@{service}")]


def credential_blob(target: str) -> bytes:
    """Windows: the raw bytes the Credential Manager holds for ``target``."""
    from win32ctypes.pywin32 import win32cred

    credential: dict[str, Any] = win32cred.CredRead(target, win32cred.CRED_TYPE_GENERIC)
    blob = credential["CredentialBlob"]
    return blob if isinstance(blob, bytes) else str(blob).encode("utf-16-le")


def _delete_credential(target: str) -> None:
    from win32ctypes.pywin32 import pywintypes, win32cred

    with contextlib.suppress(pywintypes.error):
        win32cred.CredDelete(target, win32cred.CRED_TYPE_GENERIC)


# -- a file another program holds open (Windows' sharing violations, for real) ---------------------


class HeldFile:
    """A handle on a file opened with share mode 0, as antivirus tools and some importers
    open files: until it closes, Windows refuses to rename, replace, delete or open it."""

    def __init__(self, path: Path) -> None:
        from ctypes import wintypes

        kernel32 = _kernel32()
        handle = kernel32.CreateFileW(str(path), 0x80000000, 0, None, 3, 0x80, None)
        if handle is None or handle == wintypes.HANDLE(-1).value:
            raise OSError(None, "CreateFileW failed", str(path), _last_error())
        self.path = path
        self._handle: int | None = handle
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                _kernel32().CloseHandle(self._handle)
                self._handle = None

    def close_after(self, seconds: float) -> threading.Timer:
        timer = threading.Timer(seconds, self.close)
        timer.daemon = True
        timer.start()
        return timer

    @property
    def open(self) -> bool:
        return self._handle is not None


def _kernel32() -> Any:
    """The app's own kernel32, with the signatures set (CreateFileW, CloseHandle)."""
    from app.os_specific import _kernel32 as app_kernel32

    return app_kernel32()


def _last_error() -> int:
    import ctypes

    return int(ctypes.get_last_error())  # type: ignore[attr-defined]


@pytest.fixture
def hold_open() -> Iterator[Callable[[Path], HeldFile]]:
    """Open files as another program would, with share mode 0; all closed after the test."""
    if not WINDOWS:
        pytest.skip(f"share modes: {ONLY_ON_WINDOWS}")
    held: list[HeldFile] = []

    def hold(path: Path) -> HeldFile:
        handle = HeldFile(path)
        held.append(handle)
        return handle

    try:
        yield hold
    finally:
        for handle in held:
            handle.close()


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
    before any test runs. Without Xvfb (a developer's desktop) the real display is used. On
    Windows (under Wine, which shows no windows), Qt's offscreen platform.
    """
    if WINDOWS:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        return
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


#: What makes a test the desktop app's: it runs a Qt application (pytest-qt's fixtures).
_QT_FIXTURES = frozenset({"qapp", "qtbot"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that runs a Qt application ``desktop`` (those under tests/gui, and
    those elsewhere using pytest-qt's fixtures): ``scripts/test`` runs them in a process of
    their own, so that no QApplication, nor what tests leave in it, lives in the process of
    the engine's and the sandbox's tests (CI ended three times in a segmentation fault inside
    pytest-qt's event processing there, each time in a test that uses no Qt)."""
    gui = Path(__file__).parent / "gui"
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.path.is_relative_to(gui) or fixtures & _QT_FIXTURES:
            item.add_marker(pytest.mark.desktop)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Shut down every FerryApp a desktop test made before pytest-qt closes the test's widgets.

    pytest-qt deletes the widgets given to ``qtbot.addWidget`` before the fixtures' own
    clean-up runs, so an app whose window was given to it went on receiving its engine's
    events into a deleted window (an error at best, a segmentation fault in a later test at
    worst). Shutting down twice is safe: the fixtures that shut their app down still do.
    """
    made = getattr(item, "ferry_apps", ())
    if made:
        import shiboken6

        for app in made:
            if shiboken6.isValid(app):  # a test may have deleted its app itself
                app.shutdown()
    yield


@pytest.fixture(autouse=True)
def ferry_apps(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every FerryApp a desktop test made, for :func:`pytest_runtest_teardown`."""
    made: list[Any] = []
    request.node.ferry_apps = made
    if request.node.get_closest_marker("desktop") is None:
        return made
    from app.gui.app import FerryApp

    original = FerryApp.__init__

    def recorded(self: FerryApp, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(FerryApp, "__init__", recorded)
    return made


@pytest.fixture(autouse=True)
def _no_qt_application_apart_from_the_desktop(request: pytest.FixtureRequest) -> Iterator[None]:
    """In the process without the desktop tests (``-m "not desktop"``), a test that made a Qt
    application fails: it belongs with the desktop tests (see above)."""
    yield
    if request.config.getoption("markexpr") != "not desktop":
        return
    core = sys.modules.get("PySide6.QtCore")
    if core is not None and core.QCoreApplication.instance() is not None:
        pytest.fail(
            "this test made a Qt application: use pytest-qt's qapp or qtbot fixture, which "
            "marks it desktop, so that it runs with the desktop tests"
        )


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
