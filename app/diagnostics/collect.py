"""Gathering what a diagnostics zip holds, read-only, from one Ferry home.

Nothing here writes into the home or goes through the engine: a running engine (the
service's, the tray app's) keeps its state file open, so the state is read over its own
read-only SQLite connection with plain SQL against the schema :mod:`app.engine.state`
documents. A section that cannot be read (no permission in the service's folder, a state
written by a newer Ferry) becomes a note in the zip instead of stopping the export: a partial
picture still helps support, and the note says what is missing and why.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import platform
import re
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from app import __version__
from app.home import MACHINE_LOGIN_FILE
from app.settings import SETTINGS_FILE

#: The state file's name (app.engine.engine.STATE_FILE, not imported: the engine's modules
#: are heavy and this must stay light enough for the tray app's worker thread).
STATE_FILE = "state.db"
#: The runs the summary lists (the Activity tab's latest).
SUMMARY_RUNS = 20
#: Documents in Error listed one by one; beyond, only their count (the zip stays readable).
ERROR_DOCUMENTS = 1000

#: Keys of a settings file whose value is never exported, whatever its section: today's
#: settings hold no secret, but a later one (a mail server's login) or a hand-edited file may.
#: A login's user name goes too: it is half of a credential, and support only needs to know
#: that one is set, which the section's other entries show.
_SECRET_KEY = re.compile(
    r"(?i)(password|passwd|passphrase|secret|token|credential|api[_-]?key|^auth(orization)?$"
    r"|^pass$|^user(_?name)?$|^login$)"
)

#: A log line's own time stamp, as app.logs.FORMAT writes it (local time).
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})")


# -- versions -----------------------------------------------------------------------------------


def versions() -> dict[str, Any]:
    """Ferry's, Python's, Qt's (without starting any GUI) and the system's versions."""
    found: dict[str, Any] = {
        "ferry": __version__,
        "python": sys.version.split()[0],
        "python_build": platform.python_implementation(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "os": platform.platform(),
        "os_release": platform.release(),
        "machine": platform.machine(),
        "sqlite": sqlite3.sqlite_version,
    }
    try:  # QtCore alone starts no application or window
        import PySide6
        from PySide6 import QtCore

        found["pyside6"] = PySide6.__version__
        found["qt"] = QtCore.qVersion()
    except ImportError:
        found["pyside6"] = found["qt"] = None
    return found


# -- settings and login -----------------------------------------------------------------------


def without_secret_keys(value: Any) -> Any:
    """A JSON value with every entry whose key names a secret dropped, at any depth."""
    if isinstance(value, dict):
        return {
            key: without_secret_keys(item)
            for key, item in value.items()
            if not _SECRET_KEY.search(str(key))
        }
    if isinstance(value, list):
        return [without_secret_keys(item) for item in value]
    return value


def settings_section(settings_dir: Path) -> dict[str, Any]:
    """The settings file as it is on disk (also one this Ferry cannot use: support needs to
    see it), without secret-named entries; or a note of why it cannot be read."""
    path = settings_dir / SETTINGS_FILE
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"note": "no settings file yet"}
    except OSError as error:
        return {"note": f"cannot read {path.name}: {error.strerror or error}"}
    try:
        data = json.loads(raw)
    except ValueError as error:
        return {"note": f"{path.name} is not JSON (line {getattr(error, 'lineno', '?')})"}
    return {"settings": without_secret_keys(data)}


#: What the login record may show: who and where, never the account's secrets' names.
_LOGIN_FIELDS = (
    "region",
    "issuer",
    "api_url",
    "client_id",
    "office_id",
    "office_name",
    "user_name",
    "email",
    "logged_in_at",
)


def login_section(settings_dir: Path) -> dict[str, Any]:
    """Who is logged in and to which platform (the record holds no token; the keyring,
    which does, is never read)."""
    path = settings_dir / MACHINE_LOGIN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"logged_in": False}
    except (OSError, ValueError) as error:
        return {"note": f"cannot read {path.name}: {getattr(error, 'strerror', None) or error}"}
    if not isinstance(data, dict):
        return {"note": f"{path.name} is not a login record"}
    return {"logged_in": True, **{key: data[key] for key in _LOGIN_FIELDS if key in data}}


# -- the state --------------------------------------------------------------------------------


@dataclass
class StateNames:
    """The names the state holds, to be hidden when hashing is asked for."""

    clients: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    #: Every path and folder recorded (deliveries, failures): read back through the
    #: destinations' templates for the client names they hold.
    paths: set[str] = field(default_factory=set)


@dataclass
class StateReport:
    summary: dict[str, Any]
    activity: dict[str, Any]
    names: StateNames


def _iso(moment: float | None) -> str | None:
    if moment is None:
        return None
    return dt.datetime.fromtimestamp(moment, dt.UTC).isoformat(timespec="seconds")


def _json(text: str | None, default: Any) -> Any:
    try:
        return json.loads(text) if text else default
    except ValueError:
        return default


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """The state file opened so that nothing can be written through this connection."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA busy_timeout=5000")
        yield db
    finally:
        db.close()


def failure_items(failures: Any) -> list[dict[str, Any]]:
    """Failures as exported: ``failure_code`` rather than ``code`` (a key the log scrubber
    takes for a login's authorization code), and their parameters."""
    items = []
    for failure in failures if isinstance(failures, list) else []:
        if isinstance(failure, dict):
            params = failure.get("params")
            params = dict(params) if isinstance(params, dict) else {}
            if isinstance(params.get("problems"), str):  # a path template's, as JSON
                params["problems"] = _problems(params["problems"])
            items.append({"failure_code": failure.get("code"), "params": params})
    return items


def _problems(text: str) -> Any:
    """A path template's problems (JSON in a parameter) with ``problem_code`` for ``code``."""
    problems = _json(text, text)
    if not isinstance(problems, list):
        return problems
    return [
        {("problem_code" if key == "code" else key): value for key, value in item.items()}
        if isinstance(item, dict)
        else item
        for item in problems
    ]


def _run(row: sqlite3.Row) -> dict[str, Any]:
    failed_documents = []
    for item in _json(row["failed_documents"], []):
        if isinstance(item, dict):
            failed_documents.append(
                {
                    "document_id": item.get("document_id"),
                    "number": item.get("number"),
                    "kind": item.get("kind"),
                    "client_id": item.get("client_id"),
                    "failures": failure_items(item.get("failures")),
                }
            )
    return {
        "id": row["id"],
        "kind": row["kind"],
        "started": _iso(row["started"]),
        "finished": _iso(row["finished"]),
        "documents": row["documents"],
        "delivered": row["delivered"],
        "failed": row["failed"],
        "interrupted": bool(row["interrupted"]),
        "client_id": row["client_id"],
        "client_name": row["client_name"],
        "message": row["message"],
        "failures": failure_items(_json(row["failures"], [])),
        "moved": _json(row["moved"], {}),
        "failed_documents": failed_documents,
    }


def state_report(state_dir: Path, since: dt.datetime) -> StateReport:
    """The state's summary, the activity since ``since``, and the names it holds."""
    path = state_dir / STATE_FILE
    names = StateNames()
    if not path.exists():
        note = {"note": "Ferry has not synced yet (no state file)"}
        return StateReport(dict(note), dict(note), names)
    try:
        with read_only(path) as db:
            return _read_state(db, since, names)
    except sqlite3.Error as error:
        note = {"note": f"cannot read the state file: {error}"}
        return StateReport(dict(note), dict(note), names)


def _read_state(db: sqlite3.Connection, since: dt.datetime, names: StateNames) -> StateReport:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    by_status = {
        row["status"]: row["n"]
        for row in db.execute("SELECT status, COUNT(*) AS n FROM documents GROUP BY status")
    }
    destinations: dict[str, dict[str, int]] = {}
    for row in db.execute(
        "SELECT destination, state, COUNT(*) AS n, SUM(gone_since IS NOT NULL) AS gone "
        "FROM deliveries GROUP BY destination, state"
    ):
        counts = destinations.setdefault(row["destination"], {})
        counts[row["state"]] = row["n"]
        if row["gone"]:
            counts["picked_up_or_moved"] = counts.get("picked_up_or_moved", 0) + row["gone"]
    failing = [
        {
            "destination": row["destination"],
            "error_code": row["error_code"],
            "count": row["n"],
        }
        for row in db.execute(
            "SELECT destination, error_code, COUNT(*) AS n FROM deliveries WHERE state = "
            "'failed' GROUP BY destination, error_code ORDER BY destination, error_code"
        )
    ]
    errors = []
    for row in db.execute(
        "SELECT id, client_id, kind, number, issue_date, failures, next_try, last_attempt "
        "FROM documents WHERE status = 'error' ORDER BY updated DESC LIMIT ?",
        (ERROR_DOCUMENTS,),
    ):
        errors.append(
            {
                "document_id": row["id"],
                "client_id": row["client_id"],
                "kind": row["kind"],
                "number": row["number"],
                "issue_date": row["issue_date"],
                "last_attempt": _iso(row["last_attempt"]),
                "next_try": _iso(row["next_try"]),
                "failures": failure_items(_json(row["failures"], [])),
            }
        )
    queue = db.execute(
        "SELECT COUNT(*) AS n, SUM(attempts > 0) AS retried, MIN(not_before) AS next FROM queue"
    ).fetchone()
    meta = {row["key"]: row["value"] for row in db.execute("SELECT key, value FROM meta")}
    last_runs = [
        _run(row)
        for row in db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (SUMMARY_RUNS,))
    ]
    summary = {
        "schema_version": version,
        "documents_by_status": by_status,
        "deliveries_by_destination": destinations,
        "failing_deliveries": failing,
        "queue": {
            "documents": queue["n"],
            "tried_before": queue["retried"] or 0,
            "next_due": _iso(queue["next"]) if queue["n"] else None,
        },
        "meta": meta,
        "last_runs": last_runs,
        "documents_in_error": errors,
        "documents_in_error_listed": len(errors),
    }
    start = since.timestamp()
    runs = [
        _run(row)
        for row in db.execute(
            "SELECT * FROM runs WHERE COALESCE(finished, updated, started) >= ? OR finished "
            "IS NULL ORDER BY id DESC",
            (start,),
        )
    ]
    tasks = [
        {
            "id": row["id"],
            "kind": row["kind"],
            "received": _iso(row["received"]),
            "finished": _iso(row["finished"]),
            "outcome": row["outcome"],
            "message": row["message"],
        }
        for row in db.execute(
            "SELECT * FROM tasks WHERE COALESCE(finished, received) >= ? OR finished IS NULL "
            "ORDER BY received DESC",
            (start,),
        )
    ]
    activity = {"since": since.isoformat(timespec="seconds"), "runs": runs, "tasks": tasks}
    _collect_names(db, names)
    return StateReport(summary, activity, names)


def _collect_names(db: sqlite3.Connection, names: StateNames) -> None:
    for row in db.execute("SELECT DISTINCT client_name FROM runs WHERE client_name IS NOT NULL"):
        names.clients.add(row[0])
    for row in db.execute(
        "SELECT DISTINCT counterparty FROM documents WHERE counterparty IS NOT NULL"
    ):
        names.parties.add(row[0])
    for row in db.execute("SELECT paths FROM deliveries UNION SELECT locations FROM documents"):
        for path in _json(row[0], []):
            if isinstance(path, str) and path:
                names.files.add(_file_name(path))
                names.paths.add(path)
    failures: list[Any] = []
    for row in db.execute("SELECT failures FROM documents WHERE failures != '[]'"):
        failures.extend(_json(row[0], []))
    for row in db.execute("SELECT failed_documents FROM runs WHERE failed_documents != '[]'"):
        for item in _json(row[0], []):
            if isinstance(item, dict):
                failures.extend(item.get("failures") or [])
    for failure in failures:
        params = failure.get("params") if isinstance(failure, dict) else None
        if isinstance(params, dict):
            for key in ("folder", "root"):
                if isinstance(params.get(key), str):
                    names.paths.add(params[key])
            if isinstance(params.get("name"), str):  # a file name
                names.files.add(params["name"])
            if isinstance(params.get("client"), str):  # a path template's missing value
                names.clients.add(params["client"])


def destination_templates(settings: dict[str, Any]) -> list[str]:
    """The path templates of the destinations in a settings section (as read from disk)."""
    found: list[str] = []
    data = settings.get("settings")
    destinations = data.get("destinations") if isinstance(data, dict) else None
    for destination in destinations if isinstance(destinations, list) else []:
        if not isinstance(destination, dict):
            continue
        general = destination.get("general_path")
        if isinstance(general, str):
            found.append(general)
        paths = destination.get("paths")
        if isinstance(paths, dict):
            found.extend(path for path in paths.values() if isinstance(path, str))
    return found


def _file_name(path: str) -> str:
    """The last part of a path written on either system."""
    return PurePath(path.replace("\\", "/")).name


# -- logs ---------------------------------------------------------------------------------------


def log_files(log_dir: Path, since: dt.datetime) -> list[Path]:
    """Ferry's log files (``*.log`` and their numbered backups) written to since ``since``,
    oldest first."""
    found = []
    try:
        candidates = list(log_dir.iterdir())
    except OSError:
        return []
    for path in candidates:
        if not re.fullmatch(r".+\.log(\.\d+)?", path.name):
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file() and stat.st_mtime >= since.timestamp():
            found.append((stat.st_mtime, path.name, path))
    return [path for _, _, path in sorted(found)]


def lines_since(text: str, since: dt.datetime) -> str:
    """The lines of a log from ``since`` on (local time, as logs are stamped). A line
    without a stamp (a traceback's) goes with the record above it."""
    limit = since.astimezone().replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")
    kept = []
    keep = True  # lines before the first stamp continue a record of the previous file
    for line in text.splitlines(keepends=True):
        stamp = _STAMP.match(line)
        if stamp is not None:
            keep = stamp.group(1) >= limit
        if keep:
            kept.append(line)
    return "".join(kept)
