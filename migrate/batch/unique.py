"""Checks across the specs of one batch: what a vendor requires to be unique in an account can
only be seen with all the payloads at hand.

Akamai (seed 002, "Create a resource"; ../shared/design/vendors.md): a resource's full URL,
host + basePath + resourcePath, must be unique in the account, and so must ``apiEndPointName``.
Each spec whose Akamai payload shares one with another spec of the batch gets an error-level
``VALUE_INVALID_FOR_TARGET`` naming the other specs; the batch report and the spec's
``diagnostics.json`` both carry it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from migrate.batch.worker import DIAGNOSTICS_FILE, KEEP_DIAGNOSTICS, SpecResult, TargetResult, spec_status
from migrate.core.diagnostics import Code, Diagnostic
from migrate.core.status import SpecStatus, status_of

TARGET = "akamai"
Findings = dict[str, list[Diagnostic]]


def check_akamai_uniqueness(results: dict[str, SpecResult], outdir: Path) -> None:
    """Add a diagnostic to every spec whose Akamai endpoint collides with another spec's."""
    endpoints = {name: doc for name, doc in _akamai_payloads(results, outdir)}
    findings: Findings = defaultdict(list)
    _colliding_urls(endpoints, findings)
    _colliding_names(endpoints, findings)
    for name, diagnostics in sorted(findings.items()):
        _add(results[name], diagnostics, outdir)


def _akamai_payloads(results: dict[str, SpecResult], outdir: Path) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for name in sorted(results):
        target = _target(results[name])
        payload = next((f for f in target.files if f.endswith("/akamai.json")), None) if target else None
        if payload is None or not (outdir / payload).is_file():
            continue
        doc = target.endpoint if target and target.endpoint is not None else \
            json.loads((outdir / payload).read_text(encoding="utf-8"))
        if isinstance(doc, dict):
            out.append((name, doc))
    return out


def _target(result: SpecResult) -> TargetResult | None:
    return next((t for t in result.targets if t.target == TARGET and t.status != SpecStatus.FAILED), None)


def _colliding_urls(endpoints: dict[str, dict[str, Any]], findings: Findings) -> None:
    users: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, doc in endpoints.items():
        base = str(doc.get("basePath") or "")
        for host in doc.get("apiEndPointHosts") or []:
            for resource in doc.get("apiResources") or []:
                users[(str(host), base)][str(resource.get("resourcePath"))].append(name)
    for (host, base), paths in sorted(users.items()):
        shared: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for path, names in paths.items():
            for name in dict.fromkeys(names):
                for other in dict.fromkeys(n for n in names if n != name):
                    shared[name][other].append(path)
        for name, others in shared.items():
            for other, common in others.items():
                findings[name].append(Diagnostic(Code.VALUE_INVALID_FOR_TARGET, "", (
                    f"host {host!r} with basePath {base or '/'!r} and resourcePath {_some(common)} is also "
                    f"served by {other!r} in this batch; Akamai requires host + basePath + resourcePath to be "
                    "unique in the account")))


def _colliding_names(endpoints: dict[str, dict[str, Any]], findings: Findings) -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for name, doc in endpoints.items():
        if isinstance(doc.get("apiEndPointName"), str):  # missing: already an error of its own
            by_name[doc["apiEndPointName"]].append(name)
    for endpoint, names in sorted(by_name.items()):
        for name in names:
            others = ", ".join(repr(n) for n in names if n != name)
            if others:
                findings[name].append(Diagnostic(Code.VALUE_INVALID_FOR_TARGET, "/info/title", (
                    f"apiEndPointName {endpoint!r} is also the name of {others} in this batch; Akamai requires "
                    "endpoint names to be unique in the account (use --name or a manifest)")))


def _some(paths: list[str]) -> str:
    shown = ", ".join(repr(p) for p in sorted(paths)[:3])
    return shown + (f" (and {len(paths) - 3} more)" if len(paths) > 3 else "")


def _add(result: SpecResult, diagnostics: list[Diagnostic], outdir: Path) -> None:
    """Add ``diagnostics`` to the spec's Akamai result and its diagnostics.json (once: a
    resumed batch checks again and finds the same)."""
    target = _target(result)
    if target is None:
        return
    file = outdir / result.name / TARGET / DIAGNOSTICS_FILE
    written = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else []
    new = [d.to_json() for d in diagnostics if d.to_json() not in written]
    if new:
        file.write_text(json.dumps([*written, *new], indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for d in diagnostics:
        target.counts[d.severity.value] = target.counts.get(d.severity.value, 0) + 1
        target.by_code[d.code.name] = target.by_code.get(d.code.name, 0) + 1
    target.diagnostics = [*target.diagnostics, *(d.to_json() for d in diagnostics)][:KEEP_DIAGNOSTICS]
    target.status = status_of(target.counts)
    result.status = spec_status(result.targets)
