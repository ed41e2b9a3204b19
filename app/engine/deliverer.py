"""One document into one destination: which files, under which names, in which folder.

Everything here is safe to repeat: a file already in the folder with the platform's size and
checksum is recognised without downloading it again, so a replay after a crash, a second
engine run or a full sync writes nothing twice.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path, PurePath

import httpx

from app.api.models import Document, DocumentFile
from app.core.failures import Failure, FailureCode, NoPdfReason, problems_param
from app.core.kinds import DocumentKind
from app.core.names import TargetOS, safe_name
from app.core.templates import ClientValues, check_template, render_path
from app.engine.delivery import (
    DeliveryError,
    StagedFile,
    find_delivered,
    run_io,
)
from app.engine.ubl_pdf import NoPdf, invoice_pdf
from app.platform.errors import PlatformError
from app.platforms.port import Platform
from app.settings import DeliveryFormat, Destination

log = logging.getLogger(__name__)

INVOICE_KINDS = (DocumentKind.PURCHASE, DocumentKind.SALES)
MAX_XML_IN_MEMORY = 64 * 1024 * 1024
CHUNK = 256 * 1024
#: A file up to this size is kept in memory while it downloads and written, fsynced and renamed
#: in one trip to a file thread; a larger one is written to its temporary file as it comes.
IN_MEMORY_MAX = 4 * 1024 * 1024


class PermanentFailure(Exception):
    """This document cannot reach this destination until a person changes something.

    ``failure`` says why as data; ``code`` is its code's value and ``str()`` its English
    sentence."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message())
        self.failure = failure
        self.code: str = failure.code.value


class TransientFailure(Exception):
    """Worth trying again soon by itself (network, platform busy, file locked)."""

    def __init__(self, failure: Failure, retry_after: float | None = None) -> None:
        super().__init__(failure.message())
        self.failure = failure
        self.code: str = failure.code.value
        self.retry_after = retry_after


def _failure(failure: Failure) -> PermanentFailure | TransientFailure:
    """The exception for ``failure``: its code decides whether it is worth retrying alone."""
    return TransientFailure(failure) if failure.transient else PermanentFailure(failure)


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
    result = _render_path(template, client, document.kind, document.issue_date, target)
    if result.path is None:
        raise PermanentFailure(
            Failure.of(
                FailureCode.PATH_TEMPLATE,
                destination=destination.name,
                client=client.label,
                problems=problems_param(result.problems),
            )
        )
    return result.path


@functools.lru_cache(maxsize=256)
def _fixed_prefix(template: str, target: TargetOS) -> str | None:
    """The folder every client's folder of ``template`` lies in (see ``Failure.key``)."""
    parsed = check_template(template, target).parsed
    return parsed.fixed_prefix if parsed is not None else None


#: Parsing and checking a template costs more than a small file's whole delivery; the documents
#: of one client, kind and day share their folder.
_render_path = functools.lru_cache(maxsize=4096)(render_path)


async def deliver(
    client: Platform,
    document: Document,
    destination: Destination,
    values: ClientValues,
    target: TargetOS,
    *,
    downloads: asyncio.Semaphore | None = None,
    sync_folders: bool = True,
    look_first: bool = True,
) -> list[str] | None:
    """Deliver ``document`` to ``destination``; the paths written (or found), None if not for it.

    ``downloads`` is held while a file's body is being received, and only then: writing,
    fsync and rename happen on a file thread without holding up the next download.
    ``sync_folders=False`` leaves the folder's fsync to the caller, who must do it (see
    :func:`app.engine.delivery.sync_folders`) before it reports the paths.
    ``look_first=False`` skips looking for the file before downloading it: for a document
    never delivered here that look finds nothing but after a kill between the rename and the
    state's commit, and then the rename itself recognises the same bytes already there (one
    download more, once), while every other document saves a trip to a file thread.
    """
    slot = downloads or asyncio.Semaphore(1)
    folder_text = destination_folder(destination, document, values, target)
    if folder_text is None:
        return None
    folder = _local_path(folder_text)
    paths: list[str] = []
    for output in plan_outputs(document, destination.format, target):
        try:
            if output.extract_pdf:
                path = await _deliver_extracted(
                    client, document, output, folder, slot, sync_folders
                )
            else:
                path = await _deliver_file(
                    client, document, output, folder, slot, sync_folders, look_first
                )
        except DeliveryError as error:
            template = destination.templates.template_for(document.kind) or ""
            failure = error.failure.with_params(destination=destination.name)
            if failure.param("root") is not None:
                root = _fixed_prefix(template, target)
                failure = failure.with_params(root=root) if root else failure
            raise _failure(failure) from None
        except NoPdf as error:
            raise PermanentFailure(
                Failure.of(
                    FailureCode.NO_PDF,
                    destination=destination.name,
                    document=document.number or document.id,
                    name=output.file.name,
                    reason=NoPdfReason.UNREADABLE if error.unreadable else NoPdfReason.NONE,
                    said=error.unreadable,
                )
            ) from None
        except PermanentFailure as error:
            if error.failure.code not in (FailureCode.CHECKSUM, FailureCode.TOO_BIG):
                raise
            raise PermanentFailure(
                error.failure.with_params(destination=destination.name)
            ) from None
        paths.append(str(path))
    return paths


def _local_path(folder: str) -> Path:
    return Path(folder)


async def _deliver_file(
    client: Platform,
    document: Document,
    output: Output,
    folder: PurePath,
    slot: asyncio.Semaphore,
    sync_folder: bool,
    look_first: bool = True,
) -> PurePath:
    target_folder = Path(folder)
    file = output.file
    if look_first:
        found = await run_io(find_delivered, target_folder, output.name, file.size, file.sha256)
        if found is not None:
            return found
    staged = StagedFile(target_folder, output.name, sync_folder=sync_folder)
    held: list[bytes] = []
    held_size = 0
    streaming = False
    try:
        try:
            async with slot, client.open_file(document.id, file.id) as response:
                async for chunk in response.aiter_bytes(CHUNK):
                    if streaming:
                        await run_io(staged.write, chunk)
                        continue
                    held.append(chunk)
                    held_size += len(chunk)
                    if held_size > IN_MEMORY_MAX:  # too big to keep: to the disk as it comes
                        await run_io(_open_and_write, staged, held)
                        held, streaming = [], True
        except PlatformError as error:
            raise _platform_failure(error) from None
        except httpx.HTTPError as error:  # the stream broke mid-body
            raise TransientFailure(_download_cut(file, error)) from None
    except BaseException:
        if streaming:
            await run_io(staged.discard)
        raise
    if not streaming:
        staged.hold(held)
    return (await staged.commit_async(file.size, file.sha256)).path


def _open_and_write(staged: StagedFile, chunks: list[bytes]) -> None:
    staged.open()
    for chunk in chunks:
        staged.write(chunk)


async def _deliver_extracted(
    client: Platform,
    document: Document,
    output: Output,
    folder: PurePath,
    slot: asyncio.Semaphore,
    sync_folder: bool,
) -> PurePath:
    file = output.file
    if file.size > MAX_XML_IN_MEMORY:
        raise PermanentFailure(
            Failure.of(FailureCode.TOO_BIG, name=file.name, size=file.size, limit=MAX_XML_IN_MEMORY)
        )
    body = bytearray()
    try:
        async with slot, client.open_file(document.id, file.id) as response:
            async for chunk in response.aiter_bytes(CHUNK):
                body.extend(chunk)
    except PlatformError as error:
        raise _platform_failure(error) from None
    except httpx.HTTPError as error:
        raise TransientFailure(_download_cut(file, error)) from None
    if len(body) != file.size or hashlib.sha256(body).hexdigest() != file.sha256:
        raise PermanentFailure(
            Failure.of(
                FailureCode.CHECKSUM, name=file.name, size=len(body), expected_size=file.size
            )
        )
    pdf = (await run_io(invoice_pdf, bytes(body))).content
    digest = hashlib.sha256(pdf).hexdigest()
    target_folder = Path(folder)
    found = await run_io(find_delivered, target_folder, output.name, len(pdf), digest)
    if found is not None:
        return found
    staged = StagedFile(target_folder, output.name, sync_folder=sync_folder).hold([pdf])
    return (await staged.commit_async(len(pdf), digest)).path


def _download_cut(file: DocumentFile, error: httpx.HTTPError) -> Failure:
    return Failure.of(
        FailureCode.DOWNLOAD_CUT, name=file.name, said=str(error) or type(error).__name__
    )


def _platform_failure(error: PlatformError) -> Exception:
    if error.transient:
        return TransientFailure(error.failure, error.retry_after)
    return PermanentFailure(error.failure)
