"""Batch input: turn the PATH arguments (spec files, folders, manifests) into a list of jobs.

Folders are searched for specs by content (``migrate.source.load.detect`` on the first few KB), so a
spec called ``api.txt`` is found and a ``package.json`` is skipped (and counted). A manifest is a
YAML list of ``{spec, targets, options}`` entries; its relative spec paths are relative to it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.core.errors import ReadError, UnsupportedFormatError, UsageError
from migrate.core.targets import TARGETS, EmitOptions, option_named, option_value
from migrate.readers import ReadOptions
from migrate.source.detect import detect
from migrate.source.load import MAX_FILE_BYTES, parse_text, read_text
from migrate.source.references import referenced_files

HEAD_BYTES = 8192
#: a top-level ``swagger:``/``openapi:`` key anywhere in a block-YAML or JSON file
_LATE_KEY = re.compile(r"""^["']?(?:swagger|openapi)["']?\s*:|"(?:swagger|openapi)"\s*:""", re.M)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: file and folder names that do not tell one API from another
_GENERIC = re.compile(r"(?i)(swagger|openapi|api|apis|spec|index|main|root|v?\d[\w.-]*)$")


@dataclass(frozen=True)
class Job:
    """One spec to convert: where it is, what to emit, and where the payloads go
    (``outdir/name/<target>/``). ``key`` identifies the work (content + targets + options).
    ``check_source``: whether the worker runs the source's validity check (a large spec split
    across workers, ``batch.run.split``, has it checked by one of its parts only)."""

    path: Path
    targets: tuple[str, ...]
    options: EmitOptions
    read_options: ReadOptions
    outdir: Path
    name: str = ""
    key: str = ""
    check_source: bool = True


@dataclass
class Discovery:
    """The jobs found, and how many files under the folders were not specs."""

    jobs: list[Job] = field(default_factory=list)
    skipped_files: int = 0


# -- finding specs -------------------------------------------------------------------------


def sniff(path: Path) -> str | None:
    """The spec format of a file judged from its content, ``"unsupported"`` for a spec of a
    version we cannot read (RAML 1.0, Swagger 1.2), or None for anything that is not a spec."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return None
    if not head.strip() or b"\x00" in head:
        return None
    try:
        fmt, _ = detect(head.decode("utf-8", "ignore"), str(path))
    except UnsupportedFormatError:
        return "unsupported"
    return fmt or _sniff_whole(path)


def _sniff_whole(path: Path) -> str | None:
    """For documents whose version key is not near the top (e.g. JSON with sorted keys)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        text = read_text(path)
        if not _LATE_KEY.search(text):
            return None
        data = parse_text(text, str(path))
    except (OSError, ReadError):
        return None
    if not isinstance(data, dict):
        return None
    for key in ("swagger", "openapi"):
        if key in data:
            return key
    return None


def walk(folder: Path, exclude: Path | None) -> tuple[list[Path], int]:
    """Spec files below ``folder`` in sorted order (hidden folders and ``exclude`` are not
    entered), and the number of other files seen."""
    specs: list[Path] = []
    skipped = 0
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _same(here / d, exclude))
        for name in sorted(files):
            if sniff(here / name):
                specs.append(here / name)
            else:
                skipped += 1
    return specs, skipped


def _same(path: Path, other: Path | None) -> bool:
    return other is not None and path.resolve() == other


# -- manifests -----------------------------------------------------------------------------



def load_manifest(path: Path) -> list[dict[str, Any]] | None:
    """The entries of a manifest file, or None when ``path`` is not a manifest."""
    try:
        data = parse_text(read_text(path), str(path))
    except ReadError:
        return None
    if isinstance(data, list) and data and all(isinstance(e, dict) and "spec" in e for e in data):
        return data
    return None


def parse_targets(value: Any, where: str) -> tuple[str, ...]:
    """``"akamai,akana"`` or ``["akamai", "akana"]`` -> a checked tuple of target names."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise UsageError(f"{where}: targets must be a list or a comma-separated string")
    targets = tuple(dict.fromkeys(str(t).strip() for t in items if str(t).strip()))
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        raise UsageError(f"{where}: unknown target {unknown[0]!r} (choose from {', '.join(TARGETS)})")
    return targets


def entry_options(base: EmitOptions, raw: Any, manifest: Path, where: str) -> EmitOptions:
    """Manifest ``options`` over the command-line options."""
    if raw is None:
        return base
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: options must be a mapping")
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        name = option_named(str(key))
        if name is None:
            raise UsageError(f"{where}: unknown option {key!r}")
        try:
            changes[name] = option_value(name, value, manifest.parent)
        except ValueError as exc:
            raise UsageError(f"{where}: {exc}") from None
    return dataclasses.replace(base, **changes)


# -- identity --------------------------------------------------------------------------------


def spec_files(path: Path, read_options: ReadOptions) -> list[Path]:
    """The spec file and the local files it refers to, as the reference policy finds them: what
    the content hash covers (the spec alone when a reference is refused; converting it fails)."""
    return referenced_files(path, read_options.policy(path)) or [path.resolve()]


def content_hash(path: Path, read_options: ReadOptions) -> str:
    """SHA-256 over the spec file and its referenced files (names relative to the spec's folder)."""
    digest = hashlib.sha256()
    base = path.resolve().parent
    for index, f in enumerate(spec_files(path, read_options)):
        rel = "" if index == 0 else os.path.relpath(f, base)  # the root's own name does not count
        try:
            data = f.read_bytes()
        except OSError:
            data = b""
        digest.update(f"{rel}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def work_key(spec_hash: str, targets: tuple[str, ...], options: EmitOptions, ro: ReadOptions) -> str:
    """What identifies a finished piece of work for ``--resume`` and duplicate detection."""
    parts = {
        "spec": spec_hash,
        "targets": list(targets),
        "options": _plain(dataclasses.asdict(options)),
        "read": _plain(dataclasses.asdict(ro)),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Path) else list(v) if isinstance(v, tuple) else v)
            for k, v in value.items()}


# -- names ---------------------------------------------------------------------------------


def unique_names(paths: list[Path]) -> list[str]:
    """A folder name per spec: the file's stem, with parent folder names in front until the name
    says something (``swagger``, ``api`` and version numbers alone do not) and specs with the same
    file name are told apart (``drive-v3-swagger``). Deterministic for a given list;
    case-insensitively unique."""
    parts = [_name_parts(p) for p in paths]
    depth = [_telling_depth(p) for p in parts]
    while True:
        names = [_join(p, d) for p, d in zip(parts, depth, strict=True)]
        clashes = _clashing(names)
        grow = [i for i in clashes if depth[i] < len(parts[i])]
        if not grow:
            break
        for i in grow:
            depth[i] += 1
    return _suffix_leftovers(names, paths)


def _name_parts(path: Path) -> list[str]:
    resolved = path.resolve()
    parts = [*resolved.parent.parts[1:], resolved.stem or resolved.name]
    return [_UNSAFE.sub("-", p).strip("-.") or "spec" for p in parts]


def _telling_depth(parts: list[str]) -> int:
    for depth, part in enumerate(reversed(parts), start=1):
        if not _GENERIC.match(part):
            return depth
    return len(parts)


def _join(parts: list[str], depth: int) -> str:
    return "-".join(parts[-depth:])


def _clashing(names: list[str]) -> list[int]:
    seen: dict[str, list[int]] = {}
    for i, n in enumerate(names):
        seen.setdefault(n.lower(), []).append(i)
    return [i for group in seen.values() if len(group) > 1 for i in group]


def _suffix_leftovers(names: list[str], paths: list[Path]) -> list[str]:
    """Names still equal after using the whole path (only through character replacement)."""
    for i in _clashing(names):
        names[i] += "-" + hashlib.sha256(str(paths[i].resolve()).encode()).hexdigest()[:8]
    return names


# -- putting it together ---------------------------------------------------------------------


def discover(
    paths: list[Path], targets: tuple[str, ...], options: EmitOptions, read_options: ReadOptions, outdir: Path
) -> Discovery:
    """Jobs for every spec named by ``paths``, each with a unique ``name`` and its ``key``.
    Raises ``UsageError`` for a missing path, a bad manifest or a spec without targets."""
    found = Discovery()
    template = Job(Path(), targets, options, read_options, outdir)
    for arg in paths:
        if not arg.exists():
            raise UsageError(f"{arg}: no such file or folder")
        if arg.is_dir():
            _add_folder(found, arg, template)
            continue
        entries = None if sniff(arg) else load_manifest(arg)
        if entries is None:
            found.jobs.append(dataclasses.replace(template, path=arg))
        else:
            _add_manifest(found, arg, entries, template)
    found.jobs = _finish(found.jobs)
    return found


def _add_folder(found: Discovery, folder: Path, template: Job) -> None:
    specs, skipped = walk(folder, template.outdir.resolve())
    found.skipped_files += skipped
    found.jobs.extend(dataclasses.replace(template, path=p) for p in specs)


def _add_manifest(found: Discovery, manifest: Path, entries: list[dict[str, Any]], template: Job) -> None:
    for index, entry in enumerate(entries):
        where = f"{manifest} entry {index + 1}"
        unknown = set(entry) - {"spec", "targets", "options"}
        if unknown:
            raise UsageError(f"{where}: unknown key {sorted(unknown)[0]!r} (expected spec, targets, options)")
        targets = parse_targets(entry["targets"], where) if "targets" in entry else template.targets
        options = entry_options(template.options, entry.get("options"), manifest, where)
        job = dataclasses.replace(template, targets=targets, options=options)
        spec = manifest.parent / str(entry["spec"])
        if spec.is_dir():
            _add_folder(found, spec, job)
        elif spec.is_file():
            found.jobs.append(dataclasses.replace(job, path=spec))
        else:
            raise UsageError(f"{where}: {spec}: no such file or folder")


def _finish(jobs: list[Job]) -> list[Job]:
    """Drop repeated paths, check targets, give names and keys."""
    unique: dict[Path, Job] = {}
    for job in jobs:
        unique.setdefault(job.path.resolve(), job)
    jobs = list(unique.values())
    for job in jobs:
        if not job.targets:
            raise UsageError(f"{job.path}: no targets (give --to, or targets in the manifest)")
    names = unique_names([j.path for j in jobs])
    return [
        dataclasses.replace(
            j, name=n, key=work_key(content_hash(j.path, j.read_options), j.targets, j.options, j.read_options)
        )
        for j, n in zip(jobs, names, strict=True)
    ]
