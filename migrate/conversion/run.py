"""One spec to one target: read, emit, locate diagnostics, build the loss report."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from migrate.core.diagnostics import Diagnostic, Report
from migrate.core.model import Api
from migrate.core.pointers import position_of
from migrate.emitters.base import EmitOptions, Payload, emit
from migrate.readers import ReadOptions, read_spec_with_report


@dataclass
class Conversion:
    source: str
    target: str
    api: Api
    payload: Payload

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.payload.report.items


def locate(diagnostics: list[Diagnostic], source: str | None) -> list[Diagnostic]:
    """Fill in file and line (from the pointer) for diagnostics that point into ``source``."""
    if not source:
        return diagnostics
    out = []
    for d in diagnostics:
        if d.file is None and d.pointer:
            line, column = position_of(source, d.pointer) or (None, None)
            d = replace(d, file=source, line=line, column=column)
        out.append(d)
    return out


def convert(spec: str | Path, target: str, options: EmitOptions | None = None,
            read_options: ReadOptions | None = None, api: Api | None = None) -> Conversion:
    """Read ``spec`` (unless ``api`` is given) and emit it for ``target``. The report holds the
    reader's diagnostics (what it repaired or could not read) first, then the emitter's."""
    source = str(spec)
    read_report = Report()
    if api is None:
        api, read_report = read_spec_with_report(spec, read_options)
    payload = emit(api, target, options)
    located = Report()
    located.extend(locate(read_report.items + payload.report.items, source))
    payload.report = located
    return Conversion(source, target, api, payload)


def summary(report: Report) -> dict[str, Any]:
    return {**report.counts(), "byCode": report.by_code()}


def report_document(conversion: Conversion) -> dict[str, Any]:
    """The JSON loss report: ``{"source", "target", "diagnostics": [...], "summary": {...}}``."""
    return {
        "source": conversion.source,
        "target": conversion.target,
        "diagnostics": [d.to_json() for d in conversion.diagnostics],
        "summary": summary(conversion.payload.report),
    }


def report_text(conversion: Conversion) -> str:
    lines = [d.render() for d in conversion.diagnostics]
    counts = conversion.payload.report.counts()
    lines.append(
        f"{conversion.source} -> {conversion.target}: {counts['error']} error(s), "
        f"{counts['warning']} warning(s), {counts['info']} info"
    )
    return "\n".join(lines) + "\n"


def render_report(conversion: Conversion, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report_document(conversion), indent=2, ensure_ascii=False) + "\n"
    return report_text(conversion)
