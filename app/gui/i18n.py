"""The desktop app's language: Qt translators for Ferry's words and Qt's own dialog buttons.

Translations live as Qt ``.ts`` sources in ``app/resources/translations`` (``scripts/translations``
updates them from the code); Qt loads only compiled ``.qm`` files. Set-up and the packaged build
compile them (``scripts/translations --compile``), but a checkout installed with plain pip has
none, or stale ones after a pull: then the ``.qm`` is compiled here, once per version of the
``.ts``, into a cache folder, so the app never silently falls back to English. English is the
source language: its file holds only plural forms ("%n client(s)" → "1 client", "2 clients").
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

import platformdirs
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.atomic_files import replace_when_free
from app.core.language import FALLBACK, Language, parse_language
from app.home import APP_AUTHOR, APP_NAME
from app.regions import RESOURCES

log = logging.getLogger(__name__)

TRANSLATIONS = RESOURCES / "translations"
"""The ``.ts`` sources (in the repository) and, after set-up, their compiled ``.qm`` files."""

COMPILE_TIMEOUT_S = 60


class _Installed:
    """The translators Ferry put on the application, so the next switch can take them off."""

    language: ClassVar[Language | None] = None
    translators: ClassVar[list[QTranslator]] = []


def ts_path(language: Language, folder: Path = TRANSLATIONS) -> Path:
    return folder / f"ferry_{language.value}.ts"


def default_cache_dir() -> Path:
    """Where ``.qm`` files compiled at run time go when the caller names no folder."""
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "translations"


def lrelease_command() -> list[str] | None:
    """Qt's compiler for ``.ts`` files, as PySide6 ships it (absent in a packaged build)."""
    import PySide6

    name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    tool = Path(PySide6.__file__).resolve().parent / name
    return [str(tool)] if tool.is_file() else None


def compile_ts(ts: Path, qm: Path) -> None:
    """``lrelease ts -qm qm``, written beside and then moved, so a reader never sees half a file.

    On Windows the move is refused while another program holds ``qm`` open (another Ferry's
    Qt loads it, an antivirus scans it): it is tried again for a few seconds
    (:func:`~app.atomic_files.replace_when_free`). Raises ``OSError`` (or ``subprocess``
    errors) when the tool is missing or fails, or ``qm`` stays held.
    """
    command = lrelease_command()
    if command is None:
        raise FileNotFoundError("Qt's lrelease is not installed with PySide6")
    qm.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=qm.stem, suffix=".qm.tmp", dir=qm.parent)
    os.close(handle)
    try:
        subprocess.run(  # noqa: S603 - PySide6's own tool on our own file
            [*command, "-silent", str(ts), "-qm", temporary],
            check=True,
            capture_output=True,
            timeout=COMPILE_TIMEOUT_S,
            # no console window flashing up from a windowed app on Windows (0 elsewhere)
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        Path(temporary).chmod(0o644)  # mkstemp's 0600 would hide it from other accounts
        replace_when_free(Path(temporary), qm)
    finally:
        Path(temporary).unlink(missing_ok=True)


def qm_file(
    language: Language, *, folder: Path = TRANSLATIONS, cache_dir: Path | None = None
) -> Path | None:
    """A compiled translation that matches the ``.ts`` now in ``folder``, None without either.

    The ``.qm`` built by set-up beside the ``.ts`` is used while it is not older than it;
    otherwise one compiled here, named after the ``.ts``'s content, so a pull that changes
    the text compiles again and two Ferry instances never fight over one file. When that
    cannot be compiled (a packaged build has no lrelease, and copying may have reordered the
    files' times), the built one still beats English.
    """
    ts = ts_path(language, folder)
    built = ts.with_suffix(".qm")
    if built.is_file() and (not ts.is_file() or built.stat().st_mtime >= ts.stat().st_mtime):
        return built
    if not ts.is_file():
        return None
    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    cache = cache_dir if cache_dir is not None else default_cache_dir()
    cached = cache / f"{ts.stem}-{digest}.qm"
    if not cached.is_file():
        log.info("compiling %s into %s", ts.name, cached)
        try:
            compile_ts(ts, cached)
        except (OSError, subprocess.SubprocessError) as error:
            if not built.is_file():
                raise
            log.warning("%s cannot be compiled (%s): using %s", ts.name, error, built.name)
            return built
        for old in cache.glob(f"{ts.stem}-*.qm"):
            if old != cached:
                old.unlink(missing_ok=True)
    return cached


def install_translator(
    app: QCoreApplication,
    language: Language,
    *,
    folder: Path = TRANSLATIONS,
    cache_dir: Path | None = None,
) -> Language:
    """Speak ``language`` from now on; returns the language actually installed.

    Takes off the translators of the previous call first. Installing or removing a translator
    makes Qt post every window a ``QEvent.LanguageChange`` (one, however many translators
    changed), which is how open windows switch language live. Falls back to
    English (and says so in the log) when the translation cannot be found or compiled.
    """
    for translator in _Installed.translators:
        app.removeTranslator(translator)
        translator.deleteLater()
    _Installed.translators = []
    installed = language
    try:
        qm = qm_file(language, folder=folder, cache_dir=cache_dir)
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("the %s translation cannot be compiled: %s", language.value, error)
        qm = None
    ours = QTranslator(app)
    if qm is not None and ours.load(str(qm)):
        _Installed.translators.append(ours)
    else:
        ours.deleteLater()
        if language is not FALLBACK:
            log.warning("no %s translation found in %s: using English", language.value, folder)
            installed = FALLBACK
    if installed is not FALLBACK:
        qt_own = QTranslator(app)  # Qt's own words: OK, Cancel, Yes, No in standard dialogs
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_own.load(f"qtbase_{language.value}", qt_folder):
            _Installed.translators.insert(0, qt_own)
        else:
            qt_own.deleteLater()
    _Installed.language = installed  # before Qt's events, so their handlers see it
    for translator in _Installed.translators:
        app.installTranslator(translator)
    return installed


def current_language() -> Language | None:
    """The language of the last :func:`install_translator`, None before the first."""
    return _Installed.language


def pick_language(codes: Iterable[str]) -> Language:
    """The first of the person's preferred languages that Ferry speaks; English otherwise."""
    ours = {language.value for language in Language}
    for code in codes:
        if code.replace("-", "_").split("_", 1)[0].lower() in ours:
            return parse_language(code)
    return FALLBACK


def system_language() -> Language:
    """The display language the OS is set to, walking its list of preferred languages.

    Qt asks each OS properly (Windows' user UI language, macOS's preferred languages,
    ``LANGUAGE``/``LC_*``/``LANG`` elsewhere), which ``locale.getlocale()`` does not: on
    Windows it names locales like ``French_Belgium``.
    """
    return pick_language(QLocale.system().uiLanguages())


def ferry_locale() -> QLocale:
    """The system's regional formats in Ferry's language: a French sentence never names an
    English month, even on a computer set up in English (the system's country is kept).
    Every date and number the desktop app writes into its words goes through this."""
    system = QLocale()
    language = current_language()
    if language is None:
        return system
    wanted = QLocale(language.value).language()
    if system.language() == wanted or (
        system.language() == QLocale.Language.C and language is Language.EN
    ):  # the C locale (no locale set up) writes English already
        return system
    return QLocale(wanted, system.territory())  # Qt picks the language's own country if unknown


def date_format() -> str:
    """How Ferry writes and reads a day: the regional short format of :func:`ferry_locale`
    with a four-digit year and two-digit days and months ("dd/MM/yyyy" in Belgium,
    "MM/dd/yyyy" in the United States), so a typed day is read as the person writes it and
    no year is ambiguous."""
    locale = ferry_locale()
    if locale.language() == QLocale.Language.C:  # no region set up: the ISO day
        return "yyyy-MM-dd"
    form = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in form:
        form = form.replace("yy", "yyyy")
    # days and months of two digits: a typed day fills each part and moves on by itself
    form = re.sub(r"(?<!d)d(?!d)", "dd", form)
    return re.sub(r"(?<!M)M(?!M)", "MM", form)
