"""One document into one destination: which files, under which names, in which folder.

Everything here is safe to repeat: a file already in the folder with the platform's size and
checksum is recognised without downloading it again, so a replay after a crash, a second
engine run or a full sync writes nothing twice.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path, PurePath

import httpx

from app.api.models import Document, DocumentFile
from app.core.kinds import DocumentKind
from app.core.names import TargetOS, safe_name
from app.core.templates import ClientValues, render_path
from app.engine.delivery import (
    DeliveryError,
    FailureCode,
    StagedFile,
    find_delivered,
)
from app.engine.ubl_pdf import NoPdf, invoice_pdf
from app.platform.client import PlatformClient
from app.platform.errors import PlatformError
from app.settings import DeliveryFormat, Destination

log = logging.getLogger(__name__)

INVOICE_KINDS = (DocumentKind.PURCHASE, DocumentKind.SALES)
MAX_XML_IN_MEMORY = 64 * 1024 * 1024
CHUNK = 256 * 1024


class PermanentFailure(Exception):
    """This document cannot reach this destination until a person changes something."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class TransientFailure(Exception):
    """Worth trying again soon by itself (network, platform busy, file locked)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Output:
    """A file to write: a platform file as is, or the PDF taken out of a platform XML."""

    name: str
    file: DocumentFile
    extract_pdf: bool = False


def is_xml(file: DocumentFile) -> bool:
    return file.media_type in ("application/xml", "text/xml") or file.name.lower().endswith(".xml")


def is_pdf(file: DocumentFile) -> bool:
    return file.media_type == "application/pdf" or file.name.lower().endswith(".pdf")


def _name(file: DocumentFile, document: Document, target: TargetOS, extension: str = "") -> str:
    """A platform file name made safe; data, never a path."""
    raw = PurePath(file.name.replace("\\", "/")).name if file.name else ""
    if extension:
        stem = raw.rpartition(".")[0] or raw
        raw = f"{stem}{extension}"
    name = safe_name(raw, target, keep_extension=True)
    if not name or name.startswith("."):
        suffix = extension or ("." + raw.rpartition(".")[2] if "." in raw else "")
        name = safe_name(f"{document.number or document.id}{suffix}", target, keep_extension=True)
    return name or safe_name(document.id, target)


def plan_outputs(document: Document, format: DeliveryFormat, target: TargetOS) -> list[Output]:
    """The files this destination receives of ``document``."""
    files = list(document.files)
    xmls = [f for f in files if is_xml(f)]
    pdfs = [f for f in files if is_pdf(f)]
    as_received = [Output(_name(f, document, target), f) for f in files]
    if document.kind not in INVOICE_KINDS or not xmls or format is DeliveryFormat.UBL:
        return as_received
    xml = xmls[0]
    if format is DeliveryFormat.UBL_PDF:
        outputs = [Output(_name(xml, document, target), xml)]
        pdf_name = _name(xml, document, target, ".pdf")
        outputs.append(Output(pdf_name, pdfs[0]) if pdfs else Output(pdf_name, xml, True))
        return outputs
    if pdfs:
        return [Output(_name(pdfs[0], document, target), pdfs[0])]
    return [Output(_name(xml, document, target, ".pdf"), xml, extract_pdf=True)]


def destination_folder(
    destination: Destination, document: Document, client: ClientValues, target: TargetOS
) -> str | None:
    """The folder for this document, None when the destination takes no such documents."""
    template = destination.templates.template_for(document.kind)
    if template is None:
        return None
    result = render_path(template, client, document.kind, document.issue_date, target)
    if result.path is None:
        problems = "; ".join(problem.message() for problem in result.problems)
        raise PermanentFailure(
            "path", f"the path of destination '{destination.name}' cannot be used: {problems}"
        )
    return result.path


async def deliver(
    client: PlatformClient,
    document: Document,
    destination: Destination,
    values: ClientValues,
    target: TargetOS,
) -> list[str] | None:
    """Deliver ``document`` to ``destination``; the paths written (or found), None if not for it."""
    folder_text = destination_folder(destination, document, values, target)
    if folder_text is None:
        return None
    folder = _local_path(folder_text)
    paths: list[str] = []
    for output in plan_outputs(document, destination.format, target):
        try:
            if output.extract_pdf:
                path = await _deliver_extracted(client, document, output, folder)
            else:
                path = await _deliver_file(client, document, output, folder)
        except DeliveryError as error:
            if error.code in (FailureCode.LOCKED, FailureCode.UNREACHABLE):
                raise TransientFailure(str(error)) from None
            raise PermanentFailure(error.code.value, str(error)) from None
        except NoPdf as error:
            raise PermanentFailure("no_pdf", f"{document.number}: {error}") from None
        paths.append(str(path))
    return paths


def _local_path(folder: str) -> Path:
    return Path(folder)


async def _deliver_file(
    client: PlatformClient, document: Document, output: Output, folder: PurePath
) -> PurePath:
    target_folder = Path(folder)
    file = output.file
    found = find_delivered(target_folder, output.name, file.size, file.sha256)
    if found is not None:
        return found
    staged = StagedFile(target_folder, output.name).open()
    try:
        try:
            async with client.open_file(document.id, file.id) as response:
                async for chunk in response.aiter_bytes(CHUNK):
                    staged.write(chunk)
        except PlatformError as error:
            raise _platform_failure(error) from None
        except httpx.HTTPError as error:  # the stream broke mid-body
            raise TransientFailure(f"the download of {file.name} was cut: {error}") from None
        delivered = await staged.commit_async(file.size, file.sha256)
    finally:
        staged.discard()
    return delivered.path


async def _deliver_extracted(
    client: PlatformClient, document: Document, output: Output, folder: PurePath
) -> PurePath:
    file = output.file
    if file.size > MAX_XML_IN_MEMORY:
        raise PermanentFailure("too_big", f"{file.name} is too large to take its PDF out")
    body = bytearray()
    try:
        async with client.open_file(document.id, file.id) as response:
            async for chunk in response.aiter_bytes(CHUNK):
                body.extend(chunk)
    except PlatformError as error:
        raise _platform_failure(error) from None
    except httpx.HTTPError as error:
        raise TransientFailure(f"the download of {file.name} was cut: {error}") from None
    if len(body) != file.size or hashlib.sha256(body).hexdigest() != file.sha256:
        raise PermanentFailure(
            FailureCode.CHECKSUM.value,
            f"the file received for {file.name} does not match what the platform announced; "
            "it will be downloaded again",
        )
    pdf = invoice_pdf(bytes(body)).content
    digest = hashlib.sha256(pdf).hexdigest()
    target_folder = Path(folder)
    found = find_delivered(target_folder, output.name, len(pdf), digest)
    if found is not None:
        return found
    staged = StagedFile(target_folder, output.name).open()
    try:
        staged.write(pdf)
        return (await staged.commit_async(len(pdf), digest)).path
    finally:
        staged.discard()


def _platform_failure(error: PlatformError) -> Exception:
    if error.transient:
        return TransientFailure(str(error), error.retry_after)
    return PermanentFailure("platform", str(error))
