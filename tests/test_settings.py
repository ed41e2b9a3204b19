from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.kinds import DocumentKind
from app.settings import (
    ClientLink,
    DeliveryFormat,
    Destination,
    Settings,
    SettingsError,
    load_settings,
    save_settings,
)

SINCE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _settings() -> Settings:
    return Settings(
        destinations=[
            Destination(name="Winbooks", general_path=r"C:\Winbooks\Data\[identifiant_entreprise]"),
            Destination(
                name="Archive",
                paths={DocumentKind.PURCHASE: r"\\nas\in", DocumentKind.STATEMENT: r"\\nas\coda"},
                format=DeliveryFormat.UBL_PDF,
            ),
        ],
        links=[ClientLink(client_id="c1", destinations=["Winbooks", "Archive"], since=SINCE)],
    )


def test_round_trip_and_no_secret_fields(tmp_path: Path) -> None:
    save_settings(tmp_path, _settings())
    loaded = load_settings(tmp_path)
    assert loaded == _settings()
    assert loaded.destination("Archive") is not None
    assert loaded.destination("Archive").templates.template_for(DocumentKind.SALES) is None  # type: ignore[union-attr]
    assert "token" not in (tmp_path / "settings.json").read_text().lower()


def test_missing_file_is_empty_settings(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()


def test_a_damaged_file_is_reported_not_replaced(tmp_path: Path) -> None:
    save_settings(tmp_path, _settings())
    save_settings(tmp_path, _settings())  # makes a backup of the first
    (tmp_path / "settings.json").write_text('{"destinations": [')
    with pytest.raises(SettingsError, match=r"damaged.*settings\.json\.bak"):
        load_settings(tmp_path)
    assert Settings.model_validate_json((tmp_path / "settings.json.bak").read_text()) == _settings()


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: Destination(name="x"), "either one general path or paths per kind"),
        (
            lambda: Destination(name="x", general_path="C:\\", paths={DocumentKind.SALES: "C:\\"}),
            "either one",
        ),
        (lambda: Destination(name="", general_path="C:\\"), "at least 1 character"),
        (
            lambda: Settings(destinations=[Destination(name="a", general_path="/a")] * 2),
            "destination names used twice: a",
        ),
        (
            lambda: Settings(links=[ClientLink(client_id="c", destinations=["nope"], since=SINCE)]),
            "unknown destinations: nope",
        ),
        (lambda: ClientLink(client_id="c", destinations=[], since=SINCE), "at least 1 item"),
    ],
)
def test_invalid_settings_are_refused(build, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=words):
        build()


def test_naive_since_is_utc_and_duplicates_fold() -> None:
    link = ClientLink(client_id="c", destinations=["a", "a"], since=dt.datetime(2026, 1, 1))
    assert link.since.tzinfo is dt.UTC and link.destinations == ["a"]
