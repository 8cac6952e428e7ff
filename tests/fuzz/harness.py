"""Runs one input through everything a user can run on it in process: read, convert for every
target (which emits, renders and locates diagnostics), and ``validate``. The project's own errors
(``MigrateError``) are the only exceptions allowed; anything else, or a run past the deadline,
is a finding."""

from __future__ import annotations

import contextlib
import shutil
import signal
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from migrate.conversion.run import convert
from migrate.core.errors import MigrateError
from migrate.core.targets import TARGETS, EmitOptions
from migrate.readers import ReadOptions, read_spec
from migrate.source.references import referenced_files
from migrate.source.refpolicy import RefPolicy
from migrate.validation.run import validate_file

#: A run longer than this is a hang (issue: "a hang past 10 s fails").
DEADLINE = 10.0
#: Target options that take every emitter past its "missing required field" checks.
OPTIONS = EmitOptions(host="api.example.com", contract_id="C-1", group_id="1", target_url="https://backend.example.com")


class Hang(BaseException):
    """The input ran past ``DEADLINE`` (a BaseException, so that no ``except Exception`` in the
    code under test can swallow it)."""


@dataclass
class Finding:
    """An input that crashed or hung: what it was and what happened."""

    input: Path
    how: list[str]
    error: str


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def exercise(path: Path) -> None:
    """Read, convert for every target and validate ``path``; raises only what is a finding."""
    with deadline(DEADLINE):
        read_options = ReadOptions()
        api = None
        with contextlib.suppress(MigrateError):
            api = read_spec(path, read_options)
        for i, target in enumerate(TARGETS if api is not None else ()):
            with contextlib.suppress(MigrateError):  # each target on its own: one's error skips no other
                convert(path, target, OPTIONS, read_options, api=api if i else None)  # the first reads again,
                # locating the reader's diagnostics too
        validate_file(str(path), read_options)  # turns MigrateError into the file's one-line error
        with contextlib.suppress(MigrateError):
            validate_file(str(path), read_options, target="akamai")


def check(path: Path, how: list[str]) -> Finding | None:
    """``exercise`` ``path``; a finding (with a short traceback) when it crashed or hung."""
    try:
        exercise(path)
    except (Exception, Hang) as exc:
        tail = "".join(traceback.format_exception(exc)[-4:])
        return Finding(path, how, f"{type(exc).__name__}: {str(exc)[:300]}\n{tail[-1500:]}")
    return None


def workdir_for(seed: Path, into: Path) -> Path:
    """A folder holding copies of the files ``seed`` includes or references (same relative
    places), so that its mutants still reach them; returns where the mutant goes."""
    into.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(MigrateError, OSError, ValueError):
        for found in referenced_files(seed, RefPolicy(root=seed.parent)) or []:
            with contextlib.suppress(ValueError):
                relative = found.relative_to(seed.parent.resolve())
                if found != seed.resolve():
                    (into / relative).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(found, into / relative)
    return into / seed.name
