"""The built programs in tests: ``scripts/build`` run once, and again only when something the
build is made of has changed since (a digest of app/, the spec, the installer and the build
scripts, kept beside the build). A build takes minutes; the checks of it take seconds.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from tests.build.wine import REPO

#: What the builds are made of: when none of it changed, the last build is this build.
BUILD_INPUTS = ("app", "build_spec", "installer", "scripts/build", "scripts/sign", "pyproject.toml")


def sources_digest() -> str:
    digest = hashlib.sha256()
    for top in BUILD_INPUTS:
        root = REPO / top
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".qm":
                continue
            digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def ensure_built(option: str, stamp: Path, *products: Path, timeout: float = 1500) -> None:
    """``scripts/build OPTION`` unless ``stamp`` says the products are of these sources."""
    wanted = sources_digest()
    current = stamp.read_text() if stamp.is_file() else None
    if current == wanted and all(product.exists() for product in products):
        return
    built = subprocess.run(
        [str(REPO / "scripts" / "build"), option],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    for product in products:
        assert product.exists(), f"scripts/build {option} made no {product}"
    stamp.write_text(wanted)
