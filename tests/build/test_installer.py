"""Ferry's Windows installer (installer/ferry.nsi), its launchers (installer/launcher.c) and
signing (scripts/sign), for real.

makensis builds the real script around a fake one-folder program shaped like PyInstaller's
(``Ferry.exe`` and ``ferry-cli.exe`` that load ``_internal\\some.dll``, compiled here with
MinGW); the installer and its uninstaller run silently under Wine, each test in a Wine prefix
of its own; osslsigncode signs with a throw-away self-signed certificate made with openssl.
The installation is the versioned one updates need (``versions\\X\\``, ``current``,
``previous``, the launchers at the top), and the launchers are run as a person or a script
runs them.
What Wine cannot show (UAC, SmartScreen, the interactive pages) is not tested here.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from app.autostart import Platform, command_for_this_app, windows_command_line
from tests.build.ferry_setup import (
    DEFAULT_FOLDER,
    MACHINE_RUN_KEY,
    NSI,
    RUN_VALUE,
    SIGN,
    UNINSTALL_KEY,
    USER_RUN_KEY,
    build_installer,
    install,
    uninstall,
)
from tests.build.wine import (
    WinePrefix,
    reg_query,
    reg_set_string,
    reg_value,
    run_windows,
    start_windows,
    wait_for_output,
)

# -- a fake one-folder program -------------------------------------------------------------------

PROGRAM_C = r"""
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Like PyInstaller's bootloader: find _internal\ beside the exe and load a DLL from it. */
int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--exit") == 0)
        return atoi(argv[2]);
    if (argc > 1 && strcmp(argv[1], "--echo") == 0) {
        for (int i = 2; i < argc; i++)
            printf("[%s]", argv[i]);
        printf("\n");
        return 0;
    }
    wchar_t path[MAX_PATH];
    GetModuleFileNameW(NULL, path, MAX_PATH);
    wchar_t *slash = wcsrchr(path, L'\\');
    if (slash) slash[1] = 0;
    wcscat(path, L"_internal\\some.dll");
    HMODULE library = LoadLibraryW(path);
    if (!library) { fprintf(stderr, "cannot load _internal\\some.dll\n"); return 3; }
    const char *(*version)(void) = (const char *(*)(void))GetProcAddress(library, "ferry_version");
    if (!version) { fprintf(stderr, "some.dll has no ferry_version\n"); return 4; }
    if (argc > 1 && strcmp(argv[1], "--wait") == 0) {
        printf("waiting\n");
        fflush(stdout);
        Sleep(INFINITE);
    }
    printf("Ferry %s\n", version());
    return 0;
}
"""

LIBRARY_C = r"""
__declspec(dllexport) const char *ferry_version(void) { return FERRY_VERSION; }
"""

OLD, NEW = "0.1.0", "0.2.0"


def compile_program(folder: Path, version: str) -> Path:
    """The one-folder build of a fake Ferry ``version``: what PyInstaller's looks like."""
    internal = folder / "_internal"
    internal.mkdir(parents=True)
    sources = folder.parent / f"sources-{version}"
    sources.mkdir()
    (sources / "program.c").write_text(PROGRAM_C)
    (sources / "library.c").write_text(LIBRARY_C)
    compiler = ["x86_64-w64-mingw32-gcc", "-O2", "-s"]
    for exe in ("Ferry.exe", "ferry-cli.exe"):
        subprocess.run(
            [*compiler, "-o", str(folder / exe), str(sources / "program.c")],
            check=True,
            timeout=120,
        )
    subprocess.run(
        [
            *compiler,
            "-shared",
            f'-DFERRY_VERSION="{version}"',
            "-o",
            str(internal / "some.dll"),
            str(sources / "library.c"),
        ],
        check=True,
        timeout=120,
    )
    (internal / "base_library.zip").write_bytes(version.encode() * 1000)
    if version == OLD:  # a module the next version no longer has: an upgrade removes it
        (internal / "dropped_module.pyd").write_bytes(b"old")
    return folder


def without_signing_key() -> dict[str, str]:
    """This environment, less any signing key a developer may have set."""
    return {k: v for k, v in os.environ.items() if not k.startswith("FERRY_SIGN_")}


@pytest.fixture(scope="module")
def work(windows_tools: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("installer")


@pytest.fixture(scope="module")
def programs(work: Path) -> dict[str, Path]:
    return {version: compile_program(work / version / "Ferry", version) for version in (OLD, NEW)}


def built(source: Path, version: str, outfile: Path, env: Mapping[str, str]) -> Path:
    result = build_installer(source, version, outfile, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert outfile.is_file()
    return outfile


@pytest.fixture(scope="module")
def setup_old(programs: dict[str, Path], work: Path) -> Path:
    return built(programs[OLD], OLD, work / f"Ferry-Setup-{OLD}.exe", without_signing_key())


@pytest.fixture(scope="module")
def setup_new(programs: dict[str, Path], work: Path) -> Path:
    return built(programs[NEW], NEW, work / f"Ferry-Setup-{NEW}.exe", without_signing_key())


@pytest.fixture(scope="module")
def signing_key(work: Path) -> dict[str, str]:
    """A throw-away self-signed code-signing certificate in a PKCS#12 file, as the environment
    that gives it to scripts/sign (plus ``CERT``: the certificate, to verify with)."""
    folder = work / "key"
    folder.mkdir()
    subject = "/CN=Ferry Test Signer/O=Ferry Tests/C=BE"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", subject, "-addext", "extendedKeyUsage=codeSigning",
            "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    subprocess.run(
        [
            "openssl", "pkcs12", "-export", "-inkey", str(folder / "key.pem"),
            "-in", str(folder / "cert.pem"), "-out", str(folder / "signer.p12"),
            "-passout", "pass:test-password",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return {
        "FERRY_SIGN_PKCS12": str(folder / "signer.p12"),
        "FERRY_SIGN_PASSWORD": "test-password",
        "CERT": str(folder / "cert.pem"),
    }


def signing_env(key: Mapping[str, str]) -> dict[str, str]:
    return {**without_signing_key(), **{k: v for k, v in key.items() if k.startswith("FERRY_")}}


@pytest.fixture(scope="module")
def setup_signed(programs: dict[str, Path], work: Path, signing_key: dict[str, str]) -> Path:
    """The installer as a release build makes it: its uninstaller signed inside it by
    makensis (``!uninstfinalize``), then the installer signed by scripts/sign."""
    env = signing_env(signing_key)
    folder = work / "signed"
    folder.mkdir()
    setup = built(programs[OLD], OLD, folder / f"Ferry-Setup-{OLD}.exe", env)
    signed = sign(setup, env)
    assert signed.returncode == 0, signed.stderr
    return setup


def sign(path: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SIGN), str(path)],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def verify(path: Path, cert: str | None = None) -> subprocess.CompletedProcess[str]:
    """osslsigncode's verdict; with ``cert`` it trusts the self-signed certificate."""
    trust = ["-CAfile", cert] if cert else []
    return subprocess.run(
        ["osslsigncode", "verify", "-ignore-crl", *trust, "-in", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# -- checks on an installed Ferry ----------------------------------------------------------------


def run_command_for(exe: str) -> str:
    """The Run value Ferry itself writes for a frozen Ferry at ``exe`` (app/autostart.py)."""
    return windows_command_line(
        command_for_this_app(platform=Platform.WINDOWS, executable=exe, frozen=True)
    )


def installed_files(prefix: WinePrefix, folder: str) -> set[str]:
    root = prefix.host_path(folder)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def pointer(prefix: WinePrefix, folder: str, name: str) -> str | None:
    """``current`` or ``previous``, as app/updates/layout.py reads them."""
    path = prefix.host_path(folder + "\\" + name)
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


def versions(prefix: WinePrefix, folder: str) -> set[str]:
    return {p.name for p in prefix.host_path(folder + r"\versions").iterdir()}


def make_user_data(prefix: WinePrefix) -> list[Path]:
    """What a person's Ferry leaves: settings, state and logs (platformdirs' folders on
    Windows), and the future service's folder in %ProgramData%."""
    files = [
        prefix.appdata / "Ferry" / "Ferry" / "settings.json",
        prefix.local_appdata / "Ferry" / "Ferry" / "state.sqlite",
        prefix.local_appdata / "Ferry" / "Ferry" / "Logs" / "ferry.log",
        prefix.program_data / "Ferry" / "service.json",
    ]
    for file in files:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("keep me")
    return files


def shortcut_target(prefix: WinePrefix) -> bytes:
    shortcut = prefix.common_programs / "Ferry.lnk"
    assert shortcut.is_file(), f"no Start-menu entry in {prefix.common_programs}"
    return shortcut.read_bytes()


def assert_installed(prefix: WinePrefix, folder: str, version: str) -> None:
    program = f"versions/{version}/"
    assert {
        "Ferry.exe",  # the launchers
        "ferry-cli.exe",
        "current",
        program + "Ferry.exe",
        program + "ferry-cli.exe",
        program + "_internal/some.dll",
        "Uninstall.exe",
    } <= installed_files(prefix, folder)
    assert "_internal/some.dll" not in installed_files(prefix, folder)  # nothing flat
    assert pointer(prefix, folder, "current") == version
    target = folder + r"\Ferry.exe"
    data = shortcut_target(prefix)
    assert target.encode() in data or target.encode("utf-16-le") in data, data
    entry = reg_query(prefix, UNINSTALL_KEY)
    assert entry is not None, "no Add/Remove Programs entry"
    assert entry["DisplayName"] == "Ferry"
    assert entry["DisplayVersion"] == version
    assert entry["Publisher"] == "Ferry"
    assert entry["DisplayIcon"] == target + ",0"
    assert entry["InstallLocation"] == folder
    assert entry["UninstallString"] == f'"{folder}\\Uninstall.exe"'
    assert entry["QuietUninstallString"] == f'"{folder}\\Uninstall.exe" /S'
    assert entry["NoModify"] == 1 and entry["NoRepair"] == 1
    assert isinstance(entry["EstimatedSize"], int) and entry["EstimatedSize"] > 0
    # the console launcher runs the current version's program, and says what it said
    ran = run_windows(prefix, [folder + r"\ferry-cli.exe"])
    assert (ran.returncode, ran.stdout.strip()) == (0, f"Ferry {version}"), ran.stderr


def assert_uninstalled(prefix: WinePrefix, folder: str) -> None:
    assert not prefix.host_path(folder).exists(), installed_files(prefix, folder)
    assert not (prefix.common_programs / "Ferry.lnk").exists()
    assert reg_query(prefix, UNINSTALL_KEY) is None
    assert reg_value(prefix, MACHINE_RUN_KEY, RUN_VALUE) is None


# -- the installer ------------------------------------------------------------------------------


def test_makensis_says_what_is_missing(work: Path, programs: dict[str, Path]) -> None:
    no_version = subprocess.run(
        ["makensis", "-V2", f"-DSOURCE={programs[OLD]}", str(NSI)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert no_version.returncode != 0
    assert "give the version" in no_version.stdout + no_version.stderr
    empty = work / "empty"
    empty.mkdir()
    no_program = build_installer(empty, OLD, work / "never.exe", env=without_signing_key())
    assert no_program.returncode != 0
    assert "holds no Ferry.exe" in no_program.stdout + no_program.stderr
    assert not (work / "never.exe").exists()


def test_installer_carries_its_version(setup_old: Path) -> None:
    data = setup_old.read_bytes()
    fixed = data.index(struct.pack("<I", 0xFEEF04BD))  # VS_FIXEDFILEINFO
    _, _, file_ms, file_ls, product_ms, product_ls = struct.unpack_from("<6I", data, fixed)
    assert (file_ms, file_ls, product_ms, product_ls) == (1, 0, 1, 0)  # 0.1.0.0
    for key, value in (("ProductName", "Ferry"), ("ProductVersion", OLD)):
        assert key.encode("utf-16-le") in data
        assert value.encode("utf-16-le") in data
    assert "Ferry-Setup-0.1.0.exe".encode("utf-16-le") in data


def test_silent_install_then_uninstall_keeps_the_users_data(
    wine_prefix: WinePrefix, setup_old: Path
) -> None:
    result = install(wine_prefix, setup_old)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_installed(wine_prefix, DEFAULT_FOLDER, OLD)
    assert reg_value(wine_prefix, MACHINE_RUN_KEY, RUN_VALUE) is None  # no /AUTOSTART=1

    data = make_user_data(wine_prefix)
    # the person also ticked Ferry's own "Start Ferry when I log in" (HKCU)
    own = run_command_for(DEFAULT_FOLDER + r"\Ferry.exe")
    reg_set_string(wine_prefix, USER_RUN_KEY, RUN_VALUE, own)
    assert reg_value(wine_prefix, USER_RUN_KEY, RUN_VALUE) == own

    result = uninstall(wine_prefix)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_uninstalled(wine_prefix, DEFAULT_FOLDER)
    assert reg_value(wine_prefix, USER_RUN_KEY, RUN_VALUE) is None  # it pointed at Ferry
    for file in data:
        assert file.read_text() == "keep me", f"{file} was not kept"


def test_autostart_survives_an_upgrade_over_a_running_ferry_and_purge_removes_data(
    wine_prefix: WinePrefix, setup_old: Path, setup_new: Path
) -> None:
    prefix = wine_prefix
    result = install(prefix, setup_old, "/AUTOSTART=1")
    assert result.returncode == 0, result.stdout + result.stderr
    exe = DEFAULT_FOLDER + r"\Ferry.exe"
    command = reg_value(prefix, MACHINE_RUN_KEY, RUN_VALUE)
    assert command == run_command_for(exe) == f'"{exe}"'
    assert f"versions/{OLD}/_internal/dropped_module.pyd" in installed_files(prefix, DEFAULT_FOLDER)

    # the program itself runs (through the console launcher, which waits for it)
    running = start_windows(prefix, [DEFAULT_FOLDER + r"\ferry-cli.exe", "--wait"])
    wait_for_output(running, "waiting")
    result = install(prefix, setup_new)  # an upgrade, no /AUTOSTART: the choice stays
    assert result.returncode == 0, result.stdout + result.stderr
    running.wait(timeout=30)  # Setup closed the running Ferry
    assert_installed(prefix, DEFAULT_FOLDER, NEW)
    # beside the one that ran, which an update could go back to; its files untouched
    assert pointer(prefix, DEFAULT_FOLDER, "previous") == OLD
    assert versions(prefix, DEFAULT_FOLDER) == {OLD, NEW}
    files = installed_files(prefix, DEFAULT_FOLDER)
    assert f"versions/{OLD}/_internal/dropped_module.pyd" in files
    assert f"versions/{NEW}/_internal/dropped_module.pyd" not in files
    assert reg_value(prefix, MACHINE_RUN_KEY, RUN_VALUE) == command

    result = install(prefix, setup_new, "/AUTOSTART=0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert reg_value(prefix, MACHINE_RUN_KEY, RUN_VALUE) is None

    data = make_user_data(prefix)
    result = uninstall(prefix, DEFAULT_FOLDER, "/PURGE=1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert_uninstalled(prefix, DEFAULT_FOLDER)
    assert not any(file.exists() for file in data)
    for folder in (prefix.appdata, prefix.local_appdata, prefix.program_data):
        assert not (folder / "Ferry").exists(), f"{folder / 'Ferry'} was not removed"
        assert folder.is_dir()


THIRD = "0.3.0"


@pytest.fixture(scope="module")
def setup_third(work: Path) -> Path:
    program = compile_program(work / THIRD / "Ferry", THIRD)
    return built(program, THIRD, work / f"Ferry-Setup-{THIRD}.exe", without_signing_key())


def test_the_launchers_start_the_current_version_and_fall_back_to_the_previous(
    wine_prefix: WinePrefix, setup_old: Path, setup_new: Path, setup_third: Path
) -> None:
    prefix = wine_prefix
    cli = DEFAULT_FOLDER + r"\ferry-cli.exe"
    for setup in (setup_old, setup_new, setup_third):
        result = install(prefix, setup)
        assert result.returncode == 0, result.stdout + result.stderr
    assert_installed(prefix, DEFAULT_FOLDER, THIRD)
    # two versions stay: the one that runs and the one an update can go back to
    assert versions(prefix, DEFAULT_FOLDER) == {NEW, THIRD}
    assert pointer(prefix, DEFAULT_FOLDER, "previous") == NEW

    # a script sees the program itself: its arguments as typed, its exit code
    echoed = run_windows(prefix, [cli, "--echo", "two words", "C:\\a folder\\", "x"])
    assert echoed.returncode == 0, echoed.stderr
    assert echoed.stdout.strip() == "[two words][C:\\a folder\\][x]"
    assert run_windows(prefix, [cli, "--exit", "4"]).returncode == 4
    # so does one that runs the windowed launcher with its output redirected
    windowed = DEFAULT_FOLDER + r"\Ferry.exe"
    echoed = run_windows(prefix, [windowed, "--echo", "two words"])
    assert (echoed.returncode, echoed.stdout.strip()) == (0, "[two words]"), echoed.stderr
    assert run_windows(prefix, [windowed, "--exit", "5"]).returncode == 5

    # an update switched to a version whose folder is gone: the previous one starts
    prefix.host_path(DEFAULT_FOLDER + r"\current").write_text("9.9.9\n")
    ran = run_windows(prefix, [cli])
    assert (ran.returncode, ran.stdout.strip()) == (0, f"Ferry {NEW}"), ran.stderr
    # nothing to start at all: said in plain words, cmd's "not found" code
    prefix.host_path(DEFAULT_FOLDER + r"\previous").write_text("..\\..\n")
    ran = run_windows(prefix, [cli])
    assert ran.returncode == 9009 & 0xFF  # Wine hands Linux the low byte of Windows' 9009
    assert "no version of the program is there to start" in ran.stderr
    assert "Install Ferry again" in ran.stderr

    # the installer mends it: this version current again
    result = install(prefix, setup_third)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_installed(prefix, DEFAULT_FOLDER, THIRD)


def test_a_flat_installation_from_before_versioned_folders_is_replaced_whole(
    wine_prefix: WinePrefix, programs: dict[str, Path], setup_new: Path
) -> None:
    """What the installer of the releases before versioned folders left: the one-folder
    build at the top of the folder, its uninstaller beside it, its Add/Remove Programs entry."""
    prefix = wine_prefix
    flat = prefix.host_path(DEFAULT_FOLDER)
    shutil.copytree(programs[OLD], flat)
    (flat / "Uninstall.exe").write_bytes(b"the old uninstaller")
    reg_set_string(prefix, UNINSTALL_KEY, "InstallLocation", DEFAULT_FOLDER)
    reg_set_string(prefix, UNINSTALL_KEY, "DisplayVersion", OLD)

    result = install(prefix, setup_new)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_installed(prefix, DEFAULT_FOLDER, NEW)
    files = installed_files(prefix, DEFAULT_FOLDER)
    assert not any(name.startswith("_internal/") for name in files), files
    assert pointer(prefix, DEFAULT_FOLDER, "previous") is None  # nothing to go back to
    assert versions(prefix, DEFAULT_FOLDER) == {NEW}

    result = uninstall(prefix)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_uninstalled(prefix, DEFAULT_FOLDER)


def test_chosen_folder_signed_setup_and_a_move_back(
    wine_prefix: WinePrefix, setup_signed: Path, signing_key: dict[str, str]
) -> None:
    prefix = wine_prefix
    folder = r"C:\Tools"  # a folder with other things in it: an uninstall leaves them
    other = prefix.host_path(folder + r"\other-tool.txt")
    other.parent.mkdir(parents=True)
    other.write_text("not Ferry's")

    result = install(prefix, setup_signed, "/AUTOSTART=1", f"/D={folder}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert_installed(prefix, folder, OLD)
    assert not prefix.host_path(DEFAULT_FOLDER).exists()
    exe = folder + r"\Ferry.exe"
    assert reg_value(prefix, MACHINE_RUN_KEY, RUN_VALUE) == run_command_for(exe) == exe
    # signed by makensis while it built the installer
    uninstaller = prefix.host_path(folder + r"\Uninstall.exe")
    checked = verify(uninstaller, signing_key["CERT"])
    assert "Signature verification: ok" in checked.stdout, checked.stdout + checked.stderr
    assert "Subject: /CN=Ferry Test Signer" in checked.stdout

    # /D= moves it: the old folder's uninstaller runs first, the other tool stays
    result = install(prefix, setup_signed, f"/D={DEFAULT_FOLDER}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert_installed(prefix, DEFAULT_FOLDER, OLD)
    assert installed_files(prefix, folder) == {"other-tool.txt"}
    moved = DEFAULT_FOLDER + r"\Ferry.exe"
    assert reg_value(prefix, MACHINE_RUN_KEY, RUN_VALUE) == run_command_for(moved)


# -- signing ------------------------------------------------------------------------------------


def test_sign_signs_in_place_with_a_pkcs12_key(
    work: Path, programs: dict[str, Path], signing_key: dict[str, str], setup_signed: Path
) -> None:
    exe = work / "sign-me.exe"
    exe.write_bytes((programs[OLD] / "Ferry.exe").read_bytes())
    assert "No signature found" in verify(exe).stdout + verify(exe).stderr

    result = sign(exe, signing_env(signing_key))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"signed: {exe} (SHA-256)"
    untrusted = verify(exe)  # self-signed: the chain does not verify, the signer is named
    assert "Signer #0:" in untrusted.stdout
    assert "Subject: /CN=Ferry Test Signer/O=Ferry Tests/C=BE" in untrusted.stdout
    assert "SHA256" in untrusted.stdout
    trusted = verify(exe, signing_key["CERT"])
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    assert "Signature verification: ok" in trusted.stdout
    assert list(work.glob(".sign-*")) == []

    checked = verify(setup_signed, signing_key["CERT"])  # what the release build does
    assert "Signature verification: ok" in checked.stdout, checked.stdout + checked.stderr


def test_sign_without_a_key_says_unsigned_and_changes_nothing(
    work: Path, programs: dict[str, Path]
) -> None:
    exe = work / "leave-me.exe"
    original = (programs[OLD] / "Ferry.exe").read_bytes()
    exe.write_bytes(original)
    result = sign(exe, without_signing_key())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith(f"UNSIGNED: {exe} (no signing key given: set FERRY_SIGN_PKCS12")
    assert exe.read_bytes() == original


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"FERRY_SIGN_PASSWORD": "not-the-password"}, "Wrong password"),
        ({"FERRY_SIGN_PKCS12": "/nonexistent/signer.p12"}, "FERRY_SIGN_PKCS12 names no file"),
        (
            {"FERRY_SIGN_PKCS12": "", "FERRY_SIGN_PKCS11_MODULE": "/usr/lib/none.so"},
            "needs FERRY_SIGN_PKCS11_KEY, FERRY_SIGN_CERT too",
        ),
    ],
)
def test_sign_with_a_key_that_fails_says_why(
    work: Path,
    programs: dict[str, Path],
    signing_key: dict[str, str],
    given: dict[str, str],
    reason: str,
) -> None:
    exe = work / "fail-me.exe"
    original = (programs[OLD] / "Ferry.exe").read_bytes()
    exe.write_bytes(original)
    result = sign(exe, {**signing_env(signing_key), **given})
    assert result.returncode == 1
    assert reason in result.stderr, result.stderr
    assert "UNSIGNED" not in result.stdout
    assert exe.read_bytes() == original
