"""Emitters: ``emit(api, options) -> Payload`` per target, in one registry.

An emitter applies its target's reshaping steps (``migrate.transforms``), renders the vendor
objects through the Jinja2 templates in ``templates/<target>/`` (``migrate.emitters.render``), and reports
every source detail the target cannot hold in ``Payload.report``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from migrate.core.diagnostics import Report
from migrate.core.model import Api
from migrate.core.targets import EmitOptions, emitter_path

__all__ = ["EmitOptions", "Emitter", "Payload", "PayloadFile", "emit", "emitter_for", "write_payload"]


@dataclass
class PayloadFile:
    """One file of a payload: ``name`` (e.g. ``akamai.json``), rendered ``text``, the parsed
    ``document`` it encodes (for validation and tests) and its media type."""

    name: str
    text: str
    media_type: str = "application/json"
    document: Any = None


@dataclass
class Payload:
    target: str
    files: list[PayloadFile] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    def main(self) -> PayloadFile:
        return self.files[0]


class Emitter(Protocol):
    def __call__(self, api: Api, options: EmitOptions) -> Payload: ...


def emitter_for(target: str) -> Emitter:
    module, _, func = emitter_path(target).partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return,unused-ignore]


def emit(api: Api, target: str, options: EmitOptions | None = None) -> Payload:
    return emitter_for(target)(api, options or EmitOptions())


def write_payload(payload: Payload, out: Path) -> list[Path]:
    """Write the payload's files into folder ``out`` (created). Returns the written paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for f in payload.files:
        dest = out / f.name
        dest.write_text(f.text, encoding="utf-8")
        written.append(dest)
    return written
