"""Readers: ``read(path, text, options) -> Api`` per input format, in one registry.

Heavy readers are imported only when their format is read (``import ramlfications`` alone takes
seconds), so the registry maps a format to a module path, not to a function.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from migrate.core.diagnostics import Report
from migrate.core.errors import UnsupportedFormatError
from migrate.core.model import Api
from migrate.source.detect import detect
from migrate.source.load import read_text
from migrate.source.refpolicy import ReadOptions


class Reader(Protocol):
    def __call__(self, path: Path, text: str, options: ReadOptions) -> tuple[Api, Report]: ...


#: format name -> "module:function"; each reader returns the model and the report of what it
#: repaired or could not read (diagnostics with pointers into the source).
READERS: dict[str, str] = {
    "swagger": "migrate.readers.openapi.read:read_with_report",
    "openapi": "migrate.readers.openapi.read:read_with_report",
    "raml": "migrate.readers.raml.read:read_with_report",
}


def reader_for(fmt: str) -> Reader:
    module, _, func = READERS[fmt].partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return,unused-ignore]


def read_spec_with_report(path: str | Path, options: ReadOptions | None = None) -> tuple[Api, Report]:
    """Read any supported spec file into the model, with the reader's diagnostics. Raises
    ``ReadError`` (never anything else) for bad input."""
    path = Path(path)
    text = read_text(path)
    fmt, _ = detect(text, str(path))
    if not fmt:
        from migrate.source.detect import detect_data
        from migrate.source.load import parse_text

        fmt, _ = detect_data(parse_text(text, str(path)), str(path))
    if fmt not in READERS:  # pragma: no cover - detect only returns known formats
        raise UnsupportedFormatError(str(path), f"no reader for {fmt}")
    return reader_for(fmt)(path, text, options or ReadOptions())


def read_spec(path: str | Path, options: ReadOptions | None = None) -> Api:
    """Read any supported spec file into the model (see ``read_spec_with_report``)."""
    return read_spec_with_report(path, options)[0]
