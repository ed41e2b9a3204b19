"""File downloads: ETag, conditional requests and single byte ranges, streamed from disk.

Starlette's ``FileResponse`` stats and reads through a worker thread per request, which costs
more than the whole transfer of a 100 KB file; blobs here are immutable, content-addressed and
usually in the page cache, so they are read directly on the event loop in large chunks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.sandbox.problems import ProblemError
from app.sandbox.store import StoredFile

CHUNK_SIZE = 256 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # exclusive


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The single range a ``Range`` header asks for, None for the whole file.

    A header this server does not understand (several ranges, another unit) is ignored, as
    RFC 9110 allows; a well-formed range outside the file raises 416.
    """
    if header is None:
        return None
    match = _RANGE.match(header)
    if match is None:
        return None
    first, last = match.group(1), match.group(2)
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0:
            raise _unsatisfiable(size)
        return ByteRange(max(size - suffix, 0), size)
    start = int(first)
    end = size if not last else min(int(last) + 1, size)
    if last and int(last) < start:
        return None
    if start >= size:
        raise _unsatisfiable(size)
    return ByteRange(start, end)


def _unsatisfiable(size: int) -> ProblemError:
    return ProblemError(
        416,
        f"The requested range lies outside the file ({size} bytes).",
        headers={"Content-Range": f"bytes */{size}"},
    )


def content_disposition(name: str) -> str:
    """An attachment header that carries any name safely (RFC 6266, with an ASCII fallback)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in name)
    return f"attachment; filename=\"{fallback[:150]}\"; filename*=UTF-8''{quote(name, safe='')}"


class BlobResponse(Response):
    """Streams a stored file (or one range of it) straight from its blob on disk."""

    def __init__(self, stored: StoredFile, byte_range: ByteRange | None, *, head: bool) -> None:
        self.stored = stored
        self.range = byte_range or ByteRange(0, stored.size)
        self.head = head
        status = 206 if byte_range is not None else 200
        headers = {
            "accept-ranges": "bytes",
            "etag": etag_of(stored),
            "cache-control": "private, max-age=31536000, immutable",
            "content-disposition": content_disposition(stored.name),
            "content-length": str(self.range.end - self.range.start),
        }
        if byte_range is not None:
            headers["content-range"] = (
                f"bytes {byte_range.start}-{byte_range.end - 1}/{stored.size}"
            )
        super().__init__(status_code=status, headers=headers, media_type=stored.media_type)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        remaining = self.range.end - self.range.start
        if self.head or remaining == 0:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        with self.stored.path.open("rb") as blob:
            blob.seek(self.range.start)
            while remaining > 0:
                chunk = blob.read(min(CHUNK_SIZE, remaining))
                if not chunk:
                    raise OSError(f"blob {self.stored.sha256} is shorter than recorded")
                remaining -= len(chunk)
                await send(
                    {"type": "http.response.body", "body": chunk, "more_body": remaining > 0}
                )


def etag_of(stored: StoredFile) -> str:
    return f'"{stored.sha256}"'


def etag_matches(header: str | None, etag: str) -> bool:
    if header is None:
        return False
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    return "*" in candidates or etag in candidates
