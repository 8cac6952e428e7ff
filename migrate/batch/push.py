"""``batch --push VENDOR``: after converting, push every spec whose payload for that vendor came out
without errors, idempotently (``migrate.push``), and record the outcome in
``OUTDIR/push-report.json``. Pushing runs in this process, one spec after another, so the push
journal (the one ``push`` uses, ``.api-migrate/journal.jsonl`` in the working folder, unless the
connection names another) lets an interrupted batch resume without duplicates, and tells a batch
about the APIs a ``push`` from the same folder created (Akana cannot be asked by name).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.batch.jobs import Job
from migrate.batch.worker import DIAGNOSTICS_FILE, SpecResult
from migrate.core.errors import MigrateError
from migrate.core.status import PushStatus
from migrate.push.journal import DEFAULT_PATH

if TYPE_CHECKING:  # the vendor clients are imported only when a batch pushes
    from migrate.push.commands import Connection
    from migrate.push.protocol import Client, Delivery

PUSH_REPORT = "push-report.json"


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
             echo: Callable[[str], None], yes: bool = False) -> list[dict[str, Any]]:
    """Push every pushable spec's payload, exactly as the batch wrote it to OUTDIR, through
    ``conn`` (its journal defaults to push's, ``.api-migrate/journal.jsonl``); returns one entry per spec and
    writes them to push-report.json."""
    if conn.journal is None:
        conn = replace(conn, journal=DEFAULT_PATH)
    client = conn.client()
    entries: list[dict[str, Any]] = []
    unreachable: str | None = None
    for job in sorted(jobs, key=lambda j: j.name):
        result = results.get(job.name)
        held = pushable(result, conn.vendor) or unreachable
        entry: dict[str, Any] = {"name": job.name, "spec": str(job.path), "vendor": conn.vendor}
        if held or result is None:
            entry.update(status=PushStatus.SKIPPED, reason=held)
        else:
            entry.update(push_written(result, outdir, client, conn, yes))
            if entry.get("unreachable"):  # unreachable, or asks for a long wait: the rest are not tried
                unreachable = f"not tried: {entry.pop('unreachable')}"
        why = entry.get("reason") or entry.get("error")
        echo(f"push {conn.vendor} {job.name}: {entry['status']}" + (f" ({why})" if why else ""))
        entries.append(entry)
    (outdir / PUSH_REPORT).write_text(json.dumps({"pushes": entries}, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    return entries


def written_delivery(result: SpecResult, vendor: str, outdir: Path) -> Delivery:
    """The payload for ``vendor`` as the batch wrote it (its diagnostics file left out)."""
    from migrate.push.protocol import Delivery

    target = next(t for t in result.targets if t.target == vendor)
    files = [outdir / f for f in target.files if Path(f).name != DIAGNOSTICS_FILE]
    return Delivery.from_files(result.spec, vendor, files)


def push_written(result: SpecResult, outdir: Path, client: Client, conn: Connection,
                 yes: bool = True) -> dict[str, Any]:
    from migrate.push.commands import push_delivery
    from migrate.push.http import VendorUnavailable

    try:
        pushed = push_delivery(written_delivery(result, conn.vendor, outdir), client, conn, change_existing=yes)
    except VendorUnavailable as exc:
        return {"status": PushStatus.FAILED, "error": exc.render(), "unreachable": exc.render()}
    except MigrateError as exc:
        return {"status": PushStatus.FAILED, "error": exc.render()}
    remote = pushed.remote
    if pushed.held:
        changes = ", ".join(c.render() for c in pushed.plan.diff[:5]) or pushed.plan.reason
        return {"status": PushStatus.HELD, "action": pushed.plan.action,
                "reason": f"would {pushed.plan.action} an API {conn.vendor} holds ({changes}); review with "
                          "`plan`, then re-run with --yes"}
    return {"status": PushStatus.PUSHED if pushed.changed else PushStatus.UNCHANGED, "action": pushed.plan.action,
            "done": pushed.done, "ids": remote.ids if remote else None, "version": remote.version if remote else None}


def push_totals(entries: list[dict[str, Any]]) -> str:
    """``push: 3 created, 1 updated, 8 unchanged, 2 held (--yes changes them), 0 skipped, 0 failed``."""
    count = {s: sum(e["status"] == s for e in entries) for s in PushStatus}
    made = sum(e["status"] == PushStatus.PUSHED and e.get("action") == "create" for e in entries)
    held = f", {count[PushStatus.HELD]} held (they would change APIs the vendor holds: review with `plan`, " \
           "then --yes)" if count[PushStatus.HELD] else ""
    return (f"push: {made} created, {count[PushStatus.PUSHED] - made} changed, {count[PushStatus.UNCHANGED]} "
            f"unchanged{held}, {count[PushStatus.SKIPPED]} skipped, {count[PushStatus.FAILED]} failed")


def push_failed(entries: list[dict[str, Any]]) -> bool:
    """A push failed, or was held back (it would change an API the vendor holds, without --yes):
    either way the vendor does not hold what the batch converted (exit 1, as migrate)."""
    return any(e["status"] in (PushStatus.FAILED, PushStatus.HELD) for e in entries)
