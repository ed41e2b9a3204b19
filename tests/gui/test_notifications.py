"""The rules of error notifications: one per burst, never twice for one fault, none during the
first import, one per loss of the login — by example, then as properties over any sequence of
engine events. Faults are told apart by their failures' codes, never by words."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.failures import Failure, FailureCode
from app.core.language import Language
from app.engine.messages import (
    Connectivity,
    DocumentChanged,
    EngineState,
    FailureInfo,
    LoginNeededEvent,
    RunFinished,
    RunStarted,
    StateChanged,
)
from app.gui.notifications import (
    TEXT_LIMIT,
    TITLE_LIMIT,
    ErrorNotifier,
    Notification,
    NotificationKind,
    fault_key,
    fill,
    shorten,
    utf16_length,
)


def permission(folder: str, destination: str = "Winbooks", root: str = "D:\\Compta") -> Failure:
    return Failure.of(
        FailureCode.PERMISSION,
        destination=destination,
        folder=folder,
        root=root,
        said="Permission denied",
        errno=13,
    )


def disk_full(folder: str, destination: str = "Archive", root: str = "/srv") -> Failure:
    return Failure.of(
        FailureCode.DISK_FULL,
        destination=destination,
        folder=folder,
        root=root,
        said="No space left on device",
    )


def no_pdf(number: str, destination: str = "Winbooks") -> Failure:
    return Failure.of(FailureCode.NO_PDF, destination=destination, document=number, reason="none")


def other(name: str) -> Failure:
    return Failure.of(FailureCode.OS_OTHER, destination=name, folder="/x", root="/x", errno=5)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def doc(
    n: int | str,
    status: str = "error",
    failures: list[Failure] | None = None,
    *,
    kind: str = "purchase",
    number: str | None = None,
    folder: str | None = None,
    message: str | None = None,
) -> DocumentChanged:
    number = number if number is not None else f"INV-2026-{n:0>3}"
    if failures is None and status == "error":
        failures = [permission(folder or f"D:\\Compta\\Client {n} BV\\2026")]
    return DocumentChanged(
        document_id=f"d{n}",
        client_id="c1",
        kind=kind,
        number=number,
        issue_date="2026-03-09",
        status=status,
        # The engine's English words, for its log: never what decides, never shown in French.
        message=message
        if message is not None
        else (f"English for the log {n}" if failures else None),
        failures=[FailureInfo.of(f) for f in failures or []],
    )


def run_started(run_id: int = 1) -> RunStarted:
    return RunStarted(run_id=run_id, kind="incremental")


def run_finished(run_id: int = 1, failed: int = 0) -> RunFinished:
    return RunFinished(
        run_id=run_id, kind="incremental", documents=failed, delivered=0, failed=failed
    )


def past_first_import(notifier: ErrorNotifier) -> ErrorNotifier:
    notifier.on_run_started(run_started(0))
    assert notifier.on_run_finished(run_finished(0)) is None
    assert not notifier.in_first_import
    return notifier


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def notifier(clock: Clock) -> ErrorNotifier:
    return past_first_import(ErrorNotifier(clock=clock))


def one_run(notifier: ErrorNotifier, *documents: DocumentChanged) -> Notification | None:
    notifier.on_run_started(run_started())
    notifier.on_documents(list(documents))
    return notifier.on_run_finished(run_finished(failed=len(documents)))


# --- the fault key -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other_"),
    [
        (
            permission("D:\\Facturen Billtobox\\Bakkerij Peeters BV\\outbound"),
            permission("D:\\Facturen Billtobox\\Garage Janssens & Zonen\\2025"),
        ),
        (
            permission("\\\\server\\boekhouding\\BE0403019261\\purchase\\2026", root="\\\\server"),
            permission("\\\\server\\boekhouding\\BE0999999999\\sales\\2025", root="\\\\server"),
        ),
        (
            disk_full("/srv/archive/Bakkerij Peeters/purchase/2026"),
            disk_full("/srv/archive/Garage/sales/2025"),
        ),
        (
            Failure.of(FailureCode.CHECKSUM, destination="Winbooks", name="a.xml", size=1234),
            Failure.of(FailureCode.CHECKSUM, destination="Winbooks", name="b.xml", size=99),
        ),
        (
            Failure.of(FailureCode.PLATFORM_REFUSED, action="download", status=400, document="1"),
            Failure.of(FailureCode.PLATFORM_REFUSED, action="download", status=400, document="7"),
        ),
    ],
)
def test_the_same_fault_in_other_folders_is_one_key(one: Failure, other_: Failure) -> None:
    assert fault_key(doc(1, failures=[one])) == fault_key(doc(2, failures=[other_]))


def test_the_document_s_own_number_and_id_are_not_part_of_the_fault() -> None:
    one = fault_key(doc(1, failures=[no_pdf("INV-1")], number="INV-1"))
    other_ = fault_key(doc(2, failures=[no_pdf("F/2026/77")], number="F/2026/77"))
    assert one == other_
    assert "inv" not in one.casefold()


@pytest.mark.parametrize(
    ("one", "other_"),
    [
        (permission("D:\\Compta\\A"), permission("D:\\Compta\\A", destination="Archive")),
        (permission("/srv/a", root="/srv"), disk_full("/srv/a")),
        (no_pdf("X1"), permission("/srv/a")),
        (permission("D:\\Compta\\A"), permission("E:\\Compta\\A", root="E:\\Compta")),
    ],
)
def test_other_destinations_and_other_failures_are_other_faults(
    one: Failure, other_: Failure
) -> None:
    assert fault_key(doc(1, failures=[one])) != fault_key(doc(1, failures=[other_]))


def test_the_words_never_decide_and_a_document_without_failures_is_one_fault() -> None:
    same = [permission("D:\\Compta\\A")]
    assert fault_key(doc(1, failures=same, message="Winbooks: disk full")) == fault_key(
        doc(2, failures=same, message="something else entirely")
    )
    assert fault_key(doc(1, failures=[], message="a")) == fault_key(doc(2, failures=[])) == ""
    # Two destinations failing: the fault is both, in a stable order.
    both = fault_key(doc(1, failures=[permission("/a"), disk_full("/b")]))
    assert both == fault_key(doc(2, failures=[disk_full("/c"), permission("/d")]))
    assert both != fault_key(doc(3, failures=[permission("/a")]))


# --- text helpers --------------------------------------------------------------------------------


def test_shorten_counts_like_windows_and_marks_the_cut() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("x" * 10, 10) == "x" * 10
    assert shorten("x" * 11, 10) == "x" * 9 + "…"
    assert shorten("word " * 5, 6) == "word…"  # no space before the ellipsis
    assert utf16_length("😀") == 2
    cut = shorten("😀" * 10, 5)
    assert utf16_length(cut) <= 5 and cut.endswith("…")
    assert shorten("anything", 0) == ""


@given(st.text(), st.integers(min_value=0, max_value=300))
def test_shorten_never_exceeds_the_limit(text: str, limit: int) -> None:
    cut = shorten(text, limit)
    assert utf16_length(cut) <= limit
    if utf16_length(text) <= limit:
        assert cut == text


def test_fill_replaces_placeholders_once() -> None:
    assert fill("%1 and %2", "a%2", "b") == "a%2 and b"
    assert fill("%1 and %3", "a") == "a and %3"


# --- one notification per burst ------------------------------------------------------------------


def test_a_burst_of_failures_is_one_notification_at_the_end_of_the_run(
    notifier: ErrorNotifier,
) -> None:
    notifier.on_run_started(run_started())
    notifier.on_documents([doc("014")])
    notifier.on_documents([doc(n) for n in (15, 16, 17)])
    notifier.on_documents([doc(18)])
    assert notifier.pending == 5
    notification = notifier.on_run_finished(run_finished(failed=5))
    assert notification is not None
    assert notification.kind is NotificationKind.ERRORS
    assert notification.title == "5 documents could not be delivered"
    assert notification.text == (
        "Invoice INV-2026-014 and 4 other documents could not be delivered: "
        + "Winbooks: Ferry may not write in D:\\Compta\\Client 014 BV\\2026; give the account "
        "that runs Ferry permission to write there."
    )
    assert notification.document_ids == ("d014", "d15", "d16", "d17", "d18")
    assert len(notification.causes) == 1
    assert notifier.pending == 0


def test_one_and_two_documents_are_worded_for_their_number(notifier: ErrorNotifier) -> None:
    notification = one_run(notifier, doc(1, folder="/srv/a"))
    assert notification is not None
    assert notification.title == "A document could not be delivered"
    assert notification.text.startswith("Invoice INV-2026-001 could not be delivered: Winbooks:")
    notification = one_run(
        notifier, doc(2, failures=[disk_full("/x")]), doc(3, failures=[disk_full("/y")])
    )
    assert notification is not None
    assert "Invoice INV-2026-002 and 1 other document could not be delivered: Archive" in (
        notification.text
    )


@pytest.mark.parametrize(
    ("kind", "number", "name"),
    [
        ("purchase", "P-1", "Invoice P-1"),
        ("sales", "S-1", "Invoice S-1"),
        ("statement", "CODA 2026/003", "Statement CODA 2026/003"),
        ("receipt", "R-9", "Receipt R-9"),
        ("other", "Letter 4", "Document Letter 4"),
        ("purchase", "", "A document"),
    ],
)
def test_documents_are_named_by_kind_and_number(
    notifier: ErrorNotifier, kind: str, number: str, name: str
) -> None:
    notification = one_run(notifier, doc(1, kind=kind, number=number))
    assert notification is not None
    assert notification.text.startswith(f"{name} could not be delivered: ")


def test_several_new_faults_in_one_burst_are_still_one_notification(
    notifier: ErrorNotifier,
) -> None:
    notification = one_run(
        notifier,
        doc(1),
        doc(2, failures=[disk_full("/srv/a")]),
        doc(3),
        doc(4, failures=[no_pdf("INV-2026-004")], number="INV-2026-004"),
    )
    assert notification is not None
    assert notification.title == "4 documents could not be delivered"
    assert notification.text.endswith(" (and 2 other problems)")
    assert len(notification.causes) == 3
    # The first document of the first fault names the burst; documents are grouped by fault.
    assert notification.document_ids == ("d1", "d3", "d2", "d4")
    notification = one_run(
        notifier,
        doc(5, failures=[other("A new thing")]),
        doc(6, failures=[other("Yet another thing")]),
    )
    assert notification is not None
    assert notification.text.endswith(" (and 1 other problem)")


def test_a_document_without_a_message_still_gets_a_plain_sentence(
    notifier: ErrorNotifier,
) -> None:
    notification = one_run(
        notifier,
        DocumentChanged(
            document_id="x",
            client_id="c",
            kind="purchase",
            number="N1",
            issue_date="2026-01-01",
            status="error",
        ),
    )
    assert notification is not None
    assert notification.text == "Invoice N1 could not be delivered: Ferry's window says why."


def test_a_document_without_failures_shows_its_message_to_an_english_reader_only(
    clock: Clock,
) -> None:
    old = doc(1, failures=[], message="Winbooks: the disk is full")
    english = past_first_import(ErrorNotifier(clock=clock))
    notification = one_run(english, old)
    assert notification is not None
    assert notification.text.endswith(": Winbooks: the disk is full")
    french = past_first_import(ErrorNotifier(clock=clock, language=Language.FR))
    notification = one_run(french, old)
    assert notification is not None
    assert "disk" not in notification.text
    assert notification.text.endswith("Ferry's window says why.")  # translated by Qt in the app


def test_long_reasons_are_cut_to_windows_limits_keeping_the_summary(
    notifier: ErrorNotifier,
) -> None:
    long = permission("D:\\" + "Dossier très long\\" * 8, root="D:")
    notification = one_run(
        notifier,
        doc(1, failures=[long], number="N" * 80),
        doc(2, failures=[long]),
        doc(3, failures=[other("x")]),
    )
    assert notification is not None
    assert utf16_length(notification.title) <= TITLE_LIMIT
    assert utf16_length(notification.text) <= TEXT_LIMIT
    assert notification.text.endswith("… (and 1 other problem)")


# --- never twice for the same fault --------------------------------------------------------------


def test_the_same_fault_is_not_told_again_in_later_runs(notifier: ErrorNotifier) -> None:
    assert one_run(notifier, doc(1, folder="D:\\A BV\\2026")) is not None
    assert one_run(notifier, doc(2, folder="D:\\Other client\\2025"), doc(3)) is None
    assert notifier.on_state(StateChanged(state=EngineState.ERRORS, errors=3)) is None
    # A document retried and failing the same way again is not news either.
    assert one_run(notifier, doc(1, folder="D:\\A BV\\2026")) is None


def test_only_the_new_fault_of_a_burst_is_counted(notifier: ErrorNotifier) -> None:
    assert one_run(notifier, doc(1)) is not None
    notification = one_run(notifier, doc(2), doc(3, failures=[disk_full("/a")]), doc(4))
    assert notification is not None
    assert notification.document_ids == ("d3",)
    assert notification.text.startswith("Invoice INV-2026-003 could not be delivered: Archive")


def test_a_resolved_fault_is_told_again_when_it_comes_back(notifier: ErrorNotifier) -> None:
    assert one_run(notifier, doc(1), doc(2)) is not None
    # Someone fixed the permissions: both are forwarded on their retry.
    assert one_run(notifier, doc(1, "forwarded"), doc(2, "forwarded")) is None
    assert notifier.told_faults == frozenset()
    notification = one_run(notifier, doc(3))
    assert notification is not None
    assert notification.document_ids == ("d3",)


def test_a_fault_partly_resolved_is_still_the_same_fault(notifier: ErrorNotifier) -> None:
    assert one_run(notifier, doc(1), doc(2)) is not None
    assert one_run(notifier, doc(1, "forwarded")) is None
    assert one_run(notifier, doc(3)) is None


def test_sent_to_integrations_again_is_not_resolved(notifier: ErrorNotifier) -> None:
    assert one_run(notifier, doc(1)) is not None
    notifier.on_documents([doc(1, "to_fetch")])
    assert one_run(notifier, doc(1)) is None


def test_up_to_date_without_errors_resolves_every_fault(notifier: ErrorNotifier) -> None:
    assert one_run(notifier, doc(1)) is not None
    notifier.on_state(StateChanged(state=EngineState.UP_TO_DATE, errors=0))
    assert notifier.told_faults == frozenset()
    assert one_run(notifier, doc(2)) is not None


def test_a_document_that_fails_differently_moves_to_the_new_fault(
    notifier: ErrorNotifier,
) -> None:
    assert one_run(notifier, doc(1)) is not None
    notification = one_run(notifier, doc(1, failures=[disk_full("/a")]))
    assert notification is not None  # a new fault, for the same document
    # Its old fault had only this document: resolved, so it may be told again.
    assert one_run(notifier, doc(2)) is not None


def test_a_failure_fixed_before_the_run_ends_is_not_told(notifier: ErrorNotifier) -> None:
    notifier.on_run_started(run_started())
    notifier.on_documents([doc(1)])
    notifier.on_documents([doc(1, "forwarded")])
    assert notifier.on_run_finished(run_finished()) is None


# --- the first import ----------------------------------------------------------------------------


def test_nothing_is_told_during_the_first_import_and_its_faults_count_as_told(
    clock: Clock,
) -> None:
    notifier = ErrorNotifier(clock=clock)
    assert notifier.in_first_import
    notifier.on_run_started(run_started())
    notifier.on_documents([doc(n) for n in range(500)])
    clock.now += 1000
    assert notifier.tick() is None
    assert notifier.seconds_until_tick() is None
    assert notifier.on_state(StateChanged(state=EngineState.OFFLINE)) is None
    assert notifier.on_run_finished(run_finished(failed=500)) is None
    assert not notifier.in_first_import
    assert notifier.on_state(StateChanged(state=EngineState.ERRORS, errors=500)) is None
    # Later failures of the same fault are not news; a new fault is.
    assert one_run(notifier, doc(900)) is None
    assert one_run(notifier, doc(901, failures=[disk_full("/a")])) is not None


def test_the_first_import_can_be_switched_off_and_restarted(clock: Clock) -> None:
    notifier = ErrorNotifier(clock=clock, quiet_first_run=False)
    assert one_run(notifier, doc(1)) is not None
    quiet = past_first_import(ErrorNotifier(clock=clock))
    assert one_run(quiet, doc(1)) is not None
    quiet.reset()
    assert quiet.in_first_import
    assert one_run(quiet, doc(2)) is None


# --- bursts outside runs, and very long runs -----------------------------------------------------


def test_failures_outside_a_run_are_told_after_a_calm(
    notifier: ErrorNotifier, clock: Clock
) -> None:
    notifier.on_documents([doc(1)])
    assert notifier.seconds_until_tick() == pytest.approx(notifier.settle_s)
    clock.now += 4
    notifier.on_documents([doc(2)])  # the burst goes on: the calm starts again
    assert notifier.seconds_until_tick() == pytest.approx(notifier.settle_s)
    clock.now += notifier.settle_s - 1
    assert notifier.tick() is None
    clock.now += 1
    notification = notifier.tick()
    assert notification is not None
    assert notification.document_ids == ("d1", "d2")
    assert notifier.tick() is None
    assert notifier.seconds_until_tick() is None


def test_a_settled_state_outside_a_run_ends_the_burst_after_a_short_calm(
    notifier: ErrorNotifier, clock: Clock
) -> None:
    notifier.on_documents([doc(1)])
    assert notifier.on_state(StateChanged(state=EngineState.SYNCING)) is None
    assert notifier.on_state(StateChanged(state=EngineState.ERRORS, errors=1)) is None
    assert notifier.seconds_until_tick() == notifier.join_s < notifier.settle_s
    clock.now += notifier.join_s
    notification = notifier.tick()
    assert notification is not None
    # already calm when the engine settles: told at once
    notifier.on_documents([doc(2, failures=[fault_failure(1, 0, "N2")])])
    clock.now += notifier.join_s
    assert notifier.on_state(StateChanged(state=EngineState.ERRORS, errors=2)) is not None


def test_a_burst_split_by_the_engine_s_state_is_still_one_notification(
    notifier: ErrorNotifier, clock: Clock
) -> None:
    """Five documents fail in the same second; the engine says Errors after the first batch
    and Syncing again before the next: one notification counts five."""
    notifier.on_documents([doc(1)])
    assert notifier.on_state(StateChanged(state=EngineState.ERRORS, errors=1)) is None
    clock.now += 0.3
    assert notifier.on_state(StateChanged(state=EngineState.SYNCING)) is None
    notifier.on_documents([doc(2), doc(3)])
    assert notifier.on_state(StateChanged(state=EngineState.ERRORS, errors=3)) is None
    clock.now += 0.5
    notifier.on_documents([doc(4), doc(5)])
    assert notifier.on_state(StateChanged(state=EngineState.ERRORS, errors=5)) is None
    clock.now += notifier.join_s
    notification = notifier.tick()
    assert notification is not None and len(notification.document_ids) == 5
    assert notification.title == "5 documents could not be delivered"
    assert notifier.tick() is None


def test_inside_a_run_a_state_change_does_not_end_the_burst(notifier: ErrorNotifier) -> None:
    notifier.on_run_started(run_started())
    notifier.on_documents([doc(1)])
    assert notifier.on_state(StateChanged(state=EngineState.OFFLINE)) is None
    notifier.on_documents([doc(2)])
    notification = notifier.on_run_finished(run_finished())
    assert notification is not None and len(notification.document_ids) == 2


def test_a_very_long_run_tells_its_faults_after_max_hold(
    notifier: ErrorNotifier, clock: Clock
) -> None:
    notifier.on_run_started(run_started())
    notifier.on_documents([doc(1)])
    clock.now += notifier.settle_s * 3  # calm, but the run goes on: wait for its end
    assert notifier.tick() is None
    assert notifier.seconds_until_tick() == pytest.approx(
        notifier.max_hold_s - notifier.settle_s * 3
    )
    clock.now = 1000 + notifier.max_hold_s + 1
    notifier.on_documents([doc(2)])
    notification = notifier.tick()
    assert notification is not None and notification.document_ids == ("d1", "d2")
    notifier.on_documents([doc(3)])  # the same fault, later in the same run
    assert notifier.on_run_finished(run_finished()) is None


# --- login needed --------------------------------------------------------------------------------


LOGIN_NEEDED = Failure.of(FailureCode.LOGIN_NEEDED, said="invalid_grant: token revoked")


def test_login_needed_is_told_once_per_loss_of_the_login(notifier: ErrorNotifier) -> None:
    notification = notifier.on_login_needed(LOGIN_NEEDED)
    assert notification is not None
    assert notification.kind is NotificationKind.LOGIN
    assert notification.title == "Login needed"
    # The reason from the failure's code; the provider's own words stay in the window.
    assert notification.text == (
        "The platform no longer accepts Ferry's login, so no documents are delivered; open "
        "Ferry and log in again."
    )
    assert notifier.on_login_needed(LOGIN_NEEDED) is None
    assert notifier.on_state(StateChanged(state=EngineState.LOGIN_NEEDED, detail="x")) is None
    # Pausing, going offline, or a sync attempt do not prove the login is back.
    for state in (EngineState.PAUSED, EngineState.OFFLINE, EngineState.SYNCING):
        notifier.on_state(StateChanged(state=state))
        assert notifier.on_state(StateChanged(state=EngineState.LOGIN_NEEDED)) is None
    notifier.on_state(StateChanged(state=EngineState.UP_TO_DATE))
    refused = Failure.of(FailureCode.LOGIN_REFUSED, action="list_documents", status=401)
    again = notifier.on_state(
        StateChanged(
            state=EngineState.LOGIN_NEEDED, detail="revoked", failure=FailureInfo.of(refused)
        )
    )
    assert again is not None
    assert again.text == (
        "The platform did not accept Ferry's login while listing documents; log in again in Ferry."
    )
    assert "revoked" not in again.text


def test_login_needed_is_told_even_during_the_first_import(clock: Clock) -> None:
    notifier = ErrorNotifier(clock=clock)
    notifier.on_run_started(run_started())
    notification = notifier.feed(LoginNeededEvent(reason=""))
    assert notification is not None
    assert notification.text.endswith("Open Ferry to log in again.")


def test_feed_dispatches_every_event(notifier: ErrorNotifier) -> None:
    assert notifier.feed(run_started()) is None
    assert notifier.feed(doc(1)) is None
    assert notifier.feed(Connectivity(online=False)) is None
    assert notifier.feed(run_finished()) is not None
    assert notifier.feed(StateChanged(state=EngineState.LOGIN_NEEDED)) is not None


def test_every_word_goes_through_the_translator(clock: Clock) -> None:
    seen: list[tuple[str, str]] = []

    def translate(context: str, text: str) -> str:
        seen.append((context, text))
        return text.replace("could not be delivered", "n'a pas pu être livré")

    notifier = past_first_import(ErrorNotifier(clock=clock, translate=translate))
    notification = one_run(notifier, doc(1), doc(2), doc(3, failures=[other("X")]))
    assert notification is not None
    assert "n'a pas pu être livré" in notification.title
    assert "n'a pas pu être livré" in notification.text
    assert {context for context, _ in seen} == {"ErrorNotifier"}
    assert ("ErrorNotifier", "Invoice %1") in seen


# --- properties over any sequence of events ------------------------------------------------------

FAULTS = (permission, disk_full, no_pdf)
FOLDERS = (
    "D:\\Compta\\Bakkerij Peeters BV\\2026",
    "D:\\Compta\\Garage\\2025",
    "D:\\Compta\\BE04\\p",
)


def fault_failure(fault: int, client: int, number: str) -> Failure:
    if fault == 0:
        return permission(FOLDERS[client], root="D:\\Compta")
    if fault == 1:
        return disk_full(FOLDERS[client], root="D:\\Compta")
    return no_pdf(number)


@given(
    st.integers(0, len(FAULTS) - 1),
    st.integers(0, len(FOLDERS) - 1),
    st.integers(0, len(FOLDERS) - 1),
    st.text(alphabet="ABC-/0123456789", min_size=2, max_size=12),
    st.text(alphabet="ABC-/0123456789", min_size=2, max_size=12),
)
def test_fault_keys_depend_on_the_fault_only(
    fault: int, one: int, other_: int, number: str, other_number: str
) -> None:
    key = fault_key(doc(1, failures=[fault_failure(fault, one, number)], number=number))
    assert key == fault_key(
        doc(2, failures=[fault_failure(fault, other_, other_number)], number=other_number)
    )
    for different in range(len(FAULTS)):
        if different != fault:
            assert key != fault_key(doc(1, failures=[fault_failure(different, one, number)]))


Action = tuple[object, ...]
STATES = list(EngineState)
actions = st.one_of(
    st.tuples(
        st.just("doc"),
        st.integers(0, 7),  # document
        st.sampled_from(["error", "error", "forwarded", "to_fetch"]),
        st.integers(0, len(FAULTS) - 1),
        st.integers(0, len(FOLDERS) - 1),
    ),
    st.tuples(st.just("run_started")),
    st.tuples(st.just("run_finished")),
    st.tuples(st.just("state"), st.sampled_from(STATES), st.integers(0, 1)),
    st.tuples(st.just("login")),
    st.tuples(st.just("wait"), st.floats(0, 200)),
)


@dataclass
class Model:
    """What must hold, kept independently of the notifier: which documents fail with which
    fault (by its number in FAULTS), and whether each fault was told since it last began."""

    failing: dict[int, int] = field(default_factory=dict)
    told: set[int] = field(default_factory=set)
    first_import: bool = True
    login_armed: bool = True

    def counts(self) -> Counter[int]:
        return Counter(self.failing.values())


@settings(max_examples=400, deadline=None)
@given(st.lists(actions, max_size=60))
def test_any_sequence_of_events_follows_the_rules(sequence: list[Action]) -> None:
    clock = Clock()
    notifier = ErrorNotifier(clock=clock)
    model = Model()
    fault_of_key = {fault_key(doc(1, failures=[fault_failure(f, 0, "N1")])): f for f in range(3)}

    def check(notification: Notification | None, expect_login: bool | None = None) -> None:
        if notification is not None:
            assert utf16_length(notification.title) <= TITLE_LIMIT
            assert utf16_length(notification.text) <= TEXT_LIMIT
        if expect_login is not None:
            got_login = notification is not None and notification.kind is NotificationKind.LOGIN
            assert got_login == expect_login
        if notification is None or notification.kind is NotificationKind.LOGIN:
            return
        assert not model.first_import, "nothing is told during the first import"
        faults = [fault_of_key[cause] for cause in notification.causes]
        assert len(set(faults)) == len(faults) >= 1
        for fault in faults:
            assert fault not in model.told, "a fault is told once until it is resolved"
            assert model.counts()[fault] > 0, "only faults that still hold are told"
            model.told.add(fault)
        for document_id in notification.document_ids:
            assert model.failing[int(document_id[1:])] in faults
        assert len(notification.document_ids) >= len(faults)

    def resolve_gone() -> None:
        counts = model.counts()
        model.told = {fault for fault in model.told if counts[fault] > 0}

    for action in sequence:
        if action[0] == "doc":
            _, n, status, fault, client = action
            assert isinstance(n, int) and isinstance(status, str)
            assert isinstance(fault, int) and isinstance(client, int)
            number = f"N{n}"
            failures = [fault_failure(fault, client, number)] if status == "error" else []
            notifier.on_documents([doc(n, status, failures, number=number)])
            if status == "error":
                model.failing[n] = fault
                if model.first_import:
                    model.told.add(fault)
            elif status == "forwarded":
                model.failing.pop(n, None)
            resolve_gone()
        elif action[0] == "run_started":
            notifier.on_run_started(run_started())
        elif action[0] == "run_finished":
            notification = notifier.on_run_finished(run_finished())
            check(notification, expect_login=False)
            model.first_import = False
        elif action[0] == "state":
            state, errors = action[1], action[2]
            assert isinstance(state, EngineState) and isinstance(errors, int)
            if state is EngineState.UP_TO_DATE and errors == 0:
                model.failing.clear()
                model.told.clear()
            login = state is EngineState.LOGIN_NEEDED
            notification = notifier.on_state(StateChanged(state=state, errors=errors))
            check(notification, expect_login=login and model.login_armed)
            if login:
                model.login_armed = False
            elif state in (EngineState.UP_TO_DATE, EngineState.ERRORS):
                model.login_armed = True
        elif action[0] == "login":
            check(notifier.on_login_needed(LOGIN_NEEDED), expect_login=model.login_armed)
            model.login_armed = False
        else:
            seconds = action[1]
            assert isinstance(seconds, float)
            clock.now += seconds
            check(notifier.tick(), expect_login=False)
    # Nothing is lost: once a run ends, every fault that still holds has been told (or met
    # during the first import, when the person setting Ferry up was looking).
    check(notifier.on_run_finished(run_finished()), expect_login=False)
    model.first_import = False
    for fault in model.counts():
        assert fault in model.told
    assert notifier.pending == 0
