"""What the status bar says when a person acts: that the action started, then how it ended.

*Send to integrations*, *Retry* and *Sync now* changed nothing visible: the rows moved later,
or not at all when nothing had to. Each action now says at once what it is doing (Qt's
temporary status message, over the state line), and the engine's run of that kind, when it
finishes, says what came of it. The rows move in the table as the engine handles them.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QObject

from app.engine.messages import RunFinished, RunKind

#: How long the status bar keeps each message (ms): long enough to read twice.
STARTED_MS = 15_000
FINISHED_MS = 12_000


class ActionWords(QObject):
    """The words (a QObject, so that Qt's tools see every plural); one per app."""

    def started(self, kind: RunKind, count: int = 0) -> str:
        """An action's first words, before the engine acted on it."""
        if kind is RunKind.RESEND:
            return self.tr("Sending %n document(s) to the integrations again…", "", count)
        if kind is RunKind.RETRY:
            return self.tr("Trying %n document(s) again…", "", count)
        if kind is RunKind.DELIVER_AGAIN:
            return self.tr("Delivering %n document(s) again…", "", count)
        if kind is RunKind.FULL:
            return self.tr(
                "Full sync started: Ferry compares what the platform holds with what was delivered…"
            )
        return self.tr("Syncing now…")

    def not_syncing(self) -> str:
        """An action asked of an engine that is not there (starting, stopped, logged out)."""
        return self.tr("Ferry is not syncing right now: try again once it has started.")

    def finished(self, event: RunFinished) -> str:
        """How the run a person asked for ended: how many delivered, how many not."""
        if event.interrupted:
            return self.tr(
                "Stopped before it was done; Ferry goes on with it when it starts again."
            )
        if event.documents == 0:
            if event.kind == RunKind.INCREMENTAL:
                return self.tr("Synced: nothing new on the platform.")
            return self.tr("Done: there was nothing to do.")
        words = self.tr("Done: %n document(s) delivered.", "", event.delivered)
        if event.failed:
            words += " " + self.tr(
                "%n could not be delivered: see the Documents tab.", "", event.failed
            )
        return words


class Awaited:
    """The kinds of run the person asked for and whose end the status bar will tell."""

    def __init__(self) -> None:
        self._kinds: Counter[str] = Counter()

    def expect(self, kind: RunKind) -> None:
        self._kinds[kind.value] += 1

    def finished(self, event: RunFinished) -> bool:
        """Whether ``event`` ends a run the person asked for (each told once)."""
        if self._kinds[event.kind] <= 0:
            return False
        self._kinds[event.kind] -= 1
        return True
