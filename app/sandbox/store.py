"""The sandbox's persistent state: one SQLite database (WAL) plus content-addressed file blobs.

Everything a platform remembers lives here — offices, users, clients, documents and their files,
delivery reports, the changes feed, tasks, signing keys and refresh-token families — so a
sandbox stopped and started again is the same platform, and the agent's cursors stay valid.

One connection serves every caller under a lock: the server's event loop is the main user and each
statement takes well under a millisecond, so a pool would buy nothing but complexity. File bytes
are stored as files named by their SHA-256 (downloads stream straight from disk, identical
files are stored once); the database only holds their metadata.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.api.models import (
    Change,
    ChangeReason,
    Client,
    DeliveryRecord,
    DeliveryStatus,
    Document,
    DocumentFile,
    DocumentKind,
    ErrorReport,
    ForwardedReport,
    Task,
    TaskKind,
    TaskReport,
    TaskStatus,
)

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS offices (
    realm TEXT PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, country TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    realm TEXT NOT NULL, username TEXT NOT NULL, sub TEXT NOT NULL, name TEXT NOT NULL,
    email TEXT NOT NULL, password_salt BLOB NOT NULL, password_hash BLOB NOT NULL,
    PRIMARY KEY (realm, username));
CREATE TABLE IF NOT EXISTS clients (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, realm TEXT NOT NULL,
    name TEXT NOT NULL, vat_number TEXT NOT NULL, country TEXT NOT NULL,
    accounting_file_id TEXT NOT NULL, shares_documents INTEGER NOT NULL, linked_since TEXT,
    iban TEXT);
CREATE INDEX IF NOT EXISTS clients_by_realm ON clients (realm, seq);
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, realm TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id), kind TEXT NOT NULL, number TEXT NOT NULL,
    issue_date TEXT NOT NULL, amount TEXT, currency TEXT, counterparty TEXT,
    status TEXT NOT NULL, status_message TEXT, locations TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_by_realm ON documents (realm, seq);
CREATE INDEX IF NOT EXISTS documents_by_status ON documents (realm, status, seq);
CREATE INDEX IF NOT EXISTS documents_by_client ON documents (client_id, seq);
CREATE TABLE IF NOT EXISTS files (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    document_id TEXT NOT NULL REFERENCES documents (id), name TEXT NOT NULL,
    media_type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS files_by_document ON files (document_id, seq);
CREATE TABLE IF NOT EXISTS deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, document_id TEXT NOT NULL, status TEXT NOT NULL,
    locations TEXT NOT NULL, message TEXT, reported_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS deliveries_by_document ON deliveries (document_id, seq);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, realm TEXT NOT NULL, document_id TEXT NOT NULL,
    client_id TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS changes_by_realm ON changes (realm, seq);
CREATE TABLE IF NOT EXISTS tasks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, realm TEXT NOT NULL,
    kind TEXT NOT NULL, client_id TEXT, document_ids TEXT NOT NULL, status TEXT NOT NULL,
    created_at TEXT NOT NULL, completed_at TEXT, result TEXT);
CREATE INDEX IF NOT EXISTS tasks_by_realm ON tasks (realm, status, seq);
CREATE TABLE IF NOT EXISTS signing_keys (
    realm TEXT PRIMARY KEY, jwk TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS token_families (
    id TEXT PRIMARY KEY, realm TEXT NOT NULL, username TEXT NOT NULL, client_id TEXT NOT NULL,
    scope TEXT NOT NULL, auth_time INTEGER NOT NULL, created_at TEXT NOT NULL,
    revoked_at TEXT, revoke_reason TEXT);
CREATE INDEX IF NOT EXISTS families_by_user ON token_families (realm, username);
CREATE TABLE IF NOT EXISTS refresh_tokens (
    hash TEXT PRIMARY KEY, family_id TEXT NOT NULL REFERENCES token_families (id),
    issued_at TEXT NOT NULL, expires_at TEXT NOT NULL, rotated_at TEXT);
CREATE TABLE IF NOT EXISTS revoked_access_tokens (
    jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
"""

#: Iterations of PBKDF2 for stored passwords: enough to be honest, cheap enough for test logins.
_PBKDF2_ITERATIONS = 20_000


class NotFoundError(LookupError):
    """The thing asked for does not exist in this realm (which, to the caller, is the same)."""


class ConflictError(ValueError):
    """The request contradicts what the platform already holds."""


class RefreshOutcome(StrEnum):
    """What presenting a refresh token led to."""

    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REUSED = "reused"


@dataclass(frozen=True)
class User:
    realm: str
    username: str
    sub: str
    name: str
    email: str


@dataclass(frozen=True)
class OfficeRecord:
    realm: str
    id: str
    name: str
    country: str


@dataclass(frozen=True)
class TokenFamily:
    """One login's chain of rotated refresh tokens; revoking it ends that login."""

    id: str
    realm: str
    username: str
    client_id: str
    scope: str
    auth_time: int


@dataclass(frozen=True)
class StoredFile:
    """What a download needs: where the bytes are and what to say about them."""

    id: str
    document_id: str
    name: str
    media_type: str
    size: int
    sha256: str
    path: Path


@dataclass(frozen=True)
class NewFile:
    name: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class DocumentFilter:
    status: DeliveryStatus | None = None
    client_id: str | None = None
    kind: DocumentKind | None = None
    text: str | None = None


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _from_iso(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def hash_token(token: str) -> str:
    """How opaque tokens are kept: only their SHA-256, so a copied database logs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class Store:
    """The sandbox platform's database and blob folder under one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.blob_dir = data_dir / "blobs"
        self.blob_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            data_dir / "sandbox.sqlite3", check_same_thread=False, isolation_level=None
        )
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._db.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )
        self._revoked_families: set[str] = {
            row[0]
            for row in self._db.execute(
                "SELECT id FROM token_families WHERE revoked_at IS NOT NULL"
            )
        }
        self._revoked_jtis: set[str] = {
            row[0] for row in self._db.execute("SELECT jti FROM revoked_access_tokens")
        }
        #: Called after a commit that adds to a realm's changes feed ("changes") or task
        #: queue ("tasks"), so that long-polls can wake without polling the database.
        self.on_event: Callable[[str, str], None] | None = None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _emit(self, realm: str, topic: str) -> None:
        if self.on_event is not None:
            self.on_event(realm, topic)

    # --- offices and users --------------------------------------------------------------------

    def get_office(self, realm: str) -> OfficeRecord | None:
        rows = self._query("SELECT realm, id, name, country FROM offices WHERE realm = ?", (realm,))
        return OfficeRecord(**dict(rows[0])) if rows else None

    def create_office(self, realm: str, name: str, country: str) -> OfficeRecord:
        office = OfficeRecord(realm=realm, id=_new_id("off"), name=name, country=country)
        with self._transaction() as db:
            db.execute(
                "INSERT INTO offices (realm, id, name, country, created_at) VALUES (?, ?, ?, ?, ?)",
                (realm, office.id, name, country, _iso(utcnow())),
            )
        return office

    def create_user(self, realm: str, username: str, password: str, name: str, email: str) -> User:
        salt = secrets.token_bytes(16)
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, _PBKDF2_ITERATIONS)
        user = User(realm=realm, username=username, sub=_new_id("usr"), name=name, email=email)
        with self._transaction() as db:
            db.execute(
                "INSERT INTO users (realm, username, sub, name, email, password_salt,"
                " password_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (realm, username, user.sub, name, email, salt, digest),
            )
        return user

    def get_user(self, realm: str, username: str) -> User | None:
        rows = self._query(
            "SELECT realm, username, sub, name, email FROM users WHERE realm = ? AND username = ?",
            (realm, username),
        )
        return User(**dict(rows[0])) if rows else None

    def check_password(self, realm: str, username: str, password: str) -> User | None:
        rows = self._query(
            "SELECT password_salt, password_hash FROM users WHERE realm = ? AND username = ?",
            (realm, username),
        )
        if not rows:
            return None
        digest = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), rows[0]["password_salt"], _PBKDF2_ITERATIONS
        )
        if not hmac.compare_digest(digest, rows[0]["password_hash"]):
            return None
        return self.get_user(realm, username)

    def reset_realm(self, realm: str) -> None:
        """Forget a realm's data (what a seed interrupted half-way left behind)."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM files WHERE document_id IN (SELECT id FROM documents WHERE realm = ?)",
                (realm,),
            )
            db.execute(
                "DELETE FROM deliveries WHERE document_id IN"
                " (SELECT id FROM documents WHERE realm = ?)",
                (realm,),
            )
            for table in ("changes", "tasks", "documents", "clients", "users", "offices"):
                db.execute(f"DELETE FROM {table} WHERE realm = ?", (realm,))  # noqa: S608 - fixed names

    # --- clients ------------------------------------------------------------------------------

    def add_client(
        self,
        realm: str,
        *,
        name: str,
        vat_number: str,
        country: str,
        accounting_file_id: str,
        shares_documents: bool,
        linked_since: dt.datetime | None = None,
        iban: str | None = None,
    ) -> Client:
        client_id = _new_id("cli")
        if shares_documents and linked_since is None:
            linked_since = utcnow()
        if not shares_documents:
            linked_since = None
        with self._transaction() as db:
            db.execute(
                "INSERT INTO clients (id, realm, name, vat_number, country, accounting_file_id,"
                " shares_documents, linked_since, iban) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    client_id,
                    realm,
                    name,
                    vat_number,
                    country,
                    accounting_file_id,
                    int(shares_documents),
                    None if linked_since is None else _iso(linked_since),
                    iban,
                ),
            )
        return self.get_client(realm, client_id)

    def client_iban(self, client_id: str) -> str | None:
        """The bank account the content generator gave a client (not part of the API)."""
        rows = self._query("SELECT iban FROM clients WHERE id = ?", (client_id,))
        return rows[0]["iban"] if rows else None

    @staticmethod
    def _client(row: sqlite3.Row) -> Client:
        return Client(
            id=row["id"],
            name=row["name"],
            vat_number=row["vat_number"],
            country=row["country"],
            accounting_file_id=row["accounting_file_id"],
            shares_documents=bool(row["shares_documents"]),
            linked_since=_from_iso(row["linked_since"]),
        )

    def get_client(self, realm: str, client_id: str) -> Client:
        rows = self._query("SELECT * FROM clients WHERE realm = ? AND id = ?", (realm, client_id))
        if not rows:
            raise NotFoundError(f"There is no client '{client_id}'.")
        return self._client(rows[0])

    def list_clients(
        self, realm: str, *, after: int, limit: int, sharing_only: bool = False
    ) -> tuple[list[Client], int | None]:
        """One page of clients after position ``after``; the second value is the next position."""
        sharing = " AND shares_documents = 1" if sharing_only else ""
        rows = self._query(
            f"SELECT * FROM clients WHERE realm = ? AND seq > ?{sharing} ORDER BY seq LIMIT ?",  # noqa: S608 - fixed fragment
            (realm, after, limit + 1),
        )
        more = len(rows) > limit
        rows = rows[:limit]
        return [self._client(r) for r in rows], (rows[-1]["seq"] if more else None)

    # --- documents ----------------------------------------------------------------------------

    def blob_path(self, sha256: str) -> Path:
        return self.blob_dir / sha256[:2] / sha256

    def _write_blob(self, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        path = self.blob_path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{digest}.{secrets.token_hex(4)}.tmp")
            with temporary.open("wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            temporary.replace(path)
        return digest

    def add_document(
        self,
        realm: str,
        *,
        client_id: str,
        kind: DocumentKind,
        number: str,
        issue_date: dt.date,
        amount: Decimal | None,
        currency: str | None,
        counterparty: str | None,
        files: Sequence[NewFile],
    ) -> Document:
        """Store a new document in *To fetch* and announce it with a ``new`` change."""
        client = self.get_client(realm, client_id)
        if not client.shares_documents:
            raise ConflictError(
                f"Client '{client_id}' does not share its documents with the office; "
                "documents of such clients never reach the office."
            )
        if not files:
            raise ValueError("A document needs at least one file.")
        stored = [(f, self._write_blob(f.content)) for f in files]
        document_id = _new_id("doc")
        now = _iso(utcnow())
        with self._transaction() as db:
            db.execute(
                "INSERT INTO documents (id, realm, client_id, kind, number, issue_date, amount,"
                " currency, counterparty, status, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document_id,
                    realm,
                    client_id,
                    kind.value,
                    number,
                    issue_date.isoformat(),
                    None if amount is None else format(amount, "f"),
                    currency,
                    counterparty,
                    DeliveryStatus.TO_FETCH.value,
                    now,
                    now,
                ),
            )
            db.executemany(
                "INSERT INTO files (id, document_id, name, media_type, size, sha256)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (_new_id("fil"), document_id, f.name, f.media_type, len(f.content), digest)
                    for f, digest in stored
                ],
            )
            db.execute(
                "INSERT INTO changes (realm, document_id, client_id, reason, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (realm, document_id, client_id, ChangeReason.NEW.value, now),
            )
        self._emit(realm, "changes")
        return self.get_document(realm, document_id)

    def add_documents_bulk(
        self,
        realm: str,
        *,
        client_id: str,
        kind: DocumentKind,
        count: int,
        prefix: str,
        content: bytes,
        media_type: str = "application/pdf",
        status: DeliveryStatus = DeliveryStatus.TO_FETCH,
    ) -> tuple[str, int]:
        """``count`` documents of one client sharing one file's content (each under its own
        name), each announced by a ``new`` change, in one transaction: how tests and the scale
        benchmark build an office's whole history (a million documents) in seconds instead
        of a million uploads. Forwarded ones stand for what an earlier agent delivered.
        Returns how their ids begin (the rest is the index, 8 hex digits) and the feed's
        position after them."""
        client = self.get_client(realm, client_id)
        if not client.shares_documents:
            raise ConflictError(f"Client '{client_id}' does not share its documents.")
        digest = self._write_blob(content)
        now = _iso(utcnow())
        today = utcnow().date().isoformat()
        run = secrets.token_hex(4)
        with self._transaction() as db:
            for start in range(0, count, 10_000):
                numbers = range(start, min(count, start + 10_000))
                ids = [f"doc_{run}{index:08x}" for index in numbers]
                db.executemany(
                    "INSERT INTO documents (id, realm, client_id, kind, number, issue_date,"
                    " status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            i,
                            realm,
                            client_id,
                            kind.value,
                            f"{prefix}-{n:07d}",
                            today,
                            status.value,
                            now,
                            now,
                        )
                        for i, n in zip(ids, numbers, strict=True)
                    ],
                )
                db.executemany(
                    "INSERT INTO files (id, document_id, name, media_type, size, sha256)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            f"fil_{i[4:]}",
                            i,
                            f"{prefix}-{n:07d}.pdf",
                            media_type,
                            len(content),
                            digest,
                        )
                        for i, n in zip(ids, numbers, strict=True)
                    ],
                )
                db.executemany(
                    "INSERT INTO changes (realm, document_id, client_id, reason, at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(realm, i, client_id, ChangeReason.NEW.value, now) for i in ids],
                )
            position = db.execute("SELECT MAX(seq) FROM changes WHERE realm = ?", (realm,))
            last = int(position.fetchone()[0] or 0)
        self._emit(realm, "changes")
        return f"doc_{run}", last

    def _documents(self, rows: list[sqlite3.Row]) -> list[Document]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        files: dict[str, list[DocumentFile]] = {i: [] for i in ids}
        for f in self._query(
            f"SELECT * FROM files WHERE document_id IN ({marks}) ORDER BY seq",  # noqa: S608 - placeholders only
            ids,
        ):
            files[f["document_id"]].append(
                DocumentFile(
                    id=f["id"],
                    name=f["name"],
                    media_type=f["media_type"],
                    size=f["size"],
                    sha256=f["sha256"],
                )
            )
        return [
            Document(
                id=r["id"],
                client_id=r["client_id"],
                kind=DocumentKind(r["kind"]),
                number=r["number"],
                issue_date=dt.date.fromisoformat(r["issue_date"]),
                amount=None if r["amount"] is None else Decimal(r["amount"]),
                currency=r["currency"],
                counterparty=r["counterparty"],
                status=DeliveryStatus(r["status"]),
                status_message=r["status_message"],
                locations=json.loads(r["locations"]),
                created_at=dt.datetime.fromisoformat(r["created_at"]),
                updated_at=dt.datetime.fromisoformat(r["updated_at"]),
                files=files[r["id"]],
            )
            for r in rows
        ]

    def get_document(self, realm: str, document_id: str) -> Document:
        rows = self._query(
            "SELECT * FROM documents WHERE realm = ? AND id = ?", (realm, document_id)
        )
        if not rows:
            raise NotFoundError(f"There is no document '{document_id}'.")
        return self._documents(rows)[0]

    def list_documents(
        self, realm: str, where: DocumentFilter, *, after: int, limit: int
    ) -> tuple[list[Document], int | None]:
        clauses = ["d.realm = ?", "d.seq > ?"]
        params: list[Any] = [realm, after]
        if where.status is not None:
            clauses.append("d.status = ?")
            params.append(where.status.value)
        if where.client_id is not None:
            clauses.append("d.client_id = ?")
            params.append(where.client_id)
        if where.kind is not None:
            clauses.append("d.kind = ?")
            params.append(where.kind.value)
        if where.text:
            pattern = _like_pattern(where.text)
            clauses.append(
                "(d.number LIKE ? ESCAPE '\\' OR d.counterparty LIKE ? ESCAPE '\\'"
                " OR c.name LIKE ? ESCAPE '\\' OR c.vat_number LIKE ? ESCAPE '\\'"
                " OR EXISTS (SELECT 1 FROM files f WHERE f.document_id = d.id"
                " AND f.name LIKE ? ESCAPE '\\'))"
            )
            params.extend([pattern] * 5)
        sql = (
            "SELECT d.* FROM documents d JOIN clients c ON c.id = d.client_id WHERE "  # noqa: S608 - clauses are fixed strings
            + " AND ".join(clauses)
            + " ORDER BY d.seq LIMIT ?"
        )
        params.append(limit + 1)
        rows = self._query(sql, params)
        more = len(rows) > limit
        rows = rows[:limit]
        return self._documents(rows), (rows[-1]["seq"] if more else None)

    def get_file(self, realm: str, document_id: str, file_id: str) -> StoredFile:
        rows = self._query(
            "SELECT f.id, f.document_id, f.name, f.media_type, f.size, f.sha256 FROM files f"
            " JOIN documents d ON d.id = f.document_id"
            " WHERE f.id = ? AND d.id = ? AND d.realm = ?",
            (file_id, document_id, realm),
        )
        if not rows:
            raise NotFoundError(f"Document '{document_id}' has no file '{file_id}'.")
        row = rows[0]
        return StoredFile(**dict(row), path=self.blob_path(row["sha256"]))

    def report_delivery(
        self, realm: str, document_id: str, report: ForwardedReport | ErrorReport
    ) -> Document:
        """Record the agent's report; the same report twice changes nothing the second time."""
        with self._transaction() as db:
            if self._record_report(db, realm, document_id, report) is None:
                raise NotFoundError(f"There is no document '{document_id}'.")
        return self.get_document(realm, document_id)

    def report_deliveries(
        self, realm: str, reports: Sequence[tuple[str, ForwardedReport | ErrorReport]]
    ) -> list[DeliveryStatus | None]:
        """Record many reports in one transaction, in order; each document's status after its
        report, None for a document this realm does not have (the others are recorded)."""
        with self._transaction() as db:
            return [
                self._record_report(db, realm, document_id, report)
                for document_id, report in reports
            ]

    @staticmethod
    def _record_report(
        db: sqlite3.Connection, realm: str, document_id: str, report: ForwardedReport | ErrorReport
    ) -> DeliveryStatus | None:
        if isinstance(report, ForwardedReport):
            status, locations, message = DeliveryStatus.FORWARDED, list(report.locations), None
        else:
            status, locations, message = DeliveryStatus.ERROR, [], report.message
        rows = db.execute(
            "SELECT status, status_message, locations FROM documents WHERE realm = ? AND id = ?",
            (realm, document_id),
        ).fetchall()
        if not rows:
            return None
        current = rows[0]
        same = (
            current["status"] == status.value
            and current["status_message"] == message
            and (
                status is not DeliveryStatus.FORWARDED
                or json.loads(current["locations"]) == locations
            )
        )
        if not same:
            now = _iso(utcnow())
            db.execute(
                "UPDATE documents SET status = ?, status_message = ?, locations = ?,"
                " updated_at = ? WHERE id = ?",
                (
                    status.value,
                    message,
                    json.dumps(locations)
                    if status is DeliveryStatus.FORWARDED
                    else current["locations"],
                    now,
                    document_id,
                ),
            )
            db.execute(
                "INSERT INTO deliveries (document_id, status, locations, message, reported_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (document_id, status.value, json.dumps(locations), message, now),
            )
        return status

    def deliveries(self, document_id: str) -> list[DeliveryRecord]:
        return [
            DeliveryRecord(
                status=DeliveryStatus(r["status"]),
                locations=json.loads(r["locations"]),
                message=r["message"],
                reported_at=dt.datetime.fromisoformat(r["reported_at"]),
            )
            for r in self._query(
                "SELECT * FROM deliveries WHERE document_id = ? ORDER BY seq", (document_id,)
            )
        ]

    def resend(self, realm: str, document_ids: Sequence[str]) -> list[Document]:
        """Put documents back to *To fetch*, each with a ``resend`` change; all or nothing."""
        unique = list(dict.fromkeys(document_ids))
        now = _iso(utcnow())
        with self._transaction() as db:
            marks = ",".join("?" * len(unique))
            rows = db.execute(
                f"SELECT id, client_id FROM documents WHERE realm = ? AND id IN ({marks})",  # noqa: S608 - placeholders only
                [realm, *unique],
            ).fetchall()
            found = {r["id"]: r["client_id"] for r in rows}
            missing = [i for i in unique if i not in found]
            if missing:
                raise NotFoundError("There is no document " + ", ".join(f"'{m}'" for m in missing))
            for document_id in unique:
                db.execute(
                    "UPDATE documents SET status = ?, status_message = NULL, updated_at = ?"
                    " WHERE id = ?",
                    (DeliveryStatus.TO_FETCH.value, now, document_id),
                )
                db.execute(
                    "INSERT INTO changes (realm, document_id, client_id, reason, at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (realm, document_id, found[document_id], ChangeReason.RESEND.value, now),
                )
        self._emit(realm, "changes")
        return [self.get_document(realm, i) for i in unique]

    def count_documents(self, realm: str) -> int:
        return int(self._query("SELECT COUNT(*) FROM documents WHERE realm = ?", (realm,))[0][0])

    # --- the changes feed ---------------------------------------------------------------------

    def changes_after(self, realm: str, after: int, limit: int) -> tuple[list[Change], int, bool]:
        """Changes past position ``after``: (items, position after them, whether more wait)."""
        rows = self._query(
            "SELECT * FROM changes WHERE realm = ? AND seq > ? ORDER BY seq LIMIT ?",
            (realm, after, limit + 1),
        )
        more = len(rows) > limit
        rows = rows[:limit]
        items = [
            Change(
                document_id=r["document_id"],
                client_id=r["client_id"],
                reason=ChangeReason(r["reason"]),
                at=dt.datetime.fromisoformat(r["at"]),
            )
            for r in rows
        ]
        return items, (rows[-1]["seq"] if rows else after), more

    # --- tasks --------------------------------------------------------------------------------

    def add_task(
        self, realm: str, kind: TaskKind, client_id: str | None, document_ids: Sequence[str]
    ) -> Task:
        if kind is TaskKind.FULL_SYNC:
            if client_id is None:
                raise ValueError("A full_sync task needs a client_id.")
            self.get_client(realm, client_id)
            document_ids = []
        else:
            if not document_ids:
                raise ValueError("A resend task needs document_ids.")
            for document_id in document_ids:
                self.get_document(realm, document_id)
        task_id = _new_id("tsk")
        with self._transaction() as db:
            db.execute(
                "INSERT INTO tasks (id, realm, kind, client_id, document_ids, status, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    task_id,
                    realm,
                    kind.value,
                    client_id,
                    json.dumps(list(document_ids)),
                    TaskStatus.QUEUED.value,
                    _iso(utcnow()),
                ),
            )
        self._emit(realm, "tasks")
        return self.get_task(realm, task_id)

    @staticmethod
    def _task(row: sqlite3.Row) -> Task:
        return Task(
            id=row["id"],
            kind=TaskKind(row["kind"]),
            client_id=row["client_id"],
            document_ids=json.loads(row["document_ids"]),
            status=TaskStatus(row["status"]),
            created_at=dt.datetime.fromisoformat(row["created_at"]),
            completed_at=_from_iso(row["completed_at"]),
            result=None if row["result"] is None else TaskReport.model_validate_json(row["result"]),
        )

    def get_task(self, realm: str, task_id: str) -> Task:
        rows = self._query("SELECT * FROM tasks WHERE realm = ? AND id = ?", (realm, task_id))
        if not rows:
            raise NotFoundError(f"There is no task '{task_id}'.")
        return self._task(rows[0])

    def open_tasks_after(self, realm: str, after: int, limit: int) -> tuple[list[Task], int]:
        rows = self._query(
            "SELECT * FROM tasks WHERE realm = ? AND status = ? AND seq > ? ORDER BY seq LIMIT ?",
            (realm, TaskStatus.QUEUED.value, after, limit),
        )
        return [self._task(r) for r in rows], (rows[-1]["seq"] if rows else after)

    def complete_task(self, realm: str, task_id: str, report: TaskReport) -> Task:
        """Record a task's outcome; the same report again is harmless, another one conflicts."""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT status, result FROM tasks WHERE realm = ? AND id = ?", (realm, task_id)
            ).fetchall()
            if not rows:
                raise NotFoundError(f"There is no task '{task_id}'.")
            if rows[0]["result"] is not None:
                if TaskReport.model_validate_json(rows[0]["result"]) != report:
                    raise ConflictError(
                        f"Task '{task_id}' already has a different result; a task is done once."
                    )
            else:
                db.execute(
                    "UPDATE tasks SET status = ?, completed_at = ?, result = ? WHERE id = ?",
                    (report.outcome.value, _iso(utcnow()), report.model_dump_json(), task_id),
                )
        return self.get_task(realm, task_id)

    # --- OIDC: signing keys and refresh-token families ----------------------------------------

    def get_signing_key(self, realm: str) -> dict[str, Any] | None:
        rows = self._query("SELECT jwk FROM signing_keys WHERE realm = ?", (realm,))
        return json.loads(rows[0]["jwk"]) if rows else None

    def put_signing_key(self, realm: str, jwk: dict[str, Any]) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO signing_keys (realm, jwk, created_at) VALUES (?, ?, ?)",
                (realm, json.dumps(jwk), _iso(utcnow())),
            )

    def create_family(
        self, realm: str, username: str, client_id: str, scope: str, auth_time: int
    ) -> TokenFamily:
        family = TokenFamily(
            id=_new_id("fam"),
            realm=realm,
            username=username,
            client_id=client_id,
            scope=scope,
            auth_time=auth_time,
        )
        with self._transaction() as db:
            db.execute(
                "INSERT INTO token_families (id, realm, username, client_id, scope, auth_time,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (family.id, realm, username, client_id, scope, auth_time, _iso(utcnow())),
            )
        return family

    def add_refresh_token(self, family_id: str, token: str, expires_at: dt.datetime) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO refresh_tokens (hash, family_id, issued_at, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (hash_token(token), family_id, _iso(utcnow()), _iso(expires_at)),
            )

    def rotate_refresh_token(
        self, realm: str, token: str, client_id: str
    ) -> tuple[RefreshOutcome, TokenFamily | None]:
        """Spend a refresh token; a token spent twice revokes its whole family (reuse detected)."""
        now = utcnow()
        with self._transaction() as db:
            rows = db.execute(
                "SELECT t.expires_at, t.rotated_at, f.* FROM refresh_tokens t"
                " JOIN token_families f ON f.id = t.family_id WHERE t.hash = ?",
                (hash_token(token),),
            ).fetchall()
            if not rows or rows[0]["realm"] != realm or rows[0]["client_id"] != client_id:
                return RefreshOutcome.UNKNOWN, None
            row = rows[0]
            family = TokenFamily(
                id=row["id"],
                realm=row["realm"],
                username=row["username"],
                client_id=row["client_id"],
                scope=row["scope"],
                auth_time=row["auth_time"],
            )
            if row["revoked_at"] is not None:
                return RefreshOutcome.REVOKED, family
            if row["rotated_at"] is not None:
                self._revoke_families(db, [family.id], "refresh token reused")
                return RefreshOutcome.REUSED, family
            if dt.datetime.fromisoformat(row["expires_at"]) <= now:
                return RefreshOutcome.EXPIRED, family
            db.execute(
                "UPDATE refresh_tokens SET rotated_at = ? WHERE hash = ?",
                (_iso(now), hash_token(token)),
            )
            return RefreshOutcome.OK, family

    def family_of_refresh_token(self, token: str) -> TokenFamily | None:
        rows = self._query(
            "SELECT f.* FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id"
            " WHERE t.hash = ?",
            (hash_token(token),),
        )
        if not rows:
            return None
        row = rows[0]
        return TokenFamily(
            id=row["id"],
            realm=row["realm"],
            username=row["username"],
            client_id=row["client_id"],
            scope=row["scope"],
            auth_time=row["auth_time"],
        )

    def _revoke_families(self, db: sqlite3.Connection, ids: Sequence[str], reason: str) -> None:
        db.executemany(
            "UPDATE token_families SET revoked_at = ?, revoke_reason = ?"
            " WHERE id = ? AND revoked_at IS NULL",
            [(_iso(utcnow()), reason, i) for i in ids],
        )
        self._revoked_families.update(ids)

    def revoke_family(self, family_id: str, reason: str) -> None:
        with self._transaction() as db:
            self._revoke_families(db, [family_id], reason)

    def revoke_user(self, realm: str, username: str) -> int:
        """End every login of a user; returns how many were still active."""
        with self._transaction() as db:
            ids = [
                r[0]
                for r in db.execute(
                    "SELECT id FROM token_families WHERE realm = ? AND username = ?"
                    " AND revoked_at IS NULL",
                    (realm, username),
                )
            ]
            self._revoke_families(db, ids, "revoked by the administrator")
        return len(ids)

    def is_family_revoked(self, family_id: str) -> bool:
        return family_id in self._revoked_families

    def revoke_access_token(self, jti: str, expires_at: int) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO revoked_access_tokens (jti, expires_at) VALUES (?, ?)",
                (jti, expires_at),
            )
        self._revoked_jtis.add(jti)

    def is_access_token_revoked(self, jti: str) -> bool:
        return jti in self._revoked_jtis
