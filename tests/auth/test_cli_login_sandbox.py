"""``ferry login --no-browser`` against the sandbox realms, the printed address opened in a
real headless Chromium, the refresh token in a real Secret Service; then whoami, logout, and
a search of every file under the Ferry home for any token."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.sandbox.server import SandboxServer
from tests.auth.conftest import browse_login, free_fixed_port
from tests.conftest import REPO


def _ferry(home: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "--home", str(home), *args],
        env={**os.environ, **env, "LANG": "C.UTF-8"},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _login(
    home: Path, env: dict[str, str], sandbox: SandboxServer, realm: str, *extra: str
) -> tuple[str, dict[str, object]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "--home",
            str(home),
            "login",
            "--no-browser",
            "--issuer",
            sandbox.issuer(realm),
            "--api",
            sandbox.api_url,
            *extra,
        ],
        env={**os.environ, **env, "LANG": "C.UTF-8"},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith("Open this address in a browser")
    url = process.stdout.readline().strip()
    assert url.startswith(sandbox.issuer(realm) + "/")
    page: dict[str, object] = {}
    browser = threading.Thread(target=lambda: page.update(browse_login(url, "demo", "demo")))
    browser.start()
    out, err = process.communicate(timeout=120)
    browser.join(120)
    assert process.returncode == 0, err
    return out, page


@pytest.mark.parametrize("realm", ["be", "nl"])
def test_login_whoami_logout_and_no_token_on_disk(
    sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path, realm: str
) -> None:
    home = tmp_path / "home"
    out, page = _login(home, secret_service, sandbox, realm)
    office = {"be": "Fiduciaire Dupont & Fils", "nl": "Administratiekantoor"}[realm]
    assert "Logged in as" in out and office in out
    assert page["status"] == 200 and "You are logged in to Ferry as" in str(page["text"])

    whoami = _ferry(home, secret_service, "-v", "whoami")
    assert whoami.returncode == 0, whoami.stderr
    assert office in whoami.stdout

    # a sync, so the state store and the delivered files are part of the search
    out_dir = tmp_path / "out"
    added = _ferry(
        home, secret_service, "destination", "add", "D", "--path", f"{out_dir}/[enterprise_name]"
    )
    assert added.returncode == 0, added.stderr
    linked = _ferry(home, secret_service, "link", "--all", "--to", "D", "--since", "2000-01-01")
    assert linked.returncode == 0, linked.stderr
    synced = _ferry(home, secret_service, "-v", "sync", "--once")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert any(out_dir.rglob("*.*"))

    # no token in any file under the home: settings, state, logs
    for path in home.rglob("*"):
        if path.is_file():
            text = path.read_bytes()
            assert b"eyJ" not in text, path  # no JWT (access or ID token)
            assert b"refresh_token" not in text, path
    assert "Bearer" not in (home / "logs" / "ferry.log").read_text()

    logout = _ferry(home, secret_service, "logout")
    assert logout.returncode == 0 and "Logged out" in logout.stdout
    after = _ferry(home, secret_service, "whoami")
    assert after.returncode == 3 and "login needed" in after.stderr


def test_revoked_login_means_login_needed(
    sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path
) -> None:
    import httpx

    home = tmp_path / "home"
    _login(home, secret_service, sandbox, "fr")
    revoked = httpx.post(f"{sandbox.url}/sandbox/realms/fr/users/demo/revoke")
    assert revoked.status_code in (200, 204)
    after = _ferry(home, secret_service, "whoami")
    assert after.returncode == 3
    assert "login needed" in after.stderr and "Traceback" not in after.stderr


def test_login_on_fixed_redirect_ports_kept_for_a_later_login(
    sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path
) -> None:
    """``--redirect-port`` twice: the first is taken by another program, so the browser comes
    back to the second; both are kept in login.json for a later login again."""
    home = tmp_path / "home"
    free = free_fixed_port()
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        busy = other.getsockname()[1]
        ports = ("--redirect-port", str(busy), "--redirect-port", str(free))
        out, page = _login(home, secret_service, sandbox, "be", *ports)
    assert "Logged in as" in out
    assert str(page["url"]).startswith(f"http://127.0.0.1:{free}/callback?")
    stored = json.loads((home / "settings" / "login.json").read_text())
    assert stored["redirect_ports"] == [busy, free]


def test_all_redirect_ports_taken_is_a_plain_error(
    sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path
) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        busy = other.getsockname()[1]
        done = _ferry(
            tmp_path / "home",
            secret_service,
            "login",
            "--no-browser",
            "--issuer",
            sandbox.issuer("be"),
            "--api",
            sandbox.api_url,
            "--redirect-port",
            str(busy),
        )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"login failed: the login server only sends the browser back to port {busy}" in (
        done.stderr
    )
