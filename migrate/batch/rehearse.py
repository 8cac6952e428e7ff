"""``api-migrate rehearse``: a whole migration against the local vendor sandboxes.

Converts every spec to every target (a batch run: payloads, report.json, report.html), starts the
sandboxes with fresh credentials, pushes every spec to every vendor and verifies each push by reading
it back (``migrate.push.verify``), then pushes again: the second round must change nothing. Needs no
credentials and no network beyond loopback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.batch.worker import SpecResult
from migrate.core.errors import MigrateError
from migrate.core.status import Action, PushStatus
from migrate.emitters.base import EmitOptions
from migrate.readers import ReadOptions

if TYPE_CHECKING:
    from migrate.push.commands import Connection
    from migrate.push.protocol import Client

from migrate.core.targets import (
    TARGETS,
    VENDORS,
)


@dataclass
class Outcome:
    spec: str
    vendor: str
    round: int
    result: str  # create | update | new-version | nothing | failed
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"spec": self.spec, "vendor": self.vendor, "round": self.round, "result": self.result,
                "detail": self.detail}


def rehearse(paths: list[Path], outdir: Path, options: EmitOptions, read_options: ReadOptions, jobs: int,
             progress: bool, echo: Callable[[str], None]) -> int:
    """Run the rehearsal; returns the exit code (0: converted, pushed, and the re-run changed nothing)."""
    from migrate.batch.journal import JOURNAL_NAME, load_journal
    from migrate.batch.run import run_batch
    from migrate.push.commands import Connection
    from migrate.sandbox import start_sandbox
    from migrate.sandbox.config import write_config

    outdir.mkdir(parents=True, exist_ok=True)
    with start_sandbox("all") as handle:
        config = outdir / "sandbox-config.toml"
        write_config(handle, config)
        for vendor in VENDORS:  # each profile's defaults (Akamai's contract and group), before converting
            options = Connection(vendor, config=config, profile=f"sandbox-{vendor}").client().emit_options(options)
        echo(f"== converting to {', '.join(TARGETS)} -> {outdir}")
        converted = run_batch(paths, list(TARGETS), outdir, options, read_options, jobs, False, "text", progress)
        results = sorted(load_journal(outdir / JOURNAL_NAME).values(), key=lambda r: r.name)
        echo(f"== sandboxes: {', '.join(f'{v} {u}' for v, u in sorted(handle.base_urls.items()))}")
        outcomes = push_rounds(results, outdir, config, outdir / "push-journal.jsonl", echo)
        counts = {vendor: len(objects) for vendor, objects in _stored(handle.state()).items()}
    echo(f"== the sandboxes held: {', '.join(f'{v}: {n} API(s)' for v, n in sorted(counts.items()))}")
    (outdir / "rehearsal.json").write_text(
        json.dumps({"outcomes": [o.to_json() for o in outcomes]}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    echo(render(outcomes))
    verdict, code = closing_verdict(outcomes, converted)
    echo(verdict)
    return code


def closing_verdict(outcomes: list[Outcome], converted: int) -> tuple[str, int]:
    """One line that tells failures from changes: a second round that failed changed nothing, and
    says so, rather than being taken for a push that is not idempotent."""
    failed = sorted({(o.spec, o.vendor) for o in outcomes if o.result == PushStatus.FAILED})
    changed = sorted({(o.spec, o.vendor) for o in outcomes
                      if o.round == 2 and o.result not in (Action.NOTHING, PushStatus.FAILED)})
    pairs = len({(o.spec, o.vendor) for o in outcomes})
    parts = [f"{pairs - len(set(failed) | set(changed))} of {pairs} spec/vendor pair(s) pushed and unchanged on "
             "the second push"]
    if failed:
        parts.append(f"{len(failed)} failed (see the table; nothing was changed by a failed push)")
    if changed:
        parts.append(f"{len(changed)} changed again on the second push: not idempotent")
    if converted != 0:
        parts.append("some specs did not convert cleanly (see report.html)")
    verdict = "rehearsal: " + "; ".join(parts)
    return verdict, 1 if failed or changed or converted != 0 else 0


def push_rounds(results: list[SpecResult], outdir: Path, config: Path, journal: Path,
                echo: Callable[[str], None]) -> list[Outcome]:
    """Push every converted payload, as the batch wrote it, to every vendor sandbox twice."""
    from migrate.push.commands import Connection

    journal.unlink(missing_ok=True)  # the sandboxes start empty, so must the journal
    conns = {v: Connection(v, config=config, profile=f"sandbox-{v}", journal=journal) for v in VENDORS}
    clients = {v: conn.client() for v, conn in conns.items()}
    outcomes: list[Outcome] = []
    for round_ in (1, 2):
        echo(f"== push round {round_}")
        for result in results:
            if result.duplicate_of:  # converted once, as the spec it duplicates
                continue
            for vendor in VENDORS:
                outcomes.append(push_one(result, outdir, vendor, round_, conns[vendor], clients[vendor]))
    return outcomes


def push_one(result: SpecResult, outdir: Path, vendor: str, round_: int, conn: Connection,
             client: Client) -> Outcome:
    from migrate.batch.push import pushable, written_delivery
    from migrate.push.commands import push_delivery

    held = pushable(result, vendor)
    if held:
        return Outcome(result.spec, vendor, round_, PushStatus.FAILED, held)
    delivery = written_delivery(result, vendor, outdir)
    try:
        pushed = push_delivery(delivery, client, conn)
        mismatches = _verify(client, delivery, pushed) if pushed.changed else []
    except MigrateError as exc:
        return Outcome(result.spec, vendor, round_, PushStatus.FAILED, exc.render())
    if mismatches:  # a push the vendor did not keep as sent (migrate.push.verify)
        first = mismatches[0]
        return Outcome(result.spec, vendor, round_, PushStatus.FAILED, f"verify: {len(mismatches)} difference(s); "
                       f"first {first.pointer or '/'}: {first.message}")
    # a plan of "nothing" can still run follow-up steps (they changed something too)
    action = pushed.plan.action if pushed.plan.action != Action.NOTHING else "+".join(pushed.done) or Action.NOTHING
    ids = pushed.remote.ids if pushed.remote else {}
    return Outcome(result.spec, vendor, round_, action, ", ".join(f"{k}={v}" for k, v in sorted(ids.items())))


def _verify(client: Client, delivery: Any, pushed: Any) -> list[Any]:
    """The error-level findings of reading the pushed API back (verify is on in a rehearsal)."""
    from migrate.core.diagnostics import Severity
    from migrate.push.verify import verify_push

    return [d for d in verify_push(client, delivery, pushed.remote) if d.severity is Severity.ERROR]


def _stored(state: dict[str, Any]) -> dict[str, Any]:
    """The main stored objects per vendor from the sandbox state (endpoints, APIs, specifications)."""
    main = {"akamai": "endpoints", "akana": "apis", "frends": "specs"}
    out: dict[str, Any] = {}
    for vendor, key in main.items():
        part = state.get(vendor) or {}
        objects = part.get(key) if isinstance(part, dict) else None
        out[vendor] = objects if isinstance(objects, (list, dict)) else []
    return out


def render(outcomes: list[Outcome]) -> str:
    width = max((len(o.spec) for o in outcomes), default=4)
    lines = [f"{'spec':{width}}  {'vendor':7} round 1        round 2"]
    rows: dict[tuple[str, str], dict[int, Outcome]] = {}
    for o in outcomes:
        rows.setdefault((o.spec, o.vendor), {})[o.round] = o
    for (spec, vendor), by_round in rows.items():
        cells = [by_round[r].result if r in by_round else "-" for r in (1, 2)]
        line = f"{spec:{width}}  {vendor:7} {cells[0]:14} {cells[1]}"
        failures = [o.detail for o in by_round.values() if o.result == PushStatus.FAILED]
        lines.append(line + (f"  ({failures[0]})" if failures else ""))
    return "\n".join(lines)
