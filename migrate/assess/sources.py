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
from typing import Protocol

from migrate.batch.jobs import discover
from migrate.batch.worker import read_with_diagnostics
from migrate.core.diagnostics import Diagnostic
from migrate.core.model import Api
from migrate.core.targets import EmitOptions
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
    specs), found and named as ``batch`` finds and names them; ``outdir`` is not searched.
    A manifest's per-spec targets and options are not used (the assessment's apply to all).
    Raises ``UsageError`` for a missing path or a bad manifest."""
    found = discover(paths, ("openapi",), EmitOptions(), read_options, outdir)
    return FileSources([FileSource(job.name, job.path, job.read_options) for job in found.jobs],
                       found.skipped_files)
