"""The delivery primitive on a real file system."""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from app.api.models import Document
from app.core.failures import Failure, problems_from_param
from app.core.language import Language
from app.core.names import TargetOS
from app.core.problems import ProblemCode
from app.core.templates import ClientValues
from app.engine.deliverer import PermanentFailure, TransientFailure, destination_folder
from app.engine.delivery import (
    MAX_NUMBERED,
    DeliveryError,
    FailureCode,
    StagedFile,
    explain,
    find_delivered,
    is_temporary,
    numbered_names,
    remove_stale_temporaries,
)
from app.settings import Destination

DATA = b"<Invoice>" + b"x" * 100_000 + b"</Invoice>"
SHA = hashlib.sha256(DATA).hexdigest()


Deliver = Callable[..., Path]


@pytest.fixture(params=["streamed", "held"])
def deliver(request: pytest.FixtureRequest) -> Deliver:
    """Both ways a file arrives: written as it streams in (large files), or held in memory and
    written, made durable and renamed in one trip (the usual case)."""

    def one(folder: Path, name: str, data: bytes = DATA, sha: str | None = None) -> Path:
        staged = StagedFile(folder, name, lock_retry_s=0.5)
        chunks = [data[start : start + 8192] for start in range(0, len(data), 8192)]
        if request.param == "held":
            staged.hold(chunks)
        else:
            staged.open()
            for chunk in chunks:
                staged.write(chunk)
        digest = sha or hashlib.sha256(data).hexdigest()
        return asyncio.run(staged.commit_async(len(data), digest)).path

    return one


@pytest.mark.windows
def test_writes_under_the_final_name_and_leaves_nothing_else(
    tmp_path: Path, deliver: Deliver
) -> None:
    target = deliver(tmp_path / "a" / "b", "INV-1.xml")
    assert target == tmp_path / "a" / "b" / "INV-1.xml"
    assert target.read_bytes() == DATA
    assert os.listdir(target.parent) == ["INV-1.xml"]


@pytest.mark.windows
def test_temporary_name_is_hidden_and_never_the_final_extension(tmp_path: Path) -> None:
    staged = StagedFile(tmp_path, "INV-1.xml").open()
    staged.write(b"half")
    (only,) = os.listdir(tmp_path)
    assert only.startswith(".") and not only.endswith(".xml") and is_temporary(only)
    assert not list(tmp_path.glob("*.xml")) and not list(tmp_path.glob("*.pdf"))
    staged.discard()
    assert os.listdir(tmp_path) == []


@pytest.mark.windows
def test_an_identical_file_means_delivered(tmp_path: Path, deliver: Deliver) -> None:
    first = deliver(tmp_path, "INV-1.xml")
    staged = StagedFile(tmp_path, "INV-1.xml").open()
    staged.write(DATA)
    again = asyncio.run(staged.commit_async(len(DATA), SHA))
    assert again.already_there and again.path == first
    assert os.listdir(tmp_path) == ["INV-1.xml"]


@pytest.mark.windows
def test_a_different_file_is_never_overwritten(tmp_path: Path, deliver: Deliver) -> None:
    (tmp_path / "INV-1.xml").write_bytes(b"the accountant's own file")
    (tmp_path / "INV-1 (2).xml").write_bytes(b"another one")
    target = deliver(tmp_path, "INV-1.xml")
    assert target.name == "INV-1 (3).xml"
    assert (tmp_path / "INV-1.xml").read_bytes() == b"the accountant's own file"
    assert (tmp_path / "INV-1 (2).xml").read_bytes() == b"another one"
    # and a replay finds the numbered copy instead of writing a fourth
    assert find_delivered(tmp_path, "INV-1.xml", len(DATA), SHA) == target
    assert deliver(tmp_path, "INV-1.xml") == target


@pytest.mark.windows
def test_checksum_mismatch_leaves_nothing(tmp_path: Path, deliver: Deliver) -> None:
    with pytest.raises(DeliveryError) as caught:
        deliver(tmp_path, "INV-1.xml", sha="0" * 64)
    assert caught.value.code is FailureCode.CHECKSUM
    assert "does not match" in str(caught.value)
    failure = caught.value.failure
    assert failure.param("name") == "INV-1.xml"
    assert failure.param("size") == failure.param("expected_size") == str(len(DATA))
    assert str(caught.value) == failure.message(Language.EN)
    assert os.listdir(tmp_path) == []


@pytest.mark.windows
def test_size_mismatch_leaves_nothing(tmp_path: Path) -> None:
    staged = StagedFile(tmp_path, "x.pdf").open()
    staged.write(b"short")
    with pytest.raises(DeliveryError, match="does not match"):
        asyncio.run(staged.commit_async(10, hashlib.sha256(b"short").hexdigest()))
    assert os.listdir(tmp_path) == []


def test_read_only_folder_is_a_permission_error(read_only_folder: Path, deliver: Deliver) -> None:
    with pytest.raises(DeliveryError) as caught:
        deliver(read_only_folder / "winbooks", "x.xml")
    assert caught.value.code is FailureCode.PERMISSION
    assert "give the account that runs Ferry permission" in str(caught.value)
    failure = caught.value.failure
    assert failure.param("folder") == str(read_only_folder / "winbooks")
    assert failure.param("root") == "/" and failure.param("said")
    assert not failure.transient
    assert "Ferry n'a pas le droit d'écrire dans" in failure.message(Language.FR)


def test_a_full_disk_is_said_and_leaves_nothing(small_filesystem: Path, deliver: Deliver) -> None:
    deliver(small_filesystem, "first.xml", b"a" * 100_000)
    with pytest.raises(DeliveryError) as caught:
        deliver(small_filesystem, "second.xml", b"b" * 300_000)
    assert caught.value.code is FailureCode.DISK_FULL
    assert "is full" in str(caught.value)
    assert os.listdir(small_filesystem) == ["first.xml"]


@pytest.mark.windows
def test_a_file_where_a_folder_should_be_is_explained(tmp_path: Path, deliver: Deliver) -> None:
    (tmp_path / "blocker").write_text("I am a file")
    with pytest.raises(DeliveryError) as caught:
        deliver(tmp_path / "blocker" / "sub", "x.xml")
    assert str(tmp_path / "blocker" / "sub") in str(caught.value)
    assert "the system said" in str(caught.value)
    assert caught.value.code is FailureCode.NOT_A_FOLDER
    assert not caught.value.failure.transient  # for a person to fix, not to wait for


@pytest.mark.windows
def test_a_folder_with_every_numbered_name_taken_is_a_name_clash(tmp_path: Path) -> None:
    for name in numbered_names("INV-1.xml"):
        (tmp_path / name).write_bytes(b"someone else's")
    staged = StagedFile(tmp_path, "INV-1.xml").hold([DATA])
    with pytest.raises(DeliveryError) as caught:
        asyncio.run(staged.commit_async(len(DATA), SHA))
    failure = caught.value.failure
    assert failure.code is FailureCode.NAME_CLASH
    assert failure.param("name") == "INV-1.xml" and failure.param("limit") == str(MAX_NUMBERED)
    assert len(os.listdir(tmp_path)) == MAX_NUMBERED  # ours was not left behind


def _os_error(number: int, winerror: int | None = None) -> OSError:
    error = OSError(number, os.strerror(number) if number else "The filename is too long")
    if winerror is not None:
        error.winerror = winerror  # type: ignore[attr-defined]  # as Windows sets it
    return error


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), FailureCode.PERMISSION),
        (_os_error(errno.EPERM), FailureCode.PERMISSION),
        (_os_error(errno.EROFS), FailureCode.PERMISSION),
        (_os_error(errno.ENOSPC), FailureCode.DISK_FULL),
        (_os_error(errno.EDQUOT), FailureCode.DISK_FULL),
        (_os_error(errno.ENAMETOOLONG), FailureCode.PATH_TOO_LONG),
        (_os_error(0, winerror=206), FailureCode.PATH_TOO_LONG),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory"), FailureCode.NOT_A_FOLDER),
        (FileExistsError(errno.EEXIST, "File exists"), FailureCode.NOT_A_FOLDER),
        (FileNotFoundError(errno.ENOENT, "No such file"), FailureCode.UNREACHABLE),
        (_os_error(errno.EHOSTDOWN), FailureCode.UNREACHABLE),
        (_os_error(errno.ENETUNREACH), FailureCode.UNREACHABLE),
        (_os_error(errno.EIO), FailureCode.UNREACHABLE),
        (_os_error(errno.ELOOP), FailureCode.OS_OTHER),
    ],
)
def test_explain_gives_each_os_error_its_code(error: OSError, code: FailureCode) -> None:
    folder = Path("/srv/books/Garage Dubois/2026")
    explained = explain(error, folder)
    failure = explained.failure
    assert failure.code is code
    assert failure.param("folder") == str(folder) and failure.param("root") == "/"
    assert failure.param("said") == (error.strerror or str(error))
    assert str(explained) == failure.message(Language.EN)
    for language in Language:
        assert str(folder) in failure.message(language)
    if code is FailureCode.OS_OTHER:
        assert failure.param("errno") == str(errno.ELOOP)


def test_the_old_name_of_the_other_code_still_works() -> None:
    assert FailureCode["OTHER"] is FailureCode.OS_OTHER
    assert explain(_os_error(errno.ELOOP), Path("/x")).code == FailureCode.OTHER


def _document(kind: str = "purchase") -> Document:
    return Document.model_validate(
        {
            "id": "doc_1",
            "client_id": "cli_1",
            "kind": kind,
            "number": "INV-1",
            "issue_date": "2026-03-04",
            "status": "to_fetch",
            "created_at": dt.datetime(2026, 3, 4, tzinfo=dt.UTC).isoformat(),
            "files": [],
        }
    )


def test_a_path_that_cannot_be_made_for_a_client_is_a_path_template_failure() -> None:
    destination = Destination(name="Winbooks", general_path="/srv/books/[enterprise_identifier]")
    with pytest.raises(PermanentFailure) as caught:
        destination_folder(
            destination, _document(), ClientValues(name="Garage Dubois"), TargetOS.POSIX
        )
    failure = caught.value.failure
    assert failure.code is FailureCode.PATH_TEMPLATE and caught.value.code == "path_template"
    assert failure.param("destination") == "Winbooks"
    problems = problems_from_param(failure.param("problems"))
    assert [p.code for p in problems] == [ProblemCode.MISSING_VALUE]
    for language in Language:
        assert problems[0].message(language) in failure.message(language)
    assert failure.key() == "path_template|destination=Winbooks|problems=missing_value"


def test_the_deliverer_exceptions_carry_their_failure() -> None:
    transient = TransientFailure(Failure.of(FailureCode.LOCKED, folder="/x"), retry_after=3.0)
    assert transient.failure.code is FailureCode.LOCKED and transient.retry_after == 3.0
    assert str(transient) == transient.failure.message()
    permanent = PermanentFailure(Failure.of(FailureCode.TOO_BIG, name="a.xml"))
    assert permanent.code == "too_big" and str(permanent) == permanent.failure.message()


@pytest.mark.windows
def test_stale_temporaries_are_removed(tmp_path: Path) -> None:
    staged = StagedFile(tmp_path, "x.xml").open()
    staged.write(b"killed here")
    assert staged._stream is not None
    staged._stream.close()  # as the OS does when it kills the process (Windows: else held)
    (tmp_path / "keep.xml").write_text("user file")
    (tmp_path / ".hidden-user-file").write_text("not ours")
    assert remove_stale_temporaries(tmp_path) == 1
    assert sorted(os.listdir(tmp_path)) == [".hidden-user-file", "keep.xml"]
    assert remove_stale_temporaries(tmp_path / "missing") == 0


@pytest.mark.windows
def test_temporary_names_are_never_reused(tmp_path: Path) -> None:
    names = {StagedFile(tmp_path, "INV-1.xml").temporary.name for _ in range(10_000)}
    assert len(names) == 10_000
    assert all(is_temporary(name) and name.startswith(".") for name in names)


@pytest.mark.windows
def test_numbered_names() -> None:
    names = numbered_names("INV-1.xml")
    assert [next(names) for _ in range(3)] == ["INV-1.xml", "INV-1 (2).xml", "INV-1 (3).xml"]
    plain = numbered_names("README")
    assert [next(plain) for _ in range(2)] == ["README", "README (2)"]
    dotted = numbered_names(".profile")
    assert [next(dotted) for _ in range(2)] == [".profile", ".profile (2)"]
