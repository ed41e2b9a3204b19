"""Failures as data: every code worded in English, French and Dutch, stored and read back as
JSON, classified for retrying, and grouped by cause."""

from __future__ import annotations

import datetime as dt
import json
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.failures import (
    _MESSAGES,
    TRANSIENT_CODES,
    Action,
    Failure,
    FailureCode,
    NoPdfReason,
    OfflineReason,
    problems_from_param,
    problems_param,
    retry_at_param,
    shown,
)
from app.core.kinds import DocumentKind
from app.core.language import Language
from app.core.names import TargetOS
from app.core.problems import ProblemCode
from app.core.templates import ClientValues, render_path

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
LATER_TODAY = "2026-03-04T14:05:00Z"

_MISSING_VAT = render_path(
    "C:\\Winbooks\\Data\\[enterprise_identifier]\\inbound",
    ClientValues(name="Garage Dubois SRL"),
    DocumentKind.PURCHASE,
    date(2026, 3, 4),
    TargetOS.WINDOWS,
).problems

_FOLDER = {"folder": "\\\\nas\\compta\\Garage Dubois SRL\\2026", "root": "\\\\nas\\compta\\"}
_SAID = {"said": "Accès refusé-XYZ"}
_DOC = {"action": Action.DOWNLOAD.value, "document": "doc_7Q2"}

#: A failure of every code with the parameters its raiser gives it. A new code without an
#: entry here fails test_every_code_has_a_sample.
SAMPLES: dict[FailureCode, dict[str, str]] = {
    FailureCode.PERMISSION: {**_FOLDER, **_SAID, "errno": "13"},
    FailureCode.DISK_FULL: {**_FOLDER, **_SAID},
    FailureCode.PATH_TOO_LONG: {**_FOLDER, **_SAID},
    FailureCode.LOCKED: {**_FOLDER, **_SAID, "retry_at": LATER_TODAY},
    FailureCode.UNREACHABLE: {**_FOLDER, **_SAID},
    FailureCode.NOT_A_FOLDER: {**_FOLDER, **_SAID},
    FailureCode.NAME_CLASH: {**_FOLDER, "name": "INV-2026-0042.xml", "limit": "999"},
    FailureCode.OS_OTHER: {**_FOLDER, **_SAID, "errno": "71"},
    FailureCode.CHECKSUM: {"name": "INV-42.xml", "size": "1200", "expected_size": "1234"},
    FailureCode.DOWNLOAD_CUT: {"name": "INV-42.xml", "said": "peer closed connection"},
    FailureCode.NO_PDF: {"document": "INV-2026-0042", "reason": NoPdfReason.NONE.value},
    FailureCode.TOO_BIG: {"name": "INV-42.xml", "size": "70000000", "limit": "67108864"},
    FailureCode.PATH_TEMPLATE: {
        "destination": "Winbooks Gent",
        "client": "Garage Dubois SRL",
        "problems": problems_param(_MISSING_VAT),
    },
    FailureCode.PLATFORM_BUSY: {**_DOC, "status": "429", "retry_at": LATER_TODAY},
    FailureCode.PLATFORM_UNAVAILABLE: {**_DOC, "status": "503", "detail": "maintenance-7"},
    FailureCode.PLATFORM_ERROR: {**_DOC, "status": "500"},
    FailureCode.PLATFORM_REFUSED: {**_DOC, "status": "409", "detail": "conflict-9"},
    FailureCode.PLATFORM_NOT_FOUND: {**_DOC, "status": "404"},
    FailureCode.PLATFORM_NOT_UNDERSTOOD: {"action": Action.READ_OFFICE.value},
    FailureCode.PLATFORM_INCONSISTENT: {"sent": "50", "answered": "49"},
    FailureCode.LOGIN_REFUSED: {**_DOC, "status": "401"},
    FailureCode.FORBIDDEN: {"action": Action.REPORT_TASK.value, "task": "task_88", "status": "403"},
    FailureCode.OFFLINE: {**_DOC, "reason": OfflineReason.CUT.value, "said": "EOF-17"},
    FailureCode.LOGIN_NEEDED: {"said": "invalid_grant"},
    FailureCode.NOT_REPORTED: {"platform": "Billit"},
    FailureCode.INTERNAL: {"document": "INV-2026-0042", "said": "database is locked"},
    FailureCode.UNKNOWN: {"unknown_code": "quantum_flux"},
}

#: Parameters put into the sentence as they are (the others are worded: action, reason,
#: problems, retry_at; or only identify the cause: root, errno, client; the status is shown
#: where the code does not already say it, see STATUS_SHOWN).
VERBATIM = {
    "folder",
    "said",
    "name",
    "document",
    "size",
    "expected_size",
    "limit",
    "destination",
    "detail",
    "task",
    "count",
    "sent",
    "answered",
    "unknown_code",
}

#: Words that betray English left in a French or Dutch sentence. "platform" is one only in
#: French ("plateforme"): in Dutch it is the Dutch word, as in all of Ferry's Dutch texts.
TELL_TALE = [
    "the",
    "folder",
    "folders",
    "cannot",
    "can't",
    "Ferry will try again",
    "file",
    "files",
    "disk",
    "while",
    "was",
    "were",
    "failed",
    "please",
    "again",
    "try",
    "will",
    "reached",
    "refused",
    "busy",
    "login",
    "invoice",
    "download",
    "checksum",
    "share",
    "network",
    "held",
    "could",
    "not",
    "and",
    "with",
    "your",
    "this",
    "that",
    "full",
    "path",
    "too",
    "space",
    "settings",
    "support",
    "answer",
    "program",
    "system",
    "said",
    "error",
    "unavailable",
    "request",
    "results",
    "reports",
]
TELL_TALE_BY_LANGUAGE = {Language.FR: [*TELL_TALE, "platform"], Language.NL: TELL_TALE}


STATUS_SHOWN = {
    FailureCode.PLATFORM_UNAVAILABLE,
    FailureCode.PLATFORM_ERROR,
    FailureCode.PLATFORM_REFUSED,
}


def sample(code: FailureCode) -> Failure:
    return Failure.of(code, **SAMPLES[code])


def test_every_code_has_a_sample() -> None:
    assert set(SAMPLES) == set(FailureCode)


def test_every_message_has_all_three_languages() -> None:
    for (code, variant), words in _MESSAGES.items():
        assert set(words) == set(Language), (code, variant)
    assert {code for code, _ in _MESSAGES} == set(FailureCode)


@pytest.mark.parametrize("code", list(FailureCode))
@pytest.mark.parametrize("language", list(Language))
def test_every_code_is_a_sentence_with_its_parameters(
    code: FailureCode, language: Language
) -> None:
    failure = sample(code)
    text = failure.message(language, now=NOW, zone=UTC)
    assert text.strip() and text[0].isupper() and text.endswith(".")
    assert "?" not in text, f"a parameter is missing: {text}"
    assert "{" not in text and "}" not in text
    for name, value in failure.params:
        if name in VERBATIM:
            assert value in text, f"{name}={value!r} not in {text!r}"
    if code in STATUS_SHOWN:
        assert f"({failure.param('status')})" in text
    if failure.param("retry_at"):
        assert "14:05" in text
    if failure.param("document") and failure.param("action"):
        assert "doc_7Q2" in text


@pytest.mark.parametrize("code", list(FailureCode))
@pytest.mark.parametrize("language", [Language.FR, Language.NL])
def test_french_and_dutch_are_translated(code: FailureCode, language: Language) -> None:
    failure = sample(code)
    english = failure.message(Language.EN, now=NOW, zone=UTC)
    text = failure.message(language, now=NOW, zone=UTC)
    assert text != english
    # the words of the sentence, without the parameters put in as they are
    words = text
    for name, value in failure.params:
        if name in VERBATIM:
            words = words.replace(value, " ")
    for tell_tale in TELL_TALE_BY_LANGUAGE[language]:
        pattern = rf"(?<![\w'-]){re.escape(tell_tale)}(?![\w'-])"
        assert not re.search(pattern, words, re.IGNORECASE), f"{tell_tale!r} in {text!r}"


@pytest.mark.parametrize("code", list(FailureCode))
def test_french_typography(code: FailureCode) -> None:
    text = sample(code).message(Language.FR, now=NOW, zone=UTC)
    for name, value in sample(code).params:
        if name in VERBATIM:
            text = text.replace(value, "x")
    text = re.sub(r"\d\d:\d\d", "hh", text)
    assert not re.search(r"\S[:;?!]", text), text
    assert '"' not in text and "“" not in text


@pytest.mark.parametrize("reason", list(OfflineReason))
def test_each_offline_reason_has_its_own_words(reason: OfflineReason) -> None:
    texts = {
        language: Failure.of(FailureCode.OFFLINE, reason=reason.value).message(language)
        for language in Language
    }
    generic = {language: Failure.of(FailureCode.OFFLINE).message(language) for language in Language}
    for language in Language:
        assert texts[language] != generic[language]
    assert len(set(texts.values())) == 3


def test_an_unreadable_invoice_is_worded_apart_from_one_without_a_pdf() -> None:
    none = Failure.of(FailureCode.NO_PDF, document="INV-1", reason=NoPdfReason.NONE.value)
    unreadable = Failure.of(
        FailureCode.NO_PDF,
        document="INV-1",
        reason=NoPdfReason.UNREADABLE.value,
        said="Premature end of data",
    )
    for language in Language:
        assert none.message(language) != unreadable.message(language)
        assert "Premature end of data" in unreadable.message(language)


def test_every_action_is_worded_in_each_language() -> None:
    for action in Action:
        failure = Failure.of(
            FailureCode.PLATFORM_ERROR,
            status=500,
            action=action.value,
            document="D1",
            task="T1",
            count=3,
        )
        texts = [failure.message(language) for language in Language]
        assert len(set(texts)) == 3
        generic = Failure.of(FailureCode.PLATFORM_ERROR, status=500).message()
        assert texts[0] != generic, action


# --- the retry time ---------------------------------------------------------------------------


def test_the_retry_time_is_worded_in_the_sentence_language() -> None:
    failure = Failure.of(FailureCode.LOCKED, folder="/srv/books", retry_at=LATER_TODAY)
    assert failure.message(Language.EN, now=NOW, zone=UTC).endswith(
        "Ferry will try again at 14:05."
    )
    assert failure.message(Language.FR, now=NOW, zone=UTC).endswith("Ferry réessaiera à 14:05.")
    assert failure.message(Language.NL, now=NOW, zone=UTC).endswith(
        "Ferry probeert het om 14:05 opnieuw."
    )


def test_the_retry_time_is_local_and_dated_when_not_today() -> None:
    brussels = dt.timezone(dt.timedelta(hours=1))
    failure = Failure.of(FailureCode.DISK_FULL, folder="/srv/books", retry_at="2026-03-05T08:30Z")
    assert failure.message(Language.EN, now=NOW, zone=brussels).endswith(
        "Ferry will try again on 05/03 at 09:30."
    )
    assert failure.message(Language.FR, now=NOW, zone=brussels).endswith(
        "Ferry réessaiera le 05/03 à 09:30."
    )
    assert failure.message(Language.NL, now=NOW, zone=brussels).endswith(
        "Ferry probeert het op 05/03 om 09:30 opnieuw."
    )


def test_a_transient_failure_without_a_time_says_ferry_tries_by_itself() -> None:
    failure = Failure.of(FailureCode.UNREACHABLE, folder="/srv/books")
    assert failure.message().endswith("Ferry will try again by itself.")
    permanent = Failure.of(FailureCode.PERMISSION, folder="/srv/books")
    assert "try again" not in permanent.message()


def test_retry_at_param_is_iso_utc() -> None:
    assert retry_at_param(dt.datetime(2026, 3, 4, 14, 5, 7, 123, tzinfo=UTC)) == (
        "2026-03-04T14:05:07Z"
    )
    assert retry_at_param(0.0) == "1970-01-01T00:00:00Z"


# --- shown paths -----------------------------------------------------------------------------


def test_a_long_folder_is_shortened_in_the_middle_and_the_remedy_kept() -> None:
    folder = "\\\\nas\\compta\\" + "\\".join(["niveau-très-profond"] * 20) + "\\fin-du-chemin"
    failure = Failure.of(FailureCode.PERMISSION, folder=folder, said="Access is denied")
    text = failure.message(Language.EN)
    assert shown(folder) in text and "…" in shown(folder) and len(shown(folder)) <= 160
    assert shown(folder).startswith("\\\\nas\\compta\\") and shown(folder).endswith("fin-du-chemin")
    assert text.endswith("give the account that runs Ferry permission to write there.")
    assert shown("/short") == "/short"


# --- path template problems ------------------------------------------------------------------


def test_path_template_problems_are_worded_by_the_core_problems() -> None:
    failure = sample(FailureCode.PATH_TEMPLATE)
    assert _MISSING_VAT and _MISSING_VAT[0].code is ProblemCode.MISSING_VALUE
    for language in Language:
        text = failure.message(language)
        assert "Winbooks Gent" in text
        for problem in _MISSING_VAT:
            assert problem.message(language) in text
    assert problems_from_param(failure.param("problems")) == [
        type(p)(p.code, p.params, variant=p.variant) for p in _MISSING_VAT
    ]


def test_unreadable_problems_do_not_break_the_message() -> None:
    for garbage in ["not json", "5", '[{"code": "from_the_future"}]', '[{"x": 1}]', "[1]"]:
        failure = Failure.of(FailureCode.PATH_TEMPLATE, destination="D", problems=garbage)
        for language in Language:
            assert failure.message(language).startswith(("The path", "Le chemin", "Het pad"))


# --- JSON ------------------------------------------------------------------------------------

_names = st.text(min_size=1, max_size=20)
_values = st.text(max_size=60)


@given(
    code=st.sampled_from(list(FailureCode)),
    params=st.dictionaries(_names, _values, max_size=6),
)
def test_json_round_trip(code: FailureCode, params: dict[str, str]) -> None:
    failure = Failure.of(code, **params)
    data = json.loads(json.dumps(failure.to_json()))
    again = Failure.from_json(data)
    if code is FailureCode.UNKNOWN and "unknown_code" not in params:
        assert again.code is FailureCode.UNKNOWN
    else:
        assert again == failure
        assert hash(again) == hash(failure)
    for language in Language:  # any parameters at all: words, never a crash
        assert again.message(language)


def test_params_are_sorted_strings() -> None:
    failure = Failure.of(FailureCode.CHECKSUM, size=12, name="a.xml", expected_size=None)
    assert failure.params == (("name", "a.xml"), ("size", "12"))
    assert failure.param("size") == "12" and failure.param("expected_size") is None
    assert failure.with_params(size=None, expected_size=13).params == (
        ("expected_size", "13"),
        ("name", "a.xml"),
    )


def test_an_unknown_code_from_a_newer_version_still_words_itself() -> None:
    failure = Failure.from_json({"code": "quantum_flux", "params": {"folder": "/x", "n": 3}})
    assert failure.code is FailureCode.UNKNOWN
    assert failure.param("unknown_code") == "quantum_flux"
    assert failure.param("folder") == "/x" and failure.param("n") == "3"
    assert not failure.transient
    for language in Language:
        assert "quantum_flux" in failure.message(language)
    assert failure.key() == "unknown|unknown_code=quantum_flux"


@pytest.mark.parametrize(
    "data",
    [None, [], "permission", {}, {"code": 5}, {"code": None, "params": []}, {"params": "x"}],
)
def test_malformed_json_is_an_unknown_failure(data: object) -> None:
    failure = Failure.from_json(data)
    assert failure.code is FailureCode.UNKNOWN
    assert all(failure.message(language) for language in Language)


def test_codes_stored_by_older_versions_are_read() -> None:
    assert FailureCode("other") is FailureCode.OS_OTHER is FailureCode["OTHER"]
    assert FailureCode("path") is FailureCode.PATH_TEMPLATE
    assert Failure.from_json({"code": "platform", "params": {}}).code is (
        FailureCode.PLATFORM_REFUSED
    )


# --- transient ---------------------------------------------------------------------------------

TRANSIENT = {
    FailureCode.LOCKED: True,
    FailureCode.UNREACHABLE: True,
    FailureCode.DOWNLOAD_CUT: True,
    FailureCode.PLATFORM_BUSY: True,
    FailureCode.PLATFORM_UNAVAILABLE: True,
    FailureCode.PLATFORM_ERROR: True,
    FailureCode.PLATFORM_INCONSISTENT: True,
    FailureCode.OFFLINE: True,
    FailureCode.PERMISSION: False,
    FailureCode.DISK_FULL: False,
    FailureCode.PATH_TOO_LONG: False,
    FailureCode.NOT_A_FOLDER: False,
    FailureCode.NAME_CLASH: False,
    FailureCode.OS_OTHER: False,
    FailureCode.CHECKSUM: False,
    FailureCode.NO_PDF: False,
    FailureCode.TOO_BIG: False,
    FailureCode.PATH_TEMPLATE: False,
    FailureCode.PLATFORM_REFUSED: False,
    FailureCode.PLATFORM_NOT_FOUND: False,
    FailureCode.PLATFORM_NOT_UNDERSTOOD: False,
    FailureCode.LOGIN_REFUSED: False,
    FailureCode.FORBIDDEN: False,
    FailureCode.LOGIN_NEEDED: False,
    FailureCode.NOT_REPORTED: False,
    FailureCode.INTERNAL: True,
    FailureCode.UNKNOWN: False,
}


def test_transient_classification() -> None:
    assert set(TRANSIENT) == set(FailureCode)
    for code, transient in TRANSIENT.items():
        assert Failure.of(code).transient is transient, code
    assert {code for code, transient in TRANSIENT.items() if transient} == TRANSIENT_CODES


# --- key -------------------------------------------------------------------------------------


def _unreachable(client: str, document: str, **more: str) -> Failure:
    params = {
        "folder": f"\\\\nas\\compta\\{client}\\2026",
        "root": "\\\\nas\\compta\\",
        "destination": "Winbooks",
        "said": f"The network path was not found ({document})",
        "document": document,
        **more,
    }
    return Failure.of(FailureCode.UNREACHABLE, **params)


def test_key_is_the_same_for_one_cause_in_different_client_folders() -> None:
    a = _unreachable("Garage Dubois SRL", "INV-1")
    b = _unreachable("Brouwerij Het Anker", "INV-2")
    assert a != b and a.key() == b.key()
    assert a.key() == "unreachable|destination=Winbooks|root=\\\\nas\\compta\\"


def test_key_differs_for_another_cause() -> None:
    base = _unreachable("Garage Dubois SRL", "INV-1")
    others = [
        _unreachable("Garage Dubois SRL", "INV-1", root="\\\\other-nas\\compta\\"),
        _unreachable("Garage Dubois SRL", "INV-1", destination="Archive"),
        Failure.of(FailureCode.PERMISSION, **dict(base.params)),
        Failure.of(FailureCode.DISK_FULL, **dict(base.params)),
    ]
    keys = {base.key(), *(other.key() for other in others)}
    assert len(keys) == 1 + len(others)


def test_platform_keys_ignore_the_document() -> None:
    busy = [
        Failure.of(FailureCode.PLATFORM_BUSY, action="download", document=d, retry_at=r)
        for d, r in [("D1", "2026-03-04T10:00Z"), ("D2", "2026-03-04T10:01Z")]
    ]
    assert busy[0].key() == busy[1].key() == "platform_busy"
    refused = [
        Failure.of(FailureCode.PLATFORM_REFUSED, action="report", status=s, document="D1")
        for s in (409, 422)
    ]
    assert refused[0].key() != refused[1].key()


def test_path_template_key_is_the_destination_and_the_problems() -> None:
    def failure(client: str, problems: str) -> Failure:
        return Failure.of(
            FailureCode.PATH_TEMPLATE, destination="Winbooks", client=client, problems=problems
        )

    other_client = render_path(
        "C:\\Winbooks\\Data\\[enterprise_identifier]\\inbound",
        ClientValues(name="Atelier Maes"),
        DocumentKind.SALES,
        date(2026, 3, 4),
        TargetOS.WINDOWS,
    ).problems
    a = failure("Garage Dubois SRL", problems_param(_MISSING_VAT))
    b = failure("Atelier Maes", problems_param(other_client))
    assert a != b and a.key() == b.key()
    assert a.key() == "path_template|destination=Winbooks|problems=missing_value"
    broken = render_path(
        "C:\\Winbooks\\[nope]",
        ClientValues(name="Atelier Maes"),
        DocumentKind.SALES,
        date(2026, 3, 4),
        TargetOS.WINDOWS,
    ).problems
    assert failure("Atelier Maes", problems_param(broken)).key() != a.key()
