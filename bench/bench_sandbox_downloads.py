"""Benchmark: document downloads per second from the sandbox platform (~100 KB files, 8 clients).

Target: at least 500 downloads/s on this machine, so that the sandbox is never the bottleneck
when Ferry's engine is measured against it.

The server runs in its own process (as it would for an engine benchmark), so client and server
do not share a GIL. It creates the documents through the admin API, then 8 concurrent clients —
each its own keep-alive HTTP connection with a bearer token, as the agent would — download
random files for a few seconds; every body is checked against its size.

    .venv/bin/python bench/bench_sandbox_downloads.py [--seconds 5] [--clients 8]
        [--documents 300] [--size 100000] [--client-kind httpx|raw]

``--client-kind raw`` uses a minimal asyncio HTTP/1.1 client instead of httpx, to show the
server's own ceiling when the load generator would otherwise be the limit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.sandbox.testkit import SandboxAdmin, login_with_password  # noqa: E402

TARGET_PER_S = 500


@dataclass(frozen=True)
class Target:
    path: str
    size: int


def serve(data_dir: Path) -> None:
    """Child process: run a sandbox on a free port and print its URL until stdin closes."""
    from app.sandbox.server import SandboxServer

    server = SandboxServer(data_dir, port=0, seed_documents=0)
    print(server.start(), flush=True)
    sys.stdin.read()
    server.stop()


def create_documents(base_url: str, count: int, size: int) -> list[Target]:
    rng = random.Random(7)
    targets: list[Target] = []
    with SandboxAdmin(base_url) as admin:
        client = next(c for c in admin.clients("be") if c.shares_documents)
        for index in range(count):
            content = rng.randbytes(size)
            document = admin.add_document(
                "be",
                client.id,
                "purchase",
                [(f"bench-{index:05d}.pdf", content, "application/pdf")],
            )
            file = document.files[0]
            targets.append(Target(f"/api/v1/documents/{document.id}/files/{file.id}", file.size))
    return targets


async def httpx_worker(
    base_url: str, token: str, targets: list[Target], until: float, latencies: list[float]
) -> int:
    rng = random.Random()
    done = 0
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, limits=limits, timeout=30
    ) as http:
        while time.perf_counter() < until:
            target = rng.choice(targets)
            started = time.perf_counter()
            answer = await http.get(target.path)
            latencies.append(time.perf_counter() - started)
            if answer.status_code != 200 or len(answer.content) != target.size:
                raise RuntimeError(f"bad download {answer.status_code} {len(answer.content)}")
            done += 1
    return done


async def raw_worker(
    base_url: str, token: str, targets: list[Target], until: float, latencies: list[float]
) -> int:
    """One keep-alive connection speaking just enough HTTP/1.1 (Content-Length bodies)."""
    parts = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    rng = random.Random()
    done = 0
    try:
        while time.perf_counter() < until:
            target = rng.choice(targets)
            started = time.perf_counter()
            writer.write(
                f"GET {target.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                f"Authorization: Bearer {token}\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != 200 or len(body) != target.size:
                raise RuntimeError(f"bad download {status} {len(body)}")
            done += 1
    finally:
        writer.close()
    return done


async def run_load(
    base_url: str, token: str, targets: list[Target], clients: int, seconds: float, kind: str
) -> tuple[int, float, list[float]]:
    worker = raw_worker if kind == "raw" else httpx_worker
    latencies: list[float] = []
    # A short warm-up (connections, page cache, token cache), not measured.
    await asyncio.gather(
        *(worker(base_url, token, targets, time.perf_counter() + 0.5, []) for _ in range(clients))
    )
    started = time.perf_counter()
    until = started + seconds
    counts = await asyncio.gather(
        *(worker(base_url, token, targets, until, latencies) for _ in range(clients))
    )
    return sum(counts), time.perf_counter() - started, latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--client-kind", choices=("httpx", "raw"), default="httpx")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return 0

    with tempfile.TemporaryDirectory(prefix="ferry-bench-") as data:
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", data],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            assert server.stdout is not None
            base_url = server.stdout.readline().strip()
            if not base_url.startswith("http://"):
                raise RuntimeError("the sandbox did not start")
            t0 = time.perf_counter()
            targets = create_documents(base_url, args.documents, args.size)
            setup_s = time.perf_counter() - t0
            token = login_with_password(base_url, "be").access_token
            count, elapsed, latencies = asyncio.run(
                run_load(base_url, token, targets, args.clients, args.seconds, args.client_kind)
            )
        finally:
            if server.stdin is not None:
                server.stdin.close()
            server.wait(15)

    per_s = count / elapsed
    mb_s = sum(t.size for t in targets) / len(targets) * per_s / 1e6
    quantiles = statistics.quantiles(latencies, n=100)
    rows = [
        ("downloads", f"{count}"),
        ("seconds", f"{elapsed:.2f}"),
        ("downloads/s", f"{per_s:,.0f}"),
        ("MB/s", f"{mb_s:,.1f}"),
        ("latency p50", f"{quantiles[49] * 1000:.2f} ms"),
        ("latency p95", f"{quantiles[94] * 1000:.2f} ms"),
        ("latency max", f"{max(latencies) * 1000:.2f} ms"),
    ]
    print(
        f"\nSandbox downloads: {args.documents} documents of {args.size:,} bytes, "
        f"{args.clients} concurrent clients ({args.client_kind}), {os.cpu_count()} CPUs; "
        f"setup {setup_s:.1f} s"
    )
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value:>12}")
    verdict = "PASS" if per_s >= TARGET_PER_S else "FAIL"
    print(f"  {'target':<{width}}  {f'>= {TARGET_PER_S}/s':>12}  {verdict}")
    print(
        f"\nReproduce: .venv/bin/python bench/bench_sandbox_downloads.py "
        f"--seconds {args.seconds:g} --clients {args.clients} --documents {args.documents} "
        f"--size {args.size} --client-kind {args.client_kind}"
    )
    return 0 if per_s >= TARGET_PER_S else 1


if __name__ == "__main__":
    sys.exit(main())
