import pytest

from app.core.language import Language
from app.core.vat import check_vat


@pytest.mark.parametrize(
    ("number", "country", "compact"),
    [
        ("BE0123456749", None, "BE0123456749"),
        ("BE 0123.456.749", None, "BE0123456749"),
        ("be0123456749", "BE", "BE0123456749"),
        ("0123.456.749", "BE", "BE0123456749"),
        ("BE0403019261", None, "BE0403019261"),
        ("NL004495445B01", None, "NL004495445B01"),
        ("004495445B01", "nl", "NL004495445B01"),
        ("FR40303265045", None, "FR40303265045"),
        ("FR 40 303 265 045", "FR", "FR40303265045"),
        ("LU15027442", None, "LU15027442"),
        ("15027442", "LU", "LU15027442"),
        ("DE136695976", None, "DE136695976"),
        ("136695976", "DE", "DE136695976"),
    ],
)
def test_valid_numbers_are_compacted_with_their_prefix(
    number: str, country: str | None, compact: str
) -> None:
    checked = check_vat(number, country)
    assert checked.valid
    assert checked.compact == compact
    assert checked.reason() is None


@pytest.mark.parametrize(
    ("number", "country", "code", "words"),
    [
        ("BE0123456748", None, "checksum", "check digits are wrong"),
        ("BE0123456749", "NL", "other_country", "not a Dutch VAT number"),
        ("NL004495446B01", None, "checksum", "check digits"),
        ("FR40303265046", None, "checksum", "check digits"),
        ("LU15027443", None, "checksum", "check digits"),
        ("DE136695977", None, "checksum", "check digits"),
        ("BE012345", None, "length", "wrong number of digits"),
        ("0123456749", None, "no_prefix", "has no country code"),
        ("   ", "BE", "empty", "empty"),
        ("BEabcdefghij", None, "format", "not a valid Belgian VAT number"),
    ],
)
def test_invalid_numbers_say_why(number: str, country: str | None, code: str, words: str) -> None:
    checked = check_vat(number, country)
    assert not checked.valid
    assert checked.reason_code == code
    reason = checked.reason()
    assert reason is not None and words in reason


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize(
    "number", ["BE0123456748", "0123456749", "", "BE012345", "BEabcdefghij", "FR1"]
)
def test_every_reason_is_said_in_every_language(number: str, language: Language) -> None:
    reason = check_vat(number).reason(language)
    assert reason and "{" not in reason


def test_french_reason() -> None:
    reason = check_vat("BE0123456748").reason(Language.FR)
    assert reason is not None and "numéro de TVA belge" in reason
