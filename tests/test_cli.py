from __future__ import annotations

from pathlib import Path

import pytest

from app import __version__
from app.cli import main
from app.home import FerryHome
from tests.conftest import RunFerry

WINBOOKS = r"C:\Winbooks\Data\[identifiant_entreprise]\inbound"


def test_version(run_ferry: RunFerry) -> None:
    done = run_ferry("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"Ferry {__version__}"


def test_help_lists_the_commands(run_ferry: RunFerry) -> None:
    done = run_ferry("--help")
    assert done.returncode == 0
    for command in ("preview-path", "login", "sync", "run", "status", "sandbox", "demo", "--home"):
        assert command in done.stdout


def test_preview_path_prints_the_path(run_ferry: RunFerry) -> None:
    done = run_ferry(
        "preview-path",
        WINBOOKS,
        "--name",
        "Bakkerij Peeters BV",
        "--vat",
        "BE 0403.019.261",
        "--target",
        "windows",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "C:\\Winbooks\\Data\\BE0403019261\\inbound\n"
    assert done.stderr == ""


def test_preview_path_with_every_option(run_ferry: RunFerry) -> None:
    done = run_ferry(
        "preview-path",
        "/srv/[accounting_file_id]/[document_type]/[year]-[month]",
        "--name",
        "Dupont",
        "--file-id",
        "D7",
        "--kind",
        "statement",
        "--date",
        "2026-02-28",
        "--target",
        "posix",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "/srv/D7/statements/2026-02\n"


def test_preview_path_defaults_to_purchase_today_and_this_os(run_ferry: RunFerry) -> None:
    import datetime

    done = run_ferry("preview-path", "/x/[document_type]/[year]", "--name", "Dupont")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"/x/purchase/{datetime.date.today().year}\n"


def test_preview_path_prints_every_problem_and_exits_2(run_ferry: RunFerry) -> None:
    done = run_ferry(
        "preview-path",
        r"Winbooks\[identifiant_entrepris]\[year",
        "--name",
        "X",
        "--vat",
        "BE0403019262",
        "--target",
        "windows",
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 3
    assert "Did you mean [identifiant_entreprise]?" in done.stderr
    assert "never closed" in done.stderr and "start it with a drive" in done.stderr
    assert "Traceback" not in done.stderr


def test_preview_path_vat_problem(run_ferry: RunFerry) -> None:
    done = run_ferry(
        "preview-path", WINBOOKS, "--name", "X", "--vat", "BE0403019262", "--target", "windows"
    )
    assert done.returncode == 2
    assert "check digits are wrong" in done.stderr


def test_preview_path_in_french(run_ferry: RunFerry) -> None:
    done = run_ferry(
        "--language",
        "fr",
        "preview-path",
        WINBOOKS,
        "--name",
        "X",
        "--vat",
        "BE0403019262",
        "--target",
        "windows",
    )
    assert done.returncode == 2
    assert "numéro de TVA belge" in done.stderr


def test_preview_path_follows_the_system_language(run_ferry: RunFerry) -> None:
    done = run_ferry(
        "preview-path", "relative", "--name", "X", "--target", "posix", env={"LANG": "nl_BE.UTF-8"}
    )
    assert done.returncode == 2
    assert "Het pad moet volledig zijn" in done.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--date", "2026-13-01"], "is not a date"),
        (["--date", "yesterday"], "is not a date"),
        (["--kind", "invoice"], "is not a document kind"),
        (["--target", "amiga"], "invalid choice"),
        ([], ""),
    ],
)
def test_bad_input_gets_a_plain_error_never_a_traceback(
    run_ferry: RunFerry, args: list[str], words: str
) -> None:
    base = ["preview-path", "/x"] + (["--name", "X"] if args else [])
    done = run_ferry(*base, *args)
    assert done.returncode == 2
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def test_home_option_keeps_everything_under_it(run_ferry: RunFerry, tmp_path: Path) -> None:
    home = tmp_path / "elsewhere"
    done = run_ferry("--home", str(home), "-v", "preview-path", "/x", "--name", "X")
    assert done.returncode == 0
    assert sorted(p.name for p in home.iterdir()) == ["data", "logs", "settings", "state"]
    assert (home / "logs" / "ferry.log").read_text().count("ferry 0.") == 1


def test_ferry_home_variable(run_ferry: RunFerry, ferry_home: Path) -> None:
    done = run_ferry("-v", "preview-path", "/x", "--name", "X")
    assert done.returncode == 0
    assert (ferry_home / "logs" / "ferry.log").is_file()


def test_home_resolution_order(tmp_path: Path) -> None:
    option = FerryHome.resolve(str(tmp_path / "a"), {"FERRY_HOME": str(tmp_path / "b")})
    assert option.settings_dir == tmp_path / "a" / "settings"
    env = FerryHome.resolve(None, {"FERRY_HOME": str(tmp_path / "b")})
    assert env.log_dir == tmp_path / "b" / "logs"
    standard = FerryHome.resolve(None, {})
    assert "Ferry" in str(standard.settings_dir) and tmp_path not in standard.settings_dir.parents


def test_unusable_home_is_a_plain_error(run_ferry: RunFerry, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = run_ferry("--home", str(blocker / "home"), "preview-path", "/x", "--name", "X")
    assert done.returncode == 2
    assert "cannot use the folder" in done.stderr and "Traceback" not in done.stderr
    # the folder Ferry wanted (not whichever path the system's error named first)
    assert str(blocker / "home" / "settings") in done.stderr


@pytest.mark.windows
def test_unusable_home_names_the_folder_on_this_os(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In this process, so it runs on the Windows CPython too, where the system's error
    names another path (the file in the way) than the folder Ferry wanted."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["--home", str(blocker / "home"), "preview-path", "/x", "--name", "X"]) == 2
    said = capsys.readouterr().err
    assert said.startswith(f"ferry: cannot use the folder {blocker / 'home' / 'settings'} ")
    assert "Traceback" not in said


def test_whoami_without_a_login_exits_3(run_ferry: RunFerry) -> None:
    done = run_ferry("whoami")
    assert done.returncode == 3
    assert "login needed" in done.stderr and "ferry login" in done.stderr


def test_logout_without_a_login(run_ferry: RunFerry) -> None:
    done = run_ferry("logout")
    assert done.returncode == 0 and "was not logged in" in done.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--issuer", "http://127.0.0.1:9/realms/be"], "--issuer needs --api"),
        (["--api", "http://127.0.0.1:9/api/v1"], "--api goes with --issuer"),
        (["--region", "xx"], "no region 'xx'"),
        (["--region", "custom"], "give --issuer and --api"),
        (["--region", "be"], "known regions: be-billit"),  # a region of an earlier release
        (["--region", "be-billit"], "with an API key: give --party-id"),
        (["--region", "sandbox", "--party-id", "1"], "--party-id goes with a region that"),
        (["--region", "sandbox", "--client-id", "x"], "--client-id goes with a region that"),
    ],
)
def test_login_arguments_are_checked(run_ferry: RunFerry, args: list[str], words: str) -> None:
    done = run_ferry("login", "--no-browser", *args)
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
