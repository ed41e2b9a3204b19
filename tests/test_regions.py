from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.language import Language
from app.core.platform_kinds import LoginStrategy, PlatformName
from app.regions import REGIONS_FILE, RegionKind, RegionsError, load_regions, regions


def test_shipped_regions_are_valid_and_complete() -> None:
    known = regions()
    codes = [region.code for region in known.regions]
    assert codes == ["be-billit", "be-billit-sandbox", "sandbox", "custom"]
    assert known.client_id == "ferry-desktop"
    for region in known.regions:
        for language in Language:
            assert region.name(language)
        if region.kind is RegionKind.PLATFORM:
            assert str(region.api_url).startswith("https://")
    assert known.get("sandbox").kind is RegionKind.SANDBOX
    assert known.get("be-billit").vat_country == "BE"


def test_every_shipped_region_names_its_platform_and_login() -> None:
    """Said in the file, not left to the defaults: the defaults are for older files."""
    for entry in _shipped()["regions"]:
        assert entry["platform"] in {"ferry", "billit"}
        assert entry["login"] in {"oidc", "oauth2", "api_key"}


def test_belgium_offers_billit_and_its_sandbox() -> None:
    """Billit's production and sandbox APIs (Billit's guides), with the key the office pastes;
    the fictional Ferry hosts are gone."""
    known = regions()
    production, sandbox = known.get("be-billit"), known.get("be-billit-sandbox")
    assert (production.platform, production.login) == (PlatformName.BILLIT, LoginStrategy.API_KEY)
    assert str(production.api_url).rstrip("/") == "https://api.billit.be"
    assert str(sandbox.api_url).rstrip("/") == "https://api.sandbox.billit.be"
    assert sandbox.platform is PlatformName.BILLIT
    for code in ("sandbox", "custom"):
        assert (known.get(code).platform, known.get(code).login) == (
            PlatformName.FERRY,
            LoginStrategy.OIDC,
        )
    assert "ferry-platform" not in REGIONS_FILE.read_text()


def test_a_retired_region_still_gives_its_language() -> None:
    """A login made in a region no longer offered (``be`` of an earlier release) keeps its
    code in login.json: the office's language still comes from it."""
    known = regions()
    assert known.language_of("be") is Language.FR
    assert known.language_of("nl") is Language.NL
    assert known.language_of("sandbox") is Language.EN
    assert known.language_of("xx") is None
    with pytest.raises(KeyError):
        known.get("be")  # not offered any more: the wizard and ``ferry login`` refuse it


def test_a_file_without_platform_or_login_means_ferry_and_oidc(tmp_path: Path) -> None:
    """A regions file of the earlier form (version 1) still loads as Ferry's own platform."""
    data = _shipped()
    for entry in data["regions"]:
        entry.pop("platform")
        entry.pop("login")
    data["regions"] = [r for r in data["regions"] if r["kind"] != "platform"]
    loaded = load_regions(_write(tmp_path, data))
    assert {r.platform for r in loaded.regions} == {PlatformName.FERRY}
    assert {r.login for r in loaded.regions} == {LoginStrategy.OIDC}


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "regions.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def _shipped() -> dict:  # type: ignore[type-arg]
    return json.loads(REGIONS_FILE.read_text())  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d["regions"][0].pop("api_url"), "needs an api_url"),
        (lambda d: d["regions"][0].update(platform="ferry"), "ferry logs in with oidc"),
        (lambda d: d["regions"][0].update(login="oidc"), "billit logs in with api_key, oauth2"),
        (lambda d: d["regions"][0].update(login="oauth2"), "oauth2: it needs an authorize_url"),
        (lambda d: d["regions"][0].update(platform="banqup"), "regions.0.platform"),
        (lambda d: d["regions"][2].update(platform="billit", login="api_key"), "speaks Ferry"),
        (lambda d: d["regions"][0]["names"].pop("nl"), "has no name in nl"),
        (lambda d: d["regions"].append(dict(d["regions"][0])), "listed twice: be-billit"),
        (lambda d: d["retired"].append({**d["retired"][0], "code": "custom"}), "twice: custom"),
        (lambda d: d["regions"][0].update(api_url="not a url"), "regions.0.api_url"),
        (lambda d: d["regions"][0].update(colour="red"), "regions.0.colour"),
        (lambda d: d["regions"][2].pop("sandbox_realm"), "needs a sandbox_realm"),
        (lambda d: d["regions"][0].update(vat_country="Belgium"), "vat_country"),
    ],
)
def test_a_broken_regions_file_fails_loudly(tmp_path: Path, mutate, words: str) -> None:  # type: ignore[no-untyped-def]
    data = _shipped()
    mutate(data)
    with pytest.raises(RegionsError, match=words):
        load_regions(_write(tmp_path, data))


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(RegionsError, match="not valid JSON \\(line 1"):
        load_regions(_write(tmp_path, "{nope"))
    with pytest.raises(RegionsError, match="cannot read the regions file"):
        load_regions(tmp_path / "missing.json")


def test_unknown_region() -> None:
    with pytest.raises(KeyError, match="known regions: be-billit, be-billit-sandbox"):
        regions().get("xx")
