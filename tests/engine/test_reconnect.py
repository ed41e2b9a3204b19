"""Back online within 30 s of the platform coming back, whatever the outage lasted
(app/engine/engine.py: the feed's reconnection schedule).

The schedule is pure: these tests walk it through outages of every length instead of waiting
for one. That the feed loop uses it, and comes back online after dropped connections, is
tests/engine/test_engine_faults.py's.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.engine.engine import RECONNECT_MAX_S, reconnect_delay, transient_delay

BACK_WITHIN_S = 30.0


@given(st.integers(min_value=0, max_value=10_000))
def test_no_wait_between_two_tries_is_longer_than_30_s(failures: int) -> None:
    assert 0 < reconnect_delay(failures) <= BACK_WITHIN_S
    assert RECONNECT_MAX_S * 1.2 <= BACK_WITHIN_S


@given(st.floats(min_value=0, max_value=7 * 24 * 3600, allow_nan=False))
def test_after_an_outage_of_any_length_ferry_tries_again_within_30_s(outage_s: float) -> None:
    """The first try after the platform is back comes at most 30 s later."""
    now, failures = 0.0, 0
    while now < outage_s:  # every try during the outage fails
        failures += 1
        now += reconnect_delay(failures)
    assert now - outage_s <= BACK_WITHIN_S


def test_a_95_s_outage_was_up_to_a_minute_late_with_the_per_document_schedule() -> None:
    """Why the feed has a schedule of its own: the documents' (up to 5 minutes between tries)
    came back up to a minute after the platform did, as a new user saw."""
    assert max(transient_delay(5) for _ in range(50)) > 50
    assert max(reconnect_delay(5) for _ in range(50)) <= BACK_WITHIN_S


@given(st.integers(min_value=0, max_value=50), st.floats(min_value=31, max_value=3600))
def test_the_platform_s_retry_after_wins_when_it_asks_for_more(
    failures: int, retry_after: float
) -> None:
    assert reconnect_delay(failures, retry_after) == retry_after
