"""Hostile file names from the platform land inside their destination, against the real engine.

A platform file name is data typed by a stranger, never a path: whatever it holds (``..``,
separators of either kind, a drive, a device name, control characters, 300 characters, a name
differing from another only in case or in Unicode normalisation), the file must be written in
its destination folder and nowhere else, under a name valid on Windows, with the platform's
bytes, and never over another document's file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from app.core.names import TargetOS, name_issues
from app.engine.engine import Engine
from app.settings import DeliveryFormat, Destination
from tests.engine.conftest import Office
from tests.engine.helpers import running

LONG = "n" * 296 + ".xml"  # 300 characters

HOSTILE = [
    "../../x.xml",
    "..\\..\\y.xml",
    "C:\\Windows\\z.xml",
    "\\\\server\\share\\evil.pdf",
    "/etc/passwd",
    "../../../../../../../../../../tmp/escaped.xml",
    "CON.xml",
    "nul.pdf",
    "Com1 .xml",
    "a\x01b\nc.pdf",
    "bell\x07\x1f\x7f.xml",
    "tab\there.xml",
    LONG,
    "..",
    " ",
    "trailing dot.xml. . ",
    'quote"<in>|name?*.xml',
    ".~ferry-0123456789abcdef.partial",
    "x.xml",  # the same name as "../../x.xml" once made safe, with other bytes
]


def _media_type(name: str) -> str:
    if name.lower().endswith(".xml"):
        return "application/xml"
    if name.lower().endswith(".pdf"):
        return "application/pdf"
    return "application/octet-stream"


def _snapshot(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


async def _sync_once(office: Office) -> tuple[int, int]:
    async with running(office) as engine:
        summary = await engine.sync_once()
    return summary.delivered, summary.failed


def _check_inside(written: str, folder: Path) -> Path:
    """The written file lies directly in ``folder`` (no link, no escape), with a valid name."""
    path = Path(written)
    assert path.parent == folder, written
    assert path.resolve().relative_to(folder.resolve()) == Path(path.name)
    assert not path.is_symlink()
    assert name_issues(path.name, TargetOS.WINDOWS) == [], repr(path.name)
    assert not path.name.startswith(".~ferry-"), "looks like a temporary file"
    return path


async def test_hostile_file_names_land_inside_their_destination(
    office: Office, tmp_path: Path
) -> None:
    client = office.new_client("Hostile Names BV")
    uploaded: dict[str, list[bytes]] = {}
    for number, name in enumerate(HOSTILE):
        content = f"<doc n='{number}' name={name!r}/>".encode()
        document = office.add(
            client, "other", files=[(name, content, _media_type(name))], number=f"DOC-{number}"
        )
        uploaded[document.id] = [content]
    # names differing only in case: two files of one document, and two documents
    both = office.add(
        client,
        "other",
        files=[
            ("Invoice.xml", b"<a>first</a>", "application/xml"),
            ("INVOICE.xml", b"<a>second, other bytes</a>", "application/xml"),
        ],
        number="CASE-1",
    )
    uploaded[both.id] = [b"<a>first</a>", b"<a>second, other bytes</a>"]
    for number, name in enumerate(("Report.pdf", "REPORT.pdf", "report.PDF")):
        content = f"%PDF-1.4 case {number}".encode()
        document = office.add(
            client, "other", files=[(name, content, "application/pdf")], number=f"R-{number}"
        )
        uploaded[document.id] = [content]
    # the same name in two Unicode normalisations (NFC and NFD)
    for number, name in enumerate(("caf\u00e9.xml", "cafe\u0301.xml")):
        content = f"<cafe n='{number}'/>".encode()
        document = office.add(
            client, "other", files=[(name, content, "application/xml")], number=f"U-{number}"
        )
        uploaded[document.id] = [content]

    destination = office.root / "dest"
    office.configure(
        [Destination(name="Dest", general_path=str(destination))], {client.id: ["Dest"]}
    )
    home_root = tmp_path / "home"
    outside_before = {p for p in _snapshot(tmp_path) if not p.is_relative_to(home_root)}
    parent_before = set(os.listdir(tmp_path.parent))
    passwd_before = _sha256(Path("/etc/passwd"))
    escaped_before = Path("/tmp/escaped.xml").exists()

    assert await _sync_once(office) == (len(uploaded), 0)

    written: dict[Path, bytes] = {}
    for document_id, contents in uploaded.items():
        on_platform = office.on_platform(document_id)
        assert on_platform.status.value == "forwarded", on_platform.status_message
        assert len(on_platform.locations) == len(contents)
        got = []
        for location in on_platform.locations:
            path = _check_inside(location, destination)
            assert path not in written, f"{path} written twice"
            written[path] = path.read_bytes()
            got.append(written[path])
        assert sorted(got) == sorted(contents), "every file with its own bytes, none overwritten"
    # nothing anywhere else: not beside the destination, not above the test's folder, not in
    # the working folder, not over a system file, no temporary file left
    outside_after = {p for p in _snapshot(tmp_path) if not p.is_relative_to(home_root)}
    assert outside_after - outside_before == set(written)
    assert _snapshot(destination) == set(written)
    assert set(os.listdir(tmp_path.parent)) == parent_before
    for escaped in ("x.xml", "y.xml", "z.xml", "C:\\Windows\\z.xml", "passwd", "escaped.xml"):
        assert not (Path.cwd() / escaped).exists()
        assert not (tmp_path.parent / escaped).exists()
    assert _sha256(Path("/etc/passwd")) == passwd_before
    assert Path("/tmp/escaped.xml").exists() == escaped_before
    for path in _snapshot(home_root):
        assert path.suffix.lower() not in (".xml", ".pdf"), f"a document file in the home: {path}"
        assert path.name != "passwd"
    # what the names became: the extension kept where there was one, the long one cut
    names = {p.name for p in written}
    assert all(name_issues(name, TargetOS.WINDOWS) == [] for name in names)
    long_ones = [name for name in names if name.startswith("nnnn")]
    assert len(long_ones) == 1 and long_ones[0].endswith(".xml") and len(long_ones[0]) <= 255
    assert sum(1 for name in names if name.lower() == "invoice.xml") == 2
    assert sum(1 for name in names if name.lower() == "report.pdf") == 3
    # two names that became the same: one keeps it, the other is numbered, neither overwritten
    assert {"x.xml", "x (2).xml", "café.xml", "café (2).xml"} <= names
    assert not any(name.endswith("passwd") and name != "passwd" for name in names)

    # a second engine (which clears its temporary files on start) neither removes nor rewrites
    engine = Engine(office.home)
    await engine.open()
    try:
        summary = await engine.full_sync()
    finally:
        await engine.close()
    assert (summary.delivered, summary.failed) == (0, 0)
    assert {p: p.read_bytes() for p in _snapshot(destination)} == written


async def test_hostile_names_of_an_invoice_and_the_pdf_taken_from_it(office: Office) -> None:
    """``ubl+pdf`` and ``pdf`` derive the PDF's name from the XML's: hostile names stay data."""
    client = office.new_client("Invoice Names BV")
    names = ["../../evil.xml", "C:\\Windows\\CON.xml", LONG, "a\x01b\nc.xml"]
    template = office.add(client, "purchase")  # a real UBL invoice with its PDF embedded
    ubl = office.uploaded[template.id][template.files[0].id]
    documents = {
        office.add(
            client, "purchase", files=[(name, ubl, "application/xml")], number=f"INV-{number}"
        ).id: name
        for number, name in enumerate(names)
    }
    root = office.root
    office.configure(
        [
            Destination(name="Both", general_path=f"{root}/both", format=DeliveryFormat.UBL_PDF),
            Destination(name="Pdf", general_path=f"{root}/pdf", format=DeliveryFormat.PDF),
        ],
        {client.id: ["Both", "Pdf"]},
    )
    assert await _sync_once(office) == (len(documents) + 1, 0)
    for document_id in documents:
        on_platform = office.on_platform(document_id)
        assert on_platform.status.value == "forwarded", on_platform.status_message
        in_both = [_check_inside(p, root / "both") for p in on_platform.locations if "/both/" in p]
        in_pdf = [_check_inside(p, root / "pdf") for p in on_platform.locations if "/pdf/" in p]
        assert len(in_both) == 2 and len(in_pdf) == 1, on_platform.locations
        xml, pdf = sorted(in_both, key=lambda p: p.suffix != ".xml")
        assert xml.suffix == ".xml" and pdf.suffix == ".pdf"
        assert xml.read_bytes() == ubl
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert in_pdf[0].read_bytes() == pdf.read_bytes()
        assert pdf.stem == xml.stem == in_pdf[0].stem, "the PDF beside its XML, same base name"
    assert {p.parent for p in _snapshot(root)} == {root / "both", root / "pdf"}


async def test_hostile_client_values_stay_inside_the_destination(office: Office) -> None:
    """Folder names made from platform values (the client's name, its file id) are data too."""
    client = office.new_client("../../Evil\\Corp: CON", file_id="..\\..\\D1")
    document = office.add(client, "receipt")
    base = office.root / "dest"
    office.configure(
        [Destination(name="Dest", general_path=f"{base}/[enterprise_name]/[accounting_file_id]")],
        {client.id: ["Dest"]},
    )
    assert await _sync_once(office) == (1, 0)
    on_platform = office.on_platform(document.id)
    assert on_platform.status.value == "forwarded", on_platform.status_message
    (location,) = on_platform.locations
    path = Path(location)
    relative = path.resolve().relative_to(base.resolve())
    assert len(relative.parts) == 3, relative  # client name / file id / file
    for part in relative.parts:
        assert name_issues(part, TargetOS.WINDOWS) == [], repr(part)
        assert part not in (".", "..")
    assert path.read_bytes() == office.uploaded[document.id][document.files[0].id]
    assert _snapshot(office.root) == {path}
