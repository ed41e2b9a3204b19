"""Check, download and verify against a real repository made by scripts/release-update,
served on 127.0.0.1: the good update is found and verified; every kind of bad server is
refused with its own failure code, and the installed version is left as it was."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from app.core.language import Language
from app.updates import updater
from app.updates.client import Offer, UpdatePaths, UpdateSession, UpToDate
from app.updates.failures import UpdateError, UpdateFailureCode, describe
from app.updates.layout import InstallLayout
from app.updates.policy import Channel, UpdatePolicy
from app.updates.updater import Staged, can_write, prepare
from tests.conftest import WINDOWS
from tests.updates.conftest import (
    Released,
    UpdateServer,
    make_build,
    policy_for,
    release,
    untouched,
)

# the client, its files and tufup on Windows too (scripts/test-windows, under Wine)
pytestmark = pytest.mark.windows

ARCHIVE_1_1 = "Ferry-linux-1.1.0.tar.gz"


def session(
    server: UpdateServer,
    paths: UpdatePaths,
    released: Released,
    running: str = "1.0.0",
    channel: Channel = Channel.STABLE,
) -> UpdateSession:
    return UpdateSession(
        policy_for(server, channel), paths, running, released.trusted_root, platform="linux"
    )


def refused(error: pytest.ExceptionInfo[UpdateError]) -> UpdateFailureCode:
    return error.value.failure.code


def version_in(archive: Path) -> str:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("./VERSION")
        assert member is not None
        return member.read().decode()


def test_the_release_scripts_repository_offers_1_1_to_1_0_verified(
    server: UpdateServer, paths: UpdatePaths, released: Released
) -> None:
    look = session(server, paths, released)
    offer = look.offer()
    assert isinstance(offer, Offer)
    assert (offer.version, offer.archive, offer.patches) == ("1.1.0", ARCHIVE_1_1, ())
    downloaded = look.download(offer)
    assert downloaded.archive == paths.downloads / ARCHIVE_1_1
    assert version_in(downloaded.archive) == "1.1.0"
    # the client trusts the build's root and keeps the metadata it verified
    assert sorted(p.name for p in paths.metadata.iterdir()) == [
        "root.json",
        "snapshot.json",
        "targets.json",
        "timestamp.json",
    ]


def test_with_the_running_versions_archive_kept_a_patch_is_downloaded_not_the_archive(
    server: UpdateServer, paths: UpdatePaths, released: Released
) -> None:
    paths.downloads.mkdir(parents=True)
    kept = released.repo / "targets" / "Ferry-linux-1.0.0.tar.gz"
    (paths.downloads / kept.name).write_bytes(kept.read_bytes())
    look = session(server, paths, released)
    offer = look.offer()
    assert isinstance(offer, Offer)
    assert offer.patches == ("Ferry-linux-1.1.0.patch",)
    downloaded = look.download(offer)
    assert version_in(downloaded.archive) == "1.1.0"
    assert "/targets/Ferry-linux-1.1.0.patch" in server.requests
    assert f"/targets/{ARCHIVE_1_1}" not in server.requests


def test_a_tampered_archive_is_refused_and_nothing_is_staged(
    server: UpdateServer, paths: UpdatePaths, released: Released, installed: InstallLayout
) -> None:
    archive = released.repo / "targets" / ARCHIVE_1_1
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte, same length
    archive.write_bytes(bytes(data))
    with pytest.raises(UpdateError) as error:
        prepare(policy_for(server), paths, installed, "1.0.0", released.trusted_root, "linux")
    assert refused(error) is UpdateFailureCode.TAMPERED
    assert not (paths.downloads / ARCHIVE_1_1).exists()
    assert untouched(installed)


def test_an_archive_longer_than_signed_is_refused(
    server: UpdateServer, paths: UpdatePaths, released: Released, installed: InstallLayout
) -> None:
    archive = released.repo / "targets" / ARCHIVE_1_1
    archive.write_bytes(archive.read_bytes() + b"more")
    with pytest.raises(UpdateError) as error:
        prepare(policy_for(server), paths, installed, "1.0.0", released.trusted_root, "linux")
    assert refused(error) is UpdateFailureCode.TAMPERED
    assert untouched(installed)


def test_expired_metadata_is_refused(
    server: UpdateServer, paths: UpdatePaths, released: Released, installed: InstallLayout
) -> None:
    # a server that stopped being re-signed: its timestamp expired yesterday
    release(
        "refresh", "--repo", released.repo, "--keys", released.keys, "--expires", "timestamp=-1"
    )
    with pytest.raises(UpdateError) as error:
        prepare(policy_for(server), paths, installed, "1.0.0", released.trusted_root, "linux")
    assert refused(error) is UpdateFailureCode.EXPIRED_METADATA
    assert untouched(installed)


def test_a_server_rolled_back_to_older_metadata_is_refused(
    server: UpdateServer, paths: UpdatePaths, released: Released, installed: InstallLayout
) -> None:
    assert isinstance(session(server, paths, released).offer(), Offer)  # 1.1 seen: trusted
    server.folder = released.repo_at_1_0  # the same server replays what it signed before
    with pytest.raises(UpdateError) as error:
        prepare(policy_for(server), paths, installed, "1.0.0", released.trusted_root, "linux")
    assert refused(error) is UpdateFailureCode.ROLLBACK
    assert untouched(installed)


def test_an_older_version_than_the_running_one_is_never_taken(
    paths: UpdatePaths, released: Released, tmp_path: Path
) -> None:
    layout = InstallLayout(tmp_path / "install-1.1")
    make_build(layout.folder("1.1.0"), "1.1.0")
    layout.switch("1.1.0", previous=None)
    server = UpdateServer(released.repo_at_1_0)  # offers 1.0.0 only, properly signed
    try:
        outcome = prepare(
            policy_for(server), paths, layout, "1.1.0", released.trusted_root, "linux"
        )
    finally:
        server.close()
    assert outcome == UpToDate(running="1.1.0", newest_offered="1.0.0")
    assert not any(request.startswith("/targets/") for request in server.requests)
    assert untouched(layout, "1.1.0")


def test_metadata_signed_by_other_keys_is_refused(
    paths: UpdatePaths, released: Released, installed: InstallLayout, tmp_path: Path
) -> None:
    # an attacker's repository: the same layout, a newer version, the attacker's keys
    other, other_keys = tmp_path / "other-repo", tmp_path / "other-keys"
    release("init", "--repo", other, "--keys", other_keys)
    make_build(tmp_path / "evil", "9.0.0")
    release(
        "add",
        "--repo",
        other,
        "--keys",
        other_keys,
        "--build",
        tmp_path / "evil",
        "--version",
        "9.0.0",
        "--platform",
        "linux",
    )
    server = UpdateServer(other)
    try:
        with pytest.raises(UpdateError) as error:
            prepare(policy_for(server), paths, installed, "1.0.0", released.trusted_root, "linux")
    finally:
        server.close()
    assert refused(error) is UpdateFailureCode.BAD_SIGNATURE
    assert not any(request.startswith("/targets/") for request in server.requests)
    assert untouched(installed)


def test_updates_turned_off_by_the_policy_ask_nothing(
    server: UpdateServer, paths: UpdatePaths, released: Released, installed: InstallLayout
) -> None:
    policy = UpdatePolicy(url=server.url, enabled=False)
    with pytest.raises(UpdateError) as error:
        prepare(policy, paths, installed, "1.0.0", released.trusted_root, "linux")
    assert refused(error) is UpdateFailureCode.DISABLED
    assert server.requests == []
    assert untouched(installed)


def test_an_unreachable_server_is_a_network_failure(
    paths: UpdatePaths, released: Released, installed: InstallLayout
) -> None:
    server = UpdateServer(released.repo)
    server.close()  # the port is free again: nothing answers there
    with pytest.raises(UpdateError) as error:
        prepare(policy_for(server), paths, installed, "1.0.0", released.trusted_root, "linux")
    assert refused(error) is UpdateFailureCode.NETWORK
    assert error.value.failure.transient
    assert untouched(installed)


def test_without_a_trusted_root_in_the_build_updates_are_not_configured(
    server: UpdateServer, paths: UpdatePaths, tmp_path: Path, installed: InstallLayout
) -> None:
    with pytest.raises(UpdateError) as error:
        prepare(policy_for(server), paths, installed, "1.0.0", tmp_path / "none.json", "linux")
    assert refused(error) is UpdateFailureCode.NOT_CONFIGURED
    assert server.requests == []


def test_betas_only_on_the_beta_channel_and_a_failed_version_is_skipped(
    server: UpdateServer, paths: UpdatePaths, released: Released, tmp_path: Path
) -> None:
    make_build(tmp_path / "beta", "1.2.0b1")
    release(
        "add",
        "--repo",
        released.repo,
        "--keys",
        released.keys,
        "--build",
        tmp_path / "beta",
        "--version",
        "1.2.0b1",
        "--platform",
        "linux",
    )
    stable = session(server, paths, released).offer()
    assert isinstance(stable, Offer) and stable.version == "1.1.0"
    beta = session(server, paths, released, channel=Channel.BETA).offer()
    assert isinstance(beta, Offer) and beta.version == "1.2.0b1"
    skipping = session(server, paths, released).offer(skip={"1.1.0"})
    assert skipping == UpToDate(running="1.0.0", newest_offered="1.1.0")


def test_prepare_stages_the_verified_version_beside_the_running_one(
    server: UpdateServer, paths: UpdatePaths, released: Released, installed: InstallLayout
) -> None:
    staged = prepare(policy_for(server), paths, installed, "1.0.0", released.trusted_root, "linux")
    assert staged == Staged("1.1.0", installed.folder("1.1.0"))
    assert (staged.folder / "VERSION").read_text() == "1.1.0"
    if not WINDOWS:  # Windows has no mode bits
        assert (staged.folder / "Ferry").stat().st_mode & 0o100  # still a program
    assert installed.current() == "1.0.0"  # switching is the helper's, at a quiet moment
    assert installed.installed() == ["1.0.0", "1.1.0"]


def test_an_installation_this_account_cannot_write_is_told_not_downloaded(
    server: UpdateServer,
    paths: UpdatePaths,
    released: Released,
    installed: InstallLayout,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A per-machine installation under Program Files, with no service to apply updates:
    the person's own Ferry cannot add a version there. The offer is said (with the version,
    in words that say who can install it), and nothing is downloaded for nothing."""
    monkeypatch.setattr(updater, "can_write", lambda folder: folder != installed.versions)
    with pytest.raises(UpdateError) as error:
        prepare(policy_for(server), paths, installed, "1.0.0", released.trusted_root, "linux")
    assert refused(error) is UpdateFailureCode.NEEDS_ADMIN
    assert error.value.failure.params["version"] == "1.1.0"
    assert not error.value.failure.transient
    assert not any(path.startswith("/targets/") for path in server.requests), server.requests
    assert untouched(installed)
    words = {language: describe(error.value.failure, language) for language in Language}
    assert words[Language.EN].startswith("Ferry 1.1.0 is available.")
    assert "administrateur" in words[Language.FR] and "beheerder" in words[Language.NL]


def test_can_write_tries_the_folder_itself(tmp_path: Path) -> None:
    folder = tmp_path / "versions"
    assert can_write(folder)  # made when missing, as staging would
    assert list(folder.iterdir()) == []  # the probe is gone
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert not can_write(blocked / "versions")
