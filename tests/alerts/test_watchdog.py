"""The watchdog's rules: each alert raised once per episode, after its threshold, and cleared
once when its condition ends; and its words in English, French and Dutch."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.alerts import words
from app.alerts.watchdog import (
    Alert,
    AlertChange,
    AlertKind,
    Delivered,
    DestinationSeen,
    EngineSeen,
    LoginSeen,
    Observation,
    PausedSeen,
    Thresholds,
    Waiting,
    Watchdog,
    iso,
)
from app.core.language import Language

T0 = 1_780_000_000.0  # 2026-05-28
HOUR = 3600.0
LIMITS = Thresholds(
    nothing_delivered_s=4 * HOUR, unreachable_s=HOUR, login_s=0.0, engine_down_s=300.0
)


def raised(changes: list[AlertChange]) -> list[Alert]:
    return [change.alert for change in changes if change.raised]


def cleared(changes: list[AlertChange]) -> list[Alert]:
    return [change.alert for change in changes if not change.raised]


def kinds(alerts: list[Alert]) -> list[AlertKind]:
    return [alert.kind for alert in alerts]


# -- nothing delivered ------------------------------------------------------------------------


def test_nothing_delivered_is_raised_after_its_threshold_once_then_cleared_by_a_delivery() -> None:
    dog = Watchdog(LIMITS)
    assert dog.observe(Delivered(T0)) == []
    assert dog.observe(Waiting(T0 + 60, 3)) == []
    assert dog.check(T0 + 60 + 4 * HOUR - 1) == []
    changes = dog.check(T0 + 60 + 4 * HOUR)
    # counted from when documents began to wait (later than the last delivery)
    alert = Alert.of(AlertKind.NOTHING_DELIVERED, since=iso(T0 + 60), waiting=3)
    assert changes == [AlertChange(alert, True)]
    assert dog.check(T0 + 4 * HOUR + 60) == []
    assert dog.observe(Waiting(T0 + 5 * HOUR, 7)) == []  # still the same episode
    assert dog.check(T0 + 9 * HOUR) == []
    changes = dog.observe(Delivered(T0 + 10 * HOUR))
    assert cleared(changes) == [alert]  # the end says the episode as it began
    assert raised(changes) == []


def test_a_first_document_after_a_quiet_week_is_not_late() -> None:
    dog = Watchdog(LIMITS)
    dog.observe(Delivered(T0))
    assert dog.observe(Waiting(T0 + 7 * 24 * HOUR, 1)) == []
    assert dog.check(T0 + 7 * 24 * HOUR + 4 * HOUR - 1) == []
    assert kinds(raised(dog.check(T0 + 7 * 24 * HOUR + 4 * HOUR))) == [AlertKind.NOTHING_DELIVERED]


def test_nothing_waiting_is_no_stall_and_ends_one() -> None:
    dog = Watchdog(LIMITS)
    dog.observe(Waiting(T0, 0))
    assert dog.check(T0 + 100 * HOUR) == []
    dog.observe(Waiting(T0 + 100 * HOUR, 2))
    assert kinds(raised(dog.check(T0 + 104 * HOUR))) == [AlertKind.NOTHING_DELIVERED]
    assert kinds(cleared(dog.observe(Waiting(T0 + 105 * HOUR, 0)))) == [AlertKind.NOTHING_DELIVERED]


def test_watching_begins_at_the_first_look_not_at_the_epoch() -> None:
    dog = Watchdog(LIMITS)
    assert dog.observe(Waiting(T0, 5)) == []  # never delivered anything: not late yet
    assert dog.check(T0 + 4 * HOUR - 1) == []
    assert kinds(raised(dog.check(T0 + 4 * HOUR))) == [AlertKind.NOTHING_DELIVERED]


def test_a_stall_whose_cause_is_told_is_not_told_twice() -> None:
    dog = Watchdog(LIMITS)
    dog.observe(Waiting(T0, 5))
    assert kinds(raised(dog.observe(LoginSeen(T0 + 60, needed=True)))) == [AlertKind.LOGIN_NEEDED]
    assert dog.check(T0 + 10 * HOUR) == []  # the login alert says why nothing is delivered
    assert kinds(cleared(dog.observe(LoginSeen(T0 + 10 * HOUR, needed=False)))) == [
        AlertKind.LOGIN_NEEDED
    ]
    # the login works again: the engine gets its time to catch up, then silence is news
    assert dog.check(T0 + 14 * HOUR - 1) == []
    changes = dog.check(T0 + 14 * HOUR)
    assert kinds(raised(changes)) == [AlertKind.NOTHING_DELIVERED]
    assert raised(changes)[0].param("since") == iso(T0 + 10 * HOUR)


def test_a_stall_told_first_stays_told_when_its_cause_shows() -> None:
    dog = Watchdog(LIMITS)
    dog.observe(Waiting(T0, 5))
    assert kinds(raised(dog.check(T0 + 4 * HOUR))) == [AlertKind.NOTHING_DELIVERED]
    changes = dog.observe(LoginSeen(T0 + 5 * HOUR, needed=True))
    assert kinds(raised(changes)) == [AlertKind.LOGIN_NEEDED]
    assert cleared(changes) == []


def test_a_told_stall_lasts_until_a_delivery_whatever_its_cause_does() -> None:
    dog = Watchdog(LIMITS)
    dog.observe(Waiting(T0, 5))
    assert kinds(raised(dog.check(T0 + 4 * HOUR))) == [AlertKind.NOTHING_DELIVERED]
    dog.observe(LoginSeen(T0 + 5 * HOUR, needed=True))
    # the login works again: that ends the login's alert, not the stall (nothing went out)
    changes = dog.observe(LoginSeen(T0 + 6 * HOUR, needed=False))
    assert kinds(cleared(changes)) == [AlertKind.LOGIN_NEEDED]
    assert dog.observe(PausedSeen(T0 + 7 * HOUR, paused=True)) == []
    assert dog.observe(PausedSeen(T0 + 8 * HOUR, paused=False)) == []
    assert "nothing_delivered" in dog.active
    assert kinds(cleared(dog.observe(Delivered(T0 + 9 * HOUR)))) == [AlertKind.NOTHING_DELIVERED]


def test_no_stall_is_counted_while_a_person_paused_syncing() -> None:
    dog = Watchdog(LIMITS)
    dog.observe(Waiting(T0, 5))
    dog.observe(PausedSeen(T0 + HOUR, paused=True))
    assert dog.check(T0 + 30 * HOUR) == []
    assert dog.next_check(T0 + 30 * HOUR) is None
    dog.observe(PausedSeen(T0 + 30 * HOUR, paused=False))
    # counted anew from the resume
    assert dog.check(T0 + 34 * HOUR - 1) == []
    changes = dog.check(T0 + 34 * HOUR)
    assert [a.param("since") for a in raised(changes)] == [iso(T0 + 30 * HOUR)]


# -- destinations -----------------------------------------------------------------------------


def test_an_unreachable_destination_is_raised_after_an_hour_and_cleared_by_a_write() -> None:
    dog = Watchdog(LIMITS)
    assert dog.observe(DestinationSeen(T0, "Winbooks", reachable=False)) == []
    assert dog.observe(DestinationSeen(T0 + 1800, "Winbooks", reachable=False)) == []
    assert dog.check(T0 + HOUR - 1) == []
    alert = Alert.of(AlertKind.DESTINATION_UNREACHABLE, destination="Winbooks", since=iso(T0))
    assert dog.check(T0 + HOUR) == [AlertChange(alert, True)]
    assert dog.observe(DestinationSeen(T0 + 2 * HOUR, "Winbooks", reachable=False)) == []
    assert dog.observe(DestinationSeen(T0 + 3 * HOUR, "Winbooks", reachable=True)) == [
        AlertChange(alert, False)
    ]


def test_each_destination_is_its_own_alert() -> None:
    dog = Watchdog(LIMITS)
    dog.observe(DestinationSeen(T0, "Winbooks", reachable=False))
    dog.observe(DestinationSeen(T0 + 60, "Archive", reachable=False))
    changes = dog.check(T0 + HOUR + 60)
    assert sorted(alert.param("destination") or "" for alert in raised(changes)) == [
        "Archive",
        "Winbooks",
    ]
    assert [
        a.param("destination")
        for a in cleared(dog.observe(DestinationSeen(T0 + 2 * HOUR, "Archive", reachable=True)))
    ] == ["Archive"]
    assert list(dog.active) == ["destination_unreachable|Winbooks"]


def test_a_destination_written_before_its_hour_is_no_alert() -> None:
    dog = Watchdog(LIMITS)
    dog.observe(DestinationSeen(T0, "Winbooks", reachable=False))
    dog.observe(DestinationSeen(T0 + HOUR - 1, "Winbooks", reachable=True))
    dog.observe(DestinationSeen(T0 + HOUR, "Winbooks", reachable=False))
    assert dog.check(T0 + 2 * HOUR - 1) == []  # the hour counts from the new failure


# -- login and engine -------------------------------------------------------------------------


def test_login_needed_is_raised_at_once_and_once() -> None:
    dog = Watchdog(LIMITS)
    assert kinds(raised(dog.observe(LoginSeen(T0, needed=True)))) == [AlertKind.LOGIN_NEEDED]
    assert dog.observe(LoginSeen(T0 + 60, needed=True)) == []
    assert dog.check(T0 + 24 * HOUR) == []
    assert kinds(cleared(dog.observe(Delivered(T0 + 25 * HOUR)))) == [AlertKind.LOGIN_NEEDED]


def test_engine_down_waits_out_a_restart() -> None:
    dog = Watchdog(LIMITS)
    dog.observe(EngineSeen(T0, running=False))
    assert dog.observe(EngineSeen(T0 + 60, running=True)) == []  # a restart, an update
    dog.observe(EngineSeen(T0 + 120, running=False))
    assert dog.check(T0 + 120 + 299) == []
    assert kinds(raised(dog.check(T0 + 420))) == [AlertKind.ENGINE_DOWN]
    assert dog.check(T0 + 10 * HOUR) == []
    assert kinds(cleared(dog.observe(EngineSeen(T0 + 11 * HOUR, running=True)))) == [
        AlertKind.ENGINE_DOWN
    ]


def test_next_check_says_when_a_condition_becomes_an_alert() -> None:
    dog = Watchdog(LIMITS)
    assert dog.next_check(T0) is None
    dog.observe(Waiting(T0, 2))
    dog.observe(DestinationSeen(T0 + 10, "Winbooks", reachable=False))
    assert dog.next_check(T0 + 10) == pytest.approx(HOUR)
    dog.check(T0 + HOUR + 10)
    assert dog.next_check(T0 + HOUR + 10) == pytest.approx(3 * HOUR - 10)


# -- every sequence ---------------------------------------------------------------------------

DESTINATIONS = ["Winbooks", "Archive"]

steps = st.one_of(
    st.tuples(st.just("delivered")),
    st.tuples(st.just("waiting"), st.integers(0, 4)),
    st.tuples(st.just("destination"), st.sampled_from(DESTINATIONS), st.booleans()),
    st.tuples(st.just("login"), st.booleans()),
    st.tuples(st.just("engine"), st.booleans()),
    st.tuples(st.just("paused"), st.booleans()),
    st.tuples(st.just("check")),
)


def _observation(step: tuple[object, ...], at: float) -> Observation | None:
    match step:
        case ("delivered",):
            return Delivered(at)
        case ("waiting", int(count)):
            return Waiting(at, count)
        case ("destination", str(name), bool(reachable)):
            return DestinationSeen(at, name, reachable)
        case ("login", bool(needed)):
            return LoginSeen(at, needed)
        case ("engine", bool(running)):
            return EngineSeen(at, running)
        case ("paused", bool(paused)):
            return PausedSeen(at, paused)
    return None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 3 * HOUR), steps), max_size=60),
    st.sampled_from([LIMITS, Thresholds(60.0, 30.0, 10.0, 20.0), Thresholds(0.0, 0.0, 0.0, 0.0)]),
)
def test_never_two_raises_of_an_alert_without_a_clear_between(
    script: list[tuple[float, tuple[object, ...]]], limits: Thresholds
) -> None:
    dog = Watchdog(limits)
    now = T0
    raised_now: set[str] = set()
    for gap, step in script:
        now += gap
        observation = _observation(step, now)
        changes = dog.observe(observation) if observation is not None else dog.check(now)
        for change in changes:
            key = change.alert.key
            if change.raised:
                assert key not in raised_now, f"{key} raised twice in one episode"
                raised_now.add(key)
                since = dt.datetime.fromisoformat(change.alert.param("since") or "").timestamp()
                threshold = {
                    AlertKind.NOTHING_DELIVERED: limits.nothing_delivered_s,
                    AlertKind.DESTINATION_UNREACHABLE: limits.unreachable_s,
                    AlertKind.LOGIN_NEEDED: limits.login_s,
                    AlertKind.ENGINE_DOWN: limits.engine_down_s,
                }[change.alert.kind]
                assert since + threshold <= now + 1, "raised before its threshold"
                if change.alert.kind is AlertKind.NOTHING_DELIVERED:
                    assert dog.waiting > 0
            else:
                assert key in raised_now, f"{key} cleared without being raised"
                raised_now.discard(key)
        assert set(dog.active) == raised_now
    # whatever happened, a delivery ends a stall and a login alert, and raises nothing
    ended = dog.observe(Delivered(now + 1))
    assert AlertKind.NOTHING_DELIVERED not in {a.kind for a in dog.active.values()}
    assert AlertKind.LOGIN_NEEDED not in {a.kind for a in dog.active.values()}
    assert all(not change.raised for change in ended)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 3 * HOUR), steps), max_size=40))
def test_a_condition_that_lasts_is_always_told(
    script: list[tuple[float, tuple[object, ...]]],
) -> None:
    """Whatever came before, a destination that stays unreachable past its hour, or a login
    that stays refused, is an active alert at the next check."""
    dog = Watchdog(LIMITS)
    now = T0
    for gap, step in script:
        now += gap
        observation = _observation(step, now)
        dog.observe(observation) if observation is not None else dog.check(now)
    dog.observe(DestinationSeen(now, "Winbooks", reachable=False))
    dog.observe(LoginSeen(now, needed=True))
    dog.check(now + HOUR)
    assert "destination_unreachable|Winbooks" in dog.active
    assert "login_needed" in dog.active


# -- words ------------------------------------------------------------------------------------

NOW = dt.datetime.fromtimestamp(T0 + 2 * HOUR, dt.UTC)
EXAMPLES = [
    Alert.of(AlertKind.NOTHING_DELIVERED, since=iso(T0), waiting=12),
    Alert.of(AlertKind.DESTINATION_UNREACHABLE, destination="Winbooks", since=iso(T0)),
    Alert.of(AlertKind.LOGIN_NEEDED, since=iso(T0)),
    Alert.of(AlertKind.ENGINE_DOWN, since=iso(T0)),
]


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("alert", EXAMPLES, ids=lambda alert: alert.kind.value)
@pytest.mark.parametrize("is_raised", [True, False])
def test_every_alert_and_its_end_is_worded_in_every_language(
    alert: Alert, language: Language, is_raised: bool
) -> None:
    change = AlertChange(alert, is_raised)
    title = words.title(change, language)
    sentence = words.text(change, language, now=NOW, zone=dt.UTC)
    assert title and len(title) <= 63  # a Windows balloon's title
    assert "{" not in sentence and "?" not in sentence
    since = dt.datetime.fromtimestamp(T0, dt.UTC).strftime("%H:%M")
    assert since in sentence
    if alert.param("destination"):
        assert "Winbooks" in sentence
    if alert.param("waiting") and is_raised:
        assert "12" in sentence


def test_the_words_differ_per_language_and_name_the_day_when_not_today() -> None:
    change = AlertChange(EXAMPLES[1], True)
    texts = {language: words.text(change, language, now=NOW, zone=dt.UTC) for language in Language}
    assert len(set(texts.values())) == 3
    assert texts[Language.FR].startswith("Le dossier de la destination « Winbooks »")
    assert "niet bereikbaar" in texts[Language.NL]
    tomorrow = NOW + dt.timedelta(days=1)
    assert "28/05/2026 om" in words.text(change, Language.NL, now=tomorrow, zone=dt.UTC)


def test_a_since_that_cannot_be_read_still_makes_a_sentence() -> None:
    change = AlertChange(Alert.of(AlertKind.LOGIN_NEEDED, since="not a time"), True)
    assert "since some time" in words.text(change, Language.EN)


# -- an episode outlives a restart ------------------------------------------------------------


def _told_then_restarted(*observations: Observation) -> tuple[Watchdog, list[Alert]]:
    """A watchdog that told alerts, and a new one (the next engine) given what it told."""
    first = Watchdog(LIMITS)
    told: list[Alert] = []
    for observation in observations:
        told += raised(first.observe(observation))
    assert told
    again = Watchdog(LIMITS)
    again.restore(list(first.active.values()), observations[-1].at + HOUR)
    return again, told


def test_a_login_told_before_a_restart_is_not_told_again_while_it_is_needed() -> None:
    dog, told = _told_then_restarted(LoginSeen(T0, needed=True))
    later = T0 + 2 * HOUR
    assert dog.check(later) == []
    assert dog.observe(LoginSeen(later, needed=True)) == []  # still needed: said already
    assert dog.check(later + 10 * HOUR) == []
    # it works again: its end is told once, with the words it began with
    assert dog.observe(LoginSeen(later + 11 * HOUR, needed=False)) == [AlertChange(told[0], False)]
    assert dog.observe(LoginSeen(later + 11 * HOUR + 1, needed=False)) == []
    # and a new episode is told again
    again = dog.observe(LoginSeen(later + 12 * HOUR, needed=True))
    assert kinds(raised(again)) == [AlertKind.LOGIN_NEEDED]


def test_a_stall_told_before_a_restart_ends_with_a_delivery_or_nothing_waiting() -> None:
    dog, told = _told_then_restarted(Delivered(T0), Waiting(T0, 2), Waiting(T0 + 5 * HOUR, 2))
    assert kinds(told) == [AlertKind.NOTHING_DELIVERED]
    now = T0 + 6 * HOUR
    assert dog.observe(Waiting(now, 2)) == []
    assert dog.check(now + 24 * HOUR) == []  # told once, whatever time passes
    assert dog.observe(Delivered(now + 25 * HOUR)) == [AlertChange(told[0], False)]

    dog, told = _told_then_restarted(Delivered(T0), Waiting(T0, 2), Waiting(T0 + 5 * HOUR, 2))
    assert dog.observe(Waiting(now, 0)) == [AlertChange(told[0], False)]


def test_a_folder_told_unreachable_stays_told_until_written_whatever_its_threshold() -> None:
    dog, told = _told_then_restarted(
        DestinationSeen(T0, "Share", reachable=False),
        DestinationSeen(T0 + HOUR, "Share", reachable=False),
    )
    dog.thresholds = Thresholds(unreachable_s=100 * HOUR)  # raised since: still the episode
    now = T0 + 3 * HOUR
    assert dog.observe(DestinationSeen(now, "Share", reachable=False)) == []
    assert dog.check(now + HOUR) == []
    assert dog.observe(DestinationSeen(now + 2 * HOUR, "Share", reachable=True)) == [
        AlertChange(told[0], False)
    ]
    assert dog.check(now + 3 * HOUR) == []
