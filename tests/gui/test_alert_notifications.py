"""The watchdog's alerts as notifications: each beginning told once, its end once, in the
person's language; the login's alert left to the Login needed notification; and the engine
not running, which only the tray app can see, told after its grace and its return once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.alerts.observe import to_event
from app.alerts.watchdog import Alert, AlertChange, AlertKind, iso
from app.core.language import Language
from app.engine.messages import (
    AlertChanged,
    EngineState,
    LoginNeededEvent,
    RunStarted,
    StateChanged,
)
from app.gui.notifications import ErrorNotifier, Notification, NotificationKind

T0 = 1_780_000_000.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def alert(kind: AlertKind, raised: bool = True, **params: str) -> AlertChanged:
    return to_event(AlertChange(Alert.of(kind, since=iso(T0), **params), raised))


SHARE_DOWN = alert(AlertKind.DESTINATION_UNREACHABLE, destination="Share")
SHARE_BACK = alert(AlertKind.DESTINATION_UNREACHABLE, False, destination="Share")


def test_an_alert_and_its_end_are_told_once_each() -> None:
    notifier = ErrorNotifier(language=Language.NL)
    told = notifier.on_alert(SHARE_DOWN)
    assert told is not None and told.kind is NotificationKind.ALERT
    assert told.title == "Een bestemmingsmap is niet bereikbaar"
    assert "“Share”" in told.text
    assert notifier.on_alert(SHARE_DOWN) is None  # the same episode, again: not told
    back = notifier.on_alert(SHARE_BACK)
    assert back is not None and back.kind is NotificationKind.INFO
    assert back.title == "Ferry levert weer"
    assert notifier.on_alert(SHARE_BACK) is None
    assert notifier.on_alert(SHARE_DOWN) is not None  # a new episode


def test_an_end_without_its_beginning_is_not_told() -> None:
    notifier = ErrorNotifier()
    assert notifier.on_alert(SHARE_BACK) is None


def test_the_login_alert_is_the_login_notification_already() -> None:
    notifier = ErrorNotifier()
    assert notifier.on_login_needed() is not None
    assert notifier.on_alert(alert(AlertKind.LOGIN_NEEDED)) is None
    assert notifier.on_alert(alert(AlertKind.LOGIN_NEEDED, False)) is None


def test_an_alert_of_a_newer_ferry_is_left_alone() -> None:
    assert ErrorNotifier().on_alert(AlertChanged(kind="something_new")) is None


def test_the_engine_gone_is_told_after_its_grace_and_its_return_once() -> None:
    wall = Clock(T0)
    notifier = ErrorNotifier(engine_down_s=120, wall_clock=wall)
    notifier.on_state(StateChanged(state=EngineState.UP_TO_DATE))
    assert notifier.seconds_until_tick() is None
    notifier.on_state(StateChanged(state=EngineState.STOPPED, detail="lost"))
    assert notifier.seconds_until_tick() == 120
    wall.now += 119
    assert notifier.tick() is None
    wall.now += 1
    down = notifier.tick()
    assert down is not None and down.kind is NotificationKind.ALERT
    assert down.title == "Ferry's engine is not running"
    wall.now += 3600
    assert notifier.tick() is None
    assert notifier.on_state(StateChanged(state=EngineState.STOPPED)) is None
    # it comes back: its first event says so, told at the next tick (at once)
    notifier.on_state(StateChanged(state=EngineState.STARTING))
    assert notifier.seconds_until_tick() == 0
    back = notifier.tick()
    assert back is not None and back.title == "Ferry is delivering again"
    assert "runs again" in back.text
    assert notifier.tick() is None


def test_a_restart_within_the_grace_is_no_news() -> None:
    wall = Clock(T0)
    notifier = ErrorNotifier(engine_down_s=120, wall_clock=wall)
    notifier.on_state(StateChanged(state=EngineState.STOPPED))
    wall.now += 60
    notifier.on_run_started(RunStarted(run_id=1, kind="incremental"))
    wall.now += 600
    assert notifier.tick() is None
    assert notifier.seconds_until_tick() is None


def test_the_grace_follows_the_settings() -> None:
    wall = Clock(T0)
    notifier = ErrorNotifier(wall_clock=wall)
    notifier.on_state(StateChanged(state=EngineState.STOPPED))
    assert notifier.seconds_until_tick() == 300  # five minutes unless the settings say
    notifier.set_engine_down_s(30)
    assert notifier.seconds_until_tick() == 30
    wall.now += 30
    note = notifier.tick()
    assert note is not None and note.kind is NotificationKind.ALERT


def test_an_engine_stopped_on_purpose_is_no_alert() -> None:
    wall = Clock(T0)
    notifier = ErrorNotifier(engine_down_s=10, wall_clock=wall)
    notifier.engine_stopped_on_purpose()  # logging out
    notifier.on_state(StateChanged(state=EngineState.STOPPED))
    wall.now += 3600
    assert notifier.tick() is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 300),
            st.sampled_from(["stopped", "running", "down", "back", "login", "tick"]),
        ),
        max_size=40,
    )
)
def test_never_told_twice_without_its_end_between(steps: list[tuple[float, str]]) -> None:
    wall = Clock(T0)
    notifier = ErrorNotifier(engine_down_s=60, wall_clock=wall)
    open_titles: set[str] = set()
    told: list[Notification] = []
    for gap, step in steps:
        wall.now += gap
        note: Notification | None
        if step == "stopped":
            note = notifier.on_state(StateChanged(state=EngineState.STOPPED))
        elif step == "running":
            note = notifier.on_state(StateChanged(state=EngineState.UP_TO_DATE))
        elif step == "down":
            note = notifier.on_alert(SHARE_DOWN)
        elif step == "back":
            note = notifier.on_alert(SHARE_BACK)
        elif step == "login":
            note = notifier.feed(LoginNeededEvent(reason="x"))
        else:
            note = notifier.tick()
        while note is not None:
            told.append(note)
            note = notifier.tick() if notifier.seconds_until_tick() == 0 else None
    for note in told:
        if note.kind is NotificationKind.ALERT:
            (cause,) = note.causes
            assert cause not in open_titles, f"{cause} told twice"
            open_titles.add(cause)
        elif note.kind is NotificationKind.INFO:
            (cause,) = note.causes
            assert cause in open_titles, f"the end of {cause} told without its beginning"
            open_titles.discard(cause)
