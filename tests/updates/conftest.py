"""Real parts for the update tests: a TUF repository made by scripts/release-update with a
throw-away key set, served by a real HTTP server on 127.0.0.1, and small one-folder "builds"
whose program is a real process that writes its health mark (or crashes, or hangs).

The repository is made once per session (1.0.0, then 1.1.0 with its patch; a copy taken
after 1.0.0 serves the rollback tests) and each test gets its own copy to spoil.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.updates.client import UpdatePaths
from app.updates.layout import InstallLayout
from app.updates.policy import Channel, UpdatePolicy
from tests.conftest import REPO, WINDOWS

RELEASE = REPO / "scripts" / "release-update"

#: the fake program: marks itself healthy through Ferry's own code, then runs until stopped
HEALTHY = """
import sys, time
from pathlib import Path
from app.updates.layout import InstallLayout
here = Path(__file__).resolve().parent
layout = InstallLayout.of_program(here / "Ferry")
layout.mark_healthy(here.name, "fake build up")
while True:
    time.sleep(0.1)
"""
CRASHES = """
import sys
sys.exit(3)
"""
HANGS = """
import os, time
from pathlib import Path
(Path(__file__).resolve().parent / "pid").write_text(str(os.getpid()))
while True:
    time.sleep(0.1)
"""


def release(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the release script as a release manager would (its exit status checked)."""
    done = subprocess.run(
        [sys.executable, str(RELEASE), *map(str, args)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done


#: how the helper starts a fake build: its program, relative to the version folder (on
#: Windows the Python that runs the tests, with the script beside it: no .exe to build)
PLAN_ARGV: tuple[str, ...] = (sys.executable, "program.py") if WINDOWS else ("Ferry",)


def program_argv(folder: Path) -> list[str]:
    return [sys.executable, str(folder / "program.py")] if WINDOWS else [str(folder / "Ferry")]


#: the fake build's self-check, as the helper runs it (Health.RUNS)
CHECK_ARGV: tuple[str, ...] = (
    (sys.executable, "check.py") if WINDOWS else ("ferry-cli", "self-check")
)


def make_build(
    folder: Path, version: str, program: str = HEALTHY, self_check_passes: bool = True
) -> Path:
    """A one-folder build: a program, its version, and a payload that differs a little
    from one version to the next (so the patch is much smaller than the archive)."""
    folder.mkdir(parents=True)
    (folder / "program.py").write_text(program, encoding="utf-8")
    check = f"import sys\nsys.exit({0 if self_check_passes else 1})\n"
    (folder / "check.py").write_text(check, encoding="utf-8")
    (folder / "ferry-cli").write_text(f"#!{sys.executable}\n{check}", encoding="utf-8")
    (folder / "ferry-cli").chmod(0o755)
    launcher = folder / "Ferry"  # the Linux build's program name
    launcher.write_text(f"#!{sys.executable}\n{program}", encoding="utf-8")
    launcher.chmod(0o755)
    (folder / "VERSION").write_text(version, encoding="utf-8")
    internal = folder / "_internal"
    internal.mkdir()
    payload = bytes(range(256)) * 2048  # 512 KiB of a library that barely changes
    (internal / "library.bin").write_bytes(payload + version.encode())
    return folder


@dataclass(frozen=True)
class Released:
    """A session's repository: its folder, keys, the copy taken after 1.0.0, the builds."""

    repo: Path
    keys: Path
    repo_at_1_0: Path
    builds: Path

    @property
    def trusted_root(self) -> Path:
        return self.repo / "metadata" / "1.root.json"


@pytest.fixture(scope="session")
def released_template(tmp_path_factory: pytest.TempPathFactory) -> Released:
    base = tmp_path_factory.mktemp("released")
    builds = base / "builds"
    make_build(builds / "1.0.0", "1.0.0")
    make_build(builds / "1.1.0", "1.1.0")
    repo, keys = base / "repo", base / "keys"
    release("init", "--repo", repo, "--keys", keys)
    release(
        "add",
        "--repo",
        repo,
        "--keys",
        keys,
        "--build",
        builds / "1.0.0",
        "--version",
        "1.0.0",
        "--platform",
        "linux",
    )
    shutil.copytree(repo, base / "repo-1.0")
    release(
        "add",
        "--repo",
        repo,
        "--keys",
        keys,
        "--build",
        builds / "1.1.0",
        "--version",
        "1.1.0",
        "--platform",
        "linux",
    )
    return Released(repo, keys, base / "repo-1.0", builds)


@pytest.fixture
def released(released_template: Released, tmp_path: Path) -> Released:
    """The session's repository, copied for this test alone."""
    base = tmp_path / "released"
    shutil.copytree(released_template.repo, base / "repo")
    shutil.copytree(released_template.repo_at_1_0, base / "repo-1.0")
    shutil.copytree(released_template.keys, base / "keys")
    return Released(base / "repo", base / "keys", base / "repo-1.0", released_template.builds)


class UpdateServer:
    """A static HTTP server on 127.0.0.1 over a folder that a test can swap (a server
    "rolled back" to an old copy), recording every path asked for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requests: list[str] = []
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(server.folder), **kwargs)  # type: ignore[arg-type]

            def log_message(self, format: str, *args: object) -> None:
                server.requests.append(self.path)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(released: Released) -> Iterator[UpdateServer]:
    serving = UpdateServer(released.repo)
    yield serving
    serving.close()


@pytest.fixture
def paths(tmp_path: Path) -> UpdatePaths:
    return UpdatePaths(tmp_path / "updates")


@pytest.fixture
def installed(tmp_path: Path, released: Released) -> InstallLayout:
    """Ferry 1.0.0 installed as a versioned folder, the pointer on it."""
    layout = InstallLayout(tmp_path / "install")
    shutil.copytree(released.builds / "1.0.0", layout.folder("1.0.0"), symlinks=True)
    layout.switch("1.0.0", previous=None)
    return layout


def policy_for(server: UpdateServer, channel: Channel = Channel.STABLE) -> UpdatePolicy:
    return UpdatePolicy(url=server.url, channel=channel)


def untouched(layout: InstallLayout, version: str = "1.0.0") -> bool:
    """The running version's installation as it was: pointer, folders, no result."""
    return (
        layout.current() == version
        and layout.installed() == [version]
        and not layout.result_file.exists()
    )


def stop_pid(pid: int) -> None:
    """Stop a process the helper started (on Windows os.kill ends it: TerminateProcess)."""
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        os.kill(pid, signal.SIGTERM)
