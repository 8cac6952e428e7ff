"""Output formats for per-file diagnostics: text, json, SARIF 2.1.0 and JUnit XML.

Every renderer is a pure function of its input; files keep the order they were given in and
diagnostics keep the order they were found in, so output is deterministic.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from migrate.core.diagnostics import Code, Diagnostic, Severity, one_line
from migrate.core.triage import ordered

FORMATS = ("text", "json", "sarif", "junit")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "api-migrate"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


@dataclass
class FileResult:
    """Outcome for one input file: its findings, or ``error`` (one line) when it was unusable."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    accepted: list[Diagnostic] = field(default_factory=list)  # under --accept: shown apart, never failing

    def counts(self) -> Counter[str]:
        return Counter(d.severity.value for d in self.diagnostics)


def summary(results: list[FileResult]) -> dict[str, int]:
    """Totals over all files: files, unusable files, and findings per severity."""
    counts: Counter[str] = Counter()
    for result in results:
        counts.update(result.counts())
    out = {"files": len(results), "unusable": sum(r.error is not None for r in results)}
    out.update({s.value: counts.get(s.value, 0) for s in Severity})
    out["accepted"] = sum(len(r.accepted) for r in results)
    return out


def render(results: list[FileResult], fmt: str) -> str:
    """Render ``results`` in one of ``FORMATS``. Output ends with a newline."""
    renderers: dict[str, Callable[[list[FileResult]], str]] = {
        "text": render_text, "json": render_json, "sarif": render_sarif, "junit": render_junit,
    }
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return renderers[fmt](results)


# -- text ------------------------------------------------------------------------------------


def _location(result: FileResult, d: Diagnostic) -> str:
    where = d.file or result.path
    if d.line is None:
        return where
    return f"{where}:{d.line}" + (f":{d.column}" if d.column is not None else "")


def render_text(results: list[FileResult]) -> str:
    """One line per finding (``file:line: severity CODE pointer message``), then a summary."""
    lines = []
    for result in results:
        if result.error is not None:
            lines.append(f"{result.path}: unusable: {result.error}")
        for d in ordered(result.diagnostics):  # errors first (core.triage)
            lines.append(f"{one_line(_location(result, d))}: {d.severity.value} {d.code.name} "
                         f"{one_line(d.pointer or '/')} {d.message}")
    s = summary(results)
    lines.append(
        f"{s['files']} file(s): {s['error']} error(s), {s['warning']} warning(s), "
        f"{s['info']} info, {s['unusable']} unusable" + (f", {s['accepted']} accepted" if s["accepted"] else "")
    )
    return "\n".join(lines) + "\n"


# -- json ------------------------------------------------------------------------------------


def render_json(results: list[FileResult]) -> str:
    doc = {
        "files": [
            {"path": r.path, "diagnostics": [d.to_json() for d in r.diagnostics], "error": r.error,
             **({"accepted": [d.to_json() for d in r.accepted]} if r.accepted else {})}
            for r in results
        ],
        "summary": summary(results),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# -- SARIF 2.1.0 -----------------------------------------------------------------------------


def _sarif_rules() -> list[dict[str, Any]]:
    return [
        {
            "id": code.name,
            "name": "".join(part.title() for part in code.name.split("_")),
            "shortDescription": {"text": code.meaning},
            "defaultConfiguration": {"level": _SARIF_LEVEL[code.severity]},
        }
        for code in Code
    ]


def _sarif_result(result: FileResult, d: Diagnostic, rule_index: dict[Code, int]) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(d.file or result.path)}
    if d.line is not None:
        physical["region"] = {"startLine": d.line, **({"startColumn": d.column} if d.column else {})}
    return {
        "ruleId": d.code.name,
        "ruleIndex": rule_index[d.code],
        "level": _SARIF_LEVEL[d.severity],
        "message": {"text": d.message},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [{"fullyQualifiedName": d.pointer, "kind": "object"}],
            }
        ],
    }


def _sarif_notification(result: FileResult) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": result.error or ""},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(result.path)}}],
    }


def _artifact(path: str) -> dict[str, str]:
    uri = _uri(path)
    return {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": "%SRCROOT%"}


def _uri(path: str) -> str:
    """A URI for a file path: relative to the working folder (SARIF's ``%SRCROOT%``) when it lies
    inside it, else a ``file:`` URI; forward slashes, spaces etc. percent-encoded."""
    import os
    from urllib.parse import quote

    full = Path(path).resolve()
    cwd = Path.cwd().resolve()
    if not full.is_relative_to(cwd):
        return full.as_uri()
    return quote(os.path.relpath(full, cwd).replace("\\", "/"), safe="/:@-._~")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("api-migrate")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without installing
        return "0.0.0"


def render_sarif(results: list[FileResult]) -> str:
    """A SARIF 2.1.0 log with one run; unusable files are tool execution notifications."""
    rule_index = {code: i for i, code in enumerate(Code)}
    sarif_results = [_sarif_result(r, d, rule_index) for r in results for d in r.diagnostics]
    notifications = [_sarif_notification(r) for r in results if r.error is not None]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": TOOL_NAME, "version": _version(), "semanticVersion": _version(),
                            "rules": _sarif_rules()}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
        "invocations": [{"executionSuccessful": not notifications,
                         "toolExecutionNotifications": notifications}],
        "results": sarif_results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# -- JUnit XML -------------------------------------------------------------------------------


def _junit_case(result: FileResult) -> list[str]:
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    head = f"  <testcase classname={quoteattr(TOOL_NAME + '.validate')} name={quoteattr(result.path)}"
    if result.error is None and not errors:
        return [head + "/>"]
    lines = [head + ">"]
    if result.error is not None:
        lines.append(f"    <error message={quoteattr(_xml_text(result.error))} type=\"unusable\"/>")
    for d in errors:
        text = f"{_location(result, d)}: {d.pointer or '/'}: {d.message}"
        lines.append(
            f"    <failure message={quoteattr(_xml_text(d.message))} type={quoteattr(d.code.name)}>"
            f"{escape(_xml_text(text))}</failure>"
        )
    lines.append("  </testcase>")
    return lines


def _xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry at all (control characters other than tab/newline)."""
    return "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and ord(c) not in (0xFFFE, 0xFFFF)))


def render_junit(results: list[FileResult]) -> str:
    """One testsuite, one testcase per file; error-level findings are failures, an unusable file
    is an error."""
    failures = sum(1 for r in results if r.error is None and any(d.severity is Severity.ERROR
                                                                  for d in r.diagnostics))
    errors = sum(r.error is not None for r in results)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuite name="{TOOL_NAME} validate" tests="{len(results)}" failures="{failures}"'
             f' errors="{errors}" skipped="0">']
    for result in results:
        lines.extend(_junit_case(result))
    lines.append("</testsuite>")
    return "\n".join(lines) + "\n"
