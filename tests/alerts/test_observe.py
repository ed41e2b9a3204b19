"""The engine's events read as the watchdog's observations, and alerts as events and back."""

from __future__ import annotations

from app.alerts.observe import EventReader, from_event, to_event
from app.alerts.watchdog import (
    Alert,
    AlertChange,
    AlertKind,
    Delivered,
    DestinationSeen,
    EngineSeen,
    LoginSeen,
    PausedSeen,
    iso,
)
from app.core.failures import Failure, FailureCode
from app.engine.messages import (
    AlertChanged,
    DocumentChanged,
    EngineState,
    FailureInfo,
    LoginNeededEvent,
    RunStarted,
    StateChanged,
)

NOW = 1_780_000_000.0


def document(doc: str, status: str, *failures: Failure) -> DocumentChanged:
    return DocumentChanged(
        document_id=doc,
        client_id="c",
        kind="purchase",
        number="F-1",
        issue_date="2026-05-28",
        status=status,
        failures=[FailureInfo.of(failure) for failure in failures],
    )


def unreachable(destination: str) -> Failure:
    return Failure.of(FailureCode.UNREACHABLE, destination=destination, folder="\\\\srv\\x")


def test_a_share_down_then_back_through_the_documents_that_could_not_reach_it() -> None:
    reader = EventReader()
    assert reader.read(document("a", "to_fetch", unreachable("Share")), NOW) == [
        DestinationSeen(NOW, "Share", reachable=False)
    ]
    assert reader.read(document("b", "to_fetch", unreachable("Share")), NOW + 1) == [
        DestinationSeen(NOW + 1, "Share", reachable=False)
    ]
    # a document of another destination says nothing of this one
    assert reader.read(document("c", "forwarded"), NOW + 2) == [Delivered(NOW + 2)]
    # "a" delivered: the share is back
    assert reader.read(document("a", "forwarded"), NOW + 3) == [
        DestinationSeen(NOW + 3, "Share", reachable=True),
        Delivered(NOW + 3),
    ]
    assert reader.blocked == {"Share": {"b"}}


def test_another_failure_there_means_the_folder_was_reached() -> None:
    reader = EventReader()
    reader.read(document("a", "to_fetch", unreachable("Share")), NOW)
    reader.read(document("b", "to_fetch", unreachable("Share")), NOW)
    permission = Failure.of(FailureCode.PERMISSION, destination="Share", folder="x")
    assert reader.read(document("a", "error", permission), NOW + 1) == [
        DestinationSeen(NOW + 1, "Share", reachable=True)
    ]


def test_a_document_that_changes_without_trying_there_proves_nothing_unless_it_was_the_last() -> (
    None
):
    reader = EventReader()
    reader.read(document("a", "to_fetch", unreachable("Share")), NOW)
    reader.read(document("b", "to_fetch", unreachable("Share")), NOW)
    elsewhere = Failure.of(FailureCode.PERMISSION, destination="Archive", folder="y")
    assert reader.read(document("a", "error", elsewhere), NOW + 1) == []
    # put back in line (a person's retry): not tried yet, so nothing is known of the share,
    # not even from the last document that could not reach it
    assert reader.read(document("b", "to_fetch"), NOW + 2) == []
    assert reader.blocked == {"Share": {"b"}}
    assert reader.read(document("b", "error", elsewhere), NOW + 3) == [
        DestinationSeen(NOW + 3, "Share", reachable=True)
    ]
    assert reader.blocked == {}


def test_the_login_from_the_states_and_the_login_event() -> None:
    reader = EventReader()
    assert reader.read(StateChanged(state=EngineState.LOGIN_NEEDED), NOW) == [
        LoginSeen(NOW, needed=True)
    ]
    assert reader.read(LoginNeededEvent(reason="revoked"), NOW) == [LoginSeen(NOW, needed=True)]
    assert reader.read(StateChanged(state=EngineState.SYNCING), NOW) == []
    assert reader.read(StateChanged(state=EngineState.ERRORS), NOW) == [
        LoginSeen(NOW, needed=False)
    ]


def test_a_stopped_engine_is_news_to_a_face_only() -> None:
    stopped = StateChanged(state=EngineState.STOPPED)
    assert EventReader(engine_side=True).read(stopped, NOW) == []
    face = EventReader(engine_side=False)
    assert face.read(stopped, NOW) == [EngineSeen(NOW, running=False)]
    assert face.read(stopped, NOW + 1) == []
    assert face.read(RunStarted(run_id=1, kind="incremental"), NOW + 2) == [
        EngineSeen(NOW + 2, running=True)
    ]


def test_an_alert_travels_as_an_event_and_back() -> None:
    change = AlertChange(
        Alert.of(AlertKind.DESTINATION_UNREACHABLE, destination="Share", since=iso(NOW)), False
    )
    event = to_event(change)
    assert event == AlertChanged(
        kind="destination_unreachable",
        params={"destination": "Share", "since": iso(NOW)},
        raised=False,
    )
    assert from_event(AlertChanged.model_validate_json(event.model_dump_json())) == change
    assert from_event(AlertChanged(kind="from_a_newer_ferry")) is None


def test_a_pause_and_its_resume() -> None:
    reader = EventReader()
    assert reader.read(StateChanged(state=EngineState.PAUSED), NOW) == [PausedSeen(NOW, True)]
    assert reader.read(StateChanged(state=EngineState.PAUSED), NOW + 1) == []
    assert reader.read(StateChanged(state=EngineState.UP_TO_DATE), NOW + 2) == [
        LoginSeen(NOW + 2, needed=False),
        PausedSeen(NOW + 2, False),
    ]
