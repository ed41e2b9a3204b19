"""A multipart/form-data reader that keeps file names exactly as the sender wrote them.

Starlette's form parser passes names through python-multipart's ``parse_options_header``, which
cuts ``C:\\Windows\\x`` down to ``x`` (an old Internet Explorer fix). The sandbox must store
hostile names untouched so that the agent's sanitising can be tested, so it reads the parts with
python-multipart's low-level parser and decodes ``Content-Disposition`` itself:

- ``filename*=UTF-8''...`` (RFC 5987/6266) wins when present: it is exact for any name;
- otherwise ``filename="..."`` is read as an RFC 7230 quoted-string (``\\"`` and ``\\\\``
  unescaped) and the HTML form escapes that browsers and httpx apply (``%22`` for a quote,
  ``%0A``, ``%0D`` and the other control characters) are undone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from python_multipart.multipart import MultipartParser, parse_options_header

#: Control characters and the quote as HTML5 / httpx percent-encode them in a quoted filename.
_HTML5_ESCAPE = re.compile(r"%(0[0-9A-Fa-f]|1[0-9A-Fa-f]|22)")


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data; the message says how."""


@dataclass
class FilePart:
    field_name: str
    filename: str
    media_type: str
    content: bytes


@dataclass
class FormData:
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[FilePart] = field(default_factory=list)

    def first(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[0] if values else None


def _split_params(value: str) -> list[str]:
    """Split a header value on ``;`` outside quoted strings."""
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in value:
        if escaped:
            current.append(char)
            escaped = False
        elif quoted and char == "\\":
            current.append(char)
            escaped = True
        elif char == '"':
            current.append(char)
            quoted = not quoted
        elif char == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = re.sub(r"\\(.)", r"\1", value[1:-1], flags=re.DOTALL)
    return value


def parse_content_disposition(raw: str) -> dict[str, str]:
    """Parameters of a Content-Disposition value, names lower-cased, file names decoded."""
    params: dict[str, str] = {}
    for item in _split_params(raw)[1:]:
        name, sep, value = item.partition("=")
        if not sep:
            continue
        name = name.strip().lower()
        value = value.strip()
        if name.endswith("*"):
            charset, _, rest = value.partition("'")
            _language, _, encoded = rest.partition("'")
            try:
                params[name] = unquote(encoded, encoding=charset or "utf-8", errors="strict")
            except (LookupError, UnicodeDecodeError) as exc:
                raise MultipartError(f"the parameter {name} is not valid RFC 5987 text") from exc
        else:
            text = _unquote(value)
            if name == "filename":
                text = _HTML5_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
            params[name] = text
    return params


def _decode_header(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def parse_form(content_type: str, body: bytes) -> FormData:
    """Read a whole multipart/form-data body (the admin API's uploads are bounded in size)."""
    media_type, options = parse_options_header(content_type)
    if media_type != b"multipart/form-data":
        raise MultipartError("the body must be multipart/form-data")
    boundary = options.get(b"boundary")
    if not boundary:
        raise MultipartError("the multipart Content-Type has no boundary")

    form = FormData()
    headers: dict[str, str] = {}
    header_field = bytearray()
    header_value = bytearray()
    data = bytearray()

    def on_part_begin() -> None:
        headers.clear()
        data.clear()

    def on_header_field(chunk: bytes, start: int, end: int) -> None:
        header_field.extend(chunk[start:end])

    def on_header_value(chunk: bytes, start: int, end: int) -> None:
        header_value.extend(chunk[start:end])

    def on_header_end() -> None:
        headers[_decode_header(bytes(header_field)).lower()] = _decode_header(bytes(header_value))
        header_field.clear()
        header_value.clear()

    def on_part_data(chunk: bytes, start: int, end: int) -> None:
        data.extend(chunk[start:end])

    def on_part_end() -> None:
        disposition = headers.get("content-disposition")
        if disposition is None:
            raise MultipartError("a part has no Content-Disposition header")
        params = parse_content_disposition(disposition)
        name = params.get("name")
        if name is None:
            raise MultipartError("a part has no field name")
        filename = params.get("filename*", params.get("filename"))
        if filename is None:
            try:
                form.fields.setdefault(name, []).append(bytes(data).decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise MultipartError(f"the field {name} is not UTF-8 text") from exc
        else:
            media = headers.get("content-type", "application/octet-stream").strip()
            form.files.append(
                FilePart(name, filename, media or "application/octet-stream", bytes(data))
            )

    parser = MultipartParser(
        boundary,
        callbacks={
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except MultipartError:
        raise
    except Exception as exc:  # python-multipart raises its own error types
        raise MultipartError(f"the multipart body is malformed: {exc}") from exc
    return form
