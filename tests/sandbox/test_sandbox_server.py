"""The server's life cycle: persistence across restarts, clean stops, the trickle, the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin, login_with_password, refresh_tokens

ROOT = Path(__file__).resolve().parents[2]


def test_data_survives_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with SandboxServer(data, port=0, seed_documents=4) as first:
        tokens = login_with_password(first.url, "be")
        api = httpx.Client(base_url=first.api_url, headers=tokens.headers)
        office = api.get("/office").json()
        documents = api.get("/documents", params={"limit": 500}).json()["items"]
        cursor = api.get("/changes", params={"limit": 1000}).json()["cursor"]
        api.close()
    assert len(documents) == 4

    with SandboxServer(data, port=0, seed_documents=50) as second:  # no re-seed
        issuer = second.issuer("be")
        with httpx.Client() as http:
            # Signing keys and refresh tokens are stored: the old login still refreshes.
            refreshed = refresh_tokens(http, issuer, tokens.refresh_token)
            assert refreshed.status_code == 200, refreshed.text
            headers = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
            assert http.get(f"{second.api_url}/office", headers=headers).json() == office
            again = http.get(
                f"{second.api_url}/documents", params={"limit": 500}, headers=headers
            ).json()["items"]
            assert again == documents
            changes = http.get(
                f"{second.api_url}/changes", params={"cursor": cursor}, headers=headers
            ).json()
            assert changes["items"] == [] and changes["cursor"] == cursor


def test_stop_releases_held_long_polls_quickly(fresh_sandbox: SandboxServer) -> None:
    tokens = login_with_password(fresh_sandbox.url, "be")
    api = httpx.Client(base_url=fresh_sandbox.api_url, headers=tokens.headers, timeout=70)
    cursor = api.get("/changes", params={"limit": 1000}).json()["cursor"]
    outcome: list[object] = []

    def poll() -> None:
        try:
            outcome.append(api.get("/changes", params={"cursor": cursor, "wait": 60}).status_code)
        except httpx.HTTPError as exc:
            outcome.append(exc)

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.3)
    started = time.monotonic()
    fresh_sandbox.stop()
    assert time.monotonic() - started < 3
    poller.join(5)
    assert outcome == [200]  # answered (empty), not cut off
    api.close()
    assert not fresh_sandbox.running


def test_trickle_adds_documents_over_time(tmp_path: Path) -> None:
    with SandboxServer(tmp_path / "data", port=0, seed_documents=1, trickle_s=0.3) as server:
        tokens = login_with_password(server.url, "nl")
        with httpx.Client(base_url=server.api_url, headers=tokens.headers, timeout=10) as api:
            cursor = api.get("/changes").json()["cursor"]
            page = api.get("/changes", params={"cursor": cursor, "wait": 5}).json()
            assert page["items"] and page["items"][0]["reason"] == "new"


def test_port_in_use_is_a_clear_error(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    with pytest.raises(OSError, match="cannot listen"):
        SandboxServer(tmp_path / "other", port=fresh_sandbox.port).start()


def test_command_line_runs_until_sigterm(tmp_path: Path) -> None:
    code = (
        "import argparse, sys\n"
        "from app.sandbox import cli\n"
        "parser = argparse.ArgumentParser(prog='ferry')\n"
        "cli.add_parser(parser.add_subparsers(dest='command'))\n"
        "args = parser.parse_args(sys.argv[1:])\n"
        "sys.exit(cli.run(args))\n"
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "sandbox",
            "--port",
            "0",
            "--data",
            str(tmp_path / "d"),
            "--seed-documents",
            "2",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Ferry sandbox platform listening on http://127.0.0.1:"), line
        url = line.rsplit(" ", 1)[1].strip()
        with SandboxAdmin(url) as admin:
            assert len(admin.clients("be")) == 8
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
