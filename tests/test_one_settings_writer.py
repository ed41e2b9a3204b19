"""Exactly one module writes Ferry's settings file: the application layer (issue 14). Every
face (the GUI, the command line, the demo) changes settings through it."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _calls_or_imports_save_settings(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(
            alias.name == "save_settings" for alias in node.names
        ):
            found.append(node.lineno)
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name == "save_settings":
                found.append(node.lineno)
        elif isinstance(node, ast.Call) and any(
            isinstance(arg, ast.Constant) and arg.value == "save_settings" for arg in node.args
        ):  # getattr(settings, "save_settings")
            found.append(node.lineno)
    return found


def test_only_the_application_layer_writes_the_settings_file() -> None:
    app = REPO / "app"
    allowed = {app / "settings.py", app / "application" / "settings_changes.py"}
    offenders = {
        str(path.relative_to(REPO)): lines
        for path in sorted(app.rglob("*.py"))
        if path not in allowed and (lines := _calls_or_imports_save_settings(path))
    }
    assert offenders == {}, f"settings written outside app/application: {offenders}"
    assert _calls_or_imports_save_settings(app / "application" / "settings_changes.py")
    # nor by hand: only app/settings.py names the file
    named = [
        str(path.relative_to(REPO))
        for path in sorted(app.rglob("*.py"))
        if path != app / "settings.py" and '"settings.json"' in path.read_text(encoding="utf-8")
    ]
    assert named == []


def test_the_check_finds_each_way_of_reaching_the_writer(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from app.settings import save_settings\n"
        "import app.settings as s\n"
        "s.save_settings(d, x)\n"
        "getattr(s, 'save_settings')(d, x)\n"
    )
    assert _calls_or_imports_save_settings(sample) == [1, 3, 4]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_face_reaches_behind_another_and_the_application_layer_knows_no_face() -> None:
    app = REPO / "app"
    gui_on_cli = {
        str(path.relative_to(REPO)): sorted(
            m for m in _imports(path) if m.startswith("app.commands")
        )
        for path in sorted((app / "gui").rglob("*.py"))
    }
    assert {path: found for path, found in gui_on_cli.items() if found} == {}
    for path in sorted((app / "application").rglob("*.py")):
        faces = {
            m
            for m in _imports(path)
            if m.startswith(("app.gui", "app.commands", "app.cli", "PySide6"))
        }
        assert not faces, f"{path.relative_to(REPO)} imports {faces}"
