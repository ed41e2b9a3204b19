"""What an update costs on a real build: the release script's archive and patch, and the
client's patch application (issue 17).

    .venv/bin/python bench/bench_update_patch.py [--build DIR]

DIR is a one-folder build of Ferry (default: the first of dist/windows/Ferry,
build/updates-e2e/dist/Ferry, dist/linux/Ferry that exists; ``scripts/build`` makes them).
It is released as 1.0.0, then a copy with 1 MiB rewritten in the middle of its largest file
(a small release: the patch stays small, the cost of making and applying it does not) is
released as 1.1.0 with a patch,
through ``scripts/release-update`` itself; then tufup's Patcher applies the patch to the
1.0.0 archive as the client does. Printed: sizes, times and peak memory of each step, and
the patch's size as a share of the archive's (what a client downloads instead).

There is no figure to meet in the issue; the table says whether patches are worth their cost
(bsdiff is quadratic in the worst case and needs memory in proportion to the tar).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "scripts" / "release-update"
CANDIDATES = (
    ROOT / "dist" / "windows" / "Ferry",
    ROOT / "build" / "updates-e2e" / "dist" / "Ferry",
    ROOT / "dist" / "linux" / "Ferry",
)
CHANGED_BYTES = 1 << 20


def mib(size: float) -> str:
    return f"{size / (1 << 20):.1f} MiB"


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def release(*args: object) -> tuple[float, float]:
    """One run of the release script: seconds, and its peak memory in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(RELEASE), *map(str, args)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"release-update {args[0]} failed:\n{done.stderr}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak


def changed_copy(build: Path, target: Path) -> Path:
    """The build with 1 MiB rewritten in the middle of the largest file under ``_internal``
    (Qt's core library in today's builds); returns that file."""
    shutil.copytree(build, target, symlinks=True)
    files = [p for p in (target / "_internal").rglob("*") if p.is_file() and not p.is_symlink()]
    largest = max(files, key=lambda p: p.stat().st_size)
    data = bytearray(largest.read_bytes())
    middle = max(0, len(data) // 2 - CHANGED_BYTES // 2)
    data[middle : middle + CHANGED_BYTES] = bytes(
        (b + 1) % 256 for b in data[middle : middle + CHANGED_BYTES]
    )
    largest.write_bytes(bytes(data))
    return largest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path)
    args = parser.parse_args()
    build = args.build or next((c for c in CANDIDATES if c.is_dir()), None)
    if build is None or not build.is_dir():
        raise SystemExit("no one-folder build: run scripts/build (or give --build DIR)")
    platform = "windows" if (build / "Ferry.exe").exists() else "linux"
    with tempfile.TemporaryDirectory(prefix="ferry-bench-patch-") as work_dir:
        work = Path(work_dir)
        repo, keys = work / "repo", work / "keys"
        release("init", "--repo", repo, "--keys", keys)
        common = ("--repo", repo, "--keys", keys, "--platform", platform)
        first_s, first_mib = release("add", *common, "--build", build, "--version", "1.0.0")
        changed = changed_copy(build, work / "next")
        second_s, second_mib = release(
            "add", *common, "--build", work / "next", "--version", "1.1.0"
        )
        targets = repo / "targets"
        old = next(targets.glob("*-1.0.0.tar.gz"))
        new = next(targets.glob("*-1.1.0.tar.gz"))
        patch = next(targets.glob("*-1.1.0.patch"))

        from tufup.common import Patcher, TargetMeta

        # what the client reads from the signed targets metadata: the tar's size and hash
        signed = json.loads((repo / "metadata" / "targets.json").read_text())["signed"]
        custom = signed["targets"][patch.name]["custom"]
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        Patcher.patch_and_verify(
            src_path=old,
            dst_path=work / "patched.tar.gz",
            patch_targets={TargetMeta(target_path=patch.name, custom=custom): patch},
        )
        apply_s = time.perf_counter() - started
        apply_mib = max(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
        old_size, new_size, patch_size = (p.stat().st_size for p in (old, new, patch))

    rows = [
        ("build", f"{build} ({platform})", mib(folder_size(build))),
        ("change", f"{changed.name}: {mib(CHANGED_BYTES)} rewritten", ""),
        (
            "release 1.0.0 (archive)",
            f"{first_s:.1f} s, peak {first_mib:.0f} MiB",
            mib(old_size),
        ),
        (
            "release 1.1.0 (archive + patch)",
            f"{second_s:.1f} s, peak {second_mib:.0f} MiB",
            f"{mib(new_size)} + {mib(patch_size)}",
        ),
        (
            "client applies the patch",
            f"{apply_s:.1f} s, peak {apply_mib:.0f} MiB (this process)",
            f"{patch_size / new_size:.1%} of the archive downloaded",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'cost':<48}  size")
    for step, cost, size in rows:
        print(f"{step:<{width}}  {cost:<48}  {size}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
