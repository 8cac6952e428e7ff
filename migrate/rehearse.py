"""``api-migrate rehearse``: a whole migration against the local vendor sandboxes.

Converts every spec to every target (a batch run: payloads, report.json, report.html), starts the
sandboxes with fresh credentials, pushes every spec to every vendor, then pushes again: the second
round must change nothing. Needs no credentials and no network beyond loopback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from migrate.emitters import EmitOptions
from migrate.errors import MigrateError
from migrate.readers import ReadOptions

VENDORS = ("akamai", "akana", "frends")
TARGETS = ("akamai", "akana", "frends", "openapi")


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
    from migrate.batch import run_batch
    from migrate.batch_jobs import discover
    from migrate.sandbox import start_sandbox
    from migrate.sandbox.config import profiles, write_config

    outdir.mkdir(parents=True, exist_ok=True)
    with start_sandbox("all") as handle:
        config = outdir / "sandbox-config.toml"
        write_config(handle, config)
        akamai = profiles(handle)["sandbox-akamai"]
        options = replace(options, contract_id=options.contract_id or akamai["contract_id"],
                          group_id=options.group_id or str(akamai["group_id"]))
        echo(f"== converting to {', '.join(TARGETS)} -> {outdir}")
        converted = run_batch(paths, list(TARGETS), outdir, options, read_options, jobs, False, "text", progress)
        specs = [job.path for job in discover(paths, TARGETS, options, read_options, outdir).jobs]
        echo(f"== sandboxes: {', '.join(f'{v} {u}' for v, u in sorted(handle.base_urls.items()))}")
        outcomes = push_rounds(specs, config, outdir / "push-journal.jsonl", options, read_options, echo)
        counts = {vendor: len(objects) for vendor, objects in _stored(handle.state()).items()}
    echo(f"== the sandboxes held: {', '.join(f'{v}: {n} API(s)' for v, n in sorted(counts.items()))}")
    (outdir / "rehearsal.json").write_text(
        json.dumps({"outcomes": [o.to_json() for o in outcomes]}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    echo(render(outcomes))
    failed = any(o.result == "failed" for o in outcomes)
    repeated = any(o.round == 2 and o.result != "nothing" for o in outcomes)
    if repeated:
        echo("the second push changed something: pushes are not idempotent for the specs marked above")
    return 1 if failed or repeated or converted != 0 else 0


def push_rounds(specs: list[Path], config: Path, journal: Path, options: EmitOptions, read_options: ReadOptions,
                echo: Callable[[str], None]) -> list[Outcome]:
    """Push every spec to every vendor sandbox twice."""
    journal.unlink(missing_ok=True)  # the sandboxes start empty, so must the journal
    outcomes: list[Outcome] = []
    for round_ in (1, 2):
        echo(f"== push round {round_}")
        for spec in specs:
            for vendor in VENDORS:
                outcomes.append(push_one(spec, vendor, round_, config, journal, options, read_options))
    return outcomes


def push_one(spec: Path, vendor: str, round_: int, config: Path, journal: Path, options: EmitOptions,
             read_options: ReadOptions) -> Outcome:
    from migrate.vendors.commands import Connection, push_spec

    conn = Connection(vendor, config=config, profile=f"sandbox-{vendor}", journal=journal)
    try:
        result = push_spec(spec, conn, options=options, read_options=read_options)
    except MigrateError as exc:
        return Outcome(str(spec), vendor, round_, "failed", exc.render())
    # a plan of "nothing" can still run follow-up steps (they changed something too)
    action = result.plan.action if result.plan.action != "nothing" else "+".join(result.done) or "nothing"
    ids = result.remote.ids if result.remote else {}
    return Outcome(str(spec), vendor, round_, action, ", ".join(f"{k}={v}" for k, v in sorted(ids.items())))


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
        failures = [o.detail for o in by_round.values() if o.result == "failed"]
        lines.append(line + (f"  ({failures[0]})" if failures else ""))
    return "\n".join(lines)
