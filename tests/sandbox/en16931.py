"""The official EN 16931 rules for UBL (Schematron compiled to XSLT), run by Saxon in a
process of its own.

Saxon's Python package is a GraalVM native image with its own heap, threads and signal
handling; the suite's process also holds Qt, Chromium's helpers and dozens of threads by the
time the sandbox's tests run. Keeping the two runtimes in one process is how a suite ends in a
segmentation fault that no single test explains, so the rules run in a worker started with
``spawn`` (a fresh interpreter, nothing inherited) and only bytes and strings cross over.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"

#: The compiled rules in the worker process (one compilation per worker).
_compiled: tuple[Any, Any] | None = None


def _compile(stylesheet: str) -> None:
    global _compiled
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=stylesheet)
    _compiled = (processor, executable)


def _fatal_asserts(xml: bytes) -> list[str]:
    assert _compiled is not None, "the worker compiles the rules when it starts"
    processor, executable = _compiled
    node = processor.parse_xml(xml_text=xml.decode("utf-8"))
    report = etree.fromstring(executable.transform_to_string(xdm_node=node).encode())
    return [
        f"{failed.get('id')}: {' '.join(''.join(failed.itertext()).split())}"
        for failed in report.iter(f"{{{SVRL}}}failed-assert")
        if failed.get("flag") == "fatal"
    ]


class En16931:
    """The rules, compiled once in a worker process; :meth:`fatal_asserts` lists the fatal
    rules a document breaks (empty: the document is valid)."""

    def __init__(self, stylesheet: Path) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_compile,
            initargs=(str(stylesheet),),
        )

    def fatal_asserts(self, xml: bytes) -> list[str]:
        return self._pool.submit(_fatal_asserts, xml).result(timeout=300)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
