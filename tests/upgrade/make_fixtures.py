"""Make the upgrade tests' fixture: a Ferry home written by the code of a previous release.

The home is made by THAT release's code, run in a process of its own with the release's
checkout first on ``PYTHONPATH``: its sandbox platform, its login, its settings writer and its
engine, syncing for real. Then the same old code records what it sees (every row of every
state table, its own reading of documents, deliveries, runs and the changes-feed cursor, the
settings' destinations and links) in ``manifest.json``, the facts the test compares against.

From the repository's root, for the release before issue 17 (commit 757daf4)::

    git worktree add /tmp/ferry-prev 757daf4
    .venv/bin/python tests/upgrade/make_fixtures.py --code /tmp/ferry-prev \\
        --out tests/upgrade/fixtures/757daf4
    git worktree remove /tmp/ferry-prev

What the home holds: three clients linked to two destinations (one an archive, with the PDF
beside the UBL), documents delivered (to one or both), one in *Error* (its client has no
accounting file id, which its destination's path needs), two *To fetch* (read from the feed,
not yet delivered: still queued), the feed's cursor, an incremental, a full sync and a platform
task's run, and the platform task itself. Logs, the sandbox's own data and the delivered files
are left out: the fixture is the settings and state folders (a few dozen KB).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import errno
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REALM = "be"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, help="the previous release's checkout")
    parser.add_argument("--out", type=Path, required=True, help="the fixture folder to make")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--commit", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:  # the child: the old code is the one importable
        asyncio.run(_make(args.out.resolve(), args.commit))
        return 0
    if args.code is None:
        parser.error("--code is required")
    code = args.code.resolve()
    commit = subprocess.run(
        ["git", "-C", str(code), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    out = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    # Not the code's folder as the working directory: its data files are found through the
    # package, and this file stays outside the old code, which it must not import.
    subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            *("--inside", "--out", str(out), "--commit", commit),
        ],
        env={**os.environ, "PYTHONPATH": str(code), "LANG": "C.UTF-8"},
        cwd=tempfile.gettempdir(),
        check=True,
    )
    print(f"fixture of {commit[:7]} written to {out}")
    return 0


async def _make(out: Path, commit: str) -> None:  # runs the OLD release's code
    import app
    from app.api.models import Client
    from app.application.settings_changes import change_settings
    from app.auth.account import StoredLogin, save_login
    from app.auth.secret_store import SecretStore
    from app.core.kinds import DocumentKind
    from app.demo_setup import MemoryKeyring
    from app.engine.engine import STATE_FILE, Engine
    from app.engine.state import SCHEMA_VERSION, StateStore
    from app.home import FerryHome
    from app.sandbox.content import GeneratedClient, generate_document
    from app.sandbox.server import SandboxServer
    from app.sandbox.testkit import SandboxAdmin, login_with_password
    from app.settings import (
        ClientLink,
        DeliveryFormat,
        Destination,
        Settings,
        load_settings,
    )

    code = Path(app.__file__).resolve().parents[1]
    assert str(code) == os.environ["PYTHONPATH"], f"not the previous release's code: {code}"
    rng = random.Random(17)
    with tempfile.TemporaryDirectory(prefix="ferry-fixture-") as scratch:
        root = Path(scratch)
        output = root / "Accounting"
        sandbox = SandboxServer(root / "sandbox", port=0, seed_documents=0)
        url = sandbox.start()
        try:
            admin = SandboxAdmin(url)
            tokens = login_with_password(url, REALM)
            secrets = SecretStore(MemoryKeyring())  # the platform dies with this process
            home = FerryHome.under(root / "home").ensure()
            login = StoredLogin(
                region="sandbox",
                issuer=sandbox.issuer(REALM),
                api_url=sandbox.api_url,
                client_id="ferry-desktop",
                subject="demo",
                user_name="Demo Dupont",
                office_name="Fiduciaire Dupont & Fils",
                logged_in_at=dt.datetime.now(dt.UTC),
            )
            secrets.save(login.secret_name, tokens.refresh_token)
            save_login(home.settings_dir, login)

            def client(name: str, vat: str, file_id: str) -> Client:
                return admin.add_client(REALM, name, vat, country="BE", accounting_file_id=file_id)

            def add(owner: Client, kind: str) -> str:
                generated = generate_document(
                    GeneratedClient(
                        owner.name,
                        owner.vat_number,
                        "BE",
                        owner.accounting_file_id,
                        "BE68539007547034",
                    ),
                    kind,
                    rng,
                )
                document = admin.add_document(
                    REALM,
                    owner.id,
                    kind,
                    [(f.name, f.content, f.media_type) for f in generated.files],
                    number=generated.number,
                    issue_date=generated.issue_date,
                    amount=generated.amount,
                )
                return document.id

            peeters = client("Bakkerij Peeters BV", "BE0403019261", "D00042")
            dupont = client("Dupont & Fils", "BE0202239951", "")  # no file id: its document errs
            janssens = client("Garage Janssens", "BE0477472701", "D00077")
            books = Destination(
                name="Books",
                general_path=str(output / "Books" / "[accounting_file_id]" / "[document_type]"),
            )
            archive = Destination(
                name="Archive",
                paths={
                    DocumentKind.PURCHASE: str(
                        output / "Archive" / "[enterprise_name]" / "in" / "[year]"
                    ),
                    DocumentKind.SALES: str(
                        output / "Archive" / "[enterprise_name]" / "out" / "[year]"
                    ),
                },
                format=DeliveryFormat.UBL_PDF,
                archive=True,
            )
            nas = output / "NAS"
            nas_destination = Destination(name="NAS", general_path=str(nas / "[enterprise_name]"))
            since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
            links = [
                ClientLink(client_id=peeters.id, destinations=["Books", "Archive"], since=since),
                ClientLink(client_id=dupont.id, destinations=["Books"], since=since),
                ClientLink(
                    client_id=janssens.id,
                    destinations=["Books"],
                    since=since,
                    accounting_file_id="D00077-B",
                ),
            ]
            change_settings(
                home.settings_dir,
                lambda _: Settings(destinations=[books, archive], links=links, language="nl"),  # type: ignore[arg-type]
            )
            for kind in ("purchase", "sales", "receipt"):
                add(peeters, kind)
            add(dupont, "purchase")
            add(janssens, "statement")

            engine = Engine(home, store=secrets, long_poll_s=0.5)
            await engine.open()
            try:
                await engine.sync_once()  # an incremental run: delivered, and one in Error
                await engine.full_sync()
                admin.add_task(REALM, "full_sync", client_id=janssens.id)
                await engine.handle_tasks()
                # a second destination for Garage Janssens, on a share that is down: its next
                # document reaches Books and waits for the share (To fetch, with why and when)
                _share_down(nas)
                change_settings(
                    home.settings_dir,
                    lambda current: current.model_copy(
                        update={
                            "destinations": [*current.destinations, nas_destination],
                            "links": [
                                link.model_copy(update={"destinations": ["Books", "NAS"]})
                                if link.client_id == janssens.id
                                else link
                                for link in current.links
                            ],
                        }
                    ),
                )
                add(janssens, "purchase")
                await engine.sync_once()
                add(peeters, "other")
                add(dupont, "sales")
                await engine.pull_changes()  # read from the feed, not yet delivered: queued
            finally:
                await engine.close()
        finally:
            sandbox.stop()

        home_out = out / "home"
        for folder in (home.settings_dir, home.state_dir):
            for path in sorted(folder.iterdir()):
                if path.is_file() and not path.name.endswith((".lock", "-wal", "-shm")):
                    target = home_out / folder.name / path.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)

        # what the old code sees in its own files, read from the copies
        store = StateStore(home_out / "state" / STATE_FILE)
        try:
            documents = store.documents()
            own_view = {
                "documents": {d["id"]: d["status"] for d in documents},
                "deliveries": {
                    d["id"]: sorted(
                        [row.destination, row.state.value, row.paths]
                        for row in store.deliveries(d["id"])
                    )
                    for d in documents
                },
                "runs": [[run.id, run.kind] for run in store.runs()],
                "queue_size": store.queue_size(),
            }
        finally:
            store.close()
        with sqlite3.connect(home_out / "state" / STATE_FILE) as db:
            db.row_factory = sqlite3.Row
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            rows = {
                table: [dict(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
                for table in tables
            }
            user_version = db.execute("PRAGMA user_version").fetchone()[0]
        db.close()
        settings = load_settings(home_out / "settings")
        files = {
            str(path.relative_to(home_out)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(home_out.rglob("*"))
            if path.is_file()
        }
        statuses: dict[str, int] = {}
        for status in (d["status"] for d in documents):
            statuses[status] = statuses.get(status, 0) + 1
        manifest: dict[str, Any] = {
            "made_by": {
                "commit": commit,
                "state_version": SCHEMA_VERSION,
                "state_user_version": user_version,
                "settings_version": settings.version,
                "made": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
            "files": files,
            "counts": {table: len(table_rows) for table, table_rows in rows.items()},
            "statuses": dict(sorted(statuses.items())),
            "cursor": {row["key"]: row["value"] for row in rows.get("meta", [])},
            "tables": rows,
            "own_view": own_view,
            "settings": {
                "version": settings.version,
                "destinations": [d.model_dump(mode="json") for d in settings.destinations],
                "links": [link.model_dump(mode="json") for link in settings.links],
                "language": settings.language,
            },
        }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def _share_down(share: Path) -> None:  # runs the OLD release's code
    """The network share under ``share`` is down: creating a file there fails as the system
    says it for a host that went away (what cannot be unplugged here), as the engine tests
    of that release simulate it."""
    from app.engine import delivery

    real = delivery.StagedFile._create

    def create(self: delivery.StagedFile) -> int:
        if self.folder.is_relative_to(share):
            raise delivery.explain(
                OSError(errno.EHOSTDOWN, os.strerror(errno.EHOSTDOWN), str(self.folder)),
                self.folder,
            )
        return real(self)

    delivery.StagedFile._create = create  # type: ignore[method-assign]


if __name__ == "__main__":
    sys.exit(main())
