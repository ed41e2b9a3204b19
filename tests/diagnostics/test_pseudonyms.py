"""Pseudonyms are stable per installation, unguessable without its key, and once names are
replaced no known name is left in any text, in whatever case it was written."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.diagnostics.pseudonyms import (
    KEY_FILE,
    PSEUDONYM,
    NameKind,
    Pseudonymiser,
    installation_key,
)
from app.diagnostics.redact import NameBook, Redactor, secret_left, without_secrets
from app.logs import scrub

KEY = bytes(range(32))


def test_the_key_is_made_once_and_kept(tmp_path: Path) -> None:
    first = installation_key(tmp_path)
    assert len(first) == 32
    assert (tmp_path / KEY_FILE).read_text().strip() == first.hex()
    assert installation_key(tmp_path) == first


def test_a_damaged_key_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).write_text("not hex at all\n")
    key = installation_key(tmp_path)
    assert (tmp_path / KEY_FILE).read_text().strip() == key.hex()


def test_same_name_same_pseudonym_under_one_key_only() -> None:
    one, other = Pseudonymiser(KEY), Pseudonymiser(bytes(32))
    name = "Bakkerij Peeters BV"
    assert one.pseudonym(NameKind.CLIENT, name) == Pseudonymiser(KEY).pseudonym(
        NameKind.CLIENT, "  bakkerij   PEETERS bv "
    )
    assert re.fullmatch(r"client-[0-9a-f]{8}", one.pseudonym(NameKind.CLIENT, name))
    assert one.pseudonym(NameKind.CLIENT, name) != other.pseudonym(NameKind.CLIENT, name)
    # the kind is part of it: a client and a file of the same name are not linked
    assert one.digest(NameKind.CLIENT, name) != one.digest(NameKind.FILE, name)


def test_a_file_keeps_its_extension() -> None:
    pseudonyms = Pseudonymiser(KEY)
    assert re.fullmatch(r"file-[0-9a-f]{8}\.xml", pseudonyms.pseudonym(NameKind.FILE, "A.XML"))
    assert re.fullmatch(r"file-[0-9a-f]{8}", pseudonyms.pseudonym(NameKind.FILE, "README"))
    assert PSEUDONYM.fullmatch(pseudonyms.pseudonym(NameKind.FILE, "scan 1.pdf"))


def test_names_are_replaced_in_any_case_and_as_paths_write_them() -> None:
    book = NameBook(Pseudonymiser(KEY))
    book.add(NameKind.CLIENT, "Peeters: Brood/Banket")
    book.add(NameKind.FILE, "INV-2026-001 Peeters.xml")
    client = book.pseudonym(NameKind.CLIENT, "Peeters: Brood/Banket")
    file = book.pseudonym(NameKind.FILE, "INV-2026-001 Peeters.xml")
    text = (
        "delivered /out/Peeters_ Brood_Banket/2026/INV-2026-001 Peeters.xml for "
        "PEETERS: BROOD/BANKET"
    )
    cleaned = book.replace(text)
    assert cleaned == f"delivered /out/{client}/2026/{file} for {client}"
    assert book.name_left(cleaned) is None
    assert book.name_left(text) is not None


def test_a_short_name_is_replaced_only_as_a_word() -> None:
    book = NameBook(Pseudonymiser(KEY))
    book.add(NameKind.CLIENT, "ABC")
    stand_in = book.pseudonym(NameKind.CLIENT, "ABC")
    assert book.replace("ABC sent; ABCDEF is not it, abc is") == (
        f"{stand_in} sent; ABCDEF is not it, {stand_in} is"
    )


def test_a_client_named_like_a_pseudonym_kind_is_no_leak() -> None:
    book = NameBook(Pseudonymiser(KEY))
    book.add(NameKind.CLIENT, "Client")
    cleaned = book.replace("the client Client failed")
    assert book.name_left(cleaned) is None


_NAME_CHARS = st.sampled_from("abcdeXYZ -.")
_names = st.lists(
    st.text(_NAME_CHARS, min_size=5, max_size=12).filter(lambda n: n.strip() == n),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(names=_names, fillers=st.lists(st.text(_NAME_CHARS, max_size=8), max_size=8), data=st.data())
def test_no_known_name_survives_replacement(
    names: list[str], fillers: list[str], data: st.DataObject
) -> None:
    book = NameBook(Pseudonymiser(KEY))
    for name in names:
        book.add(NameKind.CLIENT, name)
    parts = []
    for filler in fillers:
        parts.append(filler)
        name = data.draw(st.sampled_from(names))
        parts.append(data.draw(st.sampled_from([name, name.upper(), name.lower()])))
    cleaned = book.replace("".join(parts))
    assert book.name_left(cleaned) is None
    outside = PSEUDONYM.sub("\x00", cleaned).lower()
    for name in names:
        assert name.lower() not in outside


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_cleaning_leaves_nothing_the_check_would_refuse(text: str) -> None:
    """Whatever a log holds, what the cleaning gives passes the final check: scrubbing is a
    fixed point on its own output, so the check never refuses a cleaned member."""
    cleaned = without_secrets(text)
    assert secret_left(cleaned) is None
    assert scrub(cleaned) == cleaned


@given(
    st.sampled_from(
        [
            "access_token=abc.def",
            '"refresh_token": "r-123"',
            "Authorization: Bearer zzz",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            "proxy http://ann:s3cret@proxy.example:3128",
            "smtp://mailer:pa55@mail.example:587",
            "password=hunter2",
        ]
    ),
    st.text(st.sampled_from("qw ."), max_size=20),
)
def test_each_kind_of_secret_is_found_raw_and_gone_cleaned(secret: str, around: str) -> None:
    text = f"{around} {secret} {around}"
    assert secret_left(text) is not None
    redactor = Redactor()
    assert redactor.leak(redactor.text(text)) is None
    for value in ("abc.def", "r-123", "zzz", "s3cret", "pa55", "hunter2", "c2ln"):
        if value in secret:
            assert value not in redactor.text(text)


def test_names_nested_hundreds_deep_are_still_replaced() -> None:
    """Each name a prefix of the next nests the trie's pattern deeper than Python's regex
    compiler recurses: the plain alternation takes over."""
    book = NameBook(Pseudonymiser(KEY))
    for length in range(5, 900):
        book.add(NameKind.CLIENT, "a" * length)
    cleaned = book.replace(f"x {'a' * 30} y {'A' * 899}")
    assert cleaned == (
        f"x {book.pseudonym(NameKind.CLIENT, 'a' * 30)} y "
        f"{book.pseudonym(NameKind.CLIENT, 'a' * 899)}"
    )


def test_json_is_checked_string_by_string_and_entry_by_entry() -> None:
    """A destination named "Code" or "Token" is no secret, whatever JSON puts after it; an
    entry named like a secret with a text value is one."""
    redactor = Redactor()
    assert redactor.data_leak({"moved": {"Code": 1}, "by": {"Token": {"delivered": 2}}}) is None
    assert redactor.data_leak({"smtp": {"password": "hunter2"}}) is not None
    assert redactor.data_leak({"runs": [{"message": "Bearer abc"}]}) is not None
    assert redactor.data_leak(redactor.data({"runs": [{"message": "Bearer abc"}]})) is None
