"""A Ferry home written by the previous landed release, opened by this one (issue 17).

The fixtures under ``fixtures/<commit>/`` were made by that release's own code
(``make_fixtures.py`` says how), with a manifest of what its code saw in them then: every row
of the state's tables, its reading of documents, deliveries, runs, the queue and the feed's
cursor, and the settings' destinations and links. This release must keep all of it, upgrade
the files to its versions with a copy of each original kept, and refuse a file from a newer
Ferry in plain words, leaving it exactly as it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.language import Language
from app.core.start_failures import StartFailure, StartFailureCode
from app.engine.engine import STATE_FILE, Engine, EngineError
from app.engine.state import SCHEMA_VERSION, StateStore, StateTooNew
from app.home import FerryHome
from app.settings import SettingsTooNew, load_settings, settings_path
from app.settings_migrations import SETTINGS_VERSION, copy_path
from tests.engine.helpers import ferry_in

FIXTURES = Path(__file__).parent / "fixtures"
RELEASES = sorted(path for path in FIXTURES.iterdir() if (path / "manifest.json").is_file())


@dataclass
class Previous:
    """A copy of one release's home, and what that release recorded about it."""

    root: Path
    manifest: dict[str, Any]

    @property
    def state(self) -> Path:
        return self.root / "state" / STATE_FILE

    @property
    def settings_dir(self) -> Path:
        return self.root / "settings"


@pytest.fixture(params=RELEASES, ids=[path.name for path in RELEASES])
def previous(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Previous]:
    fixture: Path = request.param
    root = tmp_path / "home"
    shutil.copytree(fixture / "home", root)
    manifest = json.loads((fixture / "manifest.json").read_text(encoding="utf-8"))
    # the copy is the fixture as its release made it (not a file touched since)
    assert _hashes(root) == manifest["files"]
    yield Previous(root, manifest)


def test_the_fixtures_are_there() -> None:
    assert [path.name for path in RELEASES] == ["757daf4"]


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _rows(path: Path) -> dict[str, list[dict[str, Any]]]:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        rows: dict[str, list[dict[str, Any]]] = {}
        for table in tables:
            columns = len(db.execute(f"SELECT * FROM {table} LIMIT 0").description)
            order = ", ".join(str(n) for n in range(1, min(columns, 2) + 1))
            rows[table] = [
                dict(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY {order}")
            ]
        return rows


def _dump(path: Path) -> list[str]:
    """The whole content of a database (schema, rows, version), to compare two files."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        return [f"user_version={version}", *db.iterdump()]


def _folder(path: Path) -> dict[str, bytes]:
    return {child.name: child.read_bytes() for child in sorted(path.iterdir()) if child.is_file()}


def test_the_state_keeps_every_document_delivery_cursor_run_and_task(
    previous: Previous, tmp_path: Path
) -> None:
    manifest = previous.manifest
    pristine = tmp_path / "pristine.db"
    shutil.copyfile(previous.state, pristine)
    made_in = manifest["made_by"]["state_user_version"]

    store = StateStore(previous.state)
    try:
        view = manifest["own_view"]
        documents = store.documents()
        assert {d["id"]: d["status"] for d in documents} == view["documents"]
        assert {
            d["id"]: sorted(
                [row.destination, row.state.value, row.paths] for row in store.deliveries(d["id"])
            )
            for d in documents
        } == view["deliveries"]
        assert [[run.id, run.kind] for run in store.runs()] == view["runs"]
        assert store.queue_size() == view["queue_size"]
        for key, value in manifest["cursor"].items():
            assert store.get_meta(key) == value
    finally:
        store.close()

    # every row the previous release wrote, each of its columns as it was
    now = _rows(previous.state)
    for table, rows in manifest["tables"].items():
        assert len(now[table]) == manifest["counts"][table] == len(rows), table
        for old, new in zip(rows, now[table], strict=True):
            assert {column: new[column] for column in old} == old, table
    statuses = sorted(manifest["statuses"])
    assert statuses == ["error", "forwarded", "to_fetch"]  # the fixture has each status
    assert manifest["counts"]["deliveries"] and manifest["counts"]["tasks"]
    assert manifest["cursor"]["changes_cursor"]

    with contextlib.closing(sqlite3.connect(previous.state)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    kept = previous.state.with_name(f"{STATE_FILE}.v{made_in}.bak")
    if made_in < SCHEMA_VERSION:  # upgraded: the original kept as it was
        assert _dump(kept) == _dump(pristine)
    else:  # the same schema: nothing to upgrade, no copy
        assert not kept.exists()
    assert sorted(p.name for p in previous.state.parent.iterdir()) == sorted(
        [STATE_FILE] + ([kept.name] if made_in < SCHEMA_VERSION else [])
    )


def test_the_settings_keep_every_destination_and_link(previous: Previous) -> None:
    recorded = previous.manifest["settings"]
    path = settings_path(previous.settings_dir)
    original = path.read_bytes()

    settings = load_settings(previous.settings_dir)

    assert [d.model_dump(mode="json") for d in settings.destinations] == recorded["destinations"]
    assert [link.model_dump(mode="json") for link in settings.links] == recorded["links"]
    assert settings.language == recorded["language"]
    assert settings.version == SETTINGS_VERSION
    assert json.loads(path.read_bytes())["version"] == SETTINGS_VERSION
    kept = copy_path(path, recorded["version"])
    if recorded["version"] < SETTINGS_VERSION:  # upgraded: the original kept byte for byte
        assert kept.read_bytes() == original
    else:  # nothing to upgrade: the file as it was, no copy
        assert path.read_bytes() == original
        assert not kept.exists()
    assert load_settings(previous.settings_dir) == settings  # and read again the same


def test_this_release_reads_the_upgraded_home(previous: Previous) -> None:
    """``ferry status`` and ``ferry destination list``, each in a process of its own."""
    status = ferry_in(previous.root, "--language", "en", "status")
    assert status.returncode == 0, status.stderr
    for document_id in previous.manifest["own_view"]["documents"]:
        assert document_id in status.stdout
    listing = ferry_in(previous.root, "destination", "list")
    assert listing.returncode == 0, listing.stderr
    for destination in previous.manifest["settings"]["destinations"]:
        assert destination["name"] in listing.stdout


def _newer_state(previous: Previous) -> None:
    StateStore(previous.state).close()  # upgraded to this release first
    with contextlib.closing(sqlite3.connect(previous.state)) as db:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
        db.commit()


def test_a_state_from_a_newer_ferry_is_refused_and_left_untouched(previous: Previous) -> None:
    _newer_state(previous)
    before = _folder(previous.state.parent)
    with pytest.raises(StateTooNew) as refused:
        StateStore(previous.state)
    # as data: the code and its parameters, whatever language it is said in
    assert refused.value.failure == StartFailure(
        StartFailureCode.STATE_TOO_NEW,
        {
            "path": str(previous.state),
            "found": str(SCHEMA_VERSION + 1),
            "known": str(SCHEMA_VERSION),
        },
    )
    assert str(refused.value) == (
        f"{previous.state} was written by a newer version of Ferry (state version "
        f"{SCHEMA_VERSION + 1}, this one knows up to {SCHEMA_VERSION}); install that version "
        "again, or the newest one. Nothing in the file was changed."
    )
    assert refused.value.message(Language.FR) == (
        f"{previous.state} a été écrit par une version plus récente de Ferry (version d'état "
        f"{SCHEMA_VERSION + 1}, celle-ci connaît jusqu'à la {SCHEMA_VERSION}) ; réinstallez "
        "cette version, ou la plus récente. Rien n'a été modifié dans le fichier."
    )
    assert refused.value.message(Language.NL) == (
        f"{previous.state} is geschreven door een nieuwere versie van Ferry (statusversie "
        f"{SCHEMA_VERSION + 1}, deze kent tot {SCHEMA_VERSION}); installeer die versie "
        "opnieuw, of de nieuwste. Er is niets in het bestand gewijzigd."
    )
    # byte for byte, and nothing beside it: no -wal, -shm or copy
    assert _folder(previous.state.parent) == before


def test_the_engine_refuses_a_newer_state_with_its_code_and_leaves_it_untouched(
    previous: Previous,
) -> None:
    _newer_state(previous)
    before = _folder(previous.state.parent)
    with pytest.raises(EngineError) as refused:
        asyncio.run(Engine(FerryHome.under(previous.root)).open())
    assert refused.value.failure.code is StartFailureCode.STATE_TOO_NEW
    assert dict(refused.value.failure.params) == {
        "path": str(previous.state),
        "found": str(SCHEMA_VERSION + 1),
        "known": str(SCHEMA_VERSION),
    }
    # the engine's lock file is its own (written at every start); the state is untouched
    after = _folder(previous.state.parent)
    after.pop("engine.lock", None)
    before.pop("engine.lock", None)
    assert after == before


def test_a_settings_file_from_a_newer_ferry_is_refused_and_left_untouched(
    previous: Previous,
) -> None:
    path = settings_path(previous.settings_dir)
    raw = json.loads(path.read_bytes())
    raw["version"] = SETTINGS_VERSION + 1
    raw["a_later_field"] = {"kept": True}
    path.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    before = _folder(previous.settings_dir)
    with pytest.raises(SettingsTooNew) as refused:
        load_settings(previous.settings_dir)
    assert refused.value.failure == StartFailure(
        StartFailureCode.SETTINGS_TOO_NEW,
        {"path": str(path), "found": str(SETTINGS_VERSION + 1), "known": str(SETTINGS_VERSION)},
    )
    assert str(refused.value) == (
        f"{path} was written by a newer version of Ferry (settings version "
        f"{SETTINGS_VERSION + 1}, this one knows up to {SETTINGS_VERSION}); install that version "
        "again, or the newest one. Nothing in the file was changed."
    )
    assert refused.value.message(Language.FR) == (
        f"{path} a été écrit par une version plus récente de Ferry (version des réglages "
        f"{SETTINGS_VERSION + 1}, celle-ci connaît jusqu'à la {SETTINGS_VERSION}) ; réinstallez "
        "cette version, ou la plus récente. Rien n'a été modifié dans le fichier."
    )
    assert refused.value.message(Language.NL) == (
        f"{path} is geschreven door een nieuwere versie van Ferry (instellingenversie "
        f"{SETTINGS_VERSION + 1}, deze kent tot {SETTINGS_VERSION}); installeer die versie "
        "opnieuw, of de nieuwste. Er is niets in het bestand gewijzigd."
    )
    assert _folder(previous.settings_dir) == before
    # the engine, logged in, refuses it with the same code and leaves it as it is
    with pytest.raises(EngineError) as not_started:
        asyncio.run(Engine(FerryHome.under(previous.root)).open())
    assert not_started.value.failure == refused.value.failure
    assert _folder(previous.settings_dir) == before


def test_a_person_reads_the_refusal_in_words_not_a_traceback(previous: Previous) -> None:
    _newer_state(previous)
    status = ferry_in(previous.root, "status")
    assert status.returncode != 0
    assert "was written by a newer version of Ferry (state version" in status.stderr
    assert "Traceback" not in status.stderr

    path = settings_path(previous.settings_dir)
    raw = json.loads(path.read_bytes())
    path.write_text(json.dumps({**raw, "version": SETTINGS_VERSION + 1}), encoding="utf-8")
    before = _folder(previous.settings_dir)
    listing = ferry_in(previous.root, "destination", "list")
    assert listing.returncode != 0
    assert "was written by a newer version of Ferry (settings version" in listing.stderr
    assert "Traceback" not in listing.stderr
    assert _folder(previous.settings_dir) == before


def test_the_command_line_says_the_refusal_in_its_language(previous: Previous) -> None:
    _newer_state(previous)
    french = ferry_in(previous.root, "--language", "fr", "status")
    assert french.returncode != 0
    assert "a été écrit par une version plus récente de Ferry (version d'état" in french.stderr
    assert "newer version" not in french.stderr and "Traceback" not in french.stderr
    path = settings_path(previous.settings_dir)
    raw = json.loads(path.read_bytes())
    path.write_text(json.dumps({**raw, "version": SETTINGS_VERSION + 1}), encoding="utf-8")
    dutch = ferry_in(previous.root, "--language", "nl", "destination", "list")
    assert dutch.returncode != 0
    assert "is geschreven door een nieuwere versie van Ferry (instellingenversie" in dutch.stderr
    assert "newer version" not in dutch.stderr and "Traceback" not in dutch.stderr


def test_a_newer_state_with_its_last_commits_still_in_the_wal_is_left_untouched(
    previous: Previous,
) -> None:
    """A newer Ferry killed (or a power cut) before its last commits reached the file: they
    wait in ``state.db-wal``. Refusing the file must leave both as they are (the ``-shm``
    index is SQLite's own scratch, rebuilt by whoever opens the file next)."""
    StateStore(previous.state).close()
    killed = (
        "import os, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA wal_autocheckpoint=0')\n"
        f"db.execute('PRAGMA user_version={SCHEMA_VERSION + 1}')\n"
        "db.execute(\"INSERT INTO meta (key, value) VALUES ('newer', 'kept')\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", killed, str(previous.state)], check=True)
    before = _folder(previous.state.parent)
    assert f"{STATE_FILE}-wal" in before
    with pytest.raises(StateTooNew):
        StateStore(previous.state)
    after = _folder(previous.state.parent)
    for name in (STATE_FILE, f"{STATE_FILE}-wal"):
        assert after.get(name) == before[name], name


def test_ferry_run_says_a_newer_settings_file_in_words(previous: Previous) -> None:
    path = settings_path(previous.settings_dir)
    raw = json.loads(path.read_bytes())
    path.write_text(json.dumps({**raw, "version": SETTINGS_VERSION + 1}), encoding="utf-8")
    run = ferry_in(previous.root, "run", timeout=60)
    assert "was written by a newer version of Ferry (settings version" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.returncode != 0
