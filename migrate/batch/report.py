"""The batch report: ``report.json`` (per spec x target: status, diagnostic counts by code and
severity, output paths, timings), ``report.html`` (templates/report/report.html.j2, HTML
autoescaped, self-contained) and the text summary printed at the end."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from migrate.batch.jobs import Job
from migrate.batch.worker import SpecResult
from migrate.core.diagnostics import Code
from migrate.core.status import SpecStatus
from migrate.core.targets import TARGETS
from migrate.emitters.render import BUILTIN_TEMPLATES

REPORT_VERSION = 1
HTML_TEMPLATE = "report/report.html.j2"
EXAMPLES = 5
#: diagnostics listed per spec x target in the HTML (the rest: diagnostics.json beside the payload)
HTML_DIAGNOSTICS = 25


@dataclass
class BatchOutcome:
    """Everything the report is made from."""

    jobs: list[Job]
    results: dict[str, SpecResult]  # by job name
    skipped_files: int
    interrupted: bool
    seconds: float

    def targets(self) -> list[str]:
        used = {t for job in self.jobs for t in job.targets}
        return [t for t in TARGETS if t in used]

    def exit_code(self) -> int:
        """130 interrupted; 1 when a spec failed, has an error diagnostic or its source fails
        ``validate``; else 0."""
        if self.interrupted:
            return 130
        return 1 if any(r.failed() or r.source_invalid() for r in self.results.values()) else 0


def build_report(outcome: BatchOutcome) -> dict[str, Any]:
    """The ``report.json`` document (specs sorted by name)."""
    specs = [_spec_entry(job, outcome.results.get(job.name)) for job in sorted(outcome.jobs, key=_by_name)]
    statuses = Counter(s["status"] for s in specs)
    return {
        "reportVersion": REPORT_VERSION,
        "targets": outcome.targets(),
        "interrupted": outcome.interrupted,
        "exitCode": outcome.exit_code(),
        "summary": {
            "specs": len(specs),
            "byStatus": dict(sorted(statuses.items())),
            "sourceInvalid": sorted(s["name"] for s in specs if s.get("source") and not s["source"]["valid"]),
            "skippedFiles": outcome.skipped_files,
            "seconds": round(outcome.seconds, 3),
        },
        "losses": losses(outcome.results.values()),
        "specs": specs,
    }


def _by_name(job: Job) -> str:
    return job.name


def _spec_entry(job: Job, result: SpecResult | None) -> dict[str, Any]:
    if result is None:
        return {"name": job.name, "spec": str(job.path), "status": SpecStatus.NOT_RUN, "targets": {}}
    entry: dict[str, Any] = {"name": result.name, "spec": result.spec, "status": result.status}
    if result.duplicate_of:
        entry["duplicateOf"] = result.duplicate_of
        return entry
    entry.update(failure=result.failure, seconds=result.seconds, source=result.source)
    entry["targets"] = {
        t.target: {"status": t.status, "counts": t.counts, "byCode": t.by_code, "files": t.files,
                   "seconds": t.seconds, "error": t.error, "accepted": t.accepted}
        for t in result.targets
    }
    return entry


def losses(results: Any) -> list[dict[str, Any]]:
    """Diagnostic codes over the batch, most frequent first, with the specs they occur in."""
    counts: Counter[str] = Counter()
    specs: dict[str, set[str]] = {}
    for result in results:
        for target in result.targets:
            for code, n in target.by_code.items():
                counts[code] += n
                specs.setdefault(code, set()).add(result.name)
    rows = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        member = Code.__members__.get(code)
        rows.append({
            "code": code,
            "severity": member.severity.value if member else "unknown",
            "meaning": member.meaning if member else "",
            "count": n,
            "specs": len(specs[code]),
            "examples": sorted(specs[code])[:EXAMPLES],
        })
    return rows


# -- files -----------------------------------------------------------------------------------


def write_reports(outcome: BatchOutcome, outdir: Path, templates_dir: Path | None = None,
                  pushes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Write ``report.json`` and ``report.html`` into ``outdir``; returns the JSON document. With
    ``pushes`` (``batch --push``'s entries), the HTML shows each spec's push beside its conversion."""
    doc = build_report(outcome)
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "report.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    html = render_html(doc, outcome, templates_dir, pushes)
    (outdir / "report.html").write_text(html, encoding="utf-8")
    return doc


def html_environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """An autoescaping environment (migrate.emitters.render's is for JSON/XML and does not escape HTML);
    a user's template folder shadows the built-in one as elsewhere."""
    folders = [str(templates_dir)] if templates_dir else []
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, str(BUILTIN_TEMPLATES)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


#: What to do about an error, by code (the message names the value or option); other codes: look.
NEXT_STEP = {
    "MISSING_REQUIRED_FIELD": "give the value: the option the message names (or set it in the profile)",
    "VALUE_INVALID_FOR_TARGET": "change the value in the spec, or with the option the message names",
    "SPEC_INVALID": "fix the spec at this place (api-migrate validate lists all its problems)",
    "OUTPUT_INVALID": "report it: the converted document breaks its format (a bug in api-migrate)",
}
#: Errors listed at the top of the HTML report.
ATTENTION = 200


def attention(outcome: BatchOutcome) -> list[dict[str, Any]]:
    """Every error (kept per spec and target, errors first) with the next step, for the top of the
    report: the one error that blocks a spec is never buried under its warnings."""
    rows: list[dict[str, Any]] = []
    for name, result in sorted(outcome.results.items()):
        if result.source_invalid() and result.source:
            rows.append({"spec": name, "target": "source", "code": "SPEC_INVALID", "pointer": "", "line": None,
                         "message": f"the source fails validate ({result.source['errors']} error(s)); first: "
                                    f"{result.source['first']}", "next": NEXT_STEP["SPEC_INVALID"]})
        for t in result.targets:
            if t.error:
                rows.append({"spec": name, "target": t.target, "code": "FAILED", "pointer": "", "line": None,
                             "message": t.error, "next": "see the message; the target produced nothing"})
            for d in t.diagnostics:
                if d.get("severity") == "error":
                    rows.append({"spec": name, "target": t.target, "code": d["code"], "pointer": d.get("pointer"),
                                 "line": d.get("line"), "message": d["message"],
                                 "next": NEXT_STEP.get(d["code"], "see the message")})
    return rows[:ATTENTION]


def render_html(doc: dict[str, Any], outcome: BatchOutcome, templates_dir: Path | None = None,
                pushes: list[dict[str, Any]] | None = None) -> str:
    details = {
        name: [{"target": t.target, "diagnostics": t.diagnostics[:HTML_DIAGNOSTICS],
                "more": sum(t.counts.values()) - len(t.diagnostics[:HTML_DIAGNOSTICS])} for t in r.targets]
        for name, r in outcome.results.items()
    }
    template = html_environment(templates_dir).get_template(HTML_TEMPLATE)
    links = {spec["name"]: Path(spec["spec"]).resolve().as_uri() for spec in doc["specs"]}  # each spec's source
    pushed = {e["name"]: e for e in pushes or []}
    vendor = next((e["vendor"] for e in pushes or []), None)
    return template.render(report=doc, details=details, codes=_code_table(), attention=attention(outcome),
                           links=links, pushed=pushed, push_vendor=vendor)


def _code_table() -> dict[str, dict[str, str]]:
    return {c.name: {"severity": c.severity.value, "meaning": c.meaning} for c in Code}


# -- text ------------------------------------------------------------------------------------


#: Spec statuses ``-q`` leaves out of the text matrix (a valid source besides).
_QUIET = (SpecStatus.OK, SpecStatus.WARNINGS, SpecStatus.DUPLICATE)


def render_text(doc: dict[str, Any], outdir: Path, quiet: bool = False) -> str:
    """The matrix as aligned text, then the totals; ``quiet``: only the specs that failed, have
    errors or an invalid source."""
    targets = doc["targets"]
    width = max([len(s["name"]) for s in doc["specs"]] + [4])
    lines = ["  ".join(["spec".ljust(width), *(t.ljust(9) for t in targets)]).rstrip()]
    for spec in doc["specs"]:
        if quiet and spec["status"] in _QUIET and (spec.get("source") or {}).get("valid", True):
            continue
        lines.append(_text_row(spec, targets, width))
    summary = doc["summary"]
    by_status = ", ".join(f"{n} {s}" for s, n in summary["byStatus"].items())
    lines.append(f"{summary['specs']} specs: {by_status}; {summary['skippedFiles']} other files skipped")
    invalid = summary.get("sourceInvalid") or []
    if invalid:
        shown = ", ".join(invalid[:5]) + (f" and {len(invalid) - 5} more" if len(invalid) > 5 else "")
        lines.append(f"{len(invalid)} spec(s) whose source fails `api-migrate validate`: {shown}")
    accepted = sum(n for s in doc["specs"] for t in s.get("targets", {}).values()
                   for n in t.get("accepted", {}).values())
    if accepted:
        lines.append(f"{accepted} diagnostic(s) accepted by --accept (not counted above)")
    if doc["interrupted"]:
        lines.append("interrupted: run again with --resume to finish")
    lines.append(f"report: {outdir / 'report.html'}")
    return "\n".join(lines) + "\n"


def _text_row(spec: dict[str, Any], targets: list[str], width: int) -> str:
    name = spec["name"].ljust(width)
    if spec["status"] in (SpecStatus.DUPLICATE, SpecStatus.NOT_RUN):
        note = f"duplicate of {spec['duplicateOf']}" if spec["status"] == SpecStatus.DUPLICATE else "not run"
        return f"{name}  {note}"
    cells = [spec["targets"].get(t, {}).get("status", "-").ljust(9) for t in targets]
    row = "  ".join([name, *cells]).rstrip()
    source = spec.get("source")
    if source and not source["valid"]:
        row += f"  source invalid ({source['errors']} error(s)): {source['first']}"
    return f"{row}  {spec['failure']}" if spec.get("failure") else row
