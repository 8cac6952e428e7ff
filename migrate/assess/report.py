"""The assessment's files: ``assessment.json`` (deterministic: APIs sorted by name, no timings)
and ``assessment.html`` (templates/report/assess.html.j2, autoescaped, one offline file), and the
text summary printed at the end."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from migrate.assess import effort
from migrate.assess.measure import KINDS
from migrate.batch.report import html_environment
from migrate.core.diagnostics import Code

ASSESSMENT_VERSION = 1
HTML_TEMPLATE = "report/assess.html.j2"
JSON_NAME = "assessment.json"
HTML_NAME = "assessment.html"
#: APIs named as examples per loss or decision
EXAMPLES = 5
#: losses listed in the HTML and the text summary (the JSON has all)
TOP_LOSSES = 15


def build(apis: list[dict[str, Any]], targets: tuple[str, ...], origin: str, skipped_files: int = 0) -> dict[str, Any]:
    """The ``assessment.json`` document. ``origin``: where the APIs came from (``files``)."""
    apis = sorted(apis, key=lambda a: a["name"])
    return {
        "assessmentVersion": ASSESSMENT_VERSION,
        "from": origin,
        "targets": list(targets),
        "effortRule": effort.rule(),
        "summary": _summary(apis, targets, skipped_files),
        "decisions": _decisions(apis),
        "losses": _losses(apis, targets),
        "apis": apis,
    }


def _summary(apis: list[dict[str, Any]], targets: tuple[str, ...], skipped_files: int) -> dict[str, Any]:
    by_target: dict[str, Any] = {}
    for t in targets:
        cells = [a["targets"][t] for a in apis]
        levels = Counter(c["effort"] for c in cells)
        by_target[t] = {
            "effort": {level: levels.get(level, 0) for level in effort.EFFORTS},
            "carried": {k: {"carried": sum(c["carried"][k]["carried"] for c in cells),
                            "total": sum(c["carried"][k]["total"] for c in cells)} for k in KINDS},
            "lostWarnings": sum(c["lost"]["warnings"] for c in cells),
        }
    return {"apis": len(apis), "notRead": sum(1 for a in apis if a["failure"]), "skippedFiles": skipped_files,
            "byTarget": by_target}


def _decisions(apis: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each option (and the policies) with the targets and APIs that need it, most APIs first."""
    rows: dict[str, dict[str, Any]] = {}
    for api in apis:
        for target, cell in api["targets"].items():
            for d in cell["decisions"]:
                key = d["option"] or "policies"
                row = rows.setdefault(key, {"kind": d["kind"], "option": d["option"], "help": d["help"],
                                            "targets": set(), "apis": set(), "count": 0})
                row["targets"].add(target)
                row["apis"].add(api["name"])
                row["count"] += d["count"]
    out = [{**row, "targets": sorted(row["targets"]), "apis": len(row["apis"]),
            "examples": sorted(row["apis"])[:EXAMPLES]} for row in rows.values()]
    return sorted(out, key=lambda r: (-r["apis"], r["kind"], r["option"] or ""))


def _losses(apis: list[dict[str, Any]], targets: tuple[str, ...]) -> list[dict[str, Any]]:
    """Warning codes over the estate, most frequent first, with the APIs they occur in."""
    counts: Counter[str] = Counter()
    per_target: dict[str, Counter[str]] = {}
    names: dict[str, set[str]] = {}
    for api in apis:
        for target, cell in api["targets"].items():
            for code, n in cell["lost"]["byCode"].items():
                counts[code] += n
                per_target.setdefault(code, Counter())[target] += n
                names.setdefault(code, set()).add(api["name"])
    rows = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        member = Code.__members__.get(code)
        rows.append({"code": code, "meaning": member.meaning if member else "", "count": n,
                     "byTarget": {t: per_target[code].get(t, 0) for t in targets},
                     "apis": len(names[code]), "examples": sorted(names[code])[:EXAMPLES]})
    return rows


def write(doc: dict[str, Any], outdir: Path, templates_dir: Path | None = None) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / JSON_NAME).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (outdir / HTML_NAME).write_text(render_html(doc, templates_dir), encoding="utf-8")


def render_html(doc: dict[str, Any], templates_dir: Path | None = None) -> str:
    template = html_environment(templates_dir).get_template(HTML_TEMPLATE)
    return template.render(doc=doc, efforts=effort.EFFORTS, kinds=KINDS, top=TOP_LOSSES)


def _apis(n: int) -> str:
    return f"{n} API" if n == 1 else f"{n} APIs"


def render_text(doc: dict[str, Any], outdir: Path) -> str:
    """Effort per target, the decisions, the most frequent losses, where the report is."""
    s = doc["summary"]
    lines = [f"{_apis(s['apis'])} assessed for {', '.join(doc['targets'])} ({s['notRead']} not read, "
             f"{s['skippedFiles']} other files skipped)"]
    for t, row in s["byTarget"].items():
        levels = ", ".join(f"{n} {level}" for level, n in row["effort"].items() if n)
        m = row["carried"]["methods"]
        lines.append(f"  {t:7} {levels}; methods carried {m['carried']}/{m['total']}")
    if doc["decisions"]:
        lines.append("decisions: " + ", ".join(f"{d['option'] or 'security policies'} ({_apis(d['apis'])})"
                                               for d in doc["decisions"]))
    if doc["losses"]:
        lines.append("most frequent losses: " + ", ".join(f"{x['code']} {x['count']}" for x in doc["losses"][:5]))
    lines.append(f"report: {outdir / HTML_NAME}")
    return "\n".join(lines) + "\n"
