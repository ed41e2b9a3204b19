"""Real peers for the login tests: a Secret Service, a certified OpenID provider, a browser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

NPM_DIR = REPO / "tests" / "npm"


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


@pytest.fixture(scope="session")
def npm_tools() -> Path:
    assert (NPM_DIR / "node_modules" / "oidc-provider").is_dir(), "run scripts/setup first"
    return NPM_DIR


@pytest.fixture(scope="module")
def oidc_provider(npm_tools: Path) -> Iterator[str]:
    """panva/oidc-provider on 127.0.0.1; yields its issuer."""
    process = subprocess.Popen(
        ["node", str(npm_tools / "oidc-provider-server.mjs")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, "the OpenID provider did not start"
    try:
        yield json.loads(line)["issuer"]
    finally:
        process.terminate()
        process.wait(10)


def browse_login(url: str, username: str = "demo", password: str = "demo") -> dict[str, object]:
    """Drive headless Chromium through the login page at ``url``; the final page as a dict."""
    done = subprocess.run(
        ["node", str(NPM_DIR / "browser-login.mjs"), url, username, password],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
