"""Check, download and verify an update against Ferry's update repository (TUF, via tufup).

Every byte that decides something is verified by python-tuf before Ferry looks at it: the
metadata's signatures against the ``root.json`` this build carries (never one fetched at
first use), its versions against those already trusted (no rollback), its expiry (no frozen
server), and each archive's length and hashes against the signed targets. What python-tuf
refuses comes out of here as an :class:`~app.updates.failures.UpdateFailure` with its own
code, and nothing on disk outside this module's folder has changed.

Why not tufup's ``Client.check_for_updates`` and ``download_and_apply_update`` as they are:
the first logs a bad signature or a network fault and answers "no update", so Ferry could
not tell an attack from an outage; the second installs by copying over the running folder
(a robocopy batch file on Windows), which a service's files and a rollback cannot survive.
So this module drives tufup's Client (a python-tuf ``Updater``) step by step: refresh (once,
classifying what fails), choose the version itself (channel, versions that already failed
here), download archive or patches, verify, and hand a verified archive to
:mod:`app.updates.apply`.
"""

from __future__ import annotations

import functools
import logging
import shutil
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version
from tuf.api import exceptions as tuf_errors

from app.updates.failures import UpdateError, UpdateFailure, UpdateFailureCode, fail
from app.updates.policy import Channel, UpdatePolicy

log = logging.getLogger(__name__)

APP_NAME = "Ferry"
#: a patch is used when the patches together are smaller than this share of the archive
PATCH_RATIO = 0.8


def platform_name() -> str:
    """The archive series this program takes updates from (one repository per platform)."""
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def archive_series(platform: str | None = None) -> str:
    return f"{APP_NAME}-{platform or platform_name()}"


@dataclass(frozen=True)
class UpdatePaths:
    """The updater's own folder: trusted metadata and downloads. Machine-wide for the
    service (under the machine's Ferry home), else the person's."""

    folder: Path

    @property
    def metadata(self) -> Path:
        return self.folder / "metadata"

    @property
    def downloads(self) -> Path:
        return self.folder / "downloads"


@dataclass(frozen=True)
class Offer:
    """A newer version the repository offers, signed and trusted, not downloaded yet."""

    version: str
    archive: str  # the target's name, e.g. Ferry-windows-1.1.0.tar.gz
    size: int
    patches: tuple[str, ...] = ()  # used instead of the archive when the current one is here


@dataclass(frozen=True)
class UpToDate:
    running: str
    #: the newest version the repository offers for this channel, even if older than ours
    newest_offered: str | None


@dataclass(frozen=True)
class Downloaded:
    """A verified archive of ``version``, ready to become a version folder."""

    version: str
    archive: Path


Progress = Callable[[int, int], None]


def seed_trusted_root(paths: UpdatePaths, trusted_root: Path) -> None:
    """Copy the build's ``root.json`` into the metadata folder the first time. Later roots
    arrive signed by the one before (python-tuf's root rotation) and replace it there."""
    target = paths.metadata / "root.json"
    if target.exists():
        return
    try:
        paths.metadata.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name("root.json.tmp")
        shutil.copyfile(trusted_root, temporary)
        temporary.replace(target)
    except FileNotFoundError as error:
        raise fail(
            UpdateFailureCode.NOT_CONFIGURED, said=f"no trusted root ({trusted_root})"
        ) from error
    except OSError as error:
        raise fail(UpdateFailureCode.DISK, said=error.strerror or error, path=target) from error


def classify(error: BaseException) -> UpdateFailure:
    """What python-tuf (or the disk) refused, as a failure code. Order matters: the
    specific errors are subclasses of the general ones."""
    said = str(error) or type(error).__name__
    code: UpdateFailureCode
    params: dict[str, str] = {"said": said}
    if isinstance(error, UpdateError):
        return error.failure
    if isinstance(error, tuf_errors.ExpiredMetadataError):
        code = UpdateFailureCode.EXPIRED_METADATA
    elif isinstance(error, tuf_errors.BadVersionNumberError):
        code = UpdateFailureCode.ROLLBACK
    elif isinstance(error, tuf_errors.UnsignedMetadataError):
        code = UpdateFailureCode.BAD_SIGNATURE
    elif isinstance(
        error, tuf_errors.LengthOrHashMismatchError | tuf_errors.DownloadLengthMismatchError
    ):
        code = UpdateFailureCode.TAMPERED
    elif isinstance(error, tuf_errors.DownloadHTTPError):
        code = UpdateFailureCode.NETWORK
        params["status"] = str(error.status_code)
    elif isinstance(error, tuf_errors.DownloadError):
        code = UpdateFailureCode.NETWORK
        cause = error.__cause__
        if cause is not None:
            params["said"] = f"{type(cause).__name__}: {cause}"
    elif isinstance(error, tuf_errors.RepositoryError):
        code = UpdateFailureCode.INVALID_METADATA
    elif isinstance(error, OSError):
        code = UpdateFailureCode.DISK
        params["said"] = error.strerror or said
    else:
        raise error
    return UpdateFailure(code, params)


def allowed(version: Version, channel: Channel) -> bool:
    """Stable takes final releases; beta also betas and release candidates, never alphas."""
    if version.pre is None and not version.is_devrelease:
        return True
    return channel is Channel.BETA and version.pre is not None and version.pre[0] in ("b", "rc")


class UpdateSession:
    """One look at the repository: python-tuf refreshes the metadata once per session, so
    each scheduled check makes a new one. Blocking (network and disk): run it on a worker
    thread, never on the GUI's or the engine's loop."""

    def __init__(
        self,
        policy: UpdatePolicy,
        paths: UpdatePaths,
        running: str,
        trusted_root: Path,
        platform: str | None = None,
    ) -> None:
        if not policy.enabled:
            raise fail(UpdateFailureCode.DISABLED)
        if not policy.url:
            raise fail(UpdateFailureCode.NOT_CONFIGURED, said="no update address")
        self.policy = policy
        self.paths = paths
        self.running = Version(running)
        self.series = archive_series(platform)
        seed_trusted_root(paths, trusted_root)
        try:
            paths.downloads.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise fail(UpdateFailureCode.DISK, said=error.strerror or error) from error
        base = policy.url.rstrip("/")
        self._client = self._guard(lambda: _make_client(self.series, running, paths, base))
        self._guard(self._client.refresh)

    @staticmethod
    def _guard(step: Callable[[], Any]) -> Any:
        try:
            return step()
        except (tuf_errors.RepositoryError, tuf_errors.DownloadError, OSError) as error:
            failure = classify(error)
            log.warning("updates: refused or failed (%s): %s", failure.code, error)
            raise UpdateError(failure) from error

    def _targets(self) -> list[Any]:
        return [meta for meta in self._client.trusted_target_metas if meta.name == self.series]

    def offer(self, skip: Collection[str] = ()) -> Offer | UpToDate:
        """The newest version for the policy's channel that is newer than the running one
        and not in ``skip`` (versions that already failed to start here)."""
        metas = self._targets()
        for_channel = [
            meta
            for meta in metas
            if meta.is_archive
            and meta.version is not None
            and allowed(meta.version, self.policy.channel)
        ]
        newest_offered = max(for_channel, default=None)
        candidates = [
            meta
            for meta in for_channel
            if meta.version > self.running and str(meta.version) not in set(skip)
        ]
        if not candidates:
            return UpToDate(
                str(self.running), str(newest_offered.version) if newest_offered else None
            )
        newest = max(candidates)
        info = self._client.get_targetinfo(newest)
        patches = sorted(
            meta
            for meta in metas
            if meta.is_patch and self.running < meta.version <= newest.version
        )
        chosen: tuple[str, ...] = ()
        if patches and self._current_archive().exists():
            infos = [self._client.get_targetinfo(meta) for meta in patches]
            consecutive = _consecutive(self.running, [p.version for p in patches], metas)
            if consecutive and sum(i.length for i in infos) <= PATCH_RATIO * info.length:
                chosen = tuple(meta.target_path_str for meta in patches)
        return Offer(str(newest.version), newest.target_path_str, info.length, chosen)

    def _current_archive(self) -> Path:
        return self.paths.downloads / f"{self.series}-{self.running}.tar.gz"

    def download(self, offer: Offer, progress: Progress | None = None) -> Downloaded:
        """Download and verify the offer's archive (rebuilt from patches when they serve),
        into the downloads folder. A download that fails verification leaves nothing."""
        target = self.paths.downloads / offer.archive
        if offer.patches:
            try:
                return self._by_patches(offer, target, progress)
            except UpdateError as error:
                if error.failure.code is not UpdateFailureCode.TAMPERED:
                    raise
                log.warning(
                    "updates: the patches did not rebuild %s: the whole archive", offer.archive
                )
        info = self._guard(lambda: self._client.get_targetinfo(offer.archive))
        if info is None:  # not signed for (the offer came from another session)
            raise fail(
                UpdateFailureCode.INVALID_METADATA, said=f"{offer.archive} is not signed for"
            )
        path = self._fetch(info, progress)
        return Downloaded(offer.version, Path(path))

    def _fetch(self, info: Any, progress: Progress | None) -> str:
        cached = self._client.find_cached_target(info)
        if cached:
            return str(cached)
        if progress is not None:
            self._client._fetcher.attach_progress_hook(
                hook=lambda bytes_downloaded, bytes_expected: progress(
                    bytes_downloaded, bytes_expected
                ),
                bytes_expected=info.length,
            )
        return str(self._guard(lambda: self._client.download_target(info)))

    def _by_patches(self, offer: Offer, target: Path, progress: Progress | None) -> Downloaded:
        from tufup.common import Patcher, TargetMeta

        downloaded = {}
        for name in offer.patches:
            info = self._guard(functools.partial(self._client.get_targetinfo, name))
            meta = TargetMeta(target_path=name, custom=info.unrecognized_fields.get("custom"))
            downloaded[meta] = Path(self._fetch(info, progress))
        try:
            Patcher.patch_and_verify(
                src_path=self._current_archive(), dst_path=target, patch_targets=downloaded
            )
        except OSError as error:
            raise fail(UpdateFailureCode.DISK, said=error.strerror or error) from error
        except Exception as error:  # tufup raises a bare Exception on a size or hash mismatch
            target.unlink(missing_ok=True)
            raise fail(UpdateFailureCode.TAMPERED, said=str(error)) from error
        return Downloaded(offer.version, target)


def _consecutive(running: Version, patch_versions: list[Version], metas: list[Any]) -> bool:
    """Patches chain only when there is one for every archive between ours and the target."""
    archives = sorted(meta.version for meta in metas if meta.is_archive and running < meta.version)
    wanted = [version for version in archives if version <= max(patch_versions)]
    return wanted == sorted(patch_versions)


def _make_client(series: str, running: str, paths: UpdatePaths, base: str) -> Any:
    from tufup.client import Client

    class _Client(Client):  # type: ignore[misc]
        """tufup's Client whose ``refresh`` happens once (python-tuf allows no second)."""

        _refreshed = False

        def refresh(self) -> None:
            if not self._refreshed:
                super().refresh()
                self._refreshed = True

    return _Client(
        app_name=series,
        app_install_dir=paths.folder,  # unused: Ferry installs through app.updates.apply
        current_version=running,
        metadata_dir=paths.metadata,
        metadata_base_url=f"{base}/metadata/",
        target_dir=paths.downloads,
        target_base_url=f"{base}/targets/",
        extract_dir=paths.folder / "unused-extract",
    )


def parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def prune_downloads(paths: UpdatePaths, keep: Collection[str]) -> None:
    """Remove downloads except the archives named in ``keep`` (the running version's, from
    which the next update can be patched)."""
    if not paths.downloads.is_dir():
        return
    for file in paths.downloads.iterdir():
        if file.name not in keep:
            try:
                file.unlink()
            except OSError as error:
                log.info("updates: an old download stays for now: %s", error)
