"""The batch worker: read one spec once, emit every target, write the payloads, and return a
picklable result. Runs in a worker process (spawn-safe: everything here is importable at top
level) or inline for ``--jobs 1``. A failing spec never raises: read errors, emit errors and
unexpected exceptions ("crash") become results."""

from __future__ import annotations

import gc
import shutil
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.batch.jobs import Job
from migrate.conversion.run import locate
from migrate.core.accept import Acceptance
from migrate.core.diagnostics import Diagnostic, Report
from migrate.core.errors import EmitError, ReadError
from migrate.core.model import Api
from migrate.core.pointers import forget_positions
from migrate.core.status import SpecStatus, status_of
from migrate.core.triage import ordered
from migrate.core.workers import worker_started
from migrate.emitters.base import EmitOptions, Payload, emit, write_payload
from migrate.emitters.render import dumps_records
from migrate.readers import ReadOptions, read_spec_with_report
from migrate.source.load import shared_parse

#: diagnostics kept per spec x target in results, the journal and the HTML report, errors first
#: (``core.triage``: the one error among 18,000 warnings is kept); all of them, in source order,
#: are written to ``<outdir>/<spec>/<target>/diagnostics.json``
KEEP_DIAGNOSTICS = 50
DIAGNOSTICS_FILE = "diagnostics.json"

STATUSES = (SpecStatus.OK, SpecStatus.WARNINGS, SpecStatus.ERRORS, SpecStatus.FAILED)


def read_with_diagnostics(path: Path, options: ReadOptions) -> tuple[Api, list[Diagnostic]]:
    """The model plus what the reader repaired or could not read (its SOURCE_* report), which the
    batch adds to every target's diagnostics."""
    api, report = read_spec_with_report(path, options)
    return api, list(report)


def source_validity(path: Path, options: ReadOptions) -> dict[str, Any]:
    """What ``api-migrate validate`` says of the source (its verdict cache shared):
    ``{"valid": bool, "errors": n, "warnings": n, "first": the first error's line or None}``."""
    from migrate.validation.run import validate_source

    try:
        findings = validate_source(path, options, cache=True)
    except ReadError as exc:  # validate refuses it outright (exit 2)
        return {"valid": False, "errors": 1, "warnings": 0, "first": exc.render()}
    errors = [d for d in findings if d.severity.value == "error"]
    first = locate(errors[:1], str(path))
    return {"valid": not errors, "errors": len(errors), "warnings": len(findings) - len(errors),
            "first": _where(first[0]) if first else None}


def _where(d: Diagnostic) -> str:
    """``file:line pointer: message`` (the report's row says it is an error of the source)."""
    place = f"{d.file}:{d.line}" if d.file and d.line else d.file or ""
    return f"{place} {d.pointer or '/'}: {d.message}".strip()


@dataclass(frozen=True)
class Pipeline:
    """The read, validate and emit functions (module-level, so they pickle) and the accepted
    losses (``--accept``); tests swap in fakes."""

    read: Callable[[Path, ReadOptions], tuple[Api, list[Diagnostic]]] = read_with_diagnostics
    emit: Callable[[Api, str, EmitOptions], Payload] = emit
    validate: Callable[[Path, ReadOptions], dict[str, Any]] | None = source_validity
    acceptance: Acceptance = field(default_factory=Acceptance)


@dataclass
class TargetResult:
    target: str
    status: str  # ok | warnings | errors | failed
    counts: dict[str, int] = field(default_factory=dict)  # by severity
    by_code: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # relative to the batch output folder
    seconds: float = 0.0
    error: str | None = None
    diagnostics: list[dict[str, Any]] = field(default_factory=list)  # KEEP_DIAGNOSTICS, errors first
    accepted: dict[str, int] = field(default_factory=dict)  # by code: matched by --accept, not counted
    #: Akamai only, not journaled: what ``batch.unique`` compares, from the document in hand (a result
    #: read back from the journal has None, and the check reads the written file instead)
    endpoint: dict[str, Any] | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target, "status": self.status, "counts": self.counts, "byCode": self.by_code,
            "files": self.files, "seconds": self.seconds, "error": self.error,
            "diagnostics": self.diagnostics, "accepted": self.accepted,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TargetResult:
        return cls(d["target"], d["status"], d["counts"], d["byCode"], d["files"], d["seconds"],
                   d["error"], d["diagnostics"], d.get("accepted", {}))


@dataclass
class SpecResult:
    """``status``: ok | warnings | errors (worst diagnostic over the targets), failed (read or
    emit error), crash (unexpected exception), duplicate (converted as ``duplicate_of``)."""

    name: str
    spec: str
    key: str
    status: str
    targets: list[TargetResult] = field(default_factory=list)
    failure: str | None = None
    duplicate_of: str | None = None
    seconds: float = 0.0
    source: dict[str, Any] | None = None  # source_validity(), None when not checked

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "spec": self.spec, "key": self.key, "status": self.status,
            "failure": self.failure, "duplicateOf": self.duplicate_of, "seconds": self.seconds,
            "targets": [t.to_json() for t in self.targets], "source": self.source,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SpecResult:
        return cls(d["name"], d["spec"], d["key"], d["status"],
                   [TargetResult.from_json(t) for t in d["targets"]], d["failure"], d["duplicateOf"],
                   d["seconds"], d.get("source"))

    def source_invalid(self) -> bool:
        return bool(self.source) and not self.source.get("valid", True)  # type: ignore[union-attr]

    def failed(self) -> bool:
        """A failure or an error-level diagnostic (exit code 1)."""
        return self.status in (SpecStatus.FAILED, SpecStatus.CRASH, SpecStatus.ERRORS)


#: set in worker processes (``ignore_sigint``, the pool's initializer): they collect cyclic garbage
#: once after each spec and freeze what survives (modules, caches), see ``convert_one``
_IN_WORKER = False


def ignore_sigint() -> None:
    """Worker initializer: Ctrl-C is the parent's business (it terminates the workers); otherwise
    the worker starts as a spawned one would (``core.workers.worker_started``)."""
    global _IN_WORKER
    _IN_WORKER = True
    worker_started()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def convert_one(job: Job, pipeline: Pipeline | None = None) -> SpecResult:
    """Read ``job.path`` once, emit each target into ``job.outdir/job.name/<target>/``.

    The cyclic garbage collector is paused for the spec: everything made here is millions of
    small containers, and each automatic collection walked them (and the composed YAML trees of
    ``core.pointers``) again, a quarter of a worker's time. A worker process then collects once and
    freezes the survivors, so the next spec's collection does not walk them either."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _convert_one(job, pipeline or Pipeline())
    finally:
        if enabled:
            gc.enable()
            if _IN_WORKER:
                forget_positions()  # the spec's YAML node trees (file and line of diagnostics)
                gc.collect()
                gc.freeze()


def _convert_one(job: Job, pipeline: Pipeline) -> SpecResult:
    start = time.perf_counter()
    with shared_parse():  # the source is parsed once: the validity check first (it changes nothing), then the read
        validity = _validity(job, pipeline)
        try:
            api, source = pipeline.read(job.path, job.read_options)
        except ReadError as exc:
            return _failed(job, SpecStatus.FAILED, exc.render(), start, validity)
        except Exception as exc:  # one spec never stops the batch
            return _failed(job, SpecStatus.CRASH, _crash_text(exc), start, validity)
    targets = [_emit_target(api, source, target, job, pipeline) for target in job.targets]
    status = spec_status(targets)
    failure = next((f"{t.target}: {t.error}" for t in targets if t.error), None)
    return SpecResult(job.name, str(job.path), job.key, status, targets, failure,
                      seconds=_since(start), source=validity)


def _validity(job: Job, pipeline: Pipeline) -> dict[str, Any] | None:
    if pipeline.validate is None or not job.check_source:
        return None
    try:
        return pipeline.validate(job.path, job.read_options)
    except Exception as exc:  # the verdict is missing, the conversion stands
        return {"valid": False, "errors": 1, "warnings": 0, "first": "not checked: " + _crash_text(exc)}


def _emit_target(api: Api, source: list[Diagnostic], target: str, job: Job, pipeline: Pipeline) -> TargetResult:
    start = time.perf_counter()
    out = job.outdir / job.name / target
    try:
        payload = pipeline.emit(api, target, job.options)
        report = Report()
        report.extend(locate([*source, *payload.report], str(job.path)))  # file and line from the pointer
        payload.report = report
        if out.exists():  # a previous run's payload for this spec and target
            shutil.rmtree(out)
        written = write_payload(payload, out)
        diagnostics = [d.to_json() for d in payload.report]
        (out / DIAGNOSTICS_FILE).write_text(dumps_records(diagnostics) + "\n", encoding="utf-8")
        kept, accepted = pipeline.acceptance.split(payload.report, str(job.path), target)
    except EmitError as exc:
        return TargetResult(target, SpecStatus.FAILED, seconds=_since(start), error=exc.render())
    except Exception as exc:  # one target never stops the others
        return TargetResult(target, SpecStatus.FAILED, seconds=_since(start), error="crash: " + _crash_text(exc))
    counted = Report()
    counted.extend(kept)
    counts = counted.counts()
    return TargetResult(
        target, status_of(counts), counts, counted.by_code(),
        [p.relative_to(job.outdir).as_posix() for p in [*written, out / DIAGNOSTICS_FILE]],
        _since(start), None, [d.to_json() for d in ordered(counted)[:KEEP_DIAGNOSTICS]],
        dict(sorted(Counter(d.code.name for d in accepted).items())),
        _endpoint(payload) if target == "akamai" else None,
    )


#: the members of an Akamai endpoint that ``batch.unique`` compares across the batch
ENDPOINT_KEYS = ("apiEndPointName", "basePath", "apiEndPointHosts", "apiResources")


def _endpoint(payload: Payload) -> dict[str, Any] | None:
    """The endpoint's name, base path, hosts and resource paths, taken from the parsed document."""
    doc = next((f.document for f in payload.files if f.name == "akamai.json"), None)
    if not isinstance(doc, dict):
        return None
    out = {key: doc[key] for key in ENDPOINT_KEYS if key in doc}
    resources = out.get("apiResources")
    if isinstance(resources, list):
        out["apiResources"] = [{"resourcePath": r.get("resourcePath")} if isinstance(r, dict) else r
                               for r in resources]
    return out


def spec_status(targets: list[TargetResult]) -> str:
    statuses = {t.status for t in targets}
    if any(t.error and t.error.startswith("crash: ") for t in targets):
        return SpecStatus.CRASH
    return next((s for s in reversed(STATUSES) if s in statuses), SpecStatus.OK)


def _failed(job: Job, status: str, message: str, start: float, validity: dict[str, Any] | None = None) -> SpecResult:
    targets = [TargetResult(t, SpecStatus.FAILED, error=message) for t in job.targets]
    return SpecResult(job.name, str(job.path), job.key, status, targets, message, seconds=_since(start),
                      source=validity)


def _crash_text(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:500]}" if text else type(exc).__name__


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 4)
