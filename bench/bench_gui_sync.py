"""The GUI thread while the real engine syncs 2,000 documents into a table of 100,000.

Run: .venv/bin/python bench/bench_gui_sync.py [--documents 2000] [--history 100000]
        [--size 100000] [--clients 20] [--engine process|thread] [--window shown|hidden]
        [--sandbox process|thread] [--screen auto|xvfb|offscreen] [--profile FILE]

Nothing is simulated: a real sandbox platform (``SandboxServer``, in its own process by default,
as the real platform is another machine; ``--sandbox thread`` runs it in this process as
``python -m app --demo`` does) holds ``--documents`` documents of ``--size`` bytes for
``--clients`` clients; a logged-in Ferry home links them all; the real engine
(``EngineProcess``, in a child process, as ``FerryApp`` runs it) syncs them and posts its events
through the real ``EngineBridge`` into the real ``MainWindow`` (its ``StatusView`` already
holding ``--history`` documents in its state file, which it reads its table from as
``FerryApp`` makes it) and the real
``TrayController``, wired as ``FerryApp._wire`` wires them, on a real Qt event loop: a virtual X
screen (Xvfb, with the trayer tray host when installed, so the tray icon is real too) when Xvfb
exists, Qt's offscreen platform otherwise.

A 5 ms heartbeat timer on the GUI thread records every gap between its beats from the engine's
start until every document shows Forwarded; the longest gap is the longest stall a person
would feel. Two rounds:

1. first sync: the engine starts on a fresh home with the documents waiting (its start:
   login refresh, clients loaded and named in the table, first pass), the table in its
   default order (newest first);
2. resume: the engine is paused, as many documents again arrive, the table is sorted by
   status with two rows selected (every batch then moves rows inside the 100,000), and the
   engine is resumed.

Each batch the bridge hands over is timed (the table's ``apply_changes``, the rest: tray,
notifier, today's count), and so is every garbage collection and the GUI thread's own CPU time
in each gap (a gap much longer than that CPU time is the thread waiting: for the GIL, which the
engine's thread holds, or for a CPU), so a stall can be explained; the longest gaps are listed
with what was seen in them. ``--profile FILE`` writes a cProfile of the GUI thread.

What else can be varied, to find where a stall comes from:
``--engine thread`` runs the engine on a thread of this process instead (``EngineThread``, as
Ferry did before: the GUI then shares its GIL with the engine, which is what stalled it);
``--window
hidden`` leaves the window hidden, as ``FerryApp`` does when a tray exists (nothing to paint);
``--engine-nice`` (thread only) and ``--sandbox-nice`` set CPU priorities (the sandbox runs
at nice 19 by default: the real platform is another computer and does not take the user's CPU).

Target (issue 7): no stall over 50 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STALL_TARGET_S = 0.050
HEARTBEAT_MS = 5
REALM = "be"
KINDS = ("purchase", "sales", "statement", "receipt", "other")
TIMEOUT_S = 300.0


# -- a screen: Xvfb with a tray host, or Qt's offscreen platform ---------------------------------


def _die_with_parent() -> None:
    """In the child: SIGTERM when this process dies, however it dies (Linux)."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextmanager
def virtual_screen(kind: str = "auto") -> Iterator[str]:
    """Pick Qt's platform before the QApplication exists; yields a description.

    ``auto``: a private Xvfb screen (with trayer, when installed, as the tray host) if Xvfb is
    installed, else the offscreen platform. ``xvfb`` insists on Xvfb; ``offscreen`` never
    starts one. ``QT_QPA_PLATFORM`` set by the caller wins over all of it.
    """
    if os.environ.get("QT_QPA_PLATFORM"):
        yield f"{os.environ['QT_QPA_PLATFORM']} (from QT_QPA_PLATFORM)"
        return
    if kind == "offscreen" or (kind == "auto" and not shutil.which("Xvfb")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        yield "offscreen (no screen, no tray)"
        return
    if not shutil.which("Xvfb"):
        raise SystemExit("Xvfb is not installed: run scripts/setup, or use --screen offscreen")
    processes: list[subprocess.Popen[bytes]] = []
    read, write = os.pipe()
    processes.append(
        subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
    )
    os.close(write)
    with os.fdopen(read) as stream:
        number = stream.readline().strip()
    if not number:
        raise RuntimeError("Xvfb did not start")
    os.environ["DISPLAY"] = f":{number}"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    tray = "no tray host"
    if shutil.which("trayer"):
        processes.append(
            subprocess.Popen(
                ["trayer", "--edge", "top"],
                stderr=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        )
        time.sleep(0.5)  # the tray host must own the tray before Qt looks for it
        tray = "trayer as tray host"
    try:
        yield f"xcb on Xvfb :{number} ({tray})"
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(10)


# -- the platform: clients, documents, a logged-in home ------------------------------------------


class Platform:
    """The sandbox, in its own process (with a request counter) or in this one."""

    def __init__(self, where: str, data: Path, nice: int) -> None:
        self.where = where
        self._process: Any = None
        self._server: Any = None
        if where == "process":
            from bench_engine import Sandbox

            self._process = Sandbox.start(data)
            self.url = self._process.url
            renice(self._process.process.pid, nice)
        else:
            from app.sandbox.server import SandboxServer

            self._server = SandboxServer(data, port=0, seed_documents=0)
            self.url = self._server.start()

    def stop(self) -> None:
        if self._process is not None:
            self._process.stop()
        if self._server is not None:
            self._server.stop()


def renice(pid: int, nice: int) -> None:
    """Every thread of a process to ``nice`` (Linux: a priority is per thread)."""
    if not nice or not Path(f"/proc/{pid}/task").is_dir():
        return
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.setpriority(os.PRIO_PROCESS, int(task.name), nice)


def add_clients(url: str, count: int) -> dict[str, str]:
    """``count`` clients that share their documents; id -> name."""
    from bench_engine import belgian_vat

    from app.sandbox.testkit import SandboxAdmin

    rng = random.Random(5)
    prefixes = ("Bakkerij", "Garage", "Boulangerie", "Brasserie", "Cabinet", "Atelier")
    names = ("Peeters", "Janssens", "Maes", "Dubois", "Lambert", "Claes", "Wouters")
    clients: dict[str, str] = {}
    with SandboxAdmin(url) as admin:
        for index in range(count):
            name = f"{rng.choice(prefixes)} {rng.choice(names)} {index + 1} BV"
            client = admin.add_client(
                REALM, name, belgian_vat(rng), accounting_file_id=f"B{index + 1:04d}"
            )
            clients[client.id] = name
    return clients


def upload(url: str, clients: list[str], count: int, size: int, prefix: str) -> list[str]:
    """``count`` documents spread over the clients and kinds, four uploads at a time; their ids
    (before the measurement: nothing of this runs while the heartbeat does)."""
    from bench_engine import pdf_bytes

    from app.sandbox.testkit import SandboxAdmin

    local = threading.local()

    def one(index: int) -> str:
        if not hasattr(local, "admin"):
            local.admin = SandboxAdmin(url, timeout=120)
        rng = random.Random(f"{prefix}-{index}")
        content = pdf_bytes(rng, size)
        document = local.admin.add_document(
            REALM,
            clients[index % len(clients)],
            KINDS[index % len(KINDS)],
            [(f"{prefix}-{index:05d}.pdf", content, "application/pdf")],
            number=f"{prefix.upper()}-{index:05d}",
            issue_date=dt.date(2026, 1 + index % 12, 1 + index % 28),
            amount=f"{rng.uniform(5, 25_000):.2f}",
            currency="EUR",
        )
        return str(document.id)

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, range(count)))


def logged_in_home(url: str, root: Path, clients: list[str], output: Path) -> tuple[Any, str]:
    """A Ferry home logged in to the sandbox, one destination, every client linked; and a
    refresh token for it (kept in memory only, as the demo keeps it)."""
    from bench_engine import prepare_home

    from app.sandbox.testkit import login_with_password
    from app.settings import ClientLink, Destination, Settings, save_settings

    home = prepare_home(url, root, clients[0], output)
    template = str(output / "[enterprise_name]" / "[document_type]" / "[year]")
    save_settings(
        home.settings_dir,
        Settings(
            destinations=[Destination(name="Bench", general_path=template)],
            links=[
                ClientLink(
                    client_id=client,
                    destinations=["Bench"],
                    since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
                )
                for client in clients
            ],
        ),
    )
    return home, login_with_password(url, REALM).refresh_token


def history_rows(count: int, clients: dict[str, str]) -> list[Any]:
    """The table's history, as ``FerryApp._history_read`` builds it from the state store: the
    platform's real client ids, shown by id until the engine's client list names them."""
    from bench_table import make_rows

    rows = make_rows(count, {client_id: client_id for client_id in clients})
    return rows


# -- the measurement -----------------------------------------------------------------------------


@dataclass
class Block:
    """One stretch of work on the GUI thread the benchmark can name."""

    label: str
    start: float
    seconds: float


@dataclass
class Round:
    name: str
    documents: int
    started: float = 0.0
    first_event: float = 0.0
    all_forwarded: float = 0.0
    ended: float = 0.0
    beats: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # the GUI thread's CPU time at each beat
    blocks: list[Block] = field(default_factory=list)
    batches: list[int] = field(default_factory=list)
    collections: list[Block] = field(default_factory=list)

    def gaps(self) -> list[tuple[float, float]]:
        """(gap seconds, moment it ended) between consecutive beats."""
        return [(b - a, b) for a, b in zip(self.beats, self.beats[1:], strict=False)]

    def busy(self, ended: float) -> float:
        """CPU seconds the GUI thread itself spent in the gap that ended at ``ended``."""
        i = self.beats.index(ended)
        return self.cpu[i] - self.cpu[i - 1] if i else 0.0


class Recorder:
    """The heartbeat, the batch timings and the garbage collections of the current round."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.round: Round | None = None
        self._gui_thread = threading.get_ident()
        self._batch_start = 0.0
        self._gc_start: dict[int, float] = {}
        self.heartbeat = QTimer()
        self.heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
        self.heartbeat.setInterval(HEARTBEAT_MS)
        self.heartbeat.timeout.connect(self._beat)
        gc.callbacks.append(self._on_gc)

    def begin(self, current: Round) -> None:
        self.round = current
        self._beat()
        self.heartbeat.start()

    def end(self) -> None:
        self.heartbeat.stop()
        if self.round is not None:
            self.round.ended = time.perf_counter()
        self.round = None

    def close(self) -> None:
        self.heartbeat.stop()
        gc.callbacks.remove(self._on_gc)

    def _beat(self) -> None:
        if self.round is not None:
            self.round.beats.append(time.perf_counter())
            self.round.cpu.append(time.thread_time())

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        thread = threading.get_ident()
        if phase == "start":
            self._gc_start[thread] = now
            return
        began = self._gc_start.pop(thread, now)
        if self.round is not None:
            where = "GUI" if thread == self._gui_thread else "engine/other"
            label = f"gc gen {info.get('generation')} on {where} thread"
            self.round.collections.append(Block(label, began, now - began))

    def timed(self, label: str, slot: Callable[[Any], Any]) -> Callable[[Any], None]:
        """``slot`` as connected by FerryApp, with its time on the GUI thread recorded."""

        def run(argument: Any) -> None:
            start = time.perf_counter()
            slot(argument)
            if self.round is not None:
                self.round.blocks.append(Block(label, start, time.perf_counter() - start))

        return run

    def batch_started(self, batch: list[Any]) -> None:
        self._batch_start = time.perf_counter()
        if self.round is not None:
            self.round.batches.append(len(batch))
            if not self.round.first_event:
                self.round.first_event = self._batch_start

    def batch_finished(self, _batch: list[Any]) -> None:
        if self.round is not None:
            now = time.perf_counter()
            self.round.blocks.append(
                Block("whole batch (every slot)", self._batch_start, now - self._batch_start)
            )


class Gui:
    """The app's parts, wired as ``FerryApp._wire`` wires them (FerryApp itself also claims
    the single-instance lock and starts its own engine; the benchmark needs the engine's start
    in its hands)."""

    def __init__(self, recorder: Recorder) -> None:
        from app.core.language import Language
        from app.gui.bridge import EngineBridge
        from app.gui.main_window import MainWindow
        from app.gui.tray import TrayController

        self.recorder = recorder
        self.bridge = EngineBridge()
        self.tray = TrayController()
        self.window = MainWindow(language=Language.EN, tray_available=self.tray.available)
        self.view = self.window.status_view
        self.watched: set[str] = set()
        self.forwarded: set[str] = set()
        self.errors: dict[str, str] = {}
        self.forwarded_before = 0
        self._today = 0
        bridge, view = self.bridge, self.view
        # The first and last connections bracket every slot of a batch (Qt calls a signal's
        # direct connections in the order they were made).
        bridge.documents_changed.connect(recorder.batch_started)
        bridge.documents_changed.connect(recorder.timed("table apply_changes", view.apply_changes))
        bridge.documents_changed.connect(recorder.timed("today's count", self._count_today))
        bridge.clients_loaded.connect(recorder.timed("clients loaded", self._on_clients))
        bridge.state_changed.connect(recorder.timed("state changed", self.window.show_state))
        bridge.run_finished.connect(
            recorder.timed("run finished", self.window.activity_view.model.add_finished)
        )
        self.tray.attach(bridge)  # the tray's own slots: state icon, notifier
        bridge.documents_changed.connect(self._watch)
        bridge.documents_changed.connect(recorder.batch_finished)

    def _on_clients(self, event: Any) -> None:  # FerryApp._on_clients
        self.view.set_client_names({c.id: c.name for c in event.clients})

    def _count_today(self, documents: list[Any]) -> None:  # FerryApp._count_today
        self._today += sum(1 for d in documents if d.status == "forwarded")
        errors = self.view.model.count("error")
        self.tray.show_counts(errors=errors, today=self._today, last_delivery=None)

    def _watch(self, documents: list[Any]) -> None:
        current = self.recorder.round
        for document in documents:
            if document.document_id in self.watched:
                if document.status == "forwarded":
                    self.forwarded.add(document.document_id)
                elif document.status == "error":
                    self.errors[document.document_id] = document.message or ""
        if current is not None and not current.all_forwarded and self.watched <= self.forwarded:
            current.all_forwarded = time.perf_counter()

    def shown_forwarded(self) -> int:
        """How many more documents the table itself counts as Forwarded than before the round
        (it reads its counts from the state, issue 18)."""
        from PySide6.QtWidgets import QApplication

        model = self.view.model
        app = QApplication.instance()
        assert app is not None
        deadline = time.perf_counter() + TIMEOUT_S
        while getattr(model, "busy", False) and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.005)
        return model.count("forwarded") - self.forwarded_before


def run_until(app: Any, done: Callable[[], bool], timeout: float) -> None:
    """Run the Qt event loop (not a busy loop: the heartbeat must be the only timer of note)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.perf_counter() + timeout

    def check() -> None:
        if done() or time.perf_counter() > deadline:
            loop.quit()

    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(50)
    loop.exec()
    poll.stop()


def measure_round(
    app: Any,
    gui: Gui,
    recorder: Recorder,
    current: Round,
    ids: list[str],
    go: Callable[[], None],
) -> None:
    gui.watched, gui.forwarded, gui.errors = set(ids), set(), {}
    gui.forwarded_before = gui.view.model.count("forwarded")
    recorder.begin(current)
    run_until(app, lambda: False, 0.5)  # the quiet before: the heartbeat's own jitter
    current.started = time.perf_counter()
    go()
    run_until(app, lambda: bool(current.all_forwarded) or len(gui.errors) > 0, TIMEOUT_S)
    run_until(app, lambda: False, 0.5)  # what follows the last batch: the run's end, the state
    recorder.end()
    if gui.errors:
        sample = next(iter(gui.errors.values()))
        raise RuntimeError(f"{len(gui.errors)} document(s) ended in Error, e.g.: {sample}")
    if not current.all_forwarded:
        raise RuntimeError(f"only {len(gui.forwarded)} of {len(ids)} forwarded in {TIMEOUT_S} s")
    shown = gui.shown_forwarded()
    if shown != len(ids):
        raise RuntimeError(f"the table shows {shown} of {len(ids)} as Forwarded")


# -- the report ----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def explain(current: Round, gap: float, ended: float) -> str:
    """What the GUI thread was seen doing during a gap."""
    began = ended - gap
    inside = [
        b
        for b in current.blocks + current.collections
        if b.start < ended and b.start + b.seconds > began and b.seconds >= 0.001
    ]
    cpu = f"GUI thread on CPU {current.busy(ended) * 1000:.0f} ms of it"
    words = ", ".join(dict.fromkeys(f"{b.label} {b.seconds * 1000:.0f} ms" for b in inside))
    return f"{cpu}; {words or 'no timed slot over 1 ms (painting; waiting for the GIL or a CPU)'}"


def rows_for(current: Round) -> list[tuple[str, str, str, str]]:
    during = [(g, t) for g, t in current.gaps() if t > current.started]
    before = [g for g, t in current.gaps() if t <= current.started]
    gaps = [g for g, _ in during]
    longest, at = max(during) if during else (0.0, current.started)
    batch_times = [b.seconds for b in current.blocks if b.label == "whole batch (every slot)"]
    table_times = [b.seconds for b in current.blocks if b.label == "table apply_changes"]
    gui_gc = [b.seconds for b in current.collections if "GUI" in b.label]
    any_gc = [b.seconds for b in current.collections]
    stalls = sum(1 for g in gaps if g > STALL_TARGET_S)
    ok = longest <= STALL_TARGET_S

    def ms(value: float) -> str:
        return f"{value * 1000:,.1f} ms"

    return [
        (
            f"{current.name}: longest GUI stall",
            ms(longest),
            f"< {STALL_TARGET_S * 1000:.0f} ms {'PASS' if ok else 'FAIL'}",
            f"{(at - current.started):.2f} s in; {explain(current, longest, at)}",
        ),
        (
            "   heartbeat gap p99 / p50",
            f"{ms(percentile(gaps, 0.99))} / {ms(percentile(gaps, 0.5))}",
            "",
            f"{len(gaps):,} beats of {HEARTBEAT_MS} ms; {stalls} gap(s) over "
            f"{STALL_TARGET_S * 1000:.0f} ms; before the sync: longest {ms(max(before or [0]))}",
        ),
        (
            f"   time until all {current.documents:,} show Forwarded",
            f"{current.all_forwarded - current.started:,.2f} s",
            "",
            f"first batch after {current.first_event - current.started:.2f} s; "
            f"{current.documents / (current.all_forwarded - current.started):,.0f} documents/s",
        ),
        (
            "   batches from the bridge",
            f"{len(current.batches)}",
            "",
            f"{statistics.mean(current.batches) if current.batches else 0:,.0f} documents "
            f"each on average, {max(current.batches or [0])} at most",
        ),
        (
            "   longest batch on the GUI thread",
            ms(max(batch_times or [0])),
            "",
            f"of which the table's apply_changes {ms(max(table_times or [0]))} "
            f"(mean {ms(statistics.mean(table_times) if table_times else 0)})",
        ),
        (
            "   longest garbage collection",
            ms(max(gui_gc or [0])),
            "",
            f"on the GUI thread ({len(gui_gc)} collections); any thread {ms(max(any_gc or [0]))}",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=100_000, help="bytes per document")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--engine",
        choices=("process", "thread"),
        default="process",
        help="process: EngineProcess, as FerryApp runs it; thread: EngineThread in this "
        "process (shares the GUI's GIL)",
    )
    parser.add_argument(
        "--sandbox-nice",
        type=int,
        default=19,
        metavar="N",
        help="the sandbox process's nice value (default 19: the real platform is another "
        "computer, its CPU is not the user's; 0 lets it compete with the app)",
    )
    parser.add_argument(
        "--engine-nice",
        type=int,
        default=0,
        metavar="N",
        help="the engine thread's nice value (--engine thread; Linux schedules threads)",
    )
    parser.add_argument("--sandbox", choices=("process", "thread"), default="process")
    parser.add_argument("--screen", choices=("auto", "xvfb", "offscreen"), default="auto")
    parser.add_argument(
        "--switch-interval",
        type=float,
        metavar="S",
        help="sys.setswitchinterval(S) first (Python's default: 0.005 s)",
    )
    parser.add_argument(
        "--window",
        choices=("shown", "hidden"),
        default="shown",
        help="hidden: as FerryApp leaves it when a tray exists (nothing to paint)",
    )
    parser.add_argument("--gaps", type=int, default=5, help="longest gaps listed per round")
    parser.add_argument("--profile", type=Path, metavar="FILE", help="cProfile of the GUI thread")
    args = parser.parse_args()
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    with (
        virtual_screen(args.screen) as screen,
        tempfile.TemporaryDirectory(prefix="ferry-bench-gui-") as scratch,
    ):
        return run(args, screen, Path(scratch))


def run(args: argparse.Namespace, screen: str, work: Path) -> int:
    from bench_engine import memory_store
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.engine.messages import Pause, Resume
    from app.engine.process import EngineProcess
    from app.engine.thread import EngineThread
    from app.gui.document_rows import Column

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    platform = Platform(args.sandbox, work / "sandbox", args.sandbox_nice)
    engine: EngineThread | EngineProcess | None = None
    recorder = Recorder()
    try:
        setup = time.perf_counter()
        clients = add_clients(platform.url, args.clients)
        ids = upload(platform.url, list(clients), args.documents, args.size, "first")
        home, token = logged_in_home(platform.url, work / "home", list(clients), work / "out")
        gui = Gui(recorder)
        # The history in the home's state, which the window reads its table from as
        # FerryApp._load_history makes it (issue 18); then the window as a person sees it.
        from app.engine.engine import STATE_FILE
        from app.gui.table_model import MemorySource, StoreSource

        state = home.state_dir / STATE_FILE
        writer = MemorySource(state)
        writer.add(history_rows(args.history, clients))
        writer.store.close()
        gui.view.set_source(StoreSource(state))
        gc.freeze()
        gui.window.resize(1400, 800)
        if args.window == "shown":
            gui.window.show()
        run_until(app, lambda: False, 1.0)
        setup_s = time.perf_counter() - setup

        profiler = cProfile.Profile() if args.profile else None
        if profiler is not None:
            profiler.enable()  # this thread only: the GUI's
        first = Round("1. first sync", args.documents)

        def start_engine() -> None:
            nonlocal engine
            secrets = memory_store(home, token)
            if args.engine == "thread":
                engine = EngineThread(home, gui.bridge.post, secrets=secrets)
            else:  # as FerryApp runs it
                engine = EngineProcess(home, gui.bridge.post, secrets=secrets)
            engine.start(wait=False)  # as FerryApp: the GUI never waits on the engine
            if args.engine == "thread" and args.engine_nice:
                for thread in threading.enumerate():
                    if thread.name == "ferry-engine" and thread.native_id is not None:
                        os.setpriority(os.PRIO_PROCESS, thread.native_id, args.engine_nice)

        measure_round(app, gui, recorder, first, ids, start_engine)
        assert engine is not None

        # Round 2: paused, documents arrive, the table sorted by status with a selection.
        engine.send(Pause())
        run_until(app, lambda: gui.tray.state.value == "paused", 30)
        more = upload(platform.url, list(clients), args.documents, args.size, "second")
        header = gui.view.table.horizontalHeader()
        header.setSortIndicator(Column.STATUS, Qt.SortOrder.AscendingOrder)
        gui.view.table.selectRow(3)
        selection = gui.view.table.selectionModel()
        selection.select(
            gui.view.model.index(40, 0),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )
        run_until(app, lambda: False, 0.5)
        second = Round("2. resume, sorted + selection", args.documents)
        running = engine
        measure_round(app, gui, recorder, second, more, lambda: running.send(Resume()))
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
    finally:
        recorder.close()
        if engine is not None:
            engine.stop()
        platform.stop()

    rows = rows_for(first) + rows_for(second)
    worst = max(
        max((g for g, t in r.gaps() if t > r.started), default=0.0) for r in (first, second)
    )
    print(
        f"\nFerry's GUI thread during real engine syncs: {args.documents:,} documents of "
        f"{args.size:,} bytes for {args.clients} clients, into a table already holding "
        f"{args.history:,}\nQt platform {app.platformName()}: {screen}; tray "
        f"{'shown' if gui.tray.available else 'absent'}; sandbox in "
        f"{'its own process' if args.sandbox == 'process' else 'this process'}; engine "
        f"{'on a thread of this process' if args.engine == 'thread' else 'in its own process'}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; setup {setup_s:.0f} s\n"
    )
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for label, value, goal, note in rows:
        print(f"{label:<{widths[0]}}  {value:>{widths[1]}}  {goal:<{widths[2]}}  {note}".rstrip())
    for current in (first, second):
        during = sorted((g for g in current.gaps() if g[1] > current.started), reverse=True)
        print(f"\n{current.name}: the {args.gaps} longest gaps")
        for gap, ended in during[: args.gaps]:
            print(
                f"   {gap * 1000:6.1f} ms at {ended - current.started:6.2f} s: "
                f"{explain(current, gap, ended)}"
            )
    verdict = "met" if worst <= STALL_TARGET_S else "NOT met"
    print(f"\nno stall over {STALL_TARGET_S * 1000:.0f} ms: {verdict}")
    print(
        "Reproduce: .venv/bin/python bench/bench_gui_sync.py "
        f"--documents {args.documents} --history {args.history} --size {args.size} "
        f"--clients {args.clients} --engine {args.engine} --engine-nice {args.engine_nice} "
        f"--sandbox {args.sandbox} --sandbox-nice {args.sandbox_nice} "
        f"--screen {args.screen} --window {args.window}"
    )
    gui.window.close()
    return 0 if worst <= STALL_TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
