"""What making each delivered file durable costs on this disk, apart from the network.

The engine's throughput target compares it with a baseline that writes its files and never
fsyncs them. This benchmark puts the same number of ~100 KB files into a fresh folder three
ways, with nothing else running, to show how much of the gap is the disk's price of
durability rather than the engine's own work:

1. plain: ``open``/``write``/``close`` on the event loop's thread, as the baseline does;
2. Ferry: ``StagedFile.hold(...).commit_async()`` as the engine delivers a downloaded file
   (a hidden temporary, size and SHA-256 checked, fsync, a rename that never replaces, on
   Ferry's file threads, 16 at a time), then one fsync of the folder;
3. Ferry without fsync: the same with ``os.fsync`` made a no-op, to measure fsync's share
   (a measurement only: Ferry always fsyncs before the rename, so that a power cut never
   leaves a partial file under a final name).

Each pass starts after ``sync`` has written out what the pass before left in the page cache;
passes alternate ``--rounds`` times and the median of each is reported.

    .venv/bin/python bench/bench_file_commit.py [--files 2000] [--size 100000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.engine.delivery import StagedFile, run_io, sync_folders  # noqa: E402

AT_ONCE = 16  # the engine's files between download and rename (2 × its 8 download slots)


@dataclass(frozen=True)
class Pass:
    seconds: float
    user_s: float
    system_s: float


def measure(work: Callable[[], Coroutine[Any, Any, None]]) -> Pass:
    if hasattr(os, "sync"):
        os.sync()
    times, started = os.times(), time.perf_counter()
    asyncio.run(work())
    seconds, after = time.perf_counter() - started, os.times()
    return Pass(seconds, after.user - times.user, after.system - times.system)


def contents(files: int, size: int) -> list[bytes]:
    return [i.to_bytes(8, "big") * (size // 8) for i in range(files)]


async def plain(folder: Path, data: list[bytes]) -> None:
    folder.mkdir(parents=True)
    for index, content in enumerate(data):
        with (folder / f"doc-{index:05d}.pdf").open("wb") as out:
            out.write(content)


async def ferry(folder: Path, data: list[bytes]) -> None:
    slots = asyncio.Semaphore(AT_ONCE)

    async def one(index: int, content: bytes) -> None:
        async with slots:
            staged = StagedFile(folder, f"doc-{index:05d}.pdf", sync_folder=False)
            staged.hold([content])
            await staged.commit_async(len(content), hashlib.sha256(content).hexdigest())

    await asyncio.gather(*(one(index, content) for index, content in enumerate(data)))
    await run_io(sync_folders, [str(folder)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = contents(args.files, args.size)
    results: dict[str, list[Pass]] = {"plain": [], "ferry": [], "ferry, no fsync": []}
    with tempfile.TemporaryDirectory(prefix="ferry-bench-files-") as scratch:
        for number in range(args.rounds):
            for name in results:
                folder = Path(scratch) / f"{name}-{number}"
                work = functools.partial(plain if name == "plain" else ferry, folder, data)
                if name == "ferry, no fsync":
                    with mock.patch("os.fsync", lambda _descriptor: None):
                        results[name].append(measure(work))
                else:
                    results[name].append(measure(work))
                shutil.rmtree(folder)

    def median(passes: list[Pass], field: str) -> float:
        return float(statistics.median(getattr(p, field) for p in passes))

    base = median(results["plain"], "seconds")
    print(
        f"\n{args.files} files of {args.size:,} bytes into a fresh folder, {os.cpu_count()} CPUs, "
        f"median of {args.rounds} alternated round(s), each after a sync\n"
    )
    print(f"{'':18}{'files/s':>10}{'wall s':>9}{'user s':>9}{'kernel s':>10}{'× plain':>9}")
    for name, passes in results.items():
        seconds = median(passes, "seconds")
        print(
            f"{name:18}{args.files / seconds:>10,.0f}{seconds:>9.2f}"
            f"{median(passes, 'user_s'):>9.2f}{median(passes, 'system_s'):>10.2f}"
            f"{base / seconds:>9.2f}"
        )
    print(
        f"\nReproduce: .venv/bin/python bench/bench_file_commit.py --files {args.files} "
        f"--size {args.size} --rounds {args.rounds}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
