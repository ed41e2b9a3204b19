"""*Retry* has one owner: :meth:`Engine.retry`. The GUI's ``Retry`` command (through the
running engine's command queue) and ``ferry retry`` both go through it, so the same failed
documents end up queued the same way whoever asks."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from app.cli import main
from app.core.kinds import DeliveryStatus
from app.engine.engine import Engine, RetryOutcome
from app.engine.messages import Retry, Stop
from app.settings import Destination
from tests.engine.conftest import Office
from tests.engine.helpers import ferry

_EVERYTHING = 1e18  # a moment after every scheduled attempt


def test_ferry_retry_and_the_guis_retry_go_through_engine_retry(  # type: ignore[no-untyped-def]
    office: Office, read_only_folder, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    client = office.new_client("Retry BV")
    office.configure(
        [Destination(name="RO", general_path=f"{read_only_folder}/[year]")], {client.id: ["RO"]}
    )
    failed = sorted(office.add(client, kind).id for kind in ("purchase", "sales"))
    synced = ferry(office, "sync", "--once")
    assert synced.returncode == 1 and "2 in error" in synced.stdout, synced.stdout

    seen: list[tuple[str, RetryOutcome, list[tuple[str, str]]]] = []
    original = Engine.retry

    async def spy(
        engine: Engine, document_ids: Sequence[str] | None = None, *, all_errors: bool = False
    ) -> RetryOutcome:
        outcome = await original(engine, document_ids, all_errors=all_errors)
        queue = sorted(
            (item.document_id, item.reason) for item in engine.store.due(10_000, _EVERYTHING)
        )
        seen.append(("all" if all_errors else "named", outcome, queue))
        return outcome

    monkeypatch.setattr(Engine, "retry", spy)
    home = str(office.home.settings_dir.parent)

    # The command line, in this process so the spy sees it.
    capsys.readouterr()
    assert main(["--home", home, "--language", "en", "retry", "--all-errors"]) == 1
    out = capsys.readouterr().out
    assert "retry sync: 2 document(s) handled, 0 delivered, 2 in error" in out, out

    # The GUI: what the main window sends, the running engine's command loop handles.
    async def gui() -> None:
        engine = office.engine()
        await engine.open()
        try:
            commands = engine.command_queue()
            commands.put_nowait(Retry(document_ids=failed))
            commands.put_nowait(Stop())
            await engine.run()
        finally:
            await engine.close()

    asyncio.run(gui())

    assert [how for how, _, _ in seen] == ["all", "named"]
    (_, by_cli, cli_queue), (_, by_gui, gui_queue) = seen
    assert sorted(by_cli.queued) == sorted(by_gui.queued) == failed
    assert cli_queue == gui_queue == [(document_id, "retry") for document_id in failed]
    assert not by_gui.unknown and not by_gui.not_failed


def test_ferry_retry_says_what_it_did_not_queue(office: Office, read_only_folder) -> None:  # type: ignore[no-untyped-def]
    client = office.new_client("Half BV")
    writable = office.root / "ok"
    office.configure(
        [
            Destination(name="RO", general_path=f"{read_only_folder}/[year]"),
            Destination(name="OK", general_path=f"{writable}/[year]"),
        ],
        {client.id: ["RO"]},
    )
    sick = office.add(client, "purchase")
    assert ferry(office, "sync", "--once").returncode == 1

    async def outcome() -> RetryOutcome:
        engine = office.engine()
        await engine.open()
        try:
            result = await engine.retry([sick.id, "nope", sick.id])
            queued = [item.document_id for item in engine.store.due(10, _EVERYTHING)]
            assert queued == [sick.id]
            return result
        finally:
            await engine.close()

    result = asyncio.run(outcome())
    assert result == RetryOutcome(queued=[sick.id], unknown=["nope"], not_failed=[])

    # The folder is fixed (the client now goes to a writable destination): retried, delivered.
    office.configure(
        [
            Destination(name="RO", general_path=f"{read_only_folder}/[year]"),
            Destination(name="OK", general_path=f"{writable}/[year]"),
        ],
        {client.id: ["OK"]},
    )
    fixed = ferry(office, "--language", "fr", "retry", sick.id, "nope")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Ferry ne connaît aucun document nope" in fixed.stdout
    assert "1 livré(s), 0 en erreur" in fixed.stdout
    assert office.on_platform(sick.id).status is DeliveryStatus.FORWARDED

    again = ferry(office, "retry", sick.id)
    assert again.returncode == 0
    assert f"Not in error and not waiting, so not tried again: {sick.id}" in again.stdout
