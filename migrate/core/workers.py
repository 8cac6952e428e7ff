"""How the worker processes of ``batch`` and ``validate`` start.

On Linux they are forked from a parent that has imported what they need (readers, the validity
check with its compiled pre-checks, the targets' emitters): each spawned worker imported all of
that again, about half a second of CPU per worker (bench/README.md, fourth round: 5-11% of a
100-spec batch, 13% of ``validate`` over 101 files, on 2 cores). They are spawned on other systems
(macOS system libraries are not safe to fork, Windows cannot) and whenever the process runs
another thread (a caller's server, a test's sandbox, a progress bar's monitor): a lock that thread
holds at the fork would stay held in the worker forever.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import signal
import sys
import threading
from collections.abc import Iterable, Iterator

from migrate.core.targets import emitter_path

#: what reading and checking any spec imports: the readers, the validity check and its compiled
#: pre-checks (the emitters are added per target)
COMMON_MODULES = ("migrate.readers.openapi.read", "migrate.readers.raml.read", "migrate.validation.run",
                  "migrate.validation.openapi", "migrate.validation.fast.osv_extra")


def modules_for(targets: Iterable[str]) -> list[str]:
    """The modules a worker converting or checking for ``targets`` imports."""
    return [*COMMON_MODULES, *(emitter_path(target).partition(":")[0] for target in sorted(set(targets)))]


def start_method() -> str:
    """``fork`` on Linux in a process with a single thread, else ``spawn``."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


@contextlib.contextmanager
def inherited(method: str, modules: Iterable[str]) -> Iterator[None]:
    """Around the start of a pool of ``method`` workers (its first submit forks them): for a fork,
    ``modules`` are imported first (a module that cannot be is left to the worker, which says why
    where its result can carry it), and the parent's heap is frozen while the workers are forked
    (their collections skip it, and its pages stay shared), then thawed. Not when the caller keeps
    frozen objects of its own: thawing would release those too."""
    fork = method == "fork"
    freeze = fork and gc.get_freeze_count() == 0
    if fork:
        for name in modules:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
        gc.collect()
    if freeze:
        gc.freeze()
    try:
        yield
    finally:
        if freeze:
            gc.unfreeze()


def worker_started() -> None:
    """In each worker, first: what a spawned worker starts with, whatever a forking parent had.
    SIGTERM ends the worker (a batch parent turns it into KeyboardInterrupt; a worker with that
    handler would report its spec as failed and go on), and the collector runs."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.enable()
