"""``ferry status`` beside a running engine (issue 18): it pages through the channel, a page
of 500 at a time, instead of having the engine send an office's whole history at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from app.settings import Destination
from tests.conftest import REPO
from tests.engine.conftest import Office
from tests.engine.helpers import ferry
from tests.test_cli_status import COUNT, _home


def test_status_pages_through_a_running_engine(office: Office) -> None:
    client = office.new_client("Paged BV")
    office.configure(
        [Destination(name="Books", general_path=f"{office.root}/books")], {client.id: ["Books"]}
    )
    _, ids = _home(office.home.settings_dir.parent)  # a state of COUNT documents, here
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--home", str(office.home.settings_dir.parent), "run"],
        cwd=REPO,
        env={**os.environ, "LANG": "C.UTF-8"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert "Ferry is syncing" in process.stdout.readline()
        every = ferry(office, "--language", "en", "status", "--json")
        assert every.returncode == 0, every.stderr
        assert [json.loads(line)["id"] for line in every.stdout.splitlines()] == ids
        assert len(ids) == COUNT
        errors = ferry(office, "--language", "en", "status", "--status", "error", "--limit", "9")
        assert errors.stdout.splitlines()[0].startswith("d00007 ")
        assert errors.stdout.splitlines()[-1].startswith("0 to fetch, 1 error, ")
        moved = ferry(office, "status", "--json", "--moved")
        assert [json.loads(line)["id"] for line in moved.stdout.splitlines()] == ["d01000"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode == 0
