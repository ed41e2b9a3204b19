from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.language import Language
from app.regions import REGIONS_FILE, RegionKind, RegionsError, load_regions, regions


def test_shipped_regions_are_valid_and_complete() -> None:
    known = regions()
    codes = [region.code for region in known.regions]
    assert {"be", "nl", "fr", "lu", "sandbox", "custom"} <= set(codes)
    assert known.client_id == "ferry-desktop"
    for region in known.regions:
        for language in Language:
            assert region.name(language)
        if region.kind is RegionKind.PLATFORM:
            assert str(region.issuer).startswith("https://")
            assert str(region.api_url).startswith("https://")
    assert known.get("sandbox").kind is RegionKind.SANDBOX
    assert known.get("be").vat_country == "BE"


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "regions.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def _shipped() -> dict:  # type: ignore[type-arg]
    return json.loads(REGIONS_FILE.read_text())  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d["regions"][0].pop("issuer"), "needs an issuer and an api_url"),
        (lambda d: d["regions"][0]["names"].pop("nl"), "has no name in nl"),
        (lambda d: d["regions"].append(dict(d["regions"][0])), "listed twice: be"),
        (lambda d: d["regions"][0].update(issuer="not a url"), "regions.0.issuer"),
        (lambda d: d["regions"][0].update(colour="red"), "regions.0.colour"),
        (lambda d: d["regions"][4].pop("sandbox_realm"), "needs a sandbox_realm"),
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
    with pytest.raises(KeyError, match="known regions: be, nl"):
        regions().get("xx")
