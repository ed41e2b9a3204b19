"""Fixtures for the Windows build's tests: real Wine prefixes, thrown away after each test.

- ``windows_tools``: fails (never skips) when Wine, NSIS, osslsigncode or MinGW is missing.
- ``wine_template``: one fresh prefix per session (``wineboot -i``), never used directly.
- ``wine_prefix_factory(standins=False)``: a prefix of the test's own, a copy of the template;
  ``standins=True`` adds the two DLLs Wine 8.0 lacks (needed by a real frozen Ferry.exe).
- ``wine_prefix``: the same without the stand-ins.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.build.wine import (
    SETUP_HINT,
    WinePrefix,
    add_standins,
    copy_prefix,
    make_prefix,
    missing_tools,
    stop_prefix,
)

WinePrefixFactory = Callable[..., WinePrefix]


@pytest.fixture(scope="session")
def windows_tools() -> None:
    """The Linux tools that build and run Windows programs; missing ones fail the test."""
    missing = missing_tools()
    if missing:
        pytest.fail(f"missing for the Windows build tests: {', '.join(missing)}; {SETUP_HINT}")


@pytest.fixture(scope="session")
def wine_template(
    windows_tools: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WinePrefix]:
    """A fresh Wine prefix made once per session; tests get copies of it."""
    started = time.monotonic()
    template = make_prefix(tmp_path_factory.mktemp("wine-template") / "prefix")
    print(f"\nwine: a fresh prefix took {time.monotonic() - started:.1f} s")
    yield template
    stop_prefix(template)
    shutil.rmtree(template.path, ignore_errors=True)


@pytest.fixture
def wine_prefix_factory(
    wine_template: WinePrefix, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WinePrefixFactory]:
    """Make prefixes of the test's own: ``factory(standins=True)`` adds the stand-in DLLs.

    At the end of the test every Windows process in them is ended and they are deleted.
    """
    made: list[WinePrefix] = []

    def factory(*, standins: bool = False) -> WinePrefix:
        prefix = copy_prefix(wine_template, tmp_path_factory.mktemp("wine") / "prefix")
        made.append(prefix)
        if standins:
            add_standins(prefix)
        return prefix

    yield factory
    for prefix in made:
        stop_prefix(prefix)
        shutil.rmtree(prefix.path, ignore_errors=True)


@pytest.fixture
def wine_prefix(wine_prefix_factory: WinePrefixFactory) -> WinePrefix:
    """A throw-away Wine prefix of the test's own (a Windows 10 computer, nothing installed)."""
    return wine_prefix_factory()


@pytest.fixture(scope="session")
def build_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for what the session builds once (programs, installers, keys)."""
    return tmp_path_factory.mktemp("build")
