"""Path templates: where each client's documents land, checked before anything is written.

A template such as ``C:\\Winbooks\\Data\\[identifiant_entreprise]\\inbound`` is parsed once
into a root (drive, network share or ``/``) and folder components made of fixed text and
variables. Fixed text is the person's choice and is *checked* (problems are reported, never
silently repaired); values come from the platform and are *made safe* (each becomes exactly
one valid folder name), so a rendered path can never leave the folder the template names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from app.core.kinds import DocumentKind
from app.core.names import (
    MAX_COMPONENT_LENGTH,
    POSIX_MAX_PATH,
    WINDOWS_MAX_PATH,
    TargetOS,
    forbidden_characters,
    is_control,
    is_reserved_windows_name,
    name_issues,
    name_length,
    safe_name,
)
from app.core.problems import Problem, ProblemCode
from app.core.variables import Variable, VariableKey, closest_spelling, find_variable, variable
from app.core.vat import check_vat

EXAMPLES = {
    TargetOS.WINDOWS: "C:\\Winbooks\\Data\\[enterprise_identifier]\\inbound",
    TargetOS.POSIX: "/srv/accounting/[enterprise_identifier]/inbound",
}


@dataclass(frozen=True)
class Segment:
    """A run of fixed text, or one variable, with its span in the template."""

    text: str
    variable: Variable | None
    start: int
    end: int


@dataclass(frozen=True)
class Component:
    """One folder level of the template: fixed text and variables that make one name."""

    segments: tuple[Segment, ...]
    start: int
    end: int

    @property
    def fixed(self) -> bool:
        return all(segment.variable is None for segment in self.segments)

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


@dataclass(frozen=True)
class ParsedTemplate:
    """A template known to be well formed for its target."""

    template: str
    target: TargetOS
    root: str
    components: tuple[Component, ...]

    @property
    def separator(self) -> str:
        return "\\" if self.target is TargetOS.WINDOWS else "/"

    @property
    def variables(self) -> frozenset[VariableKey]:
        return frozenset(
            segment.variable.key
            for component in self.components
            for segment in component.segments
            if segment.variable is not None
        )

    @property
    def fixed_prefix(self) -> str:
        """The folder every rendering stays in: the root and the leading fixed folders."""
        names: list[str] = []
        for component in self.components:
            if not component.fixed:
                break
            names.append(component.text)
        return self.root + self.separator.join(names)


@dataclass(frozen=True)
class TemplateCheck:
    """A template's parse: the parsed form when it is usable, and every problem found."""

    parsed: ParsedTemplate | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.parsed is not None


@dataclass(frozen=True)
class ClientValues:
    """What a template may need from a client; ``None`` or blank means the client lacks it."""

    name: str | None = None
    vat_number: str | None = None
    accounting_file_id: str | None = None
    country: str | None = None

    @property
    def label(self) -> str:
        """How to name this client in a message."""
        for candidate in (self.name, self.vat_number, self.accounting_file_id):
            if candidate and candidate.strip():
                text = " ".join(candidate.split())
                return text if len(text) <= 60 else text[:60] + "…"
        return "?"


@dataclass(frozen=True)
class RenderResult:
    """The resolved folder, or every reason there is none."""

    path: str | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.path is not None


@dataclass(frozen=True)
class DestinationPaths:
    """Where one accounting-software configuration wants documents: one general template,
    or one per document kind (a kind without a template is not delivered there)."""

    general: str | None = None
    per_kind: Mapping[DocumentKind, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.general is None) == (not self.per_kind):
            raise ValueError("a destination has either one general path or paths per kind")

    def template_for(self, kind: DocumentKind) -> str | None:
        if self.general is not None:
            return self.general
        return self.per_kind.get(kind)

    def templates(self) -> dict[DocumentKind, str]:
        return {
            kind: template
            for kind in DocumentKind
            if (template := self.template_for(kind)) is not None
        }


# --- parsing ------------------------------------------------------------------------------------

_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


def _tokenize(template: str, problems: list[Problem]) -> list[Segment]:
    """Split into text and variable segments, reporting brackets and unknown variables."""
    segments: list[Segment] = []
    position = 0
    while position < len(template):
        opening = template.find("[", position)
        closing = template.find("]", position)
        if closing != -1 and (opening == -1 or closing < opening):
            problems.append(
                Problem.of(
                    ProblemCode.STRAY_BRACKET,
                    span=(closing, closing + 1),
                    position=str(closing + 1),
                )
            )
            segments.append(Segment(template[position : closing + 1], None, position, closing + 1))
            position = closing + 1
            continue
        if opening == -1:
            segments.append(Segment(template[position:], None, position, len(template)))
            break
        if opening > position:
            segments.append(Segment(template[position:opening], None, position, opening))
        match = _BRACKETS.match(template, opening)
        if match is None:
            problems.append(
                Problem.of(
                    ProblemCode.UNCLOSED_BRACKET,
                    span=(opening, opening + 1),
                    position=str(opening + 1),
                )
            )
            segments.append(Segment(template[opening:], None, opening, len(template)))
            break
        name = match.group(1)
        found = find_variable(name)
        if found is None:
            hint = closest_spelling(name)
            params = {"name": name} | ({"hint": hint} if hint else {})
            problems.append(
                Problem.of(
                    ProblemCode.UNKNOWN_VARIABLE, span=(match.start(), match.end()), **params
                )
            )
        segments.append(Segment(match.group(0), found, match.start(), match.end()))
        position = match.end()
    return segments


_WINDOWS_DEVICE = re.compile(r"^[\\/]{2}[?.](?:[\\/]|$)")
_WINDOWS_UNC = re.compile(r"^[\\/]{2}([^\\/]+)[\\/]([^\\/]+)(?:[\\/]|$)")
_WINDOWS_DRIVE = re.compile(r"^([A-Za-z]):[\\/]")
_WINDOWS_DRIVE_RELATIVE = re.compile(r"^([A-Za-z]):")


def _find_root(template: str, target: TargetOS, problems: list[Problem]) -> tuple[str, int] | None:
    """The normalised root and where the folders start, or None with a problem."""
    if target is TargetOS.POSIX:
        if template.startswith("/"):
            return "/", 1
        problems.append(Problem.of(ProblemCode.RELATIVE_PATH, variant="posix"))
        return None
    if _WINDOWS_DEVICE.match(template):
        problems.append(Problem.of(ProblemCode.DEVICE_PATH, span=(0, 4)))
        return None
    if unc := _WINDOWS_UNC.match(template):
        server, share = unc.group(1), unc.group(2)
        return f"\\\\{server}\\{share}\\", unc.end()
    if template[:2] in ("\\\\", "//", "\\/", "/\\"):
        problems.append(Problem.of(ProblemCode.INCOMPLETE_UNC, span=(0, len(template))))
        return None
    if drive := _WINDOWS_DRIVE.match(template):
        return f"{drive.group(1)}:\\", drive.end()
    if drive := _WINDOWS_DRIVE_RELATIVE.match(template):
        problems.append(
            Problem.of(
                ProblemCode.RELATIVE_PATH, span=(0, 2), variant="drive", drive=drive.group(0)
            )
        )
        return None
    if template[:1] in ("\\", "/"):
        problems.append(Problem.of(ProblemCode.RELATIVE_PATH, span=(0, 1), variant="rooted"))
        return None
    problems.append(Problem.of(ProblemCode.RELATIVE_PATH, variant="windows"))
    return None


def _split_components(
    segments: list[Segment], root_end: int, target: TargetOS, problems: list[Problem]
) -> list[Component]:
    separators = "\\/" if target is TargetOS.WINDOWS else "/"
    components: list[Component] = []
    current: list[Segment] = []
    current_start = root_end

    def close(end: int) -> None:
        nonlocal current, current_start
        if current:
            components.append(Component(tuple(current), current_start, end))
        else:
            problems.append(
                Problem.of(
                    ProblemCode.EMPTY_COMPONENT, span=(end - 1, end + 1), position=str(end + 1)
                )
            )
        current = []
        current_start = end + 1

    for segment in segments:
        if segment.end <= root_end:
            continue
        if segment.variable is not None:
            current.append(segment)
            continue
        start = max(segment.start, root_end)
        text = segment.text[start - segment.start :]
        piece_start = start
        for offset, char in enumerate(text):
            if char in separators:
                at = start + offset
                if at > piece_start:
                    current.append(
                        Segment(text[piece_start - start : offset], None, piece_start, at)
                    )
                close(at)
                piece_start = at + 1
        if piece_start < segment.end:
            current.append(Segment(text[piece_start - start :], None, piece_start, segment.end))
    if current:
        components.append(Component(tuple(current), current_start, current[-1].end))
    return components


_SYSTEM_NAMES = {TargetOS.WINDOWS: "Windows", TargetOS.POSIX: "this system"}


def _check_component(component: Component, target: TargetOS, problems: list[Problem]) -> None:
    """Report what is wrong with the fixed text of one folder level."""
    text = component.text
    span = (component.start, component.end)
    fixed_text = "".join(s.text for s in component.segments if s.variable is None)
    if component.fixed and text in (".", ".."):
        problems.append(Problem.of(ProblemCode.DOT_COMPONENT, span=span, name=text))
        return
    if chars := forbidden_characters(fixed_text, target):
        problems.append(
            Problem.of(
                ProblemCode.FORBIDDEN_CHARACTER,
                span=span,
                name=text,
                chars=" ".join(chars),
                system=_SYSTEM_NAMES[target],
            )
        )
    if any(is_control(char) for char in fixed_text):
        problems.append(Problem.of(ProblemCode.CONTROL_CHARACTER, span=span, name=text))
    if target is TargetOS.WINDOWS:
        if component.fixed and is_reserved_windows_name(text):
            problems.append(Problem.of(ProblemCode.RESERVED_NAME, span=span, name=text))
        last = component.segments[-1]
        if last.variable is None and last.text[-1:] in (".", " "):
            problems.append(Problem.of(ProblemCode.TRAILING_DOT_OR_SPACE, span=span, name=text))
    length = name_length(fixed_text, target)
    if length > MAX_COMPONENT_LENGTH:
        problems.append(
            Problem.of(
                ProblemCode.COMPONENT_TOO_LONG, span=span, name=text[:40] + "…", length=str(length)
            )
        )


def check_template(template: str, target: TargetOS) -> TemplateCheck:
    """Parse ``template`` for ``target``; every problem of the template itself, at once."""
    problems: list[Problem] = []
    if not template.strip():
        problems.append(Problem.of(ProblemCode.EMPTY_TEMPLATE, example=EXAMPLES[target]))
        return TemplateCheck(None, tuple(problems))
    segments = _tokenize(template, problems)
    found = _find_root(template, target, problems)
    if found is None:
        return TemplateCheck(None, tuple(problems))
    root, root_end = found
    for segment in segments:
        is_variable = segment.variable is not None or segment.text.startswith("[")
        if is_variable and segment.start < root_end:
            problems.append(
                Problem.of(
                    ProblemCode.VARIABLE_IN_ROOT,
                    span=(segment.start, segment.end),
                    root=template[:root_end],
                )
            )
            return TemplateCheck(None, tuple(problems))
    components = _split_components(segments, root_end, target, problems)
    for component in components:
        _check_component(component, target, problems)
    if problems:
        return TemplateCheck(None, tuple(problems))
    return TemplateCheck(ParsedTemplate(template, target, root, tuple(components)), ())


# --- rendering ----------------------------------------------------------------------------------


def _client_value(
    variable: Variable, client: ClientValues, problems: list[Problem], spelled: str
) -> str | None:
    """The raw value a client gives a variable, or None with a problem."""
    key = variable.key
    raw = {
        VariableKey.ENTERPRISE_NAME: client.name,
        VariableKey.ENTERPRISE_IDENTIFIER: client.vat_number,
        VariableKey.ACCOUNTING_FILE_ID: client.accounting_file_id,
    }[key]
    if raw is None or not raw.strip():
        problems.append(
            Problem.of(ProblemCode.MISSING_VALUE, client=client.label, what=key.value, name=spelled)
        )
        return None
    if key is VariableKey.ENTERPRISE_IDENTIFIER:
        checked = check_vat(raw, client.country)
        if checked.compact is None:
            problems.append(
                Problem.of(
                    ProblemCode.INVALID_VAT,
                    client=client.label,
                    name=spelled,
                    number=checked.number,
                    reason=checked.reason_code or "format",
                    country=checked.country or "",
                )
            )
            return None
        return checked.compact
    return raw


def variable_values(
    keys: frozenset[VariableKey],
    client: ClientValues,
    kind: DocumentKind,
    on: date,
    problems: list[Problem],
    spellings: Mapping[VariableKey, str] | None = None,
) -> dict[VariableKey, str]:
    """The raw value of each variable in ``keys`` for this client and document."""
    values: dict[VariableKey, str] = {}
    for key in sorted(keys):
        spelled = (spellings or {}).get(key, key.value)
        if key is VariableKey.YEAR:
            values[key] = f"{on.year:04d}"
        elif key is VariableKey.MONTH:
            values[key] = f"{on.month:02d}"
        elif key is VariableKey.DOCUMENT_TYPE:
            values[key] = kind.folder_word
        else:
            raw = _client_value(variable(key), client, problems, spelled)
            if raw is not None:
                values[key] = raw
    return values


def _assemble(
    component: Component,
    values: Mapping[VariableKey, str],
    target: TargetOS,
) -> str | None:
    """One folder name from fixed text and safe values; None if it cannot fit 255 units."""
    parts: list[str] = []
    variable_indexes: list[int] = []
    for index, segment in enumerate(component.segments):
        if segment.variable is None:
            parts.append(segment.text)
        else:
            parts.append(values[segment.variable.key])
            variable_indexes.append(index)
    while (excess := name_length("".join(parts), target) - MAX_COMPONENT_LENGTH) > 0:
        longest = max(variable_indexes, key=lambda i: name_length(parts[i], target), default=None)
        if longest is None:
            return None
        room = name_length(parts[longest], target) - excess
        shorter = safe_name(parts[longest], target, max_length=room) if room > 0 else ""
        if not shorter:
            return None
        parts[longest] = shorter
    name = "".join(parts)
    # A name a client's value made reserved on Windows is escaped; text the office typed is
    # kept as typed (check_template already judged it for the target: "/CON" on Linux).
    if variable_indexes and is_reserved_windows_name(name):
        name = safe_name("_" + name, target)
    return name


def render_parsed(
    parsed: ParsedTemplate,
    client: ClientValues,
    kind: DocumentKind,
    on: date,
) -> RenderResult:
    """Resolve an already checked template for one client and one document."""
    problems: list[Problem] = []
    target = parsed.target
    spellings = {
        segment.variable.key: segment.text[1:-1]
        for component in parsed.components
        for segment in component.segments
        if segment.variable is not None
    }
    raw_values = variable_values(parsed.variables, client, kind, on, problems, spellings)
    safe_values: dict[VariableKey, str] = {}
    for key, raw in raw_values.items():
        safe = safe_name(raw, target)
        if not safe:
            problems.append(
                Problem.of(
                    ProblemCode.EMPTY_VALUE,
                    client=client.label,
                    name=spellings[key],
                    value=raw,
                    what=key.value,
                )
            )
        else:
            safe_values[key] = safe
    if problems:
        return RenderResult(None, tuple(problems))
    names: list[str] = []
    for component in parsed.components:
        name = _assemble(component, safe_values, target)
        if name is None or _unsafe(name, target):
            problems.append(
                Problem.of(
                    ProblemCode.COMPONENT_TOO_LONG,
                    span=(component.start, component.end),
                    name=component.text[:40] + "…",
                    length=str(name_length(component.text, target)),
                )
            )
            continue
        names.append(name)
    if problems:
        return RenderResult(None, tuple(problems))
    path = parsed.root + parsed.separator.join(names)
    if target is TargetOS.WINDOWS:
        length, limit = len(path), WINDOWS_MAX_PATH - 1
    else:
        length, limit = len(path.encode("utf-8", "surrogatepass")), POSIX_MAX_PATH - 1
    if length > limit:
        problems.append(
            Problem.of(
                ProblemCode.PATH_TOO_LONG,
                variant=target.value,
                client=client.label,
                length=str(length),
                limit=str(limit),
            )
        )
        return RenderResult(None, tuple(problems))
    return RenderResult(path, ())


def _unsafe(name: str, target: TargetOS) -> bool:
    """A last guard, should a rule above ever be wrong: a rendered name must be valid."""
    return bool(name_issues(name, target))


def render_path(
    template: str,
    client: ClientValues,
    kind: DocumentKind,
    on: date,
    target: TargetOS,
) -> RenderResult:
    """Resolve ``template`` for one client and document on ``target``, or say every problem."""
    checked = check_template(template, target)
    if checked.parsed is None:
        return RenderResult(None, checked.problems)
    return render_parsed(checked.parsed, client, kind, on)
