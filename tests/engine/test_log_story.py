"""The log tells the story of a day with faults (issue 17).

Nobody watches Ferry on an office server: when a client calls weeks later, the log is what
support reads. An engine run as a server runs it (``ferry run``, a process of its own) goes
through failed deliveries, a platform outage, a platform task and a revoked login; its log
must then name each event at INFO with what support needs (the document, the destination,
the failure's code and parameters, when it is tried again, how long an outage lasted, each
run's summary), and hold none of the run's secrets.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from app.auth.account import load_login
from app.auth.secret_store import SecretStore
from app.settings import Destination
from tests.conftest import REPO
from tests.engine.conftest import Office
from tests.engine.helpers import ferry


def _wait_for(what: str, condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _log_text(office: Office) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(office.home.log_dir.glob("*.log*"))
    )


def _secrets_seen(office: Office) -> list[str]:
    login = load_login(office.home.settings_dir)
    assert login is not None
    token = SecretStore().load(login.secret_name)
    return [token] if token else []


def story_of_a_day_with_faults(office: Office, read_only_folder: Path) -> dict[str, str]:
    """Run ``ferry run`` through the faults; the ids and names each event is told with."""
    blocked = office.new_client("Blocked Bakery BV")
    fine = office.new_client("Fine Figures NV")
    office.configure(
        [
            Destination(name="Locked", general_path=f"{read_only_folder}/[year]"),
            Destination(name="Books", general_path=f"{office.root}/books"),
        ],
        {blocked.id: ["Locked"], fine.id: ["Books"]},
    )
    failing = office.add(blocked, "purchase")
    delivered = office.add(fine, "sales")
    secrets = _secrets_seen(office)
    # short access tokens: the revoked login is noticed within seconds, not an hour
    office.admin.set_faults(access_token_ttl_s=2)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--home", str(office.home.settings_dir.parent), "run"],
        cwd=REPO,
        env={**os.environ, "LANG": "C.UTF-8"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for("the first delivery", lambda: (office.root / "books").exists())
        _wait_for(
            "the failure reported",
            lambda: office.on_platform(failing.id).status.value == "error",
        )
        # an outage: every call answered with an error for a few seconds, then none answered
        office.admin.set_faults(error_rate=1.0, access_token_ttl_s=2)
        during = office.add(fine, "other")
        _wait_for("the failing platform", lambda: "the platform failed (try" in _log_text(office))
        office.admin.set_faults(drop_rate=1.0, access_token_ttl_s=2)
        _wait_for("the platform unreachable", lambda: "offline: [" in _log_text(office))
        office.admin.set_faults(access_token_ttl_s=2)
        _wait_for("the platform back", lambda: "online again after" in _log_text(office))
        _wait_for(
            "the document added during the outage",
            lambda: office.on_platform(during.id).status.value == "forwarded",
        )
        task = office.admin.add_task(office.realm, "full_sync", client_id=fine.id)
        _wait_for(
            "the platform task",
            lambda: office.admin.task(office.realm, task.id).status.value != "queued",
        )
        office.admin.revoke_user(office.realm)
        _wait_for("the login needed", lambda: "login needed" in _log_text(office), timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
        office.admin.clear_faults()
    return {
        "failing": failing.id,
        "delivered": delivered.id,
        "during": during.id,
        "task": task.id,
        "blocked_client": blocked.name,
        **{f"secret{i}": secret for i, secret in enumerate(secrets)},
    }


def test_the_log_tells_each_event_of_a_day_with_faults(
    office: Office, read_only_folder: Path
) -> None:
    try:
        told = story_of_a_day_with_faults(office, read_only_folder)
    finally:
        print(_log_text(office))
    text = _log_text(office)
    lines = text.splitlines()

    def line_with(*words: str) -> str:
        found = [line for line in lines if all(word in line for word in words)]
        assert found, f"no log line with {words}"
        return found[0]

    # the failed delivery: the document, the destination, the failure's code and parameters
    failed = line_with(told["failing"], "destination 'Locked'", "[permission")
    assert " INFO " in failed or " WARNING " in failed
    # when it is tried again
    assert re.search(r"tried again at \d{4}-\d\d-\d\dT", failed), failed
    # the outage: the platform failing, then not answering at all, with how long each lasted
    # the sandbox answers an injected error with a 500 or a 503, which are two codes
    failing = line_with("the platform failed (try 1)", "tried again at")
    assert re.search(r"\[platform_(error|unavailable) ", failing), failing
    assert re.search(r"the platform answers again after \d+ s", text)
    line_with("offline: [")
    assert re.search(r"online again after \d+ s offline", text)
    # each run's summary
    line_with("run 1 (incremental) finished after", "delivered", "in error")
    # the platform task, from start to end
    line_with(f"platform task {told['task']} (full_sync", "started")
    line_with(f"platform task {told['task']} (full_sync) succeeded")
    # the login needed
    line_with("login needed")
    # no secret of the run
    for name, value in told.items():
        if name.startswith("secret"):
            assert value not in text
    assert not re.search(r"eyJ[A-Za-z0-9_-]{5,}\.", text)


def test_the_diagnostics_zip_holds_the_story_and_nothing_secret(
    office: Office, read_only_folder: Path, tmp_path: Path
) -> None:
    """What support receives: each event in the zip's logs, no secret anywhere in the zip or
    the log folder, and no client name when names were to be replaced."""
    told = story_of_a_day_with_faults(office, read_only_folder)
    out = tmp_path / "support.zip"
    exported = ferry(office, "diagnostics", "--out", str(out), "--hash-names")
    assert exported.returncode == 0, exported.stderr
    assert str(out) in exported.stdout
    with zipfile.ZipFile(out) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    logs = "\n".join(
        data.decode("utf-8") for name, data in members.items() if name.startswith("logs/")
    )
    for event in (
        f"document {told['failing']} (purchase",
        "not delivered into destination 'Locked', in Error, tried again at",
        "the platform failed (try 1)",
        "the platform answers again after",
        "online again after",
        "run 1 (incremental) finished after",
        f"platform task {told['task']} (full_sync) succeeded",
        "login needed",
    ):
        assert event in logs, event
    secrets = [value for name, value in told.items() if name.startswith("secret")]
    everything = b"".join(members.values()) + b"".join(
        path.read_bytes() for path in office.home.log_dir.rglob("*") if path.is_file()
    )
    for secret in secrets:
        assert secret.encode() not in everything
    assert not re.search(rb"eyJ[A-Za-z0-9_-]{5,}\.", everything)
    for client in ("Blocked Bakery", "Fine Figures"):
        zipped = b"".join(members.values())
        assert client.encode() not in zipped, client
