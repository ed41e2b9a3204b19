"""Ferry in English, French and Dutch through Qt's own tools: every text of the code is in the
.ts files and translated with its placeholders intact, Qt's translators make real widgets speak
the chosen language and switch live, a missing .qm is compiled on first use, and the OS's
language is followed.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.atomic_files import replace_when_free
from app.core.language import Language
from app.gui import i18n
from app.gui.activity_view import ActivityView
from app.gui.document_rows import Column
from app.gui.i18n import install_translator, pick_language, qm_file
from app.gui.status_view import StatusView
from app.gui.table_model import TableModel
from app.os_specific import is_locked_error
from tests.conftest import WINDOWS

from .test_status_view import sample_rows
from .test_table_rows import CLIENTS

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "translations"
US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
PLACEHOLDER = re.compile(r"\{\w+\}|%L?n|%L?\d")


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """Compiled .qm files go here, never into the user's own cache."""
    return tmp_path / "qm-cache"


@pytest.fixture
def english_again(qapp: QApplication, cache: Path) -> Iterator[None]:
    """Whatever a test installs, the next one starts in English."""
    yield
    install_translator(qapp, Language.EN, cache_dir=cache)


# --- the .ts files ---------------------------------------------------------------------------


def test_every_text_of_the_code_is_in_the_ts_files_and_translated() -> None:
    """lupdate over today's code, into copies of the committed .ts files: nothing new, nothing
    unfinished, no text without a context, every placeholder where the English has it."""
    result = run_script("--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_finds_what_is_missing_or_wrong(tmp_path: Path) -> None:
    folder = tmp_path / "translations"
    shutil.copytree(i18n.TRANSLATIONS, folder, ignore=shutil.ignore_patterns("*.qm"))
    french = folder / "ferry_fr.ts"
    text = french.read_text(encoding="utf-8")
    # a placeholder lost in translation, and a text nobody translated yet
    text = text.replace(
        "<translation>Ferry ne peut pas écrire à cet endroit : {reason}.</translation>",
        "<translation>Ferry ne peut pas écrire à cet endroit.</translation>",
    )
    text = text.replace(
        "<translation>Envoyer aux intégrations</translation>",
        '<translation type="unfinished"></translation>',
    )
    french.write_text(text, encoding="utf-8")
    result = run_script("--check", "--folder", str(folder))
    assert result.returncode == 1
    assert "'Ferry cannot write there: {reason}.': placeholders [] in" in result.stdout
    assert "[StatusView] 'Send to integrations': not translated" in result.stdout
    assert "ferry_nl.ts [StatusView] 'Send to integrations'" not in result.stdout


PITFALLS = """
from PySide6.QtCore import QCoreApplication, QObject


def tr(text):
    return QCoreApplication.translate("Helper", text)


class Panel(QObject):
    def words(self, rows, count):
        tr("A helper loses its context")
        QCoreApplication.translate("Panel", "Skipped by lupdate", "", len(rows))
        QCoreApplication.translate("Panel", "%n row(s) read without a count", "", count)
        QCoreApplication.translate("Panel", f"{count} rows in an f-string")
        self.tr("%n row(s) counted", "", count)
"""


def test_the_check_finds_calls_lupdate_cannot_read(tmp_path: Path) -> None:
    """lupdate's Python parser fails silently on a few spellings; the check says which."""
    code = tmp_path / "code"
    code.mkdir()
    (code / "panel.py").write_text(PITFALLS, encoding="utf-8")
    folder = tmp_path / "translations"
    shutil.copytree(i18n.TRANSLATIONS, folder, ignore=shutil.ignore_patterns("*.qm"))
    result = run_script("--check", "--folder", str(folder), "--sources", str(code))
    assert result.returncode == 1
    report = result.stdout
    assert "ferry_fr.ts [] 'A helper loses its context': no context" in report
    assert "panel.py:12: lupdate does not read [Panel] 'Skipped by lupdate'" in report
    assert "panel.py:13: lupdate reads [Panel] '%n row(s) read without a count' without" in report
    assert "panel.py:14: an f-string cannot be translated" in report

    # The same calls written plainly: lupdate reads them all, only the translations are missing.
    (code / "panel.py").write_text(
        "from PySide6.QtCore import QCoreApplication, QObject\n\n\n"
        "class Panel(QObject):\n"
        "    def words(self, rows, count):\n"
        '        QCoreApplication.translate("Panel", "Read by lupdate")\n'
        "        shown = len(rows)\n"
        '        self.tr("%n row(s) shown", "", shown)\n',
        encoding="utf-8",
    )
    plain = run_script("--check", "--folder", str(folder), "--sources", str(code))
    lines = plain.stdout.splitlines()
    assert len(lines) == 5, plain.stdout  # 2 in French, 2 in Dutch, the plural in English
    assert all(line.endswith("': not translated") for line in lines), plain.stdout
    assert "ferry_fr.ts [Panel] '%n row(s) shown': not translated" in lines


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_placeholders_are_the_same_in_every_translation(language: str) -> None:
    tree = ET.parse(i18n.TRANSLATIONS / f"ferry_{language}.ts")
    checked = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        forms = [f.text or "" for f in translation.findall("numerusform")] or [
            translation.text or ""
        ]
        for form in forms:
            assert form.strip(), source
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(source)), (
                source,
                form,
            )
            checked += 1
    assert checked > 200


def test_compile_builds_a_qm_per_language(tmp_path: Path) -> None:
    folder = tmp_path / "translations"
    shutil.copytree(i18n.TRANSLATIONS, folder, ignore=shutil.ignore_patterns("*.qm"))
    result = run_script("--compile", "--folder", str(folder))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.glob("*.qm")) == [
        "ferry_en.qm",
        "ferry_fr.qm",
        "ferry_nl.qm",
    ]
    again = run_script("--compile", "--folder", str(folder))
    assert again.stdout == ""  # up to date: nothing compiled twice


# --- live translation of real widgets --------------------------------------------------------


def status_view(qtbot: QtBot) -> StatusView:
    view = StatusView(model=TableModel(locale=US))
    qtbot.addWidget(view)
    view.set_client_names(CLIENTS)
    view.set_rows(sample_rows())
    view.show()
    qtbot.waitExposed(view)
    return view


def words(view: StatusView) -> dict[str, str]:
    model = view.model
    return {
        "search": view.search.placeholderText(),
        "all statuses": view.status_filter.itemText(0),
        "error filter": view.status_filter.itemText(2),
        "send": view.send_action.text(),
        "status header": str(
            model.headerData(Column.STATUS, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        ),
        "statuses": ", ".join(
            sorted({str(model.index(r, Column.STATUS).data()) for r in range(model.rowCount())})
        ),
        "summary": view.summary.text(),
    }


def test_a_status_view_switches_language_live(
    qtbot: QtBot, qapp: QApplication, cache: Path, english_again: None
) -> None:
    view = status_view(qtbot)
    view.search.setText("INV-1")  # filtered: the summary says how many are shown
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    english = words(view)
    assert english["send"] == "Send to integrations"
    assert english["statuses"] == "Forwarded"
    assert english["summary"] == "5 documents · 2 in error · 2 shown"

    assert install_translator(qapp, Language.FR, cache_dir=cache) is Language.FR
    qtbot.waitUntil(lambda: words(view)["send"] == "Envoyer aux intégrations")
    assert words(view) == {
        "search": "Rechercher un client, numéro, montant, message ou chemin…",
        "all statuses": "Tous les statuts",
        "error filter": "Erreur",
        "send": "Envoyer aux intégrations",
        "status header": "Statut",
        "statuses": "Transféré",
        "summary": "5 documents · 2 en erreur · 2 affichés",
    }

    assert install_translator(qapp, Language.NL, cache_dir=cache) is Language.NL
    qtbot.waitUntil(lambda: words(view)["send"] == "Naar integraties sturen")
    dutch = words(view)
    assert dutch["all statuses"] == "Alle statussen"
    assert dutch["error filter"] == "Fout"
    assert dutch["status header"] == "Status"
    assert dutch["statuses"] == "Doorgestuurd"
    assert dutch["summary"] == "5 documenten · 2 met fout · 2 getoond"

    assert install_translator(qapp, Language.EN, cache_dir=cache) is Language.EN
    qtbot.waitUntil(lambda: words(view)["send"] == "Send to integrations")
    assert words(view) == english


def test_a_status_view_opened_later_speaks_the_installed_language(
    qtbot: QtBot, qapp: QApplication, cache: Path, english_again: None
) -> None:
    install_translator(qapp, Language.NL, cache_dir=cache)
    view = StatusView()
    qtbot.addWidget(view)
    view.set_rows(sample_rows())
    assert [view.status_filter.itemText(i) for i in range(4)] == [
        "Alle statussen",
        "Op te halen",
        "Fout",
        "Doorgestuurd",
    ]
    kinds = {str(view.model.index(r, Column.KIND).data()) for r in range(view.model.rowCount())}
    assert kinds == {"Aankoopfactuur"}


def test_french_plural_forms_follow_the_count(
    qtbot: QtBot, qapp: QApplication, cache: Path, english_again: None
) -> None:
    view = status_view(qtbot)
    install_translator(qapp, Language.FR, cache_dir=cache)
    view.search.setText("INV-10")
    qtbot.waitUntil(lambda: view.summary.text().endswith("· 1 affiché"))
    view.search.setText("INV-")
    qtbot.waitUntil(lambda: view.summary.text().endswith("· 5 affichés"))


def test_english_plural_forms_come_from_the_english_file(
    qapp: QApplication, cache: Path, english_again: None
) -> None:
    """Texts counted with %n read "(s)" in the code; the English .qm gives the real forms."""
    tree = ET.parse(i18n.TRANSLATIONS / "ferry_en.ts")
    plurals = [
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in tree.getroot().iter("context")
        for message in context.iter("message")
    ]
    assert ("StatusView", "%1 shown") in plurals
    install_translator(qapp, Language.EN, cache_dir=cache)
    for context, source in plurals:
        for count in (1, 2):
            said = QCoreApplication.translate(context, source, "", count)
            assert "(s)" not in said, (source, count, said)
            if "%n" in source:
                assert str(count) in said


def test_qt_own_buttons_are_translated_too(
    qapp: QApplication, cache: Path, english_again: None
) -> None:
    install_translator(qapp, Language.NL, cache_dir=cache)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text().replace("&", "") == "Annuleren"


def test_the_activity_headers_switch_language_live(
    qtbot: QtBot, qapp: QApplication, cache: Path, english_again: None
) -> None:
    view = ActivityView()
    qtbot.addWidget(view)
    view.show()
    changes: list[tuple[object, int, int]] = []
    view.model.headerDataChanged.connect(lambda *args: changes.append(args))

    def header(column: int) -> str:
        return str(view.model.headerData(column, Qt.Orientation.Horizontal))

    assert header(0) == "When"
    install_translator(qapp, Language.FR, cache_dir=cache)
    qtbot.waitUntil(lambda: bool(changes))  # the header repaints
    assert [header(c) for c in range(3)] == ["Quand", "Type", "Durée"]


# --- finding and compiling the .qm -----------------------------------------------------------


def test_a_missing_qm_is_compiled_once_per_version_of_the_ts(tmp_path: Path, cache: Path) -> None:
    folder = tmp_path / "translations"
    folder.mkdir()
    shutil.copy(i18n.TRANSLATIONS / "ferry_nl.ts", folder)
    first = qm_file(Language.NL, folder=folder, cache_dir=cache)
    assert first is not None and first.parent == cache and first.stat().st_size > 1000
    made = first.stat().st_mtime_ns
    assert qm_file(Language.NL, folder=folder, cache_dir=cache) == first
    assert first.stat().st_mtime_ns == made  # not compiled again

    ts = folder / "ferry_nl.ts"
    ts.write_text(
        ts.read_text(encoding="utf-8").replace("Opnieuw proberen", "Nog eens proberen"),
        encoding="utf-8",
    )
    second = qm_file(Language.NL, folder=folder, cache_dir=cache)
    assert second is not None and second != first
    assert sorted(cache.iterdir()) == [second]  # the outdated one is gone

    # a .qm built by set-up beside an unchanged .ts is used as it is
    built = folder / "ferry_nl.qm"
    shutil.copy(second, built)
    assert qm_file(Language.NL, folder=folder, cache_dir=cache) == built
    os.utime(ts, (built.stat().st_mtime + 10, built.stat().st_mtime + 10))
    assert qm_file(Language.NL, folder=folder, cache_dir=cache) == second


def test_a_built_qm_beats_english_when_the_ts_cannot_be_compiled(
    qapp: QApplication, tmp_path: Path, cache: Path, english_again: None
) -> None:
    """E.g. a packaged build (no lrelease) whose copied files lost their order in time."""
    built = tmp_path / "ferry_fr.qm"
    assert i18n.lrelease_command() is not None
    i18n.compile_ts(i18n.TRANSLATIONS / "ferry_fr.ts", built)
    ts = tmp_path / "ferry_fr.ts"
    ts.write_text("<TS><context>", encoding="utf-8")  # newer than the .qm, and broken
    os.utime(ts, (built.stat().st_mtime + 10, built.stat().st_mtime + 10))
    assert qm_file(Language.FR, folder=tmp_path, cache_dir=cache) == built
    assert install_translator(qapp, Language.FR, folder=tmp_path, cache_dir=cache) is Language.FR
    assert QCoreApplication.translate("StatusView", "Retry") == "Réessayer"


def _refuse_replacing(monkeypatch: pytest.MonkeyPatch, target: Path, times: int) -> list[int]:
    """Linux's stand-in for another program holding ``target``: the next ``times`` moves onto
    it fail as a busy file does (POSIX has no share modes). Returns the count of refusals."""
    refused: list[int] = []
    real = Path.replace

    def replace(self: Path, destination: str | os.PathLike[str]) -> Path:
        if Path(destination) == target and len(refused) < times:
            refused.append(1)
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(self))
        return real(self, destination)

    monkeypatch.setattr(Path, "replace", replace)
    return refused


@pytest.mark.windows
def test_a_qm_held_open_elsewhere_is_replaced_once_it_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Another Ferry's Qt (or an antivirus) holds the .qm open: Windows refuses to replace it
    until that handle closes, and the compiled one goes in then, with no temporary left."""
    qm = tmp_path / "ferry_fr.qm"
    qm.write_bytes(b"an older translation")
    if WINDOWS:
        request.getfixturevalue("hold_open")(qm).close_after(0.5)
        with pytest.raises(PermissionError):
            qm.read_bytes()  # held with share mode 0, for real
    else:
        refused = _refuse_replacing(monkeypatch, qm, times=3)
    i18n.compile_ts(i18n.TRANSLATIONS / "ferry_fr.ts", qm)
    if not WINDOWS:
        assert len(refused) == 3
    assert qm.stat().st_size > 1000 and qm.read_bytes() != b"an older translation"
    assert [path.name for path in tmp_path.iterdir()] == [qm.name]


@pytest.mark.windows
def test_a_qm_held_for_too_long_keeps_the_old_one_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    qm = tmp_path / "ferry_fr.qm"
    qm.write_bytes(b"an older translation")
    monkeypatch.setattr(i18n, "replace_when_free", partial(replace_when_free, retry_s=0.3))
    if WINDOWS:
        held = request.getfixturevalue("hold_open")(qm)
    else:
        _refuse_replacing(monkeypatch, qm, times=1000)
    with pytest.raises(OSError) as refused:
        i18n.compile_ts(i18n.TRANSLATIONS / "ferry_fr.ts", qm)
    assert is_locked_error(refused.value)
    if WINDOWS:
        held.close()
    assert qm.read_bytes() == b"an older translation"
    assert [path.name for path in tmp_path.iterdir()] == [qm.name]


def test_without_a_translation_ferry_speaks_english(
    qapp: QApplication, tmp_path: Path, cache: Path, english_again: None
) -> None:
    assert install_translator(qapp, Language.FR, folder=tmp_path, cache_dir=cache) is Language.EN
    assert i18n.current_language() is Language.EN
    assert QCoreApplication.translate("StatusView", "Retry") == "Retry"


def test_a_broken_ts_falls_back_to_english(
    qapp: QApplication, tmp_path: Path, cache: Path, english_again: None
) -> None:
    (tmp_path / "ferry_fr.ts").write_text("<TS><context>", encoding="utf-8")
    assert install_translator(qapp, Language.FR, folder=tmp_path, cache_dir=cache) is Language.EN


# --- the OS's language -----------------------------------------------------------------------


def test_pick_language_takes_the_first_one_ferry_speaks() -> None:
    assert pick_language(["de-DE", "de", "nl-BE", "fr-BE"]) is Language.NL
    assert pick_language(["fr-Latn-BE", "fr-BE", "fr"]) is Language.FR
    assert pick_language(["en-GB", "fr-FR"]) is Language.EN
    assert pick_language(["de-DE", "es"]) is Language.EN
    assert pick_language(["C"]) is Language.EN
    assert pick_language([]) is Language.EN


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "nl_BE.UTF-8"}, "nl"),
        ({"LANG": "nl_BE.UTF-8", "LC_MESSAGES": "fr_BE.UTF-8"}, "fr"),
        ({"LANG": "de_DE.UTF-8", "LANGUAGE": "de:fr"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_system_language_follows_the_os(environment: dict[str, str], expected: str) -> None:
    """The real Qt asking the (Linux) OS, in a fresh process: Qt reads the locale once."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")
    }
    result = subprocess.run(
        [sys.executable, "-c", "from app.gui.i18n import system_language as s; print(s())"],
        env={**env, **environment},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.stdout.strip() == expected, result.stderr
