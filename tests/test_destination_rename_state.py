"""A renamed destination keeps what Ferry delivered there: the engine's records follow the
name in the same step as the settings, so files the accounting software already took are
never written again under the new name (the booking-twice risk a rename would otherwise
bring: a catch-up of the "new" destination, or deliver-again, found nothing delivered there).
Real settings file, real state database, the command line in its own process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.application.settings_changes import (
    SettingsRefused,
    change_settings_renaming,
    rename_destination,
)
from app.engine.engine import STATE_FILE
from app.engine.state import StateStore
from app.home import FerryHome
from app.settings import ClientLink, Destination, Settings, load_settings, save_settings
from tests.conftest import RunFerry


def _setup(root: Path) -> FerryHome:
    home = FerryHome.under(root)
    home.ensure()
    save_settings(
        home.settings_dir,
        Settings(
            destinations=[
                Destination(name="Winbooks", general_path="/srv/wb"),
                Destination(name="Archive", general_path="/srv/archive"),
            ],
            links=[
                ClientLink(
                    client_id="c1",
                    destinations=["Winbooks", "Archive"],
                    since=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
                )
            ],
        ),
    )
    store = StateStore(home.state_dir / STATE_FILE)
    try:
        store.record_delivered("doc-1", "Winbooks", ["/srv/wb/INV-1.xml"])
        store.record_delivered("doc-2", "Winbooks", ["/srv/wb/INV-2.xml"])
        store.record_delivered("doc-1", "Archive", ["/srv/archive/INV-1.xml"])
    finally:
        store.close()
    return home


def _delivered(home: FerryHome, destination: str) -> list[str]:
    store = StateStore(home.state_dir / STATE_FILE)
    try:
        return sorted(store.delivered_to(destination))
    finally:
        store.close()


def test_the_command_line_rename_moves_what_was_delivered(
    run_ferry: RunFerry, ferry_home: Path
) -> None:
    home = _setup(ferry_home)
    done = run_ferry("destination", "rename", "Winbooks", "Winbooks 2026")
    assert done.returncode == 0, done.stderr
    assert _delivered(home, "Winbooks 2026") == ["doc-1", "doc-2"]
    assert _delivered(home, "Winbooks") == []
    assert _delivered(home, "Archive") == ["doc-1"]


def test_a_refused_rename_changes_neither_the_settings_nor_the_state(ferry_home: Path) -> None:
    home = _setup(ferry_home)
    before = load_settings(home.settings_dir)
    with pytest.raises(SettingsRefused):
        change_settings_renaming(
            home,
            {"Winbooks": "Archive"},
            lambda settings: rename_destination(settings, "Winbooks", "Archive"),
        )
    assert load_settings(home.settings_dir) == before
    assert _delivered(home, "Winbooks") == ["doc-1", "doc-2"]
    assert _delivered(home, "Archive") == ["doc-1"]


def test_old_records_under_the_new_name_give_way(ferry_home: Path) -> None:
    """A destination once called "Old" was removed; renaming another one to "Old" keeps the
    renamed one's records, which describe the folders it really has."""
    home = _setup(ferry_home)
    store = StateStore(home.state_dir / STATE_FILE)
    try:
        store.record_delivered("doc-1", "Old", ["/gone/INV-1.xml"])
    finally:
        store.close()
    change_settings_renaming(
        home, {"Winbooks": "Old"}, lambda s: rename_destination(s, "Winbooks", "Old")
    )
    store = StateStore(home.state_dir / STATE_FILE)
    try:
        (row,) = [r for r in store.deliveries("doc-1") if r.destination == "Old"]
        assert "/srv/wb/INV-1.xml" in str(row.paths)
    finally:
        store.close()


def test_without_a_state_only_the_settings_change(ferry_home: Path) -> None:
    home = FerryHome.under(ferry_home)
    home.ensure()
    save_settings(
        home.settings_dir, Settings(destinations=[Destination(name="A", general_path="/a")])
    )
    change_settings_renaming(home, {"A": "B"}, lambda s: rename_destination(s, "A", "B"))
    assert [d.name for d in load_settings(home.settings_dir).destinations] == ["B"]
    assert not (home.state_dir / STATE_FILE).exists()


def test_names_that_swap_in_one_change_keep_each_one_s_history(ferry_home: Path) -> None:
    """The wizard saves every rename at once: Winbooks becomes Archive and Archive becomes
    Winbooks; each one's records follow it, none is lost or merged."""
    home = _setup(ferry_home)

    def swap(settings: Settings) -> Settings:
        names = {"Winbooks": "Archive", "Archive": "Winbooks"}
        return settings.model_copy(
            update={
                "destinations": [
                    d.model_copy(update={"name": names[d.name]}) for d in settings.destinations
                ]
            }
        )

    change_settings_renaming(home, {"Winbooks": "Archive", "Archive": "Winbooks"}, swap)
    assert _delivered(home, "Archive") == ["doc-1", "doc-2"]
    assert _delivered(home, "Winbooks") == ["doc-1"]
    store = StateStore(home.state_dir / STATE_FILE)
    try:
        paths = {row.destination: str(row.paths) for row in store.deliveries("doc-1")}
    finally:
        store.close()
    assert "/srv/wb/INV-1.xml" in paths["Archive"] and "/srv/archive/" in paths["Winbooks"]
