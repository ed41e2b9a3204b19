"""The application layer's settings changes: one rule each, pure, refusals as data; and the one
writer of the settings file, on real files."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import time
from pathlib import Path

import pytest

from app.application import settings_changes
from app.application.settings_changes import (
    Preferences,
    SettingsProblemCode,
    SettingsRefused,
    add_destination,
    apply_links,
    change_preferences,
    change_settings,
    edit_destination,
    link_clients,
    remove_destination,
    rename_destination,
    replace_setup,
    save_destination,
    unlink_clients,
)
from app.core.kinds import DocumentKind
from app.core.language import Language
from app.os_specific import lock_exclusively
from app.settings import (
    BACKUP_SUFFIX,
    ClientLink,
    DeliveryFormat,
    Destination,
    ProxyMode,
    ProxySettings,
    Settings,
    SettingsError,
    load_settings,
    save_settings,
    settings_path,
)

SINCE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def _settings() -> Settings:
    return Settings(
        destinations=[
            Destination(name="Winbooks", general_path="/srv/wb/[enterprise_name]"),
            Destination(
                name="Archive",
                paths={DocumentKind.PURCHASE: "/srv/archive/in"},
                format=DeliveryFormat.PDF,
                archive=True,
            ),
        ],
        links=[
            ClientLink(client_id="c1", destinations=["Winbooks"], since=SINCE),
            ClientLink(
                client_id="c2",
                destinations=["Archive", "Winbooks"],
                accounting_file_id="F-2",
                since=SINCE,
            ),
            ClientLink(client_id="c3", destinations=["Archive"], since=SINCE),
        ],
        language=Language.FR,
        notifications=False,
    )


def _names_everywhere(settings: Settings) -> set[str]:
    return {d.name for d in settings.destinations} | {
        name for link in settings.links for name in link.destinations
    }


def _code(refused: pytest.ExceptionInfo[SettingsRefused]) -> SettingsProblemCode:
    return refused.value.problems[0].code


# -- destinations -------------------------------------------------------------------------------


def test_a_rename_keeps_the_links_and_the_old_name_is_gone_everywhere() -> None:
    before = _settings()
    after = rename_destination(before, "Winbooks", "Winbooks 2026")
    assert "Winbooks" not in _names_everywhere(after)
    assert [d.name for d in after.destinations] == ["Winbooks 2026", "Archive"]  # in its place
    assert after.destinations[0].general_path == "/srv/wb/[enterprise_name]"
    assert {link.client_id: link.destinations for link in after.links} == {
        "c1": ["Winbooks 2026"],
        "c2": ["Archive", "Winbooks 2026"],
        "c3": ["Archive"],
    }
    # the rest of each link, and the preferences, stay
    assert after.link("c2").accounting_file_id == "F-2"  # type: ignore[union-attr]
    assert all(link.since == SINCE for link in after.links)
    assert after.language is Language.FR and not after.notifications
    assert before == _settings()  # pure: the input is untouched


def test_an_edit_that_renames_keeps_the_links_and_takes_the_new_paths() -> None:
    changed = Destination(name="WB", general_path="/srv/new/[year]", format=DeliveryFormat.UBL_PDF)
    after = save_destination(_settings(), changed, previous="Winbooks")
    assert after.destination("WB") == changed and after.destination("Winbooks") is None
    assert after.link("c1").destinations == ["WB"]  # type: ignore[union-attr]


def test_renaming_onto_another_name_or_an_unknown_one_is_refused_as_data() -> None:
    with pytest.raises(SettingsRefused) as taken:
        rename_destination(_settings(), "Winbooks", "Archive")
    assert _code(taken) is SettingsProblemCode.NAME_TAKEN
    assert taken.value.problems[0].param("name") == "Archive"
    assert "Archive" in taken.value.message(Language.NL) and "heet al" in taken.value.message(
        Language.NL
    )
    with pytest.raises(SettingsRefused) as unknown:
        edit_destination(_settings(), "Nope", Destination(name="X", general_path="/x"))
    assert _code(unknown) is SettingsProblemCode.UNKNOWN_DESTINATION
    assert unknown.value.problems[0].param("known") == "Winbooks, Archive"
    with pytest.raises(SettingsRefused) as empty:
        rename_destination(_settings(), "Winbooks", "")
    assert _code(empty) is SettingsProblemCode.INVALID
    assert rename_destination(_settings(), "Winbooks", "Winbooks") == _settings()


def test_adding_needs_a_free_name() -> None:
    added = add_destination(_settings(), Destination(name="Adsolut", general_path="/srv/ad"))
    assert [d.name for d in added.destinations] == ["Winbooks", "Archive", "Adsolut"]
    with pytest.raises(SettingsRefused) as taken:
        add_destination(_settings(), Destination(name="Archive", general_path="/srv/ad"))
    assert _code(taken) is SettingsProblemCode.NAME_TAKEN
    assert save_destination(Settings(), Destination(name="A", general_path="/a")).destinations


def test_removing_a_linked_destination_is_refused_unless_its_links_go_too() -> None:
    with pytest.raises(SettingsRefused) as linked:
        remove_destination(_settings(), "Archive")
    assert _code(linked) is SettingsProblemCode.STILL_LINKED
    assert linked.value.problems[0].param("count") == "2"
    assert "2 client(s)" in linked.value.message()
    after = remove_destination(_settings(), "Archive", unlink=True)
    assert "Archive" not in _names_everywhere(after)
    # c2 keeps its other destination; c3 had only this one and is no longer linked
    assert {link.client_id: link.destinations for link in after.links} == {
        "c1": ["Winbooks"],
        "c2": ["Winbooks"],
    }
    unlinked = unlink_clients(_settings(), ["c2", "c3"], "Archive")
    assert [d.name for d in remove_destination(unlinked, "Archive").destinations] == ["Winbooks"]


# -- links --------------------------------------------------------------------------------------


def test_linking_adds_a_destination_and_keeps_what_the_link_had() -> None:
    after = link_clients(
        _settings(), ["c1", "c9"], "Archive", now=NOW, file_ids={"c9": "F-9", "c1": ""}
    )
    c1, c9 = after.link("c1"), after.link("c9")
    assert c1 is not None and c1.destinations == ["Winbooks", "Archive"] and c1.since == SINCE
    assert c9 is not None and c9.destinations == ["Archive"] and c9.since == NOW
    assert c9.accounting_file_id == "F-9"
    earlier = link_clients(_settings(), ["c1"], "Winbooks", now=NOW, since=SINCE.replace(year=2020))
    assert earlier.link("c1").since.year == 2020  # type: ignore[union-attr]
    with pytest.raises(SettingsRefused) as unknown:
        link_clients(_settings(), ["c1"], "Nope", now=NOW)
    assert _code(unknown) is SettingsProblemCode.UNKNOWN_DESTINATION
    with pytest.raises(SettingsRefused) as nobody:
        link_clients(_settings(), [], "Archive", now=NOW)
    assert _code(nobody) is SettingsProblemCode.NO_CLIENTS


def test_unlinking_from_one_or_every_destination() -> None:
    after = unlink_clients(_settings(), ["c2"], "Winbooks")
    assert after.link("c2").destinations == ["Archive"]  # type: ignore[union-attr]
    assert unlink_clients(_settings(), ["c2"]).link("c2") is None


def test_the_links_screen_edits_apply_to_the_file_as_it_is_now() -> None:
    edits = {
        "c1": ClientLink(client_id="c1", destinations=["Gone", "Archive"], since=NOW),
        "c3": None,
        "c7": ClientLink(client_id="c7", destinations=["Gone"], since=NOW),
    }
    after = apply_links(_settings(), edits)
    assert after.link("c1").destinations == ["Archive"]  # type: ignore[union-attr]
    assert after.link("c3") is None and after.link("c7") is None
    assert after.link("c2") == _settings().link("c2")  # not edited: untouched


def test_preferences_and_the_wizard_s_set_up_keep_the_rest() -> None:
    chosen = Preferences(
        language=None,
        notifications=True,
        full_sync_every_days=7,
        proxy=ProxySettings(mode=ProxyMode.NONE),
    )
    after = change_preferences(_settings(), chosen)
    assert after.language is None and after.notifications and after.full_sync_every_days == 7
    assert after.destinations == _settings().destinations and after.links == _settings().links
    setup = replace_setup(_settings(), [Destination(name="New", general_path="/n")], [])
    assert [d.name for d in setup.destinations] == ["New"] and not setup.links
    assert setup.language is Language.FR and not setup.notifications


# -- the one writer -----------------------------------------------------------------------------


def test_change_settings_reads_changes_and_writes_the_file_with_a_backup(tmp_path: Path) -> None:
    save_settings(tmp_path, _settings())
    written = change_settings(tmp_path, lambda s: rename_destination(s, "Archive", "Vault"))
    assert load_settings(tmp_path) == written
    assert "Archive" not in _names_everywhere(written)
    backup = json.loads((tmp_path / (settings_path(tmp_path).name + BACKUP_SUFFIX)).read_text())
    assert "Archive" in {d["name"] for d in backup["destinations"]}


def test_a_refused_change_writes_nothing(tmp_path: Path) -> None:
    save_settings(tmp_path, _settings())
    before = settings_path(tmp_path).read_bytes()
    with pytest.raises(SettingsRefused):
        change_settings(tmp_path, lambda s: remove_destination(s, "Archive"))
    with pytest.raises(SettingsRefused):  # a change that breaks the whole is refused too
        change_settings(
            tmp_path, lambda s: s.model_copy(update={"destinations": s.destinations[:1]})
        )
    assert settings_path(tmp_path).read_bytes() == before


def test_an_unreadable_file_is_never_replaced_unless_the_set_up_starts_again(
    tmp_path: Path,
) -> None:
    settings_path(tmp_path).write_text("{ not json")
    with pytest.raises(SettingsError):
        change_settings(tmp_path, lambda s: rename_destination(s, "Archive", "Vault"))
    assert settings_path(tmp_path).read_text() == "{ not json"
    fresh = change_settings(
        tmp_path,
        lambda s: replace_setup(s, [Destination(name="A", general_path="/a")], []),
        replace_unreadable=True,
    )
    assert load_settings(tmp_path) == fresh


def test_the_first_change_creates_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "settings"
    change_settings(folder, lambda s: add_destination(s, Destination(name="A", general_path="/a")))
    assert [d.name for d in load_settings(folder).destinations] == ["A"]


def _add_many(settings_dir: str, prefix: str, count: int) -> None:  # in another process
    for n in range(count):
        destination = Destination(name=f"{prefix}-{n}", general_path=f"/srv/{prefix}/{n}")
        change_settings(Path(settings_dir), lambda s, d=destination: add_destination(s, d))


def test_processes_changing_the_settings_at_once_lose_no_change(tmp_path: Path) -> None:
    """The app and the command line (here: four processes) each read, change and write; none
    writes over a change another made meanwhile."""
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_add_many, args=(str(tmp_path), f"p{i}", 15)) for i in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    names = {d.name for d in load_settings(tmp_path).destinations}
    assert names == {f"p{i}-{n}" for i in range(4) for n in range(15)}


def test_a_writer_that_never_lets_go_is_said_in_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings_changes, "LOCK_WAIT_S", 0.2)
    context = multiprocessing.get_context("spawn")
    holder = context.Process(target=_hold_the_lock, args=(str(tmp_path),))
    holder.start()
    try:
        deadline = time.monotonic() + 30
        lock = tmp_path / settings_changes.LOCK_FILE
        while not (lock.exists() and lock.read_bytes()):  # the holder wrote its pid
            assert time.monotonic() < deadline
            time.sleep(0.02)
        with pytest.raises(TimeoutError, match="another Ferry has been changing the settings"):
            change_settings(tmp_path, lambda s: s)
    finally:
        holder.kill()
        holder.join()
    change_settings(tmp_path, lambda s: s)  # a dead holder's lock is gone with it


def _hold_the_lock(settings_dir: str) -> None:  # in another process
    held = lock_exclusively(Path(settings_dir) / settings_changes.LOCK_FILE)
    time.sleep(60)
    print(held)
