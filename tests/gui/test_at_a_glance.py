"""One source of truth for what Ferry says at a glance: the tray's icon and tooltip and the
window's status bar say what the table counts, with every batch of events, during a sync with
failures; today's deliveries and the last sync survive a restart (they are read from the
state with the history).

The whole desktop app on a real engine process against the sandbox platform, a real keyring
and a destination Ferry cannot write (a read-only mount): no count is mocked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.language import Language
from app.engine.messages import EngineState
from app.gui.app import FerryApp
from app.sandbox.server import SandboxServer
from app.sandbox.testkit import SandboxAdmin
from app.settings import Destination
from tests.engine.conftest import Office, logged_in_home

FAILING = 5
DELIVERED = 3


@pytest.fixture
def office(
    sandbox: SandboxServer, secret_service: dict[str, str], tmp_path: Path
) -> Iterator[Office]:
    """An office whose app starts no sandbox of its own (a "custom" server)."""
    admin = SandboxAdmin(sandbox.url)
    admin.clear_faults()
    home = logged_in_home(sandbox, "be", tmp_path / "home", region="custom")
    try:
        yield Office(sandbox, admin, "be", home, tmp_path / "out")
    finally:
        admin.clear_faults()


def _counts_said(app: FerryApp) -> dict[str, object]:
    """The error count as the table, the tray (menu and tooltip) and the status bar say it."""
    model = app.window.status_view.model
    tooltip = app.tray.tooltip()
    status = app.window.state_label.text()
    in_tooltip = re.search(r"(\d+) documents? in error", tooltip)
    in_status = re.search(r"(\d+) documents? could not be delivered", status)
    today = re.search(r"(\d+) documents? today", tooltip)
    return {
        "table": model.count("error"),
        # None: no count said (syncing, up to date)
        "tooltip": int(in_tooltip.group(1)) if in_tooltip else None,
        "status bar": int(in_status.group(1)) if in_status else None,
        "today (table)": model.delivered_today(),
        "today (tooltip)": int(today.group(1)) if today else 0,
    }


def test_the_tray_and_the_status_bar_say_what_the_table_counts_at_every_batch(
    qtbot: QtBot, office: Office, read_only_folder: Path
) -> None:
    good, bad = office.new_client("Goed BV"), office.new_client("Kapot BV", file_id="D00077")
    office.configure(
        [
            Destination(name="Books", general_path=str(office.root / "[accounting_file_id]")),
            Destination(name="Locked", general_path=f"{read_only_folder}/[accounting_file_id]"),
        ],
        {good.id: ["Books"], bad.id: ["Locked"]},
    )
    for _ in range(DELIVERED):
        office.add(good, "purchase")
    for _ in range(FAILING):
        office.add(bad, "sales")
    app = FerryApp(office.home, language=Language.EN)
    assert app.start()  # its window is deleted below with it: not handed to qtbot
    seen: list[dict[str, object]] = []
    model = app.window.status_view.model
    # after the app's own slot has run for this batch (connected first, so it runs first)
    model.counts_changed.connect(lambda: seen.append(_counts_said(app)))
    app.bridge.state_changed.connect(lambda _event: seen.append(_counts_said(app)))
    try:
        qtbot.waitUntil(
            lambda: model.count("error") == FAILING and model.count("forwarded") == DELIVERED,
            timeout=60_000,
        )
        qtbot.waitUntil(lambda: app.tray.state is EngineState.ERRORS, timeout=30_000)
        assert seen, "the table never told its counts"
        for said in seen:  # at every batch, not only at the end: a count said is the table's
            for where in ("tooltip", "status bar"):
                assert said[where] in (None, said["table"]), said
            assert said["today (tooltip)"] == said["today (table)"], said
        assert any(said["tooltip"] is not None for said in seen)
        final = _counts_said(app)
        assert final == {
            "table": FAILING,
            "tooltip": FAILING,
            "status bar": FAILING,
            "today (table)": DELIVERED,
            "today (tooltip)": DELIVERED,
        }, (final, app.tray.tooltip(), app.window.state_label.text())
        assert "last sync" in app.tray.tooltip() and "last sync" in app.window.state_label.text()
    finally:
        app.shutdown()
        for thing in (app.instance, app.window, app):
            thing.deleteLater()
        qtbot.wait(50)

    # a restart: today's count and the last sync come back with the history, not from zero
    again = FerryApp(office.home, language=Language.EN)
    assert again.start()
    qtbot.addWidget(again.window)
    try:
        qtbot.waitUntil(
            lambda: again.window.status_view.model.count("forwarded") == DELIVERED,
            timeout=60_000,
        )
        qtbot.waitUntil(lambda: f"{DELIVERED} documents today" in again.tray.tooltip())
        last = again.window.status_view.model.last_delivery()
        assert last is not None and abs(last - dt.datetime.now().timestamp()) < 600
        assert "last sync" in again.tray.tooltip()
    finally:
        again.shutdown()


def test_a_burst_of_five_failures_is_one_notification_counting_five(
    qtbot: QtBot, office: Office, read_only_folder: Path
) -> None:
    """After the first import, five documents fail as the feed brings them (in batches of
    whatever size the engine and the bridge make): one notification names the first and
    counts the others; a later failure of the same cause adds none."""
    bad = office.new_client("Kapot BV", file_id="D00077")
    office.configure(
        [Destination(name="Locked", general_path=f"{read_only_folder}/[accounting_file_id]")],
        {bad.id: ["Locked"]},
    )
    app = FerryApp(office.home, language=Language.EN)
    assert app.start()
    qtbot.addWidget(app.window)
    told: list[tuple[str, str]] = []
    app.tray.notified.connect(lambda title, text: told.append((title, text)))
    try:
        qtbot.waitUntil(lambda: app.tray.state is EngineState.UP_TO_DATE, timeout=60_000)
        assert not app.tray.notifier.in_first_import
        for _ in range(5):
            office.add(bad, "sales")
        model = app.window.status_view.model
        qtbot.waitUntil(lambda: model.count("error") == 5, timeout=60_000)
        settle = app.tray.notifier.settle_s
        qtbot.waitUntil(lambda: bool(told), timeout=int((settle + 20) * 1000))
        qtbot.wait(int(settle * 1000) + 1000)  # nothing follows for the other four
        assert len(told) == 1, told
        title, text = told[0]
        assert title == "5 documents could not be delivered"
        assert "and 4 other documents could not be delivered" in text

        office.add(bad, "sales")  # the same cause again: already told
        qtbot.waitUntil(lambda: model.count("error") == 6, timeout=60_000)
        qtbot.wait(int(settle * 1000) + 1000)
        assert len(told) == 1, told
    finally:
        app.shutdown()
