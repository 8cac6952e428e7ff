"""Pausing Python's cyclic garbage collector around bulk allocation (parsing, model building,
emitting). The objects made there are millions of small acyclic containers freed by reference
counting; every collection their allocation triggers walks all of them again, which on a 5 MB
spec costs a third of the run. The collector is left as it was afterwards (also when something
else paused it first)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
