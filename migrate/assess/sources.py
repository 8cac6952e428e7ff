"""Where the APIs of an assessment come from.

A source is anything with a unique ``name``, an ``origin`` the report shows, and ``load()``
returning the model and the diagnostics of reading it. Sources cross process boundaries (the
assessment runs in worker processes), so they must pickle: a frozen dataclass of plain values.
``FileSource`` reads a spec file; a source that pulls an API from a vendor can be added beside
it without changing the assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from migrate.batch.jobs import load_manifest, sniff, unique_names, walk
from migrate.batch.worker import read_with_diagnostics
from migrate.core.diagnostics import Diagnostic
from migrate.core.errors import UsageError
from migrate.core.model import Api
from migrate.readers import ReadOptions


class Source(Protocol):
    """One API to assess."""

    @property
    def name(self) -> str: ...

    @property
    def origin(self) -> str: ...

    def load(self) -> tuple[Api, list[Diagnostic]]:
        """The model and what reading it repaired or could not read; raises ``ReadError``."""
        ...


@dataclass(frozen=True)
class FileSource:
    """A spec file (with the files it refers to), read with ``read_options``."""

    name: str
    path: Path
    read_options: ReadOptions

    @property
    def origin(self) -> str:
        return str(self.path)

    def load(self) -> tuple[Api, list[Diagnostic]]:
        return read_with_diagnostics(self.path, self.read_options)


@dataclass(frozen=True)
class FileSources:
    """The specs found under the PATH arguments, and how many other files were skipped."""

    sources: list[FileSource]
    skipped_files: int


def file_sources(paths: list[Path], read_options: ReadOptions, outdir: Path) -> FileSources:
    """Every spec named by ``paths`` (files, folders searched by content, or a batch manifest's
    specs), found and named as ``batch`` finds and names them (``batch.jobs``); ``outdir`` is not
    searched. A manifest's per-spec targets and options are not used (the assessment's apply to
    all). Unlike ``batch`` no content hash is taken (nothing is resumed). Raises ``UsageError``
    for a missing path or a manifest entry naming one."""
    specs: list[Path] = []
    skipped = 0
    for arg in paths:
        if not arg.exists():
            raise UsageError(f"{arg}: no such file or folder")
        entries = None if arg.is_dir() or sniff(arg) else load_manifest(arg)
        targets = [arg] if entries is None else [_entry_path(arg, i, e) for i, e in enumerate(entries)]
        for path in targets:
            found, others = walk(path, outdir.resolve()) if path.is_dir() else ([path], 0)
            specs += found
            skipped += others
    first: dict[Path, Path] = {}
    for path in specs:
        first.setdefault(path.resolve(), path)  # a spec named twice is assessed once
    unique = list(first.values())
    names = unique_names(unique)
    return FileSources([FileSource(n, p, read_options) for n, p in zip(names, unique, strict=True)], skipped)


def _entry_path(manifest: Path, index: int, entry: dict[str, Any]) -> Path:
    spec = manifest.parent / str(entry["spec"])
    if not spec.exists():
        raise UsageError(f"{manifest} entry {index + 1}: {spec}: no such file or folder")
    return spec
