"""Writing a diagnostics zip so that it is whole and clean, or not there at all.

Members are written one at a time into a hidden temporary file beside the target (a log
folder can hold a hundred megabytes: never all of it in memory), each checked before it is
added; the first member that would carry a secret (or, with hashing, a known name) stops the
export, and the temporary file is deleted. Only a finished, checked zip is renamed to the
target, so a person never finds a half-written or unchecked zip under the name they chose.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from app.atomic_files import replace_when_free
from app.diagnostics.redact import Leak


class RefusedMember(Exception):
    """A member would carry what must never leave the computer; ``member`` names it and
    ``leak`` says what kind of thing (never the thing itself)."""

    def __init__(self, member: str, leak: Leak) -> None:
        super().__init__(f"{member}: {leak.kind.value}")
        self.member = member
        self.leak = leak


#: What a text (or a JSON-shaped value) holds that may not go into the zip, or None.
Check = Callable[[str], Leak | None]
DataCheck = Callable[[Any], Leak | None]


class ZipWriter:
    """``with ZipWriter(target, check, data_check) as zip: zip.add(name, text)``; the zip is at
    ``target`` when the block ends without an error, else nothing does."""

    def __init__(self, target: Path, check: Check, data_check: DataCheck) -> None:
        self.target = target
        self._check = check
        self._data_check = data_check
        self._temporary: Path | None = None
        self._zip: zipfile.ZipFile | None = None
        self.names: list[str] = []

    def __enter__(self) -> ZipWriter:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            prefix=f".{self.target.name}.", suffix=".partial", dir=self.target.parent
        )
        os.close(handle)
        self._temporary = Path(name)
        self._zip = zipfile.ZipFile(name, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        return self

    def add(self, name: str, text: str) -> None:
        """One member, after the check; :class:`RefusedMember` when it fails."""
        assert self._zip is not None, "inside the with block"
        leak = self._check(text)
        if leak is not None:
            raise RefusedMember(name, leak)
        self._zip.writestr(name, text.encode("utf-8"))
        self.names.append(name)

    def add_json(self, name: str, value: Any) -> None:
        """One JSON member, its every string checked (see ``Redactor.data_leak``)."""
        assert self._zip is not None, "inside the with block"
        leak = self._data_check(value)
        if leak is not None:
            raise RefusedMember(name, leak)
        text = json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"
        self._zip.writestr(name, text.encode("utf-8"))
        self.names.append(name)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._zip is not None and self._temporary is not None
        try:
            self._zip.close()
            if kind is None:
                with self._temporary.open("rb+") as stream:
                    os.fsync(stream.fileno())
                replace_when_free(self._temporary, self.target)
        finally:
            with contextlib.suppress(OSError):
                self._temporary.unlink()  # gone already when it became the target
