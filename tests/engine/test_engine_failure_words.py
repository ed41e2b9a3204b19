"""Failures are data, worded at the edge: the state keeps codes and parameters; the command line
words them in the person's language, the platform's Error message in the office's; a document
waiting on a destination that cannot be reached shows, with why and when, from its first try.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from app.core.failures import Failure, FailureCode
from app.core.language import Language
from app.engine import delivery
from app.engine.messages import DocumentChanged, Event
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin
from app.settings import Destination
from tests.engine.conftest import Office, logged_in_home
from tests.engine.helpers import ferry, ferry_in, files_under, running

# Words that give English away in a French or Dutch line.
ENGLISH = ("the ", " folder", "cannot", "try again", "file ", "Waiting", "Forwarded", " in error")


def share_down(monkeypatch: pytest.MonkeyPatch, share: Path) -> None:
    """The network share under ``share`` is down: creating a file there fails as Windows and
    Linux say it for a host that went away (what cannot be unplugged in a test)."""
    real = delivery.StagedFile._create

    def create(self: delivery.StagedFile) -> int:
        if self.folder.is_relative_to(share):
            raise delivery.explain(
                OSError(errno.EHOSTDOWN, os.strerror(errno.EHOSTDOWN), str(self.folder)),
                self.folder,
            )
        return real(self)

    monkeypatch.setattr(delivery.StagedFile, "_create", create)


async def test_error_and_waiting_documents_in_three_languages(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_client = office.new_client("Broken Folder BV")
    share_client = office.new_client("Share Down BV")
    broken = office.add(broken_client, "receipt")
    waiting = office.add(share_client, "receipt")
    root = office.root
    (root / "blocked").parent.mkdir(parents=True, exist_ok=True)
    (root / "blocked").write_text("a file where the folder must be")
    share = root / "share"
    office.configure(
        [
            Destination(name="Blocked", general_path=f"{root}/blocked/[enterprise_name]"),
            Destination(name="Share", general_path=f"{share}/[enterprise_name]"),
            Destination(name="Local", general_path=f"{root}/local"),
        ],
        {broken_client.id: ["Blocked"], share_client.id: ["Share", "Local"]},
    )
    share_down(monkeypatch, share)
    events: list[Event] = []
    async with running(office, on_event=events.append) as engine:
        summary = await engine.sync_once()
        assert (summary.delivered, summary.failed) == (0, 1)
        # a file standing where a folder must be is the person's to fix: Error
        (error_row,) = engine.store.documents("error")
        assert [Failure.from_json(f).code for f in error_row["failures"]] == [
            FailureCode.NOT_A_FOLDER
        ]
        # the share that is down waits: To fetch, with why, when, and what Local already has
        row = engine.store.document(waiting.id)
        assert row is not None and row["status"] == "to_fetch"
        (failure,) = [Failure.from_json(f) for f in row["failures"]]
        assert failure.code is FailureCode.UNREACHABLE and failure.transient
        assert failure.param("destination") == "Share" and failure.param("retry_at")
        assert row["next_try"] is not None
        local = root / "local" / waiting.files[0].name
        assert row["locations"] == [str(local)] and local.is_file()
        told = [e for e in events if isinstance(e, DocumentChanged) and e.document_id == waiting.id]
        assert told and told[-1].status == "to_fetch" and told[-1].next_try is not None
        assert [info.code for info in told[-1].failures] == ["unreachable"]
        # nothing reported yet: the document is not done
        assert office.on_platform(waiting.id).status.value == "to_fetch"
        assert office.on_platform(broken.id).status.value == "error"

    english = ferry(office, "--language", "en", "status")
    french = ferry(office, "--language", "fr", "status")
    dutch = ferry(office, "--language", "nl", "status")
    for done in (english, french, dutch):
        assert done.returncode == 0, done.stderr
    by_language = {
        "en": (english.stdout, ["a file stands where", "Waiting", "cannot be reached"]),
        "fr": (french.stdout, ["En attente", "est inaccessible", "Ferry réessaiera"]),
        "nl": (dutch.stdout, ["Wacht", "is niet bereikbaar", "Ferry probeert het"]),
    }
    for language, (text, words) in by_language.items():
        lines = {line.split()[0]: line for line in text.splitlines() if line.strip()}
        assert broken.id in lines and waiting.id in lines, text
        for word in words:
            assert word.lower() in text.lower(), f"{language}: {word!r} not in {text!r}"
        assert str(local) in lines[waiting.id]  # what the other destination already has
        error_words = Failure.from_json(error_row["failures"][0]).message(Language(language))
        assert error_words in lines[broken.id]
        if language != "en":
            for word in ENGLISH:
                assert word not in lines[broken.id] + lines[waiting.id], (language, word, text)

    # the share is back: the waiting document is delivered and reported, once
    monkeypatch.undo()
    async with running(office) as engine:
        engine.store.enqueue([(waiting.id, "retry")])
        summary = await engine.sync_once()
        assert summary.delivered == 1
        row = engine.store.document(waiting.id)
        assert row is not None and row["status"] == "forwarded" and row["failures"] == []
    on_platform = office.on_platform(waiting.id)
    assert on_platform.status.value == "forwarded"
    assert set(on_platform.locations) == {
        str(local),
        str(share / "Share Down BV" / waiting.files[0].name),
    }
    assert files_under(root / "local") == {local}


async def test_the_error_sent_to_the_platform_is_in_the_offices_language(
    sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path
) -> None:
    """A Belgian office's platform is French (regions.json): its Error messages are too,
    whatever language the person at this computer reads."""
    admin = SandboxAdmin(sandbox.url)
    home = logged_in_home(sandbox, "be", tmp_path / "home", region="be")
    office = Office(sandbox, admin, "be", home, tmp_path / "out")
    client = office.new_client("Client Belge SRL")
    document = office.add(client, "receipt")
    blocked = office.root / "blocked"
    blocked.parent.mkdir(parents=True)
    blocked.write_text("not a folder")
    office.configure(
        [Destination(name="Winbooks", general_path=f"{blocked}/[enterprise_name]")],
        {client.id: ["Winbooks"]},
    )
    async with running(office) as engine:
        assert (await engine.sync_once()).failed == 1
        row = engine.store.document(document.id)
        assert row is not None and row["status"] == "error", engine.store.documents("error")
    message = office.on_platform(document.id).status_message or ""
    failure = Failure.from_json(row["failures"][0])
    assert message == f"Winbooks : {failure.message(Language.FR)}"
    assert "dossier" in message and "Ferry réessaiera" in message
    assert row["message"] == f"Winbooks: {failure.message()}"  # the log's words: English


def test_status_words_every_failure_kind_in_the_persons_language(tmp_path: Path) -> None:
    """Each failure kind, stored as the engine stores it, worded by ``ferry status`` in
    English, French and Dutch: the same code, the reader's words, no English left in."""
    import datetime as dt

    from app.engine.state import Completion, StateStore
    from app.home import FerryHome
    from tests.core.test_failures import SAMPLES

    kinds = [
        FailureCode.PERMISSION,
        FailureCode.DISK_FULL,
        FailureCode.PATH_TOO_LONG,
        FailureCode.LOCKED,
        FailureCode.CHECKSUM,
        FailureCode.NO_PDF,
        FailureCode.PLATFORM_REFUSED,
        FailureCode.PLATFORM_UNAVAILABLE,
        FailureCode.LOGIN_NEEDED,
        FailureCode.OFFLINE,
    ]
    home = FerryHome.under(tmp_path / "home").ensure()
    store = StateStore(home.state_dir / "state.db")
    failures: dict[str, Failure] = {}
    for number, code in enumerate(kinds):
        failure = Failure.of(code, **SAMPLES[code])
        document_id = f"doc-{code.value}"
        failures[document_id] = failure
        store.complete_documents(
            [
                Completion(
                    {
                        "id": document_id,
                        "client_id": "c1",
                        "kind": "purchase",
                        "number": f"INV-{number}",
                        "issue_date": dt.date(2026, 3, 9),
                        "created_at": dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
                    },
                    [],
                    "to_fetch" if failure.transient else "error",
                    failure.message(),
                    [],
                    retry_at=1e10,
                    failures=[failure.to_json()],
                )
            ]
        )
    store.close()
    for language in Language:
        done = ferry_in(home.settings_dir.parent, "--language", language.value, "status")
        assert done.returncode == 0, done.stderr
        lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.strip()}
        for document_id, failure in failures.items():
            line = lines[document_id]
            # the sentence up to its retry time (worded against the clock when shown)
            words = failure.message(language).split(" Ferry ")[0]
            assert words[:60] in line, (language, document_id, line)
            if language is not Language.EN:
                assert failure.message(Language.EN)[:40] not in line
                for english in ENGLISH:
                    assert english not in line, (language, english, line)
