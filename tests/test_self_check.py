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
        "updates",
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


def test_the_build_s_update_source_is_checked_whole(monkeypatch, tmp_path) -> None:
    """A release build carries the repository's root metadata and address together (made
    here by the release script); half of it, or a file that is not root metadata, fails."""
    from app.updates import build_source
    from tests.updates.conftest import release

    root, source = tmp_path / "root.json", tmp_path / "source.json"
    monkeypatch.setattr(build_source, "TRUSTED_ROOT", root)
    monkeypatch.setattr(build_source, "SOURCE_FILE", source)
    assert self_check.check_updates().detail.startswith("not set up in this build")

    release("init", "--repo", tmp_path / "repo", "--keys", tmp_path / "keys")
    root.write_bytes((tmp_path / "repo" / "metadata" / "1.root.json").read_bytes())
    result = self_check.check_updates()
    assert (result.ok, result.detail) == (False, "the build's update source lacks its address")
    source.write_text(json.dumps({"url": "https://updates.example/ferry"}))
    result = self_check.check_updates()
    assert result.ok, result
    assert result.detail.startswith("from https://updates.example/ferry; root version 1, 4 keys")
    assert result.detail.endswith("not a versioned installation")

    root.write_text(json.dumps({"signed": {"_type": "targets"}}))
    result = self_check.run_checks()[-1]
    assert result.name == "updates" and not result.ok, result
    root.unlink()
    result = self_check.check_updates()
    assert (result.ok, result.detail) == (
        False,
        "the build's update source lacks its root metadata",
    )
