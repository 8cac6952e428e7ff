"""``api-migrate batch``: many specs, many targets, in parallel, resumable.

Each spec is read once and emitted for every target by a worker process
(``migrate.batch.worker.convert_one``); a failing spec never stops the others. Finished specs are
appended to ``OUTDIR/.batch-journal.jsonl`` (fsynced) so ``--resume`` skips them after a kill or
Ctrl-C. Specs with the same content (and targets and options) are converted once and reported as
duplicates of the first. The outcome is written to ``OUTDIR/report.json`` and ``report.html``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from migrate.batch.jobs import Job, discover
from migrate.batch.journal import JOURNAL_NAME, Journal, load_journal
from migrate.batch.push import push_all, push_failed, push_totals
from migrate.batch.report import BatchOutcome, render_text, write_reports
from migrate.batch.unique import check_akamai_uniqueness
from migrate.batch.worker import Pipeline, SpecResult, TargetResult, convert_one, ignore_sigint, spec_status
from migrate.core.accept import Acceptance
from migrate.core.errors import UsageError
from migrate.core.status import SpecStatus
from migrate.core.targets import VENDORS
from migrate.core.workers import inherited, modules_for, start_method
from migrate.emitters.base import EmitOptions
from migrate.readers import ReadOptions
from migrate.source.load import file_size

if TYPE_CHECKING:
    from migrate.push.commands import Connection

#: specs per worker process before the pool is replaced (bounds memory growth over long batches;
#: a fresh pool per round, because ``max_tasks_per_child`` can hang ProcessPoolExecutor on 3.11)
TASKS_PER_CHILD = 500
FORMATS = ("text", "json")

OnResult = Callable[[SpecResult], None]


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_batch(
    paths: list[Path],
    targets: list[str],
    outdir: Path,
    options: EmitOptions,
    read_options: ReadOptions,
    jobs: int,
    resume: bool,
    fmt: str,
    progress: bool,
    *,
    push: str | None = None,
    push_connection: Connection | None = None,
    pipeline: Pipeline | None = None,
    out: TextIO | None = None,
    yes: bool = False,
    acceptance: Acceptance | None = None,
    quiet: bool = False,
) -> int:
    """Convert every spec under ``paths`` to ``targets`` into ``outdir``; print the summary (text
    or JSON) on ``out`` (stdout) and return the exit code: 0 all clean, 1 some spec failed or has
    error diagnostics, 130 interrupted. Raises ``UsageError`` for an unusable invocation (exit 2).
    ``progress``: a progress bar on a terminal (plain lines on stderr otherwise). ``push``: a
    vendor to push every cleanly converted spec to afterwards (``push_connection`` says where);
    an API the vendor already holds is changed only with ``yes`` (``--yes``), else held.
    ``acceptance`` (``--accept``): accepted diagnostics are counted apart and fail nothing.
    ``quiet`` (``-q``): the text matrix lists only the specs that need attention."""
    _check_usage(targets, fmt, jobs, push)
    conn = None
    if push:
        from migrate.push.commands import Connection

        conn = push_connection or Connection(push)
        options = conn.client().emit_options(options)  # the profile's defaults, before converting
    found = discover(paths, tuple(targets), options, read_options, outdir)
    if not found.jobs:
        raise UsageError(f"no specs found in {', '.join(map(str, paths))}")
    start = time.perf_counter()
    results, todo = plan(found.jobs, load_journal(outdir / JOURNAL_NAME) if resume else {})
    pipeline = pipeline or Pipeline(acceptance=acceptance or Acceptance())
    interrupted = execute_all(todo, results, outdir, resume, jobs, pipeline, progress)
    if "akamai" in {t for job in found.jobs for t in job.targets}:
        check_akamai_uniqueness(results, outdir)
    outcome = BatchOutcome(found.jobs, results, found.skipped_files, interrupted, time.perf_counter() - start)
    doc = write_reports(outcome, outdir, options.templates_dir)
    stream = out or sys.stdout
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n" if fmt == "json" else render_text(doc, outdir, quiet)
    stream.write(text)
    stream.flush()
    code = outcome.exit_code()
    if conn is not None and not interrupted:
        entries = push_all(found.jobs, results, conn, outdir, lambda line: print(line, file=sys.stderr), yes)
        print(push_totals(entries), file=sys.stderr)
        write_reports(outcome, outdir, options.templates_dir, entries)  # the pushes beside the conversions
        if push_failed(entries) and code == 0:
            code = 1
    return code


def _check_usage(targets: list[str], fmt: str, jobs: int, push: str | None) -> None:
    if push and push not in VENDORS:
        raise UsageError(f"--push {push}: choose {', '.join(VENDORS[:-1])} or {VENDORS[-1]}")
    if push and targets and push not in targets:
        raise UsageError(f"--push {push} needs {push} among the targets (--to)")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose from text, json)")
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if targets:
        from migrate.batch.jobs import parse_targets

        parse_targets(targets, "--to")


def plan(jobs: list[Job], done: dict[str, SpecResult]) -> tuple[dict[str, SpecResult], list[Job]]:
    """Results known without work (duplicates; with ``--resume``, what the journal holds), and
    the jobs still to run, in order."""
    results: dict[str, SpecResult] = {}
    first: dict[str, Job] = {}
    todo: list[Job] = []
    for job in jobs:
        if job.key in first:
            results[job.name] = SpecResult(job.name, str(job.path), job.key, SpecStatus.DUPLICATE,
                                           duplicate_of=first[job.key].name)
            continue
        first[job.key] = job
        if job.key in done:
            results[job.name] = dataclasses.replace(done[job.key], name=job.name, spec=str(job.path))
        else:
            todo.append(job)
    return results, todo


def execute_all(
    todo: list[Job], results: dict[str, SpecResult], outdir: Path, resume: bool, jobs: int,
    pipeline: Pipeline, progress: bool,
) -> bool:
    """Run ``todo``, journalling and collecting each result; True when interrupted."""
    journal = Journal(outdir / JOURNAL_NAME, resume)
    bar = Progress(len(todo), progress, len(results))

    def record(result: SpecResult) -> None:
        journal.append(result)
        results[result.name] = result
        bar.advance(result)

    try:
        with _sigterm_as_interrupt():
            execute(todo, pipeline, jobs, record)
        return False
    except KeyboardInterrupt:
        return True
    finally:
        bar.close()


def execute(todo: list[Job], pipeline: Pipeline, jobs: int, on_result: OnResult) -> None:
    """Convert ``todo`` on ``jobs`` processes (inline for one), calling ``on_result`` in the
    parent as each spec finishes. A worker that dies (killed, out of memory) is retried alone
    once; if it dies again the spec is recorded as a crash. Processes take the largest files
    first, so that a large spec does not run alone at the end while the other workers wait (the
    report keeps the order of the specs); a spec larger than a worker's share of the batch is
    split over several workers by target (``split``), its parts' results merged into one."""
    units = todo
    if jobs > 1:
        sizes = {job.name: file_size(job.path) for job in todo}
        todo = sorted(todo, key=lambda job: -sizes[job.name])
        share = sum(sizes.values()) / jobs
        units = [part for job in todo for part in split(job, jobs, sizes[job.name], share)]
    if jobs <= 1 or len(units) <= 1:
        for job in units:
            on_result(convert_one(job, pipeline))
        return
    merge = _Merge(todo, units, on_result)
    broken: list[Job] = []
    size = jobs * TASKS_PER_CHILD
    for start in range(0, len(units), size):
        broken += _run_pool(units[start:start + size], pipeline, jobs, merge.add)
    for job in broken:
        if _run_pool([job], pipeline, 1, merge.add):
            merge.add(died(job))


#: the relative cost of the parts of a spec's work, by which ``split`` shares out its targets:
#: the source's validity check and each target's emitter, as measured in process on the 100
#: derived OpenAPI 3 specs and the 3 MB openai spec (bench/README.md, seventh round)
PART_COSTS = {"source": 1.0, "openapi": 0.8, "frends": 0.6, "akamai": 0.4, "akana": 0.3}
#: a spec smaller than this is never split: each part reads the spec again, which a small spec's
#: conversion does not earn back
SPLIT_MIN_BYTES = 512 * 1024


def split(job: Job, jobs: int, size: int, share: float) -> list[Job]:
    """``job`` alone, or, when its file is larger than ``share`` (a worker's share of the batch's
    bytes) and at least ``SPLIT_MIN_BYTES``, up to ``jobs`` parts over its targets (each part
    reads the spec; the first also checks the source), so that one large spec does not keep one
    worker busy while the others wait. The targets are shared out by ``PART_COSTS``, the dearest
    first, each to the cheapest part so far. The first part starts with the source check's cost,
    so it is the only one that can end up without a target: then one part fewer is made."""
    count = min(jobs, len(job.targets), math.ceil(size / share)) if share > 0 else 1
    if size < SPLIT_MIN_BYTES:
        return [job]
    while count >= 2:
        loads = [PART_COSTS["source"], *[0.0] * (count - 1)]
        parts: list[list[str]] = [[] for _ in range(count)]
        for target in sorted(job.targets, key=lambda t: -PART_COSTS.get(t, 1.0)):
            cheapest = loads.index(min(loads))
            parts[cheapest].append(target)
            loads[cheapest] += PART_COSTS.get(target, 1.0)
        if parts[0]:
            return [dataclasses.replace(job, targets=tuple(t for t in job.targets if t in part),
                                        check_source=index == 0)
                    for index, part in enumerate(parts)]
        count -= 1
    return [job]


class _Merge:
    """Passes each spec's result on once all its parts are in (one part: at once)."""

    def __init__(self, todo: list[Job], units: list[Job], on_result: OnResult) -> None:
        self.jobs = {job.name: job for job in todo}
        self.expected = Counter(unit.name for unit in units)
        self.parts: dict[str, list[SpecResult]] = {}
        self.on_result = on_result

    def add(self, result: SpecResult) -> None:
        found = self.parts.setdefault(result.name, [])
        found.append(result)
        if len(found) == self.expected[result.name]:
            del self.parts[result.name]
            self.on_result(found[0] if len(found) == 1 else merged(self.jobs[result.name], found))


def merged(job: Job, parts: list[SpecResult]) -> SpecResult:
    """One result from the results of ``job``'s parts, as one worker would have given it. A part
    whose worker died (``died``) makes the result ``died(job)``, and a part that could not read
    the spec makes every target fail with its message (``worker._failed``): no target of a spec
    that crashed or could not be read counts as done. Otherwise: the targets in ``job``'s order,
    the status and failure they make (``spec_status``), the source check of the part that made it."""
    source = next((part.source for part in parts if part.source is not None), None)
    seconds = round(sum(part.seconds for part in parts), 4)
    for part in parts:
        if part.failure is not None and all(t.error == part.failure for t in part.targets):
            if part.failure == DIED:
                return died(job)
            return SpecResult(job.name, str(job.path), job.key, part.status,
                              [TargetResult(t, SpecStatus.FAILED, error=part.failure) for t in job.targets],
                              part.failure, seconds=seconds, source=source)
    order = {target: index for index, target in enumerate(job.targets)}
    targets = sorted((t for part in parts for t in part.targets), key=lambda t: order.get(t.target, len(order)))
    failure = next((f"{t.target}: {t.error}" for t in targets if t.error), None)
    return SpecResult(job.name, str(job.path), job.key, spec_status(targets), targets, failure,
                      seconds=seconds, source=source)


#: the failure of a spec whose worker process died twice (``died``)
DIED = "worker process died (killed or out of memory)"


def died(job: Job) -> SpecResult:
    return SpecResult(job.name, str(job.path), job.key, SpecStatus.CRASH,
                      [TargetResult(t, SpecStatus.FAILED, error=DIED) for t in job.targets], DIED)


def _run_pool(todo: list[Job], pipeline: Pipeline, jobs: int, on_result: OnResult) -> list[Job]:
    """One process pool over ``todo``; returns the jobs lost to a broken pool. Workers are forked
    or spawned as ``core.workers`` decides."""
    method = start_method()
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(todo)), mp_context=multiprocessing.get_context(method),
        initializer=ignore_sigint,
    )
    broken: list[Job] = []
    try:
        with inherited(method, modules_for({target for job in todo for target in job.targets})):
            # the first submit starts every worker
            futures: dict[Future[SpecResult], Job] = {pool.submit(convert_one, j, pipeline): j for j in todo}
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                broken.append(futures[future])
                continue
            on_result(result)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return broken


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and terminate this pool's workers (Ctrl-C, SIGTERM); other
    child processes of the caller are left alone. The pool's internals are gone after shutdown:
    read them first. The pool's manager thread reaps the terminated workers itself; it is waited
    for before this thread joins them, because two threads reaping one child race (the loser sees
    a dead worker as still running)."""
    processes = getattr(pool, "_processes", None) or {}
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    children = list(processes.values())
    for child in children:
        child.terminate()
    if manager is not None:
        manager.join(timeout=10)
    for child in children:
        child.join(timeout=5)
        if child.is_alive():  # SIGTERM not acted on in time: no lingering worker
            child.kill()
            child.join(timeout=5)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the batch like Ctrl-C (journal flushed, report written)."""
    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous: Any = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Progress:
    """A tqdm bar on a terminal, plain lines on stderr otherwise, nothing when disabled."""

    def __init__(self, total: int, enabled: bool, known: int = 0, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.total = total
        self.count = 0
        self.bar: Any = None
        if not enabled:
            return
        if known:
            self.stream.write(f"{known} specs already done or duplicates; {total} to convert\n")
        if self.stream.isatty():
            from tqdm import tqdm

            class Bar(tqdm):
                """Without tqdm's monitor thread (it only caps the refresh delay, and a bar advanced
                per spec needs none): with no other thread, the batch may fork its workers
                (``start_method``)."""

                monitor_interval = 0

            self.bar = Bar(total=total, unit="spec", file=self.stream, dynamic_ncols=True)

    def advance(self, result: SpecResult) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.set_postfix_str(f"{result.name}: {result.status}", refresh=False)
            self.bar.update(1)
        elif self.enabled:
            self.stream.write(f"[{self.count}/{self.total}] {result.status:9} {result.name}\n")
            self.stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
