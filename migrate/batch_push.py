"""``batch --push VENDOR``: after converting, push every spec whose payload for that vendor came out
without errors, idempotently (``migrate.vendors``), and record the outcome in
``OUTDIR/push-report.json``. Pushing runs in this process, one spec after another, so the push
journal (``OUTDIR/push-journal.jsonl``) lets an interrupted batch resume without duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.batch_jobs import Job
from migrate.batch_worker import SpecResult
from migrate.errors import MigrateError

if TYPE_CHECKING:  # the vendor clients are imported only when a batch pushes
    from migrate.vendors.commands import Connection

PUSH_REPORT = "push-report.json"
PUSH_JOURNAL = "push-journal.jsonl"


def pushable(result: SpecResult | None, vendor: str) -> str | None:
    """Why a spec is not pushed (None when it is): failed conversions and payloads with
    error-level diagnostics are held back, duplicates are pushed once, as their original."""
    if result is None:
        return "not converted (interrupted)"
    if result.status == "duplicate":
        return f"duplicate of {result.duplicate_of}"
    target = next((t for t in result.targets if t.target == vendor), None)
    if target is None or target.status == "failed":
        return "conversion failed"
    if target.status == "errors":
        return "payload has error-level diagnostics"
    return None


def push_all(jobs: list[Job], results: dict[str, SpecResult], conn: Connection, outdir: Path,
             echo: Callable[[str], None]) -> list[dict[str, Any]]:
    """Push every pushable spec through ``conn`` (its journal defaults to OUTDIR/push-journal.jsonl);
    returns one entry per spec and writes them to push-report.json."""
    from migrate.vendors.commands import push_spec

    if conn.journal is None:
        conn = replace(conn, journal=outdir / PUSH_JOURNAL)
    entries = []
    for job in sorted(jobs, key=lambda j: j.name):
        held = pushable(results.get(job.name), conn.vendor)
        entry: dict[str, Any] = {"name": job.name, "spec": str(job.path), "vendor": conn.vendor}
        if held:
            entry.update(status="skipped", reason=held)
        else:
            entry.update(_push(job, conn, push_spec))
        echo(f"push {conn.vendor} {job.name}: {entry['status']}"
             + (f" ({entry.get('reason') or entry.get('error')})" if entry['status'] in ("skipped", "failed") else ""))
        entries.append(entry)
    (outdir / PUSH_REPORT).write_text(json.dumps({"pushes": entries}, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    return entries


def _push(job: Job, conn: Connection, push_spec: Callable[..., Any]) -> dict[str, Any]:
    try:
        result = push_spec(job.path, conn, options=job.options, read_options=job.read_options)
    except MigrateError as exc:
        return {"status": "failed", "error": exc.render()}
    remote = result.remote
    return {"status": "pushed" if result.changed else "unchanged", "action": result.plan.action,
            "done": result.done, "ids": remote.ids if remote else None, "version": remote.version if remote else None}


def push_failed(entries: list[dict[str, Any]]) -> bool:
    return any(e["status"] == "failed" for e in entries)
