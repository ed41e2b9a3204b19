"""The alerts told and not yet over, kept in the state folder so that a restart of the engine
(the service restarted, the computer rebooted, an update applied) does not tell them again.

One small JSON file (``alerts.json``), replaced atomically (:mod:`app.atomic_files`) by the
engine's :class:`~app.alerts.keeper.AlertKeeper` whenever an alert begins or ends, and when it
stops. For each alert: its kind and parameters (its condition's key comes from them), when it
was told, whether it was e-mailed (its end is mailed only then), and for a destination the
documents that could not reach it (one of them delivered there says the folder is back).

A file that cannot be read is set aside in the log, never a reason not to start: the worst is
an alert told a second time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.alerts.watchdog import Alert, AlertKind, iso
from app.atomic_files import write_text_atomic

log = logging.getLogger(__name__)

TOLD_FILE = "alerts.json"
TOLD_VERSION = 1
#: Documents kept per unreachable destination: any one of them delivered there ends it.
BLOCKED_KEPT = 100


@dataclass(frozen=True)
class Told:
    """One alert told, whose end was not told yet."""

    alert: Alert
    told_at: float
    mailed: bool = False
    #: For an unreachable destination: documents that could not reach it.
    blocked: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        return self.alert.key


def load_told(path: Path) -> list[Told]:
    """What :func:`save_told` wrote; nothing when there is no file or it cannot be read (or
    names alerts this Ferry does not know)."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as error:
        log.warning("the alerts told before cannot be read from %s: %s", path, error)
        return []
    told: list[Told] = []
    items = data.get("told") if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else []:
        try:
            params = {str(k): str(v) for k, v in dict(item.get("params") or {}).items()}
            alert = Alert.of(AlertKind(str(item["kind"])), **params)
            blocked = tuple(str(document) for document in item.get("blocked") or ())
            told.append(
                Told(alert, float(item.get("told_at_s", 0.0)), bool(item.get("mailed")), blocked)
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            log.warning("an alert told before is not understood: %r", item)
    return told


def save_told(path: Path, told: Iterable[Told]) -> None:
    """Replace the file with ``told`` (none: the file is removed)."""
    items = [
        {
            "kind": entry.alert.kind.value,
            "params": dict(entry.alert.params),
            "key": entry.key,
            "told_at": iso(entry.told_at),
            "told_at_s": entry.told_at,
            "mailed": entry.mailed,
            "blocked": sorted(entry.blocked)[:BLOCKED_KEPT],
        }
        for entry in sorted(told, key=lambda entry: entry.key)
    ]
    if not items:
        path.unlink(missing_ok=True)
        return
    text = json.dumps({"version": TOLD_VERSION, "told": items}, indent=2, ensure_ascii=False)
    write_text_atomic(path, text + "\n")
