"""Real peers for the login tests: a Secret Service, a certified OpenID provider, a browser."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

NPM_DIR = REPO / "tests" / "npm"


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
