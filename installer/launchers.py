#!/usr/bin/env python3
"""Build the two launchers of a versioned installation (installer/launcher.c) with MinGW.

    launchers.py OUTPUT_DIR [ICON]

writes ``OUTPUT_DIR/Ferry.exe`` (windowed, with Ferry's icon when given) and
``OUTPUT_DIR/ferry-cli.exe`` (console). ferry.nsi runs this at compile time (``!system``) and
puts both at the top of the installation, beside ``versions\\`` and ``current``.

Standard library only: it runs on the build machine, outside any virtual environment, with
Debian's gcc-mingw-w64 (``scripts/windows.py setup`` installs it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "launcher.c"
GCC = "x86_64-w64-mingw32-gcc"
WINDRES = "x86_64-w64-mingw32-windres"


def build(output: Path, icon: Path | None = None) -> list[Path]:
    missing = [tool for tool in (GCC, WINDRES) if shutil.which(tool) is None]
    if missing:
        raise SystemExit(
            f"launchers: {', '.join(missing)} not found: run `python3 scripts/windows.py setup` "
            "(Debian's gcc-mingw-w64-x86-64-win32)"
        )
    output.mkdir(parents=True, exist_ok=True)
    common = [GCC, "-municode", "-O2", "-s", "-Wall", "-Werror", "-static"]
    with tempfile.TemporaryDirectory(prefix="ferry-launchers-") as work:
        resources: list[str] = []
        if icon is not None:
            if not icon.is_file():
                raise SystemExit(f"launchers: no icon at {icon}")
            script = Path(work) / "launcher.rc"
            script.write_text(f'1 ICON "{icon.as_posix()}"\n', encoding="utf-8")
            compiled = Path(work) / "launcher.o"
            windres = [WINDRES, str(script), "-O", "coff", "-o", str(compiled)]
            subprocess.run(windres, check=True)  # noqa: S603 - our own tool and files
            resources = [str(compiled)]
        made = []
        kinds = (("Ferry.exe", ["-mwindows", "-DFERRY_WINDOWED"]), ("ferry-cli.exe", []))
        for name, flags in kinds:
            target = output / name
            gcc = [*common, *flags, "-o", str(target), str(SOURCE), *resources]
            subprocess.run(gcc, check=True)  # noqa: S603 - our own tool and files
            made.append(target)
    return made


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    icon = Path(argv[1]) if len(argv) == 2 and argv[1] else None
    for path in build(Path(argv[0]), icon):
        print(f"launchers: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
