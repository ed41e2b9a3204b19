"""Client names and VAT numbers read back from the paths Ferry wrote, through the
destinations' path templates.

A template such as ``\\\\server\\books\\[enterprise_name]\\[year]`` puts each client's name
into the folders Ferry writes and into the failures that name those folders. When names are
to be replaced but the office's client list cannot be read (the platform is down or the
login has ended, which is when diagnostics are wanted), the names are still known: each
recorded path is matched against its destination's template, and what stood for
``[enterprise_name]`` (or ``[enterprise_identifier]``) is the client's name (or VAT number)
as the folder spells it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.variables import VariableKey, find_variable

_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_WANTED = {
    VariableKey.ENTERPRISE_NAME: "name",
    VariableKey.ENTERPRISE_IDENTIFIER: "vat",
}


@dataclass
class FoundNames:
    names: set[str] = field(default_factory=set)
    vat_numbers: set[str] = field(default_factory=set)


def template_pattern(template: str) -> re.Pattern[str] | None:
    """A pattern matching the folders ``template`` renders to (either separator, any case),
    with a named group per client variable; None when it has no client name or VAT number."""
    parts: list[str] = []
    wanted = False
    position = 0
    seen: dict[str, int] = {}
    for match in _BRACKETS.finditer(template):
        parts.append(_literal(template[position : match.start()]))
        found = find_variable(match.group(1))
        group = _WANTED.get(found.key) if found is not None else None
        if group is not None:
            seen[group] = seen.get(group, 0) + 1
            parts.append(rf"(?P<{group}{seen[group]}>[^\\/]+)")
            wanted = True
        else:
            parts.append(r"[^\\/]*")
        position = match.end()
    parts.append(_literal(template[position:]))
    if not wanted:
        return None
    return re.compile("".join(parts) + r"(?=[\\/]|$)", re.IGNORECASE)


def _literal(text: str) -> str:
    return "".join(r"[\\/]" if char in "\\/" else re.escape(char) for char in text)


def names_in_paths(templates: Iterable[str], paths: Iterable[str]) -> FoundNames:
    """The client names and VAT numbers the ``paths`` hold where ``templates`` put them."""
    patterns = [p for p in (template_pattern(t) for t in templates) if p is not None]
    found = FoundNames()
    if not patterns:
        return found
    for path in paths:
        for pattern in patterns:
            match = pattern.search(path)
            if match is None:
                continue
            for group, value in match.groupdict().items():
                if value is None or not value.strip():
                    continue
                (found.names if group.startswith("name") else found.vat_numbers).add(value)
    return found
