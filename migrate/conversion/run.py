"""One spec to one target: read, emit, locate diagnostics, build the loss report."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.core.diagnostics import Diagnostic, Report
from migrate.core.model import Api
from migrate.core.pointers import position_of
from migrate.core.triage import by_code_line, triage_lines
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
            d = d.located(source, line, column)
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


def report_document(conversion: Conversion, accepted: list[Diagnostic] | None = None) -> dict[str, Any]:
    """The JSON loss report: ``{"source", "target", "diagnostics": [...], "summary": {...}}``;
    with ``accepted`` (``--accept``), those are listed apart under ``"accepted"``."""
    kept = _kept(conversion, accepted)
    report = Report()
    report.extend(kept)
    document = {
        "source": conversion.source,
        "target": conversion.target,
        "diagnostics": [d.to_json() for d in kept],
        "summary": summary(report),
    }
    if accepted:
        document["accepted"] = [d.to_json() for d in accepted]
    return document


def report_text(conversion: Conversion, accepted: list[Diagnostic] | None = None, accept_file: str = "") -> str:
    """Errors first, by code, identical ones collapsed, a few examples per code (``core.triage``);
    accepted losses in one line apart; a one-line summary."""
    kept = _kept(conversion, accepted)
    lines = triage_lines(kept, more=" (every one: --report FILE --format json)")
    if accepted:
        lines.append(f"accepted  {len(accepted)} diagnostic(s) under {accept_file}: "
                     + by_code_line(accepted).removeprefix("by code: "))
    counts = Counter(d.severity.value for d in kept)
    tail = f", {len(accepted)} accepted" if accepted else ""
    lines.append(
        f"{conversion.source} -> {conversion.target}: {counts['error']} error(s), "
        f"{counts['warning']} warning(s), {counts['info']} info{tail}"
    )
    return "\n".join(lines) + "\n"


def _kept(conversion: Conversion, accepted: list[Diagnostic] | None) -> list[Diagnostic]:
    if not accepted:
        return list(conversion.diagnostics)
    taken = set(map(id, accepted))
    return [d for d in conversion.diagnostics if id(d) not in taken]


def render_report(conversion: Conversion, fmt: str, accepted: list[Diagnostic] | None = None,
                  accept_file: str = "") -> str:
    if fmt == "json":
        return json.dumps(report_document(conversion, accepted), indent=2, ensure_ascii=False) + "\n"
    return report_text(conversion, accepted, accept_file)
