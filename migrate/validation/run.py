"""``api-migrate validate``: source validity, plus (with a target) what the target would lose.

``validate_source`` gives the findings for one spec file; unusable input (missing file, invalid
YAML, RAML 1.0, a ``$ref`` that cannot or may not be followed, ...) raises ``ReadError`` instead.
``run_validate`` does the whole command for many files and returns (output, exit code).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from migrate.core.accept import Acceptance
from migrate.core.diagnostics import Diagnostic
from migrate.core.errors import EmitError, MigrateError, UsageError
from migrate.core.gcpause import collector_paused
from migrate.core.pointers import forget_positions, position_of
from migrate.core.status import fails
from migrate.core.targets import EmitOptions
from migrate.readers import ReadOptions
from migrate.source.detect import detect, detect_data
from migrate.source.load import file_size, is_stdin, parse_text, read_text
from migrate.validation.output import FORMATS, FileResult, render

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def validate_source(path: Path, options: ReadOptions, reference: bool = False,
                    cache: bool = False) -> list[Diagnostic]:
    """Findings (code SPEC_INVALID, with file, line and JSON pointer) for the spec at ``path``.

    OpenAPI/Swagger documents are checked by openapi-spec-validator (the validator class follows
    the document's version), RAML 0.8 by structural checks. Raises ``ReadError`` for unusable
    input, including ``$ref``/``!include`` targets outside ``options.root_for(path)`` or remote
    ones without ``allow_remote_refs``.

    A document that the compiled fast check (``migrate.validation.fast.check``) proves valid is not
    passed to openapi-spec-validator (same verdict, a fraction of the time); every other one is
    (with compiled pre-checks, ``migrate.validation.fast.osv_extra``), so findings are always the
    library's. ``reference=True`` uses the library alone. ``cache=True`` reuses the findings of
    an unchanged OpenAPI/Swagger file and its referenced files (``migrate.validation.fast.cache``).
    """
    path = Path(path)
    text = read_text(path)
    fmt, _ = detect(text, str(path))
    root = options.root_for(path)
    if fmt == "raml":
        from migrate.readers.raml.structure import validate_raml

        return validate_raml(path, text, options.policy(path))
    data = parse_text(text, str(path))
    if cache and not reference and not is_stdin(path):
        return _cached_openapi(path, data, options, root, text)
    return _openapi(path, data, options, root, reference)


def _openapi(path: Path, data: Any, options: ReadOptions, root: Path, reference: bool) -> list[Diagnostic]:
    fmt, version = detect_data(data, str(path))
    from migrate.validation.openapi import validate_openapi

    view = None
    if not reference:
        from migrate.validation.fast.check import proven_valid
        from migrate.validation.jsondata import json_view

        with contextlib.suppress(TypeError, ValueError, RecursionError):
            view = json_view(data)  # shared by both checks; they report a failure themselves
        if proven_valid(path, data, fmt, version, root, view):
            return []
    return validate_openapi(path, data, fmt, version, options.policy(path), accelerated=not reference, view=view)


def _cached_openapi(path: Path, data: Any, options: ReadOptions, root: Path, text: str) -> list[Diagnostic]:
    import migrate.validation.fast.cache as verdicts

    key = verdicts.cache_key(path, data, options.policy(path), text)
    found = verdicts.load(key, path) if key else None
    if found is None:
        found = _openapi(path, data, options, root, reference=False)
        if key:
            verdicts.store(key, found)
    return found


def target_findings(path: Path, options: ReadOptions, target: str,
                    emit_options: EmitOptions | None = None) -> list[Diagnostic]:
    """What ``target`` would reject or lose for the spec at ``path`` (the emitter's report, with
    the same target options as ``convert``), with file and line filled in."""
    from migrate.emitters.base import emit
    from migrate.readers import read_spec

    _known_target(target)
    try:
        payload = emit(read_spec(path, options), target, emit_options or EmitOptions())
    except ModuleNotFoundError as exc:
        raise EmitError(target, f"reader or emitter not available ({exc.name})") from None
    return [_located(d, path) for d in payload.report]


def _located(d: Diagnostic, path: Path) -> Diagnostic:
    file = d.file or str(path)
    if d.line is not None:
        return Diagnostic(d.code, d.pointer, d.message, file=file, line=d.line, column=d.column)
    line, column = position_of(file, d.pointer) or (None, None)
    return Diagnostic(d.code, d.pointer, d.message, file=file, line=line, column=column)


def validate_file(path: str, options: ReadOptions, target: str | None = None,
                  cache: bool = False, emit_options: EmitOptions | None = None) -> FileResult:
    """One file's result; unusable input becomes ``FileResult.error`` (one line)."""
    try:
        with collector_paused():  # millions of short-lived acyclic containers per large spec
            found = validate_source(Path(path), options, cache=cache)
        if target is not None:
            found.extend(target_findings(Path(path), options, target, emit_options))
    except UsageError:
        raise
    except MigrateError as exc:
        return FileResult(path, [], exc.render())
    return FileResult(path, found, None)


def exit_code(results: list[FileResult], strict: bool = False) -> int:
    """2 when any file was unusable, else 1 when any finding is an error (or, with ``strict``, a
    warning), else 0."""
    if any(r.error is not None for r in results):
        return EXIT_UNUSABLE
    if any(fails(r.diagnostics, strict) for r in results):
        return EXIT_FINDINGS
    return EXIT_OK


#: files at least, or bytes in all, from which ``validate_files`` spreads the files over processes
#: (below, a worker's start, about a third of a second of imports, costs more than it saves)
PARALLEL_FILES, PARALLEL_BYTES = 8, 2 * 2**20


def validate_files(paths: list[str], options: ReadOptions, target: str | None = None, cache: bool = False,
                   emit_options: EmitOptions | None = None, jobs: int | None = None) -> list[FileResult]:
    """``validate_file`` for each of ``paths``, in order. With two or more cores and enough work
    (``PARALLEL_FILES``/``PARALLEL_BYTES``) the files are validated in worker processes, largest
    first so that a big one does not finish last; every result is what ``validate_file`` gives."""
    jobs = jobs or _cores()
    sizes = [file_size(p) for p in paths]
    if jobs < 2 or len(paths) < 2 or (len(paths) < PARALLEL_FILES and sum(sizes) < PARALLEL_BYTES):
        return [_validate_one(p, options, target, cache, emit_options, False) for p in paths]
    if target is not None:
        _known_target(target)  # a usage error once, before any worker starts
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from migrate.core.workers import inherited, modules_for, start_method, worker_started

    order = sorted(range(len(paths)), key=lambda i: -sizes[i])
    results: dict[int, FileResult] = {}
    method = start_method()  # forked (with what it needs imported) or spawned: ``core.workers``
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=multiprocessing.get_context(method),
                             initializer=worker_started) as pool:
        with inherited(method, modules_for([target] if target else [])):  # the first submit starts the workers
            futures = {i: pool.submit(_validate_one, paths[i], options, target, cache, emit_options, True)
                       for i in order}
        for i in order:
            results[i] = futures[i].result()
    return [results[i] for i in range(len(paths))]


def _validate_one(path: str, options: ReadOptions, target: str | None, cache: bool,
                  emit_options: EmitOptions | None, worker: bool) -> FileResult:
    """``validate_file``, then the file's composed YAML trees (kept for the lines of findings,
    which the result now has) are dropped, so that later collections do not walk them; in a
    worker process the survivors are then collected once and frozen (the next file's automatic
    collections skip them)."""
    result = validate_file(path, options, target, cache, emit_options)
    forget_positions()
    if worker:
        import gc

        gc.collect()
        gc.freeze()
    return result


def _cores() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _known_target(target: str) -> None:
    from migrate.core.targets import TARGETS

    if target not in TARGETS:
        raise UsageError(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")


def run_validate(paths: list[str], options: ReadOptions, fmt: str, target: str | None,
                 strict: bool = False, cache: bool = False, emit_options: EmitOptions | None = None,
                 acceptance: Acceptance | None = None) -> tuple[str, int]:
    """The ``validate`` command: every file is validated (an unusable one does not stop the
    others) and rendered in ``fmt``. Returns (output, exit code). Raises ``UsageError`` for an
    unknown format or target. ``cache``: use the verdict cache (the command's default;
    ``--no-cache`` turns it off)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    results = validate_files(paths, options, target, cache, emit_options)
    if acceptance is not None:
        for result in results:
            result.diagnostics, result.accepted = acceptance.split(result.diagnostics, result.path, target or "")
    return render(results, fmt), exit_code(results, strict)
