"""Destinations and links from the command line, through the application layer, in separate
processes on a real settings file: a rename keeps the links, a removal says what it does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.language import Language
from app.settings import ClientLink, Destination, Settings, load_settings, save_settings
from tests.conftest import RunFerry

SINCE = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)


def _home(ferry_home: Path) -> Path:
    settings_dir = ferry_home / "settings"
    settings_dir.mkdir(exist_ok=True)
    save_settings(
        settings_dir,
        Settings(
            destinations=[
                Destination(name="Winbooks", general_path="/srv/wb/[enterprise_name]"),
                Destination(name="Archive", general_path="/srv/archive"),
            ],
            links=[
                ClientLink(
                    client_id="c1", destinations=["Winbooks"], accounting_file_id="F1", since=SINCE
                ),
                ClientLink(client_id="c2", destinations=["Archive", "Winbooks"], since=SINCE),
            ],
            language=Language.NL,
        ),
    )
    return settings_dir


def _names(settings: Settings) -> set[str]:
    return {d.name for d in settings.destinations} | {
        name for link in settings.links for name in link.destinations
    }


def test_destination_rename_keeps_the_links(run_ferry: RunFerry, ferry_home: Path) -> None:
    settings_dir = _home(ferry_home)
    done = run_ferry("destination", "rename", "Winbooks", "Winbooks 2026")
    assert done.returncode == 0, done.stderr
    assert "renamed 'Winbooks 2026'" in done.stdout
    settings = load_settings(settings_dir)
    assert "Winbooks" not in _names(settings)
    assert {link.client_id: link.destinations for link in settings.links} == {
        "c1": ["Winbooks 2026"],
        "c2": ["Archive", "Winbooks 2026"],
    }
    assert settings.link("c1").accounting_file_id == "F1"  # type: ignore[union-attr]
    assert settings.language is Language.NL
    listed = run_ferry("destination", "list")
    assert "Winbooks 2026  (format ubl, 2 client(s))" in listed.stdout

    taken = run_ferry("destination", "rename", "Winbooks 2026", "Archive")
    assert taken.returncode == 1 and "Another destination is already named 'Archive'" in (
        taken.stderr
    )
    unknown = run_ferry("--language", "fr", "destination", "rename", "Nope", "X")
    assert unknown.returncode == 1 and "Aucune destination ne s'appelle « Nope »" in (
        unknown.stderr
    )


def test_destination_add_replace_keeps_the_links(run_ferry: RunFerry, ferry_home: Path) -> None:
    settings_dir = _home(ferry_home)
    done = run_ferry("destination", "add", "Archive", "--path", "/srv/vault", "--replace")
    assert done.returncode == 0, done.stderr
    settings = load_settings(settings_dir)
    assert settings.destination("Archive").general_path == "/srv/vault"  # type: ignore[union-attr]
    assert settings.link("c2").destinations == ["Archive", "Winbooks"]  # type: ignore[union-attr]
    assert [d.name for d in settings.destinations] == ["Winbooks", "Archive"]


def test_destination_remove_refuses_while_linked_unless_unlink(
    run_ferry: RunFerry, ferry_home: Path
) -> None:
    settings_dir = _home(ferry_home)
    before = (settings_dir / "settings.json").read_bytes()
    refused = run_ferry("destination", "remove", "Winbooks")
    assert refused.returncode == 1
    assert "still receives the documents of 2 client(s)" in refused.stderr
    assert (settings_dir / "settings.json").read_bytes() == before
    done = run_ferry("destination", "remove", "Winbooks", "--unlink")
    assert done.returncode == 0, done.stderr
    settings = load_settings(settings_dir)
    assert "Winbooks" not in _names(settings)
    assert {link.client_id: link.destinations for link in settings.links} == {"c2": ["Archive"]}


def test_unlink_from_one_destination_or_all(run_ferry: RunFerry, ferry_home: Path) -> None:
    settings_dir = _home(ferry_home)
    done = run_ferry("unlink", "c2", "--from", "Winbooks")
    assert done.returncode == 0, done.stderr
    assert load_settings(settings_dir).link("c2").destinations == ["Archive"]  # type: ignore[union-attr]
    done = run_ferry("unlink", "c1")
    assert done.returncode == 0, done.stderr
    assert load_settings(settings_dir).link("c1") is None
    not_linked = run_ferry("unlink", "c1")
    assert not_linked.returncode == 2 and "not linked: c1" in not_linked.stderr


def test_the_service_s_destination_refuses_a_drive_only_this_session_sees(
    ferry_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """For the Windows service's home, a mapped or subst drive letter is refused with the path
    to write instead (the drive and the service's home exist only on Windows: those two OS
    functions are replaced, the rule is not)."""
    from app import cli
    from app.commands import sync

    monkeypatch.setattr(sync, "_for_the_service", lambda home: True)
    monkeypatch.setattr(
        sync,
        "drive_a_service_cannot_see",
        lambda path: r"\\nas\boek\in" if path.startswith("/mnt/z") else None,
    )
    code = cli.main(["--home", str(ferry_home), "destination", "add", "W", "--path", "/mnt/z/in"])
    assert code == 2
    said = capsys.readouterr().err
    assert "the Ferry service cannot see it" in said and r"\\nas\boek\in" in said
    code = cli.main(["--home", str(ferry_home), "destination", "add", "W", "--path", "/srv/in"])
    assert code == 0
