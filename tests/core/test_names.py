import ntpath
import os
import posixpath
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.core.names import (
    WINDOWS_RESERVED_NAMES,
    NameIssue,
    TargetOS,
    is_reserved_windows_name,
    name_issues,
    name_length,
    running_target,
    safe_name,
)

# The rules are the target's, never the running OS's: they run on Linux and on the Windows
# CPython alike (scripts/test-windows), where the file system below checks them for real.
pytestmark = pytest.mark.windows

W, P = TargetOS.WINDOWS, TargetOS.POSIX

HOSTILE = [
    "../../x",
    "..\\..\\x",
    "C:\\Windows\\x",
    "\\\\server\\share",
    "/etc/passwd",
    "CON",
    "con.xml",
    "Nul .txt",
    "COM1",
    "lpt9.pdf",
    "COM¹",
    "CONIN$",
    "a\x00b",
    "line\nbreak",
    "\x1b[31mred",
    "trailing. . .",
    "  spaced  ",
    "..",
    ".",
    "...",
    "",
    " ",
    'a<b>c:d"e|f?g*h',
    "x" * 300,
    "é" * 300,
    "😀" * 200,
    "Société Générale S.A.",
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Bakkerij Peeters BV", "Bakkerij Peeters BV"),
        ("../../x", ".._.._x"),
        ("C:\\Windows\\x", "C__Windows_x"),
        ("CON", "_CON"),
        ("con.xml", "_con.xml"),
        ("Nul .txt", "_Nul .txt"),
        ("COM10", "COM10"),
        ("a\x00b\nc", "a_b c"),
        ("Dupont S.A.", "Dupont S.A"),
        ("A/S Nordic", "A_S Nordic"),
        ("  many   spaces  ", "many spaces"),
        ("..", ""),
        ("...", ""),
        (" . ", ""),
        ("", ""),
        ("Cafe\u0301", "Café"),
    ],
)
def test_safe_name_table(value: str, expected: str) -> None:
    assert safe_name(value, W) == expected
    assert safe_name(value, P) == expected


def test_long_names_are_cut_to_255_units_of_the_target() -> None:
    assert name_length(safe_name("x" * 300, W), W) == 255
    assert name_length(safe_name("é" * 300, W), W) == 255
    # é is two bytes in UTF-8: a POSIX file system counts bytes.
    assert name_length(safe_name("é" * 300, P), P) <= 255
    # an emoji is two UTF-16 units: never split in half
    cut = safe_name("😀" * 200, W)
    assert name_length(cut, W) <= 255 and cut == "😀" * (len(cut))


def test_keep_extension_cuts_the_stem() -> None:
    name = safe_name("y" * 300 + ".xml", W, keep_extension=True)
    assert name.endswith(".xml") and name_length(name, W) == 255


@pytest.mark.parametrize("name", sorted(WINDOWS_RESERVED_NAMES))
@pytest.mark.parametrize("shape", ["{}", "{}.xml", "{} .pdf", "{}.tar.gz"])
def test_reserved_names_in_any_case(name: str, shape: str) -> None:
    for variant in (name, name.lower(), name.title()):
        candidate = shape.format(variant)
        assert is_reserved_windows_name(candidate)
        assert NameIssue.RESERVED in name_issues(candidate, W)
        assert not is_reserved_windows_name(safe_name(candidate, W))


@pytest.mark.parametrize("name", ["CONSOLE", "COM0", "COM10", "LPT", "NULL.txt", "xCON", "AUXI"])
def test_names_that_only_look_reserved(name: str) -> None:
    assert not is_reserved_windows_name(name)


@pytest.mark.parametrize(
    ("name", "target", "issues"),
    [
        ("ok", W, []),
        ("", W, [NameIssue.EMPTY]),
        ("..", P, [NameIssue.DOTS]),
        ("a:b", W, [NameIssue.FORBIDDEN_CHARACTER]),
        ("a:b", P, []),
        ("a/b", P, [NameIssue.FORBIDDEN_CHARACTER]),
        ("a\x01", W, [NameIssue.CONTROL_CHARACTER]),
        ("end.", W, [NameIssue.TRAILING_DOT_OR_SPACE]),
        ("end.", P, []),
        ("x" * 256, W, [NameIssue.TOO_LONG]),
        ("é" * 128, P, [NameIssue.TOO_LONG]),
        ("é" * 128, W, []),
    ],
)
def test_name_issues(name: str, target: TargetOS, issues: list[NameIssue]) -> None:
    assert name_issues(name, target) == issues


@given(
    st.one_of(st.text(), st.sampled_from(HOSTILE), st.lists(st.sampled_from(HOSTILE)).map("".join))
)
def test_any_value_becomes_one_valid_portable_name_or_nothing(value: str) -> None:
    for target in (W, P):
        name = safe_name(value, target)
        if name == "":
            continue
        # valid on its target and on Windows (portable), one level only
        assert name_issues(name, target) == []
        assert [i for i in name_issues(name, W) if i is not NameIssue.TOO_LONG] == []
        assert ntpath.basename(name) == name and posixpath.basename(name) == name
        assert name not in (".", "..")
        # stable: making a safe name safe again changes nothing
        assert safe_name(name, target) == name


@given(st.text(), st.sampled_from([W, P]))
def test_keep_extension_is_also_always_valid(value: str, target: TargetOS) -> None:
    name = safe_name(value + ".xml", target, keep_extension=True)
    assert name == "" or name_issues(name, target) == []


# -- on this computer's own file system ----------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(st.text(), st.sampled_from(HOSTILE), st.lists(st.sampled_from(HOSTILE)).map("".join))
)
def test_a_safe_name_is_kept_exactly_by_this_file_system(value: str) -> None:
    """What Ferry makes of a value is stored under exactly that name here: on Windows no
    trailing dot or space dropped, no device name swallowing the file, no character refused."""
    name = safe_name(value, running_target())
    # Wine keeps Windows names on a Linux file system, whose limit is 255 bytes of UTF-8
    # (NTFS's is 255 UTF-16 units, which the rules count)
    assume(name and len(name.encode("utf-8", "surrogatepass")) <= 255)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).mkdir()
        (Path(folder) / name / "INV-1.xml").write_bytes(b"<Invoice/>")
        assert os.listdir(folder) == [name]
        assert os.listdir(Path(folder) / name) == ["INV-1.xml"]


@pytest.mark.skipif(sys.platform != "win32", reason="Windows' own name rules, for real")
@pytest.mark.parametrize("name", ["end.", "end ", "end . .", "nul", "NUL.xml", "nul .txt"])
def test_windows_really_alters_the_names_the_rules_refuse(tmp_path: Path, name: str) -> None:
    """The dangers the rules guard against are real: Windows drops trailing dots and spaces,
    and a device name writes to the device instead of a file."""
    assert name_issues(name, W) != [] or is_reserved_windows_name(name)
    assert safe_name(name, W) != name
    (tmp_path / name).write_bytes(b"<Invoice/>")
    assert os.listdir(tmp_path) != [name]
