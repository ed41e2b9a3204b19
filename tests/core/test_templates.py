import ntpath
import os
import posixpath
import tempfile
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from app.core.kinds import DocumentKind
from app.core.language import Language
from app.core.names import NameIssue, TargetOS, name_issues, running_target
from app.core.problems import Problem, ProblemCode
from app.core.templates import (
    ClientValues,
    DestinationPaths,
    check_template,
    render_path,
)
from app.core.variables import VARIABLES, VariableKey, closest_spelling, find_variable

# The rules are the target's, never the running OS's: they run on Linux (ntpath for Windows
# targets) and on the Windows CPython (scripts/test-windows), where os.path IS ntpath.
pytestmark = pytest.mark.windows

W, P = TargetOS.WINDOWS, TargetOS.POSIX
PEETERS = ClientValues(
    name="Bakkerij Peeters BV",
    vat_number="BE 0403.019.261",
    accounting_file_id="D00042",
    country="BE",
)
DAY = date(2026, 3, 9)


# --- real-world templates: the platform's help-page examples and other layouts ---------------


@pytest.mark.parametrize(
    ("template", "kind", "expected"),
    [
        (
            r"C:\Winbooks\Data\[identifiant_entreprise]\inbound",
            DocumentKind.PURCHASE,
            r"C:\Winbooks\Data\BE0403019261\inbound",
        ),
        (
            r"C:\Winbooks\Data\[enterprise_identifier]\inbound",
            DocumentKind.PURCHASE,
            r"C:\Winbooks\Data\BE0403019261\inbound",
        ),
        (
            r"C:\adsolutclient\UBLDocs\[accounting_file_id]\outbound",
            DocumentKind.SALES,
            r"C:\adsolutclient\UBLDocs\D00042\outbound",
        ),
        (
            r"C:\adsolutclient\UBLDocs\[id_fichier_comptable]\outbound",
            DocumentKind.SALES,
            r"C:\adsolutclient\UBLDocs\D00042\outbound",
        ),
        (
            r"D:\Facturen Billtobox\[enterprise_name]_[enterprise_identifier]\outbound",
            DocumentKind.SALES,
            r"D:\Facturen Billtobox\Bakkerij Peeters BV_BE0403019261\outbound",
        ),
        (
            r"D:\Facturen Billtobox\[nom_entreprise]_[identifiant_entreprise]\outbound",
            DocumentKind.SALES,
            r"D:\Facturen Billtobox\Bakkerij Peeters BV_BE0403019261\outbound",
        ),
        (
            r"\\fileserver\boekhouding\[enterprise_identifier]\[document_type]\[year]\[month]",
            DocumentKind.STATEMENT,
            r"\\fileserver\boekhouding\BE0403019261\statements\2026\03",
        ),
        (
            "C:/Venice/Import/[annee]-[mois]/[type_document]/",
            DocumentKind.RECEIPT,
            r"C:\Venice\Import\2026-03\receipts",
        ),
        (
            r"E:\Expert M\[Accounting_File_ID]\[jaar]\[maand]",
            DocumentKind.OTHER,
            r"E:\Expert M\D00042\2026\03",
        ),
        (r"C:\Octopus", DocumentKind.PURCHASE, r"C:\Octopus"),
        ("C:\\", DocumentKind.PURCHASE, "C:\\"),
    ],
)
def test_windows_real_world_templates(template: str, kind: DocumentKind, expected: str) -> None:
    result = render_path(template, PEETERS, kind, DAY, W)
    assert result.problems == ()
    assert result.path == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "/srv/boekhouding/[enterprise_identifier]/inbound",
            "/srv/boekhouding/BE0403019261/inbound",
        ),
        ("/mnt/winbooks/[nom_entreprise]/[year]/", "/mnt/winbooks/Bakkerij Peeters BV/2026"),
        ("/data/a:b/[accounting_file_id]", "/data/a:b/D00042"),
        ("/", "/"),
    ],
)
def test_posix_templates(template: str, expected: str) -> None:
    result = render_path(template, PEETERS, DocumentKind.PURCHASE, DAY, P)
    assert result.path == expected


def test_target_os_rules_do_not_depend_on_the_running_os() -> None:
    # the same text is judged by the rules of where it will be used
    assert render_path(r"C:\x\[year]", PEETERS, DocumentKind.SALES, DAY, W).ok
    assert not render_path(r"C:\x\[year]", PEETERS, DocumentKind.SALES, DAY, P).ok
    assert render_path("/x/a:b", PEETERS, DocumentKind.SALES, DAY, P).ok
    assert not render_path("/x/a:b", PEETERS, DocumentKind.SALES, DAY, W).ok


def test_month_is_two_digits_and_year_four() -> None:
    result = render_path("/a/[year]/[month]", PEETERS, DocumentKind.SALES, date(987, 1, 31), P)
    assert result.path == "/a/0987/01"


def test_values_are_made_safe_not_refused() -> None:
    hostile = ClientValues(name="../../Windows/System32", vat_number="BE0403019261")
    result = render_path(r"C:\Data\[enterprise_name]\in", hostile, DocumentKind.PURCHASE, DAY, W)
    assert result.path == r"C:\Data\.._.._Windows_System32\in"
    reserved = ClientValues(name="x", accounting_file_id="CON")
    result = render_path(r"C:\Data\[accounting_file_id]", reserved, DocumentKind.PURCHASE, DAY, W)
    assert result.path == r"C:\Data\_CON"


def test_a_long_value_is_cut_and_the_fixed_text_kept() -> None:
    client = ClientValues(name="N" * 400, vat_number="BE0403019261")
    result = render_path(
        "/s/[enterprise_name]_[enterprise_identifier]", client, DocumentKind.SALES, DAY, P
    )
    assert result.path is not None
    last = PurePosixPath(result.path).name
    assert len(last) == 255 and last.endswith("_BE0403019261")


# --- every problem, with words a person understands ---------------------------------------------

PROBLEM_CASES: list[tuple[str, TargetOS, ClientValues, ProblemCode, str]] = [
    ("", W, PEETERS, ProblemCode.EMPTY_TEMPLATE, "The path is empty"),
    ("   ", P, PEETERS, ProblemCode.EMPTY_TEMPLATE, "e.g. /srv/"),
    (r"C:\x\[year", W, PEETERS, ProblemCode.UNCLOSED_BRACKET, "is never closed"),
    (r"C:\x\year]", W, PEETERS, ProblemCode.STRAY_BRACKET, "closes nothing"),
    (
        r"C:\x\[enterprise_nam]",
        W,
        PEETERS,
        ProblemCode.UNKNOWN_VARIABLE,
        "Did you mean [enterprise_name]?",
    ),
    (
        r"C:\x\[identifiant_entrepris]",
        W,
        PEETERS,
        ProblemCode.UNKNOWN_VARIABLE,
        "[identifiant_entreprise]",
    ),
    (
        r"C:\x\[zzz]",
        W,
        PEETERS,
        ProblemCode.UNKNOWN_VARIABLE,
        "[zzz] is not a variable Ferry knows.",
    ),
    (r"Winbooks\Data", W, PEETERS, ProblemCode.RELATIVE_PATH, "start it with a drive"),
    (r"C:Winbooks", W, PEETERS, ProblemCode.RELATIVE_PATH, "write C:\\"),
    (r"\Winbooks", W, PEETERS, ProblemCode.RELATIVE_PATH, "names no drive"),
    ("winbooks/data", P, PEETERS, ProblemCode.RELATIVE_PATH, "start it with /"),
    ("~/winbooks", P, PEETERS, ProblemCode.RELATIVE_PATH, "start it with /"),
    (r"\\?\C:\x", W, PEETERS, ProblemCode.DEVICE_PATH, "not supported"),
    (r"\\server", W, PEETERS, ProblemCode.INCOMPLETE_UNC, "needs a server and a share"),
    (r"\\[enterprise_name]\share\x", W, PEETERS, ProblemCode.VARIABLE_IN_ROOT, "below"),
    (r"C:\x\\y", W, PEETERS, ProblemCode.EMPTY_COMPONENT, "two separators in a row"),
    ("/x//y", P, PEETERS, ProblemCode.EMPTY_COMPONENT, "empty folder name"),
    (r"C:\x\..\y", W, PEETERS, ProblemCode.DOT_COMPONENT, "'..' cannot be a folder"),
    ("/x/./y", P, PEETERS, ProblemCode.DOT_COMPONENT, "'.'"),
    (r"C:\x\a<b>", W, PEETERS, ProblemCode.FORBIDDEN_CHARACTER, "holds < >, which Windows"),
    (r"C:\x\a:b", W, PEETERS, ProblemCode.FORBIDDEN_CHARACTER, "holds :"),
    (r"C:\x\what?[year]", W, PEETERS, ProblemCode.FORBIDDEN_CHARACTER, "holds ?"),
    ("/x/a\x00b", P, PEETERS, ProblemCode.FORBIDDEN_CHARACTER, "this system"),
    ("C:\\x\\a\tb", W, PEETERS, ProblemCode.CONTROL_CHARACTER, "control character"),
    (r"C:\CON\x", W, PEETERS, ProblemCode.RESERVED_NAME, "'CON' is a name Windows keeps"),
    (r"C:\x\lpt1.txt", W, PEETERS, ProblemCode.RESERVED_NAME, "device"),
    (
        r"C:\x\inbound.\y",
        W,
        PEETERS,
        ProblemCode.TRAILING_DOT_OR_SPACE,
        "ends with a dot or a space",
    ),
    ("C:\\x\\inbound \\y", W, PEETERS, ProblemCode.TRAILING_DOT_OR_SPACE, "'inbound '"),
    ("C:\\x\\" + "a" * 256, W, PEETERS, ProblemCode.COMPONENT_TOO_LONG, "256 characters long"),
    ("C:\\" + "\\".join(["folder"] * 40), W, PEETERS, ProblemCode.PATH_TOO_LONG, "at most 259"),
    (
        "C:\\" + "\\".join(["f" * 20] * 12) + "\\[enterprise_name]",
        W,
        PEETERS,
        ProblemCode.PATH_TOO_LONG,
        "For Bakkerij Peeters BV the path would be",
    ),
    ("/" + "/".join(["f" * 200] * 21), P, PEETERS, ProblemCode.PATH_TOO_LONG, "bytes long"),
    (
        r"C:\x\[accounting_file_id]",
        W,
        ClientValues(name="Dupont"),
        ProblemCode.MISSING_VALUE,
        "Dupont has no accounting file id, which [accounting_file_id] needs",
    ),
    (
        r"C:\x\[identifiant_entreprise]",
        W,
        ClientValues(name="Dupont", vat_number=" "),
        ProblemCode.MISSING_VALUE,
        "Dupont has no VAT number, which [identifiant_entreprise] needs",
    ),
    (
        r"C:\x\[nom_entreprise]",
        W,
        ClientValues(vat_number="BE0403019261"),
        ProblemCode.MISSING_VALUE,
        "BE0403019261 has no company name",
    ),
    (
        r"C:\x\[enterprise_identifier]",
        W,
        ClientValues(name="Dupont", vat_number="BE0403019262"),
        ProblemCode.INVALID_VAT,
        "check digits are wrong",
    ),
    (
        r"C:\x\[enterprise_name]",
        W,
        ClientValues(name=" ... "),
        ProblemCode.EMPTY_VALUE,
        "gives an empty folder name",
    ),
]


@pytest.mark.parametrize(("template", "target", "client", "code", "words"), PROBLEM_CASES)
def test_problem_cases(
    template: str, target: TargetOS, client: ClientValues, code: ProblemCode, words: str
) -> None:
    result = render_path(template, client, DocumentKind.PURCHASE, DAY, target)
    assert result.path is None
    codes = [problem.code for problem in result.problems]
    assert code in codes
    message = next(p for p in result.problems if p.code is code).message()
    assert words in message, message


def test_every_problem_code_has_a_case() -> None:
    assert {case[3] for case in PROBLEM_CASES} == set(ProblemCode)


@pytest.mark.parametrize(("template", "target", "client", "code", "words"), PROBLEM_CASES)
@pytest.mark.parametrize("language", [Language.FR, Language.NL])
def test_every_problem_is_said_in_french_and_dutch(
    template: str,
    target: TargetOS,
    client: ClientValues,
    code: ProblemCode,
    words: str,
    language: Language,
) -> None:
    result = render_path(template, client, DocumentKind.PURCHASE, DAY, target)
    for problem in result.problems:
        said = problem.message(language)
        assert said and "{" not in said and said != problem.message(Language.EN)


def test_all_problems_are_found_at_once() -> None:
    result = render_path(r"Winbooks\[enterprise_nam]\[year", PEETERS, DocumentKind.SALES, DAY, W)
    assert {p.code for p in result.problems} == {
        ProblemCode.UNKNOWN_VARIABLE,
        ProblemCode.UNCLOSED_BRACKET,
        ProblemCode.RELATIVE_PATH,
    }
    client = ClientValues(name="...", vat_number="BE0403019262")
    result = render_path(
        r"C:\[nom_entreprise]\[enterprise_identifier]", client, DocumentKind.SALES, DAY, W
    )
    assert {p.code for p in result.problems} == {ProblemCode.EMPTY_VALUE, ProblemCode.INVALID_VAT}


def test_problem_spans_point_at_the_cause() -> None:
    template = r"C:\Data\[enterprise_nam]\x"
    (problem,) = check_template(template, W).problems
    assert problem.start is not None and problem.end is not None
    assert template[problem.start : problem.end] == "[enterprise_nam]"
    template = r"C:\Data\a|b\x"
    (problem,) = check_template(template, W).problems
    assert problem.start is not None and problem.end is not None
    assert template[problem.start : problem.end] == "a|b"


def test_a_long_client_name_is_shortened_in_messages() -> None:
    client = ClientValues(name="N" * 400, vat_number="BE0403019261")
    result = render_path(r"\\s\share\[enterprise_name]", client, DocumentKind.SALES, DAY, W)
    (problem,) = result.problems
    assert problem.code is ProblemCode.PATH_TOO_LONG
    assert "N" * 60 + "…" in problem.message() and "N" * 61 not in problem.message()


def test_problem_equality_and_text() -> None:
    one = Problem.of(ProblemCode.DOT_COMPONENT, name="..")
    assert one == Problem.of(ProblemCode.DOT_COMPONENT, name="..")
    assert str(one) == one.message(Language.EN)


def test_fixed_prefix() -> None:
    parsed = check_template(r"C:\Winbooks\Data\[identifiant_entreprise]\inbound", W).parsed
    assert parsed is not None
    assert parsed.fixed_prefix == r"C:\Winbooks\Data"
    assert parsed.variables == {VariableKey.ENTERPRISE_IDENTIFIER}
    unc = check_template(r"\\srv\share\[year]", W).parsed
    assert unc is not None and unc.fixed_prefix == "\\\\srv\\share\\"
    posix = check_template("/srv/[year]/x", P).parsed
    assert posix is not None and posix.fixed_prefix == "/srv"


# --- variables as data -------------------------------------------------------------------------


def test_every_variable_has_a_spelling_and_meaning_in_every_language() -> None:
    seen: set[str] = set()
    for variable in VARIABLES:
        for language in Language:
            assert variable.spelling(language)
            assert variable.meaning[language]
            for spelling in variable.spellings[language]:
                assert spelling not in seen or find_variable(spelling) is variable
                seen.add(spelling)
    assert {v.key for v in VARIABLES} == set(VariableKey)


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("enterprise_name", VariableKey.ENTERPRISE_NAME),
        ("nom_entreprise", VariableKey.ENTERPRISE_NAME),
        ("enterprise_identifier", VariableKey.ENTERPRISE_IDENTIFIER),
        ("identifiant_entreprise", VariableKey.ENTERPRISE_IDENTIFIER),
        ("accounting_file_id", VariableKey.ACCOUNTING_FILE_ID),
        ("id_fichier_comptable", VariableKey.ACCOUNTING_FILE_ID),
        ("YEAR", VariableKey.YEAR),
        ("année", VariableKey.YEAR),
        ("month", VariableKey.MONTH),
        ("document_type", VariableKey.DOCUMENT_TYPE),
    ],
)
def test_spellings(spelling: str, key: VariableKey) -> None:
    found = find_variable(spelling)
    assert found is not None and found.key is key


def test_closest_spelling() -> None:
    assert closest_spelling("entreprise_name") == "enterprise_name"
    assert closest_spelling("id_fichier_comptabe") == "id_fichier_comptable"
    assert closest_spelling("qqqqqqqqqq") is None


# --- destinations --------------------------------------------------------------------------------


def test_destination_general_or_per_kind() -> None:
    general = DestinationPaths(general=r"C:\In\[document_type]")
    assert set(general.templates()) == set(DocumentKind)
    split = DestinationPaths(
        per_kind={DocumentKind.PURCHASE: r"C:\In", DocumentKind.STATEMENT: r"C:\Coda"}
    )
    assert split.template_for(DocumentKind.SALES) is None
    assert split.template_for(DocumentKind.STATEMENT) == r"C:\Coda"
    with pytest.raises(ValueError, match="either one general path or paths per kind"):
        DestinationPaths()
    with pytest.raises(ValueError, match="either one general path or paths per kind"):
        DestinationPaths(general="C:\\", per_kind={DocumentKind.SALES: "C:\\"})


# --- properties: whatever the client values, the result is refused or stays inside ---------------

HOSTILE_VALUES = [
    "..",
    ".",
    "../..",
    "..\\..",
    "C:\\Windows",
    "\\\\evil\\share",
    "/etc",
    "CON",
    "nul.txt",
    "COM1",
    "a\x00b",
    "\n",
    " ",
    "",
    "x" * 300,
    "😀" * 130,
    "trailing.",
    "Dupont & Fils: Conseil",
]
values = st.one_of(
    st.none(),
    st.text(),
    st.sampled_from(HOSTILE_VALUES),
    st.lists(st.sampled_from(HOSTILE_VALUES), max_size=4).map("/".join),
)
clients = st.builds(
    ClientValues,
    name=values,
    vat_number=st.one_of(
        values, st.sampled_from(["BE0403019261", "NL004495445B01", "BE0403019262"])
    ),
    accounting_file_id=values,
    country=st.sampled_from([None, "BE", "NL", "FR", "LU", "DE", "XX"]),
)
TEMPLATES = {
    W: [
        r"C:\Winbooks\Data\[identifiant_entreprise]\inbound",
        r"C:\adsolutclient\UBLDocs\[accounting_file_id]\outbound",
        r"D:\Facturen Billtobox\[enterprise_name]_[enterprise_identifier]\outbound",
        r"\\server\share\[nom_entreprise]\[document_type]\[year]\[month]",
        r"C:\[enterprise_name]",
        r"C:\x\[enterprise_name].[accounting_file_id]",
        r"C:\x\[accounting_file_id][enterprise_name]",
        "C:\\" + "d" * 200 + "\\[enterprise_name]",
    ],
    P: [
        "/srv/[enterprise_name]/[enterprise_identifier]/in",
        "/[accounting_file_id]",
        "/a/[nom_entreprise]-[annee]-[mois]/[type_document]",
    ],
}


def _assert_valid_and_inside(path: str, prefix: str, target: TargetOS) -> None:
    separator = "\\" if target is W else "/"
    assert path == prefix or path.startswith(prefix.rstrip(separator) + separator)
    if target is W:
        pure = PureWindowsPath(path)
        assert pure.is_absolute()
        # normalised; a drive or a share root keeps its last backslash
        assert ntpath.normpath(path) == path.rstrip("\\") or path == pure.anchor
        assert len(path) < 260
        names = pure.parts[1:]
    else:
        pure_posix = PurePosixPath(path)
        assert pure_posix.is_absolute()
        assert posixpath.normpath(path) == path
        names = pure_posix.parts[1:]
    for name in names:
        assert name_issues(name, target) == [], name
        assert name not in (".", "..")


@settings(max_examples=400)
@given(
    target=st.sampled_from([W, P]),
    data=st.data(),
    client=clients,
    kind=st.sampled_from(list(DocumentKind)),
    on=st.dates(),
)
def test_any_client_is_refused_with_a_problem_or_lands_inside(
    target: TargetOS, data: st.DataObject, client: ClientValues, kind: DocumentKind, on: date
) -> None:
    template = data.draw(st.sampled_from(TEMPLATES[target]))
    parsed = check_template(template, target).parsed
    assert parsed is not None
    result = render_path(template, client, kind, on, target)
    if result.path is None:
        assert result.problems
        for problem in result.problems:
            for language in Language:
                assert problem.message(language).strip()  # said, with every value filled in
        return
    assert result.problems == ()
    _assert_valid_and_inside(result.path, parsed.fixed_prefix, target)
    if target is P:
        # values are portable: what a client's value produced is also valid on Windows
        for name in PurePosixPath(result.path).parts[
            len(PurePosixPath(parsed.fixed_prefix).parts) :
        ]:
            assert [i for i in name_issues(name, W) if i is not NameIssue.TOO_LONG] == []


PIECES = [*"Cab:\\/[]._ -?<*\x01é", "[year]", "[enterprise_name]", "CON", "..", "C:\\", "\\\\"]
path_text = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)


@settings(max_examples=400)
@given(template=path_text, target=st.sampled_from([W, P]), client=clients)
@example(template="\\\\C\\C", target=W, client=ClientValues())  # a share's root: \\C\C\
@example(template="/CON", target=P, client=ClientValues())  # typed as is, on Linux it is kept
def test_any_template_text_is_refused_with_a_problem_or_lands_inside(
    template: str, target: TargetOS, client: ClientValues
) -> None:
    checked = check_template(template, target)
    result = render_path(template, client, DocumentKind.PURCHASE, DAY, target)
    if checked.parsed is None:
        assert result.path is None and checked.problems
        return
    if result.path is not None:
        _assert_valid_and_inside(result.path, checked.parsed.fixed_prefix, target)


@settings(max_examples=100, deadline=None)
@given(client=clients, kind=st.sampled_from(list(DocumentKind)), on=st.dates())
def test_a_rendered_path_is_made_as_rendered_on_this_computer(
    client: ClientValues, kind: DocumentKind, on: date
) -> None:
    """A path rendered for this OS, under a real folder: the OS's own path functions agree it
    is inside, and the folders made are exactly the names rendered."""
    with tempfile.TemporaryDirectory() as root:
        template = os.sep.join(
            [root, "[enterprise_name]", "[document_type] [year]-[month]", "[enterprise_identifier]"]
        )
        result = render_path(template, client, kind, on, running_target())
        if result.path is None:
            assert result.problems
            return
        assert os.path.isabs(result.path) and os.path.normpath(result.path) == result.path
        assert os.path.commonpath([root, result.path]) == root
        parts = Path(result.path).relative_to(root).parts
        assert len(parts) == 3
        # Wine keeps Windows names on a Linux file system: at most 255 bytes of UTF-8 each
        assume(all(len(part.encode("utf-8", "surrogatepass")) <= 255 for part in parts))
        Path(result.path).mkdir(parents=True)
        here = Path(root)
        for part in parts:
            assert os.listdir(here) == [part]
            here = here / part
