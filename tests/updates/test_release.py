"""scripts/release-update as a release manager uses it: keys from files or the environment,
the root key not needed for a release, a version released once and only forward."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.updates.conftest import RELEASE, Released, make_build


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RELEASE), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
    )


def targets(repo: Path) -> list[str]:
    data = json.loads((repo / "metadata" / "targets.json").read_text())
    return sorted(data["signed"]["targets"])


def test_keys_from_the_environment_sign_a_release_without_the_root_key(
    released: Released, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FERRY_UPDATE_KEY_")}
    for role in ("targets", "snapshot", "timestamp"):  # no root: it stays offline
        env[f"FERRY_UPDATE_KEY_{role.upper()}"] = (released.keys / role).read_text()
    build = make_build(tmp_path / "build", "1.2.0")
    done = run(
        "add",
        "--repo",
        released.repo,
        "--build",
        build,
        "--version",
        "1.2.0",
        "--platform",
        "linux",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "Ferry-linux-1.2.0.tar.gz" in targets(released.repo)
    assert "Ferry-linux-1.2.0.patch" in targets(released.repo)
    assert not list(Path.cwd().glob(".tufup-repo-config"))  # tufup's file is not written


def test_no_keys_at_all_is_said_and_changes_nothing(released: Released, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FERRY_UPDATE_KEY_")}
    before = targets(released.repo)
    build = make_build(tmp_path / "build", "1.2.0")
    done = run("add", "--repo", released.repo, "--build", build, "--version", "1.2.0", env=env)
    assert done.returncode == 1
    assert "no keys" in done.stderr
    assert targets(released.repo) == before


def test_a_version_is_released_once_and_only_forward(released: Released, tmp_path: Path) -> None:
    build = make_build(tmp_path / "build", "1.0.5")
    for version in ("1.1.0", "1.0.5"):
        done = run(
            "add",
            "--repo",
            released.repo,
            "--keys",
            released.keys,
            "--build",
            build,
            "--version",
            version,
            "--platform",
            "linux",
        )
        assert done.returncode == 1
    assert targets(released.repo) == [
        "Ferry-linux-1.0.0.tar.gz",
        "Ferry-linux-1.1.0.patch",
        "Ferry-linux-1.1.0.tar.gz",
    ]


def test_one_repository_per_platform(released: Released, tmp_path: Path) -> None:
    build = make_build(tmp_path / "build", "1.2.0")
    done = run(
        "add",
        "--repo",
        released.repo,
        "--keys",
        released.keys,
        "--build",
        build,
        "--version",
        "1.2.0",
        "--platform",
        "windows",
    )
    assert done.returncode == 1
    assert "one repository per platform" in done.stderr


def test_init_never_overwrites_a_key_set(released: Released, tmp_path: Path) -> None:
    before = (released.keys / "root").read_bytes()
    done = run("init", "--repo", tmp_path / "new-repo", "--keys", released.keys)
    assert done.returncode == 1
    assert (released.keys / "root").read_bytes() == before
    shutil.rmtree(tmp_path / "new-repo", ignore_errors=True)
