#!/usr/bin/env python3
"""What the uninstaller removes: the top-level entries of the one-folder build, as NSIS lines.

ferry.nsi runs this at compile time (``!system``) and includes what it writes, so the
uninstaller deletes exactly what the installer put in the program folder (``Ferry.exe``,
``ferry-cli.exe``, ``_internal\\`` today, whatever the build adds tomorrow) and never a
``RMDir /r`` of a folder the person chose with ``/D=``, which might hold other things.

    contents.py SOURCE_DIR OUTPUT_NSH

Standard library only: it runs on the build machine, outside any virtual environment.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: Names the installer writes itself; a build that carries one would be overwritten.
RESERVED = {"uninstall.exe"}


def nsis_string(text: str) -> str:
    """``text`` inside an NSIS double-quoted string: ``$`` and ``"`` escaped."""
    return text.replace("$", "$$").replace('"', '$\\"')


def removal_lines(source: Path) -> list[str]:
    lines = []
    for entry in sorted(source.iterdir(), key=lambda path: path.name.lower()):
        if entry.name.lower() in RESERVED:
            raise SystemExit(f"contents: {entry} clashes with the installer's own {entry.name}")
        target = f"$INSTDIR\\{nsis_string(entry.name)}"
        if entry.is_dir():
            lines.append(f'  RMDir /r "{target}"')
        else:
            lines.append(f'  Delete "{target}"')
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source, output = Path(argv[0]), Path(argv[1])
    if not (source / "Ferry.exe").is_file():
        print(
            f"contents: {source} holds no Ferry.exe: give -DSOURCE=<the one-folder build> "
            "(a relative path is read from installer/, where makensis works)",
            file=sys.stderr,
        )
        return 1
    text = "\n".join(
        [
            "; written by installer/contents.py from the one-folder build: do not edit",
            "!macro FERRY_REMOVE_PROGRAM_FILES",
            *removal_lines(source),
            "!macroend",
            "",
        ]
    )
    output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
