"""Paths and helpers shared by the tests (import as ``from tests.testsupport import ...``; a module
name of its own, because several folders have a conftest.py). ``SHARED`` is ../shared beside the
project root; tests that need it skip with a clear reason when it is absent (a user's clone has
no ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def need_shared(*parts: str) -> Path:
    """Path below ../shared, or skip the test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs ../shared/{'/'.join(parts)} (reference material beside the project; absent here)")
    return path


class FakeClock:
    """Stands in for the ``time`` module of ``migrate.sandbox.akana.app`` (token lifetimes), so that
    expiry tests move time on instead of sleeping (no flakiness on a loaded machine)."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def time(self) -> float:
        return self.now
