"""The destination editor, driven as a person would: typing, inserting variables, switching to
a folder per kind; the preview and every inline problem; Save only when all is right."""

from __future__ import annotations

import ntpath
import posixpath
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from app.core.kinds import DocumentKind
from app.core.language import Language
from app.core.names import TargetOS
from app.core.templates import ClientValues, check_template
from app.gui import destination_editor as module
from app.gui.destination_editor import DestinationEditor, PathField, PreviewClient
from app.gui.destination_editor_parts import browse_candidates, browse_start, placeholder
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
    assert rows["Dupont & Fils"].warning
    assert "1 client lacks a value this path needs" in editor.preview_note.text()


def test_name_is_required_and_unique(qtbot: QtBot) -> None:
    editor = _editor(qtbot, existing_names={"Winbooks"})
    _type(qtbot, editor, editor.general.edit, r"C:\Data")
    assert editor.problems() == [] and not _save(editor)  # the name was not visited yet
    qtbot.keyClick(editor.general.edit, Qt.Key.Key_Return)  # trying to save says why not
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


# -- issue 16: the editor's friction removed ---------------------------------------------------


def _shown_problem_words(editor: DestinationEditor) -> list[str]:
    """Every word painted in a problem line, whatever ``problems()`` says."""
    lines = [editor.name_problems, editor.general.problems]
    lines += [field.problems for field in editor.per_kind.values()]
    return [line.text() for line in lines if line.isVisible() and line.text()]


def _top_in(editor: DestinationEditor, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(editor, QPoint(0, 0)), widget.size())


def test_a_fresh_editor_shows_no_problem_yet_and_cannot_save(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    editor.check_now()
    assert editor.problems() == [] and editor.warnings() == []
    assert _shown_problem_words(editor) == []
    assert not _save(editor)  # the words come when they are relevant, Save waits for a valid form
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert "Give this configuration a name" in save.toolTip()


def test_a_problem_shows_once_the_field_is_edited_or_left(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    qtbot.waitExposed(editor)
    editor.activateWindow()
    editor.name.setFocus()
    qtbot.waitUntil(editor.name.hasFocus)
    qtbot.keyClick(editor.name, Qt.Key.Key_Tab)  # left without typing
    editor.check_now()
    assert any("Give this configuration a name" in p for p in editor.problems())
    assert editor.general.problem_texts() == []  # not touched yet
    qtbot.keyClicks(editor.general.edit, r"Winbooks\Data")
    editor.check_now()
    assert any("start it with a drive" in p for p in editor.general.problem_texts())
    assert any("start it with a drive" in w for w in _shown_problem_words(editor))


def test_enter_on_an_incomplete_form_says_every_problem(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    assert any("Give this configuration a name" in p for p in editor.problems())
    assert any("The path is empty" in p for p in editor.general.problem_texts())
    assert editor.isVisible()


def test_fields_do_not_move_when_problems_appear(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    qtbot.waitExposed(editor)
    below = [editor.one, editor.general.edit, editor.split, editor.format, editor.archive]
    below += [field.edit for field in editor.per_kind.values()]
    before = [_top_in(editor, widget) for widget in below]
    _type(qtbot, editor, editor.general.edit, r"Winbooks\Data")  # a general problem
    editor.reveal_problems()  # the name's too
    assert editor.name_problems.text() and editor.general.problems.text()
    qtbot.wait(10)  # let any layout request run
    assert [_top_in(editor, widget) for widget in below] == before
    # many problems at once still keep their space: the rest is elided, whole in the tooltip
    _type(qtbot, editor, editor.general.edit, r"C:\CON\a|b\x.\[nope]\[more]\[what]")
    qtbot.wait(10)
    assert len(editor.general.problem_texts()) >= 3
    assert editor.general.problems.text().endswith("…")
    assert all(p in editor.general.problems.toolTip() for p in editor.general.problem_texts())
    assert [_top_in(editor, widget) for widget in below] == before


def test_completion_never_covers_the_problem_line_nor_swallows_a_click(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    qtbot.waitExposed(editor)
    editor.activateWindow()
    field = editor.general
    field.edit.setFocus()
    qtbot.waitUntil(field.edit.hasFocus)
    qtbot.keyClicks(field.edit, r"C:\Data\[ye")
    editor.check_now()
    shown = field.completion.list
    assert shown is not None and shown.isVisible()
    assert [shown.item(i).text() for i in range(shown.count())] == ["[year]"]
    assert field.problems.isVisible() and "never closed" in field.problems.text()
    assert not _top_in(editor, shown).intersects(_top_in(editor, field.problems))
    assert not _top_in(editor, shown).intersects(_top_in(editor, field.edit))
    assert QApplication.activePopupWidget() is None  # nothing grabs the mouse
    # the first click elsewhere does what it is for, and closes the list; sent to the window
    # as the system sends a real click (a QCompleter's popup swallowed exactly this one)
    indicator = editor.split.mapTo(editor, QPoint(6, editor.split.height() // 2))
    window = editor.windowHandle()
    assert window is not None
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, indicator)
    qtbot.waitUntil(editor.split.isChecked)
    qtbot.waitUntil(lambda: not shown.isVisible())


def test_completion_by_keyboard_and_by_mouse(qtbot: QtBot) -> None:
    editor = _editor(qtbot)
    qtbot.waitExposed(editor)
    field = editor.general
    qtbot.keyClicks(field.edit, r"C:\Data\[ent")
    shown = field.completion.list
    assert shown is not None and shown.isVisible() and shown.count() == 2
    qtbot.keyClick(field.edit, Qt.Key.Key_Down)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.text() == r"C:\Data\[enterprise_name]" and not shown.isVisible()
    assert editor.isVisible()  # Return chose a variable; it did not press Save or close
    qtbot.keyClicks(field.edit, r"\[mo")
    assert shown.isVisible()
    item = shown.item(0)
    qtbot.mouseClick(
        shown.viewport(), Qt.MouseButton.LeftButton, pos=shown.visualItemRect(item).center()
    )
    assert field.text() == r"C:\Data\[enterprise_name]\[month]"
    qtbot.keyClicks(field.edit, r"\[ye")
    qtbot.keyClick(field.edit, Qt.Key.Key_Escape)
    assert not shown.isVisible() and editor.isVisible()


@pytest.mark.parametrize("target", list(TargetOS))
@pytest.mark.parametrize("language", list(Language))
def test_the_placeholder_follows_the_target_s_rules(target: TargetOS, language: Language) -> None:
    example = placeholder(target, language)
    assert check_template(example, target).ok, example
    other = TargetOS.POSIX if target is TargetOS.WINDOWS else TargetOS.WINDOWS
    assert not check_template(example, other).ok  # a C:\ path is refused on Linux, and back
    if target is TargetOS.WINDOWS:
        assert ntpath.isabs(example) and ntpath.splitdrive(example)[0] == "C:"
    else:
        assert posixpath.isabs(example) and example.startswith("/srv/")


def test_the_editor_s_placeholder_passes_its_own_check(qtbot: QtBot) -> None:
    for target in (module.running_target(), TargetOS.WINDOWS, TargetOS.POSIX):
        editor = _editor(qtbot, target=target)
        for field in (editor.general, *editor.per_kind.values()):
            example = field.edit.placeholderText()
            assert check_template(example, target).ok, (target, example)


def test_browse_starts_in_the_field_s_folder_then_the_last_one_then_documents() -> None:
    existing = {r"C:\Winbooks", "/srv/books", "/home/anna/last"}

    def start(value: str, last: str | None, target: TargetOS) -> str:
        return browse_start(value, last, "/home/anna/Documents", target, existing.__contains__)

    w, p = TargetOS.WINDOWS, TargetOS.POSIX
    assert start(r"C:\Winbooks\Data\[accounting_file_id]\in", None, w) == r"C:\Winbooks"
    assert start("/srv/books/[year]/x", "/home/anna/last", p) == "/srv/books"
    assert start("/srv/books", None, p) == "/srv/books"
    assert start("/nowhere/[year]", "/home/anna/last", p) == "/home/anna/last"
    assert start("/nowhere", "/gone", p) == "/home/anna/Documents"
    # never the program's working folder: a relative value or nothing means Documents
    assert start(r"Winbooks\Data", None, w) == "/home/anna/Documents"
    assert start("", None, p) == "/home/anna/Documents"
    assert browse_candidates(r"C:\Winbooks\Data\[year]", w) == [
        r"C:\Winbooks\Data",
        r"C:\Winbooks",
        "C:\\",
    ]
    assert browse_candidates(r"\\nas\books\[year]", w) == ["\\\\nas\\books\\"]


def _browsed_to(qtbot: QtBot, field: PathField) -> Path:
    """Click *Browse…*; the folder its dialog opens at (the dialog is open, not exec'ed)."""
    qtbot.mouseClick(field.browse, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: field._dialog is not None and field._dialog.isVisible(), timeout=5000)
    dialog = field._dialog
    assert dialog is not None
    folder = Path(dialog.directory().absolutePath())
    dialog.reject()
    field._dialog = None
    return folder


def test_browse_opens_at_the_field_s_folder_the_last_one_or_documents(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(module, "documents_folder", lambda: str(documents))
    monkeypatch.setattr(module, "_last_browsed", None)
    monkeypatch.chdir(tmp_path)
    editor = _editor(qtbot, target=module.running_target())
    field = editor.general
    assert _browsed_to(qtbot, field) == documents  # nothing typed: Documents, not the cwd
    books = tmp_path / "books"
    books.mkdir()
    field.set_text(str(books / "[year]" / "in"))
    assert _browsed_to(qtbot, field) == books
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    field._chosen(str(chosen))  # as the dialog's fileSelected does
    editor.split.setChecked(True)
    other = editor.per_kind[DocumentKind.SALES]
    assert _browsed_to(qtbot, other) == chosen  # the last folder browsed, for the session


def test_a_client_missing_the_template_s_value_is_a_warning_and_save_stays_possible(
    qtbot: QtBot,
) -> None:
    editor = _editor(qtbot)
    _type(qtbot, editor, editor.name, "Adsolut")
    _type(qtbot, editor, editor.general.edit, r"C:\Data\[accounting_file_id]")
    assert editor.problems() == []
    (warning,) = editor.warnings()
    assert "Dupont & Fils has no accounting file id" in warning
    assert "Clients tab" in warning and "Error" in warning
    assert editor.general.problems.warning and editor.general.problems.text()
    assert _save(editor)
    destination = editor.destination()
    assert destination is not None and destination.general_path == r"C:\Data\[accounting_file_id]"
    rows = [r for r in editor.preview_model.rows() if r.client == "Bakkerij Peeters BV"]
    assert rows and all(r.path and r.path.startswith(r"C:\Data\D00042") for r in rows)
    # a problem of the path itself still blocks, and is what the line shows
    _type(qtbot, editor, editor.general.edit, r"C:\Data\CON\[accounting_file_id]")
    assert not _save(editor) and any("device" in p for p in editor.problems())


def test_a_saved_destination_s_problems_show_at_once(qtbot: QtBot) -> None:
    """What was saved before is not a blank form: its problems are relevant on opening."""
    existing = Destination(name="Old", general_path=r"C:\Data\CON\[accounting_file_id]")
    editor = _editor(qtbot, destination=existing)
    assert any("device" in p for p in editor.problems()) and not _save(editor)
    editor.general.set_text(r"C:\Data\[accounting_file_id]")
    editor.check_now()
    assert editor.problems() == [] and len(editor.warnings()) == 1 and _save(editor)
