"""``python -m app sandbox``: run the sandbox platform in the foreground until Ctrl-C/SIGTERM.

Ferry's command line calls ``add_parser`` to register the subcommand and ``run`` to execute it;
``args.ferry_data_dir`` (set by that command line) gives the default data folder. The server
(FastAPI, uvicorn) is imported only when the command runs, so every other command starts fast.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from app.sandbox.defaults import DEFAULT_PORT, DEFAULT_SEED_DOCUMENTS, HOST


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 0 and 65535 (0 picks a free port)")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "sandbox",
        help="run the embedded document platform (sandbox) on this computer",
        description="Run Ferry's sandbox document platform on 127.0.0.1 until Ctrl-C. "
        "Realms be, nl, fr and lu each have the user demo / demo.",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port on {HOST} (default {DEFAULT_PORT}; 0 picks a free port)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="data folder (default: the sandbox folder in Ferry's data folder)",
    )
    parser.add_argument(
        "--seed-documents",
        type=_non_negative_int,
        default=DEFAULT_SEED_DOCUMENTS,
        help=f"documents per realm on first start (default {DEFAULT_SEED_DOCUMENTS})",
    )
    parser.add_argument(
        "--trickle",
        type=_positive_float,
        default=None,
        metavar="SECONDS",
        help="add a new document to every realm every SECONDS seconds",
    )
    parser.set_defaults(command_run=run)


def _data_dir(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return Path(args.data)
    base = getattr(args, "ferry_data_dir", None)
    if base is None:
        from platformdirs import user_data_dir

        base = user_data_dir("Ferry", appauthor=False)
    return Path(base) / "sandbox"


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; returns the process exit code."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from app.sandbox.server import SandboxServer

    data_dir = _data_dir(args)
    server = SandboxServer(
        data_dir,
        port=args.port,
        seed_documents=args.seed_documents,
        trickle_s=args.trickle,
        log_level="info",
    )
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            url = server.start()
        except OSError as exc:
            print(f"ferry sandbox: {exc}", file=sys.stderr)
            return 2
        print(f"Ferry sandbox platform listening on {url}", flush=True)
        print(f"  data: {data_dir}   login: demo / demo   realms: be nl fr lu", flush=True)
        while not stop.wait(0.5):
            if not server.running:
                print("ferry sandbox: the server stopped unexpectedly", file=sys.stderr)
                return 1
        print("Stopping the sandbox platform...", flush=True)
        server.stop()
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.stop()
