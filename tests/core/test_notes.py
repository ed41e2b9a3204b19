"""The command line's line per sync run (app/core/notes.py): every kind of run in words, in
every language."""

from __future__ import annotations

from app.core.language import Language
from app.core.notes import run_line
from app.engine.messages import RunKind


def test_every_run_kind_has_words_in_every_language() -> None:
    """The command line named the newer kinds raw ("task-full")."""
    for kind in RunKind:
        for language in (Language.FR, Language.NL):
            line = run_line(kind.value, 2, 1, 1, 0, {}, language)
            assert kind.value not in line, (kind, language, line)
    assert run_line("task-full", 1, 1, 0, 0, {}).startswith("platform task: full sync:")
    assert run_line("continuous", 3, 3, 0, 0, {}, Language.NL).startswith(
        "Doorlopende synchronisatie: 3"
    )
    assert run_line("deliver-again", 1, 1, 0, 0, {}, Language.FR).startswith(
        "Synchronisation de nouvelle livraison : 1"
    )
