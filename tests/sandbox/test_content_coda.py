"""check_coda accepts real bank files, rejects broken ones, and passes every generated statement.

The public CODA fixtures in ``../shared/samples/coda`` are partly hand-edited (see its
SOURCES.md): three are fully consistent, three have trailers or balances that do not add up. The
checker must say exactly that, so it can be trusted on the sandbox's own statements.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from app.sandbox.content import REALM_COUNTRIES, check_coda, generate_clients, generate_document

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "coda"
CONSISTENT = ["Coda_foreign_account.txt", "Coda_v2_3_single_statement.txt", "sample1.cod"]
INCONSISTENT = {
    # file: fragments of the problems check_coda must report
    "Ontvangen_CODA.2012-01-11-18.59.15.txt": ["differs from record 1's", "not the new balance"],
    "coda.cod": ["counts 27 records", "credit total 1000", "not the new balance"],
    "sample6.cod": ["debit total 16837.52", "not the new balance"],
}


def _sample(name: str) -> bytes:
    path = SAMPLES / name
    assert path.is_file(), f"CODA sample expected at {path}"
    return path.read_bytes()


@pytest.mark.parametrize("name", CONSISTENT)
def test_consistent_real_files_pass(name: str) -> None:
    assert check_coda(_sample(name)) == []


@pytest.mark.parametrize("name", sorted(INCONSISTENT))
def test_hand_edited_real_files_are_reported_but_structurally_sound(name: str) -> None:
    problems = check_coda(_sample(name))
    for fragment in INCONSISTENT[name]:
        assert any(fragment in problem for problem in problems), (fragment, problems)
    assert check_coda(_sample(name), consistency=False) == []


@pytest.fixture(scope="module")
def statement() -> bytes:
    client = generate_clients("be", 1, random.Random(4))[0]
    content = generate_document(client, "statement", random.Random(4)).files[0].content
    assert check_coda(content) == []
    return content


def _records(content: bytes) -> list[str]:
    return content.decode("ascii").split("\r\n")[:-1]


def _join(records: list[str]) -> bytes:
    return ("\r\n".join(records) + "\r\n").encode("ascii")


def _edit(content: bytes, record: str, change: Callable[[str], str]) -> bytes:
    """``content`` with the first record starting with ``record`` changed."""
    records = _records(content)
    index = next(i for i, line in enumerate(records) if line.startswith(record))
    records[index] = change(records[index])
    return _join(records)


def _put(line: str, start: int, text: str) -> str:
    return line[:start] + text + line[start + len(text) :]


def _bump(digits: str) -> str:
    return f"{int(digits) + 1:0{len(digits)}d}"


BROKEN: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "short line": (lambda c: _edit(c, "21", lambda r: r[:-1]), "127 characters instead of 128"),
    "long line": (lambda c: _edit(c, "22", lambda r: r + " "), "129 characters instead of 128"),
    "wrong count": (lambda c: _edit(c, "9", lambda r: _put(r, 16, _bump(r[16:22]))), "counts"),
    "wrong debit": (lambda c: _edit(c, "9", lambda r: _put(r, 22, _bump(r[22:37]))), "debit total"),
    "wrong credit": (
        lambda c: _edit(c, "9", lambda r: _put(r, 37, _bump(r[37:52]))),
        "credit total",
    ),
    "wrong new balance": (
        lambda c: _edit(c, "8", lambda r: _put(r, 42, _bump(r[42:57]))),
        "not the new balance",
    ),
    "wrong version": (lambda c: _edit(c, "0", lambda r: _put(r, 127, "1")), "version code"),
    "movement amount not numeric": (
        lambda c: _edit(c, "21", lambda r: _put(r, 40, "X")),
        "is not a signed amount",
    ),
    "bad value date": (lambda c: _edit(c, "21", lambda r: _put(r, 47, "321399")), "value date"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_variants_are_rejected(statement: bytes, name: str) -> None:
    breaker, fragment = BROKEN[name]
    problems = check_coda(breaker(statement))
    assert any(fragment in problem for problem in problems), problems


def test_record_order_is_checked(statement: bytes) -> None:
    records = _records(statement)
    first_22 = next(i for i, line in enumerate(records) if line.startswith("22"))
    swapped = records.copy()
    swapped[first_22 - 1], swapped[first_22] = swapped[first_22], swapped[first_22 - 1]
    assert any("must follow" in p for p in check_coda(_join(swapped)))

    no_trailer = _join(records[:-1])
    assert any("no trailer" in p for p in check_coda(no_trailer))

    no_header = _join(records[1:])
    assert any("header" in p for p in check_coda(no_header))

    without_movement = [line for line in records if not line.startswith("2100010000")]
    problems = check_coda(_join(without_movement))
    assert any("counts" in p for p in problems) and any("total" in p for p in problems)

    assert check_coda(b"") == ["the file is empty"]


def test_line_ends_do_not_matter(statement: bytes) -> None:
    lf = statement.replace(b"\r\n", b"\n")
    assert check_coda(lf) == []
    assert check_coda(lf.rstrip(b"\n")) == []


@pytest.mark.parametrize("realm", sorted(REALM_COUNTRIES))
def test_generated_statements_pass_including_long_ones(realm: str) -> None:
    client = generate_clients(realm, 1, random.Random(realm))[0]
    rng = random.Random(realm)
    for _ in range(10):
        content = generate_document(client, "statement", rng).files[0].content
        assert check_coda(content) == []
        assert content.isascii()
    big = generate_document(client, "statement", rng, target_size=300_000).files[0].content
    assert check_coda(big) == []
