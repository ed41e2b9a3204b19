"""``ferry self-check``: it finds what Ferry loads by name, and says plainly what is missing.

The built programs run it in ``scripts/build`` and in the Windows build's tests; here it runs
from source, and each check is made to fail the way a build that lost something fails.
"""

from __future__ import annotations

import json

import keyring.backend
import pytest
from stdnum.eu import vat as eu_vat

from app.cli import main
from app.commands import self_check
from app.demo_setup import MemoryKeyring


def test_every_check_passes_from_source(tmp_path, capsys) -> None:
    assert main(["--home", str(tmp_path), "self-check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["frozen"] is False
    names = [check["name"] for check in report["checks"]]
    assert names == [
        "regions",
        "vat-rules",
        "keyring",
        "uvicorn",
        "qt-plugins",
        "translations",
        "sqlite",
    ]
    assert all(check["ok"] for check in report["checks"]), report


def test_a_lost_vat_module_is_named(monkeypatch, tmp_path, capsys) -> None:
    """python-stdnum answers "invalid" for a country whose module is missing; the check names it."""
    real = eu_vat._get_cc_module
    monkeypatch.setattr(eu_vat, "_get_cc_module", lambda cc: None if cc == "nl" else real(cc))
    assert main(["--home", str(tmp_path), "self-check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  vat-rules: missing for nl (27 found)" in out


def test_a_check_that_breaks_is_a_failure_with_its_reason(monkeypatch) -> None:
    def broken() -> self_check.Check:
        raise OSError("regions.json: no such file")

    monkeypatch.setattr(self_check, "CHECKS", (broken,))
    (result,) = self_check.run_checks()
    assert result == self_check.Check("broken", False, "OSError: regions.json: no such file")


def test_a_missing_translation_is_named(monkeypatch, tmp_path) -> None:
    from app.gui import i18n

    for name in ("ferry_en.qm", "ferry_nl.qm"):
        (tmp_path / name).write_bytes((i18n.TRANSLATIONS / name).read_bytes())
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    result = self_check.check_translations()
    assert not result.ok
    assert result.detail == "ferry_fr.qm does not load"


def test_the_demo_keyring_is_never_chosen_by_keyring_itself() -> None:
    """Every imported backend class is a candidate for keyring's choice: the demo's in-memory
    one must never be, or a machine without a password store would keep a real login in
    memory instead of refusing to log in."""
    assert not MemoryKeyring.viable
    assert MemoryKeyring not in set(keyring.backend.KeyringBackend.get_viable_backends())
    assert not any(isinstance(b, MemoryKeyring) for b in keyring.backend.get_all_keyring())
    with pytest.raises(RuntimeError):
        _ = MemoryKeyring.priority
