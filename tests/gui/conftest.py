"""Every GUI test runs with Ferry's English translator installed, as the app always does
(English plural forms such as "1 change" / "2 changes" come from ferry_en.ts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.core.language import Language
from app.gui.i18n import install_translator


@pytest.fixture(scope="session", autouse=True)
def english_translator(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> None:
    cache: Path = tmp_path_factory.mktemp("qm-cache")
    assert install_translator(qapp, Language.EN, cache_dir=cache) is Language.EN
