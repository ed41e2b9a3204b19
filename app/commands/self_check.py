"""``self-check``: does this Ferry carry everything it loads by name?

A frozen build that lost a module fails quietly and late: python-stdnum without its Dutch rules
calls every Dutch VAT number invalid, a missing Qt platform plugin kills the window at start.
This asks the running program (frozen or not) for each such thing and prints one line each,
so the build's test and a support call can both see at once what is missing. Exit 0 when
everything is there, 1 otherwise. Nothing here touches the network, the keyring's contents,
or the person's settings.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from app import __version__


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "self-check",
        help="check that this Ferry carries everything it loads at run time",
        description="Check that this Ferry (above all a built one) carries everything it "
        "loads by name: VAT rules per country, the keyring backend, Qt's plugins and "
        "translations, the regions file, on Windows the service's modules. One line each; "
        "exit 0 when all are there.",
    )
    parser.add_argument("--json", action="store_true", help="print the checks as JSON")
    parser.set_defaults(handler=run)


def check_regions() -> Check:
    from app.regions import REGIONS_FILE, load_regions

    loaded = load_regions(REGIONS_FILE)
    codes = [region.code for region in loaded.regions]
    return Check("regions", bool(codes), f"{len(codes)} regions: {', '.join(codes)}")


def check_vat_rules() -> Check:
    """Every EU country's VAT module, found the way :func:`app.core.vat.check_vat` finds it:
    by name through ``stdnum.eu.vat``, which answers "invalid" when the module is missing."""
    from stdnum.eu import vat as eu_vat

    finder = eu_vat._get_cc_module  # the lookup eu_vat.validate() itself makes
    missing = sorted(cc for cc in eu_vat.MEMBER_STATES if finder(cc) is None)
    found = len(eu_vat.MEMBER_STATES) - len(missing)
    if missing:
        return Check("vat-rules", False, f"missing for {', '.join(missing)} ({found} found)")
    return Check("vat-rules", True, f"{found} EU countries")


def check_keyring() -> Check:
    """The OS's own protected store is what keyring would use."""
    import keyring

    expected = {
        "win32": "keyring.backends.Windows.WinVaultKeyring",
        "darwin": "keyring.backends.macOS.Keyring",
    }.get(sys.platform, "keyring.backends.SecretService.Keyring")
    module_name, _, class_name = expected.rpartition(".")
    try:
        backend_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as error:
        return Check("keyring", False, f"{expected} is missing: {error}")
    chosen = keyring.get_keyring()
    chosen_name = f"{type(chosen).__module__}.{type(chosen).__qualname__}"
    if sys.platform in ("win32", "darwin") and not isinstance(chosen, backend_class):
        return Check("keyring", False, f"uses {chosen_name}, not {expected}")
    return Check("keyring", True, f"{expected} present; in use: {chosen_name}")


def check_uvicorn() -> Check:
    """The embedded sandbox's server loads its loop, protocols and lifespan by name."""
    names = [
        "uvicorn.loops.auto",
        "uvicorn.loops.asyncio",
        "uvicorn.protocols.http.auto",
        "uvicorn.protocols.http.h11_impl",
        "uvicorn.protocols.websockets.auto",
        "uvicorn.lifespan.on",
    ]
    missing = []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        return Check("uvicorn", False, f"missing {', '.join(missing)}")
    return Check("uvicorn", True, f"{len(names)} modules")


def check_qt_plugins() -> Check:
    """The platform plugins the desktop app starts with on this OS, and the offscreen one."""
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    wanted = {"win32": ["qwindows"], "darwin": ["qcocoa"]}.get(sys.platform, ["qxcb"])
    wanted.append("qoffscreen")
    present = {path.name.split(".")[0].removeprefix("lib") for path in folder.glob("*")}
    missing = [name for name in wanted if name not in present]
    if missing:
        return Check("qt-plugins", False, f"missing {', '.join(missing)} in {folder}")
    return Check("qt-plugins", True, f"{', '.join(wanted)} in {folder}")


def check_translations() -> Check:
    """Ferry's own words and Qt's dialog buttons load in every language Ferry speaks."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from app.core.language import FALLBACK, Language
    from app.gui.i18n import TRANSLATIONS

    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    problems = []
    for language in Language:
        ours = QTranslator()
        qm = TRANSLATIONS / f"ferry_{language.value}.qm"
        if not ours.load(str(qm)):
            problems.append(f"{qm.name} does not load")
        if language is FALLBACK:
            continue
        qt_own = QTranslator()
        if not qt_own.load(f"qtbase_{language.value}", qt_folder):
            problems.append(f"qtbase_{language.value}.qm not in {qt_folder}")
    if problems:
        return Check("translations", False, "; ".join(problems))
    return Check("translations", True, ", ".join(language.value for language in Language))


def check_sqlite() -> Check:
    import sqlite3

    with sqlite3.connect(":memory:") as connection:
        connection.execute("CREATE TABLE t (x)")
    return Check("sqlite", True, f"SQLite {sqlite3.sqlite_version}")


def check_windows_service() -> Check:
    """pywin32's service modules load, and the service class builds from them: what
    ``service install`` and the service manager's start of ``service run`` need."""
    from app.frozen_contents import LOADED_BY_NAME_ON_WINDOWS
    from app.service.windows_service import service_class

    missing = []
    for name in LOADED_BY_NAME_ON_WINDOWS:
        try:
            importlib.import_module(name)
        except ImportError as error:
            missing.append(f"{name} ({error})")
    if missing:
        return Check("windows-service", False, f"missing {', '.join(missing)}")
    service = service_class()
    return Check(
        "windows-service",
        True,
        f"{len(LOADED_BY_NAME_ON_WINDOWS)} pywin32 modules; service {service._svc_name_!r}",
    )


def check_updates() -> Check:
    """tufup and python-tuf load, and the build's update source (app/updates/build_source.py)
    is whole: its root metadata reads as TUF root metadata and an address goes with it, or
    neither is there (a build made without them, said so). An update that broke them fails
    this check, which is what the update helper runs to keep or roll back a new version."""
    import tufup.client  # noqa: F401 - loaded to prove it is inside
    from tuf.api.metadata import Metadata

    from app.updates.build_source import SOURCE_FILE, TRUSTED_ROOT, build_url
    from app.updates.layout import InstallLayout

    layout = InstallLayout.of_program()
    where = f"versioned installation {layout.root}" if layout else "not a versioned installation"
    url = build_url()
    if not TRUSTED_ROOT.exists() and not SOURCE_FILE.exists():
        return Check("updates", True, f"not set up in this build; {where}")
    if not TRUSTED_ROOT.exists() or url is None:
        missing = "its root metadata" if url else "its address"
        return Check("updates", False, f"the build's update source lacks {missing}")
    root = Metadata.from_bytes(TRUSTED_ROOT.read_bytes()).signed
    if root.type != "root":
        return Check("updates", False, f"{TRUSTED_ROOT} is not root metadata")
    expires = root.expires.date().isoformat()
    return Check(
        "updates",
        True,
        f"from {url}; root version {root.version}, {len(root.keys)} keys, "
        f"expires {expires}; {where}",
    )


CHECKS: tuple[Callable[[], Check], ...] = (
    check_regions,
    check_vat_rules,
    check_keyring,
    check_uvicorn,
    check_qt_plugins,
    check_translations,
    check_sqlite,
    check_updates,
    *((check_windows_service,) if sys.platform == "win32" else ()),
)


def run_checks() -> list[Check]:
    results = []
    for check in CHECKS:
        name = check.__name__.removeprefix("check_").replace("_", "-")
        try:
            results.append(check())
        except Exception as error:  # a broken check is a failed check, said plainly
            results.append(Check(name, False, f"{type(error).__name__}: {error}"))
    return results


def run(args: argparse.Namespace) -> int:
    results = run_checks()
    frozen = bool(getattr(sys, "frozen", False))
    if args.json:
        print(
            json.dumps(
                {
                    "version": __version__,
                    "frozen": frozen,
                    "platform": sys.platform,
                    "checks": [asdict(result) for result in results],
                }
            )
        )
    else:
        print(f"Ferry {__version__} ({'built' if frozen else 'from source'}, {sys.platform})")
        for result in results:
            print(f"{'ok  ' if result.ok else 'FAIL'}  {result.name}: {result.detail}")
    return 0 if all(result.ok for result in results) else 1
