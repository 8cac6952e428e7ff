"""The report of ``migrate --all``: one row per API with a column per step (pulled, converted,
pushed, verified), as ``migration.json`` and a self-contained ``migration.html``."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

STEPS = ("pulled", "converted", "pushed", "verified")


def write_report(rows: list[dict[str, Any]], source: str, target: str, outdir: Path) -> list[Path]:
    """Write both files into ``outdir`` (created); returns their paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    data = {"from": source, "to": target, "apis": rows, "failed": sum(bool(r.get("failed")) for r in rows),
            "held": sum(bool(r.get("held")) for r in rows)}
    written = [outdir / "migration.json", outdir / "migration.html"]
    written[0].write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    written[1].write_text(render_html(rows, source, target), encoding="utf-8")
    return written


def render_html(rows: list[dict[str, Any]], source: str, target: str) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in ("API", "id", *STEPS, "error"))
    body = []
    for row in rows:
        cells = [row.get("api", ""), row.get("id", ""), *(row.get(s, "") for s in STEPS), row.get("error", "")]
        mark = ' class="failed"' if row.get("failed") else ' class="held"' if row.get("held") else ""
        body.append(f"<tr{mark}>" + "".join(f"<td>{e(str(c))}</td>" for c in cells) + "</tr>")
    failed, held = sum(bool(r.get("failed")) for r in rows), sum(bool(r.get("held")) for r in rows)
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>api-migrate: {e(source)} to {e(target)}</title>"
            "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;"
            "padding:2px 6px;text-align:left}tr.failed td{background:#fdd}tr.held td{background:#ffd}"
            "</style></head><body>"
            f"<h1>Migration from {e(source)} to {e(target)}</h1>"
            f"<p>{len(rows)} API(s): {len(rows) - failed - held} ok, {held} held (--yes changes them), "
            f"{failed} failed</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table></body></html>\n")
