"""Real peers for the login tests: a Secret Service, two OpenID providers (the certified
oidc-provider from npm, django-oauth-toolkit from PyPI), a browser."""

from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class DotProvider:
    """A running django-oauth-toolkit: its issuer, and the one loopback port its strict client
    ``ferry-fixed-port`` accepts (registered as ``http://127.0.0.1:PORT/callback``)."""

    issuer: str
    fixed_port: int


def free_fixed_port() -> int:
    """A free port below Linux's ephemeral range, so the OS does not hand it out meanwhile."""
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


@pytest.fixture(scope="module")
def dot_provider() -> Iterator[DotProvider]:
    """django-oauth-toolkit on 127.0.0.1 (tests/auth/dot_provider), in its own process."""
    fixed_port = free_fixed_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.auth.dot_provider",
            "--fixed-redirect",
            f"http://127.0.0.1:{fixed_port}/callback",
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, "django-oauth-toolkit did not start"
    try:
        yield DotProvider(json.loads(line)["issuer"], fixed_port)
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
