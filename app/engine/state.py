"""The engine's memory: what was delivered where, what is still to do, and what happened.

One SQLite file in WAL mode, written only by the engine thread. Every step of a delivery is
recorded after it is done and is safe to repeat, so a kill at any instant is finished on
restart by doing the unfinished steps again: the work queue and the changes-feed cursor move
together in one transaction, a document leaves the queue only once its report reached the
platform, and a file already on disk with the same checksum is recognised, not rewritten.

Every write goes through :meth:`StateStore._write`, which counts writes and can be told to
fail the n-th one, for the fault-loop tests.

The schema changes only through the numbered steps of :data:`_MIGRATIONS`, each in its own
transaction, with a copy of the file kept before the first step; a file written by a newer
Ferry is refused in plain words and left untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import math
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS queue (
    document_id TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    enqueued_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS queue_order ON queue (enqueued_at, document_id);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    amount TEXT,
    currency TEXT,
    counterparty TEXT,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT,
    locations TEXT NOT NULL DEFAULT '[]',
    last_attempt REAL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_status ON documents (status);
CREATE TABLE IF NOT EXISTS deliveries (
    document_id TEXT NOT NULL,
    destination TEXT NOT NULL,
    state TEXT NOT NULL,
    paths TEXT NOT NULL DEFAULT '[]',
    error_code TEXT,
    message TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_retry REAL,
    updated REAL NOT NULL,
    PRIMARY KEY (document_id, destination)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    started REAL NOT NULL,
    finished REAL,
    documents INTEGER NOT NULL DEFAULT 0,
    delivered INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    message TEXT
);
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    received REAL NOT NULL,
    finished REAL,
    outcome TEXT,
    message TEXT
);
"""


def _create_v1(db: sqlite3.Connection) -> None:
    for statement in _SCHEMA_V1.split(";"):
        if statement.strip():
            db.execute(statement)


def _files_gone(db: sqlite3.Connection) -> None:
    """2: when a full sync found a delivered file no longer where Ferry wrote it (picked up
    or moved by the accounting software). Never a reason to deliver it again by itself."""
    db.execute("ALTER TABLE deliveries ADD COLUMN gone_since REAL")


def _failures_as_data(db: sqlite3.Connection) -> None:
    """3: why a document is in Error or waits, as codes and parameters (JSON) worded by whoever
    shows them in the reader's language, and when Ferry tries it again by itself."""
    db.execute("ALTER TABLE documents ADD COLUMN failures TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE documents ADD COLUMN next_try REAL")


def _runs_as_data(db: sqlite3.Connection) -> None:
    """4: what stopped a run as failures (codes and parameters) and what a full sync found
    picked up or moved per destination, so the Activity tab words old runs in today's language."""
    db.execute("ALTER TABLE runs ADD COLUMN failures TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE runs ADD COLUMN moved TEXT NOT NULL DEFAULT '{}'")


def _runs_as_history(db: sqlite3.Connection) -> None:
    """5: the Activity tab as a history: a run's client (a platform task's, a full sync of one
    client) by id and by its name then, the documents that failed in it with their failures
    (JSON), when an open run last grew (continuous syncing keeps one open for a period), and
    whether it was cut short (a run a crash or a kill left open, ended at the next start)."""
    db.execute("ALTER TABLE runs ADD COLUMN client_id TEXT")
    db.execute("ALTER TABLE runs ADD COLUMN client_name TEXT")
    db.execute("ALTER TABLE runs ADD COLUMN failed_documents TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE runs ADD COLUMN updated REAL")
    db.execute("ALTER TABLE runs ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0")


def _history_at_scale(db: sqlite3.Connection) -> None:
    """6: an office's whole history (a million documents) without reading all of it: the
    table and ``ferry status`` read documents in order, or of one status in order, by index;
    the queue is refilled by when each document is due, so documents postponed for a day
    (in Error) are not stepped over on every refill; and the folders Ferry delivered into are
    kept as a short list, so a start looks for unfinished temporary files there without
    reading every delivery."""
    db.execute("DROP INDEX IF EXISTS documents_status")
    db.execute("CREATE INDEX documents_order ON documents (created_at, id)")
    db.execute("CREATE INDEX documents_by_status ON documents (status, created_at, id)")
    db.execute("DROP INDEX IF EXISTS queue_order")
    db.execute("CREATE INDEX queue_due ON queue (not_before, enqueued_at, document_id)")
    db.execute(
        "CREATE INDEX deliveries_gone ON deliveries (document_id) WHERE gone_since IS NOT NULL"
    )
    db.execute("CREATE TABLE folders (path TEXT PRIMARY KEY) WITHOUT ROWID")
    folders: set[str] = set()
    for (paths,) in db.execute("SELECT paths FROM deliveries"):
        folders.update(_parents(json.loads(paths)))
    db.executemany("INSERT OR IGNORE INTO folders (path) VALUES (?)", [(f,) for f in folders])


def _table_at_scale(db: sqlite3.Connection) -> None:
    """7: the desktop window's table read a page at a time, filtered and sorted in SQL
    (:meth:`StateStore.table_page`): each document keeps what the table sorts and searches
    by, computed when it is written (a number's natural order, an amount as a number, the
    first place it was written and its message casefolded, and its search text), and every
    column the table sorts by has an index that reads it in order, ties broken as the window
    breaks them (oldest first)."""
    db.execute("ALTER TABLE documents ADD COLUMN search TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE documents ADD COLUMN number_key TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE documents ADD COLUMN amount_key REAL")
    db.execute("ALTER TABLE documents ADD COLUMN destination_key TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE documents ADD COLUMN message_key TEXT NOT NULL DEFAULT ''")
    db.execute(f"UPDATE documents SET {TABLE_KEYS}")  # noqa: S608 - fixed text
    for name, columns in _TABLE_INDEXES.items():
        db.execute(f"CREATE INDEX {name} ON documents ({columns}, created_at, id)")
    # the search text with what a typed word also matches (a client's name, a kind's or a
    # status's word: the window names them), so that a text filter scans this, not every
    # whole document
    db.execute("CREATE INDEX documents_search ON documents (search, client_id, kind, status)")


#: What a text filter's word at least this long is looked up by: the trigram index
#: (:func:`_search_by_trigrams`); a shorter word has no trigram and is looked for in each row.
TRIGRAM = 3


def _search_by_trigrams(db: sqlite3.Connection) -> None:
    """8: a text filter that looks words up instead of reading every document's search text:
    a full-text index of trigrams over the search text (SQLite's FTS5, external content: the
    text stays in ``documents`` alone), kept by triggers at every write. The search text is
    casefolded by Ferry, so the index compares as written (``case_sensitive 1``): a word of
    three or more characters matches where ``instr`` matched, no more and no less."""
    db.execute(
        "CREATE VIRTUAL TABLE documents_words USING fts5(search, content='documents', "
        "content_rowid='rowid', tokenize='trigram case_sensitive 1')"
    )
    # A document is written with an empty search text and given its keys in the same
    # transaction; only a text that changed is taken out of the index and put back.
    db.execute(
        "CREATE TRIGGER documents_words_insert AFTER INSERT ON documents BEGIN "
        "INSERT INTO documents_words (rowid, search) SELECT new.rowid, new.search "
        "WHERE new.search != ''; END"
    )
    db.execute(
        "CREATE TRIGGER documents_words_delete AFTER DELETE ON documents BEGIN "
        "INSERT INTO documents_words (documents_words, rowid, search) "
        "SELECT 'delete', old.rowid, old.search WHERE old.search != ''; END"
    )
    db.execute(
        "CREATE TRIGGER documents_words_update AFTER UPDATE OF search ON documents "
        "WHEN old.search IS NOT new.search BEGIN "
        "INSERT INTO documents_words (documents_words, rowid, search) "
        "SELECT 'delete', old.rowid, old.search WHERE old.search != ''; "
        "INSERT INTO documents_words (rowid, search) SELECT new.rowid, new.search "
        "WHERE new.search != ''; END"
    )
    db.execute(  # as the triggers index: empty texts left out
        "INSERT INTO documents_words (rowid, search) "
        "SELECT rowid, search FROM documents WHERE search != ''"
    )


#: A document's place in :data:`document_counts <_counts_kept>`: its status, and whether it
#: is To fetch tried already (*waiting*, as the table shows it).
_COUNTED_AS = "{row}.status, ({row}.status = 'to_fetch' AND {row}.failures != '[]')"


def _counts_kept(db: sqlite3.Connection) -> None:
    """9: what the window says at a glance read, not counted: the documents per status (and
    how many of To fetch are waiting) kept by triggers at every write, so the counts a live
    sync asks for after each batch cost a few rows, not a walk of the whole history's status
    index; and the documents forwarded, by when, so *today* counts today's."""
    old, new = _COUNTED_AS.format(row="old"), _COUNTED_AS.format(row="new")
    add = (
        f"INSERT INTO document_counts (status, waiting, n) VALUES ({new}, 1) "  # noqa: S608
        "ON CONFLICT (status, waiting) DO UPDATE SET n = n + 1;"
    )
    take = f"UPDATE document_counts SET n = n - 1 WHERE (status, waiting) = ({old});"  # noqa: S608
    db.execute(
        "CREATE TABLE document_counts (status TEXT NOT NULL, waiting INTEGER NOT NULL, "
        "n INTEGER NOT NULL, PRIMARY KEY (status, waiting)) WITHOUT ROWID"
    )
    db.execute(f"CREATE TRIGGER documents_count_insert AFTER INSERT ON documents BEGIN {add} END")
    db.execute(f"CREATE TRIGGER documents_count_delete AFTER DELETE ON documents BEGIN {take} END")
    db.execute(
        "CREATE TRIGGER documents_count_update AFTER UPDATE OF status, failures ON documents "
        f"WHEN ({old}) IS NOT ({new}) BEGIN {take} {add} END"
    )
    present = _COUNTED_AS.format(row="documents")
    db.execute(
        "INSERT INTO document_counts (status, waiting, n) "  # noqa: S608 - fixed text
        f"SELECT {present}, COUNT(*) FROM documents GROUP BY 1, 2"
    )
    db.execute(
        "CREATE INDEX documents_forwarded ON documents (last_attempt) WHERE status = 'forwarded'"
    )


#: The schema's steps: step ``n`` takes a file from version ``n`` to ``n + 1`` (0 is a new file).
_MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _create_v1,
    _files_gone,
    _failures_as_data,
    _runs_as_data,
    _runs_as_history,
    _history_at_scale,
    _table_at_scale,
    _search_by_trigrams,
    _counts_kept,
)
SCHEMA_VERSION = len(_MIGRATIONS)


class StateTooNew(Exception):
    """The state file was written by a newer Ferry: refused, and left untouched. ``failure``
    says so as data (:mod:`app.core.start_failures`), :meth:`message` in any language; the
    exception's own text is the English words."""

    def __init__(self, path: Path, found: int, known: int) -> None:
        from app.core.start_failures import StartFailure, StartFailureCode

        self.failure = StartFailure.of(
            StartFailureCode.STATE_TOO_NEW, path=path, found=found, known=known
        )
        super().__init__(self.failure.message())

    def message(self, language: str = "en") -> str:
        from app.core.language import parse_language

        return self.failure.message(parse_language(language))


class DeliveryState(StrEnum):
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True)
class QueueItem:
    document_id: str
    reason: str
    attempts: int
    #: Its deliveries by destination, when read with it (``due(with_deliveries=True)``).
    deliveries: dict[str, DeliveryRow] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class DeliveryRow:
    document_id: str
    destination: str
    state: DeliveryState
    paths: list[str]
    error_code: str | None
    message: str | None
    attempts: int
    next_retry: float | None
    #: When a full sync found its files gone from where Ferry wrote them; None while they are there.
    gone_since: float | None = None


@dataclass(frozen=True)
class DeliveryOutcome:
    """What one pass did for one destination: the paths, or why it failed and when to retry."""

    destination: str
    paths: list[str]
    error_code: str | None = None
    message: str | None = None
    next_retry: float | None = None


@dataclass(frozen=True)
class Completion:
    """Everything one pass did with one document, recorded in one go once it was reported."""

    document: dict[str, Any]
    outcomes: list[DeliveryOutcome]
    status: str | None
    message: str | None
    locations: list[str]
    forget_first: bool = False
    retry_at: float | None = None
    #: Why it failed or waits: ``Failure.to_json()`` of each (see app.core.failures).
    failures: list[dict[str, Any]] = field(default_factory=list)
    #: With ``retry_at``: the queue's reason from now on (a resend that waits is not a resend
    #: any more once some destinations have it).
    reason: str | None = None


@dataclass(frozen=True)
class MovedFile:
    """A delivery whose files are no longer where Ferry wrote them, and since when."""

    document_id: str
    destination: str
    paths: list[str]
    gone_since: float


#: The destinations a document's files were picked up or moved from, joined by a unit separator.
_MOVED = (
    "SELECT group_concat(destination, char(31)) FROM deliveries WHERE deliveries.document_id = "
    "documents.id AND gone_since IS NOT NULL"
)


# -- the desktop window's table, read from here a page at a time -------------------------------

#: What each document keeps for the table (migration 7), computed from its fields when written:
#: in SQL where SQLite can, casefolded by Python (SQLite's ``lower`` knows only ASCII).
TABLE_KEYS = (
    "search = ferry_fold(number || char(10) || issue_date || char(10) || coalesce(message, '') "
    "|| char(10) || coalesce((SELECT group_concat(value, char(10)) FROM json_each(locations)), "
    "'') || coalesce(char(10) || amount || char(10) || ferry_digits(amount), '') || "
    "coalesce(char(10) || currency, '')), "
    "number_key = ferry_natural(number), amount_key = ferry_amount(amount), "
    "destination_key = ferry_fold(json_extract(locations, '$[0]')), "
    "message_key = ferry_fold(message)"
)
#: An index per column the table sorts by in order (``created_at, id`` appended: the ties).
_TABLE_INDEXES = {
    "documents_client": "client_id",
    "documents_kind": "kind",
    "documents_number": "number_key",
    "documents_date": "issue_date",
    "documents_amount": "amount_key",
    "documents_destination": "destination_key",
    "documents_message": "message_key",
    "documents_attempt": "last_attempt",
}
#: The table's sort columns that an index reads in order, and the key each one sorts by.
_SORTED_BY = {
    "number": "number_key",
    "date": "issue_date",
    "amount": "amount_key",
    "destination": "destination_key",
    "message": "message_key",
    "last_attempt": "last_attempt",
}
#: The columns sorted by words the window has (a client's name, a kind's word in the person's
#: language): sorted as the window orders their values (``order``), each value a run of rows.
_SORTED_BY_VALUE = {"client": "client_id", "kind": "kind"}
TABLE_SORTS = frozenset({*_SORTED_BY, *_SORTED_BY_VALUE, "status"})
#: Up to this many documents a text filter lets through (and one in 50 of the history) are
#: sorted as a set, not read in an index's order.
FEW_MATCHES = 50_000
#: Ids named in one ``IN (...)`` list (SQLite takes at most 32,766 parameters).
_IN_CHUNK = 10_000

WAITING = "waiting"
#: A status as the table shows it, in SQL: *waiting* is To fetch tried already (it has failures).
_SHOWN_STATUS = {
    "error": "status = 'error'",
    WAITING: "(status = 'to_fetch' AND failures != '[]')",
    "to_fetch": "(status = 'to_fetch' AND failures = '[]')",
    "forwarded": "status = 'forwarded'",
}
#: The clients that have documents, one index probe each (a skip scan) instead of a walk of
#: every document's entry in the client index: a few hundred clients, a million documents.
_CLIENTS_WITH_DOCUMENTS = """
    WITH RECURSIVE seen(client_id) AS (
        SELECT MIN(client_id) FROM documents
        UNION ALL
        SELECT (SELECT MIN(client_id) FROM documents WHERE client_id > seen.client_id)
        FROM seen WHERE seen.client_id IS NOT NULL
    )
    SELECT client_id FROM seen WHERE client_id IS NOT NULL
"""
#: Sorting by status puts what needs a person first, as the window does.
_STATUS_RUNS = (
    *_SHOWN_STATUS.values(),
    "status NOT IN ('error', 'to_fetch', 'forwarded')",
)
_TABLE_ONLY = ("search", "number_key", "amount_key", "destination_key", "message_key")
_DIGIT_RUN = re.compile(r"\d+")


@dataclass(frozen=True)
class TableWord:
    """One word typed in the table's text filter, as the window hands it over: casefolded
    (an amount with separators as its digits), with what its words match that the state does
    not hold in the person's language: the kinds, shown statuses and clients whose word or
    name, as the window shows it, contains it."""

    text: str
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    clients: tuple[str, ...] = ()


def natural_key(text: str) -> str:
    """``INV-2`` before ``INV-10``: digit runs zero-padded, casefolded; plain string order
    then orders numbers as numbers (the table's Number column)."""
    return _DIGIT_RUN.sub(lambda match: match.group().zfill(20), text.casefold())


def amount_key(amount: str | None) -> float | None:
    """An amount as a number to sort by; None (first) when absent or not a finite number."""
    if amount is None:
        return None
    try:
        value = float(Decimal(amount))
    except (InvalidOperation, ValueError):
        return None
    return value if math.isfinite(value) else None


def amount_digits(amount: str) -> str:
    """An amount's digits with its two decimals ("1640.00" -> "164000"): what a typed amount
    is compared with, whichever way it groups and marks decimals."""
    try:
        value = abs(Decimal(amount))
    except InvalidOperation:
        return ""
    if not value.is_finite():
        return ""
    return f"{value:.2f}".replace(".", "")


def _fold(text: str | None) -> str:
    return (text or "").casefold()


def _digits(amount: str | None) -> str | None:
    return None if amount is None else amount_digits(amount)


def _natural(text: str | None) -> str:
    return natural_key(text or "")


def _amount(amount: str | None) -> float | None:
    """:func:`amount_key`, the common case (a plain decimal) without Decimal."""
    if amount is None:
        return None
    try:
        value = float(amount)
    except ValueError:
        return amount_key(amount)
    return value if math.isfinite(value) else None


def _table_functions(db: sqlite3.Connection) -> None:
    """The functions :data:`TABLE_KEYS` calls, on this connection (only Ferry writes it)."""
    db.create_function("ferry_fold", 1, _fold, deterministic=True)
    db.create_function("ferry_natural", 1, _natural, deterministic=True)
    db.create_function("ferry_amount", 1, _amount, deterministic=True)
    db.create_function("ferry_digits", 1, _digits, deterministic=True)


def rekey(db: sqlite3.Connection, document_id: str) -> None:
    """A document's table keys again, after its fields changed."""
    db.execute(f"UPDATE documents SET {TABLE_KEYS} WHERE id = ?", (document_id,))  # noqa: S608


def _table_where(
    status: str | None,
    client_id: str | None,
    words: Sequence[TableWord],
    looked_up: Collection[str] = (),
    *,
    walk: bool = False,
) -> tuple[list[str], list[Any]]:
    """The table's filters as SQL clauses (fixed text) and their arguments; the words in
    ``looked_up`` are found through the trigram index, the others read in each row.

    A word's alternatives (the index's rows, its clients, its kinds) can each be looked up by
    index, and SQLite then gathers every match and sorts them: right for counting, slow for a
    page when the word matches many documents. ``walk`` marks them not to be looked up (a
    unary ``+``), so that a page walks the sort's index and stops at a page's worth."""
    mark = "+" if walk else ""
    clauses: list[str] = []
    args: list[Any] = []
    if status:
        shown = _SHOWN_STATUS.get(status)
        if shown is None:
            clauses.append("status = ?")
            args.append(status)
        else:  # the waiting ones are To fetch too: a filter on To fetch shows them
            clauses.append("status = 'to_fetch'" if status == "to_fetch" else shown)
    if client_id is not None:
        clauses.append("client_id = ?")
        args.append(client_id)
    for word in words:
        if word.text in looked_up:  # found in the index, not read in every row
            either = [
                f"{mark}documents.rowid IN "  # noqa: S608 - fixed text
                "(SELECT rowid FROM documents_words WHERE documents_words MATCH ?)"
            ]
            args.append(_phrase(word.text))
        else:
            either = ["instr(search, ?) > 0"]
            args.append(word.text)
        for column, values in (("kind", word.kinds), ("client_id", word.clients)):
            if values:
                either.append(f"{mark}{column} IN ({','.join('?' * len(values))})")
                args += values
        for shown_status in word.statuses:
            known = _SHOWN_STATUS.get(shown_status)
            if known is None:
                either.append("status = ?")
                args.append(shown_status)
            else:
                either.append(known)
        clauses.append("(" + " OR ".join(either) + ")")
    return clauses, args


def _phrase(text: str) -> str:
    """A typed word as one FTS5 phrase: matched as written, whatever characters it holds."""
    return '"' + text.replace('"', '""') + '"'


def _where(clauses: Sequence[str]) -> str:
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


@dataclass(frozen=True)
class _Run:
    """Rows the table shows one after another: a value of a column sorted by words (one
    client, one kind), or a status, or, alone, every row in an index's order."""

    clause: str | None
    args: tuple[Any, ...]
    order: str  # ORDER BY, ascending; reversed for descending
    count: int


@dataclass(frozen=True)
class RunRow:
    id: int
    kind: str
    started: float
    finished: float | None
    documents: int
    delivered: int
    failed: int
    message: str | None
    #: ``Failure.to_json()`` of what stopped it (see app.core.failures).
    failures: list[dict[str, Any]] = field(default_factory=list)
    #: Per destination: forwarded documents whose files a full sync found gone.
    moved: dict[str, int] = field(default_factory=dict)
    #: The client it was for (a platform task's, a full sync of one client), and its name then.
    client_id: str | None = None
    client_name: str | None = None
    #: The documents that failed in it: ``{"document_id", "number", "kind", "failures"}``.
    failed_documents: list[dict[str, Any]] = field(default_factory=list)
    #: Left open by a crash or a kill, ended at the next start (``finished`` is when it was
    #: last seen at work).
    interrupted: bool = False


#: At most this many failed documents are kept per run (their count is kept whole).
RUN_FAILED_DOCUMENTS = 100


#: Queue reasons that a person's act put there (*Deliver again here*, an archive's restore of
#: what Ferry delivered before): such a document is delivered whatever its date.
PERSONS_ACTS = frozenset({"deliver_again", "restore"})

#: Queue a document (again): due at once. A person's act stays the reason until the document
#: is handled; the feed or a full sync queueing it meanwhile must not turn it into an ordinary
#: change, which the client's link date could then skip, dropping what the person asked for.
_QUEUE_UPSERT = (
    "INSERT INTO queue (document_id, reason, enqueued_at) VALUES (?, ?, ?) "
    "ON CONFLICT (document_id) DO UPDATE SET not_before = 0, reason = CASE WHEN queue.reason IN "
    "('deliver_again', 'restore') THEN queue.reason ELSE excluded.reason END"  # PERSONS_ACTS
)


class StateStore:
    """The engine's SQLite state; use from one thread, or under the store's own lock."""

    def __init__(self, path: Path, *, write_hook: Callable[[int], None] | None = None) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA busy_timeout=10000")
        try:
            self._refuse_newer()  # before WAL is switched on: that rewrites the file's header
        except BaseException:
            self._db.close()
            raise
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives any crash of the process; after a power cut the last
        # commits may be lost, which the next run redoes (files are recognised by checksum).
        self._db.execute("PRAGMA synchronous=NORMAL")
        # A row replaced (INSERT OR REPLACE) fires the delete triggers too, so what the
        # triggers keep (the words index, the counts) forgets the row it replaced.
        self._db.execute("PRAGMA recursive_triggers=ON")
        _table_functions(self._db)
        self._lock = threading.RLock()
        self.writes = 0
        self.write_hook = write_hook
        #: The last table question's filters, read (which words the index finds, the rows a
        #: text filter names, the runs and their counts) and when: the pages of one refresh
        #: ask the same filters, and count them once while nothing was written in between.
        self._table_memo: tuple[Any, list[str], list[Any], list[_Run]] | None = None
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    def _refuse_newer(self) -> None:
        if self.path.with_name(f"{self.path.name}-wal").exists():
            # A newer Ferry's last commits may wait in its -wal (it was killed): read through
            # a read-only connection, whose close does not checkpoint them into the file.
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            with contextlib.closing(sqlite3.connect(uri, uri=True)) as peek:
                version = int(peek.execute("PRAGMA user_version").fetchone()[0])
        else:
            version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StateTooNew(self.path, version, SCHEMA_VERSION)

    def _migrate(self) -> None:
        """Bring the file to :data:`SCHEMA_VERSION`, one numbered step per transaction."""
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if 0 < version < SCHEMA_VERSION:
            backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
            if not backup.exists():
                with contextlib.closing(sqlite3.connect(backup)) as copy:
                    self._db.backup(copy)
                log.info("state version %d kept as %s before upgrading", version, backup)
        while version < SCHEMA_VERSION:
            with self._write() as db:
                # another process (the engine, the window reading the table) may have taken
                # the step while this one waited for the write lock
                version = int(db.execute("PRAGMA user_version").fetchone()[0])
                if version >= SCHEMA_VERSION:
                    break
                _MIGRATIONS[version](db)
                version += 1
                db.execute(f"PRAGMA user_version={version}")
            log.info("state upgraded to version %d", version)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; all of it lands or none of it does."""
        with self._lock:
            self.writes += 1
            if self.write_hook is not None:
                self.write_hook(self.writes)
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._db.execute(sql, args))

    # -- meta ----------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- the work queue, moved together with the feed cursor ----------------------------------

    def enqueue(
        self,
        items: Sequence[tuple[str, str]],
        *,
        cursor_key: str | None = None,
        cursor: str | None = None,
    ) -> None:
        """Queue ``(document_id, reason)`` pairs and, in the same transaction, move a cursor."""
        now = time.time()
        with self._write() as db:
            db.executemany(
                _QUEUE_UPSERT,
                [(document_id, reason, now) for document_id, reason in items],
            )
            if cursor_key is not None and cursor is not None:
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (cursor_key, cursor)
                )

    def due(
        self, limit: int, now: float | None = None, *, with_deliveries: bool = False
    ) -> list[QueueItem]:
        """The documents due by ``now``, oldest first; ``with_deliveries`` reads what was
        delivered of them too, in one query for all instead of one per document."""
        moment = time.time() if now is None else now
        # Two ranges of one index: the documents never postponed, and the postponed ones
        # come due. Documents postponed beyond ``now`` (in Error: up to a day) are not read.
        fresh = self._read(
            "SELECT document_id, reason, attempts, enqueued_at FROM queue WHERE not_before = 0 "
            "AND ? >= 0 ORDER BY enqueued_at, document_id LIMIT ?",
            (moment, limit),
        )
        again = self._read(
            "SELECT document_id, reason, attempts, enqueued_at FROM queue "
            "WHERE not_before > 0 AND not_before <= ? ORDER BY not_before LIMIT ?",
            (moment, limit),
        )
        rows = fresh
        if again:
            rows = sorted(fresh + again, key=lambda r: (r["enqueued_at"], r["document_id"]))
            rows = rows[:limit]
        if not with_deliveries or not rows:
            return [QueueItem(r["document_id"], r["reason"], r["attempts"]) for r in rows]
        found = self.deliveries_of([r["document_id"] for r in rows])
        return [
            QueueItem(r["document_id"], r["reason"], r["attempts"], found[r["document_id"]])
            for r in rows
        ]

    def deliveries_of(self, ids: Sequence[str]) -> dict[str, dict[str, DeliveryRow]]:
        """The deliveries of many documents by destination, in a query per 500 of them."""
        found: dict[str, dict[str, DeliveryRow]] = {document_id: {} for document_id in ids}
        for chunk in range(0, len(ids), 500):  # SQLite's limit on parameters is 999 at least
            part = list(ids[chunk : chunk + 500])
            marks = ",".join("?" * len(part))
            for row in self._read(
                f"SELECT * FROM deliveries WHERE document_id IN ({marks})",  # noqa: S608 - placeholders only
                part,
            ):
                delivery = _delivery(row)
                found[delivery.document_id][delivery.destination] = delivery
        return found

    def queue_size(self) -> int:
        return int(self._read("SELECT COUNT(*) AS n FROM queue")[0]["n"])

    def next_due(self) -> float | None:
        rows = self._read("SELECT MIN(not_before) AS t FROM queue")
        value = rows[0]["t"]
        return float(value) if value is not None else None

    def next_retry(self, until: float) -> float | None:
        """When the first queued document not in Error comes due, if by ``until``: what a
        pass waits for (a destination that waits, the platform busy). Read by index, from
        the earliest on, never past ``until``."""
        rows = self._read(
            "SELECT not_before FROM queue WHERE not_before <= ? AND NOT EXISTS (SELECT 1 FROM "
            "documents WHERE documents.id = queue.document_id AND documents.status = 'error') "
            "ORDER BY not_before LIMIT 1",
            (until,),
        )
        return float(rows[0]["not_before"]) if rows else None

    def requeue_errors(self, reason: str) -> int:
        """Queue every document in Error to be tried again now, in one statement (at start and
        each night); returns how many."""
        with self._write() as db:
            return db.execute(
                "INSERT INTO queue (document_id, reason, enqueued_at) SELECT id, ?, ? FROM "
                "documents WHERE status = 'error' ORDER BY created_at, id ON CONFLICT "
                "(document_id) DO UPDATE SET not_before = 0, reason = CASE WHEN queue.reason IN "
                "('deliver_again', 'restore') THEN queue.reason ELSE excluded.reason END",
                (reason, time.time()),
            ).rowcount

    def postpone(self, document_id: str, until: float) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE queue SET attempts = attempts + 1, not_before = ? WHERE document_id = ?",
                (until, document_id),
            )

    def done(self, document_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM queue WHERE document_id = ?", (document_id,))

    # -- one document's outcome, in one transaction -------------------------------------------

    def complete_document(
        self,
        document: dict[str, Any],
        outcomes: Sequence[DeliveryOutcome],
        *,
        status: str | None,
        message: str | None,
        locations: Sequence[str],
        forget_first: bool = False,
        retry_at: float | None = None,
    ) -> None:
        """Record everything one pass did with a document, then take it off the queue (or
        schedule its retry), all in one commit.

        Nothing before this commit needs recording for safety: a file already delivered is
        recognised by its checksum when the document is done again, and reports are idempotent.
        """
        self.complete_documents(
            [
                Completion(
                    document,
                    list(outcomes),
                    status,
                    message,
                    list(locations),
                    forget_first,
                    retry_at,
                )
            ]
        )

    def complete_documents(self, completions: Sequence[Completion]) -> None:
        """:meth:`complete_document` for several documents, in one commit: all or none."""
        now = time.time()
        with self._write() as db:
            for completion in completions:
                _complete(db, completion, now)

    # -- documents as the table shows them ----------------------------------------------------

    def upsert_document(self, document: dict[str, Any]) -> None:
        with self._write() as db:
            _upsert_document(db, document)

    def set_document_status(
        self,
        document_id: str,
        status: str,
        message: str | None,
        locations: Sequence[str] = (),
    ) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE documents SET status = ?, message = ?, locations = ?, last_attempt = ?, "
                "updated = ? WHERE id = ?",
                (
                    status,
                    message,
                    json.dumps(list(locations)),
                    time.time(),
                    time.time(),
                    document_id,
                ),
            )
            rekey(db, document_id)

    def document(self, document_id: str) -> dict[str, Any] | None:
        rows = self._read(
            f"SELECT documents.*, ({_MOVED}) AS moved FROM documents WHERE id = ?",  # noqa: S608 - fixed text
            (document_id,),
        )
        return _document_dict(rows[0]) if rows else None

    def documents(self, status: str | None = None) -> list[dict[str, Any]]:
        """Documents as the table and ``ferry status`` show them; ``moved`` names the
        destinations their files were picked up or moved from."""
        where = "WHERE status = ?" if status else ""
        rows = self._read(
            f"SELECT documents.*, ({_MOVED}) AS moved FROM documents {where} "  # noqa: S608 - fixed text
            "ORDER BY created_at, id",
            (status,) if status else (),
        )
        return [_document_dict(row) for row in rows]

    def count(self, status: str | None = None) -> int:
        """How many documents Ferry knows (of ``status``): counted by index, none read."""
        if status is None:
            return int(self._read("SELECT COUNT(*) AS n FROM documents")[0]["n"])
        rows = self._read("SELECT COUNT(*) AS n FROM documents WHERE status = ?", (status,))
        return int(rows[0]["n"])

    def error_ids(self) -> list[str]:
        """The documents in Error, oldest first: their ids only."""
        rows = self._read("SELECT id FROM documents WHERE status = 'error' ORDER BY created_at, id")
        return [str(row["id"]) for row in rows]

    def status_counts(self, status: str | None = None, *, moved: bool = False) -> dict[str, int]:
        """Documents per status, and ``waiting`` (To fetch with a destination waiting on a
        cause that passes by itself), counted in SQL with ``ferry status``'s filters."""
        clauses, args = _filters(status, moved)
        if not clauses:
            with self._lock:
                counts, waiting = _kept_counts(self._db)
            return counts | {"waiting": waiting}
        rows = self._read(
            "SELECT status, COUNT(*) AS n, SUM(status = 'to_fetch' AND failures != '[]') AS w "  # noqa: S608 - fixed text
            f"FROM documents {clauses} GROUP BY status",
            args,
        )
        counts = {str(row["status"]): int(row["n"]) for row in rows}
        counts["waiting"] = sum(int(row["w"] or 0) for row in rows)
        return counts

    def documents_page(
        self,
        status: str | None = None,
        *,
        moved: bool = False,
        after: tuple[str, str] | None = None,
        limit: int = 500,
    ) -> list[dict[str, Any]]:
        """Up to ``limit`` documents as :meth:`documents` gives them, in its order, after the
        ``(created_at, id)`` of the last one read: a page read by index, whatever the history
        (``moved``: only those whose files were picked up or moved)."""
        clauses, args = _filters(status, moved)
        if after is not None:
            clauses += (" AND " if clauses else "WHERE ") + "(created_at, id) > (?, ?)"
            args = [*args, *after]
        rows = self._read(
            f"SELECT documents.*, ({_MOVED}) AS moved FROM documents {clauses} "  # noqa: S608 - fixed text
            "ORDER BY created_at, id LIMIT ?",
            [*args, limit],
        )
        return [_document_dict(row) for row in rows]

    def iter_documents(
        self, status: str | None = None, *, moved: bool = False, chunk: int = 500
    ) -> Iterator[dict[str, Any]]:
        """Every document (of ``status``) in :meth:`documents`' order, read a page at a time:
        memory holds a page, and the first comes at once whatever the history."""
        after: tuple[str, str] | None = None
        while True:
            page = self.documents_page(status, moved=moved, after=after, limit=chunk)
            yield from page
            if len(page) < chunk:
                return
            after = (str(page[-1]["created_at"]), str(page[-1]["id"]))

    # -- the desktop window's table: a page at a time, filtered and sorted here ------------------

    def table(
        self,
        *,
        status: str | None = None,
        client_id: str | None = None,
        words: Sequence[TableWord] = (),
        sort: str | None = None,
        descending: bool = True,
        order: Sequence[str] = (),
        offset: int = 0,
        limit: int = 200,
        summary_since: float | None = None,
        ids_only: bool = False,
    ) -> dict[str, Any]:
        """One page of the table as the window shows it: the documents (as :meth:`documents`
        gives them) from ``offset`` on, filtered (a status, *waiting* among them; a client;
        every word), sorted by a column of :data:`TABLE_SORTS` (None: when Ferry learnt of
        them, newest first when ``descending``), ties oldest first (newest when descending);
        ``order`` is the order of a column sorted by the window's words (client ids by name,
        kinds by their word), values it lacks after it. With how many documents the filters
        let through (``total``) and, with ``summary_since`` (the start of today), what the
        window says at a glance (:meth:`table_summary`). With ``ids_only``, each row is only
        ``[id, status]``: what an action on a selection of a whole history needs (*Select all*,
        then *Retry*), at a few bytes a document.

        Read by index: a page costs what it holds, plus the rows before it in the index when
        it is far down; a text filter's rare words are looked up in the trigram index, and a word
        most documents hold reads each document's search text once to count."""
        if sort is not None and sort not in TABLE_SORTS:
            raise ValueError(f"the table cannot sort by {sort!r}")
        with self._lock:
            clauses, args, runs = self._table_filtered(status, client_id, words, sort, order)
            if descending:
                runs.reverse()
            total = sum(run.count for run in runs)
            rowids: list[int] = []
            skip, wanted = max(offset, 0), max(limit, 0)
            for run in runs:
                if not wanted:
                    break
                if skip >= run.count:
                    skip -= run.count
                    continue
                order_by = run.order
                if descending:
                    order_by = ", ".join(f"{part} DESC" for part in order_by.split(", "))
                where = _where([*clauses, run.clause] if run.clause else clauses)
                found = self._db.execute(
                    f"SELECT documents.rowid FROM documents {where} "  # noqa: S608 - fixed text
                    f"ORDER BY {order_by} LIMIT ? OFFSET ?",
                    [*args, *run.args, wanted, skip],
                ).fetchall()
                rowids += [int(row[0]) for row in found]
                wanted -= len(found)
                skip = 0
            rows: list[Any] = self._table_ids(rowids) if ids_only else self._table_rows(rowids)
            answer: dict[str, Any] = {"offset": offset, "total": total, "rows": rows}
            if summary_since is not None:
                answer["summary"] = self.table_summary(summary_since)
        return answer

    def _table_filtered(
        self,
        status: str | None,
        client_id: str | None,
        words: Sequence[TableWord],
        sort: str | None,
        order: Sequence[str],
    ) -> tuple[list[str], list[Any], list[_Run]]:
        """The filters as clauses for a page, and the runs of rows they let through
        (ascending, counted): read once for the pages of a refresh while the state is
        unchanged (``data_version`` moves with another connection's commit, ``total_changes``
        with this one's)."""
        version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        key = (status, client_id, tuple(words), sort, tuple(order), version, self._db.total_changes)
        memo = self._table_memo
        if memo is not None and memo[0] == key:
            return memo[1], memo[2], list(memo[3])
        looked_up = {word.text for word in words if self._rare_word(word.text)}
        clauses, args = _table_where(status, client_id, words, looked_up)
        counted: int | None = None
        page_clauses = clauses
        if words:
            named, named_args, counted = self._few_matches(clauses, args)
            if counted is not None:  # few: named by rowid, for counting and pages alike
                clauses = page_clauses = named
                args = named_args
            else:  # many: counted by index, a page walks the sort's index
                page_clauses, _ = _table_where(status, client_id, words, looked_up, walk=True)
        runs = self._table_runs(clauses, args, sort, order, counted)
        self._table_memo = (key, page_clauses, args, list(runs))
        return page_clauses, args, runs

    def _rare_word(self, text: str) -> bool:
        """Whether a typed word is best found through the trigram index: long enough to have
        a trigram, and in few documents (up to :data:`FEW_MATCHES`; the index stops counting
        there). A word most documents hold ("eur") is read in each row instead: naming a
        million rowids costs more than reading a million short texts."""
        if len(text) < TRIGRAM:
            return False
        found = self._db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM documents_words WHERE documents_words MATCH ? "
            "LIMIT ?)",
            (_phrase(text), FEW_MATCHES + 1),
        ).fetchone()[0]
        return int(found) <= FEW_MATCHES

    def _few_matches(
        self, clauses: list[str], args: list[Any]
    ) -> tuple[list[str], list[Any], int | None]:
        """A text filter, read once: when it lets few documents through (up to
        :data:`FEW_MATCHES`), they are named by rowid, so that counting, sorting and paging
        them reads those only (sorted by SQLite, not in an index's order, which would read
        every document to find the few); when it lets many through, it stays a filter,
        and the index's order finds a page's worth at once."""
        where = _where(clauses)
        # few for the history: beyond one in 50, walking an index in order finds a page's
        # worth sooner than sorting them all (rowids only grow: the largest is about the count)
        largest = self._db.execute("SELECT max(rowid) FROM documents").fetchone()[0] or 0
        few = min(FEW_MATCHES, max(1000, int(largest) // 50))
        count, rowids = self._db.execute(  # one string, made by SQLite: no row objects
            "SELECT COUNT(*), group_concat(r) FROM (SELECT documents.rowid AS r FROM "  # noqa: S608
            f"documents {where} LIMIT ?)",
            [*args, few + 1],
        ).fetchone()
        if count > few:
            return clauses, args, None
        named = ["documents.rowid IN (SELECT value FROM json_each(?))"]
        return named, [f"[{rowids or ''}]"], int(count)

    def _table_runs(
        self,
        clauses: list[str],
        args: list[Any],
        sort: str | None,
        order: Sequence[str],
        counted: int | None = None,
    ) -> list[_Run]:
        """The runs of rows the table shows in turn (ascending), each with its count."""
        where = _where(clauses)
        if sort == "status" and not clauses:
            by_status, waiting = _kept_counts(self._db)
        elif sort == "status":
            counts = self._db.execute(
                f"SELECT status, COUNT(*) FROM documents {where} GROUP BY status",  # noqa: S608
                args,
            ).fetchall()
            by_status = {str(row[0]): int(row[1]) for row in counts}
            waiting = 0
            if by_status.get("to_fetch"):
                waiting = int(
                    self._db.execute(
                        f"SELECT COUNT(*) FROM documents {_where([*clauses, _SHOWN_STATUS[WAITING]])}",  # noqa: S608, E501
                        args,
                    ).fetchone()[0]
                )
        if sort == "status":
            known = ("error", "to_fetch", "forwarded")
            sizes = (
                by_status.get("error", 0),
                waiting,
                by_status.get("to_fetch", 0) - waiting,
                by_status.get("forwarded", 0),
                sum(n for s, n in by_status.items() if s not in known),
            )
            return [
                _Run(clause, (), "created_at, id", size)
                for clause, size in zip(_STATUS_RUNS, sizes, strict=True)
                if size
            ]
        column = _SORTED_BY_VALUE.get(sort or "")
        if column is not None:
            counts = self._db.execute(
                f"SELECT {column}, COUNT(*) FROM documents {where} GROUP BY {column}",  # noqa: S608
                args,
            ).fetchall()
            by_value = {str(row[0]): int(row[1]) for row in counts}
            values = list(dict.fromkeys(order))
            runs = [
                _Run(f"{column} = ?", (value,), "created_at, id", by_value[value])
                for value in values
                if by_value.get(value)
            ]
            listed = set(values)
            rest = sum(n for value, n in by_value.items() if value not in listed)
            if rest:
                marks = ",".join("?" * len(values))
                runs.append(
                    _Run(
                        f"{column} NOT IN ({marks})" if values else None,
                        tuple(values),
                        f"{column}, created_at, id",
                        rest,
                    )
                )
            return runs
        if counted is not None:  # counted already
            total = counted
        elif clauses:
            total = int(
                self._db.execute(
                    f"SELECT COUNT(*) FROM documents {where}",  # noqa: S608 - fixed text
                    args,
                ).fetchone()[0]
            )
        else:
            total = sum(_kept_counts(self._db)[0].values())
        key = _SORTED_BY.get(sort or "")
        return [_Run(None, (), f"{key}, created_at, id" if key else "created_at, id", total)]

    def _table_ids(self, rowids: Sequence[int]) -> list[list[str]]:
        """``[id, status]`` of the documents of ``rowids``, in that order."""
        found: dict[int, list[str]] = {}
        for start in range(0, len(rowids), _IN_CHUNK):
            chunk = list(rowids[start : start + _IN_CHUNK])
            marks = ",".join("?" * len(chunk))
            for rowid, doc_id, status in self._db.execute(
                f"SELECT rowid, id, status FROM documents WHERE rowid IN ({marks})",  # noqa: S608
                chunk,
            ):
                found[int(rowid)] = [doc_id, status]
        return [found[rowid] for rowid in rowids if rowid in found]

    def _table_rows(self, rowids: Sequence[int]) -> list[dict[str, Any]]:
        """The documents of ``rowids``, in that order, as :meth:`documents` gives them."""
        if not rowids:
            return []
        marks = ",".join("?" * len(rowids))
        found = {
            int(row["_rowid"]): row
            for row in self._db.execute(
                f"SELECT documents.rowid AS _rowid, documents.*, ({_MOVED}) AS moved "  # noqa: S608
                f"FROM documents WHERE documents.rowid IN ({marks})",
                list(rowids),
            )
        }
        rows = []
        for rowid in rowids:
            row = found.get(rowid)
            if row is None:
                continue
            data = _document_dict(row)
            data.pop("_rowid", None)
            rows.append(data)
        return rows

    def interrupt(self) -> None:
        """Abandon the query running now (the window asked another): it raises, others run."""
        self._db.interrupt()

    def table_summary(self, since: float) -> dict[str, Any]:
        """What the window says at a glance, counted here: documents per status and waiting
        (``counts``), all of them (``total``), forwarded since ``since`` (``today``), when the
        latest was (``last_delivery``), and the clients that have documents (``clients``)."""
        with self._lock:
            by_status, waiting = _kept_counts(self._db)
            counts = dict(by_status)
            total = sum(counts.values())
            counts[WAITING] = waiting
            today = int(
                self._db.execute(
                    "SELECT COUNT(*) FROM documents INDEXED BY documents_forwarded "
                    "WHERE status = 'forwarded' AND last_attempt >= ?",
                    (since,),
                ).fetchone()[0]
            )
            last = self._db.execute(
                "SELECT last_attempt FROM documents INDEXED BY documents_forwarded "
                "WHERE status = 'forwarded' AND last_attempt IS NOT NULL "
                "ORDER BY last_attempt DESC LIMIT 1"
            ).fetchone()
            clients = [str(row[0]) for row in self._db.execute(_CLIENTS_WITH_DOCUMENTS)]
        return {
            "counts": counts,
            "total": total,
            "today": today,
            "last_delivery": None if last is None else float(last[0]),
            "clients": clients,
        }

    def moved(self) -> list[MovedFile]:
        """Every delivery whose files a full sync found gone, oldest first."""
        rows = self._read(
            "SELECT document_id, destination, paths, gone_since FROM deliveries "
            "WHERE gone_since IS NOT NULL ORDER BY gone_since, document_id, destination"
        )
        return [
            MovedFile(r["document_id"], r["destination"], json.loads(r["paths"]), r["gone_since"])
            for r in rows
        ]

    def delivered_to(self, destination: str) -> list[str]:
        """The documents Ferry delivered to ``destination``, oldest first (to write them again
        after its path changed)."""
        rows = self._read(
            "SELECT document_id FROM deliveries WHERE destination = ? AND state = 'delivered' "
            "ORDER BY updated, document_id",
            (destination,),
        )
        return [str(row["document_id"]) for row in rows]

    @contextlib.contextmanager
    def renaming_destinations(self, renames: Mapping[str, str]) -> Iterator[int]:
        """What Ferry delivered to each destination ``old`` is recorded under its ``new``
        name (``renames``: old to new), in a write transaction held while the block runs (the
        settings write): both land or neither.

        Deliveries are recorded by destination name, so without this a renamed destination
        would look empty: files the accounting software already took would count as never
        delivered there, and a catch-up would write them again. Rows a removed destination
        once called ``new`` left behind give way to the renamed one's. Names may swap (the
        wizard: A becomes B and B becomes A): each moves aside first. Yields how many
        deliveries moved.
        """
        pairs = [(old, new) for old, new in renames.items() if old != new]
        with self._write() as db:
            for number, (old, _) in enumerate(pairs):
                db.execute(
                    "UPDATE deliveries SET destination = ? WHERE destination = ?",
                    (f"\x00renaming-{number}", old),
                )
            moved = 0
            for number, (_, new) in enumerate(pairs):
                moved += db.execute(
                    "UPDATE OR REPLACE deliveries SET destination = ? WHERE destination = ?",
                    (new, f"\x00renaming-{number}"),
                ).rowcount
            yield moved

    def mark_gone(self, deliveries: Sequence[tuple[str, str]], when: float) -> None:
        """``(document_id, destination)`` pairs whose files are no longer where Ferry wrote
        them; the first time seen is kept."""
        with self._write() as db:
            db.executemany(
                "UPDATE deliveries SET gone_since = ? WHERE document_id = ? AND destination = ? "
                "AND gone_since IS NULL",
                [(when, document_id, destination) for document_id, destination in deliveries],
            )

    def mark_present(self, deliveries: Sequence[tuple[str, str]]) -> None:
        """Files found again where Ferry wrote them (put back by a person)."""
        with self._write() as db:
            db.executemany(
                "UPDATE deliveries SET gone_since = NULL WHERE document_id = ? AND destination = ?",
                list(deliveries),
            )

    def deliver_again(
        self, document_ids: Sequence[str], destination: str | None, reason: str
    ) -> None:
        """A person asked for these documents again (to one destination, or to all theirs):
        what Ferry delivered there is forgotten and the documents are queued, in one commit."""
        now = time.time()
        with self._write() as db:
            for document_id in document_ids:
                if destination is None:
                    db.execute("DELETE FROM deliveries WHERE document_id = ?", (document_id,))
                else:
                    db.execute(
                        "DELETE FROM deliveries WHERE document_id = ? AND destination = ?",
                        (document_id, destination),
                    )
            db.executemany(
                _QUEUE_UPSERT,
                [(document_id, reason, now) for document_id in document_ids],
            )

    # -- deliveries: per document and destination ---------------------------------------------

    def delivery(self, document_id: str, destination: str) -> DeliveryRow | None:
        rows = self._read(
            "SELECT * FROM deliveries WHERE document_id = ? AND destination = ?",
            (document_id, destination),
        )
        return _delivery(rows[0]) if rows else None

    def deliveries(self, document_id: str) -> list[DeliveryRow]:
        rows = self._read(
            "SELECT * FROM deliveries WHERE document_id = ? ORDER BY destination", (document_id,)
        )
        return [_delivery(row) for row in rows]

    def record_delivered(self, document_id: str, destination: str, paths: Sequence[str]) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO deliveries (document_id, destination, state, paths, attempts, updated)"
                " VALUES (?, ?, 'delivered', ?, 1, ?) ON CONFLICT (document_id, destination) DO "
                "UPDATE SET state = 'delivered', paths = excluded.paths, error_code = NULL, "
                "message = NULL, next_retry = NULL, gone_since = NULL, attempts = attempts + 1, "
                "updated = excluded.updated",
                (document_id, destination, json.dumps(list(paths)), time.time()),
            )
            _add_folders(db, paths)

    def record_failure(
        self,
        document_id: str,
        destination: str,
        code: str,
        message: str,
        next_retry: float | None,
    ) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO deliveries (document_id, destination, state, error_code, message, "
                "attempts, next_retry, updated) VALUES (?, ?, 'failed', ?, ?, 1, ?, ?) "
                "ON CONFLICT (document_id, destination) DO UPDATE SET state = 'failed', "
                "error_code = excluded.error_code, message = excluded.message, attempts = "
                "attempts + 1, next_retry = excluded.next_retry, updated = excluded.updated",
                (document_id, destination, code, message, next_retry, time.time()),
            )

    def delivered_folders(self) -> list[str]:
        """Every folder Ferry delivered into (where a kill may have left a temporary file):
        kept as a list of its own, so that reading it does not read every delivery."""
        return [str(row["path"]) for row in self._read("SELECT path FROM folders ORDER BY path")]

    # -- history: runs and tasks --------------------------------------------------------------

    def start_run(
        self,
        kind: str,
        *,
        client_id: str | None = None,
        client_name: str | None = None,
        started: float | None = None,
    ) -> int:
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO runs (kind, started, client_id, client_name) VALUES (?, ?, ?, ?)",
                (kind, started if started is not None else time.time(), client_id, client_name),
            )
            return int(cursor.lastrowid or 0)

    def update_run(
        self,
        run_id: int,
        *,
        documents: int,
        delivered: int,
        failed: int,
        failed_documents: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        """An open run's counts so far (continuous syncing): what a crash would leave."""
        with self._write() as db:
            db.execute(
                "UPDATE runs SET documents = ?, delivered = ?, failed = ?, failed_documents = ?, "
                "updated = ? WHERE id = ? AND finished IS NULL",
                (
                    documents,
                    delivered,
                    failed,
                    json.dumps(list(failed_documents)[:RUN_FAILED_DOCUMENTS]),
                    time.time(),
                    run_id,
                ),
            )

    def finish_run(
        self,
        run_id: int,
        *,
        documents: int,
        delivered: int,
        failed: int,
        message: str | None,
        failures: Sequence[dict[str, Any]] = (),
        moved: dict[str, int] | None = None,
        failed_documents: Sequence[Mapping[str, Any]] = (),
        interrupted: bool = False,
        finished: float | None = None,
    ) -> float:
        """The run's end and what it did; returns when it ended."""
        moment = finished if finished is not None else time.time()
        with self._write() as db:
            db.execute(
                "UPDATE runs SET finished = ?, documents = ?, delivered = ?, failed = ?, "
                "message = ?, failures = ?, moved = ?, failed_documents = ?, updated = ?, "
                "interrupted = ? WHERE id = ?",
                (
                    moment,
                    documents,
                    delivered,
                    failed,
                    message,
                    json.dumps(list(failures)),
                    json.dumps(moved or {}),
                    json.dumps(list(failed_documents)[:RUN_FAILED_DOCUMENTS]),
                    moment,
                    int(interrupted),
                    run_id,
                ),
            )
        return moment

    def end_interrupted_runs(self) -> list[int]:
        """Runs a crash or a kill left open: ended now as interrupted, at the moment they were
        last seen at work (their start when never since). Only the engine that holds the
        home's lock may call this: another's open run is at work, not interrupted."""
        with self._write() as db:
            rows = db.execute("SELECT id FROM runs WHERE finished IS NULL").fetchall()
            db.execute(
                "UPDATE runs SET finished = COALESCE(updated, started), interrupted = 1 "
                "WHERE finished IS NULL"
            )
        return [int(row["id"]) for row in rows]

    def runs(self, limit: int = 100) -> list[RunRow]:
        rows = self._read("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return [
            RunRow(
                r["id"],
                r["kind"],
                r["started"],
                r["finished"],
                r["documents"],
                r["delivered"],
                r["failed"],
                r["message"],
                json.loads(r["failures"] or "[]"),
                json.loads(r["moved"] or "{}"),
                r["client_id"],
                r["client_name"],
                json.loads(r["failed_documents"] or "[]"),
                bool(r["interrupted"]),
            )
            for r in rows
        ]

    def record_task(self, task_id: str, kind: str) -> bool:
        """Remember a platform task; False when it was already known."""
        with self._write() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO tasks (id, kind, received) VALUES (?, ?, ?)",
                (task_id, kind, time.time()),
            )
            return cursor.rowcount == 1

    def finish_task(self, task_id: str, outcome: str, message: str | None) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE tasks SET finished = ?, outcome = ?, message = ? WHERE id = ?",
                (time.time(), outcome, message, task_id),
            )

    def unfinished_tasks(self) -> list[tuple[str, str]]:
        rows = self._read("SELECT id, kind FROM tasks WHERE finished IS NULL ORDER BY received")
        return [(r["id"], r["kind"]) for r in rows]


def _complete(db: sqlite3.Connection, completion: Completion, now: float) -> None:
    document = completion.document
    _upsert_document(db, document)
    if completion.forget_first:
        db.execute("DELETE FROM deliveries WHERE document_id = ?", (document["id"],))
    for outcome in completion.outcomes:
        if outcome.error_code is None:
            db.execute(
                "INSERT INTO deliveries (document_id, destination, state, paths, "
                "attempts, updated) VALUES (?, ?, 'delivered', ?, 1, ?) ON CONFLICT "
                "(document_id, destination) DO UPDATE SET state = 'delivered', paths = "
                "excluded.paths, error_code = NULL, message = NULL, next_retry = NULL, "
                "gone_since = NULL, attempts = attempts + 1, updated = excluded.updated",
                (document["id"], outcome.destination, json.dumps(outcome.paths), now),
            )
            _add_folders(db, outcome.paths)
        else:
            db.execute(
                "INSERT INTO deliveries (document_id, destination, state, error_code, "
                "message, attempts, next_retry, updated) VALUES (?, ?, 'failed', ?, ?, 1, "
                "?, ?) ON CONFLICT (document_id, destination) DO UPDATE SET state = "
                "'failed', error_code = excluded.error_code, message = excluded.message, "
                "attempts = attempts + 1, next_retry = excluded.next_retry, updated = "
                "excluded.updated",
                (
                    document["id"],
                    outcome.destination,
                    outcome.error_code,
                    outcome.message,
                    outcome.next_retry,
                    now,
                ),
            )
    if completion.status is not None:
        db.execute(
            "UPDATE documents SET status = ?, message = ?, locations = ?, failures = ?, "
            "next_try = ?, last_attempt = ?, updated = ? WHERE id = ?",
            (
                completion.status,
                completion.message,
                json.dumps(completion.locations),
                json.dumps(completion.failures),
                completion.retry_at,
                now,
                now,
                document["id"],
            ),
        )
        rekey(db, document["id"])
    if completion.retry_at is None:
        db.execute("DELETE FROM queue WHERE document_id = ?", (document["id"],))
    else:
        db.execute(
            "UPDATE queue SET attempts = attempts + 1, not_before = ?, reason = "
            "coalesce(?, reason) WHERE document_id = ?",
            (completion.retry_at, completion.reason, document["id"]),
        )


def _parents(paths: Sequence[str]) -> set[str]:
    return {str(Path(path).parent) for path in paths}


def _add_folders(db: sqlite3.Connection, paths: Sequence[str]) -> None:
    """The folders of delivered ``paths``, kept for the next start (see ``delivered_folders``)."""
    if paths:
        db.executemany(
            "INSERT OR IGNORE INTO folders (path) VALUES (?)", [(f,) for f in _parents(paths)]
        )


def _filters(status: str | None, moved: bool) -> tuple[str, list[Any]]:
    """``ferry status``'s filters as a WHERE clause (fixed text) and its arguments."""
    clauses: list[str] = []
    args: list[Any] = []
    if status:
        # With ``moved``, the few moved documents lead and their status is checked (the
        # unary plus keeps SQLite from walking every document of the status instead).
        clauses.append("+status = ?" if moved else "status = ?")
        args.append(status)
    if moved:
        clauses.append(  # by the index of moved deliveries: few, whatever the history
            "id IN (SELECT document_id FROM deliveries WHERE gone_since IS NOT NULL)"
        )
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", args


def _kept_counts(db: sqlite3.Connection) -> tuple[dict[str, int], int]:
    """The documents per status and how many To fetch are waiting, as the triggers keep them
    (:func:`_counts_kept`): a few rows read, whatever the history."""
    by_status: dict[str, int] = {}
    waiting = 0
    for status, is_waiting, n in db.execute("SELECT status, waiting, n FROM document_counts"):
        if n:
            by_status[str(status)] = by_status.get(str(status), 0) + int(n)
            waiting += int(n) if is_waiting else 0
    return by_status, waiting


def _upsert_document(db: sqlite3.Connection, document: dict[str, Any]) -> None:
    now = time.time()
    db.execute(
        "INSERT INTO documents (id, client_id, kind, number, issue_date, amount, currency, "
        "counterparty, created_at, status, message, updated) VALUES "
        "(:id, :client_id, :kind, :number, :issue_date, :amount, :currency, :counterparty, "
        ":created_at, :status, :status_message, :now) ON CONFLICT (id) DO UPDATE SET "
        "client_id = excluded.client_id, kind = excluded.kind, number = excluded.number, "
        "issue_date = excluded.issue_date, amount = excluded.amount, currency = "
        "excluded.currency, counterparty = excluded.counterparty, created_at = "
        "excluded.created_at, updated = excluded.updated",
        {
            "id": document["id"],
            "client_id": document["client_id"],
            "kind": document["kind"],
            "number": document["number"],
            "issue_date": str(document["issue_date"]),
            "amount": None if document.get("amount") is None else str(document["amount"]),
            "currency": document.get("currency"),
            "counterparty": document.get("counterparty"),
            "created_at": _iso(document["created_at"]),
            "status": document.get("status", "to_fetch"),
            "status_message": document.get("status_message"),
            "now": now,
        },
    )
    rekey(db, str(document["id"]))


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.datetime) else str(value)


def _document_dict(row: sqlite3.Row) -> dict[str, Any]:
    data = dict(row)
    for name in _TABLE_ONLY:  # what the table sorts and searches by, not the document's
        data.pop(name, None)
    data["locations"] = json.loads(data["locations"] or "[]")
    data["failures"] = json.loads(data["failures"] or "[]")
    if "moved" in data:
        data["moved"] = sorted(data["moved"].split("\x1f")) if data["moved"] else []
    return data


def _delivery(row: sqlite3.Row) -> DeliveryRow:
    return DeliveryRow(
        row["document_id"],
        row["destination"],
        DeliveryState(row["state"]),
        json.loads(row["paths"]),
        row["error_code"],
        row["message"],
        row["attempts"],
        row["next_retry"],
        row["gone_since"],
    )
