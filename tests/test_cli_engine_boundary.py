"""The command line commands the engine through its public methods, never its internals:
``retry``, ``resend`` and ``deliver-again`` call :meth:`Engine.retry`, :meth:`Engine.resend`
and :meth:`Engine.deliver_again`, the same methods the GUI's commands reach, so one module
owns what each of them means."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

COMMANDS = REPO / "app" / "commands"
#: The engine's insides: its state store, its platform client and reporter, and privates.
INTERNALS = frozenset({"store", "state", "client", "reporter"})
#: The handlers that speak for an engine command (the GUI's Retry, Resend, DeliverAgain).
ENGINE_COMMANDS = frozenset({"run_retry", "run_resend", "run_deliver_again"})


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _reaches_in(function: ast.FunctionDef) -> list[str]:
    """``engine.<internal>`` anywhere in ``function`` (its nested ``work`` included)."""
    found = []
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "engine"
            and (node.attr in INTERNALS or node.attr.startswith("_"))
        ):
            found.append(f"{function.name}: engine.{node.attr} (line {node.lineno})")
    return found


def test_retry_resend_and_deliver_again_use_only_the_engines_public_methods() -> None:
    functions = _functions(COMMANDS / "sync.py")
    assert set(functions) >= ENGINE_COMMANDS
    reached = [found for name in sorted(ENGINE_COMMANDS) for found in _reaches_in(functions[name])]
    assert reached == []
    called = {
        node.func.attr
        for name in ENGINE_COMMANDS
        for node in ast.walk(functions[name])
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "engine"
    }
    assert {"retry", "resend", "deliver_again"} <= called


def test_no_command_queues_documents_in_the_engines_state_itself() -> None:
    offenders = []
    for path in sorted(COMMANDS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"enqueue", "deliver_again"}:
                owner = node.value
                if isinstance(owner, ast.Attribute) and owner.attr in {"store", "state"}:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
