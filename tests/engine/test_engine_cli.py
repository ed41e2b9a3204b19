"""The headless command line over the engine, run as separate processes like a server would."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from app.core.kinds import DocumentKind
from app.settings import Destination
from tests.conftest import REPO
from tests.engine.conftest import Office
from tests.engine.helpers import ferry


def test_configure_link_sync_status_resend_retry(office: Office) -> None:
    client = office.new_client("CLI Client BV", file_id="F-9")
    root = office.root
    bad = ferry(office, "destination", "add", "Winbooks", "--path", "relative/[enterprise_nam]")
    assert bad.returncode == 2
    assert "Did you mean [enterprise_name]?" in bad.stderr and "start it with /" in bad.stderr
    added = ferry(
        office,
        "destination",
        "add",
        "Winbooks",
        "--purchase",
        f"{root}/in/[accounting_file_id]",
        "--sales",
        f"{root}/out/[accounting_file_id]",
        "--format",
        "ubl+pdf",
    )
    assert added.returncode == 0, added.stderr
    listed = ferry(office, "destination", "list")
    assert "Winbooks  (format ubl+pdf, 0 client(s))" in listed.stdout
    assert f"{root}/in/[accounting_file_id]" in listed.stdout

    unknown = ferry(office, "link", "nope", "--to", "Winbooks")
    assert unknown.returncode == 2 and "knows no client nope" in unknown.stderr
    linked = ferry(office, "link", client.id, "--to", "Winbooks")
    assert linked.returncode == 0, linked.stderr
    assert "Linked CLI Client BV" in linked.stdout

    purchase = office.add(client, "purchase")
    receipt = office.add(client, "receipt")  # no path for receipts in this destination
    synced = ferry(office, "sync", "--once")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert "1 delivered, 0 in error" in synced.stdout
    xml = root / "in" / "F-9" / purchase.files[0].name
    assert xml.is_file() and xml.with_suffix(".pdf").is_file()
    assert office.on_platform(receipt.id).status.value == "to_fetch"

    status = ferry(office, "status", "--json", "--status", "forwarded")
    rows = [json.loads(line) for line in status.stdout.splitlines()]
    assert [r["id"] for r in rows] == [purchase.id] and rows[0]["locations"]
    text = ferry(office, "status")
    assert "Forwarded" in text.stdout and "1 forwarded" in text.stdout

    xml.unlink()
    resent = ferry(office, "resend", purchase.id)
    assert resent.returncode == 0, resent.stderr
    assert xml.is_file()

    no_args = ferry(office, "retry")
    assert no_args.returncode == 2
    retried = ferry(office, "retry", "--all-errors")
    assert retried.returncode == 0


def test_sync_exits_1_when_a_document_is_in_error(office: Office, read_only_folder) -> None:  # type: ignore[no-untyped-def]
    client = office.new_client("Blocked BV")
    assert (
        ferry(office, "destination", "add", "RO", "--path", f"{read_only_folder}/[year]").returncode
        == 0
    )
    assert ferry(office, "link", client.id, "--to", "RO").returncode == 0
    document = office.add(client, "sales")
    synced = ferry(office, "sync", "--once")
    assert synced.returncode == 1
    assert "1 in error" in synced.stdout
    platform = office.on_platform(document.id)
    assert platform.status.value == "error"
    assert "may not write in" in (platform.status_message or "")
    errors = ferry(office, "status", "--status", "error")
    assert "give the account that runs Ferry permission" in errors.stdout


def test_run_continuously_and_stop_cleanly_on_sigterm(office: Office) -> None:
    client = office.new_client("Live BV")
    office.configure(
        [Destination(name="Live", paths={DocumentKind.OTHER: f"{office.root}/live"})],
        {client.id: ["Live"]},
    )
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
        second = ferry(office, "run")  # one engine per home
        assert second.returncode == 1 and "already running" in second.stderr
        through = ferry(office, "sync", "--once")  # goes through the running engine
        assert "incremental sync:" in through.stdout, through.stderr
        other = office.new_client("Linked Live BV")
        linked = ferry(office, "link", other.id, "--to", "Live")  # clients from the engine
        assert linked.returncode == 0 and "Linked Linked Live BV" in linked.stdout, linked.stderr
        status = ferry(office, "status", "--json")
        assert status.returncode == 0, status.stderr
        document = office.add(client, "other")
        target = office.root / "live" / document.files[0].name
        deadline = time.monotonic() + 20
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert target.is_file()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Ferry stopped." in out and "forwarded" in out
