"""Why the engine cannot start, as data (issue 17): each code made by a real situation — a
home whose lock another process holds, nobody logged in, a state file that is not a database,
a damaged, invalid or unreadable settings file — asserted by its code and parameters, carried
from the engine's process to the app, and said in English, French and Dutch by each face: the
app's window, the command line in its ``--language``, the service's Event Log in Ferry's
language (its log line in English, as the whole log).

The newer-file refusals (state and settings) are in tests/upgrade.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.auth.account import StoredLogin, save_login
from app.core.language import Language
from app.core.start_failures import (
    SETTINGS_CODES,
    StartFailure,
    StartFailureCode,
    cannot_sync,
    describe,
)
from app.engine.engine import LOCK_FILE, STATE_FILE, Engine, EngineError
from app.engine.messages import EngineState, Event, StateChanged
from app.engine.process import EngineProcess
from app.engine.thread import EngineThread
from app.home import FerryHome
from app.settings import SettingsError, load_settings, settings_path
from tests.engine.conftest import Office, office  # noqa: F401 - a fixture, used by name
from tests.engine.helpers import ferry_in

REPO = Path(__file__).resolve().parents[1]

#: Words that give English away in a French or Dutch sentence (not "is" or "stop": Dutch too).
ENGLISH = (
    "the",
    "was",
    "written",
    "newer",
    "cannot",
    "not",
    "running",
    "already",
    "first",
    "damaged",
    "valid",
    "could",
    "nothing",
    "changed",
    "folder",
    "engine did",
    "unexpectedly",
    "logged in",
    "read",
    "sync",
)

#: A value for every parameter any code uses, each one findable in the words.
PARAMS = {
    "home": "/srv/ferry-home",
    "path": "/srv/ferry-home/state/state.db",
    "found": "91",
    "known": "17",
    "version": "3",
    "line": "42",
    "backup": "settings.json.bak",
    "detail": "destinations.0: Value error, xyz-detail",
    "said": "said-by-the-system",
}

#: The parameters each code's words must show.
SHOWN = {
    StartFailureCode.ENGINE_RUNNING_ELSEWHERE: ("home",),
    StartFailureCode.STATE_TOO_NEW: ("path", "found", "known"),
    StartFailureCode.STATE_UNREADABLE: ("path", "said"),
    StartFailureCode.NOT_LOGGED_IN: (),
    StartFailureCode.SETTINGS_TOO_NEW: ("path", "found", "known"),
    StartFailureCode.SETTINGS_UNREADABLE: ("path", "said"),
    StartFailureCode.SETTINGS_DAMAGED: ("path", "line", "backup"),
    StartFailureCode.SETTINGS_INVALID: ("path", "detail"),
    StartFailureCode.SETTINGS_NOT_UPGRADED: ("path", "version", "said"),
    StartFailureCode.DID_NOT_START: (),
    StartFailureCode.ENGINE_NOT_RUNNING: (),
    StartFailureCode.ENDED_UNEXPECTEDLY: (),
}


def english_words(text: str) -> list[str]:
    for value in PARAMS.values():  # the parameters are data, not words
        text = text.replace(value, " ")
    return [w for w in ENGLISH if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I)]


# -- the words ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", list(StartFailureCode))
@pytest.mark.parametrize("language", list(Language))
def test_every_code_is_said_in_every_language_with_its_parameters(
    code: StartFailureCode, language: Language
) -> None:
    assert set(SHOWN) == set(StartFailureCode)
    failure = StartFailure.of(code, **{name: PARAMS[name] for name in SHOWN[code]})
    words = describe(failure, language)
    assert "{" not in words and "?" not in words  # every placeholder filled
    for name in SHOWN[code]:
        assert PARAMS[name] in words, (code, language, name)
    if language is not Language.EN:
        assert words != describe(failure, Language.EN)
        assert english_words(words) == [], (code, language, words)
        assert english_words(cannot_sync(failure, language)) == []
    # a parameter left out shows as "?", never a KeyError
    assert describe(StartFailure(code), language)


def test_a_failure_crosses_as_json_and_an_unknown_code_is_none() -> None:
    failure = StartFailure.of(StartFailureCode.STATE_TOO_NEW, path=Path("/a/b"), found=9, known=8)
    assert failure.params == {"found": "9", "known": "8", "path": str(Path("/a/b"))}
    assert StartFailure.from_json(json.loads(json.dumps(failure.to_json()))) == failure
    assert StartFailure.from_json({"code": "a_later_code", "params": {}}) is None
    assert StartFailure.from_json("garbage") is None


def test_a_stopped_state_without_a_start_failure_is_the_json_of_before() -> None:
    """A face of an earlier Ferry (extra fields forbidden) still reads every state change
    that carries no start failure: the field is left out of the JSON."""
    plain = StateChanged(state=EngineState.STOPPED, detail="x")
    assert "start_failure" not in plain.model_dump_json()
    told = StateChanged(
        state=EngineState.STOPPED,
        detail="x",
        start_failure=StartFailure.of(StartFailureCode.NOT_LOGGED_IN).to_json(),
    )
    again = StateChanged.model_validate_json(told.model_dump_json())
    assert again.why_not_started() == StartFailure.of(StartFailureCode.NOT_LOGGED_IN)


# -- real situations ------------------------------------------------------------------------------

_HOLD_LOCK = """
import sys
from pathlib import Path
from app.os_specific import lock_exclusively
handle = lock_exclusively(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def home(tmp_path: Path) -> FerryHome:
    return FerryHome.under(tmp_path / "home").ensure()


@pytest.fixture
def held(home: FerryHome) -> Iterator[FerryHome]:
    """``home`` whose engine lock another process holds (as a running engine does)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(home.state_dir / LOCK_FILE)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield home
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)


def logged_in(home: FerryHome) -> FerryHome:
    """A login record as ``ferry login`` leaves it (the engine reads the settings before it
    goes to the platform, so no platform is needed to be refused)."""
    save_login(
        home.settings_dir,
        StoredLogin(
            region="be",
            issuer="http://127.0.0.1:9/realms/office",
            api_url="http://127.0.0.1:9/api",
            client_id="ferry",
            subject="demo",
            logged_in_at=dt.datetime.now(dt.UTC),
        ),
    )
    return home


def not_started(home: FerryHome) -> StartFailure:
    with pytest.raises(EngineError) as refused:
        asyncio.run(Engine(home).open())
    return refused.value.failure


def test_another_engine_holding_the_home(held: FerryHome) -> None:
    failure = not_started(held)
    assert failure == StartFailure.of(
        StartFailureCode.ENGINE_RUNNING_ELSEWHERE, home=held.state_dir.parent
    )
    assert describe(failure, Language.FR) == (
        f"un autre moteur Ferry tourne déjà sur {held.state_dir.parent} ; arrêtez-le d'abord "
        "(ou servez-vous de celui qui tourne)"
    )


def test_nobody_logged_in(home: FerryHome) -> None:
    assert not_started(home) == StartFailure(StartFailureCode.NOT_LOGGED_IN)


def test_a_state_file_that_is_not_a_database_is_refused_untouched(home: FerryHome) -> None:
    path = home.state_dir / STATE_FILE
    path.write_bytes(b"this is not SQLite" * 100)
    failure = not_started(home)
    assert failure.code is StartFailureCode.STATE_UNREADABLE
    assert failure.params["path"] == str(path)
    assert "not a database" in failure.params["said"]
    assert path.read_bytes() == b"this is not SQLite" * 100
    assert sorted(p.name for p in home.state_dir.iterdir()) == [LOCK_FILE, STATE_FILE]


def test_a_damaged_settings_file(home: FerryHome) -> None:
    path = settings_path(logged_in(home).settings_dir)
    path.write_text('{"destinations": [\n  {"name": "Books",\n', encoding="utf-8")
    failure = not_started(home)
    assert failure == StartFailure.of(
        StartFailureCode.SETTINGS_DAMAGED, path=path, line=3, backup="settings.json.bak"
    )
    assert describe(failure, Language.NL) == (
        f"{path} is beschadigd (geen JSON op regel 3); de vorige goede kopie is "
        "settings.json.bak in dezelfde map"
    )


def test_an_invalid_settings_file(home: FerryHome) -> None:
    path = settings_path(logged_in(home).settings_dir)
    path.write_text(json.dumps({"destinations": [{"name": "Books"}]}), encoding="utf-8")
    failure = not_started(home)
    assert failure.code is StartFailureCode.SETTINGS_INVALID
    assert failure.params["path"] == str(path)
    assert failure.params["detail"].startswith("destinations.0")
    assert failure.code in SETTINGS_CODES


def test_a_settings_file_that_cannot_be_read(home: FerryHome) -> None:
    path = settings_path(logged_in(home).settings_dir)
    path.mkdir()  # what the system answers for a file it cannot read as one
    with pytest.raises(SettingsError) as refused:
        load_settings(home.settings_dir)
    assert refused.value.failure.code is StartFailureCode.SETTINGS_UNREADABLE
    assert refused.value.failure.params["path"] == str(path)
    assert refused.value.failure.params["said"]
    assert not_started(home) == refused.value.failure


def test_asking_an_engine_that_does_not_run(home: FerryHome) -> None:
    thread = EngineThread(home, lambda event: None)

    async def work(engine: Engine) -> None:
        return None

    with pytest.raises(EngineError) as refused:
        thread.submit(work).result(5)
    assert refused.value.failure == StartFailure(StartFailureCode.ENGINE_NOT_RUNNING)


# -- across the engine's process, and in each face ------------------------------------------------


def _stopped(events: queue.Queue[Event]) -> StateChanged:
    while True:
        event = events.get(timeout=60)
        if isinstance(event, StateChanged) and event.state is EngineState.STOPPED:
            return event


def test_the_engine_process_sends_the_code_not_only_english(held: FerryHome) -> None:
    events: queue.Queue[Event] = queue.Queue()
    engine = EngineProcess(held, events.put)
    engine.start(wait=True)
    try:
        stopped = _stopped(events)
        expected = StartFailure.of(
            StartFailureCode.ENGINE_RUNNING_ELSEWHERE, home=held.state_dir.parent
        )
        assert stopped.why_not_started() == expected
        assert engine.failure == expected
        assert stopped.detail == describe(expected)  # the English, for the log
    finally:
        engine.stop(timeout=10)
    # the engine's own log says it, in English with its code
    log_text = (held.log_dir / "engine.log").read_text(encoding="utf-8")
    assert "the engine cannot start [engine_running_elsewhere]: another Ferry engine" in log_text


def test_the_command_line_says_it_in_its_language(held: FerryHome) -> None:
    root = held.state_dir.parent
    french = ferry_in(root, "--language", "fr", "run", timeout=60)
    assert french.returncode != 0
    assert f"un autre moteur Ferry tourne déjà sur {root}" in french.stderr
    assert english_words(french.stderr.replace("ferry:", "")) == []
    dutch = ferry_in(root, "--language", "nl", "run", timeout=60)
    assert f"er draait al een andere Ferry-engine op {root}" in dutch.stderr


def test_the_service_tells_the_event_log_in_ferrys_language(
    home: FerryHome, caplog: pytest.LogCaptureFixture
) -> None:
    from app.service import windows_service as ws

    settings_path(home.settings_dir).write_text(json.dumps({"language": "fr"}), encoding="utf-8")
    reported: list[tuple[str, bool]] = []
    with caplog.at_level(logging.ERROR, logger="app.service"):
        code = ws.run_engine(home, threading.Event(), lambda text, e: reported.append((text, e)))
    assert code == 1
    assert reported == [
        (
            "Ferry ne peut pas synchroniser : Ferry n'est pas connecté ; connectez-vous d'abord "
            "(« ferry login »)",
            True,
        )
    ]
    # the log stays English, with the code
    assert "the service cannot sync [not_logged_in]: Ferry is not logged in" in caplog.text


def test_the_window_says_it_in_the_persons_language(
    held: FerryHome, qapp: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    from app.gui.app import FerryApp
    from app.gui.i18n import install_translator

    logged_in(held)
    assert install_translator(qapp, Language.FR, cache_dir=tmp_path / "qm") is Language.FR
    ferry = FerryApp(held, language=Language.FR)
    qtbot.addWidget(ferry.window)
    try:
        ferry._start_engine(None)
        words = (
            f"un autre moteur Ferry tourne déjà sur {held.state_dir.parent} ; arrêtez-le "
            "d'abord (ou servez-vous de celui qui tourne)"
        )

        def warned() -> list[QMessageBox]:
            return [
                box
                for box in ferry.window.findChildren(QMessageBox)
                if box.informativeText() == words
            ]

        qtbot.waitUntil(lambda: bool(warned()), timeout=60_000)
        assert ferry.window.state_label.text() == words
    finally:
        ferry.shutdown()
        install_translator(qapp, Language.EN, cache_dir=tmp_path / "qm")


def test_an_engine_process_that_dies_is_said_from_its_code(office: Office) -> None:  # noqa: F811
    """Killed (or crashed) without a word: the app still gets a code, not English."""
    events: queue.Queue[Event] = queue.Queue()
    engine = EngineProcess(office.home, events.put, long_poll_s=20)
    engine.start(wait=True)
    try:
        while True:
            event = events.get(timeout=60)
            if isinstance(event, StateChanged) and event.state is EngineState.UP_TO_DATE:
                break
        assert engine.pid is not None
        os.kill(engine.pid, signal.SIGKILL)
        stopped = _stopped(events)
        assert stopped.why_not_started() == StartFailure(StartFailureCode.ENDED_UNEXPECTEDLY)
        assert engine.failure == StartFailure(StartFailureCode.ENDED_UNEXPECTEDLY)
        assert describe(engine.failure, Language.NL) == (
            "De synchronisatie-engine is onverwacht gestopt. Start Ferry opnieuw om weer te "
            "synchroniseren."
        )
    finally:
        engine.stop(timeout=10)


def test_whoami_says_damaged_settings_in_its_language(home: FerryHome) -> None:
    """``ferry login`` and ``whoami`` read the proxy from the settings first: a damaged file
    is said from its code, in the command line's language."""
    path = settings_path(logged_in(home).settings_dir)
    path.write_text('{"proxy": ', encoding="utf-8")
    dutch = ferry_in(home.state_dir.parent, "--language", "nl", "whoami", timeout=60)
    assert dutch.returncode != 0
    assert f"{path} is beschadigd (geen JSON op regel 1)" in dutch.stderr, dutch.stderr
