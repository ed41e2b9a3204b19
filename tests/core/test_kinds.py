import pytest

from app.core.kinds import DeliveryStatus, DocumentKind, parse_kind
from app.core.language import Language, parse_language


@pytest.mark.parametrize("language", list(Language))
def test_every_kind_and_status_has_distinct_words_in_every_language(language: Language) -> None:
    kind_words = [kind.label(language) for kind in DocumentKind]
    status_words = [status.label(language) for status in DeliveryStatus]
    assert all(word.strip() for word in kind_words + status_words)
    assert len(set(kind_words)) == len(kind_words)
    assert len(set(status_words)) == len(status_words)


def test_words_people_see() -> None:
    assert DeliveryStatus.TO_FETCH.label() == "To fetch"
    assert DeliveryStatus.FORWARDED.label(Language.FR) == "Transféré"
    assert DeliveryStatus.ERROR.label(Language.NL) == "Fout"
    assert DocumentKind.PURCHASE.label(Language.NL) == "Aankoopfactuur"
    assert DocumentKind.STATEMENT.label(Language.FR) == "Extrait de compte"


def test_api_values_are_the_platform_contract() -> None:
    assert [k.value for k in DocumentKind] == ["purchase", "sales", "statement", "receipt", "other"]
    assert [s.value for s in DeliveryStatus] == ["to_fetch", "error", "forwarded"]


def test_folder_words_are_stable_lowercase_and_distinct() -> None:
    words = [kind.folder_word for kind in DocumentKind]
    assert words == ["purchase", "sales", "statements", "receipts", "other"]
    assert all(word.isascii() and word.islower() and word.isalpha() for word in words)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("purchase", DocumentKind.PURCHASE),
        ("SALES", DocumentKind.SALES),
        (" statement ", DocumentKind.STATEMENT),
        ("statements", DocumentKind.STATEMENT),
        ("receipts", DocumentKind.RECEIPT),
        ("other", DocumentKind.OTHER),
    ],
)
def test_parse_kind(text: str, kind: DocumentKind) -> None:
    assert parse_kind(text) is kind


def test_parse_kind_says_what_is_allowed() -> None:
    with pytest.raises(ValueError, match="purchase, sales, statement, receipt, other"):
        parse_kind("invoice")


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("fr_BE.UTF-8", Language.FR),
        ("nl-BE", Language.NL),
        ("en_US", Language.EN),
        ("de_DE", Language.EN),
        (None, Language.EN),
        ("", Language.EN),
        ("NL", Language.NL),
    ],
)
def test_parse_language(code: str | None, language: Language) -> None:
    assert parse_language(code) is language
