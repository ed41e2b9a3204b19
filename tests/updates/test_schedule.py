"""When the next check comes: jittered around the interval, sooner after a network fault
(growing back to the interval), never sooner after a refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from app.updates.failures import UpdateFailure, UpdateFailureCode
from app.updates.schedule import AFTER_START, FIRST_RETRY, CheckOutcome, is_due, next_check

NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
SIX_HOURS = dt.timedelta(hours=6)


def test_the_first_check_comes_some_minutes_after_the_start() -> None:
    assert next_check(SIX_HOURS, None, NOW, random=0.5) == NOW + AFTER_START


def test_checks_are_spread_by_the_jitter_on_both_sides() -> None:
    last = CheckOutcome(at=NOW)
    earliest = next_check(SIX_HOURS, last, NOW, random=0.0)
    latest = next_check(SIX_HOURS, last, NOW, random=0.999999)
    assert earliest == NOW + SIX_HOURS * 0.8
    assert NOW + SIX_HOURS * 1.19 < latest < NOW + SIX_HOURS * 1.2
    assert next_check(SIX_HOURS, last, NOW, random=0.5) == NOW + SIX_HOURS


def test_after_network_faults_the_retry_grows_back_to_the_interval() -> None:
    network = UpdateFailure(UpdateFailureCode.NETWORK, {"said": "refused"})
    waits = [
        next_check(SIX_HOURS, CheckOutcome(NOW, network, n), NOW, random=0.5) - NOW
        for n in range(0, 12)
    ]
    assert waits[0] == FIRST_RETRY
    assert waits[1] == FIRST_RETRY * 2
    assert waits == sorted(waits)
    assert waits[-1] == SIX_HOURS


def test_a_refusal_waits_the_whole_interval() -> None:
    refused = UpdateFailure(UpdateFailureCode.BAD_SIGNATURE)
    due = next_check(SIX_HOURS, CheckOutcome(NOW, refused, 3), NOW, random=0.5)
    assert due == NOW + SIX_HOURS


def test_due_and_a_random_out_of_range() -> None:
    assert is_due(NOW, NOW) and not is_due(NOW + dt.timedelta(seconds=1), NOW)
    with pytest.raises(ValueError):
        next_check(SIX_HOURS, None, NOW, random=1.0)
