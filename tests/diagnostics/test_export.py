"""Export diagnostics after a real sync with a failed delivery: every section is there and
says what happened, the period is honoured, no secret of any kind is in the zip, and with
hashing no client name, VAT number or file name is, under pseudonyms that stay the same from
one export to the next."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from app import __version__
from app.application.diagnostics import (
    DiagnosticsError,
    DiagnosticsProblem,
    export_diagnostics,
)
from app.cli import main
from app.commands.diagnostics import office_clients
from app.core.failures import Failure, FailureCode, problems_param
from app.core.language import Language
from app.core.problems import Problem, ProblemCode
from app.diagnostics.archive import RefusedMember, ZipWriter
from app.diagnostics.collect import failure_items
from app.diagnostics.pseudonyms import KEY_FILE, NameKind, Pseudonymiser, installation_key
from app.diagnostics.redact import Redactor
from app.engine.host import EngineHost, HostKind
from app.settings import SETTINGS_FILE
from tests.diagnostics.conftest import Story

SECTIONS = {"manifest.json", "settings.json", "state-summary.json", "activity.json"}


def members(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def assert_no_secret(contents: dict[str, str], story: Story) -> None:
    for name, text in contents.items():
        for what, secret in story.secrets.items():
            assert secret not in text, f"the {what} is in {name}"
        assert not re.search(r"eyJ[A-Za-z0-9_-]{5,}\.", text), f"a JWT is in {name}"
        assert not re.search(r"://[^/\s@]+@", text), f"credentials in an address in {name}"


def test_the_zip_tells_what_happened_and_holds_no_secret(story: Story, tmp_path: Path) -> None:
    home = story.office.home
    exported = export_diagnostics(home, tmp_path / "exports" / "support.zip", days=7)

    assert exported.path == tmp_path / "exports" / "support.zip"
    assert exported.size == exported.path.stat().st_size
    contents = members(exported.path)
    assert set(contents) == SECTIONS | {"logs/ferry.log"}
    assert [p.name for p in exported.path.parent.iterdir()] == ["support.zip"]  # no leftovers

    manifest = json.loads(contents["manifest.json"])
    assert manifest["versions"]["ferry"] == __version__
    assert manifest["versions"]["python"]
    assert manifest["versions"]["qt"]
    assert manifest["versions"]["os"]
    assert manifest["period"]["days"] == 7
    assert manifest["names_hashed"] is False
    assert manifest["logs"] == ["ferry.log"]
    assert manifest["login"]["logged_in"] is True

    settings = json.loads(contents["settings.json"])["settings"]
    assert settings["proxy"] == {"mode": "manual", "url": "http://proxy.example:3128"}
    assert settings["alerts"] == {"smtp": {"host": "mail.example"}}
    assert [d["name"] for d in settings["destinations"]] == ["Locked", "Books"]

    summary = json.loads(contents["state-summary.json"])
    by_status = summary["documents_by_status"]
    assert (by_status["error"], by_status["forwarded"]) == (1, 1)
    assert summary["deliveries_by_destination"] == {
        "Books": {"delivered": 1},
        "Locked": {"failed": 1},
    }
    assert summary["failing_deliveries"] == [
        {"destination": "Locked", "error_code": "permission", "count": 1}
    ]
    [in_error] = summary["documents_in_error"]
    assert in_error["document_id"] == story.failing.id
    assert in_error["client_id"] == story.blocked.id
    [failure] = in_error["failures"]
    assert failure["failure_code"] == "permission"
    assert failure["params"]["destination"] == "Locked"
    assert story.blocked.name in failure["params"]["folder"]
    [run] = summary["last_runs"]
    assert (run["documents"], run["delivered"], run["failed"], run["interrupted"]) == (
        2,
        1,
        1,
        False,
    )
    assert [d["document_id"] for d in run["failed_documents"]] == [story.failing.id]

    activity = json.loads(contents["activity.json"])
    assert [r["id"] for r in activity["runs"]] == [run["id"]]

    log = contents["logs/ferry.log"]
    assert any(story.failing.id in line and "[permission" in line for line in log.splitlines())
    assert "OLD-LINE-MARKER" not in log  # two weeks old: outside the seven days
    assert "OLD-FILE-MARKER" not in log
    assert "GET /api/office Authorization: Bearer [" in log
    assert "smtp://mail.example:587" in log
    assert "  proxy http://proxy.example:3128" in log  # a traceback's line stays with its record
    assert_no_secret(contents, story)
    # without hashing, names stay: the hashing test below is not passing by accident
    assert story.blocked.name in contents["state-summary.json"]


def test_a_longer_period_brings_older_lines_and_files(story: Story, tmp_path: Path) -> None:
    exported = export_diagnostics(story.office.home, tmp_path, days=30)
    assert exported.path.parent == tmp_path
    assert re.fullmatch(r"ferry-diagnostics-\d{8}-\d{6}\.zip", exported.path.name)
    contents = members(exported.path)
    assert "OLD-LINE-MARKER" in contents["logs/ferry.log"]
    assert "OLD-FILE-MARKER" in contents["logs/ferry.log.3"]
    assert_no_secret(contents, story)


def _names_left(contents: dict[str, str], story: Story) -> list[str]:
    return [
        f"{name!r} in {member}"
        for member, text in contents.items()
        for name in story.names
        if name.lower() in text.lower()
    ]


def test_hashing_hides_every_name_under_stable_pseudonyms(
    story: Story, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = story.office.home
    settings_file = home.settings_dir / SETTINGS_FILE
    root = str(home.settings_dir.parent)

    settings_file.write_text(story.valid_settings)  # the client list is read with it
    first = tmp_path / "first.zip"
    code = main(["--home", root, "diagnostics", "--out", str(first), "--hash-names"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert f"Diagnostics written to {first} (" in printed.out
    assert "could not be read" not in printed.err  # the client list came from the platform

    one = members(first)
    assert _names_left(one, story) == []
    assert_no_secret(one, story)
    assert json.loads(one["manifest.json"])["names_hashed"] is True

    key = installation_key(home.state_dir)
    stand_ins = Pseudonymiser(key)
    blocked = stand_ins.pseudonym(NameKind.CLIENT, story.blocked.name)
    summary = json.loads(one["state-summary.json"])
    [in_error] = summary["documents_in_error"]
    assert in_error["failures"][0]["params"]["folder"].endswith(f"/{blocked}")
    assert in_error["client_id"] == story.blocked.id  # platform ids name nobody: kept
    assert blocked in one["logs/ferry.log"]
    settings = json.loads(one["settings.json"])["settings"]
    assert settings["destinations"][0]["general_path"].endswith("/[enterprise_name]")
    assert key.hex() not in "".join(one.values())
    assert (home.state_dir / KEY_FILE).is_file()

    # a second export while the client list cannot be read (here: a settings file the
    # engine refuses; offline, or a login that ended, alike): the names are still found
    # through the paths Ferry wrote, under the same pseudonyms, and the command says so
    settings_file.write_text(story.edited_settings)
    second = tmp_path / "second.zip"
    code = main(["--home", root, "diagnostics", "--out", str(second), "--hash-names"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "the office's client list could not be read" in printed.err
    two = members(second)
    assert _names_left(two, story) == []
    assert_no_secret(two, story)
    assert two["state-summary.json"] == one["state-summary.json"]
    [told] = [
        line for line in two["logs/ferry.log"].splitlines() if "into destination 'Books'" in line
    ]
    written = next((story.office.root / "books").rglob("*.xml"))
    fine = stand_ins.pseudonym(NameKind.CLIENT, story.fine.name)
    file = stand_ins.pseudonym(NameKind.FILE, written.name)
    assert told.endswith(f"/books/{fine}/{written.parent.name}/{file}"), told


def test_a_member_that_would_carry_a_secret_stops_the_zip_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "out"
    target = folder / "support.zip"
    with (
        pytest.raises(RefusedMember) as refused,
        ZipWriter(target, Redactor().leak, Redactor().data_leak) as archive,
    ):
        archive.add("manifest.json", "{}")
        archive.add("logs/ferry.log", "GET /x Authorization: Bearer abc.def.ghi\n")
    assert refused.value.member == "logs/ferry.log"
    assert list(folder.iterdir()) == []


def test_a_folder_nobody_may_write_in_is_said_in_each_language(
    story: Story, read_only_folder: Path
) -> None:
    target = read_only_folder / "support.zip"
    with pytest.raises(DiagnosticsError) as raised:
        export_diagnostics(story.office.home, target)
    error = raised.value
    assert error.problem is DiagnosticsProblem.CANNOT_WRITE
    assert not target.exists()
    assert str(target) in error.message(Language.EN)
    assert error.message(Language.FR).startswith("Impossible d'enregistrer les diagnostics")
    assert error.message(Language.NL).startswith("De diagnose kan niet bewaard worden")


def test_the_running_engine_lists_the_clients_whose_names_are_hidden(story: Story) -> None:
    home = story.office.home
    (home.settings_dir / SETTINGS_FILE).write_text(story.valid_settings)
    host = EngineHost(home, host=HostKind.RUN, long_poll_s=5)
    host.start()
    try:
        clients, why_not = office_clients(home, Language.EN)
    finally:
        host.stop()
    assert why_not is None
    assert {story.blocked.name, story.fine.name} <= {client.name for client in clients}


def test_failures_keep_their_codes_and_a_template_s_problems_theirs() -> None:
    """A failure's ``code`` key would read as a login's authorization code to the scrubber:
    exported as ``failure_code`` (and a template problem's as ``problem_code``), they pass
    the final check and keep their value."""
    problems = problems_param([Problem.of(ProblemCode.MISSING_VALUE, client="Acme NV")])
    failure = Failure.of(FailureCode.PATH_TEMPLATE, destination="Books", problems=problems)
    [item] = failure_items([failure.to_json()])
    text = json.dumps(item)
    assert Redactor().leak(text) is None
    assert item["failure_code"] == "path_template"
    assert item["params"]["problems"][0]["problem_code"] == ProblemCode.MISSING_VALUE.value


def test_a_login_the_platform_ended_still_exports_with_names_hidden(
    story: Story, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = story.office.home
    (home.settings_dir / SETTINGS_FILE).write_text(story.valid_settings)
    story.office.admin.revoke_user(story.office.realm)
    target = tmp_path / "after-revoke.zip"
    root = str(home.settings_dir.parent)
    code = main(["--home", root, "diagnostics", "--out", str(target), "--hash-names"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "the office's client list could not be read" in printed.err
    contents = members(target)
    assert _names_left(contents, story) == []
    assert_no_secret(contents, story)
