"""When to look for an update next: pure, so every case is a plain test.

Thousands of offices installed on the same morning, all checking every six hours on the
hour, would hit the update server together forever: each wait is the interval plus or minus
a random share of it (``jitter``), drawn from a random number the caller passes (so the
tests choose it). After a failure that may pass by itself (the network) the next try comes
sooner, growing to the interval; after a refusal (a bad signature, expired metadata) the
normal interval holds: trying again at once would only repeat it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.updates.failures import UpdateFailure

JITTER = 0.2
FIRST_RETRY = dt.timedelta(minutes=5)
#: the first check after a start: soon, but not in the busy first minutes of syncing
AFTER_START = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class CheckOutcome:
    """The last check: when, and the failure if it failed (None when it worked)."""

    at: dt.datetime
    failure: UpdateFailure | None = None
    #: transient failures in a row before this one
    failures_in_a_row: int = 0


def next_check(
    interval: dt.timedelta,
    last: CheckOutcome | None,
    now: dt.datetime,
    random: float,
    jitter: float = JITTER,
) -> dt.datetime:
    """When the next check is due. ``random`` is in [0, 1): 0.5 means no jitter."""
    if not 0.0 <= random < 1.0:
        raise ValueError(f"random must be in [0, 1), got {random}")
    spread = 1.0 + jitter * (2.0 * random - 1.0)
    if last is None:
        return now + AFTER_START * spread
    if last.failure is not None and last.failure.transient:
        doublings = min(last.failures_in_a_row, 20)
        wait: dt.timedelta = min(FIRST_RETRY * int(2**doublings), interval)
        return last.at + wait * spread
    return last.at + interval * spread


def is_due(due: dt.datetime, now: dt.datetime) -> bool:
    return now >= due
