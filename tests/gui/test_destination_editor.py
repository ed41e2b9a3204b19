"""The destination editor, driven as a person would: typing, inserting variables, switching to
a folder per kind; the preview and every inline problem; Save only when all is right."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.core.kinds import DocumentKind
from app.core.language import Language
from app.core.names import TargetOS
from app.core.templates import ClientValues
from app.gui import destination_editor as module
from app.gui.destination_editor import DestinationEditor, PreviewClient
from app.settings import DeliveryFormat, Destination

CLIENTS = [
    PreviewClient(
        "Bakkerij Peeters BV",
        ClientValues("Bakkerij Peeters BV", "BE0403019261", "D00042", "BE"),
    ),
    PreviewClient("Dupont & Fils", ClientValues("Dupont & Fils", "BE0123456749", None, "BE")),
]
DAY = date(2026, 3, 9)


def _editor(
    qtbot: QtBot, target: TargetOS = TargetOS.WINDOWS, **options: object
) -> DestinationEditor:
    editor = DestinationEditor(CLIENTS, target=target, today=DAY, **options)  # type: ignore[arg-type]
    qtbot.addWidget(editor)
    editor.show()
    return editor


def _save(editor: DestinationEditor) -> bool:
    return editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()


def _type(qtbot: QtBot, editor: DestinationEditor, widget: object, text: str) -> None:
    widget.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(widget, text)
    editor.check_now()


def test_a_good_destination_previews_real_paths_and_saves(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    _type(qtbot, editor, editor.name, "Winbooks")
    _type(
        qtbot,
        editor,
        editor.general.edit,
        r"C:\Winbooks\Data\[identifiant_entreprise]\[document_type]",
    )
    assert editor.problems() == []
    paths = {(r.client, r.kind): r.path for r in editor.preview_model.rows()}
    assert (
        paths[("Bakkerij Peeters BV", DocumentKind.PURCHASE)]
        == r"C:\Winbooks\Data\BE0403019261\purchase"
    )
    assert (
        paths[("Dupont & Fils", DocumentKind.STATEMENT)]
        == r"C:\Winbooks\Data\BE0123456749\statements"
    )
    assert _save(editor)
    editor.format.setCurrentIndex(editor.format.findData("ubl+pdf"))
    with qtbot.waitSignal(editor.saved) as saved:
        qtbot.mouseClick(
            editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    destination = saved.args[0]
    assert isinstance(destination, Destination)
    assert destination.format is DeliveryFormat.UBL_PDF
    assert destination.general_path == r"C:\Winbooks\Data\[identifiant_entreprise]\[document_type]"


@pytest.mark.parametrize(
    ("template", "words"),
    [
        (r"C:\Data\[enterprise_nam]", "Did you mean [enterprise_name]?"),
        (r"Winbooks\Data", "start it with a drive"),
        (r"C:\Data\CON\x", "Windows keeps for a device"),
        (r"C:\Data\inbound.\x", "ends with a dot or a space"),
        (r"C:\Data\a|b", "which Windows does not allow"),
        ("C:\\" + "\\".join(["folder"] * 40), "at most 259"),
        (r"C:\Data\[accounting_file_id]", "Dupont & Fils has no accounting file id"),
    ],
)
def test_every_problem_is_shown_next_to_its_field_and_blocks_save(
    qtbot: QtBot, template: str, words: str
) -> None:
    editor = _editor(qtbot)
    _type(qtbot, editor, editor.name, "Winbooks")
    _type(qtbot, editor, editor.general.edit, template)
    assert editor.general.problems.isVisible()
    assert any(words in problem for problem in editor.general.problem_texts()), editor.problems()
    assert not _save(editor)
    assert editor.destination() is None


def test_a_client_problem_shows_in_its_preview_row(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    _type(qtbot, editor, editor.name, "Adsolut")
    _type(
        qtbot,
        editor,
        editor.general.edit,
        r"C:\adsolutclient\UBLDocs\[accounting_file_id]\outbound",
    )
    rows = {r.client: r for r in editor.preview_model.rows() if r.kind is DocumentKind.SALES}
    assert rows["Bakkerij Peeters BV"].path == r"C:\adsolutclient\UBLDocs\D00042\outbound"
    assert rows["Dupont & Fils"].path is None and "no accounting file id" in (
        rows["Dupont & Fils"].problem or ""
    )
    assert "fix them before saving" in editor.preview_note.text()


def test_name_is_required_and_unique(qtbot: QtBot) -> None:
    editor = _editor(qtbot, existing_names={"Winbooks"})
    _type(qtbot, editor, editor.general.edit, r"C:\Data")
    assert "Give this configuration a name" in editor.problems()[0]
    _type(qtbot, editor, editor.name, "Winbooks")
    assert "already has this name" in editor.problems()[0]
    _type(qtbot, editor, editor.name, "Archive")
    assert editor.problems() == [] and _save(editor)


def test_a_folder_per_kind(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    _type(qtbot, editor, editor.name, "Synqup")
    indicator = QPoint(6, editor.split.height() // 2)
    qtbot.mouseClick(editor.split, Qt.MouseButton.LeftButton, pos=indicator)
    assert not editor.general.isEnabled() and editor.per_kind[DocumentKind.SALES].isEnabled()
    editor.check_now()
    assert not _save(editor)  # no folder yet
    _type(
        qtbot,
        editor,
        editor.per_kind[DocumentKind.PURCHASE].edit,
        r"D:\In\[identifiant_entreprise]",
    )
    _type(qtbot, editor, editor.per_kind[DocumentKind.STATEMENT].edit, r"D:\Coda\[year]")
    assert _save(editor)
    kinds = {r.kind for r in editor.preview_model.rows()}
    assert kinds == {DocumentKind.PURCHASE, DocumentKind.STATEMENT}
    destination = editor.destination()
    assert destination is not None and destination.general_path is None
    assert set(destination.paths) == {DocumentKind.PURCHASE, DocumentKind.STATEMENT}


def test_insert_variable_and_completion(qtbot: QtBot) -> None:
    editor = _editor(qtbot, language=Language.FR)
    _type(qtbot, editor, editor.general.edit, "C:\\Data\\")
    menu = editor.general.insert.menu()
    action = next(a for a in menu.actions() if a.text() == "[identifiant_entreprise]")
    assert "numéro de TVA" in action.toolTip()
    action.trigger()
    assert editor.general.text() == r"C:\Data\[identifiant_entreprise]"
    editor.general.edit.clear()
    qtbot.keyClicks(editor.general.edit, r"C:\Data\[annee")
    editor.general._complete("[annee]")
    assert editor.general.text() == r"C:\Data\[annee]"


def test_an_existing_destination_is_loaded(qtbot: QtBot) -> None:
    existing = Destination(
        name="Archive",
        paths={DocumentKind.RECEIPT: r"\\nas\archive\[year]"},
        format=DeliveryFormat.PDF,
    )
    editor = _editor(qtbot, destination=existing, existing_names={"Archive", "Winbooks"})
    assert editor.split.isChecked()
    assert editor.per_kind[DocumentKind.RECEIPT].text() == r"\\nas\archive\[year]"
    assert editor.problems() == [] and editor.destination() == existing


def test_a_mapped_drive_suggests_the_network_path(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Mapped drives exist only on Windows: the OS function is replaced, the rule is not.
    monkeypatch.setattr(module, "drive_a_service_cannot_see", lambda path: r"\\nas\boekhouding\in")
    editor = _editor(qtbot, target=module.running_target(), for_service=True)
    _type(qtbot, editor, editor.name, "Mapped")
    _type(qtbot, editor, editor.general.edit, "/mnt/z/in")
    assert any(
        r"\\nas\boekhouding\in" in p and "the Ferry service cannot see it" in p
        for p in editor.problems()
    )
    assert not _save(editor)


def test_a_mapped_drive_is_fine_for_the_desktop_app_s_own_engine(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The person's own engine runs in the person's session, where the drive is mapped."""
    monkeypatch.setattr(module, "drive_a_service_cannot_see", lambda path: r"\\nas\boekhouding\in")
    editor = _editor(qtbot, target=module.running_target())
    _type(qtbot, editor, editor.name, "Mapped")
    _type(qtbot, editor, editor.general.edit, str(Path.cwd() / "in"))
    assert not any("service" in p for p in editor.problems())


def test_a_folder_ferry_cannot_write_is_said_after_the_check(
    qtbot: QtBot, read_only_folder: Path
) -> None:
    editor = _editor(qtbot, target=module.running_target())
    _type(qtbot, editor, editor.name, "RO")
    _type(qtbot, editor, editor.general.edit, f"{read_only_folder}/winbooks")
    qtbot.waitUntil(
        lambda: any("Ferry cannot write there" in p for p in editor.problems()), timeout=5000
    )
    assert not _save(editor)
    _type(qtbot, editor, editor.general.edit, f"{read_only_folder.parent}/writable/winbooks")
    qtbot.waitUntil(lambda: editor.problems() == [], timeout=5000)
    assert _save(editor)
