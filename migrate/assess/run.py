"""Assess an estate: every source converted for every target (nothing pushed), in parallel.

``assess_one`` runs in a worker process (spawn-safe, as ``batch``'s worker): it loads a source
once and emits each target in memory; a source that cannot be read, or a target that fails,
becomes a result, never an exception. Results come back in the order of the sources.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from migrate.assess import effort
from migrate.assess.measure import KINDS, blocker_rows, carried, decisions, sort_out
from migrate.assess.sources import Source
from migrate.batch.worker import ignore_sigint
from migrate.core.diagnostics import Diagnostic
from migrate.core.errors import EmitError, ReadError, UsageError
from migrate.core.model import Api
from migrate.core.targets import VENDORS, EmitOptions
from migrate.emitters.base import emit


@dataclass(frozen=True)
class Task:
    source: Source
    targets: tuple[str, ...]
    options: EmitOptions


def check_targets(targets: Iterable[str]) -> tuple[str, ...]:
    """The targets in the order given, each once; vendors only (``--to``)."""
    chosen = tuple(dict.fromkeys(targets))
    for t in chosen:
        if t not in VENDORS:
            raise UsageError(f"--to {t}: choose from {', '.join(VENDORS)}")
    if not chosen:
        raise UsageError("--to: give at least one vendor")
    return chosen


def assess(sources: Iterable[Source], targets: Iterable[str], options: EmitOptions,
           jobs: int = 1) -> list[dict[str, Any]]:
    """One entry per source (in the order given): its name, origin, and per target what carries
    over, what is lost, the decisions and the effort (``assess_one``)."""
    chosen = check_targets(targets)
    tasks = [Task(s, chosen, options) for s in sources]
    seen: set[str] = set()
    for task in tasks:
        if task.source.name in seen:  # the report and its links go by name
            raise UsageError(f"two APIs to assess are named {task.source.name!r} ({task.source.origin})")
        seen.add(task.source.name)
    if jobs <= 1 or len(tasks) <= 1:
        return [assess_one(t) for t in tasks]
    return _in_pool(tasks, jobs)


def _in_pool(tasks: list[Task], jobs: int) -> list[dict[str, Any]]:
    """``tasks`` on ``jobs`` spawned processes. A task whose worker died (killed, out of memory)
    is tried again alone; if that dies too, its API is reported as not read."""
    results: dict[int, dict[str, Any]] = {}
    broken = _pool_round(dict(enumerate(tasks)), jobs, results)
    for index in broken:
        if _pool_round({index: tasks[index]}, 1, results):
            results[index] = _died(tasks[index])
    return [results[i] for i in range(len(tasks))]


def _pool_round(tasks: dict[int, Task], jobs: int, results: dict[int, dict[str, Any]]) -> list[int]:
    """Run ``tasks`` into ``results`` (by index); the indexes lost to a broken pool."""
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=multiprocessing.get_context("spawn"),
                               initializer=ignore_sigint)
    broken: list[int] = []
    try:
        futures = {pool.submit(assess_one, task): index for index, task in tasks.items()}
        for future in as_completed(futures):
            try:
                results[futures[future]] = future.result()
            except BrokenProcessPool:
                broken.append(futures[future])
    except BaseException:  # Ctrl-C: what has not started is not started
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return sorted(broken)


def _died(task: Task) -> dict[str, Any]:
    message = "worker process died (killed or out of memory)"
    return {"name": task.source.name, "source": task.source.origin, "title": None, "format": None,
            "failure": message, "targets": {t: _failed(message) for t in task.targets}}


def assess_one(task: Task) -> dict[str, Any]:
    source = task.source
    entry: dict[str, Any] = {"name": source.name, "source": source.origin, "title": None, "format": None}
    try:
        api, read_notes = source.load()
    except ReadError as exc:
        return {**entry, "failure": exc.render(), "targets": {t: _failed(exc.render()) for t in task.targets}}
    except Exception as exc:  # one API never stops the assessment
        text = _crash(exc)
        return {**entry, "failure": text, "targets": {t: _failed(text) for t in task.targets}}
    entry.update(title=api.title, format=_format(api), failure=None)
    entry["targets"] = {t: assess_target(api, read_notes, t, task.options) for t in task.targets}
    return entry


def _format(api: Api) -> str:
    return f"{api.source.format} {api.source.format_version}".strip() if api.source else ""


def assess_target(api: Api, read_notes: list[Diagnostic], target: str, options: EmitOptions) -> dict[str, Any]:
    """What carries over to ``target``, what is lost (by code), what needs a decision, the effort."""
    try:
        payload = emit(api, target, options)
    except EmitError as exc:
        return _failed(exc.render())
    except Exception as exc:  # one target never stops the others
        return _failed(_crash(exc))
    diagnostics = [*read_notes, *payload.report]
    kept = carried(api, diagnostics)
    found = sort_out(diagnostics, options)
    wanted = decisions(found)
    counts = {
        "methods": kept["methods"]["total"] - kept["methods"]["carried"],
        "parameters": kept["parameters"]["total"] - kept["parameters"]["carried"],
        "changes": len(found.changes),
        "policies": len(found.policies),
        "decisions": sum(1 for d in wanted if d["kind"] == "option"),
    }
    return {
        "effort": effort.level(counts, blocked=bool(found.blockers)),
        "points": effort.points(counts),
        "counted": counts,
        "carried": kept,
        "diagnostics": {"bySeverity": found.by_severity, "byCode": found.by_code},
        "lost": {"warnings": sum(found.lost.values()), "byCode": found.lost, "changes": found.changes},
        "decisions": wanted,
        "blockers": blocker_rows(found),
        "failure": None,
    }


def _failed(message: str) -> dict[str, Any]:
    return {
        "effort": effort.BLOCKED, "points": None, "counted": {},
        "carried": {k: {"carried": 0, "total": 0} for k in KINDS},
        "diagnostics": {"bySeverity": {}, "byCode": {}}, "lost": {"warnings": 0, "byCode": {}, "changes": []},
        "decisions": [], "blockers": [], "failure": message,
    }


def _crash(exc: BaseException) -> str:
    """An unexpected exception as one line (``crash: Type: first line``)."""
    first = str(exc).splitlines()[0][:500] if str(exc).strip() else ""
    return f"crash: {type(exc).__name__}: {first}" if first else f"crash: {type(exc).__name__}"
