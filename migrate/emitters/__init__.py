"""Emitters: ``emit(api, options) -> Payload`` per target, in one registry.

An emitter applies its target's reshaping steps (``migrate.transforms``), renders the vendor
objects through the Jinja2 templates in ``templates/<target>/`` (``migrate.render``), and reports
every source detail the target cannot hold in ``Payload.report``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from migrate.diagnostics import Report
from migrate.model import Api


@dataclass(frozen=True)
class EmitOptions:
    """Target options from the command line or a batch manifest. ``None`` means "from the spec"."""

    # Akamai
    host: str | None = None
    contract_id: str | None = None
    group_id: str | None = None
    name: str | None = None
    categories: tuple[str, ...] = ()
    # Akana
    akana_format: str = "json"  # json | xml
    akana_mode: str = "legacy"  # legacy | import
    target_url: str | None = None
    # Frends
    passthrough_target: str | None = None
    # all
    templates_dir: Path | None = None


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


#: target -> "module:function" (imported on first use)
EMITTERS: dict[str, str] = {
    "akamai": "migrate.emitters.akamai:emit",
    "akana": "migrate.emitters.akana:emit",
    "frends": "migrate.emitters.frends:emit",
    "openapi": "migrate.emitters.openapi:emit",
}

TARGETS = tuple(EMITTERS)


def emitter_for(target: str) -> Emitter:
    module, _, func = EMITTERS[target].partition(":")
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
